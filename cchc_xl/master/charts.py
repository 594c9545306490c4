"""Native bar charts for the summary sheet, and the same charts drawn to PNG by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import (
    AxDataSource,
    NumData,
    NumDataSource,
    NumRef,
    NumVal,
    StrData,
    StrRef,
    StrVal,
)
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.legend import Legend
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import (
    CharacterProperties,
    Font,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)

from .. import layout

WIDTH_CM, HEIGHT_CM = 24.0, 12.0
# The throwaway workbook's page margin (inches): the chart's top-left corner on the PDF page.
_MARGIN_IN = 0.5


@dataclass
class ChartTable:
    """What one chart shows: title, category labels, named series of values, their colours."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[float]]]
    colours: tuple[str, ...]
    stacked: bool = False
    number_format: str = "0.00"


def chart_title(chart) -> str:
    """The plain text of a chart's title ('' when it has none), read back from a file too."""
    title = getattr(chart, "title", None)
    if title is None:
        return ""
    if isinstance(title, str):
        return title
    rich = getattr(getattr(title, "tx", None), "rich", None)
    if rich is None:
        return ""
    return "\n".join("".join(run.t or "" for run in (p.r or [])) for p in rich.p)


def _text(size_pt: float, bold: bool = False) -> CharacterProperties:
    face = Font(typeface=layout.FONT_NAME)
    return CharacterProperties(latin=face, ea=face, cs=face, sz=int(size_pt * 100), b=bold)


def _rich(size_pt: float) -> RichText:
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=_text(size_pt)), r=[],
                                 endParaRPr=_text(size_pt))])


def _title(text: str) -> Title:
    title = Title()
    props = ParagraphProperties(defRPr=_text(13, bold=True))
    title.tx.rich.paragraphs = [Paragraph(pPr=props, r=[RegularTextRun(rPr=_text(13, True),
                                                                       t=text)])]
    title.overlay = False
    return title


def bar_chart(table: ChartTable, categories: Reference, data: Reference) -> BarChart:
    """Horizontal bars of `data` (header row first) by `categories`, caches filled from `table`."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked" if table.stacked else "clustered"
    if table.stacked:
        chart.overlap = 100
    chart.gapWidth = 60
    chart.title = _title(table.title)
    chart.width, chart.height = WIDTH_CM, HEIGHT_CM
    chart.style = 2
    sheet = data.worksheet.title
    quoted = "'" + sheet.replace("'", "''") + "'"
    cats = f"{quoted}!${_col(categories.min_col)}${categories.min_row}:" \
           f"${_col(categories.min_col)}${categories.max_row}"
    for i, (name, values) in enumerate(table.series):
        column = _col(data.min_col + i)
        series = Series()
        series.val = NumDataSource(numRef=NumRef(
            f=f"{quoted}!${column}${data.min_row + 1}:${column}${data.max_row}",
            numCache=NumData(formatCode=table.number_format, ptCount=len(values),
                             pt=[NumVal(idx=j, v=v) for j, v in enumerate(values)])))
        series.cat = AxDataSource(strRef=StrRef(f=cats, strCache=StrData(
            ptCount=len(table.categories),
            pt=[StrVal(idx=j, v=c) for j, c in enumerate(table.categories)])))
        series.tx = SeriesLabel(strRef=StrRef(
            f=f"{quoted}!${column}${data.min_row}",
            strCache=StrData(ptCount=1, pt=[StrVal(idx=0, v=name)])))
        colour = table.colours[i % len(table.colours)]
        series.graphicalProperties = GraphicalProperties(solidFill=colour)
        series.graphicalProperties.line = LineProperties(solidFill=colour)
        chart.series.append(series)
    if not table.stacked:
        chart.dataLabels = DataLabelList(showVal=True, showCatName=False, showSerName=False,
                                         showLegendKey=False, showPercent=False,
                                         showBubbleSize=False, numFmt=table.number_format)
        chart.dataLabels.txPr = _rich(9)
    _axes(chart, table)
    return chart


def _axes(chart: BarChart, table: ChartTable) -> None:
    categories, values = chart.x_axis, chart.y_axis
    categories.delete = values.delete = False  # openpyxl 3.1 hides axes unless told
    categories.scaling.orientation = "maxMin"  # first area/officer on top, as in the tables
    values.crosses = "max"  # the value axis then sits at the bottom
    values.number_format = table.number_format
    if table.stacked:
        values.majorUnit = 1
    values.scaling.min = 0
    for axis in (categories, values):
        axis.txPr = _rich(10)
    chart.legend = Legend()
    chart.legend.position = "b"
    chart.legend.txPr = _rich(10)


def _col(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def replace_charts(ws, charts: list[tuple[BarChart, str]]) -> int:
    """Place charts at their anchors, replacing (not stacking) charts of the same titles."""
    titles = {chart_title(chart) for chart, _ in charts}
    ws._charts = [c for c in ws._charts if chart_title(c) not in titles]
    for chart, anchor in charts:
        ws.add_chart(chart, anchor)
    return len(charts)


class ChartsNotDrawn(RuntimeError):
    """LibreOffice or pdftoppm is missing, or failed: the charts could not be drawn to PNG."""


def render_pngs(tables: list[ChartTable], out_dir: Path, *, dpi: int = 150) -> list[Path]:
    """Each table's chart drawn by LibreOffice (PDF, cut by pdftoppm) as out_dir/bieu-do-<n>.png."""
    # A throwaway workbook: the values on a hidden sheet, each chart alone on an A4 page.
    from openpyxl import Workbook

    from ..files.libreoffice import ConversionFailed, LibreOfficeUnavailable, convert

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise ChartsNotDrawn("pdftoppm (poppler-utils) not found")
    wb = Workbook()
    pages = [wb.active] + [wb.create_sheet() for _ in tables[1:]]
    data_ws = wb.create_sheet("data")
    column = 1
    for n, (page, table) in enumerate(zip(pages, tables), start=1):
        page.title = f"chart{n}"
        data_ws.cell(row=1, column=column, value="")
        for j, label in enumerate(table.categories, start=2):
            data_ws.cell(row=j, column=column, value=label)
        for i, (name, values) in enumerate(table.series, start=1):
            data_ws.cell(row=1, column=column + i, value=name)
            for j, value in enumerate(values, start=2):
                data_ws.cell(row=j, column=column + i, value=value)
        last = max(2, len(table.categories) + 1)
        cats = Reference(data_ws, min_col=column, min_row=2, max_row=last)
        data = Reference(data_ws, min_col=column + 1, max_col=column + len(table.series),
                         min_row=1, max_row=last)
        page.add_chart(bar_chart(table, cats, data), "A1")
        page.page_setup.paperSize = page.PAPERSIZE_A4
        page.page_setup.orientation = page.ORIENTATION_LANDSCAPE
        for side in ("left", "right", "top", "bottom"):
            setattr(page.page_margins, side, _MARGIN_IN)
        page.page_margins.header = page.page_margins.footer = 0
        column += len(table.series) + 2
    data_ws.sheet_state = "hidden"  # not printed; LibreOffice still plots it
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-charts-") as tmp:
        book = Path(tmp, "bieu-do.xlsx")
        wb.save(book)
        try:
            (pdf,) = convert([book], tmp, "pdf", recalc=False, timeout=180)
        except (LibreOfficeUnavailable, ConversionFailed) as exc:
            raise ChartsNotDrawn(str(exc).splitlines()[0]) from exc
        width, height = (round(cm / 2.54 * dpi) + 2 for cm in (WIDTH_CM, HEIGHT_CM))
        offset = round(_MARGIN_IN * dpi) - 1
        out = []
        for n in range(1, len(tables) + 1):
            stem = Path(tmp, f"page{n}")
            subprocess.run([pdftoppm, "-png", "-r", str(dpi), "-f", str(n), "-l", str(n),
                            "-singlefile", "-x", str(offset), "-y", str(offset),
                            "-W", str(width), "-H", str(height), str(pdf), str(stem)],
                           check=True, capture_output=True, timeout=120)
            target = out_dir / f"bieu-do-{n}.png"
            shutil.move(str(stem) + ".png", target)
            out.append(target)
    return out

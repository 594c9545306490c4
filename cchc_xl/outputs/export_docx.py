"""The plan appendix as an official Word document (NĐ 30/2020) from a master's current data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import layout
from ..master.reading import MasterView, read_master, to_plan_row
from ..plan.tree import codes_with_children, level
from ..text import clean_cell, printed_number

P = layout.PLAN
# Number columns, written as Vietnamese paper writes points (7,95; text.printed_number).
_NUMBERS = {"max_points", "appraised", "lost"}
_FIXED = {"code", *_NUMBERS}  # as wide as the appendix declares, whatever else it holds


@dataclass
class ExportResult:
    """Where the appendix went, how many plan rows it holds, and its PDF if one was asked."""

    docx: Path
    rows: int
    pdf: Path | None = None


def appendix_heading(settings: dict) -> list[str]:
    """'PHỤ LỤC', the title's lines and the '(Kèm theo kế hoạch số …)' line, from settings."""
    from ..master.build import plan_heading

    title, attached = plan_heading(settings)
    lines = [line.strip() for line in str(title).split("\n") if line.strip()]
    return [layout.APPENDIX_HEADING, *lines, attached]


@dataclass(frozen=True)
class AppendixColumn:
    """A column of the appendix: a document field of the plan sheet (`key`), or a column of
    the plan sheet the document had and the master has no field for (`sheet_column`)."""

    label: str
    width_mm: float
    key: str | None = None
    sheet_column: int | None = None


def document_columns(view: MasterView) -> tuple[int | None, list[tuple[int, str]]]:
    """Where the plan sheet keeps what the document had beyond the master's fields (the
    columns under the defined name layout.PLAN_DOCUMENT_EXTRA_NAME): the column of the codes
    as written, if any, and each extra column with its label."""
    from openpyxl.utils.cell import range_boundaries

    defined = view.wb.defined_names.get(layout.PLAN_DOCUMENT_EXTRA_NAME)
    if defined is None:
        return None, []
    try:
        ranges = [ref for sheet, ref in defined.destinations if sheet == P.name]
    except (ValueError, TypeError, AttributeError):  # (a deleted column leaves #REF!)
        return None, []
    ws = view.wb[P.name]
    source, extras = None, []
    for ref in ranges:
        try:
            first, _, last, _ = range_boundaries(ref.replace("$", ""))
        except (ValueError, TypeError):
            continue
        for column in range(first, last + 1):
            label = ws.cell(row=view.header_row, column=column).value
            label = str(label).strip() if label is not None else ""
            if label == layout.PLAN_SOURCE_CODE.label:
                source = column
            elif label:
                extras.append((column, label))
    return source, extras


def appendix_columns(view: MasterView) -> list[AppendixColumn]:
    """The appendix's columns: the plan's document fields, the document's extra columns
    before «Ghi chú» (as the master keeps them), each narrowed so that all fit the page."""
    _, extras = document_columns(view)
    keys = list(layout.PLAN_DOCUMENT_KEYS)
    at = keys.index("note")
    columns = [AppendixColumn(P.column(k).label, layout.APPENDIX_WIDTHS_MM[k], key=k)
               for k in keys[:at]]
    columns += [AppendixColumn(label, layout.APPENDIX_EXTRA_MM, sheet_column=c)
                for c, label in extras]
    columns += [AppendixColumn(P.column(k).label, layout.APPENDIX_WIDTHS_MM[k], key=k)
                for k in keys[at:]]
    total = sum(c.width_mm for c in columns)
    if total > layout.APPENDIX_TEXT_MM:  # (text columns narrowed; codes and points keep theirs)
        fixed = sum(c.width_mm for c in columns if c.key in _FIXED)
        scale = (layout.APPENDIX_TEXT_MM - fixed) / (total - fixed)
        columns = [c if c.key in _FIXED else AppendixColumn(
            c.label, round(c.width_mm * scale, 1), c.key, c.sheet_column) for c in columns]
    return columns


def appendix_rows(view: MasterView, columns: list[AppendixColumn] | None = None
                  ) -> tuple[list[list[str]], set[int]]:
    """Every plan row's appendix columns as text (lost = max − appraised, the code as the
    document wrote it when the plan sheet keeps that), and the indexes of the areas."""
    columns = columns if columns is not None else appendix_columns(view)
    source, _ = document_columns(view)
    ws = view.wb[P.name]
    rows: list[list[str]] = []
    areas: set[int] = set()
    for index, sheet_row in enumerate(view.rows):
        row = to_plan_row(sheet_row)
        values = {"lost": row.lost}
        cells = []
        for column in columns:
            if column.sheet_column is not None:
                cells.append(_text(ws.cell(row=sheet_row.row, column=column.sheet_column).value))
            elif column.key in _NUMBERS:
                cells.append(printed_number(values.get(column.key,
                                                      getattr(row, column.key, None))))
            elif column.key == "code" and source is not None:
                written = _text(ws.cell(row=sheet_row.row, column=source).value)
                cells.append(written or row.code)
            else:
                cells.append(str(getattr(row, column.key, "") or ""))
        rows.append(cells)
        if row.code and level(row.code) == 1:
            areas.add(index)
    return rows, areas


def _text(value: object) -> str:
    return clean_cell(value) if value is not None else ""


def _settings(view: MasterView) -> dict:
    settings = dict(view.settings)
    date = settings.get("plan_date")
    if isinstance(date, dt.datetime):
        settings["plan_date"] = date.date()
    elif not isinstance(date, dt.date):
        settings["plan_date"] = None
    return settings


def _keep_rows_whole(path: Path, columns: list[AppendixColumn], headings: set[int]) -> None:
    """Rows never split across pages (the header row repeats above each), a heading row (an
    area, a criterion over its sub-criteria) kept on the page of the row after it (never
    stranded at a page's foot), points centred."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    table = document.tables[0]
    centred = [i for i, column in enumerate(columns)
               if column.key in _NUMBERS or column.key == "code"]
    for index, row in enumerate(table.rows[1:]):
        if index in headings and index + 1 < len(table.rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        properties = row._tr.get_or_add_trPr()
        if properties.find(qn("w:cantSplit")) is None:
            keep = OxmlElement("w:cantSplit")
            keep.set(qn("w:val"), "true")
            properties.insert(0, keep)
        for i in centred:
            for paragraph in row.cells[i].paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.save(str(path))


def export_plan_docx(master: str | Path, out: str | Path | None = None, *,
                     pdf: bool = False, progress=None) -> ExportResult:
    """The master's plan as the official appendix (default <name>_phu-luc.docx), and PDF;
    progress(done, total, file name) after each file written."""
    from ..files.docx_table import write_docx_plan
    from ..files.open_save import load
    from ..problems import MasterUnusable

    master = Path(master)
    wb = load(master)
    view = read_master(wb)
    if view.problems:
        raise MasterUnusable(view.problems)
    target = Path(out) if out else master.with_name(f"{master.stem}_phu-luc.docx")
    if target.suffix.lower() != ".docx":
        target = target.with_suffix(".docx")
    target.parent.mkdir(parents=True, exist_ok=True)
    columns = appendix_columns(view)
    rows, areas = appendix_rows(view, columns)
    write_docx_plan(target, heading=appendix_heading(_settings(view)),
                    header=[c.label for c in columns], rows=rows, bold_rows=areas,
                    column_widths_mm=[c.width_mm for c in columns])
    parents = codes_with_children(r.code for r in view.rows)
    headings = areas | {i for i, r in enumerate(view.rows) if r.code in parents}
    _keep_rows_whole(target, columns, headings)
    result = ExportResult(target, len(rows))
    steps = 2 if pdf else 1
    if progress:
        progress(1, steps, target.name)
    if pdf:
        from ..files.libreoffice import convert

        (result.pdf,) = convert([target], target.parent, "pdf", recalc=False)
        if progress:
            progress(2, steps, result.pdf.name)
    return result

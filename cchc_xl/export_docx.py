"""The plan appendix as an official Word document (NĐ 30/2020) from a master's current data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import layout
from .master_read import MasterView, read_master, to_plan_row
from .plan import level
from .text import format_number

P = layout.PLAN
# How each number column is written: as the plan writes points (a dot, no float noise).
_NUMBERS = {"max_points", "appraised", "lost"}


@dataclass
class ExportResult:
    """Where the appendix went, how many plan rows it holds, and its PDF if one was asked."""

    docx: Path
    rows: int
    pdf: Path | None = None


def appendix_heading(settings: dict) -> list[str]:
    """'PHỤ LỤC', the title's lines and the '(Kèm theo kế hoạch số …)' line, from settings."""
    from .master_build import plan_heading

    title, attached = plan_heading(settings)
    lines = [line.strip() for line in str(title).split("\n") if line.strip()]
    return [layout.APPENDIX_HEADING, *lines, attached]


def appendix_rows(view: MasterView) -> tuple[list[list[str]], set[int]]:
    """Every plan row's document columns as text (lost = max − appraised), and area indexes."""
    rows: list[list[str]] = []
    areas: set[int] = set()
    for index, sheet_row in enumerate(view.rows):
        row = to_plan_row(sheet_row)
        values = {"lost": row.lost}
        cells = []
        for key in layout.PLAN_DOCUMENT_KEYS:
            if key in _NUMBERS:
                cells.append(format_number(values.get(key, getattr(row, key, None))))
            else:
                cells.append(str(getattr(row, key, "") or ""))
        rows.append(cells)
        if row.code and level(row.code) == 1:
            areas.add(index)
    return rows, areas


def _settings(view: MasterView) -> dict:
    settings = dict(view.settings)
    date = settings.get("plan_date")
    if isinstance(date, dt.datetime):
        settings["plan_date"] = date.date()
    elif not isinstance(date, dt.date):
        settings["plan_date"] = None
    return settings


def _keep_rows_whole(path: Path) -> None:
    """Rows never split across pages (the header row repeats above each), points centred."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    table = document.tables[0]
    centred = [i for i, key in enumerate(layout.PLAN_DOCUMENT_KEYS)
               if key in _NUMBERS or key == "code"]
    for row in table.rows[1:]:
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
                     pdf: bool = False) -> ExportResult:
    """The master's plan as the official appendix (default <name>_phu-luc.docx), and PDF."""
    from .consolidate import MasterUnusable
    from .docx_table import write_docx_plan
    from .workbook_io import load

    master = Path(master)
    wb = load(master)
    view = read_master(wb)
    if view.problems:
        raise MasterUnusable(view.problems)
    target = Path(out) if out else master.with_name(f"{master.stem}_phu-luc.docx")
    if target.suffix.lower() != ".docx":
        target = target.with_suffix(".docx")
    target.parent.mkdir(parents=True, exist_ok=True)
    rows, areas = appendix_rows(view)
    header = [P.column(key).label for key in layout.PLAN_DOCUMENT_KEYS]
    widths = [layout.APPENDIX_WIDTHS_MM[key] for key in layout.PLAN_DOCUMENT_KEYS]
    write_docx_plan(target, heading=appendix_heading(_settings(view)), header=header,
                    rows=rows, bold_rows=areas, column_widths_mm=widths)
    _keep_rows_whole(target)
    result = ExportResult(target, len(rows))
    if pdf:
        from .libreoffice import convert

        (result.pdf,) = convert([target], target.parent, "pdf", recalc=False)
    return result

"""One officer's workbook ("phiếu"): their rows, input cells unlocked, the rest protected, and
the very hidden stamp consolidation checks."""

from __future__ import annotations

import datetime as dt
import textwrap
from copy import copy
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from . import layout
from .cells import put
from .master_build import write_lists
from .stamp import LOCKED_KEYS, Stamp, StampRow, row_seal, write_stamp
from .styles import BORDER, fill, font, print_setup, style_header, use_times_new_roman, wrap
from .text import format_number

SHEET = layout.OFFICER
LAST_COLUMN = SHEET.letter(SHEET.columns[-1].key)
UNLOCKED = Protection(locked=False)
# Times New Roman 11: about one character per unit of column width once words wrap, and a
# line about 13.5 points high.
CHARS_PER_WIDTH = 1.0
LINE_POINTS = 13.5
# Header block: where the label/value pairs of rows 3–5 sit (first and last column, 1-based).
FACT_SPANS = (((1, 2), (3, 5)), ((6, 7), (8, len(SHEET.columns))))


@dataclass
class OfficerRow:
    """One plan row as an officer receives it: the locked plan text, their part, and the
    report fields (`values` as written into the input cells, `base` as the master holds them)."""

    code: str
    title: str
    max_points: float | None
    lost: float | None
    action: str
    part: str  # layout.LEAD or layout.SUPPORT
    deadline: dt.date | str | None
    values: dict = field(default_factory=dict)
    base: dict = field(default_factory=dict)

    def locked(self) -> dict:
        """The sealed content, exactly the values written into the locked cells."""
        return {key: getattr(self, key) for key in LOCKED_KEYS}


@dataclass
class OfficerSheet:
    """Everything one officer workbook shows and stamps."""

    round: str
    role: str
    person: str
    email: str
    commune: str
    year: object
    plan_number: str
    plan_date: dt.date | None
    issued_at: dt.datetime
    due: dt.date
    master_id: str
    master_file: str
    rows: list[OfficerRow] = field(default_factory=list)

    def stamp(self, key: str) -> Stamp:
        rows = [StampRow(code=row.code, sheet_row=SHEET.first_row + i, part=row.part,
                         seal=row_seal(key, row.locked()), base=dict(row.base))
                for i, row in enumerate(self.rows)]
        return Stamp(round=self.round, role=self.role, person=self.person, email=self.email,
                     issued_at=self.issued_at, master_id=self.master_id,
                     master_file=self.master_file, commune=self.commune, due=self.due,
                     rows=rows)


def build_officer_workbook(sheet: OfficerSheet, key: str) -> Workbook:
    """The officer's workbook: the visible sheet, the hidden lists, the very hidden stamp."""
    wb = Workbook()
    use_times_new_roman(wb)
    ws = wb.active
    ws.title = SHEET.name
    wb.create_sheet(layout.LISTS_SHEET)
    write_lists(wb)
    wb[layout.LISTS_SHEET].protection.sheet = True
    _write_heading(ws, sheet)
    style_header(ws, SHEET.header_row, SHEET.columns)
    ws.row_dimensions[SHEET.header_row].height = 45
    styles: dict = {}
    for i, row in enumerate(sheet.rows):
        _write_row(ws, SHEET.first_row + i, row, styles)
    _add_validations(ws, sheet.rows)
    last = SHEET.first_row + max(len(sheet.rows), 1) - 1
    ws.freeze_panes = SHEET.freeze
    print_setup(ws, f"{SHEET.header_row}:{SHEET.header_row}")
    ws.print_area = f"A1:{LAST_COLUMN}{last}"
    ws.protection.sheet = True  # no password: it prevents accidents; the seals catch the rest
    write_stamp(wb, sheet.stamp(key), key)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = "cchc-xl"
    wb.properties.title = f"{SHEET.name} – {sheet.role} – {sheet.round}"
    wb.active = 0
    return wb


def _date_text(value: object) -> str:
    return f"{value:%d/%m/%Y}" if isinstance(value, (dt.date, dt.datetime)) else ""


def _write_heading(ws, sheet: OfficerSheet) -> None:
    width = len(SHEET.columns)
    title = layout.OFFICER_TITLE.format(year=sheet.year or "")
    plan = f"UBND xã {sheet.commune}" if sheet.commune else "UBND xã"
    if sheet.plan_number:
        plan += f" – Kế hoạch số {sheet.plan_number}"
        if sheet.plan_date:
            plan += f" ngày {_date_text(sheet.plan_date)}"
    for r, text, style in ((1, title, font(bold=True, size=13)), (2, plan, font(italic=True))):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        cell = put(ws.cell(row=r, column=1), text)
        cell.font = style
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 22
    facts = {"commune": sheet.commune, "round": sheet.round, "person": sheet.person,
             "role": sheet.role, "issued_at": sheet.issued_at, "due": sheet.due}
    for r, pairs in enumerate(layout.OFFICER_FACTS, start=3):
        for (label, key), ((l1, l2), (v1, v2)) in zip(pairs, FACT_SPANS):
            ws.merge_cells(start_row=r, start_column=l1, end_row=r, end_column=l2)
            ws.merge_cells(start_row=r, start_column=v1, end_row=r, end_column=v2)
            put(ws.cell(row=r, column=l1), label).font = font(bold=True)
            cell = put(ws.cell(row=r, column=v1), facts[key])
            cell.font = font(bold=key in ("person", "due"),
                             color="FFC00000" if key == "due" else None)
            cell.alignment = Alignment(horizontal="left", vertical="center")
            if key == "issued_at":
                cell.number_format = layout.DATETIME
            elif key == "due":
                cell.number_format = layout.DATE
    for r, line in enumerate(layout.OFFICER_HELP, start=6):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        cell = put(ws.cell(row=r, column=1), line)
        cell.font = font(italic=r > 6, bold=r == 6)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.row_dimensions[r].height = 18


def _write_row(ws, r: int, row: OfficerRow, styles: dict) -> None:
    """One officer row. Each distinct cell style is built once per workbook and then copied
    (openpyxl hashes every font, border and fill assigned, which dominated the run time)."""
    values = {**row.locked(), **row.values}
    for i, col in enumerate(SHEET.columns, start=1):
        cell = put(ws.cell(row=r, column=i), values.get(col.key))
        as_text = col.kind == "date" and isinstance(cell.value, str)
        key = (col.key, row.part, as_text)
        if key in styles:
            cell._style = copy(styles[key])
            continue
        cell.font = font(bold=col.key == "code")
        cell.border = BORDER
        numeric = col.kind in ("number", "percent", "date")
        cell.alignment = wrap("right" if numeric else None, col.wrap)
        if col.number_format and not as_text:
            cell.number_format = col.number_format
        if col.officer_input:
            if col.key == "expected" and row.part != layout.LEAD:
                cell.fill = fill(layout.OFFICER_NOT_YOURS_FILL)
            else:
                cell.fill = fill(layout.INPUT_FILL)
                cell.protection = UNLOCKED
        styles[key] = copy(cell._style)
    ws.row_dimensions[r].height = row_height(values)


def row_height(values: dict, minimum: float = 30.0) -> float:
    """Points that show every wrapped line (styles.fit_row_height counts characters, which
    clips Vietnamese text broken at word boundaries; here the words are wrapped)."""
    lines = 1
    for col in SHEET.columns:
        value = values.get(col.key)
        if not col.wrap or not isinstance(value, str):
            continue
        width = max(4, int(col.width * CHARS_PER_WIDTH))
        count = sum(len(textwrap.wrap(part, width, break_long_words=True)) or 1
                    for part in value.split("\n"))
        lines = max(lines, count)
    return max(minimum, LINE_POINTS * lines + 4)


def _validation(key: str, kind: str, **kwargs) -> DataValidation:
    prompt_title, prompt, error_title, error = layout.OFFICER_CHECKS[key]
    fields = kwargs.pop("fields", {})
    return DataValidation(type=kind, allow_blank=True, showErrorMessage=True,
                          showInputMessage=True, errorStyle="stop",
                          promptTitle=prompt_title, prompt=prompt.format(**fields),
                          errorTitle=error_title, error=error.format(**fields), **kwargs)


def _add_validations(ws, rows: list[OfficerRow]) -> None:
    """Dropdown for the status, 0–100 for progress, 0–max for the expected points of the rows
    this officer leads (one rule per maximum, so the message can say it)."""
    if not rows:
        return
    first, last = SHEET.first_row, SHEET.first_row + len(rows) - 1
    status = _validation("status", "list", formula1=next(
        name for name, items in layout.LISTS.items() if items == layout.STATUSES))
    status.add(f"{SHEET.letter('status')}{first}:{SHEET.letter('status')}{last}")
    ws.add_data_validation(status)
    progress = _validation("progress", "decimal", operator="between", formula1="0",
                           formula2="100")
    progress.add(f"{SHEET.letter('progress')}{first}:{SHEET.letter('progress')}{last}")
    ws.add_data_validation(progress)
    by_max: dict[str, list[int]] = {}
    for r, row in enumerate(rows, start=first):
        if row.part == layout.LEAD and row.max_points is not None:
            by_max.setdefault(format_number(row.max_points), []).append(r)
    expected = SHEET.letter("expected")
    for max_points, sheet_rows in by_max.items():
        dv = _validation("expected", "decimal", operator="between", formula1="0",
                         formula2=max_points, fields={"max_points": max_points})
        for r in sheet_rows:
            dv.add(f"{expected}{r}")
        ws.add_data_validation(dv)

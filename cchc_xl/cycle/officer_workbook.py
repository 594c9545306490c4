"""One officer's workbook ("phiếu"): their rows, input cells unlocked, the rest protected, and
the very hidden stamp consolidation checks. Written with XlsxWriter (≈ 5× faster than building
it with openpyxl); read back by openpyxl, python-calamine, LibreOffice and Excel alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import fields, layout
from ..files.page import wrapped_lines
from ..text import format_number
from .evidence_sheet import write_evidence_sheet
from .officer_cells import (
    BORDER_GREY,
    Styles,
    page_marks,
    rgb,
    write_header,
    write_merged,
    write_value,
)
from .stamp import LOCKED_KEYS, Stamp, StampRow, row_seal, stamp_cells

SHEET = layout.OFFICER
# Times New Roman 11: about one character per unit of column width once words wrap, and a
# line about 13.5 points high.
CHARS_PER_WIDTH = 1.0
LINE_POINTS = 13.5
# Printed in two bands: the plan's text up to the deadline, then the code and criterion again
# with the officer's columns.
PRINT_BREAK_AFTER = "deadline"
PRINT_TITLE_COLUMNS = ("code",)
BAND_END = SHEET.index(PRINT_BREAK_AFTER)  # the first band's last column (1-based)
# The heading block starts right of the code column, which prints again left of the second
# band: nothing of the heading is printed cut there.
HEADING_FIRST = len(PRINT_TITLE_COLUMNS) + 1


def fact_spans() -> tuple:
    """Header block: where the label/value pairs of rows 3–5 sit (first and last column,
    1-based), each pair within one printed band (a label is never printed apart from its
    value), the second up to the last column."""
    return (((HEADING_FIRST, HEADING_FIRST), (HEADING_FIRST + 1, 5)),
            ((BAND_END + 1, BAND_END + 2), (BAND_END + 3, len(SHEET.columns))))
# Heights (points) of the heading block above the frozen header row, kept small so that a
# laptop's screen shows the officer's rows, and the help's font size.
HEADING_POINTS = {"title": 20, "help": 13, "gap": 4, "header": 30}
HELP_POINTS = 9
A4 = 9
# Every format starts from the workbook's default font; "none" keeps Excel from swapping in
# the theme's font (Calibri) for a font marked as the theme's minor font.
DEFAULT_FONT = {"font_name": layout.FONT_NAME, "font_size": layout.FONT_SIZE,
                "font_scheme": "none"}


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
    evidence: list | None = None  # their evidence entries (evidence.Entry); None: no sheet

    def stamp(self, key: str) -> Stamp:
        rows = [StampRow(code=row.code, sheet_row=SHEET.first_row + i, part=row.part,
                         seal=row_seal(key, row.locked()), base=dict(row.base))
                for i, row in enumerate(self.rows)]
        return Stamp(round=self.round, role=self.role, person=self.person, email=self.email,
                     issued_at=self.issued_at, master_id=self.master_id,
                     master_file=self.master_file, commune=self.commune, due=self.due,
                     rows=rows, evidence=None if self.evidence is None else list(self.evidence))


def write_officer_workbooks(jobs: list[tuple[OfficerSheet, str, Path]], progress=None) -> None:
    """Write many officer workbooks ((sheet, key, path) each), on every core when there are
    enough of them for a process pool to pay (cores.on_cores); progress(done, total, file
    name) after each."""
    from ..cores import on_cores

    for done, (job, _) in enumerate(zip(jobs, on_cores(_write_job, jobs)), start=1):
        if progress:
            progress(done, len(jobs), Path(job[2]).name)


def _write_job(job: tuple[OfficerSheet, str, Path]) -> None:
    write_officer_workbook(*job)


def _book_class():
    """XlsxWriter's Workbook plus structure protection (sheets cannot be added, deleted,
    renamed or unhidden), which XlsxWriter does not offer: one element in workbook.xml,
    where the schema puts it (after workbookPr). Its worksheets can merge a heading's cells
    without writing a formatted blank into every covered cell (merge_range does; the
    heading has no border or fill, so they would only cost time)."""
    from xlsxwriter import Workbook
    from xlsxwriter.worksheet import Worksheet

    class OfficerWorksheet(Worksheet):
        def merge_cells(self, row: int, first_col: int, last_col: int) -> None:
            # The bookkeeping of Worksheet.merge_range, without its padding.
            self._check_dimensions(row, last_col)
            self.merge.append([row, first_col, row, last_col])

    class ProtectedBook(Workbook):
        worksheet_class = OfficerWorksheet

        def _write_workbook_pr(self) -> None:
            super()._write_workbook_pr()
            self._xml_empty_tag("workbookProtection", [("lockStructure", 1)])

    return ProtectedBook


_BOOK = None


def write_officer_workbook(sheet: OfficerSheet, key: str, path: str | Path) -> None:
    """Write the officer's workbook to `path`."""
    global _BOOK
    if _BOOK is None:
        _BOOK = _book_class()
    book = _BOOK(str(path), {"in_memory": True, "default_format_properties": dict(DEFAULT_FONT),
                             "strings_to_formulas": False, "strings_to_urls": False})
    styles = Styles(book)
    ws = book.add_worksheet(SHEET.name)
    lists = book.add_worksheet(layout.LISTS_SHEET)
    _write_lists(book, lists, styles)
    _write_heading(ws, sheet, styles)
    write_header(ws, styles, SHEET, HEADING_POINTS["header"])
    for i, row in enumerate(sheet.rows):
        _write_row(ws, SHEET.first_row - 1 + i, row, styles)
    _add_validations(ws, sheet.rows)
    last = SHEET.first_row + max(len(sheet.rows), 1) - 1
    freeze_row, freeze_col = _cell_index(SHEET.freeze)
    ws.freeze_panes(freeze_row, freeze_col)
    _print_setup(ws, last)
    ws.protect()  # no password: it prevents accidents; the seals catch the rest
    write_evidence_sheet(book, sheet, styles)
    _write_stamp(book, sheet.stamp(key), key)
    book.set_properties({"author": "cchc-xl",
                         "title": f"{SHEET.name} – {sheet.role} – {sheet.round}"})
    ws.activate()
    book.close()


def _cell_index(ref: str) -> tuple[int, int]:
    """'C11' -> (10, 2), zero-based as XlsxWriter counts."""
    letters = ref.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch.upper()) - 64
    return int(ref[len(letters):]) - 1, col - 1


def _date_text(value: object) -> str:
    return f"{value:%d/%m/%Y}" if isinstance(value, (dt.date, dt.datetime)) else ""


def _write_heading(ws, sheet: OfficerSheet, styles: Styles) -> None:
    # (title and help within the first printed band: never cut on paper)
    first, last = HEADING_FIRST - 1, BAND_END - 1
    title = layout.OFFICER_TITLE.format(year=sheet.year or "")
    plan = f"UBND xã {sheet.commune}" if sheet.commune else "UBND xã"
    if sheet.plan_number:
        plan += f" – Kế hoạch số {sheet.plan_number}"
        if sheet.plan_date:
            plan += f" ngày {_date_text(sheet.plan_date)}"
    centred = {"align": "center", "valign": "vcenter", "text_wrap": True}
    for r, text, props in ((0, title, {"bold": True, "font_size": 13, **centred}),
                           (1, plan, {"italic": True, **centred})):
        write_merged(ws, r, first, last, text, styles, props)
    # a compact block (≈ 150 pt with the header row): a laptop shows the rows below it
    ws.set_row(0, HEADING_POINTS["title"])
    facts = {"commune": sheet.commune, "round": sheet.round, "person": sheet.person,
             "role": sheet.role, "issued_at": sheet.issued_at, "due": sheet.due}
    for r, pairs in enumerate(layout.OFFICER_FACTS, start=2):
        for (label, key), ((l1, l2), (v1, v2)) in zip(pairs, fact_spans()):
            write_merged(ws, r, l1 - 1, l2 - 1, label, styles, {"bold": True})
            props: dict = {"bold": key in ("person", "due"), "align": "left",
                           "valign": "vcenter"}
            if key == "due":
                props["font_color"] = "#C00000"
            if key == "issued_at":
                props["num_format"] = layout.DATETIME
            elif key == "due":
                props["num_format"] = layout.DATE
            write_merged(ws, r, v1 - 1, v2 - 1, facts[key], styles, props)
    width = sum(c.width for c in SHEET.columns[first:last + 1])
    per_line = int(width * CHARS_PER_WIDTH * layout.FONT_SIZE / HELP_POINTS)
    for r, line in enumerate(layout.OFFICER_HELP, start=5):
        write_merged(ws, r, first, last, line, styles, {"italic": r > 5, "bold": r == 5,
                                                         "font_size": HELP_POINTS,
                                                         "valign": "vcenter", "text_wrap": True})
        ws.set_row(r, HEADING_POINTS["help"] * wrapped_lines(line, per_line))
    ws.set_row(SHEET.header_row - 2, HEADING_POINTS["gap"])


def _cell_props(col: layout.Column, part: str, as_text: bool) -> dict:
    numeric = col.kind in ("number", "percent", "date")
    props: dict = {"bold": col.key == "code", "border": 1, "border_color": BORDER_GREY,
                   "valign": "top", "text_wrap": col.wrap}
    if numeric:
        props["align"] = "right"
    if col.number_format and not as_text:
        props["num_format"] = col.number_format
    if col.key == "others":
        props["italic"] = True
    if col.officer_input:
        declared = fields.get(col.key)
        if declared is not None and declared.lead_only and part != layout.LEAD:
            props.update(bg_color=rgb(layout.OFFICER_NOT_YOURS_FILL), pattern=1)
        else:
            props.update(bg_color=rgb(layout.INPUT_FILL), pattern=1, locked=False)
    return props


def _write_row(ws, r: int, row: OfficerRow, styles: Styles) -> None:
    """One officer row (r zero-based): locked plan text, then the input cells."""
    values = {**row.locked(), **row.values}
    for c, col in enumerate(SHEET.columns):
        value = values.get(col.key)
        as_text = col.kind == "date" and isinstance(value, str)
        key = (c, row.part, as_text)
        cached = styles.rows.get(key)
        if cached is None:
            props = _cell_props(col, row.part, as_text)
            cached = styles.rows[key] = (props, styles.get(**props))
        write_value(ws, r, c, value, cached[1], styles, cached[0])
    ws.set_row(r, row_height(values))


def row_height(values: dict, minimum: float = 18.0) -> float:
    """Points that show every wrapped line, the words wrapped (a plan's titles and actions
    recur in the workbooks of everyone who leads or supports the row: styles.wrapped_lines
    keeps the count)."""
    lines = 1
    for col in SHEET.columns:
        value = values.get(col.key)
        if not col.wrap or not isinstance(value, str):
            continue
        lines = max(lines, wrapped_lines(value, max(4, int(col.width * CHARS_PER_WIDTH))))
    return max(minimum, LINE_POINTS * lines + 4)


def print_scale() -> int:
    """The printed scale (%) at which each band of columns fits A4 landscape's width."""
    from ..files.page import fitted_scale

    widths = [c.width for c in SHEET.columns]
    at, keep = SHEET.index(PRINT_BREAK_AFTER), len(PRINT_TITLE_COLUMNS)
    return min(fitted_scale(widths[:at]), fitted_scale(widths[:keep] + widths[at:])) - 1


def _print_setup(ws, last: int) -> None:
    """A4 landscape in two legible bands (the plan's text, then the code and criterion again
    with the officer's columns, one after the other), the header row repeated, the page number
    on top and "Trang n/N" at the foot (as styles.print_setup sets up the master's sheets)."""
    ws.set_paper(A4)
    ws.set_landscape()
    ws.set_print_scale(print_scale())
    ws.set_v_pagebreaks([SHEET.index(PRINT_BREAK_AFTER)])
    ws.repeat_columns(0, len(PRINT_TITLE_COLUMNS) - 1)
    ws.print_across()
    page_marks(ws)
    ws.repeat_rows(SHEET.header_row - 1)
    ws.print_area(0, 0, last - 1, len(SHEET.columns) - 1)


def _write_lists(book, ws, styles: Styles) -> None:
    """The dropdown lists on their own hidden, protected sheet, each behind a defined name
    (as master_build.write_lists)."""
    from openpyxl.utils import get_column_letter

    bold = styles.get(bold=True)
    for c, (name, items) in enumerate(layout.LISTS.items()):
        ws.write_string(0, c, name, bold)
        for r, item in enumerate(items, start=1):
            ws.write_string(r, c, item)
        letter = get_column_letter(c + 1)
        book.define_name(name, f"='{layout.LISTS_SHEET}'!${letter}$2:${letter}${len(items) + 1}")
        ws.set_column(c, c, 18)
    ws.protect()
    ws.hide()


def _validation(key: str, kind: str, params: dict | None = None, **options) -> dict:
    prompt_title, prompt, error_title, error = layout.OFFICER_CHECKS[key]
    params = params or {}
    return {"validate": kind, "ignore_blank": True, "show_input": True, "show_error": True,
            "error_type": "stop", "input_title": prompt_title,
            "input_message": prompt.format(**params), "error_title": error_title,
            "error_message": error.format(**params), **options}


def _add_validations(ws, rows: list[OfficerRow]) -> None:
    """Each reported field's check (fields.Check): the dropdown of the statuses, 0 %–100 % for
    progress, 0–max for the expected points of the rows this officer leads (one rule per
    maximum, so the message can say it)."""
    if not rows:
        return
    first, last = SHEET.first_row - 1, SHEET.first_row + len(rows) - 2
    for declared in fields.FIELDS:
        check = declared.check
        if check is None:
            continue
        c = SHEET.index(declared.key) - 1
        if check.validate == "list":
            ws.data_validation(first, c, last, c, _validation(
                declared.key, "list", source="=" + declared.list_name))
        elif check.maximum != "max_points":
            ws.data_validation(first, c, last, c, _validation(
                declared.key, check.validate, criteria="between", minimum=check.minimum,
                maximum=check.maximum))
        else:
            _by_row_maximum(ws, rows, declared, check)


def _by_row_maximum(ws, rows: list[OfficerRow], declared, check) -> None:
    """A check up to each row's maximum points: one rule per maximum, on the rows the officer
    may fill."""
    by_max: dict[str, list[int]] = {}
    for r, row in enumerate(rows, start=SHEET.first_row):
        if (row.part == layout.LEAD or not declared.lead_only) and row.max_points is not None:
            by_max.setdefault(format_number(row.max_points), []).append(r)
    letter, c = SHEET.letter(declared.key), SHEET.index(declared.key) - 1
    for max_points, sheet_rows in by_max.items():
        ws.data_validation(sheet_rows[0] - 1, c, sheet_rows[0] - 1, c, _validation(
            declared.key, check.validate, params={"max_points": max_points},
            criteria="between", minimum=check.minimum, maximum=max_points,
            multi_range=" ".join(f"{letter}{r}" for r in sheet_rows)))


# --- the stamp (stamp.stamp_cells, read back by stamp.read_stamp) ------------------------------

def _write_stamp(book, stamp: Stamp, key: str) -> None:
    """The stamp as a very hidden sheet (not shown by Excel's Unhide); its cells are text."""
    ws = book.add_worksheet(layout.STAMP_SHEET)
    for r, c, text in stamp_cells(stamp, key):
        ws.write_string(r, c, text)
    ws.very_hidden()

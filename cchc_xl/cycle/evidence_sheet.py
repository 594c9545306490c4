"""The officer workbook's evidence sheet («Tài liệu kiểm chứng»), written with XlsxWriter: the
officer's entries as issued, then empty lines; only the lines are unlocked."""

from __future__ import annotations

import datetime as dt

from .. import layout
from ..master.evidence import Entry
from .officer_cells import page_marks, write_header, write_merged, write_value

SHEET = layout.EVIDENCE_OFFICER
CODES_COLUMN = len(SHEET.columns) + 2  # (1-based) hidden column the STT dropdown lists


def empty_lines(rows: int) -> int:
    """Empty lines offered below the entries issued: twice the officer's rows, bounded."""
    return min(layout.EVIDENCE_LINES_MAX, max(layout.EVIDENCE_LINES_MIN, 2 * rows))


def write_evidence_sheet(book, sheet, styles) -> None:
    """The sheet of an officer workbook (sheet: officer_workbook.OfficerSheet); nothing when
    it is issued without evidence (sheet.evidence None)."""
    entries: list[Entry] | None = sheet.evidence
    if entries is None:
        return
    ws = book.add_worksheet(SHEET.name)
    last = len(SHEET.columns) - 1
    write_merged(ws, 0, 0, last, layout.EVIDENCE_TITLE, styles,
                 {"bold": True, "font_size": 13, "align": "center", "valign": "vcenter"})
    write_merged(ws, 1, 0, last, layout.EVIDENCE_HELP, styles,
                 {"italic": True, "valign": "vcenter", "text_wrap": True})
    ws.set_row(0, 22)
    ws.set_row(1, 48)
    write_header(ws, styles, SHEET, 32)
    r0 = SHEET.header_row - 1
    formats = [styles.get(**_props(col)) for col in SHEET.columns]
    lines = len(entries) + empty_lines(len(sheet.rows))
    for i in range(lines):
        values = _values(entries[i]) if i < len(entries) else {}
        for c, col in enumerate(SHEET.columns):
            write_value(ws, r0 + 1 + i, c, values.get(col.key), formats[c], styles, _props(col))
    first, end = r0 + 1, r0 + lines
    codes = list(dict.fromkeys(row.code for row in sheet.rows))
    hidden = CODES_COLUMN - 1
    for i, code in enumerate(codes):
        ws.write_string(first + i, hidden, code)
    ws.set_column(hidden, hidden, 8, None, {"hidden": True})
    _validations(ws, first, end, codes, hidden)
    ws.freeze_panes(SHEET.header_row, 1)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(r0)
    page_marks(ws)
    ws.protect()


def _props(col: layout.Column) -> dict:
    props = {"border": 1, "border_color": "#808080", "valign": "top", "text_wrap": col.wrap,
             "bg_color": _input_fill(), "pattern": 1, "locked": False}
    if col.number_format:
        props["num_format"] = col.number_format
    if col.kind in ("number", "date"):
        props["align"] = "right"
    return props


def _input_fill() -> str:
    return "#" + layout.INPUT_FILL[-6:]


def _values(entry: Entry) -> dict:
    return {"code": entry.code, "number": entry.number, "date": entry.date,
            "issuer": entry.issuer, "summary": entry.summary, "file": entry.file,
            "points": entry.points}


def _validations(ws, first: int, last: int, codes: list[str], hidden: int) -> None:
    from xlsxwriter.utility import xl_rowcol_to_cell

    code = SHEET.index("code") - 1
    if codes:
        source = (f"={xl_rowcol_to_cell(first, hidden, True, True)}:"
                  f"{xl_rowcol_to_cell(first + len(codes) - 1, hidden, True, True)}")
        ws.data_validation(first, code, last, code, {
            "validate": "list", "source": source, "ignore_blank": True,
            "input_title": "STT", "input_message": "Chọn STT của nội dung đồng chí thực hiện.",
            "error_title": "STT không hợp lệ", "error_type": "stop",
            "error_message": "Chỉ chọn STT của các nội dung trong phiếu của đồng chí."})
    date = SHEET.index("date") - 1
    ws.data_validation(first, date, last, date, {
        "validate": "date", "criteria": "between", "minimum": dt.date(1945, 9, 2),
        "maximum": dt.date(2100, 12, 31), "ignore_blank": True,
        "input_title": "Ngày ban hành", "input_message": "Nhập ngày dạng dd/mm/yyyy.",
        "error_title": "Ngày không hợp lệ", "error_type": "stop",
        "error_message": "Ngày ban hành phải là một ngày, dạng dd/mm/yyyy."})
    points = SHEET.index("points") - 1
    ws.data_validation(first, points, last, points, {
        "validate": "decimal", "criteria": ">=", "value": 0, "ignore_blank": True,
        "input_title": "Điểm chứng minh",
        "input_message": "Số điểm văn bản này chứng minh; để trống nếu chứng minh cả nội dung.",
        "error_title": "Điểm không hợp lệ", "error_type": "stop",
        "error_message": "Điểm chứng minh phải là số không âm."})

"""The consolidation report as a workbook beside the master: scores, files, changes, problems,
who has not sent back, each officer's rows.

Written with XlsxWriter, as the officer workbooks are: a province's report holds tens of
thousands of cells, which openpyxl took 1.7 s to style and write for 905 returns (8 s for the
country's 2,968). Values only, never a formula: text a spreadsheet could read as one keeps
Excel's quote prefix, as cells.put does in the master."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from .. import fields
from ..files.cells import FORMULA_STARTS
from ..files.styles import FOOTER, FOOTER_PT, wrapped_height
from ..layout import FONT_NAME, FONT_SIZE
from ..texts import RECEIVED_OUTCOMES as OUTCOMES

HEADER_FILL = "#D9E1F2"
MM = 1 / 25.4  # XlsxWriter takes margins in inches
# openpyxl's number formats for dates and times, which the report had when it wrote them
DATE_FORMATS = {dt.datetime: "yyyy-mm-dd h:mm:ss", dt.date: "yyyy-mm-dd", dt.time: "h:mm:ss"}


class _Formats:
    """The report's few formats, each made once per workbook."""

    def __init__(self, book):
        font = {"font_name": FONT_NAME, "font_size": FONT_SIZE}
        body = {**font, "valign": "top", "text_wrap": True}
        self.head = book.add_format({**font, "bold": True, "bg_color": HEADER_FILL,
                                     "pattern": 1, "align": "center", "valign": "vcenter",
                                     "text_wrap": True})
        self.body = book.add_format(body)
        # text one step in from the left, so a text column after right-aligned numbers does
        # not run into them on paper ('91.67 Tốt')
        text = {**body, "align": "left", "indent": 1}
        self.text = book.add_format(text)
        self.quoted = book.add_format({**text, "quote_prefix": True})
        self.dates = {kind: book.add_format({**body, "num_format": number_format})
                      for kind, number_format in DATE_FORMATS.items()}


def _write(ws, r: int, c: int, value: object, formats: _Formats) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, formats.body)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, formats.body)
    elif isinstance(value, (int, float)) and math.isfinite(value):
        ws.write_number(r, c, value, formats.body)
    elif isinstance(value, (dt.datetime, dt.date, dt.time)):
        ws.write_datetime(r, c, value, formats.dates[type(value) if type(value) in DATE_FORMATS
                                                    else dt.datetime])
    else:
        text = str(value)
        ws.write_string(r, c, text,
                        formats.quoted if text.startswith(FORMULA_STARTS) else formats.text)


def _sheet(book, formats: _Formats, title: str, header: list[str], rows: list[list],
           widths: list[int]) -> None:
    ws = book.add_worksheet(title)  # (rows as tall as their wrapped text, as in the master)
    for c, (label, width) in enumerate(zip(header, widths)):
        ws.write_string(0, c, label, formats.head)
        ws.set_column(c, c, width)
    ws.set_row(0, wrapped_height(header, widths))
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            _write(ws, r, c, value, formats)
        ws.set_row(r, wrapped_height(values, widths))
    ws.freeze_panes(1, 0)
    # styles.print_setup's page: A4 landscape, one page wide, the header row on every page,
    # margins of Nghị định 30/2020, the page number on top in Times New Roman
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=30 * MM, right=15 * MM, top=20 * MM, bottom=20 * MM)
    ws.set_header(f'&C&"{FONT_NAME},Regular"&P', {"margin": 8 * MM})
    ws.set_footer(f'&C&"{FONT_NAME},Regular"&{FOOTER_PT}{FOOTER}', {"margin": 8 * MM})


def write_report_book(report, path: Path, lang: str = "vi") -> Path:
    """Write the report (a ConsolidationReport) to `path`, atomically, values only."""
    from xlsxwriter import Workbook

    from ..files.open_save import write_atomically

    def write(name: str) -> None:
        book = Workbook(name, {"in_memory": True, "strings_to_formulas": False,
                               "strings_to_urls": False, "remove_timezone": True,
                               "default_format_properties": {"font_name": FONT_NAME,
                                                             "font_size": FONT_SIZE}})
        formats = _Formats(book)
        for title, header, rows, widths in _sheets(report, lang):
            _sheet(book, formats, title, header, rows, widths)
        book.set_properties({"author": "cchc-xl", "title": "Báo cáo tổng hợp phiếu"})
        book.close()

    path = Path(path)
    write_atomically(path, write)
    return path


def _sheets(report, lang: str):
    """(title, header, rows, column widths) of each sheet, in order."""
    yield ("Điểm", ["STT", "Lĩnh vực", "Điểm chuẩn", "Điểm thẩm định", "Điểm bị mất",
                    "Điểm dự kiến đạt", "Chỉ số (%)", "Chỉ số dự kiến (%)", "Xếp loại"],
           [[s.code, s.title, s.max_points, s.appraised, s.lost, s.projected, s.index,
             s.projected_index, s.rating] for s in report.scores],
           [8, 48, 11, 11, 11, 12, 11, 12, 14])
    yield ("Tệp", ["Tệp", "Kết quả", "Vai trò", "Cán bộ", "Đợt", "Số thay đổi"],
           [[f.name, OUTCOMES.get(f.outcome, f.outcome), f.role, f.person, f.round,
             f.changes] for f in report.files], [44, 18, 24, 22, 12, 10])
    yield ("Thay đổi", ["STT", "Trường", "Giá trị cũ", "Giá trị mới", "Tệp", "Vai trò",
                        "Cán bộ"],
           [[c.code, _label(c.field), c.old, c.new, c.file, c.role, c.person]
            for c in report.changes],
           [8, 16, 30, 30, 32, 22, 20])
    yield ("Vấn đề", ["Vị trí", "Mức", "Nội dung"], [p.row(lang) for p in report.problems],
           [36, 10, 96])
    yield ("Minh chứng", ["Vị trí", "Mức", "Nội dung"], [p.row(lang) for p in report.evidence],
           [24, 10, 96])
    yield ("Chưa gửi lại", ["Vai trò", "Cán bộ", "Đợt", "Tệp đã gửi"],
           [[n["role"], n["person"], n["round"], n["file"]] for n in report.not_returned],
           [24, 22, 12, 40])
    yield ("Giá trị bị từ chối", ["Vai trò", "Cán bộ", "Đợt", "STT", "Trường",
                                  "Giá trị gửi về", "Tệp", "Từ lúc", "Nội dung"],
           [[r["role"], r["person"], r["round"], r["code"], _label(r["field"]), r["value"],
             r["file"], r["since"], r["message"]] for r in report.open_rejections],
           [18, 16, 8, 8, 12, 14, 18, 20, 48])  # (each sheet ≥ 72 % when fitted to A4)
    statuses = [s.label for s in fields.STATUSES]
    yield ("Theo cán bộ", ["Vai trò", "Cán bộ", "Số dòng chủ trì", *statuses],
           [[o.role, o.person, o.rows, *(o.counts.get(s, 0) for s in statuses)]
            for o in report.officers],
           [24, 22, 10, *(10 for _ in statuses)])


def _label(key: str) -> str:
    from ..layout import field_label

    return field_label(key)

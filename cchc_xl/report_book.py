"""The consolidation report as a workbook beside the master: files, changes, problems, scores."""

from __future__ import annotations

from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

from .cells import put
from .consolidate import OUTCOMES
from .layout import PLAN, Column
from .messages import SEVERITY_LABELS
from .styles import fill, fit_row_height, font, print_setup, use_times_new_roman


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list], widths: list[int]):
    ws = wb.create_sheet(title)
    from openpyxl.utils import get_column_letter

    columns = [Column(f"c{i}", label, width) for i, (label, width)
               in enumerate(zip(header, widths))]
    head = body = None  # each style built once, then copied: a province's report has
    # thousands of cells, and setting a style attribute by attribute costs ≈ 0.1 ms a cell
    for c, (label, width) in enumerate(zip(header, widths), start=1):
        cell = ws.cell(row=1, column=c, value=label)
        if head is None:
            cell.font = font(bold=True)
            cell.fill = fill("FFD9E1F2")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            head = copy(cell._style)
        else:
            cell._style = copy(head)
        ws.column_dimensions[get_column_letter(c)].width = width
    fit_row_height(ws, 1, columns)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            if body is None:
                cell.font = font()
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                body = copy(cell._style)
            else:
                cell._style = copy(body)
            put(cell, value)  # after the style: it may add the quote prefix
        fit_row_height(ws, r, columns)
    ws.freeze_panes = "A2"
    print_setup(ws, "1:1")
    return ws


def write_report_book(report, path: Path, lang: str = "vi") -> Path:
    """Write the report (a ConsolidationReport) to `path`, atomically, values only."""
    from .workbook_io import save

    wb = Workbook()
    use_times_new_roman(wb)
    wb.remove(wb.active)
    _sheet(wb, "Điểm", ["STT", "Lĩnh vực", "Điểm chuẩn", "Điểm thẩm định", "Điểm bị mất",
                        "Điểm dự kiến đạt", "Chỉ số (%)", "Chỉ số dự kiến (%)", "Xếp loại"],
           [[s.code, s.title, s.max_points, s.appraised, s.lost, s.projected, s.index,
             s.projected_index, s.rating] for s in report.scores],
           [8, 48, 11, 11, 11, 12, 11, 12, 14])
    _sheet(wb, "Tệp", ["Tệp", "Kết quả", "Vai trò", "Cán bộ", "Đợt", "Số thay đổi"],
           [[f.name, OUTCOMES.get(f.outcome, f.outcome), f.role, f.person, f.round,
             f.changes] for f in report.files], [44, 18, 24, 22, 12, 10])
    _sheet(wb, "Thay đổi", ["STT", "Trường", "Giá trị cũ", "Giá trị mới", "Tệp", "Vai trò",
                            "Cán bộ"],
           [[c.code, _label(c.field), c.old, c.new, c.file, c.role, c.person]
            for c in report.changes],
           [8, 16, 30, 30, 36, 24, 22])
    _sheet(wb, "Vấn đề", ["Vị trí", "Mã", "Mức", "Nội dung"],
           [[p.where, p.code, SEVERITY_LABELS[p.severity][1 if lang == "en" else 0],
             p.message(lang)] for p in report.problems],
           [40, 24, 10, 100])
    _sheet(wb, "Chưa gửi lại", ["Vai trò", "Cán bộ", "Đợt", "Tệp đã gửi"],
           [[n["role"], n["person"], n["round"], n["file"]] for n in report.not_returned],
           [24, 22, 12, 40])
    _sheet(wb, "Theo cán bộ", ["Vai trò", "Cán bộ", "Số dòng chủ trì", "Chưa thực hiện",
                               "Đang thực hiện", "Hoàn thành", "Quá hạn"],
           [[o.role, o.person, o.rows, *o.counts.values()] for o in report.officers],
           [24, 22, 10, 10, 10, 10, 10])
    save(wb, path, backup=False)
    return path


def _label(key: str) -> str:
    try:
        return PLAN.column(key).label
    except KeyError:
        return key

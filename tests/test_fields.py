"""A reported field and a status, each declared once (cchc_xl/fields.py), flow everywhere: a
field added here is issued, typed, read back, merged, recorded and reported; a status changed
here colours the legend and the plan."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pytest
from cycle import FILES, O, edit_return, load, log_rows, make_cycle, officer_rows, plan_values

from cchc_xl import fields, layout
from cchc_xl.cycle.consolidate import consolidate
from cchc_xl.master.status_colours import write_legend

NEXT = fields.Field("next_step", "Việc tuần tới", "Next week", "text", "by_member", 20, 21)
TP, VH, VP = "Tư pháp – Hộ tịch", "Văn hóa – Xã hội", "Văn phòng – Thống kê"
RUN = dt.datetime(2021, 4, 20, 9, 0)


@pytest.fixture
def with_next_step(monkeypatch):
    """The declaration extended by one text field, after the five reported ones."""
    monkeypatch.setattr(fields, "FIELDS", (*fields.FIELDS, NEXT))
    return NEXT


def test_a_field_declared_once_flows_from_fill_to_the_report(with_next_step, tmp_path):
    master, outbox, inbox = make_cycle(tmp_path)
    # fill: the officer workbook has its column, after the reported ones, yellow and unlocked
    issued = load(outbox / FILES["VH"])[O.name]
    header = [c.value for c in issued[O.header_row]]
    assert header[header.index("Khó khăn, kiến nghị"):] == [
        "Khó khăn, kiến nghị", "Việc tuần tới", "Các cán bộ khác đã báo cáo (chỉ xem)"]
    column = O.index("next_step")
    assert column == 13
    r = officer_rows(issued)["1.6"]
    cell = issued.cell(row=r, column=column)
    assert (cell.value, cell.fill.fgColor.rgb, cell.protection.locked) == (
        None, layout.INPUT_FILL, False)
    assert issued.column_dimensions["M"].width == pytest.approx(21, abs=0.8)
    # the plan sheet and the officers' reports sheet have it too
    plan = load(master)[layout.PLAN.name]
    assert plan.cell(row=layout.PLAN.header_row,
                     column=layout.PLAN.index("next_step")).value == "Việc tuần tới"
    # officers type it (the lead of 1.6, its supporter, and two members of the group on 1.7)
    edit_return(outbox / FILES["VH"], inbox / "vh.xlsx",
                {"1.6": {"next_step": "Đăng tin tháng 5", "status": layout.STATUS_DONE}})
    edit_return(outbox / FILES["VP"], inbox / "vp.xlsx", {"1.7": {"next_step": "Viết dàn ý"}})
    edit_return(outbox / FILES["TP"], inbox / "tp.xlsx",
                {"1.6": {"next_step": "Gửi ảnh"}, "1.7": {"next_step": "Góp ý"}})
    report = consolidate(master, inbox, now=RUN, as_of=dt.date(2021, 4, 30))
    # merged into the plan: the lead's value, a group's by member, the supporter's note
    values = plan_values(master, "next_step")
    assert (values["1.6"], values["1.7"]) == (
        "Đăng tin tháng 5", f"[{VP}] Viết dàn ý\n[{TP}] Góp ý")
    assert plan_values(master, "support_notes")["1.6"] == (
        f"[{TP}] Trần Văn Bình (ví dụ): Việc tuần tới: Gửi ảnh")
    # each officer's own report in «Báo cáo cán bộ»
    wb = load(master)
    ws = wb[layout.REPORTS.name]
    R = layout.REPORTS
    head = [c.value for c in ws[R.header_row]]
    assert head[head.index("Khó khăn, kiến nghị") + 1] == "Việc tuần tới"
    got = {(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value):
           ws.cell(row=r, column=R.index("next_step")).value
           for r in range(R.first_row, ws.max_row + 1) if ws.cell(row=r, column=1).value}
    assert got == {("1.6", TP): "Gửi ảnh", ("1.6", VH): "Đăng tin tháng 5",
                   ("1.7", TP): "Góp ý", ("1.7", VP): "Viết dàn ý"}
    # the change log and the report show it by its label, the log by its key too
    logged = [(e[0], e[2], e[3], e[6], e[8]) for e in log_rows(master) if e[4] == "Việc tuần tới"]
    assert logged == [
        (layout.LOG_REPORT, TP, "1.6", "Gửi ảnh", "next_step"),
        (layout.LOG_REPORT, TP, "1.7", "Góp ý", "next_step"),
        (layout.LOG_REPORT, VP, "1.7", "Viết dàn ý", "next_step"),
        (layout.LOG_APPLIED, VH, "1.6", "Đăng tin tháng 5", "next_step"),
        (layout.LOG_APPLIED, f"{TP}, {VP}", "1.7", f"[{VP}] Viết dàn ý\n[{TP}] Góp ý",
         "next_step")]
    book = openpyxl.load_workbook(report.report_path)["Thay đổi"]
    shown = [[c.value for c in row][:4] for row in book.iter_rows(min_row=2)
             if row[1].value == "Việc tuần tới"]
    assert shown == [["1.6", "Việc tuần tới", None, "Đăng tin tháng 5"],
                     ["1.7", "Việc tuần tới", None, f"[{VP}] Viết dàn ý\n[{TP}] Góp ý"]]


def test_a_status_declared_once_shows_in_the_legend_and_the_colours(monkeypatch):
    changed = tuple(dataclasses.replace(s, label="Xong", fill="FF00B050", legend="Xong hẳn")
                    if s.key == "done" else s for s in fields.STATUSES)
    monkeypatch.setattr(fields, "STATUSES", changed)
    ws = openpyxl.Workbook().active
    write_legend(ws, 1)
    assert [(ws.cell(row=r, column=2).value, ws.cell(row=r, column=2).fill.fgColor.rgb)
            for r in range(2, 6)] == [
        ("Xong hẳn", "FF00B050"), ("Đang thực hiện", "FFFFEB9C"), ("Chưa thực hiện", "FFE7E6E6"),
        ("Quá hạn: đã qua hạn hoàn thành, chưa hoàn thành (cột Trạng thái ghi «Quá hạn – …» "
         "trước trạng thái cán bộ báo cáo)", "FFFFC7CE")]
    assert layout.STATUS_COLOURS == {"Chưa thực hiện": "FFE7E6E6", "Đang thực hiện": "FFFFEB9C",
                                     "Xong": "FF00B050", "Quá hạn": "FFFFC7CE"}
    assert layout.STATUSES == ("Chưa thực hiện", "Đang thực hiện", "Xong")
    assert layout.LISTS["DS_TrangThai"] == ("Chưa thực hiện", "Đang thực hiện", "Xong")
    assert layout.OFFICER_CHECKS["status"][3] == (
        "Chỉ chọn một trạng thái có trong danh sách: Chưa thực hiện, Đang thực hiện, Xong.")
    from cchc_xl.cycle.officer_input import normalise

    assert normalise("status", "xong") == "Xong"


def test_the_declared_statuses_as_the_workbooks_show_them():
    assert [(s.label, s.fill, s.rank) for s in fields.STATUSES] == [
        ("Chưa thực hiện", "FFE7E6E6", 0), ("Đang thực hiện", "FFFFEB9C", 1),
        ("Hoàn thành", "FFC6EFCE", 2), ("Quá hạn", "FFFFC7CE", 0)]
    assert layout.DASHBOARD_STATES == ("Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Quá hạn")
    assert layout.REPORT_FIELDS == ("status", "progress", "result", "expected", "obstacles")


def test_a_finding_logged_before_the_key_column_is_not_logged_again(tmp_path):
    """The log tells its findings apart by the field's key; in a log written before the key
    had its column, by the key its label is of."""
    master, outbox, inbox = make_cycle(tmp_path)
    edit_return(outbox / FILES["TP"], inbox / "tp.xlsx", {"2.5": {"progress": 150}})
    consolidate(master, inbox, now=RUN, as_of=dt.date(2021, 4, 30))
    wb = openpyxl.load_workbook(master)
    log = wb[layout.CHANGELOG.name]
    key_column = layout.CHANGELOG.index("field_key")
    for r in range(2, log.max_row + 1):  # (as a log before the column was added)
        log.cell(row=r, column=key_column).value = None
    wb.save(master)
    edit_return(outbox / FILES["TP"], inbox / "tp.xlsx",
                {"2.5": {"progress": 150, "result": "Đã rà soát"}})
    consolidate(master, inbox, now=RUN + dt.timedelta(days=1), as_of=dt.date(2021, 4, 30))
    refused = [(e[0], e[3], e[4], e[6], e[8]) for e in log_rows(master)
               if e[0] == layout.LOG_REJECTED]
    assert refused == [(layout.LOG_REJECTED, "2.5", "Tiến độ (%)", 1.5, None)]

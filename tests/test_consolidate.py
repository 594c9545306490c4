"""Consolidation: returns merged three ways into the master, checked, logged, re-scored."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket

import pytest
from click.testing import CliRunner
from cycle import FILES, O, edit_return, load, log_rows, make_cycle, officer_rows, plan_values
from python_calamine import CalamineWorkbook

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.consolidate import InboxUnusable, consolidate
from cchc_xl.files.open_save import MasterLocked, excel_lock_file

NOW = dt.datetime(2021, 6, 20, 9, 30)
AS_OF = dt.date(2021, 6, 30)
TP, VH, VP = "Tư pháp – Hộ tịch", "Văn hóa – Xã hội", "Văn phòng – Thống kê"
DONE, DOING, TODO = layout.STATUSES[2], layout.STATUSES[1], layout.STATUSES[0]


def run(master, inbox, **kw):
    return consolidate(master, inbox, now=kw.pop("now", NOW), as_of=kw.pop("as_of", AS_OF),
                       **kw)


def changes(report) -> list[tuple]:
    return [(c.code, c.field, c.old, c.new) for c in report.changes]


def codes(report) -> list[list[str]]:
    return [[p.where, p.code] for p in report.problems]


@pytest.fixture
def cycle(tmp_path):
    return make_cycle(tmp_path)


def test_lead_report_applied_exactly(cycle):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "tu phap.xlsx", {
        "2.5": {"status": DONE, "progress": 100, "result": "Đã triển khai 12 văn bản",
                "expected": 1},
        "3.2.3": {"status": DOING, "progress": "60%"},
    })
    report = run(master, inbox)
    assert changes(report) == [
        ("2.5", "status", TODO, DONE), ("2.5", "progress", None, 100.0),
        ("2.5", "result", None, "Đã triển khai 12 văn bản"), ("2.5", "expected", None, 1.0),
        ("3.2.3", "status", TODO, DOING), ("3.2.3", "progress", None, 60.0),
    ]
    assert codes(report) == []
    assert plan_values(master, "status")["2.5"] == DONE
    assert plan_values(master, "updated_by")["2.5"] == "Trần Văn Bình (ví dụ)"
    assert plan_values(master, "updated_at")["2.5"] == NOW
    # Re-scored: 2.5 done with 1 expected point -> projected 1, area 2 recovers 0.5.
    grid = CalamineWorkbook.from_path(str(master)).get_sheet_by_name(
        layout.PLAN.name).to_python(skip_empty_area=False)
    projected = layout.PLAN.index("projected") - 1
    assert grid[9][projected] == 1  # row 10: 2.5
    assert grid[8][projected] == pytest.approx(5.5)  # row 9: area 2
    assert [s.projected_index for s in report.scores if s.code == "2"] == [100.0]
    assert [(f.name, f.outcome, f.changes) for f in report.files] == [
        ("tu phap.xlsx", "applied", 6)]
    assert [r[:7] for r in log_rows(master)[-6:]] == [
        ["Cập nhật", "tu phap.xlsx", TP, "2.5", "Trạng thái", TODO, DONE],
        ["Cập nhật", "tu phap.xlsx", TP, "2.5", "Tiến độ (%)", None, 100],
        ["Cập nhật", "tu phap.xlsx", TP, "2.5", "Kết quả / minh chứng", None,
         "Đã triển khai 12 văn bản"],
        ["Cập nhật", "tu phap.xlsx", TP, "2.5", "Điểm dự kiến", None, 1],
        ["Cập nhật", "tu phap.xlsx", TP, "3.2.3", "Trạng thái", TODO, DOING],
        ["Cập nhật", "tu phap.xlsx", TP, "3.2.3", "Tiến độ (%)", None, 60],
    ]
    assert report.backup and os.path.exists(report.backup)


@pytest.mark.parametrize("raw, stored", [
    ({"status": "hoan thanh"}, {"status": DONE}),
    ({"status": "ĐANG THỰC HIỆN "}, {"status": DOING}),
    ({"progress": "80%"}, {"progress": 80.0}),
    ({"progress": 0.8}, {"progress": 80.0}),
    ({"progress": "80,5"}, {"progress": 80.5}),
    ({"expected": "0,75"}, {"expected": 0.75}),
    ({"expected": "0.75 điểm"}, {"expected": 0.75}),
])
def test_values_normalised(cycle, raw, stored):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {"2.5": raw})
    report = run(master, inbox)
    assert codes(report) == []
    for key, value in stored.items():
        assert plan_values(master, key)["2.5"] == value


@pytest.mark.parametrize("raw, problem, cell", [
    ({"status": "xong rồi"}, "status-invalid", "H14"),
    ({"progress": 150}, "progress-percent-out-of-range", "I14"),  # 150% typed
    ({"progress": 30}, "progress-percent-out-of-range", "I14"),  # 30 pasted: 3,000%
    ({"progress": "gần xong"}, "progress-invalid", "I14"),
    ({"expected": 1.5}, "expected-out-of-range", "K14"),  # 2.5's maximum is 1
    ({"expected": "một điểm"}, "expected-invalid", "K14"),
])
def test_bad_values_rejected_with_file_sheet_and_cell(cycle, raw, problem, cell):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {"2.5": {**raw, "result": "ok"}},
                raw=raw.get("progress") == 30)
    report = run(master, inbox)
    assert codes(report) == [[f"r.xlsx › '{O.name}'!{cell}", problem]]
    assert changes(report) == [("2.5", "result", None, "ok")]  # the rest of the row applies
    assert log_rows(master)[-1][0] == "Từ chối"
    assert report.exit_code() == 1


def test_officer_text_never_becomes_a_formula(cycle):
    master, outbox, inbox = cycle
    texts = {"2.5": {"result": "=HYPERLINK(\"http://x\",\"y\")", "obstacles": "+84 912"},
             "3.2.3": {"result": "-5 hồ sơ", "obstacles": "@SUM(A1)"}}
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", texts, as_string=True)
    run(master, inbox)
    ws = load(master)[layout.PLAN.name]
    for code, row in (("2.5", 10), ("3.2.3", 14)):
        for key in ("result", "obstacles"):
            cell = ws.cell(row=row, column=layout.PLAN.index(key))
            assert (cell.value, cell.data_type, cell.quotePrefix) == (
                texts[code][key], "s", True)


def test_three_way_merge_conflict_keeps_the_master(cycle):
    master, outbox, inbox = cycle
    wb = load(master)  # the office changes 2.5's status and result after issuing
    ws = wb[layout.PLAN.name]
    ws.cell(row=10, column=layout.PLAN.index("status"), value=DOING)
    ws.cell(row=10, column=layout.PLAN.index("obstacles"), value="Văn phòng ghi")
    wb.save(master)
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx",
                {"2.5": {"status": DONE, "progress": 90}})
    report = run(master, inbox)
    assert changes(report) == [("2.5", "progress", None, 90.0)]  # only theirs changed it
    assert codes(report) == [[f"r.xlsx › '{O.name}'!H14", "conflict"]]
    conflict = report.problems[0]
    assert (conflict.value, conflict.params["ours"], conflict.params["base"]) == (
        DONE, DOING, TODO)
    assert plan_values(master, "status")["2.5"] == DOING
    assert plan_values(master, "obstacles")["2.5"] == "Văn phòng ghi"  # only ours changed
    assert log_rows(master)[-1][:7] == ["Xung đột", "r.xlsx", TP, "2.5", "Trạng thái", DOING,
                                        DONE]


def test_rows_matched_by_code_not_position(cycle):
    master, outbox, inbox = cycle
    wb = load(outbox / FILES["TP"])
    ws = wb[O.name]
    rows = officer_rows(ws)
    a, b = rows["2.5"], rows["3.2.3"]  # the officer sorts: swap two whole rows
    for c in range(1, len(O.columns) + 1):
        x, y = ws.cell(row=a, column=c), ws.cell(row=b, column=c)
        x.value, y.value = y.value, x.value
    ws.cell(row=rows["2.5"], column=O.index("status"), value=DONE)  # now 3.2.3's row
    ws.insert_rows(ws.max_row + 1)
    ws.cell(row=ws.max_row + 1, column=1, value="9.9")
    ws.cell(row=ws.max_row, column=O.index("status"), value=DONE)
    wb.save(inbox / "r.xlsx")
    report = run(master, inbox)
    assert changes(report) == [("3.2.3", "status", TODO, DONE)]
    assert [p.code for p in report.problems] == ["unknown-code"]
    assert report.problems[0].value == "9.9"


def test_locked_content_tampered_is_not_applied(cycle):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {
        "2.5": {"status": DONE, "action": "Không cần làm gì"},
        "3.2.3": {"status": DOING},
    })
    report = run(master, inbox)
    assert codes(report) == [[f"r.xlsx › '{O.name}'!A14", "row-tampered"]]
    assert changes(report) == [("3.2.3", "status", TODO, DOING)]
    problem = report.problems[0]  # as the report lists it: the file named once, in its place
    assert f"{problem.where}: {problem.message('vi')}" == (
        f"r.xlsx › '{O.name}'!A14: Nội dung khóa của dòng 2.5 (tiêu chí, điểm, giải pháp, hạn) "
        "đã bị sửa: không áp dụng dòng này.")
    assert f"{problem.where}: {problem.message('en')}" == (
        f"r.xlsx › '{O.name}'!A14: The locked content of row 2.5 (criterion, points, action, "
        "deadline) was changed: the row is not applied.")


def test_supporter_report_becomes_a_note(cycle):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {
        "1.6": {"status": DOING, "result": "Đã đăng 3 tin"}})  # Tư pháp supports 1.6
    report = run(master, inbox)
    note = "[Tư pháp – Hộ tịch] Trần Văn Bình (ví dụ): Trạng thái: Đang thực hiện; " \
           "Kết quả / minh chứng: Đã đăng 3 tin"
    assert changes(report) == [("1.6", "support_notes", None, note)]
    assert plan_values(master, "status")["1.6"] == TODO  # the lead's status is untouched


def test_group_led_row_aggregates_members(cycle):
    master, outbox, inbox = cycle  # 1.7 is led by every specialist (6 roles)
    edit_return(outbox / FILES["TP"], inbox / "tp.xlsx",
                {"1.7": {"status": DONE, "progress": 100, "expected": 1.5}})
    edit_return(outbox / FILES["VH"], inbox / "vh.xlsx",
                {"1.7": {"status": DOING, "progress": 50, "expected": 1.2}})
    report = run(master, inbox)
    assert changes(report) == [("1.7", "progress", None, 25.0),  # (100 + 50 + 4 × 0) / 6
                               ("1.7", "expected", None, 1.2)]
    assert plan_values(master, "status")["1.7"] == TODO  # four members have not reported
    # each member's own report is logged, and kept in «Báo cáo cán bộ»
    members = [r[2:7] for r in log_rows(master) if r[0] == layout.LOG_REPORT]
    assert sorted(members) == sorted([
        [TP, "1.7", "Trạng thái", None, DONE], [TP, "1.7", "Tiến độ (%)", None, 100],
        [TP, "1.7", "Điểm dự kiến", None, 1.5], [VH, "1.7", "Trạng thái", None, DOING],
        [VH, "1.7", "Tiến độ (%)", None, 50], [VH, "1.7", "Điểm dự kiến", None, 1.2]])
    ws = load(master)[layout.REPORTS.name]
    assert [[c.value for c in row][:9] for row in ws.iter_rows(min_row=2)] == [
        ["1.7", TP, "Trần Văn Bình (ví dụ)", layout.LEAD, DONE, 100, None, 1.5, None],
        ["1.7", VH, "Hoàng Văn Em (ví dụ)", layout.LEAD, DOING, 50, None, 1.2, None]]


def test_each_file_is_credited_with_the_changes_it_brought(cycle):
    """A group's changes come from several files at once, shown as one joined name in the
    log; each file's count is its own, even when its name holds the ', ' that joins them."""
    master, outbox, inbox = cycle  # 1.7 is led by every specialist (6 roles)
    edit_return(outbox / FILES["TP"], inbox / "tư pháp, hộ tịch.xlsx",
                {"1.7": {"status": DONE, "progress": 100, "expected": 1.5}})
    edit_return(outbox / FILES["VH"], inbox / "văn hóa, xã hội.xlsx",
                {"1.7": {"status": DOING, "progress": 50, "expected": 1.2},
                 "7.1.6": {"status": DONE}})
    report = run(master, inbox)
    assert [(c.code, c.field, c.file) for c in report.changes] == [  # (in plan order)
        ("1.7", "progress", "tư pháp, hộ tịch.xlsx, văn hóa, xã hội.xlsx"),
        ("1.7", "expected", "tư pháp, hộ tịch.xlsx, văn hóa, xã hội.xlsx"),
        ("7.1.6", "status", "văn hóa, xã hội.xlsx")]
    # the fields of each officer's own report it changed: three on 1.7, and 7.1.6's status
    assert sorted((f.name, f.outcome, f.changes) for f in report.files) == [
        ("tư pháp, hộ tịch.xlsx", "applied", 3), ("văn hóa, xã hội.xlsx", "applied", 4)]


def test_duplicate_returns_the_later_wins(cycle):
    master, outbox, inbox = cycle
    first = edit_return(outbox / FILES["TP"], inbox / "a" / "phieu.xlsx",
                        {"2.5": {"status": DOING}})
    later = edit_return(outbox / FILES["TP"], inbox / "b" / "phieu (2).xlsx",
                        {"2.5": {"status": DONE}})
    wb = load(first)  # the first copy was saved earlier by the officer
    wb.properties.modified = dt.datetime(2021, 5, 1)
    os.utime(first, (0, 0))
    report = run(master, inbox)
    assert changes(report) == [("2.5", "status", TODO, DONE)]
    assert codes(report) == [[os.path.join("a", "phieu.xlsx"), "duplicate-superseded"]]
    assert later.exists()


def test_return_from_an_older_round_is_stale(cycle, tmp_path):
    from cchc_xl.cycle.fill import fill

    master, outbox, inbox = cycle
    old = edit_return(outbox / FILES["TP"], inbox / "dot1.xlsx",
                      {"2.5": {"status": DONE}, "3.2.3": {"status": DOING}})
    wb = load(master)
    wb[layout.PLAN.name].cell(row=14, column=layout.PLAN.index("status"), value=DONE)
    wb.save(master)
    fill(master, tmp_path / "dot2", round_name="Đợt 2", now=dt.datetime(2021, 5, 1))
    report = run(master, inbox)
    assert changes(report) == [("2.5", "status", TODO, DONE)]
    assert [p.code for p in report.problems] == ["stale-return", "stale-field-skipped"]
    assert [(f.name, f.outcome) for f in report.files] == [(old.name, "stale")]


def test_files_that_are_not_returns_are_reported(cycle, tmp_path):
    master, outbox, inbox = cycle
    (inbox / "ghi chu.txt").write_text("xin chào", encoding="utf-8")
    (inbox / "~$phieu.xlsx").write_bytes(b"lock")
    (inbox / "rong.xlsx").write_bytes(b"")
    (inbox / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    shutil.copy(master, inbox / "ban sao so.xlsx")  # a workbook without a stamp
    other, other_out, _ = make_cycle(tmp_path / "xa-khac")
    shutil.copy(other_out / FILES["TP"], inbox / "xa khac.xlsx")
    report = run(master, inbox)
    assert sorted(codes(report)) == sorted([
        ["ban sao so.xlsx", "not-a-return"], ["cu.xls", "file-old-xls"],
        ["ghi chu.txt", "file-not-workbook"], ["rong.xlsx", "file-empty"],
        ["xa khac.xlsx", "other-master"], ["~$phieu.xlsx", "file-temporary"]])
    assert report.changes == []
    # Run again: each refused file is refused again (it is still there to deal with), never
    # passed over as consolidated before, and the master is not written for it.
    after_first = master.read_bytes()
    again = run(master, inbox, now=NOW + dt.timedelta(hours=1))
    assert sorted(codes(again)) == sorted(codes(report))
    assert not [f for f in again.files if f.outcome == "already"]
    assert master.read_bytes() == after_first
    result = CliRunner().invoke(cli, ["consolidate", str(master), str(inbox), "--dry-run"])
    listed = result.output.split("Từ chối và cảnh báo: 5\n", 1)[1].splitlines()[:5]
    assert listed == [  # (each file named once: these messages name it themselves)
        "  Tệp cu.xls là định dạng Excel cũ (.xls). Mở bằng Excel, chọn Save As > Excel "
        "Workbook (.xlsx) rồi gửi lại.",
        "  Tệp ghi chu.txt không phải phiếu Excel (.xlsx) nên không đọc.",
        "  Tệp ban sao so.xlsx không phải phiếu do cchc-xl tạo (không có phần nhận dạng ẩn). "
        "Nếu là phiếu đã chép sang tệp mới, đề nghị cán bộ nhập lại vào đúng tệp phiếu đã được "
        "gửi.",
        "  Tệp rong.xlsx rỗng (0 byte). Đề nghị cán bộ gửi lại tệp.",
        "  Tệp xa khac.xlsx là phiếu của sổ khác (ke_hoach_cchc_2021.xlsx, xã Sơn Giang), "
        "không phải sổ này.",
    ]


def test_dry_run_writes_nothing(cycle):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {"2.5": {"status": DONE}})
    before = master.read_bytes()
    report = run(master, inbox, dry_run=True)
    assert changes(report) == [("2.5", "status", TODO, DONE)]
    assert master.read_bytes() == before
    assert report.backup is None and report.report_path is None
    assert sorted(p.name for p in master.parent.iterdir()) == sorted(
        ["ke_hoach_cchc_2021.xlsx", "son_giang_2021.txt", "sao-luu"])


def test_running_twice_changes_and_logs_nothing_new(cycle):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx",
                {"2.5": {"status": DONE, "progress": "sai"}})
    (inbox / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    run(master, inbox)
    after_first = master.read_bytes()
    log_length = len(log_rows(master))
    second = run(master, inbox, now=NOW + dt.timedelta(hours=1))
    assert second.changes == []
    assert master.read_bytes() == after_first
    assert len(log_rows(master)) == log_length


def test_refuses_while_open_in_excel_or_libreoffice_or_held(cycle, monkeypatch):
    import json

    from cchc_xl.files.open_save import libreoffice_lock_file
    from cchc_xl.master.unit import MasterLock, lock_file

    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {"2.5": {"status": DONE}})
    before = master.read_bytes()
    for lock in (excel_lock_file(master), libreoffice_lock_file(master)):
        lock.write_bytes(b"x")
        with pytest.raises(MasterLocked) as refused:
            run(master, inbox)
        assert str(refused.value) == str(lock)
        lock.unlink()
    monkeypatch.setenv("CCHC_LOCK_WAIT", "0.2")
    with MasterLock(master):  # another run holds it: the second waits, then is refused
        with pytest.raises(MasterLocked) as refused:
            run(master, inbox)
        assert f"@{socket.gethostname()}, tiến trình {os.getpid()}, từ " in str(refused.value)
    other = {"host": "may-van-phong-2", "user": "vanphong", "pid": 4242,
             "started": "2021-06-20T09:00:00"}
    lock_file(master).write_text(json.dumps(other), encoding="utf-8")  # another PC's run
    with pytest.raises(MasterLocked) as refused:
        run(master, inbox)
    assert str(refused.value) == (f"{lock_file(master)} (vanphong@may-van-phong-2, tiến "
                                  "trình 4242, từ 2021-06-20T09:00:00)")
    assert master.read_bytes() == before  # nothing written by any refused run
    dead = {**other, "host": socket.gethostname(), "pid": 999999999}
    lock_file(master).write_text(json.dumps(dead), encoding="utf-8")  # a dead run's: taken
    assert changes(run(master, inbox)) == [("2.5", "status", TODO, DONE)]
    assert not lock_file(master).exists()


def test_status_colours_and_overdue(cycle):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx",
                {"2.5": {"status": DONE}, "3.2.3": {"status": DOING}})
    run(master, inbox, as_of=dt.date(2022, 1, 15))  # deadlines were 31/12/2021
    ws = load(master)[layout.PLAN.name]
    fills = {code: ws.cell(row=row, column=1).fill.fgColor.rgb
             for code, row in (("2.5", 10), ("3.2.3", 14), ("1.2", 6), ("3", 11))}
    assert fills == {"2.5": layout.STATUS_COLOURS[DONE],
                     "3.2.3": layout.STATUS_COLOURS[layout.STATUS_OVERDUE],
                     "1.2": layout.STATUS_COLOURS[layout.STATUS_OVERDUE],
                     "3": layout.AREA_FILL}
    legend = [ws.cell(row=r, column=2).value for r in range(27, 32)]
    assert legend[0] == layout.LEGEND_LABEL
    assert [ws.cell(row=r, column=2).fill.fgColor.rgb for r in range(28, 32)] == [
        layout.STATUS_COLOURS[s] for s in (DONE, DOING, TODO, layout.STATUS_OVERDUE)]


def test_eml_attachment_is_read(cycle):
    from email.message import EmailMessage

    master, outbox, inbox = cycle
    data = edit_return(outbox / FILES["TP"], outbox / "x.xlsx",
                       {"2.5": {"status": DONE}}).read_bytes()
    msg = EmailMessage()
    msg["Subject"] = "Gửi lại phiếu"
    msg.set_content("Kính gửi Văn phòng")
    msg.add_attachment(data, maintype="application", subtype="octet-stream",
                       filename="phiếu tư pháp.xlsx")
    (inbox / "thu.eml").write_bytes(bytes(msg))
    report = run(master, inbox)
    assert changes(report) == [("2.5", "status", TODO, DONE)]
    assert [f.name for f in report.files] == ["thu.eml › phiếu tư pháp.xlsx"]


def test_zip_attached_to_an_eml_is_read(cycle):
    import io
    import zipfile
    from email.message import EmailMessage

    master, outbox, inbox = cycle
    data = edit_return(outbox / FILES["TP"], outbox / "x.xlsx",
                       {"2.5": {"status": DONE}}).read_bytes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("phiếu tư pháp.xlsx", data)
    msg = EmailMessage()
    msg["Subject"] = "Gửi lại phiếu (tệp nén)"
    msg.set_content("Kính gửi Văn phòng")
    msg.add_attachment(archive.getvalue(), maintype="application", subtype="zip",
                       filename="phieu.zip")
    msg.add_attachment(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", maintype="application",
                       subtype="vnd.ms-excel", filename="phiếu cũ.xls")
    msg.add_attachment(b"\x89PNG", maintype="image", subtype="png", filename="logo.png")
    (inbox / "thu.eml").write_bytes(bytes(msg))
    report = run(master, inbox)
    assert changes(report) == [("2.5", "status", TODO, DONE)]
    assert [f.name for f in report.files if f.outcome == "applied"] == [
        "thu.eml › phieu.zip › phiếu tư pháp.xlsx"]
    assert codes(report) == [["thu.eml › phiếu cũ.xls", "file-old-xls"]]  # (the logo: no)


def test_not_returned_officers_listed(cycle):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {"2.5": {"status": DONE}})
    report = run(master, inbox)
    assert [n["role"] for n in report.not_returned] == sorted(
        ["Chỉ huy trưởng Quân sự", "Tài chính – Kế toán", VH, VP, "Địa chính – Xây dựng"])


def test_cli_json_is_the_library_report(cycle):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {"2.5": {"status": DONE}})
    result = CliRunner().invoke(cli, ["consolidate", str(master), str(inbox), "--dry-run",
                                      "--as-of", "30/06/2021", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    again = consolidate(master, inbox, dry_run=True, as_of=AS_OF)
    expected = json.loads(json.dumps(again.to_dict("vi"), ensure_ascii=False))
    assert data == expected
    assert [c["new"] for c in data["changes"]] == [DONE]


def test_libreoffice_agrees_after_consolidation(cycle, tmp_path, soffice):
    from cchc_xl.files.recalc import compare_with_libreoffice
    from cchc_xl.problems import Report

    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx",
                {"2.5": {"status": DONE, "expected": 1}, "3.2.3": {"status": DONE,
                                                                   "expected": 0.5}})
    run(master, inbox)
    report = Report(str(master))
    compared = compare_with_libreoffice(master, report)
    assert report.problems == []
    assert compared > 80


def test_the_report_workbook_holds_the_report_as_printed_pages(cycle):
    """The report beside the master: one sheet per part, values exactly the report's, text
    that looks like a formula kept as text, rows as tall as their wrapped text, the header
    row styled, frozen and printed on every A4 landscape page in Times New Roman."""
    from pathlib import Path

    master, outbox, inbox = cycle
    long_text = "Đã ban hành kế hoạch\n" + " ".join(["rà soát thủ tục hành chính"] * 6)
    edit_return(outbox / FILES["TP"], inbox / "tu phap.xlsx", {
        "2.5": {"status": DONE, "result": "=1+1"}, "3.2.3": {"result": long_text}},
        as_string=True)
    report = run(master, inbox)
    book = load(Path(report.report_path))
    assert book.sheetnames == ["Điểm", "Tệp", "Thay đổi", "Vấn đề", "Minh chứng",
                               "Chưa gửi lại", "Giá trị bị từ chối", "Theo cán bộ"]
    changes_sheet = book["Thay đổi"]
    rows = [[c.value for c in row] for row in changes_sheet.iter_rows()]
    assert rows == [["STT", "Trường", "Giá trị cũ", "Giá trị mới", "Tệp", "Vai trò", "Cán bộ"],
                    *([c.code, layout.PLAN.column(c.field).label, c.old, c.new, c.file, c.role,
                       c.person] for c in report.changes)]
    assert [r[3] for r in rows[1:]] == [DONE, "=1+1", long_text]
    formula_like = changes_sheet.cell(row=3, column=4)
    assert (formula_like.data_type, formula_like.quotePrefix) == ("s", True)
    assert changes_sheet.cell(row=2, column=4).quotePrefix is False
    # the long text wraps in a column 30 wide: 1 + ceil(161 / 30) = 7 lines of 15 points
    assert changes_sheet.row_dimensions[4].height == 105
    assert changes_sheet.row_dimensions[2].height in (None, 15)  # the default height
    files = [[c.value for c in row] for row in book["Tệp"].iter_rows()]
    assert files[1] == ["tu phap.xlsx", "Đã áp dụng", TP, "Trần Văn Bình (ví dụ)", "Đợt 1", 3]
    for ws in book.worksheets:
        head, body = ws["A1"], ws["A2"]
        assert (head.font.name, head.font.b, head.fill.fgColor.rgb, head.alignment.horizontal,
                head.alignment.wrap_text) == ("Times New Roman", True, "FFD9E1F2", "center",
                                              True), ws.title
        if body.value is not None:
            assert (body.font.name, body.font.b, body.alignment.vertical,
                    body.alignment.wrap_text) == ("Times New Roman", False, "top", True)
        assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
        assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "landscape")
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
        assert round(ws.page_margins.left * 25.4) == 30 and ws.oddHeader.center.text == "&P"
        assert ws.oddHeader.center.font.startswith("Times New Roman")
    assert book["Thay đổi"].column_dimensions["C"].width >= 30
    # text a step in from the left (the rating does not run into the percentages on paper);
    # numbers as they are
    scores = book["Điểm"]
    rating, index = scores.cell(row=2, column=9), scores.cell(row=2, column=8)
    assert isinstance(rating.value, str) and isinstance(index.value, (int, float))
    assert (rating.alignment.horizontal, rating.alignment.indent) == ("left", 1)
    assert (index.alignment.horizontal, index.alignment.indent) == (None, 0)
    assert (formula_like.alignment.indent, formula_like.quotePrefix) == (1, True)


def test_an_inbox_holding_the_master_is_refused(cycle):
    """Returns kept beside the master (inbox = its folder, or a folder above it) are refused
    whole: the workbooks issued there would be read as returns, and the officer who never
    answered would count as having sent back an unchanged workbook."""
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], master.parent / "r.xlsx", {"2.5": {"status": DONE}})
    before = master.read_bytes()
    for folder in (master.parent, master.parent.parent):
        for dry_run in (True, False):
            with pytest.raises(InboxUnusable) as refused:
                run(master, folder, dry_run=dry_run)
            problems = refused.value.problems
            assert [[p.where, p.code, p.severity] for p in problems] == [
                [str(folder), "inbox-holds-master", "error"]]
    assert master.read_bytes() == before
    assert problems[0].line("en") == (
        f"The inbox {folder} holds the master {master.name} itself (with the workbooks issued, "
        "the reports and the backups beside it): no return was read. Keep the returns the "
        "officers send back in a folder of their own, e.g. 'phieu-nhan' beside the master, and "
        "run again.")
    shutil.copy(master.parent / "r.xlsx", inbox / "r.xlsx")
    assert changes(run(master, inbox)) == [("2.5", "status", TODO, DONE)]  # (its own inbox)

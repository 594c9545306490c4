"""Rounds after the first: each officer's own report is the record, nothing nobody typed is
applied, nothing anybody typed is erased (the findings of a simulated year, one by one)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from cycle import (
    FILES,
    ISSUED,
    O,
    edit_return,
    load,
    log_rows,
    make_cycle,
    officer_rows,
    plan_values,
)

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.consolidate import InboxUnusable, consolidate
from cchc_xl.cycle.fill import fill
from cchc_xl.cycle.stamp import read_stamp
from cchc_xl.master.officer_reports import read_reports
from cchc_xl.master.pending import read_pending

TP, VH, VP, TC = ("Tư pháp – Hộ tịch", "Văn hóa – Xã hội", "Văn phòng – Thống kê",
                  "Tài chính – Kế toán")
DONE, DOING, TODO = layout.STATUS_DONE, layout.STATUS_IN_PROGRESS, layout.STATUS_NOT_STARTED
ROUND_2 = dt.datetime(2021, 5, 3, 8, 0)
R1_RUN, R2_RUN, R3_RUN = (dt.datetime(2021, 4, 20, 9, 0), dt.datetime(2021, 5, 20, 9, 0),
                          dt.datetime(2021, 6, 20, 9, 0))
AS_OF = dt.date(2021, 6, 30)


def run(master, inbox, now):
    return consolidate(master, inbox, now=now, as_of=AS_OF)


def changes(report) -> list[tuple]:
    return [(c.code, c.field, c.old, c.new) for c in report.changes]


def codes(report) -> list[list[str]]:
    return [[p.where, p.code] for p in report.problems]


def cells(path: Path, code: str, keys=(*layout.REPORT_FIELDS, "others")) -> list:
    ws = load(path)[O.name]
    r = officer_rows(ws)[code]
    return [ws.cell(row=r, column=O.index(k)).value for k in keys]


@pytest.fixture
def year(tmp_path):
    master, outbox, inbox = make_cycle(tmp_path)
    return master, outbox, inbox, tmp_path


def second_round(master: Path, tmp_path: Path) -> Path:
    out = tmp_path / "dot2"
    fill(master, out, round_name="Đợt 2", now=ROUND_2)
    return out


def dot2(role_file: str) -> str:
    return role_file.replace("dot-1_", "dot-2_")


def test_a_group_row_never_feeds_on_itself(year):
    """Round 2 of a member of a group-led row holds the member's own report (nothing), the
    others' reports beside it; a member who changes only the status changes only that."""
    master, outbox, inbox, tmp_path = year  # 1.7 is led by all six specialists
    edit_return(outbox / FILES["VP"], inbox / "vp.xlsx",
                {"1.7": {"status": DONE, "progress": 100, "result": "VP đã viết sáng kiến"}})
    edit_return(outbox / FILES["TC"], inbox / "tc.xlsx",
                {"1.7": {"progress": 40, "result": "TC đang viết"}})
    first = run(master, inbox, R1_RUN)
    assert changes(first) == [
        ("1.7", "progress", None, 23.33),
        ("1.7", "result", None, f"[{VP}] VP đã viết sáng kiến\n[{TC}] TC đang viết")]
    out = second_round(master, tmp_path)
    tp = out / dot2(FILES["TP"])
    assert cells(tp, "1.7") == [None, None, None, None, None,
                                f"[{VP}] Trạng thái: Hoàn thành; Tiến độ (%): 100%; Kết quả / "
                                f"minh chứng: VP đã viết sáng kiến\n[{TC}] Tiến độ (%): 40%; "
                                "Kết quả / minh chứng: TC đang viết"]
    assert read_stamp(load(tp)).row("1.7").base == dict.fromkeys(layout.REPORT_FIELDS)
    inbox2 = tmp_path / "nhan2"
    edit_return(tp, inbox2 / "tp.xlsx", {"1.7": {"status": DOING}})
    second = run(master, inbox2, R2_RUN)
    assert changes(second) == []  # two of six still not started: the least advanced stays
    assert plan_values(master, "progress")["1.7"] == 23.33  # not 27.22
    assert plan_values(master, "result")["1.7"] == (
        f"[{VP}] VP đã viết sáng kiến\n[{TC}] TC đang viết")  # not nested a level deeper
    reports = read_reports(load(master))
    assert reports[("1.7", TP)].values == {"status": DOING}
    assert [r[:7] for r in log_rows(master)[-1:]] == [
        [layout.LOG_REPORT, "tp.xlsx", TP, "1.7", "Trạng thái", None, DOING]]


def test_a_supporters_cells_hold_their_own_report(year):
    master, outbox, inbox, tmp_path = year  # 1.6: Văn hóa – Xã hội leads, Tư pháp supports
    edit_return(outbox / FILES["VH"], inbox / "vh.xlsx",
                {"1.6": {"status": DONE, "progress": 100}})
    edit_return(outbox / FILES["TP"], inbox / "tp.xlsx", {"1.6": {"result": "Đã đăng 3 tin"}})
    run(master, inbox, R1_RUN)
    note = "[Tư pháp – Hộ tịch] Trần Văn Bình (ví dụ): Kết quả / minh chứng: Đã đăng 3 tin"
    assert plan_values(master, "support_notes")["1.6"] == note
    out = second_round(master, tmp_path)
    tp = out / dot2(FILES["TP"])
    assert cells(tp, "1.6") == [None, None, "Đã đăng 3 tin", None, None,
                                f"[{VH}] Trạng thái: Hoàn thành; Tiến độ (%): 100%"]
    inbox2 = tmp_path / "nhan2"
    edit_return(tp, inbox2 / "tp.xlsx", {"1.6": {"obstacles": "Thiếu ảnh"}})
    second = run(master, inbox2, R2_RUN)
    assert changes(second) == [("1.6", "support_notes", note, note + "; Khó khăn, kiến nghị: "
                                                              "Thiếu ảnh")]
    assert plan_values(master, "status")["1.6"] == DONE  # the lead's, untouched


def test_a_value_cleared_is_cleared_and_a_cell_left_alone_is_not(year):
    master, outbox, inbox, tmp_path = year
    edit_return(outbox / FILES["TP"], inbox / "tp.xlsx",
                {"2.5": {"status": DOING, "progress": 30, "result": "Đang rà soát"}})
    run(master, inbox, R1_RUN)
    out = second_round(master, tmp_path)
    inbox2 = tmp_path / "nhan2"
    edit_return(out / dot2(FILES["TP"]), inbox2 / "tp.xlsx", {"2.5": {"result": None}})
    second = run(master, inbox2, R2_RUN)
    assert changes(second) == [("2.5", "result", "Đang rà soát", None)]
    assert read_reports(load(master))[("2.5", TP)].values == {
        "status": DOING, "progress": 30, "result": None}
    ws = load(master)[layout.REPORTS.name]
    assert [c.value for c in ws[2]][:9] == ["2.5", TP, "Trần Văn Bình (ví dụ)", layout.LEAD,
                                            DOING, 30, layout.CLEARED, None, None]


@pytest.mark.parametrize("deleted", ["status", "result"])
def test_a_deleted_input_column_refuses_the_file_and_erases_nothing(year, deleted):
    master, outbox, inbox, tmp_path = year
    edit_return(outbox / FILES["VP"], inbox / "vp.xlsx",
                {"1.2": {"status": DOING, "result": "Đã giao việc"}})
    run(master, inbox, R1_RUN)
    out = second_round(master, tmp_path)
    wb = load(out / dot2(FILES["VP"]))
    ws = wb[O.name]
    ws.protection.sheet = False  # (no password: anyone can)
    ws.cell(row=officer_rows(ws)["1.2"], column=O.index("progress"), value=0.5)
    ws.delete_cols(O.index(deleted))
    inbox2 = tmp_path / "nhan2"
    inbox2.mkdir()
    wb.save(inbox2 / "vp.xlsx")
    before = {k: plan_values(master, k) for k in (*layout.REPORT_FIELDS, "support_notes")}
    report = run(master, inbox2, R2_RUN)
    assert codes(report) == [[f"vp.xlsx › '{O.name}'!A10", "officer-input-column-missing"]]
    assert report.problems[0].params["label"] == O.column(deleted).label
    assert report.changes == []
    assert {k: plan_values(master, k) for k in before} == before
    assert [(n["role"], n["round"]) for n in report.not_returned] == [
        (role, "Đợt 2") for role in sorted(FILES_ROLES)]  # a refused file is no reply


FILES_ROLES = [TP, VH, VP, TC, "Địa chính – Xây dựng", "Chỉ huy trưởng Quân sự"]


def test_an_older_round_resent_late_does_not_undo_the_later_report(year):
    master, outbox, inbox, tmp_path = year
    first = edit_return(outbox / FILES["TP"], inbox / "tp.xlsx",
                        {"2.5": {"status": DOING, "progress": 30}})
    run(master, inbox, R1_RUN)
    out = second_round(master, tmp_path)
    inbox2 = tmp_path / "nhan2"
    edit_return(out / dot2(FILES["TP"]), inbox2 / "tp2.xlsx",
                {"2.5": {"status": DONE, "progress": 100}})
    run(master, inbox2, R2_RUN)
    inbox3 = tmp_path / "nhan3"  # the round-1 copy, opened and saved again after round 2
    edit_return(first, inbox3 / "tp (ban cu).xlsx", {"2.5": {"result": "ghi thêm"}})
    third = run(master, inbox3, R3_RUN)
    assert changes(third) == [("2.5", "result", None, "ghi thêm")]  # nobody changed it since
    assert [p.code for p in third.problems] == ["stale-return", "stale-field-skipped",
                                                "stale-field-skipped"]
    assert (plan_values(master, "status")["2.5"], plan_values(master, "progress")["2.5"]) == (
        DONE, 100)


def test_an_older_copy_saying_what_the_later_report_says_is_no_finding(year):
    """A round-1 copy sent again after round 2 whose value is the officer's later report
    skips nothing (it was logged as «not applied»: noise in the change log); a value the
    later round cleared is shown cleared on the terminal, never as 'None'."""
    from click.testing import CliRunner

    from cchc_xl.cli.main import cli

    master, outbox, inbox, tmp_path = year
    first = edit_return(outbox / FILES["TP"], inbox / "tp.xlsx",
                        {"2.5": {"status": DOING, "progress": 30, "result": "bản đầu"}})
    run(master, inbox, R1_RUN)
    out = second_round(master, tmp_path)
    inbox2 = tmp_path / "nhan2"
    edit_return(out / dot2(FILES["TP"]), inbox2 / "tp2.xlsx",
                {"2.5": {"progress": 60, "result": None}})
    shown = CliRunner().invoke(cli, ["consolidate", str(master), str(inbox2), "--as-of",
                                     "30/06/2021", "--lang", "en"]).output
    assert "  2.5     Kết quả / minh chứng: bản đầu → " + "  [Tư pháp – Hộ tịch]\n" in shown
    assert "None" not in shown
    inbox3 = tmp_path / "nhan3"
    shutil.copytree(inbox, inbox3)  # (the same round-1 copy again, after round 2)
    edit_return(first, inbox3 / "tp (ban cu).xlsx", {"2.5": {"obstacles": "thiếu người"}})
    third = run(master, inbox3, R3_RUN)
    assert changes(third) == [("2.5", "obstacles", None, "thiếu người")]
    skipped = [(p.params["code"], p.params["key"]) for p in third.problems
               if p.code == "stale-field-skipped"]
    assert skipped == [("2.5", "progress"), ("2.5", "result")]  # (not the status: the same)
    said = [p.message("vi") for p in third.problems if p.code == "stale-field-skipped"]
    assert said == [  # (the later value as the user reads it: 60, not 60.0; emptied, not None)
        f"Phiếu cũ {p}: dòng 2.5, cột «{label}» không áp dụng vì đã có báo cáo hoặc giá trị "
        f"mới hơn («{held}») sau đợt đó." for p, label, held in (
            ("tp (ban cu).xlsx", "Tiến độ (%)", "60"),
            ("tp (ban cu).xlsx", "Kết quả / minh chứng", "để trống"))]


def test_a_copy_dated_2099_never_blocks_a_later_genuine_return(year):
    master, outbox, inbox, tmp_path = year
    wrong = edit_return(outbox / FILES["TP"], inbox / "tp.xlsx", {"2.5": {"status": DOING}})
    wb = load(wrong)
    wb.properties.modified = dt.datetime(2099, 1, 1)  # a PC whose clock is wrong
    wb.save(wrong)
    run(master, inbox, R1_RUN)
    inbox2 = tmp_path / "nhan2"
    edit_return(outbox / FILES["TP"], inbox2 / "tp.xlsx", {"2.5": {"status": DONE}})
    second = run(master, inbox2, R2_RUN)
    assert changes(second) == [("2.5", "status", DOING, DONE)]  # received later: it wins
    assert [p.code for p in second.problems] == []


def test_a_missing_or_empty_inbox_writes_nothing(year):
    master, _, inbox, tmp_path = year
    before = master.read_bytes()
    listing = sorted(master.parent.rglob("*"))
    for folder in (tmp_path / "khongco", inbox):
        with pytest.raises(InboxUnusable):
            run(master, folder, R1_RUN)
        result = CliRunner().invoke(cli, ["consolidate", str(master), str(folder)])
        assert result.exit_code == 2
    assert master.read_bytes() == before
    assert sorted(master.parent.rglob("*")) == listing  # no backup, no report
    assert result.output == (
        f"Lỗi: Thư mục {inbox} không có tệp nào: không có gì để tổng hợp, sổ không thay "
        "đổi. Kiểm tra lại thư mục phiếu gửi về (hoặc dùng «Chấm điểm» để chỉ tô màu lại theo "
        "ngày).\n")


def test_the_outbox_or_an_untouched_copy_is_no_reply(year):
    master, outbox, inbox, _ = year
    report = run(master, outbox, R1_RUN)  # pointed at the workbooks issued
    assert [f.outcome for f in report.files] == ["issued"] * 6
    assert sorted(n["role"] for n in report.not_returned) == sorted(FILES_ROLES)
    shutil.copy(outbox / FILES["TP"], inbox / "tp.xlsx")  # forwarded back untouched
    edit_return(outbox / FILES["VH"], inbox / "vh.xlsx", {})  # opened and saved: a reply
    again = run(master, inbox, R2_RUN)
    assert [(f.name, f.outcome) for f in again.files] == [("tp.xlsx", "already"),
                                                          ("vh.xlsx", "unchanged")]
    assert sorted(n["role"] for n in again.not_returned) == sorted(set(FILES_ROLES) - {VH})
    pending = read_pending(load(master))
    assert sorted(m.role for m in pending) == sorted(set(FILES_ROLES) - {VH})
    assert {m.kind for m in pending} == {layout.PENDING_NOT_RETURNED}


def test_a_rejected_value_stays_open_until_a_later_return_puts_it_right(year):
    master, outbox, inbox, tmp_path = year
    edit_return(outbox / FILES["TP"], inbox / "tp.xlsx", {"2.5": {"progress": 150}})
    first = run(master, inbox, R1_RUN)
    assert [(r["role"], r["code"], r["field"]) for r in first.open_rejections] == [
        (TP, "2.5", "progress")]
    inbox2 = tmp_path / "nhan2"  # another officer's return: TP's refusal is still open
    edit_return(outbox / FILES["VP"], inbox2 / "vp.xlsx", {"1.2": {"status": DOING}})
    second = run(master, inbox2, R2_RUN)
    assert [(r["role"], r["code"], r["field"], r["value"]) for r in second.open_rejections] == [
        (TP, "2.5", "progress", 1.5)]
    pending = [m for m in read_pending(load(master)) if m.kind == layout.PENDING_REJECTED]
    assert [(m.role, m.code, m.field, m.since) for m in pending] == [
        (TP, "2.5", "progress", R1_RUN)]
    inbox3 = tmp_path / "nhan3"
    edit_return(outbox / FILES["TP"], inbox3 / "tp2.xlsx", {"2.5": {"progress": 90}})
    third = run(master, inbox3, R3_RUN)
    assert third.open_rejections == []
    assert changes(third) == [("2.5", "progress", None, 90)]
    assert [m for m in read_pending(load(master)) if m.kind == layout.PENDING_REJECTED] == []


def test_nan_from_an_ods_is_refused_with_its_cell(year, tmp_path, soffice):
    from cchc_xl.files.libreoffice import convert

    master, outbox, inbox, _ = year
    src = edit_return(outbox / FILES["TP"], tmp_path / "src" / "tp.xlsx",
                      {"2.5": {"progress": 37, "status": DOING}})
    (ods,) = convert([src], tmp_path / "ods", "ods", recalc=False)
    nan = tmp_path / "nan.ods"
    with zipfile.ZipFile(ods) as zin, zipfile.ZipFile(nan, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "content.xml":
                assert data.count(b'office:value="0.37"') == 1
                data = data.replace(b'office:value="0.37"', b'office:value="NaN"')
                assert b'office:value="NaN"' in data
            zout.writestr(info, data)
    shutil.copy(nan, inbox / "tp.ods")
    report = run(master, inbox, R1_RUN)
    assert codes(report) == [[f"tp.ods › '{O.name}'!I14", "number-not-finite"]]
    assert changes(report) == [("2.5", "status", TODO, DOING)]
    assert plan_values(master, "progress")["2.5"] is None


def test_deadlines_follow_time_frames_edited_in_excel(year):
    from cchc_xl.files.open_save import load as load_master
    from cchc_xl.files.open_save import save

    master, outbox, inbox, _ = year
    wb = load_master(master)
    ws = wb[layout.PLAN.name]
    row = {str(ws.cell(row=r, column=1).value): r for r in range(5, ws.max_row + 1)}["2.5"]
    ws.cell(row=row, column=layout.PLAN.index("timeframe"), value="Quý I/2021")
    save(wb, master, backup=False)
    edit_return(outbox / FILES["VP"], inbox / "vp.xlsx", {"1.2": {"status": DOING}})
    report = run(master, inbox, R1_RUN)
    assert [(d.code, d.new) for d in report.deadlines] == [("2.5", dt.date(2021, 3, 31))]
    assert plan_values(master, "deadline")["2.5"] == dt.datetime(2021, 3, 31)
    plan = load(master)[layout.PLAN.name]
    assert plan.cell(row=row, column=1).fill.fgColor.rgb == layout.STATUS_COLOURS[
        layout.STATUS_OVERDUE]  # as of 30/06/2021


def test_the_summary_date_and_the_colours_always_agree(year):
    """`report` without --as-of dates the summary today: the plan is coloured as of today
    too (and says so), never left as of the last consolidation."""
    from cchc_xl.master.standing import OFFICER_TABLE_COLUMN
    from cchc_xl.master.summary import stored_as_of

    master, outbox, inbox, _ = year
    edit_return(outbox / FILES["VP"], inbox / "vp.xlsx", {"1.2": {"status": DOING}})
    run(master, inbox, R1_RUN)
    wb = load(master)
    assert stored_as_of(wb) == AS_OF
    title = wb[layout.SUMMARY.name].cell(row=2, column=OFFICER_TABLE_COLUMN).value
    assert "tính đến 30/06/2021" in title
    result = CliRunner().invoke(cli, ["report", str(master), "--as-of", "15/01/2022"])
    assert result.exit_code == 0, result.output
    wb = load(master)
    assert stored_as_of(wb) == dt.date(2022, 1, 15)
    summary = wb[layout.SUMMARY.name]
    assert "tính đến 15/01/2022" in summary.cell(row=2, column=OFFICER_TABLE_COLUMN).value
    plan = wb[layout.PLAN.name]
    overdue = layout.STATUS_COLOURS[layout.STATUS_OVERDUE]
    row = {str(plan.cell(row=r, column=1).value): r for r in range(5, plan.max_row + 1)}
    assert plan.cell(row=row["1.2"], column=1).fill.fgColor.rgb == overdue  # (Trong năm 2021)


def test_each_issued_file_is_recorded_with_its_digest(year):
    master, outbox, _, _ = year
    ws = load(master)[layout.ROUNDS.name]
    digest = layout.ROUNDS.index("digest")
    got = {row[4].value: row[digest - 1].value for row in ws.iter_rows(min_row=2)}
    assert got == {name: hashlib.sha256((outbox / name).read_bytes()).hexdigest()
                   for name in FILES.values()}
    assert ISSUED == read_stamp(load(outbox / FILES["TP"])).issued_at


# --- numbers mean what the officer typed, typed in LibreOffice itself (UNO, headless) --------

@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_percentages_typed_in_libreoffice_land_as_typed(year, libreoffice_ui, fmt):
    """The officer's progress cell is a percentage: "100%" typed in LibreOffice is 100, not 1;
    "45%" is 45; a bare "30" (3,000 % there: LibreOffice's headless input applies no data
    validation) is refused with its cell and the way to type it, never guessed."""
    master, outbox, inbox, tmp_path = year
    src = outbox / FILES["TP"]
    rows = officer_rows(load(src)[O.name])
    col = {k: O.letter(k) for k in ("status", "progress")}
    typed = libreoffice_ui.type_into(src, inbox / f"tp.{fmt}", {
        f"{col['status']}{rows['2.5']}": DONE, f"{col['progress']}{rows['2.5']}": "100%",
        f"{col['progress']}{rows['3.2.3']}": "45%", f"{col['progress']}{rows['1.7']}": "30",
        f"A{rows['2.5']}": "9.9"}, sheet=O.name)
    assert [(t["cell"], t["accepted"], t["value"], t["format"]) for t in typed] == [
        (f"H{rows['2.5']}", True, 0.0, "General"), (f"I{rows['2.5']}", True, 1.0, "0%"),
        (f"I{rows['3.2.3']}", True, 0.45, "0%"), (f"I{rows['1.7']}", True, 30.0, "0%"),
        (f"A{rows['2.5']}", False, 0.0, "@")]  # a locked cell: refused by the protection
    report = run(master, inbox, R1_RUN)
    assert changes(report) == [("2.5", "status", TODO, DONE), ("2.5", "progress", None, 100),
                               ("3.2.3", "progress", None, 45)]
    assert codes(report) == [[f"tp.{fmt} › '{O.name}'!I{rows['1.7']}",
                              "progress-percent-out-of-range"]]
    assert report.problems[0].message("vi") == (
        "Dòng 1.7: tiến độ 3000% phải từ 0% đến 100%. Gõ phần trăm, ví dụ 30% hoặc 100%, rồi "
        "gửi lại.")


@pytest.mark.libreoffice
def test_a_done_row_at_one_percent_in_an_older_workbook_is_warned(year, libreoffice_ui):
    """Workbooks issued before the percentage cell had a plain "0" format, where LibreOffice
    stores "100%" as 1: applied as 1 %, with a warning naming the cell."""
    master, outbox, inbox, tmp_path = year
    old = tmp_path / "cu.xlsx"
    wb = load(outbox / FILES["TP"])
    ws = wb[O.name]
    rows = officer_rows(ws)
    for r in rows.values():
        ws.cell(row=r, column=O.index("progress")).number_format = "0"
    wb.save(old)
    libreoffice_ui.type_into(old, inbox / "tp.xlsx", {
        f"H{rows['2.5']}": DONE, f"I{rows['2.5']}": "100%"}, sheet=O.name)
    report = run(master, inbox, R1_RUN)
    assert changes(report) == [("2.5", "status", TODO, DONE), ("2.5", "progress", None, 1)]
    assert codes(report) == [[f"tp.xlsx › '{O.name}'!I{rows['2.5']}",
                              "progress-tiny-when-done"]]


def test_a_row_typed_in_by_hand_gets_its_formulas_deadline_and_colour(year):
    """The office inserts criterion 3.2.2 in Excel (Excel leaves its formula cells empty and
    3.2's sum without it): the next consolidation puts the formulas in, derives its deadline
    and colours it, logs each, and the master validates without an error."""
    from test_validate import excel_insert_rows

    from cchc_xl.files.open_save import load as load_master
    from cchc_xl.files.open_save import save
    from cchc_xl.master.check import validate

    master, outbox, inbox, _ = year
    wb = load_master(master)
    excel_insert_rows(wb, 14)
    ws = wb[layout.PLAN.name]
    for key, value in {"code": "3.2.2", "title": "Tiêu chí mới", "max_points": 1,
                       "appraised": 0.5, "action": "Rà soát", "lead": "Văn phòng",
                       "timeframe": "Quý I/2021"}.items():
        ws.cell(row=14, column=layout.PLAN.index(key), value=value)
    save(wb, master, backup=False)
    assert [p.code for p in validate(master).problems if p.severity == "error"] == [
        "formula-wrong", "formula-missing", "formula-missing"]
    edit_return(outbox / FILES["VP"], inbox / "vp.xlsx", {"1.2": {"status": DOING}})
    report = run(master, inbox, R1_RUN)
    assert [(e["field"], e["new"]) for e in report.formulas] == [
        ("Kế hoạch!E14", "=C14-D14"), ("Kế hoạch!S12", "=D12+SUM(S13,S14,S15)-SUM(D13,D14,D15)"),
        ("Kế hoạch!S14", '=IF(L14="Hoàn thành",IF(ISNUMBER(O14),O14,D14),D14)')]
    assert [(d.code, d.new) for d in report.deadlines] == [("3.2.2", dt.date(2021, 3, 31))]
    assert [p.severity for p in validate(master).problems] == ["warning", "warning"]
    plan = load(master)[layout.PLAN.name]
    assert plan.cell(row=14, column=1).fill.fgColor.rgb == layout.STATUS_COLOURS[
        layout.STATUS_OVERDUE]
    kinds = [r[0] for r in log_rows(master)]
    assert kinds.count("Sửa công thức") == 3 and kinds.count("Tính lại hạn") == 1

"""`cchc-xl fill`: officer workbooks from the seed's master, read back from the files."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.demo import run_demo
from cchc_xl.cycle.fill import FillRefused, file_name, fill, slug
from cchc_xl.cycle.stamp import read_stamp, row_seal, stamp_intact
from cchc_xl.files import open_save as workbook_io
from cchc_xl.master.check import validate
from cchc_xl.master.key import master_key

SHEET = layout.OFFICER
L, S = layout.LEAD, layout.SUPPORT
NOW = dt.datetime(2021, 4, 1, 8, 30)
DUE = dt.date(2021, 4, 8)
COL = {key: SHEET.letter(key) for key in SHEET.keys}

# Every role's rows with its part, groups expanded ("Các công chức chuyên môn thuộc UBND xã"
# covers all six roles; the demo roster marks every role as a specialist).
EXPECTED = {
    "Văn phòng – Thống kê": [
        ("1.2", L), ("1.7", L), ("2.5", S), ("3.2.1", L), ("4.2", L), ("4.3", L),
        ("7.1.6", S), ("7.1.7", S), ("7.2.4", L), ("7.2.5", L)],
    "Tư pháp – Hộ tịch": [
        ("1.2", S), ("1.6", S), ("1.7", L), ("2.5", L), ("3.2.1", S), ("3.2.3", L),
        ("4.2", S), ("4.3", S), ("7.1.6", S), ("7.1.7", S), ("7.2.4", S), ("7.2.5", S)],
    "Địa chính – Xây dựng": [
        ("1.2", S), ("1.7", L), ("2.5", S), ("3.2.1", S), ("3.2.3", S), ("4.2", S), ("4.3", S),
        ("7.1.6", S), ("7.1.7", S), ("7.2.4", S), ("7.2.5", S)],
    "Tài chính – Kế toán": [
        ("1.2", S), ("1.7", L), ("2.5", S), ("3.2.1", S), ("4.2", S), ("4.3", S),
        ("7.1.6", S), ("7.1.7", S), ("7.2.4", S), ("7.2.5", S)],
    "Văn hóa – Xã hội": [
        ("1.2", S), ("1.6", L), ("1.7", L), ("2.5", S), ("3.2.1", S), ("3.2.3", S), ("4.2", S),
        ("4.3", S), ("7.1.6", L), ("7.1.7", L), ("7.2.4", S), ("7.2.5", S)],
    "Chỉ huy trưởng Quân sự": [
        ("1.7", L), ("2.5", S), ("3.2.1", S), ("4.2", S), ("4.3", S), ("7.1.6", S),
        ("7.1.7", S), ("7.2.4", S), ("7.2.5", S)],
}
FILES = {
    "Văn phòng – Thống kê": "dot-1_van-phong-thong-ke.xlsx",
    "Tư pháp – Hộ tịch": "dot-1_tu-phap-ho-tich.xlsx",
    "Địa chính – Xây dựng": "dot-1_dia-chinh-xay-dung.xlsx",
    "Tài chính – Kế toán": "dot-1_tai-chinh-ke-toan.xlsx",
    "Văn hóa – Xã hội": "dot-1_van-hoa-xa-hoi.xlsx",
    "Chỉ huy trưởng Quân sự": "dot-1_chi-huy-truong-quan-su.xlsx",
}
PEOPLE = {  # cchc_xl/data/demo_roster.csv
    "Văn phòng – Thống kê": ("Nguyễn Thị Lan (ví dụ)", "vanphong@songiang.example"),
    "Tư pháp – Hộ tịch": ("Trần Văn Bình (ví dụ)", "tuphap@songiang.example"),
    "Địa chính – Xây dựng": ("Lê Văn Cường (ví dụ)", "diachinh@songiang.example"),
    "Tài chính – Kế toán": ("Phạm Thị Dung (ví dụ)", "taichinh@songiang.example"),
    "Văn hóa – Xã hội": ("Hoàng Văn Em (ví dụ)", "vanhoa@songiang.example"),
    "Chỉ huy trưởng Quân sự": ("Võ Văn Giang (ví dụ)", "quansu@songiang.example"),
}
SAFE_NAME = re.compile(r"^[a-z0-9-]+_[a-z0-9-]+\.xlsx$")


def load(path: Path, **kwargs) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, **kwargs)


def new_master(tmp_path: Path) -> Path:
    return run_demo(tmp_path / "demo").master


def edit_master(master: Path, edit) -> None:
    wb = workbook_io.load(master)
    edit(wb)
    workbook_io.save(wb, master, backup=False)


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """(master before, master after, result) of one fill of the seed's master."""
    base = tmp_path_factory.mktemp("fill")
    master = new_master(base)
    before = base / "before.xlsx"
    shutil.copyfile(master, before)
    result = fill(master, base / "phieu", now=NOW)
    return before, master, result


SENT = layout.ROUNDS.index("sent_at") - 1  # (in a row of «Đợt gửi» as values)


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_by_role(result) -> dict:
    return {f.role: f for f in result.files}


def data_rows(ws) -> range:
    last = SHEET.first_row
    while ws.cell(row=last + 1, column=1).value not in (None, ""):
        last += 1
    return range(SHEET.first_row, last + 1)


def master_rows(master: Path) -> dict[str, dict]:
    """Master values by code, keyed like the plan's columns."""
    ws = load(master)[layout.PLAN.name]
    out = {}
    for r in range(layout.PLAN.first_row, ws.max_row + 1):
        code = ws.cell(row=r, column=1).value
        if code and code != layout.TOTAL_LABEL:
            out[code] = {key: ws.cell(row=r, column=i).value
                         for i, key in enumerate(layout.PLAN.keys, start=1)}
    return out


# --- which rows, which files ----------------------------------------------------------------

def test_each_officer_gets_exactly_the_rows_they_lead_or_support(issued):
    _, _, result = issued
    assert result.round == "Đợt 1"
    assert [f.role for f in result.files] == list(EXPECTED)
    for f in result.files:
        assert list(zip(f.codes, f.parts)) == EXPECTED[f.role], f.role
        assert (f.person, f.email) == PEOPLE[f.role]
        assert f.path.name == FILES[f.role]
    assert sorted(p.name for p in result.files[0].path.parent.iterdir()) == sorted(
        FILES.values())


def test_the_sheet_holds_those_rows_in_plan_order_with_the_master_text(issued):
    _, master, result = issued
    plan = master_rows(master)
    for f in result.files:
        ws = load(f.path)[SHEET.name]
        rows = [[ws[f"{COL[k]}{r}"].value for k in ("code", "part")] for r in data_rows(ws)]
        assert rows == [list(pair) for pair in EXPECTED[f.role]]
        for r in data_rows(ws):
            code = ws[f"{COL['code']}{r}"].value
            m = plan[code]
            assert ws[f"{COL['title']}{r}"].value == m["title"]
            assert ws[f"{COL['action']}{r}"].value == m["action"]
            assert ws[f"{COL['max_points']}{r}"].value == m["max_points"]
            assert ws[f"{COL['lost']}{r}"].value == pytest.approx(
                m["max_points"] - m["appraised"])
            assert ws[f"{COL['deadline']}{r}"].value == m["deadline"]
            # no officer has reported yet: their own cells are empty, nobody's report shown
            assert [ws[f"{COL[k]}{r}"].value for k in (*layout.REPORT_FIELDS, "others")] == [
                None] * 6
            assert ws[f"{COL['code']}{r}"].data_type == "s"


def test_header_block(issued):
    _, _, result = issued
    f = files_by_role(result)["Tư pháp – Hộ tịch"]
    ws = load(f.path)[SHEET.name]
    # the heading right of the code column (which prints again left of the second band), each
    # label beside its value within one printed band
    assert ws["B1"].value == (
        "PHIẾU CẬP NHẬT TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2021")
    assert ws["B2"].value == "UBND xã Sơn Giang – Kế hoạch số 18/KH-UBND ngày 19/03/2021"
    assert [ws[f"A{r}"].value for r in range(1, SHEET.header_row)] == [None] * 9
    facts = {ws[f"{c}{r}"].value: ws[f"{v}{r}"].value for r in (3, 4, 5)
             for c, v in (("B", "C"), ("H", "J"))}
    assert facts == {"Xã:": "Sơn Giang", "Đợt:": "Đợt 1", "Cán bộ:": "Trần Văn Bình (ví dụ)",
                     "Ngày phát phiếu:": NOW, "Vai trò:": "Tư pháp – Hộ tịch",
                     "Hạn gửi lại:": dt.datetime(2021, 4, 8)}
    assert [ws[f"B{r}"].value for r in (6, 7, 8)] == list(layout.OFFICER_HELP)
    assert [c.value for c in ws[SHEET.header_row]] == [c.label for c in SHEET.columns]
    assert ws.freeze_panes == SHEET.freeze
    # a compact heading: what stays frozen above the rows fits a laptop's screen with room
    frozen = sum(ws.row_dimensions[r].height or 15 for r in range(1, SHEET.header_row + 1))
    assert frozen <= 160
    assert ws.print_title_rows == "$10:$10" and ws.print_title_cols == "$A:$A"
    assert [b.id for b in ws.col_breaks.brk] == [SHEET.index("deadline")]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
    assert fonts == {"Times New Roman"}


# --- protection and validation --------------------------------------------------------------

def test_only_input_cells_are_unlocked(issued):
    _, _, result = issued
    inputs = {c.key for c in SHEET.columns if c.officer_input}
    for f in result.files:
        wb = load(f.path)
        ws = wb[SHEET.name]
        assert ws.protection.sheet is True
        assert wb.security.lockStructure is True
        rows = data_rows(ws)
        assert len(rows) == len(EXPECTED[f.role])
        for r in range(1, rows.stop + 2):
            part = ws[f"{COL['part']}{r}"].value if r in rows else None
            for col in SHEET.columns:
                cell = ws[f"{COL[col.key]}{r}"]
                unlocked = r in rows and col.key in inputs and not (
                    col.key == "expected" and part == S)
                assert cell.protection.locked is (not unlocked), (f.role, cell.coordinate)
                if unlocked:
                    assert cell.fill.fgColor.rgb == layout.INPUT_FILL
                elif r in rows and col.key == "expected":
                    assert cell.fill.fgColor.rgb == layout.OFFICER_NOT_YOURS_FILL


def test_validations_dropdown_progress_expected(issued):
    _, master, result = issued
    plan = master_rows(master)
    for f in result.files:
        wb = load(f.path)
        ws = wb[SHEET.name]
        rows = data_rows(ws)
        first, last = rows.start, rows.stop - 1
        dvs = ws.data_validations.dataValidation
        status = [dv for dv in dvs if dv.type == "list"]
        assert [(dv.formula1, str(dv.sqref)) for dv in status] == [
            ("DS_TrangThai", f"H{first}:H{last}")]
        ref = wb.defined_names["DS_TrangThai"].attr_text
        assert ref == "'Danh mục'!$A$2:$A$4"
        assert tuple(row[0].value for row in wb[layout.LISTS_SHEET]["A2:A4"]) == layout.STATUSES
        assert wb[layout.LISTS_SHEET].sheet_state == "hidden"
        progress = [dv for dv in dvs if str(dv.sqref) == f"I{first}:I{last}"]
        # An absent operator is the schema's default, "between" (XlsxWriter omits defaults).
        assert [(dv.type, dv.operator or "between", dv.formula1, dv.formula2)
                for dv in progress] == [
            ("decimal", "between", "0", "1")]  # a fraction, in a percentage cell
        expected_cells = {}
        for dv in dvs:
            if dv.type == "decimal" and dv is not progress[0]:
                for cell in str(dv.sqref).split():
                    expected_cells[cell] = (dv.formula1, dv.formula2)
                assert dv.errorTitle == "Điểm dự kiến không hợp lệ"
                assert dv.error == (f"Điểm dự kiến phải là số từ 0 đến {dv.formula2} "
                                    "(điểm chuẩn của tiêu chí).")
        leads = {f"K{r}": ("0", f"{plan[code]['max_points']:g}")
                 for r, (code, part) in zip(rows, EXPECTED[f.role]) if part == L}
        assert expected_cells == leads, f.role
        for dv in dvs:
            # An absent errorStyle is the schema's default, "stop" (XlsxWriter omits it).
            assert dv.showErrorMessage and (dv.errorStyle or "stop") == "stop"
            assert dv.error and dv.errorTitle and dv.prompt and dv.promptTitle
        assert status[0].error == layout.OFFICER_CHECKS["status"][3]
        assert progress[0].error == ("Tiến độ phải là phần trăm từ 0% đến 100% "
                                     "(gõ 30% hoặc 100%).")
        assert {ws[f"I{r}"].number_format for r in rows} == {"0%"}


# --- the hidden stamp -----------------------------------------------------------------------

def test_stamp_sheet_is_very_hidden_and_intact(issued):
    before, master, result = issued
    wb_master = load(master)
    key = master_key(wb_master)
    master_id = wb_master[layout.SETTINGS_SHEET]["B2"].value
    assert key and master_id and master_key(load(before)) == key  # the master's own key
    plan = master_rows(master)
    for f in result.files:
        wb = load(f.path)
        assert wb.sheetnames == [SHEET.name, layout.LISTS_SHEET, layout.EVIDENCE_OFFICER.name,
                                 layout.STAMP_SHEET]
        assert wb[layout.STAMP_SHEET].sheet_state == "veryHidden"
        stamp = read_stamp(wb)
        assert (stamp.round, stamp.role, stamp.person, stamp.email) == (
            "Đợt 1", f.role, *PEOPLE[f.role])
        assert (stamp.master_id, stamp.master_file, stamp.commune) == (
            master_id, master.name, "Sơn Giang")
        assert (stamp.issued_at, stamp.due) == (NOW, DUE)
        assert stamp_intact(stamp, key)
        assert [(r.code, r.part) for r in stamp.rows] == EXPECTED[f.role]
        ws = wb[SHEET.name]
        for sr, r in zip(stamp.rows, data_rows(ws)):
            assert sr.sheet_row == r
            assert sr.base == dict.fromkeys(layout.REPORT_FIELDS)  # nothing reported yet
            assert plan[sr.code]["status"] == layout.STATUS_NOT_STARTED  # (not the base)
            locked = {k: ws[f"{COL[k]}{r}"].value for k in
                      ("code", "title", "max_points", "lost", "action", "part", "deadline")}
            assert sr.seal == row_seal(key, locked)


def test_a_changed_locked_cell_breaks_its_row_seal(issued):
    _, master, result = issued
    key = master_key(load(master))
    wb = load(files_by_role(result)["Tư pháp – Hộ tịch"].path)
    ws = wb[SHEET.name]
    stamp = read_stamp(wb)
    r = SHEET.first_row
    locked = {k: ws[f"{COL[k]}{r}"].value for k in
              ("code", "title", "max_points", "lost", "action", "part", "deadline")}
    locked["lost"] = 0
    assert stamp.rows[0].seal != row_seal(key, locked)


def test_the_seal_is_the_documented_hmac_so_workbooks_already_issued_stay_valid():
    """A seal is HMAC-SHA256 under the master's key of the canonical texts joined by U+001F,
    its first 32 hex digits. Workbooks issued by an earlier version are sealed that way: a
    change of the computation would turn every row of them into 'tampered'."""
    import hashlib
    import hmac

    key = "0123456789abcdef" * 2
    locked = {"code": "1.1.3", "title": "Ban hành kế hoạch CCHC", "max_points": 1.5,
              "lost": 0.25, "action": "Rà soát, ban hành kịp thời", "part": "Chủ trì",
              "deadline": dt.datetime(2021, 6, 30)}
    text = "1.1.3\x1fBan hành kế hoạch CCHC\x1f1.5\x1f0.25\x1fRà soát, ban hành kịp thời" \
           "\x1fChủ trì\x1f2021-06-30"
    expected = hmac.new(key.encode(), text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
    assert row_seal(key, locked) == expected


def test_prefilled_values_and_base_are_the_officers_own_last_report(tmp_path):
    """Each officer's cells hold their own last report (never the plan's values, which may be
    a group's aggregate or the office's own), and the stamp's base is exactly that; the
    others' reports on the row are shown beside, locked."""
    from cchc_xl.master.officer_reports import OfficerReport, read_reports, write_reports

    master = new_master(tmp_path)
    tp, vp = "Tư pháp – Hộ tịch", "Văn phòng – Thống kê"

    def edit(wb):
        ws = wb[layout.PLAN.name]
        ws["L10"], ws["M10"], ws["N10"] = layout.STATUS_DONE, 90, "văn phòng ghi"  # the office
        reports = read_reports(wb)
        reports[("2.5", tp)] = OfficerReport("2.5", tp, values={
            "progress": 40, "result": "=1+1 là chữ", "expected": 0.75, "obstacles": None})
        reports[("2.5", vp)] = OfficerReport("2.5", vp, values={
            "status": layout.STATUS_IN_PROGRESS, "progress": 50, "result": "Đã họp"})
        reports[("1.7", vp)] = OfficerReport("1.7", vp, values={"progress": 23.5})
        write_reports(wb, reports)
    edit_master(master, edit)
    result = fill(master, tmp_path / "out", now=NOW, only=["Tư pháp"])
    wb = load(result.files[0].path)
    ws = wb[SHEET.name]
    r = SHEET.first_row + [c for c, _ in EXPECTED[tp]].index("2.5")
    assert [ws[f"{COL[k]}{r}"].value for k in (*layout.REPORT_FIELDS, "others")] == [
        None, 0.4, "=1+1 là chữ", 0.75, None,
        "[Văn phòng – Thống kê] Trạng thái: Đang thực hiện; Tiến độ (%): 50%; "
        "Kết quả / minh chứng: Đã họp"]
    assert ws[f"{COL['result']}{r}"].data_type == "s"
    assert ws[f"{COL['others']}{r}"].protection.locked is not False
    assert read_stamp(wb).row("2.5").base == {
        "status": None, "progress": 40, "result": "=1+1 là chữ", "expected": 0.75,
        "obstacles": None}
    r = SHEET.first_row + [c for c, _ in EXPECTED[tp]].index("1.7")  # a group member
    assert [ws[f"{COL[k]}{r}"].value for k in (*layout.REPORT_FIELDS, "others")] == [
        None, None, None, None, None, "[Văn phòng – Thống kê] Tiến độ (%): 23.5%"]
    assert read_stamp(wb).row("1.7").base == dict.fromkeys(layout.REPORT_FIELDS)


# --- values, not formulas -------------------------------------------------------------------

def _same(a, b) -> bool:
    if isinstance(a, dt.datetime) and isinstance(b, dt.date) and not isinstance(
            b, dt.datetime):
        return a.time() == dt.time() and a.date() == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == pytest.approx(b)
    return (a if a is not None else "") == b


def test_values_not_formulas_readable_without_a_spreadsheet_program(issued):
    _, _, result = issued
    for f in result.files:
        wb = load(f.path)
        for ws in wb.worksheets:
            assert not [c.coordinate for row in ws.iter_rows() for c in row
                        if c.data_type == "f"], (f.role, ws.title)
        grid = CalamineWorkbook.from_path(str(f.path)).get_sheet_by_name(SHEET.name).to_python(
            skip_empty_area=False)
        ws = wb[SHEET.name]
        assert len(grid) == ws.max_row
        for r, row in enumerate(grid, start=1):
            for c, value in enumerate(row, start=1):
                assert _same(ws.cell(row=r, column=c).value, value), (f.role, r, c, value)


def test_officer_files_are_macro_free_xlsx(issued):
    import zipfile

    _, _, result = issued
    for f in result.files:
        names = zipfile.ZipFile(f.path).namelist()
        assert not [n for n in names if "vba" in n.lower()]
        assert f.path.suffix == ".xlsx"


# --- the master records the round -----------------------------------------------------------

def test_master_records_the_round_and_is_backed_up(issued):
    before, master, result = issued
    ws = load(master)[layout.ROUNDS.name]
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert rows == [
        ["Đợt 1", role, *PEOPLE[role][:1], PEOPLE[role][1], FILES[role], len(EXPECTED[role]),
         NOW, dt.datetime(2021, 4, 8), None, _sha256(f.path)]
        for role, f in files_by_role(result).items()]
    assert result.master_backup is not None and result.master_backup.exists()
    assert result.master_backup.read_bytes() == before.read_bytes()
    log = [r for r in load(master)[layout.CHANGELOG.name].iter_rows(min_row=2,
                                                                      values_only=True)]
    assert [(r[0], r[1], r[3]) for r in log] == [(NOW, "Tạo phiếu", "cchc-xl")]
    # the master is still clean: only the seed's known warning
    assert validate(master).flatten() == [["'Kế hoạch'!E5", "lost-children-mismatch"]]


def test_rounds_number_on_and_a_round_can_be_reissued(tmp_path):
    master = new_master(tmp_path)
    first = fill(master, tmp_path / "a", now=NOW)
    second = fill(master, tmp_path / "b", now=NOW, only=["Văn phòng"])
    again = fill(master, tmp_path / "a", now=NOW, round_name="Đợt 1", only=["Quân sự"])
    assert (first.round, second.round, again.round) == ("Đợt 1", "Đợt 2", "Đợt 1")
    assert [f.path.name for f in second.files] == ["dot-2_van-phong-thong-ke.xlsx"]
    ws = load(master)[layout.ROUNDS.name]
    assert [(r[0], r[4]) for r in ws.iter_rows(min_row=2, values_only=True)] == [
        *(("Đợt 1", name) for name in FILES.values()),
        ("Đợt 2", "dot-2_van-phong-thong-ke.xlsx"),
        ("Đợt 1", "dot-1_chi-huy-truong-quan-su.xlsx")]
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(FILES.values())


def test_an_older_master_gets_its_rounds_sheet_and_identity(tmp_path):
    master = new_master(tmp_path)

    def edit(wb):
        del wb[layout.ROUNDS.name]
        wb[layout.SETTINGS_SHEET]["B2"] = None
        del wb.defined_names["_cchc_key"]
    edit_master(master, edit)
    result = fill(master, tmp_path / "out", now=NOW, only=["Tư pháp – Hộ tịch"])
    wb = load(master)
    assert wb.sheetnames.index(layout.ROUNDS.name) == wb.sheetnames.index(
        layout.CHANGELOG.name) + 1
    master_id = wb[layout.SETTINGS_SHEET]["B2"].value
    assert re.fullmatch(r"[0-9a-f-]{36}", master_id)
    stamp = read_stamp(load(result.files[0].path))
    assert stamp.master_id == master_id and stamp_intact(stamp, master_key(wb))
    assert [c.value for c in wb[layout.ROUNDS.name][1]] == [c.label for c in
                                                           layout.ROUNDS.columns]


# --- refusal --------------------------------------------------------------------------------

def test_refuses_before_writing_anything(tmp_path):
    master = new_master(tmp_path)

    def edit(wb):
        wb[layout.PLAN.name]["G10"] = "Công an xã"  # lead of 2.5
        wb[layout.ROSTER.name]["E7"] = None  # Chỉ huy trưởng Quân sự: no email
    edit_master(master, edit)
    before = master.read_bytes()
    backups = sorted((master.parent / "sao-luu").glob("*")) if (
        master.parent / "sao-luu").exists() else []
    with pytest.raises(FillRefused) as caught:
        fill(master, tmp_path / "out", now=NOW)
    assert [[p.where, p.code] for p in caught.value.problems] == [
        ["'Kế hoạch'!G10", "role-unknown"], ["'Cán bộ'!E7", "roster-email-missing"]]
    assert caught.value.problems[0].params["part"] == "Công an xã"
    assert not (tmp_path / "out").exists()
    assert master.read_bytes() == before
    assert (sorted((master.parent / "sao-luu").glob("*")) if (
        master.parent / "sao-luu").exists() else []) == backups


def test_a_roster_gap_only_blocks_the_roles_that_get_a_file(tmp_path):
    master = new_master(tmp_path)
    edit_master(master, lambda wb: wb[layout.ROSTER.name].__setitem__("E7", None))
    with pytest.raises(FillRefused):
        fill(master, tmp_path / "out", now=NOW, only=["Quân sự"])
    result = fill(master, tmp_path / "out", now=NOW, only=["Tư pháp"])
    assert [f.path.name for f in result.files] == ["dot-1_tu-phap-ho-tich.xlsx"]


def test_a_role_without_rows_gets_no_file_and_the_master_is_untouched(tmp_path):
    master = new_master(tmp_path)

    def edit(wb):
        ws = wb[layout.ROSTER.name]
        for col, value in zip("ABCDE", ("Công an xã", None, layout.NO, "Đinh Văn Hùng (ví dụ)",
                                        "congan@songiang.example")):
            ws[f"{col}8"] = value
    edit_master(master, edit)
    before = master.read_bytes()
    result = fill(master, tmp_path / "out", now=NOW, only=["Công an xã"])
    assert (result.files, result.idle, result.master_backup) == ([], ["Công an xã"], None)
    assert master.read_bytes() == before and not (tmp_path / "out").exists()
    assert fill(master, tmp_path / "out", now=NOW).idle == ["Công an xã"]


# --- file names -----------------------------------------------------------------------------

def test_file_names_are_ascii_and_safe_on_windows():
    assert file_name("Đợt 1", "Tư pháp – Hộ tịch") == "dot-1_tu-phap-ho-tich.xlsx"
    assert file_name("Đợt 1", "CON") == "dot-1_con.xlsx"
    assert file_name("Đợt 1", "Văn phòng/Thống kê: *?") == "dot-1_van-phong-thong-ke.xlsx"
    assert file_name("Đợt bổ sung (6/2021)", "NUL") == "dot-bo-sung-6-2021_nul.xlsx"
    assert file_name("***", "<>|") == "dot_vai-tro.xlsx"
    long = file_name("Đợt 1", "Chỉ huy trưởng Quân sự " * 10)
    assert len(long) <= 80 and SAFE_NAME.match(long)
    taken: set[str] = set()
    assert [file_name("Đợt 1", n, taken) for n in ("Văn phòng", "VĂN PHÒNG", "van phong")] == [
        "dot-1_van-phong.xlsx", "dot-1_van-phong-2.xlsx", "dot-1_van-phong-3.xlsx"]
    assert slug("Địa chính – Xây dựng", "x") == "dia-chinh-xay-dung"


def test_roles_named_like_devices_or_with_reserved_characters(tmp_path):
    master = new_master(tmp_path)

    def edit(wb):
        wb[layout.ROSTER.name]["A2"] = "Văn phòng/Thống kê: *?"
        wb[layout.ROSTER.name]["A3"] = "CON"
    edit_master(master, edit)
    result = fill(master, tmp_path / "out", now=NOW)
    names = [f.path.name for f in result.files]
    assert names[:2] == ["dot-1_van-phong-thong-ke.xlsx", "dot-1_con.xlsx"]
    assert all(SAFE_NAME.match(n) for n in names)
    assert [f.codes for f in result.files[:2]] == [
        [c for c, _ in EXPECTED["Văn phòng – Thống kê"]],
        [c for c, _ in EXPECTED["Tư pháp – Hộ tịch"]]]


# --- the command ----------------------------------------------------------------------------

def test_cli_fill_lists_the_files(tmp_path):
    master = new_master(tmp_path)
    out = tmp_path / "phieu"
    result = CliRunner().invoke(cli, ["fill", str(master), "--out", str(out)])
    assert result.exit_code == 0, result.output
    due = f"{dt.date.today() + dt.timedelta(days=7):%d/%m/%Y}"
    counts = {role: (sum(p == L for _, p in rows), sum(p == S for _, p in rows))
              for role, rows in EXPECTED.items()}
    width = max(len(name) for name in FILES.values())  # (the names in one column)
    assert result.stdout.splitlines() == [
        f"Đã tạo 6 phiếu đợt «Đợt 1» trong {out} (hạn gửi lại {due}):",
        *(f"  {FILES[role]:<{width}}  {role} – {PEOPLE[role][0]} <{PEOPLE[role][1]}>: "
          f"{len(EXPECTED[role])} dòng ({counts[role][0]} chủ trì, {counts[role][1]} phối hợp)"
          for role in EXPECTED),
        # what still needs action, last (the seed's deadlines are in 2021)
        "Xong. Còn việc cần làm: 12 dòng quá hạn (1.2, 1.6, 1.7, 2.5, 3.2.1, 3.2.3, 4.2, 4.3, …)."]
    assert result.stderr.startswith("Đã ghi đợt gửi vào sheet «Đợt gửi» của sổ; bản sao lưu: ")


def test_cli_fill_json(tmp_path):
    master = new_master(tmp_path)
    result = CliRunner().invoke(cli, ["fill", str(master), "--out", str(tmp_path / "o"),
                                      "--only", "Tư pháp", "--round", "Đợt 3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["round"] == "Đợt 3"
    assert [(f["role"], Path(f["path"]).name) for f in data["files"]] == [
        ("Tư pháp – Hộ tịch", "dot-3_tu-phap-ho-tich.xlsx")]
    assert [(r["code"], r["part"]) for r in data["files"][0]["rows"]] == \
        EXPECTED["Tư pháp – Hộ tịch"]


def test_cli_refusal_exits_1_and_names_the_problems(tmp_path):
    master = new_master(tmp_path)
    edit_master(master, lambda wb: wb[layout.PLAN.name].__setitem__("G10", "Công an xã"))
    result = CliRunner().invoke(cli, ["fill", str(master), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Không tạo phiếu nào: sổ {master} có 1 lỗi phải sửa trước.",
        "'Kế hoạch'!G10         Lỗi",
        "    «Công an xã» không khớp vai trò nào trong sheet Cán bộ. Thêm cách viết này vào "
        "cột «Cách viết trong kế hoạch» của đúng vai trò.",
        f"Sửa các lỗi trên rồi chạy lại (kiểm tra: cchc-xl validate {master}).",
    ]
    assert not (tmp_path / "o").exists()


def test_cli_unknown_only_is_a_usage_error(tmp_path):
    master = new_master(tmp_path)
    result = CliRunner().invoke(cli, ["fill", str(master), "--out", str(tmp_path / "o"),
                                      "--only", "Công an", "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr == (
        "No role 'Công an' in the roster. Roles: Văn phòng – Thống kê; Tư pháp – Hộ tịch; "
        "Địa chính – Xây dựng; Tài chính – Kế toán; Văn hóa – Xã hội; Chỉ huy trưởng Quân sự.\n")
    assert not (tmp_path / "o").exists()


def test_cli_fill_has_help():
    result = CliRunner().invoke(cli, ["fill", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--round", "--only", "--json", "--lang"):
        assert option in result.output


# --- printing -------------------------------------------------------------------------------

@pytest.mark.libreoffice
def test_prints_on_a4_landscape(issued, soffice, tmp_path):
    from cchc_xl.files.libreoffice import convert

    _, _, result = issued
    f = files_by_role(result)["Tư pháp – Hộ tịch"]
    pdf = convert([f.path], tmp_path, "pdf")[0]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info)
    assert size and float(size[1]) > float(size[2])  # landscape
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Trần Văn Bình (ví dụ)" in text
    assert "phiếu cập nhật" in text.casefold()
    assert "Hạn gửi lại:" in text and "08/04/2021" in text
    for code, _ in EXPECTED["Tư pháp – Hộ tịch"]:
        assert re.search(rf"^\s*{re.escape(code)}\s", text, re.MULTILINE), code
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 10_000


# --- email (cchc_xl/cycle/mail.py) ----------------------------------------------------------------

SENDER = "Văn phòng UBND xã Sơn Giang <vanphong@songiang.example>"


@pytest.fixture(autouse=True)
def no_smtp_env(monkeypatch):
    for variable in ("HOST", "PORT", "STARTTLS", "USER", "PASSWORD", "FROM"):
        monkeypatch.delenv(f"CCHC_SMTP_{variable}", raising=False)


class Mailbox:
    """An aiosmtpd handler keeping what it accepts and refusing some recipients."""

    def __init__(self, reject=()):
        self.received: list[tuple[list[str], bytes]] = []
        self.reject = set(reject)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 Ok: queued"


@pytest.fixture
def smtp_server():
    """(mailbox, port) of a real SMTP server on loopback, stopped after the test."""
    import socket

    controller_module = pytest.importorskip("aiosmtpd.controller")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox(reject=("quansu@songiang.example",))
    controller = controller_module.Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()


def _message(data: bytes):
    import email
    import email.policy

    return email.message_from_bytes(data, policy=email.policy.default)


def test_eml_drafts_beside_each_workbook(tmp_path):
    master = new_master(tmp_path)
    result = fill(master, tmp_path / "out", now=NOW, eml=True)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [*FILES.values(), *(n.replace(".xlsx", ".eml") for n in FILES.values())])
    f = files_by_role(result)["Tư pháp – Hộ tịch"]
    assert f.eml == f.path.with_suffix(".eml")
    message = _message(f.eml.read_bytes())
    assert message["X-Unsent"] == "1" and message["From"] is None
    assert message["To"] == '"Trần Văn Bình (ví dụ)" <tuphap@songiang.example>'
    assert message["Subject"] == "[CCHC 2021] Phiếu cập nhật tiến độ – Tư pháp – Hộ tịch – Đợt 1"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Kính gửi Trần Văn Bình (ví dụ),\n")
    assert "UBND xã Sơn Giang" in body and "trước ngày 08/04/2021." in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "dot-1_tu-phap-ho-tich.xlsx"
    assert attachment.get_content() == f.path.read_bytes()
    sent = [r[SENT] for r in load(master)[layout.ROUNDS.name].iter_rows(min_row=2,
                                                                          values_only=True)]
    assert sent == [None] * 6  # drafts are not sent


def test_send_records_each_sent_time_and_a_rerun_skips_what_was_sent(tmp_path, smtp_server):
    from cchc_xl.cycle.mail import SmtpSettings

    mailbox, port = smtp_server
    settings = SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender=SENDER,
                            timeout=10)
    master = new_master(tmp_path)
    result = fill(master, tmp_path / "out", now=NOW, smtp=settings)
    emails = {role: PEOPLE[role][1] for role in EXPECTED}
    assert [to for to, _ in mailbox.received] == [[emails[r]] for r in EXPECTED][:5]
    failed = {f.role: f.send_error for f in result.send_failed}
    assert list(failed) == ["Chỉ huy trưởng Quân sự"]
    assert failed["Chỉ huy trưởng Quân sự"].startswith(
        "Máy chủ thư từ chối người nhận quansu@songiang.example: 550")
    received = _message(mailbox.received[1][1])
    assert received["From"] == SENDER and received["X-Unsent"] is None
    [attachment] = list(received.iter_attachments())
    assert attachment.get_content() == (tmp_path / "out" / FILES["Tư pháp – Hộ tịch"]
                                        ).read_bytes()
    rows = [(r[0], r[1], r[SENT]) for r in load(master)[layout.ROUNDS.name].iter_rows(
        min_row=2, values_only=True)]
    assert [(rnd, role, isinstance(sent, dt.datetime)) for rnd, role, sent in rows] == [
        ("Đợt 1", role, role != "Chỉ huy trưởng Quân sự") for role in EXPECTED]

    mailbox.reject.clear()
    again = fill(master, tmp_path / "out", now=NOW, round_name="Đợt 1", smtp=settings)
    assert again.already_sent == list(EXPECTED)[:5]
    assert [(f.role, f.send_error, f.sent_at is not None) for f in again.files] == [
        ("Chỉ huy trưởng Quân sự", None, True)]
    assert [to for to, _ in mailbox.received][5:] == [["quansu@songiang.example"]]
    rows = [(r[1], r[SENT] is not None) for r in load(master)[layout.ROUNDS.name].iter_rows(
        min_row=2, values_only=True)]
    assert rows[6:] == [("Chỉ huy trưởng Quân sự", True)]
    third = fill(master, tmp_path / "out", round_name="Đợt 1", smtp=settings)
    assert (third.files, third.already_sent) == ([], list(EXPECTED))
    assert len(mailbox.received) == 6


def test_cli_send(tmp_path, smtp_server, monkeypatch):
    mailbox, port = smtp_server
    mailbox.reject.clear()
    master = new_master(tmp_path)
    for name, value in (("HOST", "127.0.0.1"), ("PORT", str(port)), ("STARTTLS", "0"),
                        ("FROM", SENDER)):
        monkeypatch.setenv(f"CCHC_SMTP_{name}", value)
    result = CliRunner().invoke(cli, ["fill", str(master), "--out", str(tmp_path / "o"),
                                      "--only", "Tư pháp", "--send", "--eml"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("  dot-1_tu-phap-ho-tich.xlsx  Tư pháp – Hộ tịch")
    assert lines[2] == "      thư nháp: dot-1_tu-phap-ho-tich.eml"
    assert re.fullmatch(r"      đã gửi email lúc \d\d/\d\d/\d{4} \d\d:\d\d", lines[3])
    assert [to for to, _ in mailbox.received] == [["tuphap@songiang.example"]]


def test_cli_send_without_a_server_is_a_usage_error(tmp_path):
    master = new_master(tmp_path)
    before = master.read_bytes()
    result = CliRunner().invoke(cli, ["fill", str(master), "--out", str(tmp_path / "o"),
                                      "--send"])
    assert result.exit_code == 2
    assert result.stderr == ("Chưa có máy chủ thư: đặt biến môi trường CCHC_SMTP_HOST "
                             "(ví dụ smtp.gmail.com).\n")
    assert not (tmp_path / "o").exists() and master.read_bytes() == before


def test_cli_send_failure_exits_1_and_says_how_to_resume(tmp_path, smtp_server, monkeypatch):
    _, port = smtp_server
    master = new_master(tmp_path)
    result = CliRunner().invoke(cli, [
        "fill", str(master), "--out", str(tmp_path / "o"), "--send", "--smtp-host",
        "127.0.0.1", "--smtp-port", str(port), "--no-starttls"],
        env={"CCHC_SMTP_FROM": SENDER})
    assert result.exit_code == 1
    assert "      CHƯA GỬI được: Máy chủ thư từ chối người nhận quansu@songiang.example" in \
        result.stdout
    assert result.stderr.splitlines()[-1] == (
        '1 thư chưa gửi được. Sửa theo hướng dẫn trên rồi chạy lại với --round "Đợt 1" '
        "--send: các thư đã gửi được sẽ bỏ qua.")

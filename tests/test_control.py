"""The Excel button without Excel: the control sheet's request, the run through the library
(the same functions as the CLI), the outcome on the sheet, and the xlwings glue against a
fake Excel; the real Excel is only tried where it exists."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from cycle import load, plan_values

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.demo import ISSUED_AT, build_demo_master, simulate_returns
from cchc_xl.cycle.fill import fill
from cchc_xl.excel import button as excel
from cchc_xl.excel import control
from cchc_xl.excel.setup import excel_setup
from cchc_xl.files.open_save import excel_lock_file, save

NOW = dt.datetime(2021, 7, 2, 16, 30)
SHEET = layout.CONTROL_SHEET
CELL = {c.key: c.cell for c in (*layout.CONTROL_INPUTS, *layout.CONTROL_RESULTS)}
FIRST = layout.CONTROL_PROBLEMS_ROW
WARNING_E5 = ("Điểm bị mất của mục 1 là 1.05 nhưng tổng điểm bị mất của các tiêu chí con là 1 "
              "(chênh 0.05). Kiểm tra điểm thẩm định hoặc bổ sung tiêu chí còn thiếu.")


# --- fixtures: the demo master set up for Excel, with or without returns waiting -------------

@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """A folder with the demo master (excel-setup done), one round issued and the demo's
    simulated returns in phieu-nhan, not yet consolidated."""
    folder = tmp_path_factory.mktemp("prepared")
    _, master = build_demo_master(folder)
    issued = fill(master, folder / "phieu-gui", round_name="Đợt 1", now=ISSUED_AT)
    simulate_returns({f.role: f.path for f in issued.files}, folder / "phieu-nhan")
    excel_setup(master, addin=False)
    return master


@pytest.fixture
def master(prepared, tmp_path) -> Path:
    folder = tmp_path / "so"
    shutil.copytree(prepared.parent, folder)
    return folder / prepared.name


def set_inputs(path: Path, **values) -> None:
    """Type into the control sheet's input cells, as a user does in Excel."""
    wb = load(path)
    for key, value in values.items():
        wb[SHEET][CELL[key]] = value
    save(wb, path, backup=False)


def sheet_values(path: Path) -> dict[str, object]:
    ws = load(path)[SHEET]
    return {a: ws[a].value for a in control.result_cells(control.failed("locked", lock=""))}


def problem_rows(path: Path) -> list[list]:
    ws = load(path)[SHEET]
    rows = []
    for r in range(FIRST, FIRST + layout.CONTROL_PROBLEMS_MAX):
        row = [ws[f"{c}{r}"].value for c in "ABC"]
        if any(row):
            rows.append(row)
    return rows


# --- reading the request ---------------------------------------------------------------------

@pytest.mark.parametrize("typed, action", [
    ("Kiểm tra", "validate"), ("  kiểm TRA ", "validate"), ("kiem tra", "validate"),
    ("Tạo phiếu", "fill"), (unicodedata.normalize("NFD", "Tạo phiếu"), "fill"),
    ("Tổng hợp", "consolidate"), ("tong hop", "consolidate"), ("consolidate", "consolidate"),
    ("Chấm điểm", "rescore"), ("cham diem", "rescore"),
    ("", None), (None, None), ("Tổng", None), (3, None),
])
def test_action_names(typed, action):
    assert control.parse_action(typed) == action


@pytest.mark.parametrize("typed, date", [
    (None, None), ("", None), ("  ", None),
    (dt.datetime(2021, 6, 30, 0, 0), dt.date(2021, 6, 30)), (dt.date(2021, 6, 30),
                                                             dt.date(2021, 6, 30)),
    ("30/06/2021", dt.date(2021, 6, 30)), ("1/7/2021", dt.date(2021, 7, 1)),
    ("30-06-2021", dt.date(2021, 6, 30)), ("2021-06-30", dt.date(2021, 6, 30)),
    (44377, dt.date(2021, 6, 30)),
])
def test_dates(typed, date):
    assert control.parse_date(typed) == date


@pytest.mark.parametrize("typed", ["31/02/2021", "30/06", "hôm nay", "06/30/2021", True])
def test_bad_dates(typed):
    with pytest.raises(ValueError):
        control.parse_date(typed)


def test_request_resolves_folders_against_the_master(tmp_path):
    (tmp_path / "nhan").mkdir()
    request = control.parse_request(tmp_path / "so.xlsx", {
        "action": "Tổng hợp", "outbox": None, "inbox": "nhan", "round": "  Đợt 2 ",
        "as_of": "30/06/2021", "eml": "Có"})
    assert request.problems == []
    assert (request.action, request.label) == ("consolidate", "Tổng hợp")
    assert request.outbox == tmp_path / "phieu-gui"
    assert request.inbox == tmp_path / "nhan"
    assert (request.round_name, request.as_of, request.eml) == ("Đợt 2", dt.date(2021, 6, 30),
                                                                 True)
    assert request.changes_master
    assert request.command() == f'cchc-xl consolidate "so.xlsx" "{tmp_path / "nhan"}" ' \
                                "--as-of 30/06/2021"
    absolute = control.parse_request(tmp_path / "so.xlsx", {"action": "fill",
                                                            "outbox": str(tmp_path / "x")})
    assert absolute.outbox == tmp_path / "x"
    assert absolute.command() == f'cchc-xl fill "so.xlsx" --out "{tmp_path / "x"}"'


def test_every_bad_input_is_a_problem_at_its_cell(tmp_path):
    request = control.parse_request(tmp_path / "so.xlsx", {
        "action": "Nhảy", "as_of": "31/13/2021", "eml": "có lẽ"})
    assert [[p.where, p.code, p.value] for p in request.problems] == [
        ["'Điều khiển'!B4", "control-action-unknown", "Nhảy"],
        ["'Điều khiển'!B8", "control-date-invalid", "31/13/2021"],
        ["'Điều khiển'!B9", "control-yes-no-invalid", "có lẽ"],
    ]
    assert request.problems[0].message() == (
        "Thao tác «Nhảy» không có trong danh sách. Chọn một trong: Kiểm tra, Tạo phiếu, Tổng "
        "hợp, Chấm điểm, Nhắc việc, Xuất phụ lục, Báo cáo tiến độ, Tạo sổ mới.")
    assert not request.changes_master
    outcome = control.run_request(request, now=NOW)
    assert (outcome.status, outcome.exit_code()) == ("failed", 2)
    assert outcome.message == ("Chưa chạy: sửa B4, B8, B9 trên sheet «Điều khiển» rồi bấm lại "
                               "(xem danh sách vấn đề bên dưới).")


def test_consolidate_needs_its_inbox(tmp_path):
    request = control.parse_request(tmp_path / "so.xlsx", {"action": "Tổng hợp"})
    assert [[p.where, p.code] for p in request.problems] == [
        ["'Điều khiển'!B6", "control-folder-missing"]]
    assert str(tmp_path / "phieu-nhan") in request.problems[0].message()


@pytest.mark.parametrize("action, changes", [("validate", False), ("fill", True),
                                             ("consolidate", True), ("rescore", True)])
def test_only_validate_leaves_the_master_open_in_excel(action, changes, tmp_path):
    request = control.Request(tmp_path / "so.xlsx", action)
    assert request.changes_master is changes


def test_a_master_without_control_sheet_says_run_excel_setup(tmp_path):
    _, master = build_demo_master(tmp_path)
    before = master.read_bytes()
    outcome = control.run_file(master, now=NOW)
    assert outcome.status == "failed"
    assert [[p.code, p.message()] for p in outcome.problems] == [[
        "control-sheet-missing", "Sổ chưa có sheet «Điều khiển». Chạy một lần lệnh «cchc-xl "
        "excel-setup ke_hoach_cchc_2021.xlsx» để thêm sheet điều khiển."]]
    assert master.read_bytes() == before


def test_unreadable_master(tmp_path):
    bad = tmp_path / "so.xlsx"
    bad.write_bytes(b"not a workbook")
    outcome = control.run_file(bad, now=NOW)
    assert outcome.status == "failed"
    assert outcome.message.startswith("Không đọc được sổ so.xlsx: không phải tệp .xlsx")


# --- running: the same library functions as the CLI ----------------------------------------

def test_validate_writes_the_outcome_on_the_sheet(master):
    outcome = control.run_file(master, now=NOW)
    assert (outcome.status, outcome.exit_code()) == ("problems", 1)
    assert outcome.counts == {"errors": 0, "warnings": 1, "infos": 0}
    assert outcome.command == 'cchc-xl validate "ke_hoach_cchc_2021.xlsx"'
    values = sheet_values(master)
    assert {k: values[CELL[k]] for k in ("ran_at", "ran_action", "status", "counts", "report",
                                         "message", "todo")} == {
        "ran_at": NOW, "ran_action": "Kiểm tra", "status": "Xong, có vấn đề cần xem",
        "counts": "0 lỗi, 1 cảnh báo, 0 thông tin", "report": None,
        "message": "Kiểm tra xong: 0 lỗi, 1 cảnh báo, 0 thông tin. Xem các ô trong danh sách "
                   "bên dưới.",
        # (as of the run's day, 02/07/2021: no deadline has passed, nothing was issued late)
        "todo": "Xong, không còn việc nào cần làm."}
    assert problem_rows(master) == [["'Kế hoạch'!E5", "Cảnh báo", WARNING_E5]]
    ws = load(master)[SHEET]
    assert ws[CELL["status"]].fill.fgColor.rgb == layout.CONTROL_STATUSES["problems"][1]
    assert ws[CELL["ran_at"]].number_format == layout.DATETIME


def test_validate_outcome_equals_the_cli_report(master):
    result = CliRunner().invoke(cli, ["validate", str(master), "--json"])
    report = json.loads(result.stdout)
    outcome = control.run_file(master, now=NOW, write=False)
    assert result.exit_code == outcome.exit_code() == 1
    assert [[p["where"], p["code"]] for p in report["problems"]] == [
        [p.where, p.code] for p in outcome.problems]
    assert {k: report["stats"][k] for k in outcome.counts} == outcome.counts


def test_a_second_run_clears_the_first_runs_problems(master):
    set_inputs(master, action="Chấm điểm", as_of="hôm qua")
    control.run_file(master, now=NOW)
    assert [row[:2] for row in problem_rows(master)] == [["'Điều khiển'!B8", "Lỗi"]]
    set_inputs(master, action="Chấm điểm", as_of="30/06/2021")
    outcome = control.run_file(master, now=NOW)
    assert outcome.status == "ok"
    assert problem_rows(master) == []
    assert load(master)[SHEET][CELL["status"]].fill.fgColor.rgb == \
        layout.CONTROL_STATUSES["ok"][1]


def test_fill_from_the_control_sheet(master):
    set_inputs(master, action="Tạo phiếu", round="Đợt 2", eml="Có", outbox="dot2")
    outcome = control.run_file(master, now=NOW)
    folder = master.parent / "dot2"
    assert (outcome.status, outcome.counts) == ("ok", {"workbooks": 6})
    assert outcome.report == str(folder)
    assert outcome.message == (
        f"Đã tạo 6 phiếu đợt «Đợt 2» trong thư mục {folder} (hạn gửi lại 09/07/2021). Gửi mỗi "
        "phiếu cho cán bộ có tên trong tên tệp (thư nháp .eml nằm cạnh phiếu, mở bằng Outlook "
        "để gửi).")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"dot-2_{r}.{ext}" for r in ("chi-huy-truong-quan-su", "dia-chinh-xay-dung",
                                     "tai-chinh-ke-toan", "tu-phap-ho-tich", "van-hoa-xa-hoi",
                                     "van-phong-thong-ke") for ext in ("xlsx", "eml"))
    rounds = load(master)[layout.ROUNDS.name]
    assert [rounds.cell(row=r, column=1).value for r in range(2, rounds.max_row + 1)] == \
        ["Đợt 1"] * 6 + ["Đợt 2"] * 6
    assert load(master)[SHEET][CELL["ran_action"]].value == "Tạo phiếu"


def test_fill_refused_lists_the_errors_with_their_cells(master):
    wb = load(master)
    wb[layout.ROSTER.name]["E2"] = "khong-phai-email"
    save(wb, master, backup=False)
    set_inputs(master, action="Tạo phiếu")
    outcome = control.run_file(master, now=NOW)
    assert (outcome.status, outcome.counts) == ("failed", {"errors": 1})
    assert outcome.message == ("Không tạo phiếu nào: sổ có 1 lỗi phải sửa trước (xem bên "
                               "dưới), rồi bấm lại.")
    assert [row[:2] for row in problem_rows(master)] == [["'Cán bộ'!E2", "Lỗi"]]


def test_consolidate_from_the_control_sheet_equals_the_cli(master, tmp_path):
    twin = tmp_path / "twin"
    shutil.copytree(master.parent, twin)
    set_inputs(master, action="Tổng hợp", as_of=dt.datetime(2021, 6, 30))
    outcome = control.run_file(master, now=NOW)
    assert (outcome.status, outcome.exit_code()) == ("problems", 1)
    assert outcome.counts == {"files": 6, "changes": 21, "conflicts": 0, "rejected": 3,
                              "not_returned": 1}
    assert outcome.message == (
        "Đã tổng hợp 6 tệp: 21 thay đổi được áp dụng, 0 xung đột, 3 từ chối hoặc cảnh báo. "
        "Chưa gửi lại: Tài chính – Kế toán (Phạm Thị Dung (ví dụ)).")
    assert Path(outcome.report).is_file()
    assert [[p.where, p.code] for p in outcome.first_problems()[:3]] == [  # (by officer)
        ["tu phap/Phieu cap nhat - Tu phap.xlsx › 'Phiếu cập nhật'!I16",
         "progress-percent-out-of-range"],
        ["Tra loi Van phong.eml › dot-1_van-hoa-xa-hoi.xlsx › 'Phiếu cập nhật'!K19",
         "expected-out-of-range"],
        ["Địa chính.xlsx › 'Phiếu cập nhật'!A11", "row-tampered"],
    ]
    cli_master = twin / master.name
    result = CliRunner().invoke(cli, ["consolidate", str(cli_master), str(twin / "phieu-nhan"),
                                      "--as-of", "30/06/2021"])
    assert result.exit_code == outcome.exit_code()
    for key in (*layout.REPORT_FIELDS, "support_notes"):
        assert plan_values(master, key) == plan_values(cli_master, key), key
    # the control sheet survives consolidation, with what the user typed
    wb = load(master)
    assert wb.sheetnames[0] == SHEET
    assert wb[SHEET][CELL["action"]].value == "Tổng hợp"
    assert layout.CONTROL_ACTIONS_NAME in wb.defined_names
    assert [dv.formula1 for dv in wb[SHEET].data_validations.dataValidation] == [
        layout.CONTROL_ACTIONS_NAME, "DS_CoKhong", "DS_CoKhong"]


def test_rescore_recolours_as_of_a_date_without_reading_returns(master):
    set_inputs(master, action="Tổng hợp", as_of="30/06/2021")
    control.run_file(master, now=NOW)
    set_inputs(master, action="Chấm điểm", as_of="01/01/2022")
    outcome = control.run_file(master, now=NOW + dt.timedelta(hours=1))
    assert (outcome.status, outcome.label, outcome.exit_code()) == ("todo", "Chấm điểm", 0)
    assert outcome.needs.line() == (
        "Xong. Còn việc cần làm: 1 cán bộ chưa gửi lại (Tài chính – Kế toán (Phạm Thị Dung (ví "
        "dụ))), 8 dòng quá hạn (1.6, 1.7, 3.2.1, 3.2.3, 4.2, 4.3, 7.1.7, 7.2.5), 2 giá trị bị từ "
        "chối chưa được gửi lại, 4 dòng hoàn thành chưa có minh chứng.")
    values = sheet_values(master)
    assert (values[CELL["status"]], values[CELL["todo"]]) == (
        "Xong, còn việc cần làm", outcome.needs.line())
    assert outcome.counts == {"not_started": 0, "in_progress": 0, "done": 4, "overdue": 8}
    assert outcome.message == ("Chỉ số toàn bộ 91.55 % (Xuất sắc), dự kiến 93.35 % khi xong "
                               "các việc đã báo. Tính đến 01/01/2022: 8 dòng quá hạn.")
    assert outcome.counts_text() == ("0 dòng chưa thực hiện, 0 dòng đang thực hiện, 4 dòng "
                                     "hoàn thành, 8 dòng quá hạn")
    assert Path(outcome.report).name == "ke_hoach_cchc_2021_bao-cao_20210702-173000.xlsx"
    plan = load(master)[layout.PLAN.name]
    rows = {str(plan.cell(row=r, column=1).value): r for r in range(5, plan.max_row + 1)}
    overdue = layout.STATUS_COLOURS[layout.STATUS_OVERDUE]
    assert plan.cell(row=rows["3.2.3"], column=1).fill.fgColor.rgb == overdue
    assert plan.cell(row=rows["2.5"], column=1).fill.fgColor.rgb == \
        layout.STATUS_COLOURS[layout.STATUS_DONE]


def test_a_locked_master_is_an_outcome_not_a_crash(master):
    set_inputs(master, action="Tạo phiếu")
    excel_lock_file(master).write_bytes(b"owner")
    outcome = control.run_file(master, now=NOW)
    lock = excel_lock_file(master)
    assert outcome.status == "failed"
    assert outcome.message == (
        f"Sổ đang mở ở nơi khác hoặc đang được ghi ({lock}). Đóng sổ ở máy/cửa sổ kia rồi bấm "
        f"lại. (Không ghi được kết quả vào sổ: {lock}.)")


def test_every_failure_of_the_button_carries_its_problem(master, tmp_path, monkeypatch):
    """A run that fails says it in the button's words and carries the problem the command
    line would (outputs.failures): on the sheet's problem rows, with --json, in the log."""
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"not a workbook")
    assert [p.code for p in control.run_file(bad, now=NOW).problems] == ["cannot-read"]
    set_inputs(master, action="Tạo phiếu")
    excel_lock_file(master).write_bytes(b"owner")
    assert [p.code for p in control.run_file(master, now=NOW).problems] == ["master-locked"]
    excel_lock_file(master).unlink()

    def boom(*args, **kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr("cchc_xl.cycle.fill.fill", boom)
    outcome = control.run_file(master, now=NOW)
    assert [(p.code, p.params["error"]) for p in outcome.problems] == [
        ("unexpected-error", "RuntimeError: hỏng")]
    assert problem_rows(master)[0][2] == outcome.problems[0].message("vi")


def test_an_unexpected_error_names_the_command_to_debug(master, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr("cchc_xl.master.check.validate", boom)
    outcome = control.run_file(master, now=NOW)
    assert outcome.status == "failed"
    assert outcome.message == (
        "Lỗi không lường trước: RuntimeError: hỏng. Chạy lệnh «cchc-xl validate "
        "\"ke_hoach_cchc_2021.xlsx\" --debug» trong cửa sổ lệnh để xem chi tiết, rồi gửi cho "
        "người hỗ trợ.")


# --- the result area -------------------------------------------------------------------------

def test_only_the_first_problems_are_shown():
    from cchc_xl.problems import ERROR, INFO, Problem

    problems = [Problem("code-missing", INFO if i % 2 else ERROR, "Kế hoạch", f"A{i + 5}")
                for i in range(14)]
    outcome = control.Outcome(NOW, "validate", "Kiểm tra", "problems", "x", problems=problems)
    cells = control.result_cells(outcome)
    shown = [cells[f"A{r}"] for r in range(FIRST, FIRST + layout.CONTROL_PROBLEMS_MAX)]
    assert shown == ["'Kế hoạch'!A5", "'Kế hoạch'!A7", "'Kế hoạch'!A9", "'Kế hoạch'!A11",
                     "'Kế hoạch'!A13", "'Kế hoạch'!A15", "'Kế hoạch'!A17", "'Kế hoạch'!A6",
                     "'Kế hoạch'!A8", "'Kế hoạch'!A10"]
    assert f"A{FIRST + layout.CONTROL_PROBLEMS_MAX}" not in cells
    request = control.Request(Path("so.xlsx"), None, problems=problems)
    assert control.run_request(request, now=NOW).message.endswith(
        " Còn 4 vấn đề khác không hiện ở đây.")


def test_text_excel_would_read_as_a_formula_is_quoted_for_excel():
    outcome = control.Outcome(NOW, "validate", "Kiểm tra", "ok", "=SUM(A1)")
    assert control.result_cells(outcome)[CELL["message"]] == "=SUM(A1)"
    assert control.result_cells(outcome, for_excel=True)[CELL["message"]] == "'=SUM(A1)"


def test_outcome_as_data():
    outcome = control.Outcome(NOW, "fill", "Tạo phiếu", "ok", "xong", {"workbooks": 6},
                              "/tmp/x")
    assert json.loads(json.dumps(outcome.to_dict())) == {
        "ran_at": "2021-07-02T16:30:00", "action": "fill", "label": "Tạo phiếu",
        "status": "ok", "ok": True, "message": "xong", "counts": {"workbooks": 6},
        "report": "/tmp/x", "command": "", "problems": [], "needs_action": None}
    assert outcome.counts_text("en") == "6 workbooks written"


# --- the xlwings glue (excel.py) against a fake Excel ----------------------------------------

class FakeRange:
    def __init__(self, sheet: FakeSheet, address: str):
        self.sheet, self.address = sheet, address

    @property
    def value(self):
        return self.sheet.cells.get(self.address)

    @value.setter
    def value(self, value):
        self.sheet.cells[self.address] = value

    @property
    def color(self):
        return self.sheet.colours.get(self.address)

    @color.setter
    def color(self, value):
        self.sheet.colours[self.address] = value


class FakeSheet:
    def __init__(self, name: str, excel: FakeExcel):
        self.name, self.excel, self.cells, self.colours = name, excel, {}, {}

    def range(self, address: str) -> FakeRange:
        return FakeRange(self, address)

    def activate(self) -> None:
        self.excel.events.append(f"activate {self.name}")


class FakeSheets(list):
    def __getitem__(self, key):
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return super().__getitem__(key)


class FakeExcel:
    """What xlwings gives main(): the caller Book with save/close, its App's books.open. While
    the fake has the workbook open its ~$ owner file exists, as with Excel."""

    def __init__(self):
        self.events: list[str] = []
        self.books = self  # app.books.open(...)
        self.opened: list[FakeBook] = []

    def open(self, fullname: str) -> FakeBook:
        self.events.append("open")
        return FakeBook(self, fullname)


class FakeBook:
    def __init__(self, app: FakeExcel, fullname: str):
        self.app, self.fullname = app, fullname
        self.sheets = FakeSheets(FakeSheet(n, app) for n in load(Path(fullname)).sheetnames)
        excel_lock_file(Path(fullname)).write_bytes(b"owner")
        app.opened.append(self)

    def save(self) -> None:
        self.app.events.append("save")

    def close(self) -> None:
        self.app.events.append("close")
        excel_lock_file(Path(self.fullname)).unlink()


def test_button_validate_keeps_the_workbook_open(master):
    app = FakeExcel()
    book = FakeBook(app, str(master))
    outcome = excel.main(book)
    assert outcome.status == "problems"
    assert app.events == ["save", f"activate {SHEET}", "save"]
    assert len(app.opened) == 1
    cells = book.sheets[SHEET].cells
    assert cells[CELL["status"]] == "Xong, có vấn đề cần xem"
    assert [cells[f"{c}{FIRST}"] for c in "ABC"] == ["'Kế hoạch'!E5", "Cảnh báo", WARNING_E5]
    assert cells[f"A{FIRST + 1}"] is None
    assert book.sheets[SHEET].colours == {CELL["status"]: "#FFEB9C"}


def test_button_consolidate_closes_runs_on_the_file_and_reopens(master):
    set_inputs(master, action="Tổng hợp", as_of="30/06/2021")
    app = FakeExcel()
    book = FakeBook(app, str(master))
    outcome = excel.main(book)
    # the library wrote the master while Excel had let go of it (else MasterLocked)
    assert (outcome.status, outcome.counts["changes"]) == ("problems", 21)
    assert app.events == ["save", "close", "open", f"activate {SHEET}", "save"]
    reopened = app.opened[-1]
    assert reopened is not book
    assert reopened.sheets[SHEET].cells[CELL["ran_action"]] == "Tổng hợp"
    assert plan_values(master, "status")["2.5"] == layout.STATUS_DONE
    assert excel_lock_file(master).exists()  # open again in the fake Excel


def test_button_reopens_even_when_the_run_crashes(master, monkeypatch):
    set_inputs(master, action="Tạo phiếu")
    monkeypatch.setattr(control, "run_request", lambda request: 1 / 0)
    app = FakeExcel()
    with pytest.raises(ZeroDivisionError):
        excel.main(FakeBook(app, str(master)))
    assert app.events == ["save", "close", "open"]


def test_button_on_a_book_that_is_not_a_local_file(tmp_path, master):
    app = FakeExcel()
    book = FakeBook(app, str(master))
    book.fullname = "https://d.docs.live.net/abc/ke_hoach_cchc_2021.xlsx"
    outcome = excel.main(book)
    assert outcome.status == "failed"
    assert outcome.message.startswith("Sổ phải được lưu thành tệp .xlsx trong một thư mục")
    assert app.events == [f"activate {SHEET}"]


EXCEL_REASON = (f"Microsoft Excel is not available on {sys.platform}: xlwings' App/Book drive "
                "Excel on Windows and macOS only; the glue is tested against FakeExcel above")


@pytest.mark.skipif(sys.platform not in ("win32", "darwin"), reason=EXCEL_REASON)
def test_button_in_real_excel(master):  # pragma: no cover - needs Excel
    import xlwings as xw

    set_inputs(master, action="Tạo phiếu", round="Đợt 2")
    app = xw.App(visible=False, add_book=False)
    try:
        book = app.books.open(str(master))
        outcome = excel.main(book)
        assert outcome.status == "ok", outcome.message
        reopened = app.books[master.name]
        assert reopened.sheets[SHEET].range(CELL["status"]).value == "Xong, không có vấn đề"
        assert reopened.sheets[SHEET].range(CELL["counts"]).value == "6 phiếu đã tạo"
        reopened.close()
    finally:
        app.quit()
    assert not excel_lock_file(master).exists()


# --- every command from the control sheet: export, report, a new master ---------------------

def test_export_from_the_control_sheet(master):
    set_inputs(master, action="Xuất phụ lục")
    before = master.read_bytes()
    outcome = control.run_file(master, now=NOW, write=False)
    docx = master.with_name("ke_hoach_cchc_2021_phu-luc.docx")
    assert (outcome.status, outcome.counts, outcome.report) == ("ok", {"rows": 20}, str(docx))
    assert outcome.message == (
        f"Đã xuất phụ lục kế hoạch (20 dòng) ra tệp Word {docx}.")
    assert outcome.command == 'cchc-xl export "ke_hoach_cchc_2021.xlsx"'
    assert docx.is_file() and docx.read_bytes()[:2] == b"PK"
    assert master.read_bytes() == before  # reading only: Excel keeps the workbook open
    assert not control.read_request(master).changes_master


def test_report_from_the_control_sheet(master):
    set_inputs(master, action="Báo cáo tiến độ", as_of="31/12/2021")
    assert control.read_request(master).changes_master
    outcome = control.run_file(master, now=NOW)
    docx = master.with_name("ke_hoach_cchc_2021_bao-cao-tien-do_20211231.docx")
    assert (outcome.status, outcome.report) == ("ok", str(docx))
    assert outcome.counts == {"not_started": 12, "in_progress": 0, "done": 0, "overdue": 0}
    assert outcome.message == (
        f"Đã lập báo cáo tiến độ {docx} (tính đến 31/12/2021: 0 dòng quá hạn); bảng tóm tắt và "
        "biểu đồ ở sheet «Tổng hợp» của sổ.")
    assert outcome.command == 'cchc-xl report "ke_hoach_cchc_2021.xlsx" --as-of 31/12/2021'
    assert docx.is_file()
    values = sheet_values(master)
    assert (values[CELL["ran_action"]], values[CELL["status"]], values[CELL["report"]],
            values[CELL["todo"]]) == ("Báo cáo tiến độ", "Xong, không có vấn đề", str(docx),
                                      "Xong, không còn việc nào cần làm.")


def test_a_new_master_from_the_control_sheet_never_overwrites(master):
    plan = master.parent / "son_giang_2021.txt"
    assert plan.is_file()
    set_inputs(master, action="Tạo sổ mới", plan=plan.name, new_master="so-2022.xlsx")
    target = master.parent / "so-2022.xlsx"
    outcome = control.run_file(master, now=NOW)
    # (the seed writes area 1's lost points as 1.03: said, as `cchc-xl new` says it)
    assert (outcome.status, outcome.counts, outcome.report) == ("problems", {"rows": 20},
                                                                 str(target))
    assert [[p.where, p.code] for p in outcome.problems] == [
        ["son_giang_2021.txt!1", "lost-differs-from-document"]]
    assert outcome.message == (
        f"Đã tạo sổ mới {target} (20 dòng kế hoạch) từ son_giang_2021.txt. Mở sổ mới, kiểm tra "
        "sheet «Cán bộ», rồi chạy «cchc-xl excel-setup» cho sổ đó.")
    assert outcome.command == f'cchc-xl new "{target}" --from "{plan}"'
    assert outcome.needs is None  # (the open work of another master is not this one's)
    assert load(target)[layout.PLAN.name]["A5"].value == "1"
    made = target.read_bytes()
    # a second run refuses: the file exists and «Ghi đè» says Không
    outcome = control.run_file(master, now=NOW)
    assert (outcome.status, outcome.exit_code()) == ("failed", 2)
    assert [[p.where, p.code, p.message()] for p in outcome.problems] == [[
        "'Điều khiển'!B11", "control-new-exists",
        f"Tệp {target} đã có: không ghi đè. Gõ tên tệp khác, hoặc chọn «Có» ở ô B12 nếu thật "
        "sự muốn thay tệp đó (có sao lưu trước)."]]
    assert target.read_bytes() == made
    assert problem_rows(master)[0][:2] == ["'Điều khiển'!B11", "Lỗi"]
    # only an explicit yes replaces it, after a backup
    set_inputs(master, action="Tạo sổ mới", plan=plan.name, new_master="so-2022.xlsx",
               overwrite="Có")
    outcome = control.run_file(master, now=NOW)
    assert outcome.status == "problems" and outcome.command.endswith(" --force")
    assert [p.name for p in (master.parent / "sao-luu").glob("so-2022_*.xlsx")] != []


@pytest.mark.parametrize("inputs, cells", [
    ({"plan": "khong-co.docx", "new_master": "so-2022.xlsx"}, [
        ["'Điều khiển'!B10", "control-plan-missing"]]),
    ({"plan": "son_giang_2021.txt", "new_master": "ke_hoach_cchc_2021.xlsx",
      "overwrite": "Có"}, [["'Điều khiển'!B11", "control-new-is-this-master"]]),
    ({"plan": "son_giang_2021.txt", "new_master": "so-2022"}, [
        ["'Điều khiển'!B11", "control-new-master-name"]]),
    ({"plan": None, "new_master": None, "overwrite": "có lẽ"}, [
        ["'Điều khiển'!B10", "control-plan-missing"],
        ["'Điều khiển'!B11", "control-new-master-name"],
        ["'Điều khiển'!B12", "control-yes-no-invalid"]]),
])
def test_a_new_master_needs_a_plan_and_another_file(master, inputs, cells):
    before = sorted(p.name for p in master.parent.iterdir())
    outcome = control.run_request(control.parse_request(master, {"action": "Tạo sổ mới",
                                                                 **inputs}), now=NOW)
    assert outcome.status == "failed"
    assert [[p.where, p.code] for p in outcome.problems] == cells
    assert sorted(p.name for p in master.parent.iterdir()) == before


def test_every_action_is_one_entry():
    assert set(control.ACTIONS) >= set(layout.CONTROL_ACTIONS.values())
    assert {k for k, a in control.ACTIONS.items() if a.writes} >= {
        "fill", "consolidate", "rescore", "report"}
    assert not control.ACTIONS["export"].writes and not control.ACTIONS["new"].writes


# --- what still needs action, said plainly ---------------------------------------------------

def test_the_needs_action_line_for_a_constructed_case(master):
    from cchc_xl.master.needs_action import needs_action_of
    from cchc_xl.master.pending import OpenMatter, write_pending
    from cchc_xl.problems import WARNING, Problem

    wb = load(master)
    write_pending(wb, [
        OpenMatter(layout.PENDING_NOT_RETURNED, "Tư pháp – Hộ tịch", "Trần Văn Bình", "Đợt 1"),
        OpenMatter(layout.PENDING_NOT_RETURNED, "Tài chính – Kế toán", "", "Đợt 1"),
        OpenMatter(layout.PENDING_REJECTED, "Văn hóa – Xã hội", "Hoàng Văn Em", "Đợt 1",
                   "1.6", "progress", 130, "x.xlsx", NOW, "Tiến độ quá 100 %"),
    ])
    save(wb, master, backup=False)
    flagged = [Problem("done-without-evidence", WARNING, layout.PLAN.name, "N6"),
               Problem("lost-children-mismatch", WARNING, layout.PLAN.name, "E5")]
    needs = needs_action_of(master, dt.date(2022, 1, 1), flagged)
    assert needs.line() == (
        "Xong. Còn việc cần làm: 2 cán bộ chưa gửi lại (Tư pháp – Hộ tịch (Trần Văn Bình); Tài "
        "chính – Kế toán), 12 dòng quá hạn (1.2, 1.6, 1.7, 2.5, 3.2.1, 3.2.3, 4.2, 4.3, …), 1 giá "
        "trị bị từ chối chưa được gửi lại, 1 dòng hoàn thành chưa có minh chứng.")
    assert needs.line("en") == (
        "Done. Still to act on: 2 officers not returned (Tư pháp – Hộ tịch (Trần Văn Bình); Tài "
        "chính – Kế toán), 12 rows overdue (1.2, 1.6, 1.7, 2.5, 3.2.1, 3.2.3, 4.2, 4.3, …), 1 "
        "refused value still open, 1 rows done without evidence.")
    assert needs.overdue == ["1.2", "1.6", "1.7", "2.5", "3.2.1", "3.2.3", "4.2", "4.3",
                             "7.1.6", "7.1.7", "7.2.4", "7.2.5"]
    assert needs_action_of(master, dt.date(2021, 7, 1), []).line() == (
        "Xong. Còn việc cần làm: 2 cán bộ chưa gửi lại (Tư pháp – Hộ tịch (Trần Văn Bình); Tài "
        "chính – Kế toán), 1 giá trị bị từ chối chưa được gửi lại.")

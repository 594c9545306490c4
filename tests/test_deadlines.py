"""Deadlines stay derived from the time frame: `validate` reports a stale one, `--fix` (and
`refresh_deadlines`) sets it again and logs it; a deadline typed without a time frame stays.

Each test builds the Sơn Giang master (rows 5..24; 1.2 on row 6, 1.6 on row 7, 1.7 on row 8,
every leaf «Trong năm 2021» → 31/12/2021), edits it with openpyxl the way an office edits it
in Excel, and compares exact outcomes. `AREA_1` is the seed's own warning (see
test_validate.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.demo import run_demo
from cchc_xl.master.check import validate
from cchc_xl.master.deadlines import (
    FROM_TIMEFRAME,
    NO_DEADLINE,
    TYPED,
    UNREADABLE,
    DeadlineChange,
    derived_deadline,
    log_changes,
    log_entries,
    refresh_deadlines,
)
from cchc_xl.master.reading import SheetRow, read_master

PLAN = layout.PLAN.name
LOG = layout.CHANGELOG.name
AREA_1 = ["'Kế hoạch'!E5", "lost-children-mismatch"]
END_2021 = dt.datetime(2021, 12, 31)


@pytest.fixture
def master(tmp_path: Path) -> Path:
    return run_demo(tmp_path / "so").master


def put(path: Path, **cells) -> None:
    wb = openpyxl.load_workbook(path)
    for address, value in cells.items():
        wb[PLAN][address] = value
    wb.save(path)


def cell(path: Path, address: str, sheet: str = PLAN) -> tuple[object, str]:
    c = openpyxl.load_workbook(path)[sheet][address]
    return c.value, c.number_format


def log_rows(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[LOG]
    # (from the kind to the note; the field's key, the last column, is checked on its own)
    return [tuple(c.value for c in row)[1:9] for row in ws.iter_rows(min_row=2)
            if row[0].value]


def refresh(path: Path) -> tuple[list[DeadlineChange], openpyxl.Workbook]:
    wb = openpyxl.load_workbook(path)
    return refresh_deadlines(wb, read_master(wb)), wb


# --- the rule ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("timeframe", "deadline", "year", "expected"), [
    ("Quý I/2022", END_2021, 2021, (dt.date(2022, 3, 31), FROM_TIMEFRAME)),
    ("Quý II", None, 2021, (dt.date(2021, 6, 30), FROM_TIMEFRAME)),  # the settings' year
    ("Quý II", END_2021, None, (None, UNREADABLE)),  # no year anywhere
    ("Khi có kinh phí", END_2021, 2021, (None, UNREADABLE)),  # a date stored changes nothing
    (dt.datetime(2021, 6, 30), None, 2021, (dt.date(2021, 6, 30), FROM_TIMEFRAME)),  # Excel
    (None, dt.datetime(2021, 8, 15), 2021, (dt.date(2021, 8, 15), TYPED)),
    ("  ", dt.date(2021, 8, 15), 2021, (dt.date(2021, 8, 15), TYPED)),
    (None, None, 2021, (None, NO_DEADLINE)),
    (None, "15/8", 2021, (None, NO_DEADLINE)),  # no date: validate says not-a-date
])
def test_derived_deadline(timeframe, deadline, year, expected) -> None:
    row = SheetRow(6, {"code": "1.2", "timeframe": timeframe, "deadline": deadline})
    assert derived_deadline(row, year) == expected


def test_the_demo_master_is_in_step(master: Path) -> None:
    changes, _ = refresh(master)
    assert changes == []


# --- a time frame edited in Excel -------------------------------------------------------------

def test_edited_time_frame_is_stale_until_fix_sets_it_again(master: Path) -> None:
    put(master, I6="Quý I/2022")
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!K6", "deadline-stale"]]
    stale = report.problems[1]
    assert (stale.severity, stale.value, stale.params) == (
        "warning", "31/12/2021", {"expected": "31/03/2022", "timeframe": "Quý I/2022"})
    assert stale.message("en") == (
        "The deadline does not match the time frame 'Quý I/2022': it should be 31/03/2022. "
        "Run 'cchc-xl validate --fix' to set it again from the time frame (every "
        "consolidation and fill does so too). If the deadline must be another date, change "
        "the time frame instead, e.g. '30/6/2021'.")
    before = master.read_bytes()

    fixed = validate(master, fix=True)
    assert [[p.where, p.code, p.fixed] for p in fixed.problems] == [
        AREA_1 + [False], ["'Kế hoạch'!K6", "deadline-stale", True]]
    assert (fixed.stats["fixed"], fixed.stats["deadlines"]) == (0, 1)
    assert Path(fixed.stats["backup"]).read_bytes() == before
    assert cell(master, "K6") == (dt.datetime(2022, 3, 31), layout.DATE)
    [entry] = log_rows(master)
    assert entry == ("Tính lại hạn", master.name, "cchc-xl", "1.2", "Hạn hoàn thành",
                     END_2021, dt.datetime(2022, 3, 31), "Quý I/2022")
    assert [cell(master, f"{c}2", LOG)[1] for c in "GH"] == [layout.DATE] * 2
    assert validate(master).flatten() == [AREA_1]

    after = master.read_bytes()
    again = validate(master, fix=True)  # nothing left to fix: the file is left alone
    assert "deadlines" not in again.stats
    assert master.read_bytes() == after


def test_unreadable_time_frame_is_an_error_even_with_a_deadline_stored(master: Path) -> None:
    put(master, I7="Khi có kinh phí")
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!I7", "timeframe-unparsed"]]
    assert report.problems[1].value == "Khi có kinh phí"

    changes, wb = refresh(master)
    assert changes == [DeadlineChange("1.6", 7, dt.date(2021, 12, 31), None, "Khi có kinh phí")]
    assert wb[PLAN]["K7"].value is None
    assert refresh_deadlines(wb, read_master(wb)) == []  # idempotent

    fixed = validate(master, fix=True)
    assert [[p.where, p.code, p.fixed] for p in fixed.problems] == [
        AREA_1 + [False], ["'Kế hoạch'!I7", "timeframe-unparsed", False]]
    assert cell(master, "K7")[0] is None
    assert log_rows(master) == [("Tính lại hạn", master.name, "cchc-xl", "1.6",
                                 "Hạn hoàn thành", END_2021, None, "Khi có kinh phí")]


def test_the_settings_year_moves_time_frames_that_write_none(master: Path) -> None:
    wb = openpyxl.load_workbook(master)
    wb[PLAN]["I6"] = "Quý II"
    wb[layout.SETTINGS_SHEET]["B8"] = 2022  # «Năm thực hiện» (checked below)
    wb.save(master)
    assert openpyxl.load_workbook(master)[layout.SETTINGS_SHEET]["A8"].value == "Năm thực hiện"
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!K6", "deadline-stale"]]
    assert report.problems[1].params == {"expected": "30/06/2022", "timeframe": "Quý II"}


# --- rows typed by hand -----------------------------------------------------------------------

def test_a_row_typed_by_hand_with_only_a_time_frame_gets_its_deadline(master: Path) -> None:
    wb = openpyxl.load_workbook(master)
    ws = wb[PLAN]
    ws.insert_rows(25)  # above TỔNG CỘNG: a new criterion typed into an empty row
    for key, value in {"code": "7.2.6", "title": "Tiêu chí mới", "max_points": 1,
                       "appraised": 0.5, "action": "Rà soát", "lead": "Văn phòng",
                       "timeframe": "Tháng 9/2021"}.items():
        ws.cell(row=25, column=layout.PLAN.index(key), value=value)
    wb.save(master)

    changes, wb = refresh(master)
    assert changes == [DeadlineChange("7.2.6", 25, None, dt.date(2021, 9, 30), "Tháng 9/2021")]
    assert (wb[PLAN]["K25"].value, wb[PLAN]["K25"].number_format) == (
        dt.date(2021, 9, 30), layout.DATE)
    assert refresh_deadlines(wb, read_master(wb)) == []


def test_a_cleared_deadline_is_stale_and_the_view_follows_the_refresh(master: Path) -> None:
    put(master, K8=None)
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!K8", "deadline-stale"]]
    assert (report.problems[1].value, report.problems[1].params) == (
        None, {"expected": "31/12/2021", "timeframe": "Trong năm 2021"})
    wb = openpyxl.load_workbook(master)
    view = read_master(wb)
    assert refresh_deadlines(wb, view) == [
        DeadlineChange("1.7", 8, None, dt.date(2021, 12, 31), "Trong năm 2021")]
    # the same view then reads as a new one would: overdue rows follow the new deadline
    assert [r.raw["deadline"] for r in view.rows if r.row == 8] == [END_2021]
    assert refresh_deadlines(wb, view) == []


def test_a_deadline_typed_without_time_frame_is_kept(master: Path) -> None:
    put(master, I8=None, K8=dt.datetime(2021, 8, 15))
    assert validate(master).flatten() == [AREA_1]
    changes, wb = refresh(master)
    assert changes == []
    assert wb[PLAN]["K8"].value == dt.datetime(2021, 8, 15)
    before = master.read_bytes()
    assert validate(master, fix=True).flatten() == [AREA_1]
    assert master.read_bytes() == before


def test_text_in_the_deadline_cell(master: Path) -> None:
    """Without a time frame it is the office's own (not-a-date); with one, the tool's: stale,
    and --fix puts the date, logging the text it replaced."""
    put(master, I8=None, K8="15/8")
    assert validate(master).flatten() == [AREA_1, ["'Kế hoạch'!K8", "not-a-date"]]
    put(master, I8="Quý III/2021")
    report = validate(master, fix=True)
    assert [[p.where, p.code, p.fixed] for p in report.problems] == [
        AREA_1 + [False], ["'Kế hoạch'!K8", "deadline-stale", True]]
    assert report.problems[1].value == "15/8"
    assert cell(master, "K8") == (dt.datetime(2021, 9, 30), layout.DATE)
    assert log_rows(master)[-1][5:] == ("15/8", dt.datetime(2021, 9, 30), "Quý III/2021")


def test_log_entries_and_their_date_format(master: Path) -> None:
    now = dt.datetime(2021, 7, 2, 16, 30)
    changes = [DeadlineChange("1.2", 6, dt.date(2021, 12, 31), dt.date(2022, 3, 31),
                              "Quý I/2022")]
    assert log_entries(changes, now, "so.xlsx") == [{
        "when": now, "kind": "Tính lại hạn", "file": "so.xlsx", "officer": "cchc-xl",
        "code": "1.2", "field": "Hạn hoàn thành", "old": dt.date(2021, 12, 31),
        "new": dt.date(2022, 3, 31), "note": "Quý I/2022", "field_key": "deadline"}]
    wb = openpyxl.load_workbook(master)
    assert log_changes(wb, changes, now, "so.xlsx") == 1
    assert wb[LOG]["J2"].value == "deadline"
    assert log_changes(wb, [], now) == 0
    ws = wb[LOG]
    assert [(ws[f"{c}2"].value, ws[f"{c}2"].number_format) for c in "GH"] == [
        (dt.date(2021, 12, 31), layout.DATE), (dt.date(2022, 3, 31), layout.DATE)]
    assert ws["A3"].value is None


# --- the command ------------------------------------------------------------------------------

# The last line says what still needs action (as of today: every deadline has passed).
OVERDUE_TODAY = "12 dòng quá hạn (1.2, 1.6, 1.7, 2.5, 3.2.1, 3.2.3, 4.2, 4.3, …)"
OVERDUE_TODAY_EN = "12 rows overdue (1.2, 1.6, 1.7, 2.5, 3.2.1, 3.2.3, 4.2, 4.3, …)"


def test_cli_names_the_stale_cell_and_fix_sets_it(master: Path) -> None:
    put(master, D5=8, I6="Quý I/2022")  # D5=8: without the seed's area-1 warning
    result = CliRunner().invoke(cli, ["validate", str(master)])
    assert result.exit_code == 1
    assert result.output == (
        "'Kế hoạch'!K6          Cảnh báo\n"
        "    Hạn hoàn thành không khớp với thời gian thực hiện «Quý I/2022»: hạn đúng là "
        "31/03/2022. Chạy «cchc-xl validate --fix» để đặt lại hạn theo thời gian thực hiện "
        "(mỗi lần tổng hợp và tạo phiếu cũng tự đặt lại). Nếu hạn phải là ngày khác, hãy sửa "
        "thời gian thực hiện, ví dụ «30/6/2021».\n"
        f"Kết quả kiểm tra {master}: 0 lỗi, 1 cảnh báo, 0 thông tin.\n"
        f"Xong. Còn việc cần làm: {OVERDUE_TODAY}.\n")

    result = CliRunner().invoke(cli, ["validate", str(master), "--fix", "--lang", "en"])
    [backup] = (master.parent / "sao-luu").iterdir()
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "'Kế hoạch'!K6          warning [fixed]"
    assert lines[2:] == [
        "Set 1 deadline again from the time frame (logged in the 'Nhật ký' sheet).",
        f"Backup: {backup}",
        f"Checked {master}: 0 errors, 0 warnings, 0 notes.",
        f"Done. Still to act on: {OVERDUE_TODAY_EN}.",
    ]
    result = CliRunner().invoke(cli, ["validate", str(master)])
    assert (result.exit_code, result.output) == (
        0, f"Không có vấn đề nào.\nXong. Còn việc cần làm: {OVERDUE_TODAY}.\n")

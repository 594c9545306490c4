"""tests/libreoffice_ui.py against the real LibreOffice (7.4.7, Debian's libreoffice-calc-nogui,
when written): what LibreOffice stores when a user types into cells of a protected sheet, read
back from the saved .xlsx (openpyxl, python-calamine) and .ods (python-calamine; number formats
through LibreOffice itself, since calamine gives values only)."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from libreoffice_ui import LibreOfficeUI, LibreOfficeUIError
from openpyxl.styles import Protection
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

pytestmark = pytest.mark.libreoffice

SHEET = "Phiếu cập nhật"
LOCKED_TEXT = "khóa"
VALIDATION = {
    "type": "DECIMAL",
    "operator": "BETWEEN",
    "formula1": "0",
    "formula2": "1",
    "error_style": "STOP",
    "show_error": True,
}


@pytest.fixture(scope="module")
def src(tmp_path_factory) -> Path:
    """A protected sheet: B2 unlocked "0%" with validation decimal 0..1 (stop), B3 locked text,
    B4 unlocked General, B5 unlocked "0". A1 holds text so that calamine's rows start at A1."""
    path = tmp_path_factory.mktemp("lo-ui") / "src.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "Tiến độ"
    ws["B2"].number_format = "0%"
    ws["B2"].protection = Protection(locked=False)
    ws["B3"] = LOCKED_TEXT  # locked, as every cell is by default
    ws["B4"].protection = Protection(locked=False)
    ws["B5"].number_format = "0"
    ws["B5"].protection = Protection(locked=False)
    dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="1",
        errorStyle="stop",
        showErrorMessage=True,
        error="Từ 0 đến 1",
    )
    dv.add("B2")
    ws.add_data_validation(dv)
    ws.protection.sheet = True
    wb.save(path)
    return path


def _calamine(path: Path, cell: str) -> object:
    """Value of cell as python-calamine reads it ("" for an empty one)."""
    col = ord(cell[0]) - ord("A")
    row = int(cell[1:]) - 1
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    if row >= len(rows) or col >= len(rows[row]):
        return ""
    return rows[row][col]


def _row(answer: dict) -> tuple:
    """(accepted, value, displayed string, number format, cell type) of one type_into row."""
    return (answer["accepted"], answer["value"], answer["string"], answer["format"], answer["type"])


def _formats(ui: LibreOfficeUI, path: Path, cells: list[str]) -> dict[str, tuple]:
    """{cell: (value, displayed string, number format)} as LibreOffice reads path back."""
    cells = ui.inspect(path, cells, SHEET)
    return {c["cell"]: (c["value"], c["string"], c["format"]) for c in cells}


# typed into B2 ("0%", validation 0..1 stop) -> LibreOffice's value and display, then the value
# openpyxl reads from the saved xlsx (LibreOffice writes <v>1</v>, <v>30</v>: ints).
B2_CASES = [
    ("100%", 1.0, "100%", 1),
    ("45%", 0.45, "45%", 0.45),
    # The validation says 0..1 with error style STOP, yet 30 is stored: no typing path that
    # runs headless applies validation (it lives in the interactive cell editor; see
    # uno_worker.py). A user in the LibreOffice window would get the error box instead.
    ("30", 30.0, "3000%", 30),
]


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
@pytest.mark.parametrize("typed, value, shown, in_xlsx", B2_CASES)
def test_percent_cell_keeps_its_format(
    libreoffice_ui,  # noqa: F811
    src,
    tmp_path,
    fmt,
    typed,
    value,
    shown,
    in_xlsx,
):
    dst = tmp_path / f"out.{fmt}"
    (row,) = libreoffice_ui.type_into(src, dst, {"B2": typed}, sheet=SHEET, fmt=fmt)
    assert row["accepted"] is True
    assert (row["value"], row["string"], row["format"]) == (value, shown, "0%")
    assert row["type"] == "VALUE"
    assert row["validation"] == VALIDATION
    assert (row["locked"], row["sheet_protected"]) == (False, True)

    assert _calamine(dst, "B2") == value
    assert type(_calamine(dst, "B2")) is float
    assert _calamine(dst, "B3") == LOCKED_TEXT
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(dst)[SHEET]
        assert (ws["B2"].value, type(ws["B2"].value)) == (in_xlsx, type(in_xlsx))
        assert ws["B2"].number_format == "0%"
        assert ws.protection.sheet is True
        assert (ws["B2"].protection.locked, ws["B3"].protection.locked) == (False, True)
        (dv,) = ws.data_validations.dataValidation
        rule = (dv.type, dv.operator, dv.formula1, dv.formula2, dv.errorStyle, str(dv.sqref))
        assert rule == ("decimal", "between", "0", "1", "stop", "B2")
    (back,) = libreoffice_ui.inspect(dst, ["B2"], SHEET)
    assert (back["value"], back["string"], back["format"]) == (value, shown, "0%")
    assert back["validation"] == VALIDATION


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_general_zero_format_and_locked_cells(libreoffice_ui, src, tmp_path, fmt):  # noqa: F811
    dst = tmp_path / f"out.{fmt}"
    edits = {"B2": "100%", "B5": "100%", "B4": "100%", "B3": "x"}
    rows = libreoffice_ui.type_into(src, dst, edits, sheet=SHEET, fmt=fmt)
    got = {r["cell"]: _row(r) for r in rows}
    assert got == {
        "B2": (True, 1.0, "100%", "0%", "VALUE"),
        # a "0" cell keeps its format: 100% is stored as 1 and shown "1"
        "B5": (True, 1.0, "1", "0", "VALUE"),
        # a General cell takes the format detected from the input: en-US's percent "0.00%"
        "B4": (True, 1.0, "100.00%", "0.00%", "VALUE"),
        # the locked cell of the protected sheet refuses the input and keeps its text
        "B3": (False, 0.0, LOCKED_TEXT, "General", "TEXT"),
    }
    assert [r["cell"] for r in rows] == ["B2", "B5", "B4", "B3"]
    assert rows[3]["reason"] == "LibreOffice refused the input"

    assert [_calamine(dst, c) for c in ("B2", "B3", "B4", "B5")] == [1.0, LOCKED_TEXT, 1.0, 1.0]
    if fmt == "xlsx":
        ws = openpyxl.load_workbook(dst)[SHEET]
        stored = {c: (ws[c].value, ws[c].number_format) for c in ("B2", "B3", "B4", "B5")}
        assert stored == {
            "B2": (1, "0%"),
            "B3": (LOCKED_TEXT, "General"),
            "B4": (1, "0.00%"),
            "B5": (1, "0"),
        }
        assert all(type(ws[c].value) is int for c in ("B2", "B4", "B5"))
        assert ws.protection.sheet is True
        assert ws["B3"].protection.locked is True
        assert [ws[c].protection.locked for c in ("B2", "B4", "B5")] == [False, False, False]
    assert _formats(libreoffice_ui, dst, ["B2", "B3", "B4", "B5"]) == {
        "B2": (1.0, "100%", "0%"),
        "B3": (0.0, LOCKED_TEXT, "General"),
        "B4": (1.0, "100.00%", "0.00%"),
        "B5": (1.0, "1", "0"),
    }


def test_setformula_is_not_the_ui(libreoffice_ui, src, tmp_path):  # noqa: F811
    """XCell.setFormula parses the input like the UI but, unlike it, writes into a locked cell
    of a protected sheet and leaves a General cell General (tests/uno_worker.py)."""
    dst = tmp_path / "api.xlsx"
    edits = {"B2": "100%", "B4": "100%", "B3": "x"}
    rows = libreoffice_ui.type_into(src, dst, edits, sheet=SHEET, via="setFormula")
    got = {r["cell"]: (r["accepted"], r["value"], r["string"], r["format"]) for r in rows}
    assert got == {
        "B2": (True, 1.0, "100%", "0%"),
        "B4": (True, 1.0, "1", "General"),
        "B3": (True, 0.0, "x", "General"),
    }
    ws = openpyxl.load_workbook(dst)[SHEET]
    assert [(ws[c].value, ws[c].number_format) for c in ("B2", "B3", "B4")] == [
        (1, "0%"),
        ("x", "General"),
        (1, "General"),
    ]


def test_a_failing_job_leaves_the_worker_usable(libreoffice_ui, src, tmp_path):  # noqa: F811
    with pytest.raises(LibreOfficeUIError, match="FileNotFoundError"):
        libreoffice_ui.type_into(tmp_path / "missing.xlsx", tmp_path / "x.xlsx", {"B2": "1"})
    with pytest.raises(LibreOfficeUIError, match="no sheet 'Nope'"):
        libreoffice_ui.type_into(src, tmp_path / "x.xlsx", {"B2": "1"}, sheet="Nope")
    assert not (tmp_path / "x.xlsx").exists()
    (back,) = libreoffice_ui.inspect(src, ["B3"], SHEET)
    assert (back["string"], back["locked"], back["sheet_protected"]) == (LOCKED_TEXT, True, True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _processes_using(profile: Path) -> list[int]:
    """PIDs whose command line names the profile (soffice.bin is a grandchild)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if str(profile).encode() in cmdline:
            found.append(int(entry.name))
    return found


def test_vietnamese_locale_and_clean_close(libreoffice_ui, src, tmp_path):  # noqa: F811
    """A second instance in vi-VN (decimal comma), then close(): nothing left behind. The
    shared fixture is requested only for its skip/fail logic."""
    with LibreOfficeUI(locale="vi-VN") as ui:
        pids, profile = ui.pids, ui.profile
        assert _processes_using(profile)
        edits = {"B4": "0,5", "B5": "1.5", "B2": "45%"}
        rows = ui.type_into(src, tmp_path / "vi.xlsx", edits, sheet=SHEET)
        got = {r["cell"]: _row(r) for r in rows}
        assert got == {
            "B4": (True, 0.5, "0,5", "General", "VALUE"),
            # "1.5" is not a number in vi-VN: stored as text
            "B5": (True, 0.0, "1.5", "0", "TEXT"),
            "B2": (True, 0.45, "45%", "0%", "VALUE"),
        }
    assert ui.closed
    assert not any(_alive(p) for p in pids)
    assert _processes_using(profile) == []
    assert not profile.exists()
    ws = openpyxl.load_workbook(tmp_path / "vi.xlsx")[SHEET]
    assert [ws[c].value for c in ("B2", "B4", "B5")] == [0.45, 0.5, "1.5"]


def test_the_shared_instance_starts_again_when_libreoffice_dies(libreoffice_ui, src, tmp_path):
    """soffice killed under the shared fixture (as a crash would): the next job starts a new
    LibreOffice and is run there, and the restart is counted."""
    import signal

    before = libreoffice_ui.restarts
    os.killpg(libreoffice_ui.pids[0], signal.SIGKILL)  # soffice's whole process group
    (row,) = libreoffice_ui.type_into(src, tmp_path / "again.xlsx", {"B2": "45%"}, sheet=SHEET)
    assert (row["accepted"], row["value"], row["format"]) == (True, 0.45, "0%")
    assert libreoffice_ui.restarts == before + 1

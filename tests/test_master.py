"""The master built from the seed: template, formulas, cached values, LibreOffice, saving."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook
from signature import workbook_signature

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.demo import MASTER_NAME, SEED, data_file, run_demo
from cchc_xl.files import open_save as workbook_io
from cchc_xl.files.libreoffice import recalculate
from cchc_xl.master.build import build_template

ROOT = Path(__file__).resolve().parent.parent
PLAN_SHEET, SUMMARY_SHEET = layout.PLAN.name, layout.SUMMARY.name
SEED_ROWS = {  # code: (row, max, appraised)
    "1": (5, 9, 7.95), "1.2": (6, 1.5, 1.2), "1.6": (7, 1, 0.8), "1.7": (8, 1.5, 1),
    "2": (9, 5.5, 5), "2.5": (10, 1, 0.5), "3": (11, 14, 12), "3.2": (12, 4, 2),
    "3.2.1": (13, 1, 0), "3.2.3": (14, 1, 0), "4": (15, 9, 6), "4.2": (16, 3, 1),
    "4.3": (17, 3, 2), "7": (18, 13.5, 11.6), "7.1": (19, 8, 7.6), "7.1.6": (20, 0.5, 0.25),
    "7.1.7": (21, 0.5, 0.35), "7.2": (22, 5.5, 4), "7.2.4": (23, 1.5, 0.5),
    "7.2.5": (24, 1, 0.5),
}


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    return run_demo(tmp_path_factory.mktemp("demo")).master


def load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


def calamine_grid(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)


def test_committed_template_matches_the_layout(tmp_path):
    fresh = tmp_path / "template.xlsx"
    workbook_io.save(build_template(), fresh, backup=False)
    assert workbook_signature(ROOT / "workbooks" / "template.xlsx") == workbook_signature(fresh)


def test_template_script_writes_the_template(tmp_path):
    out = tmp_path / "t.xlsx"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_template.py"), str(out)],
                   check=True, capture_output=True)
    assert workbook_signature(out) == workbook_signature(ROOT / "workbooks" / "template.xlsx")


def test_template_sheets_and_headers():
    wb = load(ROOT / "workbooks" / "template.xlsx")
    assert wb.sheetnames == list(layout.MASTER_SHEETS)
    ws = wb[PLAN_SHEET]
    assert [c.value for c in ws[layout.PLAN.header_row]] == [c.label for c in layout.PLAN.columns]
    assert ws.freeze_panes == "C5"
    assert wb[layout.LISTS_SHEET].sheet_state == "hidden"
    assert "_cchc_key" not in wb.defined_names  # each master gets its own key, not the template


def test_codes_are_text_and_numbers_are_numbers(master):
    ws = load(master)[PLAN_SHEET]
    for code, (row, mx, ap) in SEED_ROWS.items():
        assert (ws[f"A{row}"].value, ws[f"A{row}"].data_type) == (code, "s")
        assert ws[f"A{row}"].number_format == "@"
        assert (ws[f"C{row}"].value, ws[f"D{row}"].value) == (mx, ap)


def test_live_formulas(master):
    wb = load(master)
    ws = wb[PLAN_SHEET]
    for row, _, _ in SEED_ROWS.values():
        assert ws[f"E{row}"].value == f"=C{row}-D{row}"
    assert ws["B25"].value == "TỔNG CỘNG"
    assert [ws[f"{c}25"].value for c in "CDE"] == [
        f"=SUM({c}5,{c}9,{c}11,{c}15,{c}18)" for c in "CDE"]
    summary = wb[SUMMARY_SHEET]
    assert summary["C4"].value == "='Kế hoạch'!C5"
    assert summary["C9"].value == "=SUM(C4:C8)"
    assert summary["C10"].value == "='Cài đặt'!$B$10"
    assert summary["F4"].value == "=IF(C4>0,ROUND(D4/C4*100,2),0)"


def test_area_one_keeps_the_formula_and_quotes_the_document(master):
    cell = load(master)[PLAN_SHEET]["E5"]
    assert cell.value == "=C5-D5"
    assert "Văn bản ghi điểm bị mất: 1.03" in cell.comment.text
    assert "= 1.05" in cell.comment.text


def test_cached_values_seen_without_recalculation(master):
    grid = calamine_grid(master, PLAN_SHEET)
    for code, (row, mx, ap) in SEED_ROWS.items():
        assert grid[row - 1][4] == pytest.approx(mx - ap, abs=1e-12), code
    assert grid[24][2:5] == pytest.approx([51, 42.55, 8.45])
    summary = calamine_grid(master, SUMMARY_SHEET)
    got = [[r[0], r[2], r[3], r[4], r[5], r[6]] for r in summary[3:10]]
    assert got == [
        ["1", 9, 7.95, pytest.approx(1.05), 88.33, "Tốt"],
        ["2", 5.5, 5, 0.5, 90.91, "Xuất sắc"],
        ["3", 14, 12, 2, 85.71, "Tốt"],
        ["4", 9, 6, 3, 66.67, "Trung bình"],
        ["7", 13.5, 11.6, pytest.approx(1.9), 85.93, "Tốt"],
        ["", 51, pytest.approx(42.55), pytest.approx(8.45), 83.43, "Tốt"],
        ["", 100, pytest.approx(91.55), pytest.approx(8.45), 91.55, "Xuất sắc"],
    ]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_pandas_reads_the_numbers(master, engine):
    frame = pd.read_excel(master, sheet_name=PLAN_SHEET, header=layout.PLAN.header_row - 1,
                          dtype={"STT": str}, engine=engine)
    lost = dict(zip(frame["STT"], frame["Điểm bị mất"]))
    assert lost["1"] == pytest.approx(1.05)
    assert lost["7.1.7"] == pytest.approx(0.15)
    assert frame["Điểm bị mất"][:21].isna().sum() == 0  # 20 rows and the total


def test_libreoffice_recalculation_matches_cell_by_cell(master, tmp_path, soffice):
    (recalculated,) = recalculate([master], tmp_path)
    wb = load(master)
    compared = 0
    for ws in wb.worksheets:
        ours = calamine_grid(master, ws.title)
        theirs = calamine_grid(recalculated, ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                r, c = cell.row - 1, cell.column - 1
                a, b = ours[r][c], theirs[r][c]
                if isinstance(a, float) or isinstance(b, float):
                    assert a == pytest.approx(b, abs=1e-9), f"{ws.title}!{cell.coordinate}"
                else:
                    assert a == b, f"{ws.title}!{cell.coordinate}"
                compared += 1
    # plan: lost and projected per row, 4 totals; summary: 5 areas × 9, sum and whole × 8
    assert compared == 20 * 2 + 4 + 5 * 9 + 2 * 8


def test_times_new_roman_and_print_setup(master):
    wb = load(master)
    ws = wb[PLAN_SHEET]
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
    assert fonts == {"Times New Roman"}
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    # two bands at a printed scale (the tool's page breaks kept): the document's columns, then
    # the code again with the tracking ones; every column printed, and the legend below
    from cchc_xl.master.plan_print import plan_scale

    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale == plan_scale() >= 72
    assert [b.id for b in ws.col_breaks.brk] == [layout.PLAN.index("note")]
    assert ws.print_title_rows == "$4:$4" and ws.print_title_cols == "$A:$A"
    assert ws.print_area == "'Kế hoạch'!$A$1:$T$31"  # the total in row 25, the legend to 31
    assert ws.page_setup.pageOrder == "overThenDown"
    assert ws.oddFooter.center.text == "&A – Trang &P/&N"


def test_status_dropdown_refers_to_a_defined_name(master):
    wb = load(master)
    lists = {dv.formula1: str(dv.sqref) for dv in wb[PLAN_SHEET].data_validations.dataValidation
             if dv.type == "list"}
    assert lists == {"DS_TrangThai": "L5:L24"}
    ref = wb.defined_names["DS_TrangThai"].attr_text
    assert ref == "'Danh mục'!$A$2:$A$4"
    values = [c.value for c in wb["Danh mục"]["A2:A4"] for c in c]
    assert values == list(layout.STATUSES)


def test_new_refuses_to_overwrite_and_leaves_the_file(tmp_path):
    master = tmp_path / "so.xlsx"
    runner = CliRunner()
    first = runner.invoke(cli, ["new", str(master), "--from", str(data_file(SEED))])
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[0] == f"Đã tạo sổ theo dõi: {master} (20 dòng kế hoạch)."
    assert "Văn bản ghi điểm bị mất là 1.03" in first.stderr
    before = master.read_bytes()
    again = runner.invoke(cli, ["new", str(master), "--from", str(data_file(SEED)),
                                "--lang", "en"])
    assert again.exit_code == 2
    assert f"{master} already exists" in again.output
    assert master.read_bytes() == before


def test_save_backs_up_and_replaces_atomically(tmp_path):
    master = run_demo(tmp_path).master
    before = master.read_bytes()
    wb = load(master)
    wb[PLAN_SHEET]["D6"] = 1.0
    result = workbook_io.save(wb, master)
    assert result.backup.parent == master.parent / "sao-luu"
    assert result.backup.read_bytes() == before
    assert calamine_grid(master, PLAN_SHEET)[5][4] == pytest.approx(0.5)
    assert not list(master.parent.glob(".~cchc-*"))


def test_failed_save_leaves_the_old_master(tmp_path, monkeypatch):
    master = run_demo(tmp_path).master
    before = master.read_bytes()

    def broken(path, values):
        path.write_bytes(b"half written")
        raise OSError("disk full")

    monkeypatch.setattr(workbook_io, "write_cached_values", broken)
    with pytest.raises(OSError, match="disk full"):
        workbook_io.save(load(master), master)
    assert master.read_bytes() == before
    assert not list(master.parent.glob(".~cchc-*"))


def test_refuses_while_excel_has_the_master_open(tmp_path):
    master = run_demo(tmp_path).master
    (master.parent / f"~${MASTER_NAME}").write_bytes(b"owner")
    with pytest.raises(workbook_io.MasterLocked):
        workbook_io.save(load(master), master)


def test_styler_leaves_exactly_what_openpyxls_own_assignment_leaves(tmp_path):
    """Styler (fast style setting for many cells) against `cell.font = …` and the like, on
    the same cells of the same workbook: new cells, styled ones, merged ones, the same
    object set again; the saved packages' styles and sheets must be byte for byte alike."""
    import zipfile

    from cchc_xl.files.styles import BORDER, Styler, fill, font, wrap

    def build(fast: bool) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws["B2"] = "đã có kiểu"
        ws["B2"].font = font(italic=True)
        ws["B2"].number_format = "0.00"
        ws.merge_cells("D4:E4")
        styler = Styler(wb)
        plan = [("A1", "font", font(bold=True)), ("B2", "fill", fill("FFC6EFCE")),
                ("B2", "font", font(bold=True)), ("C3", "border", BORDER),
                ("C3", "alignment", wrap("center")), ("E4", "fill", fill("FFFFC7CE")),
                ("A1", "fill", fill("FFC6EFCE")), ("F9", "font", font(size=11))]
        for ref, kind, value in plan:
            cell = ws[ref]
            if fast:
                styler.set(cell, kind, value)
            else:
                setattr(cell, kind, value)
        path = tmp_path / f"{'fast' if fast else 'plain'}.xlsx"
        wb.save(path)
        return path

    fast, plain = build(True), build(False)
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(plain) as b:
        for part in ("xl/styles.xml", "xl/worksheets/sheet1.xml"):
            assert a.read(part) == b.read(part), part
    ws = openpyxl.load_workbook(fast).active
    assert (ws["B2"].font.b, ws["B2"].font.i, ws["B2"].number_format) == (True, False, "0.00")
    assert ws["B2"].fill.fgColor.rgb == "FFC6EFCE"
    assert ws["C3"].alignment.horizontal == "center" and ws["F9"].font.sz == 11

"""`validate`: each rule against the seed master broken in exactly one way, exact problem lists.

Every test builds the Sơn Giang master in tmp_path, breaks it with openpyxl (load, change,
save), validates it and compares `report.flatten()` with a literal list. The clean seed
master already has one true problem, the area-1 inconsistency of the document (lost 1.05,
its listed children lose 1.0): it is `AREA_1` below and appears wherever it still holds.

Where a test imitates what Excel does to formulas (inserting, deleting or sorting rows),
the helpers `excel_insert_rows`, `excel_delete_row` and `excel_swap_rows` say so; openpyxl's
own `insert_rows`/`delete_rows` move cells but leave every formula's text unchanged, which is
what a careless copy-paste or another tool leaves behind.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.demo import run_demo
from cchc_xl.master.check import validate
from cchc_xl.master.formulas import expected_formulas
from cchc_xl.master.reading import read_master
from cchc_xl.master.validate import check_master

PLAN = layout.PLAN.name  # 'Kế hoạch'
SUMMARY = layout.SUMMARY.name  # 'Tổng hợp'
ROSTER = layout.ROSTER.name  # 'Cán bộ'
SEED_CODES = ["1", "1.2", "1.6", "1.7", "2", "2.5", "3", "3.2", "3.2.1", "3.2.3", "4", "4.2",
              "4.3", "7", "7.1", "7.1.6", "7.1.7", "7.2", "7.2.4", "7.2.5"]
AREA_1 = ["'Kế hoạch'!E5", "lost-children-mismatch"]


@pytest.fixture
def master(tmp_path: Path) -> Path:
    """The master the demo builds from the seed (rows 5..24, TỔNG CỘNG on row 25)."""
    return run_demo(tmp_path / "demo").master


def edit(path: Path, change) -> None:
    """Load with formulas, let `change(wb)` break it, save: one user session in a spreadsheet."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def put(path: Path, sheet: str, **cells) -> None:
    def change(wb):
        for address, value in cells.items():
            wb[sheet][address] = value

    edit(path, change)


def flat(path: Path) -> list[list[str]]:
    return validate(path).flatten()


# --- imitating Excel --------------------------------------------------------------------------

def _rewrite_refs(wb, sheet: str, new_row) -> None:
    """Rewrite every formula of the workbook the way Excel does when rows of `sheet` move:
    each reference to a row r of `sheet` becomes new_row(r), or #REF! when that is None."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                tokens = Tokenizer(cell.value)
                for tok in tokens.items:
                    if tok.type != Token.OPERAND or tok.subtype != Token.RANGE:
                        continue
                    prefix, _, ref = tok.value.rpartition("!")
                    target = prefix.strip("'").replace("''", "'") if prefix else ws.title
                    if target != sheet:
                        continue
                    rows = [int(m[4]) for m in re.finditer(r"(\$?)([A-Z]+)(\$?)(\d+)", ref)]
                    if any(new_row(r) is None for r in rows):
                        tok.value = f"{prefix}!#REF!" if prefix else "#REF!"
                        continue
                    tok.value = (prefix + "!" if prefix else "") + re.sub(
                        r"(\$?)([A-Z]+)(\$?)(\d+)",
                        lambda m: f"{m[1]}{m[2]}{m[3]}{new_row(int(m[4]))}", ref)
                cell.value = tokens.render()


def excel_insert_rows(wb, at: int, amount: int = 1) -> None:
    """Excel's Insert > Sheet Rows on the plan sheet: cells move down and every reference
    to a row at or below `at` follows (openpyxl's insert_rows alone moves only the cells)."""
    wb[PLAN].insert_rows(at, amount)
    _rewrite_refs(wb, PLAN, lambda r: r + amount if r >= at else r)


def excel_delete_row(wb, at: int) -> None:
    """Excel's Delete > Sheet Rows on the plan sheet: references to the row become #REF!,
    references below it move up."""
    wb[PLAN].delete_rows(at)
    _rewrite_refs(wb, PLAN, lambda r: None if r == at else (r - 1 if r > at else r))


def excel_swap_rows(wb, a: int, b: int) -> None:
    """Excel's Sort over two adjacent plan rows: the rows' contents trade places and each
    moved formula is adjusted like a copy (=C16-D16 moved to row 17 reads =C17-D17);
    references from outside the sorted rows (total row, summary) are not updated."""
    ws = wb[PLAN]
    last = ws.max_column
    row_a = [ws.cell(row=a, column=c).value for c in range(1, last + 1)]
    row_b = [ws.cell(row=b, column=c).value for c in range(1, last + 1)]

    def moved(value, origin: int, dest: int, column: int):
        if isinstance(value, str) and value.startswith("="):
            letter = openpyxl.utils.get_column_letter(column)
            return Translator(value, f"{letter}{origin}").translate_formula(f"{letter}{dest}")
        return value

    for c in range(1, last + 1):
        ws.cell(row=a, column=c).value = moved(row_b[c - 1], b, a, c)
        ws.cell(row=b, column=c).value = moved(row_a[c - 1], a, b, c)


# --- the seed master ---------------------------------------------------------------------------

def test_seed_master_is_laid_out_as_the_tests_assume(master: Path) -> None:
    ws = openpyxl.load_workbook(master)[PLAN]
    assert [ws.cell(row=r, column=1).value for r in range(5, 25)] == SEED_CODES
    assert ws["B25"].value == "TỔNG CỘNG"
    assert [ws[f"{c}25"].value for c in "CDE"] == [
        "=SUM(C5,C9,C11,C15,C18)", "=SUM(D5,D9,D11,D15,D18)", "=SUM(E5,E9,E11,E15,E18)"]
    assert [ws[f"E{r}"].value for r in range(5, 25)] == [f"=C{r}-D{r}" for r in range(5, 25)]


def test_seed_master_reports_the_area_1_inconsistency_and_nothing_false(master: Path) -> None:
    report = validate(master)
    assert report.flatten() == [AREA_1]
    (problem,) = report.problems
    assert problem.severity == "warning"
    assert (problem.value, problem.params) == (
        "1.05", {"code": "1", "children": "1", "difference": "0.05"})
    assert report.to_dict()["stats"] == {"rows": 20, "roles": 6, "errors": 0, "warnings": 1,
                                         "infos": 0}


def test_seed_master_with_area_1_made_consistent_is_clean(master: Path) -> None:
    put(master, PLAN, D5=8)  # 9 − 8 = 1, what its listed criteria lose
    report = validate(master)
    assert report.flatten() == []
    assert report.valid and report.exit_code() == 0


# --- formulas ----------------------------------------------------------------------------------

def test_lost_formula_typed_over_with_a_constant(master: Path) -> None:
    put(master, PLAN, E9=0.5)
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!E9", "formula-overwritten"]]
    assert (report.problems[1].value, report.problems[1].params) == (0.5, {"expected": "=C9-D9"})


def test_lost_formula_cleared(master: Path) -> None:
    put(master, PLAN, E13=None)
    assert flat(master) == [AREA_1, ["'Kế hoạch'!E13", "formula-missing"]]


def test_lost_formula_pointing_at_the_row_above(master: Path) -> None:
    put(master, PLAN, E13="=C12-D12")
    assert flat(master) == [AREA_1, ["'Kế hoạch'!E13", "formula-wrong"]]


def test_lost_formula_of_a_parent_summing_its_children_instead(master: Path) -> None:
    put(master, PLAN, E12="=SUM(E13:E14)")  # lost of 3.2 is max − appraised, like every row
    assert flat(master) == [AREA_1, ["'Kế hoạch'!E12", "formula-wrong"]]


@pytest.mark.parametrize("formula", [
    "=SUM(C5,C9,C11,C15)",  # area 7 left out
    "=SUM(C5,C6,C9,C11,C15,C18)",  # criterion 1.2 counted twice (inside area 1 already)
    "=SUM(C5:C24)",  # every row: areas and their criteria
])
def test_total_not_over_exactly_the_areas(master: Path, formula: str) -> None:
    put(master, PLAN, C25=formula)
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!C25", "formula-wrong"]]
    assert report.problems[1].params == {"expected": "=SUM(C5,C9,C11,C15,C18)"}


def test_total_typed_over(master: Path) -> None:
    put(master, PLAN, E25=9.58)
    assert flat(master) == [AREA_1, ["'Kế hoạch'!E25", "formula-overwritten"]]


def test_ref_error_inside_a_formula(master: Path) -> None:
    put(master, PLAN, E6="=C6-#REF!")
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!E6", "formula-wrong"]]
    assert report.problems[1].message("en") == (
        "Formula =C6-#REF! is wrong; this cell must be =C6-D6 (rows were probably inserted, "
        "deleted or sorted). Run 'cchc-xl validate --fix' to repair it.")


def test_summary_formula_pointing_at_the_wrong_plan_row(master: Path) -> None:
    put(master, SUMMARY, C5="='Kế hoạch'!C10")  # area 2 is on row 9; row 10 is 2.5
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Tổng hợp'!C5", "formula-wrong"]]
    assert report.problems[1].params == {"expected": "='Kế hoạch'!C9"}


def test_summary_index_dividing_by_the_wrong_row(master: Path) -> None:
    put(master, SUMMARY, F5="=IF(C5>0,ROUND(D5/C4*100,2),0)")
    assert flat(master) == [AREA_1, ["'Tổng hợp'!F5", "formula-wrong"]]


def test_summary_rating_typed_over(master: Path) -> None:
    put(master, SUMMARY, G5="Tốt")
    assert flat(master) == [AREA_1, ["'Tổng hợp'!G5", "formula-overwritten"]]


def test_summary_sum_of_areas_cleared(master: Path) -> None:
    put(master, SUMMARY, D9=None)
    assert flat(master) == [AREA_1, ["'Tổng hợp'!D9", "formula-missing"]]


def test_div0_typed_into_an_area_reaches_the_total_and_the_summary_index(master: Path) -> None:
    """A formula typed where area 2's appraised points belong gives #DIV/0!: the cell itself
    is reported (its value is what counts), then every formula the error flows into."""
    put(master, PLAN, D9="=1/0")
    report = validate(master)
    assert report.flatten() == [
        AREA_1,
        ["'Kế hoạch'!D9", "formula-error"],
        ["'Kế hoạch'!E9", "formula-error"],
        ["'Kế hoạch'!S9", "formula-error"],  # projected points start from the appraised
        ["'Kế hoạch'!D25", "formula-error"],
        ["'Kế hoạch'!E25", "formula-error"],
        ["'Kế hoạch'!S25", "formula-error"],
        # area 2's row, the sum of areas and the whole index: points, index and rating
        *[[f"'Tổng hợp'!{c}{r}", "formula-error"] for r in (5, 9) for c in "DEFGHIJ"],
        *[[f"'Tổng hợp'!{c}10", "formula-error"] for c in "DEFGHIJ"],
    ]
    assert {p.params["error"] for p in report.problems[1:]} == {"#DIV/0!"}


def test_max_zero_gives_no_div0_in_the_summary_index(master: Path) -> None:
    """The index formula guards its division (IF(max>0, …, 0)), so a maximum of 0 shows as
    the number problems it is, not as #DIV/0! anywhere."""
    put(master, PLAN, C9=0)
    report = validate(master)
    assert report.flatten() == [
        AREA_1,
        ["'Kế hoạch'!C9", "children-max-exceeds-parent"],
        ["'Kế hoạch'!C9", "max-not-positive"],
        ["'Kế hoạch'!D9", "appraised-out-of-range"],
        ["'Kế hoạch'!E9", "lost-children-mismatch"],
    ]


def test_row_inserted_without_moving_formulas(master: Path) -> None:
    """openpyxl's insert_rows (or pasting rows without their references following): every
    formula below row 13 and every reference to those rows now points one row too high."""
    edit(master, lambda wb: wb[PLAN].insert_rows(13))
    assert flat(master) == [
        AREA_1,
        ["'Kế hoạch'!S12", "formula-wrong"],  # 3.2's projected points sum rows 13 and 14
        *[[f"'Kế hoạch'!{c}{r}", "formula-wrong"] for r in range(14, 26) for c in "ES"],
        *[[f"'Kế hoạch'!{c}26", "formula-wrong"] for c in "CDES"],
        *[[f"'Tổng hợp'!{c}{r}", "formula-wrong"] for r in (7, 8) for c in "BCDEH"],
    ]


def test_criterion_inserted_in_excel(master: Path) -> None:
    """Excel: insert a row above 3.2.3 and type criterion 3.2.2 into it. Excel moves every
    reference (imitated here) but leaves the new row's formula cells empty, and 3.2's own
    formula does not take in its new child."""
    def change(wb):
        excel_insert_rows(wb, 14)
        ws = wb[PLAN]
        for key, value in {"code": "3.2.2", "title": "Tiêu chí mới", "max_points": 1,
                           "appraised": 0.5, "action": "Rà soát", "lead": "Văn phòng",
                           "timeframe": "Quý II/2021"}.items():
            ws.cell(row=14, column=layout.PLAN.index(key), value=value)

    edit(master, change)
    assert flat(master) == [
        AREA_1,
        ["'Kế hoạch'!E12", "lost-children-mismatch"],  # 3.2 lost 2, its children now 2.5
        ["'Kế hoạch'!S12", "formula-wrong"],  # 3.2's projected points leave 3.2.2 out
        ["'Kế hoạch'!E14", "formula-missing"],
        ["'Kế hoạch'!K14", "deadline-stale"],  # typed with its time frame, no deadline yet
        ["'Kế hoạch'!S14", "formula-missing"],
    ]


def test_area_inserted_in_excel_is_missing_from_the_total_and_the_summary(
        master: Path) -> None:
    """Excel: insert a row above area 7 and type area 5 into it. The references move, but
    no formula includes the new area: the total leaves it out and the summary has no row."""
    def change(wb):
        excel_insert_rows(wb, 18)
        ws = wb[PLAN]
        for key, value in {"code": "5", "title": "Lĩnh vực mới", "max_points": 6,
                           "appraised": 6}.items():
            ws.cell(row=18, column=layout.PLAN.index(key), value=value)

    edit(master, change)
    assert flat(master) == [
        AREA_1,
        ["'Kế hoạch'!E18", "formula-missing"],
        ["'Kế hoạch'!S18", "formula-missing"],
        *[[f"'Kế hoạch'!{c}26", "formula-wrong"] for c in "CDES"],
        # the summary's row 8 should be area 5, row 9 area 7, row 10 the sum, 11 the whole
        *[[f"'Tổng hợp'!{c}8", "formula-wrong"] for c in "BCDEH"],
        ["'Tổng hợp'!B9", "formula-overwritten"],  # the label of the sum of areas
        *[[f"'Tổng hợp'!{c}9", "formula-wrong"] for c in "CDEH"],
        *[[f"'Tổng hợp'!{c}10", "formula-wrong"] for c in "CDEH"],
        *[[f"'Tổng hợp'!{c}11", "formula-missing"] for c in "CDEFGHIJ"],
    ]


def test_row_deleted_without_moving_formulas(master: Path) -> None:
    edit(master, lambda wb: wb[PLAN].delete_rows(13))  # criterion 3.2.1
    assert flat(master) == [
        AREA_1,
        ["'Kế hoạch'!E12", "lost-children-mismatch"],
        ["'Kế hoạch'!S12", "formula-wrong"],
        *[[f"'Kế hoạch'!{c}{r}", "formula-wrong"] for r in range(13, 24) for c in "ES"],
        *[[f"'Kế hoạch'!{c}24", "formula-wrong"] for c in "CDES"],
        *[[f"'Tổng hợp'!{c}{r}", "formula-wrong"] for r in (7, 8) for c in "BCDEH"],
    ]


def test_criterion_deleted_in_excel(master: Path) -> None:
    """Excel: delete the row of 3.2.1. 3.2 still loses 2 points while its one remaining
    criterion loses 1, and its projected points formula now holds #REF!, which flows into
    area 3's, the total's and the summary's projected points, index and rating."""
    edit(master, lambda wb: excel_delete_row(wb, 13))
    assert openpyxl.load_workbook(master)[PLAN]["S12"].value == (
        "=D12+SUM(#REF!,S13)-SUM(#REF!,D13)")
    assert flat(master) == [
        AREA_1,
        ["'Kế hoạch'!S11", "formula-error"],
        ["'Kế hoạch'!E12", "lost-children-mismatch"],
        ["'Kế hoạch'!S12", "formula-wrong"],
        ["'Kế hoạch'!S24", "formula-error"],
        *[[f"'Tổng hợp'!{c}{r}", "formula-error"] for r in (6, 9, 10) for c in "HIJ"],
    ]


def test_area_deleted_in_excel_leaves_ref_errors(master: Path) -> None:
    """Excel: delete the row of area 2. The total and the summary now hold #REF!; with
    2.5 left without its area the tree is uncertain, so the tool reports the errors and
    the tree, and judges no formula that follows from the tree until the codes are fixed."""
    edit(master, lambda wb: excel_delete_row(wb, 9))
    wb = openpyxl.load_workbook(master)
    assert wb[PLAN]["C24"].value == "=SUM(C5,#REF!,C10,C14,C17)"
    assert wb[SUMMARY]["C5"].value == "='Kế hoạch'!#REF!"
    assert flat(master) == [
        AREA_1,
        ["'Kế hoạch'!A9", "parent-missing"],
        *[[f"'Kế hoạch'!{c}24", "formula-error"] for c in "CDES"],
        *[[f"'Tổng hợp'!{c}5", "formula-error"] for c in "BCDEFGHIJ"],
        *[[f"'Tổng hợp'!{c}9", "formula-error"] for c in "CDEFGHIJ"],
    ]


def test_area_sorted_below_its_criterion_in_excel(master: Path) -> None:
    """Excel: sort rows 9–10 so 2.5 comes before 2. Each row's own formulas move with it
    (area 2's projected points, now on row 10, read row 11, area 3), and the total and the
    summary still point at row 9, which now holds 2.5."""
    edit(master, lambda wb: excel_swap_rows(wb, 9, 10))
    wb = openpyxl.load_workbook(master)
    assert [wb[PLAN]["E9"].value, wb[PLAN]["E10"].value] == ["=C9-D9", "=C10-D10"]
    assert flat(master) == [
        AREA_1,
        ["'Kế hoạch'!A10", "code-order"],
        ["'Kế hoạch'!S10", "formula-wrong"],  # area 2's projected points now read row 11
        *[[f"'Kế hoạch'!{c}25", "formula-wrong"] for c in "CDES"],
        *[[f"'Tổng hợp'!{c}5", "formula-wrong"] for c in "BCDEH"],
    ]


def test_rows_swapped_with_formula_text_kept(master: Path) -> None:
    """Rows 4.2 and 4.3 swapped by copying each cell's content as it is (a script, or the
    formula bar's text): the lost of 4.3, now on row 16, still reads row 17 and the other
    way round."""
    def change(wb):
        ws = wb[PLAN]
        for c in range(1, ws.max_column + 1):
            a, b = ws.cell(row=16, column=c), ws.cell(row=17, column=c)
            a.value, b.value = b.value, a.value

    edit(master, change)
    assert flat(master) == [
        AREA_1,
        ["'Kế hoạch'!E16", "formula-wrong"],
        ["'Kế hoạch'!S16", "formula-wrong"],
        ["'Kế hoạch'!A17", "code-order"],
        ["'Kế hoạch'!E17", "formula-wrong"],
        ["'Kế hoạch'!S17", "formula-wrong"],
    ]


# --- numbers -----------------------------------------------------------------------------------

def test_decimal_comma_text_in_appraised(master: Path) -> None:
    """'0,5' typed as text: an error, telling to type the number as this Excel writes
    decimals (a comma in a Vietnamese-locale Excel, never "0,5 → 0.5"); Excel's lost
    formula on that row gives #VALUE!. Area 1 cannot be compared without 1.2's points."""
    put(master, PLAN, D6="0,5")
    report = validate(master)
    assert report.flatten() == [["'Kế hoạch'!D6", "not-a-number"],
                                ["'Kế hoạch'!E6", "formula-error"]]
    assert report.problems[0].message("en") == (
        "'0,5' is text, not a number. Type the number again as this computer's Excel writes "
        "decimals (a Vietnamese-locale Excel uses a comma: 0,5; an English one a dot: 0.5): the "
        "tool reads the number in the cell, not text.")
    assert report.problems[1].params == {"error": "#VALUE!"}


def test_number_with_a_trailing_space_in_max(master: Path) -> None:
    """'1.5 ' pasted from Word: text. A spreadsheet still computes 1.5 − 1.2 from it, so
    the lost formula is fine, but the cell is not a number for sorting, sums or the tool."""
    put(master, PLAN, C6="1.5 ")
    assert flat(master) == [["'Kế hoạch'!C6", "not-a-number"]]


def test_number_stored_as_text_in_the_middle_of_an_area(master: Path) -> None:
    put(master, PLAN, D9="5")
    assert flat(master) == [
        AREA_1, ["'Kế hoạch'!D9", "not-a-number"]]


@pytest.mark.parametrize("appraised", [2, -0.5])
def test_appraised_outside_zero_to_max(master: Path, appraised: float) -> None:
    put(master, PLAN, D7=appraised)  # 1.6, maximum 1
    assert flat(master) == [AREA_1, ["'Kế hoạch'!D7", "appraised-out-of-range"]]


def test_appraised_computed_by_a_formula_is_checked_by_its_value(master: Path) -> None:
    """A formula where a number is typed counts by its value: =C7*2 is 2, above max 1."""
    put(master, PLAN, D7="=C7*2")
    assert flat(master) == [AREA_1, ["'Kế hoạch'!D7", "appraised-out-of-range"]]


def test_appraised_missing(master: Path) -> None:
    put(master, PLAN, D7=None)
    assert flat(master) == [["'Kế hoạch'!D7", "number-missing"]]


def test_childrens_max_above_the_parents(master: Path) -> None:
    """7.1.6 given maximum 8 (and appraised 7.75, so it still loses 0.25): 7.1's listed
    criteria now carry 8.5 points of a criterion worth 8."""
    put(master, PLAN, C20=8, D20=7.75)
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!C19", "children-max-exceeds-parent"]]
    assert report.problems[1].params == {"code": "7.1", "children": "8.5"}


def test_parent_lost_differs_from_its_childrens_is_a_warning(master: Path) -> None:
    put(master, PLAN, D13=0.5)  # 3.2.1 now loses 0.5: 3.2's criteria lose 1.5, 3.2 loses 2
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!E12", "lost-children-mismatch"]]
    assert report.problems[1].severity == "warning"
    assert report.problems[1].params == {"code": "3.2", "children": "1.5", "difference": "0.5"}


def test_max_not_positive_on_a_criterion(master: Path) -> None:
    put(master, PLAN, C13=0)  # 3.2.1 (appraised 0): 3.2's criteria now lose 1, not 2
    assert flat(master) == [
        AREA_1,
        ["'Kế hoạch'!E12", "lost-children-mismatch"],
        ["'Kế hoạch'!C13", "max-not-positive"],
    ]


# --- tree of codes -----------------------------------------------------------------------------

def test_code_typed_as_a_number(master: Path) -> None:
    put(master, PLAN, A6=1.2)
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!A6", "code-not-text"]]
    assert report.problems[1].value == "1.2"


def test_duplicate_code(master: Path) -> None:
    put(master, PLAN, A7="1.2")  # 1.6 retyped as 1.2: it no longer counts under area 1
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!A7", "code-duplicate"]]
    assert report.problems[1].params == {"other_row": 6}
    assert report.problems[0].params["children"] == "0.8"


def test_malformed_code(master: Path) -> None:
    put(master, PLAN, A7="1..2")
    assert flat(master) == [AREA_1, ["'Kế hoạch'!A7", "code-malformed"]]


def test_malformed_code_of_an_only_child_does_not_make_its_parent_a_leaf(
        master: Path) -> None:
    """2.5 is area 2's only criterion; with its code mistyped, area 2 must not be asked for
    its own action, lead and time frame."""
    put(master, PLAN, A10="2..5")
    assert flat(master) == [AREA_1, ["'Kế hoạch'!A10", "code-malformed"]]


def test_code_missing(master: Path) -> None:
    """A row without a code is reported once; it is not taken for an area (which would ask
    the total and the summary to include it)."""
    put(master, PLAN, A7=None)
    assert flat(master) == [AREA_1, ["'Kế hoạch'!A7", "code-missing"]]


def test_area_code_unreadable_leaves_tree_formulas_unjudged_and_unfixed(master: Path) -> None:
    """Area 2 numbered «II»: which rows are areas is now uncertain, so the total, the summary
    and area 2's own projected formula are not judged, and --fix leaves them alone while it
    still restores a row-local formula; once the code is right, everything is judged again."""
    put(master, PLAN, A9="II", E13=0)
    put(master, SUMMARY, C5=5.5)
    report = validate(master, fix=True)
    assert [[p.where, p.code, p.fixed] for p in report.problems] == [
        AREA_1 + [False],
        ["'Kế hoạch'!A9", "code-malformed", False],
        ["'Kế hoạch'!A10", "parent-missing", False],
        ["'Kế hoạch'!E13", "formula-overwritten", True],
        ["'Tổng hợp'!C5", "formula-overwritten", False],
    ]
    wb = openpyxl.load_workbook(master)
    assert (wb[PLAN]["E13"].value, wb[SUMMARY]["C5"].value) == ("=C13-D13", 5.5)
    assert wb[PLAN]["C25"].value == "=SUM(C5,C9,C11,C15,C18)"
    put(master, PLAN, A9="2")
    assert flat(master) == [AREA_1, ["'Tổng hợp'!C5", "formula-overwritten"]]


def test_parent_missing(master: Path) -> None:
    """Excel: delete the row of 3.2 and keep 3.2.1 and 3.2.3. Area 3 still has criteria
    under it, so it is not asked for an action; its projected points formula now reads
    #REF! (=D11+SUM(#REF!)-SUM(#REF!)), and that error flows into the totals."""
    edit(master, lambda wb: excel_delete_row(wb, 12))
    report = validate(master)
    assert report.flatten() == [
        AREA_1,
        ["'Kế hoạch'!S11", "formula-error"],
        ["'Kế hoạch'!A12", "parent-missing"],
        ["'Kế hoạch'!A13", "parent-missing"],
        ["'Kế hoạch'!S24", "formula-error"],
        *[[f"'Tổng hợp'!{c}{r}", "formula-error"] for r in (6, 9, 10) for c in "HIJ"],
    ]
    assert [p.params for p in report.problems[2:4]] == [{"parent": "3.2"}] * 2


def test_codes_out_of_order(master: Path) -> None:
    """Excel: sort 1.6 below 1.7 (formulas move with their rows)."""
    edit(master, lambda wb: excel_swap_rows(wb, 7, 8))
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!A8", "code-order"]]
    assert (report.problems[1].value, report.problems[1].params) == ("1.6", {"previous": "1.7"})


# --- plan text and roster ----------------------------------------------------------------------

@pytest.mark.parametrize(("column", "problem"), [("F", "action-missing"),
                                                 ("G", "lead-missing")])
def test_row_that_lost_points_without_action_or_lead(master: Path, column: str,
                                                     problem: str) -> None:
    put(master, PLAN, **{f"{column}7": None})
    assert flat(master) == [AREA_1, [f"'Kế hoạch'!{column}7", problem]]


def test_row_that_lost_points_without_time_frame(master: Path) -> None:
    """The time frame is the text or the deadline date: clearing only the text leaves the
    deadline the tool derived from it, which still says when."""
    put(master, PLAN, I7=None)
    assert flat(master) == [AREA_1]
    put(master, PLAN, K7=None)
    assert flat(master) == [AREA_1, ["'Kế hoạch'!I7", "timeframe-missing"]]


def test_time_frame_that_does_not_parse(master: Path) -> None:
    put(master, PLAN, I7="Sớm nhất có thể", K7=None)
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!I7", "timeframe-unparsed"]]
    assert report.problems[1].value == "Sớm nhất có thể"


def test_row_that_lost_nothing_needs_no_action(master: Path) -> None:
    put(master, PLAN, D7=1, F7=None, G7=None, I7=None, K7=None)  # 1.6 now keeps its 1 point
    report = validate(master)
    assert report.flatten() == [AREA_1]
    assert report.problems[0].params["children"] == "0.8"


@pytest.mark.parametrize("column", ["G", "H"])
def test_lead_or_support_no_roster_role_matches(master: Path, column: str) -> None:
    put(master, PLAN, **{f"{column}7": "Công an xã"})
    report = validate(master)
    assert report.flatten() == [AREA_1, [f"'Kế hoạch'!{column}7", "role-unknown"]]
    assert report.problems[1].params == {"part": "Công an xã"}


@pytest.mark.parametrize(("cell", "value", "problem"), [
    ("D2", None, "roster-person-missing"),
    ("E2", None, "roster-email-missing"),
    ("E2", "abc@", "roster-email-invalid"),
    ("E2", "vanphong@songiang", "roster-email-invalid"),
])
def test_roster_role_without_person_or_valid_email(master: Path, cell: str, value,
                                                   problem: str) -> None:
    put(master, ROSTER, **{cell: value})
    report = validate(master)
    assert report.flatten() == [AREA_1, [f"'Cán bộ'!{cell}", problem]]
    # Văn phòng leads rows of the plan, so this stops its workbook from being sent: an error
    assert report.problems[1].severity == "error"
    assert report.problems[1].params == {"role": "Văn phòng – Thống kê"}


# --- the command -------------------------------------------------------------------------------

def run_cli(*args: str):
    return CliRunner().invoke(cli, ["validate", *args])


def test_cli_exit_codes_clean_problems(master: Path) -> None:
    assert run_cli(str(master)).exit_code == 1  # the area-1 warning
    put(master, PLAN, D5=8)
    result = run_cli(str(master))
    # (what still needs action is said last, and does not change the exit code: the demo's
    # deadlines passed in 2021)
    assert (result.exit_code, result.output) == (
        0, "Không có vấn đề nào.\nXong. Còn việc cần làm: 12 dòng quá hạn (1.2, 1.6, 1.7, 2.5, "
        "3.2.1, 3.2.3, 4.2, 4.3, …).\n")


def test_cli_exit_2_for_a_missing_file(tmp_path: Path) -> None:
    result = run_cli(str(tmp_path / "khong-co.xlsx"), "--json")
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert [p["code"] for p in data["problems"]] == ["file-missing"]
    assert data["problems"][0]["message"] == (
        "Không có tệp khong-co.xlsx: kiểm tra tên tệp và thư mục (có thể tệp đã được đổi tên "
        "hoặc chuyển đi).")  # not "save it again as .xlsx": there is nothing to open
    result = run_cli(str(tmp_path / "khong-co.xlsx"), "--lang", "en")
    assert (result.exit_code, result.output.splitlines()[1]) == (
        2, "    There is no file khong-co.xlsx: check its name and folder (it may have been "
           "renamed or moved).")


def test_json_reasons_are_in_the_chosen_language(tmp_path: Path) -> None:
    """A reason built deep in the library (Bilingual) is English in --lang en JSON, in its
    params as in its message."""
    fake = tmp_path / "so.xlsx"
    fake.write_text("không phải Excel", encoding="utf-8")
    english = json.loads(run_cli(str(fake), "--json", "--lang", "en").output)["problems"][0]
    assert english["params"]["reason"] == "it is not an .xlsx file (not in Excel's zip format)"
    vietnamese = json.loads(run_cli(str(fake), "--json").output)["problems"][0]
    assert vietnamese["params"]["reason"] == (
        "không phải tệp .xlsx (không phải định dạng zip của Excel)")


def test_cli_exit_2_for_a_file_that_is_not_xlsx(tmp_path: Path) -> None:
    fake = tmp_path / "ke_hoach.xlsx"
    fake.write_text("STT;Điểm chuẩn\n1;9\n", encoding="utf-8")
    result = run_cli(str(fake), "--json")
    assert result.exit_code == 2
    assert [p["code"] for p in json.loads(result.output)["problems"]] == ["file-unreadable"]


def test_unreadable_file_is_explained_in_the_chosen_language(tmp_path: Path) -> None:
    fake = tmp_path / "so.xlsx"
    fake.write_text("không phải Excel", encoding="utf-8")
    result = run_cli(str(fake), "--lang", "en")
    assert result.exit_code == 2
    assert result.output == (
        "so.xlsx                error\n"
        "    Cannot open the file: it is not an .xlsx file (not in Excel's zip format). Open it "
        "in Excel, save it as .xlsx and run again.\n"
        f"Checked {fake}: 1 error, 0 warnings, 0 notes.\n")
    result = run_cli(str(fake))
    assert "Không mở được tệp: không phải tệp .xlsx (không phải định dạng zip của Excel)." in (
        result.output)
    # The other commands say the same through the CLI's own error path.
    result = CliRunner().invoke(cli, ["consolidate", str(tmp_path / "khong-co.xlsx"),
                                      str(tmp_path), "--lang", "en"])
    assert result.exit_code == 2
    assert result.output == (f"Error: Cannot read {tmp_path / 'khong-co.xlsx'}: there is no "
                             "such file (check its name and folder)\n")


def test_the_language_may_be_given_before_the_command(tmp_path: Path, monkeypatch) -> None:
    """`cchc-xl --lang en validate …` as well as `cchc-xl validate … --lang en`; given in both
    places, the command's own wins; given in neither, CCHC_LANG, else Vietnamese."""
    fake = tmp_path / "so.xlsx"
    fake.write_text("không phải Excel", encoding="utf-8")
    english, vietnamese = (f"Checked {fake}: 1 error, 0 warnings, 0 notes.",
                           f"Kết quả kiểm tra {fake}: 1 lỗi, 0 cảnh báo, 0 thông tin.")

    def last_line(*args: str) -> str:
        return CliRunner().invoke(cli, list(args)).output.splitlines()[-1]

    monkeypatch.delenv("CCHC_LANG", raising=False)
    assert last_line("--lang", "en", "validate", str(fake)) == english
    assert last_line("validate", str(fake)) == vietnamese
    assert last_line("--lang", "en", "validate", str(fake), "--lang", "vi") == vietnamese
    monkeypatch.setenv("CCHC_LANG", "en")
    assert last_line("validate", str(fake)) == english
    assert last_line("--lang", "vi", "validate", str(fake)) == vietnamese


def test_cli_exit_2_for_a_workbook_without_the_plan_sheet(master: Path) -> None:
    edit(master, lambda wb: wb.remove(wb[PLAN]))
    assert flat(master) == [["Kế hoạch", "sheet-missing"]]
    assert run_cli(str(master)).exit_code == 2


def test_cli_json_is_exactly_the_librarys_report(master: Path) -> None:
    put(master, PLAN, E9=0.5, D6="0,5")
    result = run_cli(str(master), "--json")
    assert result.exit_code == 1
    assert json.loads(result.output) == validate(str(master)).to_dict("vi")
    result = run_cli(str(master), "--json", "--lang", "en")
    assert json.loads(result.output) == validate(str(master)).to_dict("en")


def test_cli_english_messages(master: Path) -> None:
    result = run_cli(str(master), "--lang", "en")
    assert result.exit_code == 1
    assert result.output == (
        "'Kế hoạch'!E5          warning\n"
        "    Points lost by item 1: 1.05; by the criteria under it: 1 in total (difference "
        "0.05). Check the appraised points or add the missing criteria.\n"
        f"Checked {master}: 0 errors, 1 warning, 0 notes.\n"
        "Done. Still to act on: 12 rows overdue (1.2, 1.6, 1.7, 2.5, 3.2.1, 3.2.3, 4.2, 4.3, "
        "…).\n")


# --- --fix -------------------------------------------------------------------------------------

def _formula_cells_match_expectations(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    view = read_master(wb)
    return {key: wb[key[0]][key[1]].value for key, formula in expected_formulas(view).items()
            if wb[key[0]][key[1]].value != formula}


def _log_rows(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[layout.CHANGELOG.name]
    keys = layout.CHANGELOG.keys
    return [tuple(ws.cell(row=r, column=keys.index(k) + 1).value
                  for k in ("field", "old", "new", "note"))
            for r in range(layout.CHANGELOG.first_row, ws.max_row + 1)
            if ws.cell(row=r, column=1).value is not None]


def test_fix_restores_formulas_after_a_backup_and_keeps_typed_values(master: Path) -> None:
    def change(wb):
        ws = wb[PLAN]
        ws["E5"] = 1.03  # the document's figure typed over the formula
        ws["E13"] = "=C12-D12"
        ws["C25"] = "=SUM(C5,C9,C11,C15)"
        ws["D6"] = "0,5"  # a typed value: reported, never touched
        wb[SUMMARY]["C5"] = "='Kế hoạch'!C10"

    edit(master, change)
    before = master.read_bytes()
    report = validate(master, fix=True)
    assert [[p.where, p.code, p.fixed] for p in report.problems] == [
        ["'Kế hoạch'!E5", "formula-overwritten", True],
        ["'Kế hoạch'!D6", "not-a-number", False],
        ["'Kế hoạch'!E6", "formula-error", False],  # its formula is right, its input is not
        ["'Kế hoạch'!E13", "formula-wrong", True],
        ["'Kế hoạch'!C25", "formula-wrong", True],
        ["'Tổng hợp'!C5", "formula-wrong", True],
    ]
    assert report.stats["fixed"] == 4
    backup = Path(report.stats["backup"])
    assert backup.parent == master.parent / "sao-luu"
    assert backup.read_bytes() == before

    assert _formula_cells_match_expectations(master) == {}
    wb = openpyxl.load_workbook(master)
    ws = wb[PLAN]
    assert [ws["E5"].value, ws["E13"].value, ws["C25"].value, wb[SUMMARY]["C5"].value] == [
        "=C5-D5", "=C13-D13", "=SUM(C5,C9,C11,C15,C18)", "='Kế hoạch'!C9"]
    assert ws["D6"].value == "0,5"
    comment = ws["E5"].comment.text
    assert "Văn bản ghi điểm bị mất: 1.03" in comment  # the import's note is kept
    assert "giá trị gõ đè trước khi sửa: 1.03" in comment
    assert _log_rows(master) == [
        ("Kế hoạch!E5", "1.03", "=C5-D5", "formula-overwritten"),
        ("Kế hoạch!E13", "=C12-D12", "=C13-D13", "formula-wrong"),
        ("Kế hoạch!C25", "=SUM(C5,C9,C11,C15)", "=SUM(C5,C9,C11,C15,C18)", "formula-wrong"),
        ("Tổng hợp!C5", "='Kế hoạch'!C10", "='Kế hoạch'!C9", "formula-wrong"),
    ]
    assert flat(master) == [["'Kế hoạch'!D6", "not-a-number"],
                            ["'Kế hoạch'!E6", "formula-error"]]


def test_fix_keeps_a_constant_typed_over_a_summary_formula(master: Path) -> None:
    put(master, SUMMARY, G5="Tốt")
    report = validate(master, fix=True)
    assert [[p.where, p.code, p.fixed] for p in report.problems] == [
        AREA_1 + [False], ["'Tổng hợp'!G5", "formula-overwritten", True]]
    ws = openpyxl.load_workbook(master)[SUMMARY]
    assert ws["G5"].value.startswith("=IF(F5>=")
    assert "giá trị gõ đè trước khi sửa: Tốt" in ws["G5"].comment.text
    assert flat(master) == [AREA_1]


def test_fix_after_rows_inserted_and_an_area_added(master: Path) -> None:
    """The Excel-inserted area 5 from above, plus a row inserted by openpyxl: --fix puts
    every formula back where the rows now are, the summary gains its row for area 5."""
    def change(wb):
        excel_insert_rows(wb, 18)
        ws = wb[PLAN]
        for key, value in {"code": "5", "title": "Lĩnh vực mới", "max_points": 6,
                           "appraised": 6}.items():
            ws.cell(row=18, column=layout.PLAN.index(key), value=value)
        ws.insert_rows(13)

    edit(master, change)
    report = validate(master, fix=True)
    assert report.stats["fixed"] == len(report.problems) - 1
    assert _formula_cells_match_expectations(master) == {}
    ws = openpyxl.load_workbook(master)[SUMMARY]
    assert [ws.cell(row=r, column=1).value for r in range(4, 10)] == [
        "1", "2", "3", "4", "5", "7"]
    # the summary's old rows moved down; their labels were not typed over, so no comment
    assert [c.coordinate for row in ws.iter_rows() for c in row if c.comment] == []
    assert flat(master) == [AREA_1]


def test_total_row_deleted_and_restored_by_fix(master: Path) -> None:
    edit(master, lambda wb: wb[PLAN].delete_rows(25))
    report = validate(master)
    assert report.flatten() == [AREA_1, ["'Kế hoạch'!B25", "total-row-missing"]]
    assert report.problems[1].message("en") == (
        "The 'TỔNG CỘNG' row at the end of the plan is missing. Run 'cchc-xl validate --fix' "
        "to add the total row and its formulas back.")
    validate(master, fix=True)
    ws = openpyxl.load_workbook(master)[PLAN]
    assert [ws[f"{c}25"].value for c in "BCDE"] == [
        "TỔNG CỘNG", "=SUM(C5,C9,C11,C15,C18)", "=SUM(D5,D9,D11,D15,D18)",
        "=SUM(E5,E9,E11,E15,E18)"]
    assert flat(master) == [AREA_1]


def test_fix_on_a_master_without_broken_formulas_leaves_the_file_alone(master: Path) -> None:
    put(master, PLAN, D6="0,5")
    before = master.read_bytes()
    report = validate(master, fix=True)
    assert "fixed" not in report.stats
    assert master.read_bytes() == before
    assert not (master.parent / "sao-luu").exists()


# --- --recalc ----------------------------------------------------------------------------------

def _formula_count(path: Path) -> int:
    wb = openpyxl.load_workbook(path)
    return sum(1 for ws in wb.worksheets for row in ws.iter_rows() for cell in row
               if cell.data_type == "f")


@pytest.mark.libreoffice
def test_recalc_agrees_with_libreoffice_on_the_seed_master(soffice: str, master: Path) -> None:
    report = validate(master, recalc=True)
    assert report.flatten() == [AREA_1]
    assert report.stats["recalc_compared"] == _formula_count(master) > 0


@pytest.mark.libreoffice
def test_recalc_reports_where_libreoffice_computes_otherwise(soffice: str,
                                                             master: Path) -> None:
    """A fraction typed as text: LibreOffice (like Excel) reads '0 1/2' as 0.5, the tool's
    evaluator does not, so 1 − '0 1/2' differs: --recalc exists to catch exactly this."""
    put(master, PLAN, D13="0 1/2")
    report = validate(master, recalc=True)
    assert report.flatten() == [
        AREA_1,
        ["'Kế hoạch'!D13", "not-a-number"],
        ["'Kế hoạch'!E13", "formula-error"],
        ["'Kế hoạch'!E13", "recalc-mismatch"],
    ]
    assert report.problems[3].params == {"expected": "#VALUE!", "other": "0.5"}


@pytest.mark.libreoffice
def test_recalc_does_not_report_errors_both_compute(soffice: str, master: Path) -> None:
    put(master, PLAN, D6="0,5")
    assert validate(master, recalc=True).flatten() == [
        ["'Kế hoạch'!D6", "not-a-number"], ["'Kế hoạch'!E6", "formula-error"]]


def test_recalc_without_libreoffice_says_so(master: Path, monkeypatch) -> None:
    monkeypatch.setenv("CCHC_SOFFICE", str(master.parent / "no-soffice-here"))
    report = validate(master, recalc=True)
    assert report.flatten() == [AREA_1, ["", "recalc-unavailable"]]
    assert report.exit_code() == 1


def test_check_master_takes_an_open_workbook(master: Path) -> None:
    report, view = check_master(openpyxl.load_workbook(master), str(master))
    assert report.flatten() == [AREA_1]
    assert [r.code for r in view.rows] == SEED_CODES and view.total_row == 25


def test_every_problem_the_library_raises_has_a_message_in_both_languages() -> None:
    """Each problem code written in the library (Problem("…"), _problem("…"), _p("…")) has
    its Vietnamese and English message: none is ever shown as its bare code."""
    import re

    from cchc_xl.messages import MESSAGES

    source = Path(__file__).resolve().parents[1] / "cchc_xl"
    found = {m[1]: path.name for path in source.rglob("*.py") for m in re.finditer(
        r'(?:Problem|_problem|_p)\(\s*"([a-z0-9]+(?:-[a-z0-9]+)+)"', path.read_text("utf-8"))}
    assert len(found) > 50  # the pattern still finds them
    assert {code: where for code, where in found.items() if code not in MESSAGES} == {}
    assert all(vi.strip() and en.strip() and vi != en for vi, en in MESSAGES.values())


def test_english_counts_agree_with_their_number() -> None:
    """'{n:~error}' in an English template says '1 error' and '2 errors'; the Vietnamese
    template of the pair takes the bare number."""
    from cchc_xl.messages import pick

    texts = ("Còn {n} lỗi, {m} dòng.", "{n:~error} left, {m:~plan row}.")
    assert pick(texts, "en", n=1, m=0) == "1 error left, 0 plan rows."
    assert pick(texts, "en", n=2, m=1) == "2 errors left, 1 plan row."
    assert pick(texts, "vi", n=1, m=2) == "Còn 1 lỗi, 2 dòng."


def test_no_template_says_one_in_the_plural() -> None:
    """No English template of the commands puts a bare count before a plural noun (which
    says '1 rows' for one): each counts through '~'."""
    import re

    from cchc_xl.texts import CLI, CONTROL

    pairs = {**CLI, **CONTROL}
    assert "summary" in pairs and "fill-done" in pairs
    assert {k: en for k, (_, en) in pairs.items()
            if re.search(r"\{(?:n|rows|errors|warnings|infos|fixed|files|changes|conflicts|"
                         r"overdue|problems)\} (?:more |plan |formula )?[a-z]+s\b", en)} == {}


def test_no_message_starts_with_the_file_as_its_place() -> None:
    """A problem's place (Problem.where) already names its file, and every list of problems
    shows it beside the message: a message does not start by naming the file again as a
    place ('r.xlsx › 'Phiếu cập nhật'!A14: Tệp r.xlsx: …'); a file named as the subject of
    its sentence ('Tệp r.xlsx rỗng') stays."""
    import re

    from cchc_xl.messages import MESSAGES

    place = re.compile(r"(?:Tệp )?\{file\}[:,]")
    assert {code for code, texts in MESSAGES.items() if any(place.match(t) for t in texts)} == set()


def test_a_problem_line_names_its_file_once() -> None:
    """A list shows a problem as its place and its message; a whole file's problem whose
    message names the file is shown by its message alone (not 'x.txt: Tệp x.txt …')."""
    from cchc_xl.problems import ERROR, WARNING, Problem

    note = Problem("file-not-workbook", WARNING, file="ghi chú.txt",
                   params={"file": "ghi chú.txt"})
    assert note.line() == "Tệp ghi chú.txt không phải phiếu Excel (.xlsx) nên không đọc."
    assert note.line("en") == "ghi chú.txt is not an Excel workbook (.xlsx): not read."
    row = Problem("row-tampered", ERROR, "Phiếu cập nhật", "A14", file="r.xlsx",
                  params={"file": "r.xlsx", "code": "2.5"})
    assert row.line() == ("r.xlsx › 'Phiếu cập nhật'!A14: Nội dung khóa của dòng 2.5 (tiêu chí, "
                          "điểm, giải pháp, hạn) đã bị sửa: không áp dụng dòng này.")
    sheet = Problem("not-a-number", ERROR, "Kế hoạch", "C5", value="abc", params={"hint": ""})
    assert sheet.line() == (
        "'Kế hoạch'!C5: «abc» là chữ, không phải số. Gõ lại con số như Excel của máy này ghi số "
        "thập phân (Excel đặt tiếng Việt dùng dấu phẩy: 0,5; đặt tiếng Anh dùng dấu chấm: 0.5): "
        "công cụ đọc con số trong ô, không đọc chữ.")

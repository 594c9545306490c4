"""cchc_xl.files.formula_eval: exact values of formulas, and a cross-check against LibreOffice."""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from cchc_xl.files.formula_eval import (
    ExcelError,
    Unsupported,
    WorkbookEvaluator,
    normalize_formula,
    references,
)

PLAN, SETTINGS, QUOTED = "Kế hoạch", "Cài đặt", "It's"


def book() -> openpyxl.Workbook:
    """Sheet1 A1:C6 mixed data; 'Kế hoạch' C5:D7; 'Cài đặt' B1, B3:B7; names Rate, Year."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rows = [(1, "Hoàn thành", 10), (2, "hoàn THÀNH", 20), ("3", "Đang làm", 30),
            (True, "", 40), (None, None, 50), (4.5, "Hoàn thành xong", 60)]
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            ws.cell(r, c, v)
    plan = wb.create_sheet(PLAN)
    plan["C4"], plan["D4"] = "Điểm", "Trạng thái"
    plan_rows = [(10, "Hoàn thành"), (20.5, "Chưa"), ("abc", "hoàn thành")]
    for r, (pts, status) in enumerate(plan_rows, 5):
        plan.cell(r, 3, pts)
        plan.cell(r, 4, status)
    settings = wb.create_sheet(SETTINGS)
    settings["B1"] = 2021
    for r, v in enumerate([0.5, 1, 1.5, 2, 2.5], 3):
        settings.cell(r, 2, v)
    wb.create_sheet(QUOTED)["A1"] = 7
    wb.defined_names["Rate"] = DefinedName("Rate", attr_text="'Cài đặt'!$B$3:$B$7")
    wb.defined_names["Year"] = DefinedName("Year", attr_text="'Cài đặt'!$B$1")
    return wb


def ev(formula: str, wb: openpyxl.Workbook | None = None, sheet: str = "Sheet1") -> object:
    wb = wb or book()
    wb[sheet]["Z1"] = formula
    return WorkbookEvaluator(wb).value(sheet, "Z1")


def same(got: object, want: object) -> bool:
    """Equal with the same kind (bool, number, text, error); floats to 1e-12 relative."""
    kinds = (bool, ExcelError, str, (int, float))
    if [isinstance(got, k) for k in kinds].index(True) != [isinstance(want, k)
                                                           for k in kinds].index(True):
        return False
    if isinstance(want, float) or isinstance(got, float):
        return math.isclose(got, want, rel_tol=1e-12)  # type: ignore[arg-type]
    return got == want


E = ExcelError
CASES = [
    # precedence: negation > % > ^ > * / > + - > & > comparisons; all left-associative
    ("=-2^2", 4), ("=2^3^2", 64), ("=1+2*3%", 1.06), ("=(1+2)*3", 9), ("=10/4", 2.5),
    ("=2*-3", -6), ("=50%", 0.5), ("=1E-3*1000", 1), ("=7-2-1", 4), ("=2^-1", 0.5),
    ("=-2%", -0.02), ('=+"a"', "a"), ("=+A5", 0), ("=1+2&\"x\"", "3x"), ("=3=3=TRUE", True),
    ("=1/0", E.DIV0),
    ("=0^0", E.NUM), ("=(-8)^(1/3)", E.NUM),
    # text joining formats numbers like Excel's General format
    ('="a"&"b"', "ab"), ('="x"&2.0', "x2"), ('="x"&0.1+0.2', "x0.3"),
    ('="x"&1/3', "x0.333333333333333"), ('="x"&1E-5', "x0.00001"), ('="x"&1E20', "x1E+20"),
    ('="x"&TRUE', "xTRUE"), ('=A5&"x"', "x"), ('="say ""hi"""', 'say "hi"'),
    # comparisons: numbers < text < booleans, text case-insensitive, blank = "" = 0
    ("=1<2", True), ('="a"="A"', True), ('="a"<"B"', True), ('=1<"a"', True),
    ('="z"<TRUE', True), ('=A5=""', True), ("=A5=0", True), ("=0.1+0.2=0.3", True),
    ("=A1<>A2", True), ('=B1=B2', True),
    # coercion in arithmetic
    ('="1.5"+1', 2.5), ('=" 2 "+1', 3), ('="0,5"+1', E.VALUE), ('="abc"*1', E.VALUE),
    ('="1,000"+1', 1001), ("=A5+1", 1), ("=A4+1", 2), ("=A3+1", 4), ("=TRUE+TRUE", 2),
    # SUM and friends: ranges skip text and booleans, direct arguments are coerced
    ("=SUM(A1:A6)", 7.5), ('=SUM(A1:A6,"3",TRUE)', 11.5), ('=SUM("x")', E.VALUE),
    ("=SUM(A3)", 0), ("=SUM(C:C)", 210), ("=SUM(1,)", 1), ("=AVERAGE(A1:A6)", 2.5),
    ("=AVERAGE(A5)", E.DIV0), ("=MIN(A1:A6)", 1), ("=MAX(A1:A6)", 4.5), ("=MIN(A5)", 0),
    ('=MAX("7",1)', 7), ("=COUNT(A1:A6)", 3), ('=COUNT(1,"2","x",TRUE)', 3),
    ("=COUNTA(A1:A6)", 5), ("=COUNTBLANK(A1:B6)", 3), ("=SUM(A1:A6,1/0)", E.DIV0),
    # IF is lazy; IF without else gives FALSE; a blank result is 0
    ('=IF(1>2,"a")', False), ('=IF(1<2,"a","b")', "a"), ("=IF(A5,1,2)", 2),
    ('=IF("x",1,2)', E.VALUE), ("=IF(TRUE,1/0,1)", E.DIV0), ("=IF(FALSE,1/0,1)", 1),
    ("=IF(TRUE,A5)", 0), ("=IF(TRUE,1,)", 1), ("=IF(FALSE,1,)", 0),
    ('=IFERROR(1/0,"x")', "x"), ('=IFERROR(5,"x")', 5), ("=IFERROR(#REF!,0)", 0),
    ("=IFERROR(A5,1)", 0),
    # rounding half away from zero, on the 15-digit value
    ("=ROUND(2.5,0)", 3), ("=ROUND(-2.5,0)", -3), ("=ROUND(1.005,2)", 1.01),
    ("=ROUND(1234.5,-2)", 1200), ("=ROUND(0.125,2)", 0.13), ("=ROUNDUP(2.1,0)", 3),
    ("=ROUNDUP(-2.1,0)", -3), ("=ROUNDUP(0.1+0.2,1)", 0.3), ("=ROUNDDOWN(2.9,0)", 2),
    ("=ROUNDDOWN(-2.9,0)", -2), ("=ROUNDDOWN(1234.5,-2)", 1200), ('=ROUND("x",0)', E.VALUE),
    # logic and information
    ("=AND(TRUE,1)", True), ("=AND(TRUE,0)", False), ("=OR(FALSE,0)", False),
    ("=OR(A1:A6)", True), ('=AND("x")', E.VALUE), ("=AND(A5)", E.VALUE), ("=NOT(0)", True),
    ("=NOT(1/0)", E.DIV0), ("=ABS(-3)", 3), ('=ABS("-2")', 2), ("=ISBLANK(A5)", True),
    ("=ISBLANK(A1)", False), ('=ISBLANK("")', False), ("=ISBLANK(B4)", True),
    ("=ISNUMBER(A1)", True), ("=ISNUMBER(A3)", False), ("=ISTEXT(A3)", True),
    ("=ISTEXT(A1)", False), ("=ISTEXT(A5)", False), ("=ISERROR(1/0)", True),
    ("=ISERROR(1)", False), ("=ISERROR(#N/A)", True),
    # text
    ('=LEN("Hoàn thành")', 10), ("=LEN(12.5)", 4), ("=LEN(A5)", 0),
    ('=TRIM("  a   b  ")', "a b"), ('=CONCATENATE("a",1,TRUE,A5,0.5)', "a1TRUE0.5"),
    ('=VALUE("12.5")', 12.5), ('=VALUE("x")', E.VALUE), ("=VALUE(TRUE)", E.VALUE),
    ('=VALUE("50%")', 0.5),
    # INDEX and MATCH
    ("=INDEX(C1:C6,3)", 30), ("=INDEX(A1:C6,2,3)", 20), ("=INDEX(A1:C1,2)", "Hoàn thành"),
    ("=INDEX(C1:C6,7)", E.REF), ("=SUM(INDEX(A1:C6,0,3))", 210), ("=INDEX(A1:C6,5,1)", 0),
    ("=MATCH(30,C1:C6,0)", 3), ("=MATCH(35,C1:C6,1)", 3), ("=MATCH(35,C1:C6)", 3),
    ("=MATCH(5,C1:C6,1)", E.NA), ('=MATCH("HOÀN*",B1:B6,0)', 1), ("=MATCH(99,C1:C6,0)", E.NA),
    ('=MATCH("đang làm",B1:B6,0)', 3), ('=MATCH(">5",B1:B6,0)', E.NA),
    ("=INDEX(C1:C6,MATCH(40,C1:C6,0))", 40),
    # criteria: text equality ignores case, wildcards, operators, "" blank, "<>" non-blank
    ('=COUNTIF(B1:B6,"hoàn thành")', 2), ('=COUNTIF(B1:B6,"Hoàn*")', 3),
    ('=COUNTIF(B1:B6,"?oàn thành")', 2), ('=COUNTIF(C1:C6,">=30")', 4),
    ('=COUNTIF(C1:C6,">"&C2)', 4), ("=COUNTIF(C1:C6,30)", 1), ('=COUNTIF(C1:C6,"30")', 1),
    ("=COUNTIF(A1:A6,3)", 1), ('=COUNTIF(B1:B6,"<>")', 4), ('=COUNTIF(B1:B6,"")', 2),
    ('=COUNTIF(B1:B6,"<>Đang làm")', 5), ('=COUNTIF(C1:C6,"<>20")', 5),
    ('=COUNTIF(A1:A6,TRUE)', 1), ('=COUNTIF(B1:B6,"*~*")', 0),
    ('=COUNTIFS(B1:B6,"hoàn*",C1:C6,">10")', 2), ('=COUNTIFS(B1:B6,"x",C1:C5,">1")', E.VALUE),
    ('=SUMIF(B1:B6,"hoàn thành",C1:C6)', 30), ('=SUMIF(C1:C6,">30")', 150),
    ('=SUMIF(C1:C6,">30",A1:A6)', 4.5), ('=SUMIF(C1:C6,">30",A1)', 4.5),
    ('=SUMIFS(C1:C6,B1:B6,"<>")', 120), ('=SUMIFS(C1:C6,B1:B6,"<>",C1:C6,"<60")', 60),
    ('=AVERAGEIF(C1:C6,">30")', 50), ('=AVERAGEIF(B1:B6,"hoàn*",C1:C6)', 30),
    ('=AVERAGEIF(C1:C6,">100")', E.DIV0),
    # other sheets, whole columns, defined names, #REF!
    ("=SUM('Kế hoạch'!C5:C7)", 30.5), ("='Kế hoạch'!$C$5*2", 20),
    ("=SUM('Kế hoạch'!C:C)", 30.5), ('=COUNTIF(\'Kế hoạch\'!D:D,"hoàn thành")', 2),
    ("='It''s'!A1+1", 8), ("=Sheet1!C1+SHEET1!C2", 30), ("=Missing!A1", E.REF),
    ("=SUM(Rate)", 7.5), ("=sum(rate)", 7.5), ("=INDEX(Rate,2)", 1), ("=Year+1", 2022),
    ("=COUNTIF(Rate,\">1\")", 3), ("=NoSuchName+1", E.NAME), ("=C5-#REF!", E.REF),
    ("=SUM(A1,#REF!)", E.REF), ("='Kế hoạch'!#REF!", E.REF), ("=_xlfn.IFERROR(1/0,2)", 2),
]


@pytest.mark.parametrize(("formula", "expected"), CASES, ids=[c[0] for c in CASES])
def test_value(formula: str, expected: object) -> None:
    got = ev(formula)
    assert same(got, expected), f"{formula}: got {got!r}, expected {expected!r}"


def test_every_function_is_tested() -> None:
    from cchc_xl.files.formula_eval import _FUNCS

    text = " ".join(f for f, _ in CASES).upper()
    assert [name for name in _FUNCS if f"{name}(" not in text and name not in (
        "TRUE", "FALSE")] == []


def test_formula_on_another_sheet_and_chains() -> None:
    wb = book()
    plan = wb[PLAN]
    plan["E5"] = "=C5*2"
    plan["E6"] = "=E5+Sheet1!C1"
    wb["Sheet1"]["E1"] = "='Kế hoạch'!E6/3"
    ev_ = WorkbookEvaluator(wb)
    assert ev_.value("Sheet1", "E1") == 10
    assert ev_.value(PLAN, "$E$6") == 30
    assert ev_.value("kế HOẠCH", "e5") == 20  # sheet names are case-insensitive, as in Excel


def test_constants_are_returned_as_stored() -> None:
    wb = book()
    wb["Sheet1"]["F1"] = when = dt.datetime(2021, 1, 1)
    wb["Sheet1"]["F2"] = "=F1+1"
    wb["Sheet1"]["F3"] = "=ISNUMBER(F1)"
    wb["Sheet1"]["F4"], wb["Sheet1"]["F5"] = Decimal("1.5"), "=SUM(F4)*2"
    e = WorkbookEvaluator(wb)
    assert e.value("Sheet1", "F1") == when
    assert e.value("Sheet1", "A5") is None
    assert e.value("Sheet1", "F2") == 44198  # 1900 date system serial
    assert e.value("Sheet1", "F3") is True
    assert e.value("Sheet1", "F5") == 3


def test_error_cells() -> None:
    """openpyxl saves '#N/A' typed into a cell as an error (t="e"); a text cell stays text."""
    wb = book()
    ws = wb["Sheet1"]
    ws["F1"] = "#N/A"
    assert ws["F1"].data_type == "e"
    ws["F2"] = "#REF!"
    ws["F2"].data_type = "s"  # as read from a file where it is a string
    ws["G1"], ws["G2"], ws["G3"], ws["G4"] = "=F1+1", "=ISTEXT(F2)", "=LEN(F2)", "=ISERROR(F1)"
    e = WorkbookEvaluator(wb)
    assert same(e.value("Sheet1", "G1"), ExcelError.NA)
    assert e.value("Sheet1", "G2") is True
    assert e.value("Sheet1", "G3") == 5
    assert e.value("Sheet1", "G4") is True
    assert same(e.value("Sheet1", "F1"), ExcelError.NA)


def test_formula_returning_empty_text() -> None:
    wb = book()
    ws = wb["Sheet1"]
    ws["F1"], ws["F2"], ws["F3"] = '=""', "x", None
    ws["G1"] = "=COUNTBLANK(F1:F3)"
    ws["G2"] = "=COUNTA(F1:F3)"
    ws["G3"] = '=COUNTIF(F1:F3,"<>")'
    ws["G4"] = "=ISBLANK(F1)"
    e = WorkbookEvaluator(wb)
    assert [e.value("Sheet1", f"G{i}") for i in range(1, 5)] == [2, 2, 2, False]


def test_implicit_intersection() -> None:
    """A range where one value is wanted meets the formula's own row or column."""
    wb = book()
    ws = wb["Sheet1"]
    ws["E3"], ws["E2"], ws["E10"], ws["E4"] = "=C:C", "=C1:C6*2", "=C1:C6", "=A1:C1"
    e = WorkbookEvaluator(wb)
    assert [e.value("Sheet1", c) for c in ("E3", "E2", "E10", "E4")] == [
        30, 40, ExcelError.VALUE, ExcelError.VALUE]


def test_workbook_is_not_changed() -> None:
    wb = book()
    wb["Sheet1"]["E1"] = "=SUM(A:C)+COUNTBLANK(A1:D50)+ISBLANK(Y40)"
    before = {ws.title: dict(ws._cells) for ws in wb.worksheets}
    values, _ = WorkbookEvaluator(wb).evaluate_all()
    assert values == {("Sheet1", "E1"): 217.5 + 185 + 1}
    assert {ws.title: dict(ws._cells) for ws in wb.worksheets} == before


def test_excel_error_type() -> None:
    assert ExcelError.DIV0 == "#DIV/0!" and isinstance(ExcelError.DIV0, ExcelError)
    assert [ExcelError.VALUE, ExcelError.REF, ExcelError.NAME, ExcelError.NA, ExcelError.NUM] == [
        "#VALUE!", "#REF!", "#NAME?", "#N/A", "#NUM!"]
    assert repr(ExcelError.REF) == "ExcelError('#REF!')"


@pytest.mark.parametrize(("formula", "why"), [
    ("=FOO(1)", "function FOO"), ("=VLOOKUP(1,A1:B2,2,0)", "function VLOOKUP"),
    ("={1,2}", "syntax"), ("=A1 A2", "syntax"), ("=SUM(1", "syntax"), ("=IF(1)", "arguments"),
    ("=Table1[Col]", "syntax"), ("=1+", "syntax"),
])
def test_unsupported(formula: str, why: str) -> None:
    with pytest.raises(Unsupported, match=why.replace("[", r"\[")):
        ev(formula)


def test_circular_references() -> None:
    wb = book()
    ws = wb["Sheet1"]
    ws["F1"], ws["F2"], ws["F3"], ws["F4"], ws["F5"] = "=F2+1", "=F1+1", "=F3", "=F1*2", "=1"
    ws["F6"] = "=SUM(F5:F7)"  # the range holds F6 itself
    e = WorkbookEvaluator(wb)
    with pytest.raises(Unsupported, match=r"circular reference at Sheet1!F\d"):
        e.value("Sheet1", "F4")
    values, unsupported = e.evaluate_all()
    assert {k for k, why in unsupported.items() if "circular" in why} == {
        ("Sheet1", f"F{i}") for i in (1, 2, 3, 4, 6)}
    assert values[("Sheet1", "F5")] == 1


def test_unsupported_spreads_to_dependents() -> None:
    wb = book()
    ws = wb["Sheet1"]
    ws["F1"], ws["F2"], ws["F3"], ws["F4"] = "=FOO(1)", "=F1+1", "=SUM(F1:F2)", "=2*3"
    values, unsupported = WorkbookEvaluator(wb).evaluate_all()
    assert unsupported == {("Sheet1", "F1"): "function FOO",
                           ("Sheet1", "F2"): "depends on Sheet1!F1: function FOO",
                           ("Sheet1", "F3"): "depends on Sheet1!F1: function FOO"}
    assert values == {("Sheet1", "F4"): 6}


def test_evaluate_all_keys() -> None:
    wb = book()
    wb[PLAN]["F5"] = "=C5+1"
    wb["Sheet1"]["D1"] = "=C1*2"
    values, unsupported = WorkbookEvaluator(wb).evaluate_all()
    assert values == {(PLAN, "F5"): 11, ("Sheet1", "D1"): 20} and unsupported == {}


def test_normalize_formula() -> None:
    n = normalize_formula
    assert n("=SUM($C$5, C9)") == n("=sum(C5,C9)") == "SUM(C5,C9)"
    assert n("='Kế hoạch'!C5") == n("= 'kế hoạch'!$C$5") == "'KẾ HOẠCH'!C5"
    assert n("='Sheet1'!A1") == n("=Sheet1!a1") == "SHEET1!A1"
    assert n("='It''s'!A1") == "'IT''S'!A1"
    assert n("='A1'!B2") == "'A1'!B2"  # a sheet named like a cell keeps its quotes
    assert n('="Hoàn thành"') != n('="hoàn thành"')
    assert n('=IF(A1="a  b",1,0)') == 'IF(A1="a  b",1,0)'
    assert n("=_xlfn.IFERROR(A1,0)") == n("=IFERROR(A1, 0)")
    assert n("=IF(C5>0,ROUND(D5/C5*100,2),0)") != n("=IF(C5>0,ROUND(D5/C5*100,1),0)")


def test_references() -> None:
    f = "=SUM($C$5, C9)+'Kế hoạch'!$C$5:$D$7+Sheet1!A1+COUNTIF(C:C,\"A1\")+LOG10(B2)"
    assert references(f) == [(None, "C5"), (None, "C9"), (PLAN, "C5:D7"), ("Sheet1", "A1"),
                             (None, "C:C"), (None, "B2")]
    assert references("='It''s'!b2*2") == [(QUOTED, "B2")]
    assert references("=1+2") == []


def test_long_chain_does_not_recurse() -> None:
    """A running total over 5,000 rows, evaluated cold from its last cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    n = 5000
    for r in range(1, n + 1):
        ws.cell(r, 1, r)
        ws.cell(r, 2, "=A1" if r == 1 else f"=B{r - 1}+A{r}")
    e = WorkbookEvaluator(wb)
    assert e.value("Sheet", f"B{n}") == n * (n + 1) // 2
    values, unsupported = e.evaluate_all()
    assert len(values) == n and not unsupported


def test_2000_rows_5_formula_columns_every_value_exact() -> None:
    """A province-sized sheet: every formula evaluated, whole columns and running totals exact.
    Its speed is measured by scripts/bench.py (the evaluator row), not asserted here."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = PLAN
    rows = 2000
    for r in range(2, rows + 2):
        ws.cell(r, 1, "Hoàn thành" if r % 3 else "Chưa")
        ws.cell(r, 2, r % 17)
        ws.cell(r, 3, r % 11)
        ws.cell(r, 4, f"=IF(B{r}>0,ROUND(C{r}/B{r}*100,2),0)")
        ws.cell(r, 5, f"=IFERROR(C{r}/B{r},0)")
        ws.cell(r, 6, f'=IF(A{r}="Hoàn thành",D{r},0)')
        ws.cell(r, 7, f"=C{r}" if r == 2 else f"=G{r - 1}+C{r}")
        ws.cell(r, 8, f'=COUNTIF(A:A,A{r})+SUMIF(A$2:A${rows + 1},"Hoàn*",C$2:C${rows + 1})')
    values, unsupported = WorkbookEvaluator(wb).evaluate_all()
    assert not unsupported and len(values) == rows * 5
    assert values[(PLAN, f"G{rows + 1}")] == sum(r % 11 for r in range(2, rows + 2))
    done = [r for r in range(2, rows + 2) if r % 3]
    done_sum = sum(r % 11 for r in done)
    for r in (2, 3, 17, 34, 1000, rows + 1):
        b, c = r % 17, r % 11
        pct = round(c / b * 100, 2) if b > 0 else 0
        assert values[(PLAN, f"D{r}")] == pytest.approx(pct), r
        assert values[(PLAN, f"E{r}")] == pytest.approx(c / b if b else 0), r
        assert values[(PLAN, f"F{r}")] == pytest.approx(pct if r % 3 else 0), r
        same = len(done) if r % 3 else rows - len(done)
        assert values[(PLAN, f"H{r}")] == same + done_sum, r


# --- cross-check against LibreOffice ---------------------------------------------------------

LO_FORMULAS = [
    "=-2^2", "=2^3^2", "=1+2*3%", "=10/4-1", '="x"&0.1+0.2', '="x"&1/3', '="1.5"+1',
    '="0,5"+1', "=SUM(A1:A6)", '=SUM(A1:A6,3,TRUE)', "=AVERAGE(A1:A6)", "=MIN(A1:A6)",
    "=MAX(A1:A6)", "=COUNTA(A1:A6)", "=COUNTBLANK(A1:B6)", '=IF(1>2,"a")', '=IFERROR(1/0,"x")',
    "=ROUND(2.5,0)", "=ROUND(-2.5,0)", "=ROUND(1.005,2)", "=ROUNDUP(-2.1,0)",
    "=ROUNDDOWN(1234.5,-2)", "=AND(TRUE,1)", "=OR(FALSE,0)", "=NOT(0)", "=ABS(-3)",
    "=ISBLANK(A5)", "=ISNUMBER(A3)", "=ISTEXT(A3)", "=ISERROR(1/0)", '=LEN("Hoàn thành")',
    '=TRIM("  a   b  ")', '=CONCATENATE("a",1,A5,0.5)', '=VALUE("12.5")', "=INDEX(A1:C6,2,3)",
    "=MATCH(35,C1:C6,1)", '=MATCH("HOÀN*",B1:B6,0)', '=COUNTIF(B1:B6,"hoàn thành")',
    '=COUNTIF(B1:B6,"Hoàn*")', '=COUNTIF(C1:C6,">=30")', '=COUNTIF(B1:B6,"<>")',
    '=COUNTIF(B1:B6,"")', '=COUNTIFS(B1:B6,"hoàn*",C1:C6,">10")',
    '=SUMIF(B1:B6,"hoàn thành",C1:C6)', '=SUMIFS(C1:C6,B1:B6,"<>",C1:C6,"<60")',
    '=AVERAGEIF(C1:C6,">30")', "=SUM('Kế hoạch'!C5:C7)", "=SUM('Kế hoạch'!C:C)",
    "='It''s'!A1+1", "=SUM(Rate)", "=INDEX(Rate,2)", "=Year+1", "=C5-#REF!", "=A5=\"\"",
    '="a"<"B"', "=0.1+0.2=0.3", "=1/0",
]


def _libreoffice_values(soffice: str, wb: openpyxl.Workbook, tmp: Path) -> list[list[object]]:
    """Save wb, let LibreOffice recalculate it on load (fresh profile) and read the values."""
    from python_calamine import CalamineWorkbook

    profile = tmp / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><oor:items '
        'xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><item '
        'oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" '
        'oor:op="fuse"><value>0</value></prop></item></oor:items>', encoding="utf-8")
    wb.save(tmp / "in.xlsx")
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--norestore", "--convert-to", "xlsx", "--outdir", str(tmp / "out"),
                    str(tmp / "in.xlsx")], capture_output=True, timeout=180, check=True,
                   env={**os.environ, "HOME": str(tmp)})
    out = tmp / "out" / "in.xlsx"
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Sheet1").to_python(
        skip_empty_area=False)
    errors = openpyxl.load_workbook(out, data_only=True)["Sheet1"]  # calamine hides error codes
    return [[errors.cell(r, c).value if errors.cell(r, c).data_type == "e" else v
             for c, v in enumerate(row, 1)] for r, row in enumerate(grid, 1)]


@pytest.mark.libreoffice
def test_agrees_with_libreoffice(soffice: str, tmp_path: Path) -> None:
    """Known disagreements are left out: LibreOffice has no boolean type (TRUE in a range is
    summed and counted, TRUE > "z"), gives 0^0 = 1 (Excel #NUM!), #VALUE! for SUM("3")
    (Excel 3), counts text "5" only for the criterion "5" (Excel also for 5), and lets "?"
    match the number 5."""
    wb = book()
    ws = wb["Sheet1"]
    ws["A4"] = 8  # not TRUE: see above
    for r, f in enumerate(LO_FORMULAS, 1):
        ws.cell(r, 26, f)  # column Z
    ours = WorkbookEvaluator(wb)
    theirs = _libreoffice_values(soffice, wb, tmp_path)
    bad = []
    for r, f in enumerate(LO_FORMULAS, 1):
        mine, lo = ours.value("Sheet1", f"Z{r}"), theirs[r - 1][25]
        if isinstance(mine, ExcelError):
            ok = lo == mine
        elif isinstance(mine, bool) or isinstance(lo, bool):
            ok = lo == mine and type(lo) is type(mine)
        elif isinstance(mine, (int, float)):
            ok = isinstance(lo, (int, float)) and math.isclose(mine, lo, rel_tol=1e-9, abs_tol=1e-9)
        else:
            ok = lo == mine
        if not ok:
            bad.append((f, mine, lo))
    assert bad == [], "\n".join(map(repr, bad))

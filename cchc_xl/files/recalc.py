"""Compare the tool's own formula values with a forced LibreOffice recalculation."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..problems import INFO, WARNING, Problem, Report
from ..text import format_number

TOLERANCE = 1e-9


def formula_cells(path: Path) -> dict[tuple[str, str], str]:
    """Every formula cell of a file: (sheet, A1) -> formula text."""
    from .open_save import load

    wb = load(path)
    return {(ws.title, cell.coordinate): cell.value
            for ws in wb.worksheets for row in ws.iter_rows() for cell in row
            if cell.data_type == "f" and isinstance(cell.value, str)}


def read_values(path: Path, cells) -> dict[tuple[str, str], object]:
    """Cached values of the given cells as stored in the file (errors as '#VALUE!' text;
    calamine would give '' for them)."""
    from .open_save import load

    wb = load(path, data_only=True)
    return {(sheet, cell): wb[sheet][cell].value if sheet in wb.sheetnames else None
            for sheet, cell in cells}


def same_value(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))
    if a in (None, "") and b in (None, "", 0):
        return True
    return str(a) == str(b)


def compare_with_libreoffice(path: Path, report: Report) -> int:
    """Add a problem for each formula whose LibreOffice value differs from the tool's own.

    The tool's values are those cached in the file (written by the tool), re-evaluated here
    from the formulas; LibreOffice recalculates every formula (forced) in a copy."""
    from .formula_eval import Unsupported, WorkbookEvaluator
    from .libreoffice import LibreOfficeUnavailable, find_soffice, recalculate
    from .open_save import load

    if find_soffice() is None:
        report.add(Problem("recalc-unavailable", INFO))
        return 0
    wb = load(path)
    evaluator = WorkbookEvaluator(wb)
    cells = formula_cells(path)
    with tempfile.TemporaryDirectory(prefix="cchc-recalc-") as tmp:
        try:
            (out,) = recalculate([path], Path(tmp))
        except LibreOfficeUnavailable:
            report.add(Problem("recalc-unavailable", INFO))
            return 0
        theirs = read_values(out, cells)
    compared = 0
    for (sheet, cell), formula in cells.items():
        try:
            ours = evaluator.value(sheet, cell)
        except Unsupported:
            continue
        compared += 1
        other = theirs.get((sheet, cell))
        if not same_value(ours, other):
            report.add(Problem("recalc-mismatch", WARNING, sheet, cell, formula,
                               {"expected": _show(ours), "other": _show(other)}))
    report.stats["recalc_compared"] = compared
    return compared


def _show(value: object) -> str:
    if isinstance(value, float):
        return format_number(value)
    return "" if value is None else str(value)

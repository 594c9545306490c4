"""Validate a master: its formulas, numbers, tree of codes, plan text, roster and settings."""

from __future__ import annotations

import datetime as dt
import re

from .. import fields, layout
from ..files.formula_eval import ExcelError, Unsupported, WorkbookEvaluator, normalize_formula
from ..plan.roster import RoleResolver
from ..plan.timeframe import format_date
from ..plan.tree import (
    children_by_parent,
    code_key,
    codes_with_children,
    is_valid_code,
    parent_code,
)
from ..problems import ERROR, INFO, WARNING, Problem, Report
from ..text import fold, format_number, parse_number
from .deadlines import (
    DERIVED,
    FROM_TIMEFRAME,
    UNREADABLE,
    derived_deadline,
    plan_year,
    stored_deadline,
    timeframe_text,
)
from .evidence import evidence_flags
from .formulas import expected_formulas, placement_of
from .reading import MasterView, SheetRow, read_master

P = layout.PLAN
EPS = 1e-6
EMAIL_RE = re.compile(r"^[^@\s;,<>]+@[^@\s;,<>]+\.[^@\s;,<>]+$")


def check_master(wb, file: str = "") -> tuple[Report, MasterView | None]:
    """Every problem of an openpyxl workbook loaded with its formulas."""
    report = Report(file)
    view = read_master(wb)
    for problem in view.problems:
        report.add(problem)
    if report.fatal:
        return report, None
    evaluator = WorkbookEvaluator(wb)
    valid_rows = _check_tree(view, report)
    _check_numbers(view, valid_rows, report, evaluator)
    _check_formulas(view, evaluator, report)
    _check_plan_text(view, valid_rows, report)
    _check_roster(view, report)
    _check_settings(view, report)
    for problem in evidence_flags(view):
        report.add(problem)
    report.problems.sort(key=_order)
    report.stats.update(rows=len(view.rows), roles=len(view.roster))
    return report, view


def formula_problems(view: MasterView) -> list[Problem]:
    """The problems of the formulas alone (and of the tree of codes they follow from)."""
    report = Report("")
    _check_tree(view, report)
    _check_formulas(view, WorkbookEvaluator(view.wb), report)
    return report.problems


def _order(p: Problem) -> tuple:
    sheets = list(layout.MASTER_SHEETS)
    sheet = sheets.index(p.sheet) if p.sheet in sheets else len(sheets)
    match = re.match(r"([A-Z]+)(\d+)", p.cell or "")
    if match:
        col = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(match[1])))
        return sheet, int(match[2]), col, p.code
    return sheet, 0, 0, p.code


def _problem(view: MasterView, problem_code: str, severity: str, key: str,
             row: SheetRow | int, value: object = None, /, **params) -> Problem:
    r = row.row if isinstance(row, SheetRow) else row
    return Problem(problem_code, severity, P.name, view.address(key, r), value, params)


# --- tree ----------------------------------------------------------------------------------

def _check_tree(view: MasterView, report: Report) -> dict[str, SheetRow]:
    """Codes: present, text, well formed, unique, parent present, in order. Returns the
    rows whose codes can be trusted, by code."""
    seen: dict[str, SheetRow] = {}
    previous: str | None = None
    for row in view.rows:
        raw = row.raw.get("code")
        code = row.code
        if not code:
            report.add(_problem(view, "code-missing", ERROR, "code", row))
            continue
        if isinstance(raw, (int, float)):
            report.add(_problem(view, "code-not-text", ERROR, "code", row, code))
        if not is_valid_code(code):
            report.add(_problem(view, "code-malformed", ERROR, "code", row, code))
            continue
        if code in seen:
            report.add(_problem(view, "code-duplicate", ERROR, "code", row, code,
                                other_row=seen[code].row))
            continue
        seen[code] = row
        parent = parent_code(code)
        if parent and parent not in seen and not any(r.code == parent for r in view.rows):
            report.add(_problem(view, "parent-missing", ERROR, "code", row, code, parent=parent))
        if previous and code_key(code) < code_key(previous):
            report.add(_problem(view, "code-order", ERROR, "code", row, code, previous=previous))
        previous = code
    return seen


# --- numbers -------------------------------------------------------------------------------

def _number_cell(view: MasterView, row: SheetRow, key: str, report: Report,
                 evaluator: WorkbookEvaluator | None = None) -> float | None:
    raw = row.raw.get(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        if isinstance(raw, str) and raw.startswith("="):
            # a formula where a number is typed: its value is what counts
            return _formula_number(view, row, key, raw, report, evaluator)
        # (no "0,5 → 0.5": which separator Excel takes depends on its locale; a cell holding
        # the number is what counts, whatever it shows)
        report.add(_problem(view, "not-a-number", ERROR, key, row, raw, hint=""))
        return None
    return float(raw)


def _formula_number(view: MasterView, row: SheetRow, key: str, formula: str, report: Report,
                    evaluator: WorkbookEvaluator | None) -> float | None:
    if evaluator is None:
        return None
    cell = view.address(key, row.row)
    try:
        value = evaluator.value(P.name, cell)
    except Unsupported:
        return None
    if isinstance(value, ExcelError):
        report.add(Problem("formula-error", ERROR, P.name, cell, formula, {"error": str(value)}))
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _check_numbers(view: MasterView, rows: dict[str, SheetRow], report: Report,
                   evaluator: WorkbookEvaluator | None = None) -> None:
    maxes: dict[str, float] = {}
    losts: dict[str, float] = {}
    for row in view.rows:
        mx = _number_cell(view, row, "max_points", report, evaluator)
        ap = _number_cell(view, row, "appraised", report, evaluator)
        for key, value in (("max_points", mx), ("appraised", ap)):
            if value is None and row.raw.get(key) is None and row.code:
                report.add(_problem(view, "number-missing", ERROR, key, row,
                                    label=P.column(key).label))
        if mx is not None and mx <= 0:
            report.add(_problem(view, "max-not-positive", ERROR, "max_points", row,
                                format_number(mx)))
        if mx is not None and ap is not None and not (-EPS <= ap <= mx + EPS):
            report.add(_problem(view, "appraised-out-of-range", ERROR, "appraised", row,
                                format_number(ap), max_points=format_number(mx)))
        if rows.get(row.code) is row and mx is not None:
            maxes[row.code] = mx
            if ap is not None:
                losts[row.code] = mx - ap
        _check_inputs(view, row, mx, report)
    keys = list(rows)
    below = children_by_parent(keys)
    for code, row in rows.items():
        children = [keys[i] for i in below.get(code, ())]
        if not children:
            continue
        if code in maxes and all(c in maxes for c in children):
            total = sum(maxes[c] for c in children)
            if total > maxes[code] + EPS:
                report.add(_problem(view, "children-max-exceeds-parent", ERROR, "max_points",
                                    row, format_number(maxes[code]), code=code,
                                    children=format_number(total)))
        if code in losts and all(c in losts for c in children):
            total = sum(losts[c] for c in children)
            if abs(total - losts[code]) > EPS:
                report.add(_problem(view, "lost-children-mismatch", WARNING, "lost", row,
                                    format_number(losts[code]), code=code,
                                    children=format_number(total),
                                    difference=format_number(abs(losts[code] - total))))


def _check_inputs(view: MasterView, row: SheetRow, mx: float | None, report: Report) -> None:
    """Each reported field's value on the plan sheet, by its kind (text: anything goes)."""
    for f in fields.FIELDS:
        check = _INPUT_CHECKS.get(f.kind)
        if check is not None:
            check(view, row, f.key, mx, report)


def _check_status(view: MasterView, row: SheetRow, key: str, mx, report: Report) -> None:
    status = row.text(key)
    if status and status not in layout.STATUSES:
        report.add(_problem(view, "status-invalid", ERROR, key, row, status,
                            allowed=", ".join(layout.STATUSES)))


def _check_percent(view: MasterView, row: SheetRow, key: str, mx, report: Report) -> None:
    progress = _number_cell(view, row, key, report)
    if progress is not None and not (0 <= progress <= 100):
        report.add(_problem(view, "progress-out-of-range", ERROR, key, row,
                            format_number(progress)))


def _check_points(view: MasterView, row: SheetRow, key: str, mx: float | None,
                  report: Report) -> None:
    expected = _number_cell(view, row, key, report)
    if expected is not None and mx is not None and not (-EPS <= expected <= mx + EPS):
        report.add(_problem(view, "expected-out-of-range", ERROR, key, row,
                            format_number(expected), max_points=format_number(mx)))


_INPUT_CHECKS = {"status": _check_status, "percent": _check_percent, "points": _check_points}


# --- formulas ------------------------------------------------------------------------------

TREE_CODES = {"code-missing", "code-malformed", "code-duplicate", "parent-missing"}


def tree_dependent_cells(view: MasterView, report: Report) -> set[tuple[str, str]]:
    """Formula cells whose expected formula follows from an uncertain tree of codes (the
    rows of parents and of unreadable codes, the total row, the summary); empty when the
    tree is sound."""
    if not any(p.code in TREE_CODES for p in report.problems):
        return set()
    parents = codes_with_children(r.code for r in view.rows)
    rows = {r.row for r in view.rows if not is_valid_code(r.code) or r.code in parents}
    rows.add(placement_of(view).total_row)
    return {(sheet, cell) for sheet, cell in expected_formulas(view)
            if sheet != P.name or int(re.sub(r"\D", "", cell)) in rows}


def _check_formulas(view: MasterView, evaluator: WorkbookEvaluator, report: Report) -> None:
    if view.total_row is None:
        report.add(Problem("total-row-missing", ERROR, P.name,
                           view.address("title", placement_of(view).total_row),
                           params={"label": layout.TOTAL_LABEL}))
    uncertain = tree_dependent_cells(view, report)
    for (sheet, cell), expected in expected_formulas(view).items():
        if sheet == P.name and view.total_row is None and int(
                re.sub(r"\D", "", cell)) == placement_of(view).total_row:
            continue
        actual = view.wb[sheet][cell].value
        params = {"expected": expected}
        if actual is None or (isinstance(actual, str) and not actual.strip()):
            report.add(Problem("formula-missing", ERROR, sheet, cell, None, params))
        elif not isinstance(actual, str) or not actual.startswith("="):
            report.add(Problem("formula-overwritten", ERROR, sheet, cell, actual, params))
        elif normalize_formula(actual) != normalize_formula(expected) and (
                (sheet, cell) not in uncertain):
            report.add(Problem("formula-wrong", ERROR, sheet, cell, actual, params))
        else:
            try:
                value = evaluator.value(sheet, cell)
            except Unsupported:
                continue
            if isinstance(value, ExcelError):
                report.add(Problem("formula-error", ERROR, sheet, cell, actual,
                                   {"error": str(value)}))


# --- plan text and roles -------------------------------------------------------------------

def _check_plan_text(view: MasterView, rows: dict[str, SheetRow], report: Report) -> None:
    resolver = RoleResolver(view.roles())
    year = plan_year(view)
    # Any row below it in the tree makes it a parent, even when the code between is
    # missing (3.2.1 under 3 without 3.2) or the child's code is malformed (2..5).
    parents = codes_with_children(r.code for r in view.rows)
    for row in view.rows:
        code = row.code
        is_leaf = code in rows and rows[code] is row and code not in parents
        mx, ap = row.number("max_points"), row.number("appraised")
        lost = mx - ap if mx is not None and ap is not None else None
        deadline = row.raw.get("deadline")
        derived, source = derived_deadline(row, year)
        # With a time frame the deadline cell is the tool's (--fix rewrites it), so what it
        # holds is right or stale; without one, it is what the office typed.
        if source not in DERIVED and deadline is not None and not hasattr(deadline, "year"):
            report.add(_problem(view, "not-a-date", ERROR, "deadline", row, deadline))
        if source == FROM_TIMEFRAME and stored_deadline(row) != derived:
            report.add(_problem(view, "deadline-stale", WARNING, "deadline", row,
                                _shown_date(deadline), expected=format_date(derived),
                                timeframe=timeframe_text(row)))
        if is_leaf and lost is not None and lost > EPS:
            for key, problem in (("action", "action-missing"), ("lead", "lead-missing")):
                if not row.text(key):
                    report.add(_problem(view, problem, ERROR, key, row, code=code))
            if not row.text("timeframe") and deadline is None:
                report.add(_problem(view, "timeframe-missing", ERROR, "timeframe", row,
                                    code=code))
            elif source == UNREADABLE:  # even with a date stored: --fix would empty it
                report.add(_problem(view, "timeframe-unparsed", ERROR, "timeframe", row,
                                    timeframe_text(row)))
        for key in ("lead", "support"):
            for part in resolver.resolve(row.text(key)).unknown:
                report.add(_problem(view, "role-unknown", ERROR, key, row, row.text(key),
                                    part=part))


def _shown_date(value: object) -> object:
    """A stored deadline as Excel shows it (dd/mm/yyyy); anything else as it is."""
    return format_date(value) if isinstance(value, dt.date) else value


def assigned_roles(view: MasterView) -> set[str]:
    resolver = RoleResolver(view.roles())
    names: set[str] = set()
    for row in view.rows:
        for key in ("lead", "support"):
            names.update(resolver.members(resolver.resolve(row.text(key))))
    return names


def _check_roster(view: MasterView, report: Report) -> None:
    R = layout.ROSTER
    cols = view.roster_columns

    def where(key: str, r: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(cols.get(key, 1))}{r}"

    used = assigned_roles(view)
    seen: dict[str, int] = {}
    for entry in view.roster:
        role, r = entry.role, entry.row
        if fold(role.name) in seen:
            report.add(Problem("roster-role-duplicate", ERROR, R.name, where("role", r),
                               role.name, {"other_row": seen[fold(role.name)]}))
            continue
        seen[fold(role.name)] = r
        severity = ERROR if role.name in used else WARNING
        if not role.person:
            report.add(Problem("roster-person-missing", severity, R.name, where("person", r),
                               None, {"role": role.name}))
        if not role.email:
            report.add(Problem("roster-email-missing", severity, R.name, where("email", r),
                               None, {"role": role.name}))
        elif not EMAIL_RE.match(role.email):
            report.add(Problem("roster-email-invalid", severity, R.name, where("email", r),
                               role.email, {"role": role.name}))
    resolver = RoleResolver(view.roles())
    for alias, names in resolver.ambiguous_aliases().items():
        row = next(e.row for e in view.roster if e.role.name == names[1])
        report.add(Problem("alias-ambiguous", ERROR, R.name, where("aliases", row), alias,
                           {"roles": ", ".join(names)}))


def _check_settings(view: MasterView, report: Report) -> None:
    rows = view.settings.get("_rows", {})
    sheet = layout.SETTINGS_SHEET
    for key, reason in (("year", "phải là năm, ví dụ 2021"),
                        ("total_max", "phải là số lớn hơn 0")):
        raw = view.settings.get(key)
        number = parse_number(raw)
        if raw not in (None, "") and (number is None or number <= 0 or not isinstance(
                raw, (int, float))):
            label = next(s.label for s in layout.SETTINGS if s.key == key)
            report.add(Problem("setting-invalid", ERROR, sheet, f"B{rows.get(key, 1)}", raw,
                               {"label": label, "reason": reason}))
    thresholds = [t for _, t in view.settings.get("ratings", [])]
    ok = all(isinstance(t, (int, float)) and 0 <= t <= 100 for t in thresholds) and all(
        a > b for a, b in zip(thresholds, thresholds[1:]))
    if not ok:
        report.add(Problem("rating-thresholds-invalid", ERROR, sheet,
                           f"B{layout.ratings_first_row()}", None, {}))


__all__ = ["check_master", "INFO"]

"""`validate --fix`: put back the formulas a master must hold and set each deadline again from
its time frame, never touching typed data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl.comments import Comment

from .. import layout
from ..problems import Problem, Report
from .build import write_summary_rows
from .formulas import expected_formulas, placement_of, summary_rows
from .reading import MasterView
from .validate import tree_dependent_cells

# formula-error is not here: that formula is the expected one, its inputs are what is wrong.
FORMULA_CODES = {"formula-missing", "formula-overwritten", "formula-wrong"}


def repair(master, view: MasterView, report: Report) -> bool:
    """Restore broken formulas (and a missing total row) and stale deadlines in place, backing
    the file up first.

    A constant typed over a formula is kept in a comment on the cell and in the change log;
    each deadline set again from its time frame (deadlines.refresh_deadlines) is logged too.
    Returns True when the file was rewritten. `master`: the master_file.Master holding it.
    """
    from .changelog import append_log
    from .deadlines import log_changes, refresh_deadlines

    path, wb = master.path, master.wb
    expected = expected_formulas(view)
    # While the tree of codes is uncertain, formulas that follow from it are left alone:
    # fix the codes first, then --fix again.
    uncertain = tree_dependent_cells(view, report)
    broken = [p for p in report.problems if (p.code in FORMULA_CODES and (
        p.sheet, p.cell) not in uncertain) or p.code == "total-row-missing"]
    deadlines = refresh_deadlines(wb, view)
    if not broken and not deadlines:
        return False
    now = dt.datetime.now().replace(microsecond=0)
    entries = []
    summary_broken = any(p.sheet == layout.SUMMARY.name for p in broken)
    # When areas were added or removed the summary's rows shifted: what its cells held are
    # old rows, not values someone typed, so they go to the log but into no comment.
    summary_reshaped = summary_broken and wb[layout.SUMMARY.name].cell(
        row=summary_rows(placement_of(view))[0],
        column=layout.SUMMARY.index("title")).value != layout.SUMMARY_TOTAL_LABEL
    if summary_broken:
        write_summary_rows(wb[layout.SUMMARY.name], placement_of(view))
    if any(p.code == "total-row-missing" for p in broken):
        ws = wb[layout.PLAN.name]
        row = placement_of(view).total_row
        ws.cell(row=row, column=view.columns["title"], value=layout.TOTAL_LABEL)
    for problem in broken:
        if problem.code == "total-row-missing":
            problem.fixed = True
            continue
        formula = expected.get((problem.sheet, problem.cell))
        if formula is None:
            continue
        # The summary, when broken, was rewritten whole above; problem.value is what the
        # cell held when validated, on either sheet.
        cell = wb[problem.sheet][problem.cell]
        old = problem.value
        if problem.code == "formula-overwritten" and not (
                summary_reshaped and problem.sheet == layout.SUMMARY.name):
            note = f"cchc-xl {now:%d/%m/%Y %H:%M}: giá trị gõ đè trước khi sửa: {old}"
            if cell.comment is not None and cell.comment.text:
                note = f"{cell.comment.text}\n{note}"  # keep an earlier note (the document's)
            cell.comment = Comment(note, "cchc-xl")
        cell.value = formula
        problem.fixed = True
        entries.append(_log_entry(now, path, problem, old, formula))
    if view.total_row is None:
        ws = wb[layout.PLAN.name]
        for (sheet, cell), formula in expected.items():
            if sheet == layout.PLAN.name and ws[cell].value is None:
                ws[cell] = formula
    append_log(wb, entries)
    log_changes(wb, deadlines, now, path.name)
    refreshed = {view.address("deadline", c.row) for c in deadlines}
    for problem in report.problems:
        if problem.code == "deadline-stale" and problem.cell in refreshed:
            problem.fixed = True
    save_result = master.save()
    report.stats["fixed"] = sum(1 for p in report.problems if p.fixed and p.code in (
        FORMULA_CODES | {"total-row-missing"}))
    report.stats["deadlines"] = len(deadlines)
    report.stats["backup"] = str(save_result.backup) if save_result.backup else None
    return True


# What every run that writes the master puts back by itself: a formula missing or pointing at
# other rows follows from the plan's tree (rows typed in by hand, rows inserted); a value typed
# over a formula is the office's, left for `validate --fix` to decide (it keeps it in a note).
RESTORED = {"formula-missing", "formula-wrong"}


def restore_formulas(wb, view: MasterView, now: dt.datetime, file: str = "") -> list[dict]:
    """Put in the formulas the plan's tree calls for where a cell is empty or holds another
    formula, when the tree is sound; the log entries of what was put (not yet appended)."""
    from .validate import TREE_CODES, formula_problems

    problems = formula_problems(view)
    if any(p.code in TREE_CODES for p in problems):
        return []  # (which rows are parents is uncertain: validate says what to fix first)
    expected = expected_formulas(view)
    broken = [p for p in problems if p.code in RESTORED]
    summary = [p for p in broken if p.sheet == layout.SUMMARY.name]
    if summary:
        if any(p.code == "formula-overwritten" and p.sheet == layout.SUMMARY.name
               for p in problems):
            broken = [p for p in broken if p.sheet != layout.SUMMARY.name]
        else:
            write_summary_rows(wb[layout.SUMMARY.name], placement_of(view))
    entries = []
    for problem in broken:
        formula = expected.get((problem.sheet, problem.cell))
        if formula is None:
            continue
        wb[problem.sheet][problem.cell].value = formula
        entries.append(_log_entry(now, Path(file or "."), problem, problem.value, formula))
    return entries


def keep_derived(wb, view: MasterView, now: dt.datetime, file: str = "") -> tuple[list, list]:
    """What every command that writes the master keeps derived, in place and logged: each
    deadline from its time frame, the formulas from the plan's tree. Returns (deadline
    changes, formula log entries); the caller reads the master again when either is not
    empty."""
    from .changelog import append_log
    from .deadlines import log_changes, refresh_deadlines

    deadlines = refresh_deadlines(wb, view)
    formulas = restore_formulas(wb, view, now, file)
    log_changes(wb, deadlines, now, file)
    append_log(wb, formulas)
    return deadlines, formulas


def _log_entry(now: dt.datetime, path: Path, problem: Problem, old, new) -> dict:
    return {
        "when": now, "kind": "Sửa công thức", "file": path.name, "officer": "cchc-xl",
        "code": "", "field": f"{problem.sheet}!{problem.cell}",
        "old": "" if old is None else str(old), "new": new, "note": problem.code,
    }

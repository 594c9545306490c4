"""`cchc-xl validate` on a file: the master checked as one unit of work, its formulas put back
with `fix` (backup first), LibreOffice's recalculation compared with `recalc`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..problems import ERROR, Problem, Report
from .validate import check_master


def validate(path: str | Path, *, recalc: bool = False, fix: bool = False,
             as_of: dt.date | None = None) -> Report:
    """Validate a master file; with fix, restore broken formulas (backup first), as one unit
    of work holding the master from load to save; with recalc, compare LibreOffice's
    recalculation with the tool's own values. report.needs: what still needs the office's
    action as of `as_of` (default today), on the master as checked."""
    from ..files.open_save import WorkbookUnreadable
    from .unit import Master

    path = Path(path)
    if not path.exists():  # (not "cannot open": there is nothing to open or save again)
        report = Report(str(path))
        report.add(Problem("file-missing", ERROR, "", "", None, {"file": path.name},
                           file=path.name))
        return report
    try:
        with Master.open(path, write=fix) as m:
            report, view = check_master(m.wb, str(path))
            if view is not None and fix:
                from .repair import repair

                repair(m, view, report)
            if not report.fatal:
                from .needs_action import needs_action

                report.needs = needs_action(m.wb, as_of or dt.date.today(), report.problems)
    except WorkbookUnreadable as exc:
        report = Report(str(path))
        report.add(Problem("file-unreadable", ERROR, "", "", None, {"reason": exc.args[0]},
                           file=path.name))
        return report
    if view is not None and recalc:
        from ..files.recalc import compare_with_libreoffice

        compare_with_libreoffice(path, report)
    return report

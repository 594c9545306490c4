"""Three-way merge of returned reports into the master, row by row and field by field.

base = the value issued in the officer's workbook (its stamp), theirs = what came back,
ours = the master now. Only-theirs changes are applied, only-ours are kept, different changes
on both sides are conflicts (the master keeps its value). Supporters' reports become notes;
rows led by a group aggregate their members' reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import layout
from .problems import ERROR, INFO, WARNING, Problem
from .returns import Return
from .values import Rejected, normalise, same, shown, shown_params

STATUS_RANK = {status: i for i, status in enumerate(layout.STATUSES)}


@dataclass
class RowState:
    """A master row as the merge sees it: current report values and who is responsible."""

    code: str
    row: int
    values: dict  # report field -> current value (plus "support_notes")
    max_points: float | None
    leads: list[str]  # roster roles leading (a group expanded)
    group: bool  # led by several roles: aggregate their reports


@dataclass
class Change:
    """One value written into the master (or that would be, in a dry run)."""

    code: str
    field: str
    old: object
    new: object
    file: str
    role: str
    person: str
    kind: str = "applied"  # applied | support | group


@dataclass
class MemberReport:
    role: str
    person: str
    file: str
    values: dict


@dataclass
class History:
    """What earlier consolidations left in the change log."""

    applied: dict = field(default_factory=dict)  # (role, code, field) -> last value applied
    members: dict = field(default_factory=dict)  # (code, role) -> {field: value}


@dataclass
class MergeResult:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    members: list[tuple[str, MemberReport]] = field(default_factory=list)  # (code, report)
    by_file: Counter = field(default_factory=Counter)  # file -> how many changes it brought

    def change(self, change: Change, files=None) -> None:
        """Record a change, brought by `files` (default: the one file it names)."""
        self.changes.append(change)
        for name in files if files is not None else (change.file,):
            self.by_file[name] += 1


def _where(ret: Return, key: str, row: int) -> tuple[str, str]:
    from openpyxl.utils import get_column_letter

    column = ret.columns.get(key, 1)
    return layout.OFFICER.name, f"{get_column_letter(column)}{row}"


def _p(problem_code: str, severity: str, ret: Return, key: str | None, row: int | None,
       value: object = None, /, **params) -> Problem:
    sheet, cell = _where(ret, key, row) if key and row else (layout.OFFICER.name, "")
    return Problem(problem_code, severity, sheet, cell, shown(value),
                   shown_params({"file": ret.name, "role": ret.stamp.role, **params}),
                   file=ret.name)


def merge(returns: list[Return], state: dict[str, RowState], *, history: History,
          stale: set[int]) -> MergeResult:
    """Merge returns (newest round first) into `state`, which is updated as changes apply."""
    result = MergeResult()
    group_reports: dict[str, dict[str, MemberReport]] = {}
    group_base: dict[str, dict] = {}
    for ret in returns:
        is_stale = id(ret) in stale
        role, person = ret.stamp.role, ret.stamp.person
        issued = {r.code for r in ret.stamp.rows}
        for code, returned in ret.rows.items():
            if code not in issued:
                result.problems.append(_p("unknown-code", WARNING, ret, "code", returned.row,
                                          code))
        for srow in ret.stamp.rows:
            returned = ret.rows.get(srow.code)
            st = state.get(srow.code)
            if returned is None:
                result.problems.append(_p("row-missing", WARNING, ret, None, None, srow.code,
                                          code=srow.code))
                continue
            if st is None:
                result.problems.append(_p("code-not-in-master", WARNING, ret, "code",
                                          returned.row, srow.code))
                continue
            if returned.seal != srow.seal:
                result.problems.append(_p("row-tampered", ERROR, ret, "code", returned.row,
                                          srow.code, code=srow.code))
                continue
            theirs = _checked(ret, srow, returned, st, result)
            if srow.part == layout.SUPPORT:
                changed = {f: v for f, v in theirs.items() if not same(v, srow.base.get(f))}
                if changed:
                    _support_note(ret, st, changed, result)
                continue
            if st.group:
                if any(not same(v, srow.base.get(f)) for f, v in theirs.items()):
                    full = {f: theirs.get(f, srow.base.get(f)) for f in layout.REPORT_FIELDS}
                    report = MemberReport(role, person, ret.name, full)
                    group_reports.setdefault(st.code, {})[role] = report
                    group_base.setdefault(st.code, dict(srow.base))
                    result.members.append((st.code, report))
                continue
            for f, value in theirs.items():
                _three_way(ret, st, f, value, srow.base.get(f), returned.row, is_stale,
                           history, result)
    for code, reports in group_reports.items():
        _aggregate(state[code], reports, group_base[code], history, result)
    return result


def _checked(ret: Return, srow, returned, st: RowState, result: MergeResult) -> dict:
    """The officer's values that pass the checks; each rejected one is reported with its cell."""
    theirs = {}
    for f in layout.REPORT_FIELDS:
        if f == "expected" and srow.part == layout.SUPPORT:
            continue
        if f in returned.skipped:  # merged over: not read, reported by the reader
            continue
        raw = returned.values.get(f)
        if f in returned.formulas:
            if f in ("result", "obstacles") and isinstance(raw, str):
                theirs[f] = normalise(f, raw)  # text typed with a leading '=': kept literal
                result.problems.append(_p("formula-kept-as-text", INFO, ret, f, returned.row,
                                          raw, code=srow.code, field=_label(f)))
            else:
                result.problems.append(_p("formula-in-input", ERROR, ret, f, returned.row, raw,
                                          code=srow.code, field=_label(f)))
            continue
        value = normalise(f, raw, max_points=st.max_points,
                          number_format=returned.formats.get(f, ""))
        if isinstance(value, Rejected):
            result.problems.append(_p(value.reason, ERROR, ret, f, returned.row, raw,
                                      code=srow.code, field=_label(f), **value.params))
            continue
        theirs[f] = value
    return theirs


def _three_way(ret: Return, st: RowState, f: str, theirs, base, row: int, is_stale: bool,
               history: History, result: MergeResult) -> None:
    ours = st.values.get(f)
    if same(theirs, base) or same(theirs, ours):
        return
    role = ret.stamp.role
    last = history.applied.get((role, st.code, f))
    if same(ours, base) or (last is not None and same(ours, last)):
        result.change(Change(st.code, f, ours, theirs, ret.name, role, ret.stamp.person))
        st.values[f] = theirs
        history.applied[(role, st.code, f)] = theirs
    elif is_stale:
        result.problems.append(_p("stale-field-skipped", INFO, ret, f, row, theirs,
                                  code=st.code, field=_label(f), ours=ours))
    else:
        result.problems.append(_p("conflict", WARNING, ret, f, row, theirs, code=st.code,
                                  field=_label(f), ours=ours, base=base))


def _label(f: str) -> str:
    try:
        return layout.PLAN.column(f).label
    except KeyError:
        return f


def _support_note(ret: Return, st: RowState, changed: dict, result: MergeResult) -> None:
    """Replace this supporter's line in the row's supporters' notes."""
    role, person = ret.stamp.role, ret.stamp.person
    parts = [f"{_label(f)}: {_show(v)}" for f, v in changed.items() if v not in (None, "")]
    line = f"[{role}] {person}: " + "; ".join(parts)
    old = st.values.get("support_notes") or ""
    lines = [x for x in str(old).split("\n") if x and not x.startswith(f"[{role}]")]
    new = "\n".join([*lines, line])
    if new != old:
        result.change(Change(st.code, "support_notes", old or None, new, ret.name, role,
                             person, kind="support"))
        st.values["support_notes"] = new


def _show(value: object) -> str:
    from .text import format_number

    return format_number(value) if isinstance(value, float) else str(value)


def aggregate(reports: dict[str, dict], members: list[str]) -> dict:
    """A group's report from its members' (role -> values): the least advanced status (a
    member who has not reported counts as not started), the mean progress (not reported = 0),
    the lowest expected points among those reported, results and obstacles by member."""
    def get(role: str, f: str):
        return reports.get(role, {}).get(f)

    statuses = [get(m, "status") or layout.STATUS_NOT_STARTED for m in members]
    progress = [get(m, "progress") or 0.0 for m in members]
    expected = [get(m, "expected") for m in members if get(m, "expected") is not None]
    out = {
        "status": min(statuses, key=lambda s: STATUS_RANK.get(s, 0)) if members else None,
        "progress": round(sum(progress) / len(progress), 2) if members else None,
        "expected": min(expected) if expected else None,
    }
    for f in ("result", "obstacles"):
        lines = [f"[{m}] {get(m, f)}" for m in members if get(m, f)]
        out[f] = "\n".join(lines) or None
    return out


def _aggregate(st: RowState, new: dict[str, MemberReport], base: dict, history: History,
               result: MergeResult) -> None:
    before = {role: dict(v) for (code, role), v in history.members.items() if code == st.code}
    previous = aggregate(before, st.leads) if before else None
    reports = {**before, **{role: r.values for role, r in new.items()}}
    for role, r in new.items():
        history.members[(st.code, role)] = r.values
    agg = aggregate(reports, st.leads)
    names = ", ".join(new)
    sources = sorted({r.file for r in new.values()})
    files = ", ".join(sources)
    for f, value in agg.items():
        ours = st.values.get(f)
        if same(value, ours):
            continue
        if same(ours, base.get(f)) or (previous is not None and same(ours, previous.get(f))):
            result.change(Change(st.code, f, ours, value, files, names, "", kind="group"),
                          sources)
            st.values[f] = value
        else:
            result.problems.append(Problem(
                "conflict", WARNING, layout.PLAN.name, "", value,
                {"file": files, "role": names, "code": st.code, "field": _label(f),
                 "ours": ours, "base": base.get(f)}, file=files))

"""Merging returned workbooks into the master, in two steps.

1. Each officer's own report on a row (`officer_reports`) takes the fields they changed in
   their workbook: theirs against the base issued to them, which is their own last report. A
   cell left as issued changes nothing; only a value they emptied counts as emptied. A return
   from an older round than the latest issued to them applies only the fields their report
   still holds as that round issued them.
2. The plan's tracking columns are derived again from the reports: the lead's values, a group's
   aggregate of its members', the supporters' notes. A derived value is written where the plan
   still holds what the tool last wrote there (`written`); where the office typed something
   else since, the plan keeps it and a changed report is a conflict.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .. import fields, layout
from ..master.officer_reports import OfficerReport, Reports, derived_keys
from ..problems import ERROR, INFO, WARNING, Problem
from .officer_input import Rejected, Rejection, normalise, same, shown, shown_params
from .returns import Return


@dataclass
class RowState:
    """A plan row as the merge sees it: its derived columns now, and who is responsible."""

    code: str
    row: int
    values: dict  # derived column -> value in the plan now
    max_points: float | None
    leads: list[str]  # roster roles leading (a group expanded)
    supporters: list[str] = field(default_factory=list)  # roles supporting (not leading)
    persons: dict = field(default_factory=dict)  # role -> its person in the roster now
    columns: dict = field(default_factory=dict)  # plan column key -> its column number

    def cell(self, key: str) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.columns.get(key, layout.PLAN.index(key)))}{self.row}"

    @property
    def group(self) -> bool:
        return len(self.leads) > 1


@dataclass
class Change:
    """One value written into the master's plan (or that would be, in a dry run)."""

    code: str
    field: str
    old: object
    new: object
    file: str
    role: str
    person: str
    kind: str = "applied"  # applied (a lead's report) | group | support | derived


@dataclass
class ReportChange:
    """One field of an officer's own report changed by a return."""

    code: str
    role: str
    person: str
    field: str
    old: object  # None: empty or never reported
    new: object
    file: str
    stale: bool = False  # from a return of an older round


@dataclass
class MergeResult:
    changes: list[Change] = field(default_factory=list)
    reported: list[ReportChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    by_file: Counter = field(default_factory=Counter)  # file -> report fields it changed
    written: dict = field(default_factory=dict)  # code -> derived column -> value written
    rejections: dict = field(default_factory=dict)  # (role, code, field) -> Rejection


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


def merge(returns: list[Return], state: dict[str, RowState], reports: Reports, *,
          written: dict | None, stale: set[int], rejections: dict | None = None,
          now=None) -> MergeResult:
    """Apply `returns` (in the order given: older issues first, the later copy last) to
    `reports`, then derive the plan's columns into `state` (both updated in place).

    written: what the tool last wrote into each row (None: the plan as it stands is that);
    stale: ids of returns from an older round than the latest issued to their officer;
    rejections: the values refused earlier and still open, (role, code, field) -> Rejection."""
    result = MergeResult(rejections=dict(rejections or {}))
    cells: dict[tuple, tuple[Return, int]] = {}  # (code, role, field) -> where it was typed
    for ret in returns:
        _apply_return(ret, id(ret) in stale, state, reports, result, cells, now)
    _derive_all(state, reports, written, result, cells)
    return result


def _apply_return(ret: Return, is_stale: bool, state: dict[str, RowState], reports: Reports,
                  result: MergeResult, cells: dict, now) -> None:
    role, person = ret.stamp.role, ret.stamp.person
    issued = {r.code for r in ret.stamp.rows}
    for code, returned in ret.rows.items():
        if code not in issued:
            result.problems.append(_p("unknown-code", WARNING, ret, "code", returned.row, code))
    for srow in ret.stamp.rows:
        returned = ret.rows.get(srow.code)
        if returned is None:
            result.problems.append(_p("row-missing", WARNING, ret, None, None, srow.code,
                                      code=srow.code))
            continue
        st = state.get(srow.code)
        if st is None:
            result.problems.append(_p("code-not-in-master", WARNING, ret, "code",
                                      returned.row, srow.code))
            continue
        if returned.seal != srow.seal:
            result.problems.append(_p("row-tampered", ERROR, ret, "code", returned.row,
                                      srow.code, code=srow.code))
            continue
        theirs = _checked(ret, srow, returned, st, result)
        own = reports.get((srow.code, role))
        changed = {}
        for f, value in theirs.items():
            base = srow.base.get(f)
            if same(value, base):
                continue
            now_held = own.get(f) if own is not None else None
            changed_at = own.changed_at.get(f) if own is not None else None
            if (is_stale and not same(now_held, base)) or (
                    changed_at is not None and changed_at > ret.stamp.issued_at):
                # their report changed since that round was issued (a later round's return
                # changed it, even back to what it was): the later report stands (said
                # unless it says the same: then nothing is left out)
                if not same(value, now_held):
                    result.problems.append(_p("stale-field-skipped", INFO, ret, f,
                                              returned.row, value, code=srow.code,
                                              field=_label(f), ours=now_held, key=f,
                                              held=_held(now_held)))
                continue
            changed[f] = value
        if not changed:
            continue
        if own is None:
            own = reports[(srow.code, role)] = OfficerReport(srow.code, role)
        own.person, own.part = person, srow.part
        own.round, own.issued_at, own.file = ret.stamp.round, ret.stamp.issued_at, ret.name
        own.received_at = now
        for f, value in changed.items():
            old = own.values.get(f)
            if f in own.values and same(old, value):
                continue
            own.values[f] = value
            own.changed_at[f] = ret.stamp.issued_at
            result.reported.append(ReportChange(srow.code, role, person, f, old, value,
                                                ret.name, is_stale))
            result.by_file[ret.name] += 1
            cells[(srow.code, role, f)] = (ret, returned.row)


def _checked(ret: Return, srow, returned, st: RowState, result: MergeResult) -> dict:
    """The officer's values that pass the checks; each rejected one is reported with its cell
    and kept open (result.rejections) until a later return of theirs holds a good value."""
    theirs = {}
    role = ret.stamp.role
    for declared in fields.FIELDS:
        f = declared.key
        if declared.lead_only and srow.part == layout.SUPPORT:
            continue
        if f in returned.skipped:  # merged over: not read, reported by the reader
            continue
        raw = returned.values.get(f)
        key = (role, srow.code, f)
        if f in returned.formulas:
            if declared.kind == "text" and isinstance(raw, str):
                theirs[f] = normalise(f, raw)  # text typed with a leading '=': kept literal
                result.rejections.pop(key, None)
                result.problems.append(_p("formula-kept-as-text", INFO, ret, f, returned.row,
                                          raw, code=srow.code, field=_label(f)))
            else:
                _reject(ret, srow, returned, f, raw, "formula-in-input", {}, result)
            continue
        value = normalise(f, raw, max_points=st.max_points,
                          number_format=returned.formats.get(f, ""))
        if isinstance(value, Rejected):
            _reject(ret, srow, returned, f, raw, value.reason, value.params, result)
            continue
        result.rejections.pop(key, None)
        theirs[f] = value
    status = theirs.get("status", srow.base.get("status"))
    progress = theirs.get("progress", srow.base.get("progress"))
    if status == layout.STATUS_DONE and progress is not None and progress <= 1 and (
            "progress" in theirs or "status" in theirs):
        result.problems.append(_p("progress-tiny-when-done", WARNING, ret, "progress",
                                  returned.row, progress, code=srow.code))
    return theirs


def _reject(ret: Return, srow, returned, f: str, raw: object, reason: str, params: dict,
            result: MergeResult) -> None:
    problem = _p(reason, ERROR, ret, f, returned.row, raw, code=srow.code, field=_label(f),
                 key=f, **params)
    result.problems.append(problem)
    result.rejections[(ret.stamp.role, srow.code, f)] = Rejection(
        ret.stamp.role, ret.stamp.person, ret.stamp.round, srow.code, f, shown(raw), ret.name,
        problem)


def _label(f: str) -> str:
    try:
        return layout.PLAN.column(f).label
    except KeyError:
        return f


# --- step 2: the plan derived from the reports ----------------------------------------------

def derive(st: RowState, reports: Reports) -> dict:
    """The plan columns the reports give for a row; a column they say nothing about is not in
    it (the plan keeps what it holds)."""
    out: dict = {}
    if len(st.leads) == 1:
        own = reports.get((st.code, st.leads[0]))
        if own is not None:
            out.update(own.values)
    elif st.leads:
        members = {m: reports[(st.code, m)].values for m in st.leads
                   if (st.code, m) in reports}
        if members:
            out.update(aggregate(members, st.leads))
    notes, any_report = [], False
    for role in st.supporters:
        own = reports.get((st.code, role))
        if own is None:
            continue
        any_report = True
        parts = [f"{_label(f.key)}: {_show(own.get(f.key))}" for f in fields.FIELDS
                 if not f.lead_only and own.get(f.key) not in (None, "")]
        if parts:
            notes.append(f"[{role}] {own.person or st.persons.get(role, '')}: "
                         + "; ".join(parts))
    if any_report:
        out["support_notes"] = "\n".join(notes) or None
    return out


def aggregate(reports: dict[str, dict], members: list[str]) -> dict:
    """A group's report from its members' (role -> values), each field by its declared
    aggregation (fields.Field): the least advanced status (a member who has not reported counts
    as not started), the mean progress (not reported = 0), the lowest expected points among
    those reported, results and obstacles by member."""
    return {f.key: AGGREGATIONS[f.aggregation]([(m, reports.get(m, {}).get(f.key))
                                                for m in members])
            for f in fields.FIELDS}


def _least_advanced(values: list[tuple[str, object]]) -> object:
    if not values:
        return None
    rank = {s.label: s.rank for s in fields.STATUSES if s.chosen}
    not_started = fields.status("not_started").label
    return min((v or not_started for _, v in values), key=lambda s: rank.get(s, 0))


def _mean(values: list[tuple[str, object]]) -> object:
    return round(sum(v or 0.0 for _, v in values) / len(values), 2) if values else None


def _lowest(values: list[tuple[str, object]]) -> object:
    reported = [v for _, v in values if v is not None]
    return min(reported) if reported else None


def _by_member(values: list[tuple[str, object]]) -> object:
    return "\n".join(f"[{m}] {v}" for m, v in values if v) or None


# How a group's members' values of a field make the group's: [(role, value)] -> value.
AGGREGATIONS = {"least_advanced": _least_advanced, "mean": _mean, "lowest": _lowest,
                "by_member": _by_member}


def _held(value: object) -> object:
    """A value as a message quotes it: 70 (not 70.0), an emptied cell said so (not None)."""
    from ..messages import Bilingual

    if value is None or (isinstance(value, str) and not value.strip()):
        return Bilingual("để trống", "empty")
    return _show(value)


def _show(value: object) -> str:
    from ..text import format_number

    return format_number(value) if isinstance(value, float) else str(value)


def _derive_all(state: dict[str, RowState], reports: Reports, written: dict | None,
                result: MergeResult, cells: dict) -> None:
    by_row: dict[str, list[ReportChange]] = {}
    for rc in result.reported:
        by_row.setdefault(rc.code, []).append(rc)
    for code, st in state.items():
        derived = derive(st, reports)
        before = (written or {}).get(code)
        kept = dict(before) if before is not None else {}
        for f in derived_keys():
            if f not in derived:
                continue
            value, ours = derived[f], st.values.get(f)
            base = before[f] if before is not None and f in before else ours
            kept[f] = value
            if same(value, base) or same(value, ours):
                continue
            sources = _sources(st, f, by_row.get(code, []))
            if same(ours, base):
                result.changes.append(_change(st, f, ours, value, sources))
                st.values[f] = value
            elif sources and all(rc.stale for rc in sources):
                # an older round's report against what the office typed since: the later wins
                ret, row = cells.get((code, sources[-1].role, f), (None, None))
                if ret is not None:
                    result.problems.append(_p("stale-field-skipped", INFO, ret, f, row, value,
                                              code=code, field=_label(f), ours=ours, key=f,
                                              held=_held(ours)))
            else:
                result.problems.append(_conflict(st, f, value, ours, base, sources, cells))
        if kept:
            result.written[code] = kept


def _sources(st: RowState, f: str, changed: list[ReportChange]) -> list[ReportChange]:
    """The report changes of this run a derived column of the row follows from."""
    if f == "support_notes":
        return [rc for rc in changed if rc.role in st.supporters]
    if st.group:
        return [rc for rc in changed if rc.role in st.leads]
    return [rc for rc in changed if rc.role in st.leads and rc.field == f]


def _change(st: RowState, f: str, old, new, sources: list[ReportChange]) -> Change:
    if not sources:
        return Change(st.code, f, old, new, "", "", "", kind="derived")
    files = ", ".join(dict.fromkeys(rc.file for rc in sources))
    roles = ", ".join(dict.fromkeys(rc.role for rc in sources))
    persons = ", ".join(dict.fromkeys(rc.person for rc in sources if rc.person))
    kind = "support" if f == "support_notes" else ("group" if st.group else "applied")
    return Change(st.code, f, old, new, files, roles, persons, kind=kind)


def _conflict(st: RowState, f: str, value, ours, base, sources: list[ReportChange],
              cells: dict) -> Problem:
    files = ", ".join(dict.fromkeys(rc.file for rc in sources))
    roles = ", ".join(dict.fromkeys(rc.role for rc in sources))
    params = {"file": files, "role": roles, "code": st.code, "field": _label(f), "ours": ours,
              "base": base, "key": f}
    where = cells.get((st.code, sources[-1].role, f)) if len(sources) == 1 else None
    if where is not None:
        ret, row = where
        sheet, cell = _where(ret, f, row)
        return Problem("conflict", WARNING, sheet, cell, shown(value), shown_params(params),
                       file=ret.name)
    return Problem("conflict", WARNING, layout.PLAN.name, st.cell(f), shown(value),
                   shown_params(params), file=files)

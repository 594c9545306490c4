"""`cchc-xl consolidate`: read every return in the inbox, merge, re-score, colour, log, save."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .cells import put
from .changelog import append_log
from .inbox import Incoming, collect
from .master_read import MasterView, read_master, read_table
from .merge import Change, History, MergeResult, RowState, merge
from .plan import codes_with_children
from .problems import ERROR, INFO, WARNING, MasterUnusable, Problem
from .returns import Return
from .roster import RoleResolver
from .scoring import (
    OfficerStatus,
    ScoreRow,
    officer_statuses,
    paint_status,
    read_scores,
    write_officer_table,
)
from .stamp import master_key
from .text import clean_cell, parse_number
from .values import same

P = layout.PLAN
# How a file's outcome is written in the received sheet.
OUTCOMES = {
    "applied": "Đã áp dụng", "unchanged": "Không thay đổi", "rejected": "Từ chối",
    "duplicate": "Bản trùng", "stale": "Phiếu đợt cũ", "already": "Đã tổng hợp trước",
    "ignored": "Bỏ qua (tệp tạm)",
}


@dataclass
class FileOutcome:
    name: str
    outcome: str  # applied | unchanged | rejected | duplicate | stale | already
    role: str = ""
    person: str = ""
    round: str = ""
    changes: int = 0


@dataclass
class ConsolidationReport:
    master: str
    as_of: dt.date
    dry_run: bool
    files: list[FileOutcome] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    not_returned: list[dict] = field(default_factory=list)
    scores: list[ScoreRow] = field(default_factory=list)
    officers: list[OfficerStatus] = field(default_factory=list)
    backup: str | None = None
    report_path: str | None = None

    @property
    def conflicts(self) -> list[Problem]:
        return [p for p in self.problems if p.code == "conflict"]

    @property
    def rejections(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    def exit_code(self) -> int:
        return 1 if any(p.severity in (ERROR, WARNING) for p in self.problems) else 0

    def to_dict(self, lang: str = "vi") -> dict:
        from dataclasses import asdict

        def plain(v):
            return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v

        return {
            "master": self.master, "as_of": self.as_of.isoformat(), "dry_run": self.dry_run,
            "files": [asdict(f) for f in self.files],
            "changes": [{k: plain(v) for k, v in asdict(c).items()} for c in self.changes],
            "problems": [p.to_dict(lang) for p in self.problems],
            "not_returned": self.not_returned,
            "scores": [asdict(s) for s in self.scores],
            "officers": [asdict(o) for o in self.officers],
            "backup": self.backup, "report_path": self.report_path,
        }


def _history(wb) -> History:
    """The values earlier runs applied per officer, and group members' reports, from the log."""
    history = History()
    if layout.CHANGELOG.name not in wb.sheetnames:
        return history
    by_label = {c.label: c.key for c in P.columns}
    for _, e in read_table(wb[layout.CHANGELOG.name], layout.CHANGELOG):
        key = by_label.get(str(e.get("field") or ""))
        code, role = clean_cell(e.get("code")), clean_cell(e.get("officer"))
        if not key or not code:
            continue
        if e.get("kind") == layout.LOG_APPLIED:
            history.applied[(role, code, key)] = e.get("new")
        elif e.get("kind") == layout.LOG_MEMBER:
            history.members.setdefault((code, role), {})[key] = _typed(key, e.get("new"))
    return history


def _typed(key: str, value: object) -> object:
    if key in ("progress", "expected") and isinstance(value, str):
        return parse_number(value)
    return value


def _row_states(view: MasterView) -> dict[str, RowState]:
    resolver = RoleResolver(view.roles())
    parents = codes_with_children(r.code for r in view.rows)
    states = {}
    for row in view.rows:
        if row.code in parents:
            continue
        assignment = resolver.resolve(row.text("lead"))
        leads = resolver.members(assignment)
        values = {f: row.raw.get(f) for f in (*layout.REPORT_FIELDS, "support_notes")}
        states[row.code] = RowState(row.code, row.row, values, row.number("max_points"), leads,
                                    group=len(leads) > 1)
    return states


def _latest_issues(wb) -> dict[str, dict]:
    """Per role, the newest round issued to it (from the rounds sheet)."""
    latest: dict[str, dict] = {}
    if layout.ROUNDS.name not in wb.sheetnames:
        return latest
    for _, r in read_table(wb[layout.ROUNDS.name], layout.ROUNDS):
        role, issued = clean_cell(r.get("role")), r.get("issued_at")
        if not role or not isinstance(issued, dt.datetime):
            continue
        if role not in latest or issued >= latest[role]["issued_at"]:
            latest[role] = {**r, "role": role}
    return latest


def _received(wb) -> list[dict]:
    if layout.RECEIVED.name not in wb.sheetnames:
        return []
    return [r for _, r in read_table(wb[layout.RECEIVED.name], layout.RECEIVED)]


def _saved_key(ret: Return) -> tuple:
    return (ret.saved_at or dt.datetime.min, ret.incoming.mtime)


def consolidate(master: str | Path, inbox: str | Path, *, dry_run: bool = False,
                as_of: dt.date | None = None, now: dt.datetime | None = None,
                progress=None) -> ConsolidationReport:
    """Merge every return found in `inbox` into `master` (see the module docstring)."""
    from .workbook_io import load, master_lock, save

    master, inbox = Path(master), Path(inbox)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    as_of = as_of or now.date()
    report = ConsolidationReport(str(master), as_of, dry_run)
    with master_lock(master, dry_run=dry_run):
        wb = load(master)
        view = read_master(wb)
        if view.problems:
            raise MasterUnusable(view.problems)
        key = master_key(wb)
        master_id = clean_cell(view.settings.get("master_id"))
        incoming, report.problems = collect(inbox, skip=(master,))
        for p in report.problems:
            report.files.append(FileOutcome(p.file, "ignored" if p.severity == INFO
                                            else "rejected"))
        received = _received(wb)
        # Skipped unread: files consolidated before. One refused before is read and refused
        # again (still in the inbox, still to be dealt with), never shown as consolidated.
        seen = {str(r.get("digest")) for r in received
                if r.get("outcome") != OUTCOMES["rejected"]}
        returns = _open_all(incoming, seen, master_id, key, report, progress)
        returns = _drop_duplicates(returns, received, report)
        latest = _latest_issues(wb)
        stale = {id(r) for r in returns if r.stamp.role in latest
                 and r.stamp.issued_at < latest[r.stamp.role]["issued_at"]}
        for r in returns:
            report.problems.extend(r.problems)
            if id(r) in stale:
                report.problems.append(Problem(
                    "stale-return", WARNING, file=r.name,
                    params={"file": r.name, "round": r.stamp.round,
                            "latest": latest[r.stamp.role].get("round")}))
        returns.sort(key=lambda r: r.stamp.issued_at, reverse=True)
        states = _row_states(view)
        result = merge(returns, states, history=_history(wb), stale=stale)
        report.changes = result.changes
        report.problems.extend(result.problems)
        _file_outcomes(returns, stale, result, report)
        report.not_returned = _not_returned(latest, returns, received)
        _apply(wb, view, states, result, now)
        logged = _log(wb, report, result, now)
        recorded = _record_received(wb, incoming, report, returns, received, now)
        view = read_master(wb)
        repainted = paint_status(wb[P.name], view, as_of)
        report.officers = officer_statuses(view, as_of)
        dirty = bool(result.changes or logged or recorded or repainted)
        if dirty:
            write_officer_table(wb[layout.SUMMARY.name], report.officers, as_of, now)
        report.scores = read_scores(wb)
        if dirty and not dry_run:
            saved = save(wb, master)
            report.backup = str(saved.backup) if saved.backup else None
    if not dry_run:
        from .report_book import write_report_book

        out = master.with_name(f"{master.stem}_bao-cao_{now:%Y%m%d-%H%M%S}.xlsx")
        report.report_path = str(write_report_book(report, out))
    return report


def _open_all(incoming: list[Incoming], seen: set[str], master_id: str, key: str | None,
              report: ConsolidationReport, progress) -> list[Return]:
    """Every return not consolidated before (by the digest of its bytes), read the fast way
    (fast_read: exactly what the openpyxl reader gives, on both cores for a province's
    batch), in the inbox's order. Each file is read once, there."""
    from .fast_read import iter_returns

    returns = []
    opened = iter_returns(incoming, master_id, key, skip=frozenset(seen))
    for i, (item, got) in enumerate(zip(incoming, opened), start=1):
        if got is None:
            report.files.append(FileOutcome(item.name, "already"))
            report.problems.append(Problem("already-consolidated", INFO, file=item.name,
                                           params={"file": item.name}))
        elif isinstance(got, Problem):
            report.problems.append(got)
            report.files.append(FileOutcome(item.name, "rejected"))
        else:
            returns.append(got)
        if progress:
            progress(i, len(incoming), item.name)
    return returns


def _drop_duplicates(returns: list[Return], received: list[dict],
                     report: ConsolidationReport) -> list[Return]:
    """Of several returns of one officer's workbook (same round and issue), the one saved last
    wins, also against a return applied by an earlier run."""
    by_issue: dict[tuple, list[Return]] = {}
    for r in returns:
        by_issue.setdefault((r.stamp.role, r.stamp.round, r.stamp.issued_at), []).append(r)
    earlier = {}
    for r in received:
        if r.get("outcome") in (OUTCOMES["applied"], OUTCOMES["unchanged"]) and isinstance(
                r.get("saved_at"), dt.datetime):
            k = (clean_cell(r.get("role")), clean_cell(r.get("round")))
            earlier[k] = max(earlier.get(k, dt.datetime.min), r["saved_at"])
    kept = []
    for group in by_issue.values():
        group.sort(key=_saved_key)
        winner = group[-1]
        for loser in group[:-1]:
            report.problems.append(Problem("duplicate-superseded", WARNING, file=loser.name,
                                           params={"file": loser.name, "winner": winner.name}))
            report.files.append(FileOutcome(loser.name, "duplicate", loser.stamp.role,
                                            loser.stamp.person, loser.stamp.round))
        previous = earlier.get((winner.stamp.role, winner.stamp.round))
        if previous and winner.saved_at and winner.saved_at < previous:
            report.problems.append(Problem("duplicate-superseded", WARNING, file=winner.name,
                                           params={"file": winner.name,
                                                   "winner": f"{previous:%d/%m/%Y %H:%M}"}))
            report.files.append(FileOutcome(winner.name, "duplicate", winner.stamp.role,
                                            winner.stamp.person, winner.stamp.round))
            continue
        kept.append(winner)
    return kept


def _file_outcomes(returns: list[Return], stale: set[int], result: MergeResult,
                   report: ConsolidationReport) -> None:
    reported = Counter(m.file for _, m in result.members)
    for r in returns:
        n = result.by_file[r.name] + reported[r.name]
        outcome = "stale" if id(r) in stale else ("applied" if n else "unchanged")
        report.files.append(FileOutcome(r.name, outcome, r.stamp.role, r.stamp.person,
                                        r.stamp.round, n))


def _not_returned(latest: dict[str, dict], returns: list[Return],
                  received: list[dict]) -> list[dict]:
    got = {(r.stamp.role, r.stamp.round) for r in returns}
    got |= {(clean_cell(r.get("role")), clean_cell(r.get("round"))) for r in received}
    return [{"role": role, "person": clean_cell(i.get("person")), "round": clean_cell(
        i.get("round")), "file": clean_cell(i.get("file"))}
            for role, i in sorted(latest.items()) if (role, clean_cell(i.get("round")))
            not in got]


def _apply(wb, view: MasterView, states: dict[str, RowState], result: MergeResult,
           now: dt.datetime) -> None:
    ws = wb[P.name]
    touched: dict[str, set[str]] = {}
    for change in result.changes:
        st = states[change.code]
        put(ws.cell(row=st.row, column=view.columns[change.field]), change.new)
        touched.setdefault(change.code, set()).add(change.person or change.role)
    for code, people in touched.items():
        row = states[code].row
        ws.cell(row=row, column=view.columns["updated_at"], value=now)
        put(ws.cell(row=row, column=view.columns["updated_by"]), ", ".join(sorted(people)))


def _log(wb, report: ConsolidationReport, result: MergeResult, now: dt.datetime) -> int:
    """Append changes, members' reports, conflicts and rejections; an entry the log already
    holds (the same file's same finding) is not written again. Returns how many were."""
    kinds = {"applied": layout.LOG_APPLIED, "support": layout.LOG_SUPPORT,
             "group": layout.LOG_APPLIED}
    entries = []
    for c in result.changes:
        entries.append({"when": now, "kind": kinds[c.kind], "file": c.file,
                        "officer": c.role, "code": c.code, "field": _label(c.field),
                        "old": c.old, "new": c.new,
                        "note": c.person if c.kind != "group" else "tổng hợp nhóm"})
    for code, member in result.members:
        for f, value in member.values.items():
            if value in (None, ""):
                continue
            entries.append({"when": now, "kind": layout.LOG_MEMBER, "file": member.file,
                            "officer": member.role, "code": code, "field": _label(f),
                            "new": value, "note": member.person})
    for p in report.problems:
        if p.severity == INFO and p.code != "stale-field-skipped":
            continue
        kind = {"conflict": layout.LOG_CONFLICT, "stale-field-skipped": layout.LOG_STALE}.get(
            p.code, layout.LOG_REJECTED)
        entries.append({"when": now, "kind": kind, "file": p.file,
                        "officer": p.params.get("role", ""), "code": p.params.get("code", ""),
                        "field": p.params.get("field", ""), "old": p.params.get("ours"),
                        "new": p.value, "note": f"{p.code}: {p.message('vi')}"})
    known = {_entry_key(e) for _, e in read_table(wb[layout.CHANGELOG.name], layout.CHANGELOG)
             if e.get("kind") in (layout.LOG_CONFLICT, layout.LOG_REJECTED, layout.LOG_STALE)}
    fresh = [e for e in entries if _entry_key(e) not in known]
    return append_log(wb, fresh)


def _entry_key(entry: dict) -> tuple:
    return tuple(clean_cell(entry.get(k)) if entry.get(k) is not None else ""
                 for k in ("kind", "file", "code", "field", "note"))


def _label(key: str) -> str:
    try:
        return P.column(key).label
    except KeyError:
        return key


def _record_received(wb, incoming: list[Incoming], report: ConsolidationReport,
                     returns: list[Return], received: list[dict], now: dt.datetime) -> int:
    """Remember every file read (digest), so the same inbox consolidated again changes nothing
    (a file refused again, with the same bytes, is not entered again; `received`: the
    entries already there)."""
    if layout.RECEIVED.name not in wb.sheetnames:
        from .master_build import write_table_header

        write_table_header(wb.create_sheet(layout.RECEIVED.name), layout.RECEIVED)
    ws = wb[layout.RECEIVED.name]
    entered = {(str(r.get("digest")), r.get("outcome")) for r in received}
    by_name = {r.name: r for r in returns}
    digests = {i.name: i.digest for i in incoming}
    R = layout.RECEIVED
    row = ws.max_row + 1
    count = 0
    for outcome in report.files:
        if outcome.outcome in ("already", "ignored") or outcome.name not in digests or (
                digests[outcome.name], OUTCOMES[outcome.outcome]) in entered:
            continue
        ret = by_name.get(outcome.name)
        values = {"received_at": now, "file": outcome.name, "round": outcome.round,
                  "role": outcome.role, "saved_at": ret.saved_at if ret else None,
                  "outcome": OUTCOMES[outcome.outcome], "changes": outcome.changes,
                  "digest": digests.get(outcome.name)}
        for key, value in values.items():
            cell = put(ws.cell(row=row, column=R.index(key)), value)
            if R.column(key).number_format:
                cell.number_format = R.column(key).number_format
        row += 1
        count += 1
    return count


__all__ = ["consolidate", "ConsolidationReport", "MasterUnusable", "same"]

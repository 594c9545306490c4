"""`cchc-xl consolidate`: read every return in the inbox, update each officer's report, derive
the plan from the reports, re-score, colour, log, save (see merge.py for the rules)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..files.cells import put
from ..master.changelog import append_log
from ..master.evidence import evidence_flags, read_evidence, write_evidence, write_summary_evidence
from ..master.key import master_key
from ..master.officer_reports import (
    derived_keys,
    read_reports,
    read_written,
    write_reports,
    write_written,
)
from ..master.pending import OpenMatter, open_rejections, read_pending, write_pending
from ..master.reading import MasterView, read_master, read_table
from ..master.rounds import issues, latest_issues, received_files
from ..master.standing import OfficerStatus, ScoreRow, officer_statuses, read_scores
from ..master.summary import show_as_of
from ..plan.roster import RoleResolver
from ..plan.tree import code_key, codes_with_children, is_valid_code
from ..problems import ERROR, INFO, WARNING, MasterUnusable, Problem
from ..text import clean_cell
from ..texts import RECEIVED_OUTCOMES as OUTCOMES
from .evidence_return import merge_evidence
from .inbox import collect
from .incoming import Incoming
from .merge import Change, MergeResult, RowState, merge
from .officer_input import same
from .returns import Return

P = layout.PLAN
# Outcomes of a file that was the officer's reply (an issued workbook sent back untouched as
# it was issued, byte for byte, is not).
REPLIED = ("applied", "unchanged", "stale", "duplicate")


class InboxUnusable(MasterUnusable):
    """The inbox cannot be consolidated (missing, empty, or the master's own folder): nothing
    was read and nothing written."""


@dataclass
class FileOutcome:
    name: str
    outcome: str  # a key of OUTCOMES
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
    # Done rows without evidence, and claimed points their evidence does not cover (warnings
    # about the plan as it now stands, not about this run's files: not in `problems`).
    evidence: list[Problem] = field(default_factory=list)
    not_returned: list[dict] = field(default_factory=list)
    open_rejections: list[dict] = field(default_factory=list)  # from this run and earlier
    scores: list[ScoreRow] = field(default_factory=list)
    officers: list[OfficerStatus] = field(default_factory=list)
    recoloured: int = 0  # rows whose colour changed (overdue as of as_of)
    deadlines: list = field(default_factory=list)  # deadlines derived again
    formulas: list = field(default_factory=list)  # formulas put back (log entries)
    backup: str | None = None
    report_path: str | None = None
    # What still needs the office's action as of as_of (master.needs_action), found on the
    # master as saved, inside the run (None: a dry run).
    needs: object = None

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
            "evidence": [p.to_dict(lang) for p in self.evidence],
            "not_returned": self.not_returned,
            "open_rejections": [{k: plain(v) for k, v in r.items()}
                                for r in self.open_rejections],
            "scores": [asdict(s) for s in self.scores],
            "officers": [asdict(o) for o in self.officers],
            "recoloured": self.recoloured,
            "deadlines": [{k: plain(v) for k, v in asdict(d).items()} for d in self.deadlines],
            "formulas": [{"cell": e["field"], "formula": e["new"]} for e in self.formulas],
            "backup": self.backup, "report_path": self.report_path,
            "needs_action": self.needs.to_dict() if self.needs is not None else None,
        }


def row_states(view: MasterView) -> dict[str, RowState]:
    """Every leaf row of the plan with who leads and supports it (groups expanded)."""
    resolver = RoleResolver(view.roles())
    persons = {role.name: role.person for role in view.roles()}
    parents = codes_with_children(r.code for r in view.rows)
    states = {}
    for row in view.rows:
        if row.code in parents or not is_valid_code(row.code):
            continue
        leads = resolver.members(resolver.resolve(row.text("lead")))
        supporters = [m for m in resolver.members(resolver.resolve(row.text("support")))
                      if m not in leads]
        values = {f: _plain(row.raw.get(f)) for f in derived_keys()}
        states[row.code] = RowState(row.code, row.row, values, row.number("max_points"), leads,
                                    supporters, persons, view.columns)
    return states


def _plain(value: object) -> object:
    from ..master.officer_reports import as_number

    return as_number(value) if isinstance(value, (int, float)) else (
        value if not (isinstance(value, str) and not value.strip()) else None)


def _order(ret: Return) -> tuple:
    """Returns are applied oldest issue first, by officer; copies of one workbook in one inbox
    in the order their saved times give (the later copy last), then by name. Between runs the
    later run always comes later: a time a file claims never decides against an earlier run."""
    return (ret.stamp.issued_at, ret.stamp.role, ret.saved_at or dt.datetime.min, ret.name)


def consolidate(master: str | Path, inbox: str | Path, *, dry_run: bool = False,
                as_of: dt.date | None = None, now: dt.datetime | None = None,
                progress=None) -> ConsolidationReport:
    """Merge every return found in `inbox` into `master` (see the module docstring).
    InboxUnusable, with nothing written, when the inbox is missing, empty or the master's
    own folder; MasterUnusable when the master cannot be read as one. progress(done, total,
    name) after each return read, the master saved and the report book written (their names).
    """
    from ..master.unit import Master

    master, inbox = Path(master), Path(inbox)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    as_of = as_of or now.date()
    report = ConsolidationReport(str(master), as_of, dry_run)
    if not inbox.is_dir():
        raise InboxUnusable([Problem("inbox-missing", ERROR, file=str(inbox),
                                     params={"file": str(inbox)})])
    with Master.open(master, write=not dry_run) as m:
        wb = m.wb
        view = m.view
        if view.problems:
            raise MasterUnusable(view.problems)
        incoming, listed = collect(inbox, skip=(master,))
        fatal = [p for p in listed if p.code == "inbox-holds-master"]
        if fatal:
            raise InboxUnusable(fatal)
        if not incoming and not listed:
            raise InboxUnusable([Problem("inbox-empty", ERROR, file=str(inbox),
                                         params={"file": str(inbox)})])
        report.problems = listed
        report.files += _listed_outcomes(listed)
        # (progress: each return read, then the master saved and the report book written)
        total = len(incoming) + (1 if dry_run else 2)
        dirty = _consolidate(wb, view, master, incoming, report, now, progress and (
            lambda done, _, name: progress(done, total, name)))
        if dirty and not dry_run:
            saved = m.save()
            report.backup = str(saved.backup) if saved.backup else None
        if not dry_run:
            from ..master.needs_action import needs_action

            report.needs = needs_action(wb, as_of)
    if progress:
        progress(len(incoming) + 1, total, master.name)
    if not dry_run:
        from ..cycle.report_book import write_report_book

        out = master.with_name(f"{master.stem}_bao-cao_{now:%Y%m%d-%H%M%S}.xlsx")
        report.report_path = str(write_report_book(report, out))
        if progress:
            progress(total, total, out.name)
    return report


def _listed_outcomes(listed: list[Problem]) -> list[FileOutcome]:
    """One line per file the listing of the inbox reported (a container whose members are
    not returns says so once, beside the returns read from it)."""
    worst: dict[str, str] = {}
    for p in listed:
        outcome = ("ignored" if p.severity == INFO else
                   "not-read" if p.code == "members-not-read" else "rejected")
        if worst.get(p.file) != "rejected":
            worst[p.file] = outcome
    return [FileOutcome(name, outcome) for name, outcome in worst.items()]


def _consolidate(wb, view: MasterView, master: Path, incoming: list[Incoming],
                 report: ConsolidationReport, now: dt.datetime, progress) -> bool:
    """The consolidation on a loaded master; True when the master changed."""
    from ..master.repair import keep_derived

    report.deadlines, report.formulas = keep_derived(wb, view, now, master.name)
    if report.deadlines or report.formulas:
        view = read_master(wb)
    key = master_key(wb)
    master_id = clean_cell(view.settings.get("master_id"))
    received = received_files(wb)
    issued = issues(wb)
    latest = latest_issues(issued)
    issued_digests = {clean_cell(r.get("digest")) for r in issued if r.get("digest")}
    # Skipped unread: files consolidated before. One refused before is read and refused
    # again (still in the inbox, still to be dealt with), never shown as consolidated.
    seen = {str(r.get("digest")) for r in received
            if r.get("outcome") != OUTCOMES["rejected"]}
    returns = _open_all(incoming, seen, master_id, key, issued_digests, report, progress)
    returns.sort(key=_order)
    stale = {id(r) for r in returns if r.stamp.role in latest
             and r.stamp.issued_at < latest[r.stamp.role]["issued_at"]}
    _note_copies(returns, report)
    for r in returns:
        report.problems.extend(r.problems)
        if id(r) in stale:
            report.problems.append(Problem(
                "stale-return", WARNING, file=r.name,
                params={"file": r.name, "round": r.stamp.round,
                        "latest": latest[r.stamp.role].get("round")}))
    states = row_states(view)
    reports = read_reports(wb)
    written = read_written(wb)
    pending = read_pending(wb)
    result = merge(returns, states, reports, written=written, stale=stale,
                   rejections=open_rejections(pending), now=now)
    records = read_evidence(wb)
    evidence = merge_evidence(returns, stale, states, records, result, now)
    report.changes = result.changes
    report.problems.extend(result.problems)
    _file_outcomes(returns, stale, result, report)
    place = {item.name: i for i, item in enumerate(incoming)}
    report.files.sort(key=lambda f: place.get(f.name, -1))  # (as the inbox lists them)
    matters = _open_matters(latest, returns, received, result, report, now)
    dirty = bool(report.deadlines or report.formulas)
    _apply(wb, view, states, result, now)
    if result.reported or (layout.REPORTS.name not in wb.sheetnames):
        write_reports(wb, reports, order=_report_order(view))
        dirty = True
    if result.written != (written or {}) or written is None:
        write_written(wb, result.written)
        dirty = True
    if evidence.changed or layout.EVIDENCE.name not in wb.sheetnames:
        write_evidence(wb, records, order=_code_order(view))
        dirty = True
    logged = _log(wb, report, result, now) + append_log(wb, evidence.log)
    recorded = _record_received(wb, incoming, report, returns, received, now)
    dirty |= write_pending(wb, matters)
    view = read_master(wb)
    summary, moved = write_summary_evidence(wb, view, records)
    report.evidence = evidence_flags(view, records)
    report.recoloured = show_as_of(wb, view, report.as_of, now,
                                   force=bool(result.changes or logged or recorded or moved))
    dirty |= summary
    report.officers = officer_statuses(view, report.as_of)
    report.scores = read_scores(wb)
    return bool(dirty or result.changes or logged or recorded or report.recoloured)


def _code_order(view: MasterView):
    """A code's place in the plan (codes not in it after, in tree order)."""
    order = {r.code: i for i, r in enumerate(view.rows)}
    return lambda code: (order.get(code, len(order)),
                         code_key(code) if is_valid_code(code) else ())


def _report_order(view: MasterView):
    order = {r.code: i for i, r in enumerate(view.rows)}
    roles = {role.name: i for i, role in enumerate(view.roles())}
    return lambda r: (order.get(r.code, len(order)), code_key(r.code) if is_valid_code(r.code)
                      else (), roles.get(r.role, len(roles)), r.role)


def _open_all(incoming: list[Incoming], seen: set[str], master_id: str, key: str | None,
              issued_digests: set[str], report: ConsolidationReport, progress) -> list[Return]:
    """Every return not consolidated before (by the digest of its bytes), in the inbox's
    order. Each file is read once, there. A workbook exactly as it was issued (its bytes'
    digest is the issued file's) is no reply: reported, not counted as returned."""
    from .returns import iter_returns

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
        elif item.digest in issued_digests:
            report.problems.append(Problem("issued-copy", INFO, file=item.name,
                                           params={"file": item.name, "role": got.stamp.role,
                                                   "round": got.stamp.round}))
            report.files.append(FileOutcome(item.name, "issued", got.stamp.role,
                                            got.stamp.person, got.stamp.round))
        else:
            returns.append(got)
        if progress:
            progress(i, len(incoming), item.name)
    return returns


def _note_copies(returns: list[Return], report: ConsolidationReport) -> None:
    """Several copies of one officer's workbook in one inbox are all applied, in order: each
    earlier copy is named, with the copy whose values win where they differ."""
    by_issue: dict[tuple, list[Return]] = {}
    for r in returns:
        by_issue.setdefault((r.stamp.role, r.stamp.issued_at), []).append(r)
    for group in by_issue.values():
        for earlier in group[:-1]:
            report.problems.append(Problem("duplicate-superseded", INFO, file=earlier.name,
                                           params={"file": earlier.name,
                                                   "winner": group[-1].name}))


def _file_outcomes(returns: list[Return], stale: set[int], result: MergeResult,
                   report: ConsolidationReport) -> None:
    for r in returns:
        n = result.by_file[r.name]
        outcome = "stale" if id(r) in stale else ("applied" if n else "unchanged")
        report.files.append(FileOutcome(r.name, outcome, r.stamp.role, r.stamp.person,
                                        r.stamp.round, n))


def not_replied(latest: dict[str, dict], received: list[dict],
                returns: list[Return] = ()) -> list[tuple[str, dict]]:
    """(role, issue) of each role's latest workbook (latest_issues) that no reply has been
    read for, by role: a reply is any return of it (`returns` read now, or a file the received
    sheet records as one), not the issued file itself."""
    replied = {(r.stamp.role, r.stamp.issued_at) for r in returns}
    by_round = set()
    for r in received:
        if r.get("outcome") not in [OUTCOMES[k] for k in REPLIED]:
            continue
        issued_at = r.get("issued_at")
        if isinstance(issued_at, dt.datetime):
            replied.add((clean_cell(r.get("role")), issued_at))
        else:  # (entered before the issue time was kept: by round name)
            by_round.add((clean_cell(r.get("role")), clean_cell(r.get("round"))))
    return [(role, issue) for role, issue in sorted(latest.items())
            if (role, issue["issued_at"]) not in replied
            and (role, issue["round"]) not in by_round]


def _open_matters(latest: dict[str, dict], returns: list[Return], received: list[dict],
                  result: MergeResult, report: ConsolidationReport,
                  now: dt.datetime) -> list[OpenMatter]:
    """Who has not replied to their latest workbook, and the refused values still open;
    into the report too."""
    matters = []
    for role, issue in not_replied(latest, received, returns):
        person, file = clean_cell(issue.get("person")), clean_cell(issue.get("file"))
        report.not_returned.append({"role": role, "person": person, "round": issue["round"],
                                    "file": file})
        due = issue.get("due")
        matters.append(OpenMatter(layout.PENDING_NOT_RETURNED, role, person, issue["round"],
                                  file=file, since=issue["issued_at"],
                                  message=_not_returned_message(file, due)))
    for rejection in result.rejections.values():
        if isinstance(rejection, OpenMatter):
            matter = rejection
        else:
            matter = OpenMatter(layout.PENDING_REJECTED, rejection.role, rejection.person,
                                rejection.round, rejection.code, rejection.field,
                                rejection.value, rejection.file, now,
                                rejection.problem.message("vi"))
        matters.append(matter)
        report.open_rejections.append({
            "role": matter.role, "person": matter.person, "round": matter.round,
            "code": matter.code, "field": matter.field, "value": matter.value,
            "file": matter.file, "since": matter.since, "message": matter.message})
    return matters


def _not_returned_message(file: str, due: object) -> str:
    text = f"Chưa gửi lại phiếu {file}".strip()
    if isinstance(due, (dt.date, dt.datetime)):
        text += f" (hạn gửi lại {due:%d/%m/%Y})"
    return text + "."


def _apply(wb, view: MasterView, states: dict[str, RowState], result: MergeResult,
           now: dt.datetime) -> None:
    ws = wb[P.name]
    touched: dict[str, set[str]] = {}
    for change in result.changes:
        st = states[change.code]
        put(ws.cell(row=st.row, column=view.columns[change.field]), change.new)
        who = change.person or change.role or "cchc-xl"
        touched.setdefault(change.code, set()).update(w.strip() for w in who.split(", "))
    for code, people in touched.items():
        row = states[code].row
        ws.cell(row=row, column=view.columns["updated_at"], value=now)
        put(ws.cell(row=row, column=view.columns["updated_by"]), ", ".join(sorted(people)))


def _log(wb, report: ConsolidationReport, result: MergeResult, now: dt.datetime) -> int:
    """Append plan changes, officers' report changes the plan does not show one for one,
    conflicts and rejections; an entry the log already holds (the same file's same finding)
    is not written again. Returns how many were."""
    kinds = {"applied": layout.LOG_APPLIED, "support": layout.LOG_SUPPORT,
             "group": layout.LOG_APPLIED, "derived": layout.LOG_DERIVED}
    entries = []
    shown_as_change = {(c.code, c.field, c.role) for c in result.changes
                       if c.kind == "applied"}
    for rc in result.reported:
        if (rc.code, rc.field, rc.role) in shown_as_change:
            continue
        entries.append({"when": now, "kind": layout.LOG_REPORT, "file": rc.file,
                        "officer": rc.role, "code": rc.code, "field": _label(rc.field),
                        "old": rc.old, "new": layout.CLEARED if rc.new is None else rc.new,
                        "note": rc.person, "field_key": rc.field})
    for c in result.changes:
        note = {"group": "tổng hợp nhóm", "derived": "tính lại từ báo cáo của cán bộ"}.get(
            c.kind, c.person)
        entries.append({"when": now, "kind": kinds[c.kind], "file": c.file,
                        "officer": c.role or "cchc-xl", "code": c.code,
                        "field": _label(c.field), "old": c.old, "new": c.new, "note": note,
                        "field_key": c.field})
    for p in report.problems:
        if p.severity == INFO and p.code != "stale-field-skipped":
            continue
        kind = {"conflict": layout.LOG_CONFLICT, "stale-field-skipped": layout.LOG_STALE}.get(
            p.code, layout.LOG_REJECTED)
        entries.append({"when": now, "kind": kind, "file": p.file,
                        "officer": p.params.get("role", ""), "code": p.params.get("code", ""),
                        "field": p.params.get("field", ""), "old": p.params.get("ours"),
                        "new": p.value, "note": p.message("vi"),
                        "field_key": p.params.get("key", "")})
    known = {_entry_key(e) for _, e in read_table(wb[layout.CHANGELOG.name], layout.CHANGELOG)
             if e.get("kind") in (layout.LOG_CONFLICT, layout.LOG_REJECTED, layout.LOG_STALE)}
    fresh = [e for e in entries if _entry_key(e) not in known]
    return append_log(wb, fresh)


def _entry_key(entry: dict) -> tuple:
    """What tells a finding in the log apart: the field by its key (a log written before the
    key had its column: the key its label is of)."""
    kind, file, code, label, note = (clean_cell(entry.get(k)) if entry.get(k) is not None
                                     else "" for k in ("kind", "file", "code", "field", "note"))
    key = clean_cell(entry.get("field_key")) if entry.get("field_key") is not None else ""
    note = _OLD_NOTE_CODE.sub("", note)  # (logs written when notes began with the code)
    return kind, file, code, key or layout.field_key(label), note


# The problem code that began a note of the log before staff stopped seeing codes.
_OLD_NOTE_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+: ")


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
    from ..files.styles import fit_rows, print_table, wrap
    from ..master.table_sheet import table_sheet

    ws = table_sheet(wb, layout.RECEIVED)
    entered = {(str(r.get("digest")), r.get("outcome")) for r in received}
    by_name = {r.name: r for r in returns}
    digests = {i.name: i.digest for i in incoming}
    R = layout.RECEIVED
    from ..master.reading import find_header

    header, columns = find_header(ws, R.columns)
    columns = {k: columns.get(k, R.index(k)) for k in R.keys}
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
                  "digest": digests.get(outcome.name),
                  "issued_at": ret.stamp.issued_at if ret else None}
        for key, value in values.items():
            cell = put(ws.cell(row=row, column=columns[key]), value)
            cell.alignment = wrap(None, R.column(key).wrap)  # (nothing cut on paper)
            if R.column(key).number_format:
                cell.number_format = R.column(key).number_format
        row += 1
        count += 1
    fit_rows(ws, range(row - count, row), R.columns)
    print_table(ws, R)
    return count


def rescore(master: str | Path, *, as_of: dt.date | None = None,
            now: dt.datetime | None = None) -> ConsolidationReport:
    """Colour the plan and date the summary as of `as_of` (default today), deadlines derived
    again from the time frames; no return is read. Saved only when something changed, and the
    report says what (recoloured rows, deadlines)."""
    from ..master.repair import keep_derived
    from ..master.unit import Master

    master = Path(master)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    report = ConsolidationReport(str(master), as_of or now.date(), False)
    with Master.open(master) as m:
        wb = m.wb
        view = m.view
        if view.problems:
            raise MasterUnusable(view.problems)
        report.deadlines, report.formulas = keep_derived(wb, view, now, master.name)
        if report.deadlines or report.formulas:
            view = read_master(wb)
        summary, moved = write_summary_evidence(wb, view)
        report.evidence = evidence_flags(view)
        report.recoloured = show_as_of(wb, view, report.as_of, now, force=moved)
        report.officers = officer_statuses(view, report.as_of)
        report.scores = read_scores(wb)
        report.not_returned = [{"role": m.role, "person": m.person, "round": m.round,
                                "file": m.file} for m in read_pending(wb)
                               if m.kind == layout.PENDING_NOT_RETURNED]
        if report.deadlines or report.formulas or report.recoloured or summary:
            saved = m.save()
            report.backup = str(saved.backup) if saved.backup else None
    from ..cycle.report_book import write_report_book

    out = master.with_name(f"{master.stem}_bao-cao_{now:%Y%m%d-%H%M%S}.xlsx")
    report.report_path = str(write_report_book(report, out))
    return report


__all__ = ["consolidate", "rescore", "ConsolidationReport", "MasterUnusable", "InboxUnusable",
           "same"]

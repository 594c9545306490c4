"""`cchc-xl remind`: one message to each officer who owes the office something, at most once a day.

An officer is reminded when they have not returned the latest workbook issued to them (their
workbook is attached again), when rows they lead are overdue or due within `within_days` days,
or when values they sent were refused and not yet put right. Nobody else gets mail.

Who a row's deadline concerns follows fill's assignments: every lead (each member of a group
that leads), never a supporter, whose part has no deadline of its own; a member of a leading
group whose own latest report says the row is done is not reminded of it. Not returning a
workbook and refused values concern anyone, lead or supporter.

Each reminder drafted or sent is recorded in the master (layout.REMINDERS: officer, time,
digest of the content), and one with the same content already sent that day (or, for a draft,
drafted or sent) is skipped unless `again`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..problems import ERROR, WARNING, MasterUnusable, Problem
from ..text import clean_cell
from .reminder import (
    DRAFTED,
    DUE_SOON,
    FAILED,
    NO_ADDRESS,
    OVERDUE,
    REJECTED,
    SENT,
    SKIPPED,
    WOULD_SEND,
    Rejected,
    Reminder,
    RemindRow,
    Unreturned,
)

FILL_LOG_KIND = "Tạo phiếu"  # fill's change-log entry, naming the folder it wrote into


@dataclass
class RemindResult:
    master: str
    as_of: dt.date
    within_days: int
    mode: str  # 'dry-run' | 'eml' | 'send' | 'eml+send'
    out_dir: Path
    reminders: list[Reminder] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    backup: str | None = None

    @property
    def ok(self) -> bool:
        """Nothing failed and nothing left for the office to act on (no address, a workbook
        that could not be attached again)."""
        return not any(p.severity in (ERROR, WARNING) for p in self.problems)

    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.reminders if r.outcome == outcome)

    def to_dict(self, lang: str = "vi") -> dict:
        return {"master": self.master, "as_of": self.as_of.isoformat(),
                "within_days": self.within_days, "mode": self.mode,
                "out_dir": str(self.out_dir), "ok": self.ok,
                "reminders": [r.to_dict() for r in self.reminders],
                "problems": [p.to_dict(lang) for p in self.problems], "backup": self.backup}


def remind(master, out_dir=None, *, as_of: dt.date | None = None, within_days: int = 7,
           eml: bool = False, smtp=None, again: bool = False,
           now: dt.datetime | None = None, lang: str = "vi") -> RemindResult:
    """Remind each officer who has not returned their latest workbook, leads rows overdue or
    due within `within_days` days of `as_of` (default today), or has refused values open.

    out_dir: the folder fill wrote the workbooks into (default: the one its latest run logged,
    else the master's folder); drafts are written there too. Without eml or smtp (a
    mail.SmtpSettings) nothing is written: the result says what would be sent. eml: a draft
    .eml per officer; smtp: sent, each recorded in the master as it goes, so a failure for one
    never stops the others and a failed one is not recorded. A reminder with the same content
    already sent today is skipped unless `again`. Raises MasterUnusable when the master
    cannot be read as one."""
    from ..master.unit import Master
    from .remind_message import compose_text
    from .remind_record import recorded_today

    now = (now or dt.datetime.now()).replace(microsecond=0)
    as_of = as_of or now.date()
    write = eml or smtp is not None
    mode = "+".join(m for m, on in (("eml", eml), ("send", smtp is not None)) if on) \
        or "dry-run"
    with Master.open(master, write=write) as m:
        if m.view.problems:
            raise MasterUnusable(m.view.problems)
        out = Path(out_dir) if out_dir is not None else issued_folder(m)
        result = RemindResult(str(m.path), as_of, within_days, mode, out)
        result.reminders = gather(m, out, as_of, within_days)
        settings = m.view.settings
        for reminder in result.reminders:
            compose_text(reminder, settings, as_of, within_days, lang)
            result.problems += _check(reminder, m.view)
        done = {} if again else recorded_today(m.wb, now.date())
        for reminder in result.reminders:
            hows = done.get((reminder.role, reminder.digest), set())
            if reminder.outcome == WOULD_SEND and (layout.REMINDER_SENT in hows or (
                    smtp is None and layout.REMINDER_DRAFTED in hows)):
                reminder.outcome = SKIPPED
        if write:
            _deliver(m, result, eml, smtp, now)
    return result


# --- who owes what -------------------------------------------------------------------------

def issued_folder(m) -> Path:
    """The folder the latest fill wrote its workbooks into (its change-log entry), read
    against the master's folder when relative and not found as it is; else the master's
    folder."""
    for entry in reversed(m.log()):
        if clean_cell(entry.get("kind")) == FILL_LOG_KIND and clean_cell(entry.get("file")):
            folder = Path(clean_cell(entry.get("file")))
            if folder.is_absolute() or folder.is_dir():
                return folder
            return m.path.parent / folder
    return m.path.parent


def gather(m, out_dir: Path, as_of: dt.date, within_days: int) -> list[Reminder]:
    """The reminders due, officers in roster order, each with its rows in code order (text
    not yet composed)."""
    from openpyxl.utils import get_column_letter

    from ..master.officer_reports import read_reports
    from ..master.pending import open_rejections, read_pending
    from ..master.rounds import issues, latest_issues, received_files
    from ..plan.tree import code_key
    from .consolidate import not_replied

    view, wb = m.view, m.wb
    latest = latest_issues(issues(wb))
    unanswered = dict(not_replied(latest, received_files(wb)))
    plan = _PlanRows(view, read_reports(wb))
    rejected: dict[str, list] = {}
    for matter in open_rejections(read_pending(wb)).values():
        rejected.setdefault(matter.role, []).append(matter)
    email_col = view.roster_columns.get("email", layout.ROSTER.index("email"))
    out, seen = [], set()
    for entry in view.roster:
        role = entry.role
        if role.name in seen:
            continue
        seen.add(role.name)
        rows = plan.deadline_rows(role.name, as_of, within_days)
        for matter in rejected.get(role.name, []):
            plan.add_rejection(rows, role.name, matter)
        issue, waiting = latest.get(role.name), unanswered.get(role.name)
        if not rows and waiting is None:
            continue
        reminder = Reminder(role.name, role.person, role.email,
                            round=issue["round"] if issue else "",
                            rows=sorted(rows.values(), key=lambda r: code_key(r.code)),
                            roster_cell=f"{get_column_letter(email_col)}{entry.row}")
        if waiting is not None:
            due = waiting.get("due")
            reminder.not_returned = Unreturned(
                waiting["round"], clean_cell(waiting.get("file")), waiting["issued_at"],
                due.date() if isinstance(due, dt.datetime) else None)
            _attach(reminder, out_dir, clean_cell(waiting.get("digest")))
        out.append(reminder)
    return out


class _PlanRows:
    """The plan as reminders see it: each role's rows (fill's assignments), deadlines derived
    from the time frames, who leads each row, the officers' own reports."""

    def __init__(self, view, reports: dict):
        from ..master.deadlines import plan_year
        from ..plan.roster import RoleResolver
        from ..plan.tree import codes_with_children
        from .fill import assignments

        self.by_role = assignments(view)
        self.resolver = RoleResolver(view.roles())
        self.parents = codes_with_children(r.code for r in view.rows)
        self.rows = {r.code: r for r in view.rows}
        self.reports = reports
        self.year = plan_year(view)

    def deadline(self, sheet_row) -> dt.date | None:
        from ..master.deadlines import derived_deadline

        return derived_deadline(sheet_row, self.year)[0]

    def entry(self, rows: dict, role: str, code: str) -> RemindRow:
        """The reminder's row of a code, made when first needed."""
        if code not in rows:
            sheet_row = self.rows.get(code)
            part = next((p for r, p in self.by_role.get(role, []) if r.code == code), "")
            rows[code] = RemindRow(
                code, " ".join(sheet_row.text("title").split()) if sheet_row else "", part,
                self.deadline(sheet_row) if sheet_row else None,
                (sheet_row.text("status") if sheet_row else "") or layout.STATUS_NOT_STARTED)
        return rows[code]

    def deadline_rows(self, role: str, as_of: dt.date, within_days: int
                      ) -> dict[str, RemindRow]:
        """The rows `role` leads that are not done, overdue or due within `within_days`."""
        rows: dict[str, RemindRow] = {}
        for sheet_row, part in self.by_role.get(role, []):
            if part != layout.LEAD or sheet_row.code in self.parents:
                continue
            if (sheet_row.text("status") or layout.STATUS_NOT_STARTED) == layout.STATUS_DONE:
                continue
            deadline = self.deadline(sheet_row)
            if deadline is None or (deadline - as_of).days > within_days:
                continue
            own_status = None
            if len(self.resolver.members(self.resolver.resolve(sheet_row.text("lead")))) > 1:
                own = self.reports.get((sheet_row.code, role))
                own_status = own.values.get("status") if own is not None else None
                if own_status == layout.STATUS_DONE:
                    continue  # (their part of the group's row is done)
            row = self.entry(rows, role, sheet_row.code)
            row.status = own_status or row.status  # (a group's member: their own status)
            row.reasons.append(OVERDUE if deadline < as_of else DUE_SOON)
            row.days = abs((deadline - as_of).days)
        return rows

    def add_rejection(self, rows: dict, role: str, matter) -> None:
        row = self.entry(rows, role, matter.code)
        if REJECTED not in row.reasons:
            row.reasons.append(REJECTED)
        label = layout.PLAN.column(matter.field).label if matter.field in layout.PLAN.keys \
            else matter.field
        row.rejected.append(Rejected(matter.field, label, matter.value, matter.message,
                                     matter.round, matter.file))


def _attach(reminder: Reminder, out_dir: Path, digest: str) -> None:
    """The issued workbook, attached again when it is still in the folder as it was issued."""
    path = out_dir / reminder.not_returned.file
    if path.is_file() and (not digest or _sha256(path) == digest):
        reminder.attachment = path
    else:
        reminder.attachment_missing = path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check(reminder: Reminder, view) -> list[Problem]:
    """Problems the office must act on: no usable address (the roster cell to fill), a
    workbook that cannot be attached again."""
    from ..master.validate import EMAIL_RE

    problems = []
    params = {"role": reminder.role, "person": reminder.person}
    if not reminder.email or not EMAIL_RE.match(reminder.email):
        reminder.outcome = NO_ADDRESS
        code = "remind-email-invalid" if reminder.email else "remind-email-missing"
        problems.append(Problem(code, ERROR, layout.ROSTER.name, reminder.roster_cell,
                                reminder.email or None, params))
    if reminder.attachment_missing is not None:
        path = reminder.attachment_missing
        code = "remind-workbook-changed" if path.is_file() else "remind-workbook-missing"
        problems.append(Problem(code, WARNING, "", "", None, {
            **params, "file": path.name, "folder": str(path.parent)}, file=path.name))
    return problems


def eml_path(out_dir: Path, reminder: Reminder, day: dt.date) -> Path:
    from .fill import slug

    return out_dir / f"nhac-viec_{day:%Y%m%d}_{slug(reminder.role, 'vai-tro')}.eml"


def _deliver(m, result: RemindResult, eml: bool, smtp, now: dt.datetime) -> None:
    """Write the drafts and/or send, recording each in the master: a sent one at once (so a
    failure half way never sends it twice on a re-run), drafts together at the end."""
    from .mail import compose, send_messages, write_eml
    from .remind_record import record

    chosen = [r for r in result.reminders if r.outcome == WOULD_SEND]
    messages = []
    for reminder in chosen:
        try:
            message = compose(sender=smtp.sender if smtp is not None else "", to=reminder.email,
                              to_name=reminder.person, subject=reminder.subject,
                              body=reminder.body, attachment=reminder.attachment)
        except (ValueError, OSError) as exc:
            _failed(result, reminder, str(exc))
            continue
        messages.append((reminder.role, message))
        if eml:
            reminder.eml = write_eml(message, eml_path(result.out_dir, reminder, now.date()))
            reminder.outcome = DRAFTED
    by_role = {r.role: r for r in chosen}
    saved = []

    def save() -> None:
        outcome = m.save(backup=not saved)
        saved.append(outcome)
        if outcome.backup and result.backup is None:
            result.backup = str(outcome.backup)

    if smtp is not None:
        def sent(role: str) -> None:
            by_role[role].outcome = SENT
            record(m.wb, by_role[role], layout.REMINDER_SENT, now)
            save()

        report = send_messages(messages, smtp, on_sent=sent)
        for role, reason in report.failed.items():
            _failed(result, by_role[role], reason)
    drafted = [r for r in chosen if r.eml is not None and r.outcome != SENT]
    for reminder in drafted:
        record(m.wb, reminder, layout.REMINDER_DRAFTED, now)
    if drafted:
        save()


def _failed(result: RemindResult, reminder: Reminder, reason: str) -> None:
    reminder.outcome, reminder.error = FAILED, reason
    result.problems.append(Problem("remind-send-failed", ERROR, "", "", None, {
        "role": reminder.role, "person": reminder.person, "email": reminder.email,
        "reason": reason}))

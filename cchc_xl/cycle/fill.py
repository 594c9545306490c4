"""`cchc-xl fill`: issue a round of officer workbooks from the master and record it there."""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from .. import fields, layout
from ..files.failpoint import failpoint
from ..files.open_save import TEMP_PREFIX, SaveFailed
from ..master.reading import MasterView, SheetRow, find_header
from ..plan.roster import RoleResolver
from ..plan.tree import code_key, is_valid_code
from ..problems import ERROR, FATAL_CODES, Problem
from ..text import clean_cell, parse_number, strip_diacritics

R = layout.ROUNDS
# Errors that would put wrong rows, numbers or addresses into officers' workbooks.
BLOCKING = FATAL_CODES | {
    "role-unknown", "lead-missing", "alias-ambiguous", "roster-role-duplicate",
    "roster-person-missing", "roster-email-missing", "roster-email-invalid",
    "code-missing", "code-not-text", "code-malformed", "code-duplicate",
    "not-a-number", "number-missing", "max-not-positive", "appraised-out-of-range",
    "not-a-date", "status-invalid", "progress-out-of-range", "expected-out-of-range",
}
ROLE_PROBLEMS = {"roster-person-missing", "roster-email-missing", "roster-email-invalid"}
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                    *(f"LPT{i}" for i in range(10))}
MAX_NAME = 80


class FillRefused(Exception):
    """The master has errors that would make officers' workbooks wrong; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the master")
        self.problems = problems


class UnknownRole(ValueError):
    """--only named a role the roster does not have."""

    def __init__(self, names: list[str], valid: list[str]):
        super().__init__(", ".join(names))
        self.names = names
        self.valid = valid


@dataclass
class IssuedFile:
    role: str
    person: str
    email: str
    path: Path
    codes: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # layout.LEAD / SUPPORT, one per code
    eml: Path | None = None  # the draft email written beside the workbook (--eml)
    sent_at: dt.datetime | None = None  # when it was emailed (--send)
    send_error: str | None = None  # why it was not (Vietnamese, says what to do)

    def to_dict(self) -> dict:
        return {"role": self.role, "person": self.person, "email": self.email,
                "path": str(self.path), "rows": [{"code": c, "part": p}
                                                 for c, p in zip(self.codes, self.parts)],
                "eml": str(self.eml) if self.eml else None,
                "sent_at": self.sent_at.isoformat() if self.sent_at else None,
                "send_error": self.send_error}


@dataclass
class FillResult:
    round: str
    files: list[IssuedFile]
    master_backup: Path | None
    issued_at: dt.datetime | None = None
    due: dt.date | None = None
    idle: list[str] = field(default_factory=list)  # roles asked for that have no rows
    # Roles skipped by a re-run of --send: their workbook of this round was already emailed.
    already_sent: list[str] = field(default_factory=list)
    # Workbooks of an interrupted earlier fill, recorded in the master, moved into place now.
    restored: list[Path] = field(default_factory=list)
    # What still needs the office's action after the round (master.needs_action).
    needs: object = None

    @property
    def send_failed(self) -> list[IssuedFile]:
        return [f for f in self.files if f.send_error]

    def to_dict(self) -> dict:
        return {"round": self.round,
                "issued_at": self.issued_at.isoformat() if self.issued_at else None,
                "due": self.due.isoformat() if self.due else None,
                "master_backup": str(self.master_backup) if self.master_backup else None,
                "files": [f.to_dict() for f in self.files], "idle": self.idle,
                "already_sent": self.already_sent,
                "needs_action": self.needs.to_dict() if self.needs is not None else None}


# --- file names ----------------------------------------------------------------------------

def slug(text: str, fallback: str) -> str:
    """'Tư pháp – Hộ tịch' -> 'tu-phap-ho-tich': ASCII lowercase letters, digits and dashes."""
    s = re.sub(r"[^a-z0-9]+", "-", strip_diacritics(clean_cell(text)).lower()).strip("-")
    return s or fallback


def file_name(round_name: str, role: str, taken: set[str] | None = None) -> str:
    """`<round>_<role>.xlsx`, safe on Windows, at most MAX_NAME characters, unique in `taken`."""
    head = slug(round_name, "dot")[:24].strip("-") or "dot"
    room = MAX_NAME - len(head) - len("_.xlsx") - 3  # keep 3 for a "-NN" suffix
    tail = slug(role, "vai-tro")[:room].strip("-") or "vai-tro"
    stem = f"{head}_{tail}"
    if stem.split(".")[0].upper() in WINDOWS_RESERVED:  # cannot happen with '_', kept as a guard
        stem += "-1"
    name, n = f"{stem}.xlsx", 2
    while taken is not None and name.lower() in taken:
        name, n = f"{stem}-{n}.xlsx", n + 1
    if taken is not None:
        taken.add(name.lower())
    return name


# --- what each role receives ---------------------------------------------------------------

def assignments(view: MasterView) -> dict[str, list[tuple[SheetRow, str]]]:
    """Role -> its rows in code order with its part (lead wins over support), groups expanded."""
    resolver = RoleResolver(view.roles())
    rows = sorted((r for r in view.rows if is_valid_code(r.code)), key=lambda r: code_key(r.code))
    out: dict[str, list[tuple[SheetRow, str]]] = {role.name: [] for role in view.roles()}
    for row in rows:  # (each row's own roles, not every role of a province for each row)
        leads = dict.fromkeys(resolver.members(resolver.resolve(row.text("lead"))))
        for name in leads:
            if name in out:
                out[name].append((row, layout.LEAD))
        for name in dict.fromkeys(resolver.members(resolver.resolve(row.text("support")))):
            if name in out and name not in leads:
                out[name].append((row, layout.SUPPORT))
    return out


def select_roles(view: MasterView, only: list[str] | None) -> list[str] | None:
    """Role names asked for with --only (names or aliases), or None for every role."""
    if not only:
        return None
    resolver = RoleResolver(view.roles())
    chosen, unknown = [], []
    for name in only:
        match = resolver.match(name)
        if match is None:
            unknown.append(name)
        elif match not in chosen:
            chosen.append(match)
    if unknown:
        raise UnknownRole(unknown, [role.name for role in view.roles()])
    return chosen


def blocking_problems(problems: list[Problem], issued_roles: set[str]) -> list[Problem]:
    """The errors that stop a fill; a roster gap only counts for a role that gets a file."""
    out = []
    for p in problems:
        if p.severity != ERROR or p.code not in BLOCKING:
            continue
        if p.code in ROLE_PROBLEMS and p.params.get("role") not in issued_roles:
            continue
        out.append(p)
    return out


def _lost(row: SheetRow) -> float | None:
    mx, ap = row.number("max_points"), row.number("appraised")
    return round(mx - ap, 6) if mx is not None and ap is not None else None


def own_base(report) -> dict:
    """The report fields an officer's workbook is issued with: their own last report (None
    where they have reported nothing or emptied the field)."""
    return {key: report.get(key) if report is not None else None
            for key in layout.REPORT_FIELDS}


def others_text(code: str, role: str, reports: dict, roles_on_row: list[str]) -> str | None:
    """What the others on a row last reported, one line each (shown, locked, never read)."""
    from ..text import format_number

    lines = []
    for other in roles_on_row:
        report = reports.get((code, other))
        if other == role or report is None:
            continue
        parts = []
        for key in fields.shared():
            value = report.get(key)
            if value in (None, ""):
                continue
            if fields.field(key).kind == "percent" and isinstance(value, (int, float)):
                value = f"{format_number(value)}%"
            elif isinstance(value, float):
                value = format_number(value)
            parts.append(f"{layout.PLAN.column(key).label}: {value}")
        if parts:
            lines.append(f"[{other}] " + "; ".join(parts))
    return "\n".join(lines) or None


def officer_rows(entries: list[tuple[SheetRow, str]], role: str = "",
                 reports: dict | None = None, roles_on: dict | None = None):
    """The rows of one officer's workbook: the locked plan text, and in the input cells their
    own last report (progress as a fraction in its percentage cell); `roles_on`: code -> the
    roles leading and supporting the row, whose reports are shown beside."""
    from .officer_workbook import OfficerRow

    reports = reports or {}
    out = []
    for row, part in entries:
        deadline = row.raw.get("deadline")
        if isinstance(deadline, dt.datetime):
            deadline = deadline.date()
        elif not isinstance(deadline, dt.date):
            deadline = row.text("timeframe") or None
        base = own_base(reports.get((row.code, role)))
        values = {}
        for declared in fields.FIELDS:
            if declared.lead_only and part != layout.LEAD:
                base[declared.key] = None  # (not theirs to report: the cell is locked)
            value = values[declared.key] = base[declared.key]
            if declared.kind == "percent" and isinstance(value, (int, float)):
                # (a fraction in the officer's percentage cell)
                values[declared.key] = round(value / 100, 8)
        values["others"] = others_text(row.code, role, reports,
                                       (roles_on or {}).get(row.code, []))
        out.append(OfficerRow(
            code=row.code, title=row.text("title"), max_points=row.number("max_points"),
            lost=_lost(row), action=row.text("action"), part=part, deadline=deadline,
            values=values, base=base))
    return out


def officer_sheet(view: MasterView, role_name: str, entries: list[tuple[SheetRow, str]], *,
                  round_name: str, now: dt.datetime, due: dt.date, master_id: str,
                  master_file: str, roles: dict | None = None, reports: dict | None = None,
                  roles_on: dict | None = None, evidence: list | None = None):
    """What one officer's workbook shows and stamps (roles: the roster's roles by name, when
    the caller has them at hand: not searched for again for each of a province's units;
    reports: the officers' own reports, the record their input cells are issued from;
    evidence: the master's evidence records, theirs on their rows issued in their sheet)."""
    from ..master.evidence import entries_of
    from .officer_workbook import OfficerSheet

    role = (roles or {}).get(role_name) or next(r for r in view.roles() if r.name == role_name)
    settings = view.settings
    plan_date = settings.get("plan_date")
    return OfficerSheet(
        round=round_name, role=role.name, person=role.person, email=role.email,
        commune=clean_cell(settings.get("commune")), year=settings.get("year"),
        plan_number=clean_cell(settings.get("plan_number")),
        plan_date=plan_date if isinstance(plan_date, (dt.date, dt.datetime)) else None,
        issued_at=now, due=due, master_id=master_id, master_file=master_file,
        rows=officer_rows(entries, role.name, reports, roles_on),
        evidence=entries_of(evidence or [], role.name, {row.code for row, _ in entries}))


def roles_on_rows(view: MasterView) -> dict[str, list[str]]:
    """code -> the roles leading then supporting the row (groups expanded), each once."""
    resolver = RoleResolver(view.roles())
    out = {}
    for row in view.rows:
        names = resolver.members(resolver.resolve(row.text("lead")))
        names += resolver.members(resolver.resolve(row.text("support")))
        out[row.code] = list(dict.fromkeys(names))
    return out


# --- the master's side ---------------------------------------------------------------------

def ensure_master_id(view: MasterView) -> str:
    """The master's identity (settings «master_id»), created when empty."""
    value = clean_cell(view.settings.get("master_id"))
    if value:
        return value
    value = str(uuid.uuid4())
    ws = view.wb[layout.SETTINGS_SHEET]
    row = view.settings.get("_rows", {}).get("master_id")
    if row is None:
        row = layout.settings_row("master_id")
        ws.cell(row=row, column=1, value=layout.SETTINGS[0].label)
    ws.cell(row=row, column=2, value=value)
    view.settings["master_id"] = value
    return value


def rounds_sheet(wb):
    """The «Đợt gửi» sheet and its columns by key, created (after «Nhật ký») when missing."""
    from ..master.table_sheet import write_table_header

    if R.name not in wb.sheetnames:
        after = layout.CHANGELOG.name
        index = wb.sheetnames.index(after) + 1 if after in wb.sheetnames else None
        write_table_header(wb.create_sheet(R.name, index), R)
    ws = wb[R.name]
    header, columns = find_header(ws, R.columns)
    if header is None:
        return ws, R.header_row, {key: R.index(key) for key in R.keys}
    return ws, header, {key: columns.get(key, R.index(key)) for key in R.keys}


def rounds_issued(wb) -> list[str]:
    """Distinct round names already in the master, in order of first issue."""
    if R.name not in wb.sheetnames:
        return []
    ws, header, columns = rounds_sheet(wb)
    names: list[str] = []
    for r in range(header + 1, ws.max_row + 1):
        name = clean_cell(ws.cell(row=r, column=columns["round"]).value)
        if name and name not in names:
            names.append(name)
    return names


def record_round(wb, records: list[dict]) -> list[int]:
    """Append one row per issued file to «Đợt gửi»; returns the rows written."""
    from ..files.cells import put
    from ..files.styles import BORDER, fit_rows, font, print_table, wrap

    ws, header, columns = rounds_sheet(wb)
    row = ws.max_row + 1
    while row > header + 1 and all(ws.cell(row=row - 1, column=c).value in (None, "")
                                   for c in columns.values()):
        row -= 1
    written = []
    styles: dict[str, object] = {}  # column -> its cell style, built once and copied
    for record in records:
        for col in R.columns:
            cell = ws.cell(row=row, column=columns[col.key])
            if col.key in styles:
                cell._style = copy(styles[col.key])
            else:
                cell.font = font()
                cell.border = BORDER
                cell.alignment = wrap(None, col.wrap)
                if col.number_format:
                    cell.number_format = col.number_format
                styles[col.key] = copy(cell._style)
            put(cell, record.get(col.key))  # after the style: it may add a quote prefix
        written.append(row)
        row += 1
    fit_rows(ws, written, R.columns)
    print_table(ws, R)  # (printed down to the rows just written)
    return written


def roles_sent(wb, round_name: str) -> set[str]:
    """Roles whose workbook of a round has an email sent time in «Đợt gửi»."""
    if R.name not in wb.sheetnames:
        return set()
    ws, header, columns = rounds_sheet(wb)
    return {clean_cell(ws.cell(row=r, column=columns["role"]).value)
            for r in range(header + 1, ws.max_row + 1)
            if clean_cell(ws.cell(row=r, column=columns["round"]).value) == round_name
            and ws.cell(row=r, column=columns["sent_at"]).value not in (None, "")}


def _return_days(settings: dict) -> int:
    number = parse_number(settings.get("return_days"))
    return int(number) if number is not None and number >= 0 else 7


# --- the command ---------------------------------------------------------------------------

def letter_text(template: object, fields: dict) -> str:
    """A settings template with {year} {role} {round} {person} {commune} {due} filled in;
    any other brace is left as typed."""
    return re.sub(r"\{(\w+)\}", lambda m: str(fields.get(m[1], m[0])), str(template or ""))


def letters(settings: dict, result: FillResult, sender: str = "") -> list[tuple[str, object]]:
    """(role, draft email) for every issued workbook, from the master's email templates."""
    from .mail import compose

    defaults = {s.key: s.default for s in layout.SETTINGS}
    out = []
    for f in result.files:
        fields = {"year": settings.get("year") or "", "role": f.role, "round": result.round,
                  "person": f.person, "commune": clean_cell(settings.get("commune")),
                  "due": f"{result.due:%d/%m/%Y}" if result.due else ""}
        subject = letter_text(settings.get("email_subject") or defaults["email_subject"], fields)
        body = letter_text(settings.get("email_body") or defaults["email_body"], fields)
        out.append((f.role, compose(sender=sender, to=f.email, to_name=f.person,
                                    subject=" ".join(subject.split()), body=body,
                                    attachment=f.path)))
    return out


def fill(master: str | Path, out_dir: str | Path, *, round_name: str | None = None,
         only: list[str] | None = None, now: dt.datetime | None = None, eml: bool = False,
         smtp=None, progress=None) -> FillResult:
    """Write one workbook per officer who leads or supports a row into out_dir, and record
    the round in the master (saved with a backup). Raises FillRefused, with nothing written,
    when the master has errors that would make the workbooks wrong.

    eml: also write each officer's draft email (.eml, workbook attached) beside the workbook.
    smtp (mail.SmtpSettings): also send those emails, recording each sent time in «Đợt gửi»
    as it goes; re-running a round skips the roles whose workbook of it was already sent.

    progress(done, total, name): called after each workbook written (its file name) and after
    the master is saved (its name), total = workbooks + 1.

    One unit of work: the master is held from load to the last send (master_file.Master)."""
    from ..master.needs_action import needs_action
    from ..master.unit import Master

    with Master.open(master) as m:
        result = _fill(m, Path(out_dir), round_name=round_name, only=only, now=now, eml=eml,
                       smtp=smtp, progress=progress)
        result.needs = needs_action(m.wb, (now or dt.datetime.now()).date())
    return result


def _fill(m, out_dir: Path, *, round_name, only, now, eml, smtp, progress) -> FillResult:
    from ..master.changelog import append_log
    from ..master.evidence import read_evidence
    from ..master.key import master_key
    from ..master.officer_reports import read_reports
    from ..master.repair import keep_derived
    from ..master.validate import check_master
    from .officer_workbook import write_officer_workbooks

    master, wb = m.path, m.wb
    first = m.view
    now = (now or dt.datetime.now()).replace(microsecond=0)
    # (deadlines follow the time frames, as the workbooks will show them; rows typed in by
    # hand get their formulas): in memory, saved only with the round
    deadlines, formulas = keep_derived(wb, first, now, master.name) if not first.problems \
        else ([], [])
    report, view = check_master(wb, str(master))
    if view is None:
        raise FillRefused([p for p in report.problems if p.code in FATAL_CODES])
    chosen = select_roles(view, only)
    by_role = assignments(view)
    targets = [name for name in by_role if chosen is None or name in chosen]
    issued = [name for name in targets if by_role[name]]
    problems = blocking_problems(report.problems, set(issued))
    if problems:
        raise FillRefused(problems)

    round_name = clean_cell(round_name) or layout.ROUND_DEFAULT.format(
        n=len(rounds_issued(wb)) + 1)
    due = now.date() + dt.timedelta(days=_return_days(view.settings))
    result = FillResult(round_name, [], None, now, due,
                        idle=[name for name in targets if not by_role[name]])
    if smtp is not None:
        sent = roles_sent(wb, round_name)
        result.already_sent = [name for name in issued if name in sent]
        issued = [name for name in issued if name not in sent]
    if not issued:
        return result
    key = master_key(wb, create=True)
    master_id = ensure_master_id(view)
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    result.restored = finish_interrupted(wb, out_dir)
    staged: list[tuple[Path, Path]] = []
    taken: set[str] = set()
    try:
        jobs = []
        roles: dict = {}
        for role in view.roles():
            roles.setdefault(role.name, role)  # (the first of a name, as a search finds)
        reports = read_reports(wb)
        evidence = read_evidence(wb)
        roles_on = roles_on_rows(view)
        for name in issued:
            sheet = officer_sheet(view, name, by_role[name], round_name=round_name, now=now,
                                  due=due, master_id=master_id, master_file=master.name,
                                  roles=roles, reports=reports, roles_on=roles_on,
                                  evidence=evidence)
            rows = sheet.rows
            target = out_dir / file_name(round_name, name, taken)
            # A plain new file (not mkstemp's 0600) so the officer file gets the usual mode;
            # named for its process and its target, so that a run killed after the master was
            # saved is finished by the next fill (finish_interrupted), or swept.
            tmp = out_dir / f"{TEMP_PREFIX}{os.getpid()}-{target.name}"
            staged.append((tmp, target))
            jobs.append((sheet, key, tmp))
            result.files.append(IssuedFile(name, sheet.person, sheet.email, target,
                                           [r.code for r in rows], [r.part for r in rows]))
        total = len(jobs) + 1  # (the master's save last)
        write_officer_workbooks(jobs, progress and (  # both cores for a district or a province
            lambda done, _, __: progress(done, total, staged[done - 1][1].name)))
        recorded = record_round(wb, [{
            "round": round_name, "role": f.role, "person": f.person, "email": f.email,
            "file": f.path.name, "rows": len(f.codes), "issued_at": now, "due": due,
            "sent_at": None, "digest": _digest(tmp)}
            for f, (tmp, _) in zip(result.files, staged)])
        if deadlines or formulas:
            _repaint(wb, now)
        append_log(wb, [{"when": now, "kind": "Tạo phiếu", "file": str(out_dir),
                         "officer": "cchc-xl", "note": f"{round_name}: {len(result.files)} "
                         f"phiếu, hạn gửi lại {due:%d/%m/%Y}"}])
        result.master_backup = m.save().backup
        if progress:
            progress(total, total, master.name)
        failpoint("fill-saved")  # (crash tests: the master saved, the workbooks not yet moved)
    except BaseException as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if created and not any(out_dir.iterdir()):
            out_dir.rmdir()
        if isinstance(exc, OSError) and not isinstance(exc, SaveFailed):
            raise SaveFailed(out_dir, exc) from exc  # (a full disk: said in plain words)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    if eml or smtp is not None:
        _mail(m, view.settings, result, dict(zip(issued, recorded)), eml, smtp)
    return result


def finish_interrupted(wb, out_dir: Path) -> list[Path]:
    """The workbooks of a fill killed after it saved the master but before they were moved
    into place: those the master records (the same name and digest as its latest record of
    that file) are moved into place now; any other temporary file of a dead run is removed.
    Returns the workbooks moved."""
    from ..files.open_save import TEMP_RE, sweep_temporary_files

    latest: dict[str, str] = {}
    if R.name in wb.sheetnames:
        ws, header, columns = rounds_sheet(wb)
        for r in range(header + 1, ws.max_row + 1):
            name = clean_cell(ws.cell(row=r, column=columns["file"]).value)
            digest = clean_cell(ws.cell(row=r, column=columns["digest"]).value)
            if name:
                latest[name] = digest
    restored = []
    for leftover in sorted(out_dir.glob(f"{TEMP_PREFIX}*.xlsx")):
        match = TEMP_RE.match(leftover.name)
        if match is None or int(match[1]) == os.getpid() or _alive(int(match[1])):
            continue
        name = leftover.name[len(f"{TEMP_PREFIX}{match[1]}-"):]
        if latest.get(name) and latest[name] == _digest(leftover):
            os.replace(leftover, out_dir / name)
            restored.append(out_dir / name)
    sweep_temporary_files(out_dir)
    return restored


def _alive(pid: int) -> bool:
    from ..files.open_save import pid_alive

    return pid_alive(pid)


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _repaint(wb, now: dt.datetime) -> None:
    """Deadlines changed: the plan's colours again as of the date the master shows."""
    from ..master.reading import read_master
    from ..master.summary import show_as_of, stored_as_of

    as_of = stored_as_of(wb)
    if as_of is not None:
        show_as_of(wb, read_master(wb), as_of, now)


def _mail(m, settings: dict, result: FillResult, rows: dict[str, int], eml: bool,
          smtp) -> None:
    """Write the drafts and/or send them, recording each sent time in the master at once
    (so a failure half way never makes a re-run send a workbook twice)."""
    from .mail import send_messages, write_eml

    wb = m.wb
    messages = letters(settings, result, sender=smtp.sender if smtp is not None else "")
    by_role = {f.role: f for f in result.files}
    if eml:
        for role, message in messages:
            by_role[role].eml = write_eml(message, by_role[role].path.with_suffix(".eml"))
    if smtp is None:
        return
    ws, _, columns = rounds_sheet(wb)

    def record(role: str) -> None:
        sent_at = dt.datetime.now().replace(microsecond=0)
        cell = ws.cell(row=rows[role], column=columns["sent_at"], value=sent_at)
        cell.number_format = R.column("sent_at").number_format
        by_role[role].sent_at = sent_at
        m.save(backup=False)  # the fill's own save made the backup

    report = send_messages(messages, smtp, on_sent=record)
    for role, reason in report.failed.items():
        by_role[role].send_error = reason

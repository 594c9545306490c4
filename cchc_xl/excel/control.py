"""What the Excel button decides, without Excel: the request on the «Điều khiển» sheet, running
it through the same library functions as the CLI, and the outcome written back on the sheet.

«Chấm điểm» (re-score) is `consolidate` with an empty inbox: it re-colours overdue rows as of
the chosen date, recounts each officer's rows and writes a report workbook with the scores, in
exactly the code path of `cchc-xl consolidate MASTER EMPTY_FOLDER --as-of DATE`. The scores
themselves are live formulas, so Excel shows them at any time; the action records where the
commune stands on a date and gives a report to send.

Each action is one entry of ACTIONS (the `action` decorator): what it runs, whether it writes
the master (Excel must let go of the file first) and the CLI command it equals. After every
action on the master the outcome says what still needs the office's action (needs_action.py).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..files.cells import FORMULA_STARTS
from ..master.needs_action import NeedsAction
from ..outputs.failures import explain, problems_of
from ..problems import ERROR, INFO, WARNING, MasterUnusable, Problem
from ..text import clean_cell, fold, strip_diacritics
from ..texts import COUNT_LABELS, speaker

SHEET = layout.CONTROL_SHEET
INPUTS = {c.key: c for c in layout.CONTROL_INPUTS}
RESULTS = {c.key: c for c in layout.CONTROL_RESULTS}
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")



say = speaker("control")


@dataclass
class Request:
    """What the control sheet asks for, with folders resolved against the master's folder."""

    master: Path
    action: str | None  # a key of ACTIONS (None when unusable)
    label: str = ""  # the action as the sheet names it
    outbox: Path | None = None
    inbox: Path | None = None
    round_name: str | None = None
    as_of: dt.date | None = None
    eml: bool = False
    plan: Path | None = None  # new: the plan document
    new_master: Path | None = None  # new: the master to create
    overwrite: bool = False  # new: replace new_master when it exists
    problems: list[Problem] = field(default_factory=list)

    @property
    def changes_master(self) -> bool:
        """True when running it writes the master (so Excel must let go of the file first)."""
        return not self.problems and self.action in ACTIONS and ACTIONS[self.action].writes

    def command(self) -> str:
        """The `cchc-xl` command line doing the same thing."""
        return ACTIONS[self.action].command(self) if self.action in ACTIONS else ""

    def as_of_option(self) -> str:
        return f" --as-of {self.as_of:%d/%m/%Y}" if self.as_of else ""


@dataclass
class Outcome:
    """What a run gives back: written on the control sheet and returned to Python callers."""

    ran_at: dt.datetime
    action: str | None
    label: str
    status: str  # ok | todo | problems | failed (keys of layout.CONTROL_STATUSES)
    message: str
    counts: dict[str, int] = field(default_factory=dict)
    report: str | None = None
    problems: list[Problem] = field(default_factory=list)
    command: str = ""
    needs: NeedsAction | None = None  # what still needs action (None: not known)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def exit_code(self) -> int:
        """0 ran clean (open work for the office does not change it, as with the CLI), 1
        problems found, 2 not run."""
        return {"ok": 0, "todo": 0, "problems": 1}.get(self.status, 2)

    def counts_text(self, lang: str = "vi") -> str:
        i = 1 if lang == "en" else 0
        return ", ".join(f"{n} {COUNT_LABELS[k][i]}" for k, n in self.counts.items())

    def first_problems(self) -> list[Problem]:
        """Errors first, then warnings, then notes, each in the order found."""
        rank = {ERROR: 0, WARNING: 1, INFO: 2}
        ordered = sorted(self.problems, key=lambda p: rank.get(p.severity, 3))
        return ordered[: layout.CONTROL_PROBLEMS_MAX]

    def to_dict(self, lang: str = "vi") -> dict:
        return {"ran_at": self.ran_at.isoformat(), "action": self.action, "label": self.label,
                "status": self.status, "ok": self.ok, "message": self.message,
                "counts": dict(self.counts), "report": self.report, "command": self.command,
                "problems": [p.to_dict(lang) for p in self.problems],
                "needs_action": self.needs.to_dict() if self.needs else None}


def failed(key: str, lang: str = "vi", *, now: dt.datetime | None = None,
           **fields) -> Outcome:
    """An outcome for a run that could not start, with the message of TEXTS[key]."""
    ran_at = (now or dt.datetime.now()).replace(microsecond=0)
    return Outcome(ran_at, None, "", "failed", say(key, lang, **fields))


# --- reading the request ---------------------------------------------------------------------

def parse_action(value: object) -> str | None:
    """'Tổng hợp', 'tong hop', 'consolidate' -> 'consolidate'; None when not an action."""
    text = fold(strip_diacritics(clean_cell(value)))
    for label, action in layout.CONTROL_ACTIONS.items():
        if text in (fold(strip_diacritics(label)), action):
            return action
    return None


def parse_date(value: object) -> dt.date | None:
    """A date cell, or text dd/mm/yyyy (also yyyy-mm-dd). Raises ValueError for anything else;
    an empty cell is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()  # a serial number typed into a General cell
    text = clean_cell(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_yes_no(value: object) -> bool:
    text = fold(strip_diacritics(clean_cell(value)))
    if text in ("", "khong", "no", "0", "false", "k"):
        return False
    if text in ("co", "yes", "1", "true", "c", "x"):
        return True
    raise ValueError(value)


def _folder(master: Path, value: object, default: str | None) -> Path | None:
    text = clean_cell(value) or default
    if not text:
        return None
    path = Path(text.strip('"'))
    return path if path.is_absolute() else master.parent / path


def parse_request(master: str | Path, values: dict[str, object]) -> Request:
    """A request from the control sheet's values ({key of layout.CONTROL_INPUTS: value})."""
    master = Path(master)
    problems: list[Problem] = []

    def bad(key: str, code: str, value: object, **params) -> None:
        problems.append(Problem(code, ERROR, SHEET, INPUTS[key].cell, value, params))

    raw_action = values.get("action")
    action = parse_action(raw_action)
    if action is None:
        bad("action", "control-action-unknown", clean_cell(raw_action),
            choices=", ".join(layout.CONTROL_ACTIONS))
    try:
        as_of = parse_date(values.get("as_of"))
    except ValueError:
        as_of = None
        bad("as_of", "control-date-invalid", clean_cell(values.get("as_of")))
    flags = {}
    for key in ("eml", "overwrite"):
        try:
            flags[key] = parse_yes_no(values.get(key))
        except ValueError:
            flags[key] = False
            if key == "eml" or action == "new":  # (a flag of another action is not read)
                bad(key, "control-yes-no-invalid", clean_cell(values.get(key)))
    request = Request(
        master=master, action=action,
        label=next((k for k, v in layout.CONTROL_ACTIONS.items() if v == action), ""),
        outbox=_folder(master, values.get("outbox"), INPUTS["outbox"].default),
        inbox=_folder(master, values.get("inbox"), INPUTS["inbox"].default),
        round_name=clean_cell(values.get("round")) or None, as_of=as_of, eml=flags["eml"],
        plan=_folder(master, values.get("plan"), None),
        new_master=_folder(master, values.get("new_master"), None),
        overwrite=flags["overwrite"], problems=problems)
    if action == "consolidate" and not request.inbox.is_dir():
        bad("inbox", "control-folder-missing", clean_cell(values.get("inbox")),
            folder=str(request.inbox))
    if action == "new":
        _check_new(request, values, bad)
    problems.sort(key=lambda p: int(p.cell[1:]))  # (in the order of the sheet's lines)
    return request


def _check_new(request: Request, values: dict[str, object], bad) -> None:
    """A new master needs an existing plan file and a target .xlsx that is not this master
    and, unless the sheet says to overwrite it, does not exist."""
    if request.plan is None or not request.plan.is_file():
        bad("plan", "control-plan-missing", clean_cell(values.get("plan")),
            file=str(request.plan or ""))
    target = request.new_master
    if target is None or target.suffix.lower() != ".xlsx":
        bad("new_master", "control-new-master-name", clean_cell(values.get("new_master")))
    elif target.resolve() == request.master.resolve():
        bad("new_master", "control-new-is-this-master", clean_cell(values.get("new_master")))
    elif target.exists() and not request.overwrite:
        bad("new_master", "control-new-exists", clean_cell(values.get("new_master")),
            file=str(target), cell=INPUTS["overwrite"].cell)


def read_request(master: str | Path) -> Request:
    """The request on the master's control sheet (the file as saved). Raises
    WorkbookUnreadable when the file cannot be opened."""
    from ..files.open_save import load

    master = Path(master)
    wb = load(master)
    if SHEET not in wb.sheetnames:
        return Request(master, None, problems=[Problem(
            "control-sheet-missing", ERROR, SHEET, "", None,
            {"sheet_name": SHEET, "file": master.name})])
    ws = wb[SHEET]
    return parse_request(master, {key: ws[c.cell].value for key, c in INPUTS.items()})


# --- running it ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    """One action of the control sheet: what runs it, whether it writes the master, and the
    `cchc-xl` command line doing the same."""

    run: Callable[[Request, Outcome, dt.datetime, str], None]
    writes: bool
    command: Callable[[Request], str]
    on_master: bool = True  # its outcome says what still needs action on this master


ACTIONS: dict[str, Action] = {}


def action(key: str, *, writes: bool, command: Callable[[Request], str],
           on_master: bool = True):
    """Register the function running the action `key` (a value of layout.CONTROL_ACTIONS)."""
    def register(run):
        ACTIONS[key] = Action(run, writes, command, on_master)
        return run
    return register


def run_request(request: Request, *, now: dt.datetime | None = None,
                lang: str = "vi") -> Outcome:
    """Run the request through the library, never raising: every failure is an Outcome."""
    now = (now or dt.datetime.now()).replace(microsecond=0)
    outcome = Outcome(now, request.action, request.label, "failed", "")
    if request.problems:
        outcome.problems = list(request.problems)
        cells = ", ".join(dict.fromkeys(p.cell or p.sheet for p in request.problems))
        outcome.message = say("request-invalid", lang, cells=cells, sheet=SHEET)
    else:
        _run(request, outcome, now, lang)
    if len(outcome.problems) > layout.CONTROL_PROBLEMS_MAX:
        outcome.message += say("more", lang,
                               n=len(outcome.problems) - layout.CONTROL_PROBLEMS_MAX)
    return outcome


def _run(request: Request, outcome: Outcome, now: dt.datetime, lang: str) -> None:
    from ..cycle.fill import FillRefused
    from ..files.open_save import MasterLocked, WorkbookUnreadable
    from ..problems import MasterUnusable

    entry = ACTIONS[request.action]
    outcome.command = request.command()
    try:
        entry.run(request, outcome, now, lang)
        if entry.on_master and outcome.status != "failed":
            _add_needs(request, outcome, now)
    except FillRefused as exc:
        outcome.status, outcome.problems = "failed", exc.problems
        outcome.counts = {"errors": len(exc.problems)}
        outcome.message = say("fill-refused", lang, n=len(exc.problems))
    except MasterUnusable as exc:
        outcome.status, outcome.problems = "failed", exc.problems
        outcome.message = say("unusable", lang, reason=explain(exc, lang))
    except MasterLocked as exc:  # (each failure also as its problems: outputs.failures)
        outcome.status, outcome.message = "failed", say("locked", lang, lock=exc)
        outcome.problems = problems_of(exc)
    except WorkbookUnreadable as exc:
        outcome.status = "failed"
        outcome.message = say("unreadable", lang, file=request.master.name, reason=exc)
        outcome.problems = problems_of(exc)
    except Exception as exc:  # the button must always answer on the sheet
        outcome.status = "failed"
        outcome.message = say("unexpected", lang, error=f"{type(exc).__name__}: {exc}",
                              command=outcome.command)
        outcome.problems = problems_of(exc)


def _add_needs(request: Request, outcome: Outcome, now: dt.datetime) -> None:
    """What still needs action on the master after the run ("Xong" only when nothing does)."""
    from ..master.needs_action import needs_action_of

    if outcome.needs is None:  # (not found by the action on the master it held)
        checked = outcome.problems if request.action == "validate" else None
        outcome.needs = needs_action_of(request.master, request.as_of or now.date(), checked)
    if outcome.status == "ok" and not outcome.needs.empty:
        outcome.status = "todo"


def _validate_command(request: Request) -> str:
    return f'cchc-xl validate "{request.master.name}"'


@action("validate", writes=False, command=_validate_command)
def _validate(request: Request, outcome: Outcome, now: dt.datetime, lang: str) -> None:
    from ..master.check import validate

    report = validate(request.master, as_of=request.as_of or now.date())
    outcome.needs = report.needs
    stats = report.to_dict(lang)["stats"]
    outcome.counts = {k: stats[k] for k in ("errors", "warnings", "infos")}
    outcome.problems = [p for p in report.problems if not p.fixed]
    outcome.status = "failed" if report.fatal else ("ok" if report.valid else "problems")
    if report.fatal:
        outcome.message = say("unusable", lang, reason=explain(MasterUnusable(
            [p for p in report.problems if p.severity == ERROR]), lang))
    else:
        outcome.message = say("validate-clean" if report.valid else "validate-problems", lang,
                              **outcome.counts)


def _fill_command(request: Request) -> str:
    extra = f' --round "{request.round_name}"' if request.round_name else ""
    extra += " --eml" if request.eml else ""
    return f'cchc-xl fill "{request.master.name}" --out "{request.outbox}"{extra}'


@action("fill", writes=True, command=_fill_command)
def _fill(request: Request, outcome: Outcome, now: dt.datetime, lang: str) -> None:
    from ..cycle.fill import fill

    result = fill(request.master, request.outbox, round_name=request.round_name, now=now,
                  eml=request.eml)
    outcome.counts = {"workbooks": len(result.files)}
    outcome.needs = result.needs
    outcome.report = str(request.outbox)
    outcome.status = "ok"
    if not result.files:
        outcome.message = say("fill-none", lang)
        return
    outcome.message = say("fill-done", lang, n=len(result.files), round=result.round,
                          dir=request.outbox, due=f"{result.due:%d/%m/%Y}",
                          eml=say("fill-eml", lang) if request.eml else "")


def _consolidate_command(request: Request) -> str:
    inbox = request.inbox if request.action == "consolidate" else "<thư mục trống>"
    return f'cchc-xl consolidate "{request.master.name}" "{inbox}"{request.as_of_option()}'


def _remind_command(request: Request) -> str:
    return (f'cchc-xl remind "{request.master.name}" --out "{request.outbox}"'
            f'{request.as_of_option()} --eml')


@action("remind", writes=True, command=_remind_command)
def _remind(request: Request, outcome: Outcome, now: dt.datetime, lang: str) -> None:
    """«Nhắc việc»: a draft reminder (.eml) for each officer who owes a reply, a deadline or a
    correction, into the outbox folder (where fill wrote their workbooks)."""
    from ..cycle.remind import remind

    result = remind(request.master, request.outbox, as_of=request.as_of, eml=True, now=now,
                    lang=lang)
    drafted = [r for r in result.reminders if r.eml is not None]
    outcome.counts = {"reminders": len(drafted),
                      "not_returned": sum(1 for r in result.reminders if r.not_returned)}
    outcome.report = str(request.outbox)
    outcome.problems = list(result.problems)
    outcome.status = "ok" if result.ok else "problems"
    names = "; ".join(f"{r.role} ({r.person})" for r in drafted)
    outcome.message = say("remind-done", lang, n=len(drafted), dir=request.outbox,
                          names=names) if drafted else say("remind-none", lang)


@action("consolidate", writes=True, command=_consolidate_command)
def _consolidate(request: Request, outcome: Outcome, now: dt.datetime, lang: str) -> None:
    from ..cycle.consolidate import consolidate

    report = consolidate(request.master, request.inbox, as_of=request.as_of, now=now)
    outcome.needs = report.needs
    _consolidation_outcome(report, outcome)
    others = [p for p in outcome.problems if p.code != "conflict" and p.severity != INFO]
    outcome.counts = {"files": len(report.files), "changes": len(report.changes),
                      "conflicts": len(report.conflicts), "rejected": len(others),
                      "not_returned": len(report.not_returned)}
    missing = (say("missing", lang, names="; ".join(
        f"{n['role']} ({n['person']})" for n in report.not_returned))
        if report.not_returned else say("none-missing", lang))
    outcome.message = say("consolidate-done", lang, files=len(report.files),
                          changes=len(report.changes), conflicts=len(report.conflicts),
                          problems=len(others), missing=missing)


@action("rescore", writes=True, command=_consolidate_command)
def _rescore(request: Request, outcome: Outcome, now: dt.datetime, lang: str) -> None:
    from ..cycle.consolidate import rescore
    from ..text import format_number

    report = rescore(request.master, as_of=request.as_of, now=now)
    _consolidation_outcome(report, outcome)
    outcome.counts = row_states(request.master, report.as_of)
    whole = report.scores[-1] if report.scores else None
    outcome.message = say(
        "rescore-done", lang, as_of=f"{report.as_of:%d/%m/%Y}", overdue=outcome.counts["overdue"],
        index=format_number(round(whole.index, 2)) if whole else "-",
        rating=whole.rating if whole else "-",
        projected=format_number(round(whole.projected_index, 2))
        if whole and whole.projected_index is not None else "-")


def _consolidation_outcome(report, outcome: Outcome) -> None:
    outcome.report = report.report_path
    outcome.status = "problems" if report.exit_code() else "ok"
    acted = [p for p in report.problems if p.severity in (ERROR, WARNING)]
    outcome.problems = acted + [p for p in report.problems if p.severity == INFO]


@action("export", writes=False,
        command=lambda r: f'cchc-xl export "{r.master.name}"')
def _export(request: Request, outcome: Outcome, now: dt.datetime, lang: str) -> None:
    from ..outputs.export_docx import export_plan_docx

    result = export_plan_docx(request.master)
    outcome.counts = {"rows": result.rows}
    outcome.report = str(result.docx)
    outcome.status = "ok"
    outcome.message = say("export-done", lang, rows=result.rows, path=result.docx)


@action("report", writes=True,
        command=lambda r: f'cchc-xl report "{r.master.name}"{r.as_of_option()}')
def _report(request: Request, outcome: Outcome, now: dt.datetime, lang: str) -> None:
    from ..outputs.progress_report import write_progress_report

    result = write_progress_report(request.master, as_of=request.as_of, now=now)
    outcome.counts = row_states(request.master, result.as_of)
    outcome.report = str(result.docx)
    outcome.problems = list(result.notes)
    outcome.status = "problems" if result.notes else "ok"
    outcome.message = say("report-done", lang, path=result.docx, overdue=len(result.overdue),
                          as_of=f"{result.as_of:%d/%m/%Y}", sheet=layout.SUMMARY.name)


def _new_command(request: Request) -> str:
    force = " --force" if request.overwrite else ""
    return f'cchc-xl new "{request.new_master}" --from "{request.plan}"{force}'


@action("new", writes=False, command=_new_command, on_master=False)
def _new(request: Request, outcome: Outcome, now: dt.datetime, lang: str) -> None:
    from ..master.create import MasterExists, create_master
    from ..plan.appendix import PlanFormatError

    try:
        result = create_master(request.new_master, request.plan, force=request.overwrite)
    except PlanFormatError as exc:
        outcome.status, outcome.problems = "failed", [exc.problem]
        outcome.message = say("unusable", lang, reason=exc.problem.line(lang))
        return
    except MasterExists:  # (appeared since the request was read: still never overwritten)
        cell = INPUTS["new_master"].cell
        outcome.status, outcome.problems = "failed", [Problem(
            "control-new-exists", ERROR, SHEET, cell, request.new_master.name,
            {"file": str(request.new_master), "cell": INPUTS["overwrite"].cell})]
        outcome.message = say("request-invalid", lang, cells=cell, sheet=SHEET)
        return
    outcome.counts = {"rows": result.rows}
    outcome.report = str(result.path)
    outcome.problems = list(result.notes)
    outcome.status = "problems" if any(p.severity in (ERROR, WARNING) for p in result.notes) \
        else "ok"
    outcome.message = say("new-done", lang, path=result.path, rows=result.rows,
                          plan=request.plan.name)


def row_states(master: Path, as_of: dt.date) -> dict[str, int]:
    """How many plan rows with a lead are in each state (overdue as of `as_of`)."""
    from ..files.open_save import load
    from ..master.dashboard import state_counts
    from ..master.reading import read_master

    return state_counts(read_master(load(master)), as_of)


# --- writing the outcome back ----------------------------------------------------------------

def result_cells(outcome: Outcome, lang: str = "vi", *, for_excel: bool = False
                 ) -> dict[str, object]:
    """Address -> value of every cell of the result area, blanks included so an earlier,
    longer list of problems is cleared. for_excel: text that Excel would read as a formula
    gets the quote prefix Excel uses for literal text."""
    status_label = layout.CONTROL_STATUSES[outcome.status][0]
    cells: dict[str, object] = {
        RESULTS["ran_at"].cell: outcome.ran_at,
        RESULTS["ran_action"].cell: outcome.label or None,
        RESULTS["status"].cell: status_label,
        RESULTS["counts"].cell: outcome.counts_text(lang) or None,
        RESULTS["report"].cell: outcome.report,
        RESULTS["message"].cell: outcome.message,
        RESULTS["todo"].cell: outcome.needs.line(lang) if outcome.needs else None,
    }
    shown = outcome.first_problems()
    for n in range(layout.CONTROL_PROBLEMS_MAX):
        r = layout.CONTROL_PROBLEMS_ROW + n
        p = shown[n] if n < len(shown) else None
        cells[f"A{r}"], cells[f"B{r}"], cells[f"C{r}"] = p.row(lang) if p else (None,) * 3
    if for_excel:
        cells = {a: ("'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
                 for a, v in cells.items()}
    return cells


def status_colour(outcome: Outcome) -> str:
    """ARGB fill of the «Kết quả» cell: green, yellow or red."""
    return layout.CONTROL_STATUSES[outcome.status][1]


def write_outcome(master: str | Path, outcome: Outcome, lang: str = "vi") -> bool:
    """Write the outcome on the master's control sheet (no backup: only the result area
    changes). False when the master has no control sheet."""
    from ..files.cells import put
    from ..files.styles import fill
    from ..master.unit import Master

    with Master.open(master) as m:
        wb = m.wb
        if SHEET not in wb.sheetnames:
            return False
        ws = wb[SHEET]
        for address, value in result_cells(outcome, lang).items():
            put(ws[address], value)
        ws[RESULTS["ran_at"].cell].number_format = layout.DATETIME
        ws[RESULTS["status"].cell].fill = fill(status_colour(outcome))
        m.save(backup=False)
    return True


def run_file(master: str | Path, *, now: dt.datetime | None = None, lang: str = "vi",
             write: bool = True) -> Outcome:
    """Read the control sheet of a master file, run its request and write the outcome back:
    what the Excel button does, on a closed file (no Excel needed)."""
    from ..files.open_save import MasterLocked, WorkbookUnreadable

    master = Path(master)
    try:
        request = read_request(master)
    except WorkbookUnreadable as exc:
        outcome = failed("unreadable", lang, now=now, file=master.name, reason=exc)
        outcome.problems = problems_of(exc)
        return outcome
    outcome = run_request(request, now=now, lang=lang)
    if write and not any(p.code == "control-sheet-missing" for p in outcome.problems):
        try:
            write_outcome(master, outcome, lang)
        except (MasterLocked, OSError) as exc:
            outcome.message += say("not-recorded", lang, reason=exc)
    return outcome


def wait_for_excel_to_release(master: str | Path, timeout: float = 5.0,
                              poll: float = 0.1) -> bool:
    """After Excel closes a workbook its owner file (~$name) goes away; wait for that.
    False when it is still there after `timeout` seconds (the run then reports the lock)."""
    from ..files.open_save import excel_lock_file

    lock = excel_lock_file(Path(master))
    deadline = time.monotonic() + timeout
    while lock.exists():
        if time.monotonic() >= deadline:
            return False
        time.sleep(poll)
    return True

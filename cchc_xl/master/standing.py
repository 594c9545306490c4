"""Where the commune stands: each officer's rows by state (the summary's officer table),
and the scores as the summary sheet computes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import fields, layout
from ..files.styles import fill, font
from ..plan.roster import RoleResolver
from ..plan.tree import codes_with_children
from .reading import MasterView
from .status_colours import deadline_of, state_of

P = layout.PLAN
S = layout.SUMMARY


@dataclass
class OfficerStatus:
    role: str
    person: str
    rows: int
    counts: dict  # state -> rows led


def officer_statuses(view: MasterView, as_of: dt.date) -> list[OfficerStatus]:
    """Per roster role, the rows it leads (groups expanded) by state."""
    resolver = RoleResolver(view.roles())
    parents = codes_with_children(r.code for r in view.rows)
    led: dict[str, list[str]] = {}  # role -> state of each leaf row it leads, in plan order
    for row in view.rows:
        if row.code in parents:
            continue
        members = resolver.members(resolver.resolve(row.text("lead")))
        if members:
            state = state_of(row.text("status"), deadline_of(row.raw.get("deadline")), as_of)
            for name in members:
                led.setdefault(name, []).append(state)
    out = []
    for entry in view.roster:
        role = entry.role
        counts = {s.label: 0 for s in fields.STATUSES}
        states = led.get(role.name, [])
        for state in states:
            counts[state] += 1
        out.append(OfficerStatus(role.name, role.person, len(states), counts))
    return out


OFFICER_TABLE_COLUMN = len(S.columns) + 2  # beside the score table, so --fix never clears it
# (a column per status, in declared order)
OFFICER_HEADER = ("Vai trò", "Cán bộ", "Số dòng chủ trì", *(s.label for s in fields.STATUSES))


def write_officer_table(ws, officers: list[OfficerStatus], as_of: dt.date,
                        now: dt.datetime) -> None:
    from ..files.styles import BORDER, Styler

    styler = Styler(ws.parent)
    c0 = OFFICER_TABLE_COLUMN
    for r in range(2, max(ws.max_row, 3) + 1):
        for c in range(c0, c0 + len(OFFICER_HEADER)):
            ws.cell(row=r, column=c).value = None
    ws.cell(row=2, column=c0, value=f"Tiến độ theo cán bộ (tính đến {as_of:%d/%m/%Y}, cập "
                                    f"nhật {now:%d/%m/%Y %H:%M})").font = font(bold=True)
    from openpyxl.styles import Alignment

    for i, label in enumerate(OFFICER_HEADER):
        cell = ws.cell(row=S.header_row, column=c0 + i, value=label)
        cell.font = font(bold=True)
        cell.fill = fill(layout.HEADER_FILL)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[S.header_row].height = 45
    for r, officer in enumerate(officers, start=S.first_row):
        values = [officer.role, officer.person, officer.rows,
                  *officer.counts.values()]
        for i, value in enumerate(values):
            cell = ws.cell(row=r, column=c0 + i, value=value)
            styler.set(cell, "font", font())
            styler.set(cell, "border", BORDER)
    from openpyxl.utils import get_column_letter

    for i, width in enumerate((24, 22, 11, 11, 11, 11, 10)):
        ws.column_dimensions[get_column_letter(c0 + i)].width = width


@dataclass
class ScoreRow:
    code: str
    title: str
    max_points: float
    appraised: float
    lost: float
    projected: float | None
    index: float
    projected_index: float | None
    rating: str
    projected_rating: str = ""


def read_scores(wb) -> list[ScoreRow]:
    """The summary sheet's score table, computed by the tool's evaluator."""
    from ..files.formula_eval import WorkbookEvaluator

    evaluator = WorkbookEvaluator(wb)
    ws = wb[S.name]
    out = []
    keys = S.keys
    for r in range(S.first_row, ws.max_row + 1):
        title = evaluator.value(S.name, f"{S.letter('title')}{r}")
        if title in (None, ""):
            break
        values = {k: evaluator.value(S.name, f"{S.letter(k)}{r}") for k in keys}
        out.append(ScoreRow(
            code=str(values.get("code") or ""), title=str(title),
            max_points=values.get("max_points") or 0, appraised=values.get("appraised") or 0,
            lost=values.get("lost") or 0, projected=values.get("projected"),
            index=values.get("index") or 0, projected_index=values.get("projected_index"),
            rating=str(values.get("rating") or ""),
            projected_rating=str(values.get("projected_rating") or "")))
    return out


@dataclass
class OverdueRow:
    """A row past its deadline and not done, with who leads it."""

    code: str
    title: str
    lead: str
    persons: str
    deadline: dt.date | None
    status: str
    progress: float | None


def overdue_rows(view: MasterView, as_of: dt.date) -> list[OverdueRow]:
    """Rows someone leads (not parents) whose deadline passed before `as_of`, not done."""
    from .reading import to_plan_row

    resolver = RoleResolver(view.roles())
    persons = {role.name: role.person or role.name for role in view.roles()}
    parents = codes_with_children(r.code for r in view.rows)
    out = []
    for sheet_row in view.rows:
        row = to_plan_row(sheet_row)
        if row.code in parents or not row.lead:
            continue
        if state_of(row.status, row.deadline, as_of) != layout.STATUS_OVERDUE:
            continue
        members = resolver.members(resolver.resolve(row.lead))
        out.append(OverdueRow(row.code, row.title, row.lead,
                              "; ".join(persons[m] for m in members), row.deadline,
                              row.status or layout.STATUS_NOT_STARTED, row.progress))
    return out

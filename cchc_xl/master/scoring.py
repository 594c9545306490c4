"""Where the commune stands: status colours with overdue rows, per-officer counts, the scores."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import fields, layout
from ..files.styles import fill, font
from ..plan.roster import RoleResolver
from ..plan.tree import codes_with_children
from .reading import MasterView

P = layout.PLAN
S = layout.SUMMARY


def state_of(status: str, deadline: dt.date | None, as_of: dt.date) -> str:
    """The status shown in colour: overdue when the deadline passed and it is not done."""
    status = status or layout.STATUS_NOT_STARTED
    if status != layout.STATUS_DONE and deadline is not None and deadline < as_of:
        return layout.STATUS_OVERDUE
    return status


def deadline_of(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def paint_status(ws, view: MasterView, as_of: dt.date) -> int:
    """Colour each actionable row's band by its state (overdue as of `as_of`); areas and
    parents keep their fill. Returns how many rows changed colour."""
    from ..files.styles import Styler

    parents = codes_with_children(r.code for r in view.rows)
    status_col = view.columns["status"]
    changed = 0
    styler = Styler(ws.parent)
    for row in view.rows:
        if row.code in parents or not row.text("lead"):
            continue
        state = state_of(row.text("status"), deadline_of(row.raw.get("deadline")), as_of)
        argb = fields.status_of(state).fill
        first = ws.cell(row=row.row, column=1)
        status = ws.cell(row=row.row, column=status_col)
        # overdue in words too, so a black-and-white page still says it (the value stays)
        status.number_format = (layout.OVERDUE_FORMAT if state == layout.STATUS_OVERDUE
                                else layout.STATUS_FORMAT)
        if first.fill.fill_type == "solid" and first.fill.fgColor.rgb == argb:
            continue
        changed += 1
        band = fill(argb)
        for c in range(1, len(P.columns) + 1):
            styler.set(ws.cell(row=row.row, column=c), "fill", band)
        styler.set(status, "font", font(bold=True))
    if view.total_row:  # (every run that paints lays the master out for print again)
        from ..files.styles import print_tables
        from .plan_print import lay_out_plan

        lay_out_plan(ws, [(r.row, r.code) for r in view.rows], view.total_row, view.columns)
        print_tables(ws.parent)
    return changed


def write_legend(ws, row: int) -> None:
    """The colour legend below the plan, visible in Excel and LibreOffice alike."""
    ws.cell(row=row, column=2, value=layout.LEGEND_LABEL).font = font(bold=True)
    for i, status in enumerate(fields.legend_statuses(), start=1):
        cell = ws.cell(row=row + i, column=2, value=status.legend_text)
        cell.fill = fill(status.fill)
        cell.font = font()


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

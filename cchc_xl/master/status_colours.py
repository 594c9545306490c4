"""Where each plan row stands (its status, overdue as of a date) and the colour that shows it
on the plan sheet, with the legend that says what each colour means."""

from __future__ import annotations

import datetime as dt

from .. import fields, layout
from ..files.styles import fill, font
from ..plan.tree import codes_with_children
from .reading import MasterView

P = layout.PLAN


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

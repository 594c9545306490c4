"""The summary sheet as of one date: the plan's status colours, the officers' table, the
dashboard and its charts, dated together so that they never disagree."""

from __future__ import annotations

import datetime as dt

from .. import layout
from .charts import chart_title
from .dashboard import present, write_dashboard
from .reading import MasterView
from .standing import officer_statuses, write_officer_table
from .status_colours import paint_status

P, S = layout.PLAN, layout.SUMMARY

# The date the plan's colours (overdue or not) and the summary's officer table are as of: one
# date for both, kept in a hidden defined name so that a command which changes a deadline
# paints again as of that same date.
AS_OF_NAME = "_cchc_as_of"


def stored_as_of(wb) -> dt.date | None:
    """The date the master's colours and summary are as of (None: never painted by a run
    that kept it)."""
    if AS_OF_NAME not in wb.defined_names:
        return None
    try:
        return dt.date.fromisoformat(wb.defined_names[AS_OF_NAME].attr_text.strip('"'))
    except ValueError:
        return None


def show_as_of(wb, view: MasterView, as_of: dt.date, now: dt.datetime, *,
               force: bool = False) -> int:
    """Colour the plan as of `as_of` and, when anything changed (or `force`, or the summary
    has no dashboard yet), date the summary's officer table and dashboard and the master the
    same: they never disagree. Returns how many
    rows changed colour, -1 when only the date changed."""
    from openpyxl.workbook.defined_name import DefinedName

    repainted = paint_status(wb[P.name], view, as_of)
    dated = stored_as_of(wb) == as_of
    if not (repainted or force or not dated or not present(wb[S.name])):
        return 0
    write_officer_table(wb[S.name], officer_statuses(view, as_of), as_of, now)
    write_dashboard(wb, view, as_of, now)
    wb.defined_names[AS_OF_NAME] = DefinedName(AS_OF_NAME, attr_text=f'"{as_of.isoformat()}"',
                                               hidden=True)
    return repainted or -1


def add_summary_charts(wb, view: MasterView, as_of: dt.date, now: dt.datetime) -> int:
    """Officer table, chart data, charts and dashboard on the summary, as of `as_of`; how many
    charts it holds."""
    # the officer table's date and the plan's colours: one date, the report's
    wb._cchc_recoloured = max(show_as_of(wb, view, as_of, now, force=True), 0)
    titles = (layout.CHART_LOST_TITLE, layout.CHART_STATUS_TITLE)
    return sum(chart_title(c) in titles for c in wb[S.name]._charts)

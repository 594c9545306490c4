"""The plan's deadlines, derived from its time frames so that an edited time frame moves them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import layout
from ..plan.timeframe import format_date, parse_timeframe
from ..text import parse_number
from .reading import MasterView, SheetRow

P = layout.PLAN
LOG_KIND = "Tính lại hạn"
# Why a row has the deadline it has (the second item derived_deadline returns).
FROM_TIMEFRAME = "timeframe"  # read from the time frame text
UNREADABLE = "unreadable"  # a time frame is written but no date can be read from it
TYPED = "typed"  # no time frame: the date typed into the deadline column is the source
NO_DEADLINE = "none"  # neither a time frame nor a date
# The sources whose deadline cell the tool keeps in step (the others are the office's own).
DERIVED = (FROM_TIMEFRAME, UNREADABLE)


@dataclass(frozen=True)
class DeadlineChange:
    """One deadline cell rewritten: the row's code and Excel row, what the cell held before
    (a date, None when empty, or a value that was no date, as it was), the new date (None: the
    cell was emptied, its time frame being unreadable) and the time frame it comes from."""

    code: str
    row: int
    old: object
    new: dt.date | None
    timeframe: str


def plan_year(view: MasterView) -> int | None:
    """The settings' «Năm thực hiện»: the year of a time frame that writes none ("Quý II")."""
    year = parse_number(view.settings.get("year"))
    return int(year) if year is not None and 1 <= year <= 9999 else None


def stored_deadline(row: SheetRow) -> dt.date | None:
    """The date in the row's deadline cell (master_read gives datetimes), None when the cell
    is empty or holds no date."""
    value = row.raw.get("deadline")
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def timeframe_text(row: SheetRow) -> str:
    """The time frame as the office wrote it (a date Excel made of "30/6/2021" as dd/mm/yyyy)."""
    value = row.raw.get("timeframe")
    return format_date(value) if isinstance(value, dt.date) else row.text("timeframe")


def derived_deadline(row: SheetRow, year: int | None) -> tuple[dt.date | None, str]:
    """The deadline the row should have and why: with a time frame, the date read from it
    (`year` for one that writes none), or None and UNREADABLE; without one, the date typed
    into the deadline column (TYPED); with neither (or a deadline that is no date), None and
    NO_DEADLINE."""
    raw = row.raw.get("timeframe")
    if timeframe_text(row):
        deadline = parse_timeframe(raw if isinstance(raw, dt.date) else row.text("timeframe"),
                                   year)
        return (deadline, FROM_TIMEFRAME) if deadline is not None else (None, UNREADABLE)
    typed = stored_deadline(row)
    return (typed, TYPED) if typed is not None else (None, NO_DEADLINE)


def refresh_deadlines(wb, view: MasterView) -> list[DeadlineChange]:
    """Set every plan row's deadline cell of `wb` to derived_deadline, with the settings' year.

    Only rows with a time frame are touched: a readable one puts its date (number format
    layout.DATE), an unreadable one empties the cell; a row without a time frame keeps what
    was typed. A cell is written only when its date differs (datetimes compared as dates),
    and nothing else in the workbook changes, so a second call returns []. `view` must be
    read from `wb` (master_read.read_master); its rows' raw["deadline"] are updated to what a
    new read would give, so what is computed from the same view afterwards (overdue rows) sees
    the new deadlines. Returns one DeadlineChange per cell written, in row order; nothing is
    saved or logged (log_changes does that).
    """
    if not {"timeframe", "deadline"} <= view.columns.keys():
        return []
    ws = wb[P.name]
    year = plan_year(view)
    changes = []
    for row in view.rows:
        new, source = derived_deadline(row, year)
        if source not in DERIVED:
            continue
        raw = row.raw.get("deadline")
        old = stored_deadline(row)
        blank = raw is None or (isinstance(raw, str) and not raw.strip())
        if (new is None and blank) or (new is not None and old == new):
            continue
        cell = ws.cell(row=row.row, column=view.columns["deadline"])
        cell.value = new
        if new is not None:
            cell.number_format = layout.DATE
        row.raw["deadline"] = dt.datetime.combine(new, dt.time()) if new else None
        changes.append(DeadlineChange(row.code, row.row, old if old is not None else (
            None if blank else raw), new, timeframe_text(row)))
    return changes


def log_entries(changes: list[DeadlineChange], now: dt.datetime, file: str = ""
                ) -> list[dict]:
    """Change-log entries (changelog.append_log) for deadline changes: kind «Tính lại hạn»,
    field the deadline column's label, old and new dates, the time frame as the note."""
    label = P.column("deadline").label
    return [{"when": now, "kind": LOG_KIND, "file": file, "officer": "cchc-xl",
             "code": c.code, "field": label, "old": c.old, "new": c.new, "note": c.timeframe,
             "field_key": "deadline"}
            for c in changes]


def log_changes(wb, changes: list[DeadlineChange], now: dt.datetime, file: str = "") -> int:
    """Append log_entries to the master's change log, their dates shown as dd/mm/yyyy (the
    log's value columns have no date format of their own). Returns how many were appended."""
    from .changelog import append_log

    count = append_log(wb, log_entries(changes, now, file))
    if not count:
        return 0
    ws = wb[layout.CHANGELOG.name]
    width = len(layout.CHANGELOG.columns)
    last = ws.max_row  # append_log writes just below the last row that holds anything
    while last > 1 and all(ws.cell(row=last, column=c).value is None
                           for c in range(1, width + 1)):
        last -= 1
    for r in range(last - count + 1, last + 1):
        for key in ("old", "new"):
            cell = ws.cell(row=r, column=layout.CHANGELOG.index(key))
            if isinstance(cell.value, dt.date):
                cell.number_format = layout.DATE
    return count

"""The master's record of the reminders drafted or sent («Nhắc việc đã gửi»), so that none
goes twice a day."""

from __future__ import annotations

import datetime as dt

from .. import layout
from ..text import clean_cell
from .reminder import DUE_SOON, NOT_RETURNED, OVERDUE, REJECTED, Reminder

T = layout.REMINDERS
# How a reason is written in the master's record (Vietnamese, as the sheet is).
RECORD_REASONS = {NOT_RETURNED: "Chưa gửi lại phiếu", OVERDUE: "{n} dòng quá hạn",
                  DUE_SOON: "{n} dòng sắp đến hạn", REJECTED: "{n} giá trị bị từ chối"}


def recorded_today(wb, day: dt.date) -> dict[tuple[str, str], set[str]]:
    """(role, digest) -> how (layout.REMINDER_SENT / _DRAFTED) of the reminders recorded on
    `day`."""
    from ..master.reading import read_table

    if T.name not in wb.sheetnames:
        return {}
    out: dict[tuple[str, str], set[str]] = {}
    for _, row in read_table(wb[T.name], T):
        when = row.get("sent_at")
        if isinstance(when, dt.datetime) and when.date() == day:
            key = (clean_cell(row.get("role")), clean_cell(row.get("digest")))
            out.setdefault(key, set()).add(clean_cell(row.get("how")))
    return out


def reminders_sheet(wb):
    """The record sheet, created after «Việc còn mở» when the master has none."""
    if T.name not in wb.sheetnames:
        from ..master.table_sheet import write_table_header

        names = wb.sheetnames
        index = names.index(layout.PENDING.name) + 1 if layout.PENDING.name in names else None
        write_table_header(wb.create_sheet(T.name, index), T)
    return wb[T.name]


def record(wb, reminder: Reminder, how: str, when: dt.datetime) -> None:
    """Append the reminder to the record sheet."""
    from ..files.cells import put
    from ..files.styles import BORDER, fit_rows, font, print_table, wrap
    from ..master.reading import find_header

    ws = reminders_sheet(wb)
    header, columns = find_header(ws, T.columns)
    columns = {key: columns.get(key, T.index(key)) for key in T.keys}
    row = ws.max_row + 1
    while row > (header or T.header_row) + 1 and all(
            ws.cell(row=row - 1, column=c).value in (None, "") for c in columns.values()):
        row -= 1
    reasons = [RECORD_REASONS[r].format(n=len(reminder.codes(r))) for r in reminder.reasons]
    values = {"sent_at": when, "how": how, "role": reminder.role, "person": reminder.person,
              "email": reminder.email, "round": reminder.round, "reasons": "; ".join(reasons),
              "codes": "; ".join(row.code for row in reminder.rows),
              "attachment": reminder.attachment.name if reminder.attachment else None,
              "digest": reminder.digest}
    for col in T.columns:
        cell = ws.cell(row=row, column=columns[col.key])
        cell.font, cell.border, cell.alignment = font(), BORDER, wrap(None, col.wrap)
        if col.number_format:
            cell.number_format = col.number_format
        put(cell, values[col.key])
    fit_rows(ws, [row], T.columns)
    print_table(ws, T)  # (printed down to the reminder just recorded)

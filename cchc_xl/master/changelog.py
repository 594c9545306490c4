"""The master's change log sheet: every change the tool makes, appended, never rewritten."""

from __future__ import annotations

from .. import layout
from ..files.cells import put
from ..files.styles import Styler, fit_rows, font, print_table, wrap

L = layout.CHANGELOG


def append_log(wb, entries: list[dict]) -> int:
    """Append entries (dicts keyed like the log's columns) below the last used row."""
    if not entries:
        return 0
    ws = wb[L.name] if L.name in wb.sheetnames else wb.create_sheet(L.name)
    row = ws.max_row + 1
    while row > L.first_row and all(
            ws.cell(row=row - 1, column=c).value is None for c in range(1, len(L.columns) + 1)):
        row -= 1
    styler = Styler(wb)
    first = row
    for entry in entries:
        for i, col in enumerate(L.columns, start=1):
            value = entry.get(col.key)
            cell = put(ws.cell(row=row, column=i), value)
            styler.set(cell, "font", font())
            # wrapped at the column's width, as tall as fit_rows makes the row: nothing cut
            styler.set(cell, "alignment", wrap(None, col.wrap))
            if col.number_format:
                cell.number_format = col.number_format
        row += 1
    fit_rows(ws, range(first, row), L.columns)  # (a row as tall as its text, on paper too)
    print_table(ws, L)
    return len(entries)

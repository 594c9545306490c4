"""A table sheet of the master rewritten whole (officers' reports, open matters): found or
created with its header, its rows replaced by new ones in the table's styles."""

from __future__ import annotations

from .. import layout
from ..files.cells import put


def write_table_header(ws, table: layout.TableSheet) -> None:
    """An empty log-like sheet: its header row, frozen and repeated on print."""
    from ..files.styles import print_table, style_header

    style_header(ws, table.header_row, table.columns)
    ws.freeze_panes = table.freeze
    print_table(ws, table)


def table_sheet(wb, table: layout.TableSheet):
    """The sheet of a table, created with its header row when the master has none."""
    if table.name not in wb.sheetnames:
        write_table_header(wb.create_sheet(table.name), table)
    return wb[table.name]


def rewrite_rows(wb, table: layout.TableSheet, rows: list[dict], *, styled: bool = True):
    """Every row below the header replaced by `rows` ({column key: value} each); text stays
    text (cells.put). Returns the sheet."""
    from ..files.styles import BORDER, Styler, fit_rows, font, print_table, wrap

    ws = table_sheet(wb, table)
    if ws.max_row > table.header_row:
        ws.delete_rows(table.first_row, ws.max_row - table.header_row)
    styler = Styler(wb)
    normal = font()
    for r, values in enumerate(rows, start=table.first_row):
        for c, col in enumerate(table.columns, start=1):
            cell = put(ws.cell(row=r, column=c), values.get(col.key))
            if not styled:
                continue
            styler.set(cell, "font", normal)
            styler.set(cell, "border", BORDER)
            styler.set(cell, "alignment", wrap(None, col.wrap))
            if col.number_format:
                cell.number_format = col.number_format
    if styled:
        fit_rows(ws, range(table.first_row, table.first_row + len(rows)), table.columns)
    print_table(ws, table)
    return ws

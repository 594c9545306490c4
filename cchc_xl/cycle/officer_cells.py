"""Cells of an officer workbook written with XlsxWriter: each format built once, text always
text, merged headings, the header row, and the page marks of Nghị định 30/2020."""

from __future__ import annotations

import datetime as dt

from .. import layout
from ..files.cells import FORMULA_STARTS

# Nghị định 30/2020: left 30 mm, right 15 mm, top and bottom 20 mm, header 8 mm (in inches).
MARGINS = {"left": 30 / 25.4, "right": 15 / 25.4, "top": 20 / 25.4, "bottom": 20 / 25.4}
HEADER_MARGIN = 8 / 25.4
BORDER_GREY = "#808080"


class Styles:
    """An XlsxWriter workbook's formats, each built once (a format is a workbook's own object)."""

    def __init__(self, book):
        self.book = book
        self._cache: dict = {}
        self.rows: dict = {}  # (column, part, as_text) -> (properties, format) of a row cell

    def get(self, **props):
        key = tuple(sorted(props.items()))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self._cache[key] = self.book.add_format(
                {k: color(v) if k.endswith("color") else v for k, v in props.items()})
        return fmt


_COLORS: dict = {}


def color(value: str):
    """XlsxWriter's Color of '#RRGGBB', parsed once per process (formats accept a Color)."""
    parsed = _COLORS.get(value)
    if parsed is None:
        from xlsxwriter.color import Color

        parsed = _COLORS[value] = Color(value)
    return parsed


def write_value(ws, r: int, c: int, value: object, fmt, styles: Styles | None = None,
                props: dict | None = None) -> None:
    """One value with its type kept: text is always text (a leading = + - @ is shown literally,
    with Excel's quote prefix as openpyxl's cells.put does), never a formula or a link."""
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, (dt.datetime, dt.date, dt.time)):
        ws.write_datetime(r, c, value, fmt)
    else:
        text = str(value)
        if text.startswith(FORMULA_STARTS) and styles is not None:
            fmt = styles.get(**(props or {}), quote_prefix=True)
        ws.write_string(r, c, text, fmt)


def write_merged(ws, r: int, c1: int, c2: int, value: object, styles: Styles,
                 props: dict) -> None:
    fmt = styles.get(**props)
    ws.merge_cells(r, c1, c2)
    write_value(ws, r, c1, value, fmt, styles, props)


def write_header(ws, styles: Styles, table: layout.TableSheet, height: float) -> None:
    fmt = styles.get(bold=True, bg_color=rgb(layout.HEADER_FILL), pattern=1, border=1,
                     border_color=BORDER_GREY, align="center", valign="vcenter",
                     text_wrap=True)
    r = table.header_row - 1
    for c, col in enumerate(table.columns):
        ws.write_string(r, c, col.label, fmt)
        ws.set_column(c, c, col.width)
    ws.set_row(r, height)


def rgb(argb: str) -> str:
    return "#" + argb[-6:]


def page_marks(ws) -> None:
    """NĐ 30 margins, the page number on top and «sheet – Trang n/N» at the foot: every sheet
    of the officer's workbook."""
    from ..files.page import FOOTER, FOOTER_PT

    ws.set_margins(**MARGINS)
    ws.set_header(f'&C&"{layout.FONT_NAME}"&P', {"margin": HEADER_MARGIN})
    ws.set_footer(f'&C&"{layout.FONT_NAME}"&{FOOTER_PT}{FOOTER}', {"margin": HEADER_MARGIN})

"""The printed page, without a spreadsheet library: A4, the margins of Nghị định 30/2020, how
wide a column prints and how tall a row of wrapped text is (the officer workbooks' writer uses
it too, without importing openpyxl in its workers)."""

from __future__ import annotations

from functools import lru_cache

from .. import layout

# The page of every printed sheet: A4, the margins of Nghị định 30/2020 (left 30 mm, right 15 mm,
# top and bottom 20 mm), the page number centred in the top margin, the sheet's name and
# "Trang n/N" in the bottom one (a loose page of a printout says where it belongs).
A4_MM = (297, 210)
MARGINS_MM = {"left": 30, "right": 15, "top": 20, "bottom": 20, "header": 8, "footer": 8}
PAGE_NUMBER = "&P"
FOOTER = "&A – Trang &P/&N"
FOOTER_PT = layout.FONT_SIZE  # (scaled with the sheet, as LibreOffice prints it)
# 11 pt text printed at no less than this scale stays legible (≥ 7.9 pt): a sheet's printed
# columns are declared narrow enough that fitting them to the page's width keeps it.
MIN_SCALE = 72


def text_area_pt(landscape: bool = True) -> tuple[float, float]:
    """Width and height (points) inside the margins of an A4 page."""
    width, height = A4_MM if landscape else A4_MM[::-1]
    m = MARGINS_MM
    return ((width - m["left"] - m["right"]) * 72 / 25.4,
            (height - m["top"] - m["bottom"]) * 72 / 25.4)


def column_points(width: float) -> float:
    """Printed width (points) of a column `width` characters wide, the wider of Excel's
    (7 pixels a character of Times New Roman 11, 5 of padding, at 96 an inch: 5.25 w + 3.75)
    and LibreOffice's (measured: 5.5 points a character, and XlsxWriter's padding)."""
    return width * 5.5 + 4


def fitted_scale(widths, landscape: bool = True) -> int:
    """The percentage at which columns of these widths fill the text width of the page."""
    total = sum(column_points(w) for w in widths)
    return min(100, int(text_area_pt(landscape)[0] / total * 100)) if total else 100


def wrapped_height(values: list, widths: list, minimum: float = 15.0) -> float:
    """The height of a row of these values that shows all their text, wrapped at words in
    columns of these widths (None: a column that does not wrap); formulas are not text."""
    lines = 1
    for value, width in zip(values, widths):
        if width is None or not isinstance(value, str) or value.startswith("="):
            continue
        lines = max(lines, wrapped_lines(value, max(1, int(width * CHARS_PER_WIDTH))))
    return max(minimum, LINE_POINTS * lines)


# Times New Roman 11: a unit of column width (a digit) holds about 1.1 characters of
# Vietnamese text once words wrap, and a line is 15 points high (with the cell's padding).
CHARS_PER_WIDTH = 1.1
LINE_POINTS = 15.0


@lru_cache(maxsize=8192)
def header_height(columns, minimum: float = 45.0) -> float:
    """A header row as tall as its longest wrapped label, bold (a line more than plain text)."""
    return wrapped_height([c.label for c in columns], [c.width for c in columns],
                          minimum) + LINE_POINTS


def wrapped_lines(text: str, width: int) -> int:
    """Lines a text takes wrapped at words into `width` characters (a long word is broken)."""
    import textwrap

    return sum(len(textwrap.wrap(part, width, break_long_words=True)) or 1
               for part in text.split("\n"))

"""Cell styles and print setup shared by every workbook the tool writes (Times New Roman)."""

from __future__ import annotations

from functools import lru_cache

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.worksheet import Worksheet

from . import layout

THIN = Side(style="thin", color="FF808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


# Style objects are values (openpyxl stores each distinct one once in the workbook): built once
# per distinct argument list and shared, never changed after.
@lru_cache(maxsize=256)
def font(bold: bool = False, italic: bool = False, size: float = layout.FONT_SIZE,
         color: str | None = None) -> Font:
    return Font(name=layout.FONT_NAME, size=size, bold=bold, italic=italic, color=color)


@lru_cache(maxsize=256)
def fill(argb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=argb, end_color=argb)


@lru_cache(maxsize=64)
def wrap(horizontal: str | None = None, wrap_text: bool = True) -> Alignment:
    return Alignment(horizontal=horizontal, vertical="top", wrap_text=wrap_text)


class Styler:
    """Sets cells' font, fill, border or alignment to shared style objects (those above), for
    many cells at once. `cell.font = f` makes openpyxl hash f into the workbook's list of
    fonts on every assignment, walking all its fields (≈ 20 µs); a province's consolidation
    sets hundreds of thousands. Here each object is added to its list once per Styler and a
    cell gets its index: what openpyxl's own assignment leaves in the cell, exactly."""

    _SLOTS = {"font": ("_fonts", "fontId"), "fill": ("_fills", "fillId"),
              "border": ("_borders", "borderId"), "alignment": ("_alignments", "alignmentId")}

    def __init__(self, wb):
        self.wb = wb
        self._ids: dict[tuple[str, int], tuple[int, str, object]] = {}

    def set(self, cell, kind: str, value) -> None:
        got = self._ids.get((kind, id(value)))
        if got is None:
            collection, field = self._SLOTS[kind]
            # (the object is held here, so its id cannot be reused while this Styler lives)
            got = self._ids[(kind, id(value))] = (
                getattr(self.wb, collection).add(value), field, value)
        style = cell._style
        if not style:  # (a new cell has none yet: as openpyxl's assignment does)
            style = cell._style = StyleArray()
        setattr(style, got[1], got[0])


def use_times_new_roman(wb) -> None:
    """Make Times New Roman the workbook's default font, so empty cells print in it too."""
    base = font()
    wb._fonts[0] = base  # the default font every unstyled cell points at
    for style in wb._named_styles:
        if style.name == "Normal":
            style.font = base


def style_header(ws: Worksheet, row: int, columns) -> None:
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=i, value=col.label)
        cell.font = font(bold=True)
        cell.fill = fill(layout.HEADER_FILL)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = col.width


def print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    """A4 landscape, fitted to the page width, header rows repeated, page number on top."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    # Nghị định 30/2020: left 30 mm, right 15 mm, top and bottom 20 mm (values in inches).
    ws.page_margins.left = 30 / 25.4
    ws.page_margins.right = 15 / 25.4
    ws.page_margins.top = 20 / 25.4
    ws.page_margins.bottom = 20 / 25.4
    ws.page_margins.header = 8 / 25.4
    ws.oddHeader.center.text = "&P"
    ws.oddHeader.center.font = layout.FONT_NAME


def fit_row_height(ws: Worksheet, row: int, columns, minimum: float = 15.0) -> None:
    """Row height that shows all wrapped text (openpyxl cannot autofit, LibreOffice keeps it)."""
    ws.row_dimensions[row].height = wrapped_height(
        [ws.cell(row=row, column=i).value for i in range(1, len(columns) + 1)],
        [col.width if col.wrap else None for col in columns], minimum)


def wrapped_height(values: list, widths: list, minimum: float = 15.0) -> float:
    """The height of a row of these values that shows all their text, wrapped in columns of
    these widths (None: a column that does not wrap); formulas are not text."""
    lines = 1
    for value, width in zip(values, widths):
        if width is None or not isinstance(value, str) or value.startswith("="):
            continue
        per_line = max(1.0, width * 1.0)
        count = sum(max(1, -(-len(part) // int(per_line))) for part in value.split("\n"))
        lines = max(lines, count)
    return max(minimum, 15.0 * lines)

"""Cell styles and print setup shared by every workbook the tool writes (Times New Roman)."""

from __future__ import annotations

from functools import lru_cache

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.worksheet import Worksheet

from .. import layout
from .page import (  # noqa: F401 (the printed page, used by the master's writers from here)
    A4_MM,
    FOOTER,
    FOOTER_PT,
    MARGINS_MM,
    MIN_SCALE,
    PAGE_NUMBER,
    column_points,
    fitted_scale,
    text_area_pt,
    wrapped_height,
    wrapped_lines,
)

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


def column_width(ws: Worksheet, column: int, default: float) -> float | None:
    """A column's width as the sheet holds it (a dimension may span several columns), None
    when it is hidden; never adds a dimension to the sheet (reading one through
    `column_dimensions[letter]` would)."""
    for dimension in ws.column_dimensions.values():
        low, high = dimension.min or 0, dimension.max or 0
        if low <= column <= high:
            if dimension.hidden:
                return None
            return dimension.width or default
    return default


def print_setup(ws: Worksheet, title_rows: str | None = None, *, title_cols: str | None = None,
                scale: int | None = None, landscape: bool = True,
                area: str | None = None) -> None:
    """A4 (landscape unless told), fitted to the page width (or printed at `scale` %, where the
    sheet's own page breaks decide the pages), header rows (and columns) repeated, the page
    number on top and the sheet's name with "Trang n/N" at the foot."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = (ws.ORIENTATION_LANDSCAPE if landscape
                                 else ws.ORIENTATION_PORTRAIT)
    if scale is None:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:  # (Excel ignores manual page breaks on a sheet fitted to pages)
        ws.page_setup.scale = scale
        ws.sheet_properties.pageSetUpPr.fitToPage = False
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    if area:
        ws.print_area = area
    for side, mm in MARGINS_MM.items():
        setattr(ws.page_margins, side, mm / 25.4)  # (inches)
    ws.oddHeader.center.text = PAGE_NUMBER
    ws.oddHeader.center.font = layout.FONT_NAME
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = layout.FONT_NAME
    ws.oddFooter.center.size = FOOTER_PT


def print_table(ws: Worksheet, table: layout.TableSheet) -> None:
    """A table sheet's print: its header row repeated, the columns a reader needs (the
    declared ones up to the last printed; a machine column among them hidden) down to its
    last row, fitted to the page's width. Every writer of the sheet calls it again. A hidden
    sheet is left unprinted (LibreOffice prints a hidden sheet's print area)."""
    from openpyxl.utils import get_column_letter

    header = [ws.cell(row=table.header_row, column=i).value
              for i in range(1, len(table.columns) + 1)]
    if table.name in layout.HIDDEN_SHEETS or header != [col.label for col in table.columns]:
        return  # (a sheet whose header the office rearranged is left as it prints)
    printed = [i for i, col in enumerate(table.columns, start=1) if col.printed]
    last = max(printed)
    for i, col in enumerate(table.columns[:last], start=1):
        if not col.printed:
            ws.column_dimensions[get_column_letter(i)].hidden = True
    print_setup(ws, f"{table.header_row}:{table.header_row}",
                area=f"A1:{get_column_letter(last)}{max(ws.max_row, table.header_row)}")


def print_tables(wb) -> None:
    """The print of the master's table sheets (layout.PRINTED_TABLES) set again, so a master
    built before prints them as a new one does."""
    for table in layout.PRINTED_TABLES:
        if table.name in wb.sheetnames:
            print_table(wb[table.name], table)


def printed_widths(table: layout.TableSheet) -> list[float]:
    """The widths of the columns a table sheet prints."""
    printed = [i for i, col in enumerate(table.columns) if col.printed]
    return [col.width for col in table.columns[:max(printed) + 1] if col.printed]


def fit_rows(ws: Worksheet, rows, columns, minimum: float = 15.0) -> None:
    """Each of these rows as tall as its wrapped text (openpyxl cannot autofit; Excel keeps
    the height it is given and LibreOffice too)."""
    widths = [col.width if col.wrap else None for col in columns]
    for r in rows:
        ws.row_dimensions[r].height = wrapped_height(
            [ws.cell(row=r, column=i).value for i in range(1, len(columns) + 1)], widths,
            minimum)

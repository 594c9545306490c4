"""The plan sheet on paper: two bands of columns, rows tall enough, no page ending on a heading.

All twenty columns side by side would print at a third of their size. The plan prints in two
bands instead, each legible: the document's columns (code to note), then the code again with
the tracking columns (deadline to the supporters' notes), the two pages of a band of rows one
after the other. The pages are broken by the tool (a printed scale, not "fit to page", so that
Excel and LibreOffice keep those breaks): a page never ends on an area's heading row, and the
colour legend stays whole."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, ColBreak, RowBreak

from .. import fields, layout
from ..files.styles import column_width, fitted_scale, print_setup, text_area_pt, wrapped_height
from ..plan.tree import codes_with_children, level

P = layout.PLAN


def bands() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Column keys of the two printed bands (the code repeats at the left of the second)."""
    split = P.index(layout.PLAN_PRINT_BREAK_AFTER)
    return P.keys[:split], P.keys[split:]


DOCUMENT_BAND, TRACKING_BAND = bands()  # (as the fields are declared at import)
# Heights the tool cannot know exactly (a font's metrics differ a little between Excel and
# LibreOffice): pages are filled to this share of their height only.
PAGE_FILL = 0.92
TITLE_ROW_POINTS = 36.0
DEFAULT_WIDTH = 8.43  # Excel's width of a column the sheet gives none


def legend_rows() -> int:
    """The legend's title and a line per status, from two rows below the total."""
    return 1 + len(fields.STATUSES)


def plan_scale(ws=None, columns: dict[str, int] | None = None) -> int:
    """The printed scale (%) at which the wider band fits the page's width: with the sheet's
    own column widths when given (a master built before, or widened by the office), else the
    declared ones."""
    def width(key: str) -> float:
        if ws is None or not columns or key not in columns:
            return P.column(key).width
        return column_width(ws, columns[key], P.column(key).width) or 0

    document, tracking = bands()
    first = [width(k) for k in document]
    second = [width(k) for k in (*layout.PLAN_PRINT_TITLE_COLUMNS, *tracking)]
    return max(10, min(fitted_scale(first), fitted_scale(second)) - 1)


def fit_plan_rows(ws, rows: list[int]) -> None:
    """Each plan row as tall as its longest wrapped text, over every column with a header
    (the office's reports grow after the plan was built)."""
    widths = []
    for c in range(1, ws.max_column + 1):
        if ws.cell(row=P.header_row, column=c).value in (None, ""):
            widths.append(None)
            continue
        width = column_width(ws, c, DEFAULT_WIDTH)
        alignment = ws.cell(row=P.header_row + 1, column=c).alignment
        wraps = bool(alignment is not None and alignment.wrap_text)
        widths.append(width if width and wraps else None)
    for r in rows:
        values = [ws.cell(row=r, column=c).value for c in range(1, len(widths) + 1)]
        ws.row_dimensions[r].height = wrapped_height(values, widths)


def lay_out_plan(ws, rows: list[tuple[int, str]], total_row: int,
                 columns: dict[str, int] | None = None) -> None:
    """Print setup of the plan sheet whose plan rows are `rows` ((sheet row, code) each) above
    `total_row`; `columns`: where each key's column is (the declared places by default)."""
    columns = columns or {k: P.index(k) for k in P.keys}
    fit_plan_rows(ws, [r for r, _ in rows])
    scale = plan_scale(ws, columns)
    last_column = max(columns.get(k, 0) for k in P.keys)
    legend_end = total_row + 1 + legend_rows()
    code = get_column_letter(columns.get("code", 1))
    print_setup(ws, f"{P.header_row}:{P.header_row}", title_cols=f"{code}:{code}", scale=scale,
                area=f"A1:{get_column_letter(last_column)}{legend_end}")
    ws.page_setup.pageOrder = "overThenDown"  # a band of rows: its plan, then its progress
    ws.col_breaks = ColBreak()
    ws.col_breaks.append(Break(id=columns.get(layout.PLAN_PRINT_BREAK_AFTER,
                                              P.index(layout.PLAN_PRINT_BREAK_AFTER)),
                               max=1048575))
    ws.row_breaks = RowBreak()
    for after in page_breaks(ws, rows, total_row, scale):
        ws.row_breaks.append(Break(id=after))


def _height(ws, r: int) -> float:
    return ws.row_dimensions[r].height or 15.0


def page_breaks(ws, rows: list[tuple[int, str]], total_row: int, scale: int) -> list[int]:
    """The rows after which a page ends: each page filled with whole rows, a page that would
    end on a heading (an area, a criterion over its sub-criteria) ended before it instead,
    the legend kept on one page."""
    room = text_area_pt()[1] * 100 / scale * PAGE_FILL
    header = _height(ws, P.header_row)
    # headings: areas, and criteria whose sub-criteria follow them (3.2 over 3.2.1, 3.2.3)
    parents = codes_with_children(code for _, code in rows if code)
    areas = {r for r, code in rows if code and (level(code) == 1 or code in parents)}
    # units that must not be split: each row, the legend block (with the gap above it)
    units = [[r] for r, _ in rows] + [[total_row]]
    units.append(list(range(total_row + 1, total_row + 2 + legend_rows())))
    breaks: list[int] = []
    used = sum(_height(ws, r) for r in range(1, P.header_row)) or TITLE_ROW_POINTS
    used += header
    page: list[list[int]] = []
    for unit in units:
        height = sum(_height(ws, r) for r in unit)
        if page and used + height > room:
            # an area's heading (or several in a row) goes on with the rows it heads
            moved = []
            while len(page) > 1 and page[-1][0] in areas:
                moved.insert(0, page.pop())
            breaks.append(page[-1][-1])
            page = moved
            used = header + sum(_height(ws, r) for u in moved for r in u)
        page.append(unit)
        used += height
    return breaks

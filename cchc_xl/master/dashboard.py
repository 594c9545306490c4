"""The chairman's one-page dashboard on the summary sheet, with the sheet's charts: the whole
index now and projected with their ratings (live formulas), rows by state and the officers who
are late as of the run's date (values of that day), a chart, then the score table again for
the printed pages after it.

It stands to the right of the score table, the officer table and the chart data, and is the
sheet's whole print area: page 1 is the dashboard, the score table follows with its header
repeated. (A second print range would not do: openpyxl stores ranges sorted by column, so the
score table in column A would always print first.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from .. import fields, layout
from ..plan.tree import codes_with_children
from .charts import ChartTable
from .reading import MasterView
from .standing import OFFICER_HEADER, OFFICER_TABLE_COLUMN, OfficerStatus, ScoreRow
from .status_colours import state_of

P, S = layout.PLAN, layout.SUMMARY
# The chart data's first column: one blank column after the officer table, so neither
# write_summary_rows (the score table's columns) nor write_officer_table ever clears it.
CHART_DATA_COLUMN = OFFICER_TABLE_COLUMN + len(OFFICER_HEADER) + 1
# The dashboard's first column, one blank column after the chart data; as many columns as the
# score table, whose copy it prints after the dashboard.
DASHBOARD_COLUMN = CHART_DATA_COLUMN + len(layout.CHART_DATA_HEADER) + 1
CM_PER_WIDTH = 0.19  # one unit of column width, in cm (7 px at 96 dpi)
CHART_HEIGHT_CM = 9.5
GAP_CM = 0.4  # between the late officers' lines and their chart
LOST_HEIGHT_CM = 9.0  # the areas' chart, with the officers' table under it
LATE_ROW_PT, FIGURE_ROW_PT, LABEL_ROW_PT = 32, 36, 34


# --- what the dashboard says -----------------------------------------------------------------

def state_counts(view: MasterView, as_of: dt.date) -> dict[str, int]:
    """How many plan rows with a lead are in each state (overdue as of `as_of`), each row
    once, as the plan sheet colours them."""
    parents = codes_with_children(r.code for r in view.rows)
    counts = {s.key: 0 for s in fields.STATUSES}
    for row in view.rows:
        if row.code in parents or not row.text("lead"):
            continue
        counts[fields.status_of(state_of(row.text("status"), _deadline(row), as_of)).key] += 1
    return counts


def _deadline(row) -> dt.date | None:
    from .status_colours import deadline_of

    return deadline_of(row.raw.get("deadline"))


@dataclass
class LateOfficer:
    """An officer who has not returned the latest workbook, or leads rows now overdue."""

    role: str
    person: str
    not_returned: str = ""  # the round not returned
    overdue: list[str] = field(default_factory=list)  # codes of the overdue rows led

    def text(self) -> str:
        parts = []
        if self.not_returned:
            parts.append(layout.DASHBOARD_LATE_NOT_RETURNED.format(round=self.not_returned))
        if self.overdue:
            parts.append(layout.DASHBOARD_LATE_OVERDUE.format(n=len(self.overdue),
                                                              codes=", ".join(self.overdue)))
        who = f"{self.role} ({self.person})" if self.person else self.role
        return f"{who}: {'; '.join(parts)}."


def late_officers(view: MasterView, as_of: dt.date, pending) -> list[LateOfficer]:
    """In roster order: who has not returned (from «Việc còn mở») or leads overdue rows."""
    from ..plan.roster import RoleResolver

    resolver = RoleResolver(view.roles())
    parents = codes_with_children(r.code for r in view.rows)
    overdue: dict[str, list[str]] = {}
    for row in view.rows:
        if row.code in parents or not row.text("lead"):
            continue
        if state_of(row.text("status"), _deadline(row), as_of) == layout.STATUS_OVERDUE:
            for name in resolver.members(resolver.resolve(row.text("lead"))):
                overdue.setdefault(name, []).append(row.code)
    missing = {m.role: m.round for m in pending if m.kind == layout.PENDING_NOT_RETURNED}
    out = []
    for entry in view.roster:
        role = entry.role
        if role.name in missing or role.name in overdue:
            out.append(LateOfficer(role.name, role.person, missing.get(role.name, ""),
                                   overdue.get(role.name, [])))
    return out


# --- the charts ---------------------------------------------------------------------------

def chart_tables(scores: list[ScoreRow], officers: list[OfficerStatus]) -> list[ChartTable]:
    """The two charts' figures: points lost and recovered by area, rows by state per officer."""
    areas = [s for s in scores if s.code]
    lost = ChartTable(
        layout.CHART_LOST_TITLE, [f"{s.code}. {s.title}" for s in areas],
        [(layout.CHART_LOST_SERIES[0], [_points(s.lost) for s in areas]),
         (layout.CHART_LOST_SERIES[1],
          [_points(_recovered(s)) for s in areas])],
        layout.CHART_LOST_COLOURS)
    status = ChartTable(
        layout.CHART_STATUS_TITLE, [o.role for o in officers],
        [(s.label, [o.counts[s.label] for o in officers]) for s in fields.STATUSES],
        tuple(s.chart for s in fields.STATUSES), stacked=True, number_format="0")
    return [lost, status]


def _points(value: float) -> float:
    return round(value or 0, 6)


def _recovered(score: ScoreRow) -> float:
    return (score.projected if score.projected is not None else score.appraised) - score.appraised


def _charts(ws, scores: list[ScoreRow], officers: list[OfficerStatus], lost_anchor: str,
            status_anchor: str, status_width_cm: float) -> None:
    """The officers' chart on the dashboard, the lost-points chart on the page after it."""
    from openpyxl.chart import Reference

    from .charts import bar_chart, replace_charts

    area_rows = [S.first_row + i for i, s in enumerate(scores) if s.code]
    _write_chart_data(ws, area_rows)
    lost_table, status_table = chart_tables(scores, officers)
    charts = []
    if area_rows:
        c0, last = CHART_DATA_COLUMN, area_rows[-1]
        chart = bar_chart(lost_table, Reference(ws, min_col=c0, min_row=S.first_row,
                                                max_row=last),
                          Reference(ws, min_col=c0 + 1, max_col=c0 + 2, min_row=S.header_row,
                                    max_row=last))
        chart.height = LOST_HEIGHT_CM
        charts.append((chart, lost_anchor))
    if officers:
        c0, last = OFFICER_TABLE_COLUMN, S.first_row + len(officers) - 1
        first_state = c0 + OFFICER_HEADER.index(layout.STATUSES[0])
        chart = bar_chart(status_table, Reference(ws, min_col=c0, min_row=S.first_row,
                                                  max_row=last),
                          Reference(ws, min_col=first_state, max_col=first_state + 3,
                                    min_row=S.header_row, max_row=last))
        chart.width, chart.height = status_width_cm - GAP_CM, CHART_HEIGHT_CM
        charts.append((chart, _gap_after(status_anchor, chart)))
    replace_charts(ws, charts)


def _gap_after(anchor: str, chart):
    """The chart at a cell, moved right by GAP_CM: apart from the text on its left."""
    from openpyxl.drawing.spreadsheet_drawing import OneCellAnchor
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.utils.units import cm_to_EMU

    row, col = coordinate_to_tuple(anchor)
    placed = OneCellAnchor()
    placed._from.row, placed._from.col = row - 1, col - 1
    placed._from.colOff = cm_to_EMU(GAP_CM)
    placed.ext.width, placed.ext.height = cm_to_EMU(chart.width), cm_to_EMU(chart.height)
    return placed


def _write_chart_data(ws, area_rows: list[int]) -> None:
    """Live formulas beside the officer table: each area's label, points lost, recovered."""
    from openpyxl.utils import get_column_letter

    from ..files.styles import BORDER, fill, font

    c0 = CHART_DATA_COLUMN
    letter = {key: S.letter(key) for key in ("code", "title", "lost", "appraised",
                                             "projected")}
    for r in range(2, max(ws.max_row, S.header_row) + 1):
        for c in range(c0, c0 + len(layout.CHART_DATA_HEADER)):
            ws.cell(row=r, column=c).value = None
    ws.cell(row=2, column=c0, value=layout.CHART_DATA_TITLE).font = font(bold=True)
    for i, label in enumerate(layout.CHART_DATA_HEADER):
        cell = ws.cell(row=S.header_row, column=c0 + i, value=label)
        cell.font, cell.fill, cell.border = font(bold=True), fill(layout.HEADER_FILL), BORDER
    for r in area_rows:
        formulas = (f'={letter["code"]}{r}&". "&{letter["title"]}{r}', f"={letter['lost']}{r}",
                    f"={letter['projected']}{r}-{letter['appraised']}{r}")
        for i, formula in enumerate(formulas):
            cell = ws.cell(row=r, column=c0 + i, value=formula)
            cell.font, cell.border = font(), BORDER
            if i:
                cell.number_format = layout.POINTS
    for i, width in enumerate((40, 12, 14)):
        ws.column_dimensions[get_column_letter(c0 + i)].width = width


# --- the dashboard ---------------------------------------------------------------------------

def columns() -> range:
    """The dashboard's columns (1-based)."""
    return range(DASHBOARD_COLUMN, DASHBOARD_COLUMN + len(S.columns))


def tiles() -> list[tuple[int, int]]:
    """(first, last) column of each of the five figures across the dashboard: a wide first
    one, then pairs, the last one to the dashboard's end."""
    c0, n = DASHBOARD_COLUMN, len(S.columns)
    spans = [(c0, c0 + 1), (c0 + 2, c0 + 3), (c0 + 4, c0 + 5), (c0 + 6, c0 + 7)]
    return [*spans, (c0 + 8, c0 + n - 1)]


def present(ws) -> bool:
    """Whether the summary sheet prints a dashboard of this layout over its score table as
    it stands (areas added or removed move the whole index's row: written again then)."""
    from openpyxl.utils import get_column_letter

    area = ws.print_area or ""
    if f"!${get_column_letter(DASHBOARD_COLUMN)}$" not in area.split(",")[0]:
        return False
    title = S.index("title")
    whole = next((r for r in range(S.first_row, ws.max_row + 1)
                  if ws.cell(row=r, column=title).value == layout.SUMMARY_WHOLE_LABEL), None)
    heading = ws.cell(row=whole + 3, column=DASHBOARD_COLUMN).value if whole else None
    return isinstance(heading, str) and heading.startswith(
        layout.DASHBOARD_TITLE.split("{")[0])


def write_dashboard(wb, view: MasterView, as_of: dt.date, now: dt.datetime) -> int:
    """Write the dashboard as of `as_of` (and the charts); returns its first row."""
    from .pending import read_pending
    from .standing import officer_statuses, read_scores

    ws = wb[S.name]
    scores = read_scores(wb)
    officers = officer_statuses(view, as_of)
    whole = S.first_row + len(scores) - 1
    top = whole + 3
    _clear(ws)
    _widths(ws)
    row = _heading(ws, top, view.settings, as_of, now)
    row = _figures(ws, row, whole)
    late = late_officers(view, as_of, read_pending(wb))
    row = _states(ws, row, state_counts(view, as_of), len(late))
    chart_row, row = _late(ws, row, late)
    from openpyxl.utils import get_column_letter

    first, last = tiles()[1][0], columns()[-1]
    width_cm = sum(_width(ws, c) for c in range(first, last + 1)) * CM_PER_WIDTH
    breaks = [row - 1]
    lost_row = row
    if any(s.code for s in scores):
        row = _rows_under(ws, lost_row, LOST_HEIGHT_CM)
    row = _officer_copy(ws, row, len(officers), as_of)
    breaks.append(row - 1)
    _charts(ws, scores, officers, f"{get_column_letter(columns()[0])}{lost_row}",
            f"{get_column_letter(first)}{chart_row}", width_cm)
    header_row, end = _score_copy(ws, row, len(scores))
    _print_setup(ws, top, breaks, header_row, end)
    _link(ws, top)
    return top


def _rows_under(ws, row: int, height_cm: float, taken: float = 0.0) -> int:
    """Rows of 20 pt from `row` under a chart of that height; the first row after them."""
    while taken < height_cm / 2.54 * 72 + 6:
        ws.row_dimensions[row].height = 20
        taken += 20
        row += 1
    return row


def _width(ws, column: int) -> float:
    from openpyxl.utils import get_column_letter

    return ws.column_dimensions[get_column_letter(column)].width or 9


def _clear(ws) -> None:
    """Empty the dashboard's columns (values, styles, merges) before writing them again."""
    from openpyxl.styles.cell_style import StyleArray

    span = columns()
    for merged in list(ws.merged_cells.ranges):
        if merged.min_col >= span[0] and merged.max_col <= span[-1]:
            ws.unmerge_cells(str(merged))
    for r in range(1, ws.max_row + 1):
        for c in span:
            cell = ws.cell(row=r, column=c)
            cell.value = None
            cell._style = StyleArray()
            cell.hyperlink = None


@lru_cache(maxsize=8)
def _centred(horizontal: str):
    from openpyxl.styles import Alignment

    return Alignment(horizontal=horizontal, vertical="center", wrap_text=True)


def _put(ws, row: int, first: int, last: int, value, *, size: float, bold=False,
         italic=False, colour: str | None = None, fill_argb: str | None = None,
         horizontal="left", number_format: str | None = None, border=False):
    """A value over merged columns first..last of a row, styled (shared style objects: see
    styles.Styler)."""
    from ..files.styles import BORDER, Styler, fill, font

    styler = Styler(ws.parent)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = ws.cell(row=row, column=first, value=value)
    styler.set(cell, "font", font(bold=bold, italic=italic, size=size, color=colour))
    styler.set(cell, "alignment", _centred(horizontal))
    if number_format:
        cell.number_format = number_format
    for c in range(first, last + 1):
        if fill_argb:
            styler.set(ws.cell(row=row, column=c), "fill", fill(fill_argb))
        if border:
            styler.set(ws.cell(row=row, column=c), "border", BORDER)
    return cell


def _heading(ws, top: int, settings: dict, as_of: dt.date, now: dt.datetime) -> int:
    first, last = columns()[0], columns()[-1]
    commune = (settings.get("commune") or "…").upper()
    _put(ws, top, first, last, layout.DASHBOARD_TITLE.format(commune=commune),
         size=layout.DASHBOARD_TITLE_PT, bold=True, horizontal="center")
    ws.row_dimensions[top].height = 26
    _put(ws, top + 1, first, last, layout.DASHBOARD_AS_OF.format(as_of=as_of, now=now),
         size=layout.DASHBOARD_LABEL_PT, italic=True, horizontal="center")
    ws.row_dimensions[top + 1].height = 20
    ws.row_dimensions[top + 2].height = 8
    return top + 3


def _figures(ws, row: int, whole: int) -> int:
    """The whole index's figures: labels, then formulas over the score table's last row."""
    for (first, last), (key, label) in zip(tiles(), layout.DASHBOARD_FIGURES):
        _put(ws, row, first, last, label, size=layout.DASHBOARD_LABEL_PT, bold=True,
             fill_argb=layout.HEADER_FILL, horizontal="center", border=True)
        number_format = (layout.DASHBOARD_INDEX_FORMAT if "index" in key
                         else S.column(key).number_format)
        _put(ws, row + 1, first, last, f"={S.letter(key)}{whole}",
             size=layout.DASHBOARD_FIGURE_PT, bold=True, horizontal="center",
             number_format=number_format, border=True)
    ws.row_dimensions[row].height = LABEL_ROW_PT
    ws.row_dimensions[row + 1].height = FIGURE_ROW_PT
    ws.row_dimensions[row + 2].height = 8
    return row + 3


def _states(ws, row: int, counts: dict[str, int], late: int) -> int:
    """Rows by state as of the run's date (values), and how many officers are late."""
    labels = [(layout.DASHBOARD_STATE_LABEL.format(state=s.label.lower()), counts[s.key],
               s.fill) for s in fields.legend_statuses()]
    labels.append((layout.DASHBOARD_LATE_COUNT, late,
                   fields.status("overdue" if late else "done").fill))
    for (first, last), (label, value, colour) in zip(tiles(), labels):
        _put(ws, row, first, last, label, size=layout.DASHBOARD_LABEL_PT, bold=True,
             fill_argb=colour, horizontal="center", border=True)
        _put(ws, row + 1, first, last, value, size=layout.DASHBOARD_FIGURE_PT, bold=True,
             horizontal="center", number_format="0", border=True)
    ws.row_dimensions[row].height = LABEL_ROW_PT
    ws.row_dimensions[row + 1].height = FIGURE_ROW_PT
    ws.row_dimensions[row + 2].height = 8
    return row + 3


def _late_height(text: str, first: int, last: int) -> float:
    """A line of the late officers as tall as its text wrapped across its columns (bold: a
    character wider), at least LATE_ROW_PT."""
    from ..files.page import CHARS_PER_WIDTH, wrapped_lines

    width = sum(S.columns[c - DASHBOARD_COLUMN].width for c in range(first, last + 1))
    chars = int(width * CHARS_PER_WIDTH * layout.FONT_SIZE / layout.DASHBOARD_TEXT_PT) - 1
    lines = wrapped_lines(text, max(1, chars))
    return max(float(LATE_ROW_PT), lines * layout.DASHBOARD_TEXT_PT * 1.3)


def _late(ws, row: int, late: list[LateOfficer]) -> tuple[int, int]:
    """Who is late, in the dashboard's first columns, beside the officers' chart; returns the
    chart's row and the first row after both."""
    first, last = tiles()[0]
    _put(ws, row, first, last, layout.DASHBOARD_LATE_TITLE, size=layout.DASHBOARD_TEXT_PT,
         bold=True)
    ws.row_dimensions[row].height = _late_height(layout.DASHBOARD_LATE_TITLE, first, last)
    height = float(ws.row_dimensions[row].height)
    lines = [o.text() for o in late] or [layout.DASHBOARD_LATE_NONE]
    r = row + 1
    for text in lines:
        _put(ws, r, first, last, text, size=layout.DASHBOARD_TEXT_PT)
        ws.row_dimensions[r].height = _late_height(text, first, last)
        height += ws.row_dimensions[r].height
        r += 1
    return row, _rows_under(ws, r, CHART_HEIGHT_CM, height)  # (what follows: below it)


def _score_copy(ws, row: int, count: int) -> tuple[int, int]:
    """The score table again, as formulas over it, for the pages after the dashboard: a title,
    the header (repeated on each page), one row per score row. Returns (header row, last)."""
    from ..files.page import header_height
    from ..files.styles import BORDER, Styler, fill, font, wrap

    styler = Styler(ws.parent)
    c0 = columns()[0]
    _put(ws, row, c0, columns()[-1], "=A1", size=layout.DASHBOARD_LABEL_PT, bold=True)
    ws.row_dimensions[row].height = 22
    header = row + 1
    for i, col in enumerate(S.columns):
        cell = ws.cell(row=header, column=c0 + i, value=col.label)
        for kind, style in (("font", font(bold=True)), ("fill", fill(layout.HEADER_FILL)),
                            ("border", BORDER), ("alignment", _centred("center"))):
            styler.set(cell, kind, style)
    ws.row_dimensions[header].height = header_height(S.columns)
    for n in range(count):
        r, src = header + 1 + n, S.first_row + n
        bold = n >= count - 2  # the sum of the areas and the whole index
        for i, col in enumerate(S.columns):
            filled = ws.cell(row=src, column=i + 1).value not in (None, "")
            cell = ws.cell(row=r, column=c0 + i,
                           value=f"={S.letter(col.key)}{src}" if filled else None)
            styler.set(cell, "font", font(bold=bold))
            styler.set(cell, "border", BORDER)
            styler.set(cell, "alignment",
                       wrap("right" if col.kind == "formula" and i > 1 else None))
            if col.number_format:
                cell.number_format = col.number_format
        ws.row_dimensions[r].height = 30
    return header, header + count


def _officer_copy(ws, row: int, count: int, as_of: dt.date) -> int:
    """The officers' table again (formulas over it), under the areas' chart: who leads how
    many rows in each state. Returns the first row after it."""
    from ..files.styles import BORDER, Styler, font

    styler = Styler(ws.parent)
    c0 = columns()[0]
    ws.row_dimensions[row].height = 10
    row += 1
    _put(ws, row, c0, columns()[-1], layout.DASHBOARD_OFFICERS_TITLE.format(as_of=as_of),
         size=layout.DASHBOARD_LABEL_PT, bold=True)
    ws.row_dimensions[row].height = 22
    spans = [(c0, c0 + 1), (c0 + 2, c0 + 3), *((c, c) for c in range(c0 + 4, c0 + 9))]
    for (first, last), label in zip(spans, OFFICER_HEADER):
        _put(ws, row + 1, first, last, label, size=layout.FONT_SIZE, bold=True,
             fill_argb=layout.HEADER_FILL, horizontal="center", border=True)
    ws.row_dimensions[row + 1].height = 32
    for n in range(count):
        r, src = row + 2 + n, S.first_row + n
        for i, (first, last) in enumerate(spans):
            source = _letter(OFFICER_TABLE_COLUMN + i)
            cell = _put(ws, r, first, last, f"={source}{src}", size=layout.FONT_SIZE,
                        horizontal="left" if i < 2 else "center", border=True)
            styler.set(cell, "font", font())
            styler.set(cell, "border", BORDER)
        ws.row_dimensions[r].height = 30
    return row + 2 + count


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _print_setup(ws, top: int, breaks: list[int], header: int, end: int) -> None:
    """The dashboard's columns are the print area: page 1 the dashboard, then the chart of
    the areas, then the score table with its header repeated (a header below a page is not
    repeated above it)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break, RowBreak

    from ..files.styles import print_setup

    first, last = (get_column_letter(c) for c in (columns()[0], columns()[-1]))
    print_setup(ws, f"{header}:{header}")
    ws.print_area = f"{first}{top}:{last}{end}"
    ws.row_breaks = RowBreak()
    for row in breaks:
        ws.row_breaks.append(Break(id=row))


def _widths(ws) -> None:
    """The widths of the score table the dashboard copies."""
    from openpyxl.utils import get_column_letter

    for c, col in zip(columns(), S.columns):
        ws.column_dimensions[get_column_letter(c)].width = col.width


def _link(ws, top: int) -> None:
    """A line under the summary's title pointing at the dashboard, which stands far right."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    from ..files.styles import font

    target = f"{get_column_letter(DASHBOARD_COLUMN)}{top}"
    cell = ws.cell(row=2, column=1, value=layout.DASHBOARD_LINK.format(cell=target))
    cell.font = font(italic=True, color="FF1F4E79")
    cell.hyperlink = Hyperlink(ref="A2", location=f"'{S.name}'!{target}")

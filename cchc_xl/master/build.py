"""Build a master workbook (or the empty template) from a plan, a roster and settings."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import fields, layout
from ..files.page import header_height
from ..files.styles import (
    BORDER,
    fill,
    fit_rows,
    font,
    print_setup,
    print_table,
    style_header,
    use_times_new_roman,
    wrap,
)
from ..plan.roster import Role, default_roster
from ..plan.tree import Plan, PlanRow, children_by_parent
from ..text import format_number
from .evidence import write_summary_evidence
from .formulas import PlanPlacement, plan_formulas, summary_formulas, summary_rows
from .plan_print import lay_out_plan
from .reading import read_master
from .status_colours import write_legend
from .table_sheet import write_table_header

P = layout.PLAN


def build_template() -> Workbook:
    """The empty master that workbooks/template.xlsx holds: layout, roles, no plan rows."""
    return build_master()


def build_master(plan: Plan | None = None, roster: list[Role] | None = None,
                 settings: dict | None = None) -> Workbook:
    """A complete master: every sheet of the layout, the plan's rows and live formulas."""
    plan = plan or Plan()
    wb = Workbook()
    use_times_new_roman(wb)
    wb.remove(wb.active)
    for name in layout.MASTER_SHEETS:
        wb.create_sheet(name)
    values = default_settings(plan)
    values.update(settings or {})
    write_lists(wb)
    placement = write_plan(wb[P.name], plan, values)
    write_summary(wb[layout.SUMMARY.name], placement, values)
    write_roster(wb[layout.ROSTER.name], roster if roster is not None else default_roster())
    write_settings(wb[layout.SETTINGS_SHEET], values)
    write_table_header(wb[layout.CHANGELOG.name], layout.CHANGELOG)
    write_table_header(wb[layout.ROUNDS.name], layout.ROUNDS)
    write_table_header(wb[layout.RECEIVED.name], layout.RECEIVED)
    write_table_header(wb[layout.REPORTS.name], layout.REPORTS)
    write_table_header(wb[layout.EVIDENCE.name], layout.EVIDENCE)
    write_table_header(wb[layout.PENDING.name], layout.PENDING)
    write_first_written(wb)
    write_summary_evidence(wb, read_master(wb), [])
    write_instructions(wb[layout.INSTRUCTIONS_SHEET])
    wb.active = 0
    return wb


def write_first_written(wb: Workbook) -> None:
    """What the plan's derived columns hold as built: a value the office types there later
    is then told apart from what the tool wrote (officer_reports.read_written)."""
    from .officer_reports import derived_keys, write_written
    from .reading import read_master

    write_table_header(wb[layout.WRITTEN.name], layout.WRITTEN)
    view = read_master(wb)
    write_written(wb, {r.code: {f: r.raw.get(f) for f in derived_keys()} for r in view.rows
                       if r.code})


def default_settings(plan: Plan) -> dict:
    values = {s.key: s.default for s in (*layout.SETTINGS, *layout.REPORT_SETTINGS)}
    for key in ("commune", "plan_number", "plan_date", "year", "title"):
        if getattr(plan, key):
            values[key] = getattr(plan, key)
    return values


def write_lists(wb: Workbook) -> None:
    """The dropdown lists on their own (hidden) sheet, each behind a defined name."""
    ws = wb[layout.LISTS_SHEET]
    for col, (name, items) in enumerate(layout.LISTS.items(), start=1):
        letter = ws.cell(row=1, column=col, value=name).column_letter
        ws.cell(row=1, column=col).font = font(bold=True)
        for i, item in enumerate(items, start=2):
            ws.cell(row=i, column=col, value=item).font = font()
        ref = f"'{layout.LISTS_SHEET}'!${letter}$2:${letter}${len(items) + 1}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
        ws.column_dimensions[letter].width = 18
    ws.sheet_state = "hidden"


def plan_heading(values: dict) -> tuple[str, str]:
    title = values.get("title") or "KẾ HOẠCH KHẮC PHỤC TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CCHC"
    date = values.get("plan_date")
    when = (f" ngày {date.day} tháng {date.month} năm {date.year}"
            if isinstance(date, (dt.date, dt.datetime)) else "")
    attached = (f"(Kèm theo kế hoạch số {values.get('plan_number') or '…'}{when} "
                f"của UBND xã {values.get('commune') or '…'})")
    return title, attached


def write_plan(ws: Worksheet, plan: Plan, values: dict) -> PlanPlacement:
    n_doc = len(layout.PLAN_DOCUMENT_KEYS)
    title, attached = plan_heading(values)
    ws.cell(row=1, column=1, value=title).font = font(bold=True, size=12)
    ws.cell(row=2, column=1, value=attached).font = font(italic=True)
    for r in (1, 2):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n_doc)
        ws.cell(row=r, column=1).alignment = Alignment(horizontal="center", vertical="center",
                                                       wrap_text=True)
    ws.row_dimensions[1].height = 36
    style_header(ws, P.header_row, P.columns)
    ws.row_dimensions[P.header_row].height = 45
    ws.freeze_panes = P.freeze
    placement = write_plan_rows(ws, plan.rows, plan)
    write_document_columns(ws, plan, placement)
    lay_out_plan(ws, [(r, code) for code, r in placement.rows], placement.total_row)
    return placement


def write_plan_rows(ws: Worksheet, rows: list[PlanRow], plan: Plan) -> PlanPlacement:
    """Rows, their formulas, the total row and the input validations, from the first data row."""
    codes = [row.code for row in rows]
    placed = tuple((row.code, P.first_row + i) for i, row in enumerate(rows))
    placement = PlanPlacement(placed, P.first_row + len(rows))
    formulas = plan_formulas(placement)
    parents = children_by_parent(row.code for row in plan.rows)
    for (code, r), row in zip(placed, rows):
        is_parent = code in parents
        for key in P.keys:
            cell = ws.cell(row=r, column=P.index(key))
            value = getattr(row, key, None) if key != "lost" else None
            if P.column(key).kind == "status" and not value and not is_parent and codes:
                value = layout.STATUS_NOT_STARTED
            cell.value = value if value != "" else None
            style_plan_cell(cell, P.column(key), bold=row.level == 1)
            if row.level == 1:
                cell.fill = fill(layout.AREA_FILL)
        if row.lost_stated is not None and row.lost is not None and \
                abs(row.lost_stated - row.lost) > 1e-6:
            ws.cell(row=r, column=P.index("lost")).comment = Comment(
                f"Văn bản ghi điểm bị mất: {format_number(row.lost_stated)}; điểm chuẩn − "
                f"điểm thẩm định = {format_number(row.lost)}. Sổ giữ công thức.", "cchc-xl")
    total = placement.total_row
    ws.cell(row=total, column=P.index("title"), value=layout.TOTAL_LABEL)
    for key in P.keys:
        cell = ws.cell(row=total, column=P.index(key))
        style_plan_cell(cell, P.column(key), bold=True)
        cell.fill = fill(layout.TOTAL_FILL)
    for address, formula in formulas.items():
        ws[address] = formula
    add_input_validations(ws, P.first_row, max(P.first_row, total - 1))
    write_legend(ws, total + 2)
    return placement


def document_columns(plan: Plan) -> list[layout.Column]:
    """The columns after the declared ones that keep what the document had and the master
    has no field for: the code as written (when the tree's differs), the extra columns."""
    columns = [layout.PLAN_SOURCE_CODE] if any(r.source_code for r in plan.rows) else []
    columns += [layout.Column(f"extra_{i}", label, layout.PLAN_EXTRA_WIDTH)
                for i, label in enumerate(plan.extra_columns, start=1)]
    return columns


def write_document_columns(ws: Worksheet, plan: Plan, placement: PlanPlacement) -> None:
    """Those columns, right after the declared ones, each header cell saying where it comes
    from; a defined name (layout.PLAN_DOCUMENT_EXTRA_NAME) over their header cells tells them
    from columns the office adds later."""
    columns = document_columns(plan)
    if not columns:
        return
    first = len(P.columns) + 1
    for offset, column in enumerate(columns):
        c = first + offset
        cell = ws.cell(row=P.header_row, column=c, value=column.label)
        cell.font = font(bold=True)
        cell.fill = fill(layout.HEADER_FILL)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        note = (layout.PLAN_SOURCE_CODE_NOTE if column is layout.PLAN_SOURCE_CODE
                else layout.PLAN_EXTRA_NOTE)
        cell.comment = Comment(note.format(file=plan.source or "…"), "cchc-xl")
        ws.column_dimensions[cell.column_letter].width = column.width
        for (_, r), row in zip(placement.rows, plan.rows):
            # (only a code the document wrote otherwise: the others print as STT says)
            value = (row.source_code or None) if column is layout.PLAN_SOURCE_CODE else (
                row.extras.get(column.label) or None)
            body = ws.cell(row=r, column=c, value=value)
            style_plan_cell(body, column, bold=row.level == 1)
            if row.level == 1:
                body.fill = fill(layout.AREA_FILL)
        total = ws.cell(row=placement.total_row, column=c)
        style_plan_cell(total, column, bold=True)
        total.fill = fill(layout.TOTAL_FILL)
    last = ws.cell(row=P.header_row, column=first + len(columns) - 1).column_letter
    start = ws.cell(row=P.header_row, column=first).column_letter
    ws.parent.defined_names[layout.PLAN_DOCUMENT_EXTRA_NAME] = DefinedName(
        layout.PLAN_DOCUMENT_EXTRA_NAME,
        attr_text=f"'{P.name}'!${start}${P.header_row}:${last}${P.header_row}")


def style_plan_cell(cell, column: layout.Column, bold: bool = False) -> None:
    cell.font = font(bold=bold)
    cell.border = BORDER
    numeric = column.kind in ("number", "formula", "percent", "date")
    cell.alignment = wrap("right" if numeric else None, column.wrap)
    if column.number_format:
        cell.number_format = column.number_format


# The plan sheet's check of each kind of reported field: (type, formula1, formula2 or None,
# error); "{cell}" and "{max}" are the first cell of the column and of the maximum points.
PLAN_CHECKS = {
    "status": ("list", fields.STATUS_LIST, None, "Chọn một trạng thái trong danh sách."),
    "percent": ("decimal", "0", "100", "Nhập một số từ 0 đến 100."),
    "points": ("custom", "AND(ISNUMBER({cell}),{cell}>=0,{cell}<={max})", None,
               "Nhập số điểm từ 0 đến điểm chuẩn của tiêu chí."),
}


def add_input_validations(ws: Worksheet, first: int, last: int) -> None:
    """Dropdown and range checks on the tracking columns (each reported field by its kind),
    messages in Vietnamese."""
    mx = P.letter("max_points")
    for f in fields.FIELDS:
        if f.kind not in PLAN_CHECKS:
            continue
        kind, formula1, formula2, error = PLAN_CHECKS[f.kind]
        letter = P.letter(f.key)
        options = {"operator": "between", "formula2": formula2} if formula2 else {}
        dv = DataValidation(type=kind, allow_blank=True, showErrorMessage=True,
                            formula1=formula1.format(cell=f"{letter}{first}", max=f"{mx}{first}"),
                            errorTitle=f.label, error=error, **options)
        dv.add(f"{letter}{first}:{letter}{last}")
        ws.add_data_validation(dv)


def write_summary(ws: Worksheet, placement: PlanPlacement, values: dict) -> None:
    S = layout.SUMMARY
    commune = values.get("commune") or "…"
    ws.cell(row=1, column=1, value=f"TỔNG HỢP ĐIỂM CHỈ SỐ CCHC – UBND XÃ {commune.upper()}")
    ws.cell(row=1, column=1).font = font(bold=True, size=12)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(S.columns))
    style_header(ws, S.header_row, S.columns)
    ws.row_dimensions[S.header_row].height = header_height(S.columns)
    ws.freeze_panes = S.freeze
    write_summary_rows(ws, placement)
    print_setup(ws, f"{S.header_row}:{S.header_row}")


def write_summary_rows(ws: Worksheet, placement: PlanPlacement) -> None:
    """The summary's rows for the plan's areas (cleared first), their sum and the whole index."""
    S = layout.SUMMARY
    for r in range(S.first_row, max(ws.max_row, S.first_row) + 1):
        for c in range(1, len(S.columns) + 1):
            ws.cell(row=r, column=c).value = None
    total, whole = summary_rows(placement)
    for i, (code, _) in enumerate(placement.area_rows):
        ws.cell(row=S.first_row + i, column=1, value=code)
    ws.cell(row=total, column=2, value=layout.SUMMARY_TOTAL_LABEL)
    ws.cell(row=whole, column=2, value=layout.SUMMARY_WHOLE_LABEL)
    for address, formula in summary_formulas(placement).items():
        ws[address] = formula
    for r in range(S.first_row, whole + 1):
        for i, col in enumerate(S.columns, start=1):
            cell = ws.cell(row=r, column=i)
            cell.font = font(bold=r >= total)
            cell.border = BORDER
            cell.alignment = wrap("right" if col.kind == "formula" and i > 2 else None)
            if col.number_format:
                cell.number_format = col.number_format
    # Titles are formulas (openpyxl cannot measure them): two lines fit every area title.
    for r in range(S.first_row, whole + 1):
        ws.row_dimensions[r].height = 15 if r == total else 30
    # the evidence columns are values: written again with the rows (a master being built
    # has no roster yet: they are written once it has)
    write_summary_evidence(ws.parent, read_master(ws.parent))


def write_roster(ws: Worksheet, roles: list[Role]) -> None:
    R = layout.ROSTER
    style_header(ws, R.header_row, R.columns)
    ws.freeze_panes = R.freeze
    for i, role in enumerate(roles, start=R.first_row):
        row = {
            "role": role.name,
            "aliases": "; ".join(role.aliases),
            "specialist": layout.YES if role.specialist else layout.NO,
            "person": role.person or None,
            "email": role.email or None,
        }
        for key, value in row.items():
            cell = ws.cell(row=i, column=R.index(key), value=value)
            cell.font = font()
            cell.border = BORDER
            cell.alignment = wrap()
    spec = R.letter("specialist")
    dv = DataValidation(type="list", formula1="DS_CoKhong", allow_blank=True)
    dv.add(f"{spec}{R.first_row}:{spec}{R.first_row + 200}")
    ws.add_data_validation(dv)
    fit_rows(ws, range(R.first_row, R.first_row + len(roles)), R.columns)
    print_table(ws, R)


def write_settings(ws: Worksheet, values: dict) -> None:
    for i, label in enumerate(layout.SETTINGS_HEADER, start=1):
        cell = ws.cell(row=1, column=i, value=label)
        cell.font = font(bold=True)
        cell.fill = fill(layout.HEADER_FILL)
    for setting in layout.SETTINGS:
        write_setting(ws, layout.settings_row(setting.key), setting, values)
    first = layout.ratings_first_row()
    ws.cell(row=first - 2, column=1, value=layout.RATINGS_TITLE).font = font(bold=True)
    for i, label in enumerate(layout.RATINGS_HEADER, start=1):
        cell = ws.cell(row=first - 1, column=i, value=label)
        cell.font = font(bold=True)
        cell.fill = fill(layout.HEADER_FILL)
    for i, (name, threshold) in enumerate(layout.DEFAULT_RATINGS):
        ws.cell(row=first + i, column=1, value=name).font = font()
        ws.cell(row=first + i, column=2, value=threshold).font = font()
    last = first + len(layout.DEFAULT_RATINGS) - 1
    ws.parent.defined_names[layout.RATINGS_NAME] = DefinedName(
        layout.RATINGS_NAME, attr_text=f"'{layout.SETTINGS_SHEET}'!$A${first}:$B${last}")
    first = layout.report_settings_first_row()
    ws.cell(row=first - 1, column=1, value=layout.REPORT_SETTINGS_TITLE).font = font(bold=True)
    for r, setting in enumerate(layout.REPORT_SETTINGS, start=first):
        write_setting(ws, r, setting, values)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 30
    print_setup(ws)


def write_setting(ws: Worksheet, r: int, setting: layout.Setting, values: dict) -> None:
    """One settings row: its label, its value (as tall as its lines)."""
    ws.cell(row=r, column=1, value=setting.label).font = font(bold=True)
    value = values.get(setting.key)
    cell = ws.cell(row=r, column=2, value=None if value == "" else value)
    cell.font = font()
    cell.alignment = wrap()
    if setting.number_format:
        cell.number_format = setting.number_format
    if isinstance(value, str) and "\n" in value:
        ws.row_dimensions[r].height = 15 * (value.count("\n") + 1)


def write_instructions(ws: Worksheet) -> None:
    for i, line in enumerate(layout.INSTRUCTIONS, start=1):
        ws.cell(row=i, column=1, value=line or None).font = font(bold=i == 1)
    ws.column_dimensions["A"].width = 110
    print_setup(ws)

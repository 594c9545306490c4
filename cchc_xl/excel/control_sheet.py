"""The «Điều khiển» control sheet put first in a master: the action to run, its inputs, the
last result; rebuilt in place, keeping what the user typed."""

from __future__ import annotations

from .. import layout


def add_control_sheet(wb) -> bool:
    """Put the control sheet first in the workbook (rebuilt when present, keeping what the
    user typed and the last result). True when it was added, False when it was rebuilt."""
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..files.cells import put
    from ..files.styles import BORDER, fill, font, print_setup, wrap

    name = layout.CONTROL_SHEET
    kept: dict[str, object] = {}
    added = name not in wb.sheetnames
    if not added:
        old = wb[name]
        last = layout.CONTROL_PROBLEMS_ROW + layout.CONTROL_PROBLEMS_MAX - 1
        # (a value is kept where its line's label still stands: a sheet of an older layout
        # gives back what the user typed, never a result in an input cell)
        for c in (*layout.CONTROL_INPUTS, *layout.CONTROL_RESULTS):
            if _same_line(old.cell(row=int(c.cell[1:]), column=1).value, c.label):
                kept[c.cell] = old[c.cell].value
        header = layout.CONTROL_PROBLEMS_ROW - 1
        if old.cell(row=header, column=1).value == layout.CONTROL_PROBLEMS_HEADER[0]:
            for r in range(layout.CONTROL_PROBLEMS_ROW, last + 1):
                for col in "ABC":
                    kept[f"{col}{r}"] = old[f"{col}{r}"].value
        if result_cell("status") in kept:
            kept["_status_fill"] = old[result_cell("status")].fill.fgColor.rgb
        wb.remove(old)
    ws = wb.create_sheet(name, 0)
    title, at = layout.CONTROL_TITLE, "A1"
    ws[at] = title
    ws[at].font = font(bold=True, size=13)
    for i, line in enumerate(layout.CONTROL_HELP, start=2):
        ws.cell(row=i, column=1, value=line).font = font(italic=True)
    for c in layout.CONTROL_INPUTS:
        row = int(c.cell[1:])
        ws.cell(row=row, column=1, value=c.label).font = font(bold=True)
        cell = ws[c.cell]
        put(cell, kept.get(c.cell, c.default))
        cell.font = font()
        cell.fill = fill(layout.INPUT_FILL)
        cell.border = BORDER
        if c.number_format:
            cell.number_format = c.number_format
        ws.cell(row=row, column=3, value=c.note).font = font(italic=True, color="FF595959")
    label, at = layout.CONTROL_RESULT_TITLE
    ws[at] = label
    ws[at].font = font(bold=True, size=12)
    for c in layout.CONTROL_RESULTS:
        row = int(c.cell[1:])
        label_cell = ws.cell(row=row, column=1, value=c.label)
        label_cell.font = font(bold=True)
        label_cell.alignment = wrap()
        cell = ws[c.cell]
        put(cell, kept.get(c.cell))
        cell.font = font(bold=c.key == "status")
        cell.alignment = wrap()
        cell.border = BORDER
        if c.number_format:
            cell.number_format = c.number_format
    status_rgb = kept.get("_status_fill")
    if isinstance(status_rgb, str) and status_rgb not in ("00000000", "FFFFFFFF"):
        ws[result_cell("status")].fill = fill(status_rgb)
    # openpyxl cannot autofit and LibreOffice keeps the stored height: room for wrapped text
    for key, height in (("counts", 30), ("report", 30), ("message", 75), ("todo", 60)):
        ws.row_dimensions[int(result_cell(key)[1:])].height = height
    for r in range(layout.CONTROL_PROBLEMS_ROW,
                   layout.CONTROL_PROBLEMS_ROW + layout.CONTROL_PROBLEMS_MAX):
        ws.row_dimensions[r].height = 32
    label, at = layout.CONTROL_PROBLEMS_TITLE
    ws[at] = label
    ws[at].font = font(bold=True, size=12)
    header_row = layout.CONTROL_PROBLEMS_ROW - 1
    for i, text in enumerate(layout.CONTROL_PROBLEMS_HEADER, start=1):
        cell = ws.cell(row=header_row, column=i, value=text)
        cell.font = font(bold=True)
        cell.fill = fill(layout.HEADER_FILL)
        cell.border = BORDER
    for r in range(layout.CONTROL_PROBLEMS_ROW,
                   layout.CONTROL_PROBLEMS_ROW + layout.CONTROL_PROBLEMS_MAX):
        for i, col in enumerate("ABC", start=1):
            cell = put(ws.cell(row=r, column=i), kept.get(f"{col}{r}"))
            cell.font = font()
            cell.alignment = wrap()
            cell.border = BORDER
    for col, width in layout.CONTROL_WIDTHS.items():
        ws.column_dimensions[col].width = width
    _action_list(ws, wb, DefinedName)
    for c in layout.CONTROL_INPUTS:
        if c.list_name is None:
            continue
        items = (layout.LISTS.get(c.list_name) or ())
        source = c.list_name if c.list_name in wb.defined_names else (
            '"' + ",".join(items) + '"')
        dv = DataValidation(type="list", formula1=source, allow_blank=True,
                            showErrorMessage=True, errorTitle=c.label,
                            error=c.note or "Chọn trong danh sách.")
        dv.add(c.cell)
        ws.add_data_validation(dv)
    print_setup(ws)
    last = layout.CONTROL_PROBLEMS_ROW + layout.CONTROL_PROBLEMS_MAX - 1
    ws.print_area = f"A1:C{last}"
    ws.sheet_properties.tabColor = "FF1F4E79"
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    wb.active = 0
    return added


def _same_line(old_label: object, label: str) -> bool:
    """The same line of the sheet: its label, the actions it names in brackets aside."""
    return isinstance(old_label, str) and old_label.split(" (")[0] == label.split(" (")[0]


def result_cell(key: str) -> str:
    """Where the control sheet shows one of its results (status, message, …)."""
    return next(c.cell for c in layout.CONTROL_RESULTS if c.key == key)


def _action_list(ws, wb, defined_name) -> None:
    """The actions in a hidden column, behind the defined name the dropdown reads."""
    from ..files.styles import font

    col = layout.CONTROL_ACTIONS_COLUMN
    actions = list(layout.CONTROL_ACTIONS)
    for i, label in enumerate(actions, start=1):
        ws[f"{col}{i}"] = label
        ws[f"{col}{i}"].font = font()
    ws.column_dimensions[col].hidden = True
    sheet = layout.CONTROL_SHEET
    ref = f"'{sheet}'!${col}$1:${col}${len(actions)}"
    name = layout.CONTROL_ACTIONS_NAME
    if name in wb.defined_names:
        del wb.defined_names[name]
    wb.defined_names[name] = defined_name(name, attr_text=ref)

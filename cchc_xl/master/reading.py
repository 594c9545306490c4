"""Read a master workbook back into rows, roster and settings, finding columns by their labels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from .. import fields, layout
from ..plan.roster import Role
from ..plan.tree import Plan, PlanRow
from ..problems import ERROR, Problem
from ..text import clean_cell, fold, parse_number

P = layout.PLAN
HEADER_SEARCH_ROWS = 15


@dataclass
class SheetRow:
    """A plan row as it stands on the sheet: its Excel row and each column's stored value."""

    row: int
    raw: dict[str, object]

    def text(self, key: str) -> str:
        value = self.raw.get(key)
        return clean_cell(value) if isinstance(value, str) else ("" if value is None
                                                                 else str(value))

    def number(self, key: str) -> float | None:
        return parse_number(self.raw.get(key))

    @property
    def code(self) -> str:
        value = self.raw.get("code")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return clean_cell(value) if value is not None else ""


@dataclass
class RosterRow:
    row: int
    role: Role


@dataclass
class MasterView:
    """What validation, filling and consolidation need from a master, with cell addresses."""

    wb: object
    columns: dict[str, int] = field(default_factory=dict)
    header_row: int = P.header_row
    rows: list[SheetRow] = field(default_factory=list)
    total_row: int | None = None
    roster: list[RosterRow] = field(default_factory=list)
    roster_columns: dict[str, int] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def address(self, key: str, row: int) -> str:
        return f"{get_column_letter(self.columns[key])}{row}"

    def plan(self) -> Plan:
        plan = Plan(
            commune=str(self.settings.get("commune") or ""),
            plan_number=str(self.settings.get("plan_number") or ""),
            title=str(self.settings.get("title") or ""),
            year=_int(self.settings.get("year")),
        )
        for sheet_row in self.rows:
            plan.rows.append(to_plan_row(sheet_row))
        return plan

    def roles(self) -> list[Role]:
        return [r.role for r in self.roster]


def _int(value: object) -> int | None:
    number = parse_number(value)
    return int(number) if number is not None else None


def to_plan_row(sheet_row: SheetRow) -> PlanRow:
    raw = sheet_row.raw
    row = PlanRow(code=sheet_row.code)
    for key in ("title", "action", "lead", "support", "timeframe", "note", "updated_by"):
        setattr(row, key, sheet_row.text(key))
    for key in ("max_points", "appraised"):
        setattr(row, key, sheet_row.number(key))
    for f in fields.FIELDS:  # (the reported fields: numbers or text, as declared)
        setattr(row, f.key, sheet_row.number(f.key) if f.numeric else sheet_row.text(f.key))
    deadline = raw.get("deadline")
    row.deadline = deadline.date() if isinstance(deadline, dt.datetime) else (
        deadline if isinstance(deadline, dt.date) else None)
    updated = raw.get("updated_at")
    row.updated_at = updated if isinstance(updated, dt.datetime) else None
    return row


def find_header(ws, columns: tuple[layout.Column, ...], search_rows: int = HEADER_SEARCH_ROWS
                ) -> tuple[int | None, dict[str, int]]:
    """The row holding the first column's label, and each declared key's column there."""
    labels = {fold(col.label): col.key for col in columns}
    first = fold(columns[0].label)
    for r in range(1, min(ws.max_row, search_rows) + 1):
        found: dict[str, int] = {}
        for c in range(1, ws.max_column + 1):
            key = labels.get(fold(ws.cell(row=r, column=c).value))
            if key and key not in found:
                found[key] = c
        if columns[0].key in found and len(found) > 1 and fold(
                ws.cell(row=r, column=found[columns[0].key]).value) == first:
            return r, found
    return None, {}


def read_master(wb) -> MasterView:
    """Read an openpyxl workbook (loaded with formulas) as a master."""
    view = MasterView(wb)
    for name in (P.name, layout.ROSTER.name, layout.SETTINGS_SHEET):
        if name not in wb.sheetnames:
            view.problems.append(Problem("sheet-missing", ERROR, name, "",
                                         params={"sheet_name": name}))
    if P.name in wb.sheetnames:
        _read_plan_sheet(wb[P.name], view)
    if layout.ROSTER.name in wb.sheetnames:
        _read_roster(wb[layout.ROSTER.name], view)
    if layout.SETTINGS_SHEET in wb.sheetnames:
        view.settings = read_settings(wb[layout.SETTINGS_SHEET])
    return view


def _read_plan_sheet(ws, view: MasterView) -> None:
    header, columns = find_header(ws, P.columns)
    if header is None:
        view.problems.append(Problem("column-missing", ERROR, P.name, f"A{P.header_row}",
                                     params={"label": P.columns[0].label}))
        return
    view.header_row, view.columns = header, columns
    for col in P.columns:
        if col.key not in columns:
            view.problems.append(Problem("column-missing", ERROR, P.name,
                                         f"A{header}", params={"label": col.label}))
    if any(p.code == "column-missing" for p in view.problems):
        return
    title_col = columns["title"]
    for r in range(header + 1, ws.max_row + 1):
        title = fold(ws.cell(row=r, column=title_col).value)
        if title == fold(layout.TOTAL_LABEL):
            view.total_row = r
            break
        if title == fold(layout.LEGEND_LABEL):
            break
        raw = {key: ws.cell(row=r, column=c).value for key, c in columns.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
            continue
        view.rows.append(SheetRow(r, raw))


def _read_roster(ws, view: MasterView) -> None:
    R = layout.ROSTER
    header, columns = find_header(ws, R.columns)
    if header is None or "role" not in columns:
        view.problems.append(Problem("column-missing", ERROR, R.name, "A1",
                                     params={"label": R.columns[0].label}))
        return
    view.roster_columns = columns
    for r in range(header + 1, ws.max_row + 1):
        raw = {key: ws.cell(row=r, column=c).value for key, c in columns.items()}
        name = clean_cell(raw.get("role"))
        if not name:
            continue
        aliases = [clean_cell(a) for a in str(raw.get("aliases") or "").split(";")]
        role = Role(
            name=name,
            aliases=[a for a in aliases if a],
            specialist=fold(raw.get("specialist")) not in (fold(layout.NO), "no", "0", "false"),
            person=clean_cell(raw.get("person")),
            email=clean_cell(raw.get("email")),
        )
        view.roster.append(RosterRow(r, role))


def read_settings(ws) -> dict:
    """Settings by key (label in column A, value in B), plus the rating table."""
    by_label = {fold(s.label): s.key for s in (*layout.SETTINGS, *layout.REPORT_SETTINGS)}
    values: dict = {}
    for r in range(1, ws.max_row + 1):
        key = by_label.get(fold(ws.cell(row=r, column=1).value))
        if key and key not in values:
            values[key] = ws.cell(row=r, column=2).value
            values.setdefault("_rows", {})[key] = r
    first = layout.ratings_first_row()
    values["ratings"] = [
        (ws.cell(row=first + i, column=1).value, ws.cell(row=first + i, column=2).value)
        for i in range(len(layout.DEFAULT_RATINGS))
    ]
    return values


def read_table(ws, table: layout.TableSheet) -> list[tuple[int, dict]]:
    """(row, {key: value}) for every non-empty row of a log-like sheet, columns by label."""
    header, columns = find_header(ws, table.columns)
    if header is None:
        return []
    out = []
    for r, cells in enumerate(ws.iter_rows(min_row=header + 1, values_only=True),
                              start=header + 1):
        values = {k: cells[c - 1] if c - 1 < len(cells) else None for k, c in columns.items()}
        if any(v not in (None, "") for v in values.values()):
            out.append((r, values))
    return out

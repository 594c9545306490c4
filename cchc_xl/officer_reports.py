"""Each officer's latest report on each of their rows («Báo cáo cán bộ»), the record the plan's
tracking columns are derived from, and what the tool last wrote into those columns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import layout
from .cells import put
from .master_read import read_table
from .text import clean_cell, parse_number

R, W = layout.REPORTS, layout.WRITTEN
FIELDS = layout.REPORT_FIELDS
DERIVED = (*FIELDS, "support_notes")  # the plan columns derived from reports
NUMERIC = ("progress", "expected")


@dataclass
class OfficerReport:
    """What one officer last reported on one row. `values` holds only the fields they have
    reported: a field missing from it was never typed (it changes nothing in the plan), a
    field holding None was emptied by them."""

    code: str
    role: str
    person: str = ""
    part: str = ""
    values: dict = field(default_factory=dict)
    round: str = ""
    issued_at: dt.datetime | None = None
    file: str = ""
    received_at: dt.datetime | None = None

    def get(self, key: str) -> object:
        """The value reported, None when emptied or never reported."""
        return self.values.get(key)


Reports = dict  # (code, role) -> OfficerReport


def typed(key: str, value: object) -> object:
    """A stored report value in the type the merge compares: numbers for progress and
    expected points, text otherwise; None for empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if key in NUMERIC:
        number = parse_number(value)
        return number if number is not None else value
    if isinstance(value, str):
        return value
    return value


def read_reports(wb) -> Reports:
    """The record as the master holds it (empty when the sheet is missing)."""
    out: Reports = {}
    if R.name not in wb.sheetnames:
        return out
    for _, row in read_table(wb[R.name], R):
        code, role = clean_cell(row.get("code")), clean_cell(row.get("role"))
        if not code or not role:
            continue
        values = {}
        for key in FIELDS:
            raw = row.get(key)
            if isinstance(raw, str) and clean_cell(raw) == layout.CLEARED:
                values[key] = None
            elif raw is not None and not (isinstance(raw, str) and not raw.strip()):
                values[key] = typed(key, raw)
        issued, received = row.get("issued_at"), row.get("received_at")
        out[(code, role)] = OfficerReport(
            code, role, clean_cell(row.get("person")), clean_cell(row.get("part")), values,
            clean_cell(row.get("round")),
            issued if isinstance(issued, dt.datetime) else None, clean_cell(row.get("file")),
            received if isinstance(received, dt.datetime) else None)
    return out


def write_reports(wb, reports: Reports, order=None) -> None:
    """Rewrite «Báo cáo cán bộ» with every report, in `order` (a sort key of a report)."""
    from .styles import BORDER, Styler, font, wrap

    ws = _sheet(wb, R)
    _clear(ws, R)
    styler = Styler(wb)
    normal = font()
    items = sorted(reports.values(), key=order or (lambda r: (r.code, r.role)))
    for r, report in enumerate(items, start=R.first_row):
        values = {"code": report.code, "role": report.role, "person": report.person,
                  "part": report.part, "round": report.round, "issued_at": report.issued_at,
                  "file": report.file, "received_at": report.received_at}
        for key in FIELDS:
            if key in report.values:
                value = report.values[key]
                values[key] = layout.CLEARED if value is None else value
        for c, col in enumerate(R.columns, start=1):
            cell = put(ws.cell(row=r, column=c), values.get(col.key))
            styler.set(cell, "font", normal)
            styler.set(cell, "border", BORDER)
            styler.set(cell, "alignment", wrap(None, col.wrap))
            if col.number_format:
                cell.number_format = col.number_format


def read_written(wb) -> dict[str, dict] | None:
    """code -> {column: value} the tool last wrote into the plan's derived columns; None when
    the master has no such record (an older master: the plan as it stands is the baseline)."""
    if W.name not in wb.sheetnames:
        return None
    out = {}
    for _, row in read_table(wb[W.name], W):
        code = clean_cell(row.get("code"))
        if code:
            out[code] = {k: typed(k, row.get(k)) for k in DERIVED}
    return out


def write_written(wb, written: dict[str, dict]) -> None:
    ws = _sheet(wb, W)
    ws.sheet_state = "hidden"
    _clear(ws, W)
    for r, (code, values) in enumerate(sorted(written.items()), start=W.first_row):
        put(ws.cell(row=r, column=1), code)
        for c, key in enumerate(DERIVED, start=2):
            put(ws.cell(row=r, column=c), values.get(key))


def _sheet(wb, table: layout.TableSheet):
    if table.name not in wb.sheetnames:
        from .master_build import write_table_header

        write_table_header(wb.create_sheet(table.name), table)
    return wb[table.name]


def _clear(ws, table: layout.TableSheet) -> None:
    """Every row below the header emptied (values only: the sheet's formatting stays)."""
    if ws.max_row > table.header_row:
        ws.delete_rows(table.first_row, ws.max_row - table.header_row)

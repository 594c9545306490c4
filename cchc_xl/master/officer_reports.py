"""Each officer's latest report on each of their rows («Báo cáo cán bộ»), the record the plan's
tracking columns are derived from, and what the tool last wrote into those columns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import fields, layout
from ..text import clean_cell, parse_number
from .reading import read_table

R, W = layout.REPORTS, layout.WRITTEN


def derived_keys() -> tuple[str, ...]:
    """The plan columns derived from reports: the reported fields and the supporters' notes."""
    return (*fields.keys(), "support_notes")


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
    # field -> when the workbook whose return last changed it was issued (empty for a report
    # kept before these were: then only its values tell what changed since)
    changed_at: dict = field(default_factory=dict)

    def get(self, key: str) -> object:
        """The value reported, None when emptied or never reported."""
        return self.values.get(key)


Reports = dict  # (code, role) -> OfficerReport


def as_number(value: object) -> object:
    """A numeric field's value as a number, when it reads as one (else as it is)."""
    number = parse_number(value)
    return number if number is not None else value


def typed(key: str, value: object) -> object:
    """A stored report value in the type the merge compares: numbers for the numeric fields
    (progress, expected points), text otherwise; None for empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    declared = fields.get(key)
    if declared is not None and declared.numeric:
        return as_number(value)
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
        for key in fields.keys():
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
            received if isinstance(received, dt.datetime) else None,
            _changed_at(row.get("changed_at")))
    return out


def _changed_at(text: object) -> dict:
    """The «changed at» cell read back: {field: datetime}; what cannot be read, left out."""
    import json

    if not isinstance(text, str) or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    out = {}
    for key, when in (data.items() if isinstance(data, dict) else ()):
        if key in fields.keys() and isinstance(when, str):
            try:
                out[key] = dt.datetime.fromisoformat(when)
            except ValueError:
                continue
    return out


def write_reports(wb, reports: Reports, order=None) -> None:
    """Rewrite «Báo cáo cán bộ» with every report, in `order` (a sort key of a report)."""
    from .table_sheet import rewrite_rows

    rows = []
    for report in sorted(reports.values(), key=order or (lambda r: (r.code, r.role))):
        values = {"code": report.code, "role": report.role, "person": report.person,
                  "part": report.part, "round": report.round, "issued_at": report.issued_at,
                  "file": report.file, "received_at": report.received_at,
                  "changed_at": _changed_text(report.changed_at)}
        for key in fields.keys():
            if key in report.values:
                value = report.values[key]
                values[key] = layout.CLEARED if value is None else value
        rows.append(values)
    rewrite_rows(wb, R, rows)


def _changed_text(changed_at: dict) -> str | None:
    import json

    if not changed_at:
        return None
    return json.dumps({k: v.isoformat() for k, v in sorted(changed_at.items())},
                      ensure_ascii=False)


def read_written(wb) -> dict[str, dict] | None:
    """code -> {column: value} the tool last wrote into the plan's derived columns; None when
    the master has no such record (an older master: the plan as it stands is the baseline)."""
    if W.name not in wb.sheetnames:
        return None
    out = {}
    for _, row in read_table(wb[W.name], W):
        code = clean_cell(row.get("code"))
        if code:
            out[code] = {k: typed(k, row.get(k)) for k in derived_keys()}
    return out


def write_written(wb, written: dict[str, dict]) -> None:
    from .table_sheet import rewrite_rows

    ws = rewrite_rows(wb, W, [{"code": code, **values} for code, values
                              in sorted(written.items())], styled=False)
    ws.sheet_state = "hidden"

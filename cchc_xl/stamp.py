"""The very hidden sheet an officer workbook carries, so consolidation can trust what returns:
round, role, master identity, and per row the values issued and a seal of the locked text."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import layout
from .compact import by_fields, shared
from .text import clean_cell, format_number, parse_number

FORMAT = "cchc-xl/phieu/1"
KEY_NAME = "_cchc_key"  # hidden defined name of the master holding its sealing key
# Locked columns of an officer's row: what the seal covers.
LOCKED_KEYS = ("code", "title", "max_points", "lost", "action", "part", "deadline")
META_KEYS = ("round", "role", "person", "email", "issued_at", "master_id", "master_file",
             "commune", "due")
TABLE_KEYS = ("code", "sheet_row", "part", "seal", *layout.REPORT_FIELDS)
TABLE_ROW = len(META_KEYS) + 4  # header of the per-row table on the stamp sheet


@by_fields
@dataclass(slots=True)  # a province's returns hold tens of thousands
class StampRow:
    code: str
    sheet_row: int
    part: str  # layout.LEAD or layout.SUPPORT
    seal: str  # seal of the locked content as issued
    base: Mapping = field(default_factory=dict)  # the report fields as issued


@by_fields
@dataclass(slots=True)
class Stamp:
    round: str
    role: str
    person: str
    email: str
    issued_at: dt.datetime
    master_id: str
    master_file: str
    commune: str
    due: dt.date | None
    rows: list[StampRow] = field(default_factory=list)
    seal: str = ""  # seal over everything above

    def row(self, code: str) -> StampRow | None:
        return next((r for r in self.rows if r.code == code), None)


class StampInvalid(ValueError):
    """The hidden sheet exists but is damaged or was edited."""


def new_key() -> str:
    return secrets.token_hex(16)


def master_key(wb, create: bool = False) -> str | None:
    """The master's sealing key (a hidden defined name), created on request."""
    from openpyxl.workbook.defined_name import DefinedName

    if KEY_NAME in wb.defined_names:
        return wb.defined_names[KEY_NAME].attr_text.strip('"')
    if not create:
        return None
    key = new_key()
    wb.defined_names[KEY_NAME] = DefinedName(KEY_NAME, attr_text=f'"{key}"', hidden=True)
    return key


def canonical(value: object) -> str:
    """One text form per value, so a seal does not depend on how a cell stores it."""
    if value is None:
        return ""
    if type(value) is str:  # the most frequent, first (a str is never a number here)
        return clean_cell(value)
    kind = value.__class__
    if kind is int or kind is float or kind is dt.date or (
            kind is dt.datetime and value.tzinfo is None):
        key = (kind, value)  # (1, 1.0 and True are equal, their forms are not)
        text = _CANONICAL.get(key)
        if text is None:
            text = _canonical(value)
            if len(_CANONICAL) < 4096:
                _CANONICAL[key] = text
        return text
    return _canonical(value)


# The forms of the numbers and dates that recur in every return (points, row numbers, due
# dates), worked out once; bounded. Only types whose equal values have one form (not an
# aware datetime: the same instant in two time zones).
_CANONICAL: dict[tuple, str] = {}


def _canonical(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    number = parse_number(value) if isinstance(value, (int, float)) else None
    if number is not None:
        return format_number(number)
    return clean_cell(value)


def seal(key: str, parts) -> str:
    message = "\x1f".join(canonical(p) for p in parts).encode("utf-8")
    return hmac.digest(key.encode("ascii"), message, "sha256").hex()[:32]  # = hmac.new(…)


def row_seal(key: str, locked: dict) -> str:
    return seal(key, [locked.get(k) for k in LOCKED_KEYS])


def stamp_seal(key: str, stamp: Stamp) -> str:
    parts: list = [FORMAT, *(getattr(stamp, k) for k in META_KEYS)]
    for row in stamp.rows:
        parts += [row.code, row.sheet_row, row.part, row.seal,
                  *(row.base.get(k) for k in layout.REPORT_FIELDS)]
    return seal(key, parts)


def write_stamp(wb, stamp: Stamp, key: str) -> None:
    """Add the stamp as a very hidden sheet (not shown by Excel's Unhide)."""
    stamp.seal = stamp_seal(key, stamp)
    ws = wb.create_sheet(layout.STAMP_SHEET)
    ws.sheet_state = "veryHidden"
    ws["A1"], ws["B1"] = "format", FORMAT
    for i, key_name in enumerate(META_KEYS, start=2):
        ws.cell(row=i, column=1, value=key_name)
        ws.cell(row=i, column=2, value=_cell_value(getattr(stamp, key_name)))
    ws.cell(row=len(META_KEYS) + 2, column=1, value="seal")
    ws.cell(row=len(META_KEYS) + 2, column=2, value=stamp.seal)
    for c, name in enumerate(TABLE_KEYS, start=1):
        ws.cell(row=TABLE_ROW, column=c, value=name)
    for r, row in enumerate(stamp.rows, start=TABLE_ROW + 1):
        values = [row.code, row.sheet_row, row.part, row.seal,
                  *(row.base.get(k) for k in layout.REPORT_FIELDS)]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=_cell_value(value))
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type


def _cell_value(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _date(value: object, with_time: bool) -> dt.datetime | dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value if with_time else value.date()
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise StampInvalid(f"bad date {value!r}") from exc
    return parsed if with_time else parsed.date()


def read_stamp(wb) -> Stamp | None:
    """The stamp of an officer workbook, None when it has no stamp sheet."""
    if layout.STAMP_SHEET not in wb.sheetnames:
        return None
    ws = wb[layout.STAMP_SHEET]
    if ws["B1"].value != FORMAT:
        raise StampInvalid(f"unknown stamp format {ws['B1'].value!r}")
    meta = {}
    for i, key_name in enumerate(META_KEYS, start=2):
        if ws.cell(row=i, column=1).value != key_name:
            raise StampInvalid(f"stamp row {i} is not {key_name}")
        value = ws.cell(row=i, column=2).value
        meta[key_name] = "" if value is None else value
    meta["issued_at"] = _date(meta["issued_at"], with_time=True)
    meta["due"] = _date(meta["due"], with_time=False)
    for key_name in ("round", "role", "person", "email", "master_id", "master_file", "commune"):
        meta[key_name] = str(meta[key_name])
    stamp = Stamp(**meta, seal=str(ws.cell(row=len(META_KEYS) + 2, column=2).value or ""))
    header = [ws.cell(row=TABLE_ROW, column=c).value for c in range(1, len(TABLE_KEYS) + 1)]
    if header != list(TABLE_KEYS):
        raise StampInvalid("stamp table header changed")
    for r in range(TABLE_ROW + 1, ws.max_row + 1):
        values = [ws.cell(row=r, column=c).value for c in range(1, len(TABLE_KEYS) + 1)]
        if values[0] in (None, ""):
            continue
        try:
            sheet_row = int(values[1])
        except (TypeError, ValueError) as exc:
            raise StampInvalid(f"stamp row {r}: bad sheet row") from exc
        stamp.rows.append(StampRow(
            code=str(values[0]), sheet_row=sheet_row, part=str(values[2] or ""),
            seal=str(values[3] or ""), base=shared(dict(zip(layout.REPORT_FIELDS, values[4:])))))
    return stamp


def stamp_intact(stamp: Stamp, key: str) -> bool:
    return hmac.compare_digest(stamp.seal, stamp_seal(key, stamp))

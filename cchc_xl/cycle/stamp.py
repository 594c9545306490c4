"""The very hidden sheet an officer workbook carries, so consolidation can trust what returns:
round, role, master identity, and per row the values issued and a seal of the locked text."""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import layout
from ..text import clean_cell, format_number, parse_number

# The stamp as one sealed text (JSON, see stamp_text) in a few cells ("2": a format 1, a cell
# per value, lived a few days in an unreleased version and is not read).
FORMAT = "cchc-xl/phieu/2"
# Locked columns of an officer's row: what the seal covers.
LOCKED_KEYS = ("code", "title", "max_points", "lost", "action", "part", "deadline")
META_KEYS = ("round", "role", "person", "email", "issued_at", "master_id", "master_file",
             "commune", "due")


@dataclass(slots=True)  # a province's returns hold tens of thousands
class StampRow:
    code: str
    sheet_row: int
    part: str  # layout.LEAD or layout.SUPPORT
    seal: str  # seal of the locked content as issued
    base: Mapping = field(default_factory=dict)  # the report fields as issued


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
    # The officer's evidence entries as issued (evidence.Entry); None: a workbook issued
    # without the evidence sheet (before it existed), whose return changes no evidence.
    evidence: list | None = None
    seal: str = ""  # seal over everything above
    text: str = field(default="", repr=False, compare=False)  # the text as read,
    # which its seal covers (returns._read drops it once the seal is checked)

    def row(self, code: str) -> StampRow | None:
        return next((r for r in self.rows if r.code == code), None)


class StampInvalid(ValueError):
    """The hidden sheet exists but is damaged or was edited."""


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
    """The seal of a stamp: of its text exactly as read (or, for a stamp not read, as
    stamp_text writes it)."""
    return _text_seal(key, stamp.text or stamp_text(stamp))


def _text_seal(key: str, text: str) -> str:
    # (surrogatepass: any text edited by hand has one encoding, distinct from all others)
    message = f"{FORMAT}\x1f{text}".encode("utf-8", "surrogatepass")
    return hmac.digest(key.encode("ascii"), message, "sha256").hex()[:32]


# --- the stamp's text ---------------------------------------------------------------------
#
# The sheet: A1 'format', B1 FORMAT; A2 'seal', B2 the seal; A3 'data', B3 and the cells
# below it the text, cut into pieces that fit a cell. Column A only labels (it is not read).
# The text is JSON in one fixed form (stamp_text): ASCII only and no '_' (written \u005f),
# so that no spreadsheet program or reader changes it on the way (Excel's _xHHHH_ escapes
# begin with '_'; JSON escapes control characters). The seal is the HMAC of the text exactly
# as it is stored: any change to it, even one that means the same, breaks the seal. One text
# instead of a cell per value: a return's stamp is read and checked several times faster.

DATA_ROW = 3  # the text's first cell is B3
PIECE = 32_000  # characters a cell of the text holds (Excel's limit is 32,767)


def _json_value(value: object) -> object:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value)


def stamp_text(stamp: Stamp) -> str:
    """The content of a stamp (all but its seal) as one text."""
    import json

    content = {k: _json_value(getattr(stamp, k)) for k in META_KEYS}
    content["rows"] = [[row.code, row.sheet_row, row.part, row.seal,
                        [_json_value(row.base.get(k)) for k in layout.REPORT_FIELDS]]
                       for row in stamp.rows]
    if stamp.evidence is not None:
        content["evidence"] = [e.as_list() for e in stamp.evidence]
    text = json.dumps(content, ensure_ascii=True, separators=(",", ":"))
    return text.replace("_", "\\u005f")  # (only inside strings: JSON has no other '_')


def stamp_cells(stamp: Stamp, key: str) -> list[tuple[int, int, str]]:
    """The stamp sheet's cells, (row, column, text) counted from 0; the stamp's seal is set."""
    text = stamp_text(stamp)
    stamp.seal = _text_seal(key, text)
    cells = [(0, 0, "format"), (0, 1, FORMAT), (1, 0, "seal"), (1, 1, stamp.seal),
             (DATA_ROW - 1, 0, "data")]
    cells += [(DATA_ROW - 1 + i, 1, text[at:at + PIECE])
              for i, at in enumerate(range(0, len(text), PIECE))]
    return cells


def _stamp(ws) -> Stamp:
    """A stamp as its sheet holds it (its seal not checked here: stamp_intact)."""
    import json

    pieces: list[str] = []
    for r in range(DATA_ROW, ws.max_row + 1):
        piece = ws.cell(row=r, column=2).value
        if piece is None or piece == "":
            break
        if not isinstance(piece, str):
            raise StampInvalid(f"stamp cell B{r} is not text")
        pieces.append(piece)
    text = "".join(pieces)
    try:
        content = json.loads(text)
    except ValueError as exc:
        raise StampInvalid("stamp text is not readable") from exc
    if not isinstance(content, dict) or set(content) - {"evidence"} != {*META_KEYS, "rows"}:
        raise StampInvalid("stamp content changed")
    meta = {k: content[k] for k in META_KEYS}
    for k in ("round", "role", "person", "email", "master_id", "master_file", "commune"):
        if not isinstance(meta[k], str):
            raise StampInvalid(f"stamp {k} is not text")
    meta["issued_at"] = _date(meta["issued_at"], with_time=True)
    meta["due"] = _date(meta["due"], with_time=False)
    seal_text = ws.cell(row=2, column=2).value
    stamp = Stamp(**meta, seal=seal_text if isinstance(seal_text, str) else "", text=text)
    rows = content["rows"]
    if not isinstance(rows, list):
        raise StampInvalid("stamp rows changed")
    width = len(layout.REPORT_FIELDS)
    for row in rows:
        if not (isinstance(row, list) and len(row) == 5 and isinstance(row[0], str)
                and type(row[1]) is int and isinstance(row[2], str)
                and isinstance(row[3], str) and isinstance(row[4], list)
                and len(row[4]) == width):
            raise StampInvalid("stamp row changed")
        stamp.rows.append(StampRow(code=row[0], sheet_row=row[1], part=row[2], seal=row[3],
                                   base=dict(zip(layout.REPORT_FIELDS, row[4]))))
    if "evidence" in content:
        stamp.evidence = _evidence(content["evidence"])
    return stamp


def _evidence(items: object) -> list:
    """The evidence entries a stamp holds."""
    from ..master.evidence import Entry

    if not isinstance(items, list):
        raise StampInvalid("stamp evidence changed")
    out = []
    for item in items:
        if not (isinstance(item, list) and len(item) == 7 and isinstance(item[0], str)):
            raise StampInvalid("stamp evidence changed")
        try:
            out.append(Entry.from_list(item))
        except (TypeError, ValueError) as exc:
            raise StampInvalid("stamp evidence changed") from exc
    return out


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
    return _stamp(ws)


def stamp_intact(stamp: Stamp, key: str) -> bool:
    return hmac.compare_digest(stamp.seal, stamp_seal(key, stamp))

"""Checking what an officer typed before it reaches the master, by the kind of field it is.

Accepted, and stored normalised (the kinds of fields.Field):
- status: one of the three statuses, in any case, with or without diacritics, NFC or NFD
  ("hoan thanh", "HOÀN THÀNH", "Hoàn thành ") -> "Hoàn thành";
- progress: in a percentage-formatted cell (the officer workbook's), the fraction it holds
  (1 is 100 %, 0.8 is 80 %; 30 there is 3,000 %, refused); elsewhere a number from 0 to 100
  ("80", 80, "80%", "80 %", "80,5"), a fraction below 1 meaning that many per cent (0.8 is
  80 %); NaN and infinities refused;
- expected points: a number from 0 to the row's maximum, decimal comma and a trailing "điểm"
  accepted ("0,75", "0.75 điểm");
- text (result, obstacles): NFC, control characters removed (a vertical tab, Word's line break,
  becomes a line break), at most 32,767 characters (Excel's cell limit); kept literal, never a
  formula.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

from .. import fields, layout
from ..messages import Bilingual
from ..problems import Problem
from ..text import clean_cell, fold, format_number, parse_number, strip_diacritics

MAX_TEXT = 32767
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u202a-\u202e\u2066-\u2069]")
_UNIT_RE = re.compile(r"\s*(điểm|đ|diem|points?)\s*$", re.IGNORECASE)
_status_keys: tuple = (None, {})  # (the statuses declared, folded label -> label)


def _statuses() -> dict[str, str]:
    global _status_keys
    if _status_keys[0] is not fields.STATUSES:
        _status_keys = (fields.STATUSES, {strip_diacritics(fold(s.label)): s.label
                                          for s in fields.chosen_statuses()})
    return _status_keys[1]


@dataclass
class Rejected:
    """A value that cannot be applied, and why (a message key with its fields)."""

    reason: str  # a code: status-invalid, progress-invalid, expected-invalid, text-too-long...
    params: dict


def normalise_status(raw: object) -> str | None | Rejected:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = unicodedata.normalize("NFC", str(raw))
    key = strip_diacritics(fold(text))
    statuses = _statuses()
    if key in statuses:
        return statuses[key]
    return Rejected("status-invalid", {"allowed": ", ".join(layout.STATUSES)})


def _number(raw: object, *, units: bool = False, percent_sign: bool = False
            ) -> tuple[float | None, bool]:
    """(number, had a % sign) from a cell value; (None, False) when it is not a number."""
    if isinstance(raw, bool):
        return None, False
    if isinstance(raw, (int, float)):
        return float(raw), False
    text = unicodedata.normalize("NFC", str(raw)).strip()
    had_percent = percent_sign and text.endswith("%")
    if had_percent:
        text = text[:-1].strip()
    if units:
        text = _UNIT_RE.sub("", text)
    return parse_number(text), had_percent


def normalise_progress(raw: object, number_format: str = "") -> float | None | Rejected:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value, had_percent = _number(raw, percent_sign=True)
    if value is None:
        return Rejected("progress-invalid", {})
    if not math.isfinite(value):
        return Rejected("number-not-finite", {})
    if not had_percent and "%" in (number_format or "") and not isinstance(raw, str):
        # a percentage cell holds a fraction: 1 is 100 %, and 30 (pasted, or typed where the
        # program does not read it as 30 %) is 3,000 %: out of range, not guessed
        value *= 100
    elif not had_percent and 0 < value < 1:
        value *= 100
    value = round(value, 6)
    if not 0 <= value <= 100:
        if "%" in (number_format or "") and not had_percent and not isinstance(raw, str):
            return Rejected("progress-percent-out-of-range", {"percent": format_number(value)})
        return Rejected("progress-out-of-range", {})
    return value


def normalise_expected(raw: object, max_points: float | None) -> float | None | Rejected:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value, _ = _number(raw, units=True)
    if value is None:
        return Rejected("expected-invalid", {})
    if not math.isfinite(value):
        return Rejected("number-not-finite", {})
    if value < 0 or (max_points is not None and value > max_points + 1e-9):
        return Rejected("expected-out-of-range", {"max_points": format_number(max_points)})
    return value


def normalise_text(raw: object) -> str | None | Rejected:
    if raw is None:
        return None
    if isinstance(raw, (dt.date, dt.datetime)):
        raw = raw.strftime("%d/%m/%Y")
    elif isinstance(raw, float):
        raw = format_number(raw)
    # A vertical tab is Word's line break, pasted into a cell: kept as a line break.
    text = clean_cell(_CONTROL_RE.sub("", str(raw).replace("\x0b", "\n")))
    if len(text) > MAX_TEXT:
        return Rejected("text-too-long", {"length": len(text), "limit": MAX_TEXT})
    return text or None


# How each kind of reported field is normalised: (raw, max_points, number_format) -> value.
NORMALISERS = {
    "status": lambda raw, max_points, number_format: normalise_status(raw),
    "percent": lambda raw, max_points, number_format: normalise_progress(raw, number_format),
    "points": lambda raw, max_points, number_format: normalise_expected(raw, max_points),
    "text": lambda raw, max_points, number_format: normalise_text(raw),
}


def normalise(field: str, raw: object, *, max_points: float | None = None,
              number_format: str = "") -> object:
    """The value to store for a reported field (its key), None for empty, or Rejected."""
    return NORMALISERS[fields.field(field).kind](raw, max_points, number_format)


# Characters no workbook cell can hold (XML 1.0 forbids them; openpyxl raises on them).
_UNWRITABLE_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def shown(value: object, limit: int = 30000) -> object:
    """A value as a problem, the change log or a report may show it: characters a cell
    cannot hold replaced by '\ufffd', at most `limit` characters (a message quoting it
    stays within Excel's 32,767), anything but text unchanged."""
    if not isinstance(value, str) or isinstance(value, Bilingual):  # (the tool's own words)
        return value
    text = _UNWRITABLE_RE.sub("\ufffd", value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_params(params: dict) -> dict:
    return {k: shown(v, 300) for k, v in params.items()}


def same(a: object, b: object) -> bool:
    """Equal as reported values: numbers within 1e-9, text after NFC and trimming, empty = None."""
    a = None if a == "" else a
    b = None if b == "" else b
    if a is None or b is None:
        return a is None and b is None
    na = parse_number(a) if not isinstance(a, str) or _looks_numeric(a) else None
    nb = parse_number(b) if not isinstance(b, str) or _looks_numeric(b) else None
    if na is not None and nb is not None:
        return abs(na - nb) <= 1e-9
    return clean_cell(a) == clean_cell(b)


def _looks_numeric(text: str) -> bool:
    return parse_number(text) is not None


@dataclass
class Rejection:
    """A value an officer sent that could not be applied: open until a later return of theirs
    holds a value for that cell that can."""

    role: str
    person: str
    round: str
    code: str
    field: str
    value: object
    file: str
    problem: Problem

"""Vietnamese text as the plan writes it: Unicode NFC, trimming, dashes, decimal commas."""

from __future__ import annotations

import functools
import math
import re
import unicodedata

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_RE = re.compile(f"[{DASHES}]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2007\u202f]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_cell(text: object) -> str:
    """A cell's text as stored: NFC, each line's trailing spaces and the whole cell trimmed.

    Spacing inside a line and the dash characters are kept as the document has them.
    """
    if text is None:
        return ""
    text = nfc(str(text))
    if "\n" not in text and "\r" not in text:  # one line (most cells): the same, faster
        return text.strip()
    return _by_lines(text)


def _by_lines(text: str) -> str:
    """clean_cell's rule, line by line."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines:
        lines[0] = lines[0].lstrip()
    return "\n".join(lines)


# Old and new tone placement on oa, oe, uy at a syllable's end: 'hoá' and 'hóa' are one word.
_TONES = {"\u0301", "\u0300", "\u0309", "\u0303", "\u0323"}
_OLD_TONE_RE = re.compile(r"([ou])([aey])([\u0301\u0300\u0309\u0303\u0323])(?![a-z\u0300-\u036f])")


def _new_tone_placement(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return nfc(_OLD_TONE_RE.sub(lambda m: m[1] + m[3] + m[2], decomposed))


def fold(text: object) -> str:
    """Key for matching loosely written names: NFC, casefolded, one dash, single spaces,
    one tone placement ('hoá' = 'hóa')."""
    if text is None:
        return ""
    text = str(text)
    return _fold(text) if len(text) <= 200 else _fold.__wrapped__(text)


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """fold of a str (the same labels and names are folded again and again: kept)."""
    s = _new_tone_placement(nfc(text).casefold())
    s = _DASH_RE.sub("-", s)
    s = _SPACES_RE.sub(" ", s.replace("\n", " "))
    s = re.sub(r"\s*-\s*", " - ", s)
    return s.strip(" .;,:")


def strip_diacritics(text: str) -> str:
    """ASCII-ish form: 'Tư pháp – Hộ tịch' -> 'Tu phap - Ho tich'."""
    s = _DASH_RE.sub("-", nfc(text)).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", s)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_number(value: object) -> float | None:
    """A number as written in a Vietnamese plan: '1.03', ' 1.03', '0,5', 5 -> float; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if value is None:
        return None
    s = nfc(str(value)).strip().replace("\u00a0", "").replace(" ", "")
    s = _DASH_RE.sub("-", s)
    if not _NUMBER_RE.match(s):
        return None
    return float(s.replace(",", "."))


def same_number(a: float | None, b: float | None, tolerance: float = 1e-9) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= tolerance


def format_number(value: float | None) -> str:
    """Points as a person writes them: 1.05, 0.5, 2 (no float noise)."""
    if value is None:
        return ""
    if not math.isfinite(value):  # (a cell typed 1e999 holds infinity)
        return str(value)
    rounded = round(value, 6)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.6f}".rstrip("0").rstrip(".")



def printed_number(value: float | None) -> str:
    """A number as Vietnamese paper writes it: a decimal comma (7,95), dots between
    thousands (1.250); empty for no number. Every Word output writes numbers with it."""
    if value is None:
        return ""
    text = format_number(value)
    if not math.isfinite(value):
        return text
    whole, _, decimals = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    grouped = ".".join([digits, *groups])
    return f"{sign}{grouped},{decimals}" if decimals else f"{sign}{grouped}"

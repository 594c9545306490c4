"""Codes as plans write them (1.2, I, II., A, a)) and the tree's own codes they stand for."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROMAN = re.compile(r"^(?=[IVXL])(XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
_ARABIC = re.compile(r"^\d{1,3}(\.\d{1,3})*$")
_UPPER = re.compile(r"^[A-Z]$")
_LOWER = re.compile(r"^[a-z]$")
# "I. CÔNG TÁC CHỈ ĐẠO", "II - …", "A) …", "3. …": a code and its title in one cell.
_HEADING = re.compile(
    r"^(?:(?:lĩnh vực|phần|mục)\s+)?"
    r"(?P<code>[IVXL]+|[A-Z]|\d{1,3}(?:\.\d{1,3})*)\s*(?:[.):]|\s-\s|\s–\s)\s*(?P<title>\S.*)$",
    re.DOTALL | re.IGNORECASE)
# "Lĩnh vực I", "Phần 2", "Tiêu chí 1.2": the code after the word that names its level.
_LEVEL_WORD = re.compile(r"^(?:lĩnh vực|phần|mục|tiêu chí|tc)\s*", re.IGNORECASE)
AREA_KINDS = ("roman", "letter")


@dataclass(frozen=True)
class SourceCode:
    """A code cell read: as written (trimmed), its kind and its number(s)."""

    text: str
    kind: str  # arabic | roman | letter | lower | empty | other
    parts: tuple[int, ...] = ()

    @property
    def arabic(self) -> str:
        """'1.2' for an Arabic code written '1.2.', '1,2' or '01.2'."""
        return ".".join(str(p) for p in self.parts)


def roman_value(text: str) -> int | None:
    if not _ROMAN.match(text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def read_code(text: str) -> SourceCode:
    written = " ".join(str(text or "").split())
    s = _LEVEL_WORD.sub("", written).rstrip(".):").strip()
    s = re.sub(r"\s*([.,])\s*", r"\1", s)
    if not s:
        return SourceCode(written, "empty")
    dotted = s.replace(",", ".")
    if _ARABIC.match(dotted):
        return SourceCode(written, "arabic", tuple(int(p) for p in dotted.split(".")))
    value = roman_value(s)
    if value is not None:
        return SourceCode(written, "roman", (value,))
    if _UPPER.match(s):
        return SourceCode(written, "letter", (ord(s) - ord("A") + 1,))
    if _LOWER.match(s):
        return SourceCode(written, "lower", (ord(s) - ord("a") + 1,))
    return SourceCode(written, "other")


def split_heading(text: str) -> tuple[str, str] | None:
    """('I', 'CÔNG TÁC CHỈ ĐẠO') for a cell holding both, or None."""
    match = _HEADING.match(" ".join(str(text or "").split()))
    if match is None or not re.search(r"[^\W\d_]", match["title"]):
        return None
    code = match["code"]
    if code.isalpha() and not code.isupper():  # ("Phần a) …": a sentence, not an area)
        return None
    return code, match["title"]


def looks_like_code(text: str) -> bool:
    """A code cell of any kind: 1.2, I, A, a."""
    return read_code(text).kind in ("arabic", "roman", "letter", "lower")


def looks_like_row_start(text: str) -> bool:
    """A cell that can begin a row of a plan: a code, or a code with its title."""
    return read_code(text).kind in ("arabic", "roman", "letter") or split_heading(
        text) is not None


@dataclass
class TreeCodes:
    """The tree's code of each row, and the areas whose number was taken from their
    criteria rather than from the area's own marker (marker, code)."""

    codes: list[str]
    converted: bool = False
    renumbered: list[tuple[str, str]] | None = None


def tree_codes(written: list[SourceCode]) -> TreeCodes:
    """The tree's codes for the rows' written codes, in order.

    Areas written as Roman numerals (I, II.) or letters (A, B) become '1', '2'; a criterion
    under one is kept when written in full ('1.2' under I), or numbered within its area when
    written from 1 ('1' under II is '2.1'). An area whose criteria are all written in full
    under another number takes theirs (V over 7.1 and 7.2 is area 7). Lower-case letters
    (a, b) are the parts of the criterion above them. Arabic codes are only tidied ('1.2.' is
    '1.2'); anything else is kept as written, for validation to report."""
    letters = any(c.kind == "letter" for c in written)
    areas = [i for i, c in enumerate(written) if c.kind in AREA_KINDS]
    out = TreeCodes([""] * len(written), converted=bool(areas), renumbered=[])
    area_of: dict[int, tuple[str, bool]] = {}  # row -> (area code, criteria written in full)
    for n, start in enumerate(areas):
        end = areas[n + 1] if n + 1 < len(areas) else len(written)
        marker = written[start]
        number = marker.parts[0]
        if letters and marker.kind == "roman":  # (I is the ninth letter in A, B, … I)
            number = ord(marker.text.rstrip(".):").strip()[0]) - ord("A") + 1
        under = [written[i] for i in range(start + 1, end) if written[i].kind == "arabic"]
        full = bool(under) and all(len(c.parts) > 1 for c in under)
        firsts = {c.parts[0] for c in under}
        if full and len(firsts) == 1:
            (first,) = firsts
            if first != number:
                out.renumbered.append((marker.text, str(first)))
            number = first
        for i in range(start, end):
            area_of[i] = (str(number), full)
    last = ""
    for i, code in enumerate(written):
        if code.kind in AREA_KINDS:
            out.codes[i] = area_of[i][0]
        elif code.kind == "arabic":
            area, full = area_of.get(i, ("", True))
            out.codes[i] = code.arabic if full or not area else f"{area}.{code.arabic}"
            if out.codes[i] != code.text:
                out.converted = True
        elif code.kind == "lower" and last:
            out.codes[i] = f"{last}.{code.parts[0]}"
            out.converted = True
            continue
        else:
            out.codes[i] = code.text
        last = out.codes[i] if code.kind != "empty" else last
    return out

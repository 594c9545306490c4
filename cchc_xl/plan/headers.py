"""Columns found by what their header says: labels folded to words and matched in any order."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..text import nfc, strip_diacritics

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def words(text: object) -> tuple[str, ...]:
    """A header as the words it is matched by: no case, diacritics, punctuation or spacing
    ('Cơ quan  CHỦ TRÌ/thực hiện' -> ('co', 'quan', 'chu', 'tri', 'thuc', 'hien'))."""
    if text is None:
        return ()
    plain = strip_diacritics(nfc(str(text))).casefold()
    return tuple(_NOT_WORD.sub(" ", plain).split())


@dataclass(frozen=True)
class Label:
    """One declared spelling of a field: its words, whether it must be the whole header, and
    its rank among the field's spellings (0: the most usual)."""

    field: str
    words: tuple[str, ...]
    whole: bool
    rank: int


@dataclass(frozen=True)
class Match:
    """A header matched to a field: where the label's words start in it and how many."""

    field: str
    start: int
    length: int
    whole: bool
    rank: int

    @property
    def strength(self) -> tuple:
        """Which of two fields one header means: the label standing later in it (its last
        noun qualifies the first: 'nội dung giải pháp'), then the longer label."""
        return (self.start, self.length, self.whole, -self.rank)


def compile_labels(declared: Mapping[str, Iterable[str]]) -> list[Label]:
    out = []
    for field, labels in declared.items():
        for rank, label in enumerate(labels):
            whole = label.startswith("=")
            out.append(Label(field, words(label.lstrip("=")), whole, rank))
    return out


def _find(haystack: tuple[str, ...], needle: tuple[str, ...]) -> int:
    n = len(needle)
    for i in range(len(haystack) - n + 1):
        if haystack[i:i + n] == needle:
            return i
    return -1


def best_match(header: object, labels: list[Label]) -> Match | None:
    """The field a header names, or None."""
    found = words(header)
    if not found:
        return None
    best: Match | None = None
    for label in labels:
        if label.whole:
            if found != label.words:
                continue
            start = 0
        else:
            start = _find(found, label.words)
            if start < 0:
                continue
        match = Match(label.field, start, len(label.words), found == label.words, label.rank)
        if best is None or match.strength > best.strength:
            best = match
    return best


@dataclass
class Assignment:
    """Which column holds each field, and the columns that matched a field another column
    holds better (kept as extra columns)."""

    fields: dict[str, int]
    matches: dict[int, Match]
    second: dict[int, str]  # column -> the field it also matched


def assign(headers: Mapping[int, list[object]], labels: list[Label]) -> Assignment:
    """Fields for columns, each header given as its variants in order of preference (the
    first variant that names a field is taken). A field two columns name goes to the column
    whose label ranks better, then the one whose header is the label, then the leftmost."""
    matches: dict[int, Match] = {}
    for column, variants in headers.items():
        for variant in variants:
            match = best_match(variant, labels)
            if match is not None:
                matches[column] = match
                break
    fields: dict[str, int] = {}
    second: dict[int, str] = {}
    for column in sorted(matches, key=lambda c: (matches[c].rank, not matches[c].whole, c)):
        field = matches[column].field
        if field in fields:
            second[column] = field
        else:
            fields[field] = column
    return Assignment(fields, {c: m for c, m in matches.items() if c not in second}, second)

"""Which column of a plan's table holds which field: the header row(s) found and read by meaning."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import layout
from ..files.table_grid import GridCell, GridTable
from ..text import clean_cell
from .headers import assign, compile_labels, words

LABELS = compile_labels(layout.PLAN_IMPORT_LABELS)
SEARCH_ROWS = 8  # a title row or two may stand above the header inside the table
_NUMBERING = re.compile(r"^\(?(\d{1,2}|[a-z])\)?(\s*=.*)?$", re.IGNORECASE)
_TOTALS = {words(label) for label in layout.PLAN_TOTAL_LABELS}


@dataclass
class TableColumn:
    """One column of the document's table: its place, its header as shown, and the master's
    field it holds (None: a column the master has no field for, kept as an extra one)."""

    index: int
    label: str
    field: str | None = None
    also: str | None = None  # a field it matched too, which another column holds


@dataclass
class Header:
    """The header of a plan table: which rows it spans and what each column holds."""

    rows: tuple[int, ...]
    columns: list[TableColumn] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, int]:
        return {c.field: c.index for c in self.columns if c.field}

    @property
    def body_start(self) -> int:
        return self.rows[-1] + 1

    def missing(self) -> list[str]:
        """Required fields no column holds (appraised points may come from the lost ones)."""
        found = self.fields
        out = [f for f in layout.PLAN_IMPORT_REQUIRED if f not in found]
        if not any(f in found for f in layout.PLAN_IMPORT_POINTS):
            out.append(layout.PLAN_IMPORT_POINTS[0])
        return out

    def label(self, key: str) -> str:
        return next(c.label for c in self.columns if c.field == key)

    @property
    def score(self) -> tuple[int, int]:
        return (len(layout.PLAN_IMPORT_REQUIRED) + 1 - len(self.missing()), len(self.fields))


def _text(cell: GridCell) -> str:
    return " ".join(clean_cell(cell.text).split())


def _columns(table: GridTable, top: int, depth: int) -> list[TableColumn]:
    """The columns as a header of `depth` rows from row `top` names them; a cell merged over
    sub-headers ('Điểm' over 'Chuẩn', 'Đạt') gives its text to each ('Điểm / Đạt')."""
    rows = [table.rows[r] for r in range(top, top + depth)]
    variants: dict[int, list[str]] = {}
    shown: dict[int, str] = {}
    for c in range(table.width):
        texts: list[str] = []
        for row in rows:
            cell = row[c] if c < len(row) else GridCell("")
            text = _text(cell)
            if text and not cell.below and (not texts or words(text) != words(texts[-1])):
                texts.append(text)
        if not texts:
            continue
        shown[c] = " / ".join(texts)
        # the lowest row alone first ('Chủ trì' under 'Cơ quan thực hiện'), then all of them
        variants[c] = [texts[-1], " ".join(texts)] if len(texts) > 1 else texts
    found = assign(variants, LABELS)
    out = []
    for c, label in shown.items():
        owner = next((f for f, col in found.fields.items() if col == c), None)
        out.append(TableColumn(c, label, owner, found.second.get(c)))
    return out


def _candidate(table: GridTable, top: int, depth: int) -> Header | None:
    if top + depth > len(table.rows):
        return None
    if depth > 1 and (is_numbering_row(table.rows[top + depth - 1])
                      or looks_like_data(table.rows[top + depth - 1])):
        return None
    header = Header(tuple(range(top, top + depth)), _columns(table, top, depth))
    fields = header.fields
    if "code" not in fields and "title" not in fields or len(fields) < 3:
        return None
    return header


def find_header(table: GridTable) -> Header | None:
    """The best header among the first rows of a table (one or two rows deep), or None when
    no row names at least three of the plan's fields."""
    best: Header | None = None
    for top in range(min(SEARCH_ROWS, len(table.rows))):
        for depth in (1, 2, 3):
            header = _candidate(table, top, depth)
            if header is not None and (best is None or (header.score, -depth) > (
                    best.score, -len(best.rows))):
                best = header
    return best


def is_numbering_row(cells: list[GridCell]) -> bool:
    """A row numbering the columns under the header: (1) (2) (3) …, 1 2 3 …, A B C …"""
    texts = [_text(c) for c in cells if c.origin and _text(c)]
    return len(texts) >= 3 and all(_NUMBERING.match(t) for t in texts)


def looks_like_data(cells: list[GridCell]) -> bool:
    """A row holding numbers in several cells: a criterion, not part of a header."""
    from ..text import parse_number

    numbers = sum(1 for c in cells if c.origin and parse_number(_text(c)) is not None)
    return numbers >= 3 and not is_numbering_row(cells)


def is_total_text(text: str) -> bool:
    """'Tổng cộng', 'TỔNG', 'Cộng:', 'Tổng cộng (I+II+III)' … : the table's total row."""
    found = words(text)
    if found in _TOTALS or found[:2] == ("tong", "cong"):
        return True
    return bool(found) and found[0] in ("tong", "cong") and all(
        re.fullmatch(r"[ivxl]+|\d+", w) for w in found[1:])

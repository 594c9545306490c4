"""Tables of Word's text export, as grids: rows found from the header, not by counting cells.

Word writes each cell on a line starting with a tab, a cell's further paragraphs on the lines
after it, and a blank line after a row's last cell; a cell may hold a blank paragraph too (the
seed's row 1.6), and a cell merged across is written once. So where a row ends is not written:
it is chosen so that rows have as many cells as the header has columns, and a shorter row (a
merged area row) starts with a code. Files where each row is one line of tab-separated cells
are read too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import layout
from ..files.table_grid import GridCell, GridTable, spread
from .codes import AREA_KINDS, looks_like_code, looks_like_row_start, read_code, split_heading
from .header import find_header
from .headers import words

_TITLE_WORDS = [words(w) for w in layout.PLAN_TABLE_TITLE_WORDS]


@dataclass
class _Cell:
    lines: list[str]
    line: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def ends_row(self) -> bool:
        """A blank line follows the cell's text: a row may end here."""
        return len(self.lines) > 1 and not self.lines[-1].strip()


@dataclass
class _Chunk:
    paragraphs: list[str] = field(default_factory=list)
    cells: list[_Cell] = field(default_factory=list)


def read_text_tables(text: str) -> tuple[list[str], list[GridTable]]:
    """The paragraphs above the first table, and each table of the export as a grid."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if _tab_separated(lines):
        return _read_separated(lines)
    heading, chunks = _chunks(lines)
    return heading, [_table(chunk, n) for n, chunk in enumerate(chunks, start=1) if chunk.cells]


def _tab_separated(lines: list[str]) -> bool:
    inner = sum(1 for line in lines if "\t" in line.lstrip("\t")[:-1] or line.count("\t") > 1)
    leading = sum(1 for line in lines if line.startswith("\t") and line.count("\t") == 1)
    return inner > leading


def _read_separated(lines: list[str]) -> tuple[list[str], list[GridTable]]:
    heading: list[str] = []
    rows: list[list[str]] = []
    starts: list[int] = []
    for number, line in enumerate(lines, start=1):
        if "\t" in line:
            rows.append(line.split("\t"))
            starts.append(number)
        elif not rows:
            if line.strip():
                heading.append(line.strip())
        elif line.strip():  # a cell's further paragraph
            rows[-1][-1] += "\n" + line
    width = max((len(r) for r in rows), default=0)
    grid = [[GridCell(t) for t in r] + [GridCell("")] * (width - len(r)) for r in rows]
    return heading, [GridTable(grid, [], 1, starts)] if grid else []


def _is_title(line: str) -> bool:
    found = words(line)
    return any(found[:len(w)] == w for w in _TITLE_WORDS)


def _chunks(lines: list[str]) -> tuple[list[str], list[_Chunk]]:
    """Cells, split into tables where a paragraph outside any cell («PHỤ LỤC 2», «Biểu …»)
    stands between two of them after a blank line; text after the last table's last row
    (a signature block) is left out."""
    heading: list[str] = []
    chunks = [_Chunk()]
    for number, line in enumerate(lines, start=1):
        cells = chunks[-1].cells
        if line.startswith("\t"):
            cells.append(_Cell([line[1:]], number))
        elif not cells and len(chunks) == 1:
            if line.strip():
                heading.append(line.strip())
        elif not cells:
            if line.strip():
                chunks[-1].paragraphs.append(line.strip())
        elif line.strip() and _is_title(line) and not cells[-1].lines[-1].strip():
            chunks.append(_Chunk([line.strip()]))
        else:
            cells[-1].lines.append(line)
    for chunk in chunks:  # after the blank line that ends the last row: not in the table
        if chunk.cells:
            last = chunk.cells[-1]
            blank = next((i for i, text in enumerate(last.lines) if i and not text.strip()),
                         None)
            if blank is not None:
                last.lines = last.lines[:blank + 1]
    return heading, chunks


def _segments(cells: list[_Cell]) -> list[list[_Cell]]:
    """Cells split at every blank line: rows, where no cell holds a blank paragraph."""
    out: list[list[_Cell]] = [[]]
    for cell in cells:
        out[-1].append(cell)
        if cell.ends_row:
            out.append([])
    return [s for s in out if s]


def _table(chunk: _Chunk, number: int) -> GridTable:
    segments = _segments(chunk.cells)
    probe = GridTable([[GridCell(c.text) for c in s] for s in segments[:12]], number=number)
    header = find_header(probe)
    if header is None:
        width = max(len(s) for s in segments)
        return GridTable([spread([c.text for c in s], width) for s in segments],
                         chunk.paragraphs, number, [s[0].line for s in segments])
    head = segments[:header.body_start]
    width = max(len(segments[r]) for r in header.rows)
    code_column = header.fields.get("code", 0)
    body = _rows([c for s in segments[header.body_start:] for c in s], width,
                 code_column if code_column < width else 0)
    grid = [_header_row(s, head, width) for s in head]
    grid += [spread([c.text for c in row], width) for row in body]
    lines = [s[0].line for s in head] + [row[0].line for row in body]
    return GridTable(grid, chunk.paragraphs, number, lines)


def _header_row(segment: list[_Cell], head: list[list[_Cell]], width: int) -> list[GridCell]:
    """A header row as wide as the table: a row written with fewer cells than the one below
    it had cells merged across; each stands over the run of sub-headers under it, or over
    one empty cell (a cell merged down)."""
    texts = [c.text for c in segment]
    if len(texts) >= width:
        return [GridCell(t) for t in texts[:width]]
    at = head.index(segment)
    below = head[at + 1] if at + 1 < len(head) else None
    if below is None or len(below) != width:
        return spread(texts, width)
    under = [bool(c.text.strip()) for c in below]
    runs: list[tuple[int, int]] = []  # (first column, columns) of each run of sub-headers
    c = 0
    while c < width:
        if under[c]:
            start = c
            while c < width and under[c]:
                c += 1
            runs.append((start, c - start))
        else:
            runs.append((c, 1))
            c += 1
    if len(runs) != len(texts):
        return spread(texts, width)
    out: list[GridCell] = []
    for text, (_, span) in zip(texts, runs):
        out += [GridCell(text)] + [GridCell(text, origin=False)] * (span - 1)
    return out


def _rows(cells: list[_Cell], width: int, code_column: int = 0) -> list[list[_Cell]]:
    """The body's cells cut into rows: ends at blank lines, as many full rows and as few
    short ones as can be. A row costs more when it does not start with a code (a full row
    at its code column, a short one at its first cell), and when an area's code (I, II, A)
    would stand inside it after a blank line, elsewhere than in its code column."""
    count = len(cells)
    inf = float("inf")
    cost = [0.0] + [inf] * count
    back = [0] * (count + 1)
    strong = [_area_start(c.lines[0]) for c in cells]
    for end in range(1, count + 1):
        ends_here = end == count or cells[end - 1].ends_row
        for start in range(max(0, end - width), end):
            if cost[start] == inf:
                continue
            size = end - start
            price = 0.0 if ends_here else 0.5
            inside = range(start + 1, end)
            code_at = start + code_column if size == width else start
            price += 2.0 * sum(1 for k in inside
                               if cells[k - 1].ends_row and strong[k] and k != code_at)
            if size == width:
                code = cells[start + code_column].lines[0]
                if code.strip() and not looks_like_code(code):
                    price += 0.5
            else:
                price += 1.0
                if not looks_like_row_start(cells[start].lines[0]):
                    price += 1.0
                price += 2.0 * sum(1 for k in inside if cells[k - 1].ends_row
                                   and not strong[k] and looks_like_row_start(cells[k].lines[0]))
            if cost[start] + price < cost[end]:
                cost[end], back[end] = cost[start] + price, start
    rows: list[list[_Cell]] = []
    end = count
    while end > 0:
        rows.append(cells[back[end]:end])
        end = back[end]
    rows.reverse()
    return rows


def _area_start(text: str) -> bool:
    """An area's code (I, II., A), alone or before its title: a row surely starts here."""
    split = split_heading(text)
    return read_code(text).kind in AREA_KINDS or (
        split is not None and read_code(split[0]).kind in AREA_KINDS)

"""A table read from a document as its grid: one cell per grid column, merges kept."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GridCell:
    """The text at one grid position. `origin` is False on the later columns of a cell
    merged across (they repeat its text); `below` is True on the rows under a cell merged
    down (they repeat the top cell's text, which is what each of those rows holds)."""

    text: str
    origin: bool = True
    below: bool = False


@dataclass
class GridTable:
    """A table of a document: its grid rows, the paragraphs just before it and where it is
    (its number in the document; for a text export, the line each row starts on)."""

    rows: list[list[GridCell]]
    paragraphs: list[str] = field(default_factory=list)
    number: int = 1
    lines: list[int] | None = None

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def padded(self) -> GridTable:
        """The same table with every row as wide as the widest (cells missing at the end of
        a row are empty)."""
        width = self.width
        rows = [row + [GridCell("")] * (width - len(row)) for row in self.rows]
        return GridTable(rows, self.paragraphs, self.number, self.lines)


def spread(texts: list[str], width: int) -> list[GridCell]:
    """A row given as fewer cells than the table has columns (a text export writes a merged
    cell once): its cells from the left, the last one merged across the rest."""
    cells = [GridCell(text) for text in texts[:width]]
    if cells and len(cells) < width:
        last = cells[-1].text
        cells += [GridCell(last, origin=False)] * (width - len(cells))
    return cells

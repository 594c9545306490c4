"""The sheets of a returned .xlsx kept within bounds before any is read: a package without the
stamp sheet is answered before a sheet is looked at, and a large sheet must be one that can be
streamed only so far (its size written before its cells, its rows in order)."""

from __future__ import annotations

import zipfile

from .. import layout
from ..messages import Bilingual

OFFICER = layout.OFFICER
# A sheet part read whole without looking (one of this size is parsed in about a second); the
# cells of the sheets read, before their last row read.
WHOLE_SHEET_BYTES = 4 * 1024 * 1024
MAX_SHEET_CELLS = 500_000


class NoStamp(Exception):
    """A package without the stamp sheet: nothing more of it need be read."""

    def __init__(self, officer: bool):
        super().__init__(officer)
        self.officer = officer  # whether it has the officer's sheet


class Unbounded(Exception):
    """A sheet that cannot be read within the bounds: its reason (Bilingual) is args[0]."""


def stamped(parts: dict[str, str]) -> None:
    """NoStamp for a package (its sheets' parts by name) without the stamp sheet."""
    if layout.STAMP_SHEET not in parts:
        raise NoStamp(OFFICER.name in parts)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def bounded_sheet(archive: zipfile.ZipFile, part: str, name: str, max_row: int) -> None:
    """Unbounded for a sheet larger than WHOLE_SHEET_BYTES without its <dimension> before its
    cells, whose rows are out of order (rows numbered 1, 1, 1, … never end), or that has more
    than MAX_SHEET_CELLS cells before its row max_row: found by streaming the sheet only so
    far. A part this small is read whole in a moment anyway."""
    from lxml import etree

    size = archive.getinfo(part).file_size
    if size <= WHOLE_SHEET_BYTES:
        return
    big = Bilingual(f"sheet «{name}» lớn ({size} byte) mà không ghi kích thước (dimension) "
                    f"trước các ô, như Excel vẫn ghi",
                    f"sheet '{name}' is large ({size} bytes) without its size (dimension) "
                    f"before its cells, which Excel always writes")
    dimension, data, row, cell = (_MAIN + t for t in ("dimension", "sheetData", "row", "c"))
    seen = has_dimension = last = False
    rows = cells = number = 0
    with archive.open(part) as fh:
        for event, el in etree.iterparse(fh, events=("start", "end"),
                                         tag=(dimension, data, row, cell),
                                         resolve_entities=False, no_network=True,
                                         load_dtd=False, huge_tree=False):
            tag = el.tag
            if event == "end":
                if tag == row:
                    if last:  # (the row it stops at is parsed, all its cells)
                        return
                    el.clear()  # (what is behind is not looked at again)
                    while el.getprevious() is not None:
                        del el.getparent()[0]
                continue
            if tag == dimension:
                has_dimension = True
            elif tag == data:
                if not has_dimension:
                    raise Unbounded(big)
                seen = True
            elif tag == row and seen:
                number = _row_number(el.get("r"), number)
                if number is None:
                    raise Unbounded(Bilingual(f"số dòng không đọc được trong sheet «{name}»",
                                              f"a row number that cannot be read in sheet "
                                              f"'{name}'"))
                last = number > max_row  # where reading stops
                rows += 1
                if rows > max_row + 1:
                    raise Unbounded(Bilingual(
                        f"các dòng của sheet «{name}» không theo thứ tự (Excel luôn ghi "
                        f"theo thứ tự)",
                        f"the rows of sheet '{name}' are out of order (Excel always writes "
                        f"them in order)"))
            elif tag == cell and seen:
                cells += 1
                if cells > MAX_SHEET_CELLS:
                    raise Unbounded(Bilingual(
                        f"sheet «{name}» có hơn {MAX_SHEET_CELLS} ô trong {max_row} dòng đầu",
                        f"sheet '{name}' has more than {MAX_SHEET_CELLS} cells in its first "
                        f"{max_row} rows"))


def _row_number(r: str | None, last: int) -> int | None:
    """A row's number as spreadsheet readers read it (the next one without 'r'); None where
    it cannot be read."""
    if r is None:
        return last + 1
    try:
        return int(r)
    except ValueError:
        try:
            value = float(r)
        except ValueError:
            return None
        return int(value) if value.is_integer() else None


class TooLarge(Exception):
    """A sheet used beyond the bounds calamine may expand (its name, rows, columns)."""

    def __init__(self, sheet: str, rows: int, columns: int):
        super().__init__(sheet, rows, columns)
        self.sheet, self.rows, self.columns = sheet, rows, columns

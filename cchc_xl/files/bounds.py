"""openpyxl's read-only loader kept within bounds, for returns.open_return: a package without
the stamp sheet is answered before any sheet is read, and no sheet is read further than its
bounds (openpyxl reads on, in some packages, to the end of a sheet)."""

from __future__ import annotations

import io
import zipfile

from openpyxl.reader.excel import ExcelReader

from .. import layout
from ..messages import Bilingual

OFFICER = layout.OFFICER
# A sheet part openpyxl may read whole (one of this size is parsed in about a second); the
# cells of the sheets read, before their last row read.
WHOLE_SHEET_BYTES = 4 * 1024 * 1024
MAX_SHEET_CELLS = 500_000


class NoStamp(Exception):
    """A package without the stamp sheet: nothing more of it need be read."""

    def __init__(self, officer: bool):
        super().__init__(officer)
        self.officer = officer  # whether it has the officer's sheet


class Unbounded(Exception):
    """A sheet openpyxl would read beyond the bounds: its reason (Bilingual) is args[0]."""


class _BoundedReader(ExcelReader):
    """openpyxl's loader, each sheet looked at before it is handed on (see load_bounded)."""

    def read_worksheets(self):
        sheets = [(sheet.name, rel) for sheet, rel in self.parser.find_sheets()
                  if rel.target in self.valid_files]
        names = {name for name, _ in sheets}
        if layout.STAMP_SHEET not in names:
            raise NoStamp(OFFICER.name in names)
        for name, rel in sheets:
            _bounded_sheet(self.archive, rel.target, name, self.sheet_rows.get(name),
                           "chartsheet" in rel.Type)
        super().read_worksheets()


def load_bounded(data: bytes, sheet_rows: dict[str, int]):
    """openpyxl.load_workbook(read_only=True, keep_vba=False, keep_links=False) of a
    package, within bounds. Without the stamp sheet, NoStamp before any sheet is read.
    openpyxl's read-only loader reads a sheet whole for its size unless a <dimension>
    comes before its cells, and reads rows until one is numbered past those asked for (rows
    numbered 1, 1, 1, … go on to the end): so a large sheet must have its dimension, and the
    stamp and officer sheets must reach the rows not read within so many rows and cells;
    Unbounded otherwise (found by streaming the sheet only so far)."""
    reader = _BoundedReader(io.BytesIO(data), read_only=True, keep_vba=False, keep_links=False)
    reader.sheet_rows = sheet_rows
    reader.read()
    return reader.wb


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _bounded_sheet(archive: zipfile.ZipFile, part: str, name: str, max_row: int | None,
                   chart: bool) -> None:
    """Unbounded when openpyxl would read more of this sheet than its bounds (see
    load_bounded): a part this small is read whole by the loader in a moment anyway."""
    from lxml import etree

    size = archive.getinfo(part).file_size
    if size <= WHOLE_SHEET_BYTES:
        return
    big = Bilingual(f"sheet «{name}» lớn ({size} byte) mà không ghi kích thước (dimension) "
                    f"trước các ô, như Excel vẫn ghi",
                    f"sheet '{name}' is large ({size} bytes) without its size (dimension) "
                    f"before its cells, which Excel always writes")
    if chart:
        raise Unbounded(big)
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
                    if last:  # (openpyxl parses the row it stops at, all its cells)
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
                if max_row is None:
                    return
                seen = True
            elif tag == row and seen:
                number = _row_number(el.get("r"), number)
                if number is None:
                    return  # (openpyxl refuses the sheet there)
                last = number > max_row  # where openpyxl stops
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
    """A row's number as openpyxl's WorkSheetParser reads it (the next one without 'r');
    None where it raises."""
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

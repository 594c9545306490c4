"""The sheets of a returned workbook (.xlsx, .xlsm or .ods) as grids of cells: values through
python-calamine, and what calamine does not give (formulas, number formats) from one scan of
the officer sheet's XML; every sheet handed to calamine is first known to be of bounded size."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from operator import itemgetter

from lxml import etree

from ..files.bounds import TooLarge

_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CORE = "{http://purl.org/dc/terms/}modified"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)
# calamine expands a sheet whole, as the rectangle from A1 to its last cell: a sheet is read
# only within these (a return has a few dozen columns and at most MAX_ROWS rows of a plan).
MAX_COLUMNS = 1024
MAX_CELLS = 2_000_000


class Cell:
    """A cell's value and what the reader needs to know of it, detached from its workbook."""

    __slots__ = ("value", "data_type", "number_format")

    def __init__(self, value: object = None, data_type: str = "n", number_format: str = ""):
        self.value, self.data_type, self.number_format = value, data_type, number_format


EMPTY = Cell()


class Grid:
    """A sheet's cells read once, within bounds: `rows`, each a list of the row's values as
    openpyxl types them (None for an empty cell, a formula's text for a formula); `formats`,
    row -> column -> number format, where it is not General; `formulas`, row -> the columns
    holding a formula. The row readers take these as they are (a return's sheets hold
    thousands of cells); the stamp reader a worksheet's interface: cell, ['B1'], max_row."""

    __slots__ = ("rows", "formats", "formulas")

    def __init__(self, rows: list[list], formats: dict[int, dict[int, str]] | None = None,
                 formulas: dict[int, set[int]] | None = None):
        self.rows, self.formats, self.formulas = rows, formats or {}, formulas or {}

    @property
    def max_row(self) -> int:
        return len(self.rows)

    def cell(self, row: int, column: int) -> Cell:
        if 1 <= row <= len(self.rows) and 1 <= column <= len(self.rows[row - 1]):
            value = self.rows[row - 1][column - 1]
            kind = "f" if column in self.formulas.get(row, ()) else "n"
            return Cell(value, kind, self.formats.get(row, {}).get(column, ""))
        return EMPTY

    def __getitem__(self, ref: str) -> Cell:
        from openpyxl.utils import coordinate_to_tuple

        return self.cell(*coordinate_to_tuple(ref))


@dataclass
class Sheets:
    """What a return's reader needs of its workbook."""

    names: list[str]
    grids: dict[str, Grid] = field(default_factory=dict)  # the sheets asked for, by name
    merged: list[str] = field(default_factory=list)  # the marked sheet's merged ranges (A1)
    saved: dt.datetime | None = None
    macros: bool = False


def read_sheets(data: bytes, wanted: dict[str, tuple[int, int | None]],
                marked: tuple[str, ...], *, ods: bool, unpacked=None) -> Sheets:
    """The sheets `wanted` (name -> (rows, columns or None: all)) of a workbook package that
    passed inbox.package_problem, those it has; the cells of the `marked` sheets carry their
    formulas (of an .ods: the first marked sheet's only), the first marked sheet's cells
    their number formats too; merged ranges are the first marked sheet's. unpacked: what
    inbox.unpack unzipped (not unzipped again).
    .ods: ods_read.ods_scan bounds the sheets first (TooLarge);
    .xlsx: xlsx_bounds (NoStamp, Unbounded) then the scan of the sheets' XML (TooLarge)."""

    if ods:
        from .ods_read import ods_saved, ods_scan

        first = marked[0]
        by_row: dict[int, dict] = {}
        bound = 2 * max(rows for rows, _ in wanted.values())  # (calamine's rows, with room)
        for (r, c), (f, percent) in ods_scan(data, first, wanted[first][0], bound).items():
            by_row.setdefault(r, {})[c] = (f, "0%" if percent else "")
        marks = {first: by_row}
        merged, saved, macros, absent = [], ods_saved(data), False, set()
    else:
        marks, merged, saved, macros, cut, absent = _xlsx_facts(data, wanted, marked, unpacked)
        if cut:  # (calamine expands a sheet whole: it gets only the rows read)
            data = _replaced(data, cut)
    got = Sheets([], merged=merged, saved=saved, macros=macros)
    try:
        _values(got, data, wanted, marks, absent)
    except Exception:
        raise
    except BaseException as exc:  # (calamine's panics, pyo3's PanicException, are not Exceptions)
        if type(exc).__name__ != "PanicException":
            raise
        raise ValueError(str(exc)) from None
    return got


def _values(got: Sheets, data: bytes, wanted: dict, marks: dict, absent: set) -> None:
    """The sheets' names and the wanted sheets' cells, by calamine."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    got.names = [n for n in book.sheet_names if n not in absent]
    for name, (limit, width) in wanted.items():
        if name not in got.names:
            continue
        values = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=limit)
        got.grids[name] = _grid(values, marks.get(name, {}), width)


def _grid(values: list[list], marks: dict[int, dict[int, tuple]], width: int | None) -> Grid:
    """calamine's rows typed as openpyxl types them (whole numbers as int, dates as
    datetime, "" as None), with the marks of their cells (row -> column -> mark, _marks):
    a number format, a formula (its text instead of the value) or a number shown as a date
    (converted)."""
    rows = [[None if v == "" else v if v.__class__ is str else _typed(v)
             for v in (row[:width] if width else row)] for row in values]
    formats: dict[int, dict[int, str]] = {}
    formulas: dict[int, set[int]] = {}
    for r, row_marks in marks.items():
        if r > len(rows):
            continue
        out = rows[r - 1]
        for c, mark in row_marks.items():
            if width and c > width:
                continue
            if len(out) < c:
                out.extend([None] * (c - len(out)))
            formula, fmt = mark[0], mark[1]
            if fmt:
                formats.setdefault(r, {})[c] = fmt
            if len(mark) == 3:  # a number shown as a date, converted (_marks)
                out[c - 1] = formula
            elif formula is not None:
                out[c - 1] = formula.split(":", 1)[-1] if formula.startswith("of:") else formula
                formulas.setdefault(r, set()).add(c)
    return Grid(rows, formats, formulas)


def _typed(value: object) -> object:
    if value.__class__ is float:
        return int(value) if value.is_integer() else value
    if value.__class__ is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


# --- .xlsx: what calamine does not give -----------------------------------------------------

def _xlsx_facts(data: bytes, wanted: dict, marked: tuple[str, ...], unpacked):
    """(marks of the marked sheets, the first's merged ranges, saved time, has macros) of an
    .xlsx package; NoStamp, Unbounded and TooLarge as read_sheets says."""
    from ..files.bounds import WHOLE_SHEET_BYTES, bounded_sheet, stamped
    from ..files.package import parts_of_sheets

    package = _Package(data, unpacked)
    try:
        read, names = package.read, package.names
        listed = parts_of_sheets(read("xl/workbook.xml"), read("xl/_rels/workbook.xml.rels"))
        parts = {name: part for name, part in listed.items() if part in names}
        stamped(parts)  # (a sheet listed without its part is no sheet)
        marks, merged, cut = {}, [], {}
        styles = None
        epoch = _epoch(read("xl/workbook.xml"))
        for name, (limit, _) in wanted.items():
            part = parts.get(name)
            if part is None:
                continue
            if part not in package.kept:  # (a large part: streamed, only so far)
                bounded_sheet(package.zip(), part, name, limit)
            xml = read(part)
            if len(xml) > WHOLE_SHEET_BYTES:  # (its rows known to be in order)
                xml = cut[part] = _first_rows(xml, limit)
            span = _cells_span(xml)
            opened = _opened(xml, name, span)
            if name in marked:
                if styles is None:
                    styles = read("xl/styles.xml") if "xl/styles.xml" in names else b""
                marks[name], ranges, void = _marks(xml, _formats(styles), limit, opened, epoch,
                                                   span, number_formats=name == marked[0])
                if void:  # (numbers calamine cannot take as dates: given it as numbers)
                    xml = cut[part] = _unstyled(xml, void)
                if name == marked[0]:
                    merged = ranges
        saved = _saved(read("docProps/core.xml")) if "docProps/core.xml" in names else None
    finally:
        package.close()
    # (no saved time in the file: now, in UTC, as openpyxl reads it)
    saved = saved or dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
    macros = any(n.lower().endswith("vbaproject.bin") for n in names)
    return marks, merged, saved, macros, cut, set(listed) - set(parts)


_ROW_END = re.compile(rb"</(?:\w+:)?row>|<(?:\w+:)?row\b[^>]*/>")


def _first_rows(xml: bytes, limit: int) -> bytes:
    """A large sheet's XML with only its first `limit` rows (its rows in order, as
    xlsx_bounds.bounded_sheet makes sure), what follows its cells kept (merged ranges)."""
    ends = _ROW_END.finditer(xml)
    end = None
    for i, found in enumerate(ends, start=1):
        end = found.end()
        if i >= limit:
            break
    tail = xml.rfind(b"</sheetData>")
    if end is None or tail < end:
        return xml
    return xml[:end] + xml[tail:]


def _replaced(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The package with these parts replaced (stored: it is read once, at once)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, parts.get(info.filename) or zin.read(info))
    return out.getvalue()


class _Package:
    """An .xlsx package's parts: those inbox.unpack handed on, else read with zipfile (the
    package then opened once)."""

    def __init__(self, data: bytes, unpacked):
        self.data, self.zf = data, None
        if unpacked is None:
            self.names, self.kept = self.zip().namelist(), {}
        else:
            self.names, self.kept = unpacked.names, unpacked.parts

    def zip(self) -> zipfile.ZipFile:
        if self.zf is None:
            self.zf = zipfile.ZipFile(io.BytesIO(self.data))
        return self.zf

    def read(self, part: str) -> bytes:
        got = self.kept.get(part)
        return got if got is not None else self.zip().read(part)

    def close(self) -> None:
        if self.zf is not None:
            self.zf.close()


# Any cell's reference and any row's number, wherever the attribute stands (_opened's bounds).
_REF = re.compile(rb'<(?:\w+:)?c\s(?:[^>]*?\s)?r="([A-Za-z]{1,8})([0-9]{1,12})"')
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\s(?:[^>]*?\s)?r="([0-9]{1,12})')
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")


def _opened(xml: bytes, name: str, span: tuple[int, int] | None) -> list | None:
    """The cells' openings (letters, row, style, type, and the number a plain number cell
    holds, else b"") of a sheet whose cells all open as Excel, LibreOffice and XlsxWriter
    write them (r, then s, then t), else None; TooLarge for a sheet whose cells reach past
    the bounds calamine may expand (a cell without its reference counts as one more column
    of the widest row possible, a row without its number as one more row). span:
    _cells_span of the sheet."""
    if span is not None:  # (the cells only: what follows them is long, validation texts)
        start, end = span
        opened = _OPENED.findall(xml, start, end)
        # (every cell, and any other element named c…, such as a rich text's color: then
        # the count is more than the openings found, and the sheet is read as a tree)
        cells = xml.count(b"<c", start, end)
    else:
        opened, cells = _OPENED.findall(xml), len(_CELL.findall(xml))
    canonical = len(opened) == cells
    refs = opened if canonical else _REF.findall(xml)
    rows = cols = 0
    if refs:
        rows = max(map(int, map(itemgetter(1), refs)))
        cols = max(map(_column, {letters.upper() for letters in set(map(itemgetter(0), refs))}))
    if not canonical:
        numbers = _ROW_NUMBER.findall(xml)
        rows = max(rows, *map(int, numbers)) if numbers else rows
        rows += xml.count(b"<row") + xml.count(b":row") - len(numbers)
        cols += cells - len(refs)
    if cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        raise TooLarge(name, rows, cols)
    return opened if canonical else None


_MAIN_URI = _M[1:-1].encode()


def _cells_span(xml: bytes) -> tuple[int, int] | None:
    """Where the cells are (from <sheetData to its end; the whole text if not found) in a
    sheet whose elements are named without a prefix, else None: SpreadsheetML's namespace
    declared once, as the default, as Excel, LibreOffice and XlsxWriter write it (its text
    then holds "<" only as a tag's opening, and a cell's elements are found in the text)."""
    if xml.count(_MAIN_URI) != 1 or b'xmlns="' + _MAIN_URI + b'"' not in xml:
        return None
    end = xml.rfind(b"</sheetData>")
    return max(0, xml.find(b"<sheetData")), end if end > 0 else len(xml)


@functools.lru_cache(maxsize=1024)  # (a pure function of a few distinct letters)
def _column(letters: bytes | str) -> int:
    col = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        col = col * 26 + ch - 64
    return col


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_DIGITS = "0123456789"


def _marks(xml: bytes, formats: tuple[str, ...], limit: int, opened: list | None,
           epoch: dt.datetime, span: tuple[int, int] | None, *, number_formats: bool = True):
    """row -> column -> (formula or None, number format or '') for the cells, up to row
    `limit`, that hold a formula or (number_formats: where they are wanted) a format other
    than General, or (value, number format, kind) for a number shown as a date or time,
    converted as openpyxl converts it; the merged ranges; the cells whose number calamine
    must not take as a date (it fails on some).
    A sheet whose cells all open as Excel, LibreOffice and XlsxWriter write them (r, then s,
    then t) has its formats read from the text, the few formulas from the tree."""
    shown = {str(i).encode(): f for i, f in enumerate(formats) if f != "General"}
    dated = {k: f for k, f in shown.items() if _is_date(f)}
    dated_formats = set(dated.values())
    marks: dict[int, dict[int, tuple]] = {}
    void: set[tuple[int, int]] = set()

    def date(r: int, col: int, number: str, fmt: str) -> None:
        marks.setdefault(r, {})[col] = got = _from_excel(number, epoch, fmt)
        if got[2] != "d" or float(number) < 0 or _is_duration(fmt):
            void.add((r, col))

    if opened is not None:
        if shown:  # (formats, and numbers shown as dates, from the openings found)
            get, last, r, row = shown.get, None, 0, None
            for letters, number, style, kind, value in opened:
                fmt = get(style)
                if fmt is None:
                    continue
                if number != last:  # (a row's cells one after another)
                    last, r = number, int(number)
                    row = marks.setdefault(r, {}) if r <= limit else None
                if row is None:
                    continue
                if value and fmt in dated_formats and kind in (b"", b"n"):
                    date(r, _column(letters), value.decode("ascii"), fmt)
                elif number_formats:
                    row[_column(letters)] = (None, fmt)
        if _has_formula(xml, span):
            for letters, r, formula in _formula_cells(xml, span):
                if r <= limit:
                    row, col = marks.setdefault(r, {}), _column(letters)
                    row[col] = (formula, row.get(col, (None, ""))[1])
    else:
        for r, col, c in _cells(etree.fromstring(xml, _PARSER), limit):
            fmt = shown.get((c.get("s") or "0").encode(), "")
            formula = _formula(c) if len(c) else None
            v = c.find(_M + "v") if formula is None else None
            if fmt in dated.values() and v is not None and c.get("t", "n") == "n" and v.text:
                date(r, col, v.text, fmt)
            elif formula is not None or (fmt and number_formats):
                marks.setdefault(r, {})[col] = (formula, fmt)
    at = xml.find(b"mergeCell", span[1] if span else 0)  # (after the cells)
    merged = _MERGE.findall(xml, max(0, at - 64)) if at >= 0 else []
    return marks, [m.decode("ascii") for m in merged], void


@functools.lru_cache(maxsize=256)
def _is_date(fmt: str) -> bool:
    from openpyxl.styles.numbers import is_date_format

    return is_date_format(fmt)


@functools.lru_cache(maxsize=256)
def _is_duration(fmt: str) -> bool:
    from openpyxl.styles.numbers import is_timedelta_format

    return is_timedelta_format(fmt)


@functools.lru_cache(maxsize=4096)  # (a plan's few deadlines, in every row of every return)
def _from_excel(number: str, epoch: dt.datetime, fmt: str) -> tuple:
    """A number shown as a date or time, as openpyxl reads it: (value, format, kind), the
    error #VALUE! where no date or time can hold it."""
    from openpyxl.utils.datetime import from_excel

    try:
        value = float(number) if "." in number or "e" in number.lower() else int(number)
        return from_excel(value, epoch, timedelta=_is_duration(fmt)), fmt, "d"
    except (OverflowError, ValueError):
        return "#VALUE!", fmt, "e"


@functools.lru_cache(maxsize=8)  # (the same template's workbook part in every return)
def _epoch(book: bytes) -> dt.datetime:
    """The day dates are counted from: 1904-01-01 where the workbook says so."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    pr = etree.fromstring(book, _PARSER).find(_M + "workbookPr")
    date1904 = pr is not None and pr.get("date1904") not in (None, "false", "f", "0")
    return CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900


def _unstyled(xml: bytes, cells: set[tuple[int, int]]) -> bytes:
    """The sheet with these cells' style dropped (calamine reads their numbers as numbers)."""
    root = etree.fromstring(xml, _PARSER)
    for r, col, c in _cells(root, max(r for r, _ in cells)):
        if (r, col) in cells:
            c.attrib.pop("s", None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# A cell's opening as Excel, LibreOffice and XlsxWriter write it, and the number it holds
# where it holds only that (no formula).
_OPENED = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,6})")?'
                     rb'(?: t="([a-zA-Z]+)")?\s*(?:/>|>(?:<v>([-+0-9.Ee]{1,40})</v></c>)?)')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")


def _has_formula(xml: bytes, span: tuple[int, int] | None) -> bool:
    """A cell of the sheet may hold a formula: an element f among the cells (or one named
    f…, such as a rich text's family: then the tree is looked at for nothing); not the
    formula1 of a validation, after the cells."""
    if span is not None:
        return xml.find(b"<f", *span) >= 0
    return _FORMULA.search(xml) is not None


_FORMULAS = etree.XPath("//m:sheetData/m:row/m:c[@r and m:f]", namespaces={"m": _M[1:-1]})


# A formula as Excel, LibreOffice and openpyxl write it: the cell's first element, its text
# plain (no comment, no CDATA, no line end a parser would change).
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>\s*'
                           rb'<f(?:\s[^>]*)?(?:/>|>([^<\r]*)</f>)')
_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _formula_cells(xml: bytes, span: tuple[int, int] | None) -> list[tuple[str, int, str]]:
    """(letters, row, formula as openpyxl gives it) of each cell holding a formula: found in
    the text where every formula of the sheet is written as _FORMULA_CELL says, else from
    the tree."""
    if span is not None:
        start, end = span
        found = _FORMULA_CELL.findall(xml, start, end)
        if len(found) == xml.count(b"<f", start, end):
            return [(letters.decode("ascii"), int(number), "=" + _ENTITY.sub(
                _entity, text.decode("utf-8"))) for letters, number, text in found]
    return _formulas_of_tree(xml)


def _formulas_of_tree(xml: bytes) -> list[tuple[str, int, str]]:
    """_formula_cells from the sheet's tree (any way XML may write them)."""
    out = []
    for c in _FORMULAS(etree.fromstring(xml, _PARSER)):
        ref = c.get("r")
        letters = ref.rstrip(_DIGITS)
        out.append((letters, int(ref[len(letters):]), _formula(c)))
    return out


def _entity(found: re.Match) -> str:
    hexadecimal, decimal, name = found.groups()
    return (chr(int(hexadecimal, 16)) if hexadecimal else chr(int(decimal)) if decimal
            else _ENTITIES[name])


def _formula(c) -> str | None:
    """A cell's formula as openpyxl gives it ('=' and its text), None without one."""
    f = c.find(_M + "f")
    return None if f is None else "=" + (f.text or "")


def _cells(root, limit: int):
    """(row, column, cell) of each cell up to row `limit`, in the sheet's order."""
    r = 0
    for row in root.iter(_M + "row"):
        number = row.get("r")
        r = int(number) if number is not None and number.isdigit() else r + 1
        if r > limit:
            return
        col = 0
        for c in row.iter(_M + "c"):
            ref = c.get("r")
            col = _column(ref.rstrip(_DIGITS)) if ref else col + 1
            yield r, col, c


@functools.lru_cache(maxsize=8)  # (the same template's styles in every return of a round)
def _formats(styles: bytes) -> tuple[str, ...]:
    """The number format of each cell style, as Excel shows it."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    if not styles:
        return ("General",)
    root = etree.fromstring(styles, _PARSER)
    custom = {int(el.get("numFmtId")): el.get("formatCode")
              for el in root.iterfind(f"{_M}numFmts/{_M}numFmt")}
    return tuple(custom.get(n) or BUILTIN_FORMATS.get(n, "General")
                 for n in (int(xf.get("numFmtId", 0))
                           for xf in root.iterfind(f"{_M}cellXfs/{_M}xf"))) or ("General",)


def _saved(core: bytes) -> dt.datetime | None:
    """The saved time in the core properties (naive UTC, as openpyxl gives it)."""
    el = etree.fromstring(core, _PARSER).find(_CORE)
    if el is None or not el.text:
        return None
    try:
        when = dt.datetime.fromisoformat(el.text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return when

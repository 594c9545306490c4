"""Reading returns fast: the very Return (or Problem) returns.open_return gives, from the
package's XML parsed once with lxml instead of through openpyxl's object model (≈ 10× less
time a file, which is what a province's thousand returns need).

Exact by construction: the parts openpyxl's read-only loader reads are read the same way
(content types, workbook and its relationships, core properties, number formats, shared
strings, the two sheets' cells, typed as openpyxl types them), the grids are the ones
returns.Grid.bounded and read_rows see, and the checks themselves are returns._read's own.
A package using something this reader does not reproduce exactly (shared or array formulas,
rich inline text, chartsheets, strict OOXML, a custom properties part, a DTD, …) or that
fails anywhere is left to the openpyxl path: read_xlsx returns None. tests/test_fast_path.py
compares both paths on varied returns (Excel-like, LibreOffice re-saves, hostile edits).

python-calamine is not used for the values: it decodes Excel's _xHHHH_ escapes (openpyxl
keeps them), types numbers and dates by its own rules and gives neither formulas nor number
formats, so matching openpyxl would need this XML read anyway.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import NamedTuple

from lxml import etree

from . import layout, returns
from .compact import TEXT_LENGTH, TEXTS, TEXTS_LIMIT
from .inbox import Incoming, Unpacked, unpack
from .ods_read import open_ods
from .problems import INFO, Problem
from .returns import OFFICER, OFFICER_ROWS, STAMP_ROWS, Cell, Grid, Return

_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
C, V, F, IS, T, RUN, SI, ROW = (_M + t for t in ("c", "v", "f", "is", "t", "r", "si", "row"))
SHEET_DATA, DIMENSION = _M + "sheetData", _M + "dimension"
_STATES = ("visible", "hidden", "veryHidden")
# Entities and DTDs: openpyxl's parser (defusedxml) refuses them, lxml here would not.
_UNSAFE = (b"<!DOCTYPE", b"<!ENTITY")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                          remove_pis=True, huge_tree=False)
_COORDS: dict[str, tuple[int, int]] = {}  # 'H12' -> (12, 8), shared by every file read
# Parts are read whole here; an officer's sheet is tens of kilobytes. Anything larger (a
# return padded with a million rows) is left to openpyxl, which streams and stops early.
MAX_PART = 4 * 1024 * 1024


class Unsupported(Exception):
    """The package uses something this reader does not reproduce exactly."""


def read_return_fast(incoming: Incoming, master_id: str, key: str | None) -> Return | Problem:
    """What returns.open_return gives for these bytes, read the fast way where it can be."""
    held = returns.load(incoming)
    if isinstance(held, Problem):
        return held
    unpacked = unpack(held.data, held.name)
    if isinstance(unpacked, Problem):
        return unpacked
    if returns.is_ods(held.data):
        got = open_ods(held, master_id, key)
    else:
        got = read_xlsx(held, master_id, key, unpacked)
        if got is None:
            got = returns.open_return(held, master_id, key)
    if isinstance(got, Return):
        got.incoming = incoming  # the caller's, which does not hold the bytes
    return got


def read_returns(items: list[Incoming], master_id: str, key: str | None
                 ) -> list[Return | Problem]:
    """read_return_fast of each item, in order, on both cores when there are enough of them
    (cchc_xl.parallel); each Return keeps the caller's own Incoming."""
    return list(iter_returns(items, master_id, key))


def iter_returns(items: list[Incoming], master_id: str, key: str | None, *,
                 skip: frozenset[str] = frozenset()) -> Iterator[Return | Problem | None]:
    """read_returns, yielded one by one as they are read (for a progress bar); None for a
    file whose bytes' digest is in `skip` (consolidated before: not parsed again). Each
    item's digest is set, from the bytes read (where they were read)."""
    import gc

    from .parallel import imap

    jobs = [(item, master_id, key, skip) for item in items]
    ours = gc.get_freeze_count() == 0  # (a caller that freezes keeps that to itself)
    if ours:
        gc.freeze()  # (before the workers are forked: they then do not scan, so copy, it)
    try:
        for i, (item, (digest, result)) in enumerate(zip(items, imap(_read_job, jobs)), 1):
            item.digest = digest
            if isinstance(result, Return) and result.incoming is None:
                result.incoming = item
            if ours and i % FREEZE_EVERY == 0:
                gc.freeze()
            yield result
    finally:
        if ours:
            gc.unfreeze()
        from .containers import forget

        forget()  # (the archive or e-mail its last workbook was read from)


# The returns read are plain data (no reference cycles) that the caller holds: at the start
# and every so many, what is alive is moved out of the collector's sight (gc.freeze; Python's
# documentation advises it before forking, too), so that its collections do not scan the
# growing results again and again (one full collection took 73 ms, 4 % of the reading, on a
# 905-file batch in one process); all is handed back to it (gc.unfreeze) once the batch is
# read. Not when something was frozen before the batch: whoever froze it decides.
FREEZE_EVERY = 64


def _read_job(job: tuple) -> tuple[str | None, Return | Problem | None]:
    item, master_id, key, skip = job
    held = returns.load(item)  # the one read of the file, and its digest
    if isinstance(held, Problem):
        return item.digest, held
    if held.digest in skip:
        return held.digest, None
    result = read_return_fast(held, master_id, key)
    if isinstance(result, Return):
        result.incoming = None  # not sent back: the caller has it
    return held.digest, result


def read_xlsx(incoming: Incoming, master_id: str, key: str | None,
              unpacked: Unpacked | None = None) -> Return | Problem | None:
    """The return in an .xlsx/.xlsm package that passed inbox.package_problem (`unpacked`:
    what that check unzipped), exactly as returns.open_return reads it; None when it is one
    to read with openpyxl instead."""
    try:
        book = _Package(incoming.data, unpacked)
        stamp = None
        if layout.STAMP_SHEET in book.sheetnames:
            stamp = Grid(book.rows(layout.STAMP_SHEET, STAMP_ROWS, returns.STAMP_WIDTH))
        officer = _LazyGrid(book, OFFICER.name) if OFFICER.name in book.sheetnames else None
        evidence = None
        if returns.EVIDENCE_SHEET in book.sheetnames:
            evidence = Grid(book.rows(returns.EVIDENCE_SHEET, returns.EVIDENCE_ROWS,
                                      returns.EVIDENCE_WIDTH))
        notes = []
        if any(n.lower().endswith("vbaproject.bin") for n in book.names):
            notes.append(returns._problem("macros-ignored", incoming, INFO))
        return returns._read(incoming, master_id, key, book.sheetnames, stamp, officer,
                             book.saved, book.merged, notes, ods=False, evidence=evidence)
    except Exception:  # anything unusual: the openpyxl path decides, with its own messages
        return None


class _LazyGrid(Grid):
    """The officer sheet, parsed only once the stamp has been accepted. A sheet whose
    <dimension> claims more than WIDE columns (or none: each row as wide as its last cell)
    is streamed, read once from the top as read_rows reads it, never held: openpyxl makes every
    row as wide as that claim, and 5,000 rows 16,384 columns wide are 680 MB."""

    def __init__(self, book: _Package, name: str):
        self._book, self._name, self._rows = book, name, None

    @property
    def rows(self) -> list:
        if self._rows is None:
            self._rows = self._book.rows(self._name, OFFICER_ROWS, None)
        return self._rows

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, values_only=False):
        dims = self._book.dimensions[self._name]
        if self._rows is not None or (dims and dims[2] <= WIDE) or min_row != 1 or (
                values_only or max_row is None or max_row > OFFICER_ROWS):
            return super().iter_rows(min_row, max_row, values_only)
        return itertools.islice(self._book.rows(self._name, OFFICER_ROWS, None, whole=False),
                                max_row)


WIDE = 256  # columns (an officer's sheet has a dozen)


def _xml(data: bytes):
    if any(mark in data for mark in _UNSAFE):
        raise Unsupported("DTD")
    return etree.fromstring(data, _PARSER)


def _local(tag) -> str:
    return tag[tag.rfind("}") + 1:] if isinstance(tag, str) else ""


def _only(el, allowed: tuple = ()) -> None:
    """openpyxl's classes refuse an attribute they do not know (namespaced ones are
    dropped first)."""
    for name in el.attrib:
        if not name.startswith("{") and name not in allowed:
            raise Unsupported(f"attribute {name}")


def _text(el) -> str:
    """openpyxl's Text.from_tree(el).content of an <si> or <is>: its last <t>, then each
    run's last <t> (phonetic runs are not content)."""
    _only(el)
    plain, runs = None, []
    for child in el:
        local = _local(child.tag)
        if local == "t":
            plain = child.text
        elif local == "r":
            _only(child)
            text = None
            for part in child:
                if _local(part.tag) == "t":
                    text = part.text
            if text is not None:
                runs.append(text)
    return "".join(runs if plain is None else [plain, *runs])


class _Package:
    """The parts of an .xlsx package openpyxl's read-only loader reads, read the same way.
    What depends only on parts that are the same in every return of a round (content types,
    workbook, styles, the lists sheet) is worked out once per distinct part (_memo)."""

    def __init__(self, data: bytes, unpacked: Unpacked | None = None):
        self.data = data
        if unpacked is None:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos, self.inflated = zf.infolist(), {}
        else:
            infos, self.inflated = unpacked.infos, unpacked.parts
        self.names = [info.filename for info in infos]
        self.infos = {info.filename: info for info in infos}
        present = set(self.infos)
        book_part, strings_part = _content_types(self.blob("[Content_Types].xml"))
        self.book_part = book_part
        self.strings = _strings(self.read(strings_part)) if strings_part else []
        if "docProps/custom.xml" in present:  # LibreOffice writes one
            _custom(self.blob("docProps/custom.xml"))
        folder, name = posixpath.split(book_part)
        info = _workbook(self.blob(book_part),
                         self.blob(posixpath.join(folder, "_rels", f"{name}.rels")), book_part)
        self.epoch, self.raw_targets, self.sheet_elements = info.epoch, info.raw, info.elements
        self.sheetnames, self.parts = [], {}
        for sheet_name, target, kind in info.sheets:
            if target not in present:
                continue
            if "chartsheet" in kind or sheet_name in self.parts:
                raise Unsupported("chartsheet or duplicated sheet name")
            self.sheetnames.append(sheet_name)
            self.parts[sheet_name] = target
        for index in info.bad_titles:  # openpyxl binds them to a sheet it has: and fails
            try:
                self.sheetnames[index]
            except IndexError:
                continue
            raise Unsupported("print titles")
        self.saved = self._saved(present)
        self.formats, self.date_styles, self.duration_styles = (
            _styles(self.blob("xl/styles.xml")) if "xl/styles.xml" in present
            else (("General",), frozenset(), frozenset()))
        self.roots, self.raw, self.dimensions = {}, {}, {}
        for sheet_name, part in self.parts.items():
            rels = posixpath.join(posixpath.dirname(part), "_rels",
                                  posixpath.basename(part) + ".rels")
            if rels in present:
                _parses(self.blob(rels))  # openpyxl reads it: it must at least parse
            if sheet_name in (OFFICER.name, layout.STAMP_SHEET, returns.EVIDENCE_SHEET):
                data = self.raw[part] = self.read(part)
                root = self.roots[part] = _xml(data)
                if root.tag != _M + "worksheet":
                    raise Unsupported("namespace")
                self.dimensions[sheet_name] = _boundaries(_dimension(root, data))
            else:
                self.dimensions[sheet_name] = _other_dimension(self.blob(part))

    def blob(self, name: str) -> tuple:
        """A member as stored: (compressed bytes, method, CRC, size), the key its parse is
        memoised on (the same stored bytes always inflate to the same part)."""
        info = self.infos[name]  # KeyError for a missing part, as ZipFile.read
        if info.file_size > MAX_PART:
            raise Unsupported("a large part: openpyxl streams it and stops at MAX_ROWS")
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                              zipfile.ZIP_DEFLATED):
            raise Unsupported("encrypted or unusual compression")
        at = info.header_offset
        header = self.data[at:at + 30]
        if header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local file header")
        start = at + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(
            header[28:30], "little")
        return (self.data[start:start + info.compress_size], info.compress_type, info.CRC,
                info.file_size)

    def read(self, name: str) -> bytes:
        """A member's bytes, inflated straight from the package (ZipFile.read costs more
        than the inflating for parts this small); its CRC checked as ZipFile.read does (by
        the package check, for the parts it handed on)."""
        got = self.inflated.get(name)
        if got is not None:
            self.blob(name)  # the same checks of the member as for any other part
            return got
        return _inflate(self.blob(name))

    def merged(self) -> list[str]:
        """returns._xlsx_merged of the officer sheet, from the parts already read."""
        if self.book_part != "xl/workbook.xml":
            return returns._xlsx_merged(self.data, OFFICER.name)
        part = None
        for sheet_name, rid in self.sheet_elements:  # workbook_io.sheet_parts' resolution
            if sheet_name == OFFICER.name:
                part = _sheet_part(self.raw_targets.get(rid, ""))
        try:
            if part is None or self.infos[part].file_size > returns.MAX_MERGE_SCAN:
                return []
            data = self.raw[part] if part in self.raw else self.read(part)
        except (KeyError, zipfile.BadZipFile, ValueError):
            return []
        return returns.merged_refs(data)

    def _saved(self, present: set) -> dt.datetime:
        modified = _core(self.read("docProps/core.xml")) if (
            "docProps/core.xml" in present) else None
        # openpyxl's DocumentProperties: no saved time in the file means "now" (UTC).
        return modified or dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)

    # --- cells ----------------------------------------------------------------------------

    def rows(self, name: str, max_row: int, max_col: int | None, *, whole: bool = True):
        """A sheet's rows as openpyxl's read-only ws.iter_rows(min_row=1, max_row=max_row,
        max_col=max_col) yields them (whole: in a list, else one by one); max_col None: as
        wide as the sheet's <dimension> says (how read_rows reads the officer sheet)."""
        if max_col is None:
            dims = self.dimensions[name]
            max_col = dims[2] if dims else None
        rows = self._rows(self.roots[self.parts[name]], max_row, max_col)
        return list(rows) if whole else rows

    def _rows(self, root, max_row: int, max_col: int | None):
        """ReadOnlyWorksheet._cells_by_row(1, 1, max_col, max_row), cells as returns.Cell."""
        empty = (returns._EMPTY,) * max_col if max_col is not None else []
        counter = idx = 1
        for idx, cells in self._parse(root):
            if idx > max_row:
                break
            while counter < idx:  # rows missing from the XML
                counter += 1
                yield empty
            if counter <= idx:  # a row out of order is skipped, as openpyxl does
                counter += 1
                if not cells and not max_col:
                    yield ()
                    continue
                width = max_col or cells[-1][0]
                row = [returns._EMPTY] * width
                for column, cell in cells:
                    if 1 <= column <= width:
                        row[column - 1] = cell
                yield tuple(row)
        if max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty

    def _parse(self, root):
        """WorkSheetParser.parse's rows, each (row number, [(column, Cell)]), the cells typed
        as WorkSheetParser.parse_cell types them (formulas kept, not their values)."""
        from openpyxl.utils.cell import coordinate_to_tuple
        from_excel, from_ISO8601 = _dates()

        strings, formats = self.strings, self.formats
        dates, durations, epoch = self.date_styles, self.duration_styles, self.epoch
        coords, cell_tag, value_tag, formula_tag, make = _COORDS, C, V, F, Cell
        row_number = 0
        for row in root.iter(ROW):
            r = row.get("r")
            if r is None:
                row_number += 1
            else:
                try:
                    row_number = int(r)
                except ValueError:
                    number = float(r)
                    if not number.is_integer():
                        raise
                    row_number = int(number)
            column = 0
            cells = []
            append = cells.append
            for c in row:
                if c.tag != cell_tag:
                    raise Unsupported("not a cell")
                get = c.get
                kind = get("t", "n")
                style = get("s", 0)
                if style:
                    style = int(style)
                ref = get("r")
                if ref:
                    where = coords.get(ref)
                    if where is None:
                        where = coordinate_to_tuple(ref)
                        if len(coords) < 100_000:
                            coords[ref] = where
                    column = where[1]
                else:
                    column += 1
                value = formula = None
                children = len(c)
                if children == 1:  # the usual cell: one <v>
                    child = c[0]
                    tag = child.tag
                    if tag == value_tag:
                        value = child
                    elif tag == formula_tag:
                        formula = child
                elif children:
                    for child in c:
                        if child.tag == value_tag:
                            if value is None:
                                value = child
                        elif child.tag == formula_tag and formula is None:
                            formula = child
                if value is not None:
                    value = None if kind == "inlineStr" else value.text or None
                if formula is not None:
                    if formula.get("t") is not None:
                        raise Unsupported("shared, array or table formula")
                    kind, value = "f", "=" + (formula.text or "")
                elif value is not None:
                    if kind == "n":
                        value = (float(value) if "." in value or "E" in value or "e" in value
                                 else int(value))
                        if style in dates:
                            kind = "d"
                            try:
                                value = from_excel(value, epoch, timedelta=style in durations)
                            except (OverflowError, ValueError):
                                kind, value = "e", "#VALUE!"
                    elif kind == "s":
                        value = strings[int(value)]
                    elif kind == "b":
                        value = bool(int(value))
                    elif kind == "str":
                        kind = "s"
                    elif kind == "d":
                        value = from_ISO8601(value)
                elif kind == "inlineStr":
                    child = c.find(IS)
                    if child is not None:
                        kind, value = "s", _text(child)
                append((column, make(value, kind, formats[style])))
            yield row_number, cells


def _dimension(root, data: bytes | None = None) -> str | None:
    """The <dimension ref> openpyxl sizes a read-only sheet by: the first one that ends
    before <sheetData> does. data: the sheet's XML, where the element's name is counted
    (instead of searching the whole tree for it) when it appears at most once, unprefixed."""
    if data is not None and b":dimension" not in data:
        count = data.count(b"<dimension")
        if count == 0:  # none in the tree, in any namespace
            return None
        if count == 1:
            dims = root.findall(DIMENSION)
            if dims:  # the only one, a child of the root
                return _before_sheet_data(root, dims[0])
    dims = root.findall(DIMENSION)
    if len(dims) != sum(1 for _ in root.iter(DIMENSION)) or len(dims) > 1:
        raise Unsupported("dimension")
    if not dims:
        return None
    return _before_sheet_data(root, dims[0])


def _before_sheet_data(root, dimension) -> str | None:
    for el in root:
        if el is dimension:
            return dimension.attrib["ref"]
        if el.tag == SHEET_DATA:
            return None
    return None


@functools.lru_cache(maxsize=1)
def _dates():
    """openpyxl's from_excel and from_ISO8601, each result remembered (pure functions of
    their arguments: the dates of a round, its deadlines and issue time, recur in every
    return)."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    return (functools.lru_cache(maxsize=4096, typed=True)(from_excel),
            functools.lru_cache(maxsize=4096)(from_ISO8601))


@functools.lru_cache(maxsize=256)
def _sheet_part(target: str) -> str:
    """A sheet's part from its relationship's target, as workbook_io.sheet_parts finds it."""
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


@functools.lru_cache(maxsize=256)
def _boundaries(ref: str | None):
    from openpyxl.utils.cell import range_boundaries

    return range_boundaries(ref) if ref is not None else None


def _memo(function):
    """Memoise on the bytes of a part: the same template gives the same parts to every
    officer, so each distinct part is parsed once per run (exact: same bytes, same result)."""
    return functools.lru_cache(maxsize=32)(function)


def _inflate(blob: tuple) -> bytes:
    raw, method, crc, size = blob
    out = raw if method == zipfile.ZIP_STORED else zlib.decompress(raw, -15)
    if len(out) != size or zlib.crc32(out) != crc:
        raise zipfile.BadZipFile("bad CRC-32")
    return out


@_memo
def _custom(blob: tuple) -> None:
    """openpyxl reads the custom properties while loading: what it cannot read stops it."""
    from openpyxl.packaging.custom import CustomPropertyList

    data = _inflate(blob)
    _xml(data)
    from openpyxl.xml.functions import fromstring

    CustomPropertyList.from_tree(fromstring(data))


@_memo
def _parses(blob: tuple) -> None:
    _xml(_inflate(blob))


@_memo
def _other_dimension(blob: tuple):
    root = _xml(_inflate(blob))
    if root.tag != _M + "worksheet":
        raise Unsupported("namespace")
    return _boundaries(_dimension(root))


@_memo
def _content_types(blob: tuple) -> tuple[str, str | None]:
    """(workbook part, shared strings part) as openpyxl's Manifest finds them."""
    from openpyxl.xml.constants import SHARED_STRINGS, XLSM, XLSX, XLTM, XLTX

    overrides: dict[str, str] = {}
    for el in _xml(_inflate(blob)):
        local = _local(el.tag)
        if local == "Override":
            _only(el, ("PartName", "ContentType"))
            overrides.setdefault(el.attrib["ContentType"], el.attrib["PartName"])
        elif local == "Default":
            _only(el, ("Extension", "ContentType"))
            el.attrib["Extension"], el.attrib["ContentType"]  # both required
    book = next((overrides[k] for k in (XLTM, XLTX, XLSM, XLSX) if k in overrides), None)
    if book is None:
        raise Unsupported("workbook part named by a default content type")
    strings = overrides.get(SHARED_STRINGS)
    return book[1:], strings[1:] if strings else None


class _Workbook(NamedTuple):
    epoch: dt.datetime
    sheets: tuple  # (name, target, relationship type) in workbook order
    raw: dict  # relationship id -> target as written (workbook_io.sheet_parts reads these)
    elements: tuple  # (name, relationship id) of every <sheet>, for sheet_parts
    bad_titles: frozenset  # sheet indexes whose print titles openpyxl cannot parse


@_memo
def _workbook(book: tuple, rels_xml: tuple, book_part: str) -> _Workbook:
    """workbook.xml and its relationships as openpyxl's WorkbookParser reads them."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
    from openpyxl.worksheet.print_settings import PrintArea, PrintTitles

    root = _xml(_inflate(book))
    if root.tag != _M + "workbook":
        raise Unsupported("namespace")
    pr = root.find(_M + "workbookPr")
    date1904 = pr is not None and pr.get("date1904") not in (None, "false", "f", "0")
    parent = posixpath.dirname(book_part)  # relative targets start beside the workbook
    targets, raw = {}, {}
    for i, rel in enumerate(_xml(_inflate(rels_xml)).iter(_PR + "Relationship"), start=1):
        _only(rel, ("Id", "Type", "Target", "TargetMode"))
        kind, target = rel.attrib["Type"], rel.attrib["Target"]
        raw[rel.get("Id")] = target
        if rel.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(
                posixpath.join(parent, target))
        targets[rel.get("Id") or f"rId{i}"] = (target, kind)
    sheets = []
    for group in root.iter(_M + "sheets"):
        for sheet in group:
            if sheet.tag != _M + "sheet":
                raise Unsupported("sheet list")
            _only(sheet, ("name", "sheetId", "state"))
            name, rid = sheet.attrib["name"], sheet.get(_R + "id")
            int(sheet.attrib["sheetId"])
            if sheet.get("state", "visible") not in _STATES:
                raise Unsupported("sheet state")
            if rid:  # openpyxl drops a sheet without one (with a warning)
                sheets.append((name, *targets[rid]))
    bad = set()
    for el in root.iter(_M + "definedName"):
        name, local = el.attrib["name"], el.get("localSheetId")
        if local is None:
            continue
        try:
            if name.startswith("_xlnm.Print_Titles"):
                PrintTitles.from_string(el.text)
            elif name.startswith("_xlnm.Print_Area"):
                try:
                    PrintArea.from_string(el.text)
                except TypeError:
                    pass
        except Exception:
            bad.add(int(local))
    elements = tuple((el.get("name"), el.get(_R + "id")) for el in root.iter(_M + "sheet"))
    return _Workbook(CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900, tuple(sheets),
                     raw, elements, frozenset(bad))


def _core(data: bytes) -> dt.datetime | None:
    """The saved time openpyxl's DocumentProperties reads (its other dates must parse)."""
    from_ISO8601 = _dates()[1]
    values = {}
    for el in _xml(data):
        local = _local(el.tag)
        if local in ("created", "modified", "lastPrinted"):
            value = from_ISO8601(el.text) if el.text else None
            if value is not None and not isinstance(value, dt.datetime):
                raise Unsupported("date in core properties")
            values[local] = value
    return values.get("modified")


@_memo
def _styles(blob: tuple) -> tuple[tuple, frozenset, frozenset]:
    """(number format per cell style, styles showing dates, styles showing durations), as
    openpyxl's Stylesheet._normalise_numbers and ReadOnlyCell.number_format give them."""
    from openpyxl.styles.numbers import (
        BUILTIN_FORMATS,
        BUILTIN_FORMATS_MAX_SIZE,
        BUILTIN_FORMATS_REVERSE,
        is_date_format,
        is_timedelta_format,
    )

    root = _xml(_inflate(blob))
    if root.tag != _M + "styleSheet":
        raise Unsupported("namespace")

    def count(tag: str) -> int:
        el = root.find(_M + tag)
        return 0 if el is None else len(el)

    custom = {int(el.attrib["numFmtId"]): el.attrib["formatCode"]
              for el in root.iterfind(f"{_M}numFmts/{_M}numFmt")}
    named = root.findall(f"{_M}cellStyleXfs/{_M}xf")
    for style in root.iterfind(f"{_M}cellStyles/{_M}cellStyle"):
        xf = named[int(style.get("xfId", 0))]  # an IndexError stops openpyxl too
        for attr, tag in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
            if int(xf.get(attr, 0)) >= count(tag):
                raise Unsupported("named style")
    xfs = root.findall(f"{_M}cellXfs/{_M}xf")
    if not xfs:
        return ("General",), frozenset(), frozenset()  # openpyxl keeps its default style
    added: list[str] = []
    formats, dates, durations = [], set(), set()
    for idx, xf in enumerate(xfs):
        for attr in ("fontId", "fillId", "borderId", "xfId"):
            if attr in xf.attrib:
                int(xf.attrib[attr])
        number = int(xf.get("numFmtId", 0))
        if number in custom:
            fmt = custom[number]
            if fmt in BUILTIN_FORMATS_REVERSE:
                number = BUILTIN_FORMATS_REVERSE[fmt]
            else:
                if fmt not in added:
                    added.append(fmt)
                number = added.index(fmt) + BUILTIN_FORMATS_MAX_SIZE
        else:
            fmt = BUILTIN_FORMATS.get(number)
        if is_date_format(fmt):
            dates.add(idx)
        if is_timedelta_format(fmt):
            durations.add(idx)
        formats.append(BUILTIN_FORMATS.get(number, "General") if number < BUILTIN_FORMATS_MAX_SIZE
                       else added[number - BUILTIN_FORMATS_MAX_SIZE])
    return tuple(formats), frozenset(dates), frozenset(durations)


_M_NS = {"m": _M[1:-1]}
# A table of plain items only (each <si> exactly one <t> holding text, what Excel and
# XlsxWriter write), as bytes: its texts, in order, then come in one call.
_PLAIN_SST = re.compile(
    rb'<sst\b[^>]*>(?:<si><t(?: xml:space="preserve")?>[^<]*</t></si>)*</sst>\s*\Z')
_TEXTS = etree.XPath("m:si/m:t/text()", namespaces=_M_NS, smart_strings=False)


# A whole table as Excel, LibreOffice and XlsxWriter write it: UTF-8, the main namespace as
# the default one, plain attributes on <sst>, then nothing but plain items (<si><t>…</t></si>,
# the <t> perhaps with xml:space="preserve") whose text holds no markup, entity or carriage
# return (which XML would turn into a line feed). Its texts are cut out of the text, without
# building a tree (_plain_texts); the decoding (strict UTF-8), _not_xml and _plain_attributes
# find what would make the document not well-formed within that shape (lxml and openpyxl
# refuse those: the tree is built then, and fails).
_SST_HEAD = re.compile(
    r'(?:<\?xml version="1\.0" encoding="(?:UTF|utf)-8"(?: standalone="yes")?\?>)?[ \t\r\n]*'
    r'<sst xmlns="' + _M[1:-1] + r'"((?: [A-Za-z_][\w.:-]*="[^"<&]*")*)>')
_ITEM, _ITEM_PRESERVED, _ITEM_END = "<si><t>", '<si><t xml:space="preserve">', "</t></si>"
_ATTRIBUTE = re.compile(r' ([A-Za-z_][\w.:-]*)="([^"]*)"')
_CONTROLS = bytes([*range(9), 11, 12, *range(14, 32)])  # characters XML 1.0 forbids


def _plain_texts(text: str) -> list[str] | None:
    """The texts of a table in the plain shape above, in order; None for any other table.
    The items' tags hold every '<' of the table's content (counted): so no text holds one,
    and cutting at the tags gives the texts exactly (≈ 3× faster than a regex of the items)."""
    head = _SST_HEAD.match(text)
    end = text.rfind("</sst>")
    if head is None or end < head.end() or text[end + 6:].strip(" \t\r\n"):
        return None
    if not _plain_attributes(head[1]):
        return None
    body = text[head.end():end].replace(_ITEM_PRESERVED, _ITEM)
    if not body:
        return []
    n = body.count(_ITEM_END)
    between = _ITEM_END + _ITEM
    if not (body.startswith(_ITEM) and body.endswith(_ITEM_END) and body.count("<") == 4 * n
            and body.count(between) == n - 1 and "&" not in body and "\r" not in body):
        return None
    return body[len(_ITEM):-len(_ITEM_END)].split(between)


def _not_xml(data: bytes, text: str) -> bool:
    """A document (its UTF-8 bytes and their text) holding a character XML forbids (a control
    character, U+FFFE, U+FFFF) or ']]>' (which no text may hold)."""
    return (len(data.translate(None, _CONTROLS)) != len(data) or "]]>" in text
            or "\ufffe" in text or "\uffff" in text)


def _plain_attributes(attributes: str) -> bool:
    """Attributes after <sst xmlns="…"> that XML namespaces allow: each named once, none
    prefixed but namespace declarations (of a prefix other than xml…, to a non-empty name)."""
    names = ["xmlns"]
    for name, value in _ATTRIBUTE.findall(attributes):
        if ":" in name:
            prefix, _, local = name.partition(":")
            if prefix != "xmlns" or not value or local.lower().startswith("xml"):
                return False
        names.append(name)
    return len(set(names)) == len(names)


def _strings(data: bytes) -> list[str]:
    """openpyxl's read_string_table (which also drops every 'x005F_')."""
    if data.startswith((b"<?xml", b"<sst")):
        text = data.decode()  # (UnicodeDecodeError: openpyxl's path decides)
        plain = _plain_texts(text)
        if plain is not None and not _not_xml(data, text):
            return _shared_texts(plain, "x005F_" in text)
    root = _xml(data)
    out = _TEXTS(root) if _PLAIN_SST.search(data) else None
    if out is None or len(out) != len(root):  # (an empty <t>: item by item)
        out = []
        for si in root:
            if len(si) == 1 and si.tag == SI:  # one <t>: what Excel writes for plain text
                t = si[0]
                if t.tag == T and not si.attrib:
                    out.append(t.text or "")
                    continue
            if si.tag != SI:  # <si> anywhere else: openpyxl collects those too
                out = [_text(el) for el in root.iter(SI)]
                break
            out.append(_text(si))
    return _shared_texts(out)


def _shared_texts(out: list[str], escaped: bool = True) -> list[str]:
    """The texts as openpyxl gives them ('x005F_' dropped; escaped: some may hold one),
    short ones shared (compact.one_copy, inline)."""
    seen, room, longest = TEXTS, len(TEXTS) < TEXTS_LIMIT, TEXT_LENGTH
    texts = []
    for text in out:
        if escaped:
            text = text.replace("x005F_", "")
        got = seen.get(text)
        if got is None:
            got = text
            if room and len(text) <= longest:
                seen[text] = text
        texts.append(got)
    return texts


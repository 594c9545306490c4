"""Returns re-saved by LibreOffice as .ods: read through python-calamine (values) and the
content's XML (formulas, percentages), once the sheets are known to be of a bounded size."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from . import layout
from .inbox import Incoming
from .problems import Problem
from .returns import (
    EVIDENCE_ROWS,
    EVIDENCE_SHEET,
    EVIDENCE_WIDTH,
    OFFICER,
    OFFICER_ROWS,
    STAMP_ROWS,
    STAMP_WIDTH,
    Cell,
    Grid,
    Return,
    _problem,
    _read,
)


def open_ods(incoming: Incoming, master_id: str, key: str | None) -> Return | Problem:
    """A return re-saved as .ods: LibreOffice keeps the stamp sheet (hidden), so its values,
    read by calamine, are checked and applied exactly like an .xlsx return's. calamine
    expands every sheet whole when it opens the file (each cell of the rectangle from A1 to
    the last used cell: 60 bytes a cell), so the sheets' sizes are looked at first
    (_ods_scan): a stray value in row 1,048,576 past LibreOffice's padding is refused, never
    expanded."""
    from python_calamine import CalamineWorkbook

    try:
        marks = _ods_scan(incoming.data, OFFICER.name, OFFICER_ROWS)
    except _OdsTooLarge as exc:
        return _problem("ods-too-large", incoming, sheet_name=exc.sheet, rows=exc.rows,
                        columns=exc.columns)
    except Exception as exc:  # lxml raises many kinds for damaged packages
        return _problem("file-corrupt", incoming, reason=str(exc) or type(exc).__name__)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(incoming.data))
        names = list(book.sheet_names)
        grids = {}
        for name, width, limit in ((layout.STAMP_SHEET, STAMP_WIDTH, STAMP_ROWS),
                                   (OFFICER.name, None, OFFICER_ROWS),
                                   (EVIDENCE_SHEET, EVIDENCE_WIDTH, EVIDENCE_ROWS)):
            if name not in names:
                continue
            sheet_marks = marks if name == OFFICER.name else {}
            values = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=limit)
            grids[name] = Grid([[_ods_cell(v, sheet_marks.get((r, c)))
                                 for c, v in enumerate(row[:width] if width else row, start=1)]
                                for r, row in enumerate(values, start=1)])
        saved = _ods_saved(incoming.data)
    except Exception as exc:  # calamine and lxml raise many kinds for damaged packages
        return _problem("file-corrupt", incoming, reason=str(exc) or type(exc).__name__)
    return _read(incoming, master_id, key, names, grids.get(layout.STAMP_SHEET),
                 grids.get(OFFICER.name), saved, list, [], ods=True,
                 evidence=grids.get(EVIDENCE_SHEET))


def _ods_cell(value: object, mark: tuple[str | None, bool] | None) -> Cell:
    value = None if value == "" else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if mark is None:
        return Cell(value)
    formula, percent = mark
    if formula:
        return Cell(formula.split(":", 1)[-1] if formula.startswith("of:") else formula, "f")
    return Cell(value, "n", "0%" if percent else "")


_ODS_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


# The sheets of an .ods calamine may expand: a return's rows are read up to OFFICER_ROWS (the
# stamp's STAMP_ROWS), a few dozen columns wide; LibreOffice's own sheets end at column 1024.
ODS_MAX_ROWS = 2 * max(OFFICER_ROWS, STAMP_ROWS)
ODS_MAX_COLUMNS = 1024
ODS_MAX_CELLS = 500_000


class _OdsTooLarge(Exception):
    """A sheet of an .ods used beyond the bounds above."""

    def __init__(self, sheet: str, rows: int, columns: int):
        super().__init__(sheet, rows, columns)
        self.sheet, self.rows, self.columns = sheet, rows, columns


def _ods_scan(data: bytes, sheet: str, max_row: int) -> dict[tuple[int, int], tuple]:
    """The .ods content streamed once (never held whole): _OdsTooLarge for the first sheet
    whose used rectangle (from A1 to its last cell holding anything: a value, a formula, a
    text, a note) passes ODS_MAX_ROWS, ODS_MAX_COLUMNS or ODS_MAX_CELLS, counted with its
    repeated rows and columns as calamine expands them; else (row, column) -> (formula,
    percent-formatted) for the cells of `sheet`, up to max_row, that hold a formula or a
    percentage (calamine gives values only)."""
    from lxml import etree

    t, o = _ODS_T, _ODS_O
    table_tag, row_tag, cell_tags = t + "table", t + "table-row", (
        t + "table-cell", t + "covered-table-cell")
    marks: dict[tuple[int, int], tuple] = {}
    name, marking, marked = "", False, False
    r = c = repeat = last_row = last_col = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open("content.xml") as fh:
        for event, el in etree.iterparse(fh, events=("start", "end"),
                                         tag=(table_tag, row_tag, *cell_tags),
                                         resolve_entities=False, no_network=True,
                                         load_dtd=False, huge_tree=False):
            tag = el.tag
            if tag == table_tag:
                if event == "start":
                    name = el.get(t + "name") or ""
                    marking = name == sheet and not marked  # (the first of that name)
                    marked = marked or marking
                    r = last_row = last_col = 0
                else:
                    _forget(el)
                continue
            if tag == row_tag:
                if event == "start":
                    repeat, c = max(1, int(el.get(t + "number-rows-repeated", "1"))), 0
                else:
                    r += repeat
                    _forget(el)
                continue
            if event == "start":
                continue
            span = max(1, int(el.get(t + "number-columns-repeated", "1")))
            formula = el.get(t + "formula")
            kind = el.get(o + "value-type")
            if formula is not None or kind is not None or len(el):
                last_row, last_col = r + repeat, max(last_col, c + span)
                if (last_row > ODS_MAX_ROWS or last_col > ODS_MAX_COLUMNS
                        or last_row * last_col > ODS_MAX_CELLS):
                    raise _OdsTooLarge(name, last_row, last_col)
            if marking and (formula or kind == "percentage") and r < max_row:
                for i in range(min(repeat, max_row - r)):
                    for j in range(span):
                        marks[(r + i + 1, c + j + 1)] = (formula, kind == "percentage")
            c += span
            _forget(el)
    return marks


def _forget(el) -> None:
    """An element streamed past, and those before it, let go (memory stays bounded)."""
    el.clear()
    while el.getprevious() is not None:
        del el.getparent()[0]


def _ods_saved(data: bytes) -> dt.datetime | None:
    from lxml import etree

    from .workbook_io import SAFE_PARSER

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            root = etree.fromstring(zf.read("meta.xml"), SAFE_PARSER)
        date = root.find(".//{http://purl.org/dc/elements/1.1/}date")
        return dt.datetime.fromisoformat(date.text.strip()[:19]) if date is not None else None
    except (KeyError, ValueError, AttributeError, etree.XMLSyntaxError):
        return None

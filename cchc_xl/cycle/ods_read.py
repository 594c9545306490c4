"""Returns re-saved by LibreOffice as .ods: the content's XML streamed once, for the sheets'
used sizes (calamine expands each whole) and what calamine does not give (formulas,
percentages); and the saved time."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from ..files.bounds import TooLarge

_ODS_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


# The sheets of an .ods calamine may expand: up to the rows the caller gives (twice what a
# return's sheets are read to), a few dozen columns wide; LibreOffice's own sheets end at
# column 1024.
ODS_MAX_COLUMNS = 1024
ODS_MAX_CELLS = 500_000


def ods_scan(data: bytes, sheet: str, max_row: int, max_rows: int
             ) -> dict[tuple[int, int], tuple]:
    """The .ods content streamed once (never held whole): TooLarge for the first sheet
    whose used rectangle (from A1 to its last cell holding anything: a value, a formula, a
    text, a note) passes max_rows, ODS_MAX_COLUMNS or ODS_MAX_CELLS, counted with its
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
                if (last_row > max_rows or last_col > ODS_MAX_COLUMNS
                        or last_row * last_col > ODS_MAX_CELLS):
                    raise TooLarge(name, last_row, last_col)
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


def ods_saved(data: bytes) -> dt.datetime | None:
    from lxml import etree

    from ..files.package import SAFE_PARSER

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            root = etree.fromstring(zf.read("meta.xml"), SAFE_PARSER)
        date = root.find(".//{http://purl.org/dc/elements/1.1/}date")
        return dt.datetime.fromisoformat(date.text.strip()[:19]) if date is not None else None
    except (KeyError, ValueError, AttributeError, etree.XMLSyntaxError):
        return None

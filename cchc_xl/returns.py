"""Reading one returned officer workbook: its stamp, and its rows by code, never by position."""

from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from . import layout
from .inbox import Incoming, package_problem
from .problems import ERROR, WARNING, Problem
from .stamp import LOCKED_KEYS, Stamp, StampInvalid, read_stamp, stamp_intact
from .text import clean_cell, fold

OFFICER = layout.OFFICER
MAX_ROWS = 5000  # an officer's sheet has tens of rows; stop reading far beyond that


@dataclass
class ReturnedRow:
    """One row of an officer's sheet as returned."""

    code: str
    row: int
    values: dict  # report field -> raw cell value
    locked: dict  # locked key -> cell value, as the seal covers it
    formats: dict  # report field -> number format
    formulas: set = field(default_factory=set)  # report fields holding a formula

    def cell(self, key: str, columns: dict[str, int]) -> str:
        return f"{get_column_letter(columns[key])}{self.row}"


@dataclass
class Return:
    """A returned workbook that belongs to this master, ready to merge."""

    incoming: Incoming
    stamp: Stamp
    rows: dict[str, ReturnedRow]
    columns: dict[str, int]
    saved_at: dt.datetime | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.incoming.name


def _problem(problem_code: str, incoming: Incoming, severity: str = ERROR, cell: str = "",
             sheet: str = "", value: object = None, **params) -> Problem:
    return Problem(problem_code, severity, sheet, cell, value, {"file": incoming.name, **params},
                   file=incoming.name)


def open_return(incoming: Incoming, master_id: str, key: str | None) -> Return | Problem:
    """The return in these bytes, or the one problem that stops it from being applied."""
    import openpyxl

    bad = package_problem(incoming.data, incoming.name)
    if bad is not None:
        return bad
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(incoming.data), read_only=True,
                                        keep_vba=False, keep_links=False)
    except Exception as exc:  # a damaged package raises many kinds
        return _problem("file-corrupt", incoming, reason=str(exc) or type(exc).__name__)
    try:
        return _read(wb, incoming, master_id, key)
    finally:
        wb.close()


def _read(wb, incoming: Incoming, master_id: str, key: str | None) -> Return | Problem:
    try:
        stamp = read_stamp(wb)
    except StampInvalid as exc:
        return _problem("stamp-damaged", incoming, reason=str(exc))
    except Exception as exc:
        return _problem("stamp-damaged", incoming, reason=type(exc).__name__)
    if stamp is None:
        return _problem("not-a-return", incoming)
    if stamp.master_id != master_id:
        return _problem("other-master", incoming, commune=stamp.commune,
                        master_file=stamp.master_file)
    if key is None or not stamp_intact(stamp, key):
        return _problem("stamp-tampered", incoming)
    if OFFICER.name not in wb.sheetnames:
        return _problem("officer-sheet-missing", incoming, sheet_name=OFFICER.name)
    ws = wb[OFFICER.name]
    rows, columns, problems = read_rows(ws, incoming)
    if columns is None:
        return problems[0]
    saved = wb.properties.modified if wb.properties else None
    return Return(incoming, stamp, rows, columns, saved, problems)


def read_rows(ws, incoming: Incoming) -> tuple[dict[str, ReturnedRow], dict | None,
                                                 list[Problem]]:
    """Rows by code below the header, wherever the header now is (rows may be inserted,
    deleted or sorted); duplicated codes are reported and neither copy is used."""
    labels = {fold(c.label): c.key for c in OFFICER.columns}
    header, columns = None, {}
    grid = ws.iter_rows(min_row=1, max_row=OFFICER.header_row + 40 + MAX_ROWS, values_only=False)
    rows: dict[str, ReturnedRow] = {}
    duplicated: set[str] = set()
    problems: list[Problem] = []
    for r, cells in enumerate(grid, start=1):
        if header is None:
            found = {}
            for c, cell in enumerate(cells, start=1):
                k = labels.get(fold(getattr(cell, "value", None)))
                if k and k not in found:
                    found[k] = c
            if "code" in found and len(found) >= len(OFFICER.columns) - 2:
                header, columns = r, found
                missing = [col.label for col in OFFICER.columns if col.key not in found]
                for label in missing:
                    problems.append(_problem("officer-column-missing", incoming, WARNING,
                                             sheet=OFFICER.name, label=label))
            elif r > OFFICER.header_row + 40:
                break
            continue
        if r - header > MAX_ROWS:
            problems.append(_problem("too-many-rows", incoming, WARNING, sheet=OFFICER.name,
                                     limit=MAX_ROWS))
            break

        def value(k: str, cells=cells, columns=columns):
            c = columns.get(k)
            return cells[c - 1].value if c and c - 1 < len(cells) else None

        code_raw = value("code")
        if code_raw is None or (isinstance(code_raw, str) and not code_raw.strip()):
            continue
        code = clean_cell(code_raw)
        if code in rows or code in duplicated:
            duplicated.add(code)
            rows.pop(code, None)
            problems.append(_problem("row-duplicated", incoming, WARNING, sheet=OFFICER.name,
                                     cell=f"A{r}", value=code))
            continue
        values, formats, formulas = {}, {}, set()
        for k in layout.REPORT_FIELDS:
            c = columns.get(k)
            cell = cells[c - 1] if c and c - 1 < len(cells) else None
            raw = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                formulas.add(k)
            values[k] = raw
            formats[k] = getattr(cell, "number_format", "") or ""
        locked = {k: value(k) for k in LOCKED_KEYS}
        locked["code"] = code
        rows[code] = ReturnedRow(code, r, values, locked, formats, formulas)
    if header is None:
        return {}, None, [_problem("officer-header-missing", incoming, sheet=OFFICER.name,
                                   label=OFFICER.columns[0].label)]
    return rows, columns, problems

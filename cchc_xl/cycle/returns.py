"""Reading one returned officer workbook: its stamp, and its rows by code, never by position."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from .. import layout
from ..files.bounds import TooLarge
from ..messages import Bilingual
from ..problems import ERROR, INFO, WARNING, Problem
from ..text import clean_cell, fold
from .evidence_return import ROWS as EVIDENCE_ROWS
from .evidence_return import WIDTH as EVIDENCE_WIDTH
from .evidence_return import read_lines
from .incoming import Incoming, Refused, unpack
from .officer_input import shown, shown_params
from .return_sheets import Grid, read_sheets
from .stamp import (
    DATA_ROW,
    LOCKED_KEYS,
    Stamp,
    StampInvalid,
    read_stamp,
    row_seal,
    stamp_intact,
)

OFFICER = layout.OFFICER
MAX_ROWS = 5000  # an officer's sheet has tens of rows; stop reading far beyond that
READ_NEVER = ("others",)  # shown to the officer, never read back (nor missed when deleted)


_NONE: frozenset = frozenset()


@dataclass(slots=True)  # a province's consolidation holds tens of thousands of them
class ReturnedRow:
    """One row of an officer's sheet as returned."""

    code: str
    row: int
    values: dict  # report field -> raw cell value
    seal: str  # the seal of its locked cells as returned (stamp.row_seal under the master's
    # key): equal to the issued row's seal unless a locked cell was changed
    formats: dict  # report field -> number format, where it is not General
    formulas: frozenset = _NONE  # report fields holding a formula
    skipped: frozenset = _NONE  # report fields not read (merged over)

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
    # The evidence sheet's lines (evidence_return.Lines); None: issued without that sheet.
    evidence: object = None

    @property
    def name(self) -> str:
        return self.incoming.name


def _problem(problem_code: str, incoming: Incoming, severity: str = ERROR, cell: str = "",
             sheet: str = "", value: object = None, **params) -> Problem:
    return Problem(problem_code, severity, sheet, cell, shown(value),
                   shown_params({"file": incoming.name, **params}), file=incoming.name)


def open_return(incoming: Incoming, master_id: str, key: str | None) -> Return | Problem:
    """The return in these bytes, or the one problem that stops it from being applied.

    .xlsx/.xlsm and .ods (a workbook re-saved by LibreOffice) alike: values through
    python-calamine (macros are never run, links never followed), formulas and number formats
    from a scan of the officer sheet, once the sheets are known to be of a bounded size
    (return_sheets). At most MAX_ROWS rows of a sheet are read."""
    held = load(incoming)
    if isinstance(held, Problem):
        return held
    if held is not incoming:
        got = open_return(held, master_id, key)
        if isinstance(got, Return):
            got.incoming = incoming  # the caller's, which does not hold the bytes
        return got
    unpacked = unpack(incoming.data, incoming.name)
    if isinstance(unpacked, Problem):
        return unpacked
    from ..files.bounds import NoStamp, Unbounded

    ods = is_ods(incoming.data)
    try:
        sheets = read_sheets(incoming.data, SHEET_LIMITS, (OFFICER.name, EVIDENCE_SHEET), ods=ods,
                             unpacked=unpacked)
    except NoStamp as exc:  # (what _read says of it, without a sheet read)
        return _problem("stamp-missing" if exc.officer else "not-a-return", incoming)
    except Unbounded as exc:
        return _problem("file-corrupt", incoming, reason=exc.args[0])
    except TooLarge as exc:
        if ods:
            return _problem("ods-too-large", incoming, sheet_name=exc.sheet, rows=exc.rows,
                            columns=exc.columns)
        return _problem("file-corrupt", incoming, reason=Bilingual(
            f"sheet «{exc.sheet}» dùng đến dòng {exc.rows}, cột {exc.columns}: quá lớn",
            f"sheet '{exc.sheet}' is used down to row {exc.rows} and across to column "
            f"{exc.columns}: too large"))
    except Exception as exc:  # calamine and lxml raise many kinds for damaged packages
        return _problem("file-corrupt", incoming, reason=str(exc) or type(exc).__name__)
    notes = [_problem("macros-ignored", incoming, INFO)] if sheets.macros else []
    grids = sheets.grids
    try:
        return _read(incoming, master_id, key, sheets.names, grids.get(layout.STAMP_SHEET),
                     grids.get(OFFICER.name), sheets.saved, sheets.merged, notes, ods=ods,
                     evidence=grids.get(EVIDENCE_SHEET))
    except Exception as exc:  # a damaged sheet inside a sound package
        return _problem("file-corrupt", incoming, reason=str(exc) or type(exc).__name__)


def iter_returns(items: list[Incoming], master_id: str, key: str | None, *,
                 skip: frozenset[str] = frozenset()) -> Iterator[Return | Problem | None]:
    """open_return of each item, yielded in order as each is read (for a progress bar), on
    every core for a large batch (cores.on_cores); None for a file whose bytes' digest is in
    `skip` (consolidated before: not read again). Each item's digest is set, from the bytes
    read (where they were read)."""
    from ..cores import on_cores
    from .containers import forget

    jobs = [(item, master_id, key, skip) for item in items]
    try:
        for item, (digest, got) in zip(items, on_cores(_read_job, jobs)):
            item.digest = digest
            if isinstance(got, Return):
                got.incoming = item  # the caller's, which does not hold the bytes
            yield got
    finally:
        forget()  # (the archive or e-mail its last workbook was read from)


def _read_job(job: tuple) -> tuple[str | None, Return | Problem | None]:
    """(the digest of the bytes read, what iter_returns yields for them) of one item; a
    Return without its Incoming (the caller has it: the bytes are not sent back)."""
    item, master_id, key, skip = job
    held = load(item)  # the one read of the file, and its digest
    if isinstance(held, Problem):
        return item.digest, held
    if held.digest in skip:
        return held.digest, None
    got = open_return(held, master_id, key)
    if isinstance(got, Return):
        got.incoming = None
    return held.digest, got


def load(incoming: Incoming) -> Incoming | Problem:
    """The workbook with its bytes read once, or why they cannot be read."""
    try:
        return incoming.loaded()
    except Refused as exc:  # (not a regular file, grown past its limit, changed, damaged)
        return _problem(exc.code, incoming, exc.severity, **exc.params)
    except FileNotFoundError:  # listed, then deleted or moved before it was read
        return _problem("file-vanished", incoming)
    except OSError as exc:
        return _problem("file-corrupt", incoming, reason=exc.strerror or str(exc))


# The stamp's text in column B from DATA_ROW down: a cell holds the text of many rows.
STAMP_ROWS, STAMP_WIDTH = DATA_ROW + MAX_ROWS, 2
OFFICER_ROWS = OFFICER.header_row + 40 + MAX_ROWS  # what read_rows asks of the officer sheet
EVIDENCE_SHEET = layout.EVIDENCE_OFFICER.name
SHEET_LIMITS = {layout.STAMP_SHEET: (STAMP_ROWS, STAMP_WIDTH), OFFICER.name: (OFFICER_ROWS, None),
                EVIDENCE_SHEET: (EVIDENCE_ROWS, EVIDENCE_WIDTH)}  # the sheets read: rows, columns


class _Sheets:
    """What read_stamp needs of a workbook: its sheet names and the stamp sheet."""

    def __init__(self, sheetnames: list[str], stamp: Grid | None):
        self.sheetnames, self._stamp = sheetnames, stamp

    def __getitem__(self, name: str) -> Grid:
        if name != layout.STAMP_SHEET or self._stamp is None:
            raise KeyError(name)
        return self._stamp


def _read(incoming: Incoming, master_id: str, key: str | None, sheetnames: list[str],
          stamp_grid: Grid | None, officer, saved, merged, notes: list[Problem], *,
          ods: bool, evidence: Grid | None = None) -> Return | Problem:
    try:
        stamp = read_stamp(_Sheets(list(sheetnames), stamp_grid))
    except StampInvalid as exc:
        return _problem("stamp-damaged", incoming, reason=str(exc))
    except Exception as exc:
        return _problem("stamp-damaged", incoming, reason=type(exc).__name__)
    if stamp is None:
        if ods:
            return _problem("ods-stamp-missing", incoming)
        if officer is not None:
            return _problem("stamp-missing", incoming)
        return _problem("not-a-return", incoming)
    if stamp.master_id != master_id:
        return _problem("other-master", incoming, commune=stamp.commune,
                        master_file=stamp.master_file)
    if key is None or not stamp.seal.isascii() or not stamp_intact(stamp, key):
        return _problem("stamp-tampered", incoming)  # (compare_digest takes ASCII only)
    stamp.text = ""  # (checked: a province's returns need not hold it)
    if officer is None:
        return _problem("officer-sheet-missing", incoming, sheet_name=OFFICER.name)
    rows, columns, problems = read_rows(officer, incoming, merged=merged,
                                        seal=lambda locked: row_seal(key, locked))
    if columns is None:
        return problems[0]
    lines = None
    if stamp.evidence is not None:  # (issued with the evidence sheet: it must come back)
        if evidence is None:
            return _problem("evidence-sheet-missing", incoming, sheet_name=EVIDENCE_SHEET)
        lines = read_lines(evidence, lambda code, **params: _problem(code, incoming, **params))
        if isinstance(lines, Problem):
            return lines
    return Return(incoming, stamp, rows, columns, saved, [*notes, *problems], lines)


_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """Excel's escapes in cell text decoded, as the reader gives them (calamine decodes them):
    '_x000B_' is a line break pasted from Word, '_x005F_' an underscore (openpyxl leaves them
    as they are)."""
    return _ESCAPE_RE.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


def is_ods(data: bytes) -> bool:
    """An OpenDocument spreadsheet package (its first member names the type)."""
    return data[30:38] == b"mimetype" and b"opendocument.spreadsheet" in data[:100]


def _labels() -> dict[str, str]:
    """Folded header label -> field key, as the fields are declared now (a declaration
    changed in between is seen: _labels_of is cached by the columns themselves)."""
    return _labels_of(OFFICER.columns)


@functools.lru_cache(maxsize=2)  # (the columns as the fields are declared)
def _labels_of(columns: tuple) -> dict[str, str]:
    return {fold(c.label): c.key for c in columns}


@functools.lru_cache(maxsize=64)  # the same template's merges in every return of a round
def _covered(merged: tuple[str, ...]) -> dict[tuple[int, int], str]:
    """(row, column) hidden under a merge -> its range (not the range's first cell)."""
    from openpyxl.utils import range_boundaries

    covered: dict[tuple[int, int], str] = {}
    for ref in merged:
        c1, r1, c2, r2 = range_boundaries(ref)
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
            continue
        covered.update({(r, c): ref for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
                        if (r, c) != (r1, c1)})
    return covered


def read_rows(ws: Grid, incoming: Incoming, merged: list[str] = (), *,
              seal) -> tuple[dict[str, ReturnedRow], dict | None, list[Problem]]:
    """Rows by code below the header, wherever the header now is (rows may be inserted,
    deleted or sorted); duplicated codes are reported and neither copy is used; a row with
    content but no code is reported; input cells merged into another cell are not read.
    seal: a row's locked cells -> their seal (only
    the seal is kept: a province's thousand returns would otherwise hold every plan text)."""

    labels = _labels()
    covered = _covered(tuple(merged))
    merged_fields: dict[str, list[str]] = {}
    header, columns = None, {}
    rows: dict[str, ReturnedRow] = {}
    duplicated: set[str] = set()
    problems: list[Problem] = []
    for r, cells in enumerate(ws.rows[:OFFICER_ROWS], start=1):
        if header is None:
            found = {}
            for c, text in enumerate(cells, start=1):  # (only a text can be a label)
                k = labels.get(fold(text)) if text.__class__ is str else None
                if k and k not in found:
                    found[k] = c
            if "code" in found and len(found) >= len(OFFICER.columns) - 3:
                header, columns = r, found
                inputs = [c.label for c in OFFICER.columns
                          if c.officer_input and c.key not in found]
                if inputs:  # a column deleted: nothing of the file is applied, not "emptied"
                    return {}, None, [_problem("officer-input-column-missing", incoming,
                                               sheet=OFFICER.name, cell=f"A{r}",
                                               label=", ".join(inputs))]
                for col in OFFICER.columns:
                    if col.key not in found and col.key not in READ_NEVER:
                        problems.append(_problem("officer-column-missing", incoming, WARNING,
                                                 sheet=OFFICER.name, label=col.label))
                # (the declaration read once, for every row: (field, column or 0))
                reported = [(k, found.get(k, 0)) for k in layout.REPORT_FIELDS]
                locked_at = [(k, found.get(k, 0)) for k in LOCKED_KEYS]
                code_at = found["code"]
            elif r > OFFICER.header_row + 40:
                break
            continue
        if r - header > MAX_ROWS:
            problems.append(_problem("too-many-rows", incoming, WARNING, sheet=OFFICER.name,
                                     limit=MAX_ROWS))
            break

        width = len(cells)
        code_raw = cells[code_at - 1] if code_at <= width else None
        if code_raw is None or (isinstance(code_raw, str) and not code_raw.strip()):
            if any(clean_cell(cells[c - 1]) for _, c in reported if 0 < c <= width):
                problems.append(_problem("row-without-code", incoming, WARNING,
                                         sheet=OFFICER.name, cell=f"A{r}", row=r))
            continue
        code = clean_cell(code_raw)
        if code in rows or code in duplicated:
            duplicated.add(code)
            rows.pop(code, None)
            problems.append(_problem("row-duplicated", incoming, WARNING, sheet=OFFICER.name,
                                     cell=f"A{r}", value=code))
            continue
        values, formats, formulas, skipped = {}, {}, set(), set()
        shown, typed = ws.formats.get(r), ws.formulas.get(r)
        for k, c in reported:
            if covered and (r, c) in covered:
                skipped.add(k)
                merged_fields.setdefault(covered[(r, c)], []).append(k)
                continue
            values[k] = cells[c - 1] if 0 < c <= width else None
            if typed and c in typed:
                formulas.add(k)
            if shown:
                number_format = shown.get(c)
                if number_format and number_format != "General":
                    formats[k] = number_format
        locked = {k: cells[c - 1] if 0 < c <= width else None for k, c in locked_at}
        locked["code"] = code
        rows[code] = ReturnedRow(code, r, values, seal(locked), formats,
                                 frozenset(formulas) if formulas else _NONE,
                                 frozenset(skipped) if skipped else _NONE)
    if header is None:
        return {}, None, [_problem("officer-header-missing", incoming, sheet=OFFICER.name,
                                   label=OFFICER.columns[0].label)]
    for ref, keys in merged_fields.items():
        names = ", ".join(dict.fromkeys(OFFICER.column(k).label for k in keys))
        problems.append(_problem("cells-merged", incoming, WARNING, sheet=OFFICER.name,
                                 cell=ref, fields=names))
    return rows, columns, problems

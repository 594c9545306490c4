"""The roster given to `cchc-xl new --roster`: an .xlsx workbook or a .csv file in any of the
encodings Windows offices save (UTF-8 with or without BOM, UTF-16, cp1258), columns found by
their header."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..messages import Bilingual
from ..problems import WARNING, Problem
from ..text import clean_cell
from .headers import assign, compile_labels, words

LABELS = compile_labels(layout.ROSTER_INPUT_LABELS)
HEADER_SEARCH_ROWS = 10
_UNSUPPORTED = {".xls": "Excel 97-2003 (.xls)", ".ods": "OpenDocument (.ods)",
                ".xlsb": "Excel (.xlsb)", ".docx": "Word (.docx)", ".doc": "Word (.doc)",
                ".pdf": "PDF"}


class RosterFormatError(ValueError):
    """The roster cannot be read: `problem` says where and why (its message, in Vietnamese and
    English, is the exception's text)."""

    def __init__(self, problem: Problem):
        super().__init__(Bilingual(problem.message("vi"), problem.message("en")))
        self.problem = problem
        self.path = problem.file


@dataclass
class RosterEntry:
    """One officer of the roster file: the role (or the department they belong to), who holds
    it, and where the row is."""

    role: str
    person: str = ""
    email: str = ""
    aliases: list[str] = field(default_factory=list)
    department: str = ""
    specialist: bool | None = None
    line: int = 0

    def get(self, key: str, default: object = None) -> object:  # (the old dict entries)
        return getattr(self, key, default) or default


@dataclass
class RosterFile:
    entries: list[RosterEntry]
    notes: list[Problem] = field(default_factory=list)
    encoding: str = ""


def _where(name: str, line: int | None, vi: str = "dòng", en: str = "line") -> Bilingual:
    if line is None:
        return Bilingual(name, name)
    return Bilingual(f"{name}, {vi} {line}", f"{name}, {en} {line}")


def _fail(problem_code: str, name: str, line: int | None = None, value=None, /, **params):
    raise RosterFormatError(Problem(problem_code, "error", "", "", value,
                                    {"file": name, "at": _where(name, line), **params},
                                    file=name))


def read_roster(path: str | Path) -> RosterFile:
    """Officers from a roster file (.xlsx, or .csv separated by commas, semicolons or tabs)."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED:
        _fail("roster-format-unsupported", name, kind=_UNSUPPORTED[suffix])
    if suffix in (".xlsx", ".xlsm"):
        rows, encoding = _workbook_rows(path), ""
    else:
        rows, encoding = _csv_rows(path)
    result = _entries(rows, name)
    result.encoding = encoding
    return result


def _workbook_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The rows of the sheet holding the roster: «Cán bộ» when the workbook has it (a master's
    own roster), else the first sheet."""
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        _fail("roster-not-workbook", path.name, None, reason=str(error))
    try:
        ws = wb[layout.ROSTER.name] if layout.ROSTER.name in wb.sheetnames else wb.worksheets[0]
        return [(n, ["" if v is None else str(v) for v in row])
                for n, row in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        wb.close()


def _csv_rows(path: Path) -> tuple[list[tuple[int, list[str]]], str]:
    from ..files.text_file import Undecodable, decode

    try:
        text, encoding = decode(path.read_bytes())
    except Undecodable as error:
        _fail("roster-unreadable", path.name, error.line, byte=f"0x{error.byte:02X}",
              encoding=error.encoding)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(reader.line_num, row) for row in reader], encoding


def _entries(rows: list[tuple[int, list[str]]], name: str) -> RosterFile:
    header_at, columns = _header(rows)
    if header_at is None:
        first = next((" | ".join(c for c in row if c.strip()) for _, row in rows
                      if any(c.strip() for c in row)), "")
        expected = ", ".join(f"«{layout.ROSTER.column(k).label}»"
                             for k in ("role", "person", "email"))
        _fail("roster-header-not-found", name, None, first, expected=expected)
    out = RosterFile([])
    for line, row in rows[header_at + 1:]:
        cell = {key: clean_cell(row[c]) if c < len(row) else "" for key, c in columns.items()}
        if not any(cell.values()):
            continue
        role = cell.get("role", "") or cell.get("department", "")
        if not role:
            shown = " | ".join(v for v in cell.values() if v)
            out.notes.append(Problem("roster-row-without-role", WARNING, "", "", shown,
                                     {"file": name, "at": _where(name, line)}, file=name))
            continue
        out.entries.append(RosterEntry(
            role=role, person=cell.get("person", ""), email=cell.get("email", ""),
            aliases=[a.strip() for a in cell.get("aliases", "").split(";") if a.strip()],
            department=cell.get("department", ""), specialist=_yes_no(cell.get("specialist")),
            line=line))
    if not out.entries:
        _fail("roster-empty", name)
    return out


def _header(rows: list[tuple[int, list[str]]]) -> tuple[int | None, dict[str, int]]:
    for index, (_, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = assign({c: [text] for c, text in enumerate(row) if text.strip()}, LABELS)
        if any(k in found.fields for k in ("role", "department")) and len(found.fields) >= 2:
            return index, found.fields
    return None, {}


def _yes_no(text: str | None) -> bool | None:
    found = words(text)
    if not found:
        return None
    return found[0] not in ("khong", "no", "0", "false", "k")

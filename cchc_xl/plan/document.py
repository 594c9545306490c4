"""The document a plan comes in: its tables read, the plan's table chosen by its header, and
the errors that refuse it (where in the document, and why)."""

from __future__ import annotations

from pathlib import Path

from .. import layout
from ..files.table_grid import GridTable
from ..messages import Bilingual
from ..problems import Problem
from ..text import clean_cell
from .header import Header, TableColumn, find_header

_UNSUPPORTED = {".doc": "Word 97-2003 (.doc)", ".rtf": "RTF", ".odt": "OpenDocument (.odt)",
                ".pdf": "PDF", ".xls": "Excel (.xls)", ".xlsx": "Excel (.xlsx)",
                ".ods": "OpenDocument (.ods)", ".xlsm": "Excel (.xlsm)"}


class PlanFormatError(ValueError):
    """The document is not a plan table this tool can read: `problem` says where and why (its
    message, in Vietnamese and English, is the exception's text)."""

    def __init__(self, problem: Problem):
        super().__init__(Bilingual(problem.message("vi"), problem.message("en")))
        self.problem = problem
        self.path = problem.file


def place(table: GridTable | None, row: int | None = None, column: TableColumn | None = None,
          tables: int = 1) -> Bilingual:
    """Where something is in the document, as a person finds it: the table (when there are
    several), the row of the table or the line of a text file, and the column."""
    vi: list[str] = []
    en: list[str] = []
    if table is not None and table.lines is not None and row is not None:
        vi.append(f"dòng {table.lines[row]} của tệp")
        en.append(f"line {table.lines[row]}")
    else:
        if table is not None and tables > 1:
            vi.append(f"bảng {table.number}")
            en.append(f"table {table.number}")
        if row is not None:
            vi.append(f"dòng {row + 1} của bảng")
            en.append(f"row {row + 1} of the table")
    if column is not None:
        vi.append(f"cột {column.index + 1} «{column.label}»")
        en.append(f"column {column.index + 1} '{column.label}'")
    return Bilingual(", ".join(vi), ", ".join(en))


def at(file: str, where: Bilingual | str = "") -> Bilingual:
    """'ke_hoach.docx, bảng 2, dòng 5 của bảng': the file, then the place in it if any."""
    if not str(where):
        return Bilingual(file, file)
    en = where.en if isinstance(where, Bilingual) else str(where)
    return Bilingual(f"{file}, {where}", f"{file}, {en}")


def problem(problem_code: str, severity: str, file: str, where: Bilingual | str = "",
             value=None, /, cell: str = "", **params) -> Problem:
    return Problem(problem_code, severity, "", cell, value, {"file": file, "at": at(file, where),
                                                     **params}, file=file)


def refuse(problem_code: str, file: str, where: Bilingual | str = "", value=None, /,
           **params):
    raise PlanFormatError(problem(problem_code, "error", file, where, value, **params))


# --- the document's tables -----------------------------------------------------------------

def read_tables(path: Path) -> tuple[list[str], list[GridTable]]:
    """The paragraphs above the first table and every table of a .docx or a text export."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED:
        refuse("plan-format-unsupported", name, kind=_UNSUPPORTED[suffix])
    if suffix in (".docx", ".docm", ".dotx"):
        from ..files.docx_table import NotADocx, read_docx_tables

        try:
            tables = read_docx_tables(path)
        except NotADocx as error:
            refuse("plan-not-docx", name, reason=str(error.__cause__ or error))
        return (tables[0].paragraphs if tables else []), tables
    from ..files.text_file import Undecodable, decode
    from .text_table import read_text_tables

    try:
        text, _ = decode(path.read_bytes())
    except Undecodable as error:
        refuse("plan-text-unreadable", name, Bilingual(f"dòng {error.line}", f"line {error.line}"),
               byte=f"0x{error.byte:02X}", encoding=error.encoding)
    heading, tables = read_text_tables(text)
    return heading, tables


def split_text_table(text: str, name: str = "") -> tuple[list[str], list[list[str]]]:
    """Heading paragraphs and the rows of the first table of Word's text export (each row as
    its cells' texts; a cell merged across is given once, the columns it covers empty)."""
    from .text_table import read_text_tables

    heading, tables = read_text_tables(text)
    if not tables:
        refuse("plan-no-table", name)
    return heading, [[c.text if c.origin else "" for c in row] for row in tables[0].rows]


def _quoted(labels) -> Bilingual:
    """«a», «b» in Vietnamese, 'a', 'b' in English."""
    labels = list(labels)
    return Bilingual(", ".join(f"«{x}»" for x in labels), ", ".join(f"'{x}'" for x in labels))


def _expected() -> Bilingual:
    """The columns a plan needs, as the master names them."""
    return _quoted(layout.PLAN.column(key).label
                   for key in (*layout.PLAN_IMPORT_REQUIRED, "appraised"))


def _header_text(table: GridTable, header: Header | None) -> str:
    if header is not None:
        return " | ".join(c.label for c in header.columns)
    for row in table.rows[:8]:
        texts = [" ".join(clean_cell(c.text).split()) for c in row if c.origin]
        if sum(1 for t in texts if t) >= 2:
            return " | ".join(texts)
    return ""


def choose_tables(tables: list[GridTable], name: str) -> tuple[list[tuple[GridTable, Header]],
                                                               list[GridTable]]:
    """The plan's table with its header (and the tables right after it that continue it with
    the same columns), and the document's other tables."""
    found = [(t, find_header(t)) for t in (t.padded() for t in tables)]
    complete = [i for i, (_, h) in enumerate(found) if h is not None and not h.missing()]
    if not complete:
        best = max(found, key=lambda th: th[1].score if th[1] else (0, 0))
        table, header = best
        many = len(tables)
        if header is None:
            refuse("plan-header-not-found", name, place(table if many > 1 else None,
                                                        tables=many),
                   _header_text(table, None), expected=_expected())
        missing = _quoted(field_label(f) for f in header.missing())
        refuse("plan-columns-missing", name, place(table, header.rows[0], tables=many),
               _header_text(table, header), missing=missing, expected=_expected(),
               labels=_labels_of(header.missing()))
    first = complete[0]
    chosen = [found[first]]
    for table, header in found[first + 1:]:
        if (header is None or header.missing() or table.paragraphs
                or header.fields != chosen[0][1].fields):
            break
        chosen.append((table, header))
    taken = {id(t) for t, _ in chosen}
    return chosen, [t for t, _ in found if id(t) not in taken]


def field_label(key: str) -> str:
    return layout.PLAN.column(key).label


def _labels_of(keys: list[str]) -> str:
    return "; ".join(f"{field_label(k)}: " + ", ".join(
        label.lstrip("=") for label in layout.PLAN_IMPORT_LABELS[k]) for k in keys)

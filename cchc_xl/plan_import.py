"""Read a plan appendix, as Word's text export or as a .docx table, into a Plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .plan import Plan, PlanRow, read_heading
from .problems import WARNING, Problem
from .text import clean_cell, fold, format_number, parse_number, same_number
from .timeframe import parse_timeframe

N_COLUMNS = len(layout.PLAN_DOCUMENT_KEYS)


class PlanFormatError(ValueError):
    """The document is not a plan table this tool can read; the message says where and why."""


@dataclass
class ImportResult:
    """The plan read from a document, and what the reader noticed on the way."""

    plan: Plan
    source: str
    notes: list[Problem] = field(default_factory=list)


def read_plan(path: str | Path) -> ImportResult:
    """Read a plan from a .txt (Word 'save as text', cells on tab-led lines) or a .docx."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        from .docx_table import read_docx_plan

        doc = read_docx_plan(path)
        return _build(doc.paragraphs, doc.rows, path.name)
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise PlanFormatError(f"{path.name}: not UTF-8/UTF-16 text")
    paragraphs, rows = split_text_table(text, path.name)
    return _build(paragraphs, rows, path.name)


def split_text_table(text: str, name: str = "") -> tuple[list[str], list[list[str]]]:
    """Heading paragraphs and table rows of Word's text export.

    Each cell starts on a line beginning with a tab; a line without one continues the cell
    above as a new paragraph (row 1.6 of the seed has a blank paragraph inside its action).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    heading: list[str] = []
    cells: list[str] = []
    started = False
    for line in lines:
        if line.startswith("\t"):
            started = True
            cells.append(line[1:])
        elif not started:
            if line.strip():
                heading.append(line.strip())
        elif cells:
            cells[-1] += "\n" + line
    if not cells:
        raise PlanFormatError(f"{name}: no table found (cells must start with a tab)")
    if len(cells) % N_COLUMNS:
        raise PlanFormatError(
            f"{name}: {len(cells)} cells is not a multiple of the {N_COLUMNS} columns of the plan"
        )
    rows = [cells[i:i + N_COLUMNS] for i in range(0, len(cells), N_COLUMNS)]
    return heading, rows


def _is_header(row: list[str]) -> bool:
    return fold(row[0]) == fold(layout.PLAN.column("code").label)


def _build(paragraphs: list[str], rows: list[list[str]], source: str) -> ImportResult:
    facts = read_heading([clean_cell(p) for p in paragraphs])
    plan = Plan(**facts)
    notes: list[Problem] = []
    body = [r for r in rows if not _is_header(r)]
    if not body:
        raise PlanFormatError(f"{source}: the table has no rows below its header")
    for number, cells in enumerate(body, start=1):
        if len(cells) < N_COLUMNS:
            raise PlanFormatError(
                f"{source}: table row {number} has {len(cells)} cells, {N_COLUMNS} expected"
            )
        values = dict(zip(layout.PLAN_DOCUMENT_KEYS, (clean_cell(c) for c in cells)))
        if not any(values.values()):
            continue
        row = PlanRow(
            code=values["code"],
            title=values["title"],
            action=values["action"],
            lead=values["lead"],
            support=values["support"],
            timeframe=values["timeframe"],
            note=values["note"],
        )
        for key in ("max_points", "appraised"):
            setattr(row, key, parse_number(values[key]))
            if values[key] and getattr(row, key) is None:
                notes.append(Problem("not-a-number", WARNING, source, f"{row.code}: {key}",
                                     values[key], {"hint": ""}))
        row.lost_stated = parse_number(values["lost"])
        if (row.lost_stated is not None and row.lost is not None
                and not same_number(row.lost_stated, row.lost, 1e-6)):
            notes.append(Problem(
                "lost-differs-from-document", WARNING, source, row.code, values["lost"],
                {"stated": format_number(row.lost_stated), "computed": format_number(row.lost),
                 "code": row.code},
            ))
        row.deadline = parse_timeframe(row.timeframe, plan.year)
        plan.rows.append(row)
    return ImportResult(plan, source, notes)

"""Read a plan appendix (a .docx table, or Word's text export) into a Plan, by its header.

Columns are found by what their header says (plan_header), never by position; codes as the
document writes them (I, II., A, a) become the tree's (plan_codes); a table whose numbers do
not add up (the sign of columns taken for others) is refused, not built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..files.table_grid import GridTable
from ..messages import Bilingual
from ..problems import INFO, WARNING, Problem
from ..text import clean_cell, format_number, parse_number, same_number
from .codes import SourceCode, read_code, split_heading, tree_codes
from .document import (  # noqa: F401 (PlanFormatError, split_text_table, at, place:
    # re-exported, as callers import them from here)
    PlanFormatError,
    at,
    choose_tables,
    field_label,
    place,
    problem,
    read_tables,
    refuse,
    split_text_table,
)
from .header import Header, TableColumn, is_numbering_row, is_total_text
from .timeframe import parse_timeframe
from .tree import Plan, PlanRow, level, read_heading

N_COLUMNS = len(layout.PLAN_DOCUMENT_KEYS)
NUMBERS = ("max_points", "appraised", "lost")
TEXTS = ("title", "action", "lead", "support", "timeframe", "note")
EPS = 1e-6
_EMPTY_NUMBER = {"-", "–", "—", "x", "/"}


@dataclass
class ImportResult:
    """The plan read from a document, what the reader noticed on the way, and where each
    field was taken from (the table, its header rows, each column)."""

    plan: Plan
    source: str
    notes: list[Problem] = field(default_factory=list)
    columns: list[TableColumn] = field(default_factory=list)
    table: int = 1
    tables: int = 1
    header_rows: tuple[int, ...] = ()
    header_place: Bilingual | str = ""  # where the header row is ("dòng 5 của tệp")
    codes_converted: bool = False

    @property
    def extra_columns(self) -> list[str]:
        return self.plan.extra_columns


# --- rows ----------------------------------------------------------------------------------

@dataclass
class _Raw:
    """A row of the document as read: its cells by field, extra cells by label, where it is."""

    values: dict[str, str]
    extras: dict[str, str]
    table: GridTable
    row: int
    where: Bilingual = field(default_factory=lambda: Bilingual("", ""))
    code: SourceCode = field(default_factory=lambda: read_code(""))
    readable: bool = True


def _body(table: GridTable, header: Header) -> list[_Raw]:
    out = []
    extras = [c for c in header.columns if c.field is None]
    header_texts = [[c.text for c in table.rows[r]] for r in header.rows]
    for r in range(header.body_start, len(table.rows)):
        cells = table.rows[r]
        if is_numbering_row(cells) or [c.text for c in cells] in header_texts:
            continue
        values = {key: clean_cell(cells[c].text) if cells[c].origin else ""
                  for key, c in header.fields.items()}
        for col in header.columns:  # (a second criterion column: "Lĩnh vực" beside "Tiêu chí")
            if col.also in ("title", "action") and not values.get(col.also) and cells[
                    col.index].origin:
                values[col.also] = clean_cell(cells[col.index].text)
        extra = [clean_cell(cells[col.index].text) if cells[col.index].origin else ""
                 for col in extras]
        if not any(values.values()) and not any(extra):
            continue
        out.append(_Raw(values, dict(enumerate(extra)), table, r))  # (labels set later)
    return out


def _join(into: _Raw, row: _Raw) -> None:
    """A row continuing the one above (its code and criterion merged down, or left empty):
    its texts are added to that row's."""
    for key in ("action", "lead", "support", "timeframe", "note"):
        new = row.values.get(key, "")
        old = into.values.get(key, "")
        if new and new not in old.split("\n") and new not in old.split("; "):
            sep = "; " if key in ("lead", "support") else "\n"
            into.values[key] = f"{old}{sep}{new}" if old else new
    for label, new in row.extras.items():
        old = into.extras.get(label, "")
        if new and new not in old.split("\n"):
            into.extras[label] = f"{old}\n{new}" if old else new


def _number(text: str) -> tuple[float | None, bool]:
    """(value, readable) of a points cell: '0,5', '1.03', '0,5 điểm'; '-' and '' are none."""
    s = text.strip()
    for unit in ("điểm", "đ"):
        if s.casefold().endswith(unit) and s[:-len(unit)].strip()[-1:].isdigit():
            s = s[:-len(unit)].strip()
    if not s or s in _EMPTY_NUMBER:
        return None, True
    value = parse_number(s)
    if value is not None and not math.isfinite(value):
        return None, False
    return value, value is not None


def _excerpt(text: str, size: int = 60) -> str:
    one = " ".join(text.split())
    return one if len(one) <= size else one[:size - 1] + "…"


def _mapping_text(header: Header) -> Bilingual:
    """Which column each points field was taken from."""
    pairs = [(field_label(c.field), c.index + 1, c.label) for c in header.columns
             if c.field in ("code", *NUMBERS)]
    return Bilingual("; ".join(f"{f} ← cột {n} «{label}»" for f, n, label in pairs),
                     "; ".join(f"{f} ← column {n} '{label}'" for f, n, label in pairs))


def _unique(labels: list[str]) -> list[str]:
    """Extra columns' labels, each once and none a label of the master's own columns."""
    taken = {c.label for c in layout.PLAN.columns} | {layout.PLAN_SOURCE_CODE.label}
    out: list[str] = []
    for label in labels:
        name, n = label, 2
        while name in out or name in taken:
            name, n = f"{label} ({n})", n + 1
        out.append(name)
    return out


HEADING_LINES = 8  # an appendix's heading; more is the plan's own text above its table


def _from_appendix_label(paragraphs: list[str]) -> list[str]:
    """The heading from the last «PHỤ LỤC …» line on, else the last few lines, when the
    document's text before the table holds more than the appendix's heading (the plan's own
    body); the «Kèm theo kế hoạch số …» line is kept wherever it is."""
    from .tree import APPENDIX_RE, ATTACHED_RE

    marks = [i for i, p in enumerate(paragraphs) if APPENDIX_RE.match(p.strip())]
    kept = paragraphs[marks[-1]:] if marks else paragraphs[-HEADING_LINES:]
    attached = [p for p in paragraphs if ATTACHED_RE.search(p) and p not in kept]
    return kept + attached


# --- the whole import ----------------------------------------------------------------------

def read_plan(path: str | Path) -> ImportResult:
    """Read a plan from a .docx (its tables) or a .txt (Word 'save as text'): the table whose
    header names the plan's columns, whatever their order, labels and extra columns."""
    path = Path(path)
    heading, tables = read_tables(path)
    if not tables:
        refuse("plan-no-table", path.name)
    return _Reader(path.name, heading, tables).read()


class _Reader:
    """One import: the document's tables in, an ImportResult out, notes gathered on the way."""

    def __init__(self, name: str, heading: list[str], tables: list[GridTable]):
        self.name = name
        self.many = len(tables)
        self.chosen, self.others = choose_tables(tables, name)
        first, self.header = self.chosen[0]
        if first.number > 1 or first.paragraphs:
            heading = first.paragraphs
        plan = Plan(**read_heading([clean_cell(p) for p in _from_appendix_label(heading)]),
                    source=name)
        self.result = ImportResult(plan, name, columns=self.header.columns,
                                   table=first.number, tables=self.many,
                                   header_rows=self.header.rows,
                                   header_place=place(first, self.header.rows[0],
                                                      tables=self.many))
        self.notes = self.result.notes
        self.total: _Raw | None = None

    def place(self, raw: _Raw, column: TableColumn | None = None) -> Bilingual:
        return place(raw.table, raw.row, column, self.many)

    def note(self, problem_code: str, severity: str, where: Bilingual | str = "", value=None,
             /, **params) -> None:
        self.notes.append(problem(problem_code, severity, self.name, where, value, **params))

    def read(self) -> ImportResult:
        plan, header = self.result.plan, self.header
        extras = [c for c in header.columns if c.field is None]
        plan.extra_columns = _unique([c.label for c in extras])
        for col, label in zip(extras, plan.extra_columns):
            col.label = label
        first = self.chosen[0][0]
        for col in header.columns:
            if col.also:
                self.note("plan-column-twice", INFO, place(first, column=col, tables=self.many),
                          col.label, field=field_label(col.also), taken=header.label(col.also))
        if self.others:
            self.note("plan-tables-skipped", INFO, "",
                      ", ".join(str(t.number) for t in self.others), table=first.number,
                      count=len(self.others))
        raws = self._rows([raw for table, table_header in self.chosen
                           for raw in self._cells(table, table_header)])
        tree = tree_codes([raw.code for raw in raws])
        self.result.codes_converted = tree.converted
        for area, number in tree.renumbered or []:
            self.note("plan-area-renumbered", INFO, "", area, code=number)
        raws, codes = self._merge(raws, tree.codes)
        derived = []
        for raw, code in zip(raws, codes):
            row = self._plan_row(raw, code)
            if row.appraised is not None and not raw.values.get("appraised"):
                derived.append(row.code)
            plan.rows.append(row)
        if derived:
            self.note("plan-appraised-from-lost", INFO, "", len(derived),
                      rows=", ".join(derived[:8]) + (" …" if len(derived) > 8 else ""))
        if not plan.rows:
            refuse("plan-no-rows", self.name, place(first, tables=self.many))
        self._check_numbers(raws)
        return self.result

    def _cells(self, table: GridTable, header: Header) -> list[_Raw]:
        """The table's rows below its header, the total row set apart, a code written in the
        criterion's cell ('I. CÔNG TÁC …' merged across the row) taken out of it."""
        labels = self.result.plan.extra_columns
        out = []
        for raw in _body(table, header):
            raw.extras = {label: raw.extras.get(i, "") for i, label in enumerate(labels)}
            raw.where = self.place(raw)
            code, title = raw.values.get("code", ""), raw.values.get("title", "")
            if is_total_text(code) or is_total_text(title):
                self.total = raw
                continue
            split = split_heading(code) if not title else None
            if split is None and not code and title:
                split = split_heading(title)
                if split and read_code(split[0]).kind not in ("roman", "letter"):
                    split = None
            if split is not None and read_code(code).kind != "arabic":
                raw.values["code"], raw.values["title"] = split
            out.append(raw)
        return out

    def _rows(self, raws: list[_Raw]) -> list[_Raw]:
        """Rows with a code (or a criterion); a row with neither, only more action, lead or
        time frame, continues the row above and is joined to it."""
        out: list[_Raw] = []
        joined: list[str] = []
        for raw in raws:
            code, title = raw.values.get("code", ""), raw.values.get("title", "")
            numbers = any(raw.values.get(k) for k in NUMBERS)
            if not code and not title and not numbers and out:
                _join(out[-1], raw)
                joined.append(str(raw.where))
                continue
            raw.code = read_code(code)
            filled = [v for v in (*raw.values.values(), *raw.extras.values()) if v]
            if len(filled) == 1 and not numbers and raw.code.kind in ("empty", "other"):
                # (a note under the table, a heading without code: no criterion)
                self.note("plan-row-skipped", WARNING, raw.where, _excerpt(filled[0]))
                continue
            if not code:
                self.note("plan-code-missing", WARNING, raw.where, _excerpt(title))
            elif raw.code.kind == "other":
                self.note("plan-code-unreadable", WARNING, raw.where, code)
            out.append(raw)
        if joined:
            self.note("plan-rows-joined", INFO, "", len(joined),
                      rows=", ".join(joined[:4]) + (" …" if len(joined) > 4 else ""))
        return out

    def _merge(self, raws: list[_Raw], codes: list[str]) -> tuple[list[_Raw], list[str]]:
        """A criterion written over several rows (its code, text and points merged down over
        two actions): one row, their actions, leads and time frames joined."""
        out: list[_Raw] = []
        kept: list[str] = []
        for raw, code in zip(raws, codes):
            if out and code and code == kept[-1] and all(
                    raw.values.get(k, "") == out[-1].values.get(k, "")
                    for k in ("title", *NUMBERS)):
                _join(out[-1], raw)
                self.note("plan-rows-merged", INFO, raw.where, code, cell=code)
                continue
            out.append(raw)
            kept.append(code)
        return out, kept

    def _plan_row(self, raw: _Raw, code: str) -> PlanRow:
        values = raw.values
        row = PlanRow(code=code, **{k: values.get(k, "") for k in TEXTS})
        if raw.code.text and raw.code.text != code:
            row.source_code = raw.code.text
        row.extras = dict(raw.extras)
        for key in NUMBERS:
            value, ok = _number(values.get(key, ""))
            if not ok:
                raw.readable = False
                column = next(c for c in self.header.columns if c.field == key)
                self.note("plan-number-unreadable", WARNING, self.place(raw, column),
                          values[key], cell=code, label=field_label(key))
            if key == "lost":
                row.lost_stated = value
            else:
                setattr(row, key, value)
        if (row.appraised is None and not values.get("appraised")
                and row.max_points is not None and row.lost_stated is not None):
            row.appraised = round(row.max_points - row.lost_stated, 6)
        row.deadline = parse_timeframe(row.timeframe, self.result.plan.year)
        return row

    def _check_numbers(self, raws: list[_Raw]) -> None:
        """Per row: points readable, appraised within 0..maximum, the lost points stated equal
        to maximum − appraised. When that fails on most rows, columns were taken for others:
        refused. Areas without points and a total that does not add up are reported."""
        plan = self.result.plan
        suspicious: list[str] = []
        counted = 0
        for row, raw in zip(plan.rows, raws):
            if not any(raw.values.get(k) for k in NUMBERS):
                continue
            counted += 1
            bad = not raw.readable or raw.code.kind == "other"
            if row.max_points is not None and row.appraised is not None and not (
                    -EPS <= row.appraised <= row.max_points + EPS):
                bad = True
                self.note("plan-appraised-out-of-range", WARNING, raw.where,
                          format_number(row.appraised), cell=row.code,
                          max_points=format_number(row.max_points))
            if (row.lost_stated is not None and row.lost is not None
                    and not same_number(row.lost_stated, row.lost, EPS)):
                bad = True
                self.notes.append(Problem(
                    "lost-differs-from-document", WARNING, self.name, row.code,
                    raw.values.get("lost"),
                    {"stated": format_number(row.lost_stated),
                     "computed": format_number(row.lost), "code": row.code},
                ))
            if bad:
                suspicious.append(row.code or str(raw.where))
        if len(suspicious) >= 3 and 2 * len(suspicious) > counted:
            refuse("plan-numbers-inconsistent", self.name, "", len(suspicious), total=counted,
                   rows=", ".join(suspicious[:6]) + (" …" if len(suspicious) > 6 else ""),
                   columns=_mapping_text(self.header))
        for row, raw in zip(plan.rows, raws):
            if (row.code and level(row.code) == 1 and row.max_points is None
                    and row.appraised is None and plan.has_children(row.code)):
                lost = sum(c.lost or 0 for c in plan.children(row.code))
                self.note("plan-area-points-missing", WARNING, raw.where, raw.code.text,
                          cell=row.code, code=row.code, lost=format_number(lost))
        if self.total is not None:
            self._check_total()

    def _check_total(self) -> None:
        plan, total = self.result.plan, self.total
        areas = [r for r in plan.rows if r.code and level(r.code) == 1]
        for key in NUMBERS:
            stated, ok = _number(total.values.get(key, ""))
            values = [r.lost if key == "lost" else getattr(r, key) for r in areas]
            if stated is None or not ok or not areas or any(v is None for v in values):
                continue
            computed = sum(values)
            # (the lost points the areas state may differ from theirs: area 1 of the seed)
            written = sum(r.lost_stated if r.lost_stated is not None else r.lost or 0
                          for r in areas) if key == "lost" else computed
            if not (same_number(stated, computed, 1e-4) or same_number(stated, written, 1e-4)):
                self.note("plan-total-differs", WARNING, total.where, format_number(stated),
                          label=field_label(key), computed=format_number(computed))

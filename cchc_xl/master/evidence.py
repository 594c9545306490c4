"""Evidence documents (tài liệu kiểm chứng): the entries the master keeps, the points they
cover, the rows they leave uncovered (validate, consolidate, the summary sheet)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from .. import layout
from ..problems import WARNING, Problem
from ..text import clean_cell, format_number, parse_number

E = layout.EVIDENCE
EPS = 1e-6
# What validate says of the plan's evidence: about the work reported, not a broken master.
FLAG_CODES = ("done-without-evidence", "expected-exceeds-evidence")


@dataclass(frozen=True)
class Entry:
    """One evidence document as an officer reported it for one row."""

    code: str
    number: str = ""
    date: dt.date | None = None
    issuer: str = ""
    summary: str = ""
    file: str = ""
    points: float | None = None  # None: it supports the whole row

    def key(self) -> tuple:
        """What tells two entries apart (numbers rounded: 0.5 typed or stored is 0.5)."""
        return (self.code, self.number, self.date, self.issuer, self.summary, self.file,
                None if self.points is None else round(self.points, 6))

    def as_list(self) -> list:
        """The entry as the stamp's JSON holds it."""
        return [self.code, self.number, self.date.isoformat() if self.date else None,
                self.issuer, self.summary, self.file, self.points]

    @classmethod
    def from_list(cls, values: list) -> Entry:
        code, number, date, issuer, summary, file, points = values
        return cls(code, number or "", dt.date.fromisoformat(date) if date else None,
                   issuer or "", summary or "", file or "",
                   None if points is None else float(points))

    def text(self) -> str:
        """The entry in one line, as the change log shows it: number, date, issuer,
        summary, file, points."""
        parts = [self.number, f"ngày {self.date:%d/%m/%Y}" if self.date else "", self.issuer,
                 self.summary, self.file,
                 f"{format_number(self.points)} điểm" if self.points is not None else ""]
        return "; ".join(p for p in parts if p)


@dataclass
class Record:
    """An entry as the master keeps it: who reported it, in which round and file, when."""

    entry: Entry
    role: str
    person: str = ""
    round: str = ""
    return_file: str = ""
    received_at: dt.datetime | None = None


def multiset(entries) -> Counter:
    return Counter(e.key() for e in entries)


# --- the master's sheet ----------------------------------------------------------------------

def entry_from_cells(values: dict) -> Entry:
    """An entry from cells the tool wrote (the master's sheet)."""
    date = values.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    return Entry(clean_cell(values.get("code")), clean_cell(values.get("number")),
                 date if isinstance(date, dt.date) else None,
                 clean_cell(values.get("issuer")), clean_cell(values.get("summary")),
                 clean_cell(values.get("file")), parse_number(values.get("points")))


def read_evidence(wb) -> list[Record]:
    """Every entry of the master's evidence sheet (none when the master has no such sheet)."""
    from .reading import read_table

    if E.name not in wb.sheetnames:
        return []
    out = []
    for _, row in read_table(wb[E.name], E):
        entry = entry_from_cells(row)
        if not entry.code:
            continue
        received = row.get("received_at")
        out.append(Record(entry, clean_cell(row.get("role")), clean_cell(row.get("person")),
                          clean_cell(row.get("round")), clean_cell(row.get("return_file")),
                          received if isinstance(received, dt.datetime) else None))
    return out


def write_evidence(wb, records: list[Record], order=None) -> None:
    """Rewrite the master's evidence sheet, in plan order (`order`: code -> sort key)."""
    from .table_sheet import rewrite_rows

    place = order or (lambda code: code)
    rows = []
    for rec in sorted(records, key=lambda r: (place(r.entry.code), r.role)):
        e = rec.entry
        rows.append({"code": e.code, "number": e.number or None, "date": e.date,
                     "issuer": e.issuer or None, "summary": e.summary or None,
                     "file": e.file or None, "points": e.points, "role": rec.role,
                     "person": rec.person or None, "round": rec.round or None,
                     "return_file": rec.return_file or None, "received_at": rec.received_at})
    rewrite_rows(wb, E, rows)


def entries_of(records: list[Record], role: str, codes=None) -> list[Entry]:
    """A role's entries (for `codes` only, when given), in the master's order."""
    return [r.entry for r in records if r.role == role and (codes is None or r.entry.code
                                                              in codes)]


# --- what the evidence covers ----------------------------------------------------------------

def covered(entries: list[Entry], lost: float) -> float:
    """Points of a row its entries cover: all it lost when one supports the whole row (no
    points stated), else the points stated, at most what it lost."""
    if not entries:
        return 0.0
    if any(e.points is None for e in entries):
        return lost
    return min(lost, sum(e.points for e in entries))


@dataclass
class RowEvidence:
    """A leaf row of the plan weighed against its evidence."""

    code: str
    row: int
    done: bool
    entries: int
    gain: float  # points its expected score claims back (expected − appraised), 0 if none
    covered: float

    @property
    def without_evidence(self) -> bool:
        return self.done and not self.entries

    @property
    def uncovered(self) -> float:
        """Claimed points no evidence covers, on a done row (what the projection counts)."""
        return max(0.0, self.gain - self.covered) if self.done else 0.0


def weigh(view, records: list[Record]) -> list[RowEvidence]:
    """Every leaf row of the plan with a valid code, weighed against the entries for it."""
    from ..plan.tree import codes_with_children, is_valid_code

    by_code: dict[str, list[Entry]] = {}
    for rec in records:
        by_code.setdefault(rec.entry.code, []).append(rec.entry)
    parents = codes_with_children(r.code for r in view.rows)
    out = []
    for row in view.rows:
        if not is_valid_code(row.code) or row.code in parents:
            continue
        mx, ap = row.number("max_points"), row.number("appraised")
        expected = row.number("expected")
        lost = max(0.0, mx - ap) if mx is not None and ap is not None else 0.0
        gain = max(0.0, expected - ap) if expected is not None and ap is not None else 0.0
        entries = by_code.get(row.code, [])
        out.append(RowEvidence(row.code, row.row, row.text("status") == layout.STATUS_DONE,
                               len(entries), gain, covered(entries, lost)))
    return out


def evidence_flags(view, records: list[Record] | None = None) -> list[Problem]:
    """Done rows without any evidence entry (at their status cell), and done rows whose
    expected points claim back more than their evidence covers (at their expected cell)."""
    if records is None:
        records = read_evidence(view.wb)
    out = []
    for w in weigh(view, records):
        if w.without_evidence:
            out.append(Problem("done-without-evidence", WARNING, layout.PLAN.name,
                               view.address("status", w.row), None, {"code": w.code}))
        elif w.done and w.gain > w.covered + EPS:
            out.append(Problem("expected-exceeds-evidence", WARNING, layout.PLAN.name,
                               view.address("expected", w.row), format_number(w.gain),
                               {"code": w.code, "covered": format_number(w.covered),
                                "entries": w.entries}))
    return out


# --- the summary sheet's two columns ---------------------------------------------------------

def area_evidence(view, records: list[Record]) -> dict[str, tuple[int, float]]:
    """Area code -> (done rows without evidence, projected points not covered)."""
    out: dict[str, tuple[int, float]] = {}
    for w in weigh(view, records):
        area = w.code.split(".")[0]
        count, points = out.get(area, (0, 0.0))
        out[area] = (count + w.without_evidence, round(points + w.uncovered, 6))
    return out


def write_summary_evidence(wb, view, records: list[Record] | None = None
                           ) -> tuple[bool, bool]:
    """The summary's evidence columns, per area, their sum and the whole index's row (the
    same sum): (whether a value changed, whether the officer table was cleared). A master
    whose officer table sat where these columns now are (written before they were added) has
    that table cleared: it must then be written again."""
    from ..files.styles import BORDER, Styler, font
    from .formulas import placement_of, summary_rows

    S = layout.SUMMARY
    if S.name not in wb.sheetnames or view.problems:
        return False, False
    ws = wb[S.name]
    if records is None:
        records = read_evidence(wb)
    keys = ("undocumented", "uncovered")
    first_col = S.index(keys[0])
    moved = clean_cell(ws.cell(row=S.header_row, column=first_col).value) != S.column(
        keys[0]).label
    if moved:  # the officer table of an older layout began right after the score table
        from .standing import OFFICER_HEADER

        for r in range(2, max(ws.max_row, S.header_row) + 1):
            for c in range(first_col, first_col + len(keys) + len(OFFICER_HEADER) + 1):
                ws.cell(row=r, column=c).value = None
        from ..files.styles import style_header

        style_header(ws, S.header_row, S.columns)
    place = placement_of(view)
    areas = area_evidence(view, records)
    total, whole = summary_rows(place)
    styler = Styler(wb)
    changed = moved
    sums = [0, 0.0]
    for r in range(S.first_row, whole + 1):
        if r < total:
            code = place.area_rows[r - S.first_row][0]
            values = areas.get(code, (0, 0.0))
            sums = [sums[0] + values[0], round(sums[1] + values[1], 6)]
        else:
            values = tuple(sums)
        for key, value in zip(keys, values):
            cell = ws.cell(row=r, column=S.index(key))
            if cell.value != value or cell.number_format != S.column(key).number_format:
                changed = True
            cell.value = value
            styler.set(cell, "font", font(bold=r >= total))
            styler.set(cell, "border", BORDER)
            cell.number_format = S.column(key).number_format
    return changed, moved

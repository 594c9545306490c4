"""Evidence entries coming back in officer workbooks: the lines of the returned sheet, each
checked, and an officer's list replacing the entries the master keeps for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from .. import layout
from ..master.evidence import Entry, Record, multiset
from ..problems import ERROR, INFO, Problem
from ..text import clean_cell, fold
from .officer_input import Rejected, Rejection, normalise_text, shown, shown_params

SHEET = layout.EVIDENCE_OFFICER
MAX_LINES = 2000  # an officer's list has tens of lines; read no further
ROWS = SHEET.header_row + 20 + MAX_LINES  # rows of the sheet a reader asks for
WIDTH = len(SHEET.columns) + 8  # columns a reader asks for (the header may have moved right)
HEADER_ROWS = 20  # rows searched for the header
FIELD = layout.EVIDENCE_FIELD


@dataclass(slots=True)
class Line:
    """One non-empty line of the returned evidence sheet, as typed."""

    row: int
    values: dict  # evidence key -> raw cell value
    formulas: frozenset = frozenset()  # keys holding a formula


@dataclass
class Lines:
    """The returned evidence sheet: its lines, and where each column now is."""

    lines: list[Line] = field(default_factory=list)
    columns: dict = field(default_factory=dict)

    def cell(self, key: str, row: int) -> str:
        return f"{get_column_letter(self.columns.get(key, 1))}{row}"


def read_lines(grid, problem) -> Lines | Problem:
    """The lines below the header, wherever the header now is (a return_sheets.Grid);
    problem(code, **params) makes a file's problem. A sheet without its header or without
    one of its input columns is refused whole (nothing erased by mistake)."""
    labels = {fold(c.label): c.key for c in SHEET.columns}
    out = Lines()
    header = None
    for r, cells in enumerate(grid.rows[:ROWS], start=1):
        if header is None:
            found = {}
            for c, text in enumerate(cells, start=1):
                k = labels.get(fold(text)) if isinstance(text, str) else None
                if k and k not in found:
                    found[k] = c
            if "code" in found and len(found) >= 3:
                missing = [c.label for c in SHEET.columns if c.key not in found]
                if missing:
                    return problem("evidence-column-missing", sheet=SHEET.name, cell=f"A{r}",
                                   label=", ".join(missing))
                header, out.columns = r, found
            elif r >= HEADER_ROWS:
                break
            continue
        values, formulas = {}, set()
        typed = grid.formulas.get(r, ())
        for k, c in out.columns.items():
            raw = cells[c - 1] if c - 1 < len(cells) else None
            if c in typed:
                formulas.add(k)
            if isinstance(raw, str) and not raw.strip():
                raw = None
            values[k] = raw
        if any(v is not None for v in values.values()):
            out.lines.append(Line(r, values, frozenset(formulas)))
    if header is None:
        return problem("evidence-header-missing", sheet=SHEET.name,
                       label=SHEET.columns[0].label)
    return out


# --- one line checked ------------------------------------------------------------------------

def parse_date(raw: object) -> dt.date | None | Rejected:
    """A date cell, or a date typed as text (dd/mm/yyyy, also d-m-yyyy, d.m.yyyy or
    yyyy-mm-dd); None for empty."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = clean_cell(raw).replace("-", "/").replace(".", "/")
    for fmt in ("%d/%m/%Y", "%Y/%m/%d"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return day
    return Rejected("evidence-date-invalid", {})


def check_line(line: Line, codes: dict[str, float | None]) -> Entry | tuple[str, str, dict]:
    """The entry a line holds, or (reason, key, params) of the first thing wrong in it;
    codes: the officer's own codes -> the row's maximum points."""
    for key in layout.EVIDENCE_KEYS:
        if key in line.formulas:
            return "evidence-formula", key, {}
    code = clean_cell(line.values.get("code"))
    if isinstance(line.values.get("code"), float) and line.values["code"].is_integer():
        code = str(int(line.values["code"]))
    if not code:
        return "evidence-code-missing", "code", {}
    if code not in codes:
        return "evidence-code-not-yours", "code", {"codes": ", ".join(codes)}
    texts = {}
    for key in ("number", "issuer", "summary", "file"):
        value = normalise_text(line.values.get(key))
        if isinstance(value, Rejected):
            return value.reason, key, value.params
        texts[key] = value or ""
    if not texts["number"] and not texts["file"]:
        return "evidence-unidentified", "number", {}
    date = parse_date(line.values.get("date"))
    if isinstance(date, Rejected):
        return date.reason, "date", {}
    if date is not None and not dt.date(1945, 9, 2) <= date <= dt.date(2100, 12, 31):
        return "evidence-date-invalid", "date", {}
    points = line.values.get("points")
    if points is not None:
        from .officer_input import normalise_expected

        points = normalise_expected(points, codes[code])
        if isinstance(points, Rejected):
            return "evidence-points-invalid", "points", {
                "max_points": layout_number(codes[code])}
    return Entry(code, texts["number"], date, texts["issuer"], texts["summary"],
                 texts["file"], points)


def layout_number(value: float | None) -> str:
    from ..text import format_number

    return format_number(value) if value is not None else "…"


# --- an officer's list merged into the master's entries ----------------------------------------

@dataclass
class EvidenceMerge:
    log: list[dict] = field(default_factory=list)  # change-log entries, one per entry changed
    changed: bool = False


def merge_evidence(returns: list, stale: set[int], states: dict, records: list[Record],
                   result, now: dt.datetime) -> EvidenceMerge:
    """Each return's evidence list (in the order given: older issues first) replaces the
    entries the master keeps for that officer on the rows of that workbook, when it differs
    from the list issued. A return of an older round than the latest issued to them applies
    only while their entries are still as that round issued them. Lines refused are reported
    with their cell and kept open (result.rejections) until a later return of theirs holds
    none; a refused line that was issued keeps its issued entry."""
    out = EvidenceMerge()
    for ret in returns:
        if ret.evidence is None:
            continue
        stamp, lines = ret.stamp, ret.evidence
        role = stamp.role
        codes = {r.code: (states[r.code].max_points if r.code in states else None)
                 for r in stamp.rows}
        base = list(stamp.evidence or [])
        for key in [k for k in result.rejections if k[0] == role and k[2] == FIELD]:
            del result.rejections[key]
        new: list[Entry] = []
        for line in lines.lines:
            got = check_line(line, codes)
            if isinstance(got, Entry):
                new.append(got)
                continue
            reason, key, params = got
            position = line.row - SHEET.first_row
            if 0 <= position < len(base):
                new.append(base[position])  # (an issued entry badly edited stays as it was)
            code = clean_cell(line.values.get("code"))
            raw = line.values.get(key)
            problem = Problem(reason, ERROR, SHEET.name, lines.cell(key, line.row), shown(raw),
                              shown_params({"file": ret.name, "role": role, "code": code,
                                            "field": SHEET.column(key).label, "key": FIELD,
                                            **params}), file=ret.name)
            result.problems.append(problem)
            result.rejections.setdefault((role, code, FIELD), Rejection(
                role, stamp.person, stamp.round, code, FIELD, shown(raw), ret.name, problem))
        if multiset(new) == multiset(base):
            continue
        mine = [r for r in records if r.role == role and r.entry.code in codes]
        if id(ret) in stale and multiset(r.entry for r in mine) != multiset(base):
            result.problems.append(Problem(
                "stale-evidence-skipped", INFO, SHEET.name, "", None,
                {"file": ret.name, "role": role, "round": stamp.round}, file=ret.name))
            continue
        if multiset(new) == multiset(r.entry for r in mine):
            continue
        pool = list(mine)
        kept = []
        for entry in new:
            same = next((r for r in pool if r.entry.key() == entry.key()), None)
            if same is not None:
                pool.remove(same)
                kept.append(same)
            else:
                kept.append(Record(entry, role, stamp.person, stamp.round, ret.name, now))
        records[:] = [r for r in records if not (r.role == role and r.entry.code in codes)]
        records.extend(kept)
        diff = differences([r.entry for r in mine], new)
        out.changed = True
        result.by_file[ret.name] += len(diff)
        for old, entry in diff:
            what = "thêm" if old is None else ("xóa" if entry is None else "sửa")
            out.log.append({
                "when": now, "kind": layout.LOG_REPORT, "file": ret.name, "officer": role,
                "code": (entry or old).code, "field": layout.EVIDENCE.name,
                "old": old.text() if old else None,
                "new": entry.text() if entry else layout.CLEARED,
                "note": f"{stamp.person}: {what} tài liệu kiểm chứng".strip(": "),
                "field_key": FIELD})
    return out


def differences(old: list[Entry], new: list[Entry]) -> list[tuple[Entry | None, Entry | None]]:
    """(old, new) pairs of what changed: the entries of a row that are not in both lists,
    paired in order (one changed), the rest removed (new None) or added (old None)."""
    common = multiset(old) & multiset(new)
    left, right = [], []
    for entries, into in ((old, left), (new, right)):
        counts = common.copy()
        for e in entries:
            if counts[e.key()]:
                counts[e.key()] -= 1
            else:
                into.append(e)
    pairs: list[tuple[Entry | None, Entry | None]] = []
    for e in left:
        match = next((n for n in right if n.code == e.code), None)
        if match is not None:
            right.remove(match)
        pairs.append((e, match))
    pairs += [(None, n) for n in right]
    return pairs

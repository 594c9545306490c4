"""The remediation plan: criteria rows, their tree of codes, and the plan's header facts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

CODE_RE = re.compile(r"^[1-9]\d*(\.[1-9]\d*)*$")


def parent_code(code: str) -> str | None:
    """'3.2.1' -> '3.2'; an area ('3') has none."""
    return code.rsplit(".", 1)[0] if "." in code else None


def level(code: str) -> int:
    """1 for an area (lĩnh vực), 2 for a criterion (tiêu chí), 3 for a sub-criterion."""
    return code.count(".") + 1


def code_key(code: str) -> tuple[int, ...]:
    """Sort key in tree order: 7.2 < 7.10 (codes are text, compared part by part)."""
    return tuple(int(part) for part in code.split("."))


def is_valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code))


def codes_with_children(codes) -> set[str]:
    """Every code some other code starts with followed by a dot ('3.2' for '3.2.1', and '3'):
    the rows that have rows below them, found once instead of scanning all rows per row."""
    out = set()
    for code in codes:
        at = code.find(".")
        while at >= 0:
            out.add(code[:at])
            at = code.find(".", at + 1)
    return out


def children_by_parent(codes) -> dict[str, list[int]]:
    """For each code that has children, the positions (in `codes`) of the codes whose parent
    it is, in order: one pass instead of a scan of all rows per row."""
    out: dict[str, list[int]] = {}
    for i, code in enumerate(codes):
        parent = parent_code(code)
        if parent is not None:
            out.setdefault(parent, []).append(i)
    return out


@dataclass
class PlanRow:
    """One criterion of the plan, with the document's text and the tracking fields."""

    code: str
    title: str = ""
    max_points: float | None = None
    appraised: float | None = None
    lost_stated: float | None = None  # what the document wrote; the master computes its own
    action: str = ""
    lead: str = ""
    support: str = ""
    timeframe: str = ""
    note: str = ""
    deadline: dt.date | None = None
    status: str = ""
    progress: float | None = None
    result: str = ""
    expected: float | None = None
    obstacles: str = ""
    updated_at: dt.datetime | None = None
    updated_by: str = ""
    # The code as the document wrote it (I, II., a) when it is not the tree's own code, and
    # the document's columns the master has no field for ({label: text}).
    source_code: str = ""
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def lost(self) -> float | None:
        if self.max_points is None or self.appraised is None:
            return None
        return self.max_points - self.appraised

    @property
    def level(self) -> int:
        return level(self.code)


@dataclass
class Plan:
    """A plan as imported from its document: header facts and rows in document order."""

    rows: list[PlanRow] = field(default_factory=list)
    title: str = ""
    commune: str = ""
    plan_number: str = ""
    plan_date: dt.date | None = None
    year: int | None = None
    extra_columns: list[str] = field(default_factory=list)  # labels, in the document's order
    source: str = field(default="", compare=False)  # the document's file name

    def children(self, code: str) -> list[PlanRow]:
        return [row for row in self.rows if parent_code(row.code) == code]

    def areas(self) -> list[PlanRow]:
        return [row for row in self.rows if row.level == 1]

    def by_code(self) -> dict[str, PlanRow]:
        return {row.code: row for row in self.rows}

    def has_children(self, code: str) -> bool:
        return code in children_by_parent(row.code for row in self.rows)


ATTACHED_RE = re.compile(
    r"kèm theo kế hoạch số\s*(?P<number>[^\s,]+)\s*"
    r"(?:ngày\s*(?P<day>\d{1,2})\s*(?:tháng|/)\s*(?P<month>\d{1,2})\s*(?:năm|/)\s*(?P<year>\d{4}))?"
    r".*?(?:của\s+)?(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+xã\s+(?P<commune>[^)]+)",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)
# "PHỤ LỤC", "Phụ lục I", "PHỤ LỤC 01:": the appendix's own label, not its title.
APPENDIX_RE = re.compile(r"^phụ lục(\s+(số\s+)?[ivxlc\d]+)?\s*[:.]?$", re.IGNORECASE)


def read_heading(paragraphs: list[str]) -> dict:
    """Title, plan number and date, commune and year from the lines above the table."""
    facts: dict = {}
    title_lines = []
    for para in paragraphs:
        match = ATTACHED_RE.search(para)
        if match:
            facts["plan_number"] = match["number"].strip()
            if match["year"]:
                try:
                    facts["plan_date"] = dt.date(int(match["year"]), int(match["month"]),
                                                 int(match["day"]))
                except ValueError:
                    pass
            facts["commune"] = match["commune"].strip().rstrip(").").strip()
        elif not APPENDIX_RE.match(para.strip()):
            title_lines.append(para.strip())
    facts["title"] = "\n".join(line for line in title_lines if line)
    years = [int(y) for y in _YEAR_RE.findall(facts["title"])]
    if years:
        facts["year"] = max(years)
    elif "plan_date" in facts:
        facts["year"] = facts["plan_date"].year
    return facts

"""What still needs the office's action after a run, said in one line: officers who have not
returned their latest workbook, rows overdue, refused values still open, and the rows the
validator flags for action (done without evidence)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..texts import NEEDS_LABELS as PROBLEM_LABELS
from ..texts import speaker

say = speaker("needs")

CODES_SHOWN = 8  # overdue codes listed before "…"


@dataclass
class NeedsAction:
    """The open work of a master as of a date."""

    as_of: dt.date
    not_returned: list[tuple[str, str]] = field(default_factory=list)  # (role, person)
    overdue: list[str] = field(default_factory=list)  # codes, in plan order
    rejected: int = 0  # refused values no later return has put right
    flagged: dict[str, list[str]] = field(default_factory=dict)  # problem code -> places

    @property
    def empty(self) -> bool:
        return not (self.not_returned or self.overdue or self.rejected or self.flagged)

    def items(self, lang: str = "vi") -> list[str]:
        """Each kind of open work as a phrase: '2 cán bộ chưa gửi lại (…)'."""
        out = []
        if self.not_returned:
            names = "; ".join(f"{role} ({person})" if person else role
                              for role, person in self.not_returned)
            out.append(say("not-returned", lang, n=len(self.not_returned),
                            names=names))
        if self.overdue:
            codes = ", ".join(self.overdue[:CODES_SHOWN])
            if len(self.overdue) > CODES_SHOWN:
                codes += ", …"
            out.append(say("overdue", lang, n=len(self.overdue), codes=codes))
        if self.rejected:
            out.append(say("rejected", lang, n=self.rejected))
        i = 1 if lang == "en" else 0
        for code, places in self.flagged.items():
            label = PROBLEM_LABELS[code][i] if code in PROBLEM_LABELS else code
            out.append(say("flagged", lang, n=len(places), label=label))
        return out

    def line(self, lang: str = "vi") -> str:
        """'Xong' only when nothing needs action; else 'Xong. Còn việc cần làm: …'."""
        if self.empty:
            return say("none", lang)
        return say("some", lang, items=", ".join(self.items(lang)))

    def to_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "empty": self.empty,
                "not_returned": [{"role": r, "person": p} for r, p in self.not_returned],
                "overdue": list(self.overdue), "rejected": self.rejected,
                "flagged": {k: list(v) for k, v in self.flagged.items()}}


def needs_action(wb, as_of: dt.date, problems=None) -> NeedsAction:
    """The open work of a loaded master as of `as_of`. `problems`: the validator's problems
    when the caller has them (else the evidence flags, the only ones PROBLEM_LABELS counts, are
    found here, as validate finds them)."""
    from .pending import read_pending
    from .reading import read_master
    from .standing import overdue_rows

    view = read_master(wb)
    if problems is None:  # (the only validator problems counted here: no whole validation)
        from ..problems import FATAL_CODES
        from .evidence import evidence_flags

        fatal = any(p.code in FATAL_CODES for p in view.problems)
        problems = [] if fatal else evidence_flags(view)
    pending = read_pending(wb)
    result = NeedsAction(as_of)
    result.not_returned = [(m.role, m.person) for m in pending
                           if m.kind == layout.PENDING_NOT_RETURNED]
    result.rejected = sum(m.kind == layout.PENDING_REJECTED for m in pending)
    if not view.problems:
        result.overdue = [row.code for row in overdue_rows(view, as_of)]
    for p in problems:
        if p.code in PROBLEM_LABELS and not getattr(p, "fixed", False):
            result.flagged.setdefault(p.code, []).append(p.where)
    return result


def needs_action_of(master: str | Path, as_of: dt.date | None = None,
                    problems=None) -> NeedsAction:
    """needs_action of a master file (as of today by default)."""
    from ..files.open_save import load

    return needs_action(load(Path(master)), as_of or dt.date.today(), problems)

"""One reminder (cchc-xl remind): the officer, what it lists and why, what became of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

NOT_RETURNED, OVERDUE, DUE_SOON, REJECTED = "not-returned", "overdue", "due-soon", "rejected"
REASON_ORDER = (NOT_RETURNED, OVERDUE, DUE_SOON, REJECTED)
# Outcomes of a reminder.
WOULD_SEND, DRAFTED, SENT, SKIPPED, FAILED, NO_ADDRESS = (
    "would-send", "drafted", "sent", "skipped-already-sent", "failed", "no-address")


@dataclass
class Rejected:
    """A value an officer sent that consolidation refused, still open («Việc còn mở»)."""

    field: str  # the report field's key
    label: str  # its column label
    value: object
    message: str  # why it was refused (as consolidation wrote it, in Vietnamese)
    round: str = ""
    file: str = ""

    def to_dict(self) -> dict:
        return {"field": self.field, "label": self.label, "value": jsonable(self.value),
                "message": self.message, "round": self.round, "file": self.file}


@dataclass
class RemindRow:
    """One plan row a reminder lists, and why (OVERDUE, DUE_SOON, REJECTED)."""

    code: str
    title: str
    part: str  # layout.LEAD / SUPPORT ('' when the row is no longer theirs)
    deadline: dt.date | None
    status: str
    reasons: list[str] = field(default_factory=list)
    days: int | None = None  # days overdue, or days left when due soon
    rejected: list[Rejected] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "part": self.part,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "status": self.status, "reasons": list(self.reasons), "days": self.days,
                "rejected": [r.to_dict() for r in self.rejected]}


@dataclass
class Unreturned:
    """The latest workbook issued to an officer, with no reply read."""

    round: str
    file: str
    issued_at: dt.datetime
    due: dt.date | None

    def to_dict(self) -> dict:
        return {"round": self.round, "file": self.file, "issued_at": self.issued_at.isoformat(),
                "due": self.due.isoformat() if self.due else None}


@dataclass
class Reminder:
    """The message to one officer, and what became of it (outcome: one of the OUTCOMES)."""

    role: str
    person: str
    email: str
    round: str = ""  # the latest round issued to them
    not_returned: Unreturned | None = None
    rows: list[RemindRow] = field(default_factory=list)
    attachment: Path | None = None  # their issued workbook, attached again
    attachment_missing: Path | None = None  # where it was looked for, not found as issued
    subject: str = ""
    body: str = ""
    digest: str = ""
    outcome: str = WOULD_SEND
    eml: Path | None = None
    error: str | None = None  # why it was not sent
    roster_cell: str = ""  # the roster's e-mail cell of the officer ('Cán bộ'!E3)

    @property
    def reasons(self) -> list[str]:
        found = {NOT_RETURNED} if self.not_returned else set()
        found.update(reason for row in self.rows for reason in row.reasons)
        return [r for r in REASON_ORDER if r in found]

    def codes(self, reason: str) -> list[str]:
        return [row.code for row in self.rows if reason in row.reasons]

    def to_dict(self) -> dict:
        return {"role": self.role, "person": self.person, "email": self.email,
                "round": self.round, "reasons": self.reasons,
                "not_returned": self.not_returned.to_dict() if self.not_returned else None,
                "rows": [r.to_dict() for r in self.rows],
                "attachment": str(self.attachment) if self.attachment else None,
                "attachment_missing": (str(self.attachment_missing)
                                       if self.attachment_missing else None),
                "subject": self.subject, "body": self.body, "digest": self.digest,
                "outcome": self.outcome, "eml": str(self.eml) if self.eml else None,
                "error": self.error, "roster_cell": self.roster_cell}


def jsonable(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)

"""What is still open after a consolidation («Việc còn mở»): officers who have not returned their
latest workbook, and values refused that no later return of theirs has put right."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import layout
from ..text import clean_cell
from .reading import read_table

T = layout.PENDING


@dataclass
class OpenMatter:
    """One line of «Việc còn mở»."""

    kind: str  # layout.PENDING_NOT_RETURNED | layout.PENDING_REJECTED
    role: str
    person: str = ""
    round: str = ""
    code: str = ""
    field: str = ""  # a report field's key
    value: object = None
    file: str = ""
    since: dt.datetime | None = None
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.role, self.code, self.field)

    def as_row(self) -> dict:
        label = _field_label(self.field)
        return {"kind": self.kind, "role": self.role, "person": self.person,
                "round": self.round, "code": self.code, "field": label, "value": self.value,
                "file": self.file, "since": self.since, "message": self.message}


def _field_label(key: str) -> str:
    return layout.field_label(key) if key else ""


def read_pending(wb) -> list[OpenMatter]:
    if T.name not in wb.sheetnames:
        return []
    out = []
    for _, row in read_table(wb[T.name], T):
        since = row.get("since")
        out.append(OpenMatter(
            clean_cell(row.get("kind")), clean_cell(row.get("role")),
            clean_cell(row.get("person")), clean_cell(row.get("round")),
            clean_cell(row.get("code")), layout.field_key(row.get("field")), row.get("value"),
            clean_cell(row.get("file")), since if isinstance(since, dt.datetime) else None,
            clean_cell(row.get("message"))))
    return out


def open_rejections(pending: list[OpenMatter]) -> dict[tuple, OpenMatter]:
    """The refused values still open, by (role, code, field)."""
    return {m.key: m for m in pending if m.kind == layout.PENDING_REJECTED}


def write_pending(wb, matters: list[OpenMatter]) -> bool:
    """Rewrite «Việc còn mở»; False when it already held exactly these lines."""
    from .table_sheet import rewrite_rows

    rows = [m.as_row() for m in matters]
    if T.name in wb.sheetnames:
        held = [r for _, r in read_table(wb[T.name], T)]
        if [_comparable(r) for r in held] == [_comparable(r) for r in rows]:
            return False
    rewrite_rows(wb, T, rows)
    return True


def _comparable(row: dict) -> tuple:
    def plain(value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        return clean_cell(value) if isinstance(value, str) else value

    return tuple(plain(row.get(col.key)) for col in T.columns)

"""The rounds the master records: every workbook issued (the rounds sheet) and every file
received back (the received sheet), as the tables the cycle reads."""

from __future__ import annotations

import datetime as dt

from .. import layout
from ..text import clean_cell
from .reading import read_table


def issues(wb) -> list[dict]:
    """Every workbook issued (the rounds sheet), oldest first."""
    if layout.ROUNDS.name not in wb.sheetnames:
        return []
    out = []
    for _, r in read_table(wb[layout.ROUNDS.name], layout.ROUNDS):
        role, issued = clean_cell(r.get("role")), r.get("issued_at")
        if role and isinstance(issued, dt.datetime):
            out.append({**r, "role": role, "round": clean_cell(r.get("round"))})
    return out


def latest_issues(issued: list[dict]) -> dict[str, dict]:
    """Per role, the newest workbook issued to it."""
    latest: dict[str, dict] = {}
    for r in issued:
        if r["role"] not in latest or r["issued_at"] >= latest[r["role"]]["issued_at"]:
            latest[r["role"]] = r
    return latest


def received_files(wb) -> list[dict]:
    """Every file a consolidation read (the received sheet), in the order received."""
    if layout.RECEIVED.name not in wb.sheetnames:
        return []
    return [r for _, r in read_table(wb[layout.RECEIVED.name], layout.RECEIVED)]

"""The text of a reminder (cchc-xl remind), in Vietnamese or English, and its digest."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

from .. import fields
from ..text import clean_cell, format_number
from ..texts import speaker
from .reminder import DUE_SOON, OVERDUE, REJECTED, Reminder, RemindRow

say = speaker("reminder")


def _date(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _value_text(key: str, value: object) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    declared = fields.get(key)
    if declared is not None and declared.kind == "percent" and isinstance(value, (int, float)):
        return f"{format_number(value * 100)}%"  # (the officer's cell holds a fraction)
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return _date(value)
    return clean_cell(value)


def compose_text(reminder: Reminder, settings: dict, as_of: dt.date, within_days: int,
                  lang: str) -> None:
    """The subject and body in `lang` (NFC), and their digest."""
    commune = clean_cell(settings.get("commune"))
    year = format_number(settings["year"]) if isinstance(settings.get("year"), (int, float)) \
        else clean_cell(settings.get("year"))
    role = reminder.role
    subject = say("subject", lang, round=f"{reminder.round} – " if reminder.round else "",
                  year=year, role=role)
    lines = [say("greeting", lang, person=reminder.person or role), "",
             say("intro", lang, commune=commune, role=role, year=year, as_of=_date(as_of))]
    waiting = reminder.not_returned
    if waiting is not None:
        text = say("not-returned", lang, round=waiting.round, file=waiting.file,
                   issued=_date(waiting.issued_at), due=_date(waiting.due) or "-")
        text += " " + say("attached" if reminder.attachment else "not-attached", lang)
        lines += ["", text]
    for reason, head in ((OVERDUE, "overdue-head"), (DUE_SOON, "due-soon-head"),
                         (REJECTED, "rejected-head")):
        rows = [r for r in reminder.rows if reason in r.reasons]
        if not rows:
            continue
        lines += ["", say(head, lang, within=within_days)]
        for row in rows:
            whys = [_why(row, reason, lang)] if reason != REJECTED else [
                say("rejected", lang, label=r.label, value=_value_text(r.field, r.value),
                    round=r.round, message=r.message) for r in row.rejected]
            for why in whys:
                lines.append(say("row", lang, code=row.code, title=row.title,
                                 deadline=_date(row.deadline) or say("no-deadline", lang),
                                 status=row.status, why=why))
    lines += ["", say("closing", lang), "", say("regards", lang, commune=commune)]
    reminder.subject = _nfc(" ".join(subject.split()))
    reminder.body = _nfc("\n".join(lines) + "\n")
    attached = hashlib.sha256(reminder.attachment.read_bytes()).hexdigest() \
        if reminder.attachment else ""
    reminder.digest = hashlib.sha256("\n\0".join(
        (reminder.email, reminder.subject, reminder.body, attached)).encode()).hexdigest()


def _why(row: RemindRow, reason: str, lang: str) -> str:
    if reason == OVERDUE:
        return say("overdue", lang, days=row.days)
    return say("due-today", lang) if row.days == 0 else say("due-in", lang, days=row.days)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)

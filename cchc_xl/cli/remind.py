"""`cchc-xl remind`: remind officers who owe the office a reply, a deadline or a correction."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..texts import REMINDER_REASONS, text
from . import usage
from .fill import smtp_options, smtp_or_exit
from .options import EXIT_OK, EXIT_PROBLEMS, command, common_options, say


def _date(ctx, param, value):
    from ..excel.control import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise usage.Invalid("bad-date", ctx, param, value=value, formats="dd/mm/yyyy") from None


@command()
@click.argument("master", type=usage.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=usage.Path(file_okay=False, path_type=Path))
@click.option("--as-of", "as_of", callback=_date, metavar="DD/MM/YYYY")
@click.option("--within", "within_days", type=usage.IntRange(min=0), default=7,
              show_default=True, metavar="DAYS")
@click.option("--eml", is_flag=True)
@click.option("--send", is_flag=True)
@smtp_options
@click.option("--again", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@common_options
def remind(master: Path, out_dir: Path | None, as_of, within_days: int, eml: bool, send: bool,
           smtp_host: str | None, smtp_port: int | None, starttls: bool | None,
           smtp_user: str | None, again: bool, as_json: bool, lang: str) -> None:
    """The `remind` command (its help: texts.HELP)."""
    from ..cycle.remind import remind as run

    smtp = smtp_or_exit(send, smtp_host, smtp_port, starttls, smtp_user, lang)
    result = run(master, out_dir, as_of=as_of, within_days=within_days, eml=eml, smtp=smtp,
                 again=again, lang=lang)
    if as_json:
        click.echo(json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        render(result, lang)
    sys.exit(EXIT_OK if result.ok else EXIT_PROBLEMS)


def render(result, lang: str) -> None:
    """Each reminder on stdout (a dry run with its subject and text); problems on stderr."""
    from ..layout import REMINDERS

    i = 1 if lang == "en" else 0
    as_of = f"{result.as_of:%d/%m/%Y}"
    if not result.reminders:
        click.echo(say("remind-none", lang, as_of=as_of, within=result.within_days))
    else:
        click.echo(say("remind-head", lang, as_of=as_of, within=result.within_days,
                       n=len(result.reminders)))
    for r in result.reminders:
        click.echo(say("remind-officer", lang, role=r.role, person=r.person, email=r.email,
                       outcome=text("reminder-outcome", r.outcome, lang)))
        if r.not_returned:
            attached = say("remind-attached" if r.attachment else "remind-not-attached", lang)
            click.echo(say("remind-not-returned", lang, round=r.not_returned.round,
                           file=r.not_returned.file, attached=attached))
        for reason, labels in REMINDER_REASONS.items():
            if r.codes(reason):
                click.echo(say("remind-codes", lang, label=labels[i],
                               codes=", ".join(r.codes(reason))))
        if r.eml:
            click.echo(say("remind-eml", lang, file=r.eml))
        if r.error:
            click.echo(say("remind-error", lang, reason=r.error))
        if result.mode == "dry-run" and r.outcome == "would-send":
            click.echo(say("remind-subject", lang, subject=r.subject))
            click.echo("".join(f"        {line}\n" if line else "\n"
                               for line in r.body.splitlines()), nl=False)
    for p in result.problems:
        click.echo(p.line(lang), err=True)
    if result.mode == "dry-run" and result.count("would-send"):
        click.echo(say("remind-dry-run", lang), err=True)
    if result.backup:
        click.echo(say("remind-recorded", lang, sheet=REMINDERS.name, backup=result.backup),
                   err=True)

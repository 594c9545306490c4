"""`cchc-xl fill`: issue officer workbooks (and e-mail them)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import usage
from .options import EXIT_PROBLEMS, EXIT_USAGE, command, common_options, echo_problems, say
from .progress_bar import progress_bar, quiet_option


def _smtp_settings(host, port, starttls, user):
    """SMTP settings from the options and CCHC_SMTP_*; the password from the environment or
    asked on the terminal, never stored. Raises ValueError with the Vietnamese reason."""
    from ..cycle.mail import SmtpSettings, prompt_password

    settings = SmtpSettings.from_env(host=host, port=port, starttls=starttls, user=user)
    if not settings.sender:
        raise ValueError("sender")
    if settings.user and settings.password is None:
        settings.password = prompt_password(settings.user)
    return settings


def smtp_options(func):
    """--smtp-host, --smtp-port, --starttls/--no-starttls, --smtp-user (fill, remind)."""
    for option in reversed((
            click.option("--smtp-host"),
            click.option("--smtp-port", type=usage.INT),
            click.option("--starttls/--no-starttls", default=None),
            click.option("--smtp-user"))):
        func = option(func)
    return func


def smtp_or_exit(send: bool, host, port, starttls, user, lang: str):
    """The SMTP settings when sending (None otherwise); a usage error (exit 2) saying what to
    set when they are incomplete."""
    if not send:
        return None
    try:
        return _smtp_settings(host, port, starttls, user)
    except ValueError as exc:
        click.echo(say("smtp-sender-missing", lang) if str(exc) == "sender" else str(exc),
                   err=True)
        sys.exit(EXIT_USAGE)


@command()
@click.argument("master", type=usage.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True,
              type=usage.Path(file_okay=False, path_type=Path))
@click.option("--round", "round_name")
@click.option("--only", multiple=True, metavar="ROLE")
@click.option("--eml", is_flag=True)
@click.option("--send", is_flag=True)
@smtp_options
@click.option("--json", "as_json", is_flag=True)
@quiet_option
@common_options
def fill(master: Path, out_dir: Path, round_name: str | None, only: tuple[str, ...],
         eml: bool, send: bool, smtp_host: str | None, smtp_port: int | None,
         starttls: bool | None, smtp_user: str | None, as_json: bool, quiet: bool,
         lang: str) -> None:
    """The `fill` command (its help: texts.HELP)."""
    from ..cycle.fill import FillRefused, UnknownRole
    from ..cycle.fill import fill as run

    smtp = smtp_or_exit(send, smtp_host, smtp_port, starttls, smtp_user, lang)
    try:
        with progress_bar("fill", lang, quiet=quiet or as_json,
                          opening=master) as progress:
            result = run(master, out_dir, round_name=round_name, only=list(only) or None,
                         eml=eml, smtp=smtp, progress=progress)
    except UnknownRole as exc:
        click.echo(say("unknown-role", lang, names="», «".join(exc.names) if lang == "vi"
                       else "', '".join(exc.names), roles="; ".join(exc.valid)), err=True)
        sys.exit(EXIT_USAGE)
    except FillRefused as exc:
        if as_json:
            click.echo(json.dumps({"refused": True,
                                   "problems": [p.to_dict(lang) for p in exc.problems]},
                                  ensure_ascii=False, indent=2))
        click.echo(say("fill-refused", lang, file=master, n=len(exc.problems)), err=True)
        echo_problems(exc.problems, lang, err=True)
        click.echo(say("fill-refused-end", lang, file=master), err=True)
        sys.exit(EXIT_PROBLEMS)
    render_fill(result, out_dir, lang, as_json)
    if not as_json:
        from .validate import echo_needs_action

        echo_needs_action(result.needs, lang)
    if result.send_failed:
        click.echo(say("fill-send-failed", lang, n=len(result.send_failed),
                       round=result.round), err=True)
        sys.exit(EXIT_PROBLEMS)


def render_fill(result, out_dir: Path, lang: str, as_json: bool) -> None:
    """The issued files on stdout (or the result as JSON); notes on stderr."""
    from ..layout import LEAD, ROUNDS

    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if result.idle:
        click.echo(say("fill-idle", lang, roles="; ".join(result.idle)), err=True)
    if result.already_sent:
        click.echo(say("fill-already-sent", lang, round=result.round,
                       roles="; ".join(result.already_sent)), err=True)
    if not result.files:
        click.echo(say("fill-none", lang))
        return
    click.echo(say("fill-done", lang, n=len(result.files), round=result.round, dir=out_dir,
                   due=f"{result.due:%d/%m/%Y}"))
    width = max(len(f.path.name) for f in result.files)  # (the names in one column)
    for f in result.files:
        click.echo(say("fill-file", lang, file=f.path.name.ljust(width), role=f.role,
                       person=f.person, email=f.email, rows=len(f.codes),
                       lead=f.parts.count(LEAD), support=len(f.parts) - f.parts.count(LEAD)))
        if f.eml:
            click.echo(say("fill-eml", lang, file=f.eml.name))
        if f.sent_at:
            click.echo(say("fill-sent", lang, when=f"{f.sent_at:%d/%m/%Y %H:%M}"))
        if f.send_error:
            click.echo(say("fill-not-sent", lang, reason=f.send_error))
    click.echo(say("fill-recorded", lang, sheet=ROUNDS.name, backup=result.master_backup),
               err=True)

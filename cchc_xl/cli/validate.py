"""`cchc-xl validate`: check a master, optionally repair formulas or recalculate."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import usage
from .options import command, common_options, echo_problems, say


@command()
@click.argument("master", type=usage.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.option("--recalc", is_flag=True)
@click.option("--fix", is_flag=True)
@common_options
def validate(master: Path, as_json: bool, recalc: bool, fix: bool, lang: str) -> None:
    """The `validate` command (its help: texts.HELP)."""
    from ..master.check import validate as run

    report = run(master, recalc=recalc, fix=fix)
    if as_json:
        click.echo(json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        render_report(report, lang)
        if report.needs is not None:
            echo_needs_action(report.needs, lang)
    sys.exit(report.exit_code())


def echo_needs_action(needs, lang: str) -> None:
    """The last line: what still needs the office's action ("Xong" only when nothing does),
    as the run found it on the master it held (master.needs_action). It does not change the
    exit code: a late officer is work, not a fault of the master."""
    click.echo(needs.line(lang))


def render_report(report, lang: str) -> None:
    """The report as a readable list on the terminal: address, severity, code, message."""
    echo_problems(report.problems, lang, fixed_mark=say("fixed-mark", lang))
    stats = report.to_dict(lang)["stats"]
    if report.stats.get("fixed"):
        click.echo(say("fixed", lang, fixed=report.stats["fixed"],
                       backup=report.stats.get("backup")))
    if report.stats.get("deadlines"):
        from ..layout import CHANGELOG

        click.echo(say("deadlines-refreshed", lang, n=report.stats["deadlines"],
                       sheet=CHANGELOG.name))
        if not report.stats.get("fixed"):
            click.echo(say("validate-backup", lang, backup=report.stats.get("backup")))
    click.echo(say("summary", lang, file=report.file, **stats) if report.problems
               else say("clean", lang))

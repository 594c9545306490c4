"""`cchc-xl report`: charts on the master's summary sheet and a Word/PDF progress report."""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import usage
from .options import command, common_options, say
from .progress_bar import progress_bar, quiet_option


@command()
@click.argument("master", type=usage.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=usage.Path(path_type=Path))
@click.option("--as-of", "as_of", type=usage.DateTime(["%d/%m/%Y", "%Y-%m-%d"]))
@click.option("--pdf", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@quiet_option
@common_options
def report(master: Path, out: Path | None, as_of, pdf: bool, as_json: bool, quiet: bool,
           lang: str) -> None:
    """The `report` command (its help: texts.HELP)."""
    from ..layout import SUMMARY
    from ..outputs.progress_report import write_progress_report

    with progress_bar(
            "report", lang, quiet=quiet or as_json, opening=master) as progress:
        result = write_progress_report(master, out, as_of=as_of.date() if as_of else None,
                                       pdf=pdf, progress=progress)
    if as_json:
        click.echo(json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        click.echo(say("report-charts", lang, n=result.charts_added, sheet=SUMMARY.name,
                       backup=result.backup))
        click.echo(say("report-as-of", lang, as_of=f"{result.as_of:%d/%m/%Y}",
                       n=result.recoloured))
        if result.deadlines:
            click.echo(say("report-deadlines", lang, n=len(result.deadlines)))
        click.echo(say("report-docx", lang, path=result.docx))
        if result.pdf:
            click.echo(say("report-pdf", lang, path=result.pdf))
        click.echo(say("report-overdue", lang, as_of=f"{result.as_of:%d/%m/%Y}",
                       n=len(result.overdue)))
        for row in result.overdue:
            click.echo(f"  {row.code:<7} {_short(row.title)}  – {row.lead} ({row.persons})")
    for note in result.notes:
        click.echo(note.message(lang), err=True)


def _short(text: str, width: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"

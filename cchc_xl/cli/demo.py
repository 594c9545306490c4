"""`cchc-xl demo`: the built-in example through a whole cycle."""

from __future__ import annotations

from pathlib import Path

import click

from . import usage
from .consolidate import render_consolidation
from .options import command, common_options, say
from .progress_bar import progress_bar, quiet_option
from .validate import render_report


@command()
@click.argument("directory", required=False, default="cchc-demo",
                type=usage.Path(file_okay=False, path_type=Path))
@quiet_option
@common_options
def demo(directory: Path, quiet: bool, lang: str) -> None:
    """The `demo` command (its help: texts.HELP)."""
    from ..cycle.demo import run_demo

    with progress_bar("demo", lang, quiet=quiet) as progress:  # (a folder not empty: refused)
        result = run_demo(directory, cycle=True, progress=progress)
    click.echo(say("demo-files", lang, dir=result.directory))
    click.echo(say("demo-plan", lang, path=result.plan))
    click.echo(say("demo-master", lang, path=result.master))
    click.echo(say("demo-outbox", lang, path=result.outbox))
    click.echo(say("demo-inbox", lang, path=result.inbox))
    click.echo("")
    click.echo(say("demo-step-validate", lang))
    render_report(result.report, lang)
    click.echo("")
    click.echo(say("demo-step-consolidate", lang))
    render_consolidation(result.consolidation, lang)
    click.echo("")
    click.echo(say("demo-step-remind", lang))
    from .remind import render as render_reminders

    render_reminders(result.reminders, lang)

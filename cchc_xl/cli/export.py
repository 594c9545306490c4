"""`cchc-xl export`: the plan appendix as an official Word document (and PDF)."""

from __future__ import annotations

from pathlib import Path

import click

from . import usage
from .options import command, common_options, say
from .progress_bar import progress_bar, quiet_option


@command()
@click.argument("master", type=usage.Path(dir_okay=False, path_type=Path))
@click.option("--docx", "out", type=usage.Path(dir_okay=False, path_type=Path))
@click.option("--pdf", is_flag=True)
@quiet_option
@common_options
def export(master: Path, out: Path | None, pdf: bool, quiet: bool, lang: str) -> None:
    """The `export` command (its help: texts.HELP)."""
    from ..outputs.export_docx import export_plan_docx

    with progress_bar(
            "export", lang, quiet=quiet, opening=master) as progress:
        result = export_plan_docx(master, out, pdf=pdf, progress=progress)
    click.echo(say("export-done", lang, rows=result.rows, path=result.docx))
    if result.pdf:
        click.echo(say("export-pdf", lang, path=result.pdf))

"""`cchc-xl new`: create a master from a plan document."""

from __future__ import annotations

from pathlib import Path

import click

from . import usage
from .options import command, common_options, say


@command()
@click.argument("master", type=usage.Path(dir_okay=False, path_type=Path))
@click.option("--from", "plan", required=True,
              type=usage.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--roster", type=usage.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True)
@common_options
def new(master: Path, plan: Path, roster: Path | None, force: bool, lang: str) -> None:
    """The `new` command (its help: texts.HELP)."""
    from ..master.create import create_master
    from ..plan.appendix import PlanFormatError
    from ..plan.roster_file import RosterFormatError

    try:
        result = create_master(master, plan, roster_csv=roster, force=force)
    except (PlanFormatError, RosterFormatError) as exc:
        raise click.ClickException(exc.problem.line(lang)) from exc
    click.echo(say("created", lang, path=result.path, rows=result.rows))
    render_import(result, lang)
    if result.notes:
        click.echo(say("import-note", lang), err=True)
        for note in result.notes:
            line = note.line(lang) if note.file else f"{note.cell}: {note.message(lang)}"
            click.echo(f"  {line}", err=True)


def render_import(result, lang: str) -> None:
    """Where each master field was taken from, the extra columns kept, the codes converted,
    the roster read and its departments."""
    from ..layout import PLAN, PLAN_SOURCE_CODE
    from ..messages import localise

    imported = result.imported
    where = say("new-table-of", lang, table=imported.table, tables=imported.tables,
                file=imported.source) if imported.tables > 1 else imported.source
    click.echo(say("new-table", lang, where=where,
                   header=localise(imported.header_place, lang) or "1"))
    click.echo(say("new-columns", lang))
    fields = [c for c in imported.columns if c.field]
    width = max(len(PLAN.column(c.field).label) for c in fields)
    for column in sorted(fields, key=lambda c: PLAN.index(c.field)):
        click.echo(say("new-column", lang, field=PLAN.column(column.field).label.ljust(width),
                       n=column.index + 1, label=column.label))
    extras = [c for c in imported.columns if c.field is None]
    if extras:
        quote = ("«{}»", "'{}'")[lang == "en"]
        labels = ", ".join(quote.format(c.label) + (" (cột {})", " (column {})")[lang == "en"]
                           .format(c.index + 1) for c in extras)
        click.echo(say("new-extras", lang, labels=labels))
    if any(row.source_code for row in imported.plan.rows):
        click.echo(say("new-codes", lang, label=PLAN_SOURCE_CODE.label))
    if result.roster_file is not None:
        encoding = f" ({result.roster_file.encoding})" if result.roster_file.encoding else ""
        click.echo(say("new-roster", lang, file=result.roster_path.name, encoding=encoding,
                       count=len(result.roster)))
        for name, members in result.departments.items():
            click.echo(say("new-department", lang, name=name, members=", ".join(members)))

"""`cchc-xl excel-setup`: make a master usable from Excel's «Run main» button."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import usage
from .options import command, common_options, say


@command("excel-setup")
@click.argument("master", type=usage.Path(dir_okay=False, path_type=Path))
@click.option("--rename", is_flag=True)
@click.option("--addin/--no-addin", default=True, show_default=True)
@click.option("--force", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@common_options
def excel_setup(master: Path, rename: bool, addin: bool, force: bool, as_json: bool,
                lang: str) -> None:
    """The `excel-setup` command (its help: texts.HELP)."""
    from ..excel.setup import excel_setup as run

    # (a name Run main cannot import, a rename refused, a foreign .py beside the master: each
    # a problem, said as every failure is)
    result = run(master, rename=rename, addin=addin, force=force)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    from ..layout import CONTROL_SHEET

    if result.renamed_from:
        click.echo(say("xs-renamed", lang, old=result.renamed_from.name, new=result.master.name))
    key = "xs-control-added" if result.control_added else "xs-control-kept"
    click.echo(say(key, lang, sheet=CONTROL_SHEET, master=result.master,
                   backup=result.backup))
    click.echo(say("xs-module", lang, path=result.module))
    a = result.addin
    click.echo(say(f"xs-addin-{a.status}", lang, python=sys.executable, config=a.config,
                   detail=a.detail, module=result.module))
    click.echo(say("xs-next", lang, master=result.master.name, sheet=CONTROL_SHEET))

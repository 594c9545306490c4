"""`cchc-xl excel-setup`: make a master usable from Excel's «Run main» button."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import usage
from .options import EXIT_USAGE, command, common_options, say


def rename_command(old: str, new: str, windows: bool) -> str:
    return f'ren "{old}" {new}' if windows else f'mv "{old}" {new}'


def name_message(check, lang: str, windows: bool = os.name == "nt") -> str:
    """Why the file name cannot work, and how to rename it (Vietnamese by default)."""
    if check.reason == "not-xlsx":
        return say("xs-not-xlsx", lang, suffix=Path(check.file).suffix or "?",
                   suggestion=check.suggestion)
    why = say(f"xs-why-{check.reason}", lang, shadows=check.shadows or "")
    head = say("xs-name", lang, file=check.file, stem=Path(check.file).stem, why=why)
    return head + "\n" + say("xs-rename", lang, suggestion=check.suggestion,
                             command=rename_command(check.file, check.suggestion, windows))


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
    from ..excel.setup import CompanionExists, NameUnusable, RenameRefused
    from ..excel.setup import excel_setup as run

    try:
        result = run(master, rename=rename, addin=addin, force=force)
    except NameUnusable as exc:
        click.echo(name_message(exc.check, lang), err=True)
        sys.exit(EXIT_USAGE)
    except RenameRefused as exc:
        click.echo(say("xs-rename-refused", lang, path=exc), err=True)
        sys.exit(EXIT_USAGE)
    except CompanionExists as exc:
        click.echo(say("xs-companion-exists", lang, path=exc), err=True)
        sys.exit(EXIT_USAGE)
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

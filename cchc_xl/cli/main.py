"""The `cchc-xl` command: the group, with every command of this package on it (each parses its
arguments, calls one library function, renders its result)."""

from __future__ import annotations

import sys

import click

from . import consolidate, demo, excel_setup, export, fill, new, remind, report, validate
from .options import LANG_KEY
from .usage import Choice, Group


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cchc-xl")
@click.option("--lang", type=Choice(["vi", "en"]), expose_value=False, is_eager=True,
              callback=lambda ctx, _, value: ctx.meta.__setitem__(LANG_KEY, value))
def cli() -> None:
    """The `cchc-xl` group (its help: texts.HELP["cli"])."""


def main() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() != "utf-8":
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass
    cli(prog_name="cchc-xl")


for _command in (consolidate.consolidate, demo.demo, excel_setup.excel_setup, export.export,
                 fill.fill, new.new, remind.remind, report.report, validate.validate):
    cli.add_command(_command)


if __name__ == "__main__":
    main()


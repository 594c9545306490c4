"""What every `cchc-xl` command shares: exit codes, --lang and --debug, its texts, and a failure
said as its problems."""

from __future__ import annotations

import functools
import os

import click

from ..texts import speaker
from .usage import Choice, Command

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
click.ClickException.exit_code = EXIT_USAGE

say = speaker("cli")
command = functools.partial(click.command, cls=Command)
LANG_KEY = "cchc_xl.lang"  # (click's ctx.meta, shared by the group and its command)
DEBUG_KEY = "cchc_xl.debug"


def _default_lang() -> str:
    """A command's language when it is not given after the command: `cchc-xl --lang en
    validate …` (given before it), else CCHC_LANG, else Vietnamese."""
    context = click.get_current_context(silent=True)
    chosen = context.meta.get(LANG_KEY) if context is not None else None
    return chosen or os.environ.get("CCHC_LANG", "vi")


def common_options(func):
    """--lang and --debug, defined once for every command: a failure becomes its problems
    said in the language asked for (a traceback only with --debug); with --json, also as
    JSON on standard output ({"failed": true, "problems": […]}), exit 2."""

    @click.option("--lang", type=Choice(["vi", "en"]), default=_default_lang,
                  show_default="vi")
    @click.option("--debug", is_flag=True)
    @functools.wraps(func)
    def wrapper(*args, lang: str, debug: bool, **kwargs):
        click.get_current_context().meta[DEBUG_KEY] = debug
        try:
            return func(*args, lang=lang, **kwargs)
        except (click.exceptions.Exit, click.ClickException, BrokenPipeError):
            raise  # (a closed pipe: usage.Group.main ends quietly)
        except Exception as exc:
            if debug:
                raise
            from ..outputs.failures import explain, problems_of

            if kwargs.get("as_json"):
                import json

                click.echo(json.dumps({"failed": True, "problems": [
                    p.to_dict(lang) for p in problems_of(exc)]}, ensure_ascii=False, indent=2))
            raise click.ClickException(explain(exc, lang)) from exc

    return wrapper


def echo_problems(problems, lang: str, *, err: bool = False, fixed_mark: str = "") -> None:
    """Problems on the terminal: place and severity (the code only with --debug), then the
    message on its own line."""
    context = click.get_current_context(silent=True)
    debug = bool(context and context.meta.get(DEBUG_KEY))
    for p in problems:
        where, severity, message, *code = p.row(lang, debug=debug)
        mark = f" {fixed_mark}" if p.fixed and fixed_mark else ""
        click.echo(" ".join([f"{where:<22} {severity:<10}", *code]).rstrip() + mark, err=err)
        click.echo(f"    {message}", err=err)

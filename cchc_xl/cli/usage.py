"""click's usage errors and help in the user's language (Vietnamese unless `--lang en`)."""

from __future__ import annotations

import contextvars
import os
import sys
from collections.abc import Sequence

import click

from ..texts import HELP, text

LANG = contextvars.ContextVar("cchc_xl_lang", default="vi")


def lang_of(args: Sequence[str]) -> str:
    """The language asked for on a command line, before click has parsed it (an error may come
    before `--lang`, which may stand anywhere): `--lang en`, `--lang=en`, else CCHC_LANG."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else (
            arg.partition("=")[2] if arg.startswith("--lang=") else None)
        if value in ("vi", "en"):
            return value
    return "en" if os.environ.get("CCHC_LANG") == "en" else "vi"


def say(key: str, **fields: object) -> str:
    return text("usage", key, LANG.get(), **fields)


def help_of(command: str, param: str | None = None) -> str | None:
    """A command's help, or one of its options' ("command.option", else the option's own,
    shared by every command that has it), in the run's language; None when not declared."""
    keys = [command] if param is None else [f"{command}.{param}", param]
    key = next((k for k in keys if k in HELP), None)
    return text("help", key, LANG.get()) if key else None


def _short(help_text: str, limit: int) -> str:
    """The first sentence of a help, cut at a word within `limit` characters ("…" after)."""
    first = help_text.split(". ", 1)[0].rstrip(".")
    if len(first) <= limit:
        return first
    cut = first[: limit - 3].rsplit(" ", 1)[0]
    return cut.rstrip(",:;") + "..."


def _extra(param: click.Parameter, ctx: click.Context) -> str:
    """What click adds after an option's help, in the run's language: its default where it is
    shown, and whether it is required."""
    items = []
    shown = getattr(param, "show_default", None)
    if shown is None and ctx.show_default:
        shown = True
    if shown and param.default is not None and not callable(param.default) or isinstance(
            shown, str):
        if isinstance(shown, str):
            value = shown
        elif getattr(param, "is_flag", False) and getattr(param, "secondary_opts", None):
            value = (param.opts if param.default else param.secondary_opts)[0]
        else:
            value = param.default
        items.append(say("default", value=value))
    if param.required:
        items.append(say("required"))
    return f"  [{'; '.join(items)}]" if items else ""


class Refused(click.UsageError):
    """A usage error of the catalogue (key and fields), said in the language of the run."""

    def __init__(self, key: str, ctx: click.Context | None = None, **fields: object):
        super().__init__(key, ctx)
        self.key, self.fields = key, fields

    def format_message(self) -> str:
        return say(self.key, **self.fields)


class Invalid(click.BadParameter):
    """A value click could not convert, said in the language of the run."""

    def __init__(self, key: str, ctx, param, **fields: object):
        super().__init__(key, ctx, param)
        self.key, self.fields = key, fields

    def format_message(self) -> str:
        return say("bad-value", name=_name(self.param, self.ctx),
                   message=say(self.key, **self.fields))


def _name(param: click.Parameter | None, ctx: click.Context | None) -> str:
    if param is None:
        return "?"
    if isinstance(param, click.Argument):
        return param.human_readable_name
    return " / ".join(param.opts)


def message_of(exc: click.ClickException) -> str:
    """What went wrong, in the run's language, from the exception's data (not its English)."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        key = "missing-argument" if isinstance(exc.param, click.Argument) else "missing-option"
        return say(key, name=_name(exc.param, ctx))
    if isinstance(exc, click.NoSuchOption):
        out = say("no-such-option", name=exc.option_name)
        if exc.possibilities:
            out += say("did-you-mean", names=", ".join(sorted(exc.possibilities)))
        return out
    if isinstance(exc, click.BadOptionUsage) and ctx is not None:
        option = next((p for p in ctx.command.params if exc.option_name in getattr(p, "opts", ())),
                      None)
        flag = option is not None and getattr(option, "is_flag", False)
        return say("takes-no-value" if flag else "needs-value", name=exc.option_name)
    return exc.format_message()


def show(exc: click.ClickException) -> None:
    """The error on stderr as click shows it (usage, where to find help, the error), in the
    run's language."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = say("try-help", command=ctx.command_path, option=ctx.help_option_names[0])
            hint += "\n"
        click.echo(f"{ctx.get_usage()}\n{hint}", err=True, color=ctx.color)
    click.echo(say("error", message=message_of(exc)), err=True)


class Command(click.Command):
    """A command whose help and extra-argument error speak the run's language."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True
        try:
            rest = super().parse_args(ctx, args)
        except click.UsageError as exc:  # (the parser raises some without their context)
            exc.ctx = exc.ctx or ctx
            raise
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise Refused("extra-arguments", ctx, args=" ".join(map(str, rest)))
        return rest

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=say("usage") + " ")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        own = help_of(self.name)
        if own is None:
            return super().format_help_text(ctx, formatter)
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(own)

    def get_short_help_str(self, limit: int = 45) -> str:
        own = help_of(self.name)
        if own is None:
            return super().get_short_help_str(limit)
        return _short(own, limit)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = []
        for p in self.get_params(ctx):
            if isinstance(p, click.Argument) or getattr(p, "hidden", False):
                continue
            own = help_of(self.name, p.name)
            if own is None:  # (--help, and any option not in the catalogue: as click says it)
                if (record := p.get_help_record(ctx)) is not None:
                    records.append(record)
                continue
            records.append((p.get_help_record(ctx)[0], own + _extra(p, ctx)))
        if records:
            with formatter.section(say("options")):
                formatter.write_dl(records)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = say("help")
        return option


def _quiet_stdout() -> None:
    """Standard output sent nowhere from now on, so that what is still buffered for a closed
    pipe does not fail again when the process ends (Python's own advice for SIGPIPE)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class Group(Command, click.Group):
    """The `cchc-xl` group: decides the language from the command line before parsing it, and
    says click's errors in it."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             **extra) -> None:
        args = list(sys.argv[1:] if args is None else args)
        if not extra.pop("standalone_mode", True):  # (the caller handles what is raised)
            return super().main(args, prog_name, standalone_mode=False, **extra)
        token = LANG.set(lang_of(args))
        try:
            code = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.ClickException as exc:
            show(exc)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo(say("aborted"), err=True)
            sys.exit(1)
        except BrokenPipeError:  # (`cchc-xl … | head`: the reader has all it wanted)
            _quiet_stdout()
            sys.exit(1)
        finally:
            LANG.reset(token)
        sys.exit(code if isinstance(code, int) else 0)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0]
        if (self.get_command(ctx, name) is None and not ctx.resilient_parsing
                and not name.startswith("-")):
            raise Refused("no-such-command", ctx, name=name,
                          commands=", ".join(self.list_commands(ctx)))
        return super().resolve_command(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands = [(n, c) for n in self.list_commands(ctx)
                    if (c := self.get_command(ctx, n)) is not None and not c.hidden]
        if commands:
            width = formatter.width - 6 - max(len(n) for n, _ in commands)
            with formatter.section(say("commands")):
                formatter.write_dl([(n, c.get_short_help_str(width)) for n, c in commands])


# --- types whose conversion errors speak the run's language ----------------------------------

class DateTime(click.DateTime):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            formats = ", ".join(f.replace("%d", "dd").replace("%m", "mm").replace("%Y", "yyyy")
                                for f in self.formats)
            raise Invalid("bad-date", ctx, param, value=value, formats=formats) from None


class Path(click.Path):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            if not os.path.exists(value):
                raise Invalid("no-such-file", ctx, param, value=value) from None
            if os.path.isdir(value) and not self.dir_okay:
                raise Invalid("is-a-folder", ctx, param, value=value) from None
            if not os.path.isdir(value) and not self.file_okay:
                raise Invalid("is-a-file", ctx, param, value=value) from None
            raise exc


class Choice(click.Choice):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            raise Invalid("bad-choice", ctx, param, value=value,
                          choices=", ".join(map(str, self.choices))) from None


class IntRange(click.IntRange):
    def convert(self, value, param, ctx):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise Invalid("bad-number", ctx, param, value=value) from None
        if self.min is not None and number < self.min:
            raise Invalid("bad-number-min", ctx, param, value=value, low=self.min) from None
        return super().convert(value, param, ctx)


INT = IntRange()

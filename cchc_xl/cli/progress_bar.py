"""The command line's progress bar (click.progressbar) over the library's progress callbacks."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

# What the library calls after each unit of a long step: (done, total, name), the name a
# file's or one of STEPS.
Progress = Callable[[int, int, str], None]

# The bar's label by command, "opening", and the steps the library names by a key rather than
# by a file ("step.<key>"): texts.PROGRESS.

quiet_option = click.option("--quiet", is_flag=True)


@contextmanager
def progress_bar(command: str, lang: str, *, quiet: bool = False,
                 opening: str | Path | None = None) -> Iterator[Progress | None]:
    """A callback that draws one bar on stderr as the library calls it; None, and nothing
    drawn, when quiet (--quiet, --json) or when stderr is not a terminal, so what a test, a
    pipe or a launcher's log receives is the same with the bar or without it. `opening`: the
    master the command loads first, shown at once on a bar of its own (a province's master
    takes seconds to load, before the library's first call)."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from ..messages import pick
    from ..texts import PROGRESS

    def start(length: int, label: str, **options):
        bar = click.progressbar(length=length, label=label, file=sys.stderr,
                                item_show_func=lambda item: item, **options)
        bar.__enter__()
        return bar

    bars = {}
    if opening is not None:
        bars["opening"] = start(1, f"{pick(PROGRESS['opening'], lang)} {Path(opening).name}",
                                show_eta=False)

    def update(done: int, total: int, name: str) -> None:
        if "steps" not in bars:
            if "opening" in bars:
                bars["opening"].update(1)
                bars.pop("opening").__exit__(None, None, None)
            bars["steps"] = start(total, pick(PROGRESS[command], lang), show_pos=True)
        step = PROGRESS.get(f"step.{name}")
        shown = pick(step, lang) if step else name
        bars["steps"].update(done - bars["steps"].pos, shown)

    try:
        yield update
    finally:
        for bar in bars.values():
            bar.__exit__(None, None, None)

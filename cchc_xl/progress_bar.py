"""The command line's progress bar (click.progressbar) over the library's progress callbacks."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

# What the library calls after each unit of a long step: (done, total, name), the name a
# file's or one of STEPS.
Progress = Callable[[int, int, str], None]

LABELS = {  # the bar's label, by command: (Vietnamese, English)
    "consolidate": ("Đọc phiếu", "Reading returns"),
    "fill": ("Tạo phiếu", "Writing workbooks"),
    "report": ("Lập báo cáo", "Writing the report"),
    "export": ("Xuất phụ lục", "Exporting the appendix"),
    "demo": ("Chạy ví dụ", "Running the demo"),
}
STEPS = {  # the steps the library names by a key rather than by a file (demo.STEPS, charts)
    "charts": ("đã vẽ biểu đồ", "charts drawn"),
    "master": ("đã tạo sổ", "master built"),
    "validate": ("đã kiểm tra sổ", "master checked"),
    "fill": ("đã tạo phiếu", "workbooks issued"),
    "returns": ("đã có phiếu gửi về", "returns written"),
    "consolidate": ("đã tổng hợp", "returns consolidated"),
    "remind": ("đã soạn thư nhắc", "reminders drafted"),
}

quiet_option = click.option("--quiet", is_flag=True,
                            help="Không hiện thanh tiến trình / no progress bar.")


@contextmanager
def progress_bar(command: str, lang: str, *, quiet: bool = False) -> Iterator[Progress | None]:
    """A callback that draws one bar on stderr as the library calls it; None, and nothing
    drawn, when quiet (--quiet, --json) or when stderr is not a terminal, so what a test, a
    pipe or a launcher's log receives is the same with the bar or without it."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from .messages import pick

    bars: list = []

    def update(done: int, total: int, name: str) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label=pick(LABELS[command], lang),
                                          file=sys.stderr, show_pos=True,
                                          item_show_func=lambda item: item))
            bars[0].__enter__()
        shown = pick(STEPS[name], lang) if name in STEPS else name
        bars[0].update(done - bars[0].pos, shown)

    try:
        yield update
    finally:
        if bars:
            bars[0].__exit__(None, None, None)

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

LABELS = {  # the bar's label, by command: (Vietnamese, English)
    "consolidate": ("Đọc phiếu", "Reading returns"),
    "fill": ("Tạo phiếu", "Writing workbooks"),
    "report": ("Lập báo cáo", "Writing the report"),
    "export": ("Xuất phụ lục", "Exporting the appendix"),
    "demo": ("Chạy ví dụ", "Running the demo"),
}
OPENING = ("Mở sổ", "Opening the master")
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

    def start(length: int, label: str, **options):
        bar = click.progressbar(length=length, label=label, file=sys.stderr,
                                item_show_func=lambda item: item, **options)
        bar.__enter__()
        return bar

    bars = {}
    if opening is not None:
        bars["opening"] = start(1, f"{pick(OPENING, lang)} {Path(opening).name}",
                                show_eta=False)

    def update(done: int, total: int, name: str) -> None:
        if "steps" not in bars:
            if "opening" in bars:
                bars["opening"].update(1)
                bars.pop("opening").__exit__(None, None, None)
            bars["steps"] = start(total, pick(LABELS[command], lang), show_pos=True)
        shown = pick(STEPS[name], lang) if name in STEPS else name
        bars["steps"].update(done - bars["steps"].pos, shown)

    try:
        yield update
    finally:
        for bar in bars.values():
            bar.__exit__(None, None, None)

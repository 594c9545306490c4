"""Both cores for independent files: a process pool, only where it pays for its start-up.

A pool of two costs ≈ 15 ms to start with fork (Linux) and ≈ 0.5 s with spawn (Windows, macOS,
where each worker imports the package again: 0.42–0.55 s measured on Linux with a spawn
context); writing or reading one officer workbook costs a few milliseconds. So small batches
(a commune's 6–10 files) stay in this process and only batches of MIN_ITEMS or more (a
district or a province) are shared out. CCHC_XL_WORKERS=1 turns the pool off (for
profiling); CCHC_XL_WORKERS=N sets the number of workers.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

WORKERS_ENV = "CCHC_XL_WORKERS"
# Measured on 2 cores (scripts/bench.py): fork start-up ≈ 15 ms, so a pool pays from a few
# dozen files on; spawn start-up is longer, so there the bar is higher.
MIN_ITEMS_FORK = 48
MIN_ITEMS_SPAWN = 400


def workers() -> int:
    """How many processes to use: CCHC_XL_WORKERS, else one per core."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _context():
    """fork where it exists and is safe (no other thread running in this process), else
    spawn. Returns (context, start-up is cheap)."""
    import multiprocessing  # only for a batch big enough for a pool

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and threading.active_count() == 1:
        return multiprocessing.get_context("fork"), True
    return multiprocessing.get_context("spawn"), False


def run_all(func: Callable[[T], R], items: Sequence[T], *,
            min_items: int | None = None) -> list[R]:
    """[func(item) for item in items], in order, on every core when the batch is big enough.
    func must be a module-level function (it is sent to the workers by name)."""
    return list(imap(func, items, min_items=min_items))


def imap(func: Callable[[T], R], items: Sequence[T], *,
         min_items: int | None = None) -> Iterator[R]:
    """func(item) for each item, yielded in order as soon as each is ready (a progress bar
    can follow), on every core when the batch is big enough."""
    n = len(items)
    count = min(workers(), n)
    if count < 2:
        yield from map(func, items)
        return
    context, cheap = _context()
    threshold = min_items if min_items is not None else (
        MIN_ITEMS_FORK if cheap else MIN_ITEMS_SPAWN)
    if n < threshold:
        yield from map(func, items)
        return
    from concurrent.futures import ProcessPoolExecutor

    # A few chunks per worker: little inter-process traffic, and no worker left idle at the
    # end for long.
    chunk = max(1, min(64, n // (count * 4)))
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        yield from pool.map(func, items, chunksize=chunk)

"""Work spread over the machine's cores where it pays: a batch of at least POOL_FROM jobs, on
a machine with two cores or more, in worker processes forked from this one; else here, one
job after another. Results come back in the jobs' order, each as soon as it and those before
it are done (a progress bar follows them).

A pool of two costs ≈ 15 ms to start with fork, a job (a workbook written or read) 2–10 ms:
a pool pays from a few dozen jobs on (scripts/bench.py: 200 officer workbooks written 1.7×
faster on 2 cores, 182 returns read 1.5× faster). Where fork is missing or unsafe (Windows,
macOS, a thread running) each worker would import the package again (≈ 0.5 s): the jobs are
done here then. The jobs reach the workers by the fork itself, never pickled (a job may hold
what pickle cannot carry, such as how to take a workbook out of an e-mail); the results are
pickled back."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

J = TypeVar("J")
R = TypeVar("R")

POOL_FROM = 48

_WORK: tuple = ()  # (in a worker: the function and the jobs, as forked)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def pool_pays(jobs: int, at_least: int | None = None) -> bool:
    """Whether `jobs` jobs are done faster in forked workers than here (at least POOL_FROM
    of them, unless said otherwise)."""
    import multiprocessing
    import sys
    import threading

    return (jobs >= (POOL_FROM if at_least is None else at_least) and cores() >= 2
            and sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def on_cores(func: Callable[[J], R], jobs: Sequence[J], *, at_least: int | None = None
             ) -> Iterator[R]:
    """func(job) for each job, yielded in the jobs' order; on every core when pool_pays.
    func must be a module's function; its results must pickle."""
    if not pool_pays(len(jobs), at_least):
        for job in jobs:
            yield func(job)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = cores()
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"),
                             initializer=_take, initargs=(func, jobs)) as pool:
        # (a few chunks per worker: little traffic between processes, none idle for long)
        chunks = max(1, min(64, len(jobs) // (n * 4)))
        yield from pool.map(_run, range(len(jobs)), chunksize=chunks)


def _take(func: Callable, jobs: Sequence) -> None:
    global _WORK
    _WORK = (func, jobs)


def _run(i: int):
    func, jobs = _WORK
    return func(jobs[i])

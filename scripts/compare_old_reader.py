"""Benchmark (not a test): the return reader against the one it replaced (fast_read, deleted in
issue 21), interleaved in one process on the same files, with the raw read floor and calamine
alone beside them. The old package is taken from git history (the commit before the reader
changed) into a temporary folder, renamed so that both load side by side.

    python scripts/bench.py --quick --keep /tmp/cases      # the bench's cases, kept
    python scripts/compare_old_reader.py /tmp/cases [--cases a,b,c] [--rounds 9]

Prints, per case, milliseconds per file (each the best of the rounds) and the ratios
new ÷ old (old in one process, and old as it ran: on both cores from 48 files on).
"""

from __future__ import annotations

import argparse
import gc
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OLD_COMMIT = "dda8c0c^"  # (dda8c0c: "One return reader: python-calamine plus one scan …")


def export_old(into: Path) -> None:
    """The package as it was before the reader changed, as `cchc_old` in `into`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", OLD_COMMIT, "cchc_xl"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    (into / "cchc_xl").rename(into / "cchc_old")
    for path in (into / "cchc_old").rglob("*.py"):
        path.write_text(re.sub(r"\bcchc_xl\b", "cchc_old", path.read_text(encoding="utf-8")),
                        encoding="utf-8")


def best(funcs, rounds: int) -> list[float]:
    out = [float("inf")] * len(funcs)
    for _ in range(rounds):
        for i, func in enumerate(funcs):  # (in turn: a busy spell slows each alike)
            gc.collect()
            start = time.perf_counter()
            func()
            out[i] = min(out[i], time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", type=Path, help="the folder given to bench.py --keep")
    parser.add_argument("--cases", dest="which", default="a,b,c")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    old_dir = Path(tempfile.mkdtemp(prefix="cchc-old-"))
    export_old(old_dir)
    sys.path[:0] = [str(old_dir), str(ROOT / "scripts")]

    print(f"{'case':<5} {'files':>5} {'new':>7} {'old 1 proc':>10} {'old as ran':>10} "
          f"{'floor':>7} {'calamine':>8}   new/old 1 proc   new/old as ran   (ms per file)")
    for k in args.which.split(","):
        n, t, books = compare(args.cases / k, args.rounds)
        per = [t[0] / n, t[1] / n, t[2] / n, t[3] / books, t[4] / books]
        print(f"{k:<5} {n:>5} " + " ".join(f"{v * 1e3:>{w}.2f}" for v, w in zip(
            per, (7, 10, 10, 7, 8))) + f"   {t[0] / t[1]:>14.3f}   {t[0] / t[2]:>14.3f}",
            flush=True)


def compare(base: Path, rounds: int) -> tuple[int, list[float], int]:
    """(items, the best seconds of new, old in one process, old as it ran, floor, calamine
    alone, workbooks) for one case's inbox."""
    import cchc_old.parallel as old_parallel
    import openpyxl
    from bench import read_calamine, read_floor
    from cchc_old.fast_read import iter_returns as old_iter
    from cchc_old.inbox import collect as old_collect

    from cchc_xl import layout
    from cchc_xl.cycle.inbox import collect
    from cchc_xl.cycle.returns import iter_returns
    from cchc_xl.master.key import master_key

    wb = openpyxl.load_workbook(base / "so-theo-doi.xlsx")
    key, master_id = master_key(wb), str(wb[layout.SETTINGS_SHEET]["B2"].value)
    inbox = base / "phieu-nhan"
    books = sorted(p for p in inbox.rglob("*") if p.suffix in (".xlsx", ".xlsm")
                   and not p.name.startswith("~$"))

    def new():
        list(iter_returns(collect(inbox)[0], master_id, key))

    def old(pool_from):
        def run():
            old_parallel.MIN_ITEMS_FORK = pool_from
            list(old_iter(old_collect(inbox)[0], master_id, key))
        return run

    t = best([new, old(10**9), old(48), lambda: [read_floor(p) for p in books],
              lambda: [read_calamine(p) for p in books]], rounds)
    return len(collect(inbox)[0]), t, len(books)

if __name__ == "__main__":
    main()

"""Benchmark (not a test): milliseconds per officer workbook written by `cchc-xl fill`
(XlsxWriter, one process), against XlsxWriter writing the visible sheet's cells bare, for 10 and
1,000 workbooks. scripts/bench.py measures fill, consolidate and validate together, at
commune and province scale, against their baselines.

    python scripts/bench_fill.py [--sizes 10 1000] [--repeats 5]

The bare writer writes the visible sheet's values only (no styles, protection, validation,
hidden sheets), in memory: the floor a plain writer reaches, not an equivalent workbook.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from cchc_xl import layout
from cchc_xl.cycle.demo import run_demo
from cchc_xl.cycle.fill import assignments, fill, officer_sheet
from cchc_xl.cycle.officer_workbook import write_officer_workbook
from cchc_xl.files.open_save import load
from cchc_xl.master.key import master_key
from cchc_xl.master.reading import read_master

NOW = dt.datetime(2021, 4, 1, 8, 30)


def officer_sheets(master: Path):
    """The seed's officer sheets (one per role) and the master's key."""
    wb = load(master)
    view = read_master(wb)
    by_role = assignments(view)
    sheets = [officer_sheet(view, name, rows, round_name="Đợt 1", now=NOW,
                            due=NOW.date() + dt.timedelta(days=7),
                            master_id=str(view.settings.get("master_id")),
                            master_file=master.name)
              for name, rows in by_role.items() if rows]
    return sheets, master_key(wb, create=True)


def write_ours(sheets, key, n: int, out: Path) -> float:
    start = time.perf_counter()
    for i in range(n):
        write_officer_workbook(sheets[i % len(sheets)], key, out / f"o{i}.xlsx")
    return time.perf_counter() - start


def bare_cells(sheet) -> list[list]:
    """The visible cells of an officer sheet, values only (what a bare writer has to write)."""
    rows = [[c.label for c in layout.OFFICER.columns]]
    for row in sheet.rows:
        values = {**row.locked(), **row.values}
        rows.append([values.get(key) for key in layout.OFFICER.keys])
    return rows


def write_xlsxwriter(sheets, n: int, out: Path) -> float:
    import xlsxwriter

    grids = [bare_cells(s) for s in sheets]
    start = time.perf_counter()
    for i in range(n):
        wb = xlsxwriter.Workbook(str(out / f"x{i}.xlsx"), {"in_memory": True})
        ws = wb.add_worksheet(layout.OFFICER.name)
        date = wb.add_format({"num_format": layout.DATE})
        for r, row in enumerate(grids[i % len(grids)], start=layout.OFFICER.header_row - 1):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                elif value is not None:
                    ws.write(r, c, value)
        wb.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--repeats", type=int, default=5, help="runs per size up to 100")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        master = run_demo(tmp / "demo").master
        commune = []
        for i in range(5):
            start = time.perf_counter()
            result = fill(master, tmp / f"commune{i}", now=NOW)
            commune.append(time.perf_counter() - start)
        print(f"fill of the seed commune ({len(result.files)} workbooks, master checked and "
              f"saved): best {min(commune) * 1000:.0f} ms, median "
              f"{sorted(commune)[len(commune) // 2] * 1000:.0f} ms")
        sheets, key = officer_sheets(master)
        rows = sum(len(s.rows) for s in sheets) / len(sheets)
        print(f"officer workbooks: {len(sheets)} roles cycled, {rows:.1f} rows each on average")
        print(f"{'workbooks':>10} {'cchc-xl ms/wb':>15} {'xlsxwriter bare ms/wb':>22} "
              f"{'ratio':>6}")
        for n in args.sizes:
            # Best of several runs (the two writers interleaved): other processes on a shared
            # machine only ever make a run slower.
            ours, bare = [], []
            for _ in range(args.repeats if n <= 100 else 1):
                for name in ("o", "x"):
                    shutil.rmtree(tmp / f"{name}{n}", ignore_errors=True)
                    (tmp / f"{name}{n}").mkdir()
                ours.append(write_ours(sheets, key, n, tmp / f"o{n}") / n)
                bare.append(write_xlsxwriter(sheets, n, tmp / f"x{n}") / n)
            print(f"{n:>10} {min(ours) * 1000:>15.1f} {min(bare) * 1000:>22.1f} "
                  f"{min(ours) / min(bare):>6.1f}")


if __name__ == "__main__":
    main()

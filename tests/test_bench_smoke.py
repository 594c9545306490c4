"""scripts/bench.py runs and prints its whole table (a smoke test: no timing is asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE_A = [
    "fill: officer workbooks written (6)",
    "fill: officer workbooks, one process",
    "fill: raw write floor (reference)",
    "fill: whole command (check, write, record)",
    "consolidate: read + check returns (5)",
    "consolidate: read + check returns, against calamine alone",
    "consolidate: calamine alone (its 3 sheets' values)",
    "plain approach: openpyxl.load_workbook each file",
    "consolidate: whole command (21 changes)",
    "consolidate: master load + save (cached values, backup, atomic)",
    "validate: whole",
    "process: cchc-xl validate",
    "process: cchc-xl fill",
    "process: cchc-xl consolidate",
    *([  # (sampled from /proc: Linux only)
        "memory: cchc-xl validate, peak (with its workers)",
        "memory: cchc-xl fill, peak (with its workers)",
        "memory: cchc-xl consolidate, peak (with its workers)",
    ] if Path("/proc/self/smaps_rollup").exists() else []),
]


def test_bench_quick_case_a_prints_every_row(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick",
                           "--cases", "a", "--runs", "1", "--keep", str(tmp_path / "bench")],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("cchc-xl benchmark: Python ")
    assert lines[1].split() == ["case", "measure", "ours", "baseline", "ratio", "target",
                                "result"]
    rows = [line for line in lines[3:] if line.startswith("a ")]
    measures = [row[6:].split("  ")[0] for row in rows]
    assert len(measures) == len(CASE_A)
    for measure, expected in zip(measures, CASE_A):
        assert measure == expected
    processes = [row for row in rows if "process: cchc-xl" in row]
    assert len(processes) == 3
    for row in processes:  # the whole-process targets of case (a) are judged
        assert row.rstrip().endswith(("PASS", "FAIL"))
    for row in rows:
        if "peak (with its workers)" in row:  # ours, the baseline's, their ratio
            assert re.search(r"  \d+ MB +python -c load_workbook \d+ MB +\d+\.\d\d\s*$", row), row
    assert any(line.startswith("(a) master load + save: load ") for line in lines)
    assert lines[-1].endswith("not met.")


def test_bench_quick_case_c_is_shown_not_judged(tmp_path):
    """--quick's case (c) is smaller than the case the targets are set for: no PASS or FAIL,
    and a note under the table says why."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick",
                           "--cases", "c", "--recipients", "60", "--runs", "1"],
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    rows = [line for line in lines[3:] if line.startswith("c ")]
    assert any(row[6:].startswith("consolidate: read + check returns (") for row in rows)
    assert [row for row in rows if row.rstrip().endswith(("PASS", "FAIL"))] == []
    assert any(line.startswith("(c) --quick: ") and "not judged" in line for line in lines)
    assert lines[-1] == "0 targets met, 0 not met."

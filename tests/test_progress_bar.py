"""Progress of the long steps: the library's callbacks (exact counts) and the command line's
bar, drawn on a terminal only and never with --quiet."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cchc_xl.cycle.consolidate import consolidate
from cchc_xl.cycle.demo import (
    AS_OF,
    CONSOLIDATED_AT,
    ISSUED_AT,
    MASTER_NAME,
    build_demo_master,
    run_demo,
    simulate_returns,
)
from cchc_xl.cycle.fill import fill
from cchc_xl.outputs.export_docx import export_plan_docx
from cchc_xl.outputs.progress_report import write_progress_report


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    _, path = build_demo_master(tmp_path_factory.mktemp("demo"))
    return path


@pytest.fixture
def copy(master, tmp_path) -> Path:
    return Path(shutil.copy(master, tmp_path / MASTER_NAME))


def test_fill_calls_after_each_workbook_and_the_save(copy, tmp_path):
    calls = []
    result = fill(copy, tmp_path / "out", now=ISSUED_AT, progress=lambda *a: calls.append(a))
    assert calls == [(i, 7, f.path.name) for i, f in enumerate(result.files, start=1)] + [
        (7, 7, MASTER_NAME)]
    assert [c[2] for c in calls[:2]] == ["dot-1_van-phong-thong-ke.xlsx",
                                         "dot-1_tu-phap-ho-tich.xlsx"]


def test_consolidate_calls_after_each_return_the_save_and_the_report_book(copy, tmp_path):
    issued = fill(copy, tmp_path / "out", round_name="Đợt 1", now=ISSUED_AT)
    simulate_returns({f.role: f.path for f in issued.files}, tmp_path / "in")
    calls = []
    consolidate(copy, tmp_path / "in", now=CONSOLIDATED_AT, as_of=AS_OF,
                progress=lambda *a: calls.append(a))
    assert calls == [
        (1, 7, "Phieu VP (sua lan 2).xlsx"),
        (2, 7, "Tra loi Van phong.eml › dot-1_van-hoa-xa-hoi.xlsx"),
        (3, 7, "quan su.xlsx"), (4, 7, "Địa chính.xlsx"),
        (5, 7, "tu phap/Phieu cap nhat - Tu phap.xlsx"), (6, 7, MASTER_NAME),
        (7, 7, "ke_hoach_cchc_2021_bao-cao_20210702-163000.xlsx")]
    calls.clear()
    consolidate(copy, tmp_path / "in", dry_run=True, now=CONSOLIDATED_AT, as_of=AS_OF,
                progress=lambda *a: calls.append(a))
    assert [c[:2] for c in calls] == [(i, 6) for i in range(1, 7)]
    assert calls[-1][2] == MASTER_NAME


def test_export_calls_after_the_word_file(copy, tmp_path):
    calls = []
    export_plan_docx(copy, tmp_path / "pl.docx", progress=lambda *a: calls.append(a))
    assert calls == [(1, 1, "pl.docx")]


def test_report_calls_after_each_step(copy, tmp_path):
    calls = []
    write_progress_report(copy, tmp_path / "bc.docx", progress=lambda *a: calls.append(a))
    assert calls == [(1, 3, MASTER_NAME), (2, 3, "charts"), (3, 3, "bc.docx")]


def test_demo_calls_after_each_step(tmp_path):
    calls = []
    run_demo(tmp_path / "d", cycle=True, progress=lambda *a: calls.append(a))
    assert calls == [(1, 6, "master"), (2, 6, "validate"), (3, 6, "fill"), (4, 6, "returns"),
                     (5, 6, "consolidate"), (6, 6, "remind")]
    calls.clear()
    run_demo(tmp_path / "e", progress=lambda *a: calls.append(a))
    assert calls == [(1, 2, "master"), (2, 2, "validate")]


def run(args: list[str], cwd: Path, *, terminal: bool) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `python -m cchc_xl ARGS`, stderr on a terminal (a
    pseudo-terminal) or on a pipe."""
    env = {**os.environ, "CCHC_LANG": "vi", "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "cchc_xl", *args]
    if not terminal:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=120)
        return done.returncode, done.stdout.decode(), done.stderr.decode()
    leader, follower = pty.openpty()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # (the terminal is closed once the process has ended)
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    out = proc.stdout.read()
    code = proc.wait(timeout=120)
    reader.join(timeout=10)
    os.close(leader)
    return code, out.decode(), b"".join(chunks).decode().replace("\r\n", "\n")


def timeless(output: tuple[int, str, str]) -> tuple[int, str, str]:
    """(a backup's name holds the time it was made)"""
    code, *texts = output
    return code, *(re.sub(r"_\d{8}-\d{6}-\d{6}\.xlsx", "_<time>.xlsx", t) for t in texts)


@pytest.mark.parametrize("command", [["export", MASTER_NAME, "--docx", "pl.docx"],
                                     ["fill", MASTER_NAME, "--out", "phieu"]])
def test_quiet_on_a_terminal_prints_what_a_pipe_receives(master, tmp_path, command):
    outputs = {}
    for case in ("pipe", "quiet", "bar"):
        folder = tmp_path / case
        folder.mkdir()
        shutil.copy(master, folder / MASTER_NAME)
        outputs[case] = timeless(run(command + (["--quiet"] if case == "quiet" else []),
                                     folder, terminal=case != "pipe"))
    assert outputs["quiet"] == outputs["pipe"]
    code, out, err = outputs["bar"]
    assert (code, out) == outputs["pipe"][:2]
    label = {"export": "Xuất phụ lục", "fill": "Tạo phiếu"}[command[0]]
    assert f"{label}  [####################################]  " in err
    assert f"Mở sổ {MASTER_NAME}  [####################################]  100%" in err
    assert err != outputs["pipe"][2]


def test_json_draws_no_bar_on_a_terminal(master, tmp_path):
    shutil.copy(master, tmp_path / MASTER_NAME)
    code, out, err = run(["fill", MASTER_NAME, "--out", "phieu", "--json"], tmp_path,
                         terminal=True)
    assert code == 0 and out.startswith("{") and "Tạo phiếu  [" not in err

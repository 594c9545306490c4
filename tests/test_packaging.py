"""The package as users install it: every module in the wheel, every command documented."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc_xl.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_holds_every_module_and_the_seed(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("cchc_xl-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "cchc_xl").rglob("*.py")}
    assert sources - names == set()
    assert {"cchc_xl/data/son_giang_2021.txt", "cchc_xl/data/demo_roster.csv"} <= names


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "--lang" in result.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"`cchc-xl {re.escape(name)}\b", readme), name


def test_commands_load_openpyxl_without_numpy_and_numpy_stays_importable(tmp_path):
    """openpyxl's optional numpy import (≈ 0.1 s of each command's start) is turned down for
    the command line only; openpyxl works, and numpy can still be imported after it."""
    pytest.importorskip("numpy")
    code = ("import sys, cchc_xl.cli.app, openpyxl; from openpyxl.compat.numbers import NUMPY; "
            "wb = openpyxl.Workbook(); wb.active['A1'] = 1.5; "
            "print(NUMPY, 'numpy' in sys.modules); import numpy; print(numpy.float64(2.5))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "2.5"]
    plain = subprocess.run([sys.executable, "-c", "from openpyxl.compat.numbers import NUMPY;"
                            " print(NUMPY)"], capture_output=True, text=True, cwd=tmp_path)
    assert plain.stdout.strip() == "True"  # openpyxl itself, used as a library, is unchanged


def _in_order(parts: list[str], line: str) -> bool:
    at = 0
    for part in parts:
        at = line.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def test_the_readme_shows_what_the_demo_prints(tmp_path, monkeypatch):
    """Each line of the README's abridged demo output is a line `cchc-xl demo` prints (runs
    of spaces aside; '…' stands for what the README leaves out of it)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("Abridged output:\n\n```\n", 1)[1].split("\n```", 1)[0]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    printed = [" ".join(line.split()) for line in result.output.splitlines()]
    shown = [line for line in block.splitlines() if line.strip(" …")]
    assert len(shown) > 20  # (the block was found)
    for line in shown:
        parts = [" ".join(part.split()) for part in line.split("…") if part.strip()]
        assert any(_in_order(parts, out) for out in printed), line

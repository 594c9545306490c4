"""The package as users install it: every module in the wheel, every command documented."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc_xl.cli import cli

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
    code = ("import sys, cchc_xl.cli, openpyxl; from openpyxl.compat.numbers import NUMPY; "
            "wb = openpyxl.Workbook(); wb.active['A1'] = 1.5; "
            "print(NUMPY, 'numpy' in sys.modules); import numpy; print(numpy.float64(2.5))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "2.5"]
    plain = subprocess.run([sys.executable, "-c", "from openpyxl.compat.numbers import NUMPY;"
                            " print(NUMPY)"], capture_output=True, text=True, cwd=tmp_path)
    assert plain.stdout.strip() == "True"  # openpyxl itself, used as a library, is unchanged

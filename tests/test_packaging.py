"""The package as users install it: every module in the wheel, every command documented, the
README's two commands where .ci/run and users find them."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from importlib.metadata import requires
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


def test_the_readme_holds_the_two_commands_and_ci_finds_the_tests_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```\n(.*?)\n```$", readme, flags=re.M | re.S)
    assert blocks[:2] == [
        "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/cchc-xl demo",
        'python3 -m venv .venv && .venv/bin/pip install -q -e ".[test]" && .venv/bin/python -m '
        "pytest -q"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    awk = re.search(r"cmd=\$\(awk '([^']*)' README.md\)", ci)[1]
    found = subprocess.run(["awk", awk, str(ROOT / "README.md")], capture_output=True,
                           text=True, check=True)
    assert found.stdout == blocks[1] + "\n"
    assert len(readme.splitlines()) <= 110  # (the detail is in docs/)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "--lang" in result.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"`cchc-xl {re.escape(name)}\b", readme), name


def test_pandas_is_an_extra_the_command_line_never_loads():
    """The DataFrame API imports pandas in its functions: the tool itself does not need it."""
    pandas = [dep for dep in requires("cchc-xl") if dep.startswith(("pandas", "numpy"))]
    assert pandas == ['pandas>=2.0; extra == "pandas"', 'pandas>=2.0; extra == "test"']
    code = "import sys, cchc_xl.cli, cchc_xl.outputs.frames; print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def _in_order(parts: list[str], line: str) -> bool:
    at = 0
    for part in parts:
        at = line.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def test_docs_demo_shows_what_the_demo_prints(tmp_path, monkeypatch):
    """Each line of docs/demo.md's abridged demo output is a line `cchc-xl demo` prints (runs
    of spaces aside; '…' stands for what the page leaves out of it)."""
    page = (ROOT / "docs" / "demo.md").read_text(encoding="utf-8")
    block = page.split("Abridged output:\n\n```\n", 1)[1].split("\n```", 1)[0]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    printed = [" ".join(line.split()) for line in result.output.splitlines()]
    shown = [line for line in block.splitlines() if line.strip(" …")]
    assert len(shown) > 20  # (the block was found)
    for line in shown:
        parts = [" ".join(part.split()) for part in line.split("…") if part.strip()]
        assert any(_in_order(parts, out) for out in printed), line

"""`cchc-xl demo`: the built-in example, Sơn Giang commune's 2021 plan, end to end."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .problems import Report

SEED = "son_giang_2021.txt"
DEMO_ROSTER = "demo_roster.csv"
MASTER_NAME = "ke_hoach_cchc_2021.xlsx"


def data_file(name: str) -> Path:
    """Path of a file shipped inside the package (cchc_xl/data)."""
    return Path(str(resources.files("cchc_xl") / "data" / name))


@dataclass
class DemoResult:
    directory: Path
    plan: Path
    master: Path
    report: Report


def run_demo(directory: str | Path) -> DemoResult:
    """Copy the seed plan into `directory`, build the master from it with an example roster
    (fictional people, .example addresses), and validate it."""
    from .master import create_master
    from .validate import validate

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    plan = directory / SEED
    shutil.copyfile(data_file(SEED), plan)
    master = directory / MASTER_NAME
    create_master(master, plan, roster_csv=data_file(DEMO_ROSTER), force=True)
    return DemoResult(directory.resolve(), plan.resolve(), master.resolve(), validate(master))

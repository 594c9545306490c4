"""The master's plan, change log and roster as pandas DataFrames, for analysis in Python.

pandas is imported by these functions only (the command line never loads it); install it with
`pip install "cchc-xl[pandas]"`. Each frame has one column per column of its sheet, named by
the column's key in `layout` (`code`, `status`, `progress`, …), typed by its kind: numbers as
floats (NaN when empty), dates as datetimes (NaT), text as str ("" when empty). Values are the
ones the workbook holds, formulas by their cached values (lost and projected points).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import layout

NUMBER_KINDS = ("number", "formula", "percent")


def plan_frame(master: str | Path):
    """One row per plan row (areas, criteria, sub-criteria; not the total), indexed by code."""
    from ..master.reading import read_master

    view = read_master(_workbook(master))
    frame = _frame(layout.PLAN.columns, [row.raw for row in view.rows])
    return frame.set_index("code")


def log_frame(master: str | Path):
    """The change log (Nhật ký): one row per entry, oldest first."""
    return _table_frame(master, layout.CHANGELOG)


def officers_frame(master: str | Path):
    """The roster (Cán bộ): one row per role, with its spellings, person and e-mail."""
    return _table_frame(master, layout.ROSTER)


def _workbook(master: str | Path):
    from ..files.open_save import load

    return load(master, data_only=True)  # formulas as their cached values


def _table_frame(master: str | Path, table: layout.TableSheet):
    from ..master.reading import read_table

    wb = _workbook(master)
    rows = [values for _, values in read_table(wb[table.name], table)] \
        if table.name in wb.sheetnames else []
    return _frame(table.columns, rows)


def _frame(columns: tuple[layout.Column, ...], rows: list[dict]):
    import pandas as pd

    data = {col.key: [_typed(col, row.get(col.key)) for row in rows] for col in columns}
    frame = pd.DataFrame(data, columns=[col.key for col in columns])
    for col in columns:
        if col.kind in NUMBER_KINDS:
            frame[col.key] = pd.to_numeric(frame[col.key], errors="coerce").astype("float64")
        elif col.kind == "date":
            frame[col.key] = pd.to_datetime(frame[col.key], errors="coerce")
    return frame


def _typed(col: layout.Column, value: object) -> object:
    from ..text import clean_cell, parse_number

    if col.kind in NUMBER_KINDS:
        return parse_number(value)
    if col.kind == "date":
        return value if isinstance(value, (dt.date, dt.datetime)) else None
    if value is None:
        return ""
    return clean_cell(value) if isinstance(value, str) else str(value)

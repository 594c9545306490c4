"""Helpers for tests of the yearly cycle: a demo master, a round of officer workbooks, and
returns edited the way an officer edits them (by code, never by position)."""

from __future__ import annotations

import datetime as dt
import json
import warnings
import zipfile
from pathlib import Path

import openpyxl

from cchc_xl import layout
from cchc_xl.cycle import stamp
from cchc_xl.cycle.demo import run_demo
from cchc_xl.cycle.fill import fill

O = layout.OFFICER  # noqa: E741 (the officer sheet, as in the tests)
FILES = {
    "VP": "dot-1_van-phong-thong-ke.xlsx",
    "TP": "dot-1_tu-phap-ho-tich.xlsx",
    "DC": "dot-1_dia-chinh-xay-dung.xlsx",
    "TC": "dot-1_tai-chinh-ke-toan.xlsx",
    "VH": "dot-1_van-hoa-xa-hoi.xlsx",
    "QS": "dot-1_chi-huy-truong-quan-su.xlsx",
}
ISSUED = dt.datetime(2021, 4, 1, 8, 0)


def load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


def make_cycle(tmp_path: Path, round_name: str | None = None) -> tuple[Path, Path, Path]:
    """(master, outbox, inbox): the seed master with the demo roster, one round issued."""
    master = run_demo(tmp_path / "so").master
    outbox, inbox = tmp_path / "phieu", tmp_path / "nhan"
    inbox.mkdir()
    fill(master, outbox, round_name=round_name, now=ISSUED)
    return master, outbox, inbox


def officer_rows(ws) -> dict[str, int]:
    return {str(ws.cell(row=r, column=1).value): r
            for r in range(O.first_row, ws.max_row + 1) if ws.cell(row=r, column=1).value}


def as_typed(key: str, value: object) -> object:
    """What Excel stores when an officer types `value` into the cell: a number typed into the
    progress cell (formatted as a percentage) is that many per cent by Excel's automatic
    percent entry (30 -> 0.3; a number below 1 is taken as a fraction: 0.8 stays 0.8)."""
    if key == "progress" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value / 100 if value >= 1 else value
    return value


def edit_return(src: Path, dst: Path, edits: dict[str, dict], *, as_string: bool = False,
                raw: bool = False) -> Path:
    """Copy an officer's workbook with cells changed as Excel stores what is typed (raw: the
    values stored as given, as a program or a paste would): {code: {field: value}}."""
    wb = load(src)
    ws = wb[O.name]
    rows = officer_rows(ws)
    for code, fields in edits.items():
        for key, value in fields.items():
            cell = ws.cell(row=rows[code], column=O.index(key))
            cell.value = value if raw else as_typed(key, value)
            if as_string and isinstance(value, str):
                cell.data_type = "s"
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def plan_values(master: Path, key: str) -> dict[str, object]:
    """{code: value} of one plan column, as stored."""
    ws = load(master)[layout.PLAN.name]
    col = layout.PLAN.index(key)
    return {str(ws.cell(row=r, column=1).value): ws.cell(row=r, column=col).value
            for r in range(layout.PLAN.first_row, ws.max_row + 1)
            if ws.cell(row=r, column=1).value}


def log_rows(master: Path) -> list[list]:
    ws = load(master)[layout.CHANGELOG.name]
    return [[c.value for c in row][1:] for row in ws.iter_rows(min_row=2) if row[0].value]


def rezip(src: Path, dst: Path, replace: dict | None = None, add: dict | None = None,
          drop: tuple = ()) -> Path:
    """Copy a package with parts replaced (bytes or a function of the old bytes), added or
    dropped."""
    replace, add = replace or {}, add or {}
    dst.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if info.filename in replace:
                new = replace[info.filename]
                data = new(data) if callable(new) else new
            zout.writestr(info.filename, data)
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


# --- the stamp sheet, as someone who unhides it and edits it would ---------------------------

def stamp_content(wb) -> dict:
    """The content of a workbook's format-2 stamp (its text, B3 and below, decoded)."""
    ws = wb[layout.STAMP_SHEET]
    pieces = []
    for r in range(stamp.DATA_ROW, ws.max_row + 1):
        if ws.cell(row=r, column=2).value in (None, ""):
            break
        pieces.append(ws.cell(row=r, column=2).value)
    return json.loads("".join(pieces))


def edit_stamp(wb, change, *, by_hand: bool = False) -> None:
    """The format-2 stamp's text rewritten, in one cell, with change(content) applied: in the
    form the tool writes, or (by_hand) as a person would type it (Vietnamese as it is, spaces
    after separators)."""
    content = stamp_content(wb)
    change(content)
    ws = wb[layout.STAMP_SHEET]
    for r in range(stamp.DATA_ROW, ws.max_row + 1):
        ws.cell(row=r, column=2).value = None
    text = (json.dumps(content, ensure_ascii=False) if by_hand else json.dumps(
        content, ensure_ascii=True, separators=(",", ":")).replace("_", "\\u005f"))
    ws.cell(row=stamp.DATA_ROW, column=2).value = text

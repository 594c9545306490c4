"""Hypothesis round trip: random valid edits by officers -> consolidate -> the master holds
exactly those edits and the change log lists exactly them."""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import pytest
from cycle import FILES, O, as_typed, load, log_rows, make_cycle, officer_rows, plan_values
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cchc_xl import layout
from cchc_xl.cycle.consolidate import InboxUnusable, consolidate
from cchc_xl.cycle.officer_input import normalise
from cchc_xl.files.cells import put

# Rows led by exactly one role in the seed: (officer file key, code, maximum points).
LEAD_ROWS = [("VP", "1.2", 1.5), ("VH", "1.6", 1.0), ("TP", "2.5", 1.0), ("VP", "3.2.1", 1.0),
             ("TP", "3.2.3", 1.0), ("VP", "4.2", 3.0), ("VP", "4.3", 3.0),
             ("VH", "7.1.6", 0.5), ("VH", "7.1.7", 0.5), ("VP", "7.2.4", 1.5),
             ("VP", "7.2.5", 1.0)]
TEXT = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
               min_size=1, max_size=30).map(lambda s: unicodedata.normalize(
                   "NFD" if len(s) % 2 else "NFC", s))


def edits_for(max_points: float):
    return st.fixed_dictionaries({}, optional={
        "status": st.sampled_from(layout.STATUSES),
        "progress": st.integers(0, 100),
        "result": TEXT,
        "expected": st.integers(0, int(max_points * 20)).map(lambda n: n / 20),
        "obstacles": TEXT,
    })


EDITS = st.fixed_dictionaries({}, optional={
    code: edits_for(mx) for _, code, mx in LEAD_ROWS})


@pytest.fixture(scope="module")
def issued(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("cycle")
    make_cycle(base)
    return base


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(edits=EDITS)
@example(edits={"1.2": {"status": layout.STATUS_DONE, "progress": 1}, "4.2": {"progress": 0}})
def test_edits_round_trip(issued, tmp_path_factory, edits):
    work = tmp_path_factory.mktemp("run")
    shutil.copytree(issued, work, dirs_exist_ok=True)
    master = work / "so" / "ke_hoach_cchc_2021.xlsx"
    inbox, outbox = work / "nhan", work / "phieu"
    by_file: dict[str, dict] = {}
    for key, code, _ in LEAD_ROWS:
        if code in edits:
            by_file.setdefault(key, {})[code] = edits[code]
    for key, rows in by_file.items():
        wb = load(outbox / FILES[key])
        ws = wb[O.name]
        where = officer_rows(ws)
        for code, fields in rows.items():
            for field, value in fields.items():
                put(ws.cell(row=where[code], column=O.index(field)), as_typed(field, value))
        wb.save(inbox / f"{key}.xlsx")
    before = {f: plan_values(master, f) for f in layout.REPORT_FIELDS}
    log_before = len(log_rows(master))
    if not by_file:  # nothing sent back: refused, and nothing written
        unchanged = master.read_bytes()
        with pytest.raises(InboxUnusable):
            consolidate(master, inbox, now=dt.datetime(2021, 6, 1, 9, 0))
        assert master.read_bytes() == unchanged
        return
    report = consolidate(master, inbox, now=dt.datetime(2021, 6, 1, 9, 0),
                         as_of=dt.date(2021, 6, 1))
    expected = []
    for _, code, mx in LEAD_ROWS:
        for field, raw in edits.get(code, {}).items():
            value = normalise(field, raw, max_points=mx)
            old = before[field][code]
            if value != old and not (value is None and old is None):
                expected.append((code, field, value))
    got = [(c.code, c.field, c.new) for c in report.changes]
    assert sorted(got, key=str) == sorted(expected, key=str)
    # a done row at 1 % or less is applied, and warned (the officer may have meant 100 %)
    tiny = sorted(code for _, code, _ in LEAD_ROWS if edits.get(code, {}).get("status") ==
                  layout.STATUS_DONE and edits.get(code, {}).get("progress") is not None
                  and edits[code]["progress"] <= 1)
    assert sorted(p.params["code"] for p in report.problems if p.severity != "info") == tiny
    assert {p.code for p in report.problems if p.severity != "info"} <= {
        "progress-tiny-when-done"}
    after = {f: plan_values(master, f) for f in layout.REPORT_FIELDS}
    changed = {(code, field): value for code, field, value in expected}
    for field in layout.REPORT_FIELDS:
        for code, old in before[field].items():
            want = changed.get((code, field), old)
            if isinstance(want, float):
                assert after[field][code] == pytest.approx(want), (code, field)
            else:
                assert after[field][code] == want, (code, field)
    logged = [(r[3], r[4], r[6]) for r in log_rows(master)[log_before:]
              if r[0] == layout.LOG_APPLIED]
    labels = {c.key: c.label for c in layout.PLAN.columns}
    assert sorted(logged, key=str) == sorted(
        [(code, labels[field], value) for code, field, value in expected], key=str)

"""The DataFrame API (cchc_xl/outputs/frames.py) on the demo's master after its consolidation."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc_xl import layout
from cchc_xl.cycle.demo import run_demo
from cchc_xl.outputs.frames import log_frame, officers_frame, plan_frame


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo"), cycle=True).master


def test_plan_frame_holds_every_plan_row_typed(master):
    plan = plan_frame(master)
    assert list(plan.index) == ["1", "1.2", "1.6", "1.7", "2", "2.5", "3", "3.2", "3.2.1",
                                "3.2.3", "4", "4.2", "4.3", "7", "7.1", "7.1.6", "7.1.7", "7.2",
                                "7.2.4", "7.2.5"]
    assert list(plan.columns) == [c.key for c in layout.PLAN.columns][1:]
    assert plan.loc["1", ["max_points", "appraised", "lost", "projected"]].tolist() == \
        pytest.approx([9, 7.95, 1.05, 8.25])
    assert plan.loc["1.2", ["status", "progress", "projected", "lead"]].tolist() == [
        "Hoàn thành", 100.0, 1.5, "Văn phòng"]
    row = plan.loc["1.7"]
    assert (row.status, row.progress, row.expected, row.deadline) == (
        "Chưa thực hiện", 23.33, 1.0, pd.Timestamp(2021, 12, 31))
    assert plan.loc["1", "status"] == "" and pd.isna(plan.loc["1", "progress"])
    assert plan["status"].value_counts().to_dict() == {
        "Chưa thực hiện": 5, "": 8, "Hoàn thành": 4, "Đang thực hiện": 3}
    assert plan["lost"].dtype == "float64" and plan["deadline"].dtype.kind == "M"
    assert plan.loc[plan.status == "Hoàn thành", "projected"].sum() == pytest.approx(4.25)


def test_log_frame_holds_the_consolidation(master):
    log = log_frame(master)
    assert list(log.columns) == [c.key for c in layout.CHANGELOG.columns]
    assert len(log) == 32
    assert log["kind"].value_counts().to_dict() == {
        "Cập nhật": 20, "Báo cáo cán bộ": 7, "Từ chối": 3, "Tạo phiếu": 1,
        "Ý kiến phối hợp": 1}
    first = log.iloc[1]
    assert (first.when, first.officer, first.code, first.field_key, first.old, first.new) == (
        pd.Timestamp(2021, 7, 2, 16, 30), "Chỉ huy trưởng Quân sự", "1.7", "status", "",
        "Đang thực hiện")


def test_officers_frame_is_the_roster(master):
    officers = officers_frame(master)
    assert officers["role"].tolist()[:2] == ["Văn phòng – Thống kê", "Tư pháp – Hộ tịch"]
    assert len(officers) == 6
    assert officers.loc[3, ["person", "email"]].tolist() == [
        "Phạm Thị Dung (ví dụ)", "taichinh@songiang.example"]


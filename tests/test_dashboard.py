"""The chairman's dashboard on the summary sheet: its figures against standing.py after a real
LibreOffice recalculation, rewritten on every writing run as of that run's date, and the sheet
printed by LibreOffice: A4 landscape, the dashboard alone on page 1, legible, nothing past the
margin, no helper table."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cycle import load

from cchc_xl import layout
from cchc_xl.cycle.consolidate import rescore
from cchc_xl.cycle.demo import run_demo
from cchc_xl.files.open_save import save
from cchc_xl.master import dashboard
from cchc_xl.master.reading import read_master
from cchc_xl.master.standing import officer_statuses, read_scores

S = layout.SUMMARY
AS_OF = dt.date(2022, 1, 5)  # every time frame of the demo ends 31/12/2021
NOW = dt.datetime(2022, 1, 5, 9, 0)
LATE = [
    "Văn phòng – Thống kê (Nguyễn Thị Lan (ví dụ)): 5 dòng quá hạn (1.7, 3.2.1, 4.2, 4.3, "
    "7.2.5).",
    "Tư pháp – Hộ tịch (Trần Văn Bình (ví dụ)): 2 dòng quá hạn (1.7, 3.2.3).",
    "Địa chính – Xây dựng (Lê Văn Cường (ví dụ)): 1 dòng quá hạn (1.7).",
    "Tài chính – Kế toán (Phạm Thị Dung (ví dụ)): chưa gửi lại phiếu Đợt 1; 1 dòng quá hạn "
    "(1.7).",
    "Văn hóa – Xã hội (Hoàng Văn Em (ví dụ)): 3 dòng quá hạn (1.6, 1.7, 7.1.7).",
    "Chỉ huy trưởng Quân sự (Võ Văn Giang (ví dụ)): 1 dòng quá hạn (1.7).",
]
A4_LANDSCAPE = (841.89, 595.3)
RIGHT_MARGIN_PT = 15 / 25.4 * 72  # NĐ 30/2020, as styles.print_setup sets it


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo's consolidated master, scored again as of 05/01/2022 (rows overdue)."""
    master = run_demo(tmp_path_factory.mktemp("demo"), cycle=True).master
    rescore(master, as_of=AS_OF, now=NOW)
    return master


@pytest.fixture
def master(demo, tmp_path) -> Path:
    copy = tmp_path / demo.name
    shutil.copyfile(demo, copy)
    return copy


def cells(ws) -> dict[str, int]:
    """Where the dashboard's parts are, found by their labels (never hard-coded)."""
    c0 = dashboard.DASHBOARD_COLUMN
    found = {}
    for r in range(1, ws.max_row + 1):
        value = ws.cell(row=r, column=c0).value
        if value == layout.DASHBOARD_FIGURES[0][1]:
            found["figures"] = r + 1
        elif isinstance(value, str) and value.startswith("Số dòng hoàn thành"):
            found["states"] = r + 1
        elif value == layout.DASHBOARD_LATE_TITLE:
            found["late"] = r + 1
        elif isinstance(value, str) and value.startswith("TÌNH HÌNH THỰC HIỆN"):
            found["top"] = r
    return found


def figures(ws, row: int) -> list:
    return [ws.cell(row=row, column=first).value for first, _ in dashboard.tiles()]


def late_lines(ws, row: int) -> list[str]:
    out = []
    while isinstance(ws.cell(row=row, column=dashboard.DASHBOARD_COLUMN).value, str):
        out.append(ws.cell(row=row, column=dashboard.DASHBOARD_COLUMN).value)
        row += 1
    return out


# --- what it says ------------------------------------------------------------------------------

def test_the_dashboard_as_written(master):
    wb = load(master)
    ws = wb[S.name]
    at = cells(ws)
    whole = S.first_row + len(read_scores(wb)) - 1
    assert at["top"] == whole + 3
    assert ws.cell(row=at["top"], column=dashboard.DASHBOARD_COLUMN).value == (
        "TÌNH HÌNH THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH – UBND XÃ SƠN GIANG")
    assert ws.cell(row=at["top"] + 1, column=dashboard.DASHBOARD_COLUMN).value == (
        "Số liệu tính đến ngày 05/01/2022 (cập nhật lúc 09:00 ngày 05/01/2022).")
    # live formulas over the score table's whole-index row, wherever its columns are
    assert figures(ws, at["figures"]) == [
        f"={S.letter(k)}{whole}" for k in ("index", "rating", "projected_index",
                                            "projected_rating", "lost")]
    # values as of the run's date
    assert figures(ws, at["states"]) == [4, 0, 0, 8, 6]
    assert late_lines(ws, at["late"]) == LATE
    # the score table again after it, as formulas over it
    header = int(ws.print_title_rows.split(":")[0].strip("$"))
    c0 = dashboard.DASHBOARD_COLUMN
    assert [ws.cell(row=header, column=c0 + i).value for i in range(len(S.columns))] == [
        c.label for c in S.columns]
    assert ws.cell(row=header + 1, column=c0 + 1).value == f"={S.letter('title')}{S.first_row}"
    assert ws.cell(row=2, column=1).value == (
        f"Bảng tóm tắt cho lãnh đạo (trang in đầu tiên của sheet này): ô Z{at['top']} →")
    assert ws.cell(row=2, column=1).hyperlink.location == f"'{S.name}'!Z{at['top']}"


def test_figures_after_libreoffice_equal_the_tools_scores(soffice, master, tmp_path):
    from cchc_xl.excel.control import row_states
    from cchc_xl.files.libreoffice import recalculate
    from cchc_xl.master.check import validate

    wb = load(master)
    whole = read_scores(wb)[-1]
    at = cells(wb[S.name])
    (recalculated,) = recalculate([master], tmp_path / "lo")
    ws = _values(recalculated)
    assert figures(ws, at["figures"]) == [whole.index, whole.rating, whole.projected_index,
                                          whole.projected_rating, whole.lost]
    assert figures(ws, at["figures"]) == [91.55, "Xuất sắc", 93.35, "Xuất sắc", 8.45]
    counts = row_states(master, AS_OF)
    officers = officer_statuses(read_master(wb), AS_OF)
    assert figures(ws, at["states"])[:4] == [counts[k] for k in (
        "done", "in_progress", "not_started", "overdue")]
    assert sum(o.counts[layout.STATUS_OVERDUE] > 0 for o in officers) == 6
    # and every formula of the master (the dashboard's among them) as LibreOffice computes it
    assert [p.code for p in validate(master, recalc=True).problems
            if p.code.startswith("recalc")] == []


def _values(path: Path):
    import openpyxl

    return openpyxl.load_workbook(path, data_only=True)[S.name]


def test_rewritten_on_each_run_as_of_its_date(master):
    from cchc_xl.outputs.progress_report import write_progress_report

    before = dt.date(2021, 6, 30)
    rescore(master, as_of=before, now=NOW)
    ws = load(master)[S.name]
    at = cells(ws)
    assert ws.cell(row=at["top"] + 1, column=dashboard.DASHBOARD_COLUMN).value.startswith(
        "Số liệu tính đến ngày 30/06/2021 ")
    assert figures(ws, at["states"]) == [4, 3, 5, 0, 1]
    # fewer lines than before: nothing stale is left below them
    assert late_lines(ws, at["late"]) == [
        "Tài chính – Kế toán (Phạm Thị Dung (ví dụ)): chưa gửi lại phiếu Đợt 1."]
    write_progress_report(master, as_of=AS_OF, now=NOW)
    ws = load(master)[S.name]
    assert late_lines(ws, cells(ws)["late"]) == LATE
    assert len(ws._charts) == 2 and len(ws.merged_cells.ranges) == len(
        load(master)[S.name].merged_cells.ranges)


def test_a_master_without_one_gets_it_on_the_next_run(master):
    wb = load(master)
    ws = wb[S.name]
    for merged in list(ws.merged_cells.ranges):
        if merged.min_col >= dashboard.DASHBOARD_COLUMN:
            ws.unmerge_cells(str(merged))
    for r in range(1, ws.max_row + 1):
        for c in dashboard.columns():
            ws.cell(row=r, column=c).value = None
    ws.print_area = f"A1:J{ws.max_row}"
    save(wb, master, backup=False)
    assert not dashboard.present(load(master)[S.name])
    rescore(master, as_of=AS_OF, now=NOW)  # (same date: nothing else to change)
    ws = load(master)[S.name]
    assert dashboard.present(ws) and late_lines(ws, cells(ws)["late"]) == LATE


def test_written_again_when_the_score_table_moved(master):
    """validate --fix rewrites the summary's rows when areas come or go; the dashboard's
    formulas point at the old whole-index row until the next run writes it again."""
    wb = load(master)
    ws = wb[S.name]
    assert dashboard.present(ws)
    whole = S.first_row + len(read_scores(wb)) - 1
    ws.cell(row=whole + 1, column=S.index("title"), value=layout.SUMMARY_WHOLE_LABEL)
    ws.cell(row=whole, column=S.index("title")).value = None
    assert not dashboard.present(ws)


def test_nobody_late(tmp_path):
    master = run_demo(tmp_path / "d").master
    rescore(master, as_of=dt.date(2021, 4, 1), now=NOW)
    ws = load(master)[S.name]
    at = cells(ws)
    assert figures(ws, at["states"]) == [0, 0, 12, 0, 0]
    assert late_lines(ws, at["late"]) == ["Không có cán bộ nào chậm."]


def test_positions_come_from_the_layout():
    from cchc_xl.master.standing import OFFICER_HEADER, OFFICER_TABLE_COLUMN

    assert dashboard.CHART_DATA_COLUMN == OFFICER_TABLE_COLUMN + len(OFFICER_HEADER) + 1
    assert dashboard.DASHBOARD_COLUMN == dashboard.CHART_DATA_COLUMN + len(
        layout.CHART_DATA_HEADER) + 1
    assert len(dashboard.columns()) == len(S.columns)
    assert dashboard.tiles()[-1][1] == dashboard.columns()[-1]


# --- printed -------------------------------------------------------------------------------------

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"([^<]*)</word>")


@pytest.fixture(scope="module")
def printed(demo, tmp_path_factory) -> Path:
    """The summary sheet alone printed by LibreOffice: the master recalculated by it, every
    other sheet removed (values kept), then converted to PDF."""
    import openpyxl

    from cchc_xl.files.libreoffice import convert, find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice not found")
    out = tmp_path_factory.mktemp("printed")
    (recalculated,) = convert([demo], out / "lo", "xlsx")
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    for name in wb.sheetnames:
        if name != S.name:
            del wb[name]
    alone = out / "tong-hop.xlsx"
    wb.save(alone)
    (pdf,) = convert([alone], out, "pdf", recalc=False)
    return pdf


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    html = _run("pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-")
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(html)]


def _text(pdf: Path, page: int) -> str:
    return " ".join(_run("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-").split())


def test_printed_dashboard_is_page_one_of_a4_landscape(printed):
    info = _run("pdfinfo", str(printed))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info)
    assert size and (float(size[1]), float(size[2])) == pytest.approx(A4_LANDSCAPE, abs=0.5)
    assert re.search(r"Pages:\s+3\n", info)  # the dashboard, the areas' chart, the table
    page1 = _text(printed, 1)
    for text in ("TÌNH HÌNH THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH – UBND XÃ SƠN GIANG",
                 "Số liệu tính đến ngày 05/01/2022", "Chỉ số CCHC hiện tại (%)",
                 "91.55 %", "93.35 %", "Xuất sắc", "8.45", "Số dòng quá hạn",
                 "Cán bộ chậm", layout.CHART_STATUS_TITLE, *(" ".join(t.split()) for t in LATE)):
        assert text in page1, text
    page2 = _text(printed, 2)
    assert layout.CHART_LOST_TITLE in page2 and "Nguyễn Thị Lan (ví dụ)" in page2
    page3 = _text(printed, 3)
    assert page3.startswith("3 TỔNG HỢP ĐIỂM CHỈ SỐ CCHC – UBND XÃ SƠN GIANG STT Lĩnh vực")
    assert "Điểm chuẩn" in page3 and "Toàn bộ Chỉ số" in page3
    assert "Điểm chuẩn" not in page1  # (the table's header is not repeated above it)


def test_printed_dashboard_is_legible_and_within_the_margins(printed):
    words = _words(printed, 1)
    heights = [y1 - y0 for _, y0, _, y1, _ in words]
    assert min(heights) >= 10  # every text on the chairman's page, at 100 %
    assert max(x1 for _, _, x1, _, _ in words) <= A4_LANDSCAPE[0] - RIGHT_MARGIN_PT + 1
    # the figures stand out: the index at least twice the body text
    index = next(y1 - y0 for _, y0, _, y1, w in words if w == "91.55")
    assert index >= 2 * min(heights)


def test_helper_tables_are_not_printed(printed):
    text = " ".join(_text(printed, p) for p in (1, 2, 3))
    assert layout.CHART_DATA_TITLE not in text  # the charts' data
    # the score table and the officers' table themselves: their copies print, once each
    assert text.count("TỔNG HỢP ĐIỂM CHỈ SỐ CCHC – UBND XÃ SƠN GIANG") == 1
    assert "Tiến độ theo cán bộ (tính đến" not in text
    assert "Tiến độ theo cán bộ (số dòng chủ trì theo trạng thái, tính đến 05/01/2022)" in \
        _text(printed, 2)

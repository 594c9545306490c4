"""`cchc-xl report`: native charts on the summary sheet and the Word/PDF progress report."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl.utils import get_column_letter

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.demo import run_demo
from cchc_xl.files.formula_eval import WorkbookEvaluator
from cchc_xl.files.open_save import load
from cchc_xl.master.charts import chart_title
from cchc_xl.master.dashboard import CHART_DATA_COLUMN
from cchc_xl.master.reading import read_master
from cchc_xl.master.standing import (
    OFFICER_HEADER,
    OFFICER_TABLE_COLUMN,
    officer_statuses,
    read_scores,
)
from cchc_xl.outputs.progress_report import write_progress_report
from cchc_xl.text import printed_number

S = layout.SUMMARY
AFTER_DEADLINES = dt.date(2022, 1, 15)  # every time frame of the demo ends 31/12/2021
OVERDUE = ["1.6", "1.7", "3.2.1", "3.2.3", "4.2", "4.3", "7.1.7", "7.2.5"]
TITLES = [layout.CHART_LOST_TITLE, layout.CHART_STATUS_TITLE]
MM = 36000


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_demo(tmp_path_factory.mktemp("demo"), cycle=True).master


@pytest.fixture()
def master(demo_master: Path, tmp_path: Path) -> Path:
    """A fresh copy of the consolidated demo master (the report writes into it)."""
    copy = tmp_path / demo_master.name
    shutil.copyfile(demo_master, copy)
    return copy


@pytest.fixture()
def no_soffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """LibreOffice unavailable: fast runs, charts stay in the master only."""
    monkeypatch.setenv("CCHC_SOFFICE", str(tmp_path / "no-soffice"))


def _tables(path: Path) -> list[list[list[str]]]:
    """The report's data tables (not the borderless heading and signature blocks, NĐ 30)."""
    return [[[c.text for c in row.cells] for row in table.rows]
            for table in docx.Document(str(path)).tables[1:-1]]


def _charts(path: Path) -> list[str]:
    return [chart_title(c) for c in load(path)[S.name]._charts]


def test_report_tables_hold_the_masters_figures(master: Path, no_soffice) -> None:
    result = write_progress_report(master, as_of=AFTER_DEADLINES,
                                   now=dt.datetime(2022, 1, 15, 9, 0))
    assert result.docx == master.with_name("ke_hoach_cchc_2021_bao-cao-tien-do_20220115.docx")
    wb = load(master)
    scores = read_scores(wb)
    officers = officer_statuses(read_master(wb), AFTER_DEADLINES)
    scores_table, officer_table, findings_table, overdue_table = _tables(result.docx)
    assert scores_table[0] == [S.column(k).label for k in (
        "code", "title", "max_points", "appraised", "lost", "projected", "index",
        "projected_index", "rating", "projected_rating")]
    assert [row[:9] for row in scores_table[1:]] == [
        [s.code, s.title, *(printed_number(getattr(s, k)) for k in (
            "max_points", "appraised", "lost", "projected", "index", "projected_index")),
         s.rating] for s in scores]
    # numbers as Vietnamese paper writes them
    assert scores_table[-1][:5] == ["", layout.SUMMARY_WHOLE_LABEL, "100", "91,55", "8,45"]
    assert scores_table[1] == ["1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "9", "7,95", "1,05",
                               "8,25", "88,33", "91,67", "Tốt", "Xuất sắc"]
    assert officer_table[0] == list(OFFICER_HEADER)
    assert officer_table[1:] == [[o.role, o.person, str(o.rows), *map(str, o.counts.values())]
                                 for o in officers]
    assert officer_table[1] == ["Văn phòng – Thống kê", "Nguyễn Thị Lan (ví dụ)", "7", "0", "0",
                                "2", "5"]
    # what the officers reported: their results and obstacles, row by row
    assert findings_table[0] == list(layout.REPORT_FINDINGS_HEADER)
    assert findings_table[1] == [
        "1.2", "Mức độ hoàn thành kế hoạch CCHC :  được đánh giá trên 7 nội dung, lĩnh vực CCHC "
        "đạt 85%", "Nguyễn Thị Lan (ví dụ) (Văn phòng – Thống kê, Chủ trì)", "Hoàn thành",
        "Đã ban hành QĐ phân công nhiệm vụ CCHC số 45/QĐ-UBND", ""]
    assert [row[0] for row in findings_table[1:]] == [f.code for f in result.findings]
    assert any(row[5] == "Một số TTHC liên thông chưa có trên hệ thống"
               for row in findings_table[1:])
    assert [row[0] for row in overdue_table[1:]] == OVERDUE
    assert overdue_table[1] == ["1.6", "Công tác tuyên truyền CCHC: Mức độ hoàn thành 90% kế "
                                "hoạch;", "Văn hóa - XH", "Hoàng Văn Em (ví dụ)", "31/12/2021",
                                "Quá hạn – Đang thực hiện", "60"]
    assert [o.code for o in result.overdue] == OVERDUE


def test_nothing_overdue_before_the_deadlines(master: Path, no_soffice) -> None:
    result = write_progress_report(master, as_of=dt.date(2021, 6, 30))
    assert result.overdue == []
    document = docx.Document(str(result.docx))
    assert len(_tables(result.docx)) == 3  # scores, officers, their results: no overdue table
    texts = [p.text for p in document.paragraphs]
    assert layout.REPORT_NO_OVERDUE in texts
    assert "(Số liệu tính đến ngày 30/06/2021)" in texts


def test_report_document_form(master: Path, no_soffice) -> None:
    result = write_progress_report(master, as_of=AFTER_DEADLINES,
                                   now=dt.datetime(2022, 1, 15, 9, 0))
    document = docx.Document(str(result.docx))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width / MM), round(section.page_height / MM)) == (297, 210)
    assert [round(m / MM) for m in (section.top_margin, section.bottom_margin,
                                    section.left_margin, section.right_margin)] == [20, 20, 30, 15]
    fonts = {f.get(qn("w:ascii")) for f in document.element.body.iter(qn("w:rFonts"))}
    assert fonts == {"Times New Roman"}
    # the form of Nghị định 30/2020: issuing body and number beside the national heading,
    # place and date, title, opening, ..., recipients beside the signature block
    heading, signature = document.tables[0], document.tables[-1]
    assert [[p.text for p in cell.paragraphs] for cell in heading.rows[0].cells] == [
        ["ỦY BAN NHÂN DÂN", "XÃ SƠN GIANG", "———", "Số:        /BC-UBND"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "—————————————",
         "Sơn Giang, ngày 15 tháng 01 năm 2022"]]
    assert [p.text for p in document.paragraphs[:4]] == [
        "BÁO CÁO", "Tiến độ thực hiện Kế hoạch cải cách hành chính năm 2021",
        "(Số liệu tính đến ngày 15/01/2022)",
        "Thực hiện Kế hoạch số 18/KH-UBND ngày 19 tháng 3 năm 2021 của UBND xã Sơn Giang, Ủy "
        "ban nhân dân xã Sơn Giang báo cáo tiến độ thực hiện như sau:"]
    assert "Kèm theo" not in "\n".join(p.text for p in document.paragraphs)
    assert [[p.text for p in cell.paragraphs] for cell in signature.rows[0].cells] == [
        ["Nơi nhận:", "- UBND tỉnh (Sở Nội vụ);", "- TT Đảng ủy, TT HĐND xã;", "- Lưu: VT."],
        ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", ""]]


def test_two_runs_leave_exactly_two_charts(master: Path, no_soffice) -> None:
    assert _charts(master) == TITLES  # (the consolidation drew them with its dashboard)
    first = write_progress_report(master, as_of=AFTER_DEADLINES)
    second = write_progress_report(master, as_of=AFTER_DEADLINES)
    assert first.charts_added == second.charts_added == 2
    assert second.backup is not None and second.backup.is_file()
    assert _charts(master) == TITLES
    with zipfile.ZipFile(master) as zf:
        charts = sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))
    assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]

# The chart data (dashboard.CHART_DATA_COLUMN, three columns) and the officer table
# (its first officer's first state count), beside the summary's score table.
CHART_DATA_LETTERS = [get_column_letter(CHART_DATA_COLUMN + i) for i in range(3)]
T, U, V = CHART_DATA_LETTERS
OFFICER_LETTERS = [get_column_letter(OFFICER_TABLE_COLUMN + i) for i in range(len(OFFICER_HEADER))]
FIRST_STATE_CELL = f"{OFFICER_LETTERS[OFFICER_HEADER.index(layout.STATUSES[0])]}{S.first_row}"


def test_chart_data_is_live_and_charts_point_at_it(master: Path, no_soffice) -> None:
    write_progress_report(master, as_of=AFTER_DEADLINES)
    wb = load(master)
    ws = wb[S.name]
    evaluator = WorkbookEvaluator(wb)
    scores = [s for s in read_scores(wb) if s.code]
    data = [[evaluator.value(S.name, f"{col}{S.first_row + i}") for col in CHART_DATA_LETTERS]
            for i in range(len(scores))]
    assert [[label, round(lost, 6), round(back, 6)] for label, lost, back in data] == [
        [f"{s.code}. {s.title}", round(s.lost, 6), round(s.projected - s.appraised, 6)]
        for s in scores]
    assert ws[f"{T}4"].value == '=A4&". "&B4' and ws[f"{V}8"].value == "=H8-D8"
    lost, status = ws._charts
    assert [s.val.numRef.f for s in lost.series] == [f"'Tổng hợp'!${U}$4:${U}$8",
                                                     f"'Tổng hợp'!${V}$4:${V}$8"]
    assert lost.series[0].cat.strRef.f == f"'Tổng hợp'!${T}$4:${T}$8"
    assert [s.tx.strRef.f for s in status.series] == [f"'Tổng hợp'!${c}$3"
                                                      for c in OFFICER_LETTERS[3:]]
    assert status.series[0].cat.strRef.f == f"'Tổng hợp'!${OFFICER_LETTERS[0]}$4:$" \
        f"{OFFICER_LETTERS[0]}$9"
    assert status.grouping == "stacked" and lost.grouping == "clustered"
    # In the dashboard's print area (Z:AI): the officers' chart on its first page beside the
    # late officers (column AB), the areas' chart at the top of the next page (column Z).
    from cchc_xl.master.dashboard import DASHBOARD_COLUMN

    anchors = [(c.anchor._from.col + 1, c.anchor._from.row + 1) for c in ws._charts]
    top = S.first_row + len(read_scores(wb)) + 2
    assert DASHBOARD_COLUMN == 26 and anchors[1] == (28, top + 9)
    assert anchors[0][0] == 26 and [b.id + 1 for b in ws.row_breaks.brk][0] == anchors[0][1]


def test_charts_survive_a_consolidation(tmp_path: Path, no_soffice) -> None:
    from cchc_xl.cycle.demo import ISSUED_AT, simulate_returns
    from cchc_xl.cycle.fill import fill

    master = run_demo(tmp_path / "so").master
    issued = fill(master, tmp_path / "gui", round_name="Đợt 1", now=ISSUED_AT)
    simulate_returns({f.role: f.path for f in issued.files}, tmp_path / "nhan")
    write_progress_report(master, as_of=dt.date(2021, 6, 30))
    before = load(master)[S.name][FIRST_STATE_CELL].value
    result = CliRunner().invoke(cli, ["consolidate", str(master), str(tmp_path / "nhan"),
                                      "--as-of", "30/06/2021"])
    assert result.exit_code in (0, 1), result.output
    assert load(master)[S.name][FIRST_STATE_CELL].value != before  # consolidation rewrote it
    assert _charts(master) == TITLES
    with zipfile.ZipFile(master) as zf:
        assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= set(zf.namelist())


def test_without_libreoffice_the_report_says_where_the_charts_are(master: Path,
                                                                   no_soffice) -> None:
    result = write_progress_report(master, as_of=AFTER_DEADLINES)
    assert [n.code for n in result.notes] == ["chart-images-unavailable"]
    document = docx.Document(str(result.docx))
    assert len(document.inline_shapes) == 0
    assert any("xem hai biểu đồ trong sheet «Tổng hợp»" in p.text for p in document.paragraphs)


def test_cli_report(master: Path, no_soffice) -> None:
    result = CliRunner().invoke(cli, ["report", str(master), "--as-of", "15/01/2022"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Đã vẽ 2 biểu đồ vào sheet «Tổng hợp» của sổ; bản sao lưu: ")
    # the plan is coloured as of the report's date too, and says so
    assert lines[1] == "Sổ được tô màu và ghi ngày theo ngày 15/01/2022 (đổi màu 8 dòng)."
    docx_path = master.with_name("ke_hoach_cchc_2021_bao-cao-tien-do_20220115.docx")
    assert lines[2] == f"Báo cáo Word: {docx_path}"
    assert lines[3] == "Nội dung quá hạn (tính đến ngày 15/01/2022): 8"
    assert [line.split()[0] for line in lines[4:12]] == OVERDUE


def test_cli_report_json(master: Path, no_soffice, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao"
    result = CliRunner().invoke(cli, ["report", str(master), "--as-of", "2022-01-15", "--json",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["docx"] == str(out / "ke_hoach_cchc_2021_bao-cao-tien-do_20220115.docx")
    assert data["charts_added"] == 2 and data["as_of"] == "2022-01-15"
    assert [o["code"] for o in data["overdue"]] == OVERDUE
    assert [s["code"] for s in data["scores"]] == ["1", "2", "3", "4", "7", "", ""]
    assert [n["code"] for n in data["notes"]] == ["chart-images-unavailable"]


def test_cli_report_missing_master(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "khong-co.xlsx")])
    assert result.exit_code == 2
    assert "Không đọc được" in result.output and "Traceback" not in result.output


# --- drawn by LibreOffice ----------------------------------------------------------------

def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, timeout=180, check=True).stdout


def _flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


@pytest.mark.libreoffice
def test_report_pdf_with_chart_images(soffice: str, master: Path) -> None:
    result = write_progress_report(master, as_of=AFTER_DEADLINES, pdf=True)
    assert result.notes == []
    assert result.pdf == result.docx.with_suffix(".pdf") and result.pdf.is_file()
    document = docx.Document(str(result.docx))
    assert len(document.inline_shapes) == 2
    widths = {round(shape.width / MM) for shape in document.inline_shapes}
    assert widths == {235}
    info = _run("pdfinfo", str(result.pdf))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (width, height) == (pytest.approx(842, abs=1), pytest.approx(595, abs=1))
    text = _flat(_run("pdftotext", str(result.pdf), "-"))
    for expected in ("BÁO CÁO", "Tiến độ thực hiện Kế hoạch cải cách hành chính năm 2021",
                     "(Số liệu tính đến ngày 15/01/2022)", "4. Các nội dung quá hạn",
                     "Hoàng Văn Em (ví dụ)"):
        assert _flat(expected) in text, expected


@pytest.mark.libreoffice
def test_libreoffice_draws_the_masters_native_charts(soffice: str, master: Path,
                                                     tmp_path: Path) -> None:
    from cchc_xl.files.libreoffice import convert

    write_progress_report(master, as_of=AFTER_DEADLINES)
    (pdf,) = convert([master], tmp_path / "pdf", "pdf")
    text = _flat(_run("pdftotext", str(pdf), "-"))
    for title in TITLES:
        assert _flat(title) in text
    for label in ("1. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "Chỉ huy trưởng Quân sự"):
        assert _flat(label) in text


def test_a_master_without_officers_reports_reports_its_plan_columns(tmp_path: Path,
                                                                     no_soffice) -> None:
    """Results and obstacles typed into the plan by the office (no officer has reported
    through a workbook): the report's body says them, by the row's lead."""
    from cchc_xl.files.open_save import save
    from cchc_xl.outputs.report_document import Finding

    master = run_demo(tmp_path / "demo").master
    wb = load(master)
    ws = wb[layout.PLAN.name]
    row = next(r for r in range(layout.PLAN.first_row, ws.max_row + 1)
               if ws.cell(row=r, column=1).value == "1.2")
    ws.cell(row=row, column=layout.PLAN.index("result"), value="Đã ban hành kế hoạch số 7")
    ws.cell(row=row, column=layout.PLAN.index("obstacles"), value="Thiếu kinh phí")
    save(wb, master, backup=False)
    result = write_progress_report(master, as_of=AFTER_DEADLINES)
    assert [(f.code, f.officer, f.status, f.result, f.obstacles) for f in result.findings] == [
        ("1.2", "Văn phòng", "Quá hạn – Chưa thực hiện", "Đã ban hành kế hoạch số 7",
         "Thiếu kinh phí")]
    assert isinstance(result.findings[0], Finding)
    findings = _tables(result.docx)[2]
    assert findings[1][2:] == ["Văn phòng", "Quá hạn – Chưa thực hiện",
                               "Đã ban hành kế hoạch số 7", "Thiếu kinh phí"]

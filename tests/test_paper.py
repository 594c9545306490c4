"""Paper that can be signed (issue 20): every output printed by LibreOffice, measured on the PDF.

The demo's year after a consolidation, with officers' reports long enough to wrap over many
lines, a second round issued, the appendix exported and the progress report made after the
deadlines (so rows are overdue). Each output is rendered once (module fixture) and its pages
read with poppler (`pdfinfo`, `pdftotext -bbox`): A4, landscape where wide; page counts within
bounds; every printed column's header on every page, at its top; nothing beyond the right
margin; text at a legible size; "Quá hạn" written where a row is overdue; numbers 7,95 on
Word paper; an area's heading never the last row of a page; the report in the form of
Nghị định 30/2020."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from cycle import edit_return

from cchc_xl import layout
from cchc_xl.cycle.consolidate import consolidate
from cchc_xl.cycle.demo import run_demo
from cchc_xl.cycle.fill import fill
from cchc_xl.files import libreoffice as lo
from cchc_xl.files.open_save import load, save
from cchc_xl.files.styles import MARGINS_MM, printed_widths
from cchc_xl.master.plan_print import DOCUMENT_BAND, TRACKING_BAND
from cchc_xl.outputs.export_docx import export_plan_docx
from cchc_xl.outputs.progress_report import write_progress_report

pytestmark = pytest.mark.libreoffice

A4 = (841.89, 595.28)  # points, landscape
MM = 72 / 25.4
RIGHT_EDGE = A4[0] - MARGINS_MM["right"] * MM  # nothing may print right of it
# The height pdftotext gives a word is 1.3 times its font's size: 7.7 pt at the least.
LEGIBLE_HEIGHT = 10.0
AS_OF = dt.date(2022, 1, 15)  # every time frame of the demo ends 31/12/2021
REPORTED_AT = dt.datetime(2021, 12, 20, 9, 0)
TP = "Tư pháp – Hộ tịch"
OFFICER_FILE = "dot-1_tu-phap-ho-tich.xlsx"
LONG_RESULT = ("Đã tổ chức rà soát toàn bộ văn bản quy phạm pháp luật do Hội đồng nhân dân và Ủy "
               "ban nhân dân xã ban hành từ năm 2016 đến nay, lập danh mục văn bản hết hiệu lực, "
               "trình Chủ tịch Ủy ban nhân dân xã công bố theo Quyết định số 112/QĐ-UBND ngày "
               "15/11/2021; đăng tải trên Trang thông tin điện tử của xã và niêm yết tại trụ sở.")
LONG_OBSTACLES = ("Phần mềm quản lý văn bản và điều hành của tỉnh thường xuyên gián đoạn; đề nghị "
                  "Văn phòng Ủy ban nhân dân xã bố trí kinh phí nâng cấp đường truyền và tập huấn "
                  "cho công chức chuyên môn trong quý I năm 2022.")
CHAIRMAN = "Nguyễn Văn Chủ (ví dụ)"
REPORT_NUMBER = "25/BC-UBND"


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]
    raw: str = ""  # the page's text in the order it is drawn (a cell's lines together)

    @property
    def text(self) -> str:
        return squash(self.raw)

    def footer(self) -> str:
        """The text in the bottom margin (the sheet's name and 'Trang n/N')."""
        return " ".join(w.text for w in self.words if w.y0 > self.height - 20 * MM)

    def body(self) -> list[Word]:
        """Words between the page number on top and the footer."""
        return [w for w in self.words
                if 14 * MM < w.y0 < self.height - 20 * MM]


def squash(text: str) -> str:
    """NFC without whitespace: a wrapped cell's words come on several lines."""
    return "".join(unicodedata.normalize("NFC", text).split())


def read_pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for size, body in re.findall(r'<page width="([\d.]+" height="[\d.]+)">(.*?)</page>', out,
                                 re.S):
        width, height = (float(v) for v in size.split('" height="'))
        words = [Word(html.unescape(t), *map(float, box)) for *box, t in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            body)]
        pages.append(Page(width, height, words))
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout.split("\f")
    for page, text in zip(pages, raw):
        page.raw = text
    return pages


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def missing(page: Page, labels) -> list[str]:
    return [label for label in labels if squash(label) not in page.text]


def header_top(page: Page, label: str) -> float:
    """The top of the first word of `label` on the page."""
    first = label.split()[0]
    return min(w.y0 for w in page.words if w.text == first)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """The demo's outputs after long reports came back, as the office would print them."""
    if lo.find_soffice() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler-utils render the paper")
    folder = tmp_path_factory.mktemp("paper")
    demo = run_demo(folder / "nam", cycle=True)
    master = demo.master
    inbox = folder / "nhan-2"
    edit_return(demo.outbox / OFFICER_FILE, inbox / OFFICER_FILE, {
        "2.5": {"status": "Hoàn thành", "progress": 100, "expected": 1,
                "result": LONG_RESULT, "obstacles": LONG_OBSTACLES},
        "3.2.3": {"status": "Đang thực hiện", "progress": 60, "result": LONG_RESULT[:180],
                  "obstacles": LONG_OBSTACLES}})
    second = consolidate(master, inbox, now=REPORTED_AT, as_of=REPORTED_AT.date())
    wb = load(master)
    settings = wb[layout.SETTINGS_SHEET]
    for r in range(1, settings.max_row + 1):
        label = settings.cell(row=r, column=1).value
        if label == "Họ và tên người ký báo cáo":
            settings.cell(row=r, column=2).value = CHAIRMAN
        elif label == "Số báo cáo (ví dụ 25/BC-UBND)":
            settings.cell(row=r, column=2).value = REPORT_NUMBER
    save(wb, master, backup=False)
    report = write_progress_report(master, folder / "bao-cao", as_of=AS_OF,
                                   now=dt.datetime(2022, 1, 15, 9, 0))
    appendix = export_plan_docx(master, folder / "phu-luc.docx")
    issued = fill(master, folder / "phieu-2", round_name="Đợt 2",
                  now=dt.datetime(2022, 1, 15, 10, 0))
    officer = next(f.path for f in issued.files if f.role == TP)
    files = {"master": master, "officer": officer, "book": Path(second.report_path),
             "appendix": appendix.docx, "report": report.docx}
    pdfs = lo.convert(list(files.values()), folder / "pdf", "pdf")
    return dict(zip(files, pdfs))


@pytest.fixture(scope="module")
def pages(outputs) -> dict[str, list[Page]]:
    return {kind: read_pages(pdf) for kind, pdf in outputs.items()}


def sheet_pages(pages: list[Page], sheet: str) -> list[Page]:
    """The master's pages of one sheet, told by their footer ('sheet – Trang n/N')."""
    return [p for p in pages if squash(p.footer()).startswith(squash(f"{sheet} – Trang"))]


# --- every output: A4, nothing cut, legible ---------------------------------------------------

@pytest.mark.parametrize("kind", ["master", "officer", "book", "appendix", "report"])
def test_a4_landscape_nothing_beyond_the_margin_and_legible(kind, outputs, pages):
    assert len(pages[kind]) == page_count(outputs[kind])
    for n, page in enumerate(pages[kind], start=1):
        assert (round(page.width), round(page.height)) == (round(A4[0]), round(A4[1])), n
        beyond = [w.text for w in page.words if w.x1 > RIGHT_EDGE + 1]
        assert beyond == [], (kind, n)
        small = [w.text for w in page.words
                 if any(ch.isalnum() for ch in w.text) and w.y1 - w.y0 < LEGIBLE_HEIGHT]
        assert small == [], (kind, n)
        assert "###" not in page.raw, (kind, n)


@pytest.mark.parametrize(("kind", "low", "high"), [
    ("master", 14, 30), ("officer", 2, 10), ("book", 7, 9), ("appendix", 2, 4),
    ("report", 3, 7)])
def test_page_counts(kind, low, high, pages):
    assert low <= len(pages[kind]) <= high


# --- the master's sheets ------------------------------------------------------------------

def band_labels(keys) -> list[str]:
    return [layout.PLAN.column(k).label for k in keys]


def plan_bands(pages: list[Page]) -> tuple[list[Page], list[Page]]:
    """The plan's pages of its first band (the document's columns) and of its second (the
    tracking ones); a page of the second band follows each of the first, but for one that
    holds the legend alone (nothing of the second band's columns: not printed)."""
    plan = sheet_pages(pages, layout.PLAN.name)
    first = [p for p in plan if squash(layout.PLAN.column("action").label) in p.text]
    return first, [p for p in plan if p not in first]


def test_the_plan_prints_every_column_in_two_bands(pages):
    plan = sheet_pages(pages["master"], layout.PLAN.name)
    first, second = plan_bands(pages["master"])
    assert 4 <= len(plan) <= 12 and len(first) - 1 <= len(second) <= len(first)
    document, tracking = band_labels(DOCUMENT_BAND), band_labels(("code", *TRACKING_BAND))
    for i, page in enumerate(plan):
        labels = document if page in first else tracking
        assert missing(page, labels) == [], f"page {i + 1}"
        # the header row heads the page (only the title above it, on the first page)
        top = header_top(page, "STT")
        above = [w.text for w in page.body() if w.y1 < top]
        assert i < 2 or above == [], f"page {i + 1}: {above}"
    # the columns the old print area dropped, and the legend
    whole = squash(" ".join(p.text for p in plan))
    for label in ("Kết quả / minh chứng", "Điểm dự kiến", "Khó khăn, kiến nghị",
                  "Ý kiến phối hợp", "Điểm dự kiến đạt", layout.LEGEND_LABEL):
        assert squash(label) in whole, label
    assert squash(LONG_OBSTACLES) in whole  # wrapped over lines, whole


def codes_down_the_left(page: Page) -> list[tuple[float, str]]:
    """(top, code) of each criterion code printed in the page's first column, top down."""
    left = min(w.x0 for w in page.body())
    return sorted((w.y0, w.text) for w in page.body()
                  if w.x0 < left + 12 and re.fullmatch(r"\d+(\.\d+)*", w.text))


def test_no_area_heading_ends_a_plan_page(pages):
    for band in plan_bands(pages["master"]):
        for i, page in enumerate(band, start=1):
            codes = codes_down_the_left(page)
            assert not codes or "." in codes[-1][1], f"page {i} ends on area {codes[-1][1]}"


def test_overdue_is_written_in_words(pages):
    """On black-and-white paper the pink fill is gone: the status cell says it."""
    tracking = " ".join(p.text for p in plan_bands(pages["master"])[1])
    assert tracking.count(squash("Quá hạn – Chưa thực hiện")) >= 1
    assert squash("Quá hạn – Đang thực hiện") in tracking
    assert squash("Quá hạn – Hoàn thành") not in tracking


@pytest.mark.parametrize("table", [layout.CHANGELOG, layout.ROUNDS, layout.RECEIVED,
                                   layout.REPORTS, layout.PENDING, layout.ROSTER])
def test_a_table_sheet_prints_its_header_on_every_page(table, pages):
    sheet = sheet_pages(pages["master"], table.name)
    assert sheet, table.name
    printed = [c.label for c in table.columns if c.printed][:len(printed_widths(table))]
    for i, page in enumerate(sheet, start=1):
        assert missing(page, printed) == [], (table.name, i)
        top = min(header_top(page, label) for label in printed)
        above = [w.text for w in page.body() if w.y1 < top]
        assert above == [], (table.name, i, above)
    whole = squash(" ".join(p.text for p in sheet))
    if table is layout.REPORTS:  # an officer's long report, whole
        assert squash(LONG_RESULT) in whole and squash(LONG_OBSTACLES) in whole
    if table is layout.ROUNDS:  # both rounds, to the last file issued
        assert squash("dot-2_chi-huy-truong-quan-su.xlsx") in whole


def test_a_file_digest_is_not_printed(pages):
    received = sheet_pages(pages["master"], layout.RECEIVED.name)
    assert squash("Mã tệp (SHA-256)") not in " ".join(p.text for p in received)


# --- the officer's workbook and the report book --------------------------------------------

def test_the_officer_workbook_prints_in_two_bands(pages):
    officer = sheet_pages(pages["officer"], layout.OFFICER.name)
    evidence = sheet_pages(pages["officer"], layout.EVIDENCE_OFFICER.name)
    assert len(officer) + len(evidence) == len(pages["officer"])
    assert len(officer) % 2 == 0 and len(evidence) >= 1
    for i, page in enumerate(evidence):
        assert missing(page, [c.label for c in layout.EVIDENCE_OFFICER.columns]) == [], i
    columns = layout.OFFICER.columns
    at = layout.OFFICER.index("deadline")
    first = [c.label for c in columns[:at]]
    second = [columns[0].label, *(c.label for c in columns[at:])]
    for i, page in enumerate(officer):
        assert missing(page, first if i % 2 == 0 else second) == [], f"page {i + 1}"
    whole = squash(" ".join(p.text for p in officer))
    for text in ("PHIẾU CẬP NHẬT TIẾN ĐỘ", "Hạn gửi lại:", *layout.OFFICER_HELP, LONG_RESULT):
        assert squash(text) in whole, text


def test_the_report_book_prints_each_sheet_whole(pages):
    book = pages["book"]
    assert missing(book[0], ["Điểm thẩm định", "Chỉ số dự kiến (%)", "Xếp loại"]) == []
    assert all(squash("Trang") in squash(p.footer()) for p in book)


# --- Word: the appendix and the progress report ---------------------------------------------

def test_the_appendix_writes_vietnamese_numbers_and_keeps_areas_with_their_rows(pages):
    appendix = pages["appendix"]
    whole = " ".join(p.text for p in appendix)
    assert "7,95" in whole and "1,05" in whole and "7.95" not in whole
    header = [layout.PLAN.column(k).label for k in layout.PLAN_DOCUMENT_KEYS]
    for i, page in enumerate(appendix, start=1):
        assert missing(page, header) == [], f"page {i}"
        codes = codes_down_the_left(page)
        if i < len(appendix):
            assert "." in codes[-1][1], f"page {i} ends on area {codes[-1][1]}"


NĐ30 = ["ỦY BAN NHÂN DÂN", "XÃ SƠN GIANG", f"Số: {REPORT_NUMBER}",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Sơn Giang, ngày 15 tháng 01 năm 2022", "BÁO CÁO",
        "Tiến độ thực hiện Kế hoạch cải cách hành chính năm 2021",
        "Thực hiện Kế hoạch số 18/KH-UBND", "Nơi nhận:", "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", CHAIRMAN]


def test_the_report_has_the_form_of_decree_30(pages):
    report = pages["report"]
    whole = " ".join(p.text for p in report)
    for part in NĐ30:
        assert squash(part) in whole, part
    first = report[0].text
    assert first.index(squash("CỘNG HÒA")) < first.index(squash("BÁO CÁO"))
    last = report[-1].text
    assert last.index(squash("Nơi nhận:")) < last.index(squash(CHAIRMAN))
    assert squash("Kèm theo") not in whole


def test_the_report_holds_the_officers_results_and_obstacles(pages):
    whole = " ".join(p.text for p in pages["report"])
    assert squash(layout.REPORT_FINDINGS) in whole
    assert squash(LONG_RESULT) in whole and squash(LONG_OBSTACLES) in whole
    assert squash("Quá hạn – Đang thực hiện") in whole
    assert "7,95" in whole and "91,55" in whole and "7.95" not in whole


def test_no_report_heading_ends_a_page(outputs, pages):
    headings = [squash(h) for h in (layout.REPORT_SCORES, layout.REPORT_OFFICERS,
                                    layout.REPORT_FINDINGS, layout.REPORT_OVERDUE,
                                    layout.REPORT_CHARTS)]
    listed = subprocess.run(["pdfimages", "-list", str(outputs["report"])],
                            capture_output=True, text=True, check=True).stdout
    pictured = {int(line.split()[0]) for line in listed.splitlines()[2:] if line.strip()}
    for i, page in enumerate(pages["report"], start=1):
        lines: dict[int, list[Word]] = {}
        for w in page.body():
            lines.setdefault(round(w.y0), []).append(w)
        last = squash(" ".join(w.text for w in lines[max(lines)]))
        if i in pictured and last.startswith(squash(layout.REPORT_CHARTS)):
            continue  # (a chart, which has no text, follows its heading on the page)
        assert not any(last.startswith(h[:12]) for h in headings), f"page {i}: {last}"


def test_a_page_that_would_end_on_an_area_heading_ends_before_it():
    """An area's heading that would be the last row to fit on a page starts the next one."""
    from openpyxl import Workbook

    from cchc_xl.files.styles import text_area_pt
    from cchc_xl.master.plan_print import PAGE_FILL, page_breaks

    ws = Workbook().active
    scale = 72
    room = text_area_pt()[1] * 100 / scale * PAGE_FILL
    for r in range(1, layout.PLAN.first_row):
        ws.row_dimensions[r].height = 45 if r == layout.PLAN.header_row else 15
    used = 45 + 15 * (layout.PLAN.header_row - 1)
    tall = (room - used - 30) / 2 - 1  # 1, 1.1, 1.2 and the heading of 2 fit; 2.1 does not
    codes = ["1", "1.1", "1.2", "2", "2.1", "2.2"]
    rows = list(enumerate(codes, start=layout.PLAN.first_row))
    for r, code in rows:
        ws.row_dimensions[r].height = 15 if "." not in code else tall
    total = layout.PLAN.first_row + len(codes)
    breaks = page_breaks(ws, rows, total, scale)
    assert breaks[0] == layout.PLAN.first_row + codes.index("1.2")  # not after «2»
    # the same heights with a criterion in its place: the page ends after it
    rows[3] = (rows[3][0], "1.3")
    assert page_breaks(ws, rows, total, scale)[0] == layout.PLAN.first_row + codes.index("2")


def test_libreoffice_keeps_the_tools_page_breaks(outputs, pages):
    """Each page of the plan's first band ends on the row the tool broke the page after."""
    from cchc_xl.master.reading import read_master

    wb = load(outputs["master"].parent.parent / "nam" / "ke_hoach_cchc_2021.xlsx")
    ws = wb[layout.PLAN.name]
    code_of = {r.row: r.code for r in read_master(wb).rows}
    broken_after = [code_of[b.id] for b in ws.row_breaks.brk if b.id in code_of]
    ends = [codes_down_the_left(page)[-1][1] for page in plan_bands(pages["master"])[0]
            if codes_down_the_left(page)]
    assert broken_after and ends[:len(broken_after)] == broken_after


def test_a_master_built_before_gets_the_print_on_its_next_run(tmp_path):
    """Every run that paints the plan sets the print of the plan and the table sheets again:
    a master built before this print (whole sheets fitted to one page, a digest printed)
    prints as a new one."""
    from cchc_xl.master.reading import read_master
    from cchc_xl.master.status_colours import paint_status

    master = run_demo(tmp_path / "demo").master
    wb = load(master)
    for name in (layout.PLAN.name, layout.RECEIVED.name):
        ws = wb[name]
        ws.print_area = "A1:M25"
        ws.oddFooter.center.text = None
        for letter in ws.column_dimensions:
            ws.column_dimensions[letter].hidden = False
    paint_status(wb[layout.PLAN.name], read_master(wb), AS_OF)
    plan, received = wb[layout.PLAN.name], wb[layout.RECEIVED.name]
    assert plan.print_area == "'Kế hoạch'!$A$1:$T$31"
    assert received.print_area == "'Phiếu đã nhận'!$A$1:$I$1"  # (the demo received nothing)
    assert received.column_dimensions[layout.RECEIVED.letter("digest")].hidden
    assert plan.oddFooter.center.text == received.oddFooter.center.text == "&A – Trang &P/&N"


def test_overdue_words_are_a_format_the_status_stays_the_officers(outputs):
    """The words come from the cell's number format: the value is still the status the
    officer reported, as consolidation, merging and every reader read it."""
    from python_calamine import CalamineWorkbook

    master = outputs["master"].parent.parent / "nam" / "ke_hoach_cchc_2021.xlsx"
    ws = load(master)[layout.PLAN.name]
    status = layout.PLAN.index("status")
    cells = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=status)
             for r in range(layout.PLAN.first_row, ws.max_row + 1)}
    assert (cells["1.6"].value, cells["1.6"].number_format) == (
        "Đang thực hiện", layout.OVERDUE_FORMAT)
    assert (cells["1.2"].value, cells["1.2"].number_format) == (
        "Hoàn thành", layout.STATUS_FORMAT)
    rows = CalamineWorkbook.from_path(str(master)).get_sheet_by_name(
        layout.PLAN.name).to_python()
    values = {row[0]: row[status - 1] for row in rows[layout.PLAN.header_row:] if row[0]}
    assert values["1.6"] == "Đang thực hiện" and values["1.2"] == "Hoàn thành"


def test_every_declared_print_keeps_text_legible():
    """The widths declared for what prints (the plan's two bands, the table sheets, the
    officer's bands, the report book's sheets) fit A4 landscape at no less than MIN_SCALE:
    a column widened in layout.py that would shrink a page's text below it fails here."""
    from cchc_xl.cycle.officer_workbook import print_scale
    from cchc_xl.cycle.report_book import _sheets
    from cchc_xl.files.page import MIN_SCALE, fitted_scale
    from cchc_xl.master.plan_print import plan_scale

    assert plan_scale() >= MIN_SCALE and print_scale() >= MIN_SCALE
    for table in layout.PRINTED_TABLES:
        assert fitted_scale(printed_widths(table)) >= MIN_SCALE, table.name

    class Empty:
        def __getattr__(self, name):
            return []

    for title, _, _, widths in _sheets(Empty(), "vi"):
        assert fitted_scale(widths) >= MIN_SCALE, title

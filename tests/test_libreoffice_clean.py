"""Every workbook the tool writes is LibreOffice-clean: it opens headless without error,
recalculates to the values the tool cached, and prints to A4 landscape pages with the headers
repeated and the Vietnamese text intact. Checked on the demo's outputs after a whole cycle:
the master, the master set up for Excel (control sheet, one button run), an officer workbook
and the consolidation report."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from cchc_xl import layout
from cchc_xl.cycle.demo import run_demo
from cchc_xl.excel.control import run_file
from cchc_xl.excel.setup import excel_setup
from cchc_xl.files import libreoffice as lo
from cchc_xl.files.open_save import load, save

pytestmark = pytest.mark.libreoffice

A4 = (841.89, 595.28)  # points, landscape
OFFICER = "dot-1_tu-phap-ho-tich.xlsx"  # twelve rows: two pages
KNOWN = {  # Vietnamese strings each rendering must show, as typed (NFC)
    "master": ["Cơ quan chủ trì thực hiện", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
               "KẾ HOẠCH KHẮC PHỤC NHỮNG TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
               "của UBND xã Sơn Giang", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC",
               "TỔNG HỢP ĐIỂM CHỈ SỐ CCHC – UBND XÃ SƠN GIANG", "Tư pháp – Hộ tịch"],
    "officer": ["PHIẾU CẬP NHẬT TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2021",
                "Trần Văn Bình (ví dụ)", "Phần việc của đồng chí", "Kết quả / minh chứng",
                "Khó khăn, kiến nghị"],
    "report": ["CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "Xuất sắc", "Tài chính – Kế toán",
               "Phạm Thị Dung (ví dụ)", "tiến độ 150% phải từ 0% đến 100%",
               "Văn phòng – Thống kê", "Nguyễn Thị Lan (ví dụ)"],
}
KNOWN["excel"] = [*KNOWN["master"], layout.CONTROL_TITLE, "KẾT QUẢ LẦN CHẠY GẦN NHẤT",
                  "Xong, có vấn đề cần xem"]
# Every label of the printed plan columns, and of the officer's sheet: each prints in two bands
# (the second repeating the code), one page of each in turn (tests/test_paper.py measures more).
_AT = layout.PLAN.index(layout.PLAN_PRINT_BREAK_AFTER)
PLAN_HEADER = [c.label for c in layout.PLAN.columns]
PLAN_BANDS = (PLAN_HEADER[:_AT], [PLAN_HEADER[0], *PLAN_HEADER[_AT:]])
_OFFICER_AT = layout.OFFICER.index("deadline")
OFFICER_HEADER = [c.label for c in layout.OFFICER.columns]
OFFICER_BANDS = (OFFICER_HEADER[:_OFFICER_AT], [OFFICER_HEADER[0], *OFFICER_HEADER[_OFFICER_AT:]])


def squash(text: str) -> str:
    """NFC without whitespace: pdftotext breaks wrapped cells into lines and, where a glyph
    comes from a fallback font, puts a space inside a word; neither is a rendering fault."""
    return "".join(unicodedata.normalize("NFC", text).split())


def require(tool: str) -> str:
    import os

    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} (poppler-utils) not found; CI=true, so not skipping")
        pytest.skip(f"{tool} (poppler-utils) not found")
    return path


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """The demo after a whole cycle, plus a copy of its master set up for Excel."""
    folder = tmp_path_factory.mktemp("demo")
    demo = run_demo(folder, cycle=True)
    excel = folder / "excel" / "ke_hoach_excel.xlsx"
    excel.parent.mkdir()
    shutil.copy(demo.master, excel)
    excel_setup(excel, addin=False)
    run_file(excel)  # the button's outcome on the sheet, as a user would have it
    return {"master": demo.master, "excel": excel,
            "officer": demo.outbox / OFFICER,
            "report": Path(demo.consolidation.report_path)}


@pytest.fixture(scope="module")
def recalculated(outputs, tmp_path_factory, soffice_module) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("recalc")
    paths = lo.recalculate(list(outputs.values()), out)  # raises if any file fails to open
    return dict(zip(outputs, paths))


@pytest.fixture(scope="module")
def pdfs(outputs, tmp_path_factory, soffice_module) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    paths = lo.convert(list(outputs.values()), out, "pdf")
    return dict(zip(outputs, paths))


@pytest.fixture(scope="module")
def soffice_module():
    """The conftest `soffice` rule (skip here, fail on CI) for module-scoped fixtures."""
    import os

    path = lo.find_soffice()
    if path is None:
        reason = "LibreOffice not found (apt-get install libreoffice-calc-nogui)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true, so this is a failure, not a skip")
        pytest.skip(reason)
    return path


def pages(pdf: Path) -> list[str]:
    pdfinfo, pdftotext = require("pdfinfo"), require("pdftotext")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])
    # -raw keeps the order LibreOffice draws in: a wrapped cell's lines stay together
    return [subprocess.run([pdftotext, "-raw", "-f", str(i), "-l", str(i), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
            for i in range(1, count + 1)]


def page_sizes(pdf: Path) -> list[tuple[float, float, int]]:
    """(width, height, rotation) of every page, from pdfinfo -f 1 -l N."""
    pdfinfo = require("pdfinfo")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])
    out = subprocess.run([pdfinfo, "-f", "1", "-l", str(count), str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    sizes = {int(n): (float(w), float(h)) for n, w, h in
             re.findall(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts", out, re.M)}
    rots = {int(n): int(r) for n, r in re.findall(r"^Page\s+(\d+) rot:\s+(\d+)", out, re.M)}
    return [(*sizes[i], rots.get(i, 0)) for i in range(1, count + 1)]


# --- opens and recalculates to the tool's values ---------------------------------------------

def cached(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names}


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b


@pytest.mark.parametrize("kind", ["master", "excel", "officer", "report"])
def test_recalculation_gives_the_tools_values(kind, outputs, recalculated):
    ours, theirs = cached(outputs[kind]), cached(recalculated[kind])
    assert list(theirs) == list(ours)
    data_only = {}  # LibreOffice error cells read as '' in calamine: compare those with openpyxl
    diffs = []
    for sheet, rows in ours.items():
        other = theirs[sheet]
        for r in range(max(len(rows), len(other))):
            a_row = rows[r] if r < len(rows) else []
            b_row = other[r] if r < len(other) else []
            for c in range(max(len(a_row), len(b_row))):
                a = a_row[c] if c < len(a_row) else ""
                b = b_row[c] if c < len(b_row) else ""
                if same(a, b):
                    continue
                if "" in (a, b):
                    for which, path in (("ours", outputs[kind]), ("theirs", recalculated[kind])):
                        if which not in data_only:
                            data_only[which] = openpyxl.load_workbook(path, data_only=True)
                    a = data_only["ours"][sheet].cell(row=r + 1, column=c + 1).value
                    b = data_only["theirs"][sheet].cell(row=r + 1, column=c + 1).value
                    if same(a, b):
                        continue
                diffs.append((sheet, f"{openpyxl.utils.get_column_letter(c + 1)}{r + 1}", a, b))
    assert diffs == []


def test_the_comparison_covers_real_formulas(outputs):
    wb = load(outputs["master"])
    formulas = sum(1 for ws in wb.worksheets for row in ws.iter_rows() for cell in row
                   if cell.data_type == "f")
    assert formulas > 100


# --- prints to A4 landscape with headers repeated and the text intact ------------------------

@pytest.mark.parametrize("kind", ["master", "excel", "officer", "report"])
def test_every_page_is_a4_landscape(kind, pdfs):
    sizes = page_sizes(pdfs[kind])
    assert sizes
    for n, (width, height, rotation) in enumerate(sizes, start=1):
        if rotation in (90, 270):
            width, height = height, width
        assert (round(width), round(height)) == (round(A4[0]), round(A4[1])), (kind, n)


def plan_pages(texts: list[str]) -> list[int]:
    """Pages of the plan sheet: from the one with its title to the one with its total row,
    and the second band's page beside it."""
    title = squash(layout.PLAN.name and "KẾ HOẠCH KHẮC PHỤC")
    first = next(i for i, t in enumerate(texts) if title in squash(t))
    last = next(i for i, t in enumerate(texts) if i >= first
                and squash(layout.TOTAL_LABEL) in squash(t))
    return list(range(first, last + 2))


def missing_on(text: str, labels) -> list[str]:
    whole = squash(text)
    return [label for label in labels if squash(label) not in whole]


@pytest.mark.parametrize("kind", ["master", "excel"])
def test_plan_header_on_every_page(kind, pdfs):
    texts = pages(pdfs[kind])
    plan = plan_pages(texts)
    assert len(plan) >= 4, "the plan should span pages for this test to mean anything"
    for i in plan:  # (a page of the first band holds the action column, «Giải pháp»)
        band = PLAN_BANDS[0 if squash(PLAN_BANDS[0][5]) in squash(texts[i]) else 1]
        assert missing_on(texts[i], band) == [], f"{kind}: page {i + 1}"


def test_officer_header_on_every_page(pdfs):
    texts = pages(pdfs["officer"])
    evidence = squash(layout.EVIDENCE_TITLE)  # (the evidence sheet prints after, its own)
    texts = texts[:next(i for i, t in enumerate(texts) if evidence in squash(t))]
    assert len(texts) >= 2
    for i, text in enumerate(texts, start=1):
        assert missing_on(text, OFFICER_BANDS[(i - 1) % 2]) == [], f"page {i}"


def summary_page(texts: list[str]) -> str:
    title = squash("TỔNG HỢP ĐIỂM CHỈ SỐ CCHC")
    return next(t for t in texts if title in squash(t))


def test_summary_scores_print_whole(pdfs):
    assert missing_on(summary_page(pages(pdfs["master"])),
                      [c.label for c in layout.SUMMARY.columns]) == []


def test_summary_officer_table_prints_whole(pdfs):
    from cchc_xl.master.standing import OFFICER_HEADER as officer_table

    # (printed under the areas' chart, after the chairman's dashboard: tests/test_dashboard.py)
    title = squash(layout.DASHBOARD_OFFICERS_TITLE.split(" (")[0])
    page = next(t for t in pages(pdfs["master"]) if title in squash(t))
    assert missing_on(page, officer_table) == []


REPORT_SHEETS = ["Điểm", "Tệp", "Thay đổi", "Vấn đề", "Minh chứng", "Chưa gửi lại",
                 "Giá trị bị từ chối", "Theo cán bộ"]


def test_report_prints_whole(pdfs):
    texts = pages(pdfs["report"])
    assert len(texts) == len(REPORT_SHEETS)  # one page a sheet in the demo
    scores, officers = texts[0], texts[REPORT_SHEETS.index("Theo cán bộ")]
    assert missing_on(scores, ["Điểm thẩm định", "Điểm dự kiến đạt", "Chỉ số dự kiến (%)",
                               "XÂY DỰNG VÀ TỔ CHỨC THỰC HIỆN VĂN BẢN QPPL TẠI TỈNH",
                               layout.SUMMARY_WHOLE_LABEL]) == []
    assert missing_on(officers, ["Số dòng chủ trì", "Chưa thực hiện", "Đang thực hiện"]) == []


@pytest.mark.parametrize("kind", ["master", "excel", "officer", "report"])
def test_vietnamese_text_is_intact(kind, pdfs):
    text = "\n".join(pages(pdfs[kind]))
    assert "\ufffd" not in text
    nfc = unicodedata.normalize("NFC", text)
    stray = [ch for ch in nfc if unicodedata.combining(ch)]
    assert stray == [], "combining marks left over: a glyph was drawn in pieces"
    whole = squash(text)
    missing = [s for s in KNOWN[kind] if squash(s) not in whole]
    assert missing == []


@pytest.mark.parametrize("kind", ["master", "excel", "officer", "report"])
def test_no_value_prints_as_hashes(kind, pdfs):
    hashes = [i for i, text in enumerate(pages(pdfs[kind]), start=1) if "###" in text]
    assert hashes == []


def test_control_sheet_prints_on_one_page_first(pdfs):
    texts = pages(pdfs["excel"])
    assert squash(layout.CONTROL_TITLE) in squash(texts[0])
    assert squash(layout.CONTROL_TITLE) not in squash("\n".join(texts[1:]))


def test_outputs_are_saved_by_the_tool(outputs):
    """The files under test are the tool's own writes (cached values present), not copies
    re-saved by openpyxl, whose formulas would have no cached values."""
    wb = openpyxl.load_workbook(outputs["master"], data_only=True)
    assert wb[layout.SUMMARY.name]["C4"].value is not None
    save  # noqa: B018 - the writer whose output is under test


# --- the office guide and its pictures -------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "huong-dan.md"


def guide_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "render_guide_images", ROOT / "scripts" / "render_guide_images.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_guide_pictures_are_few_small_and_all_shown():
    text = GUIDE.read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]+\]\((hinh/[^)]+\.png)\)", text)
    files = sorted(p.name for p in (GUIDE.parent / "hinh").glob("*.png"))
    assert sorted(Path(s).name for s in shown) == files
    assert files == sorted(p.name for p in guide_script().PICTURES)
    assert len(files) <= 6
    for name in files:
        assert (GUIDE.parent / "hinh" / name).stat().st_size <= 150_000, name


def test_guide_commands_exist():
    from cchc_xl.cli.main import cli

    text = GUIDE.read_text(encoding="utf-8")
    used = set(re.findall(r"py -m cchc_xl ([a-z][a-z-]*)", text))
    assert used >= {"new", "validate", "fill", "excel-setup", "report", "export", "demo"}
    assert used <= set(cli.commands)
    for name in ("kiem-tra.bat", "tao-phieu.bat", "tong-hop.bat"):
        assert name in text and (ROOT / "scripts" / "launchers" / name).is_file()


def test_guide_pictures_render_from_real_outputs(soffice, tmp_path):
    require("pdftoppm")
    pytest.importorskip("PIL", reason="Pillow renders the guide's pictures")
    script = guide_script()
    assert script.main(["render_guide_images.py", str(tmp_path)]) == 0
    made = sorted(p.name for p in tmp_path.glob("*.png"))
    assert made == sorted(p.name for p in script.PICTURES)
    from PIL import Image

    for name in made:
        path = tmp_path / name
        assert path.stat().st_size <= 150_000, name
        width, height = Image.open(path).size
        assert 600 <= width <= 1700 and 150 <= height <= 700, (name, width, height)

"""`cchc-xl export`: the plan appendix in Word, official form, and back into a master."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.demo import run_demo
from cchc_xl.files.open_save import load
from cchc_xl.master.reading import read_master
from cchc_xl.outputs.export_docx import export_plan_docx
from cchc_xl.plan.appendix import read_plan

FIELDS = ("code", "title", "max_points", "appraised", "action", "lead", "support", "timeframe",
          "note")
ATTACHED = "(Kèm theo kế hoạch số 18/KH-UBND ngày 19 tháng 3 năm 2021 của UBND xã Sơn Giang)"
TITLE = ("KẾ HOẠCH KHẮC PHỤC NHỮNG TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2020"
         "\nVÀ GIẢI PHÁP NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2021")
HEADER = [layout.PLAN.column(k).label for k in layout.PLAN_DOCUMENT_KEYS]
MM = 36000  # EMU per millimetre


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo master after its consolidation (export only reads it)."""
    return run_demo(tmp_path_factory.mktemp("demo"), cycle=True).master


@pytest.fixture(scope="module")
def exported(master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_plan_docx(master, tmp_path_factory.mktemp("out") / "phu_luc.docx").docx


def test_round_trip_gives_the_same_plan(master: Path, exported: Path) -> None:
    view = read_master(load(master))
    expected = view.plan()
    imported = read_plan(exported)
    assert imported.notes == []  # in particular no lost-differs-from-document
    plan = imported.plan
    assert [[getattr(r, f) for f in FIELDS] for r in plan.rows] == [
        [getattr(r, f) for f in FIELDS] for r in expected.rows]
    assert (plan.commune, plan.plan_number, plan.plan_date, plan.year, plan.title) == (
        expected.commune, expected.plan_number, view.settings["plan_date"].date(),
        expected.year, expected.title)
    assert (plan.commune, plan.plan_number, str(plan.plan_date), plan.year, plan.title) == (
        "Sơn Giang", "18/KH-UBND", "2021-03-19", 2021, TITLE)


def test_heading_and_columns(exported: Path) -> None:
    document = docx.Document(str(exported))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs == ["PHỤ LỤC", *TITLE.split("\n"), ATTACHED]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == HEADER
    assert len(table.rows) == 1 + 20


def test_lost_is_computed_not_the_document_figure(exported: Path) -> None:
    rows = {r.cells[0].text: [c.text for c in r.cells]
            for r in docx.Document(str(exported)).tables[0].rows[1:]}
    # (written as Vietnamese paper writes numbers: a decimal comma)
    assert rows["1"][2:5] == ["9", "7,95", "1,05"]  # the plan wrote 1.03
    assert rows["2"][2:5] == ["5,5", "5", "0,5"]  # the plan wrote 0,5
    assert rows["7.1.6"][2:5] == ["0,5", "0,25", "0,25"]


def test_paragraphs_inside_a_cell_and_decomposed_text_round_trip(master: Path,
                                                                  tmp_path: Path) -> None:
    from cchc_xl.files.open_save import save

    copy = tmp_path / "so.xlsx"
    shutil.copyfile(master, copy)
    wb = load(copy)
    view = read_master(wb)
    row = next(r for r in view.rows if r.code == "1.6")
    action = "Thực hiện tốt công tác tuyên truyền.\n\nTrên trang thông tin điện tử của xã."
    wb[layout.PLAN.name][view.address("action", row.row)] = unicodedata.normalize("NFD", action)
    save(wb, copy, backup=False)
    plan = read_plan(export_plan_docx(copy).docx).plan
    assert plan.by_code()["1.6"].action == action


def test_page_setup_fonts_and_bold_areas(exported: Path) -> None:
    document = docx.Document(str(exported))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width / MM), round(section.page_height / MM)) == (297, 210)
    margins = [round(m / MM) for m in (section.top_margin, section.bottom_margin,
                                        section.left_margin, section.right_margin)]
    assert margins == [20, 20, 30, 15]
    body = document.element.body
    fonts = {f.get(qn("w:ascii")) for f in body.iter(qn("w:rFonts"))}
    assert fonts == {"Times New Roman"}
    table = document.tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    bold = {}
    for row in table.rows[1:]:
        runs = [run for cell in row.cells for p in cell.paragraphs for run in p.runs if run.text]
        bold[row.cells[0].text] = {bool(run.bold) for run in runs}
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # rows never split
    assert {code for code, b in bold.items() if b == {True}} == {"1", "2", "3", "4", "7"}
    assert all(b == {False} for code, b in bold.items() if "." in code)


def test_new_master_from_the_export_has_the_same_plan(master: Path, exported: Path,
                                                       tmp_path: Path) -> None:
    again = tmp_path / "lai.xlsx"
    result = CliRunner().invoke(cli, ["new", str(again), "--from", str(exported)])
    assert result.exit_code == 0, result.output
    before, after = read_master(load(master)), read_master(load(again))
    assert [[getattr(r, f) for f in FIELDS] for r in after.plan().rows] == [
        [getattr(r, f) for f in FIELDS] for r in before.plan().rows]
    for key in ("commune", "plan_number", "plan_date", "year", "title"):
        assert after.settings[key] == before.settings[key], key


def test_cli_export(master: Path, tmp_path: Path) -> None:
    out = tmp_path / "pl.docx"
    result = CliRunner().invoke(cli, ["export", str(master), "--docx", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Đã xuất phụ lục kế hoạch (20 dòng): {out}\n"
    assert out.is_file()
    result = CliRunner().invoke(cli, ["export", str(master), "--docx", str(out), "--lang", "en"])
    assert result.output == f"Plan appendix exported (20 rows): {out}\n"


def test_cli_export_missing_master(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "khong-co.xlsx")])
    assert result.exit_code == 2
    assert "Không đọc được" in result.output and "khong-co.xlsx" in result.output
    assert "Traceback" not in result.output


def test_cli_export_default_name_beside_the_master(master: Path, tmp_path: Path) -> None:
    copy = tmp_path / "so.xlsx"
    shutil.copyfile(master, copy)
    result = CliRunner().invoke(cli, ["export", str(copy)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "so_phu-luc.docx").is_file()


# --- rendered by LibreOffice -------------------------------------------------------------

def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout


def _flat(text: str) -> str:
    """Text without any whitespace: LibreOffice's font fallback splits some words."""
    return "".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def pdf(master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cchc_xl.files.libreoffice import find_soffice

    if find_soffice() is None or not shutil.which("pdfinfo"):
        pytest.skip("LibreOffice or poppler-utils missing")  # the soffice test below says why
    out = tmp_path_factory.mktemp("pdf") / "phu_luc.docx"
    result = export_plan_docx(master, out, pdf=True)
    assert result.pdf == out.with_suffix(".pdf")
    return result.pdf


@pytest.mark.libreoffice
def test_pdf_is_a4_landscape_on_several_pages(soffice: str, pdf: Path) -> None:
    info = _run("pdfinfo", str(pdf))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert width == pytest.approx(842, abs=1)
    assert height == pytest.approx(595, abs=1)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) > 1


@pytest.mark.libreoffice
def test_pdf_heading_header_on_every_page_and_page_numbers(soffice: str, pdf: Path) -> None:
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))
    first = _run("pdftotext", "-f", "1", "-l", "1", str(pdf), "-")
    assert _flat("PHỤ LỤC") in _flat(first)
    assert _flat(ATTACHED) in _flat(first)
    for page in range(1, pages + 1):
        text = _run("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-")
        for label in HEADER:
            assert _flat(label) in _flat(text), (page, label)
        layout_text = _run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf),
                           "-")
        numbered = re.search(rf"^\s*{page}\s*$", layout_text, re.MULTILINE)
        assert bool(numbered) == (page > 1), page  # NĐ 30: no number on the first page
    last = _run("pdftotext", "-f", str(pages), "-l", str(pages), str(pdf), "-")
    assert _flat("Việc sắp xếp và lưu trữ tài liệu hồ sơ") in _flat(last)


@pytest.mark.libreoffice
def test_cli_export_pdf(soffice: str, master: Path, tmp_path: Path) -> None:
    out = tmp_path / "pl.docx"
    result = CliRunner().invoke(cli, ["export", str(master), "--docx", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    assert result.output == (f"Đã xuất phụ lục kế hoạch (20 dòng): {out}\n"
                             f"Bản PDF: {out.with_suffix('.pdf')}\n")

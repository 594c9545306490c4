"""Plan tables read from Word, and appendices written in the official NĐ 30/2020 form."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from lxml import etree

from cchc_xl.files.docx_table import DocxPlan, read_docx_plan, write_docx_plan

HEADING = [
    "PHỤ LỤC",
    "KẾ HOẠCH KHẮC PHỤC NHỮNG TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2020",
    "VÀ GIẢI PHÁP NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2021",
    "(Kèm theo kế hoạch số 18/KH-UBND ngày 19 tháng 3 năm 2021 của UBND xã Sơn Giang)",
]
HEADER = [
    "STT",
    "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "Điểm chuẩn",
    "Điểm thẩm định",
    "Điểm bị mất",
    "Giải pháp",
    "Cơ quan chủ trì thực hiện",
    "Cơ quan phối hợp",
    "Thời gian thực hiện",
    "Ghi chú",
]
ROWS = [
    ["1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "9", "7.95", "1.03", "", "", "", "", ""],
    [
        "1.6",
        "Công tác tuyên truyền CCHC: Mức độ hoàn thành 90% kế hoạch;",
        "1",
        "0.8",
        "0.2",
        "Thực hiện tốt công tác tuyên truyền nội dung CCHC.\nTrên trang thông tin điện tử của xã.",
        "Văn hóa - XH",
        "Tư pháp",
        "Trong năm 2021",
        "",
    ],
    [
        "2",
        "XÂY DỰNG VÀ TỔ CHỨC THỰC HIỆN VĂN BẢN QPPL TẠI TỈNH",
        "5.5",
        "5.0",
        "0,5",
        "",
        "",
        "",
        "",
        "",
    ],
]
# 252 mm of text width; the lead column is wide enough for its header on one line.
WIDTHS_MM = [12, 50, 14, 14, 14, 50, 52, 22, 14, 10]
MM_PER_EMU = 1 / 36000


@pytest.fixture()
def written(tmp_path: Path) -> Path:
    path = tmp_path / "phu_luc.docx"
    write_docx_plan(path, heading=HEADING, header=HEADER, rows=ROWS, bold_rows={0, 2})
    return path


def test_round_trip(written: Path) -> None:
    assert read_docx_plan(written) == DocxPlan(paragraphs=HEADING, rows=[HEADER, *ROWS])


def test_round_trip_small_table_with_two_paragraph_cell(tmp_path: Path) -> None:
    path = tmp_path / "small.docx"
    rows = [["1", "a\nb", "Tư pháp – Hộ tịch"], ["1.2", "", "Văn phòng - Thống kê"],
            ["3.2.1", "Đạt tỷ lệ 100% số TTHC", "Địa chính – Xây dựng"]]
    write_docx_plan(path, heading=["PHỤ LỤC"], header=["STT", "Giải pháp", "Chủ trì"], rows=rows)
    plan = read_docx_plan(path)
    assert plan.paragraphs == ["PHỤ LỤC"]
    assert plan.rows == [["STT", "Giải pháp", "Chủ trì"], *rows]
    cell = docx.Document(str(path)).tables[0].cell(1, 1)
    assert [p.text for p in cell.paragraphs] == ["a", "b"]


def test_nfd_text_comes_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "nfd.docx"
    nfd = unicodedata.normalize("NFD", "Văn hóa – Xã hội")
    write_docx_plan(path, heading=["PHỤ LỤC"], header=["Chủ trì"], rows=[[nfd]])
    assert read_docx_plan(path).rows == [["Chủ trì"], [nfd]]


def test_reader_keeps_document_text_and_skips_empty_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC   ")
    document.add_paragraph("")
    document.add_paragraph("   ")
    document.add_paragraph("  (Kèm theo kế hoạch)")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "STT"
    table.cell(0, 1).text = "Cơ quan phối hợp"
    table.cell(1, 0).text = "1.2"
    table.cell(1, 1).text = "Tư pháp "
    document.add_paragraph("After the table")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "second table"
    path = tmp_path / "plan.docx"
    document.save(str(path))
    assert read_docx_plan(path) == DocxPlan(
        paragraphs=["PHỤ LỤC", "  (Kèm theo kế hoạch)"],
        rows=[["STT", "Cơ quan phối hợp"], ["1.2", "Tư pháp "]],
    )


def test_horizontally_merged_cell_appears_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Điểm"
    table.cell(0, 2).text = "Ghi chú"
    for column, text in enumerate(["chuẩn", "thẩm định", ""]):
        table.cell(1, column).text = text
    table.cell(2, 1).merge(table.cell(2, 2)).text = "Trong năm 2021"
    table.cell(2, 0).text = "1.2"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    # python-docx itself repeats the merged cell once per grid column it spans.
    assert len(docx.Document(str(path)).tables[0].rows[0].cells) == 3
    assert read_docx_plan(path).rows == [
        ["Điểm", "Ghi chú"],
        ["chuẩn", "thẩm định", ""],
        ["1.2", "Trong năm 2021"],
    ]


def test_vertically_merged_cell_repeats_its_text_in_each_row(tmp_path: Path) -> None:
    # python-docx gives the continued rows the top cell, so a lead merged over two
    # criteria reads as the lead of both.
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "1.2"
    table.cell(1, 0).text = "1.6"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "Văn phòng"
    path = tmp_path / "vmerged.docx"
    document.save(str(path))
    assert read_docx_plan(path).rows == [["1.2", "Văn phòng"], ["1.6", "Văn phòng"]]


def test_no_table_is_a_clear_error(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    path = tmp_path / "no_table.docx"
    document.save(str(path))
    with pytest.raises(ValueError, match=r"no_table\.docx has no table"):
        read_docx_plan(path)


def test_not_a_docx_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE (.doc) header
    with pytest.raises(ValueError,
                       match=r"old\.doc is not a Word \.docx document.*convert-to docx"):
        read_docx_plan(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="missing.docx"):
        read_docx_plan(tmp_path / "missing.docx")


def test_page_setup(written: Path) -> None:
    section = docx.Document(str(written)).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width.mm == pytest.approx(297, abs=0.5)
    assert section.page_height.mm == pytest.approx(210, abs=0.5)
    assert section.top_margin.mm == pytest.approx(20, abs=0.5)
    assert section.bottom_margin.mm == pytest.approx(20, abs=0.5)
    assert section.left_margin.mm == pytest.approx(30, abs=0.5)
    assert section.right_margin.mm == pytest.approx(15, abs=0.5)


def test_page_number_centred_in_top_margin_not_on_first_page(written: Path) -> None:
    section = docx.Document(str(written)).sections[0]
    (paragraph,) = section.header.paragraphs
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [e.text.strip() for e in paragraph._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert section.header_distance.mm < section.top_margin.mm
    # NĐ 30/2020: the first page shows no number.
    assert section.different_first_page_header_footer
    assert section.first_page_header.is_linked_to_previous is False
    assert "".join(p.text for p in section.first_page_header.paragraphs) == ""


def _fonts(rpr) -> dict[str, str | None]:
    fonts = rpr.find(qn("w:rFonts"))
    return {slot: fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")}


TNR = dict.fromkeys(("ascii", "hAnsi", "eastAsia", "cs"), "Times New Roman")


def test_times_new_roman_everywhere(written: Path) -> None:
    document = docx.Document(str(written))
    assert _fonts(document.styles["Normal"].element.rPr) == TNR
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for row in document.tables[0].rows for c in row.cells for p in c.paragraphs
             for r in p.runs]
    runs += [r for p in document.sections[0].header.paragraphs for r in p.runs]
    assert len(runs) > 40
    for run in runs:
        assert _fonts(run._r.rPr) == TNR
        assert run.font.name == "Times New Roman"
    # No theme font left where it would override the named one.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert _fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))) == TNR
    for element in (defaults, document.styles["Normal"].element, document.element,
                    document.sections[0].header._element):
        xml = etree.tostring(element, encoding="unicode").lower()
        assert "theme=" not in xml.replace("w:themecolor=", "")


def test_heading_and_table_formatting(written: Path) -> None:
    document = docx.Document(str(written))
    heading = document.paragraphs
    assert [p.text for p in heading] == HEADING
    for paragraph in heading:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        (run,) = paragraph.runs
        assert run.font.size.pt == 13
        italic = paragraph.text.startswith("(")
        assert (bool(run.bold), bool(run.italic)) == (not italic, italic)

    table = document.tables[0]
    header_row = table.rows[0]
    assert header_row._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table._tbl.tblPr.find(qn("w:tblBorders")) is not None
    for cell in header_row.cells:
        for paragraph in cell.paragraphs:
            assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
            assert all(run.bold and run.font.size.pt == 11 for run in paragraph.runs)
    for index, row in enumerate(table.rows[1:]):
        runs = [r for c in row.cells for p in c.paragraphs for r in p.runs]
        assert all(bool(run.bold) == (index in {0, 2}) for run in runs), index
        assert all(run.font.size.pt == 11 for run in runs)
        assert row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None


def test_column_widths(tmp_path: Path) -> None:
    path = tmp_path / "widths.docx"
    write_docx_plan(path, heading=["PHỤ LỤC"], header=HEADER, rows=ROWS, column_widths_mm=WIDTHS_MM)
    table = docx.Document(str(path)).tables[0]
    assert [round(c.width * MM_PER_EMU, 1) for c in table.columns] == WIDTHS_MM
    assert [round(c.width * MM_PER_EMU, 1) for c in table.rows[1].cells] == WIDTHS_MM
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert read_docx_plan(path).rows == [HEADER, *ROWS]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"header": [], "rows": []}, "header is empty"),
        ({"header": ["a", "b"], "rows": [["1", "2"], ["1"]]},
         r"rows\[1\] has 1 cells but the header has 2"),
        ({"header": ["a"], "rows": [["1"]], "bold_rows": {1}}, r"bold_rows \[1\] are not indexes"),
        ({"header": ["a"], "rows": [], "column_widths_mm": [10, 20]},
         "column_widths_mm has 2 widths"),
    ],
)
def test_write_rejects_inconsistent_input(tmp_path: Path, kwargs: dict, message: str) -> None:
    path = tmp_path / "bad.docx"
    with pytest.raises(ValueError, match=message):
        write_docx_plan(path, heading=["PHỤ LỤC"], **kwargs)
    assert not path.exists()


# --- rendered by LibreOffice -------------------------------------------------------------

SOFFICE = "/usr/bin/soffice"


def _run(*args: str, timeout: float = 180) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-row appendix converted to PDF by LibreOffice."""
    if not (os.path.exists(SOFFICE) and shutil.which("pdfinfo")):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have LibreOffice (/usr/bin/soffice) and poppler-utils")
        pytest.skip("LibreOffice or poppler-utils is not installed")
    folder = tmp_path_factory.mktemp("render")
    rows = [
        [f"{n // 10 + 1}.{n % 10 + 1}", f"Tiêu chí thành phần số {n}", "1.0", "0.5", "0.5",
         "Thực hiện tốt công tác tuyên truyền\nvà kiểm tra, đôn đốc", "Văn phòng",
         "Các công chức chuyên môn", "Trong năm 2021", ""]
        for n in range(60)
    ]
    docx_path = folder / "phu_luc.docx"
    write_docx_plan(docx_path, heading=HEADING, header=HEADER, rows=rows,
                    bold_rows=set(range(0, 60, 10)), column_widths_mm=WIDTHS_MM)
    # A profile of its own, so it neither waits for nor disturbs another running soffice.
    profile = (folder / "profile").as_uri()
    _run(SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(docx_path))
    pdf = folder / "phu_luc.pdf"
    assert pdf.exists()
    return pdf


def _text(pdf: Path, *pages: str) -> str:
    return unicodedata.normalize("NFC", _run("pdftotext", "-layout", *pages, str(pdf), "-"))


@pytest.mark.libreoffice
def test_pdf_is_a4_landscape(rendered: Path) -> None:
    info = _run("pdfinfo", str(rendered))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert width == pytest.approx(842, abs=1)
    assert height == pytest.approx(595, abs=1)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 2


@pytest.mark.libreoffice
def test_pdf_text_and_repeated_header(rendered: Path) -> None:
    first = _text(rendered, "-f", "1", "-l", "1")
    assert "PHỤ LỤC" in first
    assert "Cơ quan chủ trì thực hiện" in first
    assert "Tiêu chí thành phần số 0" in first
    second = _text(rendered, "-f", "2", "-l", "2")
    assert "Cơ quan chủ trì thực hiện" in second  # the header row repeats
    assert "PHỤ LỤC" not in second
    assert re.search(r"^\s*2\s*$", second, re.MULTILINE)  # page number on page 2
    assert not re.search(r"^\s*1\s*$", first, re.MULTILINE)  # none on page 1


def _serif_with_vietnamese_installed() -> bool:
    """Whether Times New Roman or its metric twin Liberation Serif (2.x) has Vietnamese glyphs."""
    families = _run("fc-list", ":charset=1ea7", "family")  # U+1EA7 ầ
    return bool(re.search(r"Times New Roman|Liberation Serif", families))


@pytest.mark.libreoffice
def test_pdf_fonts_are_times_or_its_metric_twin(rendered: Path) -> None:
    fonts = _run("pdffonts", str(rendered)).splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in fonts if line.strip()}
    allowed = r"(TimesNewRoman|LiberationSerif)"
    if not _serif_with_vietnamese_installed():
        # Liberation Serif 1.x (Debian's fonts-liberation) lacks letters such as "ầ", so
        # LibreOffice borrows them from another serif; fonts-liberation2 has them.
        allowed = r"(TimesNewRoman|LiberationSerif|DejaVuSerif)"
    assert any(re.match(r"(TimesNewRoman|LiberationSerif)", name) for name in names), names
    assert all(re.match(allowed, name) for name in names), names


# --- every table as its grid (read_docx_tables, what the plan importer reads) ----------------

def test_tables_as_grids_with_their_merges_and_paragraphs(tmp_path: Path) -> None:
    from cchc_xl.files.docx_table import read_docx_tables
    from cchc_xl.files.table_grid import GridCell as C

    document = docx.Document()
    document.add_paragraph("UBND XÃ SƠN GIANG")
    letterhead = document.add_table(rows=1, cols=2)
    letterhead.cell(0, 0).text = "UBND XÃ"
    letterhead.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    document.add_paragraph("PHỤ LỤC")
    document.add_paragraph("")
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "STT"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Điểm"
    table.cell(1, 1).text = "Chuẩn"
    table.cell(1, 2).text = "Đạt"
    table.cell(2, 0).text = "I"
    table.cell(2, 1).merge(table.cell(2, 2)).text = "CÔNG TÁC CHỈ ĐẠO"
    table.cell(3, 0).text = "1.2"
    table.cell(3, 1).text = "1.5"
    table.cell(3, 2).text = "1.2"
    path = tmp_path / "plan.docx"
    document.save(str(path))
    first, second = read_docx_tables(path)
    assert (first.number, first.paragraphs) == (1, ["UBND XÃ SƠN GIANG"])
    assert (second.number, second.paragraphs) == (2, ["PHỤ LỤC"])
    assert second.rows == [
        [C("STT"), C("Điểm"), C("Điểm", origin=False)],
        [C("STT", below=True), C("Chuẩn"), C("Đạt")],
        [C("I"), C("CÔNG TÁC CHỈ ĐẠO"), C("CÔNG TÁC CHỈ ĐẠO", origin=False)],
        [C("1.2"), C("1.5"), C("1.2")],
    ]


def test_cell_text_counts_content_controls_and_insertions_not_deletions(tmp_path: Path) -> None:
    from lxml import etree

    from cchc_xl.files.docx_table import read_docx_tables

    document = docx.Document()
    table = document.add_table(rows=1, cols=1)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraph = table.cell(0, 0).paragraphs[0]._p
    for xml in (f'<w:r xmlns:w="{w}"><w:t>Văn </w:t></w:r>',
                f'<w:sdt xmlns:w="{w}"><w:sdtContent><w:r><w:t>phòng</w:t></w:r>'
                f'</w:sdtContent></w:sdt>',
                f'<w:ins xmlns:w="{w}" w:id="1" w:author="a"><w:r><w:t> HĐND</w:t></w:r></w:ins>',
                f'<w:del xmlns:w="{w}" w:id="2" w:author="a"><w:r><w:delText> cũ</w:delText>'
                f'</w:r></w:del>'):
        paragraph.append(etree.fromstring(xml))
    path = tmp_path / "sdt.docx"
    document.save(str(path))
    (read,) = read_docx_tables(path)
    assert read.rows[0][0].text == "Văn phòng HĐND"


def test_no_tables_and_not_a_docx(tmp_path: Path) -> None:
    from cchc_xl.files.docx_table import NotADocx, read_docx_tables

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    path = tmp_path / "empty.docx"
    document.save(str(path))
    assert read_docx_tables(path) == []
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04")
    with pytest.raises(NotADocx, match=r"bad\.docx is not a Word \.docx document"):
        read_docx_tables(bad)

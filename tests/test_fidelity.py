"""Master fidelity: what an office adds to its master by hand survives `consolidate` and
`validate --fix`; what the tool cannot keep is refused before writing, the file untouched.

The masters here are written by another program than the tool's own (XlsxWriter, and
LibreOffice re-saving that), holding the tool's sheets plus the office's own additions."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from cycle import FILES, edit_return, make_cycle, plan_values, rezip
from python_calamine import CalamineWorkbook
from signature import workbook_signature

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.consolidate import consolidate
from cchc_xl.files.fidelity import MasterNotPreservable, inspect
from cchc_xl.master.check import validate
from cchc_xl.master.summary import AS_OF_NAME
from cchc_xl.problems import MasterUnusable

NOW = dt.datetime(2021, 6, 20, 9, 30)
AS_OF = dt.date(2021, 6, 30)
DONE = layout.STATUSES[2]
EXTRA = "Theo dõi VP"  # the office's own sheet
PLAN = layout.PLAN.name


def load(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, **kw)


def png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def rewrite_with_xlsxwriter(src: Path, dst: Path, extras=None, *, overwrite: dict = ()) -> Path:
    """The tool's master written again, cell by cell, by XlsxWriter (values, formulas with
    their cached values, number formats, widths, states, validations, names, freeze panes,
    print titles), then `extras(book, sheets)` adds the office's own things. `overwrite`
    {(sheet, cell): value} types constants over cells (a formula typed over)."""
    import xlsxwriter
    from openpyxl.utils import column_index_from_string

    formulas, cached = load(src), load(src, data_only=True)
    book = xlsxwriter.Workbook(dst)
    formats: dict[str, object] = {}

    def fmt(number_format: str):
        if number_format in ("General", ""):
            return None
        return formats.setdefault(number_format, book.add_format({"num_format": number_format}))

    sheets = {}
    for ws in formulas.worksheets:
        out = book.add_worksheet(ws.title)
        sheets[ws.title] = out
        if ws.sheet_state == "hidden":
            out.hide()
        for row in ws.iter_rows():
            for cell in row:
                r, c, value = cell.row - 1, cell.column - 1, cell.value
                value = dict(overwrite).get((ws.title, cell.coordinate), value)
                f = fmt(cell.number_format)
                if value is None:
                    continue
                if isinstance(value, str) and cell.data_type == "f":
                    result = cached[ws.title][cell.coordinate].value
                    out.write_formula(r, c, value, f, "" if result is None else result)
                elif isinstance(value, bool):
                    out.write_boolean(r, c, value, f)
                elif isinstance(value, (int, float)):
                    out.write_number(r, c, value, f)
                elif isinstance(value, (dt.datetime, dt.date)):
                    out.write_datetime(r, c, value, f or fmt("dd/mm/yyyy"))
                else:
                    out.write_string(r, c, str(value), f)
        for key, dim in ws.column_dimensions.items():
            if dim.width:
                col = column_index_from_string(key) - 1
                out.set_column(col, col, dim.width)
        if ws.freeze_panes:
            out.freeze_panes(ws.freeze_panes)
        for dv in ws.data_validations.dataValidation:
            for rng in str(dv.sqref).split():
                options = {"validate": dv.type or "any", "ignore_blank": bool(dv.allow_blank)}
                if dv.type == "list":
                    options["source"] = "=" + dv.formula1
                elif dv.type in ("decimal", "whole"):
                    options.update(criteria="between", minimum=float(dv.formula1 or 0),
                                   maximum=float(dv.formula2 or 1e9))
                elif dv.type == "custom":
                    options["value"] = "=" + dv.formula1
                else:
                    continue
                out.data_validation(rng, options)
    for name, dn in formulas.defined_names.items():
        book.define_name(name, "=" + dn.attr_text)
    if extras:
        extras(book, sheets)
    book.close()
    return dst


def office_additions(book, sheets) -> None:
    """What an office adds by hand: a sheet of its own with formatting, widths, frozen panes,
    comments, conditional formatting, validations (one a list on another sheet), names, print
    settings, a chart, a picture and formulas of its own (one the tool cannot compute)."""
    ws = book.add_worksheet(EXTRA)
    head = book.add_format({"bold": True, "bg_color": "#FFF2CC", "border": 1,
                            "font_name": "Times New Roman", "font_size": 13})
    money = book.add_format({"num_format": "#,##0.00", "italic": True, "text_wrap": True})
    ws.write_row(0, 0, ["Việc", "Số lượng", "Người làm", "Ghi chú"], head)
    for r, (task, n) in enumerate([("Họp giao ban", 4), ("Rà soát TTHC", 12),
                                   ("Tuyên truyền", 7)], start=1):
        ws.write_string(r, 0, task)
        ws.write_number(r, 1, n, money)
    ws.write_formula(4, 1, "=SUM(B2:B4)", money, 23)
    ws.write_formula(5, 1, '=_xlfn.TEXTJOIN(", ",TRUE,A2:A4)', None,
                     "Họp giao ban, Rà soát TTHC, Tuyên truyền")
    ws.write_formula(6, 1, "=_xlfn.CONCAT(A2,A3)", None, "Họp giao banRà soát TTHC")
    ws.set_column(0, 0, 32)
    ws.set_column(3, 3, 45.5)
    ws.set_row(0, 28)
    ws.freeze_panes(1, 1)
    ws.write_comment("A2", "Họp thứ Hai hằng tuần", {"author": "Văn phòng"})
    sheets[PLAN].write_comment("P2", "Ghi chú của Văn phòng trên sheet kế hoạch")
    red = book.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
    ws.conditional_format("B2:B4", {"type": "cell", "criteria": ">", "value": 10,
                                    "format": red})
    ws.conditional_format("B2:B4", {"type": "3_color_scale"})
    ws.conditional_format("A2:A4", {"type": "formula", "criteria": "=$B2<5", "format": red})
    ws.data_validation("C2:C4", {"validate": "list", "source": "='Cán bộ'!$A$2:$A$7"})
    ws.data_validation("B2:B4", {"validate": "integer", "criteria": "between", "minimum": 0,
                                 "maximum": 100, "error_message": "Từ 0 đến 100"})
    book.define_name("ViecVP", f"='{EXTRA}'!$A$2:$A$4")
    book.define_name(f"'{EXTRA}'!SoViec", f"='{EXTRA}'!$B$2:$B$4")
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.print_area("A1:D10")
    ws.repeat_rows(0)
    ws.set_header("&CTrang &P")
    ws.set_margins(left=1.18, right=0.59, top=0.79, bottom=0.79)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"name": "Số lượng", "categories": f"='{EXTRA}'!$A$2:$A$4",
                      "values": f"='{EXTRA}'!$B$2:$B$4"})
    chart.set_title({"name": "Việc của Văn phòng"})
    ws.insert_chart("F2", chart)
    ws.insert_image("F20", "logo.png", {"image_data": io.BytesIO(png())})
    ws.set_tab_color("#C00000")


def features(path: Path) -> dict:
    """What the office added, as data: the content signature of its sheet and of the plan's
    layout, plus comments, conditional formats, charts, pictures and cached formula values."""
    sig = workbook_signature(path)
    for coord, (value, kind, style) in sig[EXTRA]["cells"].items():
        # LibreOffice writes wrapText="false" where openpyxl writes nothing: the same thing
        sig[EXTRA]["cells"][coord] = (value, kind, (*style[:7], bool(style[7]), *style[8:]))
    wb = load(path)
    ws = wb[EXTRA]
    cf = sorted((str(rng.sqref), rule.type, rule.operator, tuple(rule.formula or ()),
                 rule.dxfId is not None)
                for rng in ws.conditional_formatting for rule in rng.rules)
    charts = [(type(c).__name__, [(s.tx.strRef.f if s.tx and s.tx.strRef else None,
                                   s.val.numRef.f, s.cat.strRef.f if s.cat.strRef else
                                   s.cat.numRef.f) for s in c.series]) for c in ws._charts]
    images = [(img._data(), img.anchor._from.row, img.anchor._from.col) for img in ws._images]
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(EXTRA).to_python()
    return {
        # (every name but the date the tool keeps of its own colours, which it sets)
        "extra": sig[EXTRA], "names": [n for n in sig["names"] if n[0] != AS_OF_NAME],
        "plan-widths": sig[PLAN]["widths"], "plan-freeze": sig[PLAN]["freeze"],
        "comments": sorted((w.title, c.coordinate, c.comment.text) for w in wb.worksheets
                           for row in w.iter_rows() for c in row if c.comment),
        "cf": cf, "charts": charts, "images": images,
        "cached": [row[1] for row in values[4:7]],
        "tab": ws.sheet_properties.tabColor.rgb if ws.sheet_properties.tabColor else None,
        "print": (ws.print_area, ws.page_margins.left, ws.page_margins.right),
    }


@pytest.fixture
def cycle(tmp_path):
    return make_cycle(tmp_path)


@pytest.fixture
def office_master(cycle):
    """A master written by XlsxWriter with the office's additions, one formula typed over
    ('Kế hoạch'!E10, points lost of 2.5), and a return waiting in the inbox."""
    master, outbox, inbox = cycle
    xw = master.with_name("so-xlsxwriter.xlsx")
    rewrite_with_xlsxwriter(master, xw, office_additions, overwrite={(PLAN, "E10"): 0.5})
    edit_return(outbox / FILES["TP"], inbox / "tu phap.xlsx", {"2.5": {"status": DONE}})
    return xw, inbox


def test_the_xlsxwriter_master_carries_everything(office_master):
    master, _ = office_master
    before = features(master)
    assert inspect(master) == []
    assert len(before["charts"]) == 1 and len(before["images"]) == 1
    assert before["cached"] == [23, "Họp giao ban, Rà soát TTHC, Tuyên truyền",
                                "Họp giao banRà soát TTHC"]
    assert before["extra"]["validations"] == [
        ("list", "'Cán bộ'!$A$2:$A$7", None, "C2:C4", None),
        ("whole", "0", "100", "B2:B4", "Từ 0 đến 100")]
    assert before["extra"]["freeze"] == "B2" and before["extra"]["widths"]["A"] == 32.7109375
    assert validate(master).flatten() == [["'Kế hoạch'!E5", "lost-children-mismatch"],
                                          ["'Kế hoạch'!E10", "formula-overwritten"]]


def test_office_additions_survive_consolidate(office_master):
    master, inbox = office_master
    before = features(master)
    report = consolidate(master, inbox, now=NOW, as_of=AS_OF)
    assert [(c.code, c.field, c.new) for c in report.changes] == [("2.5", "status", DONE)]
    assert report.backup is not None
    assert plan_values(master, "status")["2.5"] == DONE
    after = features(master)
    for key in before:
        assert (key, after[key]) == (key, before[key])


def test_office_additions_survive_validate_fix(office_master):
    master, _ = office_master
    before = features(master)
    report = validate(master, fix=True)
    assert [(p.where, p.code, p.fixed) for p in report.problems] == [
        ("'Kế hoạch'!E5", "lost-children-mismatch", False),
        ("'Kế hoạch'!E10", "formula-overwritten", True)]
    assert load(master)[PLAN]["E10"].value == "=C10-D10"
    after = features(master)
    note = next(c for c in after["comments"] if c[:2] == (PLAN, "E10"))  # the fix's own note
    assert "giá trị gõ đè trước khi sửa: 0.5" in note[2]
    before["comments"] = sorted([*before["comments"], note])
    for key in before:
        assert (key, after[key]) == (key, before[key])


def test_libreoffice_master_additions_survive(office_master, tmp_path, soffice):
    """The same master re-saved by LibreOffice (another writer again), then consolidated."""
    from cchc_xl.files.libreoffice import convert

    master, inbox = office_master
    lo = convert([master], tmp_path / "lo", "xlsx", recalc=False)[0]
    assert inspect(lo) == []
    before = features(lo)
    report = consolidate(lo, inbox, now=NOW, as_of=AS_OF)
    assert [(c.code, c.field, c.new) for c in report.changes] == [("2.5", "status", DONE)]
    after = features(lo)
    for key in before:
        assert (key, after[key]) == (key, before[key])
    fixed = validate(lo, fix=True)
    assert ("'Kế hoạch'!E10", "formula-overwritten", True) in [
        (p.where, p.code, p.fixed) for p in fixed.problems]
    assert features(lo)["extra"] == before["extra"]


def x14_list(data: bytes) -> bytes:
    """The sheet's cross-sheet list validation moved into an Excel 2010 extension, the way
    Excel itself stores it."""
    start = data.index(b"<dataValidations")
    end = data.index(b"</dataValidations>") + len(b"</dataValidations>")
    plain = data[:start] + data[end:]
    ext = (b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14='
           b'"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations'
           b' count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
           b'<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" '
           b'showErrorMessage="1"><x14:formula1><xm:f>\'C\xc3\xa1n b\xe1\xbb\x99\'!$A$2:$A$7'
           b'</xm:f></x14:formula1><xm:sqref>C2:C4</xm:sqref></x14:dataValidation>'
           b'</x14:dataValidations></ext></extLst>')
    return plain.replace(b"</worksheet>", ext + b"</worksheet>")


def extra_part(path: Path) -> str:
    from cchc_xl.files.package import sheet_parts

    with zipfile.ZipFile(path) as zf:
        return sheet_parts(zf)[EXTRA]


def test_cross_sheet_list_in_an_excel_2010_extension_is_kept(cycle):
    """Excel stores a list validation pointing at another sheet as an x14 extension, which
    openpyxl drops: the tool turns it into an ordinary validation (Excel 2010+ reads both)."""
    master, outbox, inbox = cycle

    def extras(book, sheets):
        ws = book.add_worksheet(EXTRA)
        ws.write_row(0, 0, ["Việc", "Số", "Người làm"])
        ws.data_validation("C2:C4", {"validate": "list", "source": "='Cán bộ'!$A$2:$A$7"})

    xw = rewrite_with_xlsxwriter(master, master.with_name("xw.xlsx"), extras)
    x14 = rezip(xw, master.with_name("x14.xlsx"), replace={extra_part(xw): x14_list})
    assert load(x14)[EXTRA].data_validations.dataValidation == []  # what openpyxl sees
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {"2.5": {"status": DONE}})
    consolidate(x14, inbox, now=NOW, as_of=AS_OF)
    kept = [(dv.type, dv.formula1, str(dv.sqref), dv.allow_blank)
            for dv in load(x14)[EXTRA].data_validations.dataValidation]
    assert kept == [("list", "'Cán bộ'!$A$2:$A$7", "C2:C4", True)]


def _textbox(book, sheets):
    sheets[PLAN].insert_textbox("Q3", "Ghi chú: họp lại ngày 15")


def _sparkline(book, sheets):
    sheets[layout.SUMMARY.name].add_sparkline("M5", {"range": f"'{PLAN}'!C5:C9"})


def _databar(book, sheets):
    sheets[PLAN].conditional_format("O5:O24", {"type": "data_bar", "data_bar_2010": True})


def _background(book, sheets):
    sheets[PLAN].set_background(io.BytesIO(png()))


def _header_image(book, sheets):
    sheets[PLAN].set_header("&L&G", {"image_left": "logo.png",
                                     "image_data_left": io.BytesIO(png())})


def _button(book, sheets):
    sheets[PLAN].insert_button("Q2", {"caption": "Tổng hợp", "macro": "TongHop"})


def _rich_text(book, sheets):
    bold = book.add_format({"bold": True})
    sheets[layout.SUMMARY.name].write_rich_string("M2", "Ghi chú ", bold, "quan trọng", "!")


def _dynamic_array(book, sheets):
    sheets[layout.SUMMARY.name].write_dynamic_array_formula(
        "M2:M2", f"=_xlfn._xlws.SORT('{PLAN}'!C5:C9)")


UNPRESERVABLE = [
    # (what the office added, how, the feature named, where it is named)
    ("textbox", _textbox, {}, "shape", PLAN),
    ("sparkline", _sparkline, {}, "sparkline", layout.SUMMARY.name),
    ("data bar 2010", _databar, {}, "x14-conditional-formatting", PLAN),
    ("background", _background, {}, "background-image", PLAN),
    ("header picture", _header_image, {}, "header-image", PLAN),
    ("button", _button, {}, "form-control", PLAN),
    ("rich text", _rich_text, {}, "rich-text", "xl/sharedStrings.xml"),
    ("dynamic array", _dynamic_array, {}, "dynamic-array", "xl/metadata.xml"),
    ("macro", None, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, "vba", "xl/vbaProject.bin"),
    ("threaded comment", None, {"xl/threadedComments/threadedComment1.xml": b"<x/>",
                                "xl/persons/person.xml": b"<x/>"}, "threaded-comment",
     "xl/threadedComments/threadedComment1.xml"),
    ("slicer", None, {"xl/slicers/slicer1.xml": b"<x/>",
                      "xl/slicerCaches/slicerCache1.xml": b"<x/>"}, "slicer",
     "xl/slicers/slicer1.xml"),
    ("timeline", None, {"xl/timelines/timeline1.xml": b"<x/>"}, "timeline",
     "xl/timelines/timeline1.xml"),
    ("power query", None, {"xl/connections.xml": b"<x/>"}, "data-connection",
     "xl/connections.xml"),
    ("customXml", None, {"customXml/item1.xml": b"<x/>"}, "custom-xml", "customXml/item1.xml"),
    ("ole object", None, {"xl/embeddings/oleObject1.bin": b"\0"}, "ole-object",
     "xl/embeddings/oleObject1.bin"),
]


@pytest.mark.parametrize("what, extras, parts, feature, where", UNPRESERVABLE,
                         ids=[u[0] for u in UNPRESERVABLE])
def test_what_cannot_be_kept_is_refused_before_writing(cycle, what, extras, parts, feature,
                                                       where):
    master, outbox, inbox = cycle
    xw = rewrite_with_xlsxwriter(master, master.with_name("xw.xlsx"), extras,
                                 overwrite={(PLAN, "E10"): 0.5})
    if parts:
        xw = rezip(xw, master.with_name("xw2.xlsx"), add=parts)
    found = inspect(xw)
    assert (feature, where) in [(f.feature, f.where) for f in found]
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {"2.5": {"status": DONE}})
    before = xw.read_bytes()
    listing = sorted(p.name for p in xw.parent.rglob("*"))
    with pytest.raises(MasterNotPreservable) as caught:
        consolidate(xw, inbox, now=NOW, as_of=AS_OF)
    assert isinstance(caught.value, MasterUnusable)
    assert (feature, where) in [(f.feature, f.where) for f in caught.value.findings]
    with pytest.raises(MasterNotPreservable):
        validate(xw, fix=True)
    assert xw.read_bytes() == before
    assert sorted(p.name for p in xw.parent.rglob("*")) == listing  # no backup, no temp
    result = CliRunner().invoke(cli, ["validate", str(xw), "--fix"])
    assert result.exit_code == 2
    assert f"{xw.name} › " in result.output and "tệp giữ nguyên từng byte" in result.output
    english = CliRunner().invoke(cli, ["consolidate", str(xw), str(inbox), "--lang", "en"])
    assert english.exit_code == 2 and "the file is unchanged, byte for byte" in english.output
    assert xw.read_bytes() == before
    report = consolidate(xw, inbox, dry_run=True, now=NOW, as_of=AS_OF)  # reading still works
    assert [c.code for c in report.changes] == ["2.5"]


def test_refusal_names_every_feature_in_vietnamese(cycle):
    master, _, _ = cycle
    xw = rewrite_with_xlsxwriter(master, master.with_name("xw.xlsx"),
                                 lambda b, s: (_textbox(b, s), _sparkline(b, s)))
    refused = MasterNotPreservable(xw, inspect(xw))
    assert [p.where for p in refused.problems] == [f"xw.xlsx › {layout.SUMMARY.name}",
                                                   f"xw.xlsx › {PLAN}"]
    assert str(refused) == (
        f"xw.xlsx › {layout.SUMMARY.name}: Sổ xw.xlsx có biểu đồ thu nhỏ trong ô (sparkline): "
        "công cụ không giữ được nội dung này khi ghi sổ, nên đã dừng trước khi ghi; tệp giữ "
        "nguyên từng byte. Chuyển nội dung đó sang một tệp khác (hoặc xóa đi), lưu lại rồi "
        f"chạy lại.; xw.xlsx › {PLAN}: Sổ xw.xlsx có hình vẽ / hộp chữ / mũi tên (shape): "
        "công cụ không giữ được nội dung này khi ghi sổ, nên đã dừng trước khi ghi; tệp giữ "
        "nguyên từng byte. Chuyển nội dung đó sang một tệp khác (hoặc xóa đi), lưu lại rồi "
        "chạy lại.")


def test_fill_refuses_before_writing_anything(cycle, tmp_path):
    from cchc_xl.cycle.fill import fill

    master, _, _ = cycle
    xw = rewrite_with_xlsxwriter(master, master.with_name("xw.xlsx"), _textbox)
    before = xw.read_bytes()
    with pytest.raises(MasterNotPreservable):
        fill(xw, tmp_path / "dot-2", round_name="Đợt 2", now=dt.datetime(2021, 7, 1))
    assert xw.read_bytes() == before
    assert not (tmp_path / "dot-2").exists()


def test_the_tools_own_master_is_preservable(cycle):
    master, _, _ = cycle
    assert inspect(master) == []


def test_office_formula_values_kept_only_while_the_formula_is_unchanged(office_master):
    """The tool cannot compute TEXTJOIN or CONCAT: their cached values are carried over from
    the file being replaced, but never onto a formula that changed (that value would lie)."""
    from cchc_xl.files.open_save import load as load_master
    from cchc_xl.files.open_save import save

    master, _ = office_master
    wb = load_master(master)
    wb[EXTRA]["B7"] = "=_xlfn.CONCAT(A3,A4)"
    result = save(wb, master)
    assert sorted(k for k in result.unsupported if k[0] == EXTRA) == [(EXTRA, "B6"),
                                                                       (EXTRA, "B7")]
    cached = load(master, data_only=True)[EXTRA]
    assert [cached[c].value for c in ("B5", "B6", "B7")] == [
        23, "Họp giao ban, Rà soát TTHC, Tuyên truyền", None]


def test_office_additions_survive_fill(office_master, tmp_path):
    from cchc_xl.cycle.fill import fill

    master, _ = office_master
    before = features(master)
    result = fill(master, tmp_path / "dot-2", round_name="Đợt 2", now=dt.datetime(2021, 7, 1))
    assert result.files and result.master_backup is not None
    after = features(master)
    for key in before:
        assert (key, after[key]) == (key, before[key])


SHEET_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<{p}worksheet xmlns{x}="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<{p}sheetData><{p}row r="1">{cells}</{p}row></{p}sheetData></{p}worksheet>')


@pytest.mark.parametrize("prefix", ["", "x"])
@pytest.mark.parametrize("cells, expected", [
    ('<{p}c r="A1" t="inlineStr"><{p}is><{p}t>Thông số</{p}t></{p}is></{p}c>', []),
    ('<{p}c r="A1" t="inlineStr"><{p}is><{p}r><{p}t>Thông </{p}t></{p}r>'
     '<{p}r><{p}t>số</{p}t></{p}r></{p}is></{p}c>', ["rich-text"]),
    ('<{p}c r="A1" cm="1"><{p}f>SORT(B1:B9)</{p}f></{p}c>', ["dynamic-array"]),
    ('<{p}c r="A1" cm = \'1\'><{p}v>1</{p}v></{p}c>', ["dynamic-array"]),
    ('<{p}c r="A1" t="inlineStr"><{p}is><{p}t>cm=1 &lt;r&gt;</{p}t></{p}is></{p}c>', []),
])
def test_sheet_cells_that_a_save_would_lose_are_found_with_any_prefix(prefix, cells, expected):
    """Dynamic-array cells and rich inline text, found in a sheet's XML however it is
    prefixed; a sheet without them (the text may look like them) has no finding. The same
    sheet as UTF-16 is looked at the same way."""
    from cchc_xl.files.fidelity import _sheet_findings

    p = f"{prefix}:" if prefix else ""
    xml = SHEET_XML.format(p=p, x=f":{prefix}" if prefix else "", cells=cells.format(p=p))
    for raw in (xml.encode("utf-8"), xml.replace('"UTF-8"', '"UTF-16"').encode("utf-16")):
        assert [f.feature for f in _sheet_findings(raw, "Kế hoạch")] == expected

"""The return reader on varied returns (as officers, spreadsheet programs and mishaps make
them), files read one by one as listed, and officer workbooks written on both cores against
those written in one process."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest
from cycle import (
    FILES,
    O,
    edit_return,
    edit_stamp,
    load,
    make_cycle,
    officer_rows,
    rezip,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_xl import layout
from cchc_xl.cycle.inbox import collect
from cchc_xl.cycle.incoming import Incoming
from cchc_xl.cycle.returns import Return, iter_returns, open_return
from cchc_xl.master.key import master_key
from cchc_xl.problems import Problem

NOW = dt.datetime(2021, 6, 20, 9, 30)
AS_OF = dt.date(2021, 6, 30)
DONE, DOING = layout.STATUSES[2], layout.STATUSES[1]
SHEET1 = "xl/worksheets/sheet1.xml"


def edit_book(src: Path, dst: Path, change) -> Path:
    wb = load(src)
    change(wb)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def patch_cell(data: bytes, ref: str, xml: str) -> bytes:
    """Replace one cell of a sheet's XML (the whole <c> element)."""
    text = data.decode()
    cell = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', text)
    return (text[:cell.start()] + xml + text[cell.end():]).encode()


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    """(master, outbox, work): the seed master with one round issued."""
    base = tmp_path_factory.mktemp("fast")
    master, outbox, _ = make_cycle(base)
    return master, outbox, base


@pytest.fixture(scope="module")
def returns(cycle, tmp_path_factory) -> dict[str, Path]:
    """Returns as officers, spreadsheet programs and mishaps make them, by name."""
    master, outbox, base = cycle
    src = outbox / FILES["TP"]
    out = base / "returns"
    made: dict[str, Path] = {}

    def put(name: str, path: Path) -> None:
        made[name] = path

    out.mkdir()
    put("as issued (XlsxWriter)", Path(shutil.copy(src, out / "issued.xlsx")))
    put("lead edits", edit_return(src, out / "lead.xlsx", {
        "2.5": {"status": DONE, "progress": 100, "result": "Đã triển khai 12 văn bản",
                "expected": 1},
        "3.2.3": {"status": DOING, "progress": "60%", "obstacles": "Thiếu máy"}}))
    put("typed every way", edit_return(src, out / "typed.xlsx", {
        "2.5": {"status": unicodedata.normalize("NFD", "hoàn thành"), "progress": "80,5",
                "result": "dòng 1_x000B_dòng 2 _x005F_x0041_ 👍🏽 ✅",
                "expected": "0,75 điểm", "obstacles": "=HYPERLINK(\"http://x\",\"bấm\")"},
        "3.2.3": {"result": "x" * 32767, "obstacles": "@SUM(A1)"}}, as_string=True))
    put("formula and types", edit_book(src, out / "types.xlsx", lambda wb: _types(wb)))
    put("rows moved", edit_book(src, out / "moved.xlsx", _rows_moved))
    put("merged inputs", edit_book(src, out / "merged.xlsx", _merged))
    put("plan text changed", edit_book(src, out / "tampered.xlsx", _tampered))
    put("stamp deleted", edit_book(src, out / "no-stamp.xlsx",
                                   lambda wb: wb.remove(wb[layout.STAMP_SHEET])))
    put("stamp edited", edit_book(src, out / "stamp-edited.xlsx", lambda wb: edit_stamp(
        wb, lambda content: content.update(role="Văn phòng – Thống kê"))))
    put("stamp broken", edit_book(src, out / "stamp-broken.xlsx", lambda wb: wb[
        layout.STAMP_SHEET].__setitem__("B3", "{vai trò")))
    put("stamp rewritten", edit_book(src, out / "stamp-rewritten.xlsx", lambda wb: edit_stamp(
        wb, lambda content: None)))
    put("stamp retyped", edit_book(src, out / "stamp-retyped.xlsx", lambda wb: edit_stamp(
        wb, lambda content: None, by_hand=True)))
    other, other_out, _ = make_cycle(tmp_path_factory.mktemp("other"))
    put("other commune", Path(shutil.copy(other_out / FILES["TP"], out / "other.xlsx")))
    import xlsxwriter

    book = xlsxwriter.Workbook(out / "payroll.xlsx")
    book.add_worksheet("Lương").write_row(0, 0, ["Họ tên", "Lương"])
    book.close()
    put("unrelated workbook", out / "payroll.xlsx")
    lead = made["lead edits"]
    put("macro workbook", rezip(lead, out / "macro.xlsm",
                                add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 Auto_Open"}))
    put("dimension too small", rezip(lead, out / "dim.xlsx", replace={
        SHEET1: lambda d: re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:K30"/>',
                                 d)}))
    put("no dimension", rezip(lead, out / "nodim.xlsx", replace={
        SHEET1: lambda d: re.sub(rb'<dimension ref="[^"]+"/>', b"", d)}))
    put("dimension only in a comment", rezip(lead, out / "dimcomment.xlsx", replace={
        SHEET1: lambda d: re.sub(rb'<dimension ref="[^"]+"/>', b'<!--<dimension ref="A1:B2"/>-->',
                                 d)}))
    put("two dimensions", rezip(lead, out / "dim2.xlsx", replace={
        SHEET1: lambda d: re.sub(rb'(<dimension ref="[^"]+"/>)', rb'\1<dimension ref="A1:K30"/>',
                                 d)}))
    put("dimension after the rows", rezip(lead, out / "dimlate.xlsx", replace={
        SHEET1: lambda d: re.sub(rb'(<dimension ref="[^"]+"/>)(.*</sheetData>)', rb"\2\1", d,
                                 flags=re.S)}))
    put("cells without references", rezip(src, out / "noref.xlsx", replace={
        SHEET1: lambda d: re.sub(rb'(<row r="14"[^>]*>)(.*?)(</row>)', lambda m: m[1] + re.sub(
            rb' r="[A-Z]+14"', b"", m[2]) + m[3], d)}))
    put("shared strings with runs", rezip(made["lead edits"], out / "runs.xlsx", replace={
        "xl/sharedStrings.xml": lambda d: d.replace(
            "<si><t>Hoàn thành</t></si>".encode(),
            "<si><r><t>Hoàn </t></r><r><rPr><b/></rPr><t>thành</t></r></si>".encode(),
            1)}))
    put("inline and typed cells (XML)", rezip(src, out / "inline.xlsx", replace={
        SHEET1: lambda d: patch_cell(patch_cell(patch_cell(
            d, "H14", '<c r="H14" t="inlineStr"><is><t>Hoàn thành</t></is></c>'),
            "I14", '<c r="I14" t="str"><v>70%</v></c>'),
            "K14", '<c r="K14" t="b"><v>1</v></c>')}))
    put("shared formula (read with openpyxl)", rezip(src, out / "shared.xlsx", replace={
        SHEET1: lambda d: patch_cell(d, "I14", '<c r="I14"><f t="shared" ref="I14:I15" si="0">'
                                               '50+30</f><v>80</v></c>')}))
    put("no core properties", rezip(lead, out / "nocore.xlsx", drop=("docProps/core.xml",)))
    put("1904 dates", rezip(lead, out / "1904.xlsx", replace={
        "xl/workbook.xml": lambda d: re.sub(rb"<workbookPr", b'<workbookPr date1904="1"', d,
                                            count=1)}))
    put("damaged sheet XML", rezip(src, out / "damaged.xlsx", replace={
        SHEET1: lambda d: d[: len(d) // 2]}))
    put("Excel-style edit in the XML", rezip(src, out / "xmledit.xlsx", replace={
        SHEET1: lambda d: patch_cell(patch_cell(d, "I16", '<c r="I16"><v>45.5</v></c>'),
                                     "H16", '<c r="H16" t="s"><v>0</v></c>')}))
    return made


def _types(wb) -> None:
    ws = wb[O.name]
    rows = officer_rows(ws)
    ws.cell(row=rows["2.5"], column=O.index("progress"), value="=50+30")
    cell = ws.cell(row=rows["3.2.3"], column=O.index("progress"), value=0.8)
    cell.number_format = "0%"
    cell = ws.cell(row=rows["3.2.3"], column=O.index("result"), value=dt.datetime(2021, 5, 3))
    cell.number_format = "dd/mm/yyyy"
    ws.cell(row=rows["4.2"], column=O.index("expected"), value=True)
    ws.cell(row=rows["4.3"], column=O.index("progress"), value=12.5)


def _rows_moved(wb) -> None:
    ws = wb[O.name]
    rows = officer_rows(ws)
    status = O.index("status")
    ws.cell(row=rows["3.2.3"], column=status, value=DONE)
    for c in range(1, len(O.columns) + 1):
        ws.cell(row=23, column=c, value=ws.cell(row=rows["4.2"], column=c).value)
    ws.cell(row=25, column=O.index("result"), value="Đã họp 3 lần")
    ws.delete_rows(rows["1.2"])


def _merged(wb) -> None:
    ws = wb[O.name]
    ws.cell(row=14, column=O.index("progress"), value=80)
    ws.cell(row=14, column=O.index("result"), value="bị gộp mất")
    ws.merge_cells("I14:K14")


def _tampered(wb) -> None:
    ws = wb[O.name]
    ws.protection.sheet = False
    ws.cell(row=14, column=O.index("action"), value="Không cần làm gì")
    ws.cell(row=14, column=O.index("status"), value=DONE)
    ws.cell(row=21, column=O.index("status"), value=DOING)


def identity(master: Path) -> tuple[str, str]:
    wb = load(master)
    return master_key(wb), str(wb[layout.SETTINGS_SHEET]["B2"].value)


def test_the_varied_returns_read_as_they_are(cycle, returns):
    """The edits reach the reader (problems, formulas, formats, values typed as openpyxl
    types them), and each kind of refusal the reader decides is decided."""
    master, _, _ = cycle
    key, master_id = identity(master)

    def read(name):
        path = returns[name]
        return open_return(Incoming(path.name, path.read_bytes(), 0.0), master_id, key)

    assert {name: (got.code if isinstance(got, Problem) else "return")
            for name, got in ((n, read(n)) for n in returns)} == {
        **{name: "return" for name in returns},
        "stamp deleted": "stamp-missing", "stamp edited": "stamp-tampered",
        "stamp broken": "stamp-damaged", "stamp retyped": "stamp-tampered",
        "plan text changed": "return", "other commune": "other-master",
        "unrelated workbook": "not-a-return", "damaged sheet XML": "file-corrupt"}

    types = read("formula and types")
    assert types.rows["2.5"].formulas == {"progress"}
    assert types.rows["3.2.3"].formats["progress"] == "0%"
    assert types.rows["3.2.3"].values["result"] == dt.datetime(2021, 5, 3)
    assert types.rows["4.2"].values["expected"] is True
    assert [p.code for p in read("merged inputs").problems] == ["cells-merged"]
    assert [p.code for p in read("macro workbook").problems] == ["macros-ignored"]
    assert read("shared strings with runs").rows["2.5"].values["status"] == DONE
    # A sheet's cells are read wherever they are, whatever size the sheet claims
    lead = read("lead edits").rows
    for name in ("dimension too small", "no dimension", "dimension only in a comment",
                 "two dimensions", "dimension after the rows", "macro workbook"):
        assert read(name).rows == lead, name
    assert read("lead edits").rows["3.2.3"].values["obstacles"] == "Thiếu máy"
    # dates counted from 1904: the deadlines (sealed) are four years later
    assert read("1904 dates").rows["2.5"].seal != lead["2.5"].seal
    typed = read("typed every way").rows
    assert (typed["2.5"].values["result"], typed["2.5"].formulas) == (
        "dòng 1\x0bdòng 2 _x0041_ 👍🏽 ✅", frozenset())
    inline = read("inline and typed cells (XML)").rows["2.5"].values
    assert (inline["status"], inline["progress"], inline["expected"]) == (DONE, "70%", True)
    assert read("shared formula (read with openpyxl)").rows["2.5"].formulas == {"progress"}
    issued = read("as issued (XlsxWriter)").stamp
    got = read("stamp rewritten").stamp  # the same stamp, in other cells
    assert (got.role, got.issued_at, got.rows) == (issued.role, issued.issued_at, issued.rows)


@pytest.mark.parametrize("cell", ['<c r="XFD1048576"><v>1</v></c>',
                                  '<c s="0" r="XFD1048576"><v>1</v></c>'])
def test_a_stray_cell_far_away_is_refused_before_calamine_expands_the_sheet(cycle, returns,
                                                                            tmp_path, cell):
    """calamine makes a sheet the rectangle from A1 to its last cell: one cell in the last
    row and column of a small sheet would be 17 billion cells. Refused, by how far it
    reaches, whichever way its cells are written."""
    master, _, _ = cycle
    key, master_id = identity(master)
    far = rezip(returns["lead edits"], tmp_path / "xa.xlsx", replace={
        SHEET1: lambda d: d.replace(b"</sheetData>", b'<row r="1048576">' + cell.encode()
                                    + b"</row></sheetData>", 1)})
    got = open_return(Incoming(far.name, far.read_bytes(), 0.0), master_id, key)
    assert (got.code, got.params["reason"].en) == ("file-corrupt", (
        f"sheet '{O.name}' is used down to row 1048576 and across to column 16384: too large"))


def test_a_number_past_any_date_shown_as_a_date_reads_as_an_error(cycle, tmp_path):
    """A number no date can hold shown as a date: calamine gives the number (year 10,000) or
    stops the whole reading (before year 1); the cell is read as openpyxl read it, the error
    #VALUE!, and the rest of the return as it is."""
    master, outbox, _ = cycle
    key, master_id = identity(master)

    def far(wb) -> None:
        ws = wb[O.name]
        rows = officer_rows(ws)
        ws.cell(row=rows["2.5"], column=O.index("status"), value=DONE)
        for code, value in (("3.2.3", 1e12), ("4.2", -1e12), ("4.3", -5)):
            cell = ws.cell(row=rows[code], column=O.index("progress"), value=value)
            cell.number_format = "dd/mm/yyyy"

    path = edit_book(outbox / FILES["TP"], tmp_path / "xa.xlsx", far)
    got = open_return(Incoming(path.name, path.read_bytes(), 0.0), master_id, key)
    assert [got.rows[code].values["progress"] for code in ("3.2.3", "4.2", "4.3")] == [
        "#VALUE!", "#VALUE!", dt.datetime(1899, 12, 25)]
    assert (got.rows["3.2.3"].formats["progress"], got.rows["2.5"].values["status"]) == (
        "dd/mm/yyyy", DONE)


@pytest.mark.libreoffice
def test_libreoffice_resaves_read_the_same(cycle, returns, soffice, tmp_path):
    from cchc_xl.files.libreoffice import convert

    master, _, _ = cycle
    key, master_id = identity(master)
    got = {}
    for name in ("lead edits", "formula and types", "merged inputs"):
        resaved = convert([returns[name]], tmp_path / re.sub(r"\W", "-", name), "xlsx",
                          recalc=False)[0]
        got[name] = open_return(Incoming(resaved.name, resaved.read_bytes(), 0.0), master_id,
                                key)
        assert isinstance(got[name], Return), name
    for name in ("lead edits", "merged inputs"):
        first = open_return(Incoming(name, returns[name].read_bytes(), 0.0), master_id, key)
        assert {c: (r.values, r.formulas, r.skipped) for c, r in got[name].rows.items()} == {
            c: (r.values, r.formulas, r.skipped) for c, r in first.rows.items()}, name
        assert [p.code for p in got[name].problems] == [p.code for p in first.problems], name
    types = got["formula and types"].rows  # (LibreOffice writes a TRUE typed as =TRUE())
    assert (types["2.5"].values["progress"], types["2.5"].formulas) == ("=50+30", {"progress"})
    assert (types["3.2.3"].formats["progress"], types["4.2"].formulas) == ("0%", {"expected"})


def test_files_read_once_each_and_ones_seen_before_skipped(cycle, returns):
    """Files listed by path are read when their turn comes: each item gets the digest of its
    bytes, and a file whose digest was consolidated before is not parsed (None), the rest
    exactly as open_return reads them."""
    import hashlib

    master, _, _ = cycle
    key, master_id = identity(master)
    paths = list(returns.values())
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
    items = [Incoming(p.name, mtime=0.0, path=p) for p in paths]
    assert all(i.digest is None for i in items)
    listed = list(iter_returns(items, master_id, key, skip=frozenset(digests[:1])))
    assert [i.digest for i in items] == digests
    assert listed[0] is None
    alone = [open_return(Incoming(p.name, p.read_bytes(), 0.0), master_id, key)
             for p in paths[1:]]
    assert [snapshot(r) for r in listed[1:]] == [snapshot(r) for r in alone]
    assert all(r.incoming is i for r, i in zip(listed[1:], items[1:]) if isinstance(r, Return))


def in_a_fresh_process(code: str, payload: object) -> object:
    """Run `code` in a new Python process, `PAYLOAD` unpickled there, and give back what it
    leaves in `RESULT`: a process without this session's threads (the LibreOffice fixture's
    pumps), where cores.on_cores forks a pool as it would in a command (never in a process
    with threads running: it works here, one job after another, and proves nothing)."""
    import pickle
    import subprocess
    import sys
    import textwrap

    wrapper = ("import pickle, sys\nPAYLOAD = pickle.loads(sys.stdin.buffer.read())\n"
               + textwrap.dedent(code)
               + "\nsys.stdout.buffer.write(pickle.dumps(RESULT))\n")
    done = subprocess.run([sys.executable, "-c", wrapper], input=pickle.dumps(payload),
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return pickle.loads(done.stdout)


POOLED = """
from cchc_xl import cores
cores.POOL_FROM = 1
assert cores.pool_pays(PAYLOAD["jobs"]), "no pool in a fresh process: nothing proved"
"""


def test_returns_read_on_both_cores_are_those_read_here(cycle, returns, tmp_path):
    """A batch large enough for a pool (cores.on_cores) is read in forked workers: each
    file, loose or inside an archive, gives what it gives read in one process, in the same
    order, with the same digests; the Returns carry the caller's items."""
    master, _, _ = cycle
    key, master_id = identity(master)
    inbox = tmp_path / "nhan"
    inbox.mkdir()
    for i, path in enumerate(returns.values()):
        shutil.copy(path, inbox / f"{i:02d}-{path.name}")
    with zipfile.ZipFile(inbox / "gui-kem.zip", "w") as archive:
        for name in ("lead edits", "typed every way", "stamp edited"):
            archive.write(returns[name], f"trong-zip/{returns[name].name}")
    items, _ = collect(inbox)
    pooled_digests, pooled, same_items = in_a_fresh_process(POOLED + """
from cchc_xl.cycle.inbox import collect
from cchc_xl.cycle.returns import Return, iter_returns
items, _ = collect(PAYLOAD["inbox"])
read = list(iter_returns(items, PAYLOAD["master_id"], PAYLOAD["key"]))
RESULT = ([i.digest for i in items], read,
          all(r.incoming is i for r, i in zip(read, items) if isinstance(r, Return)))
""", {"jobs": len(items), "inbox": inbox, "master_id": master_id, "key": key})
    here = list(iter_returns(items, master_id, key))
    # (a file without a saved time is read as saved when it is read, as openpyxl reads it)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(minutes=5)

    def plain(result):
        got = snapshot(result)
        if isinstance(got, dict) and got["saved_at"] and got["saved_at"] >= now:
            got["saved_at"] = "now"
        return got

    assert same_items and all(r.incoming is i for r, i in zip(here, items)
                              if isinstance(r, Return))
    assert len(here) == len(returns) + 3 and sum(isinstance(r, Return) for r in here) >= 8
    assert pooled_digests == [i.digest for i in items]
    assert [plain(r) for r in pooled] == [plain(r) for r in here]


def snapshot(result: Return | Problem):
    """What the reader gives, as plain comparable data (a missing saved time is 'now')."""
    if isinstance(result, Problem):
        return result
    fields = dict(vars(result))
    fields["incoming"] = result.incoming.name
    fields["saved_at"] = "now" if result.incoming.name == "nocore.xlsx" else result.saved_at
    return fields


def test_a_file_gone_after_the_listing_is_reported_as_gone(cycle, returns, tmp_path):
    master, _, _ = cycle
    key, master_id = identity(master)
    inbox = tmp_path / "nhan"
    inbox.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(returns["lead edits"], inbox / name)
    items, _ = collect(inbox)
    (inbox / "a.xlsx").unlink()  # (deleted by someone while the consolidation runs)
    gone, kept = iter_returns(items, master_id, key)
    assert isinstance(gone, Problem) and gone.code == "file-vanished"
    assert gone.message("en") == (
        "a.xlsx was no longer in the folder when it was read (deleted or moved during the "
        "consolidation). Run the consolidation again if the file is put back.")
    assert isinstance(kept, Return)


def test_officer_workbooks_written_on_both_cores_hold_the_same(cycle, tmp_path):
    """Workbooks written by a pool's forked workers hold byte for byte what one process
    writes (but the time stamps of their core properties)."""
    from cchc_xl.cycle.fill import assignments, officer_sheet
    from cchc_xl.cycle.officer_workbook import write_officer_workbooks
    from cchc_xl.master.reading import read_master

    master, _, _ = cycle
    wb = load(master)
    view = read_master(wb)
    key = master_key(wb)
    sheets = [officer_sheet(view, name, rows, round_name="Đợt 9", now=NOW, due=AS_OF,
                            master_id="m", master_file="m.xlsx")
              for name, rows in assignments(view).items() if rows]
    in_a_fresh_process(POOLED + """
from cchc_xl.cycle.officer_workbook import write_officer_workbooks
write_officer_workbooks(PAYLOAD["work"])
RESULT = None
""", {"jobs": len(sheets),
      "work": [(s, key, tmp_path / f"p{i}.xlsx") for i, s in enumerate(sheets)]})
    write_officer_workbooks([(s, key, tmp_path / f"s{i}.xlsx") for i, s in enumerate(sheets)])
    for i in range(len(sheets)):
        with zipfile.ZipFile(tmp_path / f"p{i}.xlsx") as a, zipfile.ZipFile(
                tmp_path / f"s{i}.xlsx") as b:
            assert a.namelist() == b.namelist()
            for part in a.namelist():
                if part != "docProps/core.xml":  # its time stamps
                    assert a.read(part) == b.read(part), part


@given(codes=st.lists(st.text(alphabet="12.x", max_size=6), max_size=12))
def test_codes_with_children_is_the_scan_it_replaces(codes):
    """plan.codes_with_children (scoring uses it: a province's plan has thousands of rows)
    finds exactly the codes the per-row scan found."""
    from cchc_xl.plan.tree import codes_with_children

    parents = codes_with_children(codes)
    for code in codes:
        assert (code in parents) == any(c.startswith(code + ".") for c in codes), code


@given(codes=st.lists(st.text(alphabet="12.x", max_size=6), max_size=12))
def test_children_by_parent_is_the_scan_it_replaces(codes):
    """plan.children_by_parent (validate, the formulas and the master builder use it) lists,
    for each code, exactly the codes whose parent it is, in order."""
    from cchc_xl.plan.tree import children_by_parent, parent_code

    below = children_by_parent(codes)
    for code in set(codes) | set(below):
        assert [codes[i] for i in below.get(code, [])] == [
            c for c in codes if parent_code(c) == code], code


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(
    st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.dates(),
    st.datetimes(), st.datetimes(timezones=st.sampled_from(
        [dt.timezone.utc, dt.timezone(dt.timedelta(hours=7))]))), max_size=12))
def test_remembered_canonical_forms_are_the_forms(values):
    """canonical() remembers the forms of numbers and dates; each is the one worked out
    afresh, whatever was asked before (1, 1.0 and True; one instant in two time zones)."""
    from cchc_xl.cycle.stamp import _canonical, canonical

    for value in [*values, *values]:
        assert canonical(value) == _canonical(value), value
    assert [canonical(v) for v in (1, 1.0, True, 0, False)] == ["1", "1", "TRUE", "0", "FALSE"]
    seven = dt.datetime(2021, 6, 20, 16, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert canonical(seven.astimezone(dt.timezone.utc)) != canonical(seven)


# --- formulas found in the text, as the tree has them -------------------------------------------

_SHEET = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://'
          'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="3">'
          '<c r="A3" t="s"><v>0</v></c>{cells}</row></sheetData>'
          '<dataValidations count="1"><dataValidation sqref="B3"><formula1>$I$4:$I$9</formula1>'
          '</dataValidation></dataValidations></worksheet>')
_WRITTEN = (  # how a formula cell may be written: Excel, LibreOffice, openpyxl, by hand
    '<c r="B3" s="4"><f>{f}</f><v>1</v></c>',
    '<c r="B3"><f>{f}</f><v></v></c>',
    '<c r="B3" s="4" t="str"><f t="shared" ref="B3:B5" si="0">{f}</f><v>x</v></c>'
    '<c r="C3" s="4" t="str"><f t="shared" si="0"/><v>y</v></c>',
    '<c r="B3" s="4"><f aca="false">{f}</f><v>1</v></c>',
    '<c r="B3" s="4">\n  <f>{f}</f>\n  <v>1</v>\n</c>',
    '<c r="B3" s="4"><f><![CDATA[{f}]]></f><v>1</v></c>',  # (the tree is read)
    '<c r="B3" s="4"><v>1</v><f>{f}</f></c>',  # (out of order: the tree is read)
    '<c r="B3" t="inlineStr"><is><r><rPr><family val="2"/></rPr><t>a</t></r></is></c>'
    '<c r="C3"><f>{f}</f></c>',
)


@settings(max_examples=150, deadline=None)
@given(text=st.text(st.sampled_from('ABC12$:+-*/()"&<>\'=, ;\r\nđĐãầ_x000D_'), max_size=40),
       written=st.sampled_from(_WRITTEN), line_end_escaped=st.booleans())
def test_formulas_found_in_the_text_are_those_of_the_tree(text, written, line_end_escaped):
    """A formula's text is found without building the sheet's tree where it is written as
    Excel, LibreOffice and openpyxl write it: the same text, entities and Vietnamese
    decoded, as the tree gives (and so openpyxl); written otherwise, the tree is read."""
    from xml.sax.saxutils import escape

    from cchc_xl.cycle.return_sheets import _cells_span, _formula_cells, _formulas_of_tree

    if "CDATA" in written:
        if "]]>" in text:
            return
        f = text
    else:  # (a line end kept raw is one a parser changes: the tree is read)
        f = escape(text, {'"': "&quot;", **({"\r": "&#13;"} if line_end_escaped else {})})
    xml = _SHEET.format(cells=written.format(f=f)).encode("utf-8")
    found = _formula_cells(xml, _cells_span(xml))
    assert found == _formulas_of_tree(xml)
    assert [(c, r) for c, r, _ in found][:1] in ([("B", 3)], [("C", 3)])

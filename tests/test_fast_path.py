"""The fast paths give exactly what the plain paths give: fast_read.read_return_fast against
returns.open_return (openpyxl) on varied returns, whole consolidations with either reader, and
officer workbooks written on both cores against those written in one process."""

from __future__ import annotations

import datetime as dt
import io
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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_xl import consolidate as consolidate_module
from cchc_xl import fast_read, layout, parallel
from cchc_xl.consolidate import consolidate
from cchc_xl.inbox import Incoming, collect
from cchc_xl.problems import Problem
from cchc_xl.returns import Return, open_return
from cchc_xl.stamp import master_key

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


def snapshot(result: Return | Problem, now_saved: bool = False):
    """What a reader gives, as plain comparable data (a missing saved time is 'now' in both
    readers, UTC: checked to be within a minute of now, then compared as 'now')."""
    if isinstance(result, Problem):
        return result
    fields = dict(vars(result))
    fields["incoming"] = result.incoming.name
    if now_saved:
        now = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
        assert abs(now - result.saved_at) < dt.timedelta(minutes=1)
        fields["saved_at"] = "now"
    return fields


FALLBACK = {"shared formula (read with openpyxl)", "damaged sheet XML", "two dimensions"}


def test_fast_reader_gives_exactly_what_openpyxl_gives(cycle, returns):
    master, _, _ = cycle
    key, master_id = identity(master)
    seen = set()
    for name, path in returns.items():
        item = Incoming(path.name, path.read_bytes(), 0.0)
        plain, fast = open_return(item, master_id, key), fast_read.read_return_fast(
            item, master_id, key)
        same = name == "no core properties"
        assert snapshot(fast, same) == snapshot(plain, same), name
        served = fast_read.read_xlsx(item, master_id, key) is not None
        assert served is (name not in FALLBACK) or path.suffix != ".xlsx", name
        seen.add(plain.code if isinstance(plain, Problem) else "return")
    # The table covers applied returns and every kind of refusal the reader decides.
    assert {"return", "stamp-missing", "stamp-tampered", "stamp-damaged", "other-master",
            "not-a-return", "file-corrupt"} <= seen


def test_the_varied_returns_really_vary(cycle, returns):
    """Guards the table above: the edits reach the reader (problems, formulas, formats)."""
    master, _, _ = cycle
    key, master_id = identity(master)

    def read(name):
        path = returns[name]
        return fast_read.read_return_fast(Incoming(path.name, path.read_bytes(), 0.0),
                                          master_id, key)

    types = read("formula and types")
    assert types.rows["2.5"].formulas == {"progress"}
    assert types.rows["3.2.3"].formats["progress"] == "0%"
    assert types.rows["3.2.3"].values["result"] == dt.datetime(2021, 5, 3)
    assert types.rows["4.2"].values["expected"] is True
    assert [p.code for p in read("merged inputs").problems] == ["cells-merged"]
    assert [p.code for p in read("macro workbook").problems] == ["macros-ignored"]
    assert read("shared strings with runs").rows["2.5"].values["status"] == DONE
    # openpyxl reads a sheet only as wide as it says: the last input column is then missing,
    # and the file is refused whole (nothing read as emptied)
    narrow = read("dimension too small")
    assert (narrow.code, narrow.params["label"]) == ("officer-input-column-missing",
                                                     "Khó khăn, kiến nghị")
    issued = read("as issued (XlsxWriter)").stamp
    got = read("stamp rewritten").stamp  # the same stamp, in other cells
    assert (got.role, got.issued_at, got.rows) == (issued.role, issued.issued_at, issued.rows)
    other = read("lead edits").stamp  # what recurs in every return is held once
    assert other.master_id is issued.master_id and other.round is issued.round
    assert other.rows[0].part is issued.rows[0].part and other.rows[0].code is issued.rows[0].code
    assert [read(n).code for n in ("stamp edited", "stamp broken", "stamp retyped")
            ] == ["stamp-tampered", "stamp-damaged", "stamp-tampered"]


@pytest.mark.libreoffice
def test_libreoffice_resaves_read_the_same(cycle, returns, soffice, tmp_path):
    from cchc_xl.libreoffice import convert

    master, _, _ = cycle
    key, master_id = identity(master)
    for name in ("lead edits", "formula and types", "merged inputs"):
        resaved = convert([returns[name]], tmp_path / re.sub(r"\W", "-", name), "xlsx",
                          recalc=False)[0]
        item = Incoming(resaved.name, resaved.read_bytes(), 0.0)
        plain = open_return(item, master_id, key)
        assert isinstance(plain, Return), name
        assert fast_read.read_xlsx(item, master_id, key) is not None, name
        assert snapshot(fast_read.read_return_fast(item, master_id, key)) == snapshot(plain)


def master_contents(master: Path) -> dict:
    wb = load(master)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()]
            for ws in wb.worksheets}


def test_consolidation_with_either_reader_gives_the_same_master(cycle, returns, tmp_path,
                                                                 monkeypatch):
    master, outbox, _ = cycle
    inbox = tmp_path / "nhan"
    inbox.mkdir()
    for name, path in returns.items():
        if name not in ("no core properties", "stamp deleted"):
            shutil.copy(path, inbox / path.name)
    edit_return(outbox / FILES["VH"], inbox / "van hoa.xlsx", {"7.1.6": {"status": DONE}})
    results = {}
    fast_xlsx = fast_read.read_xlsx
    for reader in ("plain", "fast"):
        work = tmp_path / reader
        work.mkdir()
        copy = work / master.name
        shutil.copy(master, copy)
        if reader == "plain":  # every reader falls back to openpyxl, wired or not
            monkeypatch.setattr(fast_read, "read_xlsx", lambda *args: None)
        else:
            monkeypatch.setattr(fast_read, "read_xlsx", fast_xlsx)
            if hasattr(consolidate_module, "open_return"):  # not wired in yet
                monkeypatch.setattr(consolidate_module, "open_return",
                                    fast_read.read_return_fast)
        report = consolidate(copy, inbox, now=NOW, as_of=AS_OF)
        data = report.to_dict()
        data.pop("backup"), data.pop("report_path"), data.pop("master")
        results[reader] = (master_contents(copy), data)
    assert results["fast"] == results["plain"]
    assert results["plain"][1]["changes"]  # something was applied


def test_large_parts_are_left_to_openpyxl_streaming(cycle, returns, monkeypatch):
    """A part above fast_read.MAX_PART (a return padded with a million rows) is read by
    openpyxl, which streams and stops at returns.MAX_ROWS rows: same result, bounded memory."""
    master, _, _ = cycle
    key, master_id = identity(master)
    path = returns["lead edits"]
    item = Incoming(path.name, path.read_bytes(), 0.0)
    monkeypatch.setattr(fast_read, "MAX_PART", 2000)
    assert fast_read.read_xlsx(item, master_id, key) is None
    assert snapshot(fast_read.read_return_fast(item, master_id, key)) == snapshot(
        open_return(item, master_id, key))


@pytest.fixture(params=["fork", "spawn"])
def pool(request, monkeypatch):
    """Two workers for any batch, started the given way: fork (Linux) and spawn (how Windows
    and macOS start them: each worker imports the package again and gets its jobs pickled)."""
    import multiprocessing

    if request.param not in multiprocessing.get_all_start_methods():
        pytest.skip(f"this system cannot start processes by {request.param}")
    context = multiprocessing.get_context(request.param)
    started: list[str] = []  # the pools started (imap asks for a context only to start one)

    def chosen():
        started.append(context.get_start_method())
        return context, request.param == "fork"

    monkeypatch.setattr(parallel, "_context", chosen)
    monkeypatch.setattr(parallel, "MIN_ITEMS_FORK", 1)
    monkeypatch.setattr(parallel, "MIN_ITEMS_SPAWN", 1)
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    yield started
    assert started == [request.param] * len(started) != []  # a pool ran, started so


def test_reading_on_both_cores_gives_the_same_list(cycle, returns, pool):
    master, _, _ = cycle
    key, master_id = identity(master)
    items = [Incoming(p.name, p.read_bytes(), 0.0) for p in returns.values()]
    pooled = fast_read.read_returns(items, master_id, key)
    alone = [fast_read.read_return_fast(i, master_id, key) for i in items]
    assert [snapshot(r, True) for r in pooled] == [snapshot(r, True) for r in alone]
    assert all(r.incoming is i for r, i in zip(pooled, items) if isinstance(r, Return))


def test_returns_held_are_kept_out_of_the_collectors_sight_while_reading(cycle, returns,
                                                                        monkeypatch):
    """While a batch is read, what is alive is frozen at the start and every FREEZE_EVERY
    returns; all is handed back to the collector when the batch ends, or is left unfinished."""
    import gc

    master, _, _ = cycle
    key, master_id = identity(master)
    items = [Incoming(p.name, p.read_bytes(), 0.0) for p in returns.values()]
    monkeypatch.setattr(fast_read, "FREEZE_EVERY", 2)
    assert gc.get_freeze_count() == 0
    frozen = [gc.get_freeze_count() for _ in fast_read.iter_returns(items, master_id, key)]
    assert 0 < frozen[0] < frozen[1]  # (at the start, then again as the second is yielded)
    assert gc.get_freeze_count() == 0
    unfinished = fast_read.iter_returns(items, master_id, key)
    next(unfinished), next(unfinished)
    assert gc.get_freeze_count() > 0
    unfinished.close()
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a caller's own freeze: neither added to nor handed back by the reading
    try:
        before = gc.get_freeze_count()
        assert len(list(fast_read.iter_returns(items, master_id, key))) == len(items)
        assert 0 < gc.get_freeze_count() <= before  # (nothing added, nothing handed back)
    finally:
        gc.unfreeze()


def test_files_read_on_both_cores_once_each_and_ones_seen_before_skipped(cycle, returns,
                                                                          pool):
    """Files listed by path are read where they are parsed (on both cores here): each item
    comes back with the digest of its bytes, and a file whose digest was consolidated before
    is not parsed (None), the rest exactly as read in this process."""
    import hashlib

    master, _, _ = cycle
    key, master_id = identity(master)
    paths = list(returns.values())
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
    items = [Incoming(p.name, mtime=0.0, path=p) for p in paths]
    assert all(i.digest is None for i in items)
    pooled = list(fast_read.iter_returns(items, master_id, key, skip=frozenset(digests[:1])))
    assert [i.digest for i in items] == digests
    assert pooled[0] is None
    alone = [fast_read.read_return_fast(Incoming(p.name, p.read_bytes(), 0.0), master_id, key)
             for p in paths[1:]]
    assert [snapshot(r, True) for r in pooled[1:]] == [snapshot(r, True) for r in alone]
    assert all(r.incoming is i for r, i in zip(pooled[1:], items[1:]) if isinstance(r, Return))


def test_a_file_gone_after_the_listing_is_reported_as_gone(cycle, returns, tmp_path):
    master, _, _ = cycle
    key, master_id = identity(master)
    inbox = tmp_path / "nhan"
    inbox.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(returns["lead edits"], inbox / name)
    items, _ = collect(inbox)
    (inbox / "a.xlsx").unlink()  # (deleted by someone while the consolidation runs)
    gone, kept = fast_read.iter_returns(items, master_id, key)
    assert isinstance(gone, Problem) and gone.code == "file-vanished"
    assert gone.message("en") == (
        "a.xlsx was no longer in the folder when it was read (deleted or moved during the "
        "consolidation). Run the consolidation again if the file is put back.")
    assert isinstance(kept, Return)


def test_officer_workbooks_written_on_both_cores_hold_the_same(cycle, tmp_path, monkeypatch,
                                                              pool):
    from cchc_xl.fill import assignments, officer_sheet
    from cchc_xl.master_read import read_master
    from cchc_xl.officer_workbook import write_officer_workbooks

    master, _, _ = cycle
    wb = load(master)
    view = read_master(wb)
    key = master_key(wb)
    sheets = [officer_sheet(view, name, rows, round_name="Đợt 9", now=NOW, due=AS_OF,
                            master_id="m", master_file="m.xlsx")
              for name, rows in assignments(view).items() if rows]
    write_officer_workbooks([(s, key, tmp_path / f"p{i}.xlsx") for i, s in enumerate(sheets)])
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    write_officer_workbooks([(s, key, tmp_path / f"s{i}.xlsx") for i, s in enumerate(sheets)])
    for i in range(len(sheets)):
        with zipfile.ZipFile(tmp_path / f"p{i}.xlsx") as a, zipfile.ZipFile(
                tmp_path / f"s{i}.xlsx") as b:
            assert a.namelist() == b.namelist()
            for part in a.namelist():
                if part != "docProps/core.xml":  # its time stamps
                    assert a.read(part) == b.read(part), part


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20),
    st.sampled_from(["=1+1", "=H15", "hoan thanh", "70%", "0,75", "_x000D_", "_x005F_x0041_"]),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2050, 1, 1)))
FORMATS = st.sampled_from(["General", "0%", "0.00", "dd/mm/yyyy", "@", "h:mm"])


@pytest.fixture(scope="module")
def hypothesis_base(cycle):
    master, outbox, base = cycle
    return master, outbox / FILES["TP"], identity(master), base


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cells=st.lists(st.tuples(st.integers(0, 11), st.sampled_from(
    [c.key for c in O.columns if c.officer_input]), VALUES, FORMATS), max_size=8))
def test_any_typed_input_reads_the_same(hypothesis_base, cells):
    master, src, (key, master_id), base = hypothesis_base
    wb = load(src)
    ws = wb[O.name]
    for row, field, value, number_format in cells:
        cell = ws.cell(row=O.first_row + row, column=O.index(field))
        try:
            cell.value = value
        except Exception:  # openpyxl refuses some characters: nothing to compare then
            continue
        cell.number_format = number_format
    out = io.BytesIO()
    wb.save(out)
    item = Incoming("r.xlsx", out.getvalue(), 0.0)
    plain = open_return(item, master_id, key)
    assert fast_read.read_xlsx(item, master_id, key) is not None
    assert snapshot(fast_read.read_return_fast(item, master_id, key)) == snapshot(plain)


def test_collect_then_read_matches_consolidates_own_reading(cycle, returns, tmp_path):
    """The batch API reads an inbox as consolidate does (collect, then each file)."""
    master, _, _ = cycle
    key, master_id = identity(master)
    inbox = tmp_path / "box"
    inbox.mkdir()
    for path in list(returns.values())[:6]:
        shutil.copy(path, inbox / path.name)
    items, _ = collect(inbox)
    assert [snapshot(r) for r in fast_read.read_returns(items, master_id, key)] == [
        snapshot(open_return(i, master_id, key)) for i in items]


@given(codes=st.lists(st.text(alphabet="12.x", max_size=6), max_size=12))
def test_codes_with_children_is_the_scan_it_replaces(codes):
    """plan.codes_with_children (scoring uses it: a province's plan has thousands of rows)
    finds exactly the codes the per-row scan found."""
    from cchc_xl.plan import codes_with_children

    parents = codes_with_children(codes)
    for code in codes:
        assert (code in parents) == any(c.startswith(code + ".") for c in codes), code


@given(codes=st.lists(st.text(alphabet="12.x", max_size=6), max_size=12))
def test_children_by_parent_is_the_scan_it_replaces(codes):
    """plan.children_by_parent (validate, the formulas and the master builder use it) lists,
    for each code, exactly the codes whose parent it is, in order."""
    from cchc_xl.plan import children_by_parent, parent_code

    below = children_by_parent(codes)
    for code in set(codes) | set(below):
        assert [codes[i] for i in below.get(code, [])] == [
            c for c in codes if parent_code(c) == code], code


def test_shared_mappings_keep_each_value_exactly_as_read():
    """compact.shared gives one read-only copy per distinct content, and never mistakes 1,
    1.0 and True (equal in Python) or 0.0 and -0.0 for one another."""
    from cchc_xl.compact import shared

    first = shared({"status": "Đang thực hiện", "progress": 0.5})
    assert shared({"status": "Đang thực hiện", "progress": 0.5}) is first
    kinds = [shared({"progress": v}) for v in (1, 1.0, True, 0.0, -0.0)]
    assert [repr(m["progress"]) for m in kinds] == ["1", "1.0", "True", "0.0", "-0.0"]
    with pytest.raises(TypeError):
        first["status"] = "Hoàn thành"  # read-only: every return holding it sees the same
    import pickle

    assert pickle.loads(pickle.dumps(first)) is first  # back from a worker: shared again
    assert dict(first) == {"status": "Đang thực hiện", "progress": 0.5}


SST = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9" '
       'uniqueCount="9">{items}</sst>')


@pytest.mark.parametrize("items", [
    '<si><t>Chưa thực hiện</t></si><si><t xml:space="preserve"> Hoàn thành </t></si>',
    '<si><t>Ho&#224;n th&#224;nh &amp; x005F_x000D_ _x005F_</t></si><si><t>b</t></si>',
    '<si><t>a</t></si><si><t></t></si><si><t/></si><si><t>c</t></si>',
    '<si><t>a</t></si><si><t xml:space="default">b</t></si>',
    '<si><r><t>Đang </t></r><r><rPr><b/></rPr><t>thực hiện</t></r></si><si><t>x</t></si>',
    '<si><t>Sơn Giang</t><rPh sb="0" eb="1"><t>son</t></rPh></si><si><t>y</t></si>',
    '<si><t>a<![CDATA[<b>]]>c</t></si><si><t>d</t></si>',
    '\n  <si>\n    <t>dòng 1\ndòng 2</t>\n  </si>\n',
])
def test_shared_strings_read_as_openpyxl_reads_them(items):
    """The shared-string table read in one call when every item is plain, item by item
    otherwise: either way the texts openpyxl's own reader gives, in its order."""
    from openpyxl.reader.strings import read_string_table

    from cchc_xl.fast_read import _strings

    data = SST.format(items=items).encode("utf-8")
    assert _strings(data) == [str(t) for t in read_string_table(io.BytesIO(data))]


PLAIN_TABLES = [  # read from the text, without building a tree
    SST.format(items='<si><t>Chưa thực hiện</t></si><si><t xml:space="preserve"> a </t></si>'
                     '<si><t></t></si><si><t>x005F_ > 👍🏽</t></si>'),
    SST.format(items="").replace(' count="9" uniqueCount="9"', ""),
    SST.format(items="<si><t>b\nc\td</t></si>").replace("\n<sst", "<sst") + "\r\n",
    SST.format(items="<si><t>e</t></si>").split("\n", 1)[1].replace(
        'count="9"', 'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
                     ' count="9"'),
]
NOT_WELL_FORMED = [  # the same shape, but lxml and openpyxl refuse it: so must the reader
    SST.format(items="<si><t>a\x01b</t></si>"),
    SST.format(items="<si><t>a]]>b</t></si>"),
    SST.format(items="<si><t>a\uffffb</t></si>"),
    SST.format(items="<si><t>a</t></si>").replace('count="9"', 'count="9\uffff"'),
    SST.format(items="<si><t>a</t></si>").replace('count="9"', 'count="\x01"'),
    SST.format(items="<si><t>a</t></si>").replace('count="9"', 'count="9" count="8"'),
    SST.format(items="<si><t>a</t></si>").replace('count="9"', 'xmlns:p=""'),
    SST.format(items="<si><t>a</t></si>").replace('count="9"', 'p:count="9"'),
    SST.format(items="<si><t>a</t></si>").replace('count="9"', 'xmlns:xmlns="urn:x"'),
]


@pytest.mark.parametrize("table", PLAIN_TABLES)
def test_plain_shared_string_tables_are_read_without_a_tree(table, monkeypatch):
    from openpyxl.reader.strings import read_string_table

    data = table.encode("utf-8")
    expected = [str(t) for t in read_string_table(io.BytesIO(data))]

    def no_tree(data):
        raise AssertionError("a tree was built")

    monkeypatch.setattr(fast_read, "_xml", no_tree)
    assert fast_read._strings(data) == expected


@pytest.mark.parametrize("table", [*NOT_WELL_FORMED, "invalid UTF-8"])
def test_shared_string_tables_that_are_not_xml_are_refused(table):
    from openpyxl.reader.strings import read_string_table

    data = (SST.format(items="<si><t>a\xffb</t></si>").encode("utf-8").replace(b"\xc3\xbf",
                                                                               b"\xff")
            if table == "invalid UTF-8" else table.encode("utf-8"))
    with pytest.raises((SyntaxError, ValueError)):  # (lxml's and ElementTree's parse errors)
        read_string_table(io.BytesIO(data))
    with pytest.raises((SyntaxError, ValueError)):
        fast_read._strings(data)



@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(
    st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.dates(),
    st.datetimes(), st.datetimes(timezones=st.sampled_from(
        [dt.timezone.utc, dt.timezone(dt.timedelta(hours=7))]))), max_size=12))
def test_remembered_canonical_forms_are_the_forms(values):
    """canonical() remembers the forms of numbers and dates; each is the one worked out
    afresh, whatever was asked before (1, 1.0 and True; one instant in two time zones)."""
    from cchc_xl.stamp import _canonical, canonical

    for value in [*values, *values]:
        assert canonical(value) == _canonical(value), value
    assert [canonical(v) for v in (1, 1.0, True, 0, False)] == ["1", "1", "TRUE", "0", "FALSE"]
    seven = dt.datetime(2021, 6, 20, 16, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert canonical(seven.astimezone(dt.timezone.utc)) != canonical(seven)


def _listed(members) -> list:
    return [(m.filename, m.orig_filename, m.flag_bits, m.compress_type, m.CRC,
             m.compress_size, m.file_size, m.header_offset) for m in members]


def test_plain_zip_directories_are_listed_as_zipfile_lists_them(returns):
    from cchc_xl.inbox import _directory

    for name, path in returns.items():
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert _listed(_directory(data)) == _listed(z.infolist()), name


def _rewritten(src: Path, *, comment: bytes = b"", extra: bytes = b"", member_comment=b"",
               zip64: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for i, info in enumerate(zin.infolist()):
            new = zipfile.ZipInfo(info.filename, info.date_time)
            new.compress_type = zipfile.ZIP_DEFLATED
            if i == 1:
                new.extra, new.comment = extra, member_comment
            with zout.open(new, "w", force_zip64=zip64 and i == 1) as fh:
                fh.write(zin.read(info))
        zout.comment = comment
    return out.getvalue()


@pytest.mark.parametrize("way", ["archive comment", "extra field", "member comment",
                                 "zip64 local header"])
def test_other_zips_are_listed_by_zipfile_and_checked_the_same(returns, way):
    """Zips other than the plain ones are left to zipfile (_directory declines those whose
    directory holds more than it reads) or listed exactly as zipfile lists them; the package
    check and the reader take them as sound returns."""
    from cchc_xl.inbox import _directory, package_problem

    src = returns["as issued (XlsxWriter)"]
    data = {"archive comment": lambda: _rewritten(src, comment=b"ghi chu"),
            "extra field": lambda: _rewritten(src, extra=b"\xfe\xca\x00\x00"),
            "member comment": lambda: _rewritten(src, member_comment=b"x"),
            "zip64 local header": lambda: _rewritten(src, zip64=True)}[way]()
    assert _directory(_rewritten(src)) is not None  # the same, rewritten plainly: listed
    members = _directory(data)
    if way == "zip64 local header":  # (Zip64 only in the local header: a plain directory)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert _listed(members) == _listed(z.infolist())
    else:
        assert members is None
    assert package_problem(data, "r.xlsx") is None
    item = Incoming("r.xlsx", data, 0.0)
    assert fast_read.read_xlsx(item, "x", None) is not None

"""Every input of the inbox bounded before it is trusted: nesting (MIME parts, folders,
archives), what is read at all (regular files only, at most a limit whatever a size claims),
memory (a workbook in an e-mail or an archive is read only when its turn comes), the sheets a
reader would expand or scan whole, DTDs anywhere in a part; and what is not a return told once
per container, never once per file. Each hostile file is built here (tests/hostile_inputs.py)
and reported by its name while the rest of the inbox is applied. The bounds on time and memory
are generous; each fails by far on the reader these tests were written against (the figures
measured before and after are beside them: tests/measure_hostile.py measures them again)."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zipfile
from email.message import EmailMessage
from pathlib import Path

import hostile_inputs as H
import pytest
from cycle import FILES, edit_return, log_rows, make_cycle, rezip

from cchc_xl import layout
from cchc_xl.cycle.consolidate import consolidate
from cchc_xl.cycle.containers import MAX_ARCHIVE_WORKBOOKS
from cchc_xl.cycle.inbox import FOLDER_NAMED, MAX_FOLDER_DEPTH, collect
from cchc_xl.cycle.incoming import MAX_FILE_BYTES, STREAM_ABOVE, Incoming, Refused, read_regular
from cchc_xl.cycle.mime import MAX_DEPTH
from cchc_xl.problems import ERROR, INFO, WARNING, Problem

NOW = dt.datetime(2021, 6, 20, 9, 30)
AS_OF = dt.date(2021, 6, 30)
DONE, TODO = layout.STATUSES[2], layout.STATUSES[0]
GOOD_CHANGE = [("7.1.6", "status", TODO, DONE)]
TP_CHANGE = ("2.5", "status", TODO, DONE)


def run(master, inbox, **kw):
    return consolidate(master, inbox, now=NOW, as_of=AS_OF, **kw)


def codes(report) -> list[list[str]]:
    return sorted([p.where, p.code] for p in report.problems)


def changes(report) -> list[tuple]:
    return sorted((c.code, c.field, c.old, c.new) for c in report.changes)


@pytest.fixture
def good(tmp_path):
    """A cycle and one sound return in the inbox, to show the rest is still applied."""
    master, outbox, inbox = make_cycle(tmp_path)
    edit_return(outbox / FILES["VH"], inbox / "van hoa.xlsx", {"7.1.6": {"status": DONE}})
    return master, outbox, inbox


def tp_return(outbox: Path) -> bytes:
    """Tư pháp's return with 2.5 marked done."""
    return edit_return(outbox / FILES["TP"], outbox / "tp.xlsx",
                       {"2.5": {"status": DONE}}).read_bytes()


# A consolidation in a process of its own, under a time limit and, if asked, an address-space
# limit (a reader that expanded a hostile file would fail there instead of taking the
# machine's memory); its peak resident memory is its own (VmHWM).
APART = textwrap.dedent("""
    import datetime as dt, json, resource, sys, time
    if int(sys.argv[3]):
        resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
    from cchc_xl.cycle.consolidate import consolidate
    start = time.perf_counter()
    report = consolidate(sys.argv[1], sys.argv[2], now=dt.datetime(2021, 6, 20, 9, 30),
                         as_of=dt.date(2021, 6, 30))
    seconds = time.perf_counter() - start
    with open("/proc/self/status") as fh:
        peak = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:")) / 1024
    print(json.dumps({
        "seconds": seconds, "peak_mb": peak,
        "changes": sorted([c.code, c.field, c.new] for c in report.changes),
        "problems": sorted([p.where, p.code] for p in report.problems),
        "params": {p.file: {k: str(v) for k, v in p.params.items()} for p in report.problems}},
        ensure_ascii=False))
""")


def consolidate_apart(master: Path, inbox: Path, *, timeout: float = 120,
                      memory_mb: int = 0) -> dict:
    done = subprocess.run([sys.executable, "-c", APART, str(master), str(inbox),
                           str(memory_mb * 1024 * 1024)], capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(),
                                reason="peak memory is read from Linux's /proc")


# --- nesting: MIME parts, folders -------------------------------------------------------------

def test_an_email_nested_a_thousand_deep_is_refused_by_its_name(good):
    """1,000 multiparts each inside the last (68 KB): the e-mail package's parser recursed
    until RecursionError, which stopped the whole run (nothing applied, no file named)."""
    master, outbox, inbox = good
    H.nested_mime_eml(inbox / "long nhau.eml", 1000)
    start = time.perf_counter()
    report = run(master, inbox)
    assert time.perf_counter() - start < 20  # measured 0.11 s for the whole run
    assert changes(report) == GOOD_CHANGE
    assert codes(report) == [["long nhau.eml", "eml-too-complex"]]
    assert report.problems[0].message("en") == (
        f"The e-mail long nhau.eml is built unusually (parts nested more than {MAX_DEPTH} "
        "deep): not opened, to protect this computer. Open it, save the attached workbooks "
        "into the inbox folder and run again.")
    assert report.problems[0].message().startswith(
        f"Thư long nhau.eml có cấu trúc bất thường (các phần lồng nhau quá {MAX_DEPTH} cấp)")


def test_an_email_nested_to_the_limit_is_read(good):
    master, outbox, inbox = good
    H.nested_mime_eml(inbox / "sau.eml", MAX_DEPTH, attachment=tp_return(outbox))
    H.nested_mime_eml(inbox / "qua sau.eml", MAX_DEPTH + 1, attachment=tp_return(outbox))
    report = run(master, inbox)
    assert changes(report) == sorted([*GOOD_CHANGE, TP_CHANGE])
    assert codes(report) == [["qua sau.eml", "eml-too-complex"]]
    assert [f.name for f in report.files if f.outcome == "applied"] == [
        "sau.eml › phieu.xlsx", "van hoa.xlsx"]


def test_folders_nested_past_the_limit_are_reported_and_those_within_read(good):
    """1,100 folders one inside the other: the listing recursed until RecursionError."""
    master, outbox, inbox = good
    try:
        H.nested_folders(inbox, 1100)
        at_limit = inbox.joinpath(*["a"] * MAX_FOLDER_DEPTH)
        edit_return(outbox / FILES["TP"], at_limit / "tu phap.xlsx", {"2.5": {"status": DONE}})
        start = time.perf_counter()
        report = run(master, inbox)
        assert time.perf_counter() - start < 20  # measured 0.11 s
    finally:
        H.remove_tree(inbox / "a")  # (shutil.rmtree recurses too)
    assert changes(report) == sorted([*GOOD_CHANGE, TP_CHANGE])
    too_deep = os.sep.join(["a"] * (MAX_FOLDER_DEPTH + 1))
    assert codes(report) == [[too_deep, "folder-too-deep"]]
    assert report.problems[0].severity == ERROR
    assert report.problems[0].message("en") == (
        f"Folder {too_deep} lies more than {MAX_FOLDER_DEPTH} levels deep in the inbox: "
        "nothing in it was read. Move the returns in it closer to the inbox folder and run "
        "again.")


def test_a_backups_folder_in_the_inbox_is_reported_not_read(good):
    """A subfolder named sao-luu was passed over without a word."""
    master, outbox, inbox = good
    edit_return(outbox / FILES["TP"], inbox / "sao-luu" / "tu phap.xlsx",
                {"2.5": {"status": DONE}})
    report = run(master, inbox)
    assert changes(report) == GOOD_CHANGE
    assert codes(report) == [["sao-luu", "folder-backups"]]
    assert report.problems[0].severity == WARNING
    assert report.problems[0].message() == (
        "Không đọc thư mục sao-luu: «sao-luu» là tên thư mục công cụ dùng để giữ các bản sao "
        "lưu của sổ theo dõi, không phải phiếu. Nếu trong đó có phiếu cán bộ gửi về, chuyển "
        "chúng ra thư mục phiếu nhận (hoặc đổi tên thư mục) rồi chạy lại.")


# --- what is read at all: regular files, bytes bounded -------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes of POSIX systems")
def test_a_fifo_named_like_a_workbook_is_refused_without_waiting(good):
    """A named pipe called .xlsx: opening it waited for a writer, for ever."""
    master, outbox, inbox = good
    H.fifo(inbox / "ong.xlsx")
    H.fifo(inbox / "ong.eml")
    got = consolidate_apart(master, inbox, timeout=60)  # before: killed at the time limit
    assert got["changes"] == [["7.1.6", "status", DONE]]
    assert got["problems"] == [["ong.eml", "file-not-regular"], ["ong.xlsx", "file-not-regular"]]
    assert got["params"]["ong.xlsx"]["kind"] == "một ống dẫn có tên (FIFO)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes of POSIX systems")
def test_a_file_replaced_by_a_fifo_after_the_listing_is_refused_when_read(good):
    """The kind of file is checked again where it is opened (without waiting)."""
    _, _, inbox = good
    script = textwrap.dedent(f"""
        import json, os
        from pathlib import Path
        from cchc_xl.cycle.inbox import collect
        from cchc_xl.cycle.returns import load
        inbox = Path({str(inbox)!r})
        items, _ = collect(inbox)
        os.unlink(inbox / "van hoa.xlsx")
        os.mkfifo(inbox / "van hoa.xlsx")
        got = load(items[0])
        print(json.dumps([got.code, got.file, got.severity]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=True)
    assert json.loads(done.stdout) == ["file-not-regular", "van hoa.xlsx", WARNING]


@needs_proc
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="only root may make a device file")
def test_a_device_named_like_a_workbook_is_never_read(good):
    """A character device reading as endless zeros (its size says 0): read until
    MemoryError (measured: 10 s and 5.3 GB before it gave up)."""
    master, outbox, inbox = good
    H.zero_device(inbox / "thiet bi.xlsx")
    got = consolidate_apart(master, inbox, timeout=60, memory_mb=2048)
    assert got["problems"] == [["thiet bi.xlsx", "file-not-regular"]]
    assert got["params"]["thiet bi.xlsx"]["kind"] == "một tệp thiết bị"
    assert got["peak_mb"] < 300  # measured 55 MB


def test_a_file_is_read_up_to_its_limit_whatever_its_size_said(good):
    """A file that grew after the listing (a copy still arriving) is read to its limit plus
    one byte, then refused by name; the size a file claims is never trusted to stop a read."""
    from cchc_xl.cycle.returns import load

    _, _, inbox = good
    items, _ = collect(inbox)
    with open(inbox / "van hoa.xlsx", "ab") as fh:
        fh.truncate(3 * MAX_FILE_BYTES)
    tracemalloc.start()
    try:
        got = load(items[0])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(got, Problem) and (got.code, got.file) == ("file-too-large", "van hoa.xlsx")
    assert peak < 1.5 * MAX_FILE_BYTES  # before: all 60 MB read, then refused


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="Linux's /proc")
def test_a_regular_file_whose_size_lies_is_read_to_the_limit_only(tmp_path):
    """Files of /proc are regular and say they are empty, yet hold text."""
    data, _ = read_regular("/proc/self/status", 1_000_000)
    assert b"VmHWM" in data
    with pytest.raises(Refused) as refused:
        read_regular("/proc/self/smaps", 1000)
    assert (refused.value.code, refused.value.params) == (
        "file-too-large", {"size": "> 1000", "limit": 1000})
    link = tmp_path / "lien ket.xlsx"
    link.symlink_to("/proc/self/status")
    with pytest.raises(Refused) as refused:  # (a file replaced by a link after the listing)
        read_regular(link, 1_000_000)
    assert refused.value.code == "file-symlink"


# --- memory: a workbook in a container read when its turn comes ----------------------------

def test_attachments_are_read_one_at_a_time(good):
    """Every attachment of every e-mail was decoded and held while the inbox was listed
    (measured: 15 e-mails of 3 × 19 MB held 1.6 GB at once). Listing now holds no attachment,
    and reading holds one at a time; each is named when refused."""
    from cchc_xl.cycle.returns import iter_returns

    master, outbox, inbox = good
    H.emails_with_attachments(inbox, 6, 3, 2 * 1024 * 1024)  # 36 MB attached in all
    one_email = (inbox / "thu 00.eml").stat().st_size  # 8.4 MB
    tracemalloc.start()
    try:
        items, problems = collect(inbox)
        listing = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        results = list(iter_returns(items, "x", "k"))
        reading = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert listing < 2.5 * one_email  # measured 1.6× (one e-mail); before: 36 MB and more
    assert reading < 2.5 * one_email  # measured ≈ 1×
    names = [f"thu {e:02}.eml › phieu {a}.xlsx" for e in range(6) for a in range(3)]
    assert problems == [] and [i.name for i in items] == [*names, "van hoa.xlsx"]
    assert [(r.code, r.file) for r in results[:-1]] == [("file-renamed", n) for n in names]
    assert len(pickle.dumps(items[0])) < 1000  # where it lies, not its bytes
    from cchc_xl.cycle import containers

    assert containers._held is None  # the last e-mail let go once all was read
    report = run(master, inbox)
    assert changes(report) == GOOD_CHANGE
    assert codes(report) == sorted([n, "file-renamed"] for n in names)


def test_an_archive_rewritten_after_the_listing_is_told(good):
    from cchc_xl.cycle.returns import load

    master, outbox, inbox = good
    (inbox / "phieu.zip").write_bytes(H.zipped({"tu phap.xlsx": tp_return(outbox)}))
    items, _ = collect(inbox)
    (inbox / "phieu.zip").write_bytes(H.zipped({"tu phap.xlsx": tp_return(outbox),
                                                "ghi chu.txt": b"ok"}))
    got = load(next(i for i in items if i.name == "phieu.zip › tu phap.xlsx"))
    assert isinstance(got, Problem) and got.code == "container-changed"
    assert got.message("en") == (
        "phieu.zip › tu phap.xlsx was not read: the file holding it changed during the "
        "consolidation (it was still being copied or saved). Run the consolidation again once "
        "it is complete.")


def test_a_damaged_member_is_told_when_it_is_read(good):
    """A member whose bytes do not match their CRC is found where it is read (no longer while
    the inbox is listed), and named."""
    master, outbox, inbox = good
    data = bytearray(H.zipped({"a.xlsx": tp_return(outbox), "b.xlsx": b"PK" + bytes(
        range(256)) * 40}, zipfile.ZIP_STORED))
    data[data.find(bytes(range(256))) + 100] ^= 0xFF
    (inbox / "mot phan hong.zip").write_bytes(bytes(data))
    report = run(master, inbox)
    assert changes(report) == sorted([*GOOD_CHANGE, TP_CHANGE])
    assert codes(report) == [["mot phan hong.zip › b.xlsx", "file-corrupt"]]
    assert "Bad CRC-32 for file 'b.xlsx'" in report.problems[0].params["reason"]


# --- sheets a reader would expand or scan whole ---------------------------------------------

@needs_proc
@pytest.mark.parametrize("rows, columns, measured", [
    (1_048_575, 64, "4,153 MB and 5.5 s"), (60_000, 1024, "3,842 MB and 5.3 s")])
def test_an_ods_padded_past_its_cells_is_refused_before_it_is_expanded(good, rows, columns,
                                                                       measured):
    """A 1 KB .ods whose sheet LibreOffice padded to its edges, and one more row with a
    value in its last column: calamine filled rows × columns cells (before: {measured}; with
    twice the rows, an abort inside calamine)."""
    master, outbox, inbox = good
    H.padded_ods(inbox / "dem.ods", rows=rows, columns=columns)
    got = consolidate_apart(master, inbox, memory_mb=2048)
    assert got["changes"] == [["7.1.6", "status", DONE]]
    assert got["problems"] == [["dem.ods", "ods-too-large"]]
    assert got["params"]["dem.ods"] == {"file": "dem.ods", "sheet_name": layout.OFFICER.name,
                                        "rows": str(rows), "columns": str(columns)}
    assert got["peak_mb"] < 400 and got["seconds"] < 20  # measured 56 MB, 0.11 s


def test_an_ods_refused_is_told_how_to_fix_it(good):
    master, outbox, inbox = good
    H.padded_ods(inbox / "dem.ods", rows=50_000, columns=3)
    report = run(master, inbox)
    assert codes(report) == [["dem.ods", "ods-too-large"]]
    assert report.problems[0].message("en") == (
        f"dem.ods (.ods) has a sheet, '{layout.OFFICER.name}', used down to row 50000 and "
        "across to column 3: too large to read safely (a return has a few dozen rows), so it "
        "was not read. Ask the officer to delete the extra rows and columns at the end of the "
        "sheet and save (or fill in the .xlsx workbook they were sent), and send it again.")


@needs_proc
def test_a_large_workbook_without_a_stamp_is_refused_without_reading_its_sheets(good):
    """19 MB, one sheet of 2.5 million rows written without the <dimension> Excel puts before
    the cells: openpyxl's read-only loader parsed every row for the sheet's size (before:
    13 s and 285 MB for the run) though no cell of it was ever wanted."""
    master, outbox, inbox = good
    big = H.dimensionless_xlsx(inbox / "khong dau.xlsx", 2_500_000)
    assert 10_000_000 < big.stat().st_size < MAX_FILE_BYTES
    got = consolidate_apart(master, inbox)
    assert got["problems"] == [["khong dau.xlsx", "not-a-return"]]
    assert got["seconds"] < 6 and got["peak_mb"] < 200  # measured 0.63 s, 76 MB


@needs_proc
def test_a_stamp_sheet_whose_rows_never_end_is_refused(good):
    """Rows all numbered 1: openpyxl reads on until a row is numbered past those asked for,
    so to the end of the sheet (before: 34 s and 287 MB for 2.5 million such rows)."""
    master, outbox, inbox = good
    H.dimensionless_xlsx(inbox / "lap dong.xlsx", 1_000_000, sheet=layout.STAMP_SHEET,
                         row_number=lambda i: 1)
    got = consolidate_apart(master, inbox)
    assert got["problems"] == [["lap dong.xlsx", "file-corrupt"]]
    assert got["params"]["lap dong.xlsx"]["reason"].startswith("sheet «_cchc» lớn")
    assert got["seconds"] < 6 and got["peak_mb"] < 200  # measured 0.5 s, 64 MB


OUT_OF_ORDER = ("the rows of sheet '_cchc' are out of order (Excel always writes them in "
                "order)")


@pytest.mark.parametrize("rows, row_number, cells, reason", [
    (400_000, lambda i: 1, 1, OUT_OF_ORDER),
    (400_000, lambda i: "1.0", 1, OUT_OF_ORDER),  # (openpyxl reads 1.0 as row 1)
    (1, lambda i: 10_000_000, 600_000,  # one row past those read: openpyxl parses it whole
     "sheet '_cchc' has more than 500000 cells in its first {rows} rows")])
def test_a_sheet_openpyxl_would_read_past_its_bounds_is_refused(good, tmp_path, rows,
                                                                row_number, cells, reason):
    """With its <dimension>: the stamp sheet is streamed only so far as openpyxl would read
    it, and refused where that is past the bounds."""
    from cchc_xl.cycle.returns import STAMP_ROWS, open_return

    master, outbox, inbox = good
    path = H.dimensionless_xlsx(inbox / "lap dong.xlsx", rows, sheet=layout.STAMP_SHEET,
                                row_number=row_number, cells=cells, dimension="A1")
    item = Incoming(path.name, path.read_bytes(), 0.0)
    start = time.perf_counter()
    got = open_return(item, "x", "k")
    assert time.perf_counter() - start < 10  # measured 0.3 s at most
    assert (got.code, got.params["reason"].en) == ("file-corrupt",
                                                    reason.format(rows=STAMP_ROWS))


@needs_proc
def test_a_sealed_return_whose_sheet_claims_every_column_is_read_row_by_row(good):
    """A real return (sealed) whose officer sheet's <dimension> says A1:XFD1048576, with
    5,000 more rows below its table: every row is as wide as the sheet claims, and the fast
    reader held them all (before: 683 MB for this one file; openpyxl's path: 48 MB)."""
    import re

    master, outbox, inbox = good

    def widen(sheet: bytes) -> bytes:
        sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>',
                       sheet, count=1)
        rows = b"".join(b'<row r="%d"><c r="Z%d"><v>1</v></c></row>' % (r, r)
                        for r in range(40, 5100))
        return sheet.replace(b"</sheetData>", rows + b"</sheetData>", 1)

    src = edit_return(outbox / FILES["TP"], outbox / "tp.xlsx", {"2.5": {"status": DONE}})
    rezip(src, inbox / "rong.xlsx", replace={"xl/worksheets/sheet1.xml": widen})
    got = consolidate_apart(master, inbox)
    assert got["changes"] == [["2.5", "status", DONE], ["7.1.6", "status", DONE]]
    assert got["problems"] == [[f"rong.xlsx › {layout.OFFICER.name}", "too-many-rows"]]
    assert got["peak_mb"] < 300  # measured 53 MB


# --- DTDs anywhere in a part ----------------------------------------------------------------

def test_a_dtd_anywhere_in_a_part_is_refused(good):
    """Only a part's first 4 KiB were looked at: a comment of 5,000 bytes, then the DOCTYPE,
    passed (valid XML, and read as a return)."""
    master, outbox, inbox = good
    src = outbox / FILES["TP"]
    H.late_doctype(src, inbox / "muon.xlsx")
    H.late_doctype(src, inbox / "utf16.xlsx", encoding="utf-16")
    with zipfile.ZipFile(src) as z:
        head = z.read("xl/workbook.xml").split(b"?>", 1)[0]
    # In a part read in chunks (over STREAM_ABOVE), across the edge of two of them.
    edge = 4096 + STREAM_ABOVE - 4
    H.late_doctype(src, inbox / "rat muon.xlsx", "xl/workbook.xml",
                   after=edge - (len(head) + len("?><!--") + len("-->")))
    with zipfile.ZipFile(inbox / "rat muon.xlsx") as z:
        assert z.read("xl/workbook.xml").find(b"<!DOCTYPE") == edge
    report = run(master, inbox)
    assert changes(report) == GOOD_CHANGE
    assert codes(report) == [["muon.xlsx", "file-unsafe-xml"], ["rat muon.xlsx", "file-unsafe-xml"],
                             ["utf16.xlsx", "file-unsafe-xml"]]
    assert sorted((p.file, p.params["part"]) for p in report.problems) == [
        ("muon.xlsx", "xl/styles.xml"), ("rat muon.xlsx", "xl/workbook.xml"),
        ("utf16.xlsx", "xl/styles.xml")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-be", "utf-32"])
def test_a_declaration_split_across_chunks_is_found(encoding):
    from cchc_xl.cycle.incoming import _DtdWatch

    text = ("<?xml version='1.0'?><!-- " + "x" * 50 + " --><!DOCTYPE a []><a/>").encode(encoding)
    for cut in range(1, len(text)):
        for second in range(cut + 1, len(text) + 1, 7):
            watch = _DtdWatch()
            found = [watch.feed(text[:cut]), watch.feed(text[cut:second]),
                     watch.feed(text[second:])]
            assert any(found), (cut, second)
    assert not _DtdWatch().feed("<?xml version='1.0'?><!-- <!DOCTYP --><a/>".encode(encoding))


# --- what is not a return: once per container -----------------------------------------------

def test_an_archive_of_many_files_that_are_not_returns_is_one_problem(good):
    """50,000 empty files in a 5 MB zip were each a problem and a row of the master's log
    forever (before: 50,003 rows, the master 28 KB → 1.8 MB and 4.3 s to load; 8.5 s)."""
    master, outbox, inbox = good
    H.zip_of_empty_files(inbox / "rong.zip", 50_000)
    size, logged = master.stat().st_size, len(log_rows(master))
    start = time.perf_counter()
    report = run(master, inbox)
    assert time.perf_counter() - start < 20  # measured 0.4 s
    assert changes(report) == GOOD_CHANGE
    assert codes(report) == [["rong.zip", "members-not-read"], ["rong.zip", "zip-no-workbook"]]
    problem = next(p for p in report.problems if p.code == "members-not-read")
    assert (problem.severity, problem.params["count"]) == (WARNING, 50_000)
    assert problem.message() == (
        "Tệp nén rong.zip có 50000 tệp không phải phiếu nên không đọc (tep/00000.txt, "
        "tep/00001.txt, tep/00002.txt và 49997 tệp khác). Chỉ đọc phiếu .xlsx, .xlsm, .ods "
        "(kể cả trong tệp .zip và thư .eml); nếu trong đó có phiếu, đề nghị cán bộ gửi lại "
        "đúng tệp phiếu.")
    assert problem.message("en") == (
        "The archive rong.zip holds 50000 file(s) that are not returns and were not read "
        "(tep/00000.txt, tep/00001.txt, tep/00002.txt and 49997 more). Only .xlsx, .xlsm and "
        ".ods workbooks are read (also in .zip files and .eml e-mails); if a return is among "
        "these, ask the officer to send the workbook itself.")
    assert len(log_rows(master)) - logged == 3  # the change applied, the two problems
    assert master.stat().st_size - size < 20_000


def test_an_email_and_a_folder_tell_once_what_is_not_a_return(good):
    """In an e-mail, old Excel files and other archives attached are told once; in a folder,
    files not read are each told, up to FOLDER_NAMED of them, then once for all; temporary
    files alone are information only."""
    master, outbox, inbox = good
    msg = EmailMessage()
    msg["Subject"] = "phiếu"
    msg.set_content("gửi")
    for name in ("cu.xls", "nhi phan.xlsb", "nen.rar"):
        msg.add_attachment(b"\0\1", maintype="application", subtype="octet-stream",
                           filename=name)
    (inbox / "thu.eml").write_bytes(bytes(msg))
    for i in range(FOLDER_NAMED):
        (inbox / "ghi chu" / f"{i:02}.txt").parent.mkdir(exist_ok=True)
        (inbox / "ghi chu" / f"{i:02}.txt").write_bytes(b"x")
    (inbox / "anh").mkdir()
    for i in range(FOLDER_NAMED + 1):
        (inbox / "anh" / f"{i:02}.jpg").write_bytes(b"\xff\xd8\xff")
    (inbox / "tam").mkdir()
    for i in range(30):
        (inbox / "tam" / f"~$phieu {i}.xlsx").write_bytes(b"\0")
    report = run(master, inbox)
    assert changes(report) == GOOD_CHANGE
    sep = os.sep
    assert codes(report) == sorted([
        ["anh", "members-not-read"], ["tam", "members-not-read"],
        ["thu.eml", "members-not-read"],
        *([f"ghi chu{sep}{i:02}.txt", "file-not-workbook"] for i in range(FOLDER_NAMED))])
    by_file = {p.file: p for p in report.problems}
    mail, pictures, temporary = by_file["thu.eml"], by_file["anh"], by_file["tam"]
    assert (mail.severity, mail.params["count"], mail.params["names"]) == (
        ERROR, 3, "cu.xls, nhi phan.xlsb, nen.rar")
    assert mail.message("en") == (
        "The e-mail thu.eml holds 3 file(s) that are not returns and were not read (cu.xls, "
        "nhi phan.xlsb, nen.rar). Old (.xls) or binary (.xlsb) Excel files: open them in "
        "Excel, Save As > Excel Workbook (.xlsx), and send them again. Archives other than "
        ".zip (or a .zip within a .zip within a .zip): extract them into the inbox folder and "
        "run again.")
    assert (pictures.severity, pictures.params["count"]) == (WARNING, FOLDER_NAMED + 1)
    assert pictures.message().startswith(f"Thư mục anh có {FOLDER_NAMED + 1} tệp không phải")
    assert (temporary.severity, temporary.params["count"]) == (INFO, 30)
    assert temporary.message("en").endswith(
        "Temporary and system files (of Excel, LibreOffice, macOS, Windows) are not returns: "
        "nothing to do about them.")
    outcomes = {f.name: f.outcome for f in report.files}
    # one line each; a container holding what is not a return is not itself refused
    assert (outcomes["tam"], outcomes["anh"], outcomes["thu.eml"]) == (
        "ignored", "not-read", "not-read")
    assert [f.name for f in report.files].count("thu.eml") == 1


def test_an_archive_of_too_many_workbooks_is_refused_whole(good):
    master, outbox, inbox = good
    members = {f"{i:05}.xlsx": b"" for i in range(MAX_ARCHIVE_WORKBOOKS + 1)}
    (inbox / "qua nhieu.zip").write_bytes(H.zipped(members, zipfile.ZIP_STORED))
    report = run(master, inbox)
    assert changes(report) == GOOD_CHANGE
    assert codes(report) == [["qua nhieu.zip", "zip-too-many-workbooks"]]
    assert report.problems[0].params["count"] == MAX_ARCHIVE_WORKBOOKS + 1


def test_workbooks_in_archives_in_e_mails_are_read_out_of_them(good):
    """A return in a .zip in a .zip attached to an e-mail, stored or deflated: read out of
    its containers when its turn comes, exactly as the file itself."""
    master, outbox, inbox = good
    data = tp_return(outbox)
    inner = H.zipped({"phiếu tư pháp.xlsx": data}, zipfile.ZIP_DEFLATED)
    outer = H.zipped({"lan 2.zip": inner, "ghi chu.txt": b"x"}, zipfile.ZIP_STORED)
    msg = EmailMessage()
    msg["Subject"] = "phiếu"
    msg.set_content("gửi")
    msg.add_attachment(outer, maintype="application", subtype="zip", filename="phieu.zip")
    (inbox / "thu.eml").write_bytes(bytes(msg))
    items, _ = collect(inbox)
    assert [i.name for i in items] == ["thu.eml › phieu.zip › lan 2.zip › phiếu tư pháp.xlsx",
                                       "van hoa.xlsx"]
    assert items[0].loaded().data == data
    report = run(master, inbox)
    assert changes(report) == sorted([*GOOD_CHANGE, TP_CHANGE])
    assert codes(report) == [["thu.eml › phieu.zip › ghi chu.txt", "file-not-workbook"]]

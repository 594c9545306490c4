"""Hostile returns: bad files in the inbox and damaged content, each with an exact outcome
(problem code, file, cell), while the rest of the inbox is still applied."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import unicodedata
import zipfile
from email.message import EmailMessage
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
    plan_values,
    rezip,
    stamp_content,
)

from cchc_xl import layout
from cchc_xl.cycle.consolidate import consolidate
from cchc_xl.cycle.incoming import MAX_FILE_BYTES, MAX_RATIO, MAX_UNPACKED_BYTES

NOW = dt.datetime(2021, 6, 20, 9, 30)
AS_OF = dt.date(2021, 6, 30)
DONE, DOING, TODO = layout.STATUSES[2], layout.STATUSES[1], layout.STATUSES[0]
SHEET = f"'{O.name}'"


def run(master, inbox, **kw):
    return consolidate(master, inbox, now=NOW, as_of=AS_OF, **kw)


def codes(report) -> list[list[str]]:
    return sorted([p.where, p.code] for p in report.problems)


def changes(report) -> list[tuple]:
    return [(c.code, c.field, c.old, c.new) for c in report.changes]


@pytest.fixture
def cycle(tmp_path):
    return make_cycle(tmp_path)


@pytest.fixture
def good(cycle):
    """The cycle plus one sound return in the inbox, to show the rest is still applied."""
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["VH"], inbox / "van hoa.xlsx", {"7.1.6": {"status": DONE}})
    return master, outbox, inbox


GOOD_CHANGE = [("7.1.6", "status", TODO, DONE)]


# --- 1. bad files in the inbox -----------------------------------------------------------

def test_bad_files_each_reported_and_the_rest_applied(good, tmp_path):
    master, outbox, inbox = good
    data = (outbox / FILES["TP"]).read_bytes()
    (inbox / "cat-cut.xlsx").write_bytes(data[: len(data) // 2])  # truncated
    flipped = bytearray(data)
    for i in range(len(data) // 3, len(data) // 3 + 64):
        flipped[i] ^= 0x55
    (inbox / "hong.xlsx").write_bytes(bytes(flipped))  # corrupt in the middle
    (inbox / "bao cao.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n")
    (inbox / "ghi chu.xlsx").write_text("Kính gửi Văn phòng", encoding="utf-8")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    (inbox / "van ban.xlsx").write_bytes(docx.getvalue())
    (inbox / "rong.xlsx").write_bytes(b"")
    # An encrypted package is an OLE compound file with an EncryptedPackage stream.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    (inbox / "mat khau.xlsx").write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + b"\0")
    (inbox / "cu.xlsx").write_bytes(ole + "Workbook".encode("utf-16-le"))  # .xls renamed
    zipped = bytearray(data)  # a zip password on its members (the flag in both headers)
    for at in (zipped.find(b"PK\x03\x04"), zipped.find(b"PK\x01\x02")):
        zipped[at + (6 if zipped[at + 2] == 3 else 8)] |= 1
    (inbox / "mat khau zip.xlsx").write_bytes(bytes(zipped))
    (inbox / "cu2.xls").write_bytes(ole)
    (inbox / "nhi phan.xlsb").write_bytes(b"PK\x03\x04")
    xlsb = io.BytesIO()
    with zipfile.ZipFile(xlsb, "w") as z:
        z.writestr("xl/workbook.bin", b"\0")
    (inbox / "nhi phan 2.xlsx").write_bytes(xlsb.getvalue())
    for name in ("~$van hoa.xlsx", ".~lock.van hoa.xlsx#", "._van hoa.xlsx", "Thumbs.db",
                 ".DS_Store", "desktop.ini", "phieu.xlsx.tmp", "phieu.xlsx.crdownload"):
        (inbox / name).write_bytes(b"\0\1")
    report = run(master, inbox)
    assert changes(report) == GOOD_CHANGE
    assert codes(report) == sorted([
        [".DS_Store", "file-temporary"], ["._van hoa.xlsx", "file-temporary"],
        [".~lock.van hoa.xlsx#", "file-temporary"], ["Thumbs.db", "file-temporary"],
        ["bao cao.xlsx", "file-renamed"], ["cat-cut.xlsx", "file-corrupt"],
        ["cu.xlsx", "file-old-xls"], ["cu2.xls", "file-old-xls"],
        ["desktop.ini", "file-temporary"], ["ghi chu.xlsx", "file-renamed"],
        ["hong.xlsx", "file-corrupt"], ["mat khau zip.xlsx", "file-encrypted"],
        ["mat khau.xlsx", "file-encrypted"],
        ["nhi phan 2.xlsx", "file-xlsb"], ["nhi phan.xlsb", "file-xlsb"],
        ["phieu.xlsx.crdownload", "file-temporary"], ["phieu.xlsx.tmp", "file-temporary"],
        ["rong.xlsx", "file-empty"], ["van ban.xlsx", "file-renamed"],
        ["~$van hoa.xlsx", "file-temporary"]])
    by_file = {p.file: p for p in report.problems}
    assert by_file["bao cao.xlsx"].message() == (
        "Tệp bao cao.xlsx mang đuôi bảng tính nhưng thực ra là PDF, không phải phiếu Excel. Đề "
        "nghị cán bộ gửi lại đúng tệp phiếu .xlsx đã nhận.")
    assert by_file["van ban.xlsx"].params["kind"] == "văn bản Word (.docx)"
    assert by_file["cat-cut.xlsx"].params["reason"].startswith("tệp bị cắt cụt")
    # In English, what the file really is and why it cannot be read are English too.
    assert by_file["bao cao.xlsx"].message("en") == (
        "bao cao.xlsx has a spreadsheet's extension but is really a PDF file, not an Excel "
        "workbook. Ask the officer to send the .xlsx workbook they were sent.")
    assert "is really text or other data," in by_file["ghi chu.xlsx"].message("en")
    assert "is really a Word document (.docx)," in by_file["van ban.xlsx"].message("en")
    assert "(the file is cut short or its zip structure is damaged – " in by_file[
        "cat-cut.xlsx"].message("en")
    assert "Save As > Excel Workbook (.xlsx)" in by_file["cu.xlsx"].message()
    assert "bỏ mật khẩu" in by_file["mat khau.xlsx"].message()
    assert report.exit_code() == 1
    outcomes = {f.name: f.outcome for f in report.files}
    assert outcomes["~$van hoa.xlsx"] == "ignored" and outcomes["hong.xlsx"] == "rejected"


def test_unrelated_spreadsheet_other_commune_and_its_master(good, tmp_path):
    import xlsxwriter

    master, outbox, inbox = good
    book = xlsxwriter.Workbook(inbox / "bang luong.xlsx")
    book.add_worksheet("Lương").write_row(0, 0, ["Họ tên", "Lương"])
    book.close()
    other, other_out, _ = make_cycle(tmp_path / "xa-khac")
    shutil.copy(other_out / FILES["TP"], inbox / "phieu xa khac.xlsx")
    shutil.copy(other, inbox / "so xa khac.xlsx")
    report = run(master, inbox)
    assert changes(report) == GOOD_CHANGE
    assert codes(report) == [["bang luong.xlsx", "not-a-return"],
                             ["phieu xa khac.xlsx", "other-master"],
                             ["so xa khac.xlsx", "not-a-return"]]


def test_zip_bomb_refused_before_parsing_in_bounded_time(good):
    master, outbox, inbox = good
    bomb = inbox / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 20)
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 50):  # 250 MB of spaces
                fh.write(chunk)
    assert bomb.stat().st_size < 1_000_000
    start = time.perf_counter()
    report = run(master, inbox)
    elapsed = time.perf_counter() - start
    assert codes(report) == [["bom.xlsx", "file-zip-bomb"]]
    assert changes(report) == GOOD_CHANGE
    assert report.problems[0].params["ratio"] > MAX_RATIO
    # measured: the check takes about 1 ms and 0.06 MB; nothing is unpacked
    assert elapsed < 10


def test_file_above_the_size_limit_is_not_read(good):
    master, outbox, inbox = good
    with open(inbox / "lon.xlsx", "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    report = run(master, inbox)
    assert codes(report) == [["lon.xlsx", "file-too-large"]]


# The peak is this process's own (VmHWM): on Linux, ru_maxrss of a process started by fork and
# exec also counts the parent's memory at the fork (the test runner's, hundreds of MB).
MILLION = textwrap.dedent("""
    import datetime as dt, json, resource, sys, time
    from cchc_xl.cycle.consolidate import consolidate
    def peak_mb():
        try:
            with open("/proc/self/status") as fh:
                return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:")) / 1024
        except (OSError, StopIteration):
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    report = consolidate(sys.argv[1], sys.argv[2], now=dt.datetime(2021, 6, 20, 9, 30),
                         as_of=dt.date(2021, 6, 30))
    print(json.dumps({
        "seconds": time.perf_counter() - start,
        "peak_mb": peak_mb(),
        "changes": [[c.code, c.field, c.new] for c in report.changes],
        "problems": [[p.where, p.code] for p in report.problems]}))
""")


def million_row_return(issued: Path, dst: Path, rows: int) -> Path:
    """The issued workbook rewritten by XlsxWriter (constant memory) with 2.5 marked done and
    `rows` more rows under the table: a number in column M, beyond the report columns."""
    import xlsxwriter

    wb = load(issued)
    book = xlsxwriter.Workbook(dst, {"constant_memory": True})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    for name in (O.name, layout.EVIDENCE_OFFICER.name, layout.STAMP_SHEET):
        src, ws = wb[name], book.add_worksheet(name)
        last = src.max_row
        for r, cells in enumerate(src.iter_rows(values_only=True)):
            for c, value in enumerate(cells):
                if name == O.name and cells[0] == "2.5" and c == O.index("status") - 1:
                    value = DONE
                if isinstance(value, dt.datetime):
                    ws.write_datetime(r, c, value, date)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                elif value is not None:
                    ws.write(r, c, value)
        if name == O.name:
            for r in range(last, last + rows):
                ws.write_number(r, 12, r)
        elif name == layout.STAMP_SHEET:
            ws.very_hidden()
    book.close()
    return dst


def test_a_million_rows_bounded_in_time_and_memory(cycle, tmp_path):
    master, outbox, inbox = cycle
    big = million_row_return(outbox / FILES["TP"], inbox / "trieu dong.xlsx", 1_000_000)
    with zipfile.ZipFile(big) as z:
        sheet = max(z.infolist(), key=lambda i: i.file_size)
    assert sheet.file_size > 40_000_000 and big.stat().st_size < MAX_FILE_BYTES
    out = subprocess.run([sys.executable, "-c", MILLION, str(master), str(inbox)],
                         capture_output=True, text=True, check=True, timeout=300)
    measured = json.loads(out.stdout)
    print(f"\nmillion rows: {measured['seconds']:.2f} s, peak RSS {measured['peak_mb']:.0f} MB, "
          f"sheet XML {sheet.file_size / 1e6:.0f} MB")
    assert measured["changes"] == [["2.5", "status", DONE]]
    assert measured["problems"] == [["trieu dong.xlsx › Phiếu cập nhật", "too-many-rows"]]
    assert measured["seconds"] < 30  # measured 0.25 s: only MAX_ROWS rows are parsed
    assert measured["peak_mb"] < 400  # measured 65 MB (62 MB for a one-return inbox)


def test_libreoffice_resaves_are_read(cycle, tmp_path, soffice):
    """A return opened and saved by LibreOffice, as .xlsx or .ods: the stamp sheet survives
    (LibreOffice makes it hidden instead of very hidden) and its seals verify."""
    from cchc_xl.files.libreoffice import convert

    master, outbox, inbox = cycle
    edits = {"2.5": {"status": DONE, "progress": 100, "result": "Đã rà soát 12 văn bản",
                     "expected": 1}, "3.2.3": {"progress": "60%", "obstacles": "Thiếu máy"}}
    src = edit_return(outbox / FILES["TP"], tmp_path / "src" / "tu phap.xlsx", edits)
    xlsx = convert([src], tmp_path / "lo-xlsx", "xlsx", recalc=False)[0]
    ods = convert([src], tmp_path / "lo-ods", "ods", recalc=False)[0]
    assert load(xlsx)[layout.STAMP_SHEET].sheet_state == "hidden"
    expected = [("2.5", "status", TODO, DONE), ("2.5", "progress", None, 100.0),
                ("2.5", "result", None, "Đã rà soát 12 văn bản"), ("2.5", "expected", None, 1.0),
                ("3.2.3", "progress", None, 60.0), ("3.2.3", "obstacles", None, "Thiếu máy")]
    for path in (xlsx, ods):
        box = tmp_path / f"nhan-{path.suffix[1:]}"
        box.mkdir()
        shutil.copy(path, box / path.name)
        report = run(master, box, dry_run=True)
        assert (path.suffix, changes(report), codes(report)) == (path.suffix, expected, [])


def test_ods_without_stamp_and_real_xls(cycle, tmp_path, soffice):
    import xlsxwriter

    from cchc_xl.files.libreoffice import convert

    master, outbox, inbox = cycle
    plain = tmp_path / "src" / "tu phap.xlsx"
    plain.parent.mkdir()
    book = xlsxwriter.Workbook(plain)
    book.add_worksheet(O.name).write_row(0, 0, [c.label for c in O.columns])
    book.close()
    ods = convert([plain], inbox, "ods", recalc=False)[0]
    xls = convert([outbox / FILES["TP"]], tmp_path / "xls", "xls", recalc=False)[0]
    shutil.copy(xls, inbox / "cu.xls")
    shutil.copy(xls, inbox / "cu doi ten.xlsx")
    report = run(master, inbox)
    assert codes(report) == [["cu doi ten.xlsx", "file-old-xls"], ["cu.xls", "file-old-xls"],
                             [ods.name, "ods-stamp-missing"]]
    ods_problem = next(p for p in report.problems if p.code == "ods-stamp-missing")
    assert "chọn «Use Excel 2007-365!»" in ods_problem.message()


def test_macro_workbook_read_never_run(good):
    master, outbox, inbox = good
    src = edit_return(outbox / FILES["TP"], inbox.parent / "tp.xlsx", {"2.5": {"status": DONE}})
    rezip(src, inbox / "tu phap.xlsm", add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 Auto_Open"})
    report = run(master, inbox)
    assert sorted(changes(report)) == sorted([("2.5", "status", TODO, DONE), *GOOD_CHANGE])
    assert codes(report) == [["tu phap.xlsm", "macros-ignored"]]
    assert report.exit_code() == 0


def test_duplicate_copies_one_applied(good):
    master, outbox, inbox = good
    first = edit_return(outbox / FILES["TP"], inbox / "phieu.xlsx", {"2.5": {"status": DONE}})
    shutil.copy(first, inbox / "phieu (1).xlsx")
    os.utime(inbox / "phieu (1).xlsx", (0, 0))  # the older copy
    report = run(master, inbox)
    assert sorted(changes(report)) == sorted([("2.5", "status", TODO, DONE), *GOOD_CHANGE])
    assert codes(report) == [["phieu (1).xlsx", "duplicate-superseded"]]


def test_a_return_rewritten_while_the_inbox_is_read_is_read_as_it_is_when_opened(cycle):
    """Listing the inbox reads no file; each is read once, when it is opened, and the digest
    recorded for it is that of the very bytes applied. A copy rewritten after the listing
    (an officer's file still arriving) is applied as it is then, and recorded as such: the
    next run finds it consolidated."""
    import hashlib

    master, outbox, inbox = cycle
    edit_return(outbox / FILES["VH"], inbox / "a van hoa.xlsx", {"7.1.6": {"status": DONE}})
    late = edit_return(outbox / FILES["TP"], inbox / "b tu phap.xlsx", {"2.5": {"status": DOING}})

    def rewrite_b(i, total, name):
        if i == 1:  # a has been read, b not yet: its bytes change under us
            edit_return(outbox / FILES["TP"], late, {"2.5": {"status": DONE}})

    first = consolidate(master, inbox, now=NOW, as_of=AS_OF, progress=rewrite_b)
    assert sorted(changes(first)) == sorted([("2.5", "status", TODO, DONE), *GOOD_CHANGE])
    assert codes(first) == []
    R = layout.RECEIVED
    received = {r[R.index("file") - 1]: r[R.index("digest") - 1] for r in load(master)[
        R.name].iter_rows(min_row=R.header_row + 1, values_only=True)}
    assert received["b tu phap.xlsx"] == hashlib.sha256(late.read_bytes()).hexdigest()
    again = run(master, inbox)
    assert changes(again) == []
    assert [(f.name, f.outcome) for f in again.files] == [
        ("a van hoa.xlsx", "already"), ("b tu phap.xlsx", "already")]


def test_the_inbox_listing_holds_no_file_in_memory(good):
    """collect() holds no file's bytes: what a worker process is sent for a file is its name
    and path, not the workbook."""
    import hashlib
    import pickle

    from cchc_xl.cycle.inbox import collect

    _, _, inbox = good
    items, problems = collect(inbox)
    assert problems == [] and [i.name for i in items] == ["van hoa.xlsx"]
    assert items[0].digest is None  # not read yet
    size = (inbox / "van hoa.xlsx").stat().st_size
    sent = pickle.dumps(items[0])
    assert size > 5_000 and len(sent) < 600
    back = pickle.loads(sent)
    held = back.loaded()  # where it is opened: read once, its digest from those bytes
    assert held.data == (inbox / "van hoa.xlsx").read_bytes()
    assert back.digest == held.digest == hashlib.sha256(held.data).hexdigest()


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_part_damaged_inside_a_sound_zip_is_refused(cycle, tmp_path, method):
    """One byte changed inside a part's data (the zip's directory intact): its CRC no
    longer matches, so the file is refused as damaged, naming the part, whatever reads it."""

    from cchc_xl.cycle.incoming import Incoming, package_problem
    from cchc_xl.cycle.returns import open_return

    master, outbox, inbox = cycle
    good = edit_return(outbox / FILES["VH"], tmp_path / "good.xlsx", {"7.1.6": {"status": DONE}})
    with zipfile.ZipFile(good) as zin:
        parts = {i.filename: zin.read(i) for i in zin.infolist()}
    sheet = next(n for n, d in parts.items() if n.startswith("xl/worksheets/")
                 and b"7.1.6" in d)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    data = bytearray(buffer.getvalue())
    if method == zipfile.ZIP_STORED:
        at = data.index(b"7.1.6")
        data[at] = ord("8")  # "8.1.6": still well-formed XML, only the CRC tells
    else:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
            info = z.getinfo(sheet)
        start = info.header_offset + 30 + len(sheet.encode()) + len(info.extra)
        data[start + info.compress_size // 2] ^= 0x01
    (inbox / "hong.xlsx").write_bytes(bytes(data))
    # The sound package first: its parts are remembered as checked; the damaged part's bytes
    # are not those, so it is checked (and refused) again.
    assert package_problem(buffer.getvalue(), "good.xlsx") is None
    problem = package_problem(bytes(data), "hong.xlsx")
    assert problem is not None and problem.code == "file-corrupt"
    if method == zipfile.ZIP_STORED:
        assert problem.params["reason"] == f"CRC {sheet}"
    item = Incoming("hong.xlsx", bytes(data), 0.0)
    assert problem == open_return(item, "x", "k")
    wrong_crc = bytearray(buffer.getvalue())  # now only the directory's CRC of the sheet
    at = wrong_crc.index(b"PK\x01\x02")  # the first central record, then the sheet's
    while True:
        n, e, c = (int.from_bytes(wrong_crc[at + k:at + k + 2], "little") for k in (28, 30, 32))
        if wrong_crc[at + 46:at + 46 + n] == sheet.encode():
            break
        at += 46 + n + e + c
    wrong_crc[at + 16] ^= 0xFF
    refused = package_problem(bytes(wrong_crc), "crc.xlsx")
    assert refused is not None and refused.code == "file-corrupt"
    report = run(master, inbox)
    assert codes(report) == [["hong.xlsx", "file-corrupt"]]
    assert report.changes == []


def test_symlinks_not_followed(good, tmp_path):
    master, outbox, inbox = good
    outside = edit_return(outbox / FILES["TP"], tmp_path / "ngoai.xlsx", {"2.5": {"status": DONE}})
    (inbox / "lien ket.xlsx").symlink_to(outside)
    (inbox / "thu muc ngoai").symlink_to(tmp_path, target_is_directory=True)  # holds ngoai.xlsx
    report = run(master, inbox)
    assert changes(report) == GOOD_CHANGE
    assert codes(report) == [["lien ket.xlsx", "file-symlink"], ["thu muc ngoai", "file-symlink"]]


def _collect_unprivileged(inbox: Path, locked: list[Path]) -> tuple[list, list]:
    """collect(inbox) by a user the folders in `locked` (mode 000) really shut out: this
    process when it is not root; as root (who may list anything), a forked child that has
    dropped to the user nobody. Returns (names of the returns, (code, file, reason) of each
    problem)."""
    import pickle

    from cchc_xl.cycle.inbox import collect

    def listed():
        found, problems = collect(inbox)
        return ([i.name for i in found],
                [(p.code, p.file, p.params.get("reason")) for p in problems])

    for folder in locked:
        folder.chmod(0)
    try:
        if os.geteuid() != 0:
            return listed()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: no longer root, then list
            try:
                os.close(read)
                os.setgid(65534)
                os.setuid(65534)
                os.write(write, pickle.dumps(listed()))
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read, "rb") as fh:
            got = fh.read()
        os.waitpid(pid, 0)
        return pickle.loads(got)
    finally:
        for folder in locked:
            folder.chmod(0o755)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="folder permissions of POSIX systems")
def test_a_folder_that_cannot_be_listed_is_reported_and_the_rest_listed():
    """A subfolder without permission (or a share gone offline) used to be passed over
    silently, as os.walk does: its returns were simply not consolidated. (A folder of our own
    under /tmp, open to every user, so that the unprivileged lister can reach the inbox.)"""
    import errno
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="cchc-perm-"))
    try:
        base.chmod(0o755)
        inbox = base / "nhan"
        for folder in ("a truoc", "khoa", "z sau"):
            (inbox / folder).mkdir(parents=True)
            (inbox / folder / "phieu.xlsx").write_bytes(b"PK")
        (inbox / "goc.xlsx").write_bytes(b"PK")
        denied = os.strerror(errno.EACCES)
        names, problems = _collect_unprivileged(inbox, [inbox / "khoa"])
        assert names == ["goc.xlsx", f"a truoc{os.sep}phieu.xlsx", f"z sau{os.sep}phieu.xlsx"]
        assert problems == [("folder-unreadable", "khoa", denied)]
        names, problems = _collect_unprivileged(inbox, [inbox])  # the inbox itself
        assert (names, problems) == ([], [("folder-unreadable", str(inbox), denied)])
    finally:
        shutil.rmtree(base)


def test_an_unreadable_folder_is_told_in_both_languages():
    from cchc_xl.cycle.incoming import file_problem
    from cchc_xl.problems import ERROR

    problem = file_problem("folder-unreadable", "thang 6", reason="Permission denied")
    assert problem.severity == ERROR
    assert problem.message("en") == (
        "Folder thang 6 cannot be opened (Permission denied): the returns in it were not read. "
        "Check the folder's permissions (or copy the returns to a folder you can open) and run "
        "the consolidation again.")
    assert problem.message("vi").startswith("Không mở được thư mục thang 6 (Permission denied)")


def test_xml_with_dtd_or_entities_is_refused(good):
    master, outbox, inbox = good
    src = outbox / FILES["TP"]
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    rezip(src, inbox / "cuoi.xlsx", replace={
        "xl/styles.xml": lambda d: laughs + d.split(b"?>", 1)[-1]})
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]>'
    rezip(src, inbox / "xxe.xlsx", replace={"xl/workbook.xml": lambda d: xxe + d.split(
        b"?>", 1)[-1]})
    report = run(master, inbox)
    assert codes(report) == [["cuoi.xlsx", "file-unsafe-xml"], ["xxe.xlsx", "file-unsafe-xml"]]
    assert [p.params["part"] for p in report.problems] == ["xl/styles.xml", "xl/workbook.xml"]


def test_package_xml_parsers_never_expand_entities():
    from lxml import etree

    from cchc_xl.files.package import SAFE_PARSER

    xxe = b'<!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/hostname">]><x>&f;</x>'
    assert etree.tostring(etree.fromstring(xxe, SAFE_PARSER)) == b"<x>&f;</x>"
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML  # openpyxl parses through defusedxml


def test_attachment_names_never_escape_the_inbox(good, tmp_path):
    master, outbox, inbox = good
    data = edit_return(outbox / FILES["TP"], tmp_path / "x.xlsx",
                       {"2.5": {"status": DONE}}).read_bytes()
    msg = EmailMessage()
    msg["Subject"] = "phiếu"
    msg.set_content("gửi")
    msg.add_attachment(data, maintype="application", subtype="octet-stream",
                       filename="../../../../tmp/evil.xlsx")
    msg.add_attachment(data, maintype="application", subtype="octet-stream",
                       filename="..\\..\\evil2.xlsx")
    (inbox / "thu.eml").write_bytes(bytes(msg))
    before = sorted(p.name for p in tmp_path.rglob("*"))
    report = run(master, inbox)
    names = sorted(f.name for f in report.files)
    assert names == ["thu.eml › evil.xlsx", "thu.eml › evil2.xlsx", "van hoa.xlsx"]
    created = sorted(set(p.name for p in tmp_path.rglob("*")) - set(before))
    assert all(p.parent == master.parent or p.parent.name == "sao-luu"
               for p in tmp_path.rglob("*") if p.name in created)
    assert Path(report.report_path).parent == master.parent


def _cp1258(text: str) -> bytes:
    """A name as Vietnamese Windows writes it in a zip: code page 1258, tone marks combining
    after the letter (the code page has no precomposed toned letters)."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones))
                   + "".join(m for m in parts if m in tones))
    return "".join(out).encode("cp1258")


def test_returns_sent_as_a_zip_are_read_from_it(good):
    """Several returns compressed into one .zip (as offices send them): each workbook in it is
    read, named by the archive and its path there (a Windows zip's Vietnamese names too,
    which carry no UTF-8 flag); every other member is reported, none silently dropped."""
    master, outbox, inbox = good
    tp = edit_return(outbox / FILES["TP"], outbox / "tp.xlsx", {"2.5": {"status": DONE}})
    vp = edit_return(outbox / FILES["VP"], outbox / "vp.xlsx", {"1.2": {"status": DOING}})
    qs = edit_return(outbox / FILES["QS"], outbox / "qs.xlsx", {"1.7": {"progress": 40}})
    deeper, nested = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(deeper, "w") as z:
        z.writestr("x.xlsx", b"PK")
    with zipfile.ZipFile(nested, "w") as z:
        z.writestr("quân sự.xlsx", qs.read_bytes())
        z.writestr("sau nua.zip", deeper.getvalue())
    nested = nested.getvalue()
    windows_name = _cp1258("phiếu văn phòng.xlsx")
    placeholder = "x" * (len(windows_name) - 5) + ".xlsx"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Gửi lại/phiếu tư pháp.xlsx", tp.read_bytes())  # (UTF-8 flagged)
        z.writestr(placeholder, vp.read_bytes())
        z.writestr("__MACOSX/Gửi lại/._phiếu tư pháp.xlsx", b"\0\1")
        z.writestr("ghi chú.pdf", b"%PDF-1.4")
        z.writestr("cu/phieu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
        z.writestr("lan 2.zip", nested)  # a .zip within the .zip: opened too, one level
    data = archive.getvalue().replace(placeholder.encode(), windows_name)
    (inbox / "phieu gui lai.zip").write_bytes(data)
    report = run(master, inbox)
    assert sorted(changes(report)) == sorted([*GOOD_CHANGE, ("2.5", "status", TODO, DONE),
                                              ("1.2", "status", TODO, DOING),
                                              ("1.7", "progress", None, 6.67)])  # (40 ÷ 6 leads)
    assert sorted(f.name for f in report.files if f.outcome == "applied") == [
        "phieu gui lai.zip › Gửi lại/phiếu tư pháp.xlsx",
        "phieu gui lai.zip › lan 2.zip › quân sự.xlsx",
        "phieu gui lai.zip › phiếu văn phòng.xlsx", "van hoa.xlsx"]
    # What is not a return is one problem per archive (never one per member: a member alone
    # has its own), as serious as its most serious member (an old .xls: a return not read),
    # naming the first few.
    assert codes(report) == [
        ["phieu gui lai.zip", "members-not-read"],
        ["phieu gui lai.zip › lan 2.zip › sau nua.zip", "archive-unsupported"]]
    outer = next(p for p in report.problems if p.code == "members-not-read")
    assert (outer.severity, outer.params["count"], outer.params["names"]) == (
        "error", 3, "cu/phieu.xls, ghi chú.pdf, __MACOSX/Gửi lại/._phiếu tư pháp.xlsx")
    assert outer.message() == (
        "Tệp nén phieu gui lai.zip có 3 tệp không phải phiếu nên không đọc (cu/phieu.xls, "
        "ghi chú.pdf, __MACOSX/Gửi lại/._phiếu tư pháp.xlsx). Tệp Excel cũ (.xls) hoặc nhị "
        "phân (.xlsb): mở bằng Excel, chọn Save As > Excel Workbook (.xlsx) rồi gửi lại. Chỉ "
        "đọc phiếu .xlsx, .xlsm, .ods (kể cả trong tệp .zip và thư .eml); nếu trong đó có "
        "phiếu, đề nghị cán bộ gửi lại đúng tệp phiếu.")


def test_zips_that_cannot_be_read_are_reported_and_the_rest_applied(good, monkeypatch):
    from cchc_xl.cycle import incoming as inbox_module

    master, outbox, inbox = good
    tp = edit_return(outbox / FILES["TP"], outbox / "tp.xlsx",
                     {"2.5": {"status": DONE}}).read_bytes()

    def zipped(members: dict, method=zipfile.ZIP_DEFLATED) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", method) as z:
            for name, data in members.items():
                z.writestr(name, data)
        return out.getvalue()

    (inbox / "hong.zip").write_bytes(b"PK\x03\x04 cut short")
    (inbox / "bom.zip").write_bytes(zipped({"phieu.xlsx": b"\0" * (MAX_RATIO * 4096)}))
    damaged = bytearray(zipped({"a.xlsx": tp, "b.xlsx": b"PK" + bytes(range(256)) * 40},
                               zipfile.ZIP_STORED))
    at = damaged.find(bytes(range(256)))
    damaged[at + 100] ^= 0xFF  # b.xlsx's bytes no longer match their CRC
    (inbox / "mot phan hong.zip").write_bytes(bytes(damaged))
    (inbox / "khong co phieu.zip").write_bytes(zipped({"ghi chu.txt": b"xin chao"}))
    locked = bytearray(zipped({"phieu.xlsx": tp}))  # a zip password (the flag in both headers)
    for where in (locked.find(b"PK\x03\x04"), locked.find(b"PK\x01\x02")):
        locked[where + (6 if locked[where + 2] == 3 else 8)] |= 1
    (inbox / "mat khau.zip").write_bytes(bytes(locked))
    (inbox / "nen.rar").write_bytes(b"Rar!\x1a\x07\x00")
    monkeypatch.setattr(inbox_module, "MAX_ARCHIVE_UNPACKED_BYTES", 1_000_000)
    (inbox / "qua nhieu.zip").write_bytes(zipped({f"{i}.xlsx": os.urandom(300_000)
                                                   for i in range(4)}))  # each fine, not all
    edit_return(outbox / FILES["VP"], inbox / "doi ten.zip", {"1.2": {"status": DOING}})
    report = run(master, inbox)
    assert sorted(changes(report)) == sorted([*GOOD_CHANGE, ("2.5", "status", TODO, DONE),
                                              ("1.2", "status", TODO, DOING)])
    assert codes(report) == [
        ["bom.zip › phieu.xlsx", "file-zip-bomb"],
        ["hong.zip", "file-corrupt"],
        ["khong co phieu.zip", "zip-no-workbook"],
        ["khong co phieu.zip › ghi chu.txt", "file-not-workbook"],
        ["mat khau.zip", "file-encrypted"],
        ["mot phan hong.zip › b.xlsx", "file-corrupt"],
        ["nen.rar", "archive-unsupported"], ["qua nhieu.zip", "file-zip-bomb"]]
    assert sorted(f.name for f in report.files if f.outcome == "applied") == [
        "doi ten.zip", "mot phan hong.zip › a.xlsx", "van hoa.xlsx"]  # (a workbook renamed)


# --- 2. damaged content, cell by cell ----------------------------------------------------

def edit_book(src: Path, dst: Path, change) -> Path:
    wb = load(src)
    change(wb)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def test_hidden_sheet_deleted_edited_or_broken(good):
    master, outbox, inbox = good
    src = outbox / FILES["TP"]

    def delete(wb):
        del wb[layout.STAMP_SHEET]

    def other_role(wb):
        edit_stamp(wb, lambda content: content.update(role="Văn phòng – Thống kê"))

    def base_changed(wb):  # an issued value edited: the whole stamp's seal breaks
        edit_stamp(wb, lambda content: content["rows"][3][4].__setitem__(0, DONE))

    def row_added(wb):  # a row the officer was not given, claimed as issued
        edit_stamp(wb, lambda content: content["rows"].append(
            ["1.1", 23, "Chủ trì", "0" * 32, [TODO, None, None, None, None]]))

    def seal_changed(wb):
        wb[layout.STAMP_SHEET]["B2"] = "0" * 32

    def broken(wb):  # the text cut short: no longer JSON
        ws = wb[layout.STAMP_SHEET]
        ws["B3"] = ws["B3"].value[:-40]

    def other_format(wb):
        wb[layout.STAMP_SHEET]["B1"] = "cchc-xl/phieu/9"

    for name, change in (("xoa", delete), ("vai tro", other_role), ("goc", base_changed),
                         ("them dong", row_added), ("dau", seal_changed), ("hong", broken),
                         ("dinh dang", other_format)):
        edit_book(src, inbox / f"{name}.xlsx", lambda wb, c=change: (c(wb), wb[O.name].cell(
            row=14, column=O.index("status"), value=DONE)))
    report = run(master, inbox)
    assert changes(report) == GOOD_CHANGE
    assert codes(report) == [
        ["dau.xlsx", "stamp-tampered"], ["dinh dang.xlsx", "stamp-damaged"],
        ["goc.xlsx", "stamp-tampered"], ["hong.xlsx", "stamp-damaged"],
        ["them dong.xlsx", "stamp-tampered"], ["vai tro.xlsx", "stamp-tampered"],
        ["xoa.xlsx", "stamp-missing"]]


def test_hidden_sheet_text_is_sealed_as_written(cycle):
    """The seal covers the stamp's text exactly as written: the same content written again
    in the tool's form is intact (and its labels are not read), the same content retyped by
    hand (spaces, Vietnamese letters as they are) is not."""
    master, outbox, inbox = cycle

    def rewritten(wb, by_hand):
        edit_stamp(wb, lambda content: None, by_hand=by_hand)
        wb[layout.STAMP_SHEET]["A3"] = "dữ liệu"
        wb[O.name].cell(row=14, column=O.index("status"), value=DONE)

    edit_book(outbox / FILES["TP"], inbox / "viet lai.xlsx", lambda wb: rewritten(wb, False))
    edit_book(outbox / FILES["TP"], inbox / "go tay.xlsx", lambda wb: rewritten(wb, True))
    text = load(inbox / "go tay.xlsx")[layout.STAMP_SHEET]["B3"].value
    assert "Tư pháp" in text and ", " in text  # (not the form the tool writes)
    assert stamp_content(load(inbox / "go tay.xlsx")) == stamp_content(
        load(outbox / FILES["TP"]))
    report = run(master, inbox)
    assert codes(report) == [["go tay.xlsx", "stamp-tampered"]]
    assert changes(report) == [("2.5", "status", TODO, DONE)]


def test_protection_removed_and_plan_text_changed(cycle):
    master, outbox, inbox = cycle

    def change(wb):
        ws = wb[O.name]
        ws.protection.sheet = False
        ws.cell(row=14, column=O.index("action"), value="Không cần làm gì")
        ws.cell(row=14, column=O.index("status"), value=DONE)
        ws.cell(row=16, column=O.index("deadline"), value=dt.datetime(2030, 1, 1))
        ws.cell(row=16, column=O.index("status"), value=DONE)
        ws.cell(row=17, column=O.index("max_points"), value=30)
        ws.cell(row=17, column=O.index("status"), value=DOING)
        ws.cell(row=21, column=O.index("status"), value=DOING)  # 7.2.4: untouched text

    edit_book(outbox / FILES["TP"], inbox / "r.xlsx", change)
    report = run(master, inbox)
    assert codes(report) == [[f"r.xlsx › {SHEET}!A14", "row-tampered"],
                             [f"r.xlsx › {SHEET}!A16", "row-tampered"],
                             [f"r.xlsx › {SHEET}!A17", "row-tampered"]]
    assert changes(report) == [("7.2.4", "support_notes", None,
                                "[Tư pháp – Hộ tịch] Trần Văn Bình (ví dụ): Trạng thái: "
                                "Đang thực hiện")]
    assert plan_values(master, "action")["2.5"].startswith("Thực hiện tốt")


def test_a_locked_number_too_large_for_a_float_is_a_changed_row(cycle):
    """1e999 typed into a locked points cell (XML a spreadsheet writes for it) is read as
    infinity: the row is reported as changed, like any edit of its locked content, and the
    rest of the return is applied (it used to stop the file with an OverflowError)."""
    import re

    master, outbox, inbox = cycle
    edited = edit_return(outbox / FILES["TP"], inbox.parent / "r.xlsx",
                         {"3.2.3": {"status": DOING}})
    rezip(edited, inbox / "r.xlsx", replace={"xl/worksheets/sheet1.xml": lambda d: re.sub(
        rb'(<c r="C14"[^>]*>)<v>[^<]*</v>', rb"\1<v>1e999</v>", d)})
    report = run(master, inbox)
    assert codes(report) == [[f"r.xlsx › {SHEET}!A14", "row-tampered"]]
    assert changes(report) == [("3.2.3", "status", TODO, DOING)]


def test_rows_deleted_duplicated_inserted_sorted(cycle):
    master, outbox, inbox = cycle

    def change(wb):
        ws = wb[O.name]
        rows = officer_rows(ws)
        status = O.index("status")
        ws.cell(row=rows["3.2.3"], column=status, value=DONE)
        # duplicated: 4.2's row copied below the table
        for c in range(1, len(O.columns) + 1):
            ws.cell(row=23, column=c, value=ws.cell(row=rows["4.2"], column=c).value)
        # inserted, without a code, with a report typed in it
        ws.cell(row=25, column=O.index("result"), value="Đã họp 3 lần")
        # sorted: 7.2.4 and 7.2.5 swap places, 7.2.5 reports
        a, b = rows["7.2.4"], rows["7.2.5"]
        for c in range(1, len(O.columns) + 1):
            x, y = ws.cell(row=a, column=c), ws.cell(row=b, column=c)
            x.value, y.value = y.value, x.value
        ws.cell(row=a, column=status, value=DOING)  # now 7.2.5's row
        ws.delete_rows(rows["1.2"])  # deleted (rows move up by one)

    edit_book(outbox / FILES["TP"], inbox / "r.xlsx", change)
    report = run(master, inbox)
    assert codes(report) == sorted([["r.xlsx › Phiếu cập nhật", "row-missing"],
                                    ["r.xlsx › Phiếu cập nhật", "row-missing"],
                                    [f"r.xlsx › {SHEET}!A22", "row-duplicated"],
                                    [f"r.xlsx › {SHEET}!A24", "row-without-code"]])
    assert sorted(p.value for p in report.problems if p.code == "row-missing") == ["1.2", "4.2"]
    assert changes(report) == [
        ("3.2.3", "status", TODO, DONE),
        ("7.2.5", "support_notes", None,
         "[Tư pháp – Hộ tịch] Trần Văn Bình (ví dụ): Trạng thái: Đang thực hiện")]


def test_merged_input_cells_not_read(cycle):
    master, outbox, inbox = cycle

    def change(wb):
        ws = wb[O.name]
        ws.cell(row=14, column=O.index("progress"), value=0.8)  # 80% typed
        ws.cell(row=14, column=O.index("result"), value="bị gộp mất")
        ws.merge_cells("I14:K14")  # progress, result, expected
        ws.cell(row=16, column=O.index("status"), value=DONE)

    edit_book(outbox / FILES["TP"], inbox / "r.xlsx", change)
    report = run(master, inbox)
    assert codes(report) == [[f"r.xlsx › {SHEET}!I14:K14", "cells-merged"]]
    assert report.problems[0].params["fields"] == "Kết quả / minh chứng, Điểm dự kiến"
    assert changes(report) == [("2.5", "progress", None, 80.0), ("3.2.3", "status", TODO, DONE)]


NFD_DONE = unicodedata.normalize("NFD", "hoàn thành")


@pytest.mark.parametrize("field, typed, stored", [
    ("status", NFD_DONE, DONE),
    ("status", " HOAN THANH ", DONE),
    ("progress", "80", 80.0),
    ("progress", "80 %", 80.0),
    ("progress", "80,5", 80.5),
    ("expected", "0,75 điểm", 0.75),
    ("expected", "1 đ", 1.0),
    ("result", unicodedata.normalize("NFD", "Đã rà soát văn bản"), "Đã rà soát văn bản"),
    ("result", "Đã xong 👍🏽 ✅", "Đã xong 👍🏽 ✅"),
    ("result", "dòng 1_x000B_dòng 2", "dòng 1\ndòng 2"),  # Excel's escape of Word's break
    ("result", "a_x0007_b_x001B_c\u200b\u202e", "abc"),  # control characters removed
    ("result", "_x005F_x0041_", "_x0041_"),  # an escaped underscore stays literal
    ("obstacles", "=HYPERLINK(\"http://x\",\"bấm\")", "=HYPERLINK(\"http://x\",\"bấm\")"),
    ("obstacles", "@SUM(A1)", "@SUM(A1)"),
    ("result", "x" * 32767, "x" * 32767),
], ids=lambda v: v[:20] if isinstance(v, str) else None)
def test_values_typed_every_way_are_stored_exactly(cycle, field, typed, stored):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {"2.5": {field: typed}},
                as_string=True)
    report = run(master, inbox)
    old = TODO if field == "status" else None
    assert (changes(report), codes(report)) == ([("2.5", field, old, stored)], [])
    ws = load(master)[layout.PLAN.name]
    cell = ws.cell(row=10, column=layout.PLAN.index(field))
    assert cell.value == stored
    if isinstance(stored, str) and stored[0] in "=+-@":
        assert (cell.data_type, cell.quotePrefix) == ("s", True)


LONG = "LONG-TEXT-PLACEHOLDER"


@pytest.mark.parametrize("field, typed, problem, cell", [
    ("status", "=H15", "formula-in-input", "H14"),
    ("progress", "=50+30", "formula-in-input", "I14"),
    ("expected", "=K13", "formula-in-input", "K14"),
    ("progress", "80 phần trăm", "progress-invalid", "I14"),
    ("expected", "0,75 điểm thưởng", "expected-invalid", "K14"),
    ("result", LONG, "text-too-long", "J14"),  # 40,000 characters (Excel stops at 32,767)
])
def test_values_that_cannot_apply_are_reported_with_their_cell(cycle, field, typed, problem,
                                                               cell):
    master, outbox, inbox = cycle
    src = edit_return(outbox / FILES["TP"], inbox.parent / "r.xlsx", {
        "2.5": {field: typed}, "3.2.3": {"status": DONE}})
    rezip(src, inbox / "r.xlsx", replace={  # openpyxl cuts text at 32,767: write it in the XML
        "xl/worksheets/sheet1.xml": lambda d: d.replace(LONG.encode(), b"x" * 40000)})
    report = run(master, inbox)
    assert codes(report) == [[f"r.xlsx › {SHEET}!{cell}", problem]]
    assert changes(report) == [("3.2.3", "status", TODO, DONE)]
    assert plan_values(master, field)["2.5"] == (TODO if field == "status" else None)


def test_formula_typed_into_a_text_cell_is_kept_as_text(cycle):
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {"2.5": {"result": "=1+1"}})
    report = run(master, inbox)
    assert codes(report) == [[f"r.xlsx › {SHEET}!J14", "formula-kept-as-text"]]
    assert changes(report) == [("2.5", "result", None, "=1+1")]
    cell = load(master)[layout.PLAN.name].cell(row=10, column=layout.PLAN.index("result"))
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)


def test_officer_text_is_never_a_formula_in_the_report_book(cycle):
    master, outbox, inbox = cycle
    text = "=HYPERLINK(\"http://x\",\"y\")"
    edit_return(outbox / FILES["TP"], inbox / "r.xlsx", {"2.5": {"result": text}},
                as_string=True)
    report = run(master, inbox)
    book = load(Path(report.report_path))
    found = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert found and all((c.data_type, c.quotePrefix) == ("s", True) for c in found)


def test_characters_no_cell_can_hold_never_break_the_master(cycle):
    """Excel stores an ESC typed in a cell as _x001B_; the file name holds one too. Both are
    reported, and what the log and the report show has them replaced (XML cannot hold them)."""
    master, outbox, inbox = cycle
    edit_return(outbox / FILES["TP"], inbox / "r\x1b.xlsx",
                {"2.5": {"status": "_x001B_", "progress": "5_x0007_0"},
                 "3.2.3": {"status": DONE}})
    report = run(master, inbox)
    name = "r\ufffd.xlsx"
    assert codes(report) == [[f"{name} › {SHEET}!H14", "status-invalid"],
                             [f"{name} › {SHEET}!I14", "progress-invalid"]]
    assert [p.value for p in report.problems] == ["\ufffd", "5\ufffd0"]
    assert changes(report) == [("3.2.3", "status", TODO, DONE)]
    from cycle import log_rows

    assert [r[:2] for r in log_rows(master)[-2:]] == [["Từ chối", name]] * 2
    assert load(Path(report.report_path))  # the report workbook opens too

"""Fuzzing consolidation with Hypothesis: returned workbooks mutated (bytes of the zip, bytes
of its XML parts, cell values in input and locked cells, the hidden sheet), then consolidated
for real. Always: consolidate never raises, the master still loads and validates with no new
problem, and every input is either applied with exactly its normalised value or reported.

The number of cases per kind is CCHC_FUZZ_EXAMPLES (default 120; the default run stays under
two minutes); each test prints how many ran."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import unicodedata
import zipfile

import pytest
from cycle import (
    FILES,
    O,
    edit_return,
    edit_stamp,
    load,
    make_cycle,
    officer_rows,
    stamp_content,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from cchc_xl import layout
from cchc_xl.cycle.consolidate import consolidate
from cchc_xl.cycle.officer_input import Rejected, normalise, same
from cchc_xl.cycle.returns import unescape
from cchc_xl.cycle.stamp import META_KEYS, canonical
from cchc_xl.master.check import validate
from cchc_xl.master.evidence import FLAG_CODES

EXAMPLES = int(os.environ.get("CCHC_FUZZ_EXAMPLES", "120"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))
NOW, AS_OF = dt.datetime(2021, 6, 20, 9, 30), dt.date(2021, 6, 30)
DONE = layout.STATUSES[2]
# Tư pháp's rows: (code, sheet row, maximum points, part)
ROWS = {"1.2": 11, "1.6": 12, "1.7": 13, "2.5": 14, "3.2.1": 15, "3.2.3": 16, "4.2": 17,
        "4.3": 18, "7.1.6": 19, "7.1.7": 20, "7.2.4": 21, "7.2.5": 22}
MAX_POINTS = {"1.2": 1.5, "1.6": 1, "1.7": 1.5, "2.5": 1, "3.2.1": 1, "3.2.3": 1, "4.2": 3,
              "4.3": 3, "7.1.6": 0.5, "7.1.7": 0.5, "7.2.4": 1.5, "7.2.5": 1}
LEADS = {"2.5", "3.2.3"}  # led by Tư pháp alone: their reports go straight into the plan
REJECTED = {"file-corrupt", "file-renamed", "file-not-workbook", "file-zip-bomb",
            "file-unsafe-xml", "file-too-large", "file-empty", "file-xlsb", "file-old-xls",
            "file-encrypted", "not-a-return", "stamp-missing", "stamp-damaged",
            "stamp-tampered", "other-master", "officer-sheet-missing", "officer-header-missing"}


class Bench:
    """One cycle for all the examples of a test: the master's bytes are restored each time."""

    def __init__(self, tmp_path):
        self.master, self.outbox, self.inbox = make_cycle(tmp_path)
        self.old = self.master.read_bytes()
        self.baseline = self.problems()
        self.issued = self.outbox / FILES["TP"]
        self.cases = 0

    def run(self, data: bytes, name: str = "r.xlsx"):
        self.cases += 1
        self.master.write_bytes(self.old)
        for f in self.inbox.iterdir():
            f.unlink()
        (self.inbox / name).write_bytes(data)
        report = consolidate(self.master, self.inbox, now=NOW, as_of=AS_OF)  # never raises
        assert self.problems() == self.baseline  # nothing new broke
        return report

    def problems(self) -> list:
        """What validate finds, but the evidence a done row lacks (a consequence of what
        was reported, not damage)."""
        return sorted(p for p in validate(self.master).flatten() if p[1] not in FLAG_CODES)


@pytest.fixture
def bench(tmp_path):
    return Bench(tmp_path)


def applied_exactly_or_reported(report, data: bytes) -> None:
    """Each change holds the normalised value of what the returned cell holds (read by
    calamine, independently of the tool's reader); a rejected file changes nothing."""
    if any(p.code in REJECTED for p in report.problems):
        assert report.changes == []
        return
    try:
        grid = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(
            O.name).to_python(skip_empty_area=False)
    except Exception:  # calamine is stricter than openpyxl for some damage: cannot compare
        return
    rows = {str(r[0]).strip(): r for r in grid[O.header_row:] if r and r[0] != ""}
    for c in report.changes:
        if c.kind != "applied":
            continue
        raw = rows[c.code][O.index(c.field) - 1]
        expected = normalise(c.field, None if raw == "" else raw,
                             max_points=MAX_POINTS[c.code])
        assert not isinstance(expected, Rejected)
        assert same(c.new, expected), (c, raw)


# --- (a) bytes of the package, and bytes inside its XML parts ------------------------------

@st.composite
def mutated_package(draw, original: bytes):
    mode = draw(st.sampled_from(["flip", "truncate", "splice", "part"]))
    data = bytearray(original)
    if mode == "flip":
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
        return bytes(data)
    if mode == "truncate":
        return bytes(data[: draw(st.integers(0, len(data) - 1))])
    if mode == "splice":
        i, j = sorted(draw(st.lists(st.integers(0, len(data)), min_size=2, max_size=2)))
        return bytes(data[:i] + data[j:] + data[i:j])
    with zipfile.ZipFile(io.BytesIO(original)) as zin:
        infos = zin.infolist()
        victim = draw(st.sampled_from([i.filename for i in infos]))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in infos:
                part = bytearray(zin.read(info.filename))
                if info.filename == victim and part:
                    for _ in range(draw(st.integers(1, 6))):
                        k = draw(st.integers(0, len(part) - 1))
                        part[k] = draw(st.sampled_from(list(b"<>/\"'=&;0123456789.,-x ") +
                                                       [0, 0xC3, 0xFF]))
                zout.writestr(info.filename, bytes(part))
    return out.getvalue()


def test_fuzz_package_bytes(bench, tmp_path):
    source = edit_return(bench.issued, tmp_path / "src.xlsx",
                         {"2.5": {"status": DONE, "progress": 50, "result": "Đã làm"}})
    original = source.read_bytes()

    @SETTINGS
    @given(st.data())
    def check(data):
        mutated = data.draw(mutated_package(original))
        report = bench.run(mutated)
        applied_exactly_or_reported(report, mutated)

    check()
    print(f"\nfuzz (a) package bytes: {bench.cases} cases")
    assert bench.cases >= min(EXAMPLES, 50)


# --- (b) cell values typed into input and locked cells ------------------------------------

def escape_controls(text: str) -> str:
    """Control characters as Excel stores them (_xHHHH_); openpyxl refuses them raw."""
    return "".join(f"_x{ord(ch):04X}_" if ord(ch) < 32 and ch not in "\t\n\r" else ch
                   for ch in text)


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40).map(
    lambda s: unicodedata.normalize(["NFC", "NFD"][len(s) % 2], s))
VALUES = st.one_of(
    st.none(), TEXT,
    st.sampled_from(["Hoàn thành", unicodedata.normalize("NFD", "đang thực hiện"),
                     "CHUA THUC HIEN", "xong", "80%", "80 %", "0,75 điểm", "1 đ", "-5",
                     "=1+1", "=SUM(A1:A3)", "+84 912", "@SUM(A1)", "=HYPERLINK(\"http://x\")",
                     "👍 Đã xong ✅", "a\u202eb\u200bc", "x" * 32767, "  ", "1e3", "nan"]),
    st.integers(-10, 1000), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)))
EDITS = st.dictionaries(
    st.tuples(st.sampled_from(sorted(ROWS)),
              st.sampled_from([*layout.REPORT_FIELDS, "title", "action", "max_points",
                               "deadline"])),
    VALUES, min_size=1, max_size=6)


def test_fuzz_cell_values(bench, tmp_path):
    from cchc_xl.cycle.stamp import LOCKED_KEYS

    issued = load(bench.issued)[O.name]
    locked_before = {code: {k: issued.cell(row=r, column=O.index(k)).value
                            for k in LOCKED_KEYS if k in O.keys}
                     for code, r in officer_rows(issued).items()}

    @SETTINGS
    @given(EDITS)
    def check(edits):
        per_code: dict[str, dict] = {}
        for (code, key), value in edits.items():
            if isinstance(value, str):
                value = escape_controls(value)
            per_code.setdefault(code, {})[key] = value
        path = edit_return(bench.issued, tmp_path / "r.xlsx", per_code)
        data = path.read_bytes()
        report = bench.run(data)
        back = load(path)[O.name]  # what the file holds, as openpyxl wrote it
        tampered = {p.value for p in report.problems if p.code == "row-tampered"}
        for code, fields in per_code.items():
            row = ROWS[code]
            locked_changed = any(
                canonical(back.cell(row=row, column=O.index(k)).value)
                != canonical(locked_before[code][k]) for k in fields if k not in
                layout.REPORT_FIELDS)
            assert (code in tampered) == locked_changed, (code, fields)
            mine = [c for c in report.changes if c.code == code]
            if locked_changed:
                assert mine == []
                continue
            for key in fields:
                if key not in layout.REPORT_FIELDS or (key == "expected" and code not in LEADS
                                                       and code not in ("1.7",)):
                    continue
                cell = back.cell(row=row, column=O.index(key))
                raw = unescape(cell.value) if isinstance(cell.value, str) else cell.value
                where = f"r.xlsx › '{O.name}'!{cell.coordinate}"
                reported = [p for p in report.problems if p.where == where]
                if cell.data_type == "f" or isinstance(normalise(
                        key, raw, max_points=MAX_POINTS[code],
                        number_format=cell.number_format), Rejected):
                    assert reported, (code, key, raw)
                    continue
                expected = normalise(key, raw, max_points=MAX_POINTS[code],
                                     number_format=cell.number_format)
                if code in LEADS:
                    got = [c.new for c in mine if c.field == key]
                    # (nothing reported yet: every input cell issued empty; the plan's
                    # status as built is «Chưa thực hiện», which that report changes not)
                    base = layout.STATUS_NOT_STARTED if key == "status" else None
                    if same(expected, base):
                        assert got == [], (code, key, raw)
                    else:
                        assert len(got) == 1 and same(got[0], expected), (code, key, raw, got)

    check()
    print(f"\nfuzz (b) cell values: {bench.cases} cases")
    assert bench.cases >= min(EXAMPLES, 50)


# --- (c) the hidden sheet edited -----------------------------------------------------------

def _after(wb) -> tuple:
    """What the stamp sheet means: its format, its seal and its text's content (None where
    the text is no longer JSON)."""
    ws = wb[layout.STAMP_SHEET]
    try:
        content = stamp_content(wb)
    except (ValueError, TypeError):
        content = None
    return ws["B1"].value, ws["B2"].value, content


def _must_be_rejected_or_mean_the_same(bench, wb, meaning_changed, edits) -> None:
    wb[O.name].cell(row=ROWS["2.5"], column=O.index("status"), value=DONE)
    buf = io.BytesIO()
    wb.save(buf)
    report = bench.run(buf.getvalue())
    rejected = [p.code for p in report.problems if p.code in REJECTED]
    if rejected:
        assert rejected[0] in {"stamp-tampered", "stamp-damaged", "other-master"}
        assert report.changes == []
    else:
        assert not meaning_changed, edits
        assert [(c.code, c.field, c.new) for c in report.changes] == [("2.5", "status", DONE)]


def test_fuzz_hidden_sheet(bench, tmp_path):
    """Cells of the stamp sheet (format 2: its labels, format, seal and text) overwritten."""
    @SETTINGS
    @given(st.lists(st.tuples(st.tuples(st.integers(1, 5), st.integers(1, 3)), VALUES),
                    min_size=1, max_size=3))
    def check(edits):
        wb = load(bench.issued)
        before = _after(wb)
        for (r, c), value in edits:
            if isinstance(value, str):
                value = escape_controls(value)
            wb[layout.STAMP_SHEET].cell(row=r, column=c, value=value)
        _must_be_rejected_or_mean_the_same(bench, wb, _after(wb) != before, edits)

    check()
    print(f"\nfuzz (c) hidden sheet: {bench.cases} cases")
    assert bench.cases >= min(EXAMPLES, 50)


# Places in the stamp's content: its facts, and each field of its rows.
PLACES = st.one_of(
    st.tuples(st.sampled_from(META_KEYS)),
    st.tuples(st.just("rows"), st.integers(0, len(ROWS) - 1), st.integers(0, 3)),
    st.tuples(st.just("rows"), st.integers(0, len(ROWS) - 1), st.just(4),
              st.integers(0, len(layout.REPORT_FIELDS) - 1)))
JSON_VALUES = st.one_of(st.none(), TEXT, st.integers(-10, 1000),
                        st.floats(allow_nan=False, allow_infinity=False), st.booleans())


def test_fuzz_hidden_sheet_content(bench, tmp_path):
    """The stamp's text rewritten with values changed: applied only if they mean the same
    (the same type and value), else refused."""
    @SETTINGS
    @given(st.lists(st.tuples(PLACES, JSON_VALUES), min_size=1, max_size=3))
    def check(edits):
        wb = load(bench.issued)
        before = stamp_content(wb)

        def change(content):
            for place, value in edits:
                *path, last = place
                target = content
                for step in path:
                    target = target[step]
                target[last] = value

        edit_stamp(wb, change)
        after = stamp_content(wb)
        same = json.dumps(after, sort_keys=True) == json.dumps(before, sort_keys=True)
        _must_be_rejected_or_mean_the_same(bench, wb, not same, edits)

    check()
    print(f"\nfuzz (c) hidden sheet content: {bench.cases} cases")
    assert bench.cases >= min(EXAMPLES, 50)


@settings(max_examples=max(EXAMPLES, 300), deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(
    " \t\u00a0\u2028\x0b\x0c\x1c\x85\r\nae\u0301\u0323ơưđĐ–-xX.0")))
def test_clean_cell_shortcut_equals_the_line_by_line_rule(text):
    from cchc_xl.text import _by_lines, clean_cell

    assert clean_cell(text) == _by_lines(unicodedata.normalize("NFC", text))


# --- (d) containers: saved e-mails, archives, folders --------------------------------------

def _lines(text: str, nl: bytes) -> bytes:
    return nl.join(line.encode("ascii") for line in text.splitlines())


FILENAMES = st.sampled_from(["phieu.xlsx", "tu phap.xlsx", "a.pdf", "cu.xls", "x.zip",
                             "ghi chu.txt", "../../b.xlsx", None])
BOUNDARY_SEEDS = st.text("abcXYZ0129'()+_,./:=?", min_size=1, max_size=8)
PLAIN_TEXT = st.text("abc xyz\n0123=.", max_size=120)
MIME_LEAVES = st.tuples(st.just("leaf"), FILENAMES, st.binary(max_size=200),
                        st.sampled_from(["base64", "quoted-printable", "7bit", ""]),
                        st.booleans(), PLAIN_TEXT)
MIME_TREES = st.recursive(MIME_LEAVES, lambda kids: st.one_of(
    st.tuples(st.just("multipart"), st.sampled_from(["mixed", "alternative", "digest"]),
              BOUNDARY_SEEDS, st.lists(kids, max_size=4), st.booleans(),
              st.sampled_from(["", " ", "\t "]), PLAIN_TEXT),
    st.tuples(st.just("message"), kids)), max_leaves=10)


def render_mime(node, nl: bytes, counter: list[int], payloads: dict | None = None) -> bytes:
    """A MIME entity as a mail program writes it (line breaks `nl`); a leaf named in
    `payloads` carries those bytes instead of its own."""
    import base64
    import quopri

    kind = node[0]
    if kind == "leaf":
        _, filename, payload, encoding, typed, text = node
        if payloads is not None and filename in payloads:
            payload, encoding = payloads[filename], "base64"
        head = [b"Content-Type: application/octet-stream"] if typed else []
        if filename is not None:
            head.append(f'Content-Disposition: attachment; filename="{filename}"'.encode())
        if encoding:
            head.append(f"Content-Transfer-Encoding: {encoding}".encode())
        if encoding == "base64":
            body = nl.join(base64.encodebytes(payload).splitlines())
        elif encoding == "quoted-printable":
            body = nl.join(quopri.encodestring(payload).splitlines())
        else:
            body = _lines(text, nl)
        return nl.join(head) + nl + nl + body
    if kind == "message":
        return b"Content-Type: message/rfc822" + nl + nl + render_mime(node[1], nl, counter,
                                                                      payloads)
    _, subtype, seed, children, closed, padding, preamble = node
    counter[0] += 1
    boundary = f"{seed}{counter[0]}".encode()
    out = [f'Content-Type: multipart/{subtype}; boundary="{boundary.decode()}"'.encode(), b"",
           _lines(preamble, nl)]
    for child in children:
        out += [b"--" + boundary + padding.encode(), render_mime(child, nl, counter, payloads)]
    if closed:
        out += [b"--" + boundary + b"--", _lines(preamble, nl)]
    return nl.join(out)


@settings(max_examples=max(EXAMPLES, 300), deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(MIME_TREES, st.sampled_from([b"\r\n", b"\n"]))
def test_fuzz_email_parts_found_as_the_email_package_finds_them(tree, nl):
    """cchc_xl.cycle.mime finds each attached file where the e-mail package's parser does, and
    decodes it to the same bytes (its own walker, without recursion, and one at a time)."""
    import email
    import email.policy

    from cchc_xl.cycle import mime

    data = b"From: a@b.c" + nl + b"Subject: x" + nl + render_mime(tree, nl, [0])
    message = email.message_from_bytes(data, policy=email.policy.default)
    expected = [(part.get_filename(), part.get_payload(decode=True))
                for part in message.walk() if not part.is_multipart() and part.get_filename()]
    got = [(part.filename, mime.decode(data, part)) for part in mime.attachments(data)]
    assert got == expected


# An inbox of containers: each leaf a kind of file, by its name's ending and its bytes.
LEAF_KINDS = st.sampled_from(["return", "junk", "empty", "old", "note", "temporary"])
ZIP_TREES = st.lists(st.recursive(LEAF_KINDS, lambda kids: st.lists(kids, max_size=4).map(
    lambda members: ("zip", members)), max_leaves=8), max_size=4).map(lambda m: ("zip", m))
EMAIL_TREES = st.recursive(
    st.one_of(LEAF_KINDS, ZIP_TREES, st.just("text")),
    lambda kids: st.one_of(
        st.lists(kids, max_size=3).map(lambda parts: ("multipart", parts)),
        kids.map(lambda part: ("message", part))), max_leaves=8)
INBOXES = st.lists(st.one_of(
    st.tuples(st.just("eml"), EMAIL_TREES, st.integers(0, 20)),  # (nesting added: past limits)
    st.tuples(st.just("zip"), ZIP_TREES),
    st.tuples(st.just("folder"), st.one_of(st.integers(0, 3), st.integers(15, 19)),
              LEAF_KINDS)), min_size=1, max_size=3)


class Layout:
    """An inbox written from INBOXES, and what the tool must make of each file: `placed`
    (name as shown, kind, reachable, the names of what holds it). An e-mail's attachments that
    are not workbooks nor archives (a note, a signature) are no returns and are not told, by
    design: they are not placed."""

    def __init__(self, inbox, returned: bytes):
        self.inbox, self.returned, self.placed = inbox, returned, []
        self.count = 0

    def leaf(self, kind: str) -> tuple[str, bytes]:
        self.count += 1
        return {"return": (f"phieu {self.count}.xlsx", self.returned),
                "junk": (f"hong {self.count}.xlsx", b"PK\x03\x04" + bytes(self.count)),
                "empty": (f"rong {self.count}.xlsx", b""),
                "old": (f"cu {self.count}.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
                "note": (f"ghi chu {self.count}.txt", b"xin chao"),
                "temporary": (f"~$phieu {self.count}.xlsx", b"\0")}[kind]

    def zipped(self, tree, name: str, level: int, holders: list[str], reachable: bool) -> bytes:
        """A zip's bytes; level 0: opened (in the inbox or an e-mail), 1: within one (opened
        too), 2: not opened."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for member in tree[1]:
                if isinstance(member, tuple):
                    self.count += 1
                    inner = f"lan {self.count}.zip"
                    shown = f"{name} › {inner}"
                    z.writestr(inner, self.zipped(member, shown, level + 1, [*holders, name],
                                                  reachable and level == 0))
                    if level > 0:  # (not opened: an archive three deep)
                        self.placed.append((shown, "zip", False, [*holders, name]))
                    continue
                filename, data = self.leaf(member)
                z.writestr(filename, data)
                self.placed.append((f"{name} › {filename}", member, reachable and level <= 1,
                                    [*holders, name]))
        return out.getvalue()

    def write(self, item) -> None:
        from cchc_xl.cycle.mime import MAX_DEPTH

        self.count += 1
        if item[0] == "zip":
            name = f"nen {self.count}.zip"
            (self.inbox / name).write_bytes(self.zipped(item[1], name, 0, [], True))
        elif item[0] == "folder":
            from cchc_xl.cycle.inbox import MAX_FOLDER_DEPTH

            _, depth, kind = item
            folder = self.inbox.joinpath(f"thu muc {self.count}", *["a"] * (depth - 1)) if (
                depth) else self.inbox
            folder.mkdir(parents=True, exist_ok=True)
            filename, data = self.leaf(kind)
            (folder / filename).write_bytes(data)
            shown = os.sep.join([*folder.relative_to(self.inbox).parts, filename])
            holders = [os.sep.join(folder.relative_to(self.inbox).parts[:i])
                       for i in range(1, depth + 1)]
            self.placed.append((shown, kind, depth <= MAX_FOLDER_DEPTH, holders))
        else:
            _, tree, extra = item
            name = f"thu {self.count}.eml"
            for _ in range(extra):
                tree = ("multipart", [tree])
            payloads, leaves, depths = {}, [], [0]

            def build(node, depth):
                depths.append(depth)
                if isinstance(node, str):
                    if node == "text":
                        return ("leaf", None, b"", "", True, "xin chao")
                    filename, data = self.leaf(node)
                    payloads[filename] = data
                    if node != "note":  # (a note attached to an e-mail is told nothing of)
                        leaves.append((filename, node))
                    return ("leaf", filename, b"", "base64", True, "")
                if node[0] == "zip":
                    self.count += 1
                    filename = f"nen {self.count}.zip"
                    leaves.append((filename, node))
                    return ("leaf", filename, b"", "base64", True, "")
                if node[0] == "message":
                    return ("message", build(node[1], depth + 1))
                return ("multipart", "mixed", "b", [build(c, depth + 1) for c in node[1]],
                        True, "", "")

            rendered = build(tree, 0)
            reachable = max(depths) <= MAX_DEPTH  # (else the e-mail is refused whole)
            for filename, node in leaves:
                shown = f"{name} › {filename}"
                if isinstance(node, tuple):
                    payloads[filename] = self.zipped(node, shown, 0, [name], reachable)
                else:
                    self.placed.append((shown, node, reachable, [name]))
            (self.inbox / name).write_bytes(
                b"Subject: phieu\r\n" + render_mime(rendered, b"\r\n", [0], payloads))


def test_fuzz_containers(bench, tmp_path):
    """Saved e-mails nested at random (forwarded, alternatives, to past their limit), archives
    of archives of returns and other files, folders to past their limit: consolidation never
    raises, stays quick, applies every return within the bounds, and names every file, or
    the e-mail, archive or folder holding it."""
    import time

    from hostile_inputs import remove_tree

    returned = edit_return(bench.issued, tmp_path / "tp.xlsx",
                           {"2.5": {"status": DONE}}).read_bytes()
    reachable_kinds = ("return", "junk", "empty")  # (workbooks: each read, or refused, by name)

    @SETTINGS
    @given(INBOXES)
    def check(items):
        bench.cases += 1
        inbox = tmp_path / "nhan"
        if inbox.exists():
            remove_tree(inbox)
        inbox.mkdir()
        layout_ = Layout(inbox, returned)
        for item in items:
            layout_.write(item)
        start = time.perf_counter()
        report = consolidate(bench.master, inbox, now=NOW, as_of=AS_OF, dry_run=True)
        assert time.perf_counter() - start < 60
        named = {f.name for f in report.files} | {p.file for p in report.problems}
        for shown, kind, reachable, holders in layout_.placed:
            if reachable and kind in reachable_kinds:
                assert shown in {f.name for f in report.files}, (shown, items)
            assert shown in named or any(h in named for h in holders), (shown, items)
        wanted = any(reachable and kind == "return" for _, kind, reachable, _ in layout_.placed)
        assert [(c.code, c.field, c.new) for c in report.changes] == (
            [("2.5", "status", DONE)] if wanted else []), items
        seen.update({p.code for p in report.problems} | ({"applied"} if wanted else set()))

    seen: set[str] = set()
    check()
    remove_tree(tmp_path / "nhan")
    print(f"\nfuzz (d) containers: {bench.cases} cases; outcomes: {', '.join(sorted(seen))}")
    assert bench.cases >= min(EXAMPLES, 50)
    if EXAMPLES >= 100:  # (the examples reach past each bound)
        assert {"applied", "eml-too-complex", "folder-too-deep", "archive-unsupported",
                "members-not-read"} <= seen

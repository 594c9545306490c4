"""Benchmark (not a test): fill, consolidate and validate from one commune to a province, each
next to baselines measured in the same run on the same files, printed as a table of ratios
with PASS/FAIL for the targets of the scale issue.

    python scripts/bench.py [--quick] [--cases a,b,c] [--recipients N] [--rows N] [--keep DIR]

Cases: (a) the seed commune (its 6 officers, the demo's returns with their mistakes),
(b) 100 rows × 10 officers, (c) 2,000 rows × 1,000 recipients (a province's units; --quick:
200). Ratios, not times, are the targets: other processes on a shared machine slow both
sides of a ratio alike, and each side is the best of several runs where a run is short.

Baselines: the raw read floor (unzip each workbook and parse its worksheet XML with lxml,
nothing else), the plain approach (openpyxl.load_workbook of each file), XlsxWriter writing
the same cell values bare (no styles, validation, protection or merges) and the raw write floor
(a zip of minimal sheet XML holding those values); openpyxl load + save of the master. Each
command also runs as a whole process (cases a and c) against `python -c "import openpyxl;
openpyxl.load_workbook(MASTER)"`, for its time and, on Linux, its peak memory with its workers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from cchc_xl import layout
from cchc_xl.cycle.officer_workbook import fact_spans

NOW = dt.datetime(2021, 4, 1, 8, 30)
RETURNED_AT = dt.datetime(2021, 6, 1, 10, 0)
CONSOLIDATED_AT = dt.datetime(2021, 6, 20, 9, 30)
AS_OF = dt.date(2021, 6, 30)
OFFICER = layout.OFFICER

# --- realistic Vietnamese plan text -------------------------------------------------------

AREAS = (
    "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "XÂY DỰNG VÀ TỔ CHỨC THỰC HIỆN VĂN BẢN QPPL",
    "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH",
    "XÂY DỰNG VÀ NÂNG CAO CHẤT LƯỢNG ĐỘI NGŨ CÁN BỘ, CÔNG CHỨC", "CẢI CÁCH TÀI CHÍNH CÔNG",
    "HIỆN ĐẠI HÓA HÀNH CHÍNH", "TÁC ĐỘNG CỦA CẢI CÁCH HÀNH CHÍNH ĐẾN NGƯỜI DÂN, TỔ CHỨC")
CRITERIA = (
    "Kế hoạch CCHC năm", "Công tác kiểm tra CCHC", "Công tác tuyên truyền CCHC",
    "Thực hiện cơ chế một cửa, một cửa liên thông", "Công khai thủ tục hành chính",
    "Ứng dụng công nghệ thông tin", "Áp dụng hệ thống quản lý chất lượng ISO 9001",
    "Tổ chức thực hiện văn bản quy phạm pháp luật", "Quản lý, sử dụng kinh phí hành chính",
    "Đánh giá, xếp loại cán bộ, công chức", "Sự hài lòng của người dân, tổ chức")
SUB_CRITERIA = (
    "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn",
    "Tỷ lệ thủ tục hành chính cung cấp trực tuyến mức độ 3, 4",
    "Mức độ hoàn thành các nhiệm vụ đề ra trong kế hoạch",
    "Tỷ lệ văn bản được ký số và gửi nhận trên môi trường điện tử",
    "Thực hiện lấy ý kiến đánh giá sự hài lòng của người dân",
    "Niêm yết, công khai đầy đủ thủ tục hành chính tại bộ phận một cửa",
    "Việc sắp xếp và lưu trữ tài liệu hồ sơ theo quy định",
    "Tổ chức đối thoại, tiếp công dân định kỳ hằng tháng",
    "Tỷ lệ cán bộ, công chức đạt chuẩn theo quy định")
ACTIONS = (
    "Rà soát, cập nhật và công khai đầy đủ thủ tục hành chính; tăng cường kiểm tra, đôn đốc "
    "việc giải quyết hồ sơ đúng hạn.",
    "Phân công nhiệm vụ rõ ràng cho từng công chức; định kỳ hằng tháng báo cáo kết quả thực "
    "hiện tại cuộc họp giao ban.",
    "Tăng cường tuyên truyền, hướng dẫn người dân sử dụng dịch vụ công trực tuyến, thanh toán "
    "không dùng tiền mặt.",
    "Thực hiện tốt các quy trình công việc theo hệ thống quản lý chất lượng; cập nhật, công "
    "bố lại khi có thay đổi.",
    "Bố trí kinh phí, trang thiết bị cho bộ phận một cửa; cử công chức tham gia tập huấn.")
TIMEFRAMES = ("Trong năm 2021", "Quý II/2021", "Quý III năm 2021", "Tháng 9/2021",
              "Trước ngày 30/6/2021")
COMMUNES = ("Thạch Hà", "Kỳ Anh", "Cẩm Xuyên", "Hương Sơn", "Đức Thọ", "Nghi Xuân",
            "Can Lộc", "Lộc Hà", "Hương Khê", "Vũ Quang", "Thạch Khê", "Sơn Giang")
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ")
MIDDLES = ("Văn", "Thị", "Đình", "Quang", "Minh", "Thu", "Hữu", "Ngọc")
GIVEN = ("An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc",
         "Quỳnh", "Sơn", "Thảo", "Tuấn", "Yến")
OFFICERS = ("Văn phòng – Thống kê", "Tư pháp – Hộ tịch", "Địa chính – Xây dựng",
            "Tài chính – Kế toán", "Văn hóa – Xã hội", "Chỉ huy trưởng Quân sự",
            "Trưởng Công an xã", "Chủ tịch UBND xã", "Phó Chủ tịch UBND xã",
            "Văn thư – Lưu trữ")


@dataclass
class Case:
    key: str
    title: str
    rows: int
    recipients: int
    dir: Path
    fresh: Path = None  # the master before fill
    filled: Path = None  # the master after fill (what consolidate starts from)
    outbox: Path = None
    inbox: Path = None
    issued: list = field(default_factory=list)
    judged: bool = True  # its targets are judged (not for --quick's smaller case c)
    plan_max: dict = field(default_factory=dict)


def synthetic_case(case: Case, seed: int = 2021) -> None:
    """A plan of `rows` criteria rows (8 areas, criteria, sub-criteria) whose leaves lost
    points, each led by one recipient and supported by two more, built the way
    `cchc-xl new` builds a master."""
    from cchc_xl.files.open_save import save
    from cchc_xl.master.build import build_master
    from cchc_xl.master.key import master_key
    from cchc_xl.master.reading import read_master
    from cchc_xl.master.status_colours import paint_status
    from cchc_xl.plan.roster import Role
    from cchc_xl.plan.tree import Plan, PlanRow

    rnd = random.Random(seed)
    if case.recipients <= len(OFFICERS):
        names = list(OFFICERS[:case.recipients])
    else:
        names = [f"UBND xã {COMMUNES[i % len(COMMUNES)]} {i + 1:04d}"
                 for i in range(case.recipients)]
    roles = [Role(name, [], True,
                  f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLES)} {rnd.choice(GIVEN)}",
                  f"donvi{i + 1:04d}@hatinh.example") for i, name in enumerate(names)]
    rows, leaves = [], []
    per_area = max(3, case.rows // len(AREAS))
    for a, area_title in enumerate(AREAS, start=1):
        area = PlanRow(str(a), area_title)
        rows.append(area)
        budget, c, criteria = min(per_area, case.rows - len(rows) + 1) - 1, 0, []
        while budget > 0:
            c += 1
            crit = PlanRow(f"{a}.{c}", f"{rnd.choice(CRITERIA)} ({a}.{c})")
            rows.append(crit)
            criteria.append(crit)
            budget -= 1
            subs = []
            for s in range(1, min(budget, rnd.randint(3, 9)) + 1):
                mx = rnd.choice((0.25, 0.5, 1.0, 1.5, 2.0))
                sub = PlanRow(f"{a}.{c}.{s}", f"{rnd.choice(SUB_CRITERIA)} ({a}.{c}.{s})", mx,
                              round(mx * rnd.choice((0, 0.25, 0.5, 0.75)), 2))
                subs.append(sub)
                rows.append(sub)
            budget -= len(subs)
            leaves.extend(subs or [crit])
            crit.max_points = sum(x.max_points for x in subs) if subs else 1.0
            crit.appraised = sum(x.appraised for x in subs) if subs else 0.5
        area.max_points = sum(x.max_points for x in criteria) or 1.0
        area.appraised = sum(x.appraised for x in criteria) if criteria else 0.5
        if not criteria:
            leaves.append(area)
    group = "Các công chức chuyên môn thuộc UBND xã"
    for i, leaf in enumerate(leaves):
        lead = names[i % len(names)]
        others = [names[(i * 7 + 3) % len(names)], names[(i * 13 + 5) % len(names)]]
        support = ", ".join(dict.fromkeys(n for n in others if n != lead))
        if len(names) <= len(OFFICERS) and i % 5 == 0:
            support = group  # a commune names its specialists as a group
        leaf.action, leaf.lead, leaf.support = rnd.choice(ACTIONS), lead, support
        leaf.timeframe = rnd.choice(TIMEFRAMES)
    plan = Plan(rows, "KẾ HOẠCH KHẮC PHỤC TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CẢI CÁCH HÀNH CHÍNH "
                "NĂM 2021", "Thạch Hà", "25/KH-UBND", dt.date(2021, 3, 19), 2021)
    from cchc_xl.plan.timeframe import parse_timeframe

    for leaf in leaves:
        leaf.deadline = parse_timeframe(leaf.timeframe, 2021)
    case.plan_max = {r.code: r.max_points for r in rows}
    wb = build_master(plan, roles, {"master_id": str(uuid.uuid4())})
    master_key(wb, create=True)
    paint_status(wb[layout.PLAN.name], read_master(wb), dt.date(2021, 3, 20))
    case.fresh = case.dir / "so-theo-doi.xlsx"
    save(wb, case.fresh, backup=False)


def issue(case: Case) -> float:
    """Fill a copy of the fresh master (the copy becomes case.filled); returns seconds."""
    from cchc_xl.cycle.fill import fill

    case.filled = case.dir / "so-da-gui" / case.fresh.name
    case.filled.parent.mkdir(exist_ok=True)
    shutil.copy(case.fresh, case.filled)
    case.outbox = case.dir / "phieu-gui"
    start = time.perf_counter()
    result = fill(case.filled, case.outbox, now=NOW)
    seconds = time.perf_counter() - start
    case.issued = result.files
    return seconds


def simulate_returns(case: Case, share: float = 0.9) -> None:
    """Most recipients answer: leads report status, progress, result, expected points and
    obstacles (some typed the way people type: no diacritics, '70%', '0,5'); supporters
    report what they did. Edited in the package's XML, as a spreadsheet program saves it."""
    case.inbox = case.dir / "phieu-nhan"
    case.inbox.mkdir(exist_ok=True)
    rnd = random.Random(7)
    for n, issued in enumerate(case.issued):
        if rnd.random() > share:
            continue
        edits = {}
        for i, (code, part) in enumerate(zip(issued.codes, issued.parts)):
            row = OFFICER.first_row + i
            if part == layout.LEAD:
                mx = case.plan_max.get(code) or 1.0
                if rnd.random() < 0.6:
                    edits[row] = {"status": rnd.choice(("Hoàn thành", "hoan thanh")),
                                  # (the percentage cell holds what Excel stores: 100% is 1)
                                  "progress": 1, "expected": round(mx * 0.75, 2),
                                  "result": f"Đã ban hành Kế hoạch số {n + 1}/KH-UBND; "
                                            f"hoàn thành tiêu chí {code}"}
                else:
                    edits[row] = {"status": "Đang thực hiện",
                                  "progress": rnd.choice((0.4, 0.6, "70%")),
                                  "obstacles": "Thiếu kinh phí, trang thiết bị"}
            elif rnd.random() < 0.5:
                edits[row] = {"status": "Đang thực hiện",
                              "result": f"Đã phối hợp thực hiện tiêu chí {code}"}
        edit_package(issued.path, case.inbox / issued.path.name, edits, RETURNED_AT)


def edit_package(src: Path, dst: Path, edits: dict[int, dict], saved: dt.datetime) -> None:
    """Copy an issued workbook with input cells set ({sheet row: {field: value}}): text goes
    into the shared strings, as Excel stores it, and the saved time into core.xml."""
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    strings = parts["xl/sharedStrings.xml"].decode()
    counts = re.search(r'count="(\d+)" uniqueCount="(\d+)"', strings)
    unique, added = int(counts[2]), []
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for row, fields in edits.items():
        for key, value in fields.items():
            ref = f"{OFFICER.letter(key)}{row}"
            cell = re.search(rf'<c r="{ref}"( s="\d+")?(?: t="\w+")?(?:/>|>.*?</c>)', sheet)
            style = cell[1] or ""
            if isinstance(value, str):
                added.append(value)
                new = f'<c r="{ref}"{style} t="s"><v>{unique + len(added) - 1}</v></c>'
            else:
                new = f'<c r="{ref}"{style}><v>{value}</v></c>'
            sheet = sheet[:cell.start()] + new + sheet[cell.end():]
    strings = strings.replace(counts[0], f'count="{int(counts[1]) + len(added)}" '
                                         f'uniqueCount="{unique + len(added)}"', 1)
    strings = strings.replace("</sst>", "".join(f"<si><t>{escape(s)}</t></si>"
                                                for s in added) + "</sst>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/sharedStrings.xml"] = strings.encode()
    parts["docProps/core.xml"] = re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*",
        lambda m: m[1] + saved.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
        parts["docProps/core.xml"])
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def seed_case(case: Case) -> None:
    from cchc_xl.cycle.demo import run_demo

    demo = run_demo(case.dir / "demo")
    case.fresh = case.dir / "so-theo-doi.xlsx"
    shutil.copy(demo.master, case.fresh)


def seed_returns(case: Case) -> None:
    from cchc_xl.cycle.demo import simulate_returns as demo_returns

    case.inbox = case.dir / "phieu-nhan"
    demo_returns({f.role: f.path for f in case.issued}, case.inbox)


# --- measuring ----------------------------------------------------------------------------

def best(fn, runs: int) -> float:
    """Best of `runs` wall times of fn() in seconds (noise only ever adds time)."""
    times = []
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_interleaved(fns: list, runs: int) -> list[float]:
    """best() of each function, their runs taken in turn (a, b, c, a, b, c, …), so that a
    busy spell of the machine slows every side of a ratio alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(max(1, runs)):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - start)
    return [min(t) for t in times]


def officer_jobs(case: Case, out: Path):
    """The officer workbooks fill writes, as (sheet, key, path) jobs."""
    from cchc_xl.cycle.fill import assignments, file_name, officer_sheet
    from cchc_xl.files.open_save import load
    from cchc_xl.master.key import master_key
    from cchc_xl.master.reading import read_master

    wb = load(case.filled)
    view = read_master(wb)
    key = master_key(wb)
    taken: set[str] = set()
    jobs = []
    for name, entries in assignments(view).items():
        if entries:
            sheet = officer_sheet(view, name, entries, round_name="Đợt 1", now=NOW,
                                  due=NOW.date() + dt.timedelta(days=7),
                                  master_id=str(view.settings.get("master_id")),
                                  master_file=case.filled.name)
            jobs.append((sheet, key, out / file_name("Đợt 1", name, taken)))
    return jobs


def workbook_cells(sheet, key) -> dict[str, list[tuple[int, int, object]]]:
    """Every value an officer workbook holds, by sheet, as (row, column) zero-based: what a
    bare writer has to write to hold the same cells."""
    facts = {"commune": sheet.commune, "round": sheet.round, "person": sheet.person,
             "role": sheet.role, "issued_at": sheet.issued_at, "due": sheet.due}
    visible = [(0, 0, layout.OFFICER_TITLE.format(year=sheet.year or "")),
               (1, 0, f"UBND xã {sheet.commune}")]
    for r, pairs in enumerate(layout.OFFICER_FACTS, start=2):
        for (label, k), ((lc, _), (vc, _)) in zip(pairs, fact_spans()):
            lc, vc = lc - 1, vc - 1
            visible += [(r, lc, label), (r, vc, facts[k])]
    visible += [(5 + i, 0, line) for i, line in enumerate(layout.OFFICER_HELP)]
    visible += [(OFFICER.header_row - 1, c, col.label) for c, col in enumerate(OFFICER.columns)]
    for i, row in enumerate(sheet.rows):
        values = {**row.locked(), **row.values}
        visible += [(OFFICER.first_row - 1 + i, c, values.get(k))
                    for c, k in enumerate(OFFICER.keys)]
    lists = []
    for c, (name, items) in enumerate(layout.LISTS.items()):
        lists += [(0, c, name), *((r, c, item) for r, item in enumerate(items, start=1))]
    from cchc_xl.cycle.stamp import stamp_cells

    hidden = stamp_cells(sheet.stamp(key), key)
    clean = {name: [(r, c, v) for r, c, v in cells if v not in (None, "")]
             for name, cells in ((OFFICER.name, visible), (layout.LISTS_SHEET, lists),
                                 (layout.STAMP_SHEET, hidden))}
    return clean


def write_bare(cells: dict, path: Path) -> None:
    """XlsxWriter writing the values only: no styles, validation, protection or merges."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"in_memory": True})
    date = book.add_format({"num_format": layout.DATE})
    for name, values in cells.items():
        ws = book.add_worksheet(name)
        for r, c, value in values:
            if isinstance(value, (dt.date, dt.datetime)):
                ws.write_datetime(r, c, value, date)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
    book.close()


_FLOOR_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
        'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{sheets}</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
        '"xl/workbook.xml"/></Relationships>'),
}


def write_floor(cells: dict, path: Path) -> None:
    """The raw write floor: a zip of minimal sheet XML with the same values (inline text,
    numbers, dates as serials), no styles at all."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    epoch = dt.datetime(1899, 12, 30)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        names = list(cells)
        z.writestr("[Content_Types].xml", _FLOOR_PARTS["[Content_Types].xml"].format(
            sheets="".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType='
                           '"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                           'worksheet+xml"/>' for i in range(1, len(names) + 1))))
        z.writestr("_rels/.rels", _FLOOR_PARTS["_rels/.rels"])
        z.writestr("xl/workbook.xml", f'<workbook {ns} xmlns:r="{rel}"><sheets>' + "".join(
            f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, n in enumerate(names, start=1)) + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships">' + "".join(
                       f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/'
                       f'sheet{i}.xml"/>' for i in range(1, len(names) + 1))
                   + "</Relationships>")
        for i, name in enumerate(names, start=1):
            by_row: dict[int, list[str]] = {}
            for r, c, value in sorted(cells[name], key=lambda x: (x[0], x[1])):
                ref = f"{_column(c)}{r + 1}"
                if isinstance(value, str):
                    xml = f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
                else:
                    if isinstance(value, dt.datetime):
                        value = (value - epoch).total_seconds() / 86400
                    elif isinstance(value, dt.date):
                        value = (dt.datetime.combine(value, dt.time()) - epoch).days
                    xml = f'<c r="{ref}"><v>{value}</v></c>'
                by_row.setdefault(r, []).append(xml)
            z.writestr(f"xl/worksheets/sheet{i}.xml", f"<worksheet {ns}><sheetData>" + "".join(
                f'<row r="{r + 1}">{"".join(xs)}</row>' for r, xs in sorted(by_row.items()))
                + "</sheetData></worksheet>")


def _column(c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_floor(path: Path) -> None:
    """The raw read floor: unzip and parse each worksheet's XML with lxml, nothing else."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                etree.fromstring(z.read(name))


def read_calamine(path: Path) -> None:
    """calamine alone: the values of the three sheets a return's reader reads."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    for name in (layout.STAMP_SHEET, OFFICER.name, layout.EVIDENCE_OFFICER.name):
        if name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)


# fast_read (the reader before issue 21, deleted there): its read + check cost in ratios to the
# raw read floor, one process, measured by this script (--quick) on 2026-12-06 just before.
# Case (c), 182 returns, it read on both cores: 1.72 ms against a floor of 0.80 (2.15 ×),
# interleaved with this reader on the same files (/tmp script, 06/12/2026; this one: 1.59 ms).
FAST_READ_BEFORE = {"a": "2.90", "b": "3.17", "c": "3.68 (on both cores, as it read them: 2.15)"}


def read_plain(path: Path) -> None:
    """The plain approach a user would write."""
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        openpyxl.load_workbook(path)


# --- the table ----------------------------------------------------------------------------

@dataclass
class Row:
    case: str
    measure: str
    ours: str
    baseline: str = ""
    ratio: float | None = None
    target: float | None = None

    @property
    def result(self) -> str:
        if self.target is None or self.ratio is None:
            return ""
        return "PASS" if self.ratio <= self.target else "FAIL"


def ms(seconds: float, n: int = 1) -> str:
    return f"{seconds / n * 1000:.2f} ms/file" if n > 1 else f"{seconds * 1000:.0f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def print_table(rows: list[Row], out=sys.stdout) -> None:
    heads = ("case", "measure", "ours", "baseline", "ratio", "target", "result")
    cells = [(r.case, r.measure, r.ours, r.baseline,
              f"{r.ratio:.2f}" if r.ratio is not None else "",
              f"≤ {r.target:g}" if r.target is not None else "", r.result) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    line = "  ".join(h.ljust(w) for h, w in zip(heads, widths))
    print(line, file=out)
    print("-" * len(line), file=out)
    for c in cells:
        print("  ".join(v.ljust(w) for v, w in zip(c, widths)), file=out)


# --- one case -----------------------------------------------------------------------------

def bench_case(case: Case, rows: list[Row], runs: int, quick: bool) -> None:


    from cchc_xl import cores
    from cchc_xl.cycle.consolidate import consolidate
    from cchc_xl.cycle.inbox import collect
    from cchc_xl.cycle.officer_workbook import write_officer_workbook, write_officer_workbooks
    from cchc_xl.cycle.returns import iter_returns
    from cchc_xl.files.open_save import load
    from cchc_xl.master.check import validate
    from cchc_xl.master.key import master_key

    k = case.key
    many = case.recipients > 100
    judged = k == "c" and case.judged  # the targets are case (c)'s
    say(f"[{k}] fill …")
    fill_seconds = issue(case)
    if case.key == "a":
        seed_returns(case)
    else:
        simulate_returns(case)
    # -- fill: the officer workbooks against XlsxWriter bare and the raw write floor
    jobs = officer_jobs(case, case.dir / "w-ours")
    cells = [workbook_cells(sheet, key) for sheet, key, _ in jobs]
    for name in ("w-ours", "w-one", "w-bare", "w-floor"):
        (case.dir / name).mkdir(exist_ok=True)
    wruns = 1 if many else runs
    ours = best(lambda: write_officer_workbooks(jobs), wruns)
    one = best(lambda: [write_officer_workbook(s, key, case.dir / "w-one" / p.name)
                        for s, key, p in jobs], wruns)
    bare = best(lambda: [write_bare(c, case.dir / "w-bare" / p.name)
                         for c, (_, _, p) in zip(cells, jobs)], wruns)
    floor = best(lambda: [write_floor(c, case.dir / "w-floor" / p.name)
                          for c, (_, _, p) in zip(cells, jobs)], wruns)
    n = len(jobs)
    pool = f", {cores.cores()} processes" if cores.pool_pays(n) else ""
    master_bare = master_io(case.filled)
    rows += [
        Row(k, f"fill: officer workbooks written ({n}{pool})", ms(ours, n),
            f"XlsxWriter bare {ms(bare, n)}", ours / bare, 2.0 if judged else None),
        Row(k, "fill: officer workbooks, one process", ms(one, n),
            f"XlsxWriter bare {ms(bare, n)}", one / bare),
        Row(k, "fill: raw write floor (reference)", ms(floor, n), "", None),
        Row(k, "fill: whole command (check, write, record)", secs(fill_seconds),
            f"bare writes + master openpyxl load+save {secs(bare + master_bare)}",
            fill_seconds / (bare + master_bare)),
    ]
    # -- consolidate: reading and checking the returns
    say(f"[{k}] consolidate …")
    wb = load(case.filled)
    key = master_key(wb)
    master_id = str(wb[layout.SETTINGS_SHEET]["B2"].value)
    del wb
    paths = sorted(p for p in case.inbox.rglob("*") if p.is_file())
    workbooks = [p for p in paths if p.suffix.lower() in (".xlsx", ".xlsm")
                 and not p.name.startswith("~$")]
    state: dict = {}

    def ours_all():
        items, _ = collect(case.inbox)
        state["ours"] = list(iter_returns(items, master_id, key))

    def ours_one():
        pool_from, cores.POOL_FROM = cores.POOL_FROM, 10**9
        try:
            ours_all()
        finally:
            cores.POOL_FROM = pool_from

    items, _ = collect(case.inbox)
    m = len(items)
    pooled = f", {cores.cores()} processes" if cores.pool_pays(m) else ""
    rruns = 9 if many else runs  # (a second each: the best of nine rounds is rarely a busy one)
    ours_read, ours_one_read, rfloor, calamine = best_interleaved(
        [ours_all, ours_one, lambda: [read_floor(p) for p in workbooks],
         lambda: [read_calamine(p) for p in workbooks]], rruns)
    sample = workbooks if not many else workbooks[:: max(1, len(workbooks) // 200)][:200]
    plain = best(lambda: [read_plain(p) for p in sample], 1)
    per, per_calamine = rfloor / max(1, len(workbooks)), calamine / max(1, len(workbooks))
    note = f", sampled {len(sample)}" if many else ""
    floor_text = f"raw read floor {ms(rfloor, len(workbooks))}"
    rows += [
        Row(k, f"consolidate: read + check returns ({m}{pooled})", ms(ours_read, m), floor_text,
            (ours_read / m) / per, 2.0 if judged else None),
        *([Row(k, "consolidate: read + check returns, one process", ms(ours_one_read, m),
               floor_text, (ours_one_read / m) / per)] if pooled else []),
        Row(k, "consolidate: read + check returns, against calamine alone", ms(ours_read, m),
            f"calamine alone {ms(calamine, len(workbooks))}", (ours_read / m) / per_calamine),
        Row(k, "consolidate: calamine alone (its 3 sheets' values)", ms(calamine, len(workbooks)),
            floor_text, per_calamine / per),
        Row(k, f"plain approach: openpyxl.load_workbook each file{note}",
            ms(plain, len(sample)), floor_text, (plain / len(sample)) / per),
    ]
    NOTES.append(f"({k}) before issue 21, fast_read read + checked these returns at "
                 f"{FAST_READ_BEFORE[k]} × the raw read floor, one process (--quick, same machine)")
    # -- consolidate as a whole (returns.open_return as wired today), then the master write
    run_dir = case.dir / "cons"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir()
    master = run_dir / case.filled.name
    shutil.copy(case.filled, master)
    start = time.perf_counter()
    report = consolidate(master, case.inbox, now=CONSOLIDATED_AT, as_of=AS_OF)
    whole = time.perf_counter() - start
    rows.append(Row(k, f"consolidate: whole command ({len(report.changes)} changes)",
                    secs(whole), "", None))
    ours_io, parts = master_write(master, 2 if many else runs)
    bare_io = master_io(master, 2 if many else runs)
    rows.append(Row(k, "consolidate: master load + save (cached values, backup, atomic)",
                    secs(ours_io), f"openpyxl load+save {secs(bare_io)}", ours_io / bare_io,
                    1.5 if judged else None))
    NOTES.append(f"({k}) master load + save: " + ", ".join(f"{name} {secs(v)}"
                                                          for name, v in parts))
    # -- validate
    say(f"[{k}] validate …")
    val = best(lambda: validate(case.filled), 1 if many else runs)
    load_only = best(lambda: read_plain(case.filled), 1 if many else runs)
    rows.append(Row(k, "validate: whole", secs(val), f"openpyxl load {secs(load_only)}",
                    val / load_only))


def master_io(path: Path, runs: int = 1) -> float:
    """openpyxl load + save of a master, bare (to a scratch file beside it)."""
    import warnings

    import openpyxl

    out = path.with_name("bare-save.xlsx")

    def go():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            openpyxl.load_workbook(path).save(out)

    seconds = best(go, runs)
    out.unlink(missing_ok=True)
    return seconds


def master_write(path: Path, runs: int) -> tuple[float, list[tuple[str, float]]]:
    """workbook_io.load + save of a master (what every command that writes it does), and
    where save's time goes."""
    from cchc_xl.files import fidelity, formula_eval
    from cchc_xl.files import open_save as workbook_io

    spent: dict[str, float] = {}

    def timed(owner, name, label):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start
        setattr(owner, name, wrapper)
        return owner, name, original

    patches = [timed(workbook_io, "load", "load"),
               timed(fidelity, "ensure_preservable", "fidelity check"),
               timed(formula_eval.WorkbookEvaluator, "evaluate_all", "evaluate"),
               timed(workbook_io, "write_cached_values", "cache values in XML"),
               timed(workbook_io, "make_backup", "backup")]
    best_total, best_parts = None, []
    try:
        for _ in range(max(1, runs)):
            spent.clear()
            start = time.perf_counter()
            wb = workbook_io.load(path)
            workbook_io.save(wb, path)
            total = time.perf_counter() - start
            if best_total is None or total < best_total:
                rest = total - sum(spent.values())
                best_total = total
                best_parts = [*spent.items(), ("openpyxl write and the rest", rest)]
    finally:
        for owner, name, original in patches:
            setattr(owner, name, original)
    return best_total, best_parts


# --- whole processes (case a) and memory (case c) -----------------------------------------

def process_rows(case: Case, rows: list[Row], runs: int) -> None:
    """Each command as a whole process against `python -c "import openpyxl;
    openpyxl.load_workbook(MASTER)"` (import time counts), and the peak memory of each."""
    py = sys.executable
    work = case.dir / "proc"
    baseline_argv = [py, "-c", f"import openpyxl; openpyxl.load_workbook({str(case.filled)!r})"]

    def fresh(master: Path) -> Path:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        shutil.copy(master, work / master.name)
        return work / master.name

    commands = {
        "validate": lambda: [py, "-m", "cchc_xl", "validate", str(fresh(case.filled))],
        "fill": lambda: [py, "-m", "cchc_xl", "fill", str(fresh(case.fresh)), "--out",
                         str(work / "phieu")],
        "consolidate": lambda: [py, "-m", "cchc_xl", "consolidate", str(fresh(case.filled)),
                                str(case.inbox), "--as-of", AS_OF.isoformat(), "--quiet"],
    }
    times: dict[str, list[float]] = {name: [] for name in ("baseline", *commands)}
    peaks: dict[str, list[float]] = {name: [] for name in times}
    # In turn, so that a busy spell slows the baseline as much; memory sampled in one more
    # run of each (in the only one when there is one run: the sampling costs little).
    total = runs + (runs > 1)
    # Byte code as an installed package has it (pip compiles it): without this, a machine
    # that sets PYTHONDONTWRITEBYTECODE (this one does) compiles all of cchc_xl in every run
    # (≈ 90 ms on Sơn Giang) while the baseline's openpyxl was compiled by pip. Written under
    # the case's folder by one untimed run of each command.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(case.dir / "pycache")
    for name in times:
        run_process(baseline_argv if name == "baseline" else commands[name](), env=env)
    for run in range(total):
        timed, memory = run < runs, run == total - 1
        for name in times:
            argv = baseline_argv if name == "baseline" else commands[name]()
            seconds, code, err, peak = run_process(argv, memory, env=env)
            if timed:
                times[name].append(seconds)
            if peak is not None:
                peaks[name].append(peak)
            if code not in (0, 1):
                raise RuntimeError(f"{name}: {err[-2000:]}")
    baseline = min(times["baseline"])
    target = 2.0 if case.key == "a" else None
    for name in commands:
        rows.append(Row(case.key, f"process: cchc-xl {name}", ms(min(times[name])),
                        f"python -c load_workbook {ms(baseline)}",
                        min(times[name]) / baseline, target))
    if peaks["baseline"]:
        base_peak = max(peaks["baseline"])
        for name in commands:
            rows.append(Row(case.key, f"memory: cchc-xl {name}, peak (with its workers)",
                            f"{max(peaks[name]):.0f} MB",
                            f"python -c load_workbook {base_peak:.0f} MB",
                            max(peaks[name]) / base_peak))


def run_process(argv: list[str], memory: bool = False, env: dict | None = None
                ) -> tuple[float, int, str, float | None]:
    """(wall seconds, exit code, stderr, peak memory in MB) of a command run to its end.
    memory: the peak is sampled every 5 ms from /proc (Linux; None elsewhere): the memory of
    the command and of the workers it starts, added up with shared pages counted once
    (proportional set size, Pss). (Not ru_maxrss: for a child of this process it counts the
    bench's own memory at the fork; nor each process's VmHWM: a forked worker's counts the
    pages it shares with its parent again.)"""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
        peak = None
        sample = memory and Path(f"/proc/{child.pid}/smaps_rollup").exists()
        while sample and child.poll() is None:
            peak = max(peak or 0.0, _tree_pss(child.pid))
            time.sleep(0.005)
        code = child.wait()
        seconds = time.perf_counter() - start
        err.seek(0)
        return seconds, code, err.read().decode(errors="replace"), peak


def _tree_pss(pid: int) -> float:
    """Pss (MB) of pid and its descendants, 0 for one that ended meanwhile."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
    return (int(found[1]) / 1024 if found else 0.0) + sum(_tree_pss(int(c)) for c in children)



MEMORY = textwrap.dedent("""
    import json, os, sys, resource
    def rss():
        try:
            with open("/proc/self/statm") as fh:
                return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except OSError:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    phase, master, inbox, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    from cchc_xl.cycle.inbox import collect
    from cchc_xl.cycle.returns import open_return
    import cchc_xl.files.open_save, openpyxl
    before = rss()
    peak = before
    if phase == "master":
        from cchc_xl.files.open_save import load
        wb = load(master)
        peak = max(peak, rss())
    else:
        key, master_id = json.loads(sys.argv[5])
        items, _ = collect(__import__("pathlib").Path(inbox))
        items = items[:limit]
        kept = []
        for item in items:
            kept.append(open_return(item, master_id, key))
            peak = max(peak, rss())
    print(json.dumps({"before": before, "peak": peak}))  # (not ru_maxrss: it counts the
    # bench's own memory at the fork that started this process)
""")


def memory_rows(case: Case, rows: list[Row]) -> None:
    """Peak memory of reading the returns, for few and for all of them, next to the master's
    own footprint (each measured in a fresh process)."""
    from cchc_xl.files.open_save import load
    from cchc_xl.master.key import master_key

    wb = load(case.filled)
    secret = json.dumps([master_key(wb), str(wb[layout.SETTINGS_SHEET]["B2"].value)])
    del wb
    count = len([p for p in case.inbox.iterdir() if p.suffix == ".xlsx"])

    def run(phase: str, limit: int) -> dict:
        done = subprocess.run([sys.executable, "-c", MEMORY, phase, str(case.filled),
                               str(case.inbox), str(limit), secret],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    master = run("master", 0)
    small_n = max(1, min(200, count // 4))
    small, large = run("read", small_n), run("read", count)
    grow_small = small["peak"] - small["before"]
    grow_large = large["peak"] - large["before"]
    own = master["peak"] - master["before"]
    rows.append(Row(case.key, "memory: master loaded (its own footprint)", f"{own:.0f} MB",
                    "", None))
    rows.append(Row(case.key, f"memory: reading {count} returns vs {small_n}",
                    f"+{grow_large:.0f} MB", f"+{grow_small:.0f} MB",
                    (grow_large - grow_small) / max(own, 1.0), 0.25 if case.judged else None))
    rows[-1].baseline += " (ratio: growth / master)"


NOTES: list[str] = []  # printed under the table


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="case (c) with 200 recipients instead of 1,000")
    parser.add_argument("--cases", default="a,b,c", help="which cases, e.g. a,b")
    parser.add_argument("--recipients", type=int, default=None,
                        help="case (c) with this many recipients (3321: every commune-level "
                             "unit of the country)")
    parser.add_argument("--rows", type=int, default=None,
                        help="case (c) with this many plan rows (default 2,000, or two per "
                             "recipient when --recipients is given)")
    parser.add_argument("--runs", type=int, default=3, help="repeats of short measures")
    parser.add_argument("--keep", type=Path, help="build the cases here and keep them")
    args = parser.parse_args(argv)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    if not set(cases) <= {"a", "b", "c"}:
        parser.error("--cases takes a, b and/or c")
    if (args.recipients is not None and args.recipients < 1) or (
            args.rows is not None and args.rows < 1):
        parser.error("--recipients and --rows take a number of at least 1")
    root = args.keep or Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    try:
        for key in cases:
            recipients = {"a": 6, "b": 10, "c": 200 if args.quick else 1000}[key]
            plan_rows = {"a": 20, "b": 100, "c": 2000}[key]
            if key == "c" and args.recipients:
                recipients, plan_rows = args.recipients, 2 * args.recipients
            if key == "c" and args.rows:
                plan_rows = args.rows
            case = Case(key, "", plan_rows, recipients, root / key)
            if key == "c" and args.quick:  # the targets are set for 1,000 recipients
                case.judged = False
                NOTES.append(f"(c) --quick: {recipients} recipients, {plan_rows} rows, not the "
                             "case the targets are set for (1,000 recipients, 2,000 rows): its "
                             "ratios are shown, not judged")
            shutil.rmtree(case.dir, ignore_errors=True)
            case.dir.mkdir(parents=True)
            say(f"[{key}] building the master ({case.rows} rows, {recipients} recipients) …")
            if key == "a":
                seed_case(case)
            else:
                synthetic_case(case)
            bench_case(case, rows, args.runs, args.quick)
            if key in ("a", "c"):  # (c: once each, the commands take seconds)
                say(f"[{key}] whole processes …")
                process_rows(case, rows, args.runs if key == "a" else 1)
            if key == "c":
                say("[c] memory …")
                memory_rows(case, rows)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",) * 3
    print(f"cchc-xl benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} cores, load "
          f"average {load[0]:.2f} (ratios: ours ÷ baseline, both measured in this run; "
          f"other processes on the machine add noise to both sides)")
    print_table(rows)
    failed = [r for r in rows if r.result == "FAIL"]
    for note in NOTES:
        print(note)
    print(f"\n{sum(r.result == 'PASS' for r in rows)} targets met, {len(failed)} not met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

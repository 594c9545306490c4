"""The seed's rows laid out the way other communes' appendices are: as Word tables (.docx) and
Word's text export (.txt), in other column orders, with other labels, extra columns, Roman or
letter areas, merged cells, headers over two rows, a title row, a numbering row, a totals row
and an annex table; and the plan each layout must give.

The seed is split here by its own fixed shape (ten cells a row), independently of the importer
under test. Used by tests/test_plan_layouts.py and tests/measure_layouts.py.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx

from cchc_xl import layout
from cchc_xl.cycle.demo import SEED, data_file

DOC_KEYS = ("code", "title", "max_points", "appraised", "lost", "action", "lead", "support",
            "timeframe", "note")
SEED_LABELS = {key: layout.PLAN.column(key).label for key in DOC_KEYS}
# Columns the master has no field for, and what each row holds in them.
EXTRAS = {
    "cause": ("Nguyên nhân", "Chưa làm tốt tiêu chí {code}"),
    "product": ("Sản phẩm", "Báo cáo kết quả {code}"),
    "output": ("Kết quả đầu ra", "Đạt điểm tối đa tiêu chí {code}"),
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX"}
HEADING = [
    "PHỤ LỤC",
    "KẾ HOẠCH KHẮC PHỤC NHỮNG TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2020",
    "VÀ GIẢI PHÁP NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2021",
    "(Kèm theo kế hoạch số 18/KH-UBND ngày 19 tháng 3 năm 2021 của UBND xã Sơn Giang)",
]
TITLE_ROW = "BẢNG KẾ HOẠCH KHẮC PHỤC, NÂNG CAO CHỈ SỐ CCHC NĂM 2021"
ANNEX = ("PHỤ LỤC 2: DANH MỤC VĂN BẢN LIÊN QUAN",
         [["STT", "Tên văn bản", "Cơ quan ban hành"],
          ["1", "Quyết định 52/2019/QĐ-UBND", "UBND tỉnh Hà Tĩnh"],
          ["2", "Kế hoạch 18/KH-UBND", "UBND xã Sơn Giang"]])
SIGNATURE = ["", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Nguyễn Văn A"]


def seed_rows() -> list[dict[str, str]]:
    """The seed's rows as written (cells not trimmed), by field."""
    lines = data_file(SEED).read_text(encoding="utf-8").split("\n")
    cells: list[str] = []
    for line in lines:
        if line.startswith("\t"):
            cells.append(line[1:])
        elif cells:
            cells[-1] += "\n" + line
    rows = [cells[i:i + 10] for i in range(0, len(cells), 10)]
    assert [c.strip() for c in rows[0]] == list(SEED_LABELS.values())
    return [dict(zip(DOC_KEYS, row)) for row in rows[1:]]


def clean(text: str) -> str:
    lines = [line.rstrip() for line in unicodedata.normalize("NFC", text).split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines).strip()


@dataclass(frozen=True)
class Layout:
    """How a plan's table is laid out."""

    name: str
    order: tuple[str, ...] = DOC_KEYS  # fields and EXTRAS keys, left to right
    labels: dict = field(default_factory=dict)  # header labels replacing the seed's
    # a header over two rows: (label of the merged cell, keys under it, their own labels)
    groups: tuple = ()
    areas: str = "arabic"  # arabic | roman | roman-dot | letter
    local: bool = False  # criteria numbered within their area ("2" under I is 1.2)
    merged_areas: bool = False  # an area row: its code, then one cell across the others
    title_row: bool = False
    numbering_row: bool = False
    total_row: bool = False
    vmerge: bool = False  # equal leads and time frames of rows one under another merged
    annex: bool = False
    signature: bool = False
    rows: int | None = None  # only the first rows of the seed
    text: str = "cells"  # cells (Word's export: a cell a line) | tsv (a row a line)
    encoding: str = "utf-8"
    formats: tuple[str, ...] = ("txt", "docx")

    def label(self, key: str) -> str:
        if key in EXTRAS:
            return self.labels.get(key, EXTRAS[key][0])
        return self.labels.get(key, SEED_LABELS[key])


def _written_code(lay: Layout, code: str) -> str:
    parts = code.split(".")
    if len(parts) == 1:
        number = int(parts[0])
        if lay.areas == "roman":
            return ROMAN[number]
        if lay.areas == "roman-dot":
            return ROMAN[number] + "."
        if lay.areas == "letter":
            return "ABCDEFGHI"[number - 1]
        return code
    if lay.local and lay.areas != "arabic":
        return ".".join(parts[1:])
    return code


def table_rows(lay: Layout) -> list[dict[str, str]]:
    """The data rows as this layout writes them (by key, extras included)."""
    out = []
    for row in seed_rows()[:lay.rows]:
        code = row["code"].strip()
        written = dict(row, code=_written_code(lay, code), _seed=code)
        for key, (_, template) in EXTRAS.items():
            written[key] = template.format(code=code) if "." in code else ""
        out.append(written)
    return out


def expected(lay: Layout) -> list[dict]:
    """The plan this layout must give: the seed's rows, the original code kept where it is not
    the tree's, the extra columns' texts, no points for areas merged across."""
    out = []
    for row, written in zip(seed_rows()[:lay.rows], table_rows(lay)):
        code = row["code"].strip()
        area = "." not in code
        numbers = {k: None if area and lay.merged_areas else float(
            row[k].strip().replace(",", ".")) for k in ("max_points", "appraised", "lost")}
        if "appraised" not in lay.order and numbers["max_points"] is not None:
            numbers["appraised"] = round(numbers["max_points"] - numbers["lost"], 6)
        source = written["code"].strip()
        out.append({
            "code": code, "source_code": "" if source == code else source,
            **{k: clean(row[k]) for k in ("title", "action", "lead", "support", "timeframe",
                                          "note")},
            "max_points": numbers["max_points"], "appraised": numbers["appraised"],
            "lost_stated": numbers["lost"],
            "extras": {lay.label(k): written[k] for k in lay.order if k in EXTRAS},
        })
    return out


def got(plan) -> list[dict]:
    """A plan's rows in the shape of expected()."""
    return [{"code": r.code, "source_code": r.source_code, "title": r.title,
             "action": r.action, "lead": r.lead, "support": r.support,
             "timeframe": r.timeframe, "note": r.note, "max_points": r.max_points,
             "appraised": r.appraised, "lost_stated": r.lost_stated, "extras": r.extras}
            for r in plan.rows]


def _header_rows(lay: Layout) -> list[list[tuple[str, int]]]:
    """The header as rows of (text, columns spanned); a key under no group spans both rows
    and is written in the first (the second holds '' under it)."""
    if not lay.groups:
        return [[(lay.label(k), 1) for k in lay.order]]
    top: list[tuple[str, int]] = []
    bottom: list[tuple[str, int]] = []
    grouped = {k: (g, subs) for g, keys, subs in lay.groups for k in keys}
    done = set()
    for key in lay.order:
        if key in grouped:
            group, subs = grouped[key]
            keys = next(keys for g, keys, _ in lay.groups if g == group)
            if group not in done:
                top.append((group, len(keys)))
                done.add(group)
            bottom.append((subs[keys.index(key)], 1))
        else:
            top.append((lay.label(key), 1))
            bottom.append(("", 1))
    return [top, bottom]


def _total(lay: Layout) -> dict[str, str]:
    areas = [r for r in seed_rows() if "." not in r["code"].strip()]
    sums = {k: sum(float(r[k].strip().replace(",", ".")) for r in areas)
            for k in ("max_points", "appraised", "lost")}
    row = dict.fromkeys(lay.order, "")
    row.update({k: f"{v:g}" for k, v in sums.items()}, title="Tổng cộng")
    return row


# --- Word's text export ----------------------------------------------------------------------

def _cell_lines(text: str) -> list[str]:
    first, *rest = text.split("\n")
    return ["\t" + first, *rest]


def write_text(lay: Layout, path: Path) -> Path:
    lines = list(HEADING)

    def row(texts: list[str]) -> None:
        if lay.text == "tsv":
            lines.append("\t".join(t.replace("\n", " ").strip() for t in texts))
            return
        for text in texts:
            lines.extend(_cell_lines(text))
        lines.append("")

    if lay.title_row:
        row([TITLE_ROW])
    for header in _header_rows(lay):
        row([text for text, _ in header])
    if lay.numbering_row:
        row([f"({i})" for i in range(1, len(lay.order) + 1)])
    for data in table_rows(lay):
        if lay.merged_areas and "." not in seed_code(data):
            row([data["code"], data["title"]])
        else:
            row([data[k] for k in lay.order])
    if lay.total_row:
        total = _total(lay)
        row([total[k] for k in lay.order])
    if lay.annex:
        lines.append(ANNEX[0])
        for texts in ANNEX[1]:
            row(texts)
    if lay.signature:
        lines.extend(SIGNATURE)
    data = "\n".join(lines) + "\n"
    path.write_bytes(encode(data, lay.encoding))
    return path


def encode(text: str, encoding: str) -> bytes:
    """The bytes a Windows program writes: cp1258 keeps tone marks as combining characters
    after a base letter it has (ư, ơ, â …), as the Windows Vietnamese keyboard types them."""
    if encoding != "cp1258":
        return text.encode(encoding)
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            tone = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
            rest = unicodedata.normalize("NFC", base + "".join(m for m in marks
                                                                if m not in tone))
            out += (rest + "".join(tone)).encode("cp1258")
    return bytes(out)


# --- Word ------------------------------------------------------------------------------------

def _put(cell, text: str) -> None:
    first, *rest = text.split("\n")
    cell.paragraphs[0].text = first
    for line in rest:
        cell.add_paragraph(line)


def write_docx(lay: Layout, path: Path) -> Path:
    document = docx.Document()
    for line in HEADING:
        document.add_paragraph(line)
    width = len(lay.order)
    header = _header_rows(lay)
    data = table_rows(lay)
    count = (lay.title_row + len(header) + lay.numbering_row + len(data) + lay.total_row)
    table = document.add_table(rows=count, cols=width)
    r = 0
    if lay.title_row:
        _put(table.cell(0, 0).merge(table.cell(0, width - 1)), TITLE_ROW)
        r += 1
    if len(header) == 1:
        for c, (text, _) in enumerate(header[0]):
            _put(table.cell(r, c), text)
    else:
        c = 0
        for text, span in header[0]:
            if span > 1:
                _put(table.cell(r, c).merge(table.cell(r, c + span - 1)), text)
            else:
                below = header[1][c][0]
                if below:
                    _put(table.cell(r, c), text)
                else:
                    _put(table.cell(r, c).merge(table.cell(r + 1, c)), text)
            c += span
        for c, (text, _) in enumerate(header[1]):
            if text:
                _put(table.cell(r + 1, c), text)
    r += len(header)
    if lay.numbering_row:
        for c in range(width):
            _put(table.cell(r, c), f"({c + 1})")
        r += 1
    first_data = r
    for data_row in data:
        if lay.merged_areas and "." not in seed_code(data_row):
            _put(table.cell(r, 0), data_row["code"])
            _put(table.cell(r, 1).merge(table.cell(r, width - 1)), data_row["title"])
        else:
            for c, key in enumerate(lay.order):
                _put(table.cell(r, c), data_row[key])
        r += 1
    if lay.vmerge:
        for key in ("lead", "timeframe"):
            c = lay.order.index(key)
            start = 0
            while start < len(data):
                end = start
                while (end + 1 < len(data) and "." in seed_code(data[end + 1])
                       and data[end + 1][key].strip() == data[start][key].strip()
                       and data[start][key].strip()):
                    end += 1
                if end > start:
                    merged = table.cell(first_data + start, c).merge(
                        table.cell(first_data + end, c))
                    for paragraph in merged.paragraphs[1:]:
                        paragraph._p.getparent().remove(paragraph._p)
                    merged.paragraphs[0].text = data[start][key]
                start = end + 1
    if lay.total_row:
        total = _total(lay)
        for c, key in enumerate(lay.order):
            _put(table.cell(r, c), total[key])
    if lay.annex:
        document.add_paragraph(ANNEX[0])
        annex = document.add_table(rows=len(ANNEX[1]), cols=3)
        for i, texts in enumerate(ANNEX[1]):
            for c, text in enumerate(texts):
                _put(annex.cell(i, c), text)
    if lay.signature:
        for line in SIGNATURE:
            document.add_paragraph(line)
    document.save(str(path))
    return path


def seed_code(row: dict[str, str]) -> str:
    """The seed's own code of a written row (the 'code' cell may be I, II., A or local)."""
    return row["_seed"]


def write(lay: Layout, directory: Path, fmt: str) -> Path:
    path = directory / f"{lay.name}.{fmt}"
    return write_docx(lay, path) if fmt == "docx" else write_text(lay, path)


# --- the corpus --------------------------------------------------------------------------------

TWELVE = ("code", "title", "cause", "max_points", "appraised", "lost", "action", "product",
          "lead", "support", "timeframe", "note")
SUPPORT_FIRST = ("code", "title", "max_points", "appraised", "lost", "action", "support",
                 "lead", "timeframe", "note")
TIME_FIRST = ("code", "title", "max_points", "appraised", "lost", "action", "timeframe",
              "lead", "support", "note")
OTHER_LABELS = {"max_points": "Điểm tối đa", "appraised": "Điểm đạt", "lost": "Điểm bị trừ"}

# The layouts the issue lists (by name), then others.
ISSUE = [
    Layout("phoi-hop-truoc-chu-tri", SUPPORT_FIRST),
    Layout("12-cot-word", TWELVE, formats=("docx",)),
    Layout("12-cot-van-ban-14-dong", TWELVE, rows=14, formats=("txt",)),
    Layout("12-cot-van-ban-20-dong", TWELVE, formats=("txt",)),
    Layout("la-ma-gop-dong-word", areas="roman", merged_areas=True, formats=("docx",)),
    Layout("la-ma-du-cot", areas="roman"),
    Layout("thoi-gian-truoc-chu-tri-nhan-khac", TIME_FIRST, labels=OTHER_LABELS),
    Layout("gop-doc-chu-tri-thoi-gian-word", vmerge=True, formats=("docx",)),
]
MORE = [
    Layout("tieu-de-hai-dong", groups=(
        ("Điểm", ("max_points", "appraised", "lost"), ("Chuẩn", "Đạt", "Bị trừ")),
        ("Cơ quan thực hiện", ("lead", "support"), ("Chủ trì", "Phối hợp")))),
    Layout("dong-tieu-de-danh-so-tong-cong", title_row=True, numbering_row=True,
           total_row=True),
    Layout("chu-cai-danh-so-trong-linh-vuc", areas="letter", local=True),
    Layout("la-ma-co-cham-danh-so-trong-linh-vuc", areas="roman-dot", local=True),
    Layout("nhan-khac-thu-tu-khac",
           ("title", "code", "action", "lead", "support", "timeframe", "lost", "max_points",
            "appraised", "output", "note"),
           labels={"code": "TT", "title": "Nội dung", "action": "Nhiệm vụ, giải pháp",
                   "lead": "Đơn vị chủ trì", "support": "Đơn vị phối hợp",
                   "timeframe": "Thời hạn hoàn thành", "max_points": "Điểm tối đa",
                   "appraised": "Điểm đánh giá", "lost": "Điểm trừ"}),
    Layout("kem-phu-luc-va-chu-ky", TWELVE, annex=True, signature=True),
    Layout("la-ma-gop-dong-tieu-de-hai-dong-them-cot", TWELVE, areas="roman",
           merged_areas=True, groups=(
               ("Điểm", ("max_points", "appraised", "lost"),
                ("Tối đa", "Thẩm định", "Bị mất")),)),
    Layout("van-ban-tab-tung-dong", SUPPORT_FIRST, text="tsv", formats=("txt",)),
    Layout("van-ban-cp1258", TIME_FIRST, encoding="cp1258", formats=("txt",)),
    Layout("van-ban-utf16", TWELVE, encoding="utf-16", formats=("txt",)),
    Layout("khong-co-cot-diem-tham-dinh",
           ("code", "title", "max_points", "lost", "action", "lead", "support", "timeframe",
            "note")),
]
LAYOUTS = ISSUE + MORE


def cases() -> list[tuple[Layout, str]]:
    return [(lay, fmt) for lay in LAYOUTS for fmt in lay.formats]


def without(lay: Layout, **changes) -> Layout:
    return replace(lay, **changes)

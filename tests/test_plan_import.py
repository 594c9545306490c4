"""Importing the seed plan (text and .docx): rows, numbers, text, roles and deadlines."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from cchc_xl.cycle.demo import SEED, data_file
from cchc_xl.files.docx_table import write_docx_plan
from cchc_xl.plan.appendix import PlanFormatError, read_plan, split_text_table
from cchc_xl.plan.roster import GROUP_ALL, RoleResolver, default_roster

SEED_CODES = ["1", "1.2", "1.6", "1.7", "2", "2.5", "3", "3.2", "3.2.1", "3.2.3", "4", "4.2",
              "4.3", "7", "7.1", "7.1.6", "7.1.7", "7.2", "7.2.4", "7.2.5"]
# (code, max, appraised, stated lost) exactly as the document writes them
SEED_NUMBERS = [
    ("1", 9, 7.95, 1.03), ("1.2", 1.5, 1.2, 0.3), ("1.6", 1, 0.8, 0.2), ("1.7", 1.5, 1, 0.5),
    ("2", 5.5, 5.0, 0.5), ("2.5", 1.0, 0.5, 0.5), ("3", 14.0, 12.0, 2.0), ("3.2", 4.0, 2.0, 2.0),
    ("3.2.1", 1.0, 0, 1.0), ("3.2.3", 1.0, 0, 1.0), ("4", 9.0, 6.0, 3.0), ("4.2", 3.0, 1.0, 2.0),
    ("4.3", 3.0, 2.0, 1.0), ("7", 13.5, 11.6, 1.9), ("7.1", 8.0, 7.6, 0.4),
    ("7.1.6", 0.5, 0.25, 0.25), ("7.1.7", 0.5, 0.35, 0.15), ("7.2", 5.5, 4.0, 1.5),
    ("7.2.4", 1.5, 0.5, 1.0), ("7.2.5", 1.0, 0.5, 0.5),
]


@pytest.fixture(scope="module")
def seed():
    return read_plan(data_file(SEED))


def test_seed_has_twenty_rows_in_document_order(seed):
    assert [row.code for row in seed.plan.rows] == SEED_CODES


def test_seed_numbers_read_with_decimal_commas(seed):
    got = [(r.code, r.max_points, r.appraised, r.lost_stated) for r in seed.plan.rows]
    assert got == [(c, float(m), float(a), float(lost)) for c, m, a, lost in SEED_NUMBERS]


def test_heading_facts(seed):
    plan = seed.plan
    assert plan.commune == "Sơn Giang"
    assert plan.plan_number == "18/KH-UBND"
    assert plan.plan_date == dt.date(2021, 3, 19)
    assert plan.year == 2021
    assert plan.title.splitlines() == [
        "KẾ HOẠCH KHẮC PHỤC NHỮNG TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2020",
        "VÀ GIẢI PHÁP NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2021",
    ]


def test_cells_kept_as_in_the_document(seed):
    rows = seed.plan.by_code()
    # 1.6's action is followed by an empty paragraph inside the same cell: it must not
    # swallow the next cells nor leave stray whitespace.
    assert rows["1.6"].action.startswith("Thực hiện tốt công tác tuyên truyền nội dung CCHC")
    assert rows["1.6"].action.endswith("trên trang thông tin điện tử của xã.")
    assert rows["1.6"].lead == "Văn hóa - XH"
    assert rows["1.6"].support == "Tư pháp"
    assert rows["1.6"].timeframe == "Trong năm 2021"
    assert rows["1.2"].lead == "Văn phòng"  # trailing space trimmed
    assert rows["1.2"].support == ("Các công chức: Tư pháp, Tài chính – Kế toán, Văn hóa – XH, "
                                   "Địa chính – XD.")
    assert rows["1.7"].lead == "Các công chức chuyên môn thuộc UBND  xã"  # inner spacing kept
    assert rows["1"].title == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"
    assert rows["1"].action == rows["1"].lead == ""
    for row in seed.plan.rows:
        for text in (row.title, row.action, row.lead, row.support, row.timeframe):
            assert text == unicodedata.normalize("NFC", text)
            assert text == text.strip()


def test_deadlines_parsed_from_time_frames(seed):
    deadlines = {r.code: r.deadline for r in seed.plan.rows}
    assert deadlines["1.2"] == dt.date(2021, 12, 31)
    assert deadlines["1"] is None  # areas have no time frame
    assert sum(d is not None for d in deadlines.values()) == 12  # the 12 leaf rows


def test_area_one_discrepancy_is_reported_not_fixed(seed):
    assert [(n.code, n.cell, n.params["stated"], n.params["computed"]) for n in seed.notes] == [
        ("lost-differs-from-document", "1", "1.03", "1.05")]
    assert seed.plan.by_code()["1"].lost_stated == 1.03


def test_seed_roles_resolve():
    resolver = RoleResolver(default_roster())
    seed = read_plan(data_file(SEED)).plan
    unknown = [p for r in seed.rows for t in (r.lead, r.support)
               for p in resolver.resolve(t).unknown]
    assert unknown == []
    rows = seed.by_code()
    assert resolver.resolve(rows["1.2"].support).roles == [
        "Tư pháp – Hộ tịch", "Tài chính – Kế toán", "Văn hóa – Xã hội", "Địa chính – Xây dựng"]
    assert resolver.resolve(rows["3.2.3"].support).roles == [
        "Tư pháp – Hộ tịch", "Văn hóa – Xã hội", "Địa chính – Xây dựng"]
    group = resolver.resolve(rows["4.2"].support)
    assert (group.roles, group.groups, group.external) == ([], [GROUP_ALL], ["các thôn"])
    assert resolver.resolve(rows["7.1.6"].support).groups == [GROUP_ALL]
    assert resolver.resolve(rows["1.7"].lead).groups == [GROUP_ALL]


def test_members_in_roster_order_groups_expanded():
    """The roles an assignment covers, in the roster's order whatever order the text names
    them in; the specialists' group expands to every specialist (not the chairman)."""
    from cchc_xl.plan.roster import Role

    roster = [Role("Văn phòng – Thống kê"), Role("Chủ tịch UBND xã", specialist=False),
              Role("Tư pháp – Hộ tịch"), Role("Tài chính – Kế toán"), Role("Văn hóa – Xã hội")]
    resolver = RoleResolver(roster)
    members = lambda text: resolver.members(resolver.resolve(text))  # noqa: E731
    assert members("Văn hóa – Xã hội, Tư pháp – Hộ tịch và Chủ tịch UBND xã") == [
        "Chủ tịch UBND xã", "Tư pháp – Hộ tịch", "Văn hóa – Xã hội"]
    assert members("Các công chức chuyên môn thuộc UBND xã; Chủ tịch UBND xã") == [
        "Văn phòng – Thống kê", "Chủ tịch UBND xã", "Tư pháp – Hộ tịch", "Tài chính – Kế toán",
        "Văn hóa – Xã hội"]
    assert members("Các công chức chuyên môn") == [
        "Văn phòng – Thống kê", "Tư pháp – Hộ tịch", "Tài chính – Kế toán", "Văn hóa – Xã hội"]
    assert members("Ban ngành, đoàn thể") == members("") == []


@pytest.mark.parametrize("text, roles", [
    ("Văn hóa – Xã hội", ["Văn hóa – Xã hội"]),
    ("văn hoá - xh", ["Văn hóa – Xã hội"]),  # old tone placement 'hoá' = 'hóa'
    ("Tài chính - Kế toán; Thủy lợi", ["Tài chính – Kế toán"]),
    (unicodedata.normalize("NFD", "Tư pháp – HT"), ["Tư pháp – Hộ tịch"]),
    ("Địa chính—XD;  Tài chính-Kế toán", ["Địa chính – Xây dựng", "Tài chính – Kế toán"]),
    ("Văn phòng và Quân sự", ["Văn phòng – Thống kê", "Chỉ huy trưởng Quân sự"]),
])
def test_role_spellings(text, roles):
    assert RoleResolver(default_roster()).resolve(text).roles == roles


def test_docx_import_equals_text_import(tmp_path, seed):
    heading, rows = split_text_table(data_file(SEED).read_text(encoding="utf-8"))
    header, body = rows[0], rows[1:]
    docx = tmp_path / "ke_hoach.docx"
    write_docx_plan(docx, heading=heading, header=header, rows=body)
    from_docx = read_plan(docx)
    assert from_docx.plan == seed.plan
    assert [n.code for n in from_docx.notes] == ["lost-differs-from-document"]


def test_text_that_is_not_a_plan(tmp_path):
    """Refused with the header found and the columns expected, in the user's language (it
    used to say, in English, that the cells were not a multiple of 10 columns)."""
    bad = tmp_path / "thu.txt"
    bad.write_text("Kính gửi UBND xã\n\tSTT\n\tTên\n", encoding="utf-8")
    with pytest.raises(PlanFormatError, match=r"^thu\.txt: không tìm thấy dòng tiêu đề của bảng "
                       r"kế hoạch\. Dòng đầu của bảng là «STT \| Tên»") as caught:
        read_plan(bad)
    assert caught.value.problem.code == "plan-header-not-found"
    assert caught.value.problem.message("en").startswith(
        "thu.txt: the plan table's header row was not found. The table's first row reads "
        "'STT | Tên'")


# --- codes as documents write them ---------------------------------------------------------

@pytest.mark.parametrize(("written", "tree", "renumbered"), [
    (["1", "1.2", "3", "3.2", "3.2.1"], ["1", "1.2", "3", "3.2", "3.2.1"], []),
    (["I", "1.2", "III.", "3.2", "3.2.1"], ["1", "1.2", "3", "3.2", "3.2.1"], []),
    (["I", "2", "II", "5", "5.1"], ["1", "1.2", "2", "2.5", "2.5.1"], []),  # within the area
    (["A", "1", "B", "1", "1.1"], ["1", "1.1", "2", "2.1", "2.1.1"], []),
    (["I", "1.2", "V", "7.1", "7.2"], ["1", "1.2", "7", "7.1", "7.2"], [("V", "7")]),
    (["1.", "1.2.", "1,6", "2"], ["1", "1.2", "1.6", "2"], []),
    (["1", "1.2", "a", "b)", "1.3"], ["1", "1.2", "1.2.1", "1.2.2", "1.3"], []),
    (["Lĩnh vực I", "1.2"], ["1", "1.2"], []),
    (["1", "1.2a"], ["1", "1.2a"], []),  # kept as written, for validate to report
])
def test_tree_codes(written, tree, renumbered) -> None:
    from cchc_xl.plan.codes import read_code, tree_codes

    found = tree_codes([read_code(c) for c in written])
    assert (found.codes, found.renumbered) == (tree, renumbered)


@pytest.mark.parametrize(("cell", "split"), [
    ("I. CÔNG TÁC CHỈ ĐẠO", ("I", "CÔNG TÁC CHỈ ĐẠO")),
    ("II - CẢI CÁCH THỂ CHẾ", ("II", "CẢI CÁCH THỂ CHẾ")),
    ("Lĩnh vực 3: Cải cách TTHC", ("3", "Cải cách TTHC")),
    ("1.2", None),
    ("Phần a) nội dung", None),
])
def test_a_code_and_its_title_in_one_cell(cell, split) -> None:
    from cchc_xl.plan.codes import split_heading

    assert split_heading(cell) == split


# --- rows that are not one criterion each --------------------------------------------------

def _docx(tmp_path, header, rows, name="ke_hoach.docx"):
    write_docx_plan(tmp_path / name, heading=["PHỤ LỤC", "KẾ HOẠCH NĂM 2021"], header=header,
                    rows=rows)
    return tmp_path / name


HEADER = ["STT", "Nội dung", "Điểm tối đa", "Điểm đạt", "Điểm bị trừ", "Giải pháp", "Chủ trì",
          "Thời gian"]


def test_continuation_rows_total_row_and_repeated_criteria(tmp_path) -> None:
    rows = [
        ["I", "CÔNG TÁC CHỈ ĐẠO", "9", "7.95", "1.05", "", "", ""],
        ["1.2", "Kế hoạch CCHC", "1.5", "1.2", "0.3", "Phân công nhiệm vụ", "Văn phòng",
         "Quý II/2021"],
        ["", "", "", "", "", "Kiểm tra, đôn đốc", "Tư pháp", "Quý IV/2021"],
        ["1.6", "Tuyên truyền", "1", "0.8", "0.2", "Tuyên truyền", "Văn hóa", "Năm 2021"],
        ["1.6", "Tuyên truyền", "1", "0.8", "0.2", "Lồng ghép hội nghị", "Tư pháp", "Năm 2021"],
        ["", "Tổng cộng", "9", "7.95", "1.5", "", "", ""],
        ["Ghi chú: các tiêu chí không bị mất điểm không ghi vào bảng", "", "", "", "", "", "", ""],
    ]
    result = read_plan(_docx(tmp_path, HEADER, rows))
    plan = result.plan
    assert [(r.code, r.source_code, r.action, r.lead, r.timeframe) for r in plan.rows] == [
        ("1", "I", "", "", ""),
        ("1.2", "", "Phân công nhiệm vụ\nKiểm tra, đôn đốc", "Văn phòng; Tư pháp",
         "Quý II/2021\nQuý IV/2021"),
        ("1.6", "", "Tuyên truyền\nLồng ghép hội nghị", "Văn hóa; Tư pháp", "Năm 2021"),
    ]
    assert plan.by_code()["1.2"].deadline == dt.date(2021, 12, 31)
    assert [(n.code, n.message()) for n in result.notes] == [
        ("plan-row-skipped", "ke_hoach.docx, dòng 8 của bảng: dòng chỉ có «Ghi chú: các tiêu "
         "chí không bị mất điểm không ghi vào bảng», không có mã hay điểm: không phải tiêu chí "
         "nên không đọc. Nếu là một tiêu chí, ghi mã (STT) cho dòng đó rồi tạo lại sổ."),
        ("plan-rows-joined", "1 dòng trong ke_hoach.docx không có mã, tiêu chí và điểm được "
         "ghép vào dòng tiêu chí phía trên (thêm giải pháp, chủ trì, thời gian): dòng 4 của "
         "bảng."),
        ("plan-rows-merged", "ke_hoach.docx, dòng 6 của bảng: tiêu chí 1.6 viết trên nhiều "
         "dòng (ô gộp) được ghép thành một dòng; các giải pháp, chủ trì và thời gian của nó "
         "được nối lại."),
        ("plan-total-differs", "ke_hoach.docx, dòng 7 của bảng: dòng tổng ghi Điểm bị mất là "
         "1.5, nhưng cộng các lĩnh vực được 1.05. Kiểm tra lại với văn bản gốc (sổ tự tính tổng "
         "bằng công thức)."),
    ]


def test_the_plan_table_after_a_letterhead_table(tmp_path) -> None:
    import docx as python_docx

    document = python_docx.Document()
    letterhead = document.add_table(rows=1, cols=2)
    letterhead.cell(0, 0).text = "UBND XÃ SƠN GIANG"
    letterhead.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    for line in ("Căn cứ Quyết định 52/2019/QĐ-UBND;", "UBND xã ban hành kế hoạch như sau:",
                 "PHỤ LỤC I", "KẾ HOẠCH KHẮC PHỤC NĂM 2021",
                 "(Kèm theo kế hoạch số 18/KH-UBND ngày 19 tháng 3 năm 2021 của UBND xã Sơn "
                 "Giang)"):
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=len(HEADER))
    for r, texts in enumerate([HEADER, ["1", "CHỈ ĐẠO", "9", "7.95", "1.05", "", "", ""],
                               ["1.2", "Kế hoạch", "1.5", "1.2", "0.3", "Phân công",
                                "Văn phòng", "Năm 2021"]]):
        for c, text in enumerate(texts):
            table.cell(r, c).text = text
    path = tmp_path / "ke_hoach.docx"
    document.save(str(path))
    result = read_plan(path)
    assert (result.table, result.tables) == (2, 2)
    assert (result.plan.title, result.plan.commune, result.plan.year) == (
        "KẾ HOẠCH KHẮC PHỤC NĂM 2021", "Sơn Giang", 2021)
    assert [n.message() for n in result.notes] == [
        "Kế hoạch trong ke_hoach.docx là bảng 2; 1 bảng khác (bảng 1) không phải bảng kế "
        "hoạch nên không đọc."]


def test_text_export_with_tab_separated_rows_and_a_signature(tmp_path) -> None:
    lines = ["PHỤ LỤC", "KẾ HOẠCH NĂM 2021", "\t".join(HEADER),
             "\t".join(["1", "CHỈ ĐẠO", "9", "7.95", "1.05", "", "", ""]),
             "\t".join(["1.2", "Kế hoạch", "1.5", "1.2", "0.3", "Phân công", "Văn phòng",
                        "Năm 2021"]), "", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    path = tmp_path / "ke_hoach.txt"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    plan = read_plan(path).plan
    assert [(r.code, r.lead, r.note) for r in plan.rows] == [("1", "", ""),
                                                             ("1.2", "Văn phòng", "")]

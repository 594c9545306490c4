"""Importing the seed plan (text and .docx): rows, numbers, text, roles and deadlines."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from cchc_xl.demo import SEED, data_file
from cchc_xl.docx_table import write_docx_plan
from cchc_xl.plan_import import PlanFormatError, read_plan, split_text_table
from cchc_xl.roster import GROUP_ALL, RoleResolver, default_roster

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
    from cchc_xl.roster import Role

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
    bad = tmp_path / "thu.txt"
    bad.write_text("Kính gửi UBND xã\n\tSTT\n\tTên\n", encoding="utf-8")
    with pytest.raises(PlanFormatError, match="not a multiple of the 10 columns"):
        read_plan(bad)

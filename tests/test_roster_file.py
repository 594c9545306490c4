"""The roster given to `new --roster`: .csv in the encodings Windows saves, .xlsx, a master's own
sheet; columns by their header; clear errors naming the line; roles matched by compound
titles and departments."""

from __future__ import annotations

import codecs
from pathlib import Path

import openpyxl
import plan_layouts as L
import pytest
from click.testing import CliRunner

from cchc_xl.cli.main import cli
from cchc_xl.cycle.demo import DEMO_ROSTER, SEED, data_file, run_demo
from cchc_xl.master.create import create_master, read_roster_csv
from cchc_xl.plan.roster import RoleResolver, default_roster
from cchc_xl.plan.roster_file import RosterFormatError, read_roster

ROWS = [["Vai trò", "Họ và tên", "Email", "Phòng"],
        ["Văn phòng – Thống kê", "Nguyễn Thị Lan", "vanphong@xa.example", ""],
        ["Địa chính - Nông nghiệp - Xây dựng và Môi trường", "Lê Văn Cường",
         "diachinh@xa.example", ""],
        ["Chuyên viên văn hóa", "Lê Thị Cúc", "cuc@xa.example", "Phòng Văn hóa – Xã hội"]]
WANT = [("Văn phòng – Thống kê", "Nguyễn Thị Lan", "vanphong@xa.example", ""),
        ("Địa chính - Nông nghiệp - Xây dựng và Môi trường", "Lê Văn Cường",
         "diachinh@xa.example", ""),
        ("Chuyên viên văn hóa", "Lê Thị Cúc", "cuc@xa.example", "Phòng Văn hóa – Xã hội")]


def _csv(rows, delimiter: str = ",") -> str:
    return "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"


def _entries(path: Path) -> list[tuple]:
    return [(e.role, e.person, e.email, e.department) for e in read_roster(path).entries]


@pytest.mark.parametrize(("encoding", "data", "found"), [
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8 BOM (Excel's CSV UTF-8)", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
     "utf-8-sig"),
    ("utf-16 (Excel's Unicode text)", lambda t: t.encode("utf-16"), "utf-16"),
    ("utf-16-le without BOM", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("cp1258 (Excel's CSV on a Vietnamese Windows)", lambda t: L.encode(t, "cp1258"), "cp1258"),
])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_in_every_windows_encoding(encoding, data, found, delimiter, tmp_path) -> None:
    path = tmp_path / "can_bo.csv"
    path.write_bytes(data(_csv(ROWS, delimiter)))
    roster = read_roster(path)
    assert (roster.encoding, _entries(path)) == (found, WANT)


def test_xlsx_with_a_title_row_and_the_columns_in_another_order(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ SƠN GIANG"])
    ws.append([])
    ws.append(["Email", "Phòng", "Họ tên", "Chức danh"])
    for role, person, email, department in WANT:
        ws.append([email, department or None, person, role])
    path = tmp_path / "can_bo.xlsx"
    wb.save(path)
    assert _entries(path) == WANT
    assert read_roster(path).entries[0].line == 4


def test_a_masters_own_roster_sheet(tmp_path: Path) -> None:
    master = run_demo(tmp_path / "demo").master
    assert [(e.role, e.person) for e in read_roster(master).entries][:2] == [
        ("Văn phòng – Thống kê", "Nguyễn Thị Lan (ví dụ)"),
        ("Tư pháp – Hộ tịch", "Trần Văn Bình (ví dụ)")]


@pytest.mark.parametrize(("name", "content", "code", "message"), [
    ("can_bo.csv", "Vai trò,Họ và tên,Email\r\nVăn phòng,Lan,a@x.example\r\n".encode()
     + b"T\xc6 ph\xe1p,B\xecnh,b@x.example\r\n", "roster-unreadable",
     "can_bo.csv, dòng 3: không đọc được chữ (byte 0xC6 không hợp lệ trong UTF-8). Mở tệp "
     "trong Excel, chọn Lưu thành > CSV UTF-8"),
    ("can_bo.xls", b"\xd0\xcf\x11\xe0" + bytes(100), "roster-format-unsupported",
     "can_bo.xls là tệp Excel 97-2003 (.xls): danh sách cán bộ phải là bảng tính .xlsx hoặc "
     "tệp .csv."),
    ("can_bo.xlsx", b"not a zip", "roster-not-workbook",
     "can_bo.xlsx không mở được như bảng tính Excel"),
    ("can_bo.csv", "Tên,Số điện thoại\r\nLan,0912\r\n".encode(), "roster-header-not-found",
     "can_bo.csv: không tìm thấy dòng tiêu đề của danh sách cán bộ (đọc được «Tên | Số điện "
     "thoại»). Cần các cột «Vai trò», «Họ và tên», «Email»"),
    ("can_bo.csv", "Vai trò,Họ và tên,Email\r\n,,\r\n".encode(), "roster-empty",
     "can_bo.csv không có cán bộ nào dưới dòng tiêu đề."),
])
def test_a_roster_that_cannot_be_read(name, content, code, message, tmp_path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RosterFormatError) as caught:
        read_roster(path)
    assert caught.value.problem.code == code
    assert str(caught.value).startswith(message)


def test_new_with_an_unreadable_roster_exits_2_naming_the_line(tmp_path: Path) -> None:
    """It used to crash with a raw UnicodeDecodeError."""
    roster = tmp_path / "can_bo.csv"
    roster.write_bytes("Vai trò,Họ và tên,Email\n".encode() + b"T\xc6 ph\xe1p,B,b@x.example\n")
    for lang, text in (("vi", "Lỗi: can_bo.csv, dòng 2: không đọc được chữ"),
                       ("en", "Error: can_bo.csv, line 2: the text cannot be read")):
        result = CliRunner().invoke(cli, ["new", str(tmp_path / "so.xlsx"), "--from",
                                          str(data_file(SEED)), "--roster", str(roster),
                                          "--lang", lang])
        assert result.exit_code == 2
        assert result.stderr.startswith(text)


def test_a_row_without_role_is_noted_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "can_bo.csv"
    path.write_text(_csv([*ROWS, ["", "Người lạ", "la@xa.example", ""]]), encoding="utf-8")
    roster = read_roster(path)
    assert len(roster.entries) == 3
    assert [n.line() for n in roster.notes] == [
        "can_bo.csv, dòng 5: dòng có «Người lạ | la@xa.example» nhưng không có vai trò (hoặc "
        "phòng): bỏ qua. Ghi vai trò cho dòng đó rồi chạy lại."]


def test_read_roster_csv_keeps_its_shape() -> None:
    assert read_roster_csv(data_file(DEMO_ROSTER))[0] == {
        "role": "Văn phòng – Thống kê", "person": "Nguyễn Thị Lan (ví dụ)",
        "email": "vanphong@songiang.example", "aliases": "", "department": ""}


def test_an_xlsx_roster_builds_the_master(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Vai trò", "Họ và tên", "Email"])
    for line in data_file(DEMO_ROSTER).read_text(encoding="utf-8").splitlines()[1:]:
        ws.append(line.split(","))
    path = tmp_path / "can_bo.xlsx"
    wb.save(path)
    result = create_master(tmp_path / "so.xlsx", data_file(SEED), roster_csv=path)
    assert [(r.name, r.email) for r in result.roster][:2] == [
        ("Văn phòng – Thống kê", "vanphong@songiang.example"),
        ("Tư pháp – Hộ tịch", "tuphap@songiang.example")]


# --- how lead and support texts name roles -------------------------------------------------

@pytest.mark.parametrize(("text", "roles", "unknown"), [
    # an official title holding "và" is one party
    ("Địa chính - Nông nghiệp - Xây dựng và Môi trường", ["Địa chính – Xây dựng"], []),
    ("Địa chính – Xây dựng – Đô thị và Môi trường", ["Địa chính – Xây dựng"], []),
    ("Văn phòng HĐND và UBND", [], ["Văn phòng HĐND và UBND"]),
    # a list still splits at "và", commas and semicolons
    ("Văn phòng và Quân sự", ["Văn phòng – Thống kê", "Chỉ huy trưởng Quân sự"], []),
    ("Tư pháp và Thủy lợi", ["Tư pháp – Hộ tịch"], ["Thủy lợi"]),
    ("Văn hóa - XH và Môi trường", ["Văn hóa – Xã hội"], ["Môi trường"]),
    ("Các công chức: Tư pháp, Tài chính – Kế toán; Văn hóa – XH",
     ["Tư pháp – Hộ tịch", "Tài chính – Kế toán", "Văn hóa – Xã hội"], []),
])
def test_compound_titles_and_lists(text, roles, unknown) -> None:
    found = RoleResolver(default_roster()).resolve(text)
    assert (found.roles, found.unknown) == (roles, unknown)


@pytest.mark.parametrize(("text", "closest"), [
    ("Văn phòng HĐND và UBND", ["Văn phòng – Thống kê"]),
    ("Phòng Văn hóa – Xã hội", ["Văn hóa – Xã hội"]),
    ("Tu phap", ["Tư pháp – Hộ tịch"]),
    ("Công an xã", []),
])
def test_the_closest_roles_of_an_unknown_text(text, closest) -> None:
    assert RoleResolver(default_roster()).closest(text) == closest


def test_a_department_with_several_officers_is_a_group_not_an_ambiguity() -> None:
    from cchc_xl.plan.roster import Role

    roles = [Role("Văn phòng – Thống kê", ["Văn phòng"]),
             Role("Phòng Kinh tế (Nguyễn Văn An)", ["Phòng Kinh tế"]),
             Role("Phòng Kinh tế (Trần Thị Bích)", ["Phòng Kinh tế"]),
             Role("Tư pháp – Hộ tịch", ["Tư pháp", "Hộ tịch"]),
             Role("Văn hóa – Xã hội", ["Hộ tịch"])]
    resolver = RoleResolver(roles)
    found = resolver.resolve("Phòng Kinh tế; Văn phòng")
    assert (found.roles, found.is_group) == (
        ["Phòng Kinh tế (Nguyễn Văn An)", "Phòng Kinh tế (Trần Thị Bích)",
         "Văn phòng – Thống kê"], True)
    # a spelling on two roles that names no unit is still an error to fix
    assert resolver.ambiguous_aliases() == {"hộ tịch": ["Tư pháp – Hộ tịch", "Văn hóa – Xã hội"]}
    assert resolver.resolve("Hộ tịch").unknown == ["Hộ tịch"]
    assert resolver.departments() == {
        "Phòng Kinh tế": ["Phòng Kinh tế (Nguyễn Văn An)", "Phòng Kinh tế (Trần Thị Bích)"]}

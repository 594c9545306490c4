"""A master built from another commune's layout: `new` says where each field came from; the
codes as written and the extra columns are kept on the plan sheet through fill, consolidation
and `validate --fix`, printed by `export` and read back; roles named loosely, by compound
titles or by departments with several officers each."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import plan_layouts as L
import pytest
from click.testing import CliRunner

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.consolidate import consolidate
from cchc_xl.cycle.demo import (
    AS_OF,
    CONSOLIDATED_AT,
    DEMO_ROSTER,
    ISSUED_AT,
    data_file,
    simulate_returns,
)
from cchc_xl.cycle.fill import fill
from cchc_xl.master.check import validate
from cchc_xl.master.create import create_master
from cchc_xl.master.evidence import FLAG_CODES
from cchc_xl.outputs.export_docx import export_plan_docx
from cchc_xl.plan.appendix import read_plan

PLAN = layout.PLAN.name
AREA_1 = ["'Kế hoạch'!E5", "lost-children-mismatch"]
ROMAN_12 = L.Layout("la-ma-12-cot", L.TWELVE, areas="roman")
# After the master's 20 declared columns (A..T): the codes as written, then the extra columns.
DOCUMENT_COLUMNS = {"U": "STT theo văn bản", "V": "Nguyên nhân", "W": "Sản phẩm"}


def document_cells(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)[PLAN]
    return [[ws[f"{c}{r}"].value for c in DOCUMENT_COLUMNS] for r in range(4, 26)]


@pytest.fixture
def plan_docx(tmp_path: Path) -> Path:
    return L.write(ROMAN_12, tmp_path, "docx")


def test_new_says_where_each_field_came_from(plan_docx: Path, tmp_path: Path) -> None:
    master = tmp_path / "so.xlsx"
    result = CliRunner().invoke(cli, ["new", str(master), "--from", str(plan_docx),
                                      "--roster", str(data_file(DEMO_ROSTER))])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Đã tạo sổ theo dõi: {master} (20 dòng kế hoạch).",
        "Bảng kế hoạch: la-ma-12-cot.docx (dòng tiêu đề: dòng 1 của bảng).",
        "Cột của sổ lấy từ văn bản:",
        "  STT                                   ← cột 1 «STT»",
        "  Lĩnh vực/Tiêu chí/Tiêu chí thành phần ← cột 2 «Lĩnh vực/Tiêu chí/Tiêu chí thành phần»",
        "  Điểm chuẩn                            ← cột 4 «Điểm chuẩn»",
        "  Điểm thẩm định                        ← cột 5 «Điểm thẩm định»",
        "  Điểm bị mất                           ← cột 6 «Điểm bị mất»",
        "  Giải pháp                             ← cột 7 «Giải pháp»",
        "  Cơ quan chủ trì thực hiện             ← cột 9 «Cơ quan chủ trì thực hiện»",
        "  Cơ quan phối hợp                      ← cột 10 «Cơ quan phối hợp»",
        "  Thời gian thực hiện                   ← cột 11 «Thời gian thực hiện»",
        "  Ghi chú                               ← cột 12 «Ghi chú»",
        "Cột không có trong sổ, giữ nguyên sau các cột của sổ (sheet Kế hoạch) và in lại trong "
        "phụ lục: «Nguyên nhân» (cột 3), «Sản phẩm» (cột 8).",
        "Mã theo văn bản (I, II, A, …) được đổi sang mã của cây tiêu chí (1, 1.2, …) ở cột STT; "
        "mã gốc giữ ở cột «STT theo văn bản» và in lại trong phụ lục.",
        "Danh sách cán bộ: demo_roster.csv (utf-8), 6 vai trò.",
    ]
    english = CliRunner().invoke(cli, ["new", str(tmp_path / "en.xlsx"), "--from",
                                       str(plan_docx), "--lang", "en"])
    assert english.exit_code == 0, english.output
    assert english.stdout.splitlines()[1:3] + english.stdout.splitlines()[-2:] == [
        "Plan table: la-ma-12-cot.docx (header: row 1 of the table).",
        "Master columns taken from the document:",
        "Columns the master has no field for, kept after its own columns (sheet Kế hoạch) and "
        "printed in the appendix: 'Nguyên nhân' (column 3), 'Sản phẩm' (column 8).",
        "Codes as the document writes them (I, II, A, …) became the tree's codes (1, 1.2, …) "
        "in column STT; the written codes are kept in column 'STT theo văn bản' and printed "
        "in the appendix.",
    ]


def test_new_refuses_a_plan_it_cannot_read_in_the_users_language(tmp_path: Path) -> None:
    bad = L.write(L.Layout("thieu-chu-tri", tuple(k for k in L.DOC_KEYS if k != "lead")),
                  tmp_path, "txt")
    for lang, start in (("vi", "Lỗi: thieu-chu-tri.txt, dòng 5 của tệp: dòng tiêu đề «STT |"),
                        ("en", "Error: thieu-chu-tri.txt, line 5: the header row 'STT |")):
        result = CliRunner().invoke(cli, ["new", str(tmp_path / "so.xlsx"), "--from", str(bad),
                                          "--lang", lang])
        assert result.exit_code == 2
        assert result.stderr.startswith(start)
        assert not (tmp_path / "so.xlsx").exists()


def test_the_plan_sheet_keeps_the_codes_as_written_and_the_extra_columns(
        plan_docx: Path, tmp_path: Path) -> None:
    master = tmp_path / "so.xlsx"
    create_master(master, plan_docx, roster_csv=data_file(DEMO_ROSTER))
    wb = openpyxl.load_workbook(master)
    ws = wb[PLAN]
    assert [ws[f"{c}4"].value for c in DOCUMENT_COLUMNS] == list(DOCUMENT_COLUMNS.values())
    assert [ws[f"A{r}"].value for r in (5, 6, 9, 10)] == ["1", "1.2", "2", "2.5"]
    assert document_cells(master)[1:4] == [
        ["I", None, None], [None, "Chưa làm tốt tiêu chí 1.2", "Báo cáo kết quả 1.2"],
        [None, "Chưa làm tốt tiêu chí 1.6", "Báo cáo kết quả 1.6"]]
    assert ws["U4"].comment.text.startswith("Mã tiêu chí như văn bản gốc (la-ma-12-cot.docx)")
    assert ws["V4"].comment.text.startswith("Cột này có trong bảng kế hoạch gốc")
    assert wb.defined_names[layout.PLAN_DOCUMENT_EXTRA_NAME].attr_text == \
        "'Kế hoạch'!$U$4:$W$4"
    assert validate(master).flatten() == [AREA_1]


def test_the_document_columns_survive_fill_consolidation_and_validate_fix(
        plan_docx: Path, tmp_path: Path) -> None:
    master = tmp_path / "so.xlsx"
    create_master(master, plan_docx, roster_csv=data_file(DEMO_ROSTER))
    before = document_cells(master)
    issued = fill(master, tmp_path / "phieu-gui", round_name="Đợt 1", now=ISSUED_AT)
    simulate_returns({f.role: f.path for f in issued.files}, tmp_path / "phieu-nhan")
    report = consolidate(master, tmp_path / "phieu-nhan", now=CONSOLIDATED_AT, as_of=AS_OF)
    assert len(report.changes) == 21  # (the demo's returns were read and applied)
    wb = openpyxl.load_workbook(master)
    wb[PLAN]["E13"] = 0  # a formula typed over
    wb.save(master)
    fixed = validate(master, fix=True)
    # (the demo's returns give no evidence: their done rows are flagged, see test_evidence)
    assert [[p.where, p.code, p.fixed] for p in fixed.problems
            if p.code not in FLAG_CODES] == [
        AREA_1 + [False], ["'Kế hoạch'!E13", "formula-overwritten", True]]
    assert document_cells(master) == before
    assert [p for p in validate(master).flatten() if p[1] not in FLAG_CODES] == [AREA_1]


def test_export_prints_the_codes_as_written_and_the_extra_columns(plan_docx: Path,
                                                                  tmp_path: Path) -> None:
    master = tmp_path / "so.xlsx"
    imported = create_master(master, plan_docx, roster_csv=data_file(DEMO_ROSTER)).imported
    out = export_plan_docx(master, tmp_path / "phu_luc.docx").docx
    table = docx.Document(str(out)).tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm chuẩn", "Điểm thẩm định",
        "Điểm bị mất", "Giải pháp", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp",
        "Thời gian thực hiện", "Nguyên nhân", "Sản phẩm", "Ghi chú"]
    assert [r.cells[0].text for r in table.rows[1:]][:6] == ["I", "1.2", "1.6", "1.7", "II",
                                                             "2.5"]
    assert [c.text for c in table.rows[2].cells][9:] == [
        "Chưa làm tốt tiêu chí 1.2", "Báo cáo kết quả 1.2", ""]
    widths = [c.width.mm for c in table.columns]
    assert sum(widths) == pytest.approx(layout.APPENDIX_TEXT_MM, abs=1)
    back = read_plan(out)
    assert back.notes == []  # (the lost points printed are the master's own)
    fields = ("code", "source_code", "title", "max_points", "appraised", "action", "lead",
              "support", "timeframe", "note", "extras")
    assert [[getattr(r, f) for f in fields] for r in back.plan.rows] == [
        [getattr(r, f) for f in fields] for r in imported.plan.rows]


def test_an_office_column_added_later_is_not_printed(plan_docx: Path, tmp_path: Path) -> None:
    master = tmp_path / "so.xlsx"
    create_master(master, plan_docx, roster_csv=data_file(DEMO_ROSTER))
    wb = openpyxl.load_workbook(master)
    wb[PLAN]["X4"] = "Ghi chú nội bộ"
    wb[PLAN]["X6"] = "chỉ cho văn phòng"
    wb.save(master)
    table = docx.Document(str(export_plan_docx(master).docx)).tables[0]
    assert "Ghi chú nội bộ" not in [c.text for c in table.rows[0].cells]


# --- roles --------------------------------------------------------------------------------------

def _seed_with(tmp_path: Path, **leads: str) -> Path:
    """The seed with some leads rewritten ({'1.2': 'Phòng Kinh tế'})."""
    rows = L.seed_rows()
    lines = list(L.HEADING) + [f"\t{label}" for label in L.SEED_LABELS.values()] + [""]
    for row in rows:
        code = row["code"].strip()
        row = dict(row, lead=leads.get(code.replace(".", "_"), row["lead"]))
        for key in L.DOC_KEYS:
            lines.extend(L._cell_lines(row[key]))
        lines.append("")
    path = tmp_path / "ke_hoach.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_compound_title_is_one_role_and_fill_issues(tmp_path: Path) -> None:
    """'Địa chính - Nông nghiệp - Xây dựng và Môi trường' is one official title, not a list
    holding an unknown 'Môi trường' (which made fill refuse everything)."""
    title = "Địa chính - Nông nghiệp - Xây dựng và Môi trường"
    plan = _seed_with(tmp_path, **{"1_2": title, "3_2_3": "Văn phòng HĐND và UBND"})
    master = tmp_path / "so.xlsx"
    result = create_master(master, plan, roster_csv=data_file(DEMO_ROSTER))
    assert [n.line() for n in result.notes[1:]] == [
        "«Văn phòng HĐND và UBND» trong ke_hoach.txt (dòng 3.2.3 (chủ trì)) không khớp vai trò "
        "nào trong danh sách cán bộ; có thể là: Văn phòng – Thống kê. Thêm cách viết này vào cột "
        "«Cách viết trong kế hoạch» của đúng vai trò (sheet Cán bộ), hoặc vào danh sách cán bộ "
        "(--roster) rồi tạo lại sổ; còn vai trò lạ thì chưa tạo phiếu được."]
    wb = openpyxl.load_workbook(master)
    wb[PLAN]["G14"] = "Văn phòng"  # the office writes 3.2.3's lead as its roster does
    wb.save(master)
    issued = fill(master, tmp_path / "out", now=ISSUED_AT)
    by_role = {f.role: dict(zip(f.codes, f.parts)) for f in issued.files}
    assert by_role["Địa chính – Xây dựng"]["1.2"] == layout.LEAD
    assert "1.2" not in {c for r, p in by_role.items() if r != "Địa chính – Xây dựng"
                         for c, part in p.items() if part == layout.LEAD}


def test_an_unknown_role_is_reported_once_with_its_rows(tmp_path: Path) -> None:
    plan = _seed_with(tmp_path, **{"1_2": "Phòng Văn hóa – Xã hội", "1_6": "Phòng Văn hóa – XH",
                                   "7_1_6": "Phòng Văn hóa – Xã hội"})
    result = create_master(tmp_path / "so.xlsx", plan)
    unknown = [n for n in result.notes if n.code == "role-unknown-in-plan"]
    assert [(n.value, n.params["rows"]) for n in unknown] == [
        ("Phòng Văn hóa – Xã hội", "dòng 1.2 (chủ trì), 7.1.6 (chủ trì)"),
        ("Phòng Văn hóa – XH", "dòng 1.6 (chủ trì)")]
    assert unknown[0].message("en") == (
        "'Phòng Văn hóa – Xã hội' in ke_hoach.txt (rows 1.2 (lead), 7.1.6 (lead)) matches no "
        "role of the roster; it may be: Văn hóa – Xã hội. Add this spelling to the aliases "
        "column of the right role (sheet Cán bộ), or to the roster (--roster) and build the "
        "master again; workbooks cannot be issued while a role is unknown.")


ROSTER = """Vai trò;Họ và tên;Email;Phòng
Văn phòng – Thống kê;Nguyễn Thị Lan;vanphong@xa.example;
Tư pháp – Hộ tịch;Trần Văn Bình;tuphap@xa.example;
Địa chính – Xây dựng;Lê Văn Cường;diachinh@xa.example;
Tài chính – Kế toán;Phạm Thị Dung;taichinh@xa.example;
Văn hóa – Xã hội;Hoàng Văn Em;vanhoa@xa.example;
Phòng Kinh tế;Nguyễn Văn An;an@xa.example;
Phòng Kinh tế;Trần Thị Bích;bich@xa.example;
Chuyên viên văn hóa;Lê Thị Cúc;cuc@xa.example;Phòng Văn hóa – Xã hội
Chuyên viên xã hội;Phạm Văn Dũng;dung@xa.example;Phòng Văn hóa – Xã hội
"""


def test_fill_gives_each_officer_of_a_department_its_rows(tmp_path: Path) -> None:
    """A department leads as the group of its officers: written as several rows of the same
    department (one person each), or as a «Phòng» column beside each officer's own role."""
    roster = tmp_path / "can_bo.csv"
    roster.write_bytes(L.encode(ROSTER.replace("\n", "\r\n"), "cp1258"))
    plan = _seed_with(tmp_path, **{"4_2": "Phòng Kinh tế", "4_3": "Phòng Kinh tế",
                                   "7_2_4": "Phòng Văn hóa - XH"})
    master = tmp_path / "so.xlsx"
    result = create_master(master, plan, roster_csv=roster)
    assert result.departments == {
        "Phòng Kinh tế": ["Phòng Kinh tế (Nguyễn Văn An)", "Phòng Kinh tế (Trần Thị Bích)"],
        "Phòng Văn hóa – Xã hội": ["Chuyên viên văn hóa", "Chuyên viên xã hội"]}
    assert [n.code for n in result.notes] == ["lost-differs-from-document"]
    assert "Chỉ huy trưởng Quân sự" not in [r.name for r in result.roster]  # not in the roster
    assert validate(master).flatten() == [AREA_1]
    issued = fill(master, tmp_path / "out", now=ISSUED_AT)
    led = {f.role: [c for c, p in zip(f.codes, f.parts) if p == layout.LEAD]
           for f in issued.files}
    assert led["Phòng Kinh tế (Nguyễn Văn An)"] == ["1.7", "4.2", "4.3"]
    assert led["Phòng Kinh tế (Trần Thị Bích)"] == ["1.7", "4.2", "4.3"]
    assert led["Chuyên viên văn hóa"] == ["1.7", "7.2.4"]
    assert led["Chuyên viên xã hội"] == ["1.7", "7.2.4"]
    assert led["Văn phòng – Thống kê"] == ["1.2", "1.7", "3.2.1", "7.2.5"]
    runner = CliRunner().invoke(cli, ["new", str(tmp_path / "hai.xlsx"), "--from", str(plan),
                                      "--roster", str(roster)])
    assert runner.stdout.splitlines()[-3:] == [
        "Danh sách cán bộ: can_bo.csv (cp1258), 9 vai trò.",
        "  Phòng «Phòng Kinh tế» chủ trì, phối hợp như nhóm gồm: Phòng Kinh tế (Nguyễn Văn An), "
        "Phòng Kinh tế (Trần Thị Bích).",
        "  Phòng «Phòng Văn hóa – Xã hội» chủ trì, phối hợp như nhóm gồm: Chuyên viên văn hóa, "
        "Chuyên viên xã hội."]


def test_a_department_report_is_the_groups(tmp_path: Path) -> None:
    """Consolidation treats a department's row as a group's: status is the least advanced
    of its officers' until all report it done."""
    roster = tmp_path / "can_bo.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    plan = _seed_with(tmp_path, **{"4_2": "Phòng Kinh tế"})
    master = tmp_path / "so.xlsx"
    create_master(master, plan, roster_csv=roster)
    issued = {f.role: f.path for f in fill(master, tmp_path / "out", now=ISSUED_AT).files}
    inbox = tmp_path / "in"
    inbox.mkdir()
    path = issued["Phòng Kinh tế (Nguyễn Văn An)"]
    wb = openpyxl.load_workbook(path)
    ws = wb[layout.OFFICER.name]
    row = next(r for r in range(layout.OFFICER.first_row, ws.max_row + 1)
               if ws[f"A{r}"].value == "4.2")
    ws[f"{layout.OFFICER.letter('status')}{row}"] = layout.STATUS_DONE
    wb.save(inbox / path.name)
    consolidate(master, inbox, now=CONSOLIDATED_AT, as_of=AS_OF)
    ws = openpyxl.load_workbook(master)[PLAN]
    status = next(ws[f"{layout.PLAN.letter('status')}{r}"].value for r in range(5, 25)
                  if ws[f"A{r}"].value == "4.2")
    assert status == layout.STATUS_NOT_STARTED  # Trần Thị Bích has not reported yet
    shutil.rmtree(inbox)

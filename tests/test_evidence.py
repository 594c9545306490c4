"""Evidence documents (tài liệu kiểm chứng): officers list them in their workbook, the master
keeps them, validate and the summary flag done rows without evidence or with more points
claimed than their evidence covers. Real workbooks, edited as officers edit them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from cycle import FILES, ISSUED, edit_return, load, make_cycle

from cchc_xl import layout
from cchc_xl.cycle.consolidate import consolidate
from cchc_xl.cycle.fill import fill
from cchc_xl.master.check import validate
from cchc_xl.text import format_number

EO, E, P = layout.EVIDENCE_OFFICER, layout.EVIDENCE, layout.PLAN
VP = "Văn phòng – Thống kê"
VP_PERSON = "Nguyễn Thị Lan (ví dụ)"
VP_CODES = ["1.2", "1.7", "2.5", "3.2.1", "4.2", "4.3", "7.1.6", "7.1.7", "7.2.4", "7.2.5"]
R1_RUN = dt.datetime(2021, 4, 10, 9, 0)
R2 = dt.datetime(2021, 5, 1, 8, 0)
R2_RUN = dt.datetime(2021, 5, 10, 9, 0)
DONE, DOING = layout.STATUS_DONE, layout.STATUS_IN_PROGRESS


def edit_evidence(src: Path, dst: Path, lines: dict[int, dict], main: dict | None = None
                  ) -> Path:
    """Copy an officer's workbook with evidence lines typed (sheet row -> {key: value}; a key
    set to None empties the cell) and, optionally, main sheet cells ({code: {field: value}})."""
    if main:
        edit_return(src, dst, main)
        src = dst
    wb = load(src)
    ws = wb[EO.name]
    for row, values in lines.items():
        for key, value in values.items():
            ws.cell(row=row, column=EO.index(key)).value = value
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def master_entries(master: Path) -> list[tuple]:
    """The master's evidence sheet, each line (code, number, date, issuer, summary, file,
    points, role, round, return file)."""
    ws = load(master)[E.name]
    keys = ("code", "number", "date", "issuer", "summary", "file", "points", "role", "round",
            "return_file")
    out = []
    for row in ws.iter_rows(min_row=E.first_row, values_only=True):
        if row[0] is None:
            continue
        values = dict(zip(E.keys, row))
        if isinstance(values["date"], dt.datetime):
            values["date"] = values["date"].date()
        out.append(tuple(values[k] for k in keys))
    return out


def evidence_log(master: Path) -> list[tuple]:
    ws = load(master)[layout.CHANGELOG.name]
    keys = layout.CHANGELOG.keys
    out = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        values = dict(zip(keys, row))
        if values["field_key"] == layout.EVIDENCE_FIELD:
            out.append((values["kind"], values["officer"], values["code"], values["old"],
                        values["new"], values["note"]))
    return out


def where(problems) -> list[tuple[str, str]]:
    return [(f"{p.sheet}!{p.cell}", p.code) for p in problems]


@pytest.fixture
def cycle(tmp_path):
    return make_cycle(tmp_path)


# --- the officer workbook ------------------------------------------------------------------

def test_the_officer_workbook_offers_an_evidence_sheet_of_their_own_rows(cycle):
    from cchc_xl.cycle.stamp import read_stamp

    _, outbox, _ = cycle
    wb = load(outbox / FILES["VP"])
    ws = wb[EO.name]
    assert [ws.cell(row=EO.header_row, column=c).value for c in range(1, 8)] == [
        "STT", "Số, ký hiệu văn bản", "Ngày ban hành", "Cơ quan ban hành",
        "Trích yếu / nội dung", "Tệp hoặc đường dẫn", "Điểm chứng minh"]
    assert ws.protection.sheet
    # 10 rows: 20 empty lines (twice the rows), unlocked; the line after them locked
    last = EO.first_row + 19
    assert all(not ws.cell(row=r, column=c).protection.locked
               for r in (EO.first_row, last) for c in range(1, 8))
    assert ws.cell(row=last + 1, column=1).protection.locked
    assert ws.cell(row=1, column=1).protection.locked
    # the STT dropdown lists exactly this officer's codes (a hidden column of the sheet)
    rule = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert str(rule.sqref) == f"A{EO.first_row}:A{last}"
    col = rule.formula1.split(":")[0].lstrip("$").rstrip("0123456789$")
    assert ws.column_dimensions[col].hidden
    assert [ws[f"{col}{r}"].value for r in range(EO.first_row, EO.first_row + 10)] == VP_CODES
    assert read_stamp(wb).evidence == []


# --- entries reported, kept, corrected -----------------------------------------------------

def test_entries_reach_the_master_and_a_later_round_shows_them_to_correct(cycle):
    master, outbox, inbox = cycle
    edit_evidence(outbox / FILES["VP"], inbox / "vp.xlsx", {
        4: {"code": "1.2", "number": "12/QĐ-UBND", "date": dt.datetime(2021, 3, 5),
            "issuer": "UBND xã", "summary": "Kế hoạch tuyên truyền", "file": "qd12.pdf"},
        6: {"code": "4.2", "file": "https://dvc.hatinh.gov.vn/bao-cao-4-2", "points": 0.5},
    })
    report = consolidate(master, inbox, now=R1_RUN)
    assert [(f.name, f.outcome, f.changes) for f in report.files] == [("vp.xlsx", "applied", 2)]
    assert master_entries(master) == [
        ("1.2", "12/QĐ-UBND", dt.date(2021, 3, 5), "UBND xã", "Kế hoạch tuyên truyền",
         "qd12.pdf", None, VP, "Đợt 1", "vp.xlsx"),
        ("4.2", None, None, None, None, "https://dvc.hatinh.gov.vn/bao-cao-4-2", 0.5, VP,
         "Đợt 1", "vp.xlsx")]
    assert evidence_log(master) == [
        ("Báo cáo cán bộ", VP, "1.2", None,
         "12/QĐ-UBND; ngày 05/03/2021; UBND xã; Kế hoạch tuyên truyền; qd12.pdf",
         f"{VP_PERSON}: thêm tài liệu kiểm chứng"),
        ("Báo cáo cán bộ", VP, "4.2", None, "https://dvc.hatinh.gov.vn/bao-cao-4-2; 0.5 điểm",
         f"{VP_PERSON}: thêm tài liệu kiểm chứng")]

    # the next round shows them, in the order the master keeps them, above the empty lines
    out2 = master.parent.parent / "phieu-2"
    fill(master, out2, round_name="Đợt 2", now=R2, only=[VP])
    issued = out2 / "dot-2_van-phong-thong-ke.xlsx"
    ws = load(issued)[EO.name]
    assert [[ws.cell(row=r, column=c).value for c in range(1, 8)] for r in (4, 5, 6)] == [
        ["1.2", "12/QĐ-UBND", dt.datetime(2021, 3, 5), "UBND xã", "Kế hoạch tuyên truyền",
         "qd12.pdf", None],
        ["4.2", None, None, None, None, "https://dvc.hatinh.gov.vn/bao-cao-4-2", 0.5],
        [None] * 7]
    assert not ws.cell(row=4 + 2 + 19, column=1).protection.locked  # 2 entries + 20 lines

    # a return that leaves the list as issued changes no evidence (its status does change)
    inbox2 = master.parent.parent / "nhan-2"
    edit_return(issued, inbox2 / "a.xlsx", {"1.2": {"status": DOING}})
    report = consolidate(master, inbox2, now=R2_RUN)
    assert [(f.name, f.outcome, f.changes) for f in report.files] == [("a.xlsx", "applied", 1)]
    assert len(evidence_log(master)) == 2

    # corrected: 1.2's number changed, 4.2's line emptied, one added
    edit_evidence(issued, inbox2 / "b.xlsx", {
        4: {"number": "15/QĐ-UBND"},
        5: {"code": None, "file": None, "points": None},
        7: {"code": "7.2.4", "number": "3/BC-UBND", "date": "20/04/2021", "points": 1},
    })
    consolidate(master, inbox2, now=R2_RUN + dt.timedelta(hours=1))
    assert master_entries(master) == [
        ("1.2", "15/QĐ-UBND", dt.date(2021, 3, 5), "UBND xã", "Kế hoạch tuyên truyền",
         "qd12.pdf", None, VP, "Đợt 2", "b.xlsx"),
        ("7.2.4", "3/BC-UBND", dt.date(2021, 4, 20), None, None, None, 1, VP, "Đợt 2",
         "b.xlsx")]
    assert evidence_log(master)[2:] == [
        ("Báo cáo cán bộ", VP, "1.2",
         "12/QĐ-UBND; ngày 05/03/2021; UBND xã; Kế hoạch tuyên truyền; qd12.pdf",
         "15/QĐ-UBND; ngày 05/03/2021; UBND xã; Kế hoạch tuyên truyền; qd12.pdf",
         f"{VP_PERSON}: sửa tài liệu kiểm chứng"),
        ("Báo cáo cán bộ", VP, "4.2", "https://dvc.hatinh.gov.vn/bao-cao-4-2; 0.5 điểm",
         layout.CLEARED, f"{VP_PERSON}: xóa tài liệu kiểm chứng"),
        ("Báo cáo cán bộ", VP, "7.2.4", None, "3/BC-UBND; ngày 20/04/2021; 1 điểm",
         f"{VP_PERSON}: thêm tài liệu kiểm chứng")]


def test_refused_lines_are_named_by_cell_and_stay_open_until_sent_right(cycle):
    master, outbox, inbox = cycle
    edit_evidence(outbox / FILES["VP"], inbox / "vp.xlsx", {
        4: {"code": "1.2", "number": "1/KH"},  # good
        5: {"code": "1.6", "number": "2/KH"},  # not one of theirs (Văn hóa leads it)
        6: {"code": "4.2", "number": "3/KH", "date": "31/02/2021"},
        7: {"code": "4.3", "issuer": "UBND xã"},  # neither number nor file
        8: {"code": "7.2.4", "number": "4/KH", "points": -1},
        9: {"number": "5/KH"},  # no code
        10: {"code": "7.2.5", "number": "=1+1"},
    })
    report = consolidate(master, inbox, now=R1_RUN)
    refused = [p for p in report.problems if p.sheet == EO.name]
    assert where(refused) == [
        ("Tài liệu kiểm chứng!A5", "evidence-code-not-yours"),
        ("Tài liệu kiểm chứng!C6", "evidence-date-invalid"),
        ("Tài liệu kiểm chứng!B7", "evidence-unidentified"),
        ("Tài liệu kiểm chứng!G8", "evidence-points-invalid"),
        ("Tài liệu kiểm chứng!A9", "evidence-code-missing"),
        ("Tài liệu kiểm chứng!B10", "evidence-formula")]
    assert all(p.severity == "error" and p.file == "vp.xlsx" for p in refused)
    assert refused[1].message() == (
        "Ngày ban hành «31/02/2021» (STT 4.2) không phải một ngày hợp lệ: gõ dạng dd/mm/yyyy, "
        "ví dụ 05/03/2021.")
    assert [e[:2] for e in master_entries(master)] == [("1.2", "1/KH")]
    assert sorted((r["code"], r["field"]) for r in report.open_rejections
                  if r["role"] == VP) == [
        ("", "evidence"), ("1.6", "evidence"), ("4.2", "evidence"), ("4.3", "evidence"),
        ("7.2.4", "evidence"), ("7.2.5", "evidence")]
    pending = load(master)[layout.PENDING.name]
    lines = [row for row in pending.iter_rows(min_row=2, values_only=True)
             if row[0] == layout.PENDING_REJECTED]
    assert [(r[4], r[5], r[6]) for r in lines] == [
        ("1.6", "Tài liệu kiểm chứng", "1.6"), ("4.2", "Tài liệu kiểm chứng", "31/02/2021"),
        ("4.3", "Tài liệu kiểm chứng", None), ("7.2.4", "Tài liệu kiểm chứng", -1),
        (None, "Tài liệu kiểm chứng", None), ("7.2.5", "Tài liệu kiểm chứng", "=1+1")]

    # the next round: the issued entry badly edited keeps what was issued; a good list closes
    out2 = master.parent.parent / "phieu-2"
    fill(master, out2, round_name="Đợt 2", now=R2, only=[VP])
    issued = out2 / "dot-2_van-phong-thong-ke.xlsx"
    inbox2 = master.parent.parent / "nhan-2"
    edit_evidence(issued, inbox2 / "a.xlsx", {4: {"date": "hôm qua"}})
    report = consolidate(master, inbox2, now=R2_RUN)
    assert where(p for p in report.problems if p.sheet == EO.name) == [
        ("Tài liệu kiểm chứng!C4", "evidence-date-invalid")]
    assert [e[:3] for e in master_entries(master)] == [("1.2", "1/KH", None)]
    assert [(r["code"], r["value"]) for r in report.open_rejections if r["role"] == VP] == [
        ("1.2", "hôm qua")]
    edit_evidence(issued, inbox2 / "b.xlsx", {4: {"date": dt.datetime(2021, 4, 2)}})
    report = consolidate(master, inbox2, now=R2_RUN + dt.timedelta(hours=1))
    assert [r for r in report.open_rejections if r["role"] == VP] == []
    assert [e[:3] for e in master_entries(master)] == [("1.2", "1/KH", dt.date(2021, 4, 2))]


def test_an_older_round_does_not_override_a_newer_list(cycle):
    master, outbox, inbox = cycle
    out2 = master.parent.parent / "phieu-2"
    fill(master, out2, round_name="Đợt 2", now=R2, only=[VP])
    edit_evidence(out2 / "dot-2_van-phong-thong-ke.xlsx", inbox / "moi.xlsx",
                  {4: {"code": "1.2", "number": "MỚI"}})
    consolidate(master, inbox, now=R2_RUN)
    # the round 1 copy comes in late: their list changed since it was issued
    inbox2 = master.parent.parent / "nhan-2"
    edit_evidence(outbox / FILES["VP"], inbox2 / "cu.xlsx", {4: {"code": "1.2",
                                                                 "number": "CŨ"}})
    report = consolidate(master, inbox2, now=R2_RUN + dt.timedelta(hours=1))
    assert [e[:2] for e in master_entries(master)] == [("1.2", "MỚI")]
    assert [(p.code, p.severity) for p in report.problems if "evidence" in p.code] == [
        ("stale-evidence-skipped", "info")]


def test_an_older_round_applies_while_the_list_is_as_it_issued_it(cycle):
    master, outbox, inbox = cycle
    out2 = master.parent.parent / "phieu-2"
    fill(master, out2, round_name="Đợt 2", now=R2, only=[VP])
    edit_evidence(outbox / FILES["VP"], inbox / "cu.xlsx", {4: {"code": "1.2",
                                                                "number": "CŨ"}})
    consolidate(master, inbox, now=R2_RUN)
    assert [e[:2] for e in master_entries(master)] == [("1.2", "CŨ")]


# --- workbooks without the sheet -------------------------------------------------------------

def _issue_without_evidence(master: Path, path: Path) -> None:
    """VP's workbook of round 1 as the tool wrote it before the evidence sheet existed."""
    from cchc_xl.cycle.fill import assignments, officer_sheet
    from cchc_xl.cycle.officer_workbook import write_officer_workbook
    from cchc_xl.master.key import master_key
    from cchc_xl.master.reading import read_master

    wb = load(master)
    view = read_master(wb)
    sheet = officer_sheet(view, VP, assignments(view)[VP], round_name="Đợt 1", now=ISSUED,
                          due=ISSUED.date() + dt.timedelta(days=7),
                          master_id=view.settings["master_id"], master_file=master.name)
    sheet.evidence = None
    write_officer_workbook(sheet, master_key(wb), path)


def test_a_workbook_issued_before_the_evidence_sheet_is_still_read(cycle):
    from cchc_xl.cycle.stamp import read_stamp

    master, outbox, inbox = cycle
    old = outbox / "cu.xlsx"
    _issue_without_evidence(master, old)
    wb = load(old)
    assert EO.name not in wb.sheetnames and read_stamp(wb).evidence is None
    assert "evidence" not in _stamp_text(wb)
    edit_return(old, inbox / "vp.xlsx", {"1.2": {"status": DOING}})
    report = consolidate(master, inbox, now=R1_RUN)
    assert [(f.name, f.outcome, f.changes) for f in report.files] == [("vp.xlsx", "applied", 1)]
    assert master_entries(master) == []
    assert [p for p in report.problems if p.severity == "error"] == []


def _stamp_text(wb) -> str:
    from cycle import stamp_content

    return str(stamp_content(wb))


def test_a_workbook_issued_with_the_sheet_and_returned_without_it_is_refused(cycle):
    master, outbox, inbox = cycle
    wb = load(outbox / FILES["VP"])
    wb.remove(wb[EO.name])
    wb[layout.OFFICER.name]["H11"] = DONE
    wb.save(inbox / "vp.xlsx")
    report = consolidate(master, inbox, now=R1_RUN)
    assert [(f.name, f.outcome) for f in report.files] == [("vp.xlsx", "rejected")]
    assert [(p.code, p.file) for p in report.problems if p.severity == "error"] == [
        ("evidence-sheet-missing", "vp.xlsx")]


def test_a_deleted_evidence_column_refuses_the_file(cycle):
    master, outbox, inbox = cycle
    wb = load(outbox / FILES["VP"])
    ws = wb[EO.name]
    ws.protection.sheet = False
    ws["A4"], ws["B4"] = "1.2", "1/KH"
    ws.delete_cols(EO.index("date"))
    wb.save(inbox / "vp.xlsx")
    report = consolidate(master, inbox, now=R1_RUN)
    assert where(p for p in report.problems if p.severity == "error") == [
        ("Tài liệu kiểm chứng!A3", "evidence-column-missing")]
    assert master_entries(master) == []


# --- flags: validate, consolidate, the summary ---------------------------------------------------

def _reported(cycle) -> Path:
    """VP reports: 1.2 done, 1.5 expected, no evidence; 4.2 done, 3 expected (2 won back),
    evidence for 0.5 + 1; 4.3 done, 3 expected, evidence for the whole row; 7.2.4 done, 1.5
    expected, evidence for 1.5 (of 1 lost); 7.2.5 done, no expected, no evidence; 3.2.1 in
    progress, no evidence."""
    master, outbox, inbox = cycle
    edit_evidence(outbox / FILES["VP"], inbox / "vp.xlsx", {
        4: {"code": "4.2", "number": "1/KH", "points": 0.5},
        5: {"code": "4.2", "number": "2/KH", "points": 1},
        6: {"code": "4.3", "file": "bao-cao-4-3.pdf"},
        7: {"code": "7.2.4", "number": "3/KH", "points": 1.5},
    }, main={"1.2": {"status": DONE, "expected": 1.5}, "4.2": {"status": DONE, "expected": 3},
             "4.3": {"status": DONE, "expected": 3}, "7.2.4": {"status": DONE, "expected": 1.5},
             "7.2.5": {"status": DONE}, "3.2.1": {"status": DOING, "expected": 1}})
    return master


FLAGS = [("Kế hoạch!L6", "done-without-evidence"),
         ("Kế hoạch!O16", "expected-exceeds-evidence"),
         ("Kế hoạch!L24", "done-without-evidence")]


def test_validate_and_consolidate_flag_rows_without_enough_evidence(cycle):
    master = _reported(cycle)
    report = consolidate(master, cycle[2], now=R1_RUN)
    assert where(report.evidence) == FLAGS
    assert report.evidence[1].message() == (
        f"Nội dung 4.2 dự kiến thu hồi 2 điểm nhưng tài liệu kiểm chứng (2 văn bản) chỉ chứng "
        f"minh {format_number(1.5)} điểm: bổ sung minh chứng hoặc giảm điểm dự kiến.")
    assert all(p.severity == "warning" for p in report.evidence)
    flagged = [(p.where, p.code) for p in validate(master).problems
               if "evidence" in p.code]
    assert flagged == [("'Kế hoạch'!L6", "done-without-evidence"),
                       ("'Kế hoạch'!O16", "expected-exceeds-evidence"),
                       ("'Kế hoạch'!L24", "done-without-evidence")]


def test_the_summary_counts_per_area_what_evidence_does_not_cover(cycle, soffice, tmp_path):
    from cchc_xl.files.libreoffice import convert

    master = _reported(cycle)
    consolidate(master, cycle[2], now=R1_RUN)
    S = layout.SUMMARY
    # LibreOffice opens the master, recalculates it and saves it: what a reader sees
    out = convert(master, tmp_path / "lo", "xlsx")[0]
    ws = load_values(out)[S.name]
    got = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=S.index("undocumented")).value,
            ws.cell(row=r, column=S.index("uncovered")).value) for r in range(4, 11)]
    assert got == [("1", 1, 0.3), ("2", 0, 0), ("3", 0, 0), ("4", 0, 0.5), ("7", 1, 0),
                   (None, 2, 0.8), (None, 2, 0.8)]
    assert [ws.cell(row=S.header_row, column=S.index(k)).value
            for k in ("undocumented", "uncovered")] == [
        "Dòng hoàn thành chưa có minh chứng", "Điểm dự kiến chưa có minh chứng"]
    # the officer table moved beside the two columns, whole
    from cchc_xl.master.standing import OFFICER_TABLE_COLUMN

    assert ws.cell(row=S.header_row, column=OFFICER_TABLE_COLUMN).value == "Vai trò"
    assert ws.cell(row=S.first_row, column=OFFICER_TABLE_COLUMN).value == VP


def load_values(path: Path):
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, data_only=True)


def test_an_older_master_gets_its_officer_table_moved_for_the_two_columns(cycle):
    """A master written before the two columns had its officer table in column L: consolidation
    clears it there and writes it after the two columns."""
    from cchc_xl.files.open_save import load as load_master
    from cchc_xl.files.open_save import save
    from cchc_xl.master.standing import OFFICER_HEADER, OFFICER_TABLE_COLUMN

    master, outbox, inbox = cycle
    S = layout.SUMMARY
    wb = load_master(master)
    ws = wb[S.name]
    old = len(S.columns) - 2 + 2  # where the table began with ten columns
    for c in range(S.index("undocumented"), OFFICER_TABLE_COLUMN + len(OFFICER_HEADER)):
        for r in range(2, ws.max_row + 1):
            ws.cell(row=r, column=c).value = None
    for i, label in enumerate(OFFICER_HEADER):
        ws.cell(row=S.header_row, column=old + i, value=label)
    ws.cell(row=S.first_row, column=old, value="cũ")
    save(wb, master, backup=False)
    edit_return(outbox / FILES["VP"], inbox / "vp.xlsx", {"1.2": {"status": DOING}})
    consolidate(master, inbox, now=R1_RUN)
    ws = load(master)[S.name]
    assert [ws.cell(row=S.header_row, column=c).value for c in range(11, 15)] == [
        "Dòng hoàn thành chưa có minh chứng", "Điểm dự kiến chưa có minh chứng", None,
        "Vai trò"]
    assert [ws.cell(row=S.first_row, column=c).value for c in range(11, 15)] == [
        0, 0, None, VP]


# --- typed in LibreOffice ------------------------------------------------------------------------

def test_entries_typed_in_libreoffice(cycle, libreoffice_ui):
    master, outbox, inbox = cycle
    typed = libreoffice_ui.type_into(outbox / FILES["VP"], inbox / "vp.xlsx", {
        "A4": "4.3", "B4": "07/KH-UBND", "C4": "2021-03-05", "D4": "UBND xã",
        "F4": "kh07.pdf", "G4": "0,5", "A1": "sửa tiêu đề"}, sheet=EO.name)
    assert [t["accepted"] for t in typed] == [True] * 6 + [False]  # the title is locked
    report = consolidate(master, inbox, now=R1_RUN)
    assert [(f.outcome, f.changes) for f in report.files] == [("applied", 1)]
    # (en-US: "0,5" is not a number there; it is read as Vietnamese text and accepted)
    assert master_entries(master) == [
        ("4.3", "07/KH-UBND", dt.date(2021, 3, 5), "UBND xã", None, "kh07.pdf", 0.5, VP,
         "Đợt 1", "vp.xlsx")]


def test_a_return_saved_by_libreoffice_as_ods_keeps_its_entries(cycle, soffice, tmp_path):
    from cchc_xl.files.libreoffice import convert

    master, outbox, inbox = cycle
    edited = edit_evidence(outbox / FILES["VP"], tmp_path / "vp.xlsx", {
        4: {"code": "1.2", "number": "1/KH", "date": dt.datetime(2021, 3, 5), "points": 0.25}})
    shutil.copyfile(convert(edited, tmp_path / "ods", "ods")[0], inbox / "vp.ods")
    consolidate(master, inbox, now=R1_RUN)
    assert master_entries(master) == [
        ("1.2", "1/KH", dt.date(2021, 3, 5), None, None, None, 0.25, VP, "Đợt 1", "vp.ods")]


def test_the_reader_reads_the_evidence_lines_as_typed(cycle):
    """The reader gives the evidence lines as typed, their escapes decoded and formulas seen."""
    from cchc_xl.cycle.incoming import Incoming
    from cchc_xl.cycle.returns import open_return
    from cchc_xl.master.key import master_key

    master, outbox, inbox = cycle
    path = edit_evidence(outbox / FILES["VP"], inbox / "vp.xlsx", {
        4: {"code": "1.2", "number": "12/QĐ_x000B_UBND", "date": dt.datetime(2021, 3, 5),
            "points": 0.5, "summary": "dòng 1\ndòng 2"},
        6: {"code": "4.2", "number": "=1+1", "date": "05/03/2021", "file": 7}})
    wb = load(master)
    key = master_key(wb)
    master_id = wb[layout.SETTINGS_SHEET]["B2"].value
    item = Incoming(path.name, path.read_bytes(), 0.0)
    plain = open_return(item, master_id, key)
    assert [(line.row, line.values["code"], line.values["number"], line.formulas)
            for line in plain.evidence.lines] == [
        (4, "1.2", "12/QĐ\x0bUBND", frozenset()), (6, "4.2", "=1+1", frozenset({"number"}))]

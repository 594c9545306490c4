"""`cchc-xl remind`: who is reminded and of what, drafted, sent over a real SMTP server on
loopback, recorded in the master and not sent twice a day."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
import test_fill
from click.testing import CliRunner
from cycle import ISSUED, edit_return, load, make_cycle
from test_fill import SENDER

from cchc_xl import layout
from cchc_xl.cli.main import cli
from cchc_xl.cycle.consolidate import consolidate
from cchc_xl.cycle.demo import run_demo
from cchc_xl.cycle.fill import fill
from cchc_xl.cycle.mail import SmtpSettings
from cchc_xl.cycle.remind import remind
from cchc_xl.excel import control
from cchc_xl.files import open_save as workbook_io

# The loopback SMTP server and the clean SMTP environment of test_fill.
smtp_server, no_smtp_env = test_fill.smtp_server, test_fill.no_smtp_env
AS_OF = dt.date(2021, 6, 25)
NOW = dt.datetime(2021, 6, 25, 8, 0)
VP, TP, DC, TC, VH, QS = ("Văn phòng – Thống kê", "Tư pháp – Hộ tịch", "Địa chính – Xây dựng",
                          "Tài chính – Kế toán", "Văn hóa – Xã hội", "Chỉ huy trưởng Quân sự")
EMAIL = {VP: "vanphong@songiang.example", TP: "tuphap@songiang.example",
         DC: "diachinh@songiang.example", TC: "taichinh@songiang.example",
         VH: "vanhoa@songiang.example"}
FILE = {VP: "dot-1_van-phong-thong-ke.xlsx", TP: "dot-1_tu-phap-ho-tich.xlsx",
        DC: "dot-1_dia-chinh-xay-dung.xlsx", TC: "dot-1_tai-chinh-ke-toan.xlsx",
        VH: "dot-1_van-hoa-xa-hoi.xlsx", QS: "dot-1_chi-huy-truong-quan-su.xlsx"}
# Time frames given to the demo plan, so that as of 25/06/2021 some rows are overdue and some
# due within 7 days (every other row is due 31/12/2021).
TIMEFRAMES = {"1.2": "Trước 30/4/2021", "1.6": "Tháng 5/2021", "2.5": "Quý II",
              "1.7": "Tháng 6/2021", "3.2.3": "Tháng 6/2021"}
# Who is reminded, of what: (code, reasons, days) in code order. 1.7 is led by the group of
# all specialists: TP, DC and QS reported their part done, so only VP, TC and VH are reminded
# of it. DC supports the overdue 1.2 and sent a progress of 150 % for it: reminded of that
# value only (a supporter is never reminded of the lead's deadline). QS returned their workbook
# and owes nothing. 3.2.3 is done.
EXPECTED = {
    VP: [("1.2", ["overdue"], 56), ("1.7", ["due-soon"], 5)],
    TP: [("2.5", ["due-soon", "rejected"], 5)],
    DC: [("1.2", ["rejected"], None)],
    TC: [("1.7", ["due-soon"], 5)],
    VH: [("1.6", ["overdue"], 25), ("1.7", ["due-soon"], 5)],
}
NOT_RETURNED = {VP, TC}  # (TC's workbook is no longer in the out folder)
TITLE = {
    "1.2": "Mức độ hoàn thành kế hoạch CCHC : được đánh giá trên 7 nội dung, lĩnh vực CCHC "
           "đạt 85%",
    "1.6": "Công tác tuyên truyền CCHC: Mức độ hoàn thành 90% kế hoạch;",
    "1.7": "Sáng kiến hoặc giải pháp mới trong cải cách hành chính: chưa có sáng kiến cấp "
           "tỉnh",
    "2.5": "Tổ chức thực hiện các văn bản QPPL của cấp trên và của đơn vị tại địa phương: "
           "mới đạt tỷ lệ từ 80 đến dưới 100%",
}
TP_BODY = (
    "Kính gửi Trần Văn Bình (ví dụ),\n"
    "\n"
    "Văn phòng UBND xã Sơn Giang nhắc đồng chí (Tư pháp – Hộ tịch) những việc còn phải làm "
    "trong Kế hoạch cải cách hành chính năm 2021, tính đến ngày 25/06/2021:\n"
    "\n"
    "Nội dung sắp đến hạn, trong 7 ngày tới (đồng chí chủ trì):\n"
    f"- 2.5 {TITLE['2.5']} (hạn 30/06/2021, trạng thái Đang thực hiện): còn 5 ngày.\n"
    "\n"
    "Giá trị bị từ chối, chưa gửi lại đúng:\n"
    f"- 2.5 {TITLE['2.5']} (hạn 30/06/2021, trạng thái Đang thực hiện): «Tiến độ (%)» gửi "
    "về «150%» bị từ chối (Đợt 1): Dòng 2.5: tiến độ 150% phải từ 0% đến 100%. Gõ phần trăm, "
    "ví dụ 30% hoặc 100%, rồi gửi lại.\n"
    "\n"
    "Đồng chí cập nhật các nội dung trên trong phiếu và gửi lại cho Văn phòng.\n"
    "\n"
    "Trân trọng.\n"
    "Văn phòng UBND xã Sơn Giang\n"
)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """The demo master with the time frames above, round 1 issued on 01/04/2021, returns from
    TP and DC (a refused progress each), VH and QS consolidated on 10/04/2021, and TC's issued
    workbook deleted from the out folder."""
    base = tmp_path_factory.mktemp("remind")
    master = run_demo(base / "so").master
    wb = workbook_io.load(master)
    ws = wb[layout.PLAN.name]
    for r in range(layout.PLAN.first_row, ws.max_row + 1):
        code = str(ws.cell(row=r, column=1).value)
        if code in TIMEFRAMES:
            ws.cell(row=r, column=layout.PLAN.index("timeframe")).value = TIMEFRAMES[code]
    workbook_io.save(wb, master, backup=False)
    outbox, inbox = base / "so" / "phieu", base / "nhan"
    fill(master, outbox, now=ISSUED)
    done = {"status": "Hoàn thành", "progress": 100}
    edit_return(outbox / FILE[TP], inbox / FILE[TP], {
        "2.5": {"status": "Đang thực hiện", "progress": 150}, "3.2.3": done, "1.7": done})
    edit_return(outbox / FILE[VH], inbox / FILE[VH], {
        "1.6": {"status": "Đang thực hiện", "progress": 40},
        "1.7": {"status": "Đang thực hiện", "progress": 50}})
    edit_return(outbox / FILE[DC], inbox / FILE[DC], {"1.7": done, "1.2": {"progress": 150}})
    edit_return(outbox / FILE[QS], inbox / FILE[QS], {"1.7": done})
    consolidate(master, inbox, now=dt.datetime(2021, 4, 10, 9, 0))
    (outbox / FILE[TC]).unlink()
    return master


@pytest.fixture
def master(prepared, tmp_path) -> Path:
    shutil.copytree(prepared.parent, tmp_path / "so")
    return tmp_path / "so" / prepared.name


def outbox(master: Path) -> Path:
    return master.parent / "phieu"


def smtp(port: int) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender=SENDER, timeout=10)


def who_and_what(result) -> dict:
    return {r.role: [(row.code, row.reasons, row.days) for row in r.rows]
            for r in result.reminders}


def parsed(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def record_rows(master: Path) -> list[tuple]:
    wb = load(master)
    if layout.REMINDERS.name not in wb.sheetnames:
        return []
    T = layout.REMINDERS
    return [(row[T.index("sent_at") - 1], row[T.index("how") - 1], row[T.index("role") - 1],
             row[T.index("reasons") - 1], row[T.index("codes") - 1],
             row[T.index("attachment") - 1])
            for row in wb[T.name].iter_rows(min_row=2, values_only=True) if row[0]]


# --- who is reminded, of what (a dry run: nothing written) --------------------------------

def test_dry_run_lists_exactly_who_and_why_and_writes_nothing(master):
    before = master.read_bytes()
    listing = sorted(p.name for p in outbox(master).iterdir())
    result = remind(master, outbox(master), as_of=AS_OF, now=NOW)
    assert who_and_what(result) == EXPECTED
    assert [r.outcome for r in result.reminders] == ["would-send"] * 5
    assert {r.role for r in result.reminders if r.not_returned} == NOT_RETURNED
    assert {r.role: r.attachment for r in result.reminders} == {
        VP: outbox(master) / FILE[VP], TP: None, DC: None, TC: None, VH: None}
    assert [r.role for r in result.reminders if r.attachment_missing] == [TC]
    assert [[p.where, p.code, p.severity] for p in result.problems] == [
        [FILE[TC], "remind-workbook-missing", "warning"]]
    assert not result.ok and result.exit_code() == 1
    tp = result.reminders[1]
    assert tp.subject == "Nhắc việc: Đợt 1 – Kế hoạch CCHC năm 2021 – Tư pháp – Hộ tịch"
    assert tp.body == TP_BODY
    assert [(r.label, r.value, r.round) for r in tp.rows[0].rejected] == [
        ("Tiến độ (%)", 1.5, "Đợt 1")]
    dc = result.reminders[2]
    assert dc.body.splitlines()[4:6] == [
        "Giá trị bị từ chối, chưa gửi lại đúng:",
        f"- 1.2 {TITLE['1.2']} (hạn 30/04/2021, trạng thái Chưa thực hiện): «Tiến độ (%)» gửi "
        "về «150%» bị từ chối (Đợt 1): Dòng 1.2: tiến độ 150% phải từ 0% đến 100%. Gõ phần "
        "trăm, ví dụ 30% hoặc 100%, rồi gửi lại."]
    assert "quá hạn" not in dc.body
    vh = result.reminders[4]
    assert f"- 1.7 {TITLE['1.7']} (hạn 30/06/2021, trạng thái Đang thực hiện): còn 5 ngày." \
        in vh.body.splitlines()  # (a group's member is told their own status)
    for r in result.reminders:
        assert unicodedata.is_normalized("NFC", r.subject + r.body)
    assert master.read_bytes() == before
    assert sorted(p.name for p in outbox(master).iterdir()) == listing


def test_a_missing_workbook_is_said_in_the_message(master):
    result = remind(master, outbox(master), as_of=AS_OF, now=NOW)
    vp, tc = result.reminders[0], result.reminders[3]
    assert ("Đồng chí chưa gửi lại phiếu cập nhật Đợt 1 (tệp dot-1_van-phong-thong-ke.xlsx, "
            "phát ngày 01/04/2021, hạn gửi lại 08/04/2021). Phiếu được gửi kèm lại thư này: "
            "đồng chí cập nhật các ô màu vàng rồi gửi lại cho Văn phòng.") in vp.body
    assert ("Đồng chí chưa gửi lại phiếu cập nhật Đợt 1 (tệp dot-1_tai-chinh-ke-toan.xlsx, "
            "phát ngày 01/04/2021, hạn gửi lại 08/04/2021). Tệp phiếu không còn trong thư mục "
            "của Văn phòng nên không gửi kèm được") in tc.body
    assert tc.to_dict()["attachment_missing"] == str(outbox(master) / FILE[TC])


def test_the_default_folder_is_the_one_fill_wrote(prepared):
    result = remind(prepared, as_of=AS_OF, now=NOW)
    assert result.out_dir == prepared.parent / "phieu"
    assert result.reminders[0].attachment == prepared.parent / "phieu" / FILE[VP]


def test_a_changed_workbook_is_not_attached(master):
    path = outbox(master) / FILE[VP]
    path.write_bytes(path.read_bytes() + b"\0")
    result = remind(master, outbox(master), as_of=AS_OF, now=NOW)
    assert result.reminders[0].attachment is None
    assert [p.code for p in result.problems] == ["remind-workbook-changed",
                                                 "remind-workbook-missing"]


def test_a_wider_window_and_a_later_date(master):
    wide = remind(master, outbox(master), as_of=dt.date(2021, 4, 20), within_days=15, now=NOW)
    assert who_and_what(wide) == {VP: [("1.2", ["due-soon"], 10)],
                                  TP: [("2.5", ["rejected"], None)],
                                  DC: [("1.2", ["rejected"], None)], TC: []}
    late = remind(master, outbox(master), as_of=dt.date(2022, 1, 3), now=NOW)
    assert [(r.role, [row.code for row in r.rows if "overdue" in row.reasons])
            for r in late.reminders] == [
        (VP, ["1.2", "1.7", "3.2.1", "4.2", "4.3", "7.2.4", "7.2.5"]),
        (TP, ["2.5"]),  # (3.2.3 done; 1.7 their part done)
        (DC, []),
        (TC, ["1.7"]),
        (VH, ["1.6", "1.7", "7.1.6", "7.1.7"])]


def test_an_officer_without_an_address_is_named_with_the_roster_cell(master):
    wb = workbook_io.load(master)
    ws = wb[layout.ROSTER.name]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == TC)
    ws.cell(row=row, column=layout.ROSTER.index("email")).value = None
    workbook_io.save(wb, master, backup=False)
    result = remind(master, outbox(master), as_of=AS_OF, now=NOW)
    assert [(r.role, r.outcome) for r in result.reminders] == [
        (VP, "would-send"), (TP, "would-send"), (DC, "would-send"), (TC, "no-address"),
        (VH, "would-send")]
    assert [[p.where, p.code] for p in result.problems][0] == [
        f"'Cán bộ'!E{row}", "remind-email-missing"]
    assert result.problems[0].message() == (
        "Không gửi được thư nhắc việc cho «Tài chính – Kế toán» (Phạm Thị Dung (ví dụ)): vai "
        "trò chưa có email. Nhập email vào ô này rồi chạy lại.")


# --- sending -----------------------------------------------------------------------------

def test_send_mails_exactly_those_officers_those_rows_and_the_workbook(master, smtp_server):
    mailbox, port = smtp_server
    mailbox.reject.clear()
    result = remind(master, outbox(master), as_of=AS_OF, now=NOW, smtp=smtp(port))
    assert [r.outcome for r in result.reminders] == ["sent"] * 5
    assert [to for to, _ in mailbox.received] == [[EMAIL[r]] for r in (VP, TP, DC, TC, VH)]
    messages = {to[0]: parsed(data) for to, data in mailbox.received}
    for reminder in result.reminders:
        message = messages[EMAIL[reminder.role]]
        assert message["Subject"] == f"Nhắc việc: Đợt 1 – Kế hoạch CCHC năm 2021 – " \
                                     f"{reminder.role}"
        assert message["From"] == SENDER and message["X-Unsent"] is None
        body = body_of(message)
        assert body == reminder.body
        listed = [line.split(" ")[1] for line in body.splitlines() if line.startswith("- ")]
        assert listed == [code for code, reasons, _ in EXPECTED[reminder.role]
                          for _ in reasons]
        attachments = list(message.iter_attachments())
        if reminder.role == VP:
            [attachment] = attachments
            assert attachment.get_filename() == FILE[VP]
            assert attachment.get_content() == (outbox(master) / FILE[VP]).read_bytes()
            assert workbook_sha(outbox(master) / FILE[VP]) == issued_digest(master, VP)
        else:
            assert attachments == []
    assert body_of(messages[EMAIL[TP]]) == TP_BODY
    assert record_rows(master) == [
        (NOW, "Email", VP, "Chưa gửi lại phiếu; 1 dòng quá hạn; 1 dòng sắp đến hạn",
         "1.2; 1.7", FILE[VP]),
        (NOW, "Email", TP, "1 dòng sắp đến hạn; 1 giá trị bị từ chối", "2.5", None),
        (NOW, "Email", DC, "1 giá trị bị từ chối", "1.2", None),
        (NOW, "Email", TC, "Chưa gửi lại phiếu; 1 dòng sắp đến hạn", "1.7", None),
        (NOW, "Email", VH, "1 dòng quá hạn; 1 dòng sắp đến hạn", "1.6; 1.7", None)]
    assert result.backup is not None and Path(result.backup).is_file()

    later = NOW + dt.timedelta(hours=6)
    again = remind(master, outbox(master), as_of=AS_OF, now=later, smtp=smtp(port))
    assert [r.outcome for r in again.reminders] == ["skipped-already-sent"] * 5
    assert len(mailbox.received) == 5 and len(record_rows(master)) == 5

    forced = remind(master, outbox(master), as_of=AS_OF, now=later, smtp=smtp(port),
                    again=True)
    assert [r.outcome for r in forced.reminders] == ["sent"] * 5
    assert len(mailbox.received) == 10 and len(record_rows(master)) == 10

    tomorrow = remind(master, outbox(master), as_of=AS_OF, now=NOW + dt.timedelta(days=1),
                      smtp=smtp(port))
    assert [r.outcome for r in tomorrow.reminders] == ["sent"] * 5
    assert [to for to, _ in mailbox.received][10:] == [[EMAIL[r]] for r in (VP, TP, DC, TC, VH)]


def workbook_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def issued_digest(master: Path, role: str) -> str:
    R = layout.ROUNDS
    rows = load(master)[R.name].iter_rows(min_row=2, values_only=True)
    return next(r[R.index("digest") - 1] for r in rows if r[R.index("role") - 1] == role)


def test_changed_content_is_sent_again_the_same_day(master, smtp_server):
    mailbox, port = smtp_server
    mailbox.reject.clear()
    remind(master, outbox(master), as_of=AS_OF, now=NOW, smtp=smtp(port))
    later = remind(master, outbox(master), as_of=AS_OF + dt.timedelta(days=1), now=NOW,
                   smtp=smtp(port))  # (one day less left: not the same reminder)
    assert [r.outcome for r in later.reminders] == ["sent"] * 5
    assert len(mailbox.received) == 10


def test_a_failure_for_one_officer_is_reported_and_not_recorded(master, smtp_server):
    mailbox, port = smtp_server
    mailbox.reject.clear()
    mailbox.reject.add(EMAIL[TP])
    result = remind(master, outbox(master), as_of=AS_OF, now=NOW, smtp=smtp(port))
    assert [(r.role, r.outcome) for r in result.reminders] == [
        (VP, "sent"), (TP, "failed"), (DC, "sent"), (TC, "sent"), (VH, "sent")]
    assert result.reminders[1].error.startswith(
        "Máy chủ thư từ chối người nhận tuphap@songiang.example: 550")
    assert [p.code for p in result.problems] == ["remind-workbook-missing",
                                                 "remind-send-failed"]
    assert not result.ok
    assert [to for to, _ in mailbox.received] == [[EMAIL[r]] for r in (VP, DC, TC, VH)]
    assert [row[2] for row in record_rows(master)] == [VP, DC, TC, VH]

    mailbox.reject.clear()
    rerun = remind(master, outbox(master), as_of=AS_OF, now=NOW, smtp=smtp(port))
    assert [r.outcome for r in rerun.reminders] == [
        "skipped-already-sent", "sent", *["skipped-already-sent"] * 3]
    assert [to for to, _ in mailbox.received][4:] == [[EMAIL[TP]]]


# --- drafts, languages -------------------------------------------------------------------

def test_eml_drafts_parse_back_to_the_reminders(master, smtp_server):
    result = remind(master, outbox(master), as_of=AS_OF, now=NOW, eml=True)
    assert [r.outcome for r in result.reminders] == ["drafted"] * 5
    names = [f"nhac-viec_20210625_{role}.eml" for role in (
        "van-phong-thong-ke", "tu-phap-ho-tich", "dia-chinh-xay-dung", "tai-chinh-ke-toan",
        "van-hoa-xa-hoi")]
    assert [r.eml for r in result.reminders] == [outbox(master) / n for n in names]
    for reminder in result.reminders:
        message = parsed(reminder.eml.read_bytes())
        assert message["X-Unsent"] == "1" and message["From"] is None
        assert message["To"].addresses[0].addr_spec == EMAIL[reminder.role]
        assert message["Subject"] == reminder.subject
        assert body_of(message) == reminder.body
        attachments = list(message.iter_attachments())
        assert [a.get_content() for a in attachments] == (
            [(outbox(master) / FILE[VP]).read_bytes()] if reminder.role == VP else [])
    assert [row[1] for row in record_rows(master)] == ["Thư nháp"] * 5

    again = remind(master, outbox(master), as_of=AS_OF, now=NOW, eml=True)
    assert [r.outcome for r in again.reminders] == ["skipped-already-sent"] * 5
    mailbox, port = smtp_server
    mailbox.reject.clear()
    sent = remind(master, outbox(master), as_of=AS_OF, now=NOW, smtp=smtp(port))
    assert [r.outcome for r in sent.reminders] == ["sent"] * 5  # (a draft is not a sending)


def test_english(master):
    result = remind(master, outbox(master), as_of=AS_OF, now=NOW, lang="en")
    tp = result.reminders[1]
    assert tp.subject == "Reminder: Đợt 1 – CCHC plan 2021 – Tư pháp – Hộ tịch"
    assert tp.body.splitlines()[:6] == [
        "Dear Trần Văn Bình (ví dụ),", "",
        "The office of the People's Committee of Sơn Giang reminds you (Tư pháp – Hộ tịch) of "
        "what is still to be done in the 2021 administrative reform plan, as of 25/06/2021:",
        "", "Due within the next 7 days (you lead):",
        f"- 2.5 {TITLE['2.5']} (deadline 30/06/2021, status Đang thực hiện): 5 days left."]
    vp = result.reminders[0]
    assert ("You have not returned the update workbook of Đợt 1 (file dot-1_van-phong-thong-ke"
            ".xlsx, issued on 01/04/2021, to be returned by 08/04/2021). The workbook is "
            "attached again") in vp.body
    assert f"- 1.2 {TITLE['1.2']} (deadline 30/04/2021, status Chưa thực hiện): 56 days " \
        "overdue." in vp.body.splitlines()
    assert result.to_dict("en")["problems"][0]["message"].startswith(
        "The workbook dot-1_tai-chinh-ke-toan.xlsx of 'Tài chính – Kế toán' is no longer in ")


# --- the command line and the Excel button -------------------------------------------------

def test_cli_json_is_the_library_result_and_exit_codes(master):
    args = ["remind", str(master), "--out", str(outbox(master)), "--as-of", "25/06/2021"]
    run = CliRunner().invoke(cli, [*args, "--json"])
    assert run.exit_code == 1  # (TC's workbook cannot be attached again)
    assert json.loads(run.stdout) == remind(master, outbox(master), as_of=AS_OF,
                                            now=NOW).to_dict()
    text = CliRunner().invoke(cli, args)
    assert text.exit_code == 1
    assert text.stdout.splitlines()[:5] == [
        "Nhắc việc tính đến 25/06/2021 (hạn trong 7 ngày tới): 5 cán bộ.",
        "  Văn phòng – Thống kê – Nguyễn Thị Lan (ví dụ) <vanphong@songiang.example>: sẽ gửi",
        "      chưa gửi lại phiếu Đợt 1 (dot-1_van-phong-thong-ke.xlsx), gửi kèm lại",
        "      quá hạn: 1.2",
        "      sắp đến hạn: 1.7"]
    assert "        - 2.5 " + TITLE["2.5"] in text.stdout
    assert text.stderr.splitlines()[-1] == ("Chưa gửi gì (chạy thử): thêm --eml để ghi thư "
                                            "nháp, --send để gửi.")
    assert CliRunner().invoke(cli, [*args[:3], "--as-of", "31/06/2021"]).exit_code == 2
    assert CliRunner().invoke(cli, [*args, "--within", "-1"]).exit_code == 2


def test_cli_exit_0_when_every_reminder_can_go_as_it_should(tmp_path):
    master, out, _ = make_cycle(tmp_path)  # (nobody has returned round 1 yet)
    run = CliRunner().invoke(cli, ["remind", str(master), "--as-of", "02/04/2021", "--json"])
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert [(r["role"], r["reasons"], r["attachment"]) for r in data["reminders"]] == [
        (role, ["not-returned"], str(out / FILE[role])) for role in (VP, TP, DC, TC, VH, QS)]
    assert data["problems"] == [] and data["ok"] is True


def test_cli_send_needs_a_server(master):
    run = CliRunner().invoke(cli, ["remind", str(master), "--send"])
    assert run.exit_code == 2
    assert run.stderr == ("Chưa có máy chủ thư: đặt biến môi trường CCHC_SMTP_HOST "
                          "(ví dụ smtp.gmail.com).\n")


def test_cli_send_and_rerun(master, smtp_server, monkeypatch):
    mailbox, port = smtp_server
    mailbox.reject.clear()
    for name, value in (("HOST", "127.0.0.1"), ("PORT", str(port)), ("STARTTLS", "0"),
                        ("FROM", SENDER)):
        monkeypatch.setenv(f"CCHC_SMTP_{name}", value)
    args = ["remind", str(master), "--out", str(outbox(master)), "--as-of", "25/06/2021",
            "--send", "--lang", "en"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 1, first.output  # (still: TC's workbook not attached)
    assert "  Tư pháp – Hộ tịch – Trần Văn Bình (ví dụ) <tuphap@songiang.example>: sent" in \
        first.stdout.splitlines()
    assert len(mailbox.received) == 5
    second = CliRunner().invoke(cli, args)
    assert second.stdout.count(": skipped, this very reminder went today") == 5
    assert len(mailbox.received) == 5
    CliRunner().invoke(cli, [*args, "--again"])
    assert len(mailbox.received) == 10


def test_the_control_sheet_action_drafts_into_the_outbox(master):
    assert control.parse_action("Nhắc việc") == "remind"
    request = control.parse_request(master, {"action": "Nhắc việc", "outbox": "phieu",
                                             "as_of": "25/06/2021"})
    assert request.command() == (f'cchc-xl remind "{master.name}" --out "{outbox(master)}" '
                                 "--as-of 25/06/2021 --eml")
    outcome = control.run_request(request, now=NOW)
    assert outcome.status == "problems"
    assert outcome.counts == {"reminders": 5, "not_returned": 2}
    assert outcome.message == (
        f"Đã ghi 5 thư nhắc việc (.eml) vào thư mục {outbox(master)}, mở bằng Outlook để gửi: "
        "Văn phòng – Thống kê (Nguyễn Thị Lan (ví dụ)); Tư pháp – Hộ tịch (Trần Văn Bình (ví "
        "dụ)); Địa chính – Xây dựng (Lê Văn Cường (ví dụ)); Tài chính – Kế toán (Phạm Thị "
        "Dung (ví dụ)); Văn hóa – Xã hội (Hoàng Văn Em (ví dụ)).")
    assert [p.code for p in outcome.problems] == ["remind-workbook-missing"]
    assert len(list(outbox(master).glob("nhac-viec_*.eml"))) == 5
    again = control.run_request(request, now=NOW)
    assert again.counts["reminders"] == 0
    assert again.message == ("Không có ai cần nhắc việc (hoặc hôm nay đã nhắc đúng những việc "
                             "này).")

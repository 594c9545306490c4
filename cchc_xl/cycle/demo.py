"""`cchc-xl demo`: the built-in example, Sơn Giang commune's 2021 plan, through a whole cycle:
master -> officer workbooks -> returns with the mistakes real returns have -> consolidation."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from email.message import EmailMessage
from importlib import resources
from pathlib import Path

from .. import fields, layout
from ..problems import Report

SEED = "son_giang_2021.txt"
DEMO_ROSTER = "demo_roster.csv"
MASTER_NAME = "ke_hoach_cchc_2021.xlsx"
OUTBOX, INBOX = "phieu-gui", "phieu-nhan"
# The demo lives in the plan's own year, so deadlines and overdue rows make sense.
ISSUED_AT = dt.datetime(2021, 4, 5, 8, 0)
CONSOLIDATED_AT = dt.datetime(2021, 7, 2, 16, 30)
AS_OF = dt.date(2021, 6, 30)
# The demo's steps, as its progress names them.
STEPS = ("master", "validate", "fill", "returns", "consolidate", "remind")


def data_file(name: str) -> Path:
    """Path of a file shipped inside the package (cchc_xl/data)."""
    return Path(str(resources.files("cchc_xl") / "data" / name))


class DemoFolderNotEmpty(FileExistsError):
    """The demo's folder already holds something. The demo writes only into a new or empty
    folder: a commune's year folder uses the very names it writes (the master, phieu-gui,
    phieu-nhan), and the demo must never replace or delete someone's work."""

    def __init__(self, directory: Path):
        super().__init__(str(directory))
        self.directory = directory


def check_demo_folder(directory: Path) -> None:
    """DemoFolderNotEmpty unless `directory` is new or an empty folder."""
    if directory.is_dir() and any(directory.iterdir()):
        raise DemoFolderNotEmpty(directory)


@dataclass
class DemoResult:
    directory: Path
    plan: Path
    master: Path
    report: Report
    outbox: Path | None = None
    inbox: Path | None = None
    consolidation: object = None
    reminders: object = None  # remind.RemindResult: the drafts written after consolidating


def build_demo_master(directory: Path) -> tuple[Path, Path]:
    """Copy the seed into `directory` (new or empty, else DemoFolderNotEmpty and nothing is
    written) and build the master with the example roster (fictional people, .example
    addresses)."""
    from ..master.create import create_master

    directory = Path(directory)
    check_demo_folder(directory)
    directory.mkdir(parents=True, exist_ok=True)
    plan = directory / SEED
    shutil.copyfile(data_file(SEED), plan)
    master = directory / MASTER_NAME
    create_master(master, plan, roster_csv=data_file(DEMO_ROSTER))
    return plan, master


def run_demo(directory: str | Path, *, cycle: bool = False, progress=None) -> DemoResult:
    """Build and validate the master in `directory`, which must be new or empty (else
    DemoFolderNotEmpty, and nothing is written); with cycle, also issue workbooks, simulate
    returns, consolidate them and draft the reminders (.eml, beside the issued workbooks).
    progress(done, total, step) after each step, its key in STEPS."""
    from ..master.check import validate

    steps = STEPS if cycle else STEPS[:2]

    def done(step: str) -> None:
        if progress:
            progress(steps.index(step) + 1, len(steps), step)

    directory = Path(directory)
    plan, master = build_demo_master(directory)
    done("master")
    result = DemoResult(directory.resolve(), plan.resolve(), master.resolve(), validate(master))
    done("validate")
    if cycle:
        from .consolidate import consolidate
        from .fill import fill

        outbox, inbox = directory / OUTBOX, directory / INBOX
        issued = fill(master, outbox, round_name="Đợt 1", now=ISSUED_AT)
        done("fill")
        simulate_returns({f.role: f.path for f in issued.files}, inbox)
        done("returns")
        result.outbox, result.inbox = outbox.resolve(), inbox.resolve()
        result.consolidation = consolidate(master, inbox, now=CONSOLIDATED_AT, as_of=AS_OF)
        done("consolidate")
        from .remind import remind

        result.reminders = remind(master, outbox, as_of=AS_OF, eml=True, now=CONSOLIDATED_AT)
        done("remind")
    return result


# What each officer sends back: {role: (file name in the inbox, {code: {field: value}})}.
# Mistakes real returns have: no diacritics, "70%", decimal commas, a value out of range,
# a renamed file in a subfolder, a return by e-mail, a changed criterion text, a lock file.
RETURNS = {
    "Văn phòng – Thống kê": ("Phieu VP (sua lan 2).xlsx", {
        "1.2": {"status": "Hoàn thành", "progress": 100, "expected": "1,5",
                "result": "Đã ban hành QĐ phân công nhiệm vụ CCHC số 45/QĐ-UBND"},
        "3.2.1": {"status": "dang thuc hien", "progress": "70%",
                  "obstacles": "Một số TTHC liên thông chưa có trên hệ thống"},
        "7.2.4": {"status": "Hoàn thành", "progress": "100%", "expected": 1.5},
    }),
    "Tư pháp – Hộ tịch": ("tu phap/Phieu cap nhat - Tu phap.xlsx", {
        "2.5": {"status": "Hoàn thành", "progress": 100, "expected": 1,
                "result": "=Đã rà soát 12 văn bản QPPL"},
        "3.2.3": {"status": "Đang thực hiện", "progress": 150},
        "1.6": {"result": "Đã phối hợp đăng 4 tin bài"},
    }),
    "Văn hóa – Xã hội": ("email", {
        "1.6": {"status": "Đang thực hiện", "progress": 60},
        "7.1.6": {"status": "Hoàn thành", "expected": 0.75},
    }),
    "Địa chính – Xây dựng": ("Địa chính.xlsx", {
        "1.7": {"status": "Hoàn thành", "progress": 100, "expected": 1.5},
        "1.2": {"action": "Không cần thực hiện"},
    }),
    "Chỉ huy trưởng Quân sự": ("quan su.xlsx", {
        "1.7": {"status": "Đang thực hiện", "progress": 40, "expected": 1},
    }),
}


def simulate_returns(issued: dict[str, Path], inbox: Path) -> list[Path]:
    """Write the returns of RETURNS into `inbox` (Tài chính – Kế toán does not answer)."""
    import openpyxl

    from ..files.cells import put

    inbox.mkdir(parents=True, exist_ok=True)
    written = []
    for role, (name, edits) in RETURNS.items():
        wb = openpyxl.load_workbook(issued[role])
        ws = wb[layout.OFFICER.name]
        rows = {str(ws.cell(row=r, column=1).value): r
                for r in range(layout.OFFICER.first_row, ws.max_row + 1)}
        for code, typed in edits.items():
            for key, value in typed.items():
                cell = ws.cell(row=rows[code], column=layout.OFFICER.index(key))
                if isinstance(value, str) and value.startswith("="):
                    cell.value = value  # what Excel stores when a text is typed with '='
                elif (getattr(fields.get(key), "kind", None) == "percent"
                      and isinstance(value, (int, float))):
                    cell.value = value / 100  # a number typed into the percentage cell
                else:
                    put(cell, value)
        if name == "email":
            path = inbox / "Tra loi Van phong.eml"
            tmp = inbox / issued[role].name
            wb.save(tmp)
            _as_eml(tmp, path, role)
            tmp.unlink()
        else:
            path = inbox / name
            path.parent.mkdir(parents=True, exist_ok=True)
            wb.save(path)
        written.append(path)
    (inbox / "~$Phieu VP (sua lan 2).xlsx").write_bytes(b"Excel owner file")
    return written


def _as_eml(attachment: Path, path: Path, role: str) -> None:
    message = EmailMessage()
    message["From"] = "vanhoa@songiang.example"
    message["To"] = "vanphong@songiang.example"
    message["Subject"] = f"Re: Phiếu cập nhật tiến độ – {role}"
    message.set_content("Kính gửi Văn phòng, tôi gửi lại phiếu đã cập nhật.")
    message.add_attachment(attachment.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           filename=attachment.name)
    path.write_bytes(bytes(message))

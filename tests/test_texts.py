"""The catalogue of texts: every text in Vietnamese and English, click's usage errors in the
user's language, and no internal code in what office staff read."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cchc_xl.cli.main import cli
from cchc_xl.messages import MESSAGES
from cchc_xl.texts import SECTIONS

SOURCE = Path(__file__).resolve().parents[1] / "cchc_xl"


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_of_the_catalogue_is_in_both_languages_with_the_same_fields() -> None:
    catalogue = {f"{section}:{key}": pair for section, texts in SECTIONS.items()
                 for key, pair in texts.items()}
    catalogue.update({f"problem:{code}": pair for code, pair in MESSAGES.items()})
    assert len(catalogue) > 400  # (every section is counted)
    assert [k for k, pair in catalogue.items()
            if len(pair) != 2 or not all(isinstance(t, str) and t.strip() for t in pair)] == []
    assert {k: (fields(vi), fields(en)) for k, (vi, en) in catalogue.items()
            if fields(vi) != fields(en)} == {}


def _said() -> dict[str, set[str]]:
    """section -> the keys the library says from it, found in the source."""
    speakers = {"options.py": "cli"}
    found: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        source = path.read_text("utf-8")
        own = re.search(r'^say = speaker\("([a-z-]+)"\)', source, re.M)
        section = own[1] if own else (
            "cli" if "from .options import" in source and " say" in source
            else speakers.get(path.name))
        if section:
            for m in re.finditer(r'\bsay\(\s*"([a-z0-9-]+)"(?: if [^"]+ else "([a-z0-9-]+)")?',
                                 source):
                found.setdefault(section, set()).update(k for k in m.groups() if k)
        for m in re.finditer(r'\b(?:text|bilingual)\(\s*"([a-z-]+)",\s*"([a-z0-9-]+)"', source):
            found.setdefault(m[1], set()).add(m[2])
    return found


def test_every_text_the_library_says_is_in_the_catalogue() -> None:
    said = _said()
    assert {"cli", "control", "needs", "reminder", "mail"} <= set(said)
    # (the patterns still find them: these among 147 keys, once the help, the demo's and
    # excel-setup's refusals and no-LibreOffice left the command's texts for HELP and problems)
    assert {"clean", "cons-applied", "fill-refused"} <= said["cli"]
    assert {"unexpected", "locked", "unreadable"} <= said["control"]
    assert sum(map(len, said.values())) >= 145
    assert {s: sorted(keys - set(SECTIONS[s])) for s, keys in said.items()
            if keys - set(SECTIONS.get(s, {}))} == {}


def test_every_problem_code_of_a_failure_has_both_texts() -> None:
    source = (SOURCE / "outputs" / "failures.py").read_text("utf-8")
    codes = set(re.findall(r'Problem\("([a-z-]+)"', source))
    assert codes == {"master-exists", "master-locked", "cannot-read", "unexpected-error",
                     "demo-folder-not-empty", "libreoffice-missing"}
    raised = {"save-failed", "master-read-only", "master-name-unusable", "master-not-xlsx",
              "companion-exists", "rename-refused"}  # (the exceptions of other modules carry)
    assert all(code in MESSAGES for code in codes | raised)


def test_mail_failures_are_said_in_english_too() -> None:
    from cchc_xl.cycle.mail import SendReport, SmtpSettings, send_messages
    from cchc_xl.messages import localise

    settings = SmtpSettings(host="smtp.tanphu.invalid", user="vanphong")
    report = send_messages([("an", _letter())], settings)
    assert report == SendReport(failed={"an": (
        "Chưa có mật khẩu của tài khoản vanphong. Đặt CCHC_SMTP_PASSWORD hoặc nhập mật khẩu "
        "khi được hỏi.")})
    assert localise(report.failed["an"], "en") == (
        "There is no password for the account vanphong. Set CCHC_SMTP_PASSWORD or type the "
        "password when asked.")


def _letter():
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@x.example", "b@x.example", "s"
    message.set_content("x")
    return message


# --- click's usage errors ------------------------------------------------------------------------

def usage(*args: str, env: dict | None = None) -> tuple[int, str]:
    result = CliRunner(env=env).invoke(cli, list(args), prog_name="cchc-xl")
    return result.exit_code, result.stderr


@pytest.mark.parametrize("args, vi, en", [
    (["validate"],
     "Cách dùng: cchc-xl validate [OPTIONS] MASTER\nXem «cchc-xl validate -h» để biết cách "
     "dùng.\n\nLỗi: Thiếu tham số MASTER.\n",
     "Usage: cchc-xl validate [OPTIONS] MASTER\nTry 'cchc-xl validate -h' for help.\n\n"
     "Error: Missing argument MASTER.\n"),
    (["validate", "so.xlsx", "--sua"],
     "Cách dùng: cchc-xl validate [OPTIONS] MASTER\nXem «cchc-xl validate -h» để biết cách "
     "dùng.\n\nLỗi: Không có tùy chọn --sua.\n",
     "Usage: cchc-xl validate [OPTIONS] MASTER\nTry 'cchc-xl validate -h' for help.\n\n"
     "Error: No such option: --sua.\n"),
    (["validate", "so.xlsx", "--fxi"],
     "Cách dùng: cchc-xl validate [OPTIONS] MASTER\nXem «cchc-xl validate -h» để biết cách "
     "dùng.\n\nLỗi: Không có tùy chọn --fxi. Có phải ý bạn là --fix?\n",
     "Usage: cchc-xl validate [OPTIONS] MASTER\nTry 'cchc-xl validate -h' for help.\n\n"
     "Error: No such option: --fxi. Did you mean --fix?\n"),
    (["consolidate", "so.xlsx", ".", "--as-of", "31/13/2021"],
     "Cách dùng: cchc-xl consolidate [OPTIONS] MASTER INBOX\nXem «cchc-xl consolidate -h» để "
     "biết cách dùng.\n\nLỗi: --as-of: «31/13/2021» không phải ngày: gõ ngày dạng dd/mm/yyyy, "
     "yyyy-mm-dd, ví dụ 30/06/2021.\n",
     "Usage: cchc-xl consolidate [OPTIONS] MASTER INBOX\nTry 'cchc-xl consolidate -h' for "
     "help.\n\nError: --as-of: '31/13/2021' is not a date: type it as dd/mm/yyyy, yyyy-mm-dd, "
     "e.g. 30/06/2021.\n"),
    (["consolidate", "so.xlsx", ".", "--as-of"],
     "Cách dùng: cchc-xl consolidate [OPTIONS] MASTER INBOX\nXem «cchc-xl consolidate -h» để "
     "biết cách dùng.\n\nLỗi: Tùy chọn --as-of cần một giá trị.\n",
     "Usage: cchc-xl consolidate [OPTIONS] MASTER INBOX\nTry 'cchc-xl consolidate -h' for "
     "help.\n\nError: Option --as-of requires a value.\n"),
    (["new", "so.xlsx", "--from", "khong-co.docx"],
     "Cách dùng: cchc-xl new [OPTIONS] MASTER\nXem «cchc-xl new -h» để biết cách dùng.\n\n"
     "Lỗi: --from: Không có tệp hoặc thư mục «khong-co.docx»: kiểm tra tên và thư mục.\n",
     "Usage: cchc-xl new [OPTIONS] MASTER\nTry 'cchc-xl new -h' for help.\n\n"
     "Error: --from: There is no file or folder 'khong-co.docx': check its name and folder.\n"),
    (["valid", "so.xlsx"],
     "Cách dùng: cchc-xl [OPTIONS] COMMAND [ARGS]...\nXem «cchc-xl -h» để biết cách dùng.\n\n"
     "Lỗi: Không có lệnh «valid». Các lệnh: consolidate, demo, excel-setup, export, fill, new, "
     "remind, report, validate.\n",
     "Usage: cchc-xl [OPTIONS] COMMAND [ARGS]...\nTry 'cchc-xl -h' for help.\n\n"
     "Error: No such command 'valid'. The commands: consolidate, demo, excel-setup, export, "
     "fill, new, remind, report, validate.\n"),
    (["validate", "a.xlsx", "b.xlsx"],
     "Cách dùng: cchc-xl validate [OPTIONS] MASTER\nXem «cchc-xl validate -h» để biết cách "
     "dùng.\n\nLỗi: Thừa tham số: b.xlsx.\n",
     "Usage: cchc-xl validate [OPTIONS] MASTER\nTry 'cchc-xl validate -h' for help.\n\n"
     "Error: Got unexpected extra arguments: b.xlsx.\n"),
    (["remind", "so.xlsx", "--within", "-1"],
     "Cách dùng: cchc-xl remind [OPTIONS] MASTER\nXem «cchc-xl remind -h» để biết cách dùng."
     "\n\nLỗi: --within: «-1» nhỏ hơn 0: gõ một số từ 0 trở lên.\n",
     "Usage: cchc-xl remind [OPTIONS] MASTER\nTry 'cchc-xl remind -h' for help.\n\n"
     "Error: --within: '-1' is less than 0: type a number of 0 or more.\n"),
])
def test_usage_errors_in_vietnamese_by_default_and_in_english_with_lang_en(args, vi, en):
    assert usage(*args) == (2, vi)
    assert usage("--lang", "en", *args) == (2, en)
    assert usage(*args, env={"CCHC_LANG": "en"}) == (2, en)
    if args[-1] != "--as-of":  # (after the error, which click never reaches)
        assert usage(*args, "--lang", "en") == (2, en)


def test_help_is_in_the_users_language() -> None:
    vietnamese = CliRunner().invoke(cli, ["validate", "-h"], prog_name="cchc-xl").output
    assert vietnamese.startswith("Cách dùng: cchc-xl validate [OPTIONS] MASTER\n")
    assert "\nTùy chọn:\n" in vietnamese
    assert "  -h, --help      Hiện hướng dẫn này rồi thoát.\n" in vietnamese
    english = CliRunner().invoke(cli, ["--lang", "en", "-h"], prog_name="cchc-xl").output
    assert english.startswith("Usage: cchc-xl [OPTIONS] COMMAND [ARGS]...\n")
    assert "\nOptions:\n" in english and "\nCommands:\n" in english
    assert "  -h, --help      Show this message and exit.\n" in english


def test_every_command_and_option_has_its_help_in_both_languages() -> None:
    """The help of every command and of every option comes from the catalogue (texts.HELP),
    in Vietnamese and in English (it was Vietnamese only, in the commands' decorators)."""
    from cchc_xl.cli.usage import LANG, help_of

    missing = []
    for name, command in [("cli", cli), *sorted(cli.commands.items())]:
        for lang in ("vi", "en"):
            token = LANG.set(lang)
            try:
                if help_of(name) is None:
                    missing.append(name)
                missing += [f"{name}.{p.name}" for p in command.params
                            if isinstance(p, click.Option) and p.name != "help"
                            and help_of(name, p.name) is None]
            finally:
                LANG.reset(token)
    assert missing == []
    english = CliRunner().invoke(cli, ["fill", "--help", "--lang", "en"]).output
    assert "  --out DIRECTORY             The folder to write the workbooks into (made if\n" \
           "                              missing).  [required]\n" in english
    assert "  --lang [vi|en]              Message language.  [default: vi]\n" in english
    vietnamese = CliRunner().invoke(cli, ["fill", "--help"]).output
    assert "  --lang [vi|en]              Ngôn ngữ thông báo.  [mặc định: vi]\n" in vietnamese


def test_help_in_english_has_no_vietnamese_but_names() -> None:
    """Every --help in English: the only words with Vietnamese letters are names the user
    sees in the workbooks or the law (a sheet, a round, the example commune, roster labels)."""
    words = set()
    for name in [None, *sorted(cli.commands)]:
        out = CliRunner().invoke(cli, [*([name] if name else []), "--help", "--lang", "en"])
        words |= {w for w in re.findall(r"\S+", out.output) if not w.isascii()}
    assert words == {"'Điều", "('Đợt", "(Họ", "(Phòng)", "(Sơn", "30/2020/NĐ-CP", "khiển'",
                     "khiển'...", "trò),", "tên),", "và"}


# --- no code in what staff read ------------------------------------------------------------------

@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    """The demo's master, with its area-1 warning and a formula typed over."""
    import openpyxl

    from cchc_xl.cycle.demo import run_demo

    path = run_demo(tmp_path_factory.mktemp("demo") / "demo").master
    wb = openpyxl.load_workbook(path)
    wb["Kế hoạch"]["E10"] = 0.5
    wb.save(path)
    return path


def test_what_staff_read_shows_no_problem_code(master: Path) -> None:
    from cchc_xl.excel import control
    from cchc_xl.master.check import validate

    data = json.loads(CliRunner().invoke(cli, ["validate", str(master), "--json"]).output)
    codes = {p["code"] for p in data["problems"]}
    assert codes == {"lost-children-mismatch", "formula-overwritten"}  # (in --json: data)
    for lang in ("vi", "en"):
        human = CliRunner().invoke(cli, ["validate", str(master), "--lang", lang]).output
        assert [c for c in codes if c in human] == []
        report = validate(master)
        outcome = control.Outcome(None, "validate", "", "problems", "", problems=report.problems)
        sheet = " ".join(str(v) for v in control.result_cells(outcome, lang).values() if v)
        assert [c for c in codes if c in sheet] == []
    debug = CliRunner().invoke(cli, ["validate", str(master), "--debug"]).output
    assert "'Kế hoạch'!E5          Cảnh báo   lost-children-mismatch\n" in debug


def test_output_piped_into_a_reader_that_stops_early_ends_quietly(master: Path) -> None:
    """`cchc-xl validate … | head`: the reader closes the pipe; the command ends without an
    error message (it said "Unexpected error: BrokenPipeError" on standard error, exit 2)."""
    import subprocess
    import sys

    for args in (["validate", str(master)], ["--help"]):
        proc = subprocess.Popen([sys.executable, "-m", "cchc_xl", *args, "--lang", "en"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdout.close()  # (before a line is written: every write finds the pipe closed)
        with proc.stderr:
            err = proc.stderr.read().decode()
        assert (proc.wait(timeout=60), err) == (1, "")


@pytest.mark.parametrize("args", [["consolidate", "{bad}", "{dir}"], ["report", "{bad}"],
                                  ["fill", "{bad}", "--out", "{dir}"], ["remind", "{bad}"]])
def test_a_fatal_error_with_json_is_json_too(tmp_path: Path, args) -> None:
    """With --json a run that cannot go on prints its problems as JSON on standard output
    (it printed only a text on standard error), the text still on standard error, exit 2."""
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"not a workbook")
    argv = [a.format(bad=bad, dir=tmp_path) for a in args]
    result = CliRunner().invoke(cli, [*argv, "--json", "--lang", "en"])
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout)
    assert (data["failed"], [p["code"] for p in data["problems"]]) == (True, ["cannot-read"])
    assert data["problems"][0]["message"] == (
        f"Cannot read {bad}: it is not an .xlsx file (not in Excel's zip format)")
    assert data["problems"][0]["message"] in result.stderr


def test_no_libreoffice_for_a_pdf_is_said_as_every_failure(master: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    """A PDF asked for without LibreOffice: the problem «libreoffice-missing», said as every
    failure of a command is (it had its own handler and no problem)."""
    from cchc_xl.files.libreoffice import LibreOfficeUnavailable
    from cchc_xl.outputs.failures import problems_of

    monkeypatch.setenv("CCHC_SOFFICE", str(tmp_path / "khong-co"))
    copy = tmp_path / master.name
    copy.write_bytes(master.read_bytes())
    result = CliRunner().invoke(cli, ["export", str(copy), "--pdf", "--quiet", "--lang", "en"])
    assert (result.exit_code, result.stderr) == (2, (
        "Error: LibreOffice was not found, so no PDF can be made. Install LibreOffice (or set "
        "CCHC_SOFFICE to the soffice path) and run again, or leave out --pdf.\n"))
    assert [p.code for p in problems_of(LibreOfficeUnavailable())] == ["libreoffice-missing"]


def test_a_problem_row_is_place_severity_message() -> None:
    from cchc_xl.problems import WARNING, Problem

    p = Problem("formula-error", WARNING, "Kế hoạch", "E7", params={"error": "#DIV/0!"})
    assert p.row() == ["'Kế hoạch'!E7", "Cảnh báo", "Công thức cho kết quả lỗi #DIV/0!. Kiểm "
                       "tra các ô mà công thức tham chiếu."]
    assert p.row("en", debug=True) == ["'Kế hoạch'!E7", "warning", "The formula gives the "
                                       "error #DIV/0!. Check the cells it refers to.",
                                       "formula-error"]

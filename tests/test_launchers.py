"""The double-click launchers of scripts/launchers: the .sh ones really run here against a demo
master (stdin passes the final pause); the Windows .bat ones are checked as text."""

from __future__ import annotations

import importlib.util
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cchc_xl.cycle.demo import ISSUED_AT, build_demo_master, simulate_returns
from cchc_xl.cycle.fill import fill

LAUNCHERS = Path(__file__).resolve().parent.parent / "scripts" / "launchers"
ACTIONS = {"kiem-tra": "validate", "tao-phieu": "fill", "tong-hop": "consolidate"}
BASH = shutil.which("bash") or "/bin/bash"
# The demo's deadlines are in 2021: as of any day since, every row not done is overdue.
OVERDUE_12 = "12 dòng quá hạn (1.2, 1.6, 1.7, 2.5, 3.2.1, 3.2.3, 4.2, 4.3, …)"
VALIDATE_TAIL = [
    "Có vấn đề cần xem: danh sách ở trên, mỗi dòng nêu sheet và ô.",
    f"KẾT QUẢ: Xong. Còn việc cần làm: {OVERDUE_12}.",
    "",
]


# --- the files as text ------------------------------------------------------------------------

@pytest.mark.parametrize("stem", ACTIONS)
def test_bat_is_crlf_utf8_and_runs_the_cli(stem):
    data = (LAUNCHERS / f"{stem}.bat").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "a BOM breaks @echo off"
    assert data.count(b"\n") == data.count(b"\r\n") > 50
    text = data.decode("utf-8")
    lines = text.split("\r\n")
    assert lines[:3] == ["@echo off", "chcp 65001 >nul",
                         "setlocal EnableExtensions DisableDelayedExpansion"]
    assert all(line.isascii() for line in lines if line.startswith(("rem", "@", "chcp")))
    assert f'set "ACTION={ACTIONS[stem]}"' in lines
    for line in (
        'if defined FOUND_PY py -c "import cchc_xl" >nul 2>nul && set "CCHC=py -m cchc_xl"',
        'if not defined CCHC where cchc-xl >nul 2>nul && set "CCHC=cchc-xl"',
        '%CCHC% validate "%MASTER%" >"%OUT%"',
        '%CCHC% fill "%MASTER%" --out "%FOLDER%\\phieu-gui" --eml >"%OUT%"',
        '%CCHC% consolidate "%MASTER%" "%FOLDER%\\phieu-nhan" >"%OUT%"',
        # the CLI's last line (what still needs action) becomes the final line
        'if exist "%OUT%" for /f "usebackq eol=| delims=" %%L in ("%OUT%") do set "LAST=%%L"',
        "echo(KẾT QUẢ: !LAST!",
        'for %%F in (*.xlsx) do call :consider "%%F"',
        'if "%NAME:~0,2%"=="~$" goto :eof',
        'if not "%NAME:_bao-cao_=%"=="%NAME%" goto :eof',
        "pause >nul",
        "exit /b %RC%",
    ):
        assert line in lines, line
    assert "goto run_%ACTION%" in lines and f":run_{ACTIONS[stem]}" in lines
    assert "CHƯA CÓ PYTHON trên máy này." in text and "py -m pip install ." in text


def test_bat_files_differ_only_in_their_action():
    texts = {stem: (LAUNCHERS / f"{stem}.bat").read_text(encoding="utf-8")
             for stem in ACTIONS}
    for stem, text in texts.items():
        assert text.replace(f'set "ACTION={ACTIONS[stem]}"', 'set "ACTION=?"') == \
            texts["kiem-tra"].replace('set "ACTION=validate"', 'set "ACTION=?"')


@pytest.mark.parametrize("stem", ACTIONS)
def test_sh_and_command_are_lf_bash_executable_twins(stem):
    sh, command = LAUNCHERS / f"{stem}.sh", LAUNCHERS / f"{stem}.command"
    data = sh.read_bytes()
    assert command.read_bytes() == data
    assert b"\r" not in data
    assert data.startswith(b"#!/usr/bin/env bash\n")
    assert f"\nACTION={ACTIONS[stem]}\n".encode() in data
    assert b'read -r -p "Nh\xe1\xba\xa5n Enter \xc4\x91\xe1\xbb\x83 \xc4\x91\xc3\xb3ng' in data
    for path in (sh, command):
        assert path.stat().st_mode & stat.S_IXUSR, f"{path.name} must be executable"
    assert subprocess.run([BASH, "-n", str(sh)]).returncode == 0
    first = (LAUNCHERS / "kiem-tra.sh").read_text(encoding="utf-8")
    assert sh.read_text(encoding="utf-8").replace(f"ACTION={ACTIONS[stem]}", "ACTION=?") == \
        first.replace("ACTION=validate", "ACTION=?")


def test_the_launchers_are_what_make_launchers_writes():
    """The nine files are generated (scripts/make_launchers.py): none was edited by hand."""
    spec = importlib.util.spec_from_file_location("make_launchers",
                                                  LAUNCHERS.parent / "make_launchers.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    assert make.ACTIONS == ACTIONS
    expected = make.launchers()
    assert sorted(expected) == sorted(p.name for p in LAUNCHERS.iterdir()
                                      if p.name != ".gitattributes")
    for name, data in expected.items():
        assert (LAUNCHERS / name).read_bytes() == data, "run python scripts/make_launchers.py"


def test_line_endings_are_pinned_for_git():
    assert (LAUNCHERS / ".gitattributes").read_text().splitlines() == [
        "*.bat text eol=crlf", "*.cmd text eol=crlf", "*.sh text eol=lf",
        "*.command text eol=lf"]


def test_python_dash_m_cchc_xl():
    done = subprocess.run([sys.executable, "-m", "cchc_xl", "--version"], capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("cchc-xl, version ")


# --- running the .sh launchers ----------------------------------------------------------------

@pytest.fixture(scope="module")
def cycle_dir(tmp_path_factory) -> Path:
    """The demo master, one round issued, the demo's returns waiting in phieu-nhan."""
    folder = tmp_path_factory.mktemp("cycle")
    _, master = build_demo_master(folder)
    issued = fill(master, folder / "phieu-gui", round_name="Đợt 1", now=ISSUED_AT)
    simulate_returns({f.role: f.path for f in issued.files}, folder / "phieu-nhan")
    (folder / "son_giang_2021.txt").unlink()
    return folder


@pytest.fixture
def office(cycle_dir, tmp_path) -> Path:
    """A copy of the commune office's folder with the three launchers beside the master."""
    folder = tmp_path / "Văn phòng"
    shutil.copytree(cycle_dir, folder)
    for stem in ACTIONS:
        shutil.copy2(LAUNCHERS / f"{stem}.sh", folder)
    return folder


def bin_dir(tmp_path: Path, *, python: str | None = sys.executable,
            cchc_script: bool = False) -> Path:
    """A PATH holding only what the launcher may use: python3 (this Python, with cchc-xl),
    optionally a `cchc-xl` script, and mkdir."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    if python:
        wrapper = folder / "python3"
        wrapper.write_text(f'#!/bin/sh\nexec "{python}" "$@"\n')
        wrapper.chmod(0o755)
    if cchc_script:
        script = folder / "cchc-xl"
        script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cchc_xl "$@"\n')
        script.chmod(0o755)
    mkdir = shutil.which("mkdir")
    if mkdir:
        (folder / "mkdir").symlink_to(mkdir)
    return folder


def launch(script: Path, path: Path, stdin: str = "\n", *args: str, cwd: Path | None = None
           ) -> tuple[int, list[str]]:
    """Exit code and the lines the window shows (stdout and stderr as they interleave)."""
    env = {"PATH": str(path), "HOME": str(path.parent), "LANG": "C.UTF-8",
           "PYTHONUNBUFFERED": "1"}
    done = subprocess.run([BASH, str(script), *args], input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env,
                          cwd=cwd or path.parent, timeout=300)
    return done.returncode, done.stdout.splitlines()


def test_validate_finds_the_master_beside_it(office, tmp_path):
    code, lines = launch(office / "kiem-tra.sh", bin_dir(tmp_path))
    master = office / "ke_hoach_cchc_2021.xlsx"
    assert code == 1
    assert lines == [
        "=== cchc-xl: Kiểm tra sổ theo dõi ===", "",
        f"Sổ theo dõi: {master}", "",
        "'Kế hoạch'!E5          Cảnh báo",
        "    Điểm bị mất của mục 1 là 1.05 nhưng tổng điểm bị mất của các tiêu chí con là 1 (chênh "
        "0.05). Kiểm tra điểm thẩm định hoặc bổ sung tiêu chí còn thiếu.",
        f"Kết quả kiểm tra {master}: 0 lỗi, 1 cảnh báo, 0 thông tin.", "",
        *VALIDATE_TAIL,
    ]


def test_a_cchc_xl_script_on_path_is_used_too(office, tmp_path):
    code, lines = launch(office / "kiem-tra.sh", bin_dir(tmp_path, python=None,
                                                         cchc_script=True))
    assert code == 1 and lines[-3:] == VALIDATE_TAIL


def test_fill_writes_the_round_beside_the_master(office, tmp_path):
    code, lines = launch(office / "tao-phieu.sh", bin_dir(tmp_path))
    assert code == 0, lines
    # (stderr and stdout interleave as they come: the round's line is among the first ones)
    assert any(line.startswith("Đã tạo 6 phiếu đợt «Đợt 2» trong ") for line in lines[4:6])
    assert lines[-4:] == [
        "", f"Các phiếu và thư nháp (.eml) nằm trong thư mục: {office}/phieu-gui",
        f"KẾT QUẢ: Xong. Còn việc cần làm: {OVERDUE_12}.", ""]
    # the CLI's own last line is the final line, not shown twice
    assert sum("Còn việc cần làm" in line for line in lines) == 1
    assert len(list((office / "phieu-gui").glob("dot-2_*.eml"))) == 6


def test_consolidate_reads_phieu_nhan(office, tmp_path):
    code, lines = launch(office / "tong-hop.sh", bin_dir(tmp_path))
    assert code == 1, lines
    assert "Thay đổi đã áp dụng: 21" in lines
    assert "Chưa gửi lại: Tài chính – Kế toán (Phạm Thị Dung (ví dụ), Đợt 1)" in lines
    assert lines[-4:] == [
        "Báo cáo đầy đủ là tệp có «_bao-cao_» trong tên, nằm cạnh sổ.",
        "Có vấn đề cần xem: danh sách ở trên, mỗi dòng nêu sheet và ô.",
        "KẾT QUẢ: Xong. Còn việc cần làm: 1 cán bộ chưa gửi lại (Tài chính – Kế toán (Phạm Thị "
        "Dung (ví dụ))), 8 dòng quá hạn (1.6, 1.7, 3.2.1, 3.2.3, 4.2, 4.3, 7.1.7, 7.2.5), 2 giá "
        "trị bị từ chối chưa được gửi lại, 4 dòng hoàn thành chưa có minh chứng.", ""]
    assert len(list(office.glob("ke_hoach_cchc_2021_bao-cao_*.xlsx"))) == 1


def test_consolidate_creates_the_inbox_when_missing(office, tmp_path):
    shutil.rmtree(office / "phieu-nhan")
    before = (office / "ke_hoach_cchc_2021.xlsx").read_bytes()
    code, lines = launch(office / "tong-hop.sh", bin_dir(tmp_path))
    assert code == 2, lines  # nothing to consolidate yet: said so, and nothing written
    assert f"Đã tạo thư mục {office}/phieu-nhan: chép các phiếu cán bộ gửi về vào đó." in lines
    assert (f"Lỗi: Thư mục {office}/phieu-nhan không có tệp nào: không có gì để tổng hợp, "
            "sổ không thay đổi. Kiểm tra lại thư mục phiếu gửi về (hoặc dùng «Chấm điểm» để "
            "chỉ tô màu lại theo ngày).") in lines
    assert (office / "phieu-nhan").is_dir()
    assert (office / "ke_hoach_cchc_2021.xlsx").read_bytes() == before


def test_lock_files_and_reports_are_not_masters(office, tmp_path):
    (office / "~$ke_hoach_cchc_2021.xlsx").write_bytes(b"owner")
    shutil.copy(office / "ke_hoach_cchc_2021.xlsx",
                office / "ke_hoach_cchc_2021_bao-cao_20210702-163000.xlsx")
    code, lines = launch(office / "kiem-tra.sh", bin_dir(tmp_path))
    assert code == 1 and lines[2] == f"Sổ theo dõi: {office / 'ke_hoach_cchc_2021.xlsx'}"


def test_two_workbooks_ask_which_is_the_master(office, tmp_path):
    other = office / "ban sao.xlsx"
    shutil.copy(office / "ke_hoach_cchc_2021.xlsx", other)
    code, lines = launch(office / "kiem-tra.sh", bin_dir(tmp_path), f"'{other}' \n\n")
    assert lines[2:5] == [
        "Có 2 tệp .xlsx cạnh tệp này, không biết tệp nào là sổ theo dõi:",
        "  ban sao.xlsx", "  ke_hoach_cchc_2021.xlsx"]
    assert lines[5] == f"Sổ theo dõi: {other}"
    assert code == 1 and lines[-3:] == VALIDATE_TAIL


def test_a_path_dragged_in_from_macos_terminal(office, tmp_path):
    other = office / "ban sao.xlsx"
    shutil.copy(office / "ke_hoach_cchc_2021.xlsx", other)
    dragged = str(other).replace(" ", "\\ ")
    code, lines = launch(office / "kiem-tra.sh", bin_dir(tmp_path), dragged + " \n\n")
    assert lines[5] == f"Sổ theo dõi: {other}" and code == 1


def test_no_master_and_no_answer(tmp_path):
    folder = tmp_path / "trong"
    folder.mkdir()
    shutil.copy2(LAUNCHERS / "kiem-tra.sh", folder)
    code, lines = launch(folder / "kiem-tra.sh", bin_dir(tmp_path), "")
    assert code == 2
    assert lines[2:] == [
        f"Không thấy sổ theo dõi (.xlsx) nào cạnh tệp này ({folder}).",
        "Không tìm thấy tệp sổ: (chưa nhập)",
        "Chép tệp này vào thư mục có sổ theo dõi rồi nhấp đúp lại, hoặc kéo thả đúng tệp sổ.",
        ""]


def test_master_given_as_argument(office, tmp_path):
    other = tmp_path / "khac" / "so.xlsx"
    other.parent.mkdir()
    shutil.copy(office / "ke_hoach_cchc_2021.xlsx", other)
    code, lines = launch(office / "kiem-tra.sh", bin_dir(tmp_path), "\n", str(other),
                         cwd=tmp_path)
    assert code == 1 and lines[2] == f"Sổ theo dõi: {other}"


def test_no_python_explains_how_to_install_it(office, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, lines = launch(office / "kiem-tra.sh", empty)
    assert code == 2
    assert lines[2:] == [
        "CHƯA CÓ PYTHON trên máy này.",
        "  1. Cài Python 3 (bản 3.10 trở lên): https://www.python.org/downloads/",
        "     (macOS: tải bộ cài .pkg; Linux: sudo apt install python3 python3-pip).",
        "  2. Cài cchc-xl: mở Terminal trong thư mục mã nguồn cchc-xl rồi gõ:",
        "         python3 -m pip install .",
        "  3. Nhấp đúp lại tệp này.",
        "",
    ]


def test_python_without_the_package_explains_pip(office, tmp_path):
    folder = tmp_path / "nopkg"
    folder.mkdir()
    fake = folder / "python3"
    fake.write_text("#!/bin/sh\nexit 1\n")  # `python3 -c "import cchc_xl"` fails
    fake.chmod(0o755)
    code, lines = launch(office / "kiem-tra.sh", folder)
    assert code == 2
    assert lines[2:] == [
        "ĐÃ CÓ PYTHON (python3) NHƯNG CHƯA CÀI cchc-xl.",
        "  Mở Terminal trong thư mục mã nguồn cchc-xl rồi gõ:",
        "         python3 -m pip install .",
        "  rồi nhấp đúp lại tệp này. Xem thêm: docs/huong-dan.md",
        "",
    ]


@pytest.mark.skipif(os.name != "nt", reason="cmd.exe exists only on Windows; the .bat files "
                    "are checked as text above")
def test_bat_runs_on_windows(office, tmp_path):  # pragma: no cover - Windows only
    shutil.copy2(LAUNCHERS / "kiem-tra.bat", office)
    done = subprocess.run(["cmd", "/c", str(office / "kiem-tra.bat")], input="\n",
                          capture_output=True, timeout=300, cwd=office)
    assert done.returncode == 1
    assert "KẾT QUẢ: Xong, nhưng có vấn đề cần xem" in done.stdout.decode("utf-8", "replace")

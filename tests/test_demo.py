"""`cchc-xl demo` writes only into a new or empty folder: a commune's year folder uses the very
names it writes (the master, phieu-gui, phieu-nhan), so a folder that holds anything is
refused and left byte for byte as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cchc_xl.cli.main import cli
from cchc_xl.cycle.demo import MASTER_NAME, SEED, DemoFolderNotEmpty, build_demo_master, run_demo

# (said as every failure of a command is: «Lỗi: …» / "Error: …", exit 2)
REFUSED_VI = ("Lỗi: "
              "Thư mục {dir} không trống (có thể đang chứa sổ hoặc phiếu thật): ví dụ chỉ chạy "
              "trong thư mục mới hoặc thư mục trống, để không ghi đè hay xóa gì. Chọn một thư "
              "mục mới, ví dụ «cchc-xl demo cchc-demo-2», hoặc làm trống thư mục này rồi chạy "
              "lại. Không có tệp nào bị ghi.\n")
REFUSED_EN = ("Error: "
              "Folder {dir} is not empty (it may hold a real master or returns): the demo runs "
              "only in a new or empty folder, so that it overwrites or deletes nothing. Choose "
              "a new folder, e.g. 'cchc-xl demo cchc-demo-2', or empty this one and run again. "
              "Nothing was written.\n")


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` with its bytes (None for a folder)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def year_folder(tmp_path: Path) -> Path:
    """An office's year folder: its master and a return in phieu-gui."""
    folder = tmp_path / "2021"
    (folder / "phieu-gui").mkdir(parents=True)
    (folder / "phieu-gui" / "x.xlsx").write_bytes(b"an officer's workbook")
    (folder / MASTER_NAME).write_bytes(b"the office's real master")
    return folder


@pytest.mark.parametrize("call", [lambda d: run_demo(d, cycle=True), run_demo,
                                  build_demo_master])
def test_the_library_refuses_a_folder_that_holds_files(year_folder: Path, call) -> None:
    before = snapshot(year_folder)
    with pytest.raises(DemoFolderNotEmpty) as refused:
        call(year_folder)
    assert refused.value.directory == year_folder
    assert snapshot(year_folder) == before == {
        MASTER_NAME: b"the office's real master", "phieu-gui": None,
        "phieu-gui/x.xlsx": b"an officer's workbook"}


def test_a_folder_holding_only_an_empty_folder_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "so" / "phieu-nhan").mkdir(parents=True)
    with pytest.raises(DemoFolderNotEmpty):
        run_demo(tmp_path / "so")
    assert snapshot(tmp_path / "so") == {"phieu-nhan": None}


def test_an_empty_folder_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "so"
    folder.mkdir()
    result = run_demo(folder)
    assert result.master == (folder / MASTER_NAME).resolve()
    assert sorted(snapshot(folder)) == [MASTER_NAME, SEED]


@pytest.mark.parametrize(("lang", "message"), [("vi", REFUSED_VI), ("en", REFUSED_EN)])
def test_the_command_refuses_a_folder_that_holds_files(year_folder: Path, lang: str,
                                                       message: str) -> None:
    before = snapshot(year_folder)
    result = CliRunner().invoke(cli, ["demo", str(year_folder), "--lang", lang])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", message.format(dir=year_folder.resolve()))
    assert snapshot(year_folder) == before


def test_the_command_runs_in_an_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "vi-du"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["demo", str(folder), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"The example files are in: {folder.resolve()}"
    # (beside them the consolidation's report and backup, which are consolidate's to name)
    assert {MASTER_NAME, SEED, "phieu-gui", "phieu-nhan"} <= set(snapshot(folder))


def test_the_readmes_first_command_twice(tmp_path: Path, monkeypatch) -> None:
    """`cchc-xl demo` (folder cchc-demo) on a fresh directory works; run again, it refuses
    and changes nothing of what the first run wrote."""
    monkeypatch.chdir(tmp_path)
    first = CliRunner().invoke(cli, ["demo"])
    assert first.exit_code == 0, first.output
    written = snapshot(tmp_path / "cchc-demo")
    assert MASTER_NAME in written and "phieu-nhan/quan su.xlsx" in written

    second = CliRunner().invoke(cli, ["demo"])
    assert (second.exit_code, second.stdout, second.stderr) == (
        2, "", REFUSED_VI.format(dir=(tmp_path / "cchc-demo").resolve()))
    assert snapshot(tmp_path / "cchc-demo") == written

"""The master as one unit of work: one writer at a time (the others wait their turn, no update
is lost), and the files around the master kept as they were."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cycle import FILES, edit_return, load, make_cycle, plan_values

from cchc_xl import layout
from cchc_xl.files.failpoint import FAILPOINT_ENV
from cchc_xl.files.open_save import BACKUP_DIR, TEMP_PREFIX
from cchc_xl.master.unit import MasterReadOnly, lock_file

DONE = layout.STATUS_DONE
ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cchc_xl", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "CCHC_LANG": "vi", **(env or {})})


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """A folder with a master one round in, a return of Tư pháp (2.5 done) in its inbox, and
    a formula typed over (E10): what each writing command has to do."""
    base = tmp_path_factory.mktemp("uow")
    master, outbox, inbox = make_cycle(base)
    edit_return(outbox / FILES["TP"], inbox / "tp.xlsx", {"2.5": {"status": DONE}})
    from cchc_xl.files.open_save import load as load_master
    from cchc_xl.files.open_save import save

    wb = load_master(master)
    wb[layout.PLAN.name]["E10"] = 0.5
    save(wb, master, backup=False)
    return base


# --- two writers at once -----------------------------------------------------------------------

COMMANDS = {
    "fill": lambda m, d, n: ["fill", str(m), "--out", str(d / f"phieu-{n}"), "--round",
                             f"Đợt thử {n}"],
    "consolidate": lambda m, d, n: ["consolidate", str(m), str(d / "nhan"), "--as-of",
                                    "30/06/2021"],
    "validate --fix": lambda m, d, n: ["validate", str(m), "--fix"],
    "report": lambda m, d, n: ["report", str(m), "--out", str(d / f"bao-cao-{n}"),
                               "--as-of", "15/01/2022"],
    "excel-setup": lambda m, d, n: ["excel-setup", str(m)],
}


def done(master: Path, command: str, n: int) -> bool:
    """What each command must have left in the master."""
    wb = load(master)
    if command == "fill":
        ws = wb[layout.ROUNDS.name]
        return sum(1 for r in ws.iter_rows(min_row=2, values_only=True)
                   if r[0] == f"Đợt thử {n}") == 6
    if command == "consolidate":
        return plan_values(master, "status")["2.5"] == DONE
    if command == "validate --fix":
        return wb[layout.PLAN.name]["E10"].value == "=C10-D10"
    if command == "report":
        return len(wb[layout.SUMMARY.name]._charts) == 2
    return layout.CONTROL_SHEET in wb.sheetnames


PAIRS = list(itertools.combinations_with_replacement(COMMANDS, 2))


@pytest.mark.parametrize("first, second", PAIRS, ids=[f"{a} + {b}" for a, b in PAIRS])
def test_two_writers_at_once_one_waits_and_nothing_is_lost(prepared, tmp_path, first, second):
    for trial in range(2):
        folder = tmp_path / f"t{trial}"
        shutil.copytree(prepared, folder)
        master = folder / "so" / "ke_hoach_cchc_2021.xlsx"
        procs = [cli(*COMMANDS[c](master, folder, n)) for n, c in enumerate((first, second))]
        outs = [p.communicate(timeout=180) for p in procs]
        for p, (out, err), command in zip(procs, outs, (first, second)):
            assert p.returncode in (0, 1), (command, out, err)
        for n, command in enumerate((first, second)):
            assert done(master, command, n), (command, trial)
        assert not lock_file(master).exists()
        assert sorted(f.name for f in master.parent.iterdir() if f.name.startswith(".~")) == []


def test_the_lock_never_lets_two_runs_in(tmp_path):
    """Four processes take the lock 40 times each, some finding a dead run's lock file left
    behind: the section they hold it for never overlaps another's."""
    master = tmp_path / "so.xlsx"
    master.write_bytes(b"")
    trace = tmp_path / "trace.txt"
    script = textwrap.dedent(f"""
        import os, sys, time
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from cchc_xl.master.unit import MasterLock, lock_file
        master, trace = Path({str(master)!r}), Path({str(trace)!r})
        for i in range(40):
            if i % 7 == 0:  # a dead run's lock file, left behind with its note
                try:
                    lock_file(master).write_text('{{"host": "%s", "pid": 999999999}}'
                                                  % __import__("socket").gethostname())
                except OSError:
                    pass
            with MasterLock(master, wait=60):
                with open(trace, "a") as fh:
                    fh.write(f"+{{os.getpid()}}\\n")
                time.sleep(0.002)
                with open(trace, "a") as fh:
                    fh.write(f"-{{os.getpid()}}\\n")
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(4)]
    for p in procs:
        assert p.wait(timeout=300) == 0
    lines = trace.read_text().split()
    assert len(lines) == 4 * 40 * 2
    for start, end in zip(lines[::2], lines[1::2]):
        assert start[0] == "+" and end == "-" + start[1:]


# --- the files around the master ----------------------------------------------------------------

def test_backups_are_pruned_for_this_master_only(prepared, tmp_path):
    from cchc_xl.files.open_save import BACKUPS_KEPT, make_backup

    folder = tmp_path / "f"
    folder.mkdir()
    so, so_2022 = folder / "so.xlsx", folder / "so_2022.xlsx"
    shutil.copy(prepared / "so" / "ke_hoach_cchc_2021.xlsx", so)
    shutil.copy(so, so_2022)
    theirs = [make_backup(so_2022) for _ in range(3)]
    (folder / BACKUP_DIR / "so_cu.xlsx").write_bytes(b"a copy the office keeps")
    for _ in range(BACKUPS_KEPT + 5):
        make_backup(so)
    names = sorted(p.name for p in (folder / BACKUP_DIR).iterdir())
    assert [n for n in names if n.startswith("so_2") and not n.startswith("so_2022")].__len__(
    ) == BACKUPS_KEPT
    assert all(t.exists() for t in theirs) and "so_cu.xlsx" in names


def test_permissions_group_and_symbolic_link_are_kept(prepared, tmp_path):
    from cchc_xl.cycle.consolidate import consolidate

    folder = tmp_path / "f"
    shutil.copytree(prepared, folder)
    real = folder / "so" / "ke_hoach_cchc_2021.xlsx"
    os.chmod(real, 0o664)
    link = tmp_path / "so-nay.xlsx"
    link.symlink_to(real)
    report = consolidate(link, folder / "nhan", now=dt.datetime(2021, 6, 20, 9),
                         as_of=dt.date(2021, 6, 30))
    assert link.is_symlink() and link.resolve() == real  # written through to the master
    assert plan_values(real, "status")["2.5"] == DONE
    assert stat.S_IMODE(real.stat().st_mode) == 0o664
    assert Path(report.backup).parent == real.parent / BACKUP_DIR
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(Path(report.report_path).stat().st_mode) == 0o666 & ~umask


def test_a_read_only_master_is_refused_and_left_as_it_is(prepared, tmp_path):
    from cchc_xl.cycle.consolidate import consolidate

    folder = tmp_path / "f"
    shutil.copytree(prepared, folder)
    master = folder / "so" / "ke_hoach_cchc_2021.xlsx"
    os.chmod(master, 0o444)
    before = master.read_bytes()
    with pytest.raises(MasterReadOnly):
        consolidate(master, folder / "nhan")
    proc = cli("validate", str(master), "--fix")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert err.strip() == (
        f"Lỗi: Sổ {master} chỉ đọc (hoặc thư mục của sổ không ghi được): không ghi gì. Bỏ "
        "thuộc tính chỉ đọc (Properties › Read-only) hoặc chép sổ vào thư mục ghi được rồi "
        "chạy lại.")
    assert master.read_bytes() == before


def test_a_full_disk_is_told_in_the_users_language_and_nothing_is_lost(prepared, tmp_path):
    folder = tmp_path / "f"
    shutil.copytree(prepared, folder)
    master = folder / "so" / "ke_hoach_cchc_2021.xlsx"
    before = master.read_bytes()
    for lang, text in (("vi", "đĩa đã đầy"), ("en", "the disk is full")):
        proc = cli("consolidate", str(master), str(folder / "nhan"), "--lang", lang,
                   env={FAILPOINT_ENV: "enospc:temp-written"})
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 2, (out, err)
        assert f"{master} ({text})" in err and "Traceback" not in err
    assert master.read_bytes() == before
    assert [f.name for f in master.parent.iterdir() if f.name.startswith(TEMP_PREFIX)] == []


def test_a_fill_killed_after_its_master_save_is_finished_by_the_next(prepared, tmp_path):
    from cchc_xl.cycle.fill import fill

    folder = tmp_path / "f"
    shutil.copytree(prepared, folder)
    master, out = folder / "so" / "ke_hoach_cchc_2021.xlsx", folder / "dot2"
    proc = cli("fill", str(master), "--out", str(out), "--round", "Đợt 2",
               env={FAILPOINT_ENV: "fill-saved"})
    proc.communicate(timeout=120)
    assert proc.returncode == -9
    staged = sorted(out.iterdir())
    assert [f.name.split("-", 2)[-1] for f in staged] == sorted(
        n.replace("dot-1", "dot-2") for n in FILES.values())
    assert all(f.name.startswith(TEMP_PREFIX) for f in staged)
    result = fill(master, out, round_name="Đợt 3", now=dt.datetime(2021, 5, 1))
    assert sorted(p.name for p in result.restored) == sorted(
        n.replace("dot-1", "dot-2") for n in FILES.values())
    recorded = {r[4]: r[9] for r in load(master)[layout.ROUNDS.name].iter_rows(
        min_row=2, values_only=True)}
    for path in result.restored:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == recorded[path.name]
    assert [f.name for f in out.iterdir() if f.name.startswith(TEMP_PREFIX)] == []
    assert len(list(out.glob("dot-3_*.xlsx"))) == 6


# --- the last line is found inside the run -----------------------------------------------------

LAST_LINE_RUNS = {
    "validate": (lambda m, d: ["validate", str(m)], None),
    "fill": (lambda m, d: ["fill", str(m), "--out", str(d / "dot2"), "--round", "Đợt 2"], None),
    "consolidate": (lambda m, d: ["consolidate", str(m), str(d / "nhan"), "--as-of",
                                  "30/06/2021"], dt.date(2021, 6, 30)),
}


@pytest.mark.parametrize("command", LAST_LINE_RUNS)
def test_what_needs_action_is_found_on_the_master_the_run_held(prepared, tmp_path, monkeypatch,
                                                             command):
    """validate, fill and consolidate load the master once: «Còn việc cần làm» is found on
    the workbook the run held and saved, under its lock (it was found by loading the saved
    file again, after the lock was let go: a second whole load, 0.17 s of 0.5 s on Sơn Giang),
    and it says what the master as saved says."""
    from click.testing import CliRunner

    from cchc_xl.cli.main import cli as main
    from cchc_xl.files import open_save
    from cchc_xl.master import unit
    from cchc_xl.master.needs_action import needs_action_of

    folder = tmp_path / "f"
    shutil.copytree(prepared, folder)
    master = folder / "so" / "ke_hoach_cchc_2021.xlsx"
    loads: list[Path] = []

    def counted(path, *args, **kwargs):
        loads.append(Path(path))
        return real(path, *args, **kwargs)

    real = open_save.load
    monkeypatch.setattr(open_save, "load", counted)
    monkeypatch.setattr(unit, "load", counted)
    argv, as_of = LAST_LINE_RUNS[command]
    result = CliRunner().invoke(main, [*argv(master, folder), "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    assert loads == [master]
    monkeypatch.setattr(open_save, "load", real)
    expected = needs_action_of(master, as_of or dt.date.today())
    assert not expected.empty  # (the prepared master has open work: the line says what)
    assert result.output.rstrip("\n").splitlines()[-1] == expected.line("en")

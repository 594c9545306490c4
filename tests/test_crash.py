"""Crash safety: a consolidation killed at any point leaves the old master or the new one,
never a broken file; the next run takes the lock over and cleans up; the backup restores.

Two ways of killing it, in a subprocess with SIGKILL (nothing runs after it: no finally, no
atexit, as with a power cut):
- at each named step of a save (CCHC_XL_FAILPOINT, read by workbook_io.failpoint): every
  window between the writes is hit deterministically, including the middle of writing;
- after varied delays, so points nobody named are hit too.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from cycle import FILES, edit_return, make_cycle, plan_values

from cchc_xl import layout
from cchc_xl.cycle.consolidate import consolidate
from cchc_xl.cycle.inbox import collect
from cchc_xl.files.failpoint import FAILPOINT_ENV
from cchc_xl.files.open_save import BACKUP_DIR, TEMP_PREFIX, TEMP_RE
from cchc_xl.master.check import validate
from cchc_xl.master.unit import lock_file

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
DONE, TODO = layout.STATUSES[2], layout.STATUSES[0]
STEPS = ["temp-written", "caching", "temp-synced", "backed-up", "replaced"]
SCRIPT = textwrap.dedent("""
    import datetime as dt, sys
    from cchc_xl.cycle.consolidate import consolidate
    print("ready", flush=True)
    consolidate(sys.argv[1], sys.argv[2], now=dt.datetime(2021, 6, 20, 9, 30),
                as_of=dt.date(2021, 6, 30))
""")


def start(master, inbox, step: str | None = None) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop(FAILPOINT_ENV, None)
    if step:
        env[FAILPOINT_ENV] = step
    return subprocess.Popen([sys.executable, "-c", SCRIPT, str(master), str(inbox)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture
def cycle(tmp_path):
    master, outbox, inbox = make_cycle(tmp_path)
    edit_return(outbox / FILES["TP"], inbox / "tu phap.xlsx", {"2.5": {"status": DONE}})
    return master, inbox


def state(master, old: bytes) -> str:
    """'old' (byte-identical), 'new' (the consolidated content, valid), or an assertion."""
    if master.read_bytes() == old:
        return "old"
    with zipfile.ZipFile(master) as zf:
        assert zf.testzip() is None
    assert plan_values(master, "status")["2.5"] == DONE
    assert [p.code for p in validate(master).problems] == [
        "lost-children-mismatch", "done-without-evidence"]  # (2.5 done, no evidence given)
    return "new"


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~cchc-"))


@pytest.mark.parametrize("step", STEPS)
def test_killed_at_each_step_of_the_save(cycle, step):
    master, inbox = cycle
    old = master.read_bytes()
    backups_before = set((master.parent / BACKUP_DIR).iterdir())
    proc = start(master, inbox, step)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert state(master, old) == ("new" if step == "replaced" else "old")
    assert lock_file(master).exists()  # the dead run's lock file is left behind (its lock
    # was released by the system with the process)...
    # ...its temporary files are never taken for a master or a return...
    temps = [n for n in leftovers(master.parent) if not n.endswith(".lock")]
    if step != "replaced":
        assert temps, "the killed save left its temporary file"
    incoming, problems = collect(master.parent)  # (the folder as an inbox, master and all)
    assert [i.name for i in incoming if i.name.startswith(".~cchc-")] == []
    assert temps == [] or {p.file for p in problems} >= set(temps)
    assert {p.code for p in problems if p.file in temps} <= {"file-temporary"}
    # ...every backup is whole, and the newest restores the old master byte for byte
    backups = set((master.parent / BACKUP_DIR).iterdir()) - backups_before
    for b in backups:
        assert b.read_bytes() == old
    if step in ("backed-up", "replaced"):
        assert len(backups) == 1
    # the next run takes the lock over, sweeps the dead run's files and finishes the job
    report = consolidate(master, inbox, now=dt.datetime(2021, 6, 20, 10),
                         as_of=dt.date(2021, 6, 30))
    assert leftovers(master.parent) == []
    assert plan_values(master, "status")["2.5"] == DONE
    if step == "replaced":
        assert report.changes == []  # already applied by the killed run
    else:
        assert [(c.code, c.new) for c in report.changes] == [("2.5", DONE)]
    newest = max((master.parent / BACKUP_DIR).iterdir(), key=lambda p: p.name)
    master.write_bytes(newest.read_bytes())  # restore the backup the run made
    assert state(master, old) in ("old", "new")


def test_killed_after_varied_delays(cycle):
    master, inbox = cycle
    old = master.read_bytes()
    t0 = time.perf_counter()
    proc = start(master, inbox)
    proc.stdout.readline()
    ready = time.perf_counter() - t0
    proc.communicate(timeout=120)
    whole = time.perf_counter() - t0
    assert proc.returncode == 0
    new = master.read_bytes()
    outcomes = []
    for fraction in (0.0, 0.15, 0.3, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 1.05):
        master.write_bytes(old)
        for f in master.parent.glob(".~cchc-*"):
            f.unlink()
        proc = start(master, inbox)
        proc.stdout.readline()  # imports done: the delay counts from the start of the work
        time.sleep(max(0.0, (whole - ready) * fraction))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=120)
        got = state(master, old)
        if got == "new":
            assert master.read_bytes() != old
        for b in (master.parent / BACKUP_DIR).iterdir():
            if b.name.startswith(TEMP_PREFIX):  # a backup killed while being copied: named
                assert TEMP_RE.match(b.name)  # for the next run's sweep, never a backup
                continue
            with zipfile.ZipFile(b) as zf:
                assert zf.testzip() is None
        outcomes.append(got)
    print(f"\nkilled after varied delays (run {whole:.2f} s): {outcomes}")
    assert set(outcomes) <= {"old", "new"}
    assert len(new) > 0


def test_a_file_written_atomically_is_old_or_new_never_half(tmp_path):
    """write_atomically (the report workbook, backups): a write that fails half-way leaves
    the old file as it was and no temporary file; one that succeeds replaces it whole."""
    from cchc_xl.files.open_save import write_atomically

    target = tmp_path / "bao-cao.xlsx"
    target.write_bytes(b"old")

    def half(name: str) -> None:
        with open(name, "wb") as fh:
            fh.write(b"ha")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, half)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.xlsx"]
    write_atomically(target, lambda name: Path(name).write_bytes(b"new"))
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.xlsx"]

"""The master as one unit of work: `with Master.open(path) as m:` holds it from load to save.

One writer at a time: an operating-system lock (portalocker: fcntl on Linux and macOS, the
Win32 lock on Windows) on `.~cchc-<master>.lock` beside the master, which the system itself
releases when a run dies, so a dead run's lock is never taken over by deleting a file. While a
run holds it, the file names the host, user, process and start time: a run from another PC of
a shared folder is named, and its lock is never taken over silently, even where the share
does not carry locks. Excel's `~$` and LibreOffice's `.~lock.…#` owner files are respected. A
second writer waits its turn (up to CCHC_LOCK_WAIT seconds, 30 by default), then is refused
with who holds the master. On release the file is removed (where the system allows removing
an open file); a waiting run that then holds a removed file's lock notices and tries again.

Within the unit of work the master is loaded once, its tables handed out, and saved atomically
with its backup and cached values (workbook_io.save), or not at all. A master reached through
a symbolic link is written through to its target; a read-only master is refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import time
from pathlib import Path

from ..files.open_save import MasterLocked, holders, load, save
from ..messages import Bilingual
from ..problems import ERROR, Problem

LOCK_WAIT_ENV = "CCHC_LOCK_WAIT"
LOCK_WAIT = 30.0  # seconds a writer waits for another to finish


def lock_file(path: Path) -> Path:
    return path.with_name(f".~cchc-{path.name}.lock")


class MasterReadOnly(PermissionError):
    """The master (or its folder) cannot be written: refused before anything is read."""

    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = str(path)
        self.problem = Problem("master-read-only", ERROR, file=str(path),
                               params={"path": str(path)})
        self.reason = Bilingual(self.problem.message("vi"), self.problem.message("en"))

    def __str__(self) -> str:
        return str(self.reason)


def _owner() -> dict:
    try:
        user = getpass.getuser()
    except Exception:  # (no user name: a service account, a container)
        user = ""
    return {"host": socket.gethostname(), "user": user, "pid": os.getpid(),
            "started": dt.datetime.now().replace(microsecond=0).isoformat()}


def read_owner(path: Path) -> dict | None:
    """Who holds (or, after a crash, held) the master, from its lock file."""
    try:
        data = json.loads(lock_file(path).read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def describe(owner: dict | None) -> str:
    if not owner:
        return ""
    return (f"{owner.get('user') or '?'}@{owner.get('host') or '?'}, tiến trình "
            f"{owner.get('pid')}, từ {owner.get('started')}")


class MasterLock:
    """The run lock of one master (see the module docstring)."""

    def __init__(self, path: Path, wait: float | None = None):
        self.path = path
        if wait is None:
            try:
                wait = float(os.environ.get(LOCK_WAIT_ENV, LOCK_WAIT))
            except ValueError:
                wait = LOCK_WAIT
        self.wait = wait
        self._fh = None

    def acquire(self) -> None:
        import portalocker

        held = holders(self.path)
        if held:
            raise MasterLocked(str(held[0]))
        target = lock_file(self.path)
        deadline = time.monotonic() + self.wait
        while True:
            fh = open(target, "a+", encoding="utf-8")  # (never truncated by a waiting run)
            try:
                portalocker.lock(fh, portalocker.LOCK_EX | portalocker.LOCK_NB)
            except portalocker.LockException:
                fh.close()
                if time.monotonic() >= deadline:
                    raise MasterLocked(self._holder_text()) from None
                time.sleep(0.05)
                continue
            try:
                same = os.path.samestat(os.fstat(fh.fileno()), os.stat(target))
            except FileNotFoundError:
                same = False
            if same:
                break
            portalocker.unlock(fh)  # (the file was removed by the run we waited for)
            fh.close()
        try:
            other = read_owner(self.path)
            if other and other.get("host") not in (None, socket.gethostname()):
                # a run on another PC (its lock may not reach us through the share)
                raise MasterLocked(self._holder_text(other))
            held = holders(self.path)
            if held:  # (opened while we waited)
                raise MasterLocked(str(held[0]))
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps(_owner(), ensure_ascii=False))
            fh.flush()
        except BaseException:
            portalocker.unlock(fh)
            fh.close()
            raise
        self._fh = fh

    def release(self) -> None:
        import portalocker

        fh, self._fh = self._fh, None
        if fh is None:
            return
        try:
            if os.name != "nt":  # (Windows keeps a file open elsewhere: it stays there)
                with contextlib.suppress(OSError):
                    os.unlink(lock_file(self.path))
            else:
                fh.seek(0)
                fh.truncate()
        finally:
            portalocker.unlock(fh)
            fh.close()

    def _holder_text(self, owner: dict | None = None) -> str:
        owner = owner if owner is not None else read_owner(self.path)
        text = str(lock_file(self.path))
        return f"{text} ({describe(owner)})" if owner else text

    def __enter__(self) -> MasterLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def target_of(path: str | Path) -> Path:
    """The file a master path names: a symbolic link is followed to the real master (which
    is then the one written, and backed up beside it)."""
    path = Path(path)
    return path.resolve() if path.is_symlink() else path


def writable(path: Path) -> bool:
    """The master and its folder can be written, and the file is not marked read-only (no
    write permission bit: what Windows' Read-only attribute becomes, and what an office sets
    to protect a finished year's master; refused even to an administrator)."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) and os.access(
        path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


class Master:
    """A master loaded for one unit of work: `wb` (openpyxl, with formulas), `view` (the
    plan, roster and settings as read), and save()."""

    def __init__(self, path: Path, wb, lock: MasterLock | None):
        self.path, self.wb, self.lock = path, wb, lock
        self._view = None

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: str | Path, *, write: bool = True, wait: float | None = None):
        """Hold the master (write) or only read it; yields a Master."""
        path = target_of(path)
        if write and path.exists() and not writable(path):
            raise MasterReadOnly(path)
        lock = MasterLock(path, wait) if write else None
        if lock is not None:
            lock.acquire()
        try:
            yield cls(path, load(path), lock)
        finally:
            if lock is not None:
                lock.release()

    @property
    def view(self):
        """The master as read (plan rows, roster, settings), read again after refresh()."""
        if self._view is None:
            from .reading import read_master

            self._view = read_master(self.wb)
        return self._view

    def refresh(self):
        self._view = None
        return self.view

    # The tables, read when asked for (each a small reader of its own module).
    def reports(self):
        from .officer_reports import read_reports

        return read_reports(self.wb)

    def rounds(self) -> list[dict]:
        from .rounds import issues

        return issues(self.wb)

    def received(self) -> list[dict]:
        from .rounds import received_files

        return received_files(self.wb)

    def log(self) -> list[dict]:
        """The change log's entries, oldest first ({column key: value} each)."""
        from .. import layout
        from .reading import read_table

        if layout.CHANGELOG.name not in self.wb.sheetnames:
            return []
        return [e for _, e in read_table(self.wb[layout.CHANGELOG.name], layout.CHANGELOG)]

    def save(self, *, backup: bool = True):
        """Saved atomically, backed up first, its formulas' values cached (workbook_io.save);
        only while this unit of work holds the master."""
        if self.lock is None:
            raise RuntimeError("a master opened to read is not saved")
        return save(self.wb, self.path, backup=backup)

"""Edit workbooks as a LibreOffice Calc user would, from tests: one headless soffice and one
UNO worker (tests/uno_worker.py, run by Debian's /usr/bin/python3) serve many jobs.

    with LibreOfficeUI() as ui:
        rows = ui.type_into(src, dst, {"I11": "100%", "I12": "45%"}, sheet=O, fmt="xlsx")
        rows[0]  # {"cell": "I11", "accepted": True, "value": 1.0, "string": "100%",
                 #  "format": "0%", "type": "VALUE", "locked": False, ...}
        ui.inspect(dst, ["I11"], sheet=O)

Typing goes through `.uno:EnterString` (ScViewFunc::EnterData, what the UI runs when a typed
cell is committed): input parsing in the profile's locale, the detected number format applied
to General cells, sheet protection enforced. Data validation is NOT applied by any path that
runs headless with Debian's libreoffice-calc-nogui: tests/uno_worker.py's docstring says why.

Use the session fixture `libreoffice_ui` (tests/fixture_libreoffice_ui.py) rather than
building one per test: starting soffice and the worker is the slow part.
"""

from __future__ import annotations

import atexit
import collections
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from cchc_xl.files.libreoffice import find_soffice

__all__ = ["LibreOfficeUI", "LibreOfficeUIError", "libreoffice_ui_available", "UNO_PYTHON"]

UNO_PYTHON = "/usr/bin/python3"  # Debian's python3-uno only serves the system interpreter
WORKER = Path(__file__).with_name("uno_worker.py")
_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" \
oor:op="fuse"><value>{locale}</value></prop></item>
</oor:items>
"""


class LibreOfficeUIError(RuntimeError):
    """soffice or the worker failed to start, a job failed, or a job timed out."""


@cache
def _uno_python_reason(python: str) -> str | None:
    if not os.path.isfile(python):
        return f"{python} not found (the UNO worker needs Debian's python3 with python3-uno)"
    try:
        proc = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{python} -c 'import uno' failed: {exc}"
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return f"{python} cannot import uno ({last}); apt-get install python3-uno"
    return None


def libreoffice_ui_available(python: str = UNO_PYTHON) -> str | None:
    """Why LibreOfficeUI cannot run here (no soffice, no python3 with uno), or None."""
    if find_soffice() is None:
        return "LibreOffice not found (apt-get install libreoffice-calc-nogui or set CCHC_SOFFICE)"
    return _uno_python_reason(python)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _group_members(pgid: int) -> list[int]:
    """PIDs in process group pgid (Linux /proc; empty elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and fields[2] == str(pgid):
            found.append(int(stat.parent.name))
    return found


def _stop_group(proc: subprocess.Popen | None, grace: float) -> None:
    """End the process group that proc leads (started with start_new_session=True): wait up to
    `grace` s for it to end by itself, then SIGKILL the other members first (so that the leader,
    e.g. soffice's launcher oosplash, reaps its soffice.bin instead of leaving it to init),
    then the whole group; reap proc."""
    if proc is None:
        return
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        others = [pid for pid in _group_members(proc.pid) if pid != proc.pid]
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            proc.wait(timeout=5 if others else 0)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers, whatever happened above
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _edit_list(edits: Mapping[str, str] | Iterable, sheet: str | None) -> list[dict]:
    """{"B2": "100%"} / [("B2", "100%"), ...] / [{"cell": "B2", "typed": "100%"}, ...]."""
    items = edits.items() if isinstance(edits, Mapping) else edits
    out = []
    for item in items:
        if isinstance(item, Mapping):
            edit = {"cell": item["cell"], "typed": str(item["typed"])}
            if item.get("sheet") is not None:
                edit["sheet"] = item["sheet"]
        else:
            cell, typed = item
            edit = {"cell": cell, "typed": str(typed)}
        if "sheet" not in edit and sheet is not None:
            edit["sheet"] = sheet
        out.append(edit)
    return out


class LibreOfficeUI:
    """One headless soffice (own throwaway profile, free port) plus one UNO worker.

    `startup_s` is how long soffice + worker took to become ready; `version` is
    LibreOffice's. Raises LibreOfficeUIError when either fails to start within
    `start_timeout` seconds (with the tail of their output)."""

    def __init__(
        self,
        *,
        soffice: str | None = None,
        python: str = UNO_PYTHON,
        locale: str = "en-US",
        start_timeout: float = 60.0,
        job_timeout: float = 120.0,
    ) -> None:
        self.job_timeout = job_timeout
        self.closed = False
        self._soffice: subprocess.Popen | None = None
        self._worker: subprocess.Popen | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=40)
        self._lock = threading.Lock()
        self._ready = False
        self.profile = Path(tempfile.mkdtemp(prefix="cchc-lo-ui-"))
        atexit.register(self.close)
        t0 = time.monotonic()
        try:
            self._start(soffice or find_soffice(), python, locale, start_timeout)
        except BaseException:
            self.close()
            raise
        self.startup_s = time.monotonic() - t0

    # -- start and stop ------------------------------------------------------------------
    def _start(self, soffice: str | None, python: str, locale: str, timeout: float) -> None:
        if soffice is None:
            raise LibreOfficeUIError("LibreOffice not found (soffice)")
        user = self.profile / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(
            _XCU.format(locale=locale), encoding="utf-8"
        )
        self.port = _free_port()
        self._log = self.profile / "soffice.log"
        cmd = [
            soffice,
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            f"--accept=socket,host=127.0.0.1,port={self.port};urp;",
        ]
        with open(self._log, "wb") as log:
            self._soffice = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "HOME": str(self.profile)},
                start_new_session=True,
            )
        self._worker = subprocess.Popen(
            [python, str(WORKER), "--port", str(self.port), "--timeout", str(timeout)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
            start_new_session=True,
        )
        for stream, sink in ((self._worker.stdout, self._lines.put), (self._worker.stderr, None)):
            threading.Thread(target=self._pump, args=(stream, sink), daemon=True).start()
        ready = self._read(timeout, starting=True)
        if not ready.get("ready"):
            raise LibreOfficeUIError(f"UNO worker could not connect: {ready.get('error')}")
        self.version = ready.get("version")
        self._ready = True

    def _pump(self, stream, sink) -> None:
        for line in stream:
            if sink is None:
                self._stderr.append(line.rstrip("\n"))
            else:
                sink(line)
        if sink is not None:
            sink(None)  # end of the worker's stdout

    def _tail(self) -> str:
        try:
            text = self._log.read_text(encoding="utf-8", errors="replace")
        except (OSError, AttributeError):
            text = ""
        lines = [ln for ln in text.splitlines() if ln.strip() and "javaldx" not in ln]
        parts = []
        if lines:
            parts.append("soffice: " + "\n".join(lines[-12:]))
        if self._stderr:
            parts.append("worker: " + "\n".join(list(self._stderr)[-12:]))
        return "\n".join(parts)

    def _read(self, timeout: float, *, starting: bool = False) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=0.1)
            except queue.Empty:
                line = ""
            if line is None:
                raise LibreOfficeUIError(f"the UNO worker ended unexpectedly\n{self._tail()}")
            if line.strip():
                return json.loads(line)
            if starting and self._soffice is not None and self._soffice.poll() is not None:
                rc = self._soffice.returncode
                raise LibreOfficeUIError(
                    f"soffice exited ({rc}) before accepting connections\n{self._tail()}"
                )
            if time.monotonic() > deadline:
                what = "start" if starting else "answer"
                raise LibreOfficeUIError(f"no {what} within {timeout:g} s\n{self._tail()}")

    def close(self) -> None:
        """End the worker and soffice (graceful, then SIGKILL of their process groups) and
        remove the profile. Idempotent."""
        if self.closed:
            return
        self.closed = True
        atexit.unregister(self.close)
        worker, office = self._worker, self._soffice
        said_quit = False
        if self._ready and worker is not None and worker.poll() is None:
            try:  # the worker answers, then ends soffice with Desktop.terminate()
                worker.stdin.write(json.dumps({"quit": True, "terminate": True}) + "\n")
                worker.stdin.flush()
                said_quit = True
            except (OSError, ValueError):
                pass
        _stop_group(worker, 10 if said_quit else 0)
        _stop_group(office, 10 if said_quit else 0)
        if worker is not None:
            for stream in (worker.stdin, worker.stdout, worker.stderr):
                try:
                    stream.close()
                except (OSError, ValueError):
                    pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> LibreOfficeUI:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        """PIDs of the processes started (soffice's launcher, the worker)."""
        return [p.pid for p in (self._soffice, self._worker) if p is not None]

    # -- jobs ------------------------------------------------------------------------------
    def _job(self, job: dict) -> dict:
        if self.closed:
            raise LibreOfficeUIError("LibreOfficeUI is closed")
        with self._lock:
            try:
                self._worker.stdin.write(json.dumps(job, ensure_ascii=False) + "\n")
                self._worker.stdin.flush()
                answer = self._read(self.job_timeout)
            except (OSError, LibreOfficeUIError) as exc:
                self._ready = False  # its state is unknown: kill, never reuse it
                self.close()
                raise LibreOfficeUIError(f"job failed, LibreOffice closed: {exc}") from exc
        if not answer.get("ok"):
            raise LibreOfficeUIError(f"{answer.get('error')}\n{answer.get('traceback', '')}")
        if answer.get("office_gone"):  # the job was done, then soffice died closing the file
            print(f"libreoffice_ui: LibreOffice went away after the job ({answer['office_gone']}"
                  f"); closed, the next job starts another", file=sys.stderr)
            self.close()
        return answer

    def type_into(
        self,
        src: str | os.PathLike[str],
        dst: str | os.PathLike[str],
        edits: Mapping[str, str] | Iterable,
        *,
        sheet: str | None = None,
        fmt: str | None = None,
        via: str = "dispatch",
    ) -> list[dict]:
        """Open src hidden, type each edit into its cell (in order), save to dst as fmt
        ("xlsx" or "ods"; default: dst's suffix) and close. One dict per edit: "cell",
        "typed", "accepted" (LibreOffice stored the input), "value", "string" (as
        displayed), "format" (number format code), "formula", "type", "locked",
        "sheet_protected", "validation" (when the cell has one), "reason" (when refused).

        edits: {"B2": "100%"}, [("B2", "100%"), ...] or [{"cell", "typed", "sheet"?}, ...].
        via="setFormula" types through the API instead (no protection, no format
        detection: see uno_worker.py)."""
        dst = Path(dst).resolve()
        fmt = fmt or dst.suffix.lstrip(".").lower()
        dst.parent.mkdir(parents=True, exist_ok=True)
        job = {
            "open": str(Path(src).resolve()),
            "edits": _edit_list(edits, sheet),
            "save": str(dst),
            "filter": fmt,
            "via": via,
        }
        if sheet is not None:
            job["sheet"] = sheet
        return self._job(job)["edits"]

    def inspect(
        self, path: str | os.PathLike[str], cells: Iterable[str], sheet: str | None = None
    ) -> list[dict]:
        """What LibreOffice reads from path's cells (same keys as type_into, no "typed")."""
        job = {"inspect": str(Path(path).resolve()), "cells": list(cells)}
        if sheet is not None:
            job["sheet"] = sheet
        return self._job(job)["cells"]

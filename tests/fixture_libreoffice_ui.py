"""Session fixture `libreoffice_ui`: one LibreOfficeUI (headless soffice + UNO worker) for the
whole test run, registered for every test by tests/conftest.py (pytest_plugins).

It skips with the reason when soffice or /usr/bin/python3 with `uno` is missing, and fails
instead on CI (CI=true), like the `soffice` fixture in conftest.py."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from libreoffice_ui import LibreOfficeUI, LibreOfficeUIError, libreoffice_ui_available

# pytest makes one fixture definition per module that imports the fixture, so a session
# fixture imported into two modules would start two LibreOffices: share one instead.
_shared: list = []  # [SelfHealing]


# What says that LibreOffice itself went away under a job (seen once in a CI run of the whole
# suite: "Binary URP bridge already disposed"), not that the job was wrong.
# What a job says when soffice died under it (a disposed bridge leaves its objects "illegal").
GONE = ("DisposedException", "ended unexpectedly", "LibreOffice closed", "is closed",
        "illegal object given")


def _remove_dead_locks(paths) -> None:
    """The owner files («.~lock.NAME#») the dead LibreOffice left beside the job's files: the
    new one would otherwise take them as another user's and refuse to open the file."""
    for path in paths:
        if isinstance(path, (str, os.PathLike)):
            path = Path(path)
            lock = path.with_name(f".~lock.{path.name}#")
            if lock.exists():
                print(f"libreoffice_ui: removed {lock.name}, left by the LibreOffice that "
                      "went away", file=sys.stderr)
                lock.unlink()


class SelfHealing:
    """The shared LibreOfficeUI, started again when soffice dies under a job (the job is
    then run again from the start in the new one, at most three times a session; said on
    stderr, never hidden). A job that LibreOffice answers with an error of its own is not
    retried."""

    def __init__(self):
        self.ui = LibreOfficeUI()
        self.restarts = 0

    def _again(self, method: str, *args, **kwargs):
        while True:
            if self.ui.closed:  # (it died after finishing its last job, which it said on stderr)
                self.ui = LibreOfficeUI()
            try:
                return getattr(self.ui, method)(*args, **kwargs)
            except LibreOfficeUIError as exc:
                if not any(sign in str(exc) for sign in GONE) or self.restarts >= 3:
                    raise
                self.restarts += 1
                print(f"\nlibreoffice_ui: LibreOffice went away ({str(exc)[:300]}); started "
                      f"again ({self.restarts}) and the job run again", file=sys.stderr)
                self.ui.close()
                _remove_dead_locks(args[:2])
                self.ui = LibreOfficeUI()

    def type_into(self, *args, **kwargs):
        return self._again("type_into", *args, **kwargs)

    def inspect(self, *args, **kwargs):
        return self._again("inspect", *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.ui, name)

    def close(self) -> None:
        self.ui.close()


@pytest.fixture(scope="session")
def libreoffice_ui() -> Iterator[SelfHealing]:
    reason = libreoffice_ui_available()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true, so this is a failure, not a skip")
        pytest.skip(reason)
    if not _shared or _shared[0].closed:
        _shared[:] = [SelfHealing()]
    ui = _shared[0]
    yield ui
    ui.close()

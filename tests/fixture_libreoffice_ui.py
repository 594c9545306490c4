"""Session fixture `libreoffice_ui`: one LibreOfficeUI (headless soffice + UNO worker) for the
whole test run, registered for every test by tests/conftest.py (pytest_plugins).

It skips with the reason when soffice or /usr/bin/python3 with `uno` is missing, and fails
instead on CI (CI=true), like the `soffice` fixture in conftest.py."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from libreoffice_ui import LibreOfficeUI, libreoffice_ui_available

# pytest makes one fixture definition per module that imports the fixture, so a session
# fixture imported into two modules would start two LibreOffices: share one instead.
_shared: list[LibreOfficeUI] = []


@pytest.fixture(scope="session")
def libreoffice_ui() -> Iterator[LibreOfficeUI]:
    reason = libreoffice_ui_available()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true, so this is a failure, not a skip")
        pytest.skip(reason)
    if not _shared or _shared[0].closed:
        _shared[:] = [LibreOfficeUI()]
    ui = _shared[0]
    yield ui
    ui.close()

"""Shared pytest fixtures."""

from __future__ import annotations

import os

import pytest

# The `libreoffice_ui` fixture: LibreOffice driven as a user types (tests/libreoffice_ui.py).
pytest_plugins = ("fixture_libreoffice_ui",)


@pytest.fixture
def soffice() -> str:
    """Path of LibreOffice's soffice; skips the test when it is missing, fails instead on CI."""
    from cchc_xl.files.libreoffice import find_soffice

    path = find_soffice()
    if path is None:
        reason = (
            "LibreOffice not found (apt-get install libreoffice-calc-nogui or set CCHC_SOFFICE)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true, so this is a failure, not a skip")
        pytest.skip(reason)
    return path

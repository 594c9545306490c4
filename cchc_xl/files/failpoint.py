"""Where a save can be made to fail on purpose, for the crash-safety tests: killed outright at
a named step, as a power cut would stop it, or with the disk full there."""

from __future__ import annotations

import os

FAILPOINT_ENV = "CCHC_XL_FAILPOINT"


def failpoint(step: str) -> None:
    """Crash-safety tests (tests/test_crash.py) set CCHC_XL_FAILPOINT to a step name to have
    this process killed outright at that step of a save, as a power cut would stop it, or to
    'enospc:<step>' to have the disk be full there (the error the system gives)."""
    chosen = os.environ.get(FAILPOINT_ENV)
    if chosen == step:
        import signal

        if hasattr(signal, "SIGKILL"):
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(137)
    if chosen == f"enospc:{step}":
        import errno

        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

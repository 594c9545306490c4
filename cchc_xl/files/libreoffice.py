"""Run LibreOffice headless: forced recalculation and conversion of workbooks and documents."""

from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "ConversionFailed",
    "LibreOfficeUnavailable",
    "convert",
    "find_soffice",
    "recalculate",
]

_DOCUMENTS = {".docx", ".doc", ".odt", ".rtf", ".fodt"}
_FRAME = re.compile(r"^\S*\(.*\)\[0x[0-9a-f]+\]$")  # "/usr/lib/...so(+0x37722)[0x7f...]"
_FLAGS = ["--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo"]
# 0 = always recalculate on load, 1 = never (LibreOffice's default for OOXML), 2 = ask.
_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" \
oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" \
oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"""


class LibreOfficeUnavailable(RuntimeError):
    """No soffice/libreoffice executable was found."""


class ConversionFailed(RuntimeError):
    """soffice ran but produced no output for some input, or timed out."""

    def __init__(self, message: str, inputs: list[Path], output: str = "") -> None:
        super().__init__(message)
        self.inputs = inputs
        self.output = output


def find_soffice() -> str | None:
    """Path of soffice/libreoffice (env CCHC_SOFFICE overrides; then PATH: soffice, libreoffice;
    then /usr/bin/soffice, /opt/libreoffice*/program/soffice, macOS
    /Applications/LibreOffice.app/Contents/MacOS/soffice, Windows Program Files), or None.

    A set but missing CCHC_SOFFICE gives None: an explicit choice is never silently replaced."""
    override = os.environ.get("CCHC_SOFFICE")
    if override:
        return override if os.path.isfile(override) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = ["/usr/bin/soffice", *sorted(glob.glob("/opt/libreoffice*/program/soffice"))]
    candidates.append("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    for var in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
        base = os.environ.get(var)
        if base:
            candidates.append(os.path.join(base, "LibreOffice", "program", "soffice.exe"))
    return next((c for c in candidates if os.path.isfile(c)), None)


def _convert_arg(fmt: str, inputs: list[Path]) -> str:
    if ":" in fmt:  # caller gave an explicit filter
        return fmt
    kinds = {p.suffix.lower() in _DOCUMENTS for p in inputs}
    if fmt == "pdf" and kinds == {False}:
        return "pdf:calc_pdf_Export"
    if fmt == "pdf" and kinds == {True}:
        return "pdf:writer_pdf_Export"
    if fmt == "xlsx":
        return "xlsx:Calc MS Excel 2007 XML"
    return fmt  # mixed kinds or other formats: let soffice pick the filter


def _tail(text: bytes, lines: int = 12) -> str:
    """Last lines of soffice output, without crash backtrace frames and the javaldx warning."""
    kept = [
        line
        for line in text.decode("utf-8", "replace").splitlines()
        if line.strip() and "javaldx" not in line and not _FRAME.match(line)
    ]
    return "\n".join(kept[-lines:])


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        if sys.platform == "win32":
            proc.kill()
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def convert(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    outdir: str | os.PathLike[str],
    fmt: str,
    *,
    recalc: bool = True,
    timeout: float = 300,
) -> list[Path]:
    """Convert each input file to `fmt` ("xlsx", "pdf", "ods", "docx", "csv"...) into outdir with
    ONE soffice process for all files, using a fresh throwaway profile in which recalculation on
    load is forced when recalc=True (and disabled when False). Returns outdir/<stem>.<ext> in
    input order. `fmt` may carry an explicit filter ("csv:Text - txt - csv (StarCalc):44,34,76").

    Outputs are written to a staging dir inside outdir and moved into place only when every
    input converted, so a failure never leaves stale or partial results behind.
    Raises LibreOfficeUnavailable, ConversionFailed, FileNotFoundError, ValueError."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    inputs = [Path(p).resolve() for p in paths]
    out = Path(outdir).resolve()
    fmt = fmt if ":" in fmt else fmt.lower()
    ext = fmt.split(":", 1)[0].lower()
    targets = [out / f"{p.stem}.{ext}" for p in inputs]
    for p in inputs:
        if not p.is_file():
            raise FileNotFoundError(p)
        if p.parent == out and p.suffix.lower() == f".{ext}":
            raise ValueError(f"converting {p.name} to {ext} in its own folder would overwrite it")
    if len(set(targets)) != len(targets):
        raise ValueError("two inputs share a file name stem; their outputs would collide")
    if not inputs:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeUnavailable("LibreOffice not found (install it or set CCHC_SOFFICE)")
    out.mkdir(parents=True, exist_ok=True)
    tmpdir = tempfile.TemporaryDirectory
    with (
        tmpdir(prefix="cchc-lo-profile-", ignore_cleanup_errors=True) as profile,
        tmpdir(prefix=".cchc-lo-", dir=out, ignore_cleanup_errors=True) as staging,
    ):
        user = Path(profile, "user")
        user.mkdir()
        xcu = _XCU.format(mode=0 if recalc else 1)
        (user / "registrymodifications.xcu").write_text(xcu, encoding="utf-8")
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", *_FLAGS]
        cmd += ["--convert-to", _convert_arg(fmt, inputs), "--outdir", staging]
        cmd += [str(p) for p in inputs]
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "HOME": profile},  # keep soffice out of the real home
            start_new_session=sys.platform != "win32",
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            stdout, stderr = proc.communicate()
            names = ", ".join(p.name for p in inputs)
            msg = f"soffice timed out after {timeout:g} s converting {names} to {ext}"
            err = ConversionFailed(f"{msg}\n{_tail(stderr)}", inputs, _tail(stdout + stderr))
            raise err from None
        staged = [Path(staging, t.name) for t in targets]
        failed = [p for p, s in zip(inputs, staged) if not s.is_file()]
        if failed:
            names = ", ".join(p.name for p in failed)
            msg = f"soffice (exit {proc.returncode}) produced no {ext} for {names}"
            detail = _tail(stderr) or _tail(stdout)
            raise ConversionFailed(f"{msg}\n{detail}", failed, _tail(stdout + stderr))
        for s, t in zip(staged, targets):
            os.replace(s, t)
    return targets


def recalculate(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    outdir: str | os.PathLike[str],
    *,
    timeout: float = 300,
) -> list[Path]:
    """convert(paths, outdir, "xlsx", recalc=True): xlsx copies whose formulas were recomputed."""
    return convert(paths, outdir, "xlsx", recalc=True, timeout=timeout)

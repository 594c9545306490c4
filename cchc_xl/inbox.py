"""The inbox folder: which files are returns to read, which are not, and why (nothing silent).

Limits, so that no file can exhaust time or memory: a file or an attachment above
MAX_FILE_BYTES, a package whose members would unpack to more than MAX_UNPACKED_BYTES, or a
member compressed more than MAX_RATIO times, is refused before it is parsed.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .problems import ERROR, INFO, WARNING, Problem

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
TEMP_PREFIXES = ("~$", ".~lock", ".~cchc-")
TEMP_SUFFIXES = (".tmp", ".temp", ".crdownload", ".part", "#")


@dataclass
class Incoming:
    """One workbook to read: from a file in the inbox or an attachment of a saved e-mail."""

    name: str  # as shown to the user: relative path, or "mail.eml › phieu.xlsx"
    data: bytes
    mtime: float
    digest: str = field(init=False)

    def __post_init__(self) -> None:
        self.digest = hashlib.sha256(self.data).hexdigest()


def _problem(code: str, name: str, severity: str = ERROR, **params) -> Problem:
    return Problem(code, severity, file=name, params={"file": name, **params})


def package_problem(data: bytes, name: str) -> Problem | None:
    """Why these bytes are not a workbook we may open, or None when they are."""
    if not data:
        return _problem("file-empty", name)
    if len(data) > MAX_FILE_BYTES:
        return _problem("file-too-large", name, size=len(data), limit=MAX_FILE_BYTES)
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            return _problem("file-encrypted", name)
        return _problem("file-old-xls", name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
            if total > MAX_UNPACKED_BYTES or worst > MAX_RATIO:
                return _problem("file-zip-bomb", name, size=total, ratio=round(worst))
            if "content.xml" in names and "mimetype" in names:
                return _problem("file-ods", name)
            if "xl/workbook.xml" not in names:
                return _problem("file-not-workbook", name)
            bad = zf.testzip()
            if bad is not None:
                return _problem("file-corrupt", name, reason=f"CRC {bad}")
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        return _problem("file-corrupt", name, reason=str(exc) or type(exc).__name__)
    return None


def collect(inbox: Path, *, skip: tuple[Path, ...] = ()) -> tuple[list[Incoming], list[Problem]]:
    """Every workbook in the inbox and its subfolders (and in saved .eml files), in name order,
    and a problem for every other file, so none is skipped silently."""
    incoming: list[Incoming] = []
    problems: list[Problem] = []
    skip_resolved = {p.resolve() for p in skip}
    if not inbox.is_dir():
        problems.append(_problem("inbox-missing", str(inbox)))
        return incoming, problems
    for folder, dirs, files in os.walk(inbox, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != "sao-luu")
        for filename in sorted(files):
            path = Path(folder) / filename
            name = str(path.relative_to(inbox))
            if path.resolve() in skip_resolved or path.is_symlink():
                continue
            lower = filename.lower()
            if filename.startswith(TEMP_PREFIXES) or lower.endswith(TEMP_SUFFIXES):
                problems.append(_problem("file-temporary", name, INFO))
                continue
            try:
                size = path.stat().st_size
                if size > MAX_FILE_BYTES and not lower.endswith(".eml"):
                    problems.append(_problem("file-too-large", name, size=size,
                                             limit=MAX_FILE_BYTES))
                    continue
                if lower.endswith(WORKBOOK_SUFFIXES):
                    incoming.append(Incoming(name, path.read_bytes(), path.stat().st_mtime))
                elif lower.endswith(".eml"):
                    _collect_eml(path, name, incoming, problems)
                elif lower.endswith(".xls"):
                    problems.append(_problem("file-old-xls", name))
                elif lower.endswith(".ods"):
                    problems.append(_problem("file-ods", name))
                else:
                    problems.append(_problem("file-not-workbook", name, WARNING))
            except OSError as exc:
                problems.append(_problem("file-corrupt", name, reason=exc.strerror or str(exc)))
    return incoming, problems


def _collect_eml(path: Path, name: str, incoming: list[Incoming],
                 problems: list[Problem]) -> None:
    if path.stat().st_size > 4 * MAX_FILE_BYTES:
        problems.append(_problem("file-too-large", name, size=path.stat().st_size,
                                 limit=4 * MAX_FILE_BYTES))
        return
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    found = 0
    for part in message.walk():
        filename = part.get_filename() or ""
        if not filename.lower().endswith(WORKBOOK_SUFFIXES) or part.is_multipart():
            continue
        data = part.get_payload(decode=True) or b""
        found += 1
        safe = Path(filename.replace("\\", "/")).name  # never a path from the mail
        incoming.append(Incoming(f"{name} › {safe}", data, path.stat().st_mtime))
    if not found:
        problems.append(_problem("eml-no-workbook", name, WARNING))

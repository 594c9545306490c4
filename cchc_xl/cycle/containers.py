"""Saved e-mails (.eml) and .zip archives in the inbox: the workbooks they hold are listed,
never held (each is read out of its container when its turn comes, one at a time), and what
they hold that is not a return is one problem per container, however many files it is.

A workbook's `source` (incoming.Incoming) is (the container file's size and time when listed,
steps): each step takes one thing out of the bytes before it, ("mime", start, end, encoding)
an attachment, ("zip", name, offset, compressed size, size, CRC, method, flags) a member; the
last gives the workbook. The container last opened is kept for the next workbook in it (one
only, dropped by forget()), so an archive of a thousand returns is read once."""

from __future__ import annotations

import io
import unicodedata
import zipfile
import zlib
from pathlib import Path

from ..problems import WARNING, Problem
from . import incoming as incoming_module
from . import mime
from .incoming import (
    ARCHIVE,
    ARCHIVE_SUFFIXES,
    EMAIL,
    MAX_CONTAINER_BYTES,
    MAX_FILE_BYTES,
    MAX_RATIO,
    WORKBOOK_SUFFIXES,
    Incoming,
    Refused,
    file_problem,
    is_temporary,
    not_read,
    not_read_code,
    read_regular,
    zip_reason,
)
from .officer_input import shown

MAX_ARCHIVE_WORKBOOKS = 5000  # returns in one archive (a province sends about a thousand)
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError)
Where = tuple  # (the container's path, its (size, mtime_ns) when read for the listing)


def list_eml(data: bytes, name: str, mtime: float, where: Where, incoming: list[Incoming],
             problems: list[Problem]) -> None:
    """The workbooks attached to a saved e-mail (and those in an attached .zip); an old
    Excel file or another archive attached is named in one problem for the e-mail; a
    signature, a logo, a note are no returns and pass silently."""
    try:
        found = mime.attachments(data)
    except mime.TooComplex as exc:
        problems.append(file_problem("eml-too-complex", name, reason=exc.args[0]))
        return
    except Exception as exc:  # (the e-mail package's header parser, on what it cannot read)
        problems.append(file_problem("file-corrupt", name, reason=str(exc) or type(exc).__name__))
        return
    count, passed = 0, []
    for part in found:
        lower = part.filename.lower()
        safe = shown(Path(part.filename.replace("\\", "/")).name, 255)  # never a path from it
        if lower.endswith((".xls", ".xlsb", *ARCHIVE_SUFFIXES)):  # a return, unreadable as sent
            count += 1
            passed.append((safe, f"{name} › {safe}", not_read_code(safe), {}))
            continue
        if not lower.endswith((*WORKBOOK_SUFFIXES, ".zip")):
            continue  # (a signature, a logo, a note: not a return)
        count += 1
        step = ("mime", part.start, part.end, part.encoding)
        inner = f"{name} › {safe}"
        if not lower.endswith(".zip"):
            incoming.append(Incoming(inner, mtime=mtime, path=where[0],
                                     source=(where[1], (step,)), extract=member_bytes))
            continue
        try:
            attached = _extract(data, step, MAX_CONTAINER_BYTES)
        except Refused as exc:
            problems.append(file_problem(exc.code, inner, exc.severity, **exc.params))
            continue
        list_zip(attached, inner, mtime, where, incoming, problems, steps=(step,))
    problems.extend(not_read(name, EMAIL, passed))
    if not count:
        problems.append(file_problem("eml-no-workbook", name, WARNING))


def list_zip(data: bytes, name: str, mtime: float, where: Where, incoming: list[Incoming],
             problems: list[Problem], *, steps: tuple = (), budget: int | None = None) -> None:
    """The workbooks in a .zip archive (several returns sent as one compressed file: in the
    inbox, attached to an e-mail, or within another archive, one level of those), each as
    '<archive> › <its path in the archive>', within a file's limits; every other member
    named in one problem for the archive. steps: how these bytes came out of the file (none:
    they are the file). budget: what the archive may unpack to (MAX_ARCHIVE_UNPACKED_BYTES;
    an archive within one gets what its own members leave of it)."""
    top = budget is None
    budget = incoming_module.MAX_ARCHIVE_UNPACKED_BYTES if top else budget
    found = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [i for i in zf.infolist() if not i.is_dir()]
            names = {i.filename for i in members}
            if "xl/workbook.xml" in names or {"content.xml", "mimetype"} <= names:
                incoming.append(_workbook(name, mtime, where, steps))  # a workbook renamed .zip
                return
            if any(i.flag_bits & 0x1 for i in members):
                problems.append(file_problem("file-encrypted", name))
                return
            total = sum(i.file_size for i in members)
            if total > budget:  # (each member within limits, not all of them)
                problems.append(file_problem("file-zip-bomb", name, size=total,
                                         ratio=round(total / max(len(data), 1))))
                return
            workbooks = sum(1 for i in members if i.filename.lower().endswith(WORKBOOK_SUFFIXES))
            if workbooks > MAX_ARCHIVE_WORKBOOKS:
                problems.append(file_problem("zip-too-many-workbooks", name, count=workbooks,
                                         limit=MAX_ARCHIVE_WORKBOOKS))
                return
            passed = []
            for info in sorted(members, key=lambda i: i.filename):
                path_inside = _member_name(info)
                inner = shown(f"{name} › {path_inside}", 255)
                base = path_inside.rsplit("/", 1)[-1]
                lower = base.lower()
                if info.filename.startswith("__MACOSX/") or is_temporary(base):
                    passed.append((path_inside, inner, "file-temporary", {}))
                    continue
                nested = lower.endswith(".zip") and top
                if not lower.endswith(WORKBOOK_SUFFIXES) and not nested:
                    passed.append((path_inside, inner, not_read_code(base), {}))
                    continue
                found += 1
                limit = MAX_CONTAINER_BYTES if nested else MAX_FILE_BYTES
                if info.file_size > limit:
                    problems.append(file_problem("file-too-large", inner, size=info.file_size,
                                             limit=limit))
                    continue
                if not nested and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    problems.append(file_problem(
                        "file-zip-bomb", inner, size=info.file_size,
                        ratio=round(info.file_size / max(info.compress_size, 1))))
                    continue
                step = ("zip", info.filename, info.header_offset, info.compress_size,
                        info.file_size, info.CRC, info.compress_type, info.flag_bits)
                if not nested:
                    incoming.append(_workbook(inner, mtime, where, (*steps, step)))
                    continue
                try:  # (its own members are checked as these are)
                    member = _extract(data, step, MAX_CONTAINER_BYTES)
                except Refused as exc:  # this member damaged: the others still read
                    problems.append(file_problem(exc.code, inner, exc.severity, **exc.params))
                    continue
                list_zip(member, inner, mtime, where, incoming, problems,
                         steps=(*steps, step), budget=budget - total)
            problems.extend(not_read(name, ARCHIVE, passed))
    except _ZIP_ERRORS as exc:
        problems.append(file_problem("file-corrupt", name, reason=zip_reason(exc)))
        return
    if not found:
        problems.append(file_problem("zip-no-workbook", name, WARNING))


def _workbook(name: str, mtime: float, where: Where, steps: tuple) -> Incoming:
    if not steps:  # the container file itself
        return Incoming(name, mtime=mtime, path=where[0])
    return Incoming(name, mtime=mtime, path=where[0], source=(where[1], steps),
                    extract=member_bytes)


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's path in its archive as its writer meant it: a name without the UTF-8 flag
    is UTF-8 when it decodes as such (macOS, 7-Zip), else Vietnamese Windows' code page
    (cp1258: what Explorer's 'Send to › Compressed folder' writes there); NFC either way."""
    text = info.filename
    if not info.flag_bits & 0x800 and not text.isascii():
        raw = text.encode("cp437")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1258", "replace")
    return unicodedata.normalize("NFC", text.replace("\\", "/").strip("/"))


# --- reading a workbook out of its container ----------------------------------------------

_held: tuple | None = None  # (key, bytes) of the container last opened


def member_bytes(path: Path, source: tuple) -> bytes:
    """The bytes of the workbook `source` locates in the file at `path`: Refused when the
    file has changed since it was listed, or the workbook is damaged or too large; OSError
    when the file cannot be read."""
    global _held
    listed, steps = source
    key = (str(path), tuple(listed), steps[:-1])
    if _held is not None and _held[0] == key:
        container = _held[1]
    else:
        _held = None  # (the last one let go before the next is read)
        container = read_regular(path, MAX_CONTAINER_BYTES, listed=listed)[0]
        for step in steps[:-1]:
            container = _extract(container, step, MAX_CONTAINER_BYTES)
        _held = (key, container)
    return _extract(container, steps[-1], MAX_FILE_BYTES)


def forget() -> None:
    """Let go of the container kept for its next workbook."""
    global _held
    _held = None


def _extract(data: bytes, step: tuple, limit: int) -> bytes:
    """What one step takes out of `data` (an attachment decoded, a member inflated and its
    CRC checked), at most `limit` bytes: Refused otherwise."""
    try:
        if step[0] == "mime":
            out = mime.decode(data, step)
        else:
            out = _inflate(data, step, limit)
    except Refused:
        raise
    except _ZIP_ERRORS as exc:
        raise Refused("file-corrupt", reason=zip_reason(exc)) from None
    if len(out) > limit:
        raise Refused("file-too-large", size=len(out), limit=limit)
    return out


def _inflate(data: bytes, step: tuple, limit: int) -> bytes:
    _, filename, offset, compressed, size, crc, method, _ = step
    if size > limit:
        raise Refused("file-too-large", size=size, limit=limit)
    header = data[offset:offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local file header: {filename}")
    start = offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(
        header[28:30], "little")
    raw = data[start:start + compressed]
    if len(raw) != compressed:
        raise zipfile.BadZipFile(f"cut short: {filename}")
    if method == zipfile.ZIP_STORED:
        out = raw
    elif method == zipfile.ZIP_DEFLATED:
        out = zlib.decompressobj(-15).decompress(raw, size + 1)
    else:  # (bzip2, lzma: rare; zipfile knows them)
        with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open(filename) as fh:
            out = fh.read(size + 1)
    if len(out) != size or zlib.crc32(out) != crc:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {filename!r}")
    return out


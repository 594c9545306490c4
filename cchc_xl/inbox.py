"""The inbox folder: which files are returns to read, which are not, and why (nothing silent).

Workbooks are also read out of saved e-mails (.eml) and .zip archives, without writing them to
the disk; other archives (.rar, .7z, …) are reported, to be extracted by hand.

Limits, so that no file can exhaust time or memory: an e-mail or an archive above
MAX_CONTAINER_BYTES (or unpacking to more than MAX_ARCHIVE_UNPACKED_BYTES), a file, an
attachment or an archived workbook above MAX_FILE_BYTES (or compressed more than MAX_RATIO
times), a package whose members would unpack to more than MAX_UNPACKED_BYTES, or a member
compressed more than MAX_RATIO times, is refused before it is parsed; so is a part that is
read whole into memory (shared strings, styles, an .ods content.xml) above MAX_PART_BYTES, and
any XML part that declares a DTD or entities (Excel never writes one). Worksheets are read
streaming, at most returns.MAX_ROWS rows.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

from .messages import Bilingual
from .problems import ERROR, INFO, WARNING, Problem
from .values import shown, shown_params

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_PART_BYTES = 32 * 1024 * 1024
STREAM_ABOVE = 1024 * 1024  # parts larger than this are checked in chunks of this size
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
CONTAINER_SUFFIXES = (".eml", ".zip")  # opened for the workbooks they hold
MAX_CONTAINER_BYTES = 4 * MAX_FILE_BYTES
MAX_ARCHIVE_UNPACKED_BYTES = MAX_UNPACKED_BYTES  # all the workbooks of one archive
ARCHIVE_SUFFIXES = (".rar", ".7z", ".tar", ".gz", ".tgz")  # compressed files only opened by hand
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
# "._name" is the resource fork a Mac writes beside a file on a USB stick or a share.
TEMP_PREFIXES = ("~$", ".~lock", ".~cchc-", "._")
TEMP_SUFFIXES = (".tmp", ".temp", ".crdownload", ".part", "#")
SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}
# What a file that is not a spreadsheet really is, by its first bytes (for the message).
MAGIC_KINDS = ((b"%PDF", Bilingual("PDF", "a PDF file")),
               (b"\x89PNG", Bilingual("ảnh PNG", "a PNG picture")),
               (b"\xff\xd8\xff", Bilingual("ảnh JPEG", "a JPEG picture")),
               (b"GIF8", Bilingual("ảnh GIF", "a GIF picture")),
               (b"{\\rtf", Bilingual("văn bản RTF", "an RTF document")),
               (b"Rar!", Bilingual("tệp nén RAR", "a RAR archive")),
               (b"7z\xbc\xaf", Bilingual("tệp nén 7z", "a 7z archive")))
# Zip packages of other programs, by a part they always hold.
ZIP_KINDS = (("word/document.xml", Bilingual("văn bản Word (.docx)", "a Word document (.docx)")),
             ("ppt/presentation.xml", Bilingual("bản trình chiếu PowerPoint (.pptx)",
                                                "a PowerPoint presentation (.pptx)")))
# Parts read whole into memory by the readers (worksheets are streamed instead).
WHOLE_PARTS = ("xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml", "content.xml",
               "styles.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml")


class Incoming:
    """One workbook to read: from a file in the inbox or an attachment of a saved e-mail.

    A file is read once, where it is opened (on whichever core reads it), and its digest is
    that of the very bytes read: a province's thousand returns are never all in memory, and
    listing the inbox costs nothing. An attachment holds its bytes (and its digest) at once."""

    __slots__ = ("name", "mtime", "digest", "path", "_data")

    def __init__(self, name: str, data: bytes | None = None, mtime: float = 0.0, *,
                 path: Path | None = None):
        self.name, self.mtime, self.path = name, mtime, path  # name: relative path, or
        # "mail.eml › phieu.xlsx", as shown to the user
        if data is None and path is None:
            raise ValueError("an Incoming needs its bytes or its file")
        self._data = data
        self.digest = hashlib.sha256(data).hexdigest() if data is not None else None

    @property
    def data(self) -> bytes:
        return self._data if self._data is not None else self.loaded()._data

    def loaded(self) -> Incoming:
        """This workbook with its bytes in memory (read once, for everything that opens it),
        its digest set here too; OSError when the file cannot be read."""
        if self._data is not None:
            return self
        held = Incoming.__new__(Incoming)
        held.name, held.mtime, held.path = self.name, self.mtime, None
        with open(self.path, "rb", buffering=0) as fh:  # (no buffer: read whole at once)
            held._data = fh.readall()
        held.digest = self.digest = hashlib.sha256(held._data).hexdigest()
        return held

    def __getstate__(self):
        return {k: getattr(self, k) for k in self.__slots__}

    def __setstate__(self, state) -> None:
        for k, v in state.items():
            setattr(self, k, v)

    def __repr__(self) -> str:
        return f"Incoming({self.name!r}, digest={(self.digest or '?')[:12]})"


def _problem(code: str, name: str, severity: str = ERROR, **params) -> Problem:
    return Problem(code, severity, file=name, params=shown_params({"file": name, **params}))


class Unpacked:
    """A package that passed package_problem: its members, and the small parts inflated (and
    CRC-checked) on the way, so that a reader need not unzip them again."""

    __slots__ = ("infos", "parts")

    def __init__(self, infos: list[zipfile.ZipInfo], parts: dict[str, bytes]):
        self.infos, self.parts = infos, parts


KEEP_PARTS_BYTES = 4 * 1024 * 1024  # at most this much inflated is handed on


def package_problem(data: bytes, name: str) -> Problem | None:
    """Why these bytes are not a workbook we may open, or None when they are (an .xlsx,
    .xlsm or .ods package within the limits)."""
    got = unpack(data, name)
    return got if isinstance(got, Problem) else None


def unpack(data: bytes, name: str) -> Problem | Unpacked:
    """package_problem's verdict; for a sound package, what it unzipped."""
    if not data:
        return _problem("file-empty", name)
    if len(data) > MAX_FILE_BYTES:
        return _problem("file-too-large", name, size=len(data), limit=MAX_FILE_BYTES)
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            return _problem("file-encrypted", name)
        return _problem("file-old-xls", name)
    if not data.startswith(b"PK"):
        return _problem("file-renamed", name, kind=_kind(data))
    members = _directory(data)
    if members is not None:  # a plain zip: its directory read without zipfile's objects
        try:
            return _checked(data, name, members, None)
        except Exception:  # (_NeedsZipFile, or anything unforeseen): zipfile decides
            pass
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _checked(data, name, zf.infolist(), zf)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError,
            NotImplementedError) as exc:
        return _problem("file-corrupt", name, reason=_reason(exc))


def _checked(data: bytes, name: str, infos: list, zf: zipfile.ZipFile | None
             ) -> Problem | Unpacked:
    """unpack's verdict on a package's members (zf: the open ZipFile, None for members read
    by _directory: _NeedsZipFile is raised where only zipfile can go on)."""
    if any(i.flag_bits & 0x1 for i in infos):  # a member under a zip password
        return _problem("file-encrypted", name)
    names = {i.filename for i in infos}
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
    if total > MAX_UNPACKED_BYTES or worst > MAX_RATIO:
        return _problem("file-zip-bomb", name, size=total, ratio=round(worst))
    for info in infos:
        if info.filename in WHOLE_PARTS and info.file_size > MAX_PART_BYTES:
            return _problem("file-too-large", name, size=info.file_size,
                            limit=MAX_PART_BYTES)
    ods = "content.xml" in names and "mimetype" in names
    if not ods and "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            return _problem("file-xlsb", name)
        kind = next((k for part, k in ZIP_KINDS if part in names), None)
        if kind:
            return _problem("file-renamed", name, kind=kind)
        return _problem("file-not-workbook", name)
    # One pass: every part inflated once, its CRC checked (what testzip does) and,
    # for XML, its prolog looked at; a damaged part is reported before an unsafe one.
    unsafe = None
    parts: dict[str, bytes] = {}
    kept = 0
    for info in infos:
        try:
            whole = _inflate_checked(zf, info, data)
        except zipfile.BadZipFile:
            return _problem("file-corrupt", name, reason=f"CRC {info.filename}")
        if unsafe is None and info.filename.endswith((".xml", ".rels", ".vml")) and (
                _declares_dtd(whole)):
            unsafe = info.filename
        if len(whole) == info.file_size and kept + len(whole) <= KEEP_PARTS_BYTES:
            parts[info.filename] = whole
            kept += len(whole)
    if unsafe is not None:
        return _problem("file-unsafe-xml", name, part=unsafe)
    return Unpacked(infos, parts)


class _NeedsZipFile(Exception):
    """A member that only zipfile reads (large, unusual or damaged): the package is checked
    again through zipfile, for its own verdict."""


class Member:
    """What the readers use of a zipfile.ZipInfo, for a member of a plain zip (_directory)."""

    __slots__ = ("filename", "orig_filename", "flag_bits", "compress_type", "CRC",
                 "compress_size", "file_size", "header_offset")


_END = struct.Struct("<4s4H2LH")  # zipfile.structEndArchive
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile.structCentralDir


def _directory(data: bytes) -> list[Member] | None:
    """The members of a zip as zipfile lists them (the attributes the readers use), read
    straight from its central directory (≈ 1.7× faster than zipfile for a dozen
    parts); None for anything but the plain zips Excel, LibreOffice and XlsxWriter write (no
    archive or member comment, no extra fields, no Zip64, nothing before the archive, the
    directory just before its end record): zipfile reads those, with its own verdict."""
    end = len(data) - _END.size
    if end < 0 or data[end:end + 4] != b"PK\x05\x06" or data[-2:] != b"\x00\x00" or (
            data[end - 20:end - 16] == b"PK\x06\x07"):
        return None
    _, disk, disk_dir, here, entries, size, offset, _ = _END.unpack_from(data, end)
    if disk or disk_dir or here != entries or offset + size != end:
        return None
    members, at, unpack_from, sep = [], offset, _CENTRAL.unpack_from, os.sep
    while at < end:
        if at + _CENTRAL.size > end:
            return None
        (signature, _, _, version, _, flags, method, _, _, crc, compressed, size,
         name_length, extra_length, comment_length, _, _, _, local) = unpack_from(data, at)
        start = at + _CENTRAL.size
        at = start + name_length
        if (signature != b"PK\x01\x02" or extra_length or comment_length or at > end
                or version > zipfile.MAX_EXTRACT_VERSION):
            return None
        try:
            filename = data[start:at].decode("utf-8" if flags & 0x800 else "cp437")
        except UnicodeDecodeError:
            return None
        if "\x00" in filename or (sep != "/" and sep in filename):
            return None  # (names zipfile rewrites)
        member = Member()
        member.filename = member.orig_filename = filename
        member.flag_bits, member.compress_type, member.CRC = flags, method, crc
        member.compress_size, member.file_size, member.header_offset = compressed, size, local
        members.append(member)
    return members if at == end and len(members) == entries else None


def _kind(data: bytes) -> str:
    for magic, kind in MAGIC_KINDS:
        if data.startswith(magic):
            return kind
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")):
        return Bilingual("trang HTML", "a web page (HTML)")
    if head.startswith(b"<?xml"):
        return Bilingual("tệp XML", "an XML file")
    return Bilingual("tệp văn bản hoặc dữ liệu khác", "text or other data")


def _reason(exc: Exception) -> str:
    """A damaged zip's reason in plain words (the technical text after the dash)."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return Bilingual(f"tệp bị cắt cụt hoặc hỏng cấu trúc zip – {text}",
                         f"the file is cut short or its zip structure is damaged – {text}")
    if isinstance(exc, NotImplementedError):
        return Bilingual(f"kiểu nén không hỗ trợ – {text}",
                         f"a compression method that is not supported – {text}")
    return text


def _inflate_checked(zf: zipfile.ZipFile | None, info, data: bytes) -> bytes:
    """Inflate a part to its end, so that its CRC is checked (BadZipFile if it is wrong), and
    return it: whole when small, else its first 4 KiB (a large part, a padded sheet, is read
    in chunks, so memory stays bounded)."""
    if info.file_size <= STREAM_ABOVE:
        plain = _inflate_plain(info, data)
        if plain is not None:
            return plain
    if zf is None:
        raise _NeedsZipFile(info.filename)
    if info.file_size <= STREAM_ABOVE:
        return zf.read(info)
    with zf.open(info) as fh:
        head = fh.read(4096)
        while fh.read(STREAM_ABOVE):
            pass
    return head


def _declares_dtd(part: bytes) -> bool:
    """An XML part whose prolog (its first 4 KiB) declares a DTD or an entity (the way to
    billion-laughs and external-entity attacks). A part kept in _VERIFIED is looked at once."""
    if id(part) in _NO_DTD:
        return False
    if part[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in part[:8]:
        head = part[:4096].decode("utf-16", "ignore").encode("utf-8", "ignore")
    elif part.find(b"<!", 0, 4096) >= 0:  # every declaration starts so (most parts: none)
        head = part[:4096]
    else:
        head = b""
    if b"<!" in head:
        head = head.upper()
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            return True
    if id(part) in _KEPT:  # alive for good, so its id is never another part's
        _NO_DTD.add(id(part))
    return False


def collect(inbox: Path, *, skip: tuple[Path, ...] = ()) -> tuple[list[Incoming], list[Problem]]:
    """Every workbook in the inbox and its subfolders (and in saved .eml files), in name order,
    and a problem for every other file, so none is skipped silently. Each folder is listed
    once (os.scandir): a province's thousand returns cost one stat each. `skip`: the master;
    an inbox holding it is refused whole (the workbooks issued, the reports and the plan
    beside a master would be read as returns: an officer who never answered would count as
    having returned an unchanged workbook)."""
    incoming: list[Incoming] = []
    problems: list[Problem] = []
    skip_resolved = {p.resolve() for p in skip}
    if not inbox.is_dir():
        problems.append(_problem("inbox-missing", str(inbox)))
        return incoming, problems
    root = inbox.resolve()
    inside = [p for p in skip_resolved if root in p.parents]
    if inside:  # the master's own folder: its outbox, reports and backups are no returns
        problems.append(_problem("inbox-holds-master", str(root), master=inside[0].name))
        return incoming, problems
    _collect_folder(inbox, "", skip_resolved, incoming, problems)
    return incoming, problems


def _collect_folder(folder: Path, prefix: str, skip: set, incoming: list[Incoming],
                    problems: list[Problem]) -> None:
    """collect() of one folder (`prefix`: its path under the inbox, shown in names): its files
    in name order, then its subfolders' (the backups folder is not a return; a symbolic link,
    to a file or a folder, is reported and never followed)."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:  # no permission, a share gone offline, …: its returns unread
        shown_name = shown(prefix.rstrip(os.sep), 255) if prefix else str(folder)
        problems.append(_problem("folder-unreadable", shown_name,
                                 reason=exc.strerror or type(exc).__name__))
        return
    folders = []
    for entry in entries:
        try:
            if entry.is_dir() and not entry.is_symlink():
                if entry.name != "sao-luu":
                    folders.append(entry)
                continue
        except OSError:
            pass
        filename = entry.name
        path = folder / filename
        name = shown(prefix + filename, 255)  # shown only; never a path
        if entry.is_symlink():  # never followed: it may point outside the inbox
            problems.append(_problem("file-symlink", name, INFO))
            continue
        if skip and path.resolve() in skip:
            continue
        lower = filename.lower()
        if _temporary(filename):
            problems.append(_problem("file-temporary", name, INFO))
            continue
        try:
            stat = entry.stat()
            limit = MAX_CONTAINER_BYTES if lower.endswith(CONTAINER_SUFFIXES) else MAX_FILE_BYTES
            if stat.st_size > limit:
                problems.append(_problem("file-too-large", name, size=stat.st_size,
                                         limit=limit))
                continue
            if lower.endswith(WORKBOOK_SUFFIXES):
                incoming.append(Incoming(name, mtime=stat.st_mtime, path=path))
            elif lower.endswith(".eml"):
                _collect_eml(path.read_bytes(), name, stat.st_mtime, incoming, problems)
            elif lower.endswith(".zip"):
                _zip_workbooks(path.read_bytes(), name, stat.st_mtime, incoming, problems)
            else:
                problems.append(_not_a_workbook(name))
        except FileNotFoundError:  # gone between the listing and its stat
            problems.append(_problem("file-vanished", name))
        except OSError as exc:
            problems.append(_problem("file-corrupt", name, reason=exc.strerror or str(exc)))
    for entry in folders:
        _collect_folder(folder / entry.name, f"{prefix}{entry.name}{os.sep}", skip, incoming,
                        problems)


def _temporary(filename: str) -> bool:
    """A lock, temporary or system file (Excel's, LibreOffice's, a browser's, a Mac's)."""
    lower = filename.lower()
    return (filename.startswith(TEMP_PREFIXES) or lower.endswith(TEMP_SUFFIXES)
            or lower in SYSTEM_FILES)


def _not_a_workbook(name: str) -> Problem:
    """Why a file (or an archive's member) that is no .xlsx, .xlsm or .ods is not read, by
    its name: an old or binary Excel file and an archive get what to do about them."""
    lower = name.lower()
    if lower.endswith((*ARCHIVE_SUFFIXES, ".zip")):  # (a .zip here: nested too deep)
        return _problem("archive-unsupported", name, WARNING)
    if lower.endswith(".xls"):
        return _problem("file-old-xls", name)
    if lower.endswith(".xlsb"):
        return _problem("file-xlsb", name)
    return _problem("file-not-workbook", name, WARNING)


def _collect_eml(data: bytes, name: str, mtime: float, incoming: list[Incoming],
                 problems: list[Problem]) -> None:
    """The workbooks attached to a saved e-mail (and those in an attached .zip)."""
    import email
    import email.policy  # only for saved messages: ≈ 40 ms to import

    message = email.message_from_bytes(data, policy=email.policy.default)
    found = 0
    for part in message.walk():
        filename = part.get_filename() or ""
        lower = filename.lower()
        if part.is_multipart():
            continue
        safe = shown(Path(filename.replace("\\", "/")).name, 255)  # never a path from the mail
        if lower.endswith((".xls", ".xlsb", *ARCHIVE_SUFFIXES)):  # a return, unreadable as sent
            found += 1
            problems.append(_not_a_workbook(f"{name} › {safe}"))
            continue
        if not lower.endswith((*WORKBOOK_SUFFIXES, ".zip")):
            continue  # (a signature, a logo, a note: not a return)
        attached = part.get_payload(decode=True) or b""
        found += 1
        if lower.endswith(".zip"):
            _zip_workbooks(attached, f"{name} › {safe}", mtime, incoming, problems)
        else:
            incoming.append(Incoming(f"{name} › {safe}", attached, mtime))
    if not found:
        problems.append(_problem("eml-no-workbook", name, WARNING))


def _zip_workbooks(data: bytes, name: str, mtime: float, incoming: list[Incoming],
                   problems: list[Problem], budget: int | None = None) -> None:
    """The workbooks in a .zip archive (several returns sent as one compressed file: in the
    inbox, attached to an e-mail, or within another archive, one level of those), each as
    '<archive> › <its path in the archive>', read whole in memory (an archive is never
    unpacked onto the disk) within a file's limits; every other member reported, none
    skipped silently. budget: what the archive may unpack to (MAX_ARCHIVE_UNPACKED_BYTES;
    an archive within one gets what its own members leave of it)."""
    top = budget is None
    budget = MAX_ARCHIVE_UNPACKED_BYTES if top else budget
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [i for i in zf.infolist() if not i.is_dir()]
            names = {i.filename for i in members}
            if "xl/workbook.xml" in names or {"content.xml", "mimetype"} <= names:
                incoming.append(Incoming(name, data, mtime))  # a workbook renamed .zip
                return
            if any(i.flag_bits & 0x1 for i in members):
                problems.append(_problem("file-encrypted", name))
                return
            total = sum(i.file_size for i in members)
            if total > budget:  # (each member within limits, not all of them)
                problems.append(_problem("file-zip-bomb", name, size=total,
                                         ratio=round(total / max(len(data), 1))))
                return
            found = 0
            for info in sorted(members, key=lambda i: i.filename):
                path_inside = _member_name(info)
                inner = shown(f"{name} › {path_inside}", 255)
                base = path_inside.rsplit("/", 1)[-1]
                lower = base.lower()
                if info.filename.startswith("__MACOSX/") or _temporary(base):
                    problems.append(_problem("file-temporary", inner, INFO))
                    continue
                nested = lower.endswith(".zip") and top
                if not lower.endswith(WORKBOOK_SUFFIXES) and not nested:
                    problems.append(_not_a_workbook(inner))
                    continue
                found += 1
                limit = MAX_CONTAINER_BYTES if nested else MAX_FILE_BYTES
                if info.file_size > limit:
                    problems.append(_problem("file-too-large", inner, size=info.file_size,
                                             limit=limit))
                    continue
                if not nested and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    problems.append(_problem(
                        "file-zip-bomb", inner, size=info.file_size,
                        ratio=round(info.file_size / max(info.compress_size, 1))))
                    continue
                try:
                    member = zf.read(info)
                except _ZIP_ERRORS as exc:  # this member damaged: the others still read
                    problems.append(_problem("file-corrupt", inner, reason=_reason(exc)))
                    continue
                if nested:  # (its own members are checked as these are)
                    _zip_workbooks(member, inner, mtime, incoming, problems, budget - total)
                else:
                    incoming.append(Incoming(inner, member, mtime))
    except _ZIP_ERRORS as exc:
        problems.append(_problem("file-corrupt", name, reason=_reason(exc)))
        return
    if not found:
        problems.append(_problem("zip-no-workbook", name, WARNING))


_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError)


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's path in its archive as its writer meant it: a name without the UTF-8 flag
    is UTF-8 when it decodes as such (macOS, 7-Zip), else Vietnamese Windows' code page
    (cp1258: what Explorer's 'Send to › Compressed folder' writes there); NFC either way."""
    import unicodedata

    text = info.filename
    if not info.flag_bits & 0x800 and not text.isascii():
        raw = text.encode("cp437")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1258", "replace")
    return unicodedata.normalize("NFC", text.replace("\\", "/").strip("/"))


def _inflate_plain(info: zipfile.ZipInfo, data: bytes) -> bytes | None:
    """zf.read(info) of a small, plainly stored or deflated part, straight from the package's
    bytes (ZipFile.read's file objects cost more than the inflating of a part this small).
    None for anything unusual or damaged: ZipFile.read then reads it, with its own errors."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                          zipfile.ZIP_DEFLATED):
        return None
    at = info.header_offset
    header = data[at:at + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    name_end = at + 30 + int.from_bytes(header[26:28], "little")
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if data[at + 30:name_end].decode(encoding, "replace") != info.orig_filename:
        return None
    start = name_end + int.from_bytes(header[28:30], "little")
    raw = data[start:start + info.compress_size]
    if len(raw) != info.compress_size:
        return None
    key = (raw, info.compress_type, info.CRC, info.file_size)
    out = _VERIFIED.get(key)
    if out is not None:  # the very bytes of a part already inflated and checked
        return out
    if info.compress_type == zipfile.ZIP_STORED:
        out = raw
    else:
        try:
            inflater = zlib.decompressobj(-15)
            out = inflater.decompress(raw, info.file_size + 1)
        except zlib.error:
            return None
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        return None
    if len(out) <= 64 * 1024 and len(_VERIFIED) < 256:
        _VERIFIED[key] = out
        _KEPT.add(id(out))
    return out


# Parts inflated and checked, by their stored bytes: the parts every return of a round shares
# (theme, styles, content types, the lists sheet, …) are inflated once per run, not per file.
_VERIFIED: dict[tuple, bytes] = {}
_KEPT: set[int] = set()  # ids of the parts in _VERIFIED (never removed: they stay alive)
_NO_DTD: set[int] = set()  # ids of those known to declare no DTD

"""One file of the inbox (inbox.py lists them): which are returns to read, which are not, and
why (nothing silent), each read within bounds and its package checked before it is parsed.

Workbooks are also read out of saved e-mails (.eml) and .zip archives, without writing them to
the disk (cchc_xl.cycle.containers); other archives (.rar, .7z, …) are reported, to be extracted by
hand.

Limits, so that no file can exhaust time or memory: only regular files are read (never a
FIFO, a device or a socket, never through a symbolic link), each at most its limit plus one
byte whatever its size claims; folders at most MAX_FOLDER_DEPTH deep, an e-mail's parts at
most mime.MAX_DEPTH. An e-mail or an archive above MAX_CONTAINER_BYTES (or unpacking to more
than MAX_ARCHIVE_UNPACKED_BYTES), a file, an attachment or an archived workbook above
MAX_FILE_BYTES (or compressed more than MAX_RATIO times), a package whose members would unpack
to more than MAX_UNPACKED_BYTES, or a member compressed more than MAX_RATIO times, is refused
before it is parsed; so is a part that is read whole into memory (shared strings, styles, an
.ods content.xml) above MAX_PART_BYTES, and any XML part that declares a DTD or entities
anywhere in it (Excel never writes one). Worksheets are read within bounds, at most
returns.MAX_ROWS rows (see xlsx_bounds, return_sheets and ods_read).
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path

from ..messages import Bilingual
from ..problems import ERROR, INFO, WARNING, Problem
from ..texts import INBOX_ADVICE
from .officer_input import shown, shown_params

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
FEW_NAMES = 3  # files a problem about many names, before "and N more"
BACKUPS_FOLDER = "sao-luu"  # where a save keeps the master's backups (workbook_io)
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
    """One workbook to read: a file in the inbox, or one held in a saved e-mail or an archive.

    A file is read once, where it is opened (on whichever core reads it), and its digest is
    that of the very bytes read: a province's thousand returns are never all in memory, and
    listing the inbox costs nothing. A workbook in an e-mail or an archive is read the same
    way, out of its container (`source`: where it lies there; `extract`: how it is taken out,
    containers.member_bytes), so that an inbox of many large e-mails never holds their
    attachments all at once."""

    __slots__ = ("name", "mtime", "digest", "path", "_data", "source", "extract")

    def __init__(self, name: str, data: bytes | None = None, mtime: float = 0.0, *,
                 path: Path | None = None, source: tuple | None = None, extract=None):
        self.name, self.mtime, self.path = name, mtime, path  # name: relative path, or
        # "mail.eml › phieu.xlsx", as shown to the user
        if data is None and path is None:
            raise ValueError("an Incoming needs its bytes or its file")
        if source is not None and extract is None:
            raise ValueError("a workbook inside a container needs the way to take it out")
        self._data, self.source, self.extract = data, source, extract
        self.digest = hashlib.sha256(data).hexdigest() if data is not None else None

    @property
    def data(self) -> bytes:
        return self._data if self._data is not None else self.loaded()._data

    def loaded(self) -> Incoming:
        """This workbook with its bytes in memory (read once, for everything that opens it),
        its digest set here too; OSError when the file cannot be read, Refused when it may
        not be (see read_regular and its `extract`)."""
        if self._data is not None:
            return self
        held = Incoming.__new__(Incoming)
        held.name, held.mtime, held.path = self.name, self.mtime, None
        held.source = held.extract = None
        if self.source is None:
            held._data = read_regular(self.path, MAX_FILE_BYTES)[0]
        else:
            held._data = self.extract(self.path, self.source)
        held.digest = self.digest = hashlib.sha256(held._data).hexdigest()
        return held

    def __getstate__(self):
        return {k: getattr(self, k) for k in self.__slots__}

    def __setstate__(self, state) -> None:
        self.source = self.extract = None  # (an Incoming pickled before containers were
        # read lazily)
        for k, v in state.items():
            setattr(self, k, v)

    def __repr__(self) -> str:
        return f"Incoming({self.name!r}, digest={(self.digest or '?')[:12]})"


class Refused(Exception):
    """A file that may not be read, found when it is opened: the problem's code, severity
    and parameters (the file's name is the caller's)."""

    def __init__(self, code: str, severity: str = ERROR, **params):
        super().__init__(code)
        self.code, self.severity, self.params = code, severity, params


_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_NONBLOCK", 0))  # (a FIFO opens at once, to be refused)
READ_CHUNK = 1024 * 1024


def read_regular(path: Path | str, limit: int, *, listed: tuple[int, int] | None = None
                 ) -> tuple[bytes, tuple[int, int]]:
    """The bytes of a regular file and its (size, mtime_ns) as read. Never more than `limit`
    plus one byte is read, whatever its size claims (a file still growing, a size that lies):
    Refused beyond. Refused too for a FIFO, a device or a socket (opened without waiting,
    never read), a symbolic link (never followed), and when `listed` (its size and time when
    the inbox was listed) no longer matches."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP and getattr(os, "O_NOFOLLOW", 0):
            raise Refused("file-symlink", INFO) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused("file-not-regular", WARNING, kind=special_kind(st.st_mode))
        seen = (st.st_size, st.st_mtime_ns)
        if listed is not None and seen != tuple(listed):
            raise Refused("container-changed")
        if st.st_size > limit:
            raise Refused("file-too-large", size=st.st_size, limit=limit)
        chunks, total, want = [], 0, st.st_size + 1  # (all it claims, and one byte more)
        while total <= limit:
            chunk = os.read(fd, min(want, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            want = 1 if len(chunk) < want else READ_CHUNK  # (the end, or more than it said)
        if total > limit:
            raise Refused("file-too-large", size=f"> {limit}", limit=limit)
        return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), seen
    finally:
        os.close(fd)


def special_kind(mode: int) -> str:
    """What a file that is not a regular file is (for the message)."""
    if stat.S_ISFIFO(mode):
        return Bilingual("một ống dẫn có tên (FIFO)", "a named pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        return Bilingual("một socket", "a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Bilingual("một tệp thiết bị", "a device file")
    return Bilingual("một tệp đặc biệt", "a special file")


def file_problem(code: str, name: str, severity: str = ERROR, **params) -> Problem:
    return Problem(code, severity, file=name, params=shown_params({"file": name, **params}))


class Unpacked:
    """A package that passed package_problem: its members' names, and its small parts as
    inflated (and CRC-checked) on the way, so that a reader need not unzip them again."""

    __slots__ = ("names", "parts")

    def __init__(self, names: list[str], parts: dict[str, bytes]):
        self.names, self.parts = names, parts


KEEP_PARTS_BYTES = 4 * 1024 * 1024  # at most this much inflated is handed on


def package_problem(data: bytes, name: str) -> Problem | None:
    """Why these bytes are not a workbook we may open, or None when they are (an .xlsx,
    .xlsm or .ods package within the limits)."""
    got = unpack(data, name)
    return got if isinstance(got, Problem) else None


def unpack(data: bytes, name: str) -> Problem | Unpacked:
    """package_problem's verdict; for a sound package, what it unzipped."""
    if not data:
        return file_problem("file-empty", name)
    if len(data) > MAX_FILE_BYTES:
        return file_problem("file-too-large", name, size=len(data), limit=MAX_FILE_BYTES)
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            return file_problem("file-encrypted", name)
        return file_problem("file-old-xls", name)
    if not data.startswith(b"PK"):
        return file_problem("file-renamed", name, kind=_kind(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _checked(name, zf)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError,
            NotImplementedError) as exc:
        return file_problem("file-corrupt", name, reason=zip_reason(exc))


def _checked(name: str, zf: zipfile.ZipFile) -> Problem | Unpacked:
    """unpack's verdict on a package's members."""
    infos = zf.infolist()
    if any(i.flag_bits & 0x1 for i in infos):  # a member under a zip password
        return file_problem("file-encrypted", name)
    names = {i.filename for i in infos}
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
    if total > MAX_UNPACKED_BYTES or worst > MAX_RATIO:
        return file_problem("file-zip-bomb", name, size=total, ratio=round(worst))
    for info in infos:
        if info.filename in WHOLE_PARTS and info.file_size > MAX_PART_BYTES:
            return file_problem("file-too-large", name, size=info.file_size,
                            limit=MAX_PART_BYTES)
    ods = "content.xml" in names and "mimetype" in names
    if not ods and "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            return file_problem("file-xlsb", name)
        kind = next((k for part, k in ZIP_KINDS if part in names), None)
        if kind:
            return file_problem("file-renamed", name, kind=kind)
        return file_problem("file-not-workbook", name)
    # One pass: every part inflated once, its CRC checked (what testzip does) and,
    # for XML, its prolog looked at; a damaged part is reported before an unsafe one.
    unsafe = None
    parts: dict[str, bytes] = {}
    kept = 0
    for info in infos:
        xml = unsafe is None and info.filename.endswith((".xml", ".rels", ".vml"))
        try:
            whole, declares = _inflate_checked(zf, info, xml)
        except zipfile.BadZipFile:
            return file_problem("file-corrupt", name, reason=f"CRC {info.filename}")
        if declares:
            unsafe = info.filename
        if whole is not None and kept + len(whole) <= KEEP_PARTS_BYTES:
            parts[info.filename] = whole
            kept += len(whole)
    if unsafe is not None:
        return file_problem("file-unsafe-xml", name, part=unsafe)
    return Unpacked([i.filename for i in infos], parts)


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


def zip_reason(exc: Exception) -> str:
    """A damaged zip's reason in plain words (the technical text after the dash)."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return Bilingual(f"tệp bị cắt cụt hoặc hỏng cấu trúc zip – {text}",
                         f"the file is cut short or its zip structure is damaged – {text}")
    if isinstance(exc, NotImplementedError):
        return Bilingual(f"kiểu nén không hỗ trợ – {text}",
                         f"a compression method that is not supported – {text}")
    return text


def _inflate_checked(zf: zipfile.ZipFile, info, xml: bool) -> tuple[bytes | None, bool]:
    """Inflate a part to its end, so that its CRC is checked (BadZipFile if it is wrong):
    (the part whole when small, else None; whether it declares a DTD, for an XML part:
    looked for in all of it). A large part, a padded sheet, is read in chunks, so memory
    stays bounded."""
    if info.file_size <= STREAM_ABOVE:
        plain = zf.read(info)
        return plain, xml and _declares_dtd(plain)
    watch, declares = _DtdWatch() if xml else None, False
    with zf.open(info) as fh:
        chunk = fh.read(4096)
        while chunk:
            if watch is not None and not declares:
                declares = watch.feed(chunk)
            chunk = fh.read(STREAM_ABOVE)
    return None, declares


# A DTD or an entity declared ('<!doctype', as the check always was, in any case).
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _wide(head: bytes) -> str | None:
    """The encoding of an XML part whose characters are not single bytes (UTF-16 or UTF-32,
    by its byte order mark or its first character '<'), else None."""
    if head[:1] == b"<" and head[1:2] != b"\x00" and b"\x00" not in head:
        return None  # (what Excel and LibreOffice write: '<?xml' in UTF-8)
    for mark, encoding in ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                           (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
                           (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
                           (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le")):
        if head.startswith(mark):
            return encoding
    return "utf-16-le" if b"\x00" in head[:8] else None


def _declares_dtd(part: bytes) -> bool:
    """An XML part that declares a DTD or an entity anywhere in it (the way to billion-laughs
    and external-entity attacks; a comment may come first, as long as it likes)."""
    encoding = _wide(part[:8])
    if encoding is not None:
        text = part.decode(encoding, "ignore").encode("utf-8", "ignore")
    else:
        text = part
    at = text.find(b"<!")  # every declaration starts so (most parts: none)
    return at >= 0 and _DTD.search(text, at) is not None


class _DtdWatch:
    """_declares_dtd of a part given in chunks (a declaration may straddle two)."""

    def __init__(self):
        self.decoder, self.tail, self.start = None, b"", b""

    def feed(self, chunk: bytes) -> bool:
        if self.start is not None:  # (the encoding, from the first 8 bytes)
            self.start += chunk
            if len(self.start) < 8:
                return False
            chunk, self.start = self.start, None
            encoding = _wide(chunk[:8])
            if encoding is not None:
                import codecs

                self.decoder = codecs.getincrementaldecoder(encoding)("ignore")
        if self.decoder is not None:
            chunk = self.decoder.decode(chunk).encode("utf-8", "ignore")
        window = self.tail + chunk
        self.tail = window[-16:]
        return window.find(b"<!") >= 0 and _DTD.search(window) is not None


def is_temporary(filename: str) -> bool:
    """A lock, temporary or system file (Excel's, LibreOffice's, a browser's, a Mac's)."""
    lower = filename.lower()
    return (filename.startswith(TEMP_PREFIXES) or lower.endswith(TEMP_SUFFIXES)
            or lower in SYSTEM_FILES)


def not_read_code(name: str) -> str:
    """Why a file (or an archive's member) that is no .xlsx, .xlsm or .ods is not read, by
    its name (a code of _SEVERITY): an old or binary Excel file and an archive get what to do
    about them."""
    lower = name.lower()
    if lower.endswith((*ARCHIVE_SUFFIXES, ".zip")):  # (a .zip here: nested too deep)
        return "archive-unsupported"
    if lower.endswith(".xls"):
        return "file-old-xls"
    if lower.endswith(".xlsb"):
        return "file-xlsb"
    return "file-not-workbook"


# The containers a summary names (Vietnamese, English), and what to do about the files in
# it, by the code each would have been reported with alone.
FOLDER = Bilingual("Thư mục", "The folder")
ARCHIVE = Bilingual("Tệp nén", "The archive")
EMAIL = Bilingual("Thư", "The e-mail")
_SEVERITY = {"file-old-xls": ERROR, "file-xlsb": ERROR, "archive-unsupported": WARNING,
             "file-not-workbook": WARNING, "file-not-regular": WARNING, "file-temporary": INFO,
             "file-symlink": INFO}


def not_read(where: str, kind: str, members: list[tuple], named: int = 1) -> list[Problem]:
    """The problems for the files of a folder, an archive or an e-mail (`where`, a `kind`)
    that are not read, each (its name there, its name as shown alone, the code it has alone,
    that code's parameters): each its own when there are at most `named` of them, else one
    for them all (never thousands in the report and the master's log): how many, the first
    few names (the most serious first), what to do; as serious as the most serious."""
    if len(members) <= named:
        return [file_problem(code, alone, _SEVERITY[code], **params)
                for _, alone, code, params in members]
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    ranked = sorted(members, key=lambda m: order[_SEVERITY[m[2]]])  # (stable: name order)
    severity = _SEVERITY[ranked[0][2]]
    first = [shown(m[0], 120) for m in ranked[:FEW_NAMES]]
    more = len(members) - len(first)
    names = Bilingual(", ".join(first) + (f" và {more} tệp khác" if more else ""),
                      ", ".join(first) + (f" and {more} more" if more else ""))
    codes = {m[2] for m in members}
    keys = [k for k in INBOX_ADVICE if k in codes or (
        k == "excel" and codes & {"file-old-xls", "file-xlsb"})]
    if len(keys) > 1 and "file-temporary" in keys:  # (nothing to do: said only alone)
        keys.remove("file-temporary")
    advice = Bilingual(" ".join(INBOX_ADVICE[k][0] for k in keys),
                       " ".join(INBOX_ADVICE[k][1] for k in keys))
    return [file_problem("members-not-read", where, severity, kind=kind, count=len(members),
                     names=names, advice=advice)]

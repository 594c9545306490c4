"""Open and save workbooks safely: cached formula values, a backup first, an atomic replace."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import shutil
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from .messages import Bilingual

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
BACKUP_DIR = "sao-luu"
BACKUPS_KEPT = 20

# The worksheet extension holding Excel 2010 data validations (lists on another sheet).
X14_DATA_VALIDATIONS = "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"
# Never expand entities nor fetch anything while reading a package's XML.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


class WorkbookUnreadable(Exception):
    """The file cannot be opened as an .xlsx workbook; str() says why in plain words
    (a messages.Bilingual: the English goes with --lang en); `path` is the file."""

    def __init__(self, reason: str, path: str | Path = ""):
        super().__init__(reason)
        self.path = str(path)


class MasterLocked(Exception):
    """The master is open in Excel (its ~$ lock file exists) or another run is writing it."""


def load(path: str | Path, *, data_only: bool = False):
    """openpyxl workbook of an .xlsx file, or WorkbookUnreadable with the reason."""
    import openpyxl

    path = Path(path)
    if not path.exists():
        raise WorkbookUnreadable(Bilingual("không có tệp này (kiểm tra tên và thư mục)",
                                           "there is no such file (check its name and folder)"),
                                 path)
    if path.stat().st_size == 0:
        raise WorkbookUnreadable(Bilingual("tệp rỗng (0 byte)", "the file is empty (0 bytes)"),
                                 path)
    if not zipfile.is_zipfile(path):
        raise WorkbookUnreadable(Bilingual(
            "không phải tệp .xlsx (không phải định dạng zip của Excel)",
            "it is not an .xlsx file (not in Excel's zip format)"), path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for damaged packages
        raise WorkbookUnreadable(Bilingual(
            f"tệp hỏng hoặc không phải workbook Excel ({exc})",
            f"the file is damaged or not an Excel workbook ({exc})"), path) from exc
    if not data_only:
        restore_x14_validations(wb, path)
        # save() uses these: the fidelity check of this file, and the cached values of
        # formulas the tool cannot evaluate, kept while the formula is unchanged.
        wb._cchc_source = (str(path.resolve()), formulas_of(wb))
    return wb


def formulas_of(wb) -> dict[tuple[str, str], str]:
    """(sheet, 'C5') -> formula text of every formula cell."""
    out = {}
    for ws in wb.worksheets:
        cells = getattr(ws, "_cells", None)  # the cells a sheet holds (iter_rows would make
        # every empty cell of its rectangle: a long change log has tens of thousands)
        for cell in (cells.values() if isinstance(cells, dict) else
                     (c for row in ws.iter_rows() for c in row)):
            if cell.data_type == "f":
                out[(ws.title, cell.coordinate)] = _formula_text(cell.value)
    return out


def _formula_text(value: object) -> str:
    return str(getattr(value, "text", value))


def restore_x14_validations(wb, path: Path) -> int:
    """Data validations Excel stores as 2010 extensions (a list that points at another
    sheet), which openpyxl drops, added back as ordinary validations (Excel 2010 and later
    read those the same). Returns how many."""
    from openpyxl.worksheet.datavalidation import DataValidation

    x14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
    xm = "http://schemas.microsoft.com/office/excel/2006/main"
    count = 0
    raws = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for name, part in sheet_parts(zf).items():
                raw = zf.read(part) if part in zf.namelist() else b""
                if X14_DATA_VALIDATIONS.encode() in raw:
                    raws[name] = raw
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return 0
    for name, raw in raws.items():
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        root = etree.fromstring(raw, SAFE_PARSER)
        for dv in root.iter(f"{{{x14}}}dataValidation"):
            f1 = dv.find(f"{{{x14}}}formula1/{{{xm}}}f")
            f2 = dv.find(f"{{{x14}}}formula2/{{{xm}}}f")
            sqref = dv.find(f"{{{xm}}}sqref")
            if sqref is None or not (sqref.text or "").strip():
                continue
            flags = {k: dv.get(k) in ("1", "true") for k in (
                "allowBlank", "showDropDown", "showInputMessage", "showErrorMessage")}
            ws.add_data_validation(DataValidation(
                type=dv.get("type"), operator=dv.get("operator"),
                errorStyle=dv.get("errorStyle"), error=dv.get("error"),
                errorTitle=dv.get("errorTitle"), prompt=dv.get("prompt"),
                promptTitle=dv.get("promptTitle"),
                formula1=f1.text if f1 is not None else None,
                formula2=f2.text if f2 is not None else None,
                sqref=sqref.text.strip(), **flags))
            count += 1
    return count


def excel_lock_file(path: Path) -> Path:
    """The owner file Excel keeps beside a workbook it has open: '~$name.xlsx'."""
    return path.with_name("~$" + path.name)


def libreoffice_lock_file(path: Path) -> Path:
    """The owner file LibreOffice keeps beside a document it has open: '.~lock.name#'."""
    return path.with_name(f".~lock.{path.name}#")


def holders(path: Path) -> list[Path]:
    """The owner files of Excel and LibreOffice beside a workbook, when they exist: it is open
    in one of them, and is not written meanwhile."""
    return [f for f in (excel_lock_file(path), libreoffice_lock_file(path)) if f.exists()]


class SaveFailed(OSError):
    """Writing a file failed (a full disk, no permission, a share gone): str() says which
    file and what to do, in plain words (a messages.Bilingual); nothing was replaced."""

    def __init__(self, path: Path, error: OSError):
        super().__init__(error.errno, error.strerror)
        self.path = str(path)
        full = error.errno in (28, 122)  # ENOSPC, EDQUOT
        denied = isinstance(error, PermissionError)
        why_vi = ("đĩa đã đầy" if full else "không có quyền ghi" if denied
                  else f"lỗi hệ thống: {error.strerror or error}")
        why_en = ("the disk is full" if full else "no permission to write" if denied
                  else f"system error: {error.strerror or error}")
        self.reason = Bilingual(
            f"Không ghi được {path} ({why_vi}): tệp cũ vẫn nguyên. Giải phóng chỗ trống hoặc "
            "kiểm tra quyền ghi của thư mục rồi chạy lại.",
            f"Cannot write {path} ({why_en}): the old file is unchanged. Free some space or "
            "check the folder's permissions, then run again.")

    def __str__(self) -> str:
        return str(self.reason)


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _windows_process_alive(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    code = ctypes.c_ulong()
    kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    kernel32.CloseHandle(handle)
    return code.value == 259  # STILL_ACTIVE


@dataclass
class SaveResult:
    path: Path
    backup: Path | None
    cached: int  # formula cells given a cached value
    unsupported: dict  # (sheet, cell) -> why no value could be computed


def save(wb, path: str | Path, *, backup: bool = True,
         previous: dict[tuple[str, str], object] | None = None) -> SaveResult:
    """Save with every formula's value cached, after backing up the old file, atomically.

    `previous` holds cached values read from the old file; they are kept for formulas the
    tool cannot evaluate itself (an office's own formulas) when the formula is unchanged.
    """
    from .formula_eval import WorkbookEvaluator

    path = Path(path)
    if path.is_symlink():  # written through to the real master, backed up beside it
        path = path.resolve()
    held = holders(path)
    if held:
        raise MasterLocked(str(held[0]))
    source = getattr(wb, "_cchc_source", None)
    rewrite = source is not None and path.exists() and source[0] == str(path.resolve())
    if rewrite:  # a workbook loaded from this file: refuse before writing what it would lose
        from .fidelity import ensure_preservable

        ensure_preservable(path)
    sweep_temporary_files(path.parent)
    values, unsupported = WorkbookEvaluator(wb).evaluate_all()
    if rewrite and unsupported:
        now = formulas_of(wb)
        unchanged = {k for k in unsupported if k in source[1] and now.get(k) == source[1][k]}
        previous = {**cached_values(path, unchanged), **(previous or {})}
    for key in list(unsupported):
        if previous and key in previous and previous[key] is not None:
            values[key] = previous[key]
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-",
                                        suffix=".xlsx", dir=path.parent)
    except OSError as exc:
        raise SaveFailed(path, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb.save(tmp)
        failpoint("temp-written")
        cached = write_cached_values(tmp, values)
        keep_mode(tmp, path)  # (after the values: that step writes a new file)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        failpoint("temp-synced")
        backup_path = make_backup(path) if backup and path.exists() else None
        failpoint("backed-up")
        os.replace(tmp, path)
        failpoint("replaced")
        _fsync_dir(path.parent)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        tmp.with_suffix(".cached").unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, SaveFailed):
            raise SaveFailed(path, exc) from exc
        raise
    if source is not None and rewrite:
        wb._cchc_source = (source[0], formulas_of(wb))
    return SaveResult(path, backup_path, cached, unsupported)


TEMP_PREFIX = ".~cchc-"  # temporary files of a save: never a master, never a return
_TEMP_RE = re.compile(r"^\.~cchc-(\d+)-[^.]*\.(xlsx|cached)$")
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


def sweep_temporary_files(folder: Path) -> list[Path]:
    """Remove the temporary files that killed saves left (their process no longer runs)."""
    removed = []
    for f in [*folder.glob(f"{TEMP_PREFIX}*"), *(folder / BACKUP_DIR).glob(f"{TEMP_PREFIX}*")]:
        match = _TEMP_RE.match(f.name)
        if not match or int(match[1]) == os.getpid() or _pid_alive(int(match[1])):
            continue
        with contextlib.suppress(OSError):
            f.unlink()
            removed.append(f)
    return removed


def cached_values(path: Path, keys) -> dict[tuple[str, str], object]:
    """The values a file caches for some formula cells ((sheet, 'C5') keys), as Python values."""
    from .formula_eval import ExcelError

    wanted: dict[str, set[str]] = {}
    for sheet, cell in keys:
        wanted.setdefault(sheet, set()).add(cell)
    out: dict[tuple[str, str], object] = {}
    if not wanted:
        return out
    with zipfile.ZipFile(path) as zf:
        parts = sheet_parts(zf)
        strings = None
        for sheet, cells in wanted.items():
            if parts.get(sheet) not in zf.namelist():
                continue
            root = etree.fromstring(zf.read(parts[sheet]), SAFE_PARSER)
            for c in root.iter(f"{{{MAIN_NS}}}c"):
                ref = c.get("r")
                v = c.find(f"{{{MAIN_NS}}}v")
                if ref not in cells or v is None or v.text is None:
                    continue
                kind, text = c.get("t"), v.text
                if kind == "s":
                    if strings is None:
                        strings = _shared_strings(zf)
                    value: object = strings[int(text)] if int(text) < len(strings) else None
                elif kind in ("str", "inlineStr"):
                    value = text
                elif kind == "b":
                    value = text.strip() in ("1", "true")
                elif kind == "e":
                    value = ExcelError(text)
                else:
                    try:
                        value = float(text)
                    except ValueError:
                        value = None
                out[(sheet, ref)] = value
    return out


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    root = etree.fromstring(zf.read("xl/sharedStrings.xml"), SAFE_PARSER)
    return ["".join(t.text or "" for t in si.iter(f"{{{MAIN_NS}}}t"))
            for si in root.iter(f"{{{MAIN_NS}}}si")]


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(target: Path, write) -> None:
    """write(name) fills a temporary file beside `target` (named so that
    sweep_temporary_files knows it), which is then synced and renamed over `target`: a killed
    run leaves the old file or the new one, never half of one; on any failure the temporary
    file is removed."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-",
                                        suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise SaveFailed(target, exc) from exc
    os.close(fd)
    try:
        write(tmp_name)
        keep_mode(Path(tmp_name), target)
        with open(tmp_name, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_name, target)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, SaveFailed):
            raise SaveFailed(target, exc) from exc
        raise
    _fsync_dir(target.parent)


def make_backup(path: Path, keep: int = BACKUPS_KEPT) -> Path:
    """Copy the file to sao-luu/<name>_<timestamp>.xlsx beside it; keep the newest `keep` of
    this very master (never another's: `so.xlsx` prunes nothing of `so_2022.xlsx`)."""
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem}_{stamp}{path.suffix}"
    # Copied under a temporary name first: a killed run never leaves half a backup.
    write_atomically(target, lambda tmp_name: shutil.copy2(path, tmp_name))
    own = re.compile(re.escape(path.stem) + r"_\d{8}-\d{6}-\d{6}" + re.escape(path.suffix))
    olds = sorted(f for f in folder.iterdir() if own.fullmatch(f.name))
    for old in olds[:-keep] if keep else []:
        old.unlink()
    return target


def keep_mode(tmp: Path, target: Path) -> None:
    """Give a temporary file the permissions (and group) of the file it will replace, or the
    usual ones of a new file (mkstemp's are the owner's alone)."""
    try:
        st = target.stat()
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        return
    os.chmod(tmp, st.st_mode & 0o7777)
    if hasattr(os, "chown"):
        with contextlib.suppress(OSError):  # (only the owner's own groups can be given)
            os.chown(tmp, -1, st.st_gid)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> its part name in the package (via workbook.xml and its rels)."""
    return dict(parts_of_sheets(zf.read("xl/workbook.xml"),
                                zf.read("xl/_rels/workbook.xml.rels")))


@functools.lru_cache(maxsize=8)  # (the same template's in every return of a round)
def parts_of_sheets(book: bytes, rels_xml: bytes) -> dict[str, str]:
    """sheet_parts from the two parts' bytes (a mapping not to be changed)."""
    wb_xml = etree.fromstring(book, SAFE_PARSER)
    rels = etree.fromstring(rels_xml, SAFE_PARSER)
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG_REL_NS}}}Relationship")}
    parts = {}
    for sheet in wb_xml.iter(f"{{{MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{REL_NS}}}id"), "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = str(PurePosixPath("xl") / target)
        parts[sheet.get("name")] = part
    return parts


def write_cached_values(path: Path, values: dict[tuple[str, str], object]) -> int:
    """Put computed values into the <v> of formula cells, rewriting the package in place."""
    by_sheet: dict[str, dict[str, object]] = {}
    for (sheet, cell), value in values.items():
        by_sheet.setdefault(sheet, {})[cell] = value
    with zipfile.ZipFile(path) as zin:
        parts = {part: by_sheet.get(name, {}) for name, part in sheet_parts(zin).items()}
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    count = 0
    tmp = path.with_suffix(".cached")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for i, (info, data) in enumerate(items):
            if info.filename in parts and parts[info.filename]:
                data, n = _patch_sheet(data, parts[info.filename])
                count += n
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
            if i == len(items) // 2:
                zout.fp.flush()
                failpoint("caching")
    os.replace(tmp, path)
    return count


def _patch_sheet(data: bytes, values: dict[str, object]) -> tuple[bytes, int]:
    root = etree.fromstring(data, SAFE_PARSER)
    count = 0
    for c in root.iter(f"{{{MAIN_NS}}}c"):
        ref = c.get("r")
        if ref not in values or c.find(f"{{{MAIN_NS}}}f") is None:
            continue
        v = c.find(f"{{{MAIN_NS}}}v")
        if v is None:
            v = etree.SubElement(c, f"{{{MAIN_NS}}}v")
        kind, text = cached_xml(values[ref])
        if kind:
            c.set("t", kind)
        elif "t" in c.attrib:
            del c.attrib["t"]
        v.text = text
        count += 1
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), count


def cached_xml(value: object) -> tuple[str | None, str]:
    """(cell type attribute, <v> text) for a computed value, as Excel stores it."""
    from .formula_eval import ExcelError

    if isinstance(value, ExcelError):
        return "e", str(value)
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if value is None:
        return None, "0"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer():
            return None, str(int(value))
        return None, repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        from openpyxl.utils.datetime import to_excel

        return None, repr(to_excel(value))
    return "str", str(value)

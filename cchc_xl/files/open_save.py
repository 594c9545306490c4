"""Open and save workbooks safely: cached formula values, a backup first, an atomic replace."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..messages import Bilingual
from ..problems import ERROR, Problem
from .failpoint import failpoint
from .package import cached_values, restore_x14_validations, write_cached_values

BACKUP_DIR = "sao-luu"
BACKUPS_KEPT = 20


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
        self.problem = Problem("save-failed", ERROR, file=str(path), params={
            "path": str(path), "why": Bilingual(why_vi, why_en)})
        self.reason = Bilingual(self.problem.message("vi"), self.problem.message("en"))

    def __str__(self) -> str:
        return str(self.reason)


def pid_alive(pid: int) -> bool:
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
TEMP_RE = re.compile(r"^\.~cchc-(\d+)-[^.]*\.(xlsx|cached)$")
def sweep_temporary_files(folder: Path) -> list[Path]:
    """Remove the temporary files that killed saves left (their process no longer runs)."""
    removed = []
    for f in [*folder.glob(f"{TEMP_PREFIX}*"), *(folder / BACKUP_DIR).glob(f"{TEMP_PREFIX}*")]:
        match = TEMP_RE.match(f.name)
        if not match or int(match[1]) == os.getpid() or pid_alive(int(match[1])):
            continue
        with contextlib.suppress(OSError):
            f.unlink()
            removed.append(f)
    return removed


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

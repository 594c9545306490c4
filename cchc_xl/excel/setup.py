"""Make a master usable from Excel (`cchc-xl excel-setup`): a file name xlwings can import, the
control sheet (control_sheet.py), the companion module Run main imports, and (on Windows/macOS)
the xlwings add-in."""

from __future__ import annotations

import importlib.util
import keyword
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..text import strip_diacritics
from .control_sheet import add_control_sheet, result_cell

COMPANION_MARK = "# cchc-xl excel-setup: companion module"
EXCEL_PLATFORMS = ("win32", "darwin")
SUGGESTION_FALLBACK = "so_theo_doi"
SHADOW_SUFFIX = "_cchc"


# --- the workbook's name is the module's name ------------------------------------------------

@dataclass
class NameCheck:
    """Whether `import <stem>` (what Run main does) would import this master's module."""

    file: str
    reason: str | None  # None | not-xlsx | not-ascii | not-identifier | keyword | shadows
    suggestion: str  # a file name that works (the same name when it already does)
    shadows: str | None = None  # the module `import <stem>` would find instead

    @property
    def ok(self) -> bool:
        return self.reason is None


def module_problem(stem: str, folder: Path | None = None) -> tuple[str | None, str | None]:
    """(reason, shadowed module) why `import stem` cannot import a module beside the master;
    (None, None) when it can. Modules found in `folder` itself (our own companion) don't count."""
    if not stem.isascii():
        return "not-ascii", None
    if not stem.isidentifier():
        return "not-identifier", None
    if keyword.iskeyword(stem):
        return "keyword", None
    shadow = shadowed_module(stem, folder)
    return ("shadows", shadow) if shadow else (None, None)


def shadowed_module(stem: str, folder: Path | None = None) -> str | None:
    """The standard or installed module named like `stem` (Windows and macOS file systems
    ignore case, so case is ignored for the standard library)."""
    lowered = stem.lower()
    for name in (*sys.builtin_module_names, *sys.stdlib_module_names):
        if name.lower() == lowered:
            return name
    try:
        spec = importlib.util.find_spec(stem)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return None
    origin = Path(spec.origin).resolve() if spec.origin and os.path.isabs(spec.origin) else None
    where = origin.parent if origin and origin.name != "__init__.py" else (
        origin.parent.parent if origin else None)
    if folder is not None and where is not None and where == Path(folder).resolve():
        return None  # the companion module excel-setup wrote (or will write) there
    return stem


def suggest_stem(stem: str, folder: Path | None = None) -> str:
    """'Kế hoạch CCHC 2021' -> 'ke_hoach_cchc_2021': no diacritics, lowercase, '_' between
    words, not starting with a digit, not a keyword nor a module's name."""
    s = re.sub(r"[^a-z0-9]+", "_", strip_diacritics(stem).lower()).strip("_")
    s = s or SUGGESTION_FALLBACK
    if s[0].isdigit():
        s = "so_" + s
    while module_problem(s, folder)[0]:
        s += SHADOW_SUFFIX
    return s


def check_name(master: str | Path) -> NameCheck:
    master = Path(master)
    suggestion = suggest_stem(master.stem, master.parent) + ".xlsx"
    if master.suffix.lower() != ".xlsx":
        return NameCheck(master.name, "not-xlsx", suggestion)
    reason, shadow = module_problem(master.stem, master.parent)
    return NameCheck(master.name, reason, master.name if reason is None else suggestion, shadow)


class NameUnusable(Exception):
    """The master's file name cannot be a Python module name; the check says why and what to
    rename it to (`problem`: as the user reads it, with the command that renames it)."""

    def __init__(self, check: NameCheck):
        super().__init__(f"{check.file}: {check.reason}")
        self.check = check

    @property
    def problem(self):
        return name_problem(self.check)


class CompanionExists(Exception):
    """A Python file with the master's name exists beside it and was not written by us."""

    @property
    def problem(self):
        from ..problems import ERROR, Problem

        return Problem("companion-exists", ERROR, params={"path": str(self)}, file=str(self))


class RenameRefused(Exception):
    """--rename cannot rename: the target exists or Excel has the master open."""

    @property
    def problem(self):
        from ..problems import ERROR, Problem

        return Problem("rename-refused", ERROR, params={"path": str(self)}, file=str(self))


def rename_command(old: str, new: str, windows: bool) -> str:
    return f'ren "{old}" {new}' if windows else f'mv "{old}" {new}'


def name_problem(check: NameCheck, windows: bool = os.name == "nt"):
    """Why the file name cannot work, and how to rename it, as a problem."""
    from ..problems import ERROR, Problem
    from ..texts import bilingual

    if check.reason == "not-xlsx":
        return Problem("master-not-xlsx", ERROR, params={
            "suffix": Path(check.file).suffix or "?", "suggestion": check.suggestion},
            file=check.file)
    return Problem("master-name-unusable", ERROR, params={
        "file": check.file, "stem": Path(check.file).stem, "suggestion": check.suggestion,
        "why": bilingual("cli", f"xs-why-{check.reason}", shadows=check.shadows or ""),
        "command": rename_command(check.file, check.suggestion, windows)}, file=check.file)


def name_message(check: NameCheck, lang: str, windows: bool = os.name == "nt") -> str:
    """name_problem's message in a language."""
    return name_problem(check, windows).message(lang)


# --- the companion module and xlwings ----------------------------------------------------------

def companion_module_text(master_name: str) -> str:
    """The module Run main imports (`import <stem>; <stem>.main()`), written beside the master."""
    stem = Path(master_name).stem
    message_cell = result_cell("message")
    sheet = layout.CONTROL_SHEET
    return f'''"""Nút «Run main» (xlwings) của sổ {master_name}: chạy thao tác chọn ở «{sheet}».

Tệp do «cchc-xl excel-setup» tạo; để cạnh sổ, giữ nguyên tên, không cần sửa.
Chạy thử không cần Excel (sổ phải đang đóng):  python {stem}.py
"""
{COMPANION_MARK} (sổ {master_name})

from pathlib import Path

MASTER = Path(__file__).with_name({master_name!r})


def main():
    """Run main của xlwings gọi hàm này: `import {stem}; {stem}.main()`."""
    try:
        from cchc_xl.excel.button import main as run
    except ImportError as exc:
        _explain(exc)
        raise
    run()


def _explain(exc):
    """Python mà Excel dùng không có cchc-xl: nói rõ trên sheet, rồi để xlwings báo lỗi."""
    import sys

    text = ("Không chạy được: Python mà Excel dùng (" + sys.executable + ") chưa cài cchc-xl "
            "(" + str(exc) + "). Cài bằng lệnh: py -m pip install cchc-xl (hoặc từ thư mục mã "
            "nguồn: py -m pip install .), rồi chạy lại: cchc-xl excel-setup {master_name}")
    try:
        import xlwings as xw

        xw.Book.caller().sheets[{sheet!r}][{message_cell!r}].value = text
    except Exception:
        pass


if __name__ == "__main__":
    from cchc_xl.excel.control import run_file

    outcome = run_file(MASTER)
    print(outcome.message)
    if outcome.needs is not None:
        print(outcome.needs.line())
    raise SystemExit(outcome.exit_code())
'''


def write_companion(master: Path, *, force: bool = False) -> tuple[Path, bool]:
    """(path, changed): write `<stem>.py` beside the master. Refuses (CompanionExists) to
    replace a Python file we did not write, unless force."""
    path = master.with_suffix(".py")
    text = companion_module_text(master.name)
    if path.exists():
        old = path.read_text(encoding="utf-8", errors="replace")
        if COMPANION_MARK not in old and not force:
            raise CompanionExists(str(path))
        if old == text:
            return path, False
    path.write_text(text, encoding="utf-8", newline="\n")
    return path, True


@dataclass
class AddinResult:
    status: str  # installed | skipped-platform | skipped | failed
    detail: str = ""
    config: Path | None = None  # the user's xlwings.conf, set to this Python


def user_config_file() -> Path:
    """xlwings' per-user configuration (what its ribbon edits): ~/.xlwings/xlwings.conf, or
    the sandbox folder on macOS."""
    if sys.platform == "darwin":
        return Path.home() / "Library/Containers/com.microsoft.Excel/Data/xlwings.conf"
    return Path.home() / ".xlwings" / "xlwings.conf"


def interpreter_config(existing: str, executable: str, platform: str) -> str:
    """xlwings.conf text with the interpreter key of the platform set to `executable`, every
    other line kept (the add-in reads '"KEY","VALUE"' lines)."""
    key = "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"
    lines = [line for line in existing.splitlines()
             if line.strip() and not line.strip().upper().startswith(f'"{key}"')]
    lines.append(f'"{key}","{executable}"')
    return "\n".join(lines) + "\n"


def install_addin(*, platform: str = sys.platform, executable: str = sys.executable,
                  config: Path | None = None, run=subprocess.run) -> AddinResult:
    """Install xlwings' own add-in (BSD, part of the open-source package) with its CLI, and
    point the user's xlwings configuration at this Python, which has cchc-xl installed."""
    if platform not in EXCEL_PLATFORMS:
        return AddinResult("skipped-platform")
    try:
        done = run([executable, "-m", "xlwings.cli", "addin", "install"], capture_output=True,
                   text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as exc:
        return AddinResult("failed", str(exc))
    output = ((done.stdout or "") + (done.stderr or "")).strip()
    if done.returncode != 0:
        return AddinResult("failed", output.splitlines()[-1] if output else
                           f"exit {done.returncode}")
    config = config or user_config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    existing = config.read_text(encoding="utf-8") if config.exists() else ""
    config.write_text(interpreter_config(existing, executable, platform), encoding="utf-8")
    return AddinResult("installed", output.splitlines()[-1] if output else "", config)


# --- the command -------------------------------------------------------------------------------

@dataclass
class SetupResult:
    master: Path
    renamed_from: Path | None
    control_added: bool  # False: it was there and has been rebuilt
    module: Path
    module_changed: bool
    addin: AddinResult
    backup: Path | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"master": str(self.master),
                "renamed_from": str(self.renamed_from) if self.renamed_from else None,
                "control_sheet": layout.CONTROL_SHEET, "control_added": self.control_added,
                "module": str(self.module), "module_changed": self.module_changed,
                "addin": self.addin.status, "addin_detail": self.addin.detail,
                "addin_config": str(self.addin.config) if self.addin.config else None,
                "backup": str(self.backup) if self.backup else None}


def rename_master(master: Path, new_name: str) -> Path:
    from ..files.open_save import excel_lock_file

    target = master.with_name(new_name)
    if excel_lock_file(master).exists():
        raise RenameRefused(str(excel_lock_file(master)))
    if target.exists():
        raise RenameRefused(str(target))
    master.rename(target)
    return target


def excel_setup(master: str | Path, *, rename: bool = False, addin: bool = True,
                force: bool = False, platform: str = sys.platform, run=subprocess.run
                ) -> SetupResult:
    """Check the name (NameUnusable, or rename with `rename`), add or rebuild the control sheet
    (saved with a backup), write the companion module, install the add-in where Excel runs."""
    from ..master.unit import Master
    from ..problems import MasterUnusable

    master = Path(master)
    if not master.is_file():
        raise FileNotFoundError(master)
    check = check_name(master)
    renamed_from = None
    if not check.ok:
        if not rename or check.reason == "not-xlsx":
            raise NameUnusable(check)
        renamed_from, master = master, rename_master(master, check.suggestion)
    companion = master.with_suffix(".py")
    if companion.exists() and not force and COMPANION_MARK not in companion.read_text(
            encoding="utf-8", errors="replace"):
        raise CompanionExists(str(companion))
    with Master.open(master) as m:
        if m.view.problems:
            raise MasterUnusable(m.view.problems)
        added = add_control_sheet(m.wb)
        backup = m.save().backup
    module, changed = write_companion(master, force=force)
    result = AddinResult("skipped") if not addin else install_addin(platform=platform, run=run)
    return SetupResult(master, renamed_from, added, module, changed, result, backup)

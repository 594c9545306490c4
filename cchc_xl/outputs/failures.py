"""The exceptions that end a run, as problems (code, severity, file), and the one text saying
them: what the command line, the Excel button and the launchers show."""

from __future__ import annotations

from ..problems import ERROR, Problem


def problems_of(exc: BaseException) -> list[Problem]:
    """Why a run stopped, as problems: those the exception carries (`problems`, or its one
    `problem`, from whichever layer raised it), else one made from it."""
    from ..cycle.demo import DemoFolderNotEmpty
    from ..files.libreoffice import LibreOfficeUnavailable
    from ..files.open_save import MasterLocked, WorkbookUnreadable
    from ..master.create import MasterExists

    carried = getattr(exc, "problems", None)
    if isinstance(carried, list) and all(isinstance(p, Problem) for p in carried):
        return list(carried)
    own = getattr(exc, "problem", None)
    if isinstance(own, Problem):
        return [own]
    if isinstance(exc, MasterExists):
        return [Problem("master-exists", ERROR, params={"path": str(exc)}, file=str(exc))]
    if isinstance(exc, DemoFolderNotEmpty):
        folder = str(exc.directory.resolve())
        return [Problem("demo-folder-not-empty", ERROR, params={"dir": folder}, file=folder)]
    if isinstance(exc, LibreOfficeUnavailable):
        return [Problem("libreoffice-missing", ERROR)]
    if isinstance(exc, MasterLocked):
        return [Problem("master-locked", ERROR, params={"lock": str(exc)})]
    if isinstance(exc, (WorkbookUnreadable, FileNotFoundError)):
        path = str(getattr(exc, "filename", None) or getattr(exc, "path", None) or "")
        return [Problem("cannot-read", ERROR, params={"path": path, "reason": exc}, file=path)]
    return [Problem("unexpected-error", ERROR, params={"error": f"{type(exc).__name__}: {exc}"})]


def explain(exc: BaseException, lang: str = "vi") -> str:
    """The failure as one text in a language: each problem as a list shows it."""
    return "; ".join(p.line(lang) for p in problems_of(exc))

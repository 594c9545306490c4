"""The inbox folder: every workbook in it and its subfolders (and in saved e-mails and .zip
archives), in name order, and a problem for every other file, so that none is skipped silently.
What each file is, and how it is read within bounds, is incoming.py."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..problems import WARNING, Problem
from .containers import list_eml, list_zip
from .incoming import (
    BACKUPS_FOLDER,
    CONTAINER_SUFFIXES,
    FOLDER,
    MAX_CONTAINER_BYTES,
    MAX_FILE_BYTES,
    WORKBOOK_SUFFIXES,
    Incoming,
    Refused,
    file_problem,
    is_temporary,
    not_read,
    not_read_code,
    read_regular,
    special_kind,
)
from .officer_input import shown

MAX_FOLDER_DEPTH = 16  # folders within the inbox (a month, a commune, an officer: 3 or 4)
FOLDER_NAMED = 20  # files not read in one folder each its own problem; more: one for all


def collect(inbox: Path, *, skip: tuple[Path, ...] = ()) -> tuple[list[Incoming], list[Problem]]:
    """Every workbook in the inbox and its subfolders (and in saved .eml files and .zip
    archives), in name order, and a problem for every other file, so none is skipped silently
    (many in one folder, or any in one container: one problem for them all). Each folder is
    listed once (os.scandir): a province's thousand returns cost one stat each. `skip`: the
    master; an inbox holding it is refused whole (the workbooks issued, the reports and the
    plan beside a master would be read as returns: an officer who never answered would count
    as having returned an unchanged workbook)."""
    incoming: list[Incoming] = []
    problems: list[Problem] = []
    skip_resolved = {p.resolve() for p in skip}
    if not inbox.is_dir():
        problems.append(file_problem("inbox-missing", str(inbox)))
        return incoming, problems
    root = inbox.resolve()
    inside = [p for p in skip_resolved if root in p.parents]
    if inside:  # the master's own folder: its outbox, reports and backups are no returns
        problems.append(file_problem("inbox-holds-master", str(root), master=inside[0].name))
        return incoming, problems
    # Depth first, as a recursion would go (a folder's files, then each subfolder in name
    # order), without one: a thousand nested folders cost nothing.
    stack = [(inbox, "", 0)]
    while stack:
        folder, prefix, depth = stack.pop()
        inner = _collect_folder(folder, prefix, skip_resolved, incoming, problems)
        for name in reversed(inner):
            shown_name = shown(prefix + name, 255)
            if depth + 1 > MAX_FOLDER_DEPTH:
                problems.append(file_problem("folder-too-deep", shown_name, limit=MAX_FOLDER_DEPTH))
            else:
                stack.append((folder / name, f"{prefix}{name}{os.sep}", depth + 1))
    return incoming, problems


def _collect_folder(folder: Path, prefix: str, skip: set, incoming: list[Incoming],
                    problems: list[Problem]) -> list[str]:
    """collect() of one folder's files (`prefix`: its path under the inbox, shown in names),
    in name order; returns its subfolders' names, in order (the backups folder is reported,
    not read; a symbolic link, to a file or a folder, is reported and never followed)."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:  # no permission, a share gone offline, …: its returns unread
        shown_name = shown(prefix.rstrip(os.sep), 255) if prefix else str(folder)
        problems.append(file_problem("folder-unreadable", shown_name,
                                 reason=exc.strerror or type(exc).__name__))
        return []
    folders: list[str] = []
    passed: list[tuple] = []  # the files not read, as not_read takes them
    for entry in entries:
        filename = entry.name
        name = shown(prefix + filename, 255)  # shown only; never a path
        try:
            if entry.is_dir(follow_symlinks=False):
                if filename == BACKUPS_FOLDER:  # (the name of a master's backups folder)
                    problems.append(file_problem("folder-backups", name, WARNING))
                else:
                    folders.append(filename)
                continue
        except OSError:
            pass
        path = folder / filename
        if entry.is_symlink():  # never followed: it may point outside the inbox
            passed.append((filename, name, "file-symlink", {}))
            continue
        if skip and path.resolve() in skip:
            continue
        lower = filename.lower()
        if is_temporary(filename):
            passed.append((filename, name, "file-temporary", {}))
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode):  # a FIFO would never answer, a device never end
                passed.append((filename, name, "file-not-regular",
                               {"kind": special_kind(st.st_mode)}))
                continue
            limit = MAX_CONTAINER_BYTES if lower.endswith(CONTAINER_SUFFIXES) else MAX_FILE_BYTES
            if st.st_size > limit:
                problems.append(file_problem("file-too-large", name, size=st.st_size, limit=limit))
                continue
            if lower.endswith(WORKBOOK_SUFFIXES):
                incoming.append(Incoming(name, mtime=st.st_mtime, path=path))
            elif lower.endswith(CONTAINER_SUFFIXES):
                data, seen = read_regular(path, limit)
                lister = list_eml if lower.endswith(".eml") else list_zip
                lister(data, name, st.st_mtime, (path, seen), incoming, problems)
            else:
                passed.append((filename, name, not_read_code(filename), {}))
        except Refused as exc:
            problems.append(file_problem(exc.code, name, exc.severity, **exc.params))
        except FileNotFoundError:  # gone between the listing and its stat
            problems.append(file_problem("file-vanished", name))
        except OSError as exc:
            problems.append(file_problem("file-corrupt", name, reason=exc.strerror or str(exc)))
    where = shown(prefix.rstrip(os.sep), 255) if prefix else str(folder)
    problems.extend(not_read(where, FOLDER, passed, FOLDER_NAMED))
    return folders

"""Create a master workbook from a plan document: `cchc-xl new MASTER --from PLAN`."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..plan.appendix import ImportResult, read_plan
from ..plan.roster import DEFAULT_ROLES, Role, RoleResolver, aliases_seen, default_roster
from ..problems import WARNING, Problem
from ..text import fold
from .key import master_key
from .reading import read_master
from .status_colours import paint_status


class MasterExists(FileExistsError):
    """The target master already exists; the tool never overwrites one by accident."""


@dataclass
class NewMasterResult:
    path: Path
    imported: ImportResult
    roster: list[Role]
    notes: list[Problem] = field(default_factory=list)
    roster_path: Path | None = None
    roster_file: object = None  # roster_file.RosterFile, when a roster was given
    departments: dict[str, list[str]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.imported.plan.rows)


def read_roster_csv(path: str | Path) -> list[dict]:
    """Roster rows (role, person, email, aliases, department) from a roster file: a .csv in
    UTF-8 (with or without BOM), UTF-16 or cp1258, comma, semicolon or tab separated, or an
    .xlsx workbook (roster_file.read_roster, which also gives the notes)."""
    from ..plan.roster_file import read_roster

    return [{"role": e.role, "person": e.person, "email": e.email,
             "aliases": "; ".join(e.aliases), "department": e.department}
            for e in read_roster(path).entries]


# Roles the roster file writes without saying whether they count among the specialists: the
# commune's leaders do not ("Các công chức chuyên môn" does not give them the row).
_LEADERS = ("chủ tịch", "phó chủ tịch", "bí thư", "phó bí thư")


def merge_roster(roles: list[Role], entries: list) -> list[Role]:
    """Give roles their person and email from roster entries (matched loosely by name);
    entries naming a role not in the list add it. A role written on several rows held by
    different people is a department with several officers: each becomes a role of its own,
    «Phòng Kinh tế (Nguyễn Văn A)», with the department's name among its spellings."""
    return _merge(roles, entries)[0]


def _merge(roles: list[Role], entries: list) -> tuple[list[Role], list[str]]:
    from ..plan.roster_file import RosterEntry

    entries = [e if isinstance(e, RosterEntry) else RosterEntry(
        role=e["role"], person=e.get("person") or "", email=e.get("email") or "",
        aliases=[a.strip() for a in (e.get("aliases") or "").split(";") if a.strip()],
        department=e.get("department") or "") for e in entries]
    by_role: dict[str, list] = {}
    for entry in entries:
        by_role.setdefault(fold(entry.role), []).append(entry)
    named: list[str] = []
    for entry in entries:
        same = by_role[fold(entry.role)]
        name, department = entry.role, entry.department
        if len(same) > 1 and len({fold(e.person) for e in same}) > 1:
            department = department or entry.role
            name = f"{entry.role} ({entry.person or same.index(entry) + 1})"
        match = RoleResolver(roles).match(name)
        role = next((r for r in roles if r.name == match), None) if match else None
        if role is None:
            role = Role(name, specialist=not fold(name).startswith(_LEADERS))
            roles.append(role)
        elif fold(name) != fold(role.name) and fold(name) not in map(fold, role.aliases):
            role.aliases.append(name)  # the commune's own spelling of the title
        role.person = entry.person or role.person
        role.email = entry.email or role.email
        for alias in [*entry.aliases, department]:
            if alias and fold(alias) not in map(fold, role.aliases):
                role.aliases.append(alias)
        if entry.specialist is not None:
            role.specialist = entry.specialist
        if role.name not in named:
            named.append(role.name)
    return roles, named


def unknown_roles(plan, resolver: RoleResolver, source: str) -> list[Problem]:
    """Each lead or support text that names no role, once, with the rows it stands in and
    the roles it may mean."""
    from ..messages import Bilingual
    from ..plan.document import at

    seen: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for row in plan.rows:
        for key in ("lead", "support"):
            for part in resolver.resolve(getattr(row, key)).unknown:
                seen.setdefault(fold(part), (part, []))[1].append((row.code, key))
    out = []
    parts = {"lead": ("chủ trì", "lead"), "support": ("phối hợp", "support")}
    for part, rows in seen.values():
        shown = rows[:6]
        more = " …" if len(rows) > 6 else ""
        where = Bilingual(
            "dòng " + ", ".join(f"{c} ({parts[k][0]})" for c, k in shown) + more,
            ("row " if len(rows) == 1 else "rows ")
            + ", ".join(f"{c} ({parts[k][1]})" for c, k in shown) + more)
        closest = resolver.closest(part)
        maybe = Bilingual("; có thể là: " + ", ".join(closest),
                          "; it may be: " + ", ".join(closest)) if closest else ""
        out.append(Problem("role-unknown-in-plan", WARNING, "", "", part,
                           {"file": source, "at": at(source), "rows": where, "closest": maybe},
                           file=source))
    return out


def create_master(master: str | Path, plan_path: str | Path, *,
                  roster_csv: str | Path | None = None, force: bool = False
                  ) -> NewMasterResult:
    """Import the plan, resolve its lead/support text against the roster (`roster_csv`: a
    .csv or .xlsx roster file), write the master. With a roster, the built-in roles it does
    not name are left out, unless the plan names them."""
    from ..files.open_save import save
    from .build import build_master

    master = Path(master)
    if master.exists() and not force:
        raise MasterExists(str(master))
    imported = read_plan(plan_path)
    roles = default_roster()
    notes: list[Problem] = []
    given = None
    if roster_csv:
        from ..plan.roster_file import read_roster

        given = read_roster(roster_csv)
        notes += given.notes
        roles, named = _merge(roles, given.entries)
        in_plan = RoleResolver(roles)
        used = {name for row in imported.plan.rows for text in (row.lead, row.support)
                for name in in_plan.resolve(text).roles}
        builtin = {role.name for role in DEFAULT_ROLES}
        roles = [r for r in roles if r.name not in builtin or r.name in named or r.name in used]
    resolver = RoleResolver(roles)
    texts = [t for row in imported.plan.rows for t in (row.lead, row.support) if t]
    for name, spellings in aliases_seen(resolver, texts).items():
        role = next(r for r in roles if r.name == name)
        role.aliases.extend(s for s in spellings if fold(s) not in map(fold, role.aliases))
    wb = build_master(imported.plan, roles, {"master_id": str(uuid.uuid4())})
    master_key(wb, create=True)
    paint_status(wb[layout.PLAN.name], read_master(wb), dt.date.today())
    master.parent.mkdir(parents=True, exist_ok=True)
    if master.exists():  # (--force: replacing a master in use is one unit of work too)
        from .unit import MasterLock

        with MasterLock(master):
            save(wb, master, backup=True)
    else:
        save(wb, master, backup=False)
    notes = [*imported.notes, *notes, *unknown_roles(imported.plan, resolver, imported.source)]
    return NewMasterResult(master, imported, roles, notes,
                           Path(roster_csv) if roster_csv else None, given,
                           resolver.departments() if given else {})

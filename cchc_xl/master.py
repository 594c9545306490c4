"""Create a master workbook from a plan document: `cchc-xl new MASTER --from PLAN`."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .master_read import read_master
from .plan_import import ImportResult, read_plan
from .problems import Problem
from .roster import Role, RoleResolver, aliases_seen, default_roster
from .scoring import paint_status
from .stamp import master_key
from .text import clean_cell, fold


class MasterExists(FileExistsError):
    """The target master already exists; the tool never overwrites one by accident."""


@dataclass
class NewMasterResult:
    path: Path
    imported: ImportResult
    roster: list[Role]
    notes: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.imported.plan.rows)


def read_roster_csv(path: str | Path) -> list[dict]:
    """Roster rows from a CSV with columns role/Vai trò, person/Họ và tên, email/Email
    (UTF-8, comma or semicolon separated, as Excel saves 'CSV UTF-8')."""
    text = Path(path).read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    names = {"role": "role", "vai trò": "role", "person": "person", "họ và tên": "person",
             "email": "email", "aliases": "aliases", "cách viết trong kế hoạch": "aliases"}
    rows = []
    for raw in csv.DictReader(text.splitlines(), dialect=dialect):
        row = {names.get(fold(k), fold(k)): clean_cell(v) for k, v in raw.items() if k}
        if row.get("role"):
            rows.append(row)
    return rows


def merge_roster(roles: list[Role], entries: list[dict]) -> list[Role]:
    """Give roles their person and email from roster entries (matched loosely by name);
    entries naming a role not in the list add it."""
    resolver = RoleResolver(roles)
    for entry in entries:
        name = resolver.match(entry["role"])
        role = next((r for r in roles if r.name == name), None)
        if role is None:
            role = Role(entry["role"])
            roles.append(role)
            resolver = RoleResolver(roles)
        role.person = entry.get("person", role.person)
        role.email = entry.get("email", role.email)
        for alias in (entry.get("aliases") or "").split(";"):
            if alias.strip() and alias.strip() not in role.aliases:
                role.aliases.append(alias.strip())
    return roles


def create_master(master: str | Path, plan_path: str | Path, *,
                  roster_csv: str | Path | None = None, force: bool = False
                  ) -> NewMasterResult:
    """Import the plan, resolve its lead/support text against the roster, write the master."""
    from .master_build import build_master
    from .workbook_io import save

    master = Path(master)
    if master.exists() and not force:
        raise MasterExists(str(master))
    imported = read_plan(plan_path)
    roles = default_roster()
    if roster_csv:
        roles = merge_roster(roles, read_roster_csv(roster_csv))
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
        from .master_file import MasterLock

        with MasterLock(master):
            save(wb, master, backup=True)
    else:
        save(wb, master, backup=False)
    return NewMasterResult(master, imported, roles, list(imported.notes))

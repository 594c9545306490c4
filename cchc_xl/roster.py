"""The roster of officers by role, and how the plan's lead/support text resolves to roles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import clean_cell, fold


@dataclass
class Role:
    """A commune civil-servant role, the spellings the plan uses for it, and who holds it."""

    name: str
    aliases: list[str] = field(default_factory=list)
    specialist: bool = True  # member of "Các công chức chuyên môn thuộc UBND xã"
    person: str = ""
    email: str = ""

    @property
    def head(self) -> str:
        """The part before the dash: 'Tư pháp – Hộ tịch' -> 'tư pháp'."""
        return fold(self.name).split(" - ")[0]


DEFAULT_ROLES = (
    Role("Văn phòng – Thống kê", ["Văn phòng"]),
    Role("Tư pháp – Hộ tịch", ["Tư pháp"]),
    Role("Địa chính – Xây dựng", ["Địa chính"]),
    Role("Tài chính – Kế toán", ["Tài chính", "Kế toán"]),
    Role("Văn hóa – Xã hội", ["Văn hóa"]),
    Role("Chỉ huy trưởng Quân sự", ["Quân sự", "Ban Chỉ huy Quân sự"]),
)


def default_roster() -> list[Role]:
    return [Role(r.name, list(r.aliases), r.specialist) for r in DEFAULT_ROLES]


# "Các công chức chuyên môn (thuộc UBND xã)": every specialist civil servant.
_GROUP_ALL_RE = re.compile(
    r"^(các\s+)?(cán bộ,?\s+)?công chức chuyên môn"
    r"(\s+thuộc\s+(ubnd|ủy ban nhân dân|uỷ ban nhân dân)"
    r"(\s+xã)?)?$"
)
GROUP_ALL = "Các công chức chuyên môn thuộc UBND xã"
# Parties outside the roster that plans name beside officers.
_EXTERNAL_RE = re.compile(r"^(các\s+)?(thôn|tổ dân phố|thôn, tổ dân phố|ban ngành|đoàn thể|"
                          r"ban ngành, đoàn thể|ban, ngành, đoàn thể)$")
_LIST_PREFIX_RE = re.compile(r"^(các\s+)?(cán bộ,?\s+)?(công chức|bộ phận)\s*:?\s*")


@dataclass
class Assignment:
    """What a lead or support cell names: roster roles, groups, outside parties, unknown parts."""

    roles: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return bool(self.groups) or len(self.roles) > 1


class RoleResolver:
    """Resolves loosely written lead/support text to the roster's role names."""

    def __init__(self, roles: list[Role]):
        self.roles = roles
        self._by_key: dict[str, list[str]] = {}
        self._places: dict[str, list[int]] = {}  # a role's name -> its place(s) in the roster
        for place, role in enumerate(roles):
            self._places.setdefault(role.name, []).append(place)
            for key in {fold(role.name), role.head, *(fold(a) for a in role.aliases if a)}:
                names = self._by_key.setdefault(key, [])
                if role.name not in names:
                    names.append(role.name)

    def ambiguous_aliases(self) -> dict[str, list[str]]:
        """Spellings that point at more than one role."""
        return {key: names for key, names in self._by_key.items() if len(names) > 1}

    def match(self, part: str) -> str | None:
        key = fold(part)
        names = self._by_key.get(key)
        if not names:
            names = self._by_key.get(key.split(" - ")[0])  # "Văn hóa - XH" -> "văn hóa"
        return names[0] if names and len(names) == 1 else None

    def specialists(self) -> list[str]:
        return [role.name for role in self.roles if role.specialist]

    def resolve(self, text: str) -> Assignment:
        found = Assignment()
        whole = fold(text)
        if not whole:
            return found
        for part in _split_parties(whole):
            if _GROUP_ALL_RE.match(part):
                _add(found.groups, GROUP_ALL)
            elif _EXTERNAL_RE.match(part):
                _add(found.external, part)
            else:
                name = self.match(part)
                if name:
                    _add(found.roles, name)
                else:
                    _add(found.unknown, _original_part(text, part))
        return found

    def members(self, assignment: Assignment) -> list[str]:
        """Every roster role an assignment covers, groups expanded, in roster order."""
        names = set(assignment.roles)
        if assignment.groups:
            names.update(self.specialists())
        places = self._places  # (not a pass over the roster for each row: a province's
        # roster has thousands of units)
        return [self.roles[i].name for i in sorted(i for n in names for i in places.get(n, ()))]


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _split_parties(folded: str) -> list[str]:
    """'các công chức: tư pháp, tài chính - kế toán và các thôn' -> its parties."""
    parts: list[str] = []
    for chunk in re.split(r"\s+và\s+|;|\n", folded):
        chunk = chunk.strip(" .,:")
        if not chunk:
            continue
        if _GROUP_ALL_RE.match(chunk) or _EXTERNAL_RE.match(chunk):
            parts.append(chunk)
            continue
        chunk = _LIST_PREFIX_RE.sub("", chunk)
        parts.extend(p.strip(" .:") for p in chunk.split(",") if p.strip(" .:"))
    return parts


def _original_part(text: str, folded_part: str) -> str:
    """The unknown part as the user wrote it, for the message (best effort)."""
    for piece in re.split(r"[,;:\n]|\s+và\s+", clean_cell(text)):
        if fold(piece) == folded_part or fold(piece).endswith(folded_part):
            return piece.strip()
    return folded_part


def aliases_seen(resolver: RoleResolver, texts: list[str]) -> dict[str, list[str]]:
    """For each role, the distinct spellings the plan used for it (to write into the roster)."""
    seen: dict[str, list[str]] = {role.name: [] for role in resolver.roles}
    for text in texts:
        for chunk in re.split(r"[,;\n]|\s+và\s+", clean_cell(text)):
            piece = re.sub(r"^(Các\s+)?(công chức|bộ phận)\s*:?\s*", "", chunk.strip(),
                           flags=re.IGNORECASE).strip(" .:")
            name = resolver.match(piece) if piece else None
            if name and fold(piece) != fold(name) and piece not in seen[name]:
                if fold(piece) not in {fold(s) for s in seen[name]}:
                    seen[name].append(piece)
    return seen

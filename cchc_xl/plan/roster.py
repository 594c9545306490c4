"""The roster of officers by role, and how the plan's lead/support text resolves to roles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import clean_cell, fold


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
_LIST_PREFIX_ANY_CASE = re.compile(_LIST_PREFIX_RE.pattern, re.IGNORECASE)
# Official titles that hold "và" or a comma: one party, never a list (Decree 33/2023 for the
# civil servants' titles, Decree 150/2025 for the departments of the commune since 1/7/2025).
OFFICIAL_TITLES = (
    "Địa chính - Nông nghiệp - Xây dựng và Môi trường",
    "Địa chính - Xây dựng - Đô thị và Môi trường",
    "Văn phòng HĐND và UBND",
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
)
# A spelling several roles share names a unit (a department, phòng) when it starts so: the
# unit then leads or supports as the group of those roles. Otherwise it is an ambiguity.
DEPARTMENT_WORDS = ("phòng", "văn phòng", "ban", "trung tâm", "bộ phận", "tổ", "đội")
# Where a lead or support cell lists several parties.
_SEPARATORS = re.compile(r"(\s*;\s*|\s*\n\s*|\s*,\s*|\s+và\s+)", re.IGNORECASE)


def is_department(key: str) -> bool:
    """A folded spelling that names a unit: 'phòng kinh tế', 'văn phòng hđnd và ubnd'."""
    return any(key == w or key.startswith(w + " ") for w in DEPARTMENT_WORDS)


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
            keys = {fold(role.name), role.head, *(fold(a) for a in role.aliases if a)}
            # a department's name also by its first part ("Phòng Văn hóa - XH")
            keys |= {k.split(" - ")[0] for k in keys if is_department(k)}
            for key in keys:
                names = self._by_key.setdefault(key, [])
                if role.name not in names:
                    names.append(role.name)
        # Spellings that hold a separator ("Văn phòng HĐND và UBND"): kept whole in a list.
        self._compound = {fold(t) for t in OFFICIAL_TITLES} | {
            key for key in self._by_key if _SEPARATORS.search(key)}

    def ambiguous_aliases(self) -> dict[str, list[str]]:
        """Spellings that point at more than one role (a department's name is not one: it
        stands for all its officers)."""
        return {key: names for key, names in self._by_key.items()
                if len(names) > 1 and not is_department(key)}

    def departments(self) -> dict[str, list[str]]:
        """Each department's name, as a role spells it, and its officers."""
        out = {}
        for key, names in self._by_key.items():
            if len(names) > 1 and is_department(key):
                role = self.roles[self._places[names[0]][0]]
                shown = next((a for a in (role.name, *role.aliases) if fold(a) == key), None)
                if shown is not None:  # (not the first part of a name, kept to match by)
                    out[shown] = list(names)
        return out

    def _names(self, key: str) -> list[str] | None:
        names = self._by_key.get(key)
        if not names:
            names = self._by_key.get(key.split(" - ")[0])  # "Văn hóa - XH" -> "văn hóa"
        return names

    def match(self, part: str) -> str | None:
        """The one role a spelling names, or None (unknown, or several roles)."""
        names = self._names(fold(part))
        return names[0] if names and len(names) == 1 else None

    def match_all(self, part: str) -> list[str]:
        """The roles a spelling names: one role, or all the officers of a department whose
        name it is; [] when unknown or ambiguous."""
        key = fold(part)
        names = self._names(key)
        if not names:
            return []
        if len(names) == 1:
            return list(names)
        department = key if key in self._by_key else key.split(" - ")[0]
        return list(names) if is_department(department) else []

    def known(self, part: str) -> bool:
        key = fold(part)
        return bool(_GROUP_ALL_RE.match(key) or _EXTERNAL_RE.match(key)
                    or self.match_all(part) or _LIST_PREFIX_RE.match(key))

    def specialists(self) -> list[str]:
        return [role.name for role in self.roles if role.specialist]

    def parts(self, text: str) -> list[str]:
        """The parties a lead or support cell names, as written: split at ';', line breaks,
        commas and 'và', except inside an official title or a spelling of the roster that
        holds them, and a 'và' that ends a title of three parts joined by dashes ('Địa chính -
        Xây dựng - Đô thị và Môi trường') when what follows it names nothing by itself."""
        atoms = _SEPARATORS.split(clean_cell(text))
        pieces, seps = atoms[0::2], atoms[1::2]
        out: list[str] = []
        i = 0
        while i < len(pieces):
            j = self._longest_compound(pieces, seps, i)
            piece = _joined(pieces, seps, i, j)
            i = j + 1
            while (i < len(pieces) and seps[i - 1].strip().casefold() == "và"
                   and fold(piece).count(" - ") >= 2 and not self.known(pieces[i])):
                piece = _joined([piece, pieces[i]], [seps[i - 1]], 0, 1)
                i += 1
            out.append(piece)
        parts = []
        for piece in out:
            key = fold(piece)
            if not key:
                continue
            if not (_GROUP_ALL_RE.match(key) or _EXTERNAL_RE.match(key)):
                piece = _LIST_PREFIX_ANY_CASE.sub("", piece.strip(), count=1)
            if fold(piece):
                parts.append(piece.strip(" .,:;"))
        return parts

    def _longest_compound(self, pieces: list[str], seps: list[str], i: int) -> int:
        best = i
        for j in range(i + 1, min(len(pieces), i + 6)):
            key = fold(_joined(pieces, seps, i, j))
            if key in self._compound or _EXTERNAL_RE.match(key) or _GROUP_ALL_RE.match(key):
                best = j
        return best

    def resolve(self, text: str) -> Assignment:
        found = Assignment()
        if not fold(text):
            return found
        for part in self.parts(text):
            key = fold(part)
            if _GROUP_ALL_RE.match(key):
                _add(found.groups, GROUP_ALL)
            elif _EXTERNAL_RE.match(key):
                _add(found.external, key)
            else:
                names = self.match_all(part)
                for name in names:
                    _add(found.roles, name)
                if not names:
                    _add(found.unknown, part)
        return found

    def members(self, assignment: Assignment) -> list[str]:
        """Every roster role an assignment covers, groups expanded, in roster order."""
        names = set(assignment.roles)
        if assignment.groups:
            names.update(self.specialists())
        places = self._places  # (not a pass over the roster for each row: a province's
        # roster has thousands of units)
        return [self.roles[i].name for i in sorted(i for n in names for i in places.get(n, ()))]

    def closest(self, part: str, limit: int = 3) -> list[str]:
        """The roles (or departments) an unknown spelling could mean, closest first: those
        sharing its words ('Phòng Văn hóa – Xã hội' → 'Văn hóa – Xã hội'), or spelled nearly
        so."""
        from difflib import SequenceMatcher

        from .headers import words

        mine = set(words(part)) - _COMMON_WORDS
        departments = {fold(name): name for name in self.departments()}
        scored: dict[str, tuple[float, int]] = {}
        for key, names in self._by_key.items():
            theirs = set(words(key)) - _COMMON_WORDS
            overlap = len(mine & theirs) / max(len(mine), len(theirs), 1)
            near = SequenceMatcher(None, " ".join(words(part)), " ".join(words(key))).ratio()
            score = max(overlap, near if near >= 0.75 else 0.0)
            if score < 0.5:
                continue
            shown = [departments[key]] if key in departments else (
                names if len(names) == 1 else [])
            for name in shown:
                place = self._places[name][0] if name in self._places else -1
                if score > scored.get(name, (0.0, 0))[0]:
                    scored[name] = (score, place)
        return sorted(scored, key=lambda n: (-scored[n][0], scored[n][1]))[:limit]


# Words too common in the names of officers to tell two apart ("các công chức …", "… xã").
_COMMON_WORDS = {"cac", "cong", "chuc", "can", "bo", "va", "thuoc", "cua", "ubnd", "uy",
                 "nhan", "dan"}


def _joined(pieces: list[str], seps: list[str], i: int, j: int) -> str:
    text = pieces[i]
    for k in range(i, j):
        text += seps[k] + pieces[k + 1]
    return text


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def aliases_seen(resolver: RoleResolver, texts: list[str]) -> dict[str, list[str]]:
    """For each role, the distinct spellings the plan used for it (to write into the roster)."""
    seen: dict[str, list[str]] = {role.name: [] for role in resolver.roles}
    for text in texts:
        for piece in resolver.parts(text):
            name = resolver.match(piece)
            if name and fold(piece) != fold(name) and piece not in seen[name]:
                if fold(piece) not in {fold(s) for s in seen[name]}:
                    seen[name].append(piece)
    return seen

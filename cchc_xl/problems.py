"""Problems as data: a stable code, a severity, where it is (sheet!cell) and a message."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .messages import SEVERITY_LABELS, localise, render

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass
class Problem:
    """One thing wrong in a file, with its address as Excel shows it."""

    code: str
    severity: str
    sheet: str = ""
    cell: str = ""
    value: object = None
    params: dict = field(default_factory=dict)
    file: str = ""
    fixed: bool = False

    @property
    def where(self) -> str:
        """'Kế hoạch'!E5 as Excel writes it, after the file's name when it is another file."""
        place = self.sheet
        if self.sheet and self.cell:
            sheet = f"'{self.sheet}'" if " " in self.sheet else self.sheet
            place = f"{sheet}!{self.cell}"
        if self.file and place:
            return f"{self.file} › {place}"
        return place or self.file

    def message(self, lang: str = "vi") -> str:
        return render(self.code, lang, value=self.value, **self.params)

    def line(self, lang: str = "vi") -> str:
        """The problem as a list shows it: its place, then its message; alone, the message
        of a problem about a whole file that names the file already ('Tệp x.txt không phải
        phiếu Excel', not 'x.txt: Tệp x.txt …')."""
        message = self.message(lang)
        where = self.where
        if not where or (where == self.file and self.file in message):
            return message
        return f"{where}: {message}"

    def row(self, lang: str = "vi", *, debug: bool = False) -> list[str]:
        """The problem as every list office staff read shows it (terminal, control sheet,
        report book): place, severity, message; its internal code only when debugging."""
        severity = SEVERITY_LABELS[self.severity][1 if lang == "en" else 0]
        return [self.where, severity, self.message(lang), *([self.code] if debug else [])]

    def to_dict(self, lang: str = "vi") -> dict:
        data = asdict(self)
        data["value"] = _jsonable(self.value)
        data["params"] = {k: _jsonable(localise(v, lang)) for k, v in self.params.items()}
        data["where"] = self.where
        data["message"] = self.message(lang)
        return data


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


@dataclass
class Report:
    """Everything found in one run over one file: problems plus counts."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    # What still needs the office's action (master.needs_action.NeedsAction), where the run
    # found it: validate, on the master it checked.
    needs: object = None

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def open_problems(self) -> list[Problem]:
        return [p for p in self.problems if not p.fixed]

    @property
    def valid(self) -> bool:
        """True when nothing but information is left to act on."""
        return not any(p.severity in (ERROR, WARNING) for p in self.open_problems)

    @property
    def fatal(self) -> bool:
        return any(p.code in FATAL_CODES for p in self.problems)

    def count(self, severity: str) -> int:
        return sum(1 for p in self.open_problems if p.severity == severity)

    def flatten(self) -> list[list[str]]:
        """[['Kế hoạch!E5', 'lost-children-mismatch'], ...] for exact comparison in tests."""
        return [[p.where, p.code] for p in self.problems]

    def exit_code(self) -> int:
        if self.fatal:
            return 2
        return 0 if self.valid else 1

    def to_dict(self, lang: str = "vi") -> dict:
        return {
            "file": self.file,
            "valid": self.valid,
            "stats": {**self.stats, "errors": self.count(ERROR), "warnings": self.count(WARNING),
                      "infos": self.count(INFO)},
            "problems": [p.to_dict(lang) for p in self.problems],
            **({"needs_action": self.needs.to_dict()} if self.needs is not None else {}),
        }


# Problems that make a file unusable as a master, so nothing else can be checked.
FATAL_CODES = {"file-missing", "file-unreadable", "sheet-missing", "column-missing"}


class MasterUnusable(Exception):
    """The master cannot be used (read, written or consolidated into): its problems say why."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:  # (what a log or traceback shows: the messages, not codes)
        return "; ".join(p.line("vi") for p in self.problems)

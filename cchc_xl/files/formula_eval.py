"""Evaluate the Excel formula subset cchc-xl writes over an in-memory openpyxl workbook."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from numbers import Number
from typing import Any, NamedTuple

from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple, get_column_letter
from openpyxl.utils.datetime import to_excel

ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")


class ExcelError(str):
    """An Excel error value such as '#DIV/0!'; compares equal to its text."""

    DIV0: ExcelError
    VALUE: ExcelError
    REF: ExcelError
    NAME: ExcelError
    NUM: ExcelError
    NA: ExcelError

    def __repr__(self) -> str:
        return f"ExcelError({str(self)!r})"


DIV0, VALUE, REF, NAME, NUM, NA = (ExcelError(c) for c in ERROR_CODES[1:7])
ExcelError.DIV0, ExcelError.VALUE, ExcelError.REF = DIV0, VALUE, REF
ExcelError.NAME, ExcelError.NUM, ExcelError.NA = NAME, NUM, NA


class Unsupported(Exception):
    """Formula uses syntax or a function this evaluator does not implement."""


class _Fail(Exception):
    """args[0]: the Excel error an operator or function results in."""


class _Need(Exception):
    """args[0]: formula cells to compute before the current formula can be."""


class Ref(NamedTuple):
    """A rectangular range of one sheet, 1-based and inclusive."""

    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int


Key = tuple[str, int, int]
_SHEET = r"(?:'(?:[^']|'')+'|[^\W\d][\w.]*)!"
_TOKEN = re.compile(
    rf"""(?P<ws>\s+)|(?P<str>"(?:[^"]|"")*")
    |(?P<err>(?:{_SHEET})?(?P<code>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA)))
    |(?P<sheet>{_SHEET})?(?P<ref>\$?[A-Za-z]{{1,3}}\$?\d+(?::\$?[A-Za-z]{{1,3}}\$?\d+)?
        |\$?[A-Za-z]{{1,3}}:\$?[A-Za-z]{{1,3}}|\$?\d+:\$?\d+)(?![\w.(!\[])
    |(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<id>[^\W\d][\w.]*)
    |(?P<op><>|<=|>=|[-+*/^&=<>%(),])""",
    re.VERBOSE,
)
_CELL = re.compile(r"([A-Z]+)(\d+)")
_COLUMN = functools.lru_cache(maxsize=None)(column_index_from_string)
_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_XLFN = re.compile(r"(?<![\w.])_XL(?:FN|WS)\.")
_LEVEL = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3,
          "*": 4, "/": 4, "^": 5}
_COMPARE: dict[str, Callable[[int], bool]] = {
    "=": lambda c: c == 0, "<>": lambda c: c != 0, "<": lambda c: c < 0, ">": lambda c: c > 0,
    "<=": lambda c: c <= 0, ">=": lambda c: c >= 0}
_ARITY = {**dict.fromkeys(["NOT", "ABS", "ISBLANK", "ISNUMBER", "ISTEXT", "ISERROR", "LEN", "TRIM",
                           "VALUE", "COUNTBLANK"], (1, 1)),
          **dict.fromkeys(["IFERROR", "COUNTIF", "ROUND", "ROUNDUP", "ROUNDDOWN"], (2, 2)),
          **dict.fromkeys(["IF", "SUMIF", "AVERAGEIF", "INDEX", "MATCH"], (2, 3)),
          "TRUE": (0, 0), "FALSE": (0, 0), "SUMIFS": (3, 255), "COUNTIFS": (2, 254)}


def _quote_sheet(name: str) -> str:
    """A sheet name as a formula writes it: quoted only when it must be."""
    plain = re.fullmatch(r"[^\W\d][\w.]*", name)
    if plain and not re.fullmatch(r"[A-Z]{1,3}\d+|R\d*C\d*", name, re.IGNORECASE):
        return name
    return "'" + name.replace("'", "''") + "'"


def _tokens(formula: str) -> list[tuple[str, Any]]:
    text, out, pos = formula.removeprefix("="), [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise Unsupported(f"syntax: unexpected {text[pos]!r} in {formula!r}")
        pos, kind, tok = m.end(), m.lastgroup, m.group()
        if kind == "str":
            out.append(("c", tok[1:-1].replace('""', '"')))
        elif kind == "err":
            out.append(("c", ExcelError(m["code"])))
        elif kind == "num":
            out.append(("c", float(tok) if re.search("[.eE]", tok) else int(tok)))
        elif kind == "ref":
            sheet = m["sheet"][:-1] if m["sheet"] else None
            if sheet and sheet[0] == "'":
                sheet = sheet[1:-1].replace("''", "'")
            out.append(("ref", (sheet, m["ref"].replace("$", "").upper())))
        elif kind != "ws":
            out.append((kind, tok.upper() if kind == "id" else tok))
    return out


def _bounds(ref: str) -> tuple[int, int, int, int]:
    """(r1, c1, r2, c2) of 'A1', 'A1:B3', 'C:C' (r2 = 0: to the last row) or '2:3' (c2 = 0)."""
    a, _, b = ref.partition(":")
    if a.isdigit():
        return min(int(a), int(b)), 1, max(int(a), int(b)), 0
    if a.isalpha():
        ca, cb = _COLUMN(a), _COLUMN(b)
        return 1, min(ca, cb), 0, max(ca, cb)
    (ca, ra), (cb, rb) = _CELL.fullmatch(a).groups(), _CELL.fullmatch(b or a).groups()
    (ca, cb), (ra, rb) = (_COLUMN(ca), _COLUMN(cb)), (int(ra), int(rb))
    return min(ra, rb), min(ca, cb), max(ra, rb), max(ca, cb)


# Parsed formulas (immutable trees; the reason as text for one that cannot be parsed), shared
# by every evaluator of a process: a command checks the master, then saves it, and both
# evaluate the same formulas.
_PARSED: dict[str, tuple | str] = {}
_PARSED_MAX = 200_000


def _parse(formula: str) -> tuple:
    """AST: ("c", value) | ("ref", sheet, r1, c1, r2, c2) | ("name", NAME) | ("u", op, x)
    | ("op", op, a, b) | ("fn", NAME, args)."""
    toks, pos = [*_tokens(formula), ("end", None)], 0

    def take(*want: tuple[str, Any]) -> tuple[str, Any]:
        nonlocal pos
        if toks[pos][0] == "end" or (want and toks[pos] not in want):
            raise Unsupported(f"syntax: unexpected {toks[pos][1]!r} in {formula!r}")
        pos += 1
        return toks[pos - 1]

    def binary(level: int) -> tuple:
        node = unary()
        while toks[pos][0] == "op" and _LEVEL.get(toks[pos][1], 0) >= level:
            op = take()[1]
            node = ("op", op, node, binary(_LEVEL[op] + 1))  # left-associative: 2^3^2 = 64
        return node

    def unary() -> tuple:  # negation binds tighter than % and ^ in Excel: -2^2 = 4
        if toks[pos] in (("op", "-"), ("op", "+")):
            return ("u", take()[1], unary())
        node = primary()
        while toks[pos] == ("op", "%"):
            node = ("u", take()[1], node)
        return node

    def primary() -> tuple:
        kind, val = take()
        if kind in ("c", "ref"):
            return ("c", val) if kind == "c" else ("ref", val[0], *_bounds(val[1]))
        if (kind, val) == ("op", "("):
            node = binary(1)
            take(("op", ")"))
            return node
        if kind != "id":
            raise Unsupported(f"syntax: unexpected {val!r} in {formula!r}")
        if toks[pos] != ("op", "("):
            return ("c", val == "TRUE") if val in ("TRUE", "FALSE") else ("name", val)
        name, args = _XLFN.sub("", val), []
        if name not in _FUNCS:
            raise Unsupported(f"function {name}")
        take()
        while toks[pos] != ("op", ")") or (args and toks[pos - 1] == ("op", ",")):
            args.append(("c", None) if toks[pos] in (("op", ","), ("op", ")")) else binary(1))
            if toks[pos] != ("op", ","):
                break
            take()
        take(("op", ")"))
        low, high = _ARITY.get(name, (1, 255))
        if not low <= len(args) <= high:
            raise Unsupported(f"wrong number of arguments to {name}")
        return ("fn", name, tuple(args))

    node = binary(1)
    if toks[pos][0] != "end":
        raise Unsupported(f"syntax: unexpected {toks[pos][1]!r} in {formula!r}")
    return node


def normalize_formula(text: str) -> str:
    """Canonical form for comparing formulas: no '=', '$', blanks or _xlfn.; upper case."""
    out = []
    for m in re.finditer(r"\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'|[^\"']+|.",
                         text.strip().removeprefix("=")):
        tok = m.group()
        if tok.startswith('"'):
            out.append(tok)
        elif tok.startswith("'") and len(tok) > 1:
            out.append(_quote_sheet(tok[1:-1].replace("''", "'").upper()))
        else:
            out.append(_XLFN.sub("", re.sub(r"[\s$]+", "", tok).upper()))
    return "".join(out)


def references(formula: str) -> list[tuple[str | None, str]]:
    """Cell/range references in a formula, in order: (sheet or None, 'A1' or 'A1:B3')."""
    return [val for kind, val in _tokens(formula) if kind == "ref"]


def _parse_num(s: str) -> float | None:
    t = s.strip().removesuffix("%")
    scale = 100 if t != s.strip() else 1
    return float(t.strip().replace(",", "")) / scale if _NUMBER.fullmatch(t.strip()) else None


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and not isinstance(v, ExcelError)


def _num(v: Any) -> float | int:
    """A value in arithmetic: blank 0, TRUE 1, numeric text read ("0,5" is #VALUE!)."""
    if isinstance(v, ExcelError):
        raise _Fail(v)
    if v is None or isinstance(v, (int, float)):
        return int(v or 0) if v is None or isinstance(v, bool) else v
    if (n := _parse_num(v)) is None:
        raise _Fail(VALUE)
    return n


def _text(v: Any) -> str:
    if isinstance(v, ExcelError):
        raise _Fail(v)
    if v is None or isinstance(v, (str, bool)):
        return ("TRUE" if v else "FALSE") if isinstance(v, bool) else v or ""
    s = "0" if v == 0 else f"{v:.15g}"  # 15 significant digits, like Excel's General format
    return (format(Decimal(s), "f") if "e" in s and 1e-10 <= abs(v) < 1 else s).replace("e", "E")


def _bool(v: Any) -> bool:
    if isinstance(v, ExcelError) or (isinstance(v, str) and v.upper() not in ("TRUE", "FALSE")):
        raise _Fail(v if isinstance(v, ExcelError) else VALUE)
    return v.upper() == "TRUE" if isinstance(v, str) else bool(v)


def _rank(v: Any) -> int:
    return 2 if isinstance(v, bool) else 1 if isinstance(v, str) else 0


def _cmp(a: Any, b: Any) -> int:
    """Excel ordering: numbers < text (case-insensitive) < booleans; blank is "", 0 or FALSE."""
    a = ("" if isinstance(b, str) else False if isinstance(b, bool) else 0) if a is None else a
    b = ("" if isinstance(a, str) else False if isinstance(a, bool) else 0) if b is None else b
    if _rank(a) != _rank(b):
        return -1 if _rank(a) < _rank(b) else 1
    if isinstance(a, str):
        a, b = a.lower(), b.lower()
    elif math.isclose(a, b, rel_tol=1e-15):  # 15 digits: 0.1 + 0.2 = 0.3 in Excel
        return 0
    return (a > b) - (a < b)


def _criterion(c: Any) -> Callable[[Any], bool]:
    """Matcher for a COUNTIF criterion: 5, "Hoàn thành", ">=5", "<>x", "<>", "", "a*"."""
    op, rhs = "=", 0 if c is None else c
    if _is_text(c):
        prefix, rest = re.match(r"(<=|>=|<>|=|<|>)?(.*)", c, re.DOTALL).groups()
        if rest == "" and prefix in (None, "="):  # "" is blank or empty text; "=" only blank
            return lambda v: v is None or (prefix is None and v == "")
        if rest == "" and prefix == "<>":
            return lambda v: v is not None
        op, num, up = prefix or "=", _parse_num(rest), rest.upper()
        rhs = (num if num is not None else up == "TRUE" if up in ("TRUE", "FALSE")
               else ExcelError(up) if up in ERROR_CODES else rest)
    test, pattern = _COMPARE["=" if op == "<>" else op], None
    if _is_text(rhs) and op in ("=", "<>") and re.search(r"[*?~]", rhs):  # wildcards, ~ escapes
        pattern = re.compile("".join(".*" if p == "*" else "." if p == "?" else re.escape(
            p[-1:] if p[:1] == "~" else p) for p in re.split(r"(~.|\*|\?)", rhs)), re.I | re.S)

    def hit(v: Any) -> bool:
        if pattern is not None:
            return type(v) is str and pattern.fullmatch(v) is not None
        if v is None or isinstance(v, ExcelError) or isinstance(rhs, ExcelError):
            return v is not None and v == rhs and isinstance(v, ExcelError)
        if _rank(v) == _rank(rhs):
            return test(_cmp(v, rhs))
        # for = and <>, Excel also reads numbers stored as text in the range
        return op in ("=", "<>") and _is_num(rhs) and type(v) is str and _parse_num(v) == rhs

    return (lambda v: not hit(v)) if op == "<>" else hit


def _round(x: Any, digits: Any, mode: str) -> float:
    """Decimal rounding of the 15-digit value, as Excel: ROUND(2.5, 0) = 3, ROUND(-2.5, 0) = -3."""
    x, n = _num(x), int(_num(digits))
    try:
        return float(Decimal(f"{x:.15g}").quantize(Decimal(1).scaleb(-n), rounding=mode))
    except InvalidOperation:  # more digits than a float holds
        return float(x)


def _arith(op: str, a: Any, b: Any) -> Any:
    x, y = _num(a), _num(b)
    if op == "/" and y == 0:
        raise _Fail(DIV0)
    if op == "^" and ((x == 0 and y <= 0) or (x < 0 and y != int(y))):
        raise _Fail(NUM if y == 0 or x < 0 else DIV0)
    try:
        r = (x + y if op == "+" else x - y if op == "-" else x * y if op == "*"
             else x / y if op == "/" else float(x) ** y)
    except OverflowError:
        raise _Fail(NUM) from None
    if isinstance(r, float) and not math.isfinite(r):
        raise _Fail(NUM)
    return r


class WorkbookEvaluator:
    """Computes the values of an openpyxl workbook's formulas (a snapshot taken at creation)."""

    def __init__(self, wb: Any):
        self._wb, self._ctx, epoch = wb, ("", 1, 1), getattr(wb, "epoch", dt.datetime(1899, 12, 30))
        self._titles = {ws.title.upper(): ws.title for ws in wb.worksheets}
        self._size = {ws.title: (ws.max_row, ws.max_column) for ws in wb.worksheets}
        self._names = {(None, n.upper()): d.attr_text for n, d in wb.defined_names.items()}
        self._formulas: dict[Key, Any] = {}
        self._memo: dict[Key, Any] = {}  # constants, then formula values once computed
        self._failed: dict[Key, str] = {}
        self._ranges: dict[Ref, tuple[list[Any], int, int]] = {}
        self._found: dict[tuple, tuple[list[Any], Any]] = {}  # COUNTIF selections by criteria
        for ws in wb.worksheets:
            self._names.update({(ws.title, n.upper()): d.attr_text
                                for n, d in ws.defined_names.items()})
            for (r, c), cell in ws._cells.items():
                v, key = cell.value, (ws.title, r, c)
                if cell.data_type == "f":
                    self._formulas[key] = v
                elif cell.data_type == "e" and v in ERROR_CODES:  # saved as t="e": an error
                    self._memo[key] = ExcelError(v)
                elif isinstance(v, (dt.date, dt.time, dt.timedelta)):
                    self._memo[key] = to_excel(v, epoch)
                elif v is not None and v != "":  # openpyxl saves "" as an empty cell
                    self._memo[key] = v if isinstance(v, (int, float, str)) else (
                        float(v) if isinstance(v, Number) else str(v))  # Decimal; rich text

    def value(self, sheet: str, coordinate: str) -> Any:
        """Value of one cell: constants as stored (None for blank), formulas evaluated."""
        title = self._titles[sheet.upper()]
        key = (title, *coordinate_to_tuple(coordinate.replace("$", "").upper()))
        if key not in self._formulas:
            cell = self._wb[title]._cells.get(key[1:])
            v = None if cell is None else cell.value
            return ExcelError(v) if isinstance(self._memo.get(key), ExcelError) else v
        self._ensure(key)
        if key in self._failed:
            raise Unsupported(self._failed[key])
        return self._memo[key]

    def evaluate_all(self) -> tuple[dict[tuple[str, str], Any], dict[tuple[str, str], str]]:
        """(values, unsupported) for every formula cell, keyed by (sheet, 'C5')."""
        values: dict[tuple[str, str], Any] = {}
        unsupported: dict[tuple[str, str], str] = {}
        for key in self._formulas:
            self._ensure(key)
            where = (key[0], f"{get_column_letter(key[2])}{key[1]}")
            if key in self._failed:
                unsupported[where] = self._failed[key]
            else:
                values[where] = self._memo[key]
        return values, unsupported

    def _ensure(self, root: Key) -> None:
        """Compute root; a formula needing uncomputed cells waits under them on a stack."""
        stack, waiting = [root], set()
        while stack:
            key = stack[-1]
            if key in self._memo or key in self._failed:
                stack.pop()
                continue
            try:
                self._memo[key] = self._compute(key)
            except _Need as need:
                waiting.add(key)
                loop = next((k for k in need.args[0] if k in waiting), None)
                if loop is None:
                    stack.extend(reversed(need.args[0]))
                    continue
                self._failed[key] = f"circular reference at {self._where(loop)}"
            except Unsupported as exc:
                self._failed[key] = str(exc)
            except RecursionError:
                self._failed[key] = "formula nested too deeply"
            except Exception as exc:  # noqa: BLE001 - a bug here must not stop a save
                self._failed[key] = f"evaluator error: {exc!r}"
            waiting.discard(key)
            stack.pop()

    def _compute(self, key: Key) -> Any:
        formula, self._ctx = self._formulas[key], key
        if not isinstance(formula, str):
            raise Unsupported(f"{type(formula).__name__}: array or table formula")
        v = self._deref(self._eval(self._tree(formula)))
        return 0 if v is None else v

    def _tree(self, formula: str) -> tuple:
        node = _PARSED.get(formula)
        if node is None:
            try:
                node = _parse(formula)
            except Unsupported as exc:
                node = str(exc)
            if len(_PARSED) < _PARSED_MAX:
                _PARSED[formula] = node
        if isinstance(node, str):
            raise Unsupported(node)
        return node

    def _where(self, key: Key) -> str:
        return f"{_quote_sheet(key[0])}!{get_column_letter(key[2])}{key[1]}"

    def _cell(self, sheet: str, r: int, c: int, need: list[Key] | None = None) -> Any:
        """A cell's value; an uncomputed formula is added to `need` (or raised as _Need)."""
        key = (sheet, r, c)
        if key in self._memo or key not in self._formulas:
            return self._memo.get(key)
        if (why := self._failed.get(key)) is not None:
            raise Unsupported(why if why.startswith(("circular", "depends on"))
                              else f"depends on {self._where(key)}: {why}")
        if need is None:
            raise _Need([key])
        need.append(key)
        return None

    def _rng(self, ref: Ref) -> tuple[list[Any], int, int]:
        """(values row by row, rows, columns) of a range."""
        if ref not in self._ranges:
            (s, r1, c1, r2, c2), need = ref, []
            vals = [self._cell(s, r, c, need) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
            if need:
                raise _Need(need)
            self._ranges[ref] = (vals, r2 - r1 + 1, c2 - c1 + 1)
        return self._ranges[ref]

    def _deref(self, v: Any) -> Any:
        """A reference's value; a multi-cell range meets the formula's row/column (implicitly)."""
        if not isinstance(v, Ref):
            return v
        (s, r1, c1, r2, c2), (_, row, col) = v, self._ctx
        if c1 == c2 and (r1 == r2 or r1 <= row <= r2):
            return self._cell(s, r1 if r1 == r2 else row, c1)
        return self._cell(s, r1, col) if r1 == r2 and c1 <= col <= c2 else VALUE

    def _scalar(self, v: Any) -> Any:
        if isinstance(v := self._deref(v), ExcelError):
            raise _Fail(v)
        return v

    def _eval(self, n: tuple) -> Any:
        if n[0] == "c":
            return n[1]
        if n[0] == "ref":
            sheet = self._titles.get(n[1].upper()) if n[1] else self._ctx[0]
            if sheet is None:
                return REF
            rows, cols = self._size[sheet]
            return Ref(sheet, n[2], n[3], n[4] or max(rows, n[2]), n[5] or max(cols, n[3]))
        try:
            if n[0] == "op":
                a, b = self._scalar(self._eval(n[2])), self._scalar(self._eval(n[3]))
                if n[1] == "&":
                    return _text(a) + _text(b)
                return _COMPARE[n[1]](_cmp(a, b)) if n[1] in _COMPARE else _arith(n[1], a, b)
            if n[0] == "u":  # unary plus changes nothing in Excel: =+"a" is "a"
                x = self._eval(n[2])
                return x if n[1] == "+" else -_num(self._scalar(x)) if n[1] == "-" else _num(
                    self._scalar(x)) / 100
            if n[0] == "name":
                text = self._names.get((self._ctx[0], n[1]), self._names.get((None, n[1])))
                return NAME if text is None else self._eval(self._tree(text))
            if n[1] == "IF":
                if _bool(self._scalar(self._eval(n[2][0]))):
                    return self._eval(n[2][1])
                return self._eval(n[2][2]) if len(n[2]) == 3 else False
            if n[1] == "IFERROR":
                v = self._deref(self._eval(n[2][0]))
                return self._eval(n[2][1]) if isinstance(v, ExcelError) else v
            return _FUNCS[n[1]](self, [self._eval(a) for a in n[2]])
        except _Fail as exc:
            return exc.args[0]

    def _numbers(self, args: list[Any]) -> list[float]:
        """Numbers for SUM/AVERAGE/MIN/MAX: ranges skip text and booleans; arguments coerce."""
        out: list[float] = []
        for a in args:
            vals = self._rng(a)[0] if isinstance(a, Ref) else [_num(self._scalar(a))]
            if (err := next((v for v in vals if isinstance(v, ExcelError)), None)) is not None:
                raise _Fail(err)
            out += [v for v in vals if _is_num(v)]
        return out

    def _ifs(self, pairs: list[Any], values: Any = None, numbers: bool = False) -> list[Any]:
        """Values (of `values`, else the first range) where every (range, criterion) matches;
        with `numbers`, only the numbers among them (an error among them is the result)."""
        values = pairs[0] if values is None else values
        if len(pairs) % 2 or not all(isinstance(r, Ref) for r in (*pairs[::2], values)):
            raise _Fail(VALUE)
        crits = [self._deref(c) for c in pairs[1::2]]
        key = (values, *pairs[::2], *[(type(c), c) for c in crits])  # type: 1 is not TRUE
        if key not in self._found:
            _, rows, cols = self._rng(pairs[0])
            hits = [True] * (rows * cols)
            for ref, crit in zip(pairs[::2], crits):
                vals, *shape = self._rng(ref)
                if shape != [rows, cols]:
                    raise _Fail(VALUE)
                test = _criterion(crit)
                hits = [h and test(v) for h, v in zip(hits, vals)]
            v1, c1 = values.r1, values.c1  # values are resized to the criteria range's shape
            vals = self._rng(Ref(values.sheet, v1, c1, v1 + rows - 1, c1 + cols - 1))[0]
            found = [v for v, h in zip(vals, hits) if h]
            err = next((v for v in found if isinstance(v, ExcelError)), None)
            self._found[key] = (found, err or [v for v in found if _is_num(v)])
        found, nums = self._found[key]
        if numbers and isinstance(nums, ExcelError):
            raise _Fail(nums)
        return nums if numbers else found

    def _bools(self, args: list[Any]) -> list[bool]:
        """AND/OR inputs: ranges skip blanks and text, arguments must be logical."""
        out = [_bool(v) for a in args for v in (self._rng(a)[0] if isinstance(a, Ref) else [
            self._scalar(a)]) if not isinstance(a, Ref) or not (v is None or _is_text(v))]
        if not out:
            raise _Fail(VALUE)
        return out

    def _index(self, args: list[Any]) -> Ref:
        if not isinstance(ref := args[0], Ref):
            raise _Fail(REF)
        rows, cols = ref.r2 - ref.r1 + 1, ref.c2 - ref.c1 + 1
        r = int(_num(self._scalar(args[1])))
        c = int(_num(self._scalar(args[2]))) if len(args) == 3 else None
        if c is None:  # one index into a single row or column; a whole row of a 2-D range
            r, c = (1, r) if rows == 1 else (r, 1 if cols == 1 else 0)
        if not (0 <= r <= rows and 0 <= c <= cols):
            raise _Fail(REF)
        r1, c1 = ref.r1 + r - 1, ref.c1 + c - 1
        return Ref(ref.sheet, r1 if r else ref.r1, c1 if c else ref.c1, r1 if r else ref.r2,
                   c1 if c else ref.c2)

    def _match(self, args: list[Any]) -> int:
        x, ref = self._scalar(args[0]), args[1]
        how = _num(self._scalar(args[2])) if len(args) == 3 else 1
        if not isinstance(ref, Ref) or x is None or 1 not in self._rng(ref)[1:]:
            raise _Fail(NA)
        vals, pos = self._rng(ref)[0], None
        if how == 0:  # exact: first equal value (wildcards for text)
            test = _criterion("=" + x) if _is_text(x) else lambda v: (
                v is not None and _rank(v) == _rank(x) and _cmp(v, x) == 0)
            pos = next((i for i, v in enumerate(vals) if test(v)), None)
        else:  # sorted ascending (1) or descending (-1): the last value not past x
            for i, v in enumerate(vals):
                if v is None or isinstance(v, ExcelError) or _rank(v) != _rank(x):
                    continue
                if _cmp(v, x) * (1 if how > 0 else -1) > 0:
                    break
                pos = i
        if pos is None:
            raise _Fail(NA)
        return pos + 1


def _avg(xs: list[Any]) -> float:
    if not xs:
        raise _Fail(DIV0)
    return sum(xs) / len(xs)


_FUNCS: dict[str, Callable[[WorkbookEvaluator, list[Any]], Any]] = {
    "IF": lambda ev, a: None, "IFERROR": lambda ev, a: None,  # evaluated lazily in _eval
    "SUM": lambda ev, a: sum(ev._numbers(a)),
    "MIN": lambda ev, a: min(ev._numbers(a), default=0),
    "MAX": lambda ev, a: max(ev._numbers(a), default=0),
    "AVERAGE": lambda ev, a: _avg(ev._numbers(a)),
    "COUNT": lambda ev, a: sum(sum(map(_is_num, ev._rng(x)[0])) if isinstance(x, Ref) else (
        isinstance(x, (int, float)) or (_is_text(x) and _parse_num(x) is not None)) for x in a),
    "COUNTA": lambda ev, a: sum(sum(v is not None for v in ev._rng(x)[0])
                                if isinstance(x, Ref) else 1 for x in a),
    "COUNTBLANK": lambda ev, a: len(ev._ifs([a[0], ""])),
    "COUNTIF": lambda ev, a: len(ev._ifs(a)),
    "COUNTIFS": lambda ev, a: len(ev._ifs(a)),
    "SUMIF": lambda ev, a: sum(ev._ifs(a[:2], a[2] if len(a) == 3 else None, True)),
    "SUMIFS": lambda ev, a: sum(ev._ifs(a[1:], a[0], True)),
    "AVERAGEIF": lambda ev, a: _avg(ev._ifs(a[:2], a[2] if len(a) == 3 else None, True)),
    "ROUND": lambda ev, a: _round(ev._scalar(a[0]), ev._scalar(a[1]), ROUND_HALF_UP),
    "ROUNDUP": lambda ev, a: _round(ev._scalar(a[0]), ev._scalar(a[1]), ROUND_UP),
    "ROUNDDOWN": lambda ev, a: _round(ev._scalar(a[0]), ev._scalar(a[1]), ROUND_DOWN),
    "AND": lambda ev, a: all(ev._bools(a)),
    "OR": lambda ev, a: any(ev._bools(a)),
    "NOT": lambda ev, a: not _bool(ev._scalar(a[0])),
    "ABS": lambda ev, a: abs(_num(ev._scalar(a[0]))),
    "ISBLANK": lambda ev, a: isinstance(a[0], Ref) and ev._deref(a[0]) is None,
    "ISNUMBER": lambda ev, a: _is_num(ev._deref(a[0])),
    "ISTEXT": lambda ev, a: _is_text(ev._deref(a[0])),
    "ISERROR": lambda ev, a: isinstance(ev._deref(a[0]), ExcelError),
    "LEN": lambda ev, a: len(_text(ev._scalar(a[0]))),
    "TRIM": lambda ev, a: " ".join(p for p in _text(ev._scalar(a[0])).split(" ") if p),
    "CONCATENATE": lambda ev, a: "".join(_text(ev._scalar(x)) for x in a),
    "VALUE": lambda ev, a: VALUE if isinstance(ev._scalar(a[0]), bool) else _num(ev._scalar(a[0])),
    "INDEX": WorkbookEvaluator._index,
    "MATCH": WorkbookEvaluator._match,
    "TRUE": lambda ev, a: True,
    "FALSE": lambda ev, a: False,
}

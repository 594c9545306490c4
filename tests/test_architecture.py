"""The layout of the code (docs/architecture.md): layers imported only downward, no two modules
importing each other (directly or round a longer circle), no module using another's private
names. Imports inside functions count: a circle hidden in a function is still a circle."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cchc_xl"
# Lowest first; a module of the top package (layout, problems, messages, text, …) is layer 0.
LAYERS = ("", "files", "plan", "master", "cycle", "outputs", "excel", "cli")
ENTRY = {"cchc_xl.__main__"}  # `python -m cchc_xl` is above every layer


def _modules(package: Path = PACKAGE) -> dict[str, Path]:
    out = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path, modules: dict[str, Path] = MODULES
             ) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) of every import of the package's own
    modules, wherever it stands in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("cchc_xl"):
                continue
            names = [a.name for a in node.names]
            submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules]
            if submodules:
                found += [(m, [], node.lineno) for m in submodules]
            rest = [n for n in names if f"{target}.{n}" not in modules]
            if rest and target in modules:
                found.append((target, rest, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name in modules]
    return found


def _graph(modules: dict[str, Path] = MODULES) -> dict[str, set[str]]:
    return {name: {m for m, _, _ in _imports(name, path, modules) if m != name}
            for name, path in modules.items()}


def _layer(name: str) -> int:
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 2 and parts[1] in LAYERS else 0


def _is_package_init(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def test_layers_are_imported_only_downward() -> None:
    upward = sorted(f"{a} imports {b}" for a, targets in _graph().items() if a not in ENTRY
                    for b in targets
                    if _layer(b) > _layer(a) and not _is_package_init(a))
    assert upward == []


def test_no_module_imports_itself_round_a_circle() -> None:
    graph = _graph()
    # a package's __init__ importing its own modules is how `cli` registers its commands
    graph = {a: {b for b in bs if not _is_package_init(b)} for a, bs in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert sorted(circles) == []


def test_no_module_takes_another_modules_private_names() -> None:
    taken = sorted(f"{name}:{line} takes {target}.{n}"
                   for name, path in MODULES.items()
                   for target, names, line in _imports(name, path)
                   for n in names if n.startswith("_") and not n.startswith("__"))
    assert taken == []


def test_the_checks_see_a_circle_an_upward_import_and_a_private_name(tmp_path) -> None:
    """The checks above can fail: a master module importing the cycle (inside a function),
    which imports it back, and takes one of its private names."""
    files = {"cchc_xl/__init__.py": "", "cchc_xl/master/__init__.py": "",
             "cchc_xl/cycle/__init__.py": "",
             "cchc_xl/master/a.py": "def f():\n    from ..cycle.b import g\n",
             "cchc_xl/cycle/b.py": "from ..master.a import f\nfrom ..master.a import _x\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    modules = _modules(tmp_path / "cchc_xl")
    graph = _graph(modules)
    assert graph["cchc_xl.master.a"] == {"cchc_xl.cycle.b"}
    assert graph["cchc_xl.cycle.b"] == {"cchc_xl.master.a"}
    assert _layer("cchc_xl.cycle.b") > _layer("cchc_xl.master.a")
    assert [n for _, names, _ in _imports("cchc_xl.cycle.b", modules["cchc_xl.cycle.b"], modules)
            for n in names] == ["f", "_x"]

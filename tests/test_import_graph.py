"""The import graph: rooms by job, layered; no circle, no upward import.

``LAYERS`` is the one place the order is declared (docs/architecture.md describes it):
a module may import modules of its own room and of the rooms before it, never of a room
after it. The package itself (``chinaai_stats/__init__.py``, the public face, whose names
load lazily) and ``__main__`` sit above every room; no room imports them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "chinaai_stats"
#: the rooms, lowest first: each may import itself and the rooms before it
LAYERS = [
    "core",
    "tables",
    "measures",
    "reading",
    "analysis",
    "contributing",
    "outputs",
    "builders",
    "cli",
]
#: the public face: it may import every room, and no room imports it
FACADE = {"chinaai_stats", "chinaai_stats.__main__"}
#: the modules that find, lock and write a clone, and what they build on
WRITERS = [
    "contributing.add",
    "tables.package",
    "builders.release",
    "tables.catalog",
    "core.journal",
    "core.fsio",
    "tables.cff",
    "builders.fxbuild",
]


def module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` blocks."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for stmt in node.body:
                found.update(id(n) for n in ast.walk(stmt))
    return found


def import_graph(*, typing_imports: bool = True) -> dict[str, set[str]]:
    """Module -> the package modules it imports anywhere (top level or inside a function).

    ``typing_imports=False`` leaves out the imports made for type checkers only.
    """
    names = module_names()
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        tree = ast.parse(path.read_text("utf-8"))
        skip = set() if typing_imports else _type_checking_only(tree)
        deps: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    deps.add(sub if sub in names else target)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names)
        graph[name] = {d for d in deps if d in names and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def room(module: str) -> str:
    """The room a module belongs to (``chinaai_stats.tables.loader`` -> ``tables``)."""
    return module if module in FACADE else module.split(".")[1]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a later room, or of the package's public face, by a room."""
    bad = []
    for module, deps in sorted(graph.items()):
        if module in FACADE:
            continue
        level = LAYERS.index(room(module))
        for dep in sorted(deps):
            if dep in FACADE or LAYERS.index(room(dep)) > level:
                bad.append(f"{module} ({room(module)}) imports {dep} ({room(dep)})")
    return bad


def test_the_graph_sees_imports_inside_functions() -> None:
    graph = import_graph()
    assert "chinaai_stats.core.journal" in graph["chinaai_stats.tables.catalog"]
    assert "chinaai_stats.tables.read" in graph["chinaai_stats.tables.currency"]  # in a function
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_module_sits_in_a_declared_room() -> None:
    rooms = {room(m) for m in module_names()} - FACADE
    assert rooms == set(LAYERS), f"undeclared rooms: {rooms - set(LAYERS)}"


def test_no_import_circle() -> None:
    """Imports made at run time form no circle (type-only imports are left out)."""
    assert not cycles(import_graph(typing_imports=False))


def test_no_room_imports_a_later_room() -> None:
    """Counting the imports made for type checkers too."""
    assert not upward_imports(import_graph())


def test_the_layer_check_catches_an_upward_import() -> None:
    graph = {
        "chinaai_stats.core.errors": {"chinaai_stats.tables.loader"},
        "chinaai_stats.cli": {"chinaai_stats.core.errors", "chinaai_stats"},
        "chinaai_stats.tables.loader": {"chinaai_stats.core.errors"},
    }
    assert upward_imports(graph) == [
        "chinaai_stats.cli (cli) imports chinaai_stats (chinaai_stats)",
        "chinaai_stats.core.errors (core) imports chinaai_stats.tables.loader (tables)",
    ]


@pytest.mark.parametrize("name", LAYERS)
def test_each_room_opens_with_one_line_saying_what_it_holds_and_may_import(name: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text("utf-8")))
    assert doc, f"{name}/__init__.py has no docstring"
    first = doc.splitlines()[0]
    assert "may import" in first, first
    later = LAYERS[LAYERS.index(name) + 1 :]
    assert not any(f" {r}" in first.split("may import", 1)[1] for r in later), first


def test_at_most_twelve_entries_in_the_package_folder() -> None:
    entries = [p.name for p in PACKAGE.iterdir() if p.name != "__pycache__"]
    assert len(entries) <= 12, sorted(entries)
    assert not [e for e in entries if "util" in e], entries


def test_no_import_circle_runs_through_the_modules_that_write_a_clone() -> None:
    writers = {f"chinaai_stats.{m}" for m in WRITERS}
    bad = [group for group in cycles(import_graph()) if writers & set(group)]
    assert not bad, f"import circles: {bad}"


@pytest.mark.parametrize("module", WRITERS)
def test_each_module_imports_alone_in_a_fresh_interpreter(module: str) -> None:
    r = subprocess.run(
        [sys.executable, "-c", f"import chinaai_stats.{module}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr

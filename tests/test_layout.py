"""The house by job: short files, short functions, few entries at the top of the package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(REPO / "chinaai_stats").rglob("*.py"), *(REPO / "bench").glob("*.py")])
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80


def _name(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_no_file_over_600_lines(path: Path) -> None:
    lines = path.read_text("utf-8").count("\n")
    assert lines <= MAX_FILE_LINES, f"{_name(path)}: {lines} lines; split it by job"


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_no_function_over_80_lines(path: Path) -> None:
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{_name(path)}: {', '.join(long)}"


def test_at_most_twelve_entries_in_the_package() -> None:
    entries = [p.name for p in (REPO / "chinaai_stats").iterdir() if p.name != "__pycache__"]
    assert len(entries) <= 12, sorted(entries)
    assert not any(p.startswith("utils") for p in entries)

"""The package type-checks: ``mypy --strict`` (configured in pyproject.toml) finds no error."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "chinaai_stats"


def test_mypy_configuration_is_strict() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert config["files"] == ["chinaai_stats"]


def test_every_type_ignore_names_its_error_code() -> None:
    """A bare ``# type: ignore`` would silence every error on its line."""
    bare = re.compile(r"#\s*type:\s*ignore(?!\[[a-z-]+(, *[a-z-]+)*\])")
    found = [
        f"{path.relative_to(REPO)}:{n}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bare.search(line)
    ]
    assert not found, "\n".join(found)


@pytest.mark.slow
def test_mypy_strict_passes() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]
    assert "Success: no issues found" in r.stdout

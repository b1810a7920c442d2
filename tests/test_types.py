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


USER_SCRIPT = """
import pandas as pd
import chinaai_stats as cs

df: pd.DataFrame = cs.load("user_counts")
names: list[str] = cs.list_datasets()
reveal_type(cs.load)
reveal_type(cs.parse_quantity("about 3 million users"))
reveal_type(cs.validate(df, "user_counts"))
reveal_type(cs.compare(entities=["ChatGPT"]))
try:
    cs.load("user_cuonts")
except cs.DatasetNotFoundError as exc:
    reveal_type(exc)
cs.load(3)
"""


@pytest.mark.slow
def test_a_users_type_checker_sees_the_public_api(tmp_path: Path) -> None:
    """py.typed ships, so a user's ``mypy --strict`` checks calls against the real signatures."""
    script = tmp_path / "analysis.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "cache"),
            "analysis.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = r.stdout
    assert 'Revealed type is "def (name: str, *, version: str | None =' in out, out
    assert ':10: note: Revealed type is "pandas.core.frame.DataFrame"' in out, out
    assert 'Revealed type is "chinaai_stats.reading.parse.grammar.Quantity"' in out, out
    assert (
        'Revealed type is "chinaai_stats.contributing.validation.report.ValidationReport"' in out
    ), out
    assert 'Revealed type is "chinaai_stats.core.errors.DatasetNotFoundError"' in out, out
    assert 'Argument 1 to "load" has incompatible type "int"; expected "str"' in out, out
    # the deliberate mistake is the only error: the rest of the script type-checks
    assert "Found 1 error in 1 file" in out, out

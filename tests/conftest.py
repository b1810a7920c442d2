"""Shared fixtures: the repository layout, temp copies of the data, the CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES_ENV = "CHINAAI_STATS_SOURCES"


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of datasets/, schemas/ and seeds/, used by the library for this test."""
    for part in ("datasets", "schemas", "seeds"):
        shutil.copytree(REPO / part, tmp_path / part)
    monkeypatch.setenv("CHINAAI_STATS_DATA", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="session")
def source_texts() -> Path:
    """The folder of source texts named by $CHINAAI_STATS_SOURCES (tests skip without it)."""
    folder = os.environ.get(SOURCES_ENV)
    if not folder:
        pytest.skip(
            f"{SOURCES_ENV} is not set: the source texts are not redistributed with the package"
        )
    path = Path(folder)
    if not path.is_dir():
        pytest.fail(f"{SOURCES_ENV}={folder} is not a folder")
    return path


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    """Run ``python -m chinaai_stats ARGS`` as a user would; return the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "chinaai_stats", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


def fresh_venv(env_dir: Path) -> Path:
    """Create a virtual environment whose dependencies come from the test environment.

    The test environment's site-packages is listed after the venv's own (a .pth file), so
    pandas, pyarrow and the build backend need no download, while chinaai-stats itself comes
    only from what the test installs. Returns the venv's python.
    """
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    child_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(child_site, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python

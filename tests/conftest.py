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


#: The folders of source texts the run was given. Taken out of the environment here, so that
#: ``validate``/``add`` check texts only in the tests that ask for them (``source_texts``).
_SOURCES = os.environ.pop(SOURCES_ENV, None)


@pytest.fixture
def source_texts(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders of source texts named by $CHINAAI_STATS_SOURCES (tests skip without it).

    The variable may list several folders separated by os.pathsep; it is set again for
    the test (and the commands it runs) that asks for this fixture.
    """
    if not _SOURCES:
        pytest.skip(
            f"{SOURCES_ENV} is not set: the source texts are not redistributed with the package"
        )
    folders = [Path(p) for p in _SOURCES.split(os.pathsep) if p]
    for path in folders:
        if not path.is_dir():
            pytest.fail(f"{SOURCES_ENV}: {path} is not a folder")
    monkeypatch.setenv(SOURCES_ENV, _SOURCES)
    return folders


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

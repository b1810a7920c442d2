"""The source distribution is complete and both distributions pass ``twine check``.

Builds the sdist and the wheel, checks that the licence files, the changelog and the
contributing guide ship (so the README's links resolve), installs the sdist into a fresh
virtual environment and loads a table from it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from .conftest import fresh_venv

REPO = Path(__file__).resolve().parent.parent
LICENCES = ("LICENSE", "LICENSE-DATA")


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    cmd = [sys.executable, "-m", "build", "--sdist", "--wheel", "--no-isolation"]
    r = subprocess.run(
        [*cmd, "--outdir", str(out), str(REPO)], capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    (sdist,) = out.glob("chinaai_stats-*.tar.gz")
    (wheel,) = out.glob("chinaai_stats-*.whl")
    return {"sdist": sdist, "wheel": wheel}


def _sdist_names(sdist: Path) -> set[str]:
    with tarfile.open(sdist) as tar:
        return {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}


def _relative_links(markdown: str) -> set[str]:
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", markdown)
    return {t for t in targets if "://" not in t and not t.startswith("mailto:")}


@pytest.mark.slow
def test_readme_links_resolve_inside_the_sdist(dists: dict[str, Path]) -> None:
    names = _sdist_names(dists["sdist"])
    links = _relative_links((REPO / "README.md").read_text(encoding="utf-8"))
    assert "CONTRIBUTING.md" in links, "the README links the contributing guide"
    missing = sorted(link for link in links if link.rstrip("/") not in names)
    assert not missing, f"README links missing from the sdist: {missing}"
    for name in (*LICENCES, "CHANGELOG.md", "CITATION.cff", "chinaai_stats/py.typed"):
        assert name in names
    for guide in sorted((REPO / "docs").glob("*.md")):  # the guides' links too
        assert f"docs/{guide.name}" in names
        for link in _relative_links(guide.read_text(encoding="utf-8")):
            target = os.path.normpath(f"docs/{link}").rstrip("/")
            assert target in names, f"{guide.name} links {link}, missing from the sdist"


@pytest.mark.slow
def test_wheel_ships_both_licences_and_type_marker(dists: dict[str, Path]) -> None:
    names = set(zipfile.ZipFile(dists["wheel"]).namelist())
    for licence in LICENCES:
        assert any(n.endswith(f".dist-info/licenses/{licence}") for n in names), licence
    assert "chinaai_stats/py.typed" in names
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(dists["wheel"]).read(metadata).decode("utf-8")
    assert "License-Expression: MIT AND CC-BY-4.0" in text


@pytest.mark.slow
def test_twine_check_passes_on_both_distributions(dists: dict[str, Path]) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dists.values())],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("PASSED") == 2


@pytest.mark.slow
def test_sdist_installs_into_a_fresh_venv(dists: dict[str, Path], tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    python = fresh_venv(env_dir)
    install = [str(python), "-m", "pip", "install", "--quiet", "--no-deps"]
    r = subprocess.run(
        [*install, "--no-build-isolation", str(dists["sdist"])],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "import chinaai_stats as cs; df = cs.load('talent'); "
        "print(cs.__file__, len(df), df.attrs['version'])"
    )
    r = subprocess.run(
        [str(python), "-c", probe],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
        env={"PATH": str(env_dir / "bin")},
    )
    assert r.returncode == 0, r.stderr
    where, rows, version = r.stdout.split()
    assert where.startswith(str(env_dir)) and int(rows) > 0
    assert version == __import__("chinaai_stats").__version__


def test_all_extra_installs_every_user_extra() -> None:
    """``chinaai-stats[all]`` names every optional extra but the developers' own."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    extras = project["optional-dependencies"]
    (spec,) = extras["all"]
    named = set(spec.removeprefix("chinaai-stats[").removesuffix("]").split(","))
    assert named == set(extras) - {"all", "test", "bench"}

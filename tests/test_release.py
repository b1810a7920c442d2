"""One version everywhere, a hash check on every CSV, CITATION.cff, and the release routine."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import chinaai_stats as cs
from chinaai_stats.builders.release import (
    ReleaseError,
    changelog_released,
    release,
    render_citation,
)
from chinaai_stats.core import journal
from chinaai_stats.tables import package
from tests.conftest import REPO

#: The versions a release after the installed one may take.
_MAJOR, _MINOR, _PATCH = (int(x) for x in cs.__version__.split("."))
NEXT_PATCH = f"{_MAJOR}.{_MINOR}.{_PATCH + 1}"
NEXT_MINOR = f"{_MAJOR}.{_MINOR + 1}.0"


def _versions(root: Path) -> dict[str, str]:
    init = (root / "chinaai_stats" / "core" / "version.py").read_text("utf-8")
    desc = json.loads((root / "datasets" / "datapackage.json").read_text("utf-8"))
    cff = (root / "CITATION.cff").read_text("utf-8")
    changelog = (root / "CHANGELOG.md").read_text("utf-8")
    return {
        "package": re.search(r'^__version__ = "([^"]+)"', init, re.M)[1],
        "datapackage": desc["version"],
        "citation": re.search(r'^version: "([^"]+)"', cff, re.M)[1],
        "changelog": re.search(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.M)[1],
    }


def test_one_version_everywhere() -> None:
    versions = _versions(REPO)
    assert len(set(versions.values())) == 1, versions
    assert cs.__version__ == versions["package"]


def test_release_dates_agree() -> None:
    desc = json.loads((REPO / "datasets" / "datapackage.json").read_text("utf-8"))
    cff = (REPO / "CITATION.cff").read_text("utf-8")
    changelog = (REPO / "CHANGELOG.md").read_text("utf-8")
    released = re.search(r'^date-released: "([^"]+)"', cff, re.M)[1]
    assert desc["created"].startswith(released)
    assert re.search(rf"^## \[{re.escape(desc['version'])}\] - {released}$", changelog, re.M)


def test_citation_cff_is_rendered_from_the_descriptor() -> None:
    desc = json.loads((REPO / "datasets" / "datapackage.json").read_text("utf-8"))
    released = desc["created"][:10]
    assert (REPO / "CITATION.cff").read_text("utf-8") == render_citation(
        desc, desc["version"], released
    )


def test_citation_cff_validates_with_cffconvert() -> None:
    tool = os.environ.get("CFFCONVERT") or shutil.which("cffconvert")
    if not tool:
        pytest.skip(
            "cffconvert is not installed (.ci/run installs it in its own venv: "
            "its jsonschema pin clashes with frictionless)"
        )
    r = subprocess.run(
        [tool, "--validate", "-i", str(REPO / "CITATION.cff")], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_csv_matches_its_recorded_hash() -> None:
    desc = json.loads((REPO / "datasets" / "datapackage.json").read_text("utf-8"))
    for res in desc["resources"]:
        if "path" in res:
            digest = package.file_sha256(REPO / "datasets" / res["path"])
            assert res["hash"] == f"sha256:{digest}", (
                f"{res['path']} changed: bump the version and add a CHANGELOG entry, then run "
                "python -m chinaai_stats.builders.release X.Y.Z "
                "(or python -m chinaai_stats.tables.package)"
            )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for part in ("datasets", "schemas", "seeds", "chinaai_stats"):
        shutil.copytree(
            REPO / part, root / part, ignore=shutil.ignore_patterns("__pycache__", "_data")
        )
    shutil.copy(REPO / "CITATION.cff", root / "CITATION.cff")
    # the checkout starts with nothing under Unreleased; tests add what they need
    text = (REPO / "CHANGELOG.md").read_text("utf-8")
    head, rest = text.split("## [Unreleased]\n", 1)
    released = rest[rest.index("## [") :]
    (root / "CHANGELOG.md").write_text(f"{head}## [Unreleased]\n\n{released}", "utf-8")
    return root


def _with_unreleased(root: Path, line: str) -> None:
    path = root / "CHANGELOG.md"
    path.write_text(
        path.read_text("utf-8").replace(
            "## [Unreleased]\n", f"## [Unreleased]\n\n### Fixed\n- {line}\n", 1
        ),
        "utf-8",
    )


def test_release_sets_the_version_everywhere_and_moves_the_changelog(checkout) -> None:
    _with_unreleased(checkout, "talent: corrected a figure")
    talent = checkout / "datasets" / "talent.csv"
    talent.write_text(talent.read_text("utf-8").replace("around 30", "around 31"), "utf-8")
    release(NEXT_PATCH, root=checkout, today=date(2027, 1, 5))
    assert set(_versions(checkout).values()) == {NEXT_PATCH}
    changelog = (checkout / "CHANGELOG.md").read_text("utf-8")
    assert (
        f"## [Unreleased]\n\n## [{NEXT_PATCH}] - 2027-01-05\n\n### Fixed\n- talent: corrected"
        in changelog
    )
    desc = json.loads((checkout / "datasets" / "datapackage.json").read_text("utf-8"))
    res = next(r for r in desc["resources"] if r["name"] == "talent")
    assert res["hash"] == "sha256:" + package.file_sha256(talent)
    assert 'date-released: "2027-01-05"' in (checkout / "CITATION.cff").read_text("utf-8")


@pytest.mark.parametrize(
    "version", [cs.__version__, "0.1.0", "0.0.9", "0.1", f"v{NEXT_MINOR}", f"{NEXT_MINOR}-rc1"]
)
def test_release_refuses_a_version_not_greater_or_malformed(checkout, version) -> None:
    _with_unreleased(checkout, "something")
    before = {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()}
    with pytest.raises(ReleaseError):
        release(version, root=checkout)
    assert {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()} == before


def test_release_needs_unreleased_entries(checkout) -> None:
    with pytest.raises(ReleaseError, match="nothing under Unreleased"):
        release(NEXT_MINOR, root=checkout)


def test_changelog_release_keeps_older_sections() -> None:
    text = "# C\n\n## [Unreleased]\n\n### Added\n- x\n\n## [0.1.0] - 2026-11-24\n\n- y\n"
    out = changelog_released(text, "0.2.0", "2027-01-01")
    assert out == (
        "# C\n\n## [Unreleased]\n\n## [0.2.0] - 2027-01-01\n\n### Added\n- x\n\n"
        "## [0.1.0] - 2026-11-24\n\n- y\n"
    )


def _release_command(checkout: Path, version: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "chinaai_stats.builders.release", version],
        cwd=checkout,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(checkout)},
    )


def test_release_command(checkout) -> None:
    _with_unreleased(checkout, "something")
    r = _release_command(checkout, NEXT_MINOR)
    assert r.returncode == 0, r.stderr
    assert set(_versions(checkout).values()) == {NEXT_MINOR}
    again = _release_command(checkout, NEXT_MINOR)
    assert again.returncode == 1 and "not greater" in again.stderr


def test_registering_a_source_refreshes_descriptor_and_citation(checkout) -> None:
    registry = checkout / "seeds" / "sources.csv"
    registry.write_text(
        registry.read_text("utf-8")
        + "example-2026-report,An Example Report,Example Press,,2026-01-15,Dated in the text."
        ",,,en,report,example.txt," + "0" * 64 + ",A made-up source for a test.\n",
        "utf-8",
    )
    assert package.refresh(checkout) is True
    desc = json.loads((checkout / "datasets" / "datapackage.json").read_text("utf-8"))
    cff = (checkout / "CITATION.cff").read_text("utf-8")
    assert 'title: "An Example Report"' in cff
    assert cff == render_citation(desc, desc["version"], desc["created"][:10])
    assert package.refresh(checkout) is False


@pytest.mark.parametrize(
    "command", [["chinaai_stats.builders.release", NEXT_MINOR], ["chinaai_stats.tables.package"]]
)
def test_release_and_refresh_wait_for_a_running_add_then_exit_2(checkout, command) -> None:
    _with_unreleased(checkout, "something")
    before = {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()}
    with journal.locked(checkout, "add"):
        r = subprocess.run(
            [sys.executable, "-m", *command, *([str(checkout)] if len(command) == 1 else [])],
            cwd=checkout,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(checkout), journal.WAIT_ENV: "0.2"},
        )
    assert r.returncode == 2, r.stderr
    assert f"another add is running on {checkout.resolve()} (pid {os.getpid()})" in r.stderr
    assert "Traceback" not in r.stderr
    assert {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()} == before


def test_release_outside_a_clone_offers_no_option_it_lacks(tmp_path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "chinaai_stats.builders.release", "9.9.9"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "run this inside a clone of chinaai-stats" in r.stderr
    assert "--datasets" not in r.stderr

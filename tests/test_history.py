"""Every release loadable: the release store, load(version=), changes(), cite(version=)."""

from __future__ import annotations

import hashlib
import json
import lzma
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

import chinaai_stats as cs
from chinaai_stats.builders.release import release
from chinaai_stats.tables import catalog, history
from tests.conftest import REPO, run_cli
from tests.test_release import _with_unreleased, checkout  # noqa: F401 (a fixture)

#: Rows per table as released: 0.1.0's CHANGELOG section states its counts; 0.2.0 held 65
#: fact rows (the count its users reported), split as below.
RELEASED_ROWS = {
    "0.1.0": {"user_counts": 4, "investments": 5, "talent": 5, "camera_counts": 2, "context": 8},
    "0.2.0": {
        "user_counts": 13,
        "investments": 14,
        "talent": 12,
        "camera_counts": 11,
        "context": 15,
    },
}
#: The commits each old release was made from (the store was backfilled from them).
RELEASE_COMMITS = {"0.1.0": "a6bd027", "0.2.0": "c8ca274"}


def _git_show(rev: str, path: str) -> bytes | None:
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        return None
    r = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:{path}"], capture_output=True)
    return r.stdout if r.returncode == 0 else None


def test_0_2_0_held_65_fact_rows() -> None:
    assert sum(RELEASED_ROWS["0.2.0"].values()) == 65


def test_the_store_holds_every_release_from_0_1_0() -> None:
    stored = history.releases(catalog.data_root())
    assert stored[:2] == ["0.1.0", "0.2.0"]
    assert stored == sorted(stored, key=lambda v: tuple(map(int, v.split("."))))


@pytest.mark.parametrize("version", sorted(RELEASED_ROWS))
def test_each_release_loads_as_released(version: str) -> None:
    files = history.rebuild(catalog.data_root(), version)
    desc = json.loads(files["datasets/datapackage.json"])
    assert desc["version"] == version
    for name, rows in RELEASED_ROWS[version].items():
        df = cs.load(name, version=version)
        res = next(r for r in desc["resources"] if r["name"] == name)
        assert len(df) == rows, name
        assert df.attrs["version"] == version
        assert "sha256:" + df.attrs["sha256"] == res["hash"], name


@pytest.mark.parametrize("version", sorted(RELEASE_COMMITS))
def test_rebuilt_files_are_the_committed_bytes(version: str) -> None:
    rev = RELEASE_COMMITS[version]
    files = history.rebuild(catalog.data_root(), version)
    if _git_show(rev, "datasets/datapackage.json") is None:
        pytest.skip("no git history here to compare with")
    for rel, data in files.items():
        assert _git_show(rev, rel) == data, rel


def test_a_version_not_released_is_a_clear_error() -> None:
    with pytest.raises(cs.DataVersionError, match=r"holds the releases 0\.1\.0, 0\.2\.0"):
        cs.load("user_counts", version="0.0.9")
    r = run_cli("cite", "talent", "--data-version", "0.0.9")
    assert r.returncode == 2 and "pip install chinaai-stats==0.0.9" in r.stderr


def test_changes_lists_what_each_release_added_and_changed() -> None:
    c = cs.changes("0.1.0", "0.2.0")
    for name in RELEASED_ROWS["0.1.0"]:
        old = set(cs.load(name, version="0.1.0")["id"])
        new = set(cs.load(name, version="0.2.0")["id"])
        mine = c[c["table"] == name]
        assert set(mine.loc[mine["change"] == "added", "key"]) == new - old
        assert set(mine.loc[mine["change"] == "removed", "key"]) == old - new
    # uc-0001's primary source was restated in 0.2.0: the cell's old and new text
    cell = c[(c["key"] == "uc-0001") & (c["column"] == "primary_source")].iloc[0]
    assert cell["change"] == "changed" and cell["old"] != cell["new"]
    assert set(c.loc[c["change"] == "table added", "table"]) >= {"populations", "wdi_indicators"}
    csv_out = run_cli("changes", "0.1.0", "0.2.0", "--format", "csv")
    assert csv_out.returncode == 0 and len(csv_out.stdout.splitlines()) == len(c) + 1


def test_cite_an_old_release() -> None:
    old = cs.cite("user_counts", version="0.1.0", accessed="2026-12-07")
    digest = cs.load("user_counts", version="0.1.0").attrs["sha256"][:12]
    assert "version 0.1.0" in old and digest in old
    r = run_cli("cite", "user_counts", "--data-version", "0.1.0", "--accessed", "2026-12-07")
    assert r.returncode == 0 and r.stdout.strip() == old


def test_a_damaged_store_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for part in ("datasets", "schemas", "seeds"):
        shutil.copytree(REPO / part, tmp_path / part)
    path = tmp_path / history.STORE / "0.1.0.json.xz"
    entry = json.loads(lzma.decompress(path.read_bytes()))
    entry["files"]["datasets/user_counts.csv"]["ops"].append(["uc-9999,forged\n"])
    path.write_bytes(lzma.compress(json.dumps(entry).encode()))
    monkeypatch.setenv("CHINAAI_STATS_DATA", str(tmp_path))
    with pytest.raises(cs.DataVersionError, match="does not rebuild to its recorded SHA-256"):
        cs.load("user_counts", version="0.1.0")


def test_a_release_is_stored_and_survives_later_edits(checkout: Path) -> None:  # noqa: F811
    _with_unreleased(checkout, "talent: corrected a figure")
    current = catalog.descriptor(checkout)["version"]
    major, minor, _ = map(int, current.split("."))
    new = f"{major}.{minor + 1}.0"
    release(new, root=checkout, today=date(2027, 1, 5))
    assert (checkout / history.STORE / f"{new}.json.xz").is_file()
    released = (checkout / "datasets" / "talent.csv").read_bytes()
    # an edit after the release: the data in use changes, the release does not
    talent = checkout / "datasets" / "talent.csv"
    talent.write_bytes(released.replace(b"around 30", b"around 29"))
    subprocess.run(
        [os.sys.executable, "-m", "chinaai_stats.tables.package", str(checkout)], check=True
    )
    env = {"CHINAAI_STATS_DATA": str(checkout), "PYTHONPATH": str(checkout)}
    code = (
        "import chinaai_stats as cs, sys;"
        f"df = cs.load('talent', version='{new}');"
        "print(df.attrs['sha256'], df.attrs['version'])"
    )
    r = subprocess.run(
        [os.sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [hashlib.sha256(released).hexdigest(), new]
    assert history.rebuild(checkout, new)["datasets/talent.csv"] == released

"""Output folders: a forged ``.chinaai-stats-output`` or a planted link never deletes or
creates anything the user did not ask for.

A marker is a claim anyone can write (a shipped folder, a fork's ``site/``). These
plant one naming a user's file, inside the folder or through a link out of it, with
that file's (public) hash, and a dangling ``--out`` link, and check nothing outside
the requested output changes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from chinaai_stats.outputs import outdir
from tests.conftest import run_cli
from tests.hostile._helpers import one_line_refusal, tree, victim


def _forge(out: Path, rel: str, target: Path, identity: bool) -> None:
    """Add ``rel`` to the marker in ``out`` with ``target``'s hash (and real identity)."""
    path = out / outdir.MARKER
    marker = (
        json.loads(path.read_text("utf-8")) if path.exists() else {"written_by": "chinaai-stats"}
    )
    marker.setdefault("files", {})[rel] = outdir._sha256(target)
    if identity:  # the strongest forgery: even the inode and mtime are right
        marker.setdefault("identities", {})[rel] = outdir._identity(os.stat(target))
    path.write_text(json.dumps(marker), encoding="utf-8")


@pytest.mark.parametrize("force", [False, True])
def test_a_marker_listing_a_file_through_a_link_never_deletes_it(tmp_path, force) -> None:
    _, home_before = victim(tmp_path / "home")
    out = tmp_path / "out"
    assert run_cli("export", "--format", "json", "--out", str(out)).returncode == 0
    (out / "cfg").symlink_to("../home")
    _forge(out, "cfg/victim.txt", tmp_path / "home" / "victim.txt", identity=True)
    args = ["export", "--format", "json", "--out", str(out)] + (["--force"] if force else [])
    r = run_cli(*args)
    if force:  # written alongside the link, never through it
        assert r.returncode == 0, r.stderr
    else:
        one_line_refusal(r, "cfg")
    assert tree(tmp_path / "home") == home_before
    assert os.readlink(out / "cfg") == "../home"


@pytest.mark.parametrize("identity", [False, True])
def test_a_forged_marker_listing_a_users_file_in_the_folder_never_deletes_it(
    tmp_path, identity
) -> None:
    out = tmp_path / "out"
    assert run_cli("export", "--format", "json", "--out", str(out)).returncode == 0
    notes = out / "notes.txt"
    notes.write_text("my notes, not an export\n", encoding="utf-8")
    _forge(out, "notes.txt", notes, identity=False)
    if identity:  # a made-up identity (a forger cannot know the inode of a file made later)
        marker = json.loads((out / outdir.MARKER).read_text("utf-8"))
        marker["identities"]["notes.txt"] = "1:1"
        (out / outdir.MARKER).write_text(json.dumps(marker), encoding="utf-8")
    one_line_refusal(run_cli("export", "--format", "json", "--out", str(out)), "notes.txt")
    assert notes.read_text("utf-8") == "my notes, not an export\n"
    r = run_cli("export", "--format", "json", "--out", str(out), "--force")
    assert r.returncode == 0, r.stderr
    assert notes.read_text("utf-8") == "my notes, not an export\n"


def test_a_forged_marker_in_a_shipped_folder_does_not_make_its_files_ours(tmp_path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    index = site / "index.html"
    index.write_text("<p>the user's own page</p>\n", encoding="utf-8")
    _forge(site, "index.html", index, identity=False)
    before = tree(site)
    one_line_refusal(run_cli("report", "--out", str(site)), "index.html")
    assert tree(site) == before


@pytest.mark.parametrize("fmt", ["json", "sqlite"])
def test_a_dangling_out_link_is_refused_and_nothing_is_created(tmp_path, fmt) -> None:
    home = tmp_path / "home"
    home.mkdir()
    link = tmp_path / ("out" if fmt == "json" else "data.sqlite")
    link.symlink_to(home / "created-elsewhere")
    one_line_refusal(run_cli("export", "--format", fmt, "--out", str(link)), "broken symbolic link")
    assert list(home.iterdir()) == []


def test_a_dangling_link_on_the_way_to_out_is_refused(tmp_path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "link").symlink_to(home / "gone")
    r = run_cli("export", "--format", "csv", "--out", str(tmp_path / "link" / "csv"))
    one_line_refusal(r, "broken symbolic link")
    assert list(home.iterdir()) == []


def test_a_marker_that_is_a_link_is_refused(tmp_path) -> None:
    _, home_before = victim(tmp_path / "home")
    out = tmp_path / "out"
    out.mkdir()
    (out / outdir.MARKER).symlink_to(tmp_path / "home" / ".bashrc")
    for force in ([], ["--force"]):
        r = run_cli("export", "--format", "json", "--out", str(out), *force)
        one_line_refusal(r, outdir.MARKER, "symbolic link")
    assert tree(tmp_path / "home") == home_before


def test_a_file_output_that_is_a_link_is_not_replaced_through_it(tmp_path) -> None:
    elsewhere = tmp_path / "home" / "kept.sqlite"
    elsewhere.parent.mkdir()
    assert run_cli("export", "--format", "sqlite", "--out", str(elsewhere)).returncode == 0
    before = tree(elsewhere.parent)
    link = tmp_path / "data.sqlite"
    link.symlink_to(elsewhere)
    one_line_refusal(run_cli("export", "--format", "sqlite", "--out", str(link)), "symbolic link")
    assert tree(elsewhere.parent) == before
    assert link.is_symlink()

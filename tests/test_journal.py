"""The clone's lock, the journalled commit and recovery, file modes under a umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from chinaai_stats.core import journal
from chinaai_stats.core.errors import ChinaAIStatsError, DataBusyError, DataFileError
from tests.test_add_safety import assert_consistent, make_clone, snapshot
from tests.test_validation import GOOD, write_rows


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


@pytest.mark.parametrize("umask", [0o002, 0o022], indirect=True)
def test_add_keeps_each_files_mode_and_new_files_follow_the_umask(
    tmp_path, umask, monkeypatch
) -> None:
    clone = make_clone(tmp_path / "clone")
    modes = {
        "datasets/talent.csv": 0o640,
        "datasets/datapackage.json": 0o604,
        "CHANGELOG.md": 0o600,
    }
    for name, m in modes.items():
        os.chmod(clone / name, m)
    new = write_rows(tmp_path / "new.csv", [GOOD])
    seen = {}

    def probe(step: str) -> None:  # the lock, journal and staged copy in mid-commit
        if step == "committed:synced":
            seen["lock"] = mode(clone / "datasets" / journal.LOCK_NAME)
            seen["journal"] = mode(clone / "datasets" / journal.JOURNAL_NAME)
            seen["staged"] = mode(clone / f".NEWFILE.md{journal.STAGED_SUFFIX}")

    r = subprocess.run(
        [sys.executable, "-m", "chinaai_stats", "add", str(new), "--table", "talent"],
        capture_output=True,
        text=True,
        cwd=clone,
        preexec_fn=lambda: os.umask(umask),
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert {name: mode(clone / name) for name in modes} == modes
    monkeypatch.setattr(journal, "_step", probe)
    with journal.locked(clone, "add"):
        journal.commit(clone, {clone / "NEWFILE.md": "new\n"}, note="a new file")
    assert seen == dict.fromkeys(["lock", "journal", "staged"], 0o666 & ~umask)
    assert mode(clone / "NEWFILE.md") == 0o666 & ~umask


def test_a_commit_creates_new_files_and_replaces_old_ones_together(tmp_path) -> None:
    clone = make_clone(tmp_path / "clone")
    (clone / "notes").mkdir()
    with journal.locked(clone, "test"):
        journal.commit(clone, {clone / "notes" / "a.txt": "一\r\n", clone / "CHANGELOG.md": b"x"})
    assert (clone / "notes" / "a.txt").read_bytes() == "一\r\n".encode()
    assert (clone / "CHANGELOG.md").read_bytes() == b"x"
    assert not list(clone.rglob(".*chinaai-stats*"))


def test_commit_without_the_lock_is_a_bug(tmp_path) -> None:
    clone = make_clone(tmp_path / "clone")
    with pytest.raises(RuntimeError, match="without holding its lock"):
        journal.commit(clone, {clone / "CHANGELOG.md": "x"})


def test_the_lock_is_reentrant_in_one_process_and_removed_after(tmp_path) -> None:
    clone = make_clone(tmp_path / "clone")
    lock = clone / "datasets" / journal.LOCK_NAME
    with journal.locked(clone, "release"), journal.locked(clone, "package refresh"):
        assert lock.read_text() == f"{os.getpid()} release\n"
    assert not lock.exists()


def test_a_lock_held_elsewhere_times_out_with_the_holder(tmp_path, monkeypatch) -> None:
    clone = make_clone(tmp_path / "clone")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from chinaai_stats.core import journal\n"
            f"with journal.locked({str(clone)!r}, 'release'):\n"
            "    print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv(journal.WAIT_ENV, "0.2")
        with pytest.raises(DataBusyError) as info, journal.locked(clone, "add"):
            pass
        assert str(info.value) == (
            f"another release is running on {clone.resolve()} (pid {holder.pid}); "
            "try again when it finishes"
        )
    finally:
        holder.kill()
        holder.wait()
    # the holder was killed: its lock file stays behind, and is no obstacle
    assert (clone / "datasets" / journal.LOCK_NAME).exists()
    with journal.locked(clone, "add"):
        pass
    assert not (clone / "datasets" / journal.LOCK_NAME).exists()


def test_a_reader_removes_a_lock_file_left_by_a_killed_process(tmp_path) -> None:
    clone = make_clone(tmp_path / "clone")
    (clone / "datasets" / journal.LOCK_NAME).write_text("999999 add\n")
    assert journal.recover(clone) is None
    assert not (clone / "datasets" / journal.LOCK_NAME).exists()


@pytest.mark.parametrize("wait", ["soon", "-"])
def test_a_bad_wait_setting_is_a_clear_error(tmp_path, monkeypatch, wait) -> None:
    clone = make_clone(tmp_path / "clone")
    monkeypatch.setenv(journal.WAIT_ENV, wait)
    with pytest.raises(DataBusyError, match="is not a number of seconds"), journal.locked(clone):
        pass


def test_an_unreadable_journal_is_reported_not_guessed(tmp_path) -> None:
    clone = make_clone(tmp_path / "clone")
    (clone / "datasets" / journal.JOURNAL_NAME).write_text("{not json")
    before = snapshot(clone)
    with pytest.raises(DataFileError, match="record of an interrupted change cannot be read"):
        journal.recover(clone)
    assert snapshot(clone) == before


def test_a_damaged_staged_copy_is_not_rolled_forward(tmp_path, monkeypatch) -> None:
    clone = make_clone(tmp_path / "clone")
    monkeypatch.setenv(journal.CRASH_ENV, "committed:synced")
    code = (
        "from chinaai_stats.core import journal\n"
        f"root = {str(clone)!r}\n"
        "with journal.locked(root):\n"
        "    journal.commit(root, {root + '/CHANGELOG.md': 'new'})\n"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == -9
    monkeypatch.delenv(journal.CRASH_ENV)
    (clone / f".CHANGELOG.md{journal.STAGED_SUFFIX}").write_text("damaged")
    with pytest.raises(DataFileError, match=r"staged copy of CHANGELOG\.md is damaged"):
        journal.recover(clone)
    assert (clone / "CHANGELOG.md").read_text("utf-8").startswith("# Changelog")


def test_no_temporary_file_is_left_on_any_refusal(tmp_path, monkeypatch) -> None:
    """Invalid rows, an unusable file, a busy clone, an interrupt mid-write: nothing stays."""
    from chinaai_stats.contributing.add import AddError, add

    clone = make_clone(tmp_path / "clone")
    before = snapshot(clone)
    bad = write_rows(tmp_path / "bad.csv", [{**GOOD, "value": "x"}])
    with pytest.raises(AddError):
        add(bad, "talent", datasets=clone / "datasets")
    with pytest.raises(ChinaAIStatsError, match="no such file"):
        add(tmp_path / "missing.csv", "talent", datasets=clone / "datasets")
    good = write_rows(tmp_path / "good.csv", [GOOD])

    real_fsync_dir = journal.fsync_dir
    calls = []

    def interrupted(folder):  # Ctrl-C once, in the middle of the commit
        calls.append(folder)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_fsync_dir(folder)

    monkeypatch.setattr(journal, "fsync_dir", interrupted)
    with pytest.raises(KeyboardInterrupt):
        add(good, "talent", datasets=clone / "datasets")
    monkeypatch.undo()
    assert snapshot(clone) == before
    monkeypatch.setenv(journal.WAIT_ENV, "0")
    with journal.locked(clone, "add"):
        pass
    assert snapshot(clone) == before
    add(good, "talent", datasets=clone / "datasets")
    assert_consistent(clone)

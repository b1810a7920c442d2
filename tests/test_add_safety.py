"""add under fire: real processes killed at every step of the commit, and two adds at once.

After every kill the next command settles the interrupted commit, and the clone is
checked whole: each table's recorded hash matches its file, the CHANGELOG lists
exactly the added rows that are in the CSV, no staged, temporary or journal file is
left, and running the same ``add`` again adds the rows or says they are there.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from chinaai_stats.contributing.add import add
from chinaai_stats.core import journal
from tests.conftest import REPO, run_cli
from tests.test_validation import GOOD, row, write_rows

CRASH = journal.CRASH_ENV
NEW_IDS = ("tal-9100", "tal-9101")
#: names a leftover of an interrupted write would have
LEFTOVER_MARKS = (".tmp", ".new", ".old", "chinaai-stats.journal", "chinaai-stats.lock")


def make_clone(folder: Path) -> Path:
    for part in ("datasets", "schemas", "seeds"):
        shutil.copytree(REPO / part, folder / part)
    shutil.copy(REPO / "CHANGELOG.md", folder / "CHANGELOG.md")
    return folder


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def assert_consistent(root: Path) -> set[str]:
    """Check the clone is whole; return which of NEW_IDS its talent table holds."""
    desc = json.loads((root / "datasets" / "datapackage.json").read_text("utf-8"))
    for res in desc["resources"]:
        if "path" not in res:
            continue
        data = (root / "datasets" / res["path"]).read_bytes()
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), res["name"]
        assert res["bytes"] == len(data), res["name"]
    text = (root / "datasets" / "talent.csv").read_text("utf-8")
    present = {r["id"] for r in csv.DictReader(io.StringIO(text))} & set(NEW_IDS)
    changelog = (root / "CHANGELOG.md").read_text("utf-8")
    listed = {i for i in NEW_IDS if i in changelog}
    assert listed == present, f"CHANGELOG lists {listed}, the CSV holds {present}"
    left = [p for p in root.rglob("*") if any(m in p.name for m in LEFTOVER_MARKS)]
    assert not left, f"left behind: {left}"
    return present


def add_cli(new: Path, clone: Path, **env: str) -> subprocess.CompletedProcess:
    return run_cli(
        "add",
        str(new),
        "--table",
        "talent",
        "--datasets",
        str(clone / "datasets"),
        env={"PYTHONDONTWRITEBYTECODE": "1", **env},
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """The file to add, and a clone's files before and after a clean, uninterrupted add."""
    base = tmp_path_factory.mktemp("reference")
    new = write_rows(base / "new.csv", [GOOD])
    clone = make_clone(base / "clone")
    before = snapshot(clone)
    add(new, "talent", datasets=clone / "datasets")
    return new, before, snapshot(clone)


def check_after_kill(clone: Path, reference, first: str) -> None:
    """Settle the clone with command ``first`` (a process), check it, then add again.

    ``first`` is ``list`` (a reader: it only reads the descriptor) or ``add``.
    """
    new, before, after = reference
    if first == "list":
        r = run_cli("list", env={"CHINAAI_STATS_DATA": str(clone)})
        assert r.returncode == 0, r.stderr
        assert snapshot(clone) in (before, after), "settled to neither the old nor the new state"
        assert_consistent(clone)
        result = add(new, "talent", datasets=clone / "datasets")  # the same add, again
        assert (result.ids, result.already) in ((("tal-9100",), ()), ((), ("tal-9100",)))
    else:
        again = add_cli(new, clone)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "added 1 rows" in again.stdout or "already in talent" in again.stdout
    assert assert_consistent(clone) == {"tal-9100"}
    assert snapshot(clone) == after


@pytest.mark.parametrize("step", journal.commit_steps(3))
def test_add_killed_at_each_step_is_settled_by_the_next_command(tmp_path, reference, step):
    clone = make_clone(tmp_path / "clone")
    killed = add_cli(reference[0], clone, **{CRASH: step})
    assert killed.returncode == -signal.SIGKILL, f"step {step} never reached: {killed.stderr}"
    check_after_kill(clone, reference, first="list")


@pytest.mark.parametrize("step", ["stage:1:synced", "replace:1"])
def test_rerunning_add_right_after_a_kill_settles_and_finishes(tmp_path, reference, step):
    clone = make_clone(tmp_path / "clone")
    killed = add_cli(reference[0], clone, **{CRASH: step})
    assert killed.returncode == -signal.SIGKILL
    check_after_kill(clone, reference, first="add")


@pytest.mark.parametrize("step", journal.recover_steps(3))
def test_recovery_killed_at_each_step_is_finished_by_the_next_command(tmp_path, reference, step):
    clone = make_clone(tmp_path / "clone")
    assert add_cli(reference[0], clone, **{CRASH: "replace:0"}).returncode == -9
    env = {"CHINAAI_STATS_DATA": str(clone), CRASH: step}
    assert run_cli("list", env=env).returncode == -signal.SIGKILL
    journal_left = (clone / "datasets" / journal.JOURNAL_NAME).exists()
    assert journal_left == (step != "recover:journal:removed")
    check_after_kill(clone, reference, first="list")


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
@pytest.mark.parametrize("syscall", ["rename", "fsync", "unlink"])
def test_add_killed_by_strace_at_every_call(tmp_path, reference, syscall):
    """Fault injection: SIGKILL at the N-th rename/fsync/unlink, for every N until add ends."""
    for n in range(1, 60):
        clone = make_clone(tmp_path / f"clone-{n}")
        r = subprocess.run(
            [
                "strace",
                "-f",
                "-qq",
                "-o",
                os.devnull,
                "-e",
                f"trace={syscall}",
                "-e",
                f"inject={syscall}:signal=SIGKILL:when={n}",
                sys.executable,
                "-m",
                "chinaai_stats",
                "add",
                str(reference[0]),
                "--table",
                "talent",
                "--datasets",
                str(clone / "datasets"),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            timeout=120,
        )
        if r.returncode == 0:  # fewer than n calls: every one of them was a kill point
            assert n > 1, f"add made no {syscall} call"
            assert_consistent(clone)
            return
        assert r.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), r.stderr
        check_after_kill(clone, reference, first="list")
        shutil.rmtree(clone)
    pytest.fail(f"add still running after 59 {syscall} calls")


def test_two_adds_at_once_never_lose_a_row(tmp_path):
    """Two real processes, many trials: both rows land, or the second exits 2 cleanly."""
    a = write_rows(tmp_path / "a.csv", [GOOD])
    b = write_rows(tmp_path / "b.csv", [row(id="tal-9101", entity="NeurIPS")])
    outcomes = []
    for trial in range(10):
        clone = make_clone(tmp_path / f"clone-{trial}")
        cmd = [sys.executable, "-m", "chinaai_stats", "add"]
        where = ["--table", "talent", "--datasets", str(clone / "datasets")]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        procs = [
            subprocess.Popen(
                [*cmd, str(f), *where], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
            )
            for f in (a, b)
        ]
        results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        present = assert_consistent(clone)
        for (code, err), new_id in zip(results, NEW_IDS, strict=True):
            assert code in (0, 2), err
            assert (new_id in present) == (code == 0), (code, err)
            if code == 2:
                assert "another add is running on" in err and "Traceback" not in err
        outcomes.append(tuple(code for code, _ in results))
        shutil.rmtree(clone)
    assert any(o == (0, 0) for o in outcomes), outcomes


def test_a_second_add_waits_then_exits_2_naming_the_holder(tmp_path):
    clone = make_clone(tmp_path / "clone")
    new = write_rows(tmp_path / "new.csv", [GOOD])
    before = snapshot(clone)
    with journal.locked(clone, "add"):
        r = add_cli(new, clone, CHINAAI_STATS_LOCK_WAIT="0.3")
        held = snapshot(clone)
    assert r.returncode == 2, r.stderr
    assert f"another add is running on {clone.resolve()} (pid {os.getpid()})" in r.stderr
    assert "try again when it finishes" in r.stderr and "Traceback" not in r.stderr
    assert {k: v for k, v in held.items() if "lock" not in k} == before
    assert snapshot(clone) == before
    assert add_cli(new, clone).returncode == 0
    assert assert_consistent(clone) == {"tal-9100"}

"""add: merge only fully valid rows, atomically, with hashes and changelog updated."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from frictionless import validate as fl_validate

import chinaai_stats as cs
from chinaai_stats.contributing.add import AddError, add, changelog_with
from chinaai_stats.core import journal
from chinaai_stats.core.errors import DataFileError
from tests.conftest import REPO, run_cli
from tests.test_validation import GOOD, row, write_rows


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A contributor's clone: datasets/, schemas/, seeds/ and CHANGELOG.md."""
    root = tmp_path / "clone"
    for part in ("datasets", "schemas", "seeds"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "CHANGELOG.md", root / "CHANGELOG.md")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def recorded_hash_matches(root: Path, table: str) -> bool:
    desc = json.loads((root / "datasets" / "datapackage.json").read_text("utf-8"))
    res = next(r for r in desc["resources"] if r["name"] == table)
    data = (root / "datasets" / res["path"]).read_bytes()
    return res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest() and res["bytes"] == len(data)


def test_add_merges_valid_rows_and_updates_hash_and_changelog(clone, tmp_path) -> None:
    new = write_rows(tmp_path / "new.csv", [GOOD, row(id="tal-9101", entity="NeurIPS")])
    before = (clone / "datasets" / "talent.csv").read_text("utf-8")
    r = run_cli("add", str(new), "--table", "talent", "--datasets", str(clone / "datasets"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "added 2 rows to talent: tal-9100, tal-9101" in r.stdout
    after = (clone / "datasets" / "talent.csv").read_text("utf-8")
    assert after.startswith(before) and after.count("\n") == before.count("\n") + 2
    assert recorded_hash_matches(clone, "talent")
    report = fl_validate(clone / "datasets" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    changelog = (clone / "CHANGELOG.md").read_text("utf-8")
    unreleased = changelog.split("## [Unreleased]")[1].split("\n## [")[0]
    assert "`talent`: 2 rows added (tal-9100, tal-9101)" in unreleased
    loaded = run_cli("show", "talent", "--format", "csv", env={"CHINAAI_STATS_DATA": str(clone)})
    assert "tal-9101,NeurIPS" in loaded.stdout


def test_add_finds_datasets_by_walking_up(clone, tmp_path) -> None:
    new = write_rows(tmp_path / "new.csv", [GOOD])
    work = clone / "notes" / "drafts"
    work.mkdir(parents=True)
    r = run_cli("add", str(new), "--table", "talent", cwd=work)
    assert r.returncode == 0, r.stderr
    assert recorded_hash_matches(clone, "talent")


def test_add_outside_a_clone_is_unusable(tmp_path) -> None:
    new = write_rows(tmp_path / "new.csv", [GOOD])
    r = run_cli("add", str(new), "--table", "talent", cwd=tmp_path)
    assert r.returncode == 2 and "no datasets/datapackage.json" in r.stderr


@pytest.mark.parametrize(
    "rows",
    [
        [GOOD, row(id="tal-9101", unit="kg")],  # one bad row stops the whole file
        [row(id="tal-0001")],  # an id the table already has
    ],
    ids=["one-bad-row", "existing-id"],
)
def test_add_refuses_and_writes_nothing(clone, tmp_path, rows) -> None:
    new = write_rows(tmp_path / "new.csv", rows)
    before = snapshot(clone)
    r = run_cli("add", str(new), "--table", "talent", "--datasets", str(clone / "datasets"))
    assert r.returncode == 1
    assert "nothing was added" in r.stderr and "Traceback" not in r.stderr
    assert snapshot(clone) == before


def test_add_of_a_file_without_rows_passes_as_validate_does_and_writes_nothing(
    clone, tmp_path
) -> None:
    new = write_rows(tmp_path / "new.csv", [])
    before = snapshot(clone)
    r = run_cli("add", str(new), "--table", "talent", "--datasets", str(clone / "datasets"))
    assert r.returncode == 0, r.stderr
    assert "the file has no rows; nothing to add" in r.stdout
    assert snapshot(clone) == before


def test_add_unusable_file_exit_2_and_writes_nothing(clone, tmp_path) -> None:
    before = snapshot(clone)
    r = run_cli(
        "add",
        str(tmp_path / "missing.csv"),
        "--table",
        "talent",
        "--datasets",
        str(clone / "datasets"),
    )
    assert r.returncode == 2 and "no such file" in r.stderr
    assert snapshot(clone) == before


@pytest.mark.parametrize("fail_at", [1, 2, 3, 4, 5])
def test_a_write_failing_before_the_commit_point_leaves_every_file_as_it_was(
    clone, tmp_path, monkeypatch, fail_at
) -> None:
    """Disk full while writing the journal or a staged copy: nothing changes, nothing is left."""
    new = write_rows(tmp_path / "new.csv", [GOOD])
    before = snapshot(clone)
    real = journal.write_synced
    calls = {"n": 0}

    def flaky(path, data, mode, before_sync=None):
        calls["n"] += 1
        if calls["n"] == fail_at:
            with open(path, "wb") as f:  # a partial file, as a full disk would leave
                f.write(data[:10])
            raise OSError(28, "No space left on device (injected)")
        return real(path, data, mode, before_sync)

    monkeypatch.setattr(journal, "write_synced", flaky)
    with pytest.raises(DataFileError, match=r"injected.*nothing was changed"):
        add(new, "talent", datasets=clone / "datasets")
    assert snapshot(clone) == before, "a file changed or a temporary file was left behind"


@pytest.mark.parametrize("fail_at", [1, 2, 3])
def test_a_rename_failing_after_the_commit_point_is_finished_by_the_next_command(
    clone, tmp_path, monkeypatch, fail_at
) -> None:
    new = write_rows(tmp_path / "new.csv", [GOOD])
    real_replace = os.replace
    calls = {"n": 0}

    def flaky_replace(src, dst):
        if str(src).endswith(journal.STAGED_SUFFIX):
            calls["n"] += 1
            if calls["n"] == fail_at:
                raise OSError(5, "Input/output error (injected)")
        return real_replace(src, dst)

    monkeypatch.setattr(journal.os, "replace", flaky_replace)
    with pytest.raises(DataFileError, match="next chinaai-stats command in this clone finishes"):
        add(new, "talent", datasets=clone / "datasets")
    monkeypatch.setattr(journal.os, "replace", real_replace)
    assert (clone / "datasets" / journal.JOURNAL_NAME).exists()
    r = run_cli("list", env={"CHINAAI_STATS_DATA": str(clone)})
    assert r.returncode == 0 and "finished an interrupted add" in r.stderr, r.stderr
    assert recorded_hash_matches(clone, "talent")
    assert "tal-9100" in (clone / "datasets" / "talent.csv").read_text("utf-8")
    assert "(tal-9100)" in (clone / "CHANGELOG.md").read_text("utf-8")
    assert not [p for p in clone.rglob(".*") if p.is_file()], "a temporary file was left"


def test_add_error_carries_the_report(clone, tmp_path) -> None:
    new = write_rows(tmp_path / "new.csv", [row(value="x")])
    with pytest.raises(AddError) as info:
        add(new, "talent", datasets=clone / "datasets")
    assert info.value.report is not None
    assert info.value.report.errors["column"].tolist() == ["value"]
    assert isinstance(info.value, cs.ChinaAIStatsError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# C\n\n## [Unreleased]\n\n## [0.1.0] - 2026-11-24\n- x\n",
            "# C\n\n## [Unreleased]\n\n### Added\n- new\n\n## [0.1.0] - 2026-11-24\n- x\n",
        ),
        (
            "# C\n\n## [Unreleased]\n\n### Added\n- old\n\n## [0.1.0]\n",
            "# C\n\n## [Unreleased]\n\n### Added\n- old\n- new\n\n## [0.1.0]\n",
        ),
        (  # under the data list, not under whatever subsection comes last
            "# C\n\n## [Unreleased]\n\n### Added\n- a\n\n### Added data\n- d\n\n### Fixed\n- f\n",
            "# C\n\n## [Unreleased]\n\n### Added\n- a\n\n### Added data\n- d\n- new\n\n"
            "### Fixed\n- f\n",
        ),
        (
            "# C\n\n## [Unreleased]\n\n### Added\n- a\n\n### Fixed\n- f\n\n## [0.1.0]\n",
            "# C\n\n## [Unreleased]\n\n### Added\n- a\n- new\n\n### Fixed\n- f\n\n## [0.1.0]\n",
        ),
        (
            "# C\n\n## [0.1.0]\n- x\n",
            "# C\n\n## [Unreleased]\n\n### Added\n- new\n\n## [0.1.0]\n- x\n",
        ),
    ],
)
def test_changelog_entry_goes_under_unreleased(text: str, expected: str) -> None:
    assert changelog_with(text, "new") == expected


@pytest.mark.parametrize("table", ["exchange_rates", "populations"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_add_refuses_tables_built_from_upstream_data(clone, tmp_path, table, fmt) -> None:
    """A built table would lose hand-added rows at its next rebuild: add refuses it."""
    rows = tmp_path / "rows.csv"
    rows.write_text((clone / "datasets" / f"{table}.csv").read_text("utf-8").splitlines()[0])
    before = (clone / "datasets" / f"{table}.csv").read_bytes()
    r = run_cli(
        "add",
        str(rows),
        "--table",
        table,
        "--datasets",
        str(clone / "datasets"),
        "--format",
        fmt,
    )
    assert r.returncode == 2, r.stderr
    assert "built from upstream data" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    if fmt == "json":
        assert json.loads(r.stdout)["ok"] is False
    assert (clone / "datasets" / f"{table}.csv").read_bytes() == before


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_rerunning_an_add_reports_the_rows_as_there_not_as_invalid(clone, tmp_path, fmt) -> None:
    new = write_rows(tmp_path / "new.csv", [GOOD])
    args = ("add", str(new), "--table", "talent", "--datasets", str(clone / "datasets"))
    assert run_cli(*args).returncode == 0
    before = snapshot(clone)
    again = run_cli(*args, "--format", fmt)
    assert again.returncode == 0, again.stdout + again.stderr
    assert snapshot(clone) == before
    if fmt == "json":
        doc = json.loads(again.stdout)
        assert (doc["ok"], doc["error_count"], doc["errors"]) == (True, 0, [])
        assert doc["already"] == ["tal-9100"] and doc["added"] == []
    else:
        assert "invalid" not in again.stdout and ": error:" not in again.stdout
        assert "valid for table talent" in again.stdout
        assert "already in talent (tal-9100); nothing to add" in again.stdout

"""Checking rows against their source texts: found by sha256, value_text at its line."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chinaai_stats.reading.provenance import (
    TextIndex,
    check_data,
    check_registry,
    check_rows,
    closest_figures,
    paragraphs,
    source_dirs,
)
from chinaai_stats.tables import catalog
from tests.conftest import run_cli

TEXT = (
    "Title line\n\n  \nIt raised $620 million, after $600 million in April.\n"
    "Worth over $4.5 billion.\n"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "texts"
    d.mkdir()
    (d / "renamed-on-disk.txt").write_text(TEXT, encoding="utf-8")
    return d


def _source(folder: Path) -> dict[str, str]:
    sha = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    return {"id": "s1", "filename": "original.txt", "sha256": sha}


def _row(**kw: str) -> dict[str, str]:
    return {"id": "r-1", "source_id": "s1", "locator": "p2", "value_text": "$600 million", **kw}


def test_paragraphs_skip_blank_and_whitespace_lines() -> None:
    assert paragraphs(TEXT)[1].startswith("It raised")
    assert len(paragraphs(TEXT)) == 3


@pytest.mark.parametrize(
    ("row", "level", "column", "in_message"),
    [
        (_row(), None, None, None),
        (_row(value_text="$620 million"), None, None, None),
        (_row(value_text="$650 million"), "error", "value_text", "'$600 million'"),
        (_row(locator="p3"), "error", "value_text", "'$4.5 billion'"),
        (_row(locator="p9"), "error", "locator", "past the end"),
        (_row(locator="line 2"), "error", "locator", "not pN"),
        (_row(stated_usd_text="$4.5 billion"), "error", "stated_usd_text", "not on line p2"),
        (_row(source_id="unregistered"), None, None, None),
    ],
    ids=["found", "second-figure", "wrong-figure", "wrong-line", "past-end", "bad-locator",
         "usd-text", "unknown-source"],
)  # fmt: skip
def test_check_rows_table(folder: Path, row, level, column, in_message) -> None:
    problems = check_rows([row], [_source(folder)], TextIndex([folder]))
    if level is None:
        assert problems == []
        return
    assert [(p.level, p.column) for p in problems] == [(level, column)]
    assert in_message in problems[0].message
    assert problems[0].row == "r-1"


def test_a_wrong_line_hint_names_the_line_that_has_it(folder: Path) -> None:
    (p,) = check_rows([_row(locator="p3")], [_source(folder)], TextIndex([folder]))
    assert "p2" in p.hint


def test_missing_text_is_one_warning_per_source_naming_it(tmp_path: Path, folder: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    rows = [_row(), _row(id="r-2"), _row(id="r-3")]
    problems = check_rows(rows, [_source(folder)], TextIndex([empty]))
    assert [p.level for p in problems] == ["warning"]
    assert "s1" in problems[0].message and "original.txt" in problems[0].hint


def test_a_text_with_the_registered_name_but_other_bytes_is_named(folder: Path) -> None:
    (folder / "original.txt").write_text(TEXT + "edited\n", encoding="utf-8")
    (folder / "renamed-on-disk.txt").unlink()
    (p,) = check_registry([_source(folder)], TextIndex([folder]))
    assert "other bytes" in p.message


def test_texts_are_found_by_hash_across_several_folders(tmp_path: Path, folder: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    index = TextIndex(source_dirs([f"{other}{os.pathsep}{folder}", str(tmp_path / "nope")]))
    assert index.find(_source(folder)["sha256"]) == folder / "renamed-on-disk.txt"


def test_source_dirs_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHINAAI_STATS_SOURCES", f"/a{os.pathsep}{os.pathsep}/b")
    assert source_dirs() == [Path("/a"), Path("/b")]
    assert source_dirs(["/c"]) == [Path("/c")]
    monkeypatch.delenv("CHINAAI_STATS_SOURCES")
    assert source_dirs() == []


@pytest.mark.parametrize(
    ("expr", "line", "first"),
    [
        ("846 milion", "WeChat had 846 million users and QQ 877 million.", "846 million"),
        ("8.46 亿", "微信和WeChat的合并月活跃账户数达到8.46亿,同比", "8.46亿"),
        ("over $4.6 billion", "valued at over $4.5 billion in May", "over $4.5 billion"),
    ],
)
def test_closest_figures_ranks_the_nearest_expression_first(expr, line, first) -> None:
    assert closest_figures(expr, line)[0] == first


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=200))
def test_closest_figures_returns_substrings_of_the_line(expr: str, line: str) -> None:
    out = closest_figures(expr, line)
    assert len(out) <= 3
    assert all(c and c in line for c in out)


# ---- the shipped data against the texts (not redistributed: set CHINAAI_STATS_SOURCES) ----


def test_every_registered_text_is_found_by_its_sha256(source_texts: list[Path]) -> None:
    registry = catalog.registry_rows()
    missing = check_registry(registry, TextIndex(source_dirs()))
    pointer = {r["id"]: r.get("pointer", "") for r in registry}
    unfetchable = [p for p in missing if not pointer.get(p.source_id)]  # not at hand: fetchable
    assert not unfetchable, "; ".join(p.message for p in unfetchable)
    assert len(missing) < len(registry)


def test_every_row_value_text_is_on_its_locator_line(source_texts: list[Path]) -> None:
    problems = [p for p in check_data() if p.level == "error"]  # texts not at hand: warned
    assert not problems, "\n".join(p.message for p in problems)


# ---- the command line ----


def test_sources_check_command_reports_a_wrong_figure(
    data_copy: Path, source_texts: list[Path]
) -> None:
    path = data_copy / "datasets" / "talent.csv"
    path.write_text(path.read_text("utf-8").replace("around 30", "around 31"), "utf-8")
    from chinaai_stats.tables import package

    package.refresh(data_copy)
    r = run_cli("sources", "check", env={"CHINAAI_STATS_DATA": str(data_copy)})
    assert r.returncode == 1, r.stderr
    assert "'around 31' is not on line p9" in r.stdout
    assert "'around 30'" in r.stdout


def test_sources_check_without_texts_is_exit_2(tmp_path: Path) -> None:
    env = {"CHINAAI_STATS_SOURCES": ""}
    r = run_cli("sources", "check", env=env)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "--texts" in r.stderr


def test_validate_with_texts_flags_a_figure_not_in_the_text(
    tmp_path: Path, source_texts: list[Path]
) -> None:
    import chinaai_stats as cs

    rows = cs.load("talent").head(1)
    rows = rows.assign(id="tal-0999", value_text="around 31", value=31.0)
    csv_path = tmp_path / "rows.csv"
    rows.drop(columns=["period_start", "period_end"]).to_csv(csv_path, index=False)
    texts = os.pathsep.join(str(p) for p in source_texts)
    r = run_cli("validate", str(csv_path), "--table", "talent", "--texts", texts)
    assert r.returncode == 1
    assert "'around 31' is not on line p9" in r.stdout
    ok = run_cli("validate", str(csv_path), "--table", "talent", "--texts", str(tmp_path))
    assert ok.returncode == 0 and "text not found" in ok.stdout


def test_add_with_texts_refuses_a_row_not_in_its_text(
    data_copy: Path, tmp_path: Path, source_texts: list[Path]
) -> None:
    import chinaai_stats as cs

    row = cs.load("talent").head(1).drop(columns=["period_start", "period_end"])
    row = row.assign(id="tal-0999", value_text="around 31", value=31.0)
    csv_path = tmp_path / "rows.csv"
    row.to_csv(csv_path, index=False)
    table = data_copy / "datasets" / "talent.csv"
    before = table.read_bytes()
    texts = os.pathsep.join(str(p) for p in source_texts)
    r = run_cli("add", str(csv_path), "--table", "talent", "--texts", texts,
                "--datasets", str(data_copy / "datasets"))  # fmt: skip
    assert r.returncode == 1
    assert "not-in-source-text" not in r.stderr and "'around 31' is not on line p9" in r.stdout
    assert table.read_bytes() == before


def test_validate_reports_source_text_checks_at_the_row_line(
    tmp_path: Path, source_texts: list[Path]
) -> None:
    import chinaai_stats as cs
    from chinaai_stats.contributing.validation import is_extra

    rows = cs.load("talent").head(2).assign(id=["tal-0998", "tal-0999"])
    rows.loc[1, ["value_text", "value"]] = ["eleven-fold", 11.0]
    report = cs.validate(rows, "talent", texts=source_texts)
    errors = report.errors
    assert errors["check"].tolist() == ["source-text"] and errors["line"].tolist() == [3]
    assert is_extra("source-text") and is_extra("source-text-missing")
    assert cs.validate(rows, "talent", texts=[]).errors.empty or (
        "source-text" not in set(cs.validate(rows, "talent", texts=[]).errors["check"])
    )
    missing = cs.validate(rows, "talent", texts=[tmp_path])
    assert set(missing.warnings["check"]) >= {"source-text-missing"}

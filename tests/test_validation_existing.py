"""validate and add give one verdict: ids already used and facts already held, in a clone."""

from __future__ import annotations

import csv

import pytest

import chinaai_stats as cs
from chinaai_stats.contributing.add import AddError, add
from tests.conftest import run_cli
from tests.test_validation import COLUMNS, row, write_rows


def first_row(root) -> dict[str, str]:
    with open(root / "datasets" / "talent.csv", encoding="utf-8", newline="") as f:
        return next(csv.DictReader(f))


def cases(root) -> list[tuple[str, list[dict[str, str]], bool, str]]:
    old = first_row(root)
    return [
        ("reused id", [row(id=old["id"])], False, "id-exists"),
        ("same fact, new id", [{**old, "id": "tal-0900", "notes": "Again."}], True, "fact-exists"),
        ("new fact", [row(id="tal-0901")], True, ""),
        (  # the same figure as a forecast made that year: not the fact the table holds
            "forecast",
            [{**old, "id": "tal-0902", "kind": "forecast", "target_period": "2025",
              "notes": "A forecast for 2025, not a count."}],
            True,
            "",
        ),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "case", [0, 1, 2, 3], ids=["reused-id", "same-fact", "new-fact", "forecast-of-it"]
)
def test_validate_reports_what_add_does(data_copy, tmp_path, case: int) -> None:
    _, rows, ok, check = cases(data_copy)[case]
    path = write_rows(tmp_path / "new.csv", rows, COLUMNS)
    checked = cs.validate(path, table="talent")
    assert checked.ok is ok
    problems = checked.warnings if ok else checked.errors
    if check:
        (hit,) = problems[problems["check"] == check].itertuples()
        assert hit.line == 2
        if check == "fact-exists":
            assert first_row(data_copy)["id"] in hit.message
    else:
        assert "fact-exists" not in set(problems["check"])
    r = run_cli("validate", str(path), "--table", "talent")
    assert r.returncode == (0 if ok else 1)
    try:
        result = add(path, "talent", datasets=data_copy / "datasets")
    except AddError as exc:
        assert not ok, exc
        assert exc.report.to_json() == checked.to_json()
        return
    assert ok
    assert result.report.to_json() == checked.to_json()


def test_a_row_already_in_the_table_is_one_problem_not_two(data_copy, tmp_path) -> None:
    path = write_rows(tmp_path / "again.csv", [first_row(data_copy)])
    report = cs.validate(path, table="talent")
    assert report.errors["check"].tolist() == ["id-exists"]
    assert report.warnings.empty


def test_the_tables_own_file_is_not_checked_against_itself(data_copy) -> None:
    report = cs.validate(data_copy / "datasets" / "talent.csv", table="talent")
    assert report.ok and report.warnings.empty


def test_new_rows_false_skips_the_comparison(data_copy, tmp_path) -> None:
    old = first_row(data_copy)
    path = write_rows(tmp_path / "new.csv", [row(id=old["id"])])
    assert cs.validate(path, table="talent", new_rows=False).ok
    r = run_cli("validate", str(path), "--table", "talent", "--not-new")
    assert r.returncode == 0, r.stdout

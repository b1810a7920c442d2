"""validate and add give one verdict on the same file in the same clone."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_add_safety import assert_consistent, make_clone, snapshot
from tests.test_validation import GOOD, row, write_rows


def first_talent_row(clone: Path) -> dict[str, str]:
    with open(clone / "datasets" / "talent.csv", encoding="utf-8", newline="") as f:
        return next(csv.DictReader(f))


CASES = {
    "valid": lambda old: [GOOD, row(id="tal-9101", entity="NeurIPS")],
    "id-taken": lambda old: [row(id=old["id"])],
    "duplicate-fact": lambda old: [
        row(
            **{k: old[k] for k in ("entity", "indicator", "as_of", "value", "unit")},
            qualifier=old["qualifier"],
            value_text=old["value_text"],
        )
    ],
    "bad-row": lambda old: [row(unit="kg")],
    "valid-and-id-taken": lambda old: [GOOD, row(id=old["id"], entity="NeurIPS")],
    "no-rows": lambda old: [],
}


def problems(report: dict) -> dict[str, list[tuple]]:
    return {
        kind: sorted((p["line"], p["column"], p["check"], p["message"]) for p in report[kind])
        for kind in ("errors", "warnings")
    }


@pytest.mark.parametrize("case", list(CASES))
def test_add_refuses_exactly_what_validate_fails(tmp_path, case) -> None:
    clone = make_clone(tmp_path / "clone")
    new = write_rows(tmp_path / "new.csv", CASES[case](first_talent_row(clone)))
    before = snapshot(clone)
    checked = run_cli(
        "validate",
        str(new),
        "--table",
        "talent",
        "--format",
        "json",
        env={"CHINAAI_STATS_DATA": str(clone)},
    )
    assert snapshot(clone) == before, "validate wrote"
    added = run_cli(
        "add",
        str(new),
        "--table",
        "talent",
        "--datasets",
        str(clone / "datasets"),
        "--format",
        "json",
    )
    verdict, outcome = json.loads(checked.stdout), json.loads(added.stdout)
    assert problems(verdict) == problems(outcome)
    assert (checked.returncode, verdict["ok"]) == (added.returncode, outcome["ok"])
    if checked.returncode == 0 and verdict["rows"]:
        assert outcome["added"], "add refused a file validate passed"
        assert_consistent(clone)
    else:
        assert snapshot(clone) == before, "add wrote after validate failed the file"
    checks = {p[2] for kind in problems(verdict).values() for p in kind}
    code, check = EXPECTED[case]
    assert checked.returncode == code, checked.stdout
    assert (check in checks) if check else not checks, checks


EXPECTED = {  # exit code, and a check the report names
    "valid": (0, None),
    "id-taken": (1, "id-exists"),
    "duplicate-fact": (0, "fact-exists"),
    "bad-row": (1, "enum"),
    "valid-and-id-taken": (1, "id-exists"),
    "no-rows": (0, "no-rows"),
}

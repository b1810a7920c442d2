"""Finding tables: names, unknown names, where the data comes from."""

from __future__ import annotations

import subprocess
import sys

import pytest

import chinaai_stats as cs
from chinaai_stats.tables import catalog
from tests.conftest import run_cli

TABLES = [
    "user_counts",
    "investments",
    "talent",
    "camera_counts",
    "context",
    "indicators",
    "entities",
    "exchange_rates",
    "populations",
    "wdi_indicators",
    "reference_rates",
    "reference_series",
]


def test_list_datasets_names_every_table() -> None:
    assert cs.list_datasets() == TABLES


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("USER_COUNTS", "user_counts"), ("user_count", "user_counts"), ("talnet", "talent")],
)
def test_unknown_name_suggests_the_closest(name: str, suggestion: str) -> None:
    with pytest.raises(cs.DatasetNotFoundError, match=f"did you mean '{suggestion}'"):
        cs.load(name)


@pytest.mark.parametrize(
    "name",
    [
        "nope",
        "sources",
        "../datasets/user_counts",
        "user_counts.csv",
        "datapackage",
        "",
        "USER_COUNTS",
    ],
)
def test_unknown_name_raises_and_lists_the_available_names(name: str) -> None:
    with pytest.raises(cs.DatasetNotFoundError) as info:
        cs.load(name)
    message = str(info.value)
    assert repr(name) in message
    for table in TABLES:
        assert table in message
    assert "list_datasets()" not in message  # the same words serve Python and the command line
    assert isinstance(info.value, cs.ChinaAIStatsError)
    assert isinstance(info.value, LookupError)


def test_table_paths_come_from_the_descriptor() -> None:
    for name in TABLES:
        path = catalog.table_path(name)
        assert path.is_file()
        assert path.parent.name == "datasets"


def test_data_env_points_at_a_copy(data_copy) -> None:
    assert catalog.data_root() == data_copy
    assert catalog.table_path("talent") == data_copy / "datasets" / "talent.csv"


def test_data_env_without_a_package_is_a_clear_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(catalog.DATA_ENV, str(tmp_path))
    with pytest.raises(cs.DataFileError, match=r"no datasets/datapackage\.json there"):
        cs.list_datasets()


def test_the_descriptor_lists_every_registered_source_then_the_upstreams() -> None:
    desc = catalog.descriptor()
    titles = [s["title"] for s in desc["sources"]]
    registry = catalog.registry_rows()
    assert len(titles) == len(registry) + 2
    for title, row in zip(titles, registry, strict=False):
        assert title.startswith(row["title"] + " (") and (row["published"] or "undated") in title
    assert "World Bank" in titles[-2] and "Federal Reserve" in titles[-1]


#: Descriptors that parse as JSON but are not data package descriptors, and what is said.
BROKEN_DESCRIPTORS = [
    ("[]", "a JSON list, not an object"),
    ("null", "a JSON NoneType, not an object"),
    ('{"resources": 5}', "no list of resources"),
    ('{"resources": [5]}', "resource 1 has no name"),
    ('{"resources": [{"name": "talent"}]}', "resource 'talent' has no path"),
    ('{"resources": [{"name": "talent", "path": "t.csv", "schema": 3}]}', "no schema object"),
    ("{", "cannot read the data package descriptor"),
]


@pytest.mark.parametrize(("text", "message"), BROKEN_DESCRIPTORS)
@pytest.mark.parametrize("args", [["list"], ["show", "talent"], ["cite", "talent"]])
def test_a_broken_descriptor_is_one_line_exit_2(data_copy, text, message, args) -> None:
    (data_copy / "datasets" / "datapackage.json").write_text(text, encoding="utf-8")
    r = run_cli(*args)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "datapackage.json" in lines[0] and message in lines[0]


@pytest.mark.parametrize(
    ("path", "text", "message"),
    [
        ("datasets/datapackage.json", "[]", "not a data package descriptor (a JSON list"),
        ("datasets/datapackage.json", "{", "datapackage.json: not valid JSON"),
        ("schemas/talent.json", "{", "talent.json: not valid JSON"),
    ],
)
def test_package_refresh_names_a_broken_json_file(data_copy, path, text, message) -> None:
    (data_copy / path).write_text(text, encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "chinaai_stats.tables.package", str(data_copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_missing_table_file_says_how_to_restore_it(data_copy) -> None:
    (data_copy / "datasets" / "talent.csv").unlink()
    r = run_cli("show", "talent")
    assert r.returncode == 2
    assert "talent.csv: data file missing; restore it (in a clone: git checkout" in r.stderr

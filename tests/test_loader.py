"""Loading tables: dtypes from the schemas, periods, attrs, sources, describe, pinning."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

import chinaai_stats as cs
from chinaai_stats.core.dates import as_of_bounds
from chinaai_stats.tables import catalog

FACT_TABLES = ["user_counts", "investments", "talent", "camera_counts", "context"]


def _schema(name: str) -> dict:
    return json.loads((catalog.data_root() / "schemas" / f"{name}.json").read_text("utf-8"))


@pytest.mark.parametrize("name", cs.list_datasets())
def test_dtypes_follow_the_schema(name: str) -> None:
    df = cs.load(name)
    for field in _schema(name)["fields"]:
        col = df[field["name"]]
        constraints = field.get("constraints", {})
        if "enum" in constraints:
            assert isinstance(col.dtype, pd.CategoricalDtype), field["name"]
            assert list(col.cat.categories) == constraints["enum"]
        elif field["type"] == "number":
            assert col.dtype == "float64", field["name"]
        elif field["type"] == "integer":
            assert col.dtype == "Int64", field["name"]
        elif field["type"] == "boolean":
            assert col.dtype == "boolean", field["name"]
        elif field["type"] == "date":
            assert str(col.dtype).startswith("datetime64"), field["name"]
        else:
            assert col.dtype == "string", field["name"]


@pytest.mark.parametrize("name", cs.list_datasets())
def test_required_values_present_and_keys_unique(name: str) -> None:
    df = cs.load(name)
    assert len(df) > 0
    for field in _schema(name)["fields"]:
        if field.get("constraints", {}).get("required"):
            assert df[field["name"]].notna().all(), f"{name}.{field['name']} has missing values"
    assert not df.duplicated(subset=_schema(name)["primaryKey"]).any()


def test_ids_are_unique_across_the_package() -> None:
    ids = pd.concat([cs.load(n)["id"] for n in FACT_TABLES])
    assert ids.is_unique


@pytest.mark.parametrize("name", FACT_TABLES)
def test_attrs_cite_version_hash_licence_and_sources(name: str) -> None:
    df = cs.load(name)
    desc = catalog.descriptor()
    res = catalog.resource(name)
    assert df.attrs["version"] == desc["version"] == cs.__version__
    assert res["hash"] == "sha256:" + df.attrs["sha256"]
    assert df.attrs["licence"] == "CC-BY-4.0"
    assert df.attrs["title"] == res["title"]
    assert {s["id"] for s in df.attrs["sources"]} == set(df["source_id"])
    assert all(s["title"] for s in df.attrs["sources"])


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2016", dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
        ("2016-Q1", dt.date(2016, 1, 1), dt.date(2016, 3, 31)),
        ("2016-Q3", dt.date(2016, 7, 1), dt.date(2016, 9, 30)),
        ("2016-Q4", dt.date(2016, 10, 1), dt.date(2016, 12, 31)),
        ("2016-02", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
        ("2018-02", dt.date(2018, 2, 1), dt.date(2018, 2, 28)),
        ("2018-12", dt.date(2018, 12, 1), dt.date(2018, 12, 31)),
        ("2016-12-08", dt.date(2016, 12, 8), dt.date(2016, 12, 8)),
    ],
)
def test_as_of_bounds(text: str, start: dt.date, end: dt.date) -> None:
    assert as_of_bounds(text) == (start, end)


@pytest.mark.parametrize("bad", ["16", "2016-13", "2016-Q5", "2016/02", "2016-02-30", "Feb 2016"])
def test_as_of_bounds_rejects_malformed_dates(bad: str) -> None:
    with pytest.raises(ValueError):
        as_of_bounds(bad)


@pytest.mark.parametrize("empty", [None, "", pd.NA, float("nan")])
def test_as_of_bounds_of_undated_figures_is_none(empty) -> None:
    assert as_of_bounds(empty) is None


def test_periods_are_sortable_and_match_as_of() -> None:
    df = cs.load("user_counts")
    assert str(df["period_start"].dtype).startswith("datetime64")
    wechat = df.set_index("id").loc["uc-0001"]
    assert wechat["as_of"] == "2016-Q3"
    assert wechat["period_start"] == pd.Timestamp("2016-07-01")
    assert wechat["period_end"] == pd.Timestamp("2016-09-30")
    undated = cs.load("investments").query("as_of_basis == 'unknown'")
    assert undated["as_of"].isna().all() and undated["period_start"].isna().all()


def test_known_figures_load_as_plain_numbers() -> None:
    inv = cs.load("investments").set_index("id")
    assert inv.loc["inv-0001", "value"] == 100e9
    assert inv.loc["inv-0001", "unit"] == "CNY"
    assert inv.loc["inv-0001", "stated_usd"] == 13.8e9
    talent = cs.load("talent").set_index("id")
    assert talent.loc["tal-0004", "value"] == pytest.approx(0.737)
    assert talent.loc["tal-0004", "unit"] == "share"


def test_version_pin_mismatch_fails_loudly() -> None:
    with pytest.raises(
        cs.DataVersionError, match=r"holds the releases 0\.1\.0, .*not 9\.9\.9; install it with"
    ):
        cs.load("talent", version="9.9.9")
    assert len(cs.load("talent", version=cs.__version__)) > 0


def test_sources_registry() -> None:
    src = cs.sources()
    assert src["id"].is_unique
    assert str(src["published"].dtype).startswith("datetime64")
    assert set(src["kind"].cat.categories) >= {"news", "blog", "event_recap"}
    assert src["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()


def test_describe_lists_every_field_with_its_allowed_values() -> None:
    d = cs.describe("investments").set_index("field")
    assert list(d.index) == [f["name"] for f in _schema("investments")["fields"]]
    # money in seven currencies, and count for the number of deals a tracker counts
    assert d.loc["unit", "allowed"] == "CNY, USD, HKD, EUR, GBP, JPY, TWD, count"
    assert d.loc["value", "allowed"] == ">= 0"
    assert bool(d.loc["id", "required"]) is True
    assert d.attrs["title"] == "AI investments"


def test_a_damaged_table_is_a_clear_error(data_copy) -> None:
    path = data_copy / "datasets" / "talent.csv"
    text = path.read_text("utf-8").replace(",0.737,", ",lots,")
    path.write_text(text, "utf-8")
    with pytest.raises(cs.DataFileError, match=r"talent\.csv"):
        cs.load("talent")


def test_the_hash_in_attrs_is_the_files_own(data_copy) -> None:
    import hashlib
    import warnings

    path = data_copy / "datasets" / "talent.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an untouched file: no warning
        recorded = cs.load("talent").attrs["sha256"]
    assert recorded == hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(path.read_text("utf-8").replace("around 30", "around 31"), "utf-8")
    with pytest.warns(UserWarning, match="changed without refreshing the descriptor") as caught:
        df = cs.load("talent")
    assert df.attrs["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest() != recorded
    assert len(caught) == 1 and recorded[:12] in str(caught[0].message)


def test_cli_warns_in_one_line_about_a_table_edited_by_hand(data_copy) -> None:
    from tests.conftest import run_cli

    path = data_copy / "datasets" / "talent.csv"
    path.write_text(path.read_text("utf-8").replace("around 30", "around 31"), "utf-8")
    r = run_cli("show", "talent")
    assert r.returncode == 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("chinaai-stats: warning: ")
    assert "python -m chinaai_stats.tables.package" in lines[0]

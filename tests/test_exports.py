"""Exports to SQLite, Parquet and JSON load back with the same values and types."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pytest

import chinaai_stats as cs
from chinaai_stats import catalog
from tests.conftest import run_cli

SQL = {
    "string": "TEXT",
    "number": "REAL",
    "integer": "INTEGER",
    "date": "TEXT",
    "boolean": "INTEGER",
}


def _same(a: pd.Series, b: pd.Series) -> None:
    if pd.api.types.is_float_dtype(a):
        pd.testing.assert_series_equal(a, b.astype("float64"), check_names=False)
    else:
        assert [None if pd.isna(x) else str(x) for x in a] == [
            None if pd.isna(x) else str(x) for x in b
        ]


def test_sqlite_round_trip_and_metadata(tmp_path) -> None:
    out = tmp_path / "data.sqlite"
    r = run_cli("export", "--format", "sqlite", "--out", str(out))
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(out)
    names = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == {*cs.list_datasets(), "sources", "metadata"}
    meta = dict(con.execute("SELECT key, value FROM metadata"))
    assert meta["version"] == cs.__version__ and meta["licence"] == "CC-BY-4.0"
    for name in cs.list_datasets():
        df = cs.load(name)
        back = pd.read_sql(f'SELECT * FROM "{name}"', con)
        assert list(back.columns) == list(df.columns) and len(back) == len(df)
        assert meta[f"sha256:{name}"] == df.attrs["sha256"]
        info = list(con.execute(f'PRAGMA table_info("{name}")'))
        declared = {c[1]: c[2] for c in info}
        key = [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]]
        assert key == catalog.resource(name)["schema"]["primaryKey"]
        for field in cs.describe(name).itertuples():
            assert declared[field.field] == SQL[field.type], (name, field.field)
        for col in df.columns:
            if col in ("period_start", "period_end"):
                continue
            if df[col].dtype == "boolean":
                _same(df[col].astype("float64"), back[col].astype("float64"))
            elif pd.api.types.is_datetime64_any_dtype(df[col]):
                _same(df[col].dt.strftime("%Y-%m-%d"), back[col])
            else:
                _same(df[col], back[col])


def test_parquet_round_trip_keeps_types(tmp_path) -> None:
    files = cs.export("parquet", tmp_path / "pq")
    assert {f.stem for f in files} == {*cs.list_datasets(), "sources"}
    for name in cs.list_datasets():
        df = cs.load(name)
        back = pd.read_parquet(tmp_path / "pq" / f"{name}.parquet")
        back.attrs = {}
        expected = df.copy()
        expected.attrs = {}
        pd.testing.assert_frame_equal(back, expected)


def test_json_round_trip(tmp_path) -> None:
    cs.export("json", tmp_path / "js")
    meta = json.loads((tmp_path / "js" / "metadata.json").read_text("utf-8"))
    assert meta["version"] == cs.__version__
    for name in cs.list_datasets():
        df = cs.load(name)
        records = json.loads((tmp_path / "js" / f"{name}.json").read_text("utf-8"))
        assert len(records) == len(df)
        back = pd.DataFrame(records)
        for col in df.columns:
            if pd.api.types.is_datetime64_any_dtype(df[col]):
                _same(df[col].dt.strftime("%Y-%m-%dT%H:%M:%S.000"), back[col])
            elif df[col].dtype == "boolean":
                assert back[col].tolist() == df[col].tolist()
            else:
                _same(df[col], back[col])


def test_unknown_format_and_folder_for_sqlite(tmp_path) -> None:
    with pytest.raises(cs.ChinaAIStatsError, match="unknown export format"):
        cs.export("xlsx", tmp_path / "x")
    r = run_cli("export", "--format", "sqlite", "--out", str(tmp_path))
    assert r.returncode == 2 and "is a folder" in r.stderr

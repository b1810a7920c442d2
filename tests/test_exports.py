"""Exports load back in the tools people use, with the same values, types, keys and metadata."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

import chinaai_stats as cs
from chinaai_stats.tables import catalog
from tests.conftest import run_cli

SQL = {
    "string": "TEXT",
    "number": "REAL",
    "integer": "INTEGER",
    "date": "TEXT",
    "boolean": "INTEGER",
}
DATE_COLUMNS = {"period_start", "period_end", "published"} | {
    f.field for n in cs.list_datasets() for f in cs.describe(n).itertuples() if f.type == "date"
}
FACT_TABLES = [n for n in cs.list_datasets() if "source_id" in cs.load(n).columns]


def _one(fields: str | list[str]) -> str:
    """A single-field key, given as a name or a one-name list."""
    return fields if isinstance(fields, str) else fields[0]


def _frames() -> dict[str, pd.DataFrame]:
    return {**{n: cs.load(n) for n in cs.list_datasets()}, "sources": cs.sources()}


def _text(values) -> list:
    return [None if pd.isna(x) else str(x) for x in values]


def _iso(series: pd.Series) -> list:
    return [None if pd.isna(x) else x.strftime("%Y-%m-%d") for x in series]


def _same(expected: pd.Series, back: pd.Series, col: str) -> None:
    if col in DATE_COLUMNS:
        assert _iso(expected) == _text(back), col
    elif pd.api.types.is_float_dtype(expected):
        pd.testing.assert_series_equal(expected, back.astype("float64"), check_names=False, obj=col)
    elif str(expected.dtype) == "Int64":  # whole numbers with gaps read back as floats
        assert _text(expected) == _text(back.astype("Float64").astype("Int64")), col
    elif str(expected.dtype) == "boolean":
        assert expected.astype(object).tolist() == [bool(v) for v in back], col
    else:
        assert _text(expected) == _text(back), col


@pytest.fixture(scope="module")
def sqlite_export(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sqlite") / "chinaai.sqlite"
    r = run_cli("export", "--format", "sqlite", "--out", str(out))
    assert r.returncode == 0, r.stderr
    return out


# ------------------------------------------------------------------ SQLite and datasette


def test_sqlite_round_trip_types_and_metadata(sqlite_export) -> None:
    con = sqlite3.connect(sqlite_export)
    names = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == {*cs.list_datasets(), "sources", "metadata"}
    meta = dict(con.execute("SELECT key, value FROM metadata"))
    assert meta["version"] == cs.__version__ and meta["licence"] == "CC-BY-4.0"
    for name, df in _frames().items():
        back = pd.read_sql(f'SELECT * FROM "{name}"', con)
        assert list(back.columns) == list(df.columns) and len(back) == len(df)
        if name != "sources":
            assert meta[f"sha256:{name}"] == df.attrs["sha256"]
            info = list(con.execute(f'PRAGMA table_info("{name}")'))
            declared = {c[1]: c[2] for c in info}
            for field in cs.describe(name).itertuples():
                assert declared[field.field] == SQL[field.type], (name, field.field)
        for col in df.columns:
            _same(df[col], back[col], col)


@pytest.mark.parametrize("name", [*cs.list_datasets(), "sources"])
def test_sqlite_has_the_declared_primary_and_foreign_keys(sqlite_export, name) -> None:
    con = sqlite3.connect(sqlite_export)
    info = list(con.execute(f'PRAGMA table_info("{name}")'))
    key = [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]]
    res = next(r for r in catalog.descriptor()["resources"] if r["name"] == name)
    pk = res["schema"]["primaryKey"]
    assert key == ([pk] if isinstance(pk, str) else pk)
    declared = {
        (_one(fk["fields"]), fk["reference"]["resource"] or name, _one(fk["reference"]["fields"]))
        for fk in res["schema"].get("foreignKeys", [])  # "" refers to the table itself
    }
    found = {(row[3], row[2], row[4]) for row in con.execute(f'PRAGMA foreign_key_list("{name}")')}
    assert found == declared
    if name in FACT_TABLES:
        assert ("source_id", "sources", "id") in found
        assert ("indicator", "indicators", "id") in found
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def test_datasette_metadata_describes_tables_columns_and_licence(sqlite_export) -> None:
    meta = json.loads(sqlite_export.with_name("chinaai.metadata.json").read_text("utf-8"))
    assert meta["license"] == "CC-BY-4.0" and meta["license_url"].startswith("https://")
    assert cs.__version__ in meta["description"] and meta["title"]
    assert "A Chinese Internet Giant Enters the AI Race" in meta["source"]
    tables = meta["databases"]["chinaai"]["tables"]
    assert tables["sources"]["label_column"] == "title"
    assert tables["indicators"]["label_column"] == "label"
    for name in cs.list_datasets():
        t = tables[name]
        assert t["title"] == catalog.resource(name)["title"]
        assert set(t["columns"]) == set(cs.load(name).columns)
        assert all(t["columns"].values()), name
    assert "Unit: in the row's `unit`" in tables["talent"]["columns"]["value"]
    assert "CNY per USD" in tables["exchange_rates"]["columns"]["rate"]
    assert "Unit: US dollars" in tables["investments"]["columns"]["stated_usd"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str, deadline: float) -> dict:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_datasette_serves_the_export_with_links_to_sources(sqlite_export) -> None:
    pytest.importorskip("datasette")
    port = _free_port()
    meta = sqlite_export.with_name("chinaai.metadata.json")
    cmd = [sys.executable, "-m", "datasette", "serve", str(sqlite_export), "-m", str(meta)]
    proc = subprocess.Popen(
        [*cmd, "-p", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}/chinaai"
        deadline = time.monotonic() + 60
        page = _get_json(f"{base}/talent.json?_labels=on&_extra=expandable_columns", deadline)
        expandable = {tuple(sorted(fk.items())) for fk, _label in page["expandable_columns"]}
        assert (("column", "source_id"), ("other_column", "id"), ("other_table", "sources")) in (
            expandable
        )
        row = page["rows"][0]
        assert (
            row["source_id"]["label"]
            == cs.sources().set_index("id").loc[row["source_id"]["value"], "title"]
        )
        assert row["indicator"]["label"]  # the codebook's label column
        assert row["period_start"] == "2016-12-01"
        served = _get_json(f"http://127.0.0.1:{port}/-/metadata.json", deadline)
        assert served["license"] == "CC-BY-4.0"
        html = urllib.request.urlopen(f"{base}/talent", timeout=10).read().decode("utf-8")
        assert '<a href="/chinaai/sources/techreview-2016-tencent-ai-lab">' in html
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


# ------------------------------------------------------------------ Parquet


def test_parquet_dates_are_date32_with_metadata_and_values_round_trip(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = cs.export("parquet", tmp_path / "pq")
    assert {f.name for f in files} == {
        *(f"{n}.parquet" for n in [*cs.list_datasets(), "sources"]),
        "metadata.json",
    }
    for name, df in _frames().items():
        table = pq.read_table(tmp_path / "pq" / f"{name}.parquet")
        for col in df.columns:
            if col in DATE_COLUMNS:
                assert table.schema.field(col).type == pa.date32(), (name, col)
            assert table.schema.field(col).metadata[b"description"], (name, col)
        kv = {k.decode(): v.decode() for k, v in table.schema.metadata.items()}
        assert kv["version"] == cs.__version__ and kv["licence"] == "CC-BY-4.0"
        assert kv["description"] and kv["table"] == name
        sources = json.loads(kv["sources"])
        if name in FACT_TABLES:
            assert {s["id"] for s in sources} == set(df["source_id"])
        back = table.to_pandas()
        for col in df.columns:
            if col in DATE_COLUMNS:
                assert [None if pd.isna(v) else v for v in back[col]] == [
                    None if pd.isna(v) else v.date() for v in df[col]
                ]
            else:
                _same(df[col], back[col], col)


def test_duckdb_reads_the_parquet_dates_as_dates(tmp_path) -> None:
    duckdb = pytest.importorskip("duckdb")
    cs.export("parquet", tmp_path / "pq")
    con = duckdb.connect()
    path = str(tmp_path / "pq" / "talent.parquet")
    (kind,) = con.execute(
        f"SELECT typeof(period_start) FROM read_parquet('{path}') LIMIT 1"
    ).fetchone()
    assert kind == "DATE"
    (n,) = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()
    assert n == len(cs.load("talent"))


# ------------------------------------------------------------------ JSON


def test_json_dates_are_plain_dates_and_values_round_trip(tmp_path) -> None:
    cs.export("json", tmp_path / "js")
    meta = json.loads((tmp_path / "js" / "metadata.json").read_text("utf-8"))
    assert meta["version"] == cs.__version__
    assert meta["tables"]["talent"]["columns"]["value"]
    for name, df in _frames().items():
        records = json.loads((tmp_path / "js" / f"{name}.json").read_text("utf-8"))
        assert len(records) == len(df)
        back = pd.DataFrame(records)
        for col in df.columns:
            _same(df[col], back[col], col)
        for col in DATE_COLUMNS & set(df.columns):
            values = [r[col] for r in records]
            assert all(v is None or len(v) == 10 for v in values), (name, col)
    talent = json.loads((tmp_path / "js" / "talent.json").read_text("utf-8"))
    assert talent[0]["period_start"] == "2016-12-01"


# ------------------------------------------------------------------ CSV and Excel


def test_csv_starts_with_a_bom_by_default_and_reads_back(tmp_path) -> None:
    r = run_cli("export", "--format", "csv", "--out", str(tmp_path / "csv"))
    assert r.returncode == 0, r.stderr
    raw = (tmp_path / "csv" / "investments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,")
    assert "千亿".encode() in raw
    for name, df in _frames().items():
        back = pd.read_csv(tmp_path / "csv" / f"{name}.csv", encoding="utf-8-sig", dtype=str)
        assert list(back.columns) == list(df.columns)
        for col in df.columns:
            if str(df[col].dtype) == "boolean":
                assert back[col].tolist() == df[col].map({True: "true", False: "false"}).tolist()
            else:
                _same(df[col], back[col], col)
    r = run_cli("export", "--format", "csv", "--out", str(tmp_path / "plain"), "--no-bom")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "plain" / "investments.csv").read_bytes().startswith(b"id,")


def test_xlsx_has_readme_sources_and_a_sheet_per_table(tmp_path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "chinaai.xlsx"
    r = run_cli("export", "--format", "xlsx", "--out", str(out))
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["README", "sources"]
    assert sorted(wb.sheetnames[1:]) == sorted([*cs.list_datasets(), "sources"])
    for res in catalog.descriptor()["resources"]:  # a table after the tables it refers to
        for fk in res["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"]
            if target:  # an empty resource refers to the table itself
                assert wb.sheetnames.index(target) < wb.sheetnames.index(res["name"])
    readme = [c for row in wb["README"].iter_rows(values_only=True) for c in row if c]
    assert cs.__version__ in readme and "CC-BY-4.0" in readme
    for name, df in _frames().items():
        rows = list(wb[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(df.columns)
        back = pd.DataFrame(rows[1:], columns=rows[0])
        for i, col in enumerate(df.columns):
            if col in DATE_COLUMNS:
                assert [None if r[i] is None else r[i].date() for r in rows[1:]] == [
                    None if pd.isna(v) else v.date() for v in df[col]
                ]
            else:
                _same(df[col], back[col], col)
    assert wb["talent"]["K2"].number_format == "yyyy-mm-dd"  # period_end
    # the same file again: replaced (it is ours)
    assert run_cli("export", "--format", "xlsx", "--out", str(out)).returncode == 0


def test_xlsx_without_openpyxl_names_the_extra(tmp_path) -> None:
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "openpyxl.py").write_text("raise ImportError('blocked for the test')\n")
    r = run_cli(
        "export",
        "--format",
        "xlsx",
        "--out",
        str(tmp_path / "x.xlsx"),
        env={"PYTHONPATH": str(blocker)},
    )
    assert r.returncode == 2 and "chinaai-stats[xlsx]" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_unknown_format() -> None:
    with pytest.raises(cs.ChinaAIStatsError, match="unknown export format"):
        cs.export("xls", "x")
    r = run_cli("export", "--format", "xls", "--out", "x")
    assert r.returncode == 2

"""Hand the data to SQLite, Parquet and JSON users.

- ``sqlite``: one file; a table per dataset with column types from the Table Schema,
  ``sources`` (the registry) and ``metadata`` (name, version, licence and each table's
  SHA-256), ready for ``datasette serve``.
- ``parquet``: a folder with one file per table, keeping the loader's types
  (categories as dictionaries, dates as timestamps); the package metadata rides in each
  file's schema metadata.
- ``json``: a folder with one file per table (a list of records, nulls as ``null``)
  and ``metadata.json``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from . import catalog
from .errors import ChinaAIStatsError
from .loader import load, sources

FORMATS = ("sqlite", "parquet", "json")
_SQL_TYPES = {
    "number": "REAL",
    "integer": "INTEGER",
    "boolean": "INTEGER",
    "date": "TEXT",
    "string": "TEXT",
}


def _metadata() -> dict[str, Any]:
    desc = catalog.descriptor()
    return {
        "name": desc["name"],
        "title": desc["title"],
        "version": desc["version"],
        "licence": desc["licenses"][0]["name"],
        "rights": desc.get("rights", ""),
        "tables": {
            r["name"]: r.get("hash", "").removeprefix("sha256:")
            for r in desc["resources"]
            if r["name"] != catalog.REGISTRY
        },
    }


def _frames() -> dict[str, pd.DataFrame]:
    frames = {name: load(name) for name in catalog.list_datasets()}
    frames["sources"] = sources()
    return frames


def _sql_type(name: str, column: str, dtype: Any) -> str:
    if name != "sources":
        for f in catalog.resource(name)["schema"]["fields"]:
            if f["name"] == column:
                return _SQL_TYPES.get(f.get("type", "string"), "TEXT")
    if pd.api.types.is_float_dtype(dtype):
        return "REAL"
    if pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return "INTEGER"
    return "TEXT"


def _primary_key(name: str) -> list[str]:
    """The Table Schema's primary key (the registry's schema for ``sources``)."""
    res = next(r for r in catalog.descriptor()["resources"] if r["name"] == name)
    return list(res["schema"].get("primaryKey", []))


def _sqlite_value(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def export(fmt: str, out: str | os.PathLike[str]) -> list[Path]:
    """Write every table in ``fmt`` to ``out``; return the files written.

    ``out`` is a file for ``sqlite`` and a folder for ``parquet`` and ``json``.
    Files are written to a temporary name first and moved into place.
    """
    if fmt not in FORMATS:
        raise ChinaAIStatsError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(out)
    frames = _frames()
    meta = _metadata()
    if fmt == "sqlite":
        if out.is_dir():
            raise ChinaAIStatsError(f"{out} is a folder; give a file name such as data.sqlite")
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        os.close(fd)
        try:
            with sqlite3.connect(tmp) as con:
                for name, df in frames.items():
                    cols = [f'"{c}" {_sql_type(name, c, df[c].dtype)}' for c in df.columns]
                    key = _primary_key(name)
                    if key:
                        cols.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in key) + ")")
                    con.execute(f'CREATE TABLE "{name}" ({", ".join(cols)})')
                    marks = ", ".join("?" for _ in df.columns)
                    con.executemany(
                        f'INSERT INTO "{name}" VALUES ({marks})',
                        ([_sqlite_value(v) for v in row] for row in df.itertuples(index=False)),
                    )
                con.execute("CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT)")
                rows = [(k, v) for k, v in meta.items() if k != "tables"]
                rows += [(f"sha256:{t}", h) for t, h in meta["tables"].items()]
                con.executemany("INSERT INTO metadata VALUES (?, ?)", rows)
            con.close()
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in frames.items():
        target = out / f"{name}.{'parquet' if fmt == 'parquet' else 'json'}"
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=out)
        os.close(fd)
        try:
            if fmt == "parquet":
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(df, preserve_index=False)
                extra = {b"chinaai_stats": json.dumps({**meta, "table": name}).encode()}
                table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
                pq.write_table(table, tmp)
            else:
                Path(tmp).write_text(
                    df.to_json(orient="records", force_ascii=False, date_format="iso", indent=1),
                    encoding="utf-8",
                )
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    if fmt == "json":
        meta_path = out / "metadata.json"
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")
        written.append(meta_path)
    return written

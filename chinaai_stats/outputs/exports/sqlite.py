"""SQLite export with the declared keys, and datasette metadata beside it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd

from ._tables import LABEL_COLUMNS, Table

WRITER = "chinaai-stats"
_SQL_TYPES = {
    "number": "REAL",
    "integer": "INTEGER",
    "boolean": "INTEGER",
    "date": "TEXT",
    "string": "TEXT",
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _value(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def create_table_sql(table: Table) -> str:
    """``CREATE TABLE`` with column types, the primary key and the foreign keys of the schema."""
    cols = [f"{_q(c)} {_SQL_TYPES.get(table.column_type(c), 'TEXT')}" for c in table.frame.columns]
    if table.primary_key:
        cols.append(f"PRIMARY KEY ({', '.join(map(_q, table.primary_key))})")
    for fk in table.foreign_keys:
        cols.append(
            f"FOREIGN KEY ({', '.join(map(_q, fk['fields']))}) REFERENCES "
            f"{_q(fk['resource'])} ({', '.join(map(_q, fk['reference']))})"
        )
    return f"CREATE TABLE {_q(table.name)} (\n  " + ",\n  ".join(cols) + "\n)"


def write_database(path: Path, tables: list[Table], meta: dict[str, Any]) -> None:
    """Write every table, then a ``metadata`` table (key, value); check the foreign keys."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        with con:
            for t in tables:
                con.execute(create_table_sql(t))
                marks = ", ".join("?" for _ in t.frame.columns)
                con.executemany(
                    f"INSERT INTO {_q(t.name)} VALUES ({marks})",
                    ([_value(v) for v in row] for row in t.frame.itertuples(index=False)),
                )
                for fk in t.foreign_keys:
                    cols = ", ".join(map(_q, fk["fields"]))
                    index = _q(f"{t.name}_{'_'.join(fk['fields'])}")
                    con.execute(f"CREATE INDEX {index} ON {_q(t.name)} ({cols})")
            con.execute("CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT)")
            rows = [(k, str(v)) for k, v in meta.items() if k != "tables"]
            rows += [(f"sha256:{t}", h) for t, h in meta["tables"].items()]
            rows.append(("written_by", WRITER))
            con.executemany("INSERT INTO metadata VALUES (?, ?)", rows)
        broken = con.execute("PRAGMA foreign_key_check").fetchall()
        if broken:  # the data package's own check would have caught this: a bug
            raise RuntimeError(f"foreign keys do not resolve in the export: {broken[:3]}")
    finally:
        con.close()


def is_ours(path: Path) -> bool:
    """Whether ``path`` is a SQLite file chinaai-stats exported."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        rows = dict(
            con.execute("SELECT key, value FROM metadata WHERE key IN ('name', 'written_by')")
        )
    except sqlite3.Error:
        return False
    finally:
        con.close()
    return rows.get("written_by") == WRITER or rows.get("name") == WRITER


def datasette_metadata(database: str, tables: list[Table], meta: dict[str, Any]) -> dict[str, Any]:
    """datasette's ``metadata.json``: titles, descriptions, licence, sources and columns."""
    src_titles = sorted({s["title"] for t in tables for s in t.sources if s.get("title")})
    about = {
        "title": meta["title"],
        "description": f"{meta['description']} Data version {meta['version']}. {meta['rights']}",
        "license": meta["licence"],
        "source": f"chinaai-stats data {meta['version']}: " + "; ".join(src_titles),
    }
    if meta.get("licence_url"):
        about["license_url"] = meta["licence_url"]
    table_meta: dict[str, Any] = {}
    for t in tables:
        entry: dict[str, Any] = {
            "title": t.title,
            "description": f"{t.description} (sha256 {t.sha256[:12]})"
            if t.sha256
            else t.description,
            "columns": {c: t.column_description(c) for c in t.frame.columns},
        }
        if t.name in LABEL_COLUMNS:
            entry["label_column"] = LABEL_COLUMNS[t.name]
        if t.sources:
            entry["source"] = "; ".join(s["title"] for s in t.sources)
        table_meta[t.name] = entry
    table_meta["metadata"] = {
        "title": "About this export",
        "description": "Name, version, licence and the SHA-256 of each table's CSV file.",
    }
    return {
        **about,
        "databases": {database: {**about, "tables": table_meta}},
        "written_by": WRITER,
    }


def is_our_metadata(path: Path) -> bool:
    """Whether ``path`` is a datasette metadata file chinaai-stats wrote."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and data.get("written_by") == WRITER

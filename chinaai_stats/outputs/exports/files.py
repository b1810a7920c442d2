"""Folder exports: a file per table in Parquet, JSON or CSV, with ``metadata.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from ._tables import Table, iso_dates, quoted, text_columns


def _meta(table: Table, meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": meta["title"],
        "table": table.name,
        "table_title": table.title,
        "description": table.description,
        "version": meta["version"],
        "licence": meta["licence"],
        "rights": meta["rights"],
        "sha256": table.sha256,
        "sources": table.sources,
    }


def write_parquet(path: Path, table: Table, meta: dict[str, Any]) -> None:
    """One Parquet file: dates as ``date32``, categories as dictionaries, and key-value
    metadata (``description``, ``sources``, ``licence``, ``version``...) on the file and a
    ``description`` on each column."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    dates = table.date_columns()
    frame = table.frame.copy()
    for c in dates:
        frame[c] = frame[c].dt.date  # datetime.date objects (None where missing)
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for f in arrow.schema:
        if f.name in dates:
            f = f.with_type(pa.date32())
        fields.append(f.with_metadata({"description": table.column_description(f.name)}))
    arrow = arrow.cast(pa.schema(fields, metadata=arrow.schema.metadata))
    kv = {
        k: (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
        for k, v in _meta(table, meta).items()
    }
    kv["chinaai_stats"] = json.dumps({**meta, "table": table.name}, ensure_ascii=False)
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), **kv})
    pq.write_table(arrow, path)


def _records(table: Table) -> list[dict[str, Any]]:
    frame = table.frame.astype(object).where(table.frame.notna(), None)
    for c in table.date_columns():
        frame[c] = iso_dates(table.frame[c])
    return cast("list[dict[str, Any]]", frame.to_dict(orient="records"))  # str column names


def write_json(path: Path, table: Table) -> None:
    """One JSON file: a list of records; dates as ``YYYY-MM-DD``, missing values as null."""
    text = json.dumps(_records(table), ensure_ascii=False, indent=1, default=_plain)
    path.write_text(text + "\n", encoding="utf-8")


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_csv(path: Path, table: Table, *, bom: bool = True) -> None:
    """One CSV file, UTF-8 (with a byte-order mark by default, for Excel); dates as
    ``YYYY-MM-DD``, booleans as ``true``/``false``, missing values empty.

    A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'`` (OWASP's rule against CSV injection), so a spreadsheet shows it as text
    instead of running it; numbers (a negative value too) are never changed.
    """
    frame = table.frame.copy()
    for c in text_columns(frame):
        frame[c] = frame[c].map(quoted)
    for c in table.date_columns():
        frame[c] = iso_dates(frame[c])
    for c in frame.columns:
        if str(frame[c].dtype) == "boolean":
            frame[c] = frame[c].map({True: "true", False: "false"}).astype(object)
    text = frame.to_csv(index=False, lineterminator="\n")
    path.write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")


def write_metadata(path: Path, tables: list[Table], meta: dict[str, Any]) -> None:
    """``metadata.json``: the package's name, version, licence, and per table its title,
    description, hash, sources and column descriptions."""
    data = {
        **{k: v for k, v in meta.items() if k != "tables"},
        "tables": {
            t.name: {
                "title": t.title,
                "description": t.description,
                "sha256": t.sha256,
                "sources": t.sources,
                "columns": {c: t.column_description(c) for c in t.frame.columns},
            }
            for t in tables
        },
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

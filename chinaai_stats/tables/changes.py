"""What changed between two releases, row by row and column by column (:func:`changes`)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["table", "key", "change", "column", "old", "new"]


def _rows(root: Path, res: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, str]]]:
    """A table's header and its rows by key (the primary key's cells joined by ``|``)."""
    if "path" in res:
        text = (root / "datasets" / res["path"]).read_text(encoding="utf-8")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fields, rows = list(reader.fieldnames or []), list(reader)
    else:  # the source registry travels inline in the descriptor
        header, *data = res["data"]
        fields, rows = list(header), [dict(zip(header, r, strict=True)) for r in data]
    key = res.get("schema", {}).get("primaryKey") or fields
    key = [key] if isinstance(key, str) else key
    return fields, {"|".join(r.get(k, "") for k in key): r for r in rows}


def _table_changes(name: str, old: Any, new: Any) -> list[dict[str, str | None]]:
    (old_fields, before), (new_fields, after) = old, new
    out: list[dict[str, str | None]] = []

    def add(
        key: str, change: str, column: str = "", a: str | None = None, b: str | None = None
    ) -> None:
        out.append(
            {"table": name, "key": key, "change": change, "column": column, "old": a, "new": b}
        )

    for col in new_fields:
        if col not in old_fields:
            add("", "column added", col)
    for col in old_fields:
        if col not in new_fields:
            add("", "column removed", col)
    shared = [c for c in new_fields if c in old_fields]
    for key, row in after.items():
        if key not in before:
            add(key, "added")
            continue
        for col in shared:
            if before[key].get(col) != row.get(col):
                add(key, "changed", col, before[key].get(col), row.get(col))
    for key in before:
        if key not in after:
            add(key, "removed")
    return out


def changes(old: str, new: str | None = None) -> pd.DataFrame:
    """List what changed in every table between release ``old`` and ``new``.

    Parameters
    ----------
    old : str
        A release (``"0.1.0"``).
    new : str, optional
        A later release; the data in use when not given.

    Returns
    -------
    pandas.DataFrame
        One row per change: ``table``, ``key`` (the row's id, or its primary-key cells
        joined by ``|``; empty for a column or a table), ``change`` (``added``,
        ``removed``, ``changed``, ``column added``, ``column removed``, ``table added``,
        ``table removed``), ``column`` (for a changed cell or a column), ``old`` and
        ``new`` (the cells as the CSV files hold them, for a changed cell).

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> c = cs.changes("0.1.0", "0.2.0")
    >>> c[(c["table"] == "user_counts") & (c["change"] == "added")]["key"].iloc[0]
    'uc-0005'
    """
    import pandas as pd

    from .loader import version_root

    (old_root, old_desc), (new_root, new_desc) = version_root(old), version_root(new)
    before = {r["name"]: r for r in old_desc["resources"]}
    after = {r["name"]: r for r in new_desc["resources"]}
    out: list[dict[str, str | None]] = []
    for name, res in after.items():
        if name not in before:
            out.append({"table": name, "key": "", "change": "table added", "column": ""})
            continue
        out += _table_changes(name, _rows(old_root, before[name]), _rows(new_root, res))
    for name in before:
        if name not in after:
            out.append({"table": name, "key": "", "change": "table removed", "column": ""})
    return pd.DataFrame(out, columns=COLUMNS).astype("string")

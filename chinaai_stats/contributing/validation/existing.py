"""Checks of new rows against the rows a table already holds: what ``add`` refuses or flags.

An id already used in the table is an error (ids are never reused). A row stating
a fact the table already holds (same entity, indicator, as_of and value, and the same
``target_period``: a forecast is not the count of the year it was made) is a warning
naming the existing row's id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...tables import catalog
from .fields import NUMBER
from .report import Collector

FACT_COLUMNS = ["entity", "indicator", "as_of"]


def table_rows(table: str, root: Path) -> pa.Table:
    """The table's CSV in ``root``, every cell as text."""
    from .reading import read_file

    return read_file(catalog.table_path(table, root)).table


def existing_checks(
    cells: dict[str, pa.ChunkedArray],
    table: str,
    numbers: dict[str, np.ndarray],
    c: Collector,
    root: Path,
    extra_ids: set[str] | None = None,
) -> None:
    """Report ids the table already uses and facts it already holds."""
    old = table_rows(table, root)
    ids = set(old.column("id").to_pylist()) if "id" in old.column_names else set()
    ids |= extra_ids or set()
    if ids and "id" in cells:
        c.add(
            pc.is_in(cells["id"], value_set=pa.array(sorted(ids), pa.string())),
            "id",
            "id-exists",
            cells["id"],
            f"id already used in {table}",
            "ids are never reused: take the next free number",
        )
    have = old.column_names
    if "value" in numbers and all(k in cells and k in have for k in [*FACT_COLUMNS, "id"]):
        _fact_exists(cells, numbers["value"], old, c, table)


def _fact_exists(
    cells: dict[str, pa.ChunkedArray], value: np.ndarray, old: pa.Table, c: Collector, table: str
) -> None:
    """Warn on rows whose entity, indicator, as_of and value match a row of the table
    under another id."""
    if not old.num_rows:
        return
    number = pc.match_substring_regex(old.column("value"), NUMBER)
    old_value = pc.cast(pc.if_else(number, old.column("value"), "nan"), pa.float64())
    known = pa.table(
        {
            **{k: old.column(k) for k in FACT_COLUMNS},
            "value": old_value,
            "existing": old["id"],
            "old_aim": _aim(old.column_names, old.column, old.num_rows),
        }
    )
    rows = np.flatnonzero(~np.isnan(value))
    take = pa.array(rows)
    new = pa.table(
        {
            **{k: cells[k].take(take) for k in FACT_COLUMNS},
            "value": pa.array(value[rows], pa.float64()),
            "position": take,
            "new_id": cells["id"].take(take),
            "new_aim": _aim(list(cells), lambda k: cells[k], len(value)).take(take),
        }
    )
    hits = new.join(known, keys=[*FACT_COLUMNS, "value"], join_type="inner")
    # the same row again (same id) is an id-exists error already, not a second fact
    hits = hits.filter(pc.not_equal(hits["new_id"], hits["existing"]))
    hits = hits.filter(pc.equal(hits["new_aim"], hits["old_aim"]))
    if not hits.num_rows:
        return
    # one existing id per new row: the lowest
    hits = hits.group_by("position").aggregate([("existing", "min")])
    where = hits.column("position").to_numpy()
    existing = np.full(len(value), "", dtype=object)
    existing[where] = hits.column("existing_min").to_pylist()
    mask = np.zeros(len(value), dtype=bool)
    mask[where] = True
    c.add(
        mask,
        "entity",
        "fact-exists",
        cells["entity"],
        lambda i: [
            f"{table} already holds this fact as {e} (same entity, indicator, as_of and value)"
            for e in existing[i]
        ],
        "leave the row out, or say in notes how it differs from the existing row",
        kind="warning",
    )


def _aim(names: list[str], column: Any, n: int) -> pa.ChunkedArray | pa.Array:
    """The ``target_period`` cells ("" where empty or where the file has no such column)."""
    if "target_period" not in names:
        return pa.array([""] * n, pa.string())
    return pc.fill_null(column("target_period"), "")

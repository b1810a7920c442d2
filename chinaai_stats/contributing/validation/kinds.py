"""What a row is and what it is about: ``kind`` with ``target_period``, and the entity.

A forecast, target or plan names the period it aims at in ``target_period`` (a plan
whose source gives no horizon says so in ``notes`` with the word "horizon"); every
other kind leaves it empty. A target period is a real date and does not end before
``as_of`` starts (a forecast of the past is a count). The entity must be an id of the
entities table, and ``entity_type`` that table's type for it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...tables import catalog
from .columns import as_mask, is_empty, is_filled, per_pair, per_value

if TYPE_CHECKING:  # pragma: no cover
    from .crossfield import Context

#: Kinds that aim at a period: they need ``target_period``.
AIMED = ("forecast", "target", "plan")


def entity_table(root: Path) -> dict[str, str]:
    """Entity id -> type, from the entities table of ``root`` (empty if it has none)."""
    path = catalog.table_path("entities", root)
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        return {r["id"]: r["type"] for r in csv.DictReader(f)}


def kind_checks(ctx: Context) -> None:
    """target_period is given exactly for forecasts, targets and plans, and is a real period."""
    cells, c = ctx.cells, ctx.c
    if "kind" not in cells or "target_period" not in cells:
        return
    kind, target = cells["kind"], cells["target_period"]
    aimed = as_mask(pc.is_in(kind, value_set=pa.array(AIMED)))
    empty = as_mask(is_empty(target))
    says_why = np.zeros(len(empty), dtype=bool)
    if "notes" in cells:
        says_why = as_mask(pc.match_substring(cells["notes"], "horizon", ignore_case=True))
    is_plan = as_mask(pc.equal(kind, "plan"))
    c.add(
        aimed & empty & ~(is_plan & says_why),
        "target_period",
        "target-period",
        kind,
        lambda i: [f"a {k} needs target_period, the period it aims at" for k in _texts(kind, i)],
        "fill in target_period (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn); a plan whose source "
        "gives no horizon says so in notes ('no horizon given')",
    )
    known = as_mask(is_filled(kind))
    c.add(
        known & ~aimed & ~empty,
        "target_period",
        "target-period",
        target,
        lambda i: [
            f"target_period is only for forecasts, targets and plans, not a {k}"
            for k in _texts(kind, i)
        ],
        "empty target_period, or change kind to forecast, target or plan",
    )
    _period_checks(ctx, target, ~empty)


def _texts(col: pa.ChunkedArray, rows: np.ndarray) -> list[str]:
    flat = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    return [str(v) for v in pc.take(flat, pa.array(rows, type=pa.int64())).to_pylist()]


def _period_checks(ctx: Context, target: pa.ChunkedArray, filled: np.ndarray) -> None:
    from ...core.dates import as_of_bounds

    def bounds(text: str) -> tuple[np.datetime64, np.datetime64]:
        try:
            b = as_of_bounds(text)
        except ValueError:
            b = None
        if not b:
            return np.datetime64("NaT", "D"), np.datetime64("NaT", "D")
        return np.datetime64(b[0], "D"), np.datetime64(b[1], "D")

    ends = per_value(target, lambda t: bounds(t)[1], dtype="datetime64[D]")
    shape = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?|-Q[1-4])?$"
    shaped = as_mask(pc.match_substring_regex(target, shape))
    ctx.c.add(
        filled & shaped & np.isnat(ends),
        "target_period",
        "date",
        target,
        "target_period is not a real date",
        "check the day exists in that month",
    )
    if "as_of" not in ctx.cells:
        return
    starts = per_value(ctx.cells["as_of"], lambda t: bounds(t)[0], dtype="datetime64[D]")
    ctx.c.add(
        filled & ~np.isnat(ends) & ~np.isnat(starts) & (ends < starts),
        "target_period",
        "target-period",
        target,
        "target_period ends before as_of: a forecast, target or plan aims at a later period",
        "as_of is when it was made and target_period the period it aims at; a figure for a "
        "past period is a measurement or an estimate",
    )


def entity_checks(ctx: Context) -> None:
    """The entity is in the entities table, with that table's type."""
    cells, c = ctx.cells, ctx.c
    if "entity" not in cells:
        return
    types = entity_table(ctx.root)
    if not types:
        return
    entity = cells["entity"]
    known = as_mask(pc.is_in(entity, value_set=pa.array(list(types))))
    c.add(
        as_mask(is_filled(entity)) & ~known,
        "entity",
        "foreign-key",
        entity,
        "entity is not in the entities table",
        "use an id of the entities table (chinaai-stats show entities), or add the entity "
        "to datasets/entities.csv first, with its Chinese names and aliases",
    )
    if "entity_type" not in cells:
        return
    et = cells["entity_type"]
    allowed = set(types.values())  # a type outside them is an enum problem, reported already

    def wrong(e: str, t: str) -> bool:
        return e in types and t in allowed and types[e] != t

    bad = per_pair(entity, et, wrong, dtype=bool)
    c.add(
        bad,
        "entity_type",
        "entity-type",
        et,
        lambda i: [
            f"the entities table gives {e} the type {types.get(e, '')}" for e in _texts(entity, i)
        ],
        "use the entities table's type for the entity",
    )

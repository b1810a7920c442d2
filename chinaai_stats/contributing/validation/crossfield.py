"""Checks across fields and tables that a Table Schema cannot state.

``value_text`` must read as ``value``, ``unit`` and ``qualifier``; the indicator must
be in the codebook, belong to this table and fit the unit; ``as_of`` must be a real
date, not in the future nor after the source's publication; a source's own dollar
conversion should be near the year's exchange rate; the same fact should not appear
twice. Each distinct ``value_text`` is parsed once, and cells longer than their
field allows are not parsed at all (they are reported as too long already).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...core.errors import QuantityParseError
from ...measures.units import DIMENSION_UNITS
from ...tables import catalog
from . import columns
from .columns import as_mask, distinct, duplicated_rows, is_empty, is_filled, per_pair, per_value
from .report import Collector, Message

#: A source's own dollar conversion further than this from the dated rate is a warning.
FX_TOLERANCE = 0.05
_AS_OF_SHAPE = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?|-Q[1-4])?$")


@dataclass
class Context:
    """What the cross-field checks share: the cells, parsed numbers, and the data root."""

    cells: dict[str, pa.ChunkedArray]
    table: str
    numbers: dict[str, np.ndarray]
    too_long: dict[str, np.ndarray]
    c: Collector
    root: Path

    def usable(self, name: str) -> pa.ChunkedArray:
        """Column ``name`` with cells over their length limit blanked out."""
        col = self.cells[name]
        long = self.too_long.get(name)
        if long is None:
            return col
        return pc.if_else(pa.array(long), "", col)


def cross_checks(ctx: Context, n: int) -> None:
    """Run the groups of cross-field checks (side by side on large files)."""
    if "value_text" not in ctx.cells or not n:
        return
    from .kinds import entity_checks, kind_checks

    groups = [text_checks, indicator_checks, date_checks, fact_checks, kind_checks, entity_checks]
    columns.run([partial(g, ctx) for g in groups], parallel=n >= columns.PARALLEL_ROWS)


# ------------------------------------------------------------------ value_text


@lru_cache(maxsize=1 << 16)  # bounded: a long-lived process may validate many files
def read_figure(text: str) -> tuple[float, str, str] | str:
    """(value, unit, qualifier) that ``text`` reads as, or why it cannot be read."""
    from ...reading.parse import parse_quantity

    try:
        q = parse_quantity(text)
    except QuantityParseError as exc:
        return str(exc).split(": ", 1)[-1]
    return q.value, q.unit, q.qualifier


@lru_cache(maxsize=1 << 12)
def read_stated_usd(text: str) -> tuple[float, str, str] | str:
    """Like :func:`read_figure`, but a figure with a bracketed dollar conversion
    ("RMB100 billion (US$15.72 billion)") reads as that conversion."""
    from ...reading.parse import parse_quantity

    try:
        q = parse_quantity(text)
    except QuantityParseError as exc:
        return str(exc).split(": ", 1)[-1]
    if q.restated is not None and q.restated.unit == "USD":
        q = q.restated
    return q.value, q.unit, q.qualifier


def _parse_value_texts(texts: pa.ChunkedArray) -> tuple[np.ndarray, ...]:
    """Parse each distinct value_text once: per-row value, unit, qualifier and problem."""
    uniques, idx = distinct(texts)
    k = len(uniques)
    u_value = np.full(k, np.nan)
    u_unit = np.full(k, "", dtype=object)
    u_qual = np.full(k, "", dtype=object)
    u_problem = np.full(k, "", dtype=object)
    for i, text in enumerate(uniques):
        if not text:
            continue
        read = read_figure(text)
        if isinstance(read, str):
            u_problem[i] = read
        else:
            u_value[i], u_unit[i], u_qual[i] = read
    return u_value[idx], u_unit[idx], u_qual[idx], u_problem[idx]


def _pair_differs(text: str, cell: str, name: str) -> bool:
    """Does the unit or qualifier ``cell`` differ from what ``text`` reads as?

    The qualifier may be more cautious than the words
    (:func:`~chinaai_stats.reading.parse.qualifier_fits`).
    """
    if not text or not cell:
        return False
    read = read_figure(text)
    if isinstance(read, str):  # reported as a parse problem already
        return False
    if name == "qualifier":
        from ...reading.parse import qualifier_fits

        return not qualifier_fits(cell, read[2])
    return cell != read[1]


def text_checks(ctx: Context) -> None:
    """value_text reads as a figure, and as value, unit and qualifier."""
    cells, c = ctx.cells, ctx.c
    texts = ctx.usable("value_text")
    p_value, p_unit, p_qual, problem = _parse_value_texts(texts)
    c.add(
        problem != "",
        "value_text",
        "parse",
        cells["value_text"],
        lambda i: "value_text cannot be read as a figure: " + problem[i],
        "copy the figure expression exactly as printed, e.g. 846 million or over $4.5 billion",
    )
    value = ctx.numbers.get("value")
    if value is not None:
        with np.errstate(invalid="ignore"):
            close = np.abs(value - p_value) <= 1e-9 * np.maximum(np.abs(value), 1)
        c.add(
            (p_unit != "") & ~np.isnan(value) & ~close,
            "value",
            "value-text",
            cells["value"],
            lambda i: [
                f"value_text reads as {v:.15g} {u}; value differs"
                for v, u in zip(p_value[i], p_unit[i], strict=True)
            ],
            "write value as the plain number value_text states, in unit",
        )
    hints = {
        "unit": "use the unit value_text states",
        "qualifier": "use the qualifier value_text states (about: approximately; over: more_than)",
    }
    for name in ("unit", "qualifier"):
        if name in cells:
            # compare once per distinct (value_text, cell) pair rather than per row
            differs = per_pair(texts, cells[name], partial(_pair_differs, name=name), bool)
            if name == "unit":
                differs = as_mask(differs) & ~_dataset_cells(ctx, texts)
            c.add(
                differs,
                name,
                "value-text",
                cells[name],
                _differs_message(name, p_value, p_unit, p_qual),
                hints[name],
            )
    if "stated_usd_text" in cells and "stated_usd" in ctx.numbers:
        _stated_usd_text_check(ctx)


#: a dataset cell as printed: digits, a point, separators, a sign; no word, no unit
_BARE_NUMBER = re.compile(r"^[+-]?[0-9][0-9,]*(\.[0-9]+)?$")


def takes_column_unit(value_text: str, source_kind: str) -> bool:
    """Whether ``value_text`` is a data file's bare cell, whose unit its column states.

    >>> takes_column_unit("717196188", "dataset"), takes_column_unit("717196188", "news")
    (True, False)
    """
    return source_kind == "dataset" and bool(_BARE_NUMBER.match(value_text or ""))


def _dataset_cells(ctx: Context, texts: pa.ChunkedArray) -> np.ndarray:
    """Rows whose value_text is a bare number from a source of kind ``dataset``.

    A data file prints a number in a cell and its unit once, in the column's header or
    the file's metadata (``717196188`` under "US dollars"): the cell cannot state the
    unit, so ``unit`` is taken as written (its notes say where the unit is stated) while
    the value must still be the cell's number. Any other bare number reads as a count.
    """
    n = len(texts)
    if "source_id" not in ctx.cells:
        return np.zeros(n, dtype=bool)
    rows = catalog.registry_rows(ctx.root)
    datasets = sorted(r["id"] for r in rows if r.get("kind") == "dataset")
    if not datasets:
        return np.zeros(n, dtype=bool)
    src = ctx.cells["source_id"]
    from_dataset = as_mask(pc.is_in(src, value_set=pa.array(datasets, pa.string())))
    bare = per_value(texts, lambda t: takes_column_unit(t, "dataset"), dtype=bool)
    found: np.ndarray = from_dataset & bare
    return found


def _differs_message(
    name: str, p_value: np.ndarray, p_unit: np.ndarray, p_qual: np.ndarray
) -> Message:
    if name == "unit":
        return lambda i: [
            f"value_text reads as {v:.15g} {u}; unit differs"
            for v, u in zip(p_value[i], p_unit[i], strict=True)
        ]
    return lambda i: [f"value_text reads as {q}; qualifier differs" for q in p_qual[i]]


def _stated_usd_text_check(ctx: Context) -> None:
    """stated_usd_text, where given, reads as the stated_usd amount in dollars."""
    c, usd = ctx.c, ctx.numbers["stated_usd"]
    text = ctx.cells["stated_usd_text"]
    text_empty = as_mask(is_empty(text))
    usd_empty = as_mask(is_empty(ctx.cells["stated_usd"]))
    c.add(
        text_empty != usd_empty,
        "stated_usd_text",
        "stated-usd",
        text,
        "stated_usd and stated_usd_text go together",
        "fill in both, or neither",
    )
    usable = ctx.usable("stated_usd_text")
    for i in np.flatnonzero(~text_empty & ~np.isnan(usd)):
        cell = usable[int(i)].as_py()
        if not cell:  # too long: reported already
            continue
        read = read_stated_usd(cell)
        if isinstance(read, str):
            why = f"cannot be read as a figure: {read}"
        elif read[1] == "USD" and abs(read[0] - usd[i]) <= 1e-9 * max(abs(usd[i]), 1):
            continue
        else:
            why = f"reads as {read[0]:.15g} {read[1]}, not stated_usd in USD"
        mask = np.zeros(len(usd), dtype=bool)
        mask[i] = True
        c.add(
            mask,
            "stated_usd_text",
            "stated-usd",
            text,
            f"stated_usd_text {why}",
            "copy the source's dollar figure exactly, and its plain number into stated_usd",
        )


# ------------------------------------------------------------------ indicators


def codebook(root: Path) -> dict[str, tuple[str, str]]:
    """Indicator id -> (table, dimension), from the indicators table of ``root``."""
    path = catalog.table_path("indicators", root)
    with open(path, encoding="utf-8", newline="") as f:
        return {r["id"]: (r["table"], r["dimension"]) for r in csv.DictReader(f)}


def indicator_checks(ctx: Context) -> None:
    """The indicator is in the codebook, belongs to this table and fits the unit."""
    cells, c, table = ctx.cells, ctx.c, ctx.table
    book = codebook(ctx.root)
    unit = cells.get("unit")
    if "indicator" in cells:
        ind = cells["indicator"]
        known = as_mask(pc.is_in(ind, value_set=pa.array(list(book))))
        c.add(
            as_mask(is_filled(ind)) & ~known,
            "indicator",
            "foreign-key",
            ind,
            "indicator is not in the indicators codebook",
            "use an id of the indicators table, or add the indicator to it first",
        )
        if unit is not None:
            _unit_fits(ind, unit, book, c)
        other = known & per_value(ind, lambda i: book.get(i, (table, ""))[0] != table, bool)
        c.add(
            other,
            "indicator",
            "indicator-table",
            ind,
            f"indicator belongs to another table, not {table}",
            "add the row to the table the codebook names for this indicator",
        )
    value = ctx.numbers.get("value")
    if value is not None and unit is not None:
        with np.errstate(invalid="ignore"):
            c.add(
                as_mask(pc.equal(unit, "share")) & (value > 1),
                "value",
                "share",
                cells["value"],
                "a share above 1",
                "write shares as fractions of 1 (24 percent → 0.24)",
            )


def _unit_fits(
    ind: pa.ChunkedArray, unit: pa.ChunkedArray, book: dict[str, tuple[str, str]], c: Collector
) -> None:
    def fits(i: str, u: str) -> bool:
        return i not in book or u == "" or u in DIMENSION_UNITS.get(book[i][1], ())

    dims = per_value(ind, lambda i: book.get(i, ("", ""))[1])
    c.add(
        ~per_pair(ind, unit, fits, dtype=bool),
        "unit",
        "unit-for-indicator",
        unit,
        lambda i: [f"unit does not fit the indicator's dimension ({d})" for d in dims[i]],
        lambda i: [f"use {', '.join(DIMENSION_UNITS.get(d, ()))}" for d in dims[i]],
    )


# ------------------------------------------------------------------ dates


def _as_of_starts(col: pa.ChunkedArray) -> np.ndarray:
    """First day of each reduced-precision ISO date (NaT where empty or not a real date)."""
    from ...core.dates import as_of_bounds

    def start(text: str) -> Any:
        try:
            b = as_of_bounds(text)
        except ValueError:
            return np.datetime64("NaT", "D")
        return np.datetime64(b[0], "D") if b else np.datetime64("NaT", "D")

    return per_value(col, start, dtype="datetime64[D]")


def date_checks(ctx: Context) -> None:
    """source_id is registered; as_of is a real date, not in the future nor after publication."""
    cells, c = ctx.cells, ctx.c
    published = {r["id"]: r["published"] for r in catalog.registry_rows(ctx.root)}
    pub = None
    if "source_id" in cells:
        src = cells["source_id"]
        unknown = pc.invert(pc.is_in(src, value_set=pa.array(list(published))))
        c.add(
            pc.and_(is_filled(src), unknown),
            "source_id",
            "foreign-key",
            src,
            "source_id is not in the source registry",
            "register the source in seeds/sources.csv first (see CONTRIBUTING.md)",
        )
        pub = per_value(
            src, lambda s: np.datetime64(published.get(s) or "NaT", "D"), dtype="datetime64[D]"
        )
    if "as_of" not in cells:
        return
    s = cells["as_of"]
    present = as_mask(is_filled(s))
    start = _as_of_starts(s)
    shape_ok = per_value(s, lambda v: bool(_AS_OF_SHAPE.match(v)), dtype=bool)
    c.add(
        present & shape_ok & np.isnat(start),
        "as_of",
        "date",
        s,
        "as_of is not a real date",
        "check the day exists in that month",
    )
    today = np.datetime64(date.today(), "D")
    c.add(
        present & (start > today),
        "as_of",
        "future",
        s,
        "as_of is in the future",
        "as_of is the date the figure describes, which has passed",
    )
    if pub is not None:
        c.add(
            present & ~np.isnat(pub) & (start > pub),
            "as_of",
            "after-publication",
            s,
            "as_of is after the source's publication date",
            "as_of is the date the figure describes, on or before publication",
        )
    if "as_of_basis" in cells:
        _basis_checks(cells["as_of_basis"], present, c)
    if pub is not None and "unit" in cells:
        _stated_usd_check(ctx, as_mask(pc.equal(cells["unit"], "CNY")), start, pub)


def _basis_checks(basis: pa.ChunkedArray, present: np.ndarray, c: Collector) -> None:
    c.add(
        present & as_mask(pc.equal(basis, "unknown")),
        "as_of_basis",
        "as-of-basis",
        basis,
        "as_of is given but as_of_basis says unknown",
        "use stated or inferred",
    )
    known = as_mask(pc.is_in(basis, value_set=pa.array(["stated", "inferred"])))
    c.add(
        ~present & known,
        "as_of_basis",
        "as-of-basis",
        basis,
        "as_of is empty but as_of_basis says it is known",
        "fill in as_of, or use unknown",
    )


def annual_rates(root: Path) -> dict[str, float]:
    """Year -> mean CNY per USD, from the exchange_rates table of ``root``."""
    path = catalog.table_path("exchange_rates", root)
    with open(path, encoding="utf-8", newline="") as f:
        return {
            r["period"]: float(r["rate"])
            for r in csv.DictReader(f)
            if r["frequency"] == "year" and r["base"] == "USD" and r["quote"] == "CNY"
        }


def _stated_usd_check(ctx: Context, is_cny: np.ndarray, start: np.ndarray, pub: np.ndarray) -> None:
    """Warn where a source's dollar conversion is off the annual rate by more than 5%."""
    usd, value = ctx.numbers.get("stated_usd"), ctx.numbers.get("value")
    if usd is None or value is None:
        return
    rows = ~np.isnan(usd) & is_cny
    if not rows.any():
        return
    annual = annual_rates(ctx.root)
    year = np.where(np.isnat(start), pub, start).astype("datetime64[Y]").astype(object)
    ref = np.array([annual.get(str(y.year), np.nan) if y is not None else np.nan for y in year])
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        implied = value / usd
        dev = implied / ref - 1
        flag = rows & ~np.isnan(ref) & (np.abs(dev) > FX_TOLERANCE)

    def message(i: np.ndarray) -> list[str]:
        return [
            f"stated_usd implies {implied[k]:.4f} CNY per USD; the annual mean of "
            f"{year[k].year} is {ref[k]:.4f} ({dev[k] * 100:+.1f}%)"
            for k in i
        ]

    ctx.c.add(
        flag,
        "stated_usd",
        "fx-tolerance",
        ctx.cells["stated_usd"],
        message,
        "check the source's conversion; keep it if the source printed it",
        kind="warning",
    )


# ------------------------------------------------------------------ facts


FACT_KEY = ["entity", "indicator", "as_of", "source_id"]


def fact_checks(ctx: Context) -> None:
    """The same fact twice in the file: same entity, indicator, as_of and source.

    A forecast, plan or target aims at its ``target_period``: one made in 2020 for 2025
    is not the same fact as a 2020 count, so the period aimed at is part of the key.
    """
    cells = ctx.cells
    if all(k in cells for k in FACT_KEY):
        key = FACT_KEY + (["target_period"] if "target_period" in cells else [])
        dup = duplicated_rows([cells[k] for k in key]) & as_mask(is_filled(cells["entity"]))
        ctx.c.add(
            dup,
            "entity",
            "duplicate-fact",
            cells["entity"],
            "the same entity, indicator, as_of and source_id appear in another row",
            "keep one row per fact, or say in notes how the two differ",
            kind="warning",
        )

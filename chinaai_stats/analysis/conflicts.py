"""Pairs of figures about the same thing that disagree, and why (:func:`conflicts`)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from .facts import AIMED_KINDS, facts

#: Kinds of pair :func:`conflicts` reports, from most to least benign.
CONFLICT_KINDS = (
    "same figure",
    "rounding",
    "update over time",
    "different measure",
    "undated: cannot tell an update from a disagreement",
    "disagreement at the same date",
)


def _precision(value: float) -> float:
    """Half a unit of the last significant digit of ``value`` (2e9 -> 5e8, 8.46e8 -> 5e5)."""
    from decimal import Decimal

    if not math.isfinite(value) or value == 0:
        return 0.0
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return 0.5 * 10.0 ** int(exponent)


def _interval(row: Any, factor: float) -> tuple[float, float]:
    """The values a stated figure allows, on the aligned unit (bounds are open-ended)."""
    half = _precision(row.value) * factor
    v = row.value_aligned
    if row.qualifier == "approximately":  # "about a quarter" allows more than 0.245-0.255
        half = max(half, 0.05 * abs(v))
    if row.qualifier in ("more_than", "at_least"):
        return v, math.inf
    if row.qualifier in ("less_than", "at_most"):
        return -math.inf, v
    return v - half, v + half


def _overlap(a: Any, b: Any) -> bool | None:
    """Whether two rows' periods overlap; None when either is undated."""
    if pd.isna(a.period_start) or pd.isna(b.period_start):
        return None
    return bool(a.period_start <= b.period_end and b.period_start <= a.period_end)


def _related(a: Any, b: Any) -> bool:
    """Indicators measuring one kind of thing: one id extends the other, or both end alike.

    (``monthly_active_users`` and ``peak_concurrent_users``; ``planned_fund`` and
    ``planned_sub_fund``; ``top_conference_researchers`` and its ``_decade`` total.)
    """
    x, y = str(a.indicator), str(b.indicator)
    return x.startswith(y) or y.startswith(x) or x.rsplit("_", 1)[-1] == y.rsplit("_", 1)[-1]


def _pair_kind(a: Any, b: Any) -> str:
    if a.indicator != b.indicator:
        return "different measure"
    if math.isclose(a.value_aligned, b.value_aligned, rel_tol=1e-9):
        return "same figure"
    lo_a, hi_a = _interval(a, a.value_aligned / a.value if a.value else 1.0)
    lo_b, hi_b = _interval(b, b.value_aligned / b.value if b.value else 1.0)
    within = max(lo_a, lo_b) < min(hi_a, hi_b)
    overlap = _overlap(a, b)
    if overlap is None:
        return "rounding" if within else CONFLICT_KINDS[4]
    if not overlap:
        return "update over time"
    return "rounding" if within else "disagreement at the same date"


def _aligned_facts() -> pd.DataFrame:
    """All facts with ``value_aligned``: money in US dollars at the rate of its date."""
    from ..tables.currency import add_currency

    df = facts()
    df["value_aligned"] = df["value"]
    money = df["dimension"] == "money"
    if money.any():
        usd = add_currency(df[money].assign(unit=df.loc[money, "unit"].astype("string")), "USD")
        df.loc[money, "value_aligned"] = usd["value_usd"].to_numpy()
    return df


def conflicts() -> pd.DataFrame:
    """Pairs of rows that give one quantity twice, or two measures of one thing at one date.

    Rows of the same entity and indicator are paired, and ``kind`` says what the
    difference is: ``same figure``; ``rounding`` (the values agree within the
    precision each is stated to, after converting money to US dollars at the rate
    of its date); ``update over time`` (dates that do not overlap); ``undated:
    cannot tell an update from a disagreement``; ``disagreement at the same date``.
    Rows of one entity and table with different indicators of the same dimension
    at overlapping dates are paired as ``different measure`` (QQ's monthly and
    mobile monthly users, a fund and its sub-fund): not the same quantity. A
    forecast, target or plan is never paired with a measurement or an estimate
    (a claim is paired with either).

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``entity``, ``indicator`` (``a / b`` for a different
        measure), ``rows`` (2), ``ids``, ``values``, ``unit``, ``min``, ``max``,
        ``spread`` (max / min - 1, on the aligned unit), ``as_of``, ``sources``, ``kind``.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> c = cs.conflicts().set_index("ids")
    >>> c.loc["inv-0003, inv-0012", "kind"], c.loc["uc-0001, uc-0005", "kind"]
    ('rounding', 'same figure')
    """
    df = _aligned_facts()
    out = []
    for (entity, _table), group in df.groupby(["entity", "table"], sort=True):
        rows: list[Any] = list(group.itertuples())
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if _apart(a, b):
                    continue
                if a.indicator != b.indicator and not (
                    a.dimension == b.dimension and _overlap(a, b) and _related(a, b)
                ):
                    continue
                out.append(_pair_record(str(entity), a, b))
    cols = [
        "entity",
        "indicator",
        "rows",
        "ids",
        "values",
        "unit",
        "min",
        "max",
        "spread",
        "as_of",
        "sources",
        "kind",
    ]
    return pd.DataFrame(out, columns=cols)


def _apart(a: Any, b: Any) -> bool:
    """Whether two rows are never paired: an aim and a count of what is.

    A forecast, target or plan is never paired with a measurement or an estimate, nor
    with a claim of another indicator (a claimed count beside a forecast of it is not
    one quantity twice); with a claim of its own indicator (a plan reported as a claim)
    it is.
    """
    aims = (a.kind in AIMED_KINDS) + (b.kind in AIMED_KINDS)
    if aims != 1:
        return False
    other = b.kind if a.kind in AIMED_KINDS else a.kind
    return other in ("measurement", "estimate") or a.indicator != b.indicator


def _pair_record(entity: str, a: Any, b: Any) -> dict[str, Any]:
    lo, hi = sorted((a.value_aligned, b.value_aligned))
    indicator = a.indicator if a.indicator == b.indicator else f"{a.indicator} / {b.indicator}"
    return {
        "entity": entity,
        "indicator": indicator,
        "rows": 2,
        "ids": f"{a.id}, {b.id}",
        "values": f"{a.value:,.15g} {a.unit}, {b.value:,.15g} {b.unit}",
        "unit": ", ".join(sorted({a.unit, b.unit})),
        "min": lo,
        "max": hi,
        "spread": hi / lo - 1 if lo else math.nan,
        "as_of": ", ".join(d if isinstance(d, str) else "undated" for d in (a.as_of, b.as_of)),
        "sources": ", ".join(dict.fromkeys((a.source_id, b.source_id))),
        "kind": _pair_kind(a, b),
    }

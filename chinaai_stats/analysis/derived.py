"""Indicators derived from the rows (:func:`derived`): computed here, never typed into the CSVs."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..core.errors import ChinaAIStatsError
from ..measures import percapita
from .facts import QUALIFIER_WARNINGS, facts

#: Ratios of one row to another: (id, label, numerator row, denominator row, unit, notes).
RATIOS = [
    (
        "china_us_startup_share_ratio",
        "China's share of world tech start-ups over the US's",
        "ctx-0005",
        "ctx-0006",
        "ratio",
        ["shares estimated by a speaker, not measured"],
    ),
    (
        "wechat_qq_mau_ratio",
        "WeChat monthly active users over QQ's",
        "uc-0001",
        "uc-0002",
        "ratio",
        ["accounts, not people"],
    ),
    (
        "sensetime_round_share_of_valuation",
        "SenseTime funding round as a share of its valuation",
        "inv-0004",
        "inv-0005",
        "share",
        ["the round (April 2018) and the valuation (May 2018) belong to different rounds"],
    ),
]


#: Counts divided by a population of the figure's year:
#: (id prefix, label, indicator, whose population (None: the row's entity), per, unit, notes).
PER_PERSON = [
    (
        "cameras_per_100_people",
        "Surveillance cameras per 100 people",
        "surveillance_cameras",
        None,
        100,
        "count per 100 people",
        [],
    ),
    (
        "mau_per_100_people_of_china",
        "Monthly active accounts per 100 people in China",
        "monthly_active_users",
        "China",
        100,
        "accounts per 100 people",
        [percapita.ACCOUNTS_WARNING + " (and users abroad count too)"],
    ),
    (
        "mobile_mau_per_100_people_of_china",
        "Mobile monthly active accounts per 100 people in China",
        "mobile_monthly_active_users",
        "China",
        100,
        "accounts per 100 people",
        [percapita.ACCOUNTS_WARNING + " (and users abroad count too)"],
    ),
    (
        "share_of_population",
        "WeChat red-packet users over Lunar New Year, share of China's population",
        "lunar_new_year_red_packet_users",
        "China",
        1,
        "share",
        ["users over one holiday, not monthly users (users abroad count too)"],
    ),
]


def _pick(df: pd.DataFrame, row_id: str) -> Any:
    rows = df[df["id"] == row_id]
    if rows.empty:
        raise ChinaAIStatsError(f"derived indicator needs row {row_id}, which is not in the data")
    return next(rows.itertuples())


def derived() -> pd.DataFrame:
    """Indicators computed from the rows: each with its inputs, formula, unit and warnings.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``label``, ``value``, ``unit``, ``formula``, ``inputs`` (row ids),
        ``as_of`` (of the inputs) and ``warnings``. Per-person figures also fill
        ``denominator`` (the World Bank population of the figure's year, persons),
        ``denominator_basis`` (series, country, year), ``source_denominator`` and
        ``source_denominator_id`` (the population the figure's own source gives, if
        any), ``value_on_source_denominator`` and ``denominator_difference``
        (source denominator / World Bank population - 1). An undated figure has no
        per-person value, and says so.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> d = cs.derived().set_index("id")
    >>> round(float(d.loc["china_us_startup_share_ratio", "value"]), 2)
    0.4
    """
    df = facts()
    out = [*_per_person(df), *_in_dollars(df), *_ratios(df)]
    cols = ["id", "label", "value", "unit", "formula", "inputs", "as_of", "warnings"]
    text = {"denominator_basis", "source_denominator_id"}
    return pd.DataFrame(out, columns=[*cols, *percapita.COLUMNS]).astype(
        {
            **{c: "string" for c in cols if c != "value"},
            "value": "float64",
            **{c: "string" if c in text else "float64" for c in percapita.COLUMNS},
        }
    )


def _entry(
    key: str,
    label: str,
    value: float,
    unit: str,
    formula: str,
    rows: list[Any],
    notes: list[str],
    **extra: Any,
) -> dict[str, Any]:
    """One derived indicator, with its inputs' dates and the warnings they call for."""
    for r in rows:
        q = QUALIFIER_WARNINGS.get(r.qualifier)
        if q:
            notes.append(f"{r.id} is {q}")
        if pd.isna(r.primary_source) or not str(r.primary_source):
            notes.append(f"{r.id} names no primary source")
    dates = sorted({r.as_of for r in rows if isinstance(r.as_of, str)})
    if any(not isinstance(r.as_of, str) for r in rows):
        notes.append("some inputs are undated")
    return {
        "id": key,
        "label": label,
        "value": value,
        "unit": unit,
        "formula": formula,
        "inputs": ", ".join(r.id for r in rows),
        "as_of": ", ".join(dates),
        "warnings": "; ".join(dict.fromkeys(notes)),
        **extra,
    }


def _per_person(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Counts per person, on the World Bank population of the figure's year."""
    out = []
    row: Any  # rows of the facts table (pandas-stubs types every cell as any scalar)
    for key, label, indicator, whose, per, unit, notes in PER_PERSON:
        for row in df[df["indicator"] == indicator].itertuples():
            country = whose or row.entity
            got = percapita.per_person(row, country, per, df)
            pop = got["population"]
            out.append(
                _entry(
                    f"{key}_{row.id}",
                    f"{label}, {row.entity}",
                    got["value"],
                    unit,
                    f"{row.id}.value / {pop.basis or 'population of the year'} * {per}",
                    [row],
                    [*notes, *got["notes"]],
                    **{c: got[c] for c in percapita.COLUMNS},
                )
            )
    return out


def _in_dollars(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Yuan investments in dollars at the rate of their date."""
    from ..tables.currency import add_currency

    inv = df[df["table"] == "investments"]
    usd = add_currency(inv.assign(unit=inv["unit"].astype("string")), "USD", "annual")
    out = []
    row: Any
    conv: Any
    for row, conv in zip(inv.itertuples(), usd.itertuples(), strict=True):
        if row.unit != "CNY":
            continue
        notes = [conv.fx_basis]
        if not math.isnan(row.stated_usd):
            notes.append(f"the source's own conversion is {row.stated_usd:,.0f} USD")
        out.append(
            _entry(
                f"usd_{row.id}",
                f"{row.entity} {row.indicator.replace('_', ' ')} in US dollars",
                conv.value_usd,
                "USD",
                f"{row.id}.value / CNY-per-USD rate",
                [row],
                notes,
            )
        )
    return out


def _ratios(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Ratios of one row to another (:data:`RATIOS`)."""
    out = []
    for key, label, top, bottom, unit, notes in RATIOS:
        a, b = _pick(df, top), _pick(df, bottom)
        notes = list(notes)
        if unit == "share" and b.qualifier in ("more_than", "at_least"):
            notes.append("the denominator is a lower bound, so this share is an upper bound")
        ratio = a.value / b.value
        out.append(_entry(key, label, ratio, unit, f"{a.id}.value / {b.id}.value", [a, b], notes))
    return out

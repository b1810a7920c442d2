"""Put figures side by side on a common unit (:func:`compare`), with ratios and warnings."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..core.errors import ChinaAIStatsError, UnitError, did_you_mean
from ..measures import percapita
from ..tables.loader import load
from .facts import AIMED_KINDS, FACT_TABLES, facts, row_warnings


def _names(value: str | Iterable[str] | None) -> list[str] | None:
    """One name or several: a single string is one name, never its characters."""
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _entity_id(name: str, present: set[str]) -> str:
    """The entity id ``name`` stands for (any name or alias), or ``name`` when none."""
    from ..tables.entities import resolve

    if name in present:
        return name
    try:
        return resolve(name)
    except ChinaAIStatsError:
        return name  # reported with the entities that have figures


def _select(
    df: pd.DataFrame,
    entities: str | Iterable[str] | None,
    indicator: str | Iterable[str] | None,
    table: str | None,
    include_forecasts: bool = False,
) -> pd.DataFrame:
    """The rows of ``facts()`` a comparison asks for; warn about entities left without any."""
    wanted, wanted_ind = _names(entities), _names(indicator)
    if wanted:
        wanted = [_entity_id(e, set(df["entity"])) for e in wanted]
    for option, names in (("entities", wanted), ("indicator", wanted_ind)):
        if names is not None and not names:
            raise ChinaAIStatsError(
                f"{option} is empty: name at least one, or leave it out (None) for all"
            )
    for kind, names, known in (
        ("entity", wanted, set(df["entity"])),
        ("indicator", wanted_ind, set(df["indicator"].dropna())),
        ("table", _names(table), set(FACT_TABLES)),
    ):
        missing = [n for n in names or () if n not in known]
        if missing:
            hint = did_you_mean(missing[0], known)
            raise ChinaAIStatsError(
                f"no figures for {kind} {', '.join(map(repr, missing))}{hint}; "
                f"{kind} names: {', '.join(sorted(known))}"
            )
    if table is not None:
        df = df[df["table"] == table]
    if wanted_ind is not None:
        df = df[df["indicator"].isin(wanted_ind)]
    elif not include_forecasts:  # not counts: compared only when asked for
        df = df[~df["indicator"].str.endswith("_forecast") & ~df["kind"].isin(AIMED_KINDS)]
    if wanted is not None:
        lacking = [e for e in wanted if e not in set(df["entity"])]
        df = df[df["entity"].isin(wanted)]
        if lacking and not df.empty:
            warnings.warn(
                f"no {' or '.join(wanted_ind or [table or ''])} figure for "
                f"{', '.join(lacking)}: left out of the comparison",
                UserWarning,
                stacklevel=3,
            )
        df = df.assign(_order=df["entity"].map({e: i for i, e in enumerate(wanted)}))
        df = df.sort_values(["_order", "period_start"], kind="stable").drop(columns="_order")
    if df.empty:
        asked = [", ".join(wanted or []), ", ".join(wanted_ind or []), table or ""]
        raise ChinaAIStatsError(
            "no figures for " + " · ".join(a for a in asked if a) + ": nothing to compare"
        )
    return df


def compare(
    entities: str | Iterable[str] | None = None,
    indicator: str | Iterable[str] | None = None,
    table: str | None = None,
    currency: str = "USD",
    per: str | int | None = None,
    population: str | None = None,
    include_forecasts: bool = False,
) -> pd.DataFrame:
    """Put figures side by side on a common unit, with ratios to the first and warnings.

    Parameters
    ----------
    entities : str or list of str, optional
        Entities to compare, in order (the first is the reference for ``ratio_to_first``).
        A single string is one entity; any name or alias of the entities table works
        (``微信``, ``Weixin``). An entity with no figure for ``indicator`` is left out
        with a ``UserWarning`` naming it.
    indicator : str or list of str, optional
        Indicator id(s) from the codebook. Forecasts, targets and plans (``kind``) are
        left out unless their indicator is named here or ``include_forecasts`` is set:
        they are not counts.
    table : str, optional
        Restrict to one fact table.
    currency : {"USD", "CNY", "HKD", "EUR", "GBP", "JPY", "TWD"}
        Common currency for money, converted at the rate of each figure's date.
    per : {"person", 100}, optional
        Divide counts by the population of the year each figure describes (World
        Bank, ``populations``): per person or per 100 people. Adds ``denominator``,
        ``denominator_basis`` and the source's own denominator where it gives one
        (``source_denominator``, ``source_denominator_id``,
        ``value_on_source_denominator``, ``denominator_difference``). An undated
        figure gets no value and a warning; a year outside the series, the nearest
        year and a warning.
    population : str, optional
        Whose population to divide by (``"China"``); default: each row's own entity,
        which must then be a country or region.
    include_forecasts : bool, default False
        Keep forecasts, targets and plans beside the measurements (each warned of).

    Returns
    -------
    pandas.DataFrame
        ``entity``, ``indicator``, ``id``, ``value``, ``unit`` (as stated),
        ``value_aligned`` and ``unit_aligned`` (on the common unit), ``ratio_to_first``,
        ``qualifier``, ``as_of``, ``source_id``, ``warnings`` ("; "-separated).

    Raises
    ------
    UnitError
        The selected figures are of different dimensions (money with people, ...),
        or ``per`` is asked of figures that are not counts.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> mau = cs.compare(["WeChat", "QQ"], indicator="monthly_active_users")
    >>> cols = ["entity", "as_of", "value_aligned", "ratio_to_first"]
    >>> picked = mau[mau["id"].isin(["uc-0141", "uc-0007", "uc-0001", "uc-0002"])]
    >>> for row in picked[cols].round(3).values.tolist():  # ratios to the first, 2013-Q1
    ...     print(row)
    ['WeChat', '2013-Q1', 194000000.0, 1.0]
    ['WeChat', '2015-Q4', 697000000.0, 3.593]
    ['WeChat', '2016-Q3', 846000000.0, 4.361]
    ['QQ', '2016-Q3', 877000000.0, 4.521]
    >>> per100 = cs.compare(["WeChat"], "monthly_active_users", per=100, population="China")
    >>> row = per100.set_index("id").loc["uc-0001"]
    >>> round(float(row["value_aligned"]), 2), row["unit_aligned"], row["denominator_basis"]
    (60.96, 'per 100 people', 'World Bank SP.POP.TOTL, China 2016')
    >>> per100["warnings"].iloc[0]
    'accounts, not people: one person may hold several accounts'
    """
    _check_currency(currency)
    df = _select(facts(), entities, indicator, table, include_forecasts)
    dims = _one_dimension(df)
    df, unit_aligned, extra = _aligned(df.reset_index(drop=True), dims, currency, per, population)
    df["unit_aligned"] = unit_aligned
    df["ratio_to_first"] = _ratio_to_first(df["value_aligned"])
    df["warnings"] = _warnings(df, extra)
    return df[_columns(per)].astype({"warnings": "string", "unit_aligned": "string"})


def _check_currency(currency: str) -> None:
    """Refuse a currency the exchange-rate table does not hold."""
    from ..tables.currency import CURRENCIES

    if currency not in CURRENCIES:
        raise UnitError(f"currency {currency!r} is not one of {', '.join(CURRENCIES)}")


def _one_dimension(df: pd.DataFrame) -> list[str]:
    """The dimensions of the selected figures: at most one, or a ``UnitError``."""
    dims = sorted(set(df["dimension"].dropna()))
    if len(dims) > 1:
        raise UnitError(
            f"cannot compare figures of different dimensions ({', '.join(dims)}): "
            "pick one indicator, or indicators of one dimension"
        )
    return dims


def _ratio_to_first(aligned: pd.Series) -> pd.Series | float:
    """Each aligned value over the first one (NaN throughout when the first is zero)."""
    base = aligned.iloc[0]
    return aligned / base if base else math.nan


def _warnings(df: pd.DataFrame, extra: list[list[str]]) -> list[str]:
    """Each row's warnings ("; "-separated): its alignment notes, then those against the first."""
    first = next(df.itertuples())
    return [
        "; ".join(dict.fromkeys([*more, *row_warnings(row, first)]))
        for row, more in zip(df.itertuples(), extra, strict=True)
    ]


def _columns(per: str | int | None) -> list[str]:
    """The columns :func:`compare` returns, with the denominator's beside the ratio when ``per``."""
    cols = [
        "entity",
        "indicator",
        "id",
        "value",
        "unit",
        "value_aligned",
        "unit_aligned",
        "ratio_to_first",
        "qualifier",
        "kind",
        "as_of",
        "source_id",
        "warnings",
    ]
    if per is not None:
        cols[cols.index("ratio_to_first") + 1 : cols.index("ratio_to_first") + 1] = list(
            percapita.COLUMNS
        )
    return cols


def _aligned(
    df: pd.DataFrame, dims: list[str], currency: str, per: Any, population: str | None
) -> tuple[pd.DataFrame, str, list[list[str]]]:
    """``df`` with ``value_aligned`` (per person when ``per``), the unit, each row's notes."""
    if per is None:
        aligned, unit = _align(df, dims[0] if dims else "", currency)
        return df.assign(value_aligned=aligned), unit, _accounts_with_people(df)
    if dims != ["count"]:
        raise UnitError(
            f"per={per!r} divides counts by a population; these figures are "
            f"{', '.join(dims) or 'of no known dimension'}"
        )
    codebook = load("indicators").set_index("id")
    return percapita.normalise(df, per, population, codebook, facts())


def _accounts_with_people(df: pd.DataFrame) -> list[list[str]]:
    """Warn on account counts set beside populations: accounts are not people."""
    if not (df["indicator"] == "population").any():
        return [[] for _ in range(len(df))]
    codebook = load("indicators").set_index("id")
    return [
        [percapita.ACCOUNTS_WARNING] if percapita.counts_accounts(i, codebook) else []
        for i in df["indicator"]
    ]


def _align(df: pd.DataFrame, dimension: str, currency: str) -> tuple[pd.Series, str]:
    if dimension == "money":
        from ..tables.currency import add_currency

        conv = add_currency(df.assign(unit=df["unit"].astype("string")), currency, "annual")
        return conv[f"value_{currency.lower()}"], currency
    if dimension == "duration":
        from ..measures.units import convert

        target = str(df["unit"].iloc[0])
        return convert(df[["id", "value", "unit"]], to=target)["value"], target
    return df["value"], str(df["unit"].iloc[0])

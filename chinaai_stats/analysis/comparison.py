"""Compare figures across entities, derive indicators from them, and find conflicting figures.

Every result names the rows it uses (``id`` / ``inputs``) and carries a ``warnings``
column saying when a comparison is apples to oranges: dates far apart or unknown,
different indicator definitions, approximate or bounded figures, no primary source.
Derived numbers are computed here from the rows, never typed into the CSVs.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..core.errors import ChinaAIStatsError, UnitError, did_you_mean
from ..measures import percapita
from ..tables.loader import load

FACT_TABLES = ("user_counts", "investments", "talent", "camera_counts", "context")
#: Kinds of row that aim at a period (``target_period``): not counts of what happened.
AIMED_KINDS = ("forecast", "target", "plan")
_QUALIFIER_WARNINGS = {
    "approximately": "approximate figure",
    "more_than": "a lower bound (more than)",
    "at_least": "a lower bound (at least)",
    "less_than": "an upper bound (less than)",
    "at_most": "an upper bound (at most)",
}


def facts() -> pd.DataFrame:
    """All fact tables in one frame, with ``table`` and the indicator's ``dimension``."""
    codebook = load("indicators").set_index("id")
    frames = []
    for name in FACT_TABLES:
        df = load(name)
        df = df.astype(
            {
                c: "string"
                for c in ("entity_type", "indicator", "unit", "qualifier", "as_of_basis", "kind")
            }
        )
        frames.append(df.assign(table=name))
    out = pd.concat(frames, ignore_index=True)
    out["dimension"] = out["indicator"].map(codebook["dimension"].astype("string"))
    return out


def _row_warnings(row: Any, first: Any) -> list[str]:
    notes = []
    if row.kind in AIMED_KINDS:
        aim = row.target_period if isinstance(row.target_period, str) else "no stated period"
        notes.append(f"a {row.kind} for {aim}, not a count")
    elif row.kind == "claim":
        notes.append("a claim: stated with no document behind it, or unconfirmed")
    if row.qualifier in _QUALIFIER_WARNINGS:
        notes.append(_QUALIFIER_WARNINGS[row.qualifier])
    if pd.isna(row.primary_source) or not str(row.primary_source):
        notes.append("no primary source named")
    if first is None or row.Index == first.Index:
        if pd.isna(row.period_start):
            notes.append("undated")
        return notes
    if row.indicator != first.indicator:
        notes.append(f"different indicator: {row.indicator} vs {first.indicator}")
    if pd.isna(row.period_start) or pd.isna(first.period_start):
        notes.append("undated: cannot tell how far apart the dates are")
    elif abs((row.period_start - first.period_start).days) > 366:
        notes.append(f"as_of more than a year apart ({row.as_of} vs {first.as_of})")
    return notes


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
    currency : {"USD", "CNY", "HKD", "EUR", "GBP", "JPY"}
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
    >>> for row in mau[cols].drop_duplicates().round(3).values.tolist():
    ...     print(row)
    ['WeChat', '2015-Q4', 697000000.0, 1.0]
    ['WeChat', '2016-Q1', 761000000.0, 1.092]
    ['WeChat', '2016-Q2', 806000000.0, 1.156]
    ['WeChat', '2016-Q3', 846000000.0, 1.214]
    ['QQ', '2016-Q3', 877000000.0, 1.258]
    >>> per100 = cs.compare(["WeChat"], "monthly_active_users", per=100, population="China")
    >>> row = per100.set_index("id").loc["uc-0001"]
    >>> round(float(row["value_aligned"]), 2), row["unit_aligned"], row["denominator_basis"]
    (60.96, 'per 100 people', 'World Bank SP.POP.TOTL, China 2016')
    >>> per100["warnings"].iloc[0]
    'accounts, not people: one person may hold several accounts'
    """
    from ..tables.currency import CURRENCIES

    if currency not in CURRENCIES:
        raise UnitError(f"currency {currency!r} is not one of {', '.join(CURRENCIES)}")
    df = _select(facts(), entities, indicator, table, include_forecasts)
    dims = sorted(set(df["dimension"].dropna()))
    if len(dims) > 1:
        raise UnitError(
            f"cannot compare figures of different dimensions ({', '.join(dims)}): "
            "pick one indicator, or indicators of one dimension"
        )
    df, unit_aligned, extra = _aligned(df.reset_index(drop=True), dims, currency, per, population)
    df["unit_aligned"] = unit_aligned
    first = next(df.itertuples())
    base = df["value_aligned"].iloc[0]
    df["ratio_to_first"] = df["value_aligned"] / base if base else math.nan
    df["warnings"] = [
        "; ".join(dict.fromkeys([*more, *_row_warnings(row, first)]))
        for row, more in zip(df.itertuples(), extra, strict=True)
    ]
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
    return df[cols].astype({"warnings": "string", "unit_aligned": "string"})


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


# ------------------------------------------------------------------ derived indicators

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
    out: list[dict[str, Any]] = []

    def add(
        key: str,
        label: str,
        value: float,
        unit: str,
        formula: str,
        rows: list[Any],
        notes: list[str],
        **extra: Any,
    ) -> None:
        for r in rows:
            q = _QUALIFIER_WARNINGS.get(r.qualifier)
            if q:
                notes.append(f"{r.id} is {q}")
            if pd.isna(r.primary_source) or not str(r.primary_source):
                notes.append(f"{r.id} names no primary source")
        dates = sorted({r.as_of for r in rows if isinstance(r.as_of, str)})
        if any(not isinstance(r.as_of, str) for r in rows):
            notes.append("some inputs are undated")
        out.append(
            {
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
        )

    # counts per person, on the World Bank population of the figure's year
    row: Any  # rows of the facts table (pandas-stubs types every cell as any scalar)
    conv: Any
    for key, label, indicator, whose, per, unit, notes in PER_PERSON:
        for row in df[df["indicator"] == indicator].itertuples():
            country = whose or row.entity
            got = percapita.per_person(row, country, per, df)
            pop = got["population"]
            add(
                f"{key}_{row.id}",
                f"{label}, {row.entity}",
                got["value"],
                unit,
                f"{row.id}.value / {pop.basis or 'population of the year'} * {per}",
                [row],
                [*notes, *got["notes"]],
                **{c: got[c] for c in percapita.COLUMNS},
            )
    # yuan investments in dollars at the rate of their date
    from ..tables.currency import add_currency

    inv = df[df["table"] == "investments"]
    usd = add_currency(inv.assign(unit=inv["unit"].astype("string")), "USD", "annual")
    for row, conv in zip(inv.itertuples(), usd.itertuples(), strict=True):
        if row.unit != "CNY":
            continue
        notes = [conv.fx_basis]
        if not math.isnan(row.stated_usd):
            notes.append(f"the source's own conversion is {row.stated_usd:,.0f} USD")
        add(
            f"usd_{row.id}",
            f"{row.entity} {row.indicator.replace('_', ' ')} in US dollars",
            conv.value_usd,
            "USD",
            f"{row.id}.value / CNY-per-USD rate",
            [row],
            notes,
        )
    # ratios of one row to another
    for key, label, top, bottom, unit, notes in RATIOS:
        a, b = _pick(df, top), _pick(df, bottom)
        notes = list(notes)
        if unit == "share" and b.qualifier in ("more_than", "at_least"):
            notes.append("the denominator is a lower bound, so this share is an upper bound")
        add(key, label, a.value / b.value, unit, f"{a.id}.value / {b.id}.value", [a, b], notes)
    cols = ["id", "label", "value", "unit", "formula", "inputs", "as_of", "warnings"]
    text = {"denominator_basis", "source_denominator_id"}
    return pd.DataFrame(out, columns=[*cols, *percapita.COLUMNS]).astype(
        {
            **{c: "string" for c in cols if c != "value"},
            "value": "float64",
            **{c: "string" if c in text else "float64" for c in percapita.COLUMNS},
        }
    )


# ------------------------------------------------------------------ conflicts


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
                if _apart(a.kind, b.kind):
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


def _apart(a: str, b: str) -> bool:
    """A forecast, target or plan is never paired with a measurement or an estimate."""
    counted = ("measurement", "estimate")
    return (a in AIMED_KINDS and b in counted) or (b in AIMED_KINDS and a in counted)


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

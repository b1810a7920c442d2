"""Convert money figures between currencies at dated, cited exchange rates.

Rates come from the ``exchange_rates`` table (ECB reference rates: CNY, EUR, GBP,
HKD and JPY per USD; Federal Reserve H.10 means via FRED: TWD per USD); between two
currencies other than the dollar the cross rate goes through the dollar.
Converting never overwrites what the source said: ``value`` and ``unit`` stay as
stated and the converted amount, the rate and its basis are added beside them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, cast

from ..core.errors import ExchangeRateError, UnitError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

CURRENCIES = ("USD", "CNY", "HKD", "EUR", "GBP", "JPY", "TWD")
FX_METHODS = ("annual", "monthly", "stated")
#: A source's own conversion further than this from the dated rate is flagged.
TOLERANCE = 0.05
#: How a rate's ``source`` is named in ``fx_basis``.
SOURCE_NAMES = {"ECB": "ECB", "FRED": "FRED H.10"}


class Rates:
    """Lookup of currency-per-USD means by (quote, frequency, period)."""

    def __init__(self) -> None:
        from . import catalog
        from .read import read_csv

        res = catalog.resource("exchange_rates")
        df = read_csv(catalog.table_path("exchange_rates"), res["schema"])
        self.table = df
        source = df["source"].astype(str) if "source" in df else ["ECB"] * len(df)
        self.by_key: dict[tuple[str, str, str], tuple[float, str, bool, str]] = {}
        for q, f, p, r, d, c, s, first, last in zip(
            df["quote"].astype(str),
            df["frequency"].astype(str),
            df["period"],
            df["rate"],
            df["days"],
            df["complete"],
            source,
            df["first_date"],
            df["last_date"],
            strict=True,
        ):
            span = f"{d} fixing days" if s == "ECB" else f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
            self.by_key[(q, f, p)] = (float(r), span, bool(c), str(s))
        years = df[df["frequency"] == "year"]
        self.coverage = {
            str(q): f"{g['period'].min()} to {g['period'].max()}"
            for q, g in years.groupby(years["quote"].astype(str))
        }

    def get(
        self, frequency: str, period: str, row_id: str, quote: str = "CNY"
    ) -> tuple[float, str]:
        """``quote`` per USD in a period, and its basis."""
        if quote == "USD":
            return 1.0, ""
        hit = self.by_key.get((quote, frequency, period))
        if hit is None:
            covers = self.coverage.get(quote, "no period")
            raise ExchangeRateError(
                f"{row_id}: no {frequency} {quote}/USD rate for {period}; the exchange_rates "
                f"table covers {covers} for {quote} (rebuild it with python -m "
                "chinaai_stats.builders.fxbuild)"
            )
        rate, span, complete, source = hit
        label = {"year": "annual", "quarter": "quarterly", "month": "monthly"}[frequency]
        basis = f"{label} mean {period}, {SOURCE_NAMES.get(source, source)}"
        if not complete:
            basis += f" (partial period: {span})"
        return rate, basis


def _period_for(as_of: str, fx: str) -> tuple[str, str]:
    """Pick the rate period for a reduced-precision ISO date."""
    if fx == "annual" or len(as_of) == 4:
        return "year", as_of[:4]
    if "-Q" in as_of:
        return "quarter", as_of[:7]
    return "month", as_of[:7]


def publication_dates() -> dict[str, str]:
    from .catalog import registry_rows

    return {row["id"]: row.get("published", "") for row in registry_rows()}


def add_currency(df: pd.DataFrame, currency: str = "USD", fx: str = "annual") -> pd.DataFrame:
    """Return ``df`` with money converted to ``currency`` in new columns.

    Adds ``value_usd`` (or ``value_cny``, ``value_hkd``, ...), ``fx_rate`` and
    ``fx_basis`` (which rate and why, e.g. ``"annual mean 2018, ECB"``, or
    ``"annual mean 2024, FRED H.10"`` for TWD, which the ECB does not publish). ``fx_rate``
    is the table's rate where one side is the dollar (units of the other currency
    per USD, e.g. CNY per USD) and the cross rate via the dollar otherwise (units
    of ``currency`` per unit of the figure's currency); empty when no conversion
    was needed. Rows not in money get empty values and say so.

    Parameters
    ----------
    df : pandas.DataFrame
        A table from :func:`chinaai_stats.load` with ``value``, ``unit``, ``as_of``,
        ``source_id`` (and ``stated_usd`` for ``fx="stated"``).
    currency : {"USD", "CNY", "HKD", "EUR", "GBP", "JPY", "TWD"}
    fx : {"annual", "monthly", "stated"}
        ``annual``: the mean of the ``as_of`` year. ``monthly``: the mean of the
        ``as_of`` month (quarter or year when the date is that coarse). ``stated``:
        the source's own dollar conversion where it gives one, else ``annual``.
        An undated figure uses its source's publication date, and says so; a figure
        whose source is undated too is left unconverted, and says so.
    """
    _check_options(df, currency, fx)
    values, fx_rates, bases = _conversions(df, currency, fx)
    return _with_columns(df, currency, fx, values, fx_rates, bases)


def _check_options(df: pd.DataFrame, currency: str, fx: str) -> None:
    """Refuse an unknown currency or method, or a table with no money figures."""
    if currency not in CURRENCIES:
        raise UnitError(f"currency {currency!r} is not one of {', '.join(CURRENCIES)}")
    if fx not in FX_METHODS:
        raise UnitError(f"fx {fx!r} is not one of {', '.join(FX_METHODS)}")
    has_money = {"unit", "value"} <= set(df.columns)
    if not has_money or not df["unit"].astype(str).isin(CURRENCIES).any():
        raise UnitError(
            f"{df.attrs.get('name', 'this table')} holds no money figures; "
            "a currency conversion applies to tables with money values (e.g. investments)"
        )


def _conversions(
    df: pd.DataFrame, currency: str, fx: str
) -> tuple[list[float], list[float], list[str]]:
    """Each row's converted value, ``fx_rate`` and ``fx_basis``, in three lists."""
    rates = Rates()
    published = publication_dates()
    has_stated = "stated_usd" in df.columns
    values, fx_rates, bases = [], [], []
    row: Any  # a row of any table: its columns are known only at run time
    for i, row in enumerate(df.itertuples(index=False)):
        unit, value = str(row.unit), float(row.value)
        row_id = str(row.id)
        if unit == currency:
            got = (value, math.nan, f"stated in {currency}: no conversion")
        elif unit not in CURRENCIES:
            got = (math.nan, math.nan, "not money")
        else:
            stated = float(df["stated_usd"].iloc[i]) if has_stated else math.nan
            if fx == "stated" and currency == "USD" and not math.isnan(stated):
                got = (stated, value / stated, "the source's own conversion (stated_usd)")
            else:
                got = _at_dated_rate(rates, published, row, (value, unit), currency, fx, row_id)
        values.append(got[0])
        fx_rates.append(got[1])
        bases.append(got[2])
    return values, fx_rates, bases


def _at_dated_rate(
    rates: Rates,
    published: dict[str, str],
    row: Any,
    amount: tuple[float, str],
    currency: str,
    fx: str,
    row_id: str,
) -> tuple[float, float, str]:
    """(value, fx_rate, basis) at the rate of the figure's date, else its source's."""
    value, unit = amount
    note = "" if fx != "stated" else " (fallback: no stated conversion)"
    method = "annual" if fx == "stated" else fx
    as_of = row.as_of if isinstance(row.as_of, str) else ""
    if not as_of:
        pub = published.get(str(row.source_id), "")
        if not pub:
            return math.nan, math.nan, "not converted: neither the figure nor its source is dated"
        as_of = pub
        note += " (fallback: figure undated, publication date used)"
    freq, period = _period_for(as_of, method)
    value, rate, basis = _convert(rates, value, unit, currency, (freq, period), row_id)
    return value, rate, basis + note


def _with_columns(
    df: pd.DataFrame,
    currency: str,
    fx: str,
    values: list[float],
    fx_rates: list[float],
    bases: list[str],
) -> pd.DataFrame:
    """A copy of ``df`` with the three columns inserted after ``unit`` and ``attrs["fx"]``."""
    import pandas as pd

    out = df.copy()
    pos = cast(int, out.columns.get_loc("unit")) + 1  # column names are unique
    out.insert(
        pos, f"value_{currency.lower()}", pd.Series(values, index=out.index, dtype="float64")
    )
    out.insert(pos + 1, "fx_rate", pd.Series(fx_rates, index=out.index, dtype="float64"))
    out.insert(pos + 2, "fx_basis", pd.Series(bases, index=out.index, dtype="string"))
    out.attrs = dict(df.attrs)
    out.attrs["fx"] = {
        "currency": currency,
        "method": fx,
        "rates": "exchange_rates (ECB; TWD: Federal Reserve H.10 via FRED)",
    }
    return out


def _convert(
    rates: Rates, value: float, unit: str, currency: str, when: tuple[str, str], row_id: str
) -> tuple[float, float, str]:
    """(converted value, fx_rate, basis) for ``value`` in ``unit`` to ``currency``."""
    freq, period = when
    from_rate, from_basis = rates.get(freq, period, row_id, unit)
    to_rate, to_basis = rates.get(freq, period, row_id, currency)
    if unit == "USD":
        return value * to_rate, to_rate, to_basis
    if currency == "USD":
        return value / from_rate, from_rate, from_basis
    cross = to_rate / from_rate
    if from_basis == to_basis:
        return value * cross, cross, f"{from_basis}, via USD"
    return value * cross, cross, f"{unit}: {from_basis}; {currency}: {to_basis}; via USD"

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

from .errors import ExchangeRateError, UnitError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

CURRENCIES = ("USD", "CNY", "HKD", "EUR", "GBP", "JPY", "TWD")
FX_METHODS = ("annual", "monthly", "stated")
#: A source's own conversion further than this from the dated rate is flagged.
TOLERANCE = 0.05
#: How a rate's ``source`` is named in ``fx_basis``.
SOURCE_NAMES = {"ECB": "ECB", "FRED": "FRED H.10"}


class _Rates:
    """Lookup of currency-per-USD means by (quote, frequency, period)."""

    def __init__(self) -> None:
        from .loader import load

        df = load("exchange_rates")
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
                "chinaai_stats.fxbuild)"
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


def _publication_dates() -> dict[str, str]:
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
    import pandas as pd

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
    rates = _Rates()
    published = _publication_dates()
    has_stated = "stated_usd" in df.columns
    values, fx_rates, bases = [], [], []
    row: Any  # a row of any table: its columns are known only at run time
    for i, row in enumerate(df.itertuples(index=False)):
        unit, value = str(row.unit), float(row.value)
        row_id = str(row.id)
        if unit == currency:
            values.append(value)
            fx_rates.append(math.nan)
            bases.append(f"stated in {currency}: no conversion")
            continue
        if unit not in CURRENCIES:
            values.append(math.nan)
            fx_rates.append(math.nan)
            bases.append("not money")
            continue
        stated = float(df["stated_usd"].iloc[i]) if has_stated else math.nan
        if fx == "stated" and currency == "USD" and not math.isnan(stated):
            values.append(stated)
            fx_rates.append(value / stated)
            bases.append("the source's own conversion (stated_usd)")
            continue
        note = "" if fx != "stated" else " (fallback: no stated conversion)"
        method = "annual" if fx == "stated" else fx
        as_of = row.as_of if isinstance(row.as_of, str) else ""
        if not as_of:
            pub = published.get(str(row.source_id), "")
            if not pub:
                values.append(math.nan)
                fx_rates.append(math.nan)
                bases.append("not converted: neither the figure nor its source is dated")
                continue
            as_of = pub
            note += " (fallback: figure undated, publication date used)"
        freq, period = _period_for(as_of, method)
        value, rate, basis = _convert(rates, value, unit, currency, (freq, period), row_id)
        values.append(value)
        fx_rates.append(rate)
        bases.append(basis + note)
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
    rates: _Rates, value: float, unit: str, currency: str, when: tuple[str, str], row_id: str
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


def check_conversions() -> pd.DataFrame:
    """Compare each source's own dollar conversion with the rates of the figure's date.

    A rounded dollar figure stands for an interval (``$13.8 billion``: 13.75 to 13.85
    billion), so the rate a source used is an interval too; the months whose mean
    rate lies inside it are listed, for ``exchange_rates`` and for the Federal
    Reserve H.10 (FRED), with the World Bank years, a hint for undated figures, not
    a date. Figures in any currency but the dollar are checked against their own
    currency's rates; FRED and World Bank rates beside them are the yuan's (from
    ``reference_rates``), and for TWD, whose ``exchange_rates`` rows are FRED's, the
    FRED columns repeat those rows.

    Returns
    -------
    pandas.DataFrame
        One row per figure with a ``stated_usd``: ``id``, ``entity``, ``value``,
        ``unit``, ``stated_usd``, ``stated_usd_text``, ``implied_rate`` (units of
        ``unit`` per USD the source used, e.g. CNY per USD) with
        ``implied_low``/``implied_high`` (the rates its rounding allows),
        ``reference_rate`` (``exchange_rates`` annual mean of the ``as_of`` year, or of
        the publication year when undated; empty when both are unknown), ``fred_rate``
        and ``wb_rate`` (the FRED H.10 and World Bank PA.NUS.FCRF annual rates of that
        year; empty where there is none for the currency), ``reference_basis``,
        ``deviation`` (implied / reference - 1), ``flagged`` (True beyond 5%, missing
        when there is nothing to compare with), ``months_in_range`` (``exchange_rates``
        months whose mean lies in the implied interval), ``fred_months_in_range`` and
        ``wb_years_in_range``.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> row = cs.check_conversions().set_index("id").loc["inv-0001"]
    >>> round(float(row["implied_low"]), 3), round(float(row["implied_high"]), 3)
    (7.22, 7.273)
    >>> row["months_in_range"]
    '2008-01, 2023-08, 2023-11, 2024-04, 2024-05, 2024-06, 2024-07, 2025-03'
    """
    import pandas as pd

    from .fxcheck import FRED, WORLD_BANK, periods_in_range, reference_rates, rounding_range
    from .loader import load

    rates = _Rates()
    months: dict[str, dict[str, float]] = {}
    fred_own: dict[str, dict[str, dict[str, float]]] = {}  # quote -> frequency -> rates
    for (q, f, p), (r, _, _, source) in rates.by_key.items():
        if f == "month":
            months.setdefault(q, {})[p] = r
        if source == "FRED":
            fred_own.setdefault(q, {}).setdefault(f, {})[p] = r
    refs = reference_rates()
    by_series: dict[str, dict[str, float]] = {}
    for (code, period), rate in refs.items():
        by_series.setdefault(code, {})[period] = rate
    held = [c for c in CURRENCIES if c != "USD"]
    inv = load("investments")
    inv = inv[inv["stated_usd"].notna() & inv["unit"].astype(str).isin(held)]
    published = _publication_dates()
    rows = []
    row: Any  # a row of the investments table (pandas-stubs types every cell as any scalar)
    for row in inv.itertuples(index=False):
        implied = float(row.value) / float(row.stated_usd)
        low_usd, high_usd = rounding_range(float(row.stated_usd), str(row.stated_usd_text))
        low, high = float(row.value) / high_usd, float(row.value) / low_usd
        as_of = row.as_of if isinstance(row.as_of, str) else published.get(str(row.source_id), "")
        ref, basis = math.nan, "no date: neither the figure nor its source is dated"
        unit = str(row.unit)
        if as_of:
            ref, basis = rates.get("year", as_of[:4], str(row.id), unit)
            if not isinstance(row.as_of, str):
                basis += " (publication year: figure undated)"
        dev = implied / ref - 1 if not math.isnan(ref) else math.nan
        year = as_of[:4]
        yuan = unit == "CNY"
        fred_years = fred_own.get(unit, {}).get("year", {})
        fred_months = fred_own.get(unit, {}).get("month", {})
        if yuan:
            fred_years, fred_months = (
                by_series.get(FRED["year"], {}),
                by_series.get(FRED["month"], {}),
            )
        rows.append(
            {
                "id": row.id,
                "entity": row.entity,
                "value": float(row.value),
                "unit": str(row.unit),
                "stated_usd": float(row.stated_usd),
                "stated_usd_text": row.stated_usd_text,
                "implied_rate": implied,
                "implied_low": low,
                "implied_high": high,
                "reference_rate": ref,
                "fred_rate": fred_years.get(year, math.nan),
                "wb_rate": refs.get((WORLD_BANK, year), math.nan) if yuan else math.nan,
                "reference_basis": basis,
                "deviation": dev,
                "flagged": pd.NA if math.isnan(dev) else abs(dev) > TOLERANCE,
                "months_in_range": periods_in_range(months.get(unit, {}), low, high),
                "fred_months_in_range": periods_in_range(fred_months, low, high),
                "wb_years_in_range": periods_in_range(
                    by_series.get(WORLD_BANK, {}) if yuan else {}, low, high
                ),
            }
        )
    out = pd.DataFrame(rows)
    text = ("reference_basis", "stated_usd_text", "months_in_range", "fred_months_in_range")
    types = {c: "string" for c in (*text, "wb_years_in_range")}
    return out.astype({"flagged": "boolean", **types}) if len(out) else out

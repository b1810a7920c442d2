"""Check the ECB-based ``exchange_rates`` against two other references.

The Federal Reserve's H.10 noon buying rates in New York (via FRED, monthly and
annual) and the World Bank's official annual rate (PA.NUS.FCRF, from the IMF) are
shipped in ``reference_rates``. The three are measured differently (ECB fixings at
14:15 CET crossed through the euro, New York noon rates, official period averages),
so they agree closely but not exactly: within 0.5% for every year and month of
2006-2025.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Agreement the references are expected to show with ``exchange_rates``.
AGREEMENT = 0.005
FRED = {"year": "AEXCHUS", "month": "EXCHUS"}
WORLD_BANK = "PA.NUS.FCRF"


def reference_rates() -> dict[tuple[str, str], float]:
    """``(series_code, period) -> CNY per USD`` from the ``reference_rates`` table."""
    from ..tables.loader import load

    ref = load("reference_rates")
    return {
        (str(c), str(p)): float(r)
        for c, p, r in zip(ref["series_code"], ref["period"], ref["rate"], strict=True)
    }


def cross_check(frequency: str | None = None) -> pd.DataFrame:
    """Compare each annual and monthly CNY-per-USD mean with FRED and the World Bank.

    Parameters
    ----------
    frequency : {"year", "month"}, optional
        Keep only annual or monthly rows (default: both).

    Returns
    -------
    pandas.DataFrame
        ``period``, ``frequency``, ``rate`` (ECB-based mean, ``exchange_rates``),
        ``complete``, ``fred_rate`` (H.10, AEXCHUS or EXCHUS), ``fred_deviation``
        (rate / fred_rate - 1), ``wb_rate`` (PA.NUS.FCRF, years only),
        ``wb_deviation`` and ``agrees`` (every available reference within 0.5%).
        Rates are CNY per USD; a missing reference is empty.

    Examples
    --------
    >>> from chinaai_stats.measures.fxcheck import cross_check
    >>> y = cross_check("year").set_index("period")
    >>> y.loc["2016", ["rate", "fred_rate", "wb_rate"]].astype(float).round(4).tolist()
    [6.6444, 6.64, 6.6445]
    """
    import pandas as pd

    from ..tables.loader import load

    fx = load("exchange_rates")
    fx = fx[(fx["base"].astype(str) == "USD") & (fx["quote"].astype(str) == "CNY")]
    wanted = [frequency] if frequency else ["year", "month"]
    fx = fx[fx["frequency"].astype(str).isin(wanted)]
    refs = reference_rates()
    rows = []
    for period, freq, rate, complete in zip(
        fx["period"], fx["frequency"].astype(str), fx["rate"], fx["complete"], strict=True
    ):
        fred = refs.get((FRED[freq], period), float("nan"))
        wb = refs.get((WORLD_BANK, period), float("nan")) if freq == "year" else float("nan")
        devs = [rate / r - 1 for r in (fred, wb) if r == r]
        rows.append(
            {
                "period": period,
                "frequency": freq,
                "rate": rate,
                "complete": bool(complete),
                "fred_rate": fred,
                "fred_deviation": rate / fred - 1,
                "wb_rate": wb,
                "wb_deviation": rate / wb - 1,
                "agrees": pd.NA if not devs else all(abs(d) <= AGREEMENT for d in devs),
            }
        )
    out = pd.DataFrame(rows)
    return out.astype({"period": "string", "frequency": "string", "agrees": "boolean"})


def rounding_range(stated: float, text: str) -> tuple[float, float]:
    """The interval a rounded figure stands for: ``$13.8 billion`` -> 13.75 to 13.85 billion.

    The last printed digit sets the step (``13.8`` -> 0.1, ``600`` -> 100, since
    trailing zeros of a round number say nothing); the interval is half a step either
    side. A text whose number does not match ``stated`` gives ``(stated, stated)``.

    Examples
    --------
    >>> rounding_range(13.8e9, "approximately $13.8 billion USD")
    (13750000000.0, 13850000000.0)
    >>> rounding_range(600e6, "$600 million")
    (550000000.0, 650000000.0)
    """
    import re
    from decimal import Decimal

    for token in re.findall(r"\d[\d,]*(?:\.\d+)?", text or ""):
        number = Decimal(token.replace(",", ""))
        if number == 0:
            continue
        scale = Decimal(repr(stated)) / number
        if scale <= 0 or scale != Decimal(10) ** scale.adjusted():
            continue  # not this number times a power of ten
        digits = token.replace(",", "")
        if "." in digits:
            step = Decimal(1).scaleb(-len(digits.split(".")[1]))
        else:
            step = Decimal(1).scaleb(len(digits) - len(digits.rstrip("0")))
        half = step / 2 * scale
        return float(Decimal(repr(stated)) - half), float(Decimal(repr(stated)) + half)
    return stated, stated


def periods_in_range(rates: dict[str, float], low: float, high: float) -> str:
    """The periods whose rate lies in ``[low, high]``, comma-separated, in order."""
    return ", ".join(p for p, r in sorted(rates.items()) if low <= r <= high)


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

    from ..tables.currency import CURRENCIES, Rates, publication_dates
    from ..tables.loader import load

    rates = Rates()
    lookup = _Lookup(rates, reference_rates())
    held = [c for c in CURRENCIES if c != "USD"]
    inv = load("investments")
    inv = inv[inv["stated_usd"].notna() & inv["unit"].astype(str).isin(held)]
    published = publication_dates()
    rows = [lookup.row(row, published) for row in inv.itertuples(index=False)]
    out = pd.DataFrame(rows)
    text = ("reference_basis", "stated_usd_text", "months_in_range", "fred_months_in_range")
    types = {c: "string" for c in (*text, "wb_years_in_range")}
    return out.astype({"flagged": "boolean", **types}) if len(out) else out


class _Lookup:
    """The rates one conversion is checked against, by currency, frequency and period."""

    def __init__(self, rates: Any, refs: dict[tuple[str, str], float]) -> None:
        self.rates, self.refs = rates, refs
        self.months: dict[str, dict[str, float]] = {}
        self.fred_own: dict[str, dict[str, dict[str, float]]] = {}  # quote -> frequency -> rates
        for (q, f, p), (r, _, _, source) in rates.by_key.items():
            if f == "month":
                self.months.setdefault(q, {})[p] = r
            if source == "FRED":
                self.fred_own.setdefault(q, {}).setdefault(f, {})[p] = r
        self.by_series: dict[str, dict[str, float]] = {}
        for (code, period), rate in refs.items():
            self.by_series.setdefault(code, {})[period] = rate

    def fred(self, unit: str) -> tuple[dict[str, float], dict[str, float]]:
        """FRED's annual and monthly rates for ``unit``: the yuan's from the reference tables."""
        if unit == "CNY":
            return self.by_series.get(FRED["year"], {}), self.by_series.get(FRED["month"], {})
        own = self.fred_own.get(unit, {})
        return own.get("year", {}), own.get("month", {})

    def row(self, row: Any, published: dict[str, str]) -> dict[str, Any]:
        """One figure's conversion beside the rates of its date (see :func:`check_conversions`)."""
        import pandas as pd

        from ..tables.currency import TOLERANCE

        implied = float(row.value) / float(row.stated_usd)
        low_usd, high_usd = rounding_range(float(row.stated_usd), str(row.stated_usd_text))
        low, high = float(row.value) / high_usd, float(row.value) / low_usd
        as_of = row.as_of if isinstance(row.as_of, str) else published.get(str(row.source_id), "")
        ref, basis = math.nan, "no date: neither the figure nor its source is dated"
        unit = str(row.unit)
        if as_of:
            ref, basis = self.rates.get("year", as_of[:4], str(row.id), unit)
            if not isinstance(row.as_of, str):
                basis += " (publication year: figure undated)"
        dev = implied / ref - 1 if not math.isnan(ref) else math.nan
        year, yuan = as_of[:4], unit == "CNY"
        fred_years, fred_months = self.fred(unit)
        world_bank = self.by_series.get(WORLD_BANK, {}) if yuan else {}
        return {
            "id": row.id,
            "entity": row.entity,
            "value": float(row.value),
            "unit": unit,
            "stated_usd": float(row.stated_usd),
            "stated_usd_text": row.stated_usd_text,
            "implied_rate": implied,
            "implied_low": low,
            "implied_high": high,
            "reference_rate": ref,
            "fred_rate": fred_years.get(year, math.nan),
            "wb_rate": world_bank.get(year, math.nan),
            "reference_basis": basis,
            "deviation": dev,
            "flagged": pd.NA if math.isnan(dev) else abs(dev) > TOLERANCE,
            "months_in_range": periods_in_range(self.months.get(unit, {}), low, high),
            "fred_months_in_range": periods_in_range(fred_months, low, high),
            "wb_years_in_range": periods_in_range(world_bank, low, high),
        }

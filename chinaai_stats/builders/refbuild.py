"""Build the reference tables from snapshots of World Bank and Federal Reserve series.

Four tables, each a plain CSV with its Table Schema in ``schemas/``:

``reference_series``
    One row per upstream series: code, upstream title, unit, publisher, upstream
    repository and path, snapshot commit and date, licence, SHA-256 of the snapshot
    file. The one place the provenance of a series is written down.
``populations``
    World Bank SP.POP.TOTL: every country and aggregate, every year of the snapshot.
``wdi_indicators``
    The other World Development Indicators of the snapshot, long format.
``reference_rates``
    CNY per USD from the Federal Reserve H.10 release (via FRED; monthly and annual)
    and the World Bank's official annual rate (PA.NUS.FCRF, China): the second check
    on ``exchange_rates``.

Data rows carry ``series_code``, a foreign key to ``reference_series``, instead of
repeating titles, commits and licences on every row: one source of truth, checked by
Frictionless, and about 100 bytes a row less to ship. Values are copied as the
snapshot prints them, so a rebuild from the same snapshot gives the same bytes.

The snapshot folder holds ``README.md`` (a table naming each folder's upstream
repository, commit, date and licence), ``world-development-indicators/<code>/``
(``data.csv`` and ``datapackage.json``) and ``exchange-rates-fred/`` (``annual.csv``,
``monthly.csv``). Run::

    python -m chinaai_stats.builders.refbuild [SNAPSHOT_DIR] [--root ROOT]

SNAPSHOT_DIR defaults to ``$CHINAAI_STATS_REFERENCE``, else ``../shared/reference``
beside the checkout.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import journal
from ..core.errors import DataFileError
from ..tables.catalog import DESCRIPTOR, data_root
from ..tables.package import dump_json, read_json, refresh

#: Environment variable naming the snapshot folder.
SNAPSHOT_ENV = "CHINAAI_STATS_REFERENCE"
WDI = "world-development-indicators"
FRED = "exchange-rates-fred"
POPULATION = "SP.POP.TOTL"
#: World Development Indicators shipped in ``wdi_indicators``, in this order.
WDI_SERIES = (
    "IT.CEL.SETS.P2",
    "IT.NET.BBND.P2",
    "GB.XPD.RSDV.GD.ZS",
    "SP.POP.SCIE.RD.P6",
    "IP.JRN.ARTC.SC",
)
WB_RATE = "PA.NUS.FCRF"
#: FRED series of the H.10 China rate: code -> (snapshot file, frequency, title).
FRED_SERIES = {
    "AEXCHUS": (
        "annual.csv",
        "year",
        "Chinese Yuan Renminbi to U.S. Dollar Spot Exchange Rate, annual",
    ),
    "EXCHUS": (
        "monthly.csv",
        "month",
        "Chinese Yuan Renminbi to U.S. Dollar Spot Exchange Rate, monthly",
    ),
}
FRED_COUNTRY = "China"
RATE_COUNTRY = "CHN"

#: Units and short descriptions, in the package's own words.
SERIES_NOTES = {
    POPULATION: ("person", "Total population, midyear estimate: every resident counted."),
    "IT.CEL.SETS.P2": (
        "subscriptions per 100 people",
        "Mobile phone subscriptions (postpaid and active prepaid) per 100 residents: "
        "subscriptions, not people; can exceed 100.",
    ),
    "IT.NET.BBND.P2": (
        "subscriptions per 100 people",
        "Fixed broadband internet subscriptions per 100 residents: subscriptions, not people.",
    ),
    "GB.XPD.RSDV.GD.ZS": (
        "percent of GDP",
        "Gross domestic spending on research and development, as a percentage of GDP.",
    ),
    "SP.POP.SCIE.RD.P6": (
        "researchers per million people",
        "Researchers in research and development (full-time equivalent) per million residents.",
    ),
    "IP.JRN.ARTC.SC": (
        "article",
        "Scientific and technical journal articles, counted by the authors' countries "
        "(fractional counts for shared authorship).",
    ),
    WB_RATE: (
        "CNY per USD",
        "Official exchange rate, annual average (IMF International Financial Statistics via "
        "the World Bank); China's rows only.",
    ),
    "AEXCHUS": (
        "CNY per USD",
        "Noon buying rates in New York (daily, H.10), annual average (Federal Reserve G.5A "
        "release, via FRED).",
    ),
    "EXCHUS": (
        "CNY per USD",
        "Noon buying rates in New York (daily, H.10), monthly average (Federal Reserve G.5 "
        "release, via FRED).",
    ),
}
_PUBLISHERS = {
    WDI: "World Bank, World Development Indicators",
    FRED: "Board of Governors of the Federal Reserve System (H.10), via FRED",
}
_LICENCES = {
    "CC-BY-4.0": {
        "name": "CC-BY-4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "title": "Creative Commons Attribution 4.0",
    },
    "ODC-PDDL-1.0": {
        "name": "ODC-PDDL-1.0",
        "path": "https://opendatacommons.org/licenses/pddl/1-0/",
        "title": "Open Data Commons Public Domain Dedication and License 1.0",
    },
}

COLUMNS = {
    "reference_series": [
        "series_code",
        "title",
        "unit",
        "description",
        "publisher",
        "upstream",
        "snapshot_commit",
        "snapshot_date",
        "snapshot_sha256",
        "licence",
        "url",
    ],
    "populations": ["country_code", "country", "series_code", "year", "population"],
    "wdi_indicators": ["country_code", "country", "series_code", "year", "value"],
    "reference_rates": ["series_code", "period", "frequency", "base", "quote", "rate"],
}


@dataclass(frozen=True)
class Snapshot:
    """Provenance of one snapshot folder, as the snapshot's README states it."""

    folder: str
    repo: str
    path: str
    commit: str
    date: str
    licence: str


def default_snapshot_dir() -> Path:
    """``$CHINAAI_STATS_REFERENCE``, else ``../shared/reference`` beside the checkout."""
    env = os.environ.get(SNAPSHOT_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "reference"


def read_provenance(snapshot_dir: Path) -> dict[str, Snapshot]:
    """Parse the README's table: folder -> upstream repo, path, commit, date, licence.

    A cell reading ``same`` (or ``same repo, ...``) repeats the row above.
    """
    readme = snapshot_dir / "README.md"
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(
            f"{readme}: cannot read the snapshot README ({exc.strerror}); "
            f"pass the snapshot folder or set ${SNAPSHOT_ENV}"
        ) from None
    out: dict[str, Snapshot] = {}
    prev: Snapshot | None = None
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not cells[0].startswith("`"):
            continue
        folder = cells[0].strip("`").rstrip("/")
        upstream, commit_cell, _, licence_cell = cells[1], cells[2], cells[3], cells[4]
        path_m = re.search(r"`([^`]+)`", upstream)
        repo_m = re.match(r"(github\.com/[\w.-]+/[\w.-]+)", upstream)
        commit_m = re.match(r"([0-9a-f]{40}) \((\d{4}-\d{2}-\d{2})\)", commit_cell)
        if prev is None and not (repo_m and commit_m):
            raise DataFileError(f"{readme}: the first row of the snapshot table names no upstream")
        repo = repo_m.group(1) if repo_m else prev.repo  # type: ignore[union-attr]
        if path_m:
            path = path_m.group(1).rstrip("/")
        elif prev is not None and repo == prev.repo:  # same repo: same layout, this folder
            path = f"{prev.path.rsplit('/', 1)[0]}/{folder.rsplit('/', 1)[-1]}"
        else:
            path = ""
        commit, day = commit_m.groups() if commit_m else (prev.commit, prev.date)  # type: ignore[union-attr]
        licence = licence_cell.split(" ")[0]
        prev = out[folder] = Snapshot(folder, repo, path, commit, day, licence)
    return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read the snapshot file ({exc.strerror})") from None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wdi_rows(snapshot_dir: Path, code: str) -> list[dict[str, str]]:
    path = snapshot_dir / WDI / code.lower() / "data.csv"
    rows = _read_csv(path)
    if not rows or set(rows[0]) != {"Country Name", "Country Code", "Year", "Value"}:
        raise DataFileError(f"{path}: expected the columns Country Name, Country Code, Year, Value")
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(rows, start=2):
        key = (row["Country Code"], row["Year"])
        if key in seen:
            raise DataFileError(f"{path}:{line}: {key[0]} {key[1]} appears twice")
        seen.add(key)
        if not re.fullmatch(r"[A-Z0-9]{3}", key[0]) or not re.fullmatch(r"(19|20)\d\d", key[1]):
            raise DataFileError(
                f"{path}:{line}: not a country code and year: {key[0]!r}, {key[1]!r}"
            )
        if not re.fullmatch(r"\d+(\.\d+)?([eE][-+]?\d+)?", row["Value"]):
            raise DataFileError(f"{path}:{line}: value {row['Value']!r} is not a number >= 0")
        if code == POPULATION and not row["Value"].isdigit():
            raise DataFileError(f"{path}:{line}: population {row['Value']!r} is not a whole number")
    return rows


def _render(name: str, rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS[name], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


class _Builder:
    """Reads one snapshot folder; records a ``reference_series`` row for each series read."""

    def __init__(self, snapshot_dir: Path) -> None:
        self.dir = snapshot_dir
        self.prov = read_provenance(snapshot_dir)
        self.series: list[dict[str, str]] = []

    def register(self, code: str, folder: str, file: Path, title: str, url: str) -> None:
        snap = self.prov.get(folder)
        if snap is None:
            raise DataFileError(f"{self.dir / 'README.md'}: no provenance row for {folder}/")
        unit, description = SERIES_NOTES[code]
        upstream = f"{snap.repo}/tree/{snap.commit}/{snap.path}" if snap.path else snap.repo
        self.series.append(
            {
                "series_code": code,
                "title": title,
                "unit": unit,
                "description": description,
                "publisher": _PUBLISHERS[folder.split("/")[0]],
                "upstream": f"https://{upstream}",
                "snapshot_commit": snap.commit,
                "snapshot_date": snap.date,
                "snapshot_sha256": _sha256(file),
                "licence": snap.licence,
                "url": url,
            }
        )

    def wdi(self, code: str, value_column: str = "value") -> list[dict[str, str]]:
        """The rows of one World Bank indicator, sorted by country code and year."""
        folder = f"{WDI}/{code.lower()}"
        meta = read_json(self.dir / folder / "datapackage.json")
        url = f"https://data.worldbank.org/indicator/{code}"
        self.register(code, folder, self.dir / folder / "data.csv", meta["title"], url)
        rows = _wdi_rows(self.dir, code)
        rows.sort(key=lambda r: (r["Country Code"], int(r["Year"])))
        return [
            {
                "country_code": r["Country Code"],
                "country": r["Country Name"],
                "series_code": code,
                "year": r["Year"],
                value_column: r["Value"],
            }
            for r in rows
        ]

    def fred(self, code: str) -> list[dict[str, str]]:
        """The China rows of one FRED series as ``reference_rates`` rows."""
        filename, freq, title = FRED_SERIES[code]
        path = self.dir / FRED / filename
        self.register(code, FRED, path, title, f"https://fred.stlouisfed.org/series/{code}")
        return [
            _rate(code, day[:4] if freq == "year" else day[:7], freq, rate)
            for day, rate in fred_values(path, FRED_COUNTRY)
        ]


def fred_values(path: Path, country: str) -> list[tuple[str, str]]:
    """``(first day of the period, rate as printed)`` of one country in a FRED snapshot file.

    Sorted by date; periods FRED leaves empty are skipped. A file without the country,
    or a row that is not a first-of-period date and a number, is a :class:`DataFileError`.
    """
    fred = [r for r in _read_csv(path) if r.get("Country") == country]
    if not fred:
        raise DataFileError(f"{path}: no rows for {country}")
    for r in fred:
        if not re.fullmatch(r"\d{4}-\d\d-01", r.get("Date") or "") or not re.fullmatch(
            r"(\d+(\.\d+)?)?", r.get("Exchange rate") or ""
        ):
            raise DataFileError(
                f"{path}: {country} {r.get('Date')!r}: expected a first-of-period date "
                f"and a rate, got {r.get('Exchange rate')!r}"
            )
    return [
        (r["Date"], r["Exchange rate"])
        for r in sorted(fred, key=lambda r: r["Date"])
        if r["Exchange rate"]
    ]


def _rate(code: str, period: str, frequency: str, rate: str) -> dict[str, str]:
    return {
        "series_code": code,
        "period": period,
        "frequency": frequency,
        "base": "USD",
        "quote": "CNY",
        "rate": rate,
    }


def build_tables(snapshot_dir: Path) -> dict[str, str]:
    """Return the CSV text of each reference table, built from ``snapshot_dir``."""
    b = _Builder(snapshot_dir)
    pops = b.wdi(POPULATION, "population")
    indicators = [row for code in WDI_SERIES for row in b.wdi(code)]
    rates = [
        _rate(WB_RATE, r["year"], "year", r["value"])
        for r in b.wdi(WB_RATE)
        if r["country_code"] == RATE_COUNTRY
    ]
    for code in FRED_SERIES:
        rates += b.fred(code)
    return {
        "reference_series": _render("reference_series", b.series),
        "populations": _render("populations", pops),
        "wdi_indicators": _render("wdi_indicators", indicators),
        "reference_rates": _render("reference_rates", rates),
    }


_TITLES = {
    "reference_series": "Reference series: provenance",
    "populations": "Populations (World Bank)",
    "wdi_indicators": "World Development Indicators (World Bank)",
    "reference_rates": "Reference exchange rates, CNY per USD (Federal Reserve H.10, World Bank)",
}


def _source(row: dict[str, str]) -> dict[str, str]:
    return {
        "title": (
            f"{row['publisher']}: {row['title']} ({row['series_code']}), {row['licence']}; "
            f"snapshot of {row['upstream']} ({row['snapshot_date']})"
        ),
        "path": row["url"],
    }


def resources(series_text: str) -> list[dict[str, Any]]:
    """Descriptor entries of the four tables, from the ``reference_series`` rows."""
    rows = list(csv.DictReader(io.StringIO(series_text)))
    by_code = {r["series_code"]: r for r in rows}

    def entry(name: str, codes: list[str], description: str) -> dict[str, Any]:
        picked = [by_code[c] for c in codes]
        licences = sorted({r["licence"] for r in picked})
        return {
            "name": name,
            "path": f"{name}.csv",
            "profile": "tabular-data-resource",
            "title": _TITLES[name],
            "description": description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "licenses": [_LICENCES.get(x, {"name": x}) for x in licences],
            "sources": [_source(r) for r in picked],
        }

    wb = "The World Bank, World Development Indicators, licensed CC BY 4.0"
    built = (
        " Built by: python -m chinaai_stats.builders.refbuild"
        " from a snapshot of the upstream series."
    )
    return [
        entry(
            "populations",
            [POPULATION],
            "Total population (midyear estimates) of every country and World Bank aggregate "
            f"(regions, income groups, World), every year of the series. Source: {wb}." + built,
        ),
        entry(
            "wdi_indicators",
            list(WDI_SERIES),
            "Mobile and fixed broadband subscriptions per 100 people, research and development "
            "spending as a share of GDP, researchers per million people and scientific journal "
            "articles: every country and aggregate, every year with a value, one row per "
            "country, series and year. The unit of each series is in reference_series. "
            f"Source: {wb}." + built,
        ),
        entry(
            "reference_rates",
            [WB_RATE, *FRED_SERIES],
            "Chinese yuan per US dollar from two references independent of the ECB rates in "
            "exchange_rates: the Federal Reserve H.10 noon buying rates in New York (monthly "
            "and annual averages, via FRED; public domain, ODC-PDDL-1.0) and the official "
            f"annual rate (IMF via the World Bank, PA.NUS.FCRF, China; {wb}). Used to check "
            "exchange_rates and the conversions sources make." + built,
        ),
        entry(
            "reference_series",
            list(by_code),
            "One row per reference series: code, upstream title, unit, description, publisher, "
            "upstream repository and path, snapshot commit and date, SHA-256 of the snapshot "
            "file and licence. The rows of populations, wdi_indicators and reference_rates name "
            "their series by series_code." + built,
        ),
    ]


PACKAGE_SOURCES = [
    {
        "title": "The World Bank, World Development Indicators (CC BY 4.0)",
        "path": "https://datacatalog.worldbank.org/search/dataset/0037712",
    },
    {
        "title": "Board of Governors of the Federal Reserve System, H.10 Foreign Exchange Rates, "
        "via FRED (public domain)",
        "path": "https://fred.stlouisfed.org/categories/158",
    },
]


def _update_descriptor(desc: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    """Put ``entries`` into ``desc`` (replacing same-named ones, else after exchange_rates)."""
    res = desc["resources"]
    names = [r["name"] for r in res]
    for entry in entries:
        if entry["name"] in names:
            old = res[names.index(entry["name"])]
            for key in ("schema", "bytes", "hash"):  # refresh() recomputes these
                if key in old:
                    entry[key] = old[key]
            res[names.index(entry["name"])] = entry
        else:
            anchor = names.index("exchange_rates") + 1 if "exchange_rates" in names else len(res)
            anchor += sum(1 for e in entries if e["name"] in names[anchor:])
            res.insert(anchor, entry)
            names = [r["name"] for r in res]
    sources = desc.setdefault("sources", [])
    for src in PACKAGE_SOURCES:
        if src not in sources:
            sources.append(src)


def build(root: Path | None = None, snapshot_dir: Path | None = None) -> bool:
    """Write the four CSVs and their descriptor entries; return whether anything changed."""
    root = root or data_root()
    snapshot_dir = snapshot_dir or default_snapshot_dir()
    if not (snapshot_dir / WDI).is_dir():
        raise DataFileError(
            f"{snapshot_dir}: no {WDI}/ folder there; pass the reference snapshot folder "
            f"(python -m chinaai_stats.builders.refbuild SNAPSHOT_DIR) or set ${SNAPSHOT_ENV}"
        )
    tables = build_tables(snapshot_dir)
    with journal.locked(root, "refbuild"):
        changes: dict[Path, str] = {}
        for name, text in tables.items():
            path = root / "datasets" / f"{name}.csv"
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                changes[path] = text
        desc_path = root / "datasets" / DESCRIPTOR
        desc = read_json(desc_path)
        before = dump_json(desc)
        _update_descriptor(desc, resources(tables["reference_series"]))
        if dump_json(desc) != before:
            changes[desc_path] = dump_json(desc)
        if changes:  # the tables and their entries replaced together, or not at all
            journal.commit(root, changes, command="refbuild")
        changed = bool(changes)
    return refresh(root) or changed


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m chinaai_stats.builders.refbuild [SNAPSHOT_DIR] [--root ROOT]``."""
    parser = argparse.ArgumentParser(
        prog="python -m chinaai_stats.builders.refbuild", description=__doc__
    )
    parser.add_argument("snapshot", nargs="?", type=Path, help="the reference snapshot folder")
    parser.add_argument("--root", type=Path, help="folder holding datasets/ and schemas/")
    args = parser.parse_args(argv)
    root = args.root or data_root()
    try:
        changed = build(root, args.snapshot)
    except DataFileError as exc:
        print(f"chinaai-stats: {exc}", file=sys.stderr)
        return 2
    print(f"{root / 'datasets'}: reference tables {'updated' if changed else 'up to date'}")
    return 0


if __name__ == "__main__":  # pragma: no cover - thin command wrapper
    sys.exit(main())

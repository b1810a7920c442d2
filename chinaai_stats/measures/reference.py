"""Look up the reference series: populations by country and year, WDI series with their units.

The tables come from World Bank snapshots (see :mod:`chinaai_stats.builders.refbuild`); this
module answers the questions analyses ask of them: what was China's population in
the year a figure describes, and which year stood in when that year is not in the
series.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from ..core.errors import ChinaAIStatsError

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable

    import pandas as pd

POPULATION_SERIES = "SP.POP.TOTL"


@dataclass(frozen=True)
class Population:
    """A population from the reference table, and how it was chosen.

    ``value`` is None when there is nothing to divide by (an undated figure, a place
    not in the series); ``warnings`` says why, or which year stood in for another.
    """

    country: str
    country_code: str
    year: int | None
    value: float | None
    warnings: list[str] = field(default_factory=list)

    @property
    def basis(self) -> str:
        """Where the number comes from, e.g. ``World Bank SP.POP.TOTL, China 2016``."""
        if self.value is None:
            return ""
        return f"World Bank {POPULATION_SERIES}, {self.country} {self.year}"


@lru_cache(maxsize=4)
def _table(key: tuple[str, str]) -> dict[str, dict[Any, Any]]:
    """country code -> {year: population}, plus name -> code under ``"_names"``."""
    from ..tables.loader import load

    df = load("populations")
    out: dict[str, dict[Any, Any]] = {"_names": {}}
    columns = (df[c].tolist() for c in ("country_code", "country", "year", "population"))
    for code, name, year, pop in zip(*columns, strict=True):
        out.setdefault(code, {})[year] = pop
        out["_names"][name.casefold()] = (code, name)
        out["_names"][code.casefold()] = (code, name)
    return out


def _populations() -> dict[str, dict[Any, Any]]:
    from ..tables import catalog

    res = catalog.resource("populations")
    return _table((str(catalog.data_root()), res.get("hash", "")))


def country_code(name: str) -> tuple[str, str] | None:
    """The World Bank code and name of a country or aggregate, by name or code.

    Examples
    --------
    >>> country_code("china")
    ('CHN', 'China')
    >>> country_code("Guiyang") is None
    True
    """
    return _populations()["_names"].get(str(name).strip().casefold())


def year_of(as_of: object) -> int | None:
    """The calendar year an ``as_of`` value describes (``2016-Q3`` -> 2016), None if undated."""
    if isinstance(as_of, int) and not isinstance(as_of, bool):
        return as_of
    if not isinstance(as_of, str) or len(as_of) < 4 or not as_of[:4].isdigit():
        return None
    return int(as_of[:4])


def population(country: str, as_of: object) -> Population:
    """China's (or any country's) population in the year of ``as_of``.

    Parameters
    ----------
    country : str
        A World Bank country or aggregate name or code (``"China"``, ``"USA"``, ``"World"``).
    as_of : str or None
        The date a figure describes (ISO, reduced precision allowed: ``2016``,
        ``2016-Q3``, ``2016-09``). Undated: no value, and a warning says so.

    Returns
    -------
    Population
        The midyear population of that year; the nearest year of the series, with a
        warning, when the year is outside it.

    Examples
    --------
    >>> p = population("China", "2016-Q3")
    >>> p.value, p.basis
    (1387790000.0, 'World Bank SP.POP.TOTL, China 2016')
    >>> population("China", None).warnings
    ['undated: no year to take a population from']
    """
    hit = country_code(country)
    if hit is None:
        return Population(
            str(country),
            "",
            None,
            None,
            [f"{country} is not a country or region of {POPULATION_SERIES}"],
        )
    code, name = hit
    year = year_of(as_of)
    if year is None:
        return Population(name, code, None, None, ["undated: no year to take a population from"])
    by_year = _populations()[code]
    if year in by_year:
        return Population(name, code, year, float(by_year[year]))
    nearest = min(by_year, key=lambda y: (abs(y - year), y))
    return Population(
        name,
        code,
        nearest,
        float(by_year[nearest]),
        [
            f"population of {nearest} used: {POPULATION_SERIES} for {name} covers "
            f"{min(by_year)}-{max(by_year)}, not {year}"
        ],
    )


def series(code: str, countries: str | Iterable[str] | None = None) -> pd.DataFrame:
    """One reference series in long format, with its unit and title beside each row.

    Parameters
    ----------
    code : str
        A series code from ``load("reference_series")`` (``"SP.POP.TOTL"``,
        ``"IT.CEL.SETS.P2"``, ``"GB.XPD.RSDV.GD.ZS"``, ...).
    countries : str or list of str, optional
        Country or aggregate names or codes to keep.

    Returns
    -------
    pandas.DataFrame
        ``country_code``, ``country``, ``series_code``, ``year``, ``value`` (float64,
        in ``unit``), ``unit``, ``title``.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> rd = cs.series("GB.XPD.RSDV.GD.ZS", ["China", "USA"])
    >>> rd[rd.year == 2020][["country", "value", "unit"]].round(2).values.tolist()
    [['China', 2.36, 'percent of GDP'], ['United States', 3.42, 'percent of GDP']]
    """
    from ..tables.loader import load

    meta = load("reference_series").set_index("series_code")
    if code not in meta.index:
        raise ChinaAIStatsError(f"no reference series {code!r}; available: {', '.join(meta.index)}")
    if code == POPULATION_SERIES:
        df = load("populations").rename(columns={"population": "value"})
        df["value"] = df["value"].astype("float64")
    else:
        df = load("wdi_indicators")
        df = df[df["series_code"] == code]
    df = df.astype({"series_code": "string"})
    if countries is not None:
        wanted = []
        for c in [countries] if isinstance(countries, str) else countries:
            hit = country_code(c)
            if hit is None:
                raise ChinaAIStatsError(
                    f"{c!r} is not a World Bank country or aggregate name or code "
                    "(see load('populations') for the names)"
                )
            wanted.append(hit[0])
        df = df[df["country_code"].isin(wanted)]
    out = df.reset_index(drop=True)
    out["unit"] = cast(str, meta.loc[code, "unit"])
    out["title"] = cast(str, meta.loc[code, "title"])
    return out.astype({"unit": "string", "title": "string"})

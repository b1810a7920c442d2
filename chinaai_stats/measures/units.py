"""Units of the package: allowed units per dimension, and one pint registry.

The registry is built on first use (pint is imported only then). Counts, shares,
ratios, ranks and each currency are dimensions of their own, so adding dollars to
yuan, or people to money, fails loudly instead of giving a number.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from ..core.errors import UnitError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Allowed ``unit`` values for each ``dimension`` of the indicator codebook.
DIMENSION_UNITS: dict[str, tuple[str, ...]] = {
    "count": ("count",),
    "money": ("CNY", "USD", "HKD", "EUR", "GBP", "JPY", "TWD"),
    "share": ("share",),
    "ratio": ("ratio",),
    "duration": ("second", "minute", "hour", "day", "week", "month", "year"),
    "rank": ("rank",),
}

_DEFINITIONS = """
second = [time] = s = sec
minute = 60 * second = min
hour = 60 * minute = h = hr
day = 24 * hour = d
week = 7 * day
year = 365.25 * day = a
month = year / 12
count = [count]
thousand_count = 1000 * count
million_count = 1000000 * count
billion_count = 1000000000 * count
share = [share]
percent = 0.01 * share = pct
ratio = [ratio]
rank = [rank]
USD = [currency_USD]
CNY = [currency_CNY]
HKD = [currency_HKD]
EUR = [currency_EUR]
GBP = [currency_GBP]
JPY = [currency_JPY]
TWD = [currency_TWD]
"""


@cache
def registry() -> Any:
    """Return the package's pint ``UnitRegistry`` (built once, on first use).

    Examples
    --------
    >>> ureg = registry()
    >>> ureg.Quantity(7, "minute").to("second").magnitude
    420
    """
    import pint

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(None, cache_folder=None)
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    return ureg


def dimension_of(unit: str) -> str:
    """Return the codebook dimension of a unit, e.g. ``"money"`` for ``"CNY"``."""
    for dim, units in DIMENSION_UNITS.items():
        if unit in units:
            return dim
    raise UnitError(f"unknown unit {unit!r}; known units: {', '.join(_all_units())}")


def _all_units() -> list[str]:
    return [u for units in DIMENSION_UNITS.values() for u in units]


def convert(df: pd.DataFrame, to: str) -> pd.DataFrame:
    """Return a copy of ``df`` with ``value`` and ``unit`` converted to unit ``to``.

    Every row must have a unit of the same dimension as ``to`` (filter first);
    money needs an exchange rate, so use ``load(name, currency=...)`` for it.

    Parameters
    ----------
    df : pandas.DataFrame
        A table with ``value`` and ``unit`` columns, as :func:`chinaai_stats.load` returns.
    to : str
        Target unit: ``second``, ``minute``, ``hour``, ``day``, ``count``, ``share``, ...

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> ctx = cs.load("context")
    >>> demo = cs.convert(ctx[ctx.unit == "minute"], to="second")
    >>> float(demo["value"].iloc[0]), demo["unit"].iloc[0]
    (420.0, 'second')
    """
    import pandas as pd
    import pint

    ureg = registry()
    if to not in _all_units():
        raise UnitError(f"unknown target unit {to!r}; known units: {', '.join(_all_units())}")
    out = df.copy()
    units = out["unit"].astype(str)
    factors: dict[str, float] = {}
    for unit in units.unique():
        try:
            factors[unit] = float(ureg.Quantity(1.0, unit).to(to).magnitude)
        except pint.DimensionalityError:
            hint = " (money needs a dated exchange rate: use load(name, currency=...))"
            hint = hint if dimension_of(unit) == "money" == dimension_of(to) else ""
            rows = (
                ", ".join(out.loc[units == unit, "id"].astype(str).head(5)) if "id" in out else ""
            )
            raise UnitError(
                f"cannot convert {unit} to {to}: different dimensions{hint}; rows: {rows}"
            ) from None
        except pint.UndefinedUnitError:
            raise UnitError(f"unknown unit {unit!r} in the frame") from None
    out["value"] = out["value"] * units.map(factors).astype("float64")
    dtype = out["unit"].dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = list(dict.fromkeys([*dtype.categories, to]))
        out["unit"] = pd.Categorical([to] * len(out), categories=cats)
    else:
        out["unit"] = to
    return out

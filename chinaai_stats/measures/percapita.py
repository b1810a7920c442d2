"""Per-person figures on the population of the figure's year, beside the source's own denominator.

A count divided by a population is only as good as the population: a source's round
``1.3 billion`` is 6% below China's 2016 population, so a rate on it is 6% high. The
helpers here divide by the World Bank population of the year the figure describes
(see :func:`chinaai_stats.measures.reference.population`) and keep the denominator the source
itself used, with the difference between the two.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..core.errors import UnitError
from .reference import Population, population

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: ``per=`` values accepted by :func:`chinaai_stats.compare`: the scale and the unit label.
PER = {"person": (1, "per person"), 100: (100, "per 100 people")}
#: Columns a per-person result adds.
COLUMNS = (
    "denominator",
    "denominator_basis",
    "source_denominator",
    "source_denominator_id",
    "value_on_source_denominator",
    "denominator_difference",
)
ACCOUNTS_WARNING = "accounts, not people: one person may hold several accounts"


def scale_of(per: object) -> tuple[int, str]:
    """The multiplier and unit label of ``per`` ("person" or 100)."""
    key = int(per) if isinstance(per, str) and per.isdigit() else per
    if key not in PER:
        raise UnitError(f"per={per!r} is not one of 'person', 100 (people)")
    return PER[key]


def counts_accounts(indicator: str, codebook: pd.DataFrame) -> bool:
    """Whether the codebook defines ``indicator`` as a count of accounts."""
    if indicator not in codebook.index:
        return False
    return "account" in str(codebook.loc[indicator, "definition"]).casefold()


def _source_denominator(facts: pd.DataFrame, row: Any, country: str) -> Any | None:
    """The population figure the row's own source gives for ``country``, if any."""
    same = facts[
        (facts["indicator"] == "population")
        & (facts["entity"] == country)
        & (facts["source_id"] == row.source_id)
    ]
    return next(same.itertuples(), None)


def per_person(row: Any, country: str, scale: int, facts: pd.DataFrame) -> dict[str, Any]:
    """Divide ``row.value`` by ``country``'s population of the row's year, times ``scale``.

    Returns a dict with ``value``, the :data:`COLUMNS`, ``population`` (the
    :class:`~chinaai_stats.measures.reference.Population` used) and ``notes`` (warnings).
    """
    pop: Population = population(country, row.as_of)
    notes = list(pop.warnings)
    value = row.value / pop.value * scale if pop.value else math.nan
    own = _source_denominator(facts, row, country)
    out: dict[str, Any] = {
        "value": value,
        "population": pop,
        "denominator": pop.value if pop.value else math.nan,
        "denominator_basis": pop.basis or None,
        "source_denominator": math.nan,
        "source_denominator_id": None,
        "value_on_source_denominator": math.nan,
        "denominator_difference": math.nan,
        "notes": notes,
    }
    if own is None:
        return out
    out["source_denominator"] = float(own.value)
    out["source_denominator_id"] = own.id
    out["value_on_source_denominator"] = row.value / own.value * scale
    if pop.value:
        diff = own.value / pop.value - 1
        out["denominator_difference"] = diff
        notes.append(
            f"the source's own denominator, {own.value_text} ({own.id}), is "
            f"{diff:+.1%} from the {pop.basis} population ({pop.value / 1e6:,.2f} million); "
            f"on it the figure would be {out['value_on_source_denominator']:.4g}"
        )
    else:
        notes.append(
            f"on the source's own denominator, {own.value_text} ({own.id}), the figure "
            f"would be {out['value_on_source_denominator']:.4g}"
        )
    return out


def normalise(
    df: pd.DataFrame,
    per: object,
    population_of: str | None,
    codebook: pd.DataFrame,
    facts: pd.DataFrame,
) -> tuple[pd.DataFrame, str, list[list[str]]]:
    """Counts of ``df`` divided by the population of their year, for :func:`compare`.

    Each row is divided by the population of ``population_of`` when given, else of
    its own entity (which must then be a country or region). Returns the frame with
    ``value_aligned`` and the per-person columns, the unit label and each row's notes.
    """
    import pandas as pd

    from .reference import country_code

    scale, unit = scale_of(per)
    values: list[Any] = []
    extra: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    notes: list[list[str]] = []
    row: Any  # a row of the table being divided: its columns are known at run time
    for row in df.itertuples():
        country = population_of or row.entity
        if country_code(country) is None:
            raise UnitError(
                f"per={per!r}: {row.entity} ({row.entity_type}) has no population of its own; "
                "name the population to divide by, e.g. population='China'"
            )
        got = per_person(row, country, scale, facts)
        values.append(got["value"])
        for c in COLUMNS:
            extra[c].append(got[c])
        row_notes = list(got["notes"])
        if counts_accounts(row.indicator, codebook):
            row_notes.insert(0, ACCOUNTS_WARNING)
        notes.append(row_notes)
    out = df.assign(value_aligned=pd.Series(values, index=df.index, dtype="float64"))
    for c in COLUMNS:
        text = c in ("denominator_basis", "source_denominator_id")
        out[c] = pd.Series(extra[c], index=df.index, dtype="string" if text else "float64")
    return out, unit, notes

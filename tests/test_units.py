"""Units: the pint registry, allowed units per dimension, and column conversion."""

from __future__ import annotations

import pandas as pd
import pint
import pytest

import chinaai_stats as cs
from chinaai_stats.measures.units import DIMENSION_UNITS, dimension_of, registry


def test_registry_is_built_once() -> None:
    assert registry() is registry()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("USD", "CNY"),
        ("count", "share"),
        ("count", "USD"),
        ("ratio", "share"),
        ("rank", "count"),
        ("minute", "count"),
    ],
)
def test_different_dimensions_do_not_add(a: str, b: str) -> None:
    ureg = registry()
    with pytest.raises(pint.DimensionalityError):
        ureg.Quantity(1, a) + ureg.Quantity(1, b)


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [
        (7, "minute", "second", 420),
        (2, "hour", "minute", 120),
        (1, "day", "hour", 24),
        (24, "percent", "share", 0.24),
        (3, "million_count", "count", 3e6),
    ],
)
def test_registry_converts_within_a_dimension(value, unit, to, expected) -> None:
    assert registry().Quantity(value, unit).to(to).magnitude == pytest.approx(expected)


def test_every_codebook_unit_is_known_to_the_registry() -> None:
    ureg = registry()
    for units in DIMENSION_UNITS.values():
        for unit in units:
            ureg.Quantity(1, unit)
            assert dimension_of(unit) in DIMENSION_UNITS


def test_dimension_of_unknown_unit() -> None:
    with pytest.raises(cs.UnitError, match="known units"):
        dimension_of("furlong")


def test_convert_durations_keeps_the_frame_and_changes_value_and_unit() -> None:
    ctx = cs.load("context")
    minutes = ctx[ctx["unit"] == "minute"]
    out = cs.convert(minutes, to="second")
    assert out["value"].tolist() == [v * 60 for v in minutes["value"]]
    assert (out["unit"] == "second").all()
    assert out["value_text"].tolist() == minutes["value_text"].tolist()
    assert (minutes["unit"] == "minute").all(), "the input frame is not modified"


def test_convert_refuses_other_dimensions_and_names_rows() -> None:
    ctx = cs.load("context")
    with pytest.raises(cs.UnitError, match=r"cannot convert count to second.*ctx-0001"):
        cs.convert(ctx, to="second")


def test_convert_money_points_at_exchange_rates() -> None:
    inv = cs.load("investments")
    with pytest.raises(cs.UnitError, match=r"currency="):
        cs.convert(inv, to="USD")


def test_convert_unknown_target() -> None:
    with pytest.raises(cs.UnitError, match="unknown target unit"):
        cs.convert(cs.load("talent"), to="parsec")


def test_convert_plain_string_units() -> None:
    df = pd.DataFrame({"id": ["a"], "value": [1.5], "unit": ["hour"]})
    out = cs.convert(df, to="minute")
    assert out.loc[0, "value"] == 90 and out.loc[0, "unit"] == "minute"


@pytest.mark.parametrize("currency", ["HKD", "EUR", "GBP", "JPY", "TWD"])
def test_each_currency_is_a_dimension_of_its_own(currency: str) -> None:
    import pint

    from chinaai_stats.measures.units import dimension_of, registry

    ureg = registry()
    assert dimension_of(currency) == "money"
    with pytest.raises(pint.DimensionalityError):
        ureg.Quantity(1, currency) + ureg.Quantity(1, "USD")
    assert ureg.Quantity(2, currency).to(currency).magnitude == 2

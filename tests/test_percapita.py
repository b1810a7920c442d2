"""Per-person figures on the World Bank population of the figure's year."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chinaai_stats as cs
from chinaai_stats.measures.reference import population

CHINA_2016 = 1_387_790_000  # World Bank SP.POP.TOTL, China, 2016 (the snapshot's value)


def _populations() -> dict[tuple[str, int], int]:
    pop = cs.load("populations")
    return dict(
        zip(zip(pop["country_code"], pop["year"], strict=True), pop["population"], strict=True)
    )


def _date_camera_count(root: Path, as_of: str) -> None:
    """Give cam-0001 the date ``as_of`` (empty: undated) in a private copy of the data."""
    path = root / "datasets" / "camera_counts.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    i_as_of, i_basis = header.index("as_of"), header.index("as_of_basis")
    out = [lines[0]]
    for line in lines[1:]:
        if line.startswith("cam-0001,"):
            cells = line.split(",", i_basis + 1)
            cells[i_as_of] = as_of
            cells[i_basis] = "inferred" if as_of else "unknown"
            line = ",".join(cells)
        out.append(line)
    path.write_text("".join(out), "utf-8")


@pytest.mark.parametrize(
    ("country", "as_of", "year", "warned"),
    [
        ("China", "2016", 2016, False),
        ("CHN", "2016-Q3", 2016, False),
        ("china", "2016-09", 2016, False),
        ("United States", "2020", 2020, False),
        ("World", "1960", 1960, False),
        ("China", "2031-05", 2025, True),
        ("World", "1950", 1960, True),
    ],
)
def test_population_of_the_year_or_the_nearest(country, as_of, year, warned) -> None:
    pops = _populations()
    p = population(country, as_of)
    assert p.year == year
    assert p.value == pops[(p.country_code, year)]
    assert bool(p.warnings) is warned
    if warned:
        assert f"population of {year} used" in p.warnings[0]


@pytest.mark.parametrize(
    ("country", "as_of", "message"),
    [
        ("China", None, "undated"),
        ("China", "", "undated"),
        ("Guiyang", "2016", "not a country or region"),
    ],
)
def test_no_population_without_a_year_or_a_country(country, as_of, message) -> None:
    p = population(country, as_of)
    assert p.value is None and message in p.warnings[0] and p.basis == ""


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1000, max_value=9999))
def test_population_year_is_always_in_the_series(year: int) -> None:
    p = population("China", str(year))
    assert 1960 <= p.year <= 2025
    assert (p.year == year) is (not p.warnings)
    assert p.value is not None and p.value > 0


def test_cameras_per_100_people_on_the_population_of_the_figures_year(data_copy: Path) -> None:
    _date_camera_count(data_copy, "2016")
    row = cs.derived().set_index("id").loc["cameras_per_100_people_cam-0001"]
    assert row["value"] == pytest.approx(176e6 / CHINA_2016 * 100)  # 12.68
    assert round(row["value"], 2) == 12.68
    assert row["denominator"] == CHINA_2016
    assert row["denominator_basis"] == "World Bank SP.POP.TOTL, China 2016"
    # the blog's own denominator stays beside it, with the difference
    assert row["source_denominator"] == 1.3e9 and row["source_denominator_id"] == "ctx-0002"
    assert row["value_on_source_denominator"] == pytest.approx(176e6 / 1.3e9 * 100)  # 13.54
    assert row["denominator_difference"] == pytest.approx(1.3e9 / CHINA_2016 - 1)
    assert round(row["denominator_difference"], 3) == -0.063
    assert (
        "1.3 billion (ctx-0002), is -6.3% from the World Bank SP.POP.TOTL, China 2016"
        in (row["warnings"])
    )
    assert "1,387.79 million" in row["warnings"]


def test_undated_figure_gets_no_per_person_value(data_copy: Path) -> None:
    _date_camera_count(data_copy, "")
    row = cs.derived().set_index("id").loc["cameras_per_100_people_cam-0001"]
    assert math.isnan(row["value"]) and math.isnan(row["denominator"])
    assert "undated: no year to take a population from" in row["warnings"]
    assert row["value_on_source_denominator"] == pytest.approx(176e6 / 1.3e9 * 100)


def test_year_outside_the_series_uses_the_nearest_with_a_warning(data_copy: Path) -> None:
    _date_camera_count(data_copy, "2026")
    row = cs.derived().set_index("id").loc["cameras_per_100_people_cam-0001"]
    pops = _populations()
    assert row["denominator"] == pops[("CHN", 2025)]
    assert "population of 2025 used" in row["warnings"]


def test_share_of_population_of_people_sending_greetings() -> None:
    row = cs.derived().set_index("id").loc["share_of_population_uc-0003"]
    pops = _populations()
    assert row["value"] == pytest.approx(800e6 / pops[("CHN", 2018)])
    assert row["unit"] == "share" and row["denominator_basis"].endswith("China 2018")
    assert "approximate" in row["warnings"]


def test_rows_without_a_denominator_leave_the_columns_empty() -> None:
    d = cs.derived().set_index("id")
    ratio = d.loc["wechat_qq_mau_ratio"]
    assert pd.isna(ratio["denominator_basis"]) and math.isnan(ratio["denominator"])
    wechat = d.loc["mau_per_100_people_of_china_uc-0001"]
    assert pd.isna(wechat["source_denominator_id"])  # its source gives no population


def test_accounts_per_100_people_warn_that_accounts_are_not_people() -> None:
    d = cs.derived().set_index("id")
    row = d.loc["mau_per_100_people_of_china_uc-0001"]
    assert row["value"] == pytest.approx(846e6 / CHINA_2016 * 100)
    assert "accounts, not people" in row["warnings"]


@pytest.mark.parametrize("per", ["person", 100, "100"])
def test_compare_per_person_divides_by_the_population_of_the_year(per) -> None:
    out = cs.compare(["WeChat", "QQ"], "monthly_active_users", per=per, population="China")
    out = out[out["id"].isin(["uc-0001", "uc-0002"])]  # 2016-Q3, from one source
    scale = 1 if per == "person" else 100
    assert out["value_aligned"].tolist() == pytest.approx(
        [846e6 / CHINA_2016 * scale, 877e6 / CHINA_2016 * scale]
    )
    assert set(out["unit_aligned"]) == {"per person" if scale == 1 else "per 100 people"}
    assert all(w.startswith("accounts, not people") for w in out["warnings"])
    assert set(out["denominator"]) == {CHINA_2016}


def test_compare_of_accounts_with_a_population_says_accounts_are_not_people() -> None:
    out = cs.compare(["WeChat", "China"], ["monthly_active_users", "population"])
    warn = dict(zip(out["id"], out["warnings"], strict=True))
    assert "accounts, not people" in warn["uc-0001"]
    assert all("accounts, not people" not in warn[i] for i in warn if i.startswith("ctx"))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"entities": ["WeChat"], "indicator": "monthly_active_users", "per": 100},
            "has no population of its own; name the population",
        ),
        (
            {"entities": ["SenseTime"], "indicator": "funding_round", "per": 100},
            "divides counts by a population",
        ),
        (
            {"entities": ["WeChat"], "indicator": "monthly_active_users", "per": 1000},
            "not one of 'person', 100",
        ),
    ],
)
def test_compare_per_person_refuses_what_it_cannot_divide(kwargs, match) -> None:
    with pytest.raises(cs.UnitError, match=match):
        cs.compare(**kwargs, population=None)


def test_series_joins_unit_and_title() -> None:
    mobile = cs.series("IT.CEL.SETS.P2", ["CHN"])
    assert set(mobile["unit"]) == {"subscriptions per 100 people"}
    assert set(mobile["country"]) == {"China"} and mobile["year"].is_monotonic_increasing
    pop = cs.series("SP.POP.TOTL", ["China"]).set_index("year")
    assert pop.loc[2016, "value"] == CHINA_2016


@pytest.mark.parametrize(
    ("code", "countries", "match"),
    [("NY.GDP.MKTP.CD", None, "no reference series"), ("SP.POP.TOTL", ["Atlantis"], "Atlantis")],
)
def test_series_errors_name_the_fix(code, countries, match) -> None:
    with pytest.raises(cs.ChinaAIStatsError, match=match):
        cs.series(code, countries)


def test_series_takes_a_single_string_as_one_country() -> None:
    one = cs.series("IT.CEL.SETS.P2", "China")
    assert set(one["country"]) == {"China"}
    assert one.equals(cs.series("IT.CEL.SETS.P2", ["China"]))

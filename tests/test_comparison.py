"""compare, derived and conflicts: aligned units, named inputs, warnings."""

from __future__ import annotations

import math

import pytest

import chinaai_stats as cs
from tests.conftest import run_cli


def test_compare_wechat_and_qq() -> None:
    full = cs.compare(["WeChat", "QQ"], indicator="monthly_active_users")
    df = full[full["source_id"] == "techreview-2016-tencent-ai-lab"].reset_index(drop=True)
    df = df.assign(ratio_to_first=df["value_aligned"] / df["value_aligned"].iloc[0])
    assert df["entity"].tolist() == ["WeChat", "QQ"]
    assert df["ratio_to_first"].tolist() == [1.0, 877 / 846]
    assert set(df["id"]) == {"uc-0001", "uc-0002"}
    assert (df["unit_aligned"] == "count").all()
    # same indicator, exact, cited: the only warning is the distance to the first figure
    apart = f"as_of more than a year apart (2016-Q3 vs {full['as_of'].iloc[0]})"
    assert df["warnings"].tolist() == [apart, apart]


def test_compare_warns_on_different_definitions_and_bounds() -> None:
    df = cs.compare(["Alibaba", "WeChat"], table="user_counts")
    china = df.set_index("id").loc["uc-0003"]
    assert (
        "different indicator: lunar_new_year_red_packet_users vs mobile_monthly"
        in (china["warnings"])
    )
    assert "approximate figure" in china["warnings"]


def test_compare_money_aligns_currency_and_keeps_stated_values() -> None:
    df = cs.compare(["SenseTime", "Tianjin"], table="investments", currency="CNY")
    rate_2018 = cs.load("exchange_rates").query("period == '2018'")["rate"].iloc[0]
    sense = df[df["id"] == "inv-0004"].iloc[0]
    assert sense["value"] == 600e6 and sense["unit"] == "USD"
    assert sense["value_aligned"] == pytest.approx(600e6 * rate_2018)
    assert sense["unit_aligned"] == "CNY"
    valuation = df[df["id"] == "inv-0005"].iloc[0]
    assert "a lower bound (more than)" in valuation["warnings"]
    tianjin = df[df["id"] == "inv-0002"].iloc[0]
    assert "no primary source named" in tianjin["warnings"]
    assert "undated" in tianjin["warnings"]


def test_compare_leaves_forecasts_out_unless_named() -> None:
    counts = cs.compare(["World"], table="camera_counts")
    assert "surveillance_cameras_forecast" not in set(counts["indicator"])
    asked = cs.compare(["China"], indicator=["surveillance_cameras_forecast"])
    assert set(asked["kind"]) == {"forecast"} and "cam-0004" in set(asked["id"])


def test_compare_refuses_unlike_dimensions() -> None:
    with pytest.raises(cs.UnitError, match="different dimensions"):
        cs.compare(["WeChat", "Tencent"])


def test_compare_unknown_entity() -> None:
    with pytest.raises(cs.ChinaAIStatsError, match="no figures for entity 'Atlantis'"):
        cs.compare(["Atlantis"])


def test_derived_values_are_computed_from_their_inputs() -> None:
    d = cs.derived().set_index("id")
    facts = cs.facts().set_index("id")
    cams = d.loc["cameras_per_100_people_cam-0001"]
    assert cams["inputs"] == "cam-0001"
    # on the World Bank population of the figure's year; the source's own denominator beside it
    pop = cs.population("China", facts.loc["cam-0001", "as_of"])
    if pop.value is None:
        assert math.isnan(cams["value"]) and "undated" in cams["warnings"]
    else:
        assert cams["value"] == pytest.approx(facts.loc["cam-0001", "value"] / pop.value * 100)
    assert cams["source_denominator_id"] == "ctx-0002"
    assert cams["value_on_source_denominator"] == pytest.approx(
        facts.loc["cam-0001", "value"] / facts.loc["ctx-0002", "value"] * 100
    )
    ratio = d.loc["china_us_startup_share_ratio"]
    assert ratio["value"] == pytest.approx(0.2 / 0.5) and ratio["unit"] == "ratio"
    assert d.loc["wechat_qq_mau_ratio", "value"] == pytest.approx(846 / 877)
    share = d.loc["sensetime_round_share_of_valuation"]
    assert share["value"] == pytest.approx(600 / 4500)
    assert "upper bound" in share["warnings"]
    usd = d.loc["usd_inv-0001"]
    assert math.isnan(usd["value"])
    assert "neither the figure nor its source is dated" in usd["warnings"]
    assert "13,800,000,000 USD" in usd["warnings"]


def test_derived_follows_the_data(data_copy) -> None:
    path = data_copy / "datasets" / "context.csv"
    path.write_text(
        path.read_text("utf-8").replace(
            ",0.2,share,approximately,one in five,", ",0.25,share,approximately,one in four,"
        ),
        "utf-8",
    )
    d = cs.derived().set_index("id")
    assert d.loc["china_us_startup_share_ratio", "value"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("ids", "kind"),
    [
        ("uc-0001, uc-0005", "same figure"),  # 846 million and 8.46亿
        ("inv-0003, inv-0012", "rounding"),  # $2 billion and 13.8 billion yuan
        ("tal-0003, tal-0009", "rounding"),  # 24 percent and about a quarter
        ("uc-0007, uc-0008", "update over time"),  # WeChat, end of 2015 and 2016-Q1
        ("ctx-0001, ctx-0002", "update over time"),
        ("uc-0002, uc-0010", "different measure"),  # QQ monthly and mobile monthly users
        ("inv-0013, inv-0014", "different measure"),  # a fund and its sub-fund
        ("inv-0002, inv-0013", "undated: cannot tell an update from a disagreement"),
    ],
)
def test_conflicts_tell_rounding_updates_measures_and_disagreements(ids: str, kind: str) -> None:
    c = cs.conflicts().set_index("ids")
    assert c.loc[ids, "kind"] == kind


def test_conflicts_pairs_carry_values_dates_and_sources() -> None:
    c = cs.conflicts().set_index("ids")
    pair = c.loc["ctx-0001, ctx-0002"]
    assert pair["min"] == 1.3e9 and pair["max"] == 1.4e9
    assert pair["spread"] == pytest.approx(1.4 / 1.3 - 1)
    assert "tais-china-ai-ecosystem" in pair["sources"]
    assert pair["as_of"] == "2019-11-28, 2016"
    forecast = c["indicator"].str.contains("forecast")
    assert (c.loc[forecast, "indicator"] == "surveillance_cameras_forecast").all()


def test_conflicts_find_a_disagreement_at_one_date(data_copy) -> None:
    path = data_copy / "datasets" / "context.csv"
    text = (
        path.read_text("utf-8")
        .replace(
            "approximately,1.3 billion,2016,inferred,claim,,anant90",
            "exact,1.3 billion,2019-11-28,inferred,claim,,anant90",
        )
        .replace("approximately,1.4 billion,2019-11-28", "exact,1.4 billion,2019-11-28")
    )
    path.write_text(text, "utf-8")
    c = cs.conflicts().set_index("ids")
    assert c.loc["ctx-0001, ctx-0002", "kind"] == "disagreement at the same date"


def test_compare_takes_a_single_string_as_one_entity() -> None:
    one = cs.compare("WeChat")
    assert set(one["entity"]) == {"WeChat"}
    assert one.equals(cs.compare(["WeChat"]))
    by_indicator = cs.compare(indicator="population")
    assert by_indicator.equals(cs.compare(indicator=["population"]))


def test_compare_warns_about_entities_left_out_by_the_indicator() -> None:
    with pytest.warns(UserWarning, match="no monthly_active_users figure for Alibaba, China"):
        df = cs.compare(["WeChat", "Alibaba", "QQ", "China"], indicator="monthly_active_users")
    assert list(dict.fromkeys(df["entity"])) == ["WeChat", "QQ"]


def test_compare_with_no_entity_having_the_indicator_is_an_error() -> None:
    with pytest.raises(cs.ChinaAIStatsError, match="nothing to compare"):
        cs.compare(["Alibaba"], indicator="monthly_active_users")


@pytest.mark.parametrize(
    ("kwargs", "hint"),
    [
        ({"entities": ["Wechatt"]}, "did you mean 'WeChat'?"),
        ({"entities": "wechatt"}, "did you mean 'WeChat'?"),
        ({"indicator": "populaton"}, "did you mean 'population'?"),
        ({"table": "invest"}, "did you mean 'investments'?"),
    ],
)
def test_compare_names_unknown_inputs_with_a_suggestion(kwargs: dict, hint: str) -> None:
    with pytest.raises(cs.ChinaAIStatsError, match=hint.replace("?", r"\?")) as err:
        cs.compare(**kwargs)
    assert "chinaai_stats." not in str(err.value)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"entities": ["WeChat"], "currency": "XYZ"}, cs.UnitError, "currency 'XYZ' is not one of"),
        ({"entities": ["WeChat"], "currency": "usd"}, cs.UnitError, "currency 'usd' is not one of"),
        ({"entities": []}, cs.ChinaAIStatsError, "entities is empty"),
        ({"entities": "WeChat", "indicator": []}, cs.ChinaAIStatsError, "indicator is empty"),
    ],
)
def test_compare_refuses_arguments_it_cannot_honour(kwargs: dict, error, message: str) -> None:
    with pytest.raises(error, match=message):
        cs.compare(**kwargs)


@pytest.mark.parametrize("currency", ["HKD", "EUR", "GBP", "JPY", "TWD"])
def test_compare_aligns_money_on_any_supported_currency(currency: str) -> None:
    df = cs.compare("SenseTime", table="investments", currency=currency)
    assert set(df["unit_aligned"]) == {currency} and df["value_aligned"].notna().all()


def test_compare_in_new_taiwan_dollars_uses_the_fred_rate() -> None:
    df = cs.compare("SenseTime", table="investments", currency="TWD")
    usd = cs.compare("SenseTime", table="investments", currency="USD").set_index("id")
    rates = cs.load("exchange_rates").query("quote == 'TWD' and frequency == 'year'")
    by_year = rates.set_index("period")["rate"]
    for row in df.itertuples():
        year = str(row.as_of)[:4]
        want = usd.loc[row.id, "value_aligned"] * by_year[year]
        assert row.value_aligned == pytest.approx(want, rel=1e-9), row.id
    r = run_cli("compare", "SenseTime", "--table", "investments", "--currency", "TWD")
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("name", ["WeChat", "wechat", "Weixin", "微信", " 微信及WeChat "])
def test_compare_takes_any_name_of_an_entity(name: str) -> None:
    got = cs.compare([name], indicator="monthly_active_users")
    assert set(got["entity"]) == {"WeChat"}
    assert len(got) == len(cs.compare(["WeChat"], indicator="monthly_active_users"))


def test_forecasts_targets_and_plans_stay_out_of_comparisons_unless_asked() -> None:
    f = cs.facts().set_index("id")
    kept = cs.compare(["Tianjin"], table="investments")
    assert not kept["kind"].isin(["forecast", "target", "plan"]).any()
    every = cs.compare(["Tianjin"], table="investments", include_forecasts=True)
    plans = every[every["kind"] == "plan"]
    assert len(plans) == (f.query("entity == 'Tianjin' and kind == 'plan'").shape[0]) > 0
    assert plans["warnings"].str.contains("not a count").all()
    named = cs.compare(["Tianjin"], indicator="planned_fund")  # named: kept
    assert (named["kind"] == "plan").any()


def test_conflicts_never_pair_an_aim_with_a_count() -> None:
    f = cs.facts().set_index("id")
    for ids in cs.conflicts()["ids"]:
        a, b = (f.loc[i, "kind"] for i in ids.split(", "))
        aimed = {"forecast", "target", "plan"}
        counted = {"measurement", "estimate"}
        assert not ((a in aimed and b in counted) or (b in aimed and a in counted)), ids

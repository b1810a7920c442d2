"""The entities table and looking entities up under any of their names."""

from __future__ import annotations

import pytest

import chinaai_stats as cs
from chinaai_stats.analysis.facts import FACT_TABLES
from chinaai_stats.tables import entities
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("WeChat", "WeChat"),
        ("weixin", "WeChat"),
        ("微信", "WeChat"),
        ("  微信及WeChat ", "WeChat"),
        ("腾讯", "Tencent"),
        ("騰訊", "Tencent"),
        ("TENCENT HOLDINGS", "Tencent"),
        ("中國", "China"),
        ("PRC", "China"),
        ("商湯科技", "SenseTime"),
    ],
)
def test_any_name_finds_the_entity(name: str, entity_id: str) -> None:
    assert cs.entity(name)["id"] == entity_id


@pytest.mark.parametrize("name", ["Atlantis", "", "   ", 3, None])
def test_an_unknown_name_is_one_clear_error(name: object) -> None:
    with pytest.raises(cs.ChinaAIStatsError) as err:
        cs.entity(name)  # type: ignore[arg-type]
    assert "\n" not in str(err.value)


def test_a_near_miss_names_the_closest() -> None:
    with pytest.raises(cs.ChinaAIStatsError, match="did you mean 'WeChat'"):
        cs.entity("Wechatt")


def test_no_name_stands_for_two_entities() -> None:
    _, names = entities._table()
    shared = {n: ids for n, ids in names.items() if len(ids) > 1}
    assert not shared, shared


def test_every_fact_row_names_an_entity_of_the_table_with_its_type() -> None:
    table = cs.load("entities").set_index("id")
    for name in FACT_TABLES:
        df = cs.load(name)
        missing = set(df["entity"]) - set(table.index)
        assert not missing, (name, missing)
        types = table.loc[df["entity"], "type"].astype(str).to_numpy()
        assert (df["entity_type"].astype(str).to_numpy() == types).all(), name


def test_parents_are_entities() -> None:
    table = cs.load("entities")
    parents = set(table["parent"].dropna()) - {""}
    assert parents <= set(table["id"])


def test_the_entity_record_lists_names() -> None:
    e = cs.entity("WeChat")
    assert e["parent"] == "Tencent" and "Weixin" in e["aliases"] and e["name_zh"] == ["微信"]
    assert cs.entity("China")["parent"] is None


def test_the_command_line_shows_the_table() -> None:
    r = run_cli("show", "entities", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith("id,name_en,name_zh,aliases,type,parent")

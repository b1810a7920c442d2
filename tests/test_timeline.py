"""timeline() and trace(): one series over time, and the trail behind one row."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import chinaai_stats as cs
from chinaai_stats.analysis.timeline import RELATIONS
from tests.conftest import run_cli


def _csv_rows(table: str) -> list[dict[str, str]]:
    from chinaai_stats.tables import catalog

    with open(catalog.table_path(table), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ------------------------------------------------------------------ timeline


def test_wechat_timeline_has_one_row_per_quarter_with_its_source() -> None:
    t = cs.timeline("WeChat", "monthly_active_users")
    assert len(t) >= 30
    assert t["period_start"].is_monotonic_increasing and t["as_of"].is_unique
    # the oracle: the CSV's dated WeChat MAU rows, grouped by as_of
    rows = [
        r
        for r in _csv_rows("user_counts")
        if r["entity"] == "WeChat" and r["indicator"] == "monthly_active_users" and r["as_of"]
    ]
    by_period: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_period.setdefault(r["as_of"], []).append(r)
    assert set(t["as_of"]) == set(by_period)
    for rec in t.itertuples():
        group = by_period[rec.as_of]
        ids = {r["id"] for r in group}
        others = set(rec.alternatives.split(", ")) - {""}
        assert rec.id in ids and others == ids - {rec.id}
        assert rec.n_sources == len(group)
        values = [float(r["value"]) for r in group]
        assert rec.spread == pytest.approx(max(values) / min(values) - 1)
        chosen = next(r for r in group if r["id"] == rec.id)
        assert rec.source_id == chosen["source_id"] and rec.value == float(chosen["value"])


@pytest.mark.parametrize("name", ["WeChat", "微信", "Weixin", "wechat"])
def test_timeline_takes_any_name_of_the_entity(name: str) -> None:
    expected = cs.timeline("WeChat", "monthly_active_users")
    pd.testing.assert_frame_equal(cs.timeline(name, "monthly_active_users"), expected)


@pytest.mark.parametrize(
    ("entity", "indicator", "message"),
    [
        ("Wechat2", "monthly_active_users", "did you mean 'WeChat'"),
        ("WeChat", "monthly_users", "did you mean 'monthly_active_users'"),
        ("WeChat", "funding_round", "WeChat has: "),
    ],
)
def test_timeline_errors_name_near_matches(entity: str, indicator: str, message: str) -> None:
    with pytest.raises(cs.ChinaAIStatsError, match=message):
        cs.timeline(entity, indicator)
    r = run_cli("timeline", entity, indicator)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def _plant(root: Path, rows: list[dict[str, str]]) -> None:
    """Append rows to the clone's user_counts (copies of uc-0001 with the given cells)."""
    path = root / "datasets" / "user_counts.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        template = next(r for r in reader if r["id"] == "uc-0001")
    with open(path, "a", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fields, lineterminator="\n")
        for cells in rows:
            w.writerow({**template, **cells})
    subprocess.run([sys.executable, "-m", "chinaai_stats.tables.package", str(root)], check=True)


def _row(rid: str, value: str, text: str, qualifier: str, source: str) -> dict[str, str]:
    return {
        "id": rid,
        "as_of": "2012-Q4",
        "value": value,
        "value_text": text,
        "qualifier": qualifier,
        "source_id": source,
    }


# the sources' kinds and dates, from the registry: the rule reads them
ISSUER = "tencent-2018-q1-release-zh-m448"  # kind results (Tencent's own text), 2018
RELAY_EARLY = "techreview-2016-tencent-ai-lab"  # news, 2016-12-08
RELAY_LATE = "udn-2025-cnnic-genai-report"  # news, 2025-10-20 (only its kind and date matter)


@pytest.mark.parametrize(
    ("planted", "chosen"),
    [
        # the issuer's own document wins, even when a relay is exact and later
        (
            [
                _row("uc-9001", "100000000", "100 million", "exact", RELAY_LATE),
                _row("uc-9002", "101000000", "about 101 million", "approximately", ISSUER),
            ],
            "uc-9002",
        ),
        # among relays, exact before approximate
        (
            [
                _row("uc-9001", "100000000", "100 million", "exact", RELAY_EARLY),
                _row("uc-9002", "101000000", "about 101 million", "approximately", RELAY_LATE),
            ],
            "uc-9001",
        ),
        # among exact relays, the later publication (a revision) first
        (
            [
                _row("uc-9001", "100000000", "100 million", "exact", RELAY_EARLY),
                _row("uc-9002", "101000000", "101 million", "exact", RELAY_LATE),
            ],
            "uc-9002",
        ),
    ],
)
def test_timeline_chooses_by_the_documented_rule(
    data_copy: Path, planted: list[dict[str, str]], chosen: str
) -> None:
    reg = cs.sources().set_index("id")
    assert reg.loc[ISSUER, "kind"] == "results" and reg.loc[RELAY_LATE, "kind"] == "news"
    assert reg.loc[RELAY_EARLY, "published"] < reg.loc[RELAY_LATE, "published"]
    _plant(data_copy, planted)
    t = cs.timeline("WeChat", "monthly_active_users").set_index("as_of")
    rec = t.loc["2012-Q4"]
    assert rec["id"] == chosen and rec["n_sources"] == 2
    assert rec["spread"] == pytest.approx(0.01)
    assert rec["alternatives"] == ({"uc-9001", "uc-9002"} - {chosen}).pop()


def test_timeline_leaves_forecasts_out_unless_asked() -> None:
    rows = [r for r in _csv_rows("camera_counts") if r["kind"] == "forecast" and r["as_of"]]
    assert rows, "the data holds camera forecasts"
    r = rows[0]
    with_aims = cs.timeline(r["entity"], r["indicator"], include_forecasts=True)
    assert r["id"] in set(with_aims["id"]) | {
        a for alts in with_aims["alternatives"] for a in alts.split(", ")
    }
    try:
        without = cs.timeline(r["entity"], r["indicator"])
    except cs.ChinaAIStatsError:
        return  # only aims in that series: nothing is left
    assert r["id"] not in set(without["id"])


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_timeline_cli_gives_the_same_rows(fmt: str) -> None:
    expected = cs.timeline("Weixin", "monthly_active_users")
    r = run_cli("timeline", "Weixin", "monthly_active_users", "--format", fmt)
    assert r.returncode == 0, r.stderr
    if fmt == "csv":
        got = pd.read_csv(__import__("io").StringIO(r.stdout), dtype=str, keep_default_na=False)
        assert got["id"].tolist() == expected["id"].tolist()
        assert got["as_of"].tolist() == expected["as_of"].tolist()
        assert list(got.columns) == list(expected.columns)
    else:
        got = json.loads(r.stdout)
        assert [g["id"] for g in got] == expected["id"].tolist()
        assert got[0]["period_start"] == expected["period_start"].iloc[0].date().isoformat()


def test_timeline_cli_text_has_a_header_and_every_period() -> None:
    r = run_cli("timeline", "微信", "monthly_active_users", env={"COLUMNS": "200"})
    assert r.returncode == 0, r.stderr
    n = len(cs.timeline("WeChat", "monthly_active_users"))
    assert r.stdout.startswith(f"# Timeline of monthly_active_users for WeChat: {n} periods")


# ------------------------------------------------------------------ trace


def test_trace_names_source_primary_and_the_same_fact() -> None:
    t = cs.trace("uc-0001")
    assert t["row"]["id"] == "uc-0001" and t["row"]["value"] == 846e6
    assert t["source"]["id"] == "techreview-2016-tencent-ai-lab"
    assert len(t["source"]["sha256"]) == 64
    assert "Tencent" in t["primary_source"]["name"]
    same = {f["id"]: f["relation"] for f in t["same_fact"]}
    assert same.get("uc-0005") == "same figure"  # mydrivers relays the same results
    assert {d["id"] for d in t["derived"]} >= {"wechat_qq_mau_ratio"}
    json.dumps(t)  # JSON-ready


def test_every_row_traces_with_known_relations() -> None:
    ids = [r["id"] for t in ("user_counts", "investments", "context") for r in _csv_rows(t)]
    for rid in ids[::7]:  # a spread of rows across the tables
        t = cs.trace(rid)
        assert t["source"]["id"] == t["row"]["source_id"]
        assert {f["relation"] for f in t["same_fact"]} <= set(RELATIONS)
        for f in t["same_fact"]:
            assert f["source_id"] != t["row"]["source_id"]


def test_trace_unknown_id_is_a_one_line_error() -> None:
    with pytest.raises(cs.ChinaAIStatsError, match="did you mean 'uc-0001'"):
        cs.trace("uc-00001")
    r = run_cli("trace", "uc-00001")
    assert r.returncode == 2 and "did you mean 'uc-0001'" in r.stderr
    assert "Traceback" not in r.stderr


def test_trace_cli_text_and_json() -> None:
    r = run_cli("trace", "uc-0001")
    assert r.returncode == 0, r.stderr
    assert "techreview-2016-tencent-ai-lab" in r.stdout and "[same figure]" in r.stdout
    j = run_cli("trace", "uc-0001", "--format", "json")
    assert json.loads(j.stdout) == json.loads(json.dumps(cs.trace("uc-0001")))

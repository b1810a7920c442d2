"""The chinaai-stats command, run as a user runs it (a subprocess)."""

from __future__ import annotations

import csv
import io
import json

import pytest

import chinaai_stats as cs
from tests.conftest import run_cli


def test_list_prints_names_row_counts_and_titles() -> None:
    r = run_cli("list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert [line.split()[0] for line in lines] == cs.list_datasets()
    uc = next(line for line in lines if line.startswith("user_counts"))
    assert f"{len(cs.load('user_counts'))} rows" in uc
    assert "User counts" in uc


def test_show_table_has_a_citable_header_and_the_figures() -> None:
    r = run_cli("show", "user_counts")
    assert r.returncode == 0, r.stderr
    header = r.stdout.splitlines()[0]
    df = cs.load("user_counts")
    assert cs.__version__ in header and df.attrs["sha256"][:12] in header
    assert "846,000,000" in r.stdout and "846 million" in r.stdout
    assert "<NA>" not in r.stdout


@pytest.mark.parametrize("name", cs.list_datasets())
def test_show_csv_round_trips_every_table(name: str) -> None:
    r = run_cli("show", name, "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    df = cs.load(name)
    key = df.columns[0]  # id, or period for exchange_rates
    assert [row[key] for row in rows] == df[key].astype(str).tolist()
    assert list(rows[0]) == list(df.columns)


def test_show_json_gives_records_with_numbers_and_nulls() -> None:
    r = run_cli("show", "investments", "--format", "json")
    assert r.returncode == 0, r.stderr
    records = json.loads(r.stdout)
    by_id = {rec["id"]: rec for rec in records}
    assert by_id["inv-0001"]["value"] == 100e9
    assert by_id["inv-0001"]["stated_usd"] == 13.8e9
    assert by_id["inv-0002"]["stated_usd"] is None
    assert by_id["inv-0004"]["period_start"].startswith("2018-05-01")


def test_show_columns_selects_and_rejects_unknown_columns() -> None:
    r = run_cli("show", "talent", "--format", "csv", "--columns", "id,value")
    assert r.returncode == 0
    assert r.stdout.splitlines()[0] == "id,value"
    bad = run_cli("show", "talent", "--columns", "id,nope")
    assert bad.returncode == 2
    assert "nope" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize("name", ["nope", "../datasets/talent", "sources"])
@pytest.mark.parametrize("command", ["show", "describe"])
def test_unknown_name_is_one_line_exit_2(command: str, name: str) -> None:
    r = run_cli(command, name)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "user_counts" in lines[0] and repr(name) in lines[0]


def test_missing_data_folder_is_one_line_exit_2(tmp_path) -> None:
    r = run_cli("show", "talent", env={"CHINAAI_STATS_DATA": str(tmp_path)})
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "CHINAAI_STATS_DATA" in r.stderr


def test_describe_and_sources() -> None:
    r = run_cli("describe", "investments")
    assert r.returncode == 0
    assert "stated_usd" in r.stdout and "CNY, USD" in r.stdout
    s = run_cli("sources", "--format", "json")
    assert s.returncode == 0
    assert {rec["id"] for rec in json.loads(s.stdout)} == set(cs.sources()["id"])


def test_help_documents_exit_codes_and_usage_errors_exit_2() -> None:
    r = run_cli("--help")
    assert r.returncode == 0
    assert "exit codes" in r.stdout and "unusable input" in r.stdout
    bad = run_cli("show")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert run_cli("--version").stdout.strip() == f"chinaai-stats {cs.__version__}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("约1.2万亿元人民币", "value=1200000000000 unit=CNY qualifier=approximately"),
        ("over $4.5 billion", "value=4500000000 unit=USD qualifier=more_than"),
        ("nearly one in four (24 percent)", "value=0.24 unit=share qualifier=approximately"),
    ],
)
def test_parse_prints_value_unit_qualifier(text: str, expected: str) -> None:
    r = run_cli("parse", text)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == expected


def test_parse_json_and_unreadable_text() -> None:
    r = run_cli("parse", "846 million", "--format", "json")
    assert json.loads(r.stdout) == {
        "value": 846e6,
        "unit": "count",
        "qualifier": "exact",
        "text": "846 million",
    }
    bad = run_cli("parse", "5 or 6 million")
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [
        "chinaai-stats: cannot read '5 or 6 million' as a figure: "
        "two different numbers with no restatement relation ('or 6 million' left)"
    ]


def test_parse_shows_the_sources_own_conversion() -> None:
    text = "13.8 billion yuan (about 2.1 billion U.S. dollars)"
    r = run_cli("parse", text)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (
        "value=13800000000 unit=CNY qualifier=exact restated=2100000000 USD approximately"
    )
    r = run_cli("parse", text, "--format", "json")
    assert json.loads(r.stdout)["restated"] == {
        "value": 2.1e9,
        "unit": "USD",
        "qualifier": "approximately",
        "text": "about 2.1 billion U.S. dollars",
    }


def test_show_with_currency_adds_the_converted_columns() -> None:
    r = run_cli("show", "investments", "--currency", "CNY", "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["inv-0004"]["fx_basis"] == "annual mean 2018, ECB"
    assert float(rows["inv-0004"]["value_cny"]) > 600e6
    table = run_cli("show", "investments", "--currency", "USD")
    assert "value_usd" in table.stdout.splitlines()[1]
    no_money = run_cli("show", "talent", "--currency", "USD")
    assert no_money.returncode == 2 and "no money figures" in no_money.stderr


def test_conversions_command() -> None:
    r = run_cli("conversions", "--format", "json")
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)
    assert row["id"] == "inv-0001" and abs(row["implied_rate"] - 100 / 13.8) < 1e-9

"""The chinaai-stats command, run as a user runs it (a subprocess)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chinaai_stats as cs
from tests.conftest import REPO, run_cli


def test_list_prints_names_row_counts_and_titles() -> None:
    r = run_cli("list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert [line.split()[0] for line in lines] == cs.list_datasets()
    uc = next(line for line in lines if line.startswith("user_counts"))
    assert f"{len(cs.load('user_counts'))} rows" in uc
    assert "User counts" in uc


def test_show_table_has_a_citable_header_and_the_figures() -> None:
    r = run_cli("show", "user_counts", "--where", "id=uc-0001")
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
    assert by_id["inv-0004"]["period_start"] == "2018-04-01"
    assert by_id["inv-0002"]["period_start"] is None


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
    header = next(line for line in table.stdout.splitlines() if not line.startswith("#"))
    assert "value_usd" in header
    no_money = run_cli("show", "talent", "--currency", "USD")
    assert no_money.returncode == 2 and "no money figures" in no_money.stderr


def test_conversions_command() -> None:
    r = run_cli("conversions", "--format", "json")
    assert r.returncode == 0, r.stderr
    row = {rec["id"]: rec for rec in json.loads(r.stdout)}["inv-0001"]
    assert abs(row["implied_rate"] - 100 / 13.8) < 1e-9


# ------------------------------------------------------------------ fitting the terminal


@pytest.mark.parametrize(
    ("name", "width"),
    [("talent", 60), ("investments", 80), ("context", 100), ("exchange_rates", 60)],
)
def test_show_fits_the_terminal_width(name: str, width: int) -> None:
    r = run_cli("show", name, env={"COLUMNS": str(width)})
    assert r.returncode == 0, r.stderr
    too_wide = [line for line in r.stdout.splitlines() if len(line) > width]
    assert not too_wide, too_wide


def test_show_wide_prints_every_cell_in_full() -> None:
    r = run_cli("show", "talent", "--wide", env={"COLUMNS": "60"})
    assert r.returncode == 0, r.stderr
    assert "share_of_top_conference_researchers_decade" in r.stdout
    assert "techreview-2016-tencent-ai-lab" in r.stdout
    narrow = run_cli("show", "talent", env={"COLUMNS": "60"})
    assert "share_of_top_conference_researchers_decade" not in narrow.stdout
    assert "…" in narrow.stdout and "--wide" in narrow.stdout


def test_show_a_single_chosen_text_column_still_fits() -> None:
    r = run_cli("show", "investments", "--columns", "notes", env={"COLUMNS": "50"})
    assert r.returncode == 0, r.stderr
    assert max(len(line) for line in r.stdout.splitlines()) <= 50


def test_show_keeps_ids_whole_when_eliding() -> None:
    r = run_cli("show", "talent", env={"COLUMNS": "60"})
    ids = [line.split()[0] for line in r.stdout.splitlines()[2:] if line.startswith("tal-")]
    assert ids == cs.load("talent")["id"].tolist()


def test_exchange_rates_shows_annual_rows_by_default() -> None:
    r = run_cli("show", "exchange_rates")
    assert r.returncode == 0, r.stderr
    rates = cs.load("exchange_rates")
    rows = [line for line in r.stdout.splitlines() if not line.startswith(("#", "period"))]
    annual_cny = (rates["frequency"] == "year") & (rates["quote"] == "CNY")
    assert len(rows) == annual_cny.sum() < 40
    assert "--where frequency=month" in r.stdout
    full = run_cli("show", "exchange_rates", "--format", "csv")
    assert len(full.stdout.splitlines()) == len(rates) + 1


# ------------------------------------------------------------------ filters


def _rows(table: str) -> list[dict[str, str]]:
    """The shipped CSV's rows as plain strings (the oracle reads the file, not the loader)."""
    from chinaai_stats.tables import catalog

    path = catalog.table_path(table)
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _first_last(text: str) -> tuple[str, str]:
    """First and last day (ISO strings) of YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD."""
    import calendar

    year, _, rest = text.partition("-")
    y = int(year)
    if not rest:
        return f"{y}-01-01", f"{y}-12-31"
    if rest.startswith("Q"):
        q = int(rest[1])
        last = 3 * q
        return f"{y}-{last - 2:02d}-01", f"{y}-{last:02d}-{calendar.monthrange(y, last)[1]:02d}"
    if len(rest) == 2:
        m = int(rest)
        return f"{y}-{m:02d}-01", f"{y}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"
    return text, text


def _overlaps(as_of: str, start: str | None, end: str | None) -> bool:
    if not as_of:
        return False  # undated rows are left out by --from/--to
    first, last = _first_last(as_of)
    return (start is None or last >= _first_last(start)[0]) and (
        end is None or first <= _first_last(end)[1]
    )


#: (show arguments, table, which rows of the CSV they must print, in file order)
FILTER_CASES = [
    (["context", "--entity", "China"], "context", lambda r: r["entity"] == "China"),
    (
        ["context", "--entity", "Guiyang", "--indicator", "population"],
        "context",
        lambda r: r["entity"] == "Guiyang" and r["indicator"] == "population",
    ),
    (
        ["context", "--indicator", "population", "--indicator", "benchmark_rank"],
        "context",
        lambda r: r["indicator"] in ("population", "benchmark_rank"),
    ),
    (["investments", "--where", "unit=CNY"], "investments", lambda r: r["unit"] == "CNY"),
    (
        ["talent", "--where", "qualifier=more_than"],
        "talent",
        lambda r: r["qualifier"] == "more_than",
    ),
    (["talent", "--where", "value=0.24"], "talent", lambda r: float(r["value"]) == 0.24),
    (
        ["talent", "--where", "entity=China", "--where", "unit=ratio"],
        "talent",
        lambda r: r["entity"] == "China" and r["unit"] == "ratio",
    ),
    (
        ["user_counts", "--from", "2017"],
        "user_counts",
        lambda r: _overlaps(r["as_of"], "2017", None),
    ),
    (
        ["user_counts", "--to", "2015-12-31"],
        "user_counts",
        lambda r: _overlaps(r["as_of"], None, "2015-12-31"),
    ),
    (
        ["user_counts", "--from", "2016-Q3", "--to", "2016-Q3", "--entity", "QQ"],
        "user_counts",
        lambda r: r["entity"] == "QQ" and _overlaps(r["as_of"], "2016-Q3", "2016-Q3"),
    ),
    (
        ["user_counts", "--from", "2018-02", "--to", "2018"],
        "user_counts",
        lambda r: _overlaps(r["as_of"], "2018-02", "2018"),
    ),
    (["investments", "--where", "as_of="], "investments", lambda r: r["as_of"] == ""),
    (["talent", "--where", "id="], "talent", lambda r: r["id"] == ""),
]


@pytest.mark.parametrize(("args", "table", "wanted"), FILTER_CASES)
def test_show_filters(args: list[str], table: str, wanted) -> None:
    expected = [r["id"] for r in _rows(table) if wanted(r)]
    r = run_cli("show", *args, "--format", "csv", "--columns", "id")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[1:] == expected


def test_show_filter_cases_select_something() -> None:
    """The cases above are not vacuous: all but the two empty-match ones pick rows."""
    picked = [sum(map(w, _rows(t))) for _, t, w in FILTER_CASES]
    assert all(n > 0 for n in picked[:-1]) and picked[-1] == 0


def test_show_period_filter_says_how_many_undated_rows_it_left_out() -> None:
    r = run_cli("show", "camera_counts", "--from", "2016")
    assert r.returncode == 0, r.stderr
    cams = cs.load("camera_counts")  # the oracle: periods ending on or after 2016-01-01
    kept = int((cams["period_end"] >= pd.Timestamp("2016-01-01")).sum())
    undated = int(cams["as_of"].isna().sum())
    assert undated > 0 and kept < len(cams)
    assert f"{kept} of {len(cams)} rows" in r.stdout
    assert f"{undated} undated row(s) left out" in r.stdout


def test_show_period_filter_on_exchange_rates_uses_their_dates() -> None:
    r = run_cli(
        "show",
        "exchange_rates",
        "--where",
        "frequency=month",
        "--where",
        "quote=CNY",
        "--from",
        "2018-01",
        "--to",
        "2018-03",
        "--format",
        "csv",
        "--columns",
        "period",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["period", "2018-01", "2018-02", "2018-03"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "talnet"], "did you mean 'talent'?"),
        (["show", "talent", "--columns", "id,vaule"], "did you mean 'value'?"),
        (["show", "talent", "--where", "qualifer=exact"], "did you mean 'qualifier'?"),
        (["show", "context", "--indicator", "populaton"], "did you mean 'population'?"),
        (["show", "context", "--entity", "chinaa"], "did you mean 'China'?"),
        (["show", "context", "--entity", "WeChat"], "not in context"),
        (["show", "talent", "--where", "qualifier"], "is not COL=VALUE"),
        (["show", "talent", "--where", "value=many"], "holds numbers"),
        (["show", "talent", "--from", "last year"], "is not a date"),
        (["show", "indicators", "--from", "2016"], "has no dates"),
        (["compare", "Wechatt"], "did you mean 'WeChat'?"),
        (["compare", "WeChat", "--indicator", "mau"], "indicator 'mau'"),
        (["compare"], "compare needs entities, --indicator or --table"),
        (["compare", "WeChat", "--population", "China"], "add --per person"),
        (["cite", "talnet"], "did you mean 'talent'?"),
        (["shwo", "talent"], "did you mean 'show'?"),
        (["conflict"], "did you mean 'conflicts'?"),
        (["show", "talent", "--currency", "USD"], "talent holds no money figures"),
        (["compare", "China", "Tencent"], "pick one indicator"),
    ],
)
def test_mistakes_are_one_line_with_a_hint(args: list[str], message: str) -> None:
    r = run_cli(*args)
    assert r.returncode == 2, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], r.stderr
    # CLI words, not Python ones
    assert "chinaai_stats." not in r.stderr and "()" not in r.stderr and "=)" not in r.stderr
    assert not re.search(r"\b[a-z_]+= ", r.stderr), r.stderr


# ------------------------------------------------------------------ input slips


def test_columns_tolerate_spaces_after_commas() -> None:
    r = run_cli("show", "talent", "--format", "csv", "--columns", "id, value ,unit")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "id,value,unit"


def test_fx_without_currency_is_an_error_not_ignored() -> None:
    r = run_cli("show", "investments", "--fx", "stated")
    assert r.returncode == 2
    assert "--currency" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    ok = run_cli("show", "investments", "--currency", "USD", "--fx", "stated", "--format", "csv")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(ok.stdout))}
    assert float(rows["inv-0001"]["value_usd"]) == 13.8e9


def test_bare_command_prints_help_and_exits_0() -> None:
    r = run_cli()
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("usage: chinaai-stats") and "compare" in r.stdout
    assert r.stderr == ""


def test_every_subcommand_says_what_it_does_with_an_example() -> None:
    from chinaai_stats.cli import _parser

    action = next(a for a in _parser()._actions if a.dest == "command")
    for name, sub in action.choices.items():
        text = sub.format_help()
        assert len((sub.description or "").strip()) > 15, name
        examples = text.split("examples:\n", 1)[1].splitlines()
        assert examples and all(e.strip().startswith(f"chinaai-stats {name}") for e in examples)
    r = run_cli("compare", "--help")  # and as a user sees it
    assert r.returncode == 0 and "examples:\n  chinaai-stats compare WeChat QQ" in r.stdout


# ------------------------------------------------------------------ the README's examples


def _cli_guide() -> str:
    """The command-line guide's opening section (``docs/cli.md``)."""
    text = (REPO / "docs" / "cli.md").read_text("utf-8")
    return text.split("\n## ", 1)[0]


def _readme_commands() -> list[list[str]]:
    block = _cli_guide().split("```bash\n", 1)[1].split("```")[0]
    return [shlex.split(line.split("  #")[0])[1:] for line in block.splitlines() if line]


#: Commands whose help examples only read: each example is run as written.
_READ_ONLY = ("list", "show", "describe", "sources", "compare", "derived", "conflicts",
              "parse", "conversions", "cite", "template")  # fmt: skip


def _help_examples() -> list[list[str]]:
    from chinaai_stats.cli import _parser

    action = next(a for a in _parser()._actions if a.dest == "command")
    found = []
    for name in _READ_ONLY:
        lines = action.choices[name].epilog.split("examples:\n", 1)[1].splitlines()
        found += [shlex.split(line.split(" > ")[0])[1:] for line in lines if line.strip()]
    found = [args for args in found if args[:2] != ["sources", "add"]]  # writes a registry
    in_readme = _readme_commands()  # those run by test_readme_command_line_examples_run
    return [args for args in found if args not in in_readme]


@pytest.mark.parametrize("args", _help_examples(), ids=" ".join)
def test_help_examples_run(args: list[str]) -> None:
    import inspect

    r = run_cli(*args)
    if "--per" in args and "per" not in inspect.signature(cs.compare).parameters:
        assert r.returncode == 2 and "--per is not available" in r.stderr
        return
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()


# ------------------------------------------------------------------ compare, derived, conflicts


def test_compare_command_aligns_and_ratios() -> None:
    r = run_cli(
        "compare", "WeChat", "QQ", "--indicator", "monthly_active_users", "--format", "json"
    )
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    expected = cs.compare(["WeChat", "QQ"], indicator="monthly_active_users")
    assert [row["entity"] for row in rows] == list(expected["entity"])
    assert rows[0]["entity"] == "WeChat" and rows[-1]["entity"] == "QQ"
    wechat = [row["as_of"] for row in rows if row["entity"] == "WeChat"]
    starts = [_first_last(a)[0] for a in wechat]
    assert len(wechat) >= 30 and starts == sorted(starts)  # one series, in time order
    assert [row["id"] for row in rows] == list(expected["id"])
    first, last = expected["value_aligned"].iloc[0], expected["value_aligned"].iloc[-1]
    assert rows[-1]["ratio_to_first"] == pytest.approx(last / first)
    table = run_cli("compare", "WeChat", "QQ", "--indicator", "monthly_active_users")
    assert table.returncode == 0 and "846,000,000" in table.stdout
    assert table.stdout.startswith(f"# Comparison of {len(expected)} figures")
    assert cs.__version__ in table.stdout


def test_compare_command_warns_about_entities_without_the_indicator() -> None:
    r = run_cli("compare", "WeChat", "Alibaba", "--indicator", "monthly_active_users")
    assert r.returncode == 0, r.stderr
    assert "warning: no monthly_active_users figure for Alibaba" in r.stderr
    assert "WeChat" in r.stdout and "Alibaba" not in r.stdout.split("\n", 1)[1]


def test_compare_command_converts_money_to_the_chosen_currency() -> None:
    r = run_cli(
        "compare", "SenseTime", "--table", "investments", "--currency", "CNY", "--format", "csv"
    )
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["unit_aligned"] for row in rows} == {"CNY"}
    assert float(rows[0]["value_aligned"]) > float(rows[0]["value"])  # USD -> CNY


def test_compare_command_refuses_money_with_people() -> None:
    r = run_cli("compare", "China", "Tencent")
    assert r.returncode == 2 and "different dimensions" in r.stderr


def test_compare_per_person_is_wired_or_clearly_unavailable() -> None:
    import inspect

    args = ["compare", "WeChat", "--indicator", "monthly_active_users", "--per", "100"]
    r = run_cli(*args, "--population", "China", "--format", "csv")
    if "per" in inspect.signature(cs.compare).parameters:
        assert r.returncode == 0, r.stderr
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
        assert {row["unit_aligned"] for row in rows.values()} == {"per 100 people"}
        # 846 million accounts on China's 2016 population (World Bank: 1,387.79 million)
        assert float(rows["uc-0001"]["value_aligned"]) == pytest.approx(846 / 1387.79 * 100)
    else:
        assert r.returncode == 2 and "--per is not available" in r.stderr


def test_derived_and_conflicts_commands() -> None:
    d = run_cli("derived", "--format", "csv")
    assert d.returncode == 0, d.stderr
    ids = [row["id"] for row in csv.DictReader(io.StringIO(d.stdout))]
    assert ids == cs.derived()["id"].tolist()
    c = run_cli("conflicts", "--format", "json")
    assert c.returncode == 0, c.stderr
    pairs = {rec["ids"]: rec["kind"] for rec in json.loads(c.stdout)}
    assert pairs["ctx-0001, ctx-0002"] == "update over time"
    assert pairs["inv-0003, inv-0012"] == "rounding"
    table = run_cli("conflicts", env={"COLUMNS": "80"})
    assert table.returncode == 0 and "population" in table.stdout
    assert max(len(line) for line in table.stdout.splitlines()) <= 80


@pytest.mark.parametrize("args", _readme_commands(), ids=" ".join)
def test_readme_command_line_examples_run(args: list[str], tmp_path) -> None:
    args = [str(tmp_path) if a == "~/texts" else a for a in args]  # a folder must exist
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    assert r.stdout and "Traceback" not in r.stderr


def test_readme_shows_the_real_output_of_compare() -> None:
    block = _cli_guide().split("```text\n", 1)[1].split("```")[0]
    command, expected = block.split("\n", 1)
    env, _, cmd = command.removeprefix("$ ").partition(" ")
    key, value = env.split("=")
    r = run_cli(*shlex.split(cmd)[1:], env={key: value})
    assert r.returncode == 0, r.stderr
    assert r.stdout == expected


# ------------------------------------------------------------------ the text table itself

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    max_size=60,
)


@given(
    cells=st.lists(st.tuples(_text, _text, st.floats(allow_nan=True, width=32)), max_size=8),
    width=st.integers(min_value=40, max_value=160),
)
@settings(max_examples=150, deadline=None)
def test_text_tables_fit_any_width_and_never_cut_numbers(cells, width) -> None:
    import math

    import pandas as pd

    from chinaai_stats.cli._common import _width, format_table

    df = pd.DataFrame(
        {
            "id": [f"r-{i}" for i in range(len(cells))],
            "name": pd.array([c[0] for c in cells], dtype="string"),
            "value": pd.array([c[2] for c in cells], dtype="float64"),
            "notes": pd.array([c[1] for c in cells], dtype="string"),
        }
    )
    out = format_table(df, width)
    lines = out.splitlines()
    assert all(_width(line) <= width for line in lines), out
    assert len(lines) >= len(df) + 1
    body = "\n".join(lines[1 : len(df) + 1])
    for i, v in enumerate(df["value"]):
        assert f"r-{i}" in body
        if not math.isnan(v):
            text = f"{v:,.0f}" if v.is_integer() and abs(v) < 1e18 else f"{v:,.6g}"
            assert text in body


# ------------------------------------------------------------------ failures, for scripts too


#: (arguments, what the one-line error says): bad arguments and unusable input, exit 2.
USAGE_ERRORS = [
    (["validate", "x.csv"], "the following arguments are required: --table"),
    (["validate", "x.csv", "--table", "talent", "--limit", "abc"], "invalid int value: 'abc'"),
    (["show", "talent", "--colums", "id"], "unrecognized arguments: --colums id"),
    (["show", "talent", "--format", "yaml"], "invalid choice: 'yaml'"),
    (["sources", "check", "--texts", "/nonexistent/texts"], "/nonexistent/texts: no such folder"),
    (["validate", "-", "--table", "talent", "--texts", "README.md"], "is a file, not a folder"),
    (["add", "x.csv", "--table", "talent", "--texts", "/nonexistent/t"], "no such folder"),
]


#: Arguments each valid alone that contradict each other: exit 2 instead of an empty result.
CONTRADICTIONS = [
    (["show", "talent", "--from", "2019", "--to", "2017"], "--from 2019 is after --to 2017"),
    (
        ["show", "user_counts", "--from", "2016-Q4", "--to", "2016-09"],
        "--from 2016-Q4 is after --to 2016-09",
    ),
    (["rates-check", "--from", "2020", "--to", "2010"], "--from 2020 is after --to 2010"),
]


def test_extract_refuses_a_publication_date_in_the_future(tmp_path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Sales rose to 846 million last year.\n", encoding="utf-8")
    r = run_cli("extract", str(article), "--published", "2999-01-01")
    assert r.returncode == 2 and r.stdout == ""
    assert "--published 2999-01-01 is in the future" in r.stderr


@pytest.mark.parametrize(("args", "message"), CONTRADICTIONS)
def test_contradictory_arguments_are_one_line_exit_2(args: list[str], message: str) -> None:
    r = run_cli(*args)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [f"chinaai-stats: error: {message}; swap them"]


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS)
def test_bad_arguments_are_one_line_exit_2(args: list[str], message: str) -> None:
    r = run_cli(*args, cwd=REPO)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "--help" in lines[0], r.stderr


#: Failures of commands that print JSON: with --format json, stdout is one JSON object.
JSON_FAILURES = [
    (["parse", "xyz"], 1, "cannot read 'xyz' as a figure"),
    (["show", "talnet"], 2, "did you mean 'talent'?"),
    (["compare", "Nobody"], 2, "no figures for entity 'Nobody'"),
    (["show", "talent", "--where", "foo"], 2, "is not COL=VALUE"),
    (["derived", "--columns", "nope"], 2, "unknown column 'nope'"),
    (["validate", "x.csv"], 2, "required: --table"),
    (["show", "talent", "--limit", "3"], 2, "unrecognized arguments"),
    (["sources", "check", "--texts", "/nonexistent/texts"], 2, "no such folder"),
]


@pytest.mark.parametrize(("args", "code", "message"), JSON_FAILURES)
@pytest.mark.parametrize("spelling", [["--format", "json"], ["--format=json"]])
def test_json_output_is_a_json_object_on_failure_too(args, code, message, spelling) -> None:
    r = run_cli(*args, *spelling)
    assert r.returncode == code, r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] is False and doc["exit_code"] == code and message in doc["error"]
    assert message in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("columns", ["1", "5", "20", "39"])
def test_a_tiny_terminal_width_still_prints_words_not_letters(columns: str) -> None:
    r = run_cli("show", "talent", env={"COLUMNS": columns})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"# AI talent (talent): {len(cs.load('talent'))} rows")
    assert all(len(line) <= 40 for line in lines if line.startswith("#"))
    assert "tal-0001" in r.stdout


def test_ctrl_c_is_exit_130_with_one_line_and_no_leftovers(tmp_path) -> None:
    import signal
    import subprocess
    import sys
    import time

    target = tmp_path / "x.xlsx"
    cmd = [sys.executable, "-m", "chinaai_stats", "export", "--format", "xlsx", "--out"]
    proc = subprocess.Popen([*cmd, str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size for p in tmp_path.glob(".x.xlsx.*")):  # writing the sheets
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    assert proc.stderr.read().decode().strip().splitlines() == ["chinaai-stats: interrupted"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "columns"),
    [
        (["show", "investments"], ["period_start", "period_end"]),
        (["show", "exchange_rates", "--where", "frequency=month"], ["first_date", "last_date"]),
        (["show", "investments", "--currency", "CNY"], ["period_start", "period_end"]),
        (["compare", "WeChat", "--indicator", "monthly_active_users", "--columns",
          "id,as_of"], []),
    ],
)  # fmt: skip
def test_json_dates_are_calendar_dates_not_timestamps(args: list[str], columns: list[str]) -> None:
    r = run_cli(*args, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert "T00:00:00" not in r.stdout
    for rec in json.loads(r.stdout):
        for c in columns:
            assert rec[c] is None or re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", rec[c]), rec


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_column_named_twice_is_shown_once(fmt: str) -> None:
    r = run_cli("show", "talent", "--columns", "id, value,id", "--format", fmt)
    assert r.returncode == 0, r.stderr
    if fmt == "json":
        assert list(json.loads(r.stdout)[0]) == ["id", "value"]
    elif fmt == "csv":
        assert r.stdout.splitlines()[0] == "id,value"
    else:
        assert r.stdout.splitlines()[1].split() == ["id", "value"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args", [["list"], ["show", "talent", "--format", "json"], ["cite", "talent"]]
)
def test_a_full_disk_on_stdout_is_one_line_exit_2_not_a_bug(args: list[str]) -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", "chinaai_stats", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().splitlines() == [
        "chinaai-stats: error: cannot write the output (No space left on device); "
        "free some space or write elsewhere"
    ]


@pytest.mark.parametrize("name", ["WeChat", "weixin", "微信"])
def test_show_finds_an_entity_under_any_of_its_names(name: str) -> None:
    r = run_cli("show", "user_counts", "--entity", name, "--format", "csv")
    assert r.returncode == 0, r.stderr
    entities = {line.split(",")[1] for line in r.stdout.splitlines()[1:] if line}
    assert entities == {"WeChat"}


def test_show_prints_every_column_of_a_table_that_is_not_a_fact_table() -> None:
    r = run_cli("show", "entities", env={"COLUMNS": "200"})
    assert r.returncode == 0, r.stderr
    header = r.stdout.splitlines()[1].split()
    assert header[:3] == ["id", "name_en", "name_zh"] and "parent" in header

"""validate: every problem at once, with line, column and fix; exit codes for unusable input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chinaai_stats as cs
from chinaai_stats.contributing.validation import InputFileError
from chinaai_stats.tables import catalog
from tests.conftest import run_cli

HEADER = catalog.resource("talent")["schema"]["fields"]
COLUMNS = [f["name"] for f in HEADER]
GOOD = {
    "id": "tal-9100",
    "entity": "Tencent AI Lab",
    "entity_type": "organization",
    "indicator": "ai_lab_researchers",
    "value": "120",
    "unit": "count",
    "qualifier": "approximately",
    "value_text": "about 120",
    "as_of": "2018-06",
    "as_of_basis": "stated",
    "kind": "measurement",
    "target_period": "",
    "source_id": "anant90-china-ai-dominance-2018",
    "locator": "p18",
    "primary_source": "",
    "primary_source_url": "",
    "notes": "A made-up row used by the tests.",
}


def write_rows(path: Path, rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


@pytest.mark.parametrize("name", cs.list_datasets())
def test_every_shipped_table_is_valid_as_file_and_as_frame(name: str) -> None:
    assert cs.validate(catalog.table_path(name), table=name).ok
    report = cs.validate(cs.load(name), table=name)
    assert report.ok, report.to_text()


# (changes to a good row, column the message must name, check)
BAD_ROWS = [
    ({"id": "talent-1"}, "id", "pattern"),
    ({"entity": ""}, "entity", "required"),
    ({"entity_type": "planet"}, "entity_type", "enum"),
    ({"indicator": "population"}, "indicator", "enum"),
    ({"value": "lots"}, "value", "type"),
    ({"value": "-3"}, "value", "minimum"),
    ({"value": "inf"}, "value", "finite"),
    ({"value": "121"}, "value", "value-text"),
    ({"unit": "USD"}, "unit", "enum"),
    ({"unit": "share", "value": "0.5", "value_text": "half"}, "unit", "unit-for-indicator"),
    ({"qualifier": "exact"}, "qualifier", "value-text"),
    ({"value_text": "5 or 6"}, "value_text", "parse"),
    ({"as_of": "2018-13"}, "as_of", "pattern"),
    ({"as_of": "2018-02-30"}, "as_of", "date"),
    ({"as_of": "2099"}, "as_of", "future"),
    ({"as_of": "2018-09"}, "as_of", "after-publication"),
    ({"as_of": "", "as_of_basis": "stated"}, "as_of_basis", "as-of-basis"),
    ({"as_of_basis": "unknown"}, "as_of_basis", "as-of-basis"),
    ({"source_id": "no-such-source"}, "source_id", "foreign-key"),
    ({"locator": "line 5"}, "locator", "pattern"),
    ({"primary_source_url": "ftp://example.org"}, "primary_source_url", "web-address"),
    ({"primary_source_url": "example.org/page"}, "primary_source_url", "format"),
    ({"value": " 120"}, "value", "plain-number"),
    ({"value": "1_2_0"}, "value", "plain-number"),
    ({"value": "1e400"}, "value", "finite"),
    ({"value": "NaN"}, "value", "finite"),
    ({"value": "-Infinity"}, "value", "finite"),
    ({"notes": '=HYPERLINK("http://x")'}, "notes", "formula"),
    ({"entity": "@SUM(A1)"}, "entity", "formula"),
    ({"notes": "x" * 2001}, "notes", "max-length"),
    ({"notes": "x" * 10_001}, "notes", "max-length"),
    ({"primary_source": "x" * 301}, "primary_source", "max-length"),
    ({"kind": ""}, "kind", "required"),
    ({"kind": "guess"}, "kind", "enum"),
    ({"kind": "forecast"}, "target_period", "target-period"),
    ({"kind": "plan"}, "target_period", "target-period"),
    ({"target_period": "2020"}, "target_period", "target-period"),
    ({"kind": "forecast", "target_period": "2017"}, "target_period", "target-period"),
    ({"kind": "target", "target_period": "2020-02-30"}, "target_period", "date"),
    ({"kind": "forecast", "target_period": "2020-13"}, "target_period", "pattern"),
    ({"entity": "Atlantis Lab"}, "entity", "foreign-key"),
    ({"entity_type": "company"}, "entity_type", "entity-type"),
    ({"locator": "p18\n"}, "locator", "trailing-line-break"),  # last: it spans two lines
]


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "forecast", "target_period": "2020"},
        {"kind": "target", "target_period": "2018-Q4"},
        {"kind": "plan", "target_period": "2022-12-31"},
        {"kind": "plan", "notes": "The announcement gives no horizon for the fund."},
        {"kind": "claim"},
        {"kind": "estimate"},
        {"value_text": "120", "qualifier": "approximately"},  # a round figure read as about
        {"entity": "WeChat", "entity_type": "product", "indicator": "ai_lab_researchers"},
    ],
)
def test_rows_of_every_kind_pass(tmp_path, changes) -> None:
    report = cs.validate(write_rows(tmp_path / "r.csv", [row(**changes)]), table="talent")
    assert report.ok, report.to_text()


def test_a_row_is_never_less_cautious_than_its_words(tmp_path) -> None:
    report = cs.validate(
        write_rows(tmp_path / "r.csv", [row(value_text="over 120", qualifier="approximately")]),
        table="talent",
    )
    assert list(report.errors["check"]) == ["value-text"]


@pytest.mark.parametrize(("changes", "column", "check"), BAD_ROWS)
def test_bad_row_is_reported_with_line_column_and_hint(tmp_path, changes, column, check) -> None:
    path = write_rows(tmp_path / "rows.csv", [GOOD, row(**{"id": "tal-9101", **changes})])
    report = cs.validate(path, table="talent")
    assert not report.ok
    hit = report.errors[(report.errors["column"] == column) & (report.errors["check"] == check)]
    assert len(hit) == 1, report.to_text()
    assert hit["line"].iloc[0] == 3
    assert hit["message"].iloc[0] and hit["hint"].iloc[0]
    assert set(report.errors["line"]) == {3}, "the good row on line 2 has no error"


def test_every_bad_row_and_every_check_is_reported_at_once(tmp_path) -> None:
    rows = [
        row(**{"id": f"tal-{200 + i:04d}", **changes}) for i, (changes, _, _) in enumerate(BAD_ROWS)
    ]
    report = cs.validate(write_rows(tmp_path / "rows.csv", rows), table="talent")
    found = set(
        zip(report.errors["line"], report.errors["column"], report.errors["check"], strict=True)
    )
    for i, (_, column, check) in enumerate(BAD_ROWS):
        assert (i + 2, column, check) in found, (column, check)


def test_one_bad_number_does_not_hide_range_checks_on_other_rows(tmp_path) -> None:
    rows = [row(id="tal-0300", value="lots"), row(id="tal-0301", value="-5", value_text="about 5")]
    report = cs.validate(write_rows(tmp_path / "r.csv", rows), table="talent")
    checks = set(zip(report.errors["line"], report.errors["check"], strict=True))
    assert (2, "type") in checks and (3, "minimum") in checks


def test_duplicate_ids_and_duplicate_facts(tmp_path) -> None:
    rows = [GOOD, row(value="130", value_text="about 130"), row(id="tal-9102")]
    report = cs.validate(write_rows(tmp_path / "r.csv", rows), table="talent")
    unique = report.errors[report.errors["check"] == "unique"]
    assert unique["line"].tolist() == [3], "the first occurrence is not an error"
    assert "first on line 2" in unique["message"].iloc[0]
    dups = report.warnings[report.warnings["check"] == "duplicate-fact"]
    assert sorted(dups["line"]) == [2, 3, 4]


def test_existing_ids_are_taken(tmp_path) -> None:
    report = cs.validate(
        write_rows(tmp_path / "r.csv", [GOOD]), table="talent", existing_ids={"tal-9100"}
    )
    assert report.errors["check"].tolist() == ["id-exists"]


def test_header_problems_name_the_columns(tmp_path) -> None:
    columns = [c for c in COLUMNS if c not in ("unit", "notes")] + ["colour", "entity"]
    path = tmp_path / "r.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        w.writerow([GOOD.get(c, "blue") for c in columns])
    report = cs.validate(path, table="talent")
    header = report.errors[report.errors["line"] == 1]
    assert set(zip(header["column"], header["check"], strict=True)) == {
        ("unit", "missing-column"),
        ("notes", "missing-column"),
        ("colour", "unknown-column"),
        ("entity", "duplicate-column"),
    }
    assert "(required)" in header.set_index("column").loc["unit", "message"]


def test_ragged_rows_are_reported_with_their_lines(tmp_path) -> None:
    good = ",".join(f'"{GOOD[c]}"' for c in COLUMNS)
    text = (
        ",".join(COLUMNS)
        + "\n"
        + good
        + "\ntal-0999,short\n"
        + good.replace("tal-9100", "tal-9101")
        + ",extra\n"
        + good.replace("tal-9100", "tal-9102")
        + "\n"
    )
    path = tmp_path / "r.csv"
    path.write_text(text, "utf-8")
    report = cs.validate(path, table="talent")
    ragged = report.errors[report.errors["check"] == "ragged-row"]
    assert sorted(ragged["line"]) == [3, 4]
    assert report.rows == 2
    assert set(report.errors["line"]) == {3, 4}


def test_line_numbers_count_line_breaks_inside_cells(tmp_path) -> None:
    rows = [row(notes="two\nlines"), row(id="tal-9101", entity="")]
    report = cs.validate(write_rows(tmp_path / "r.csv", rows), table="talent")
    assert report.errors["line"].tolist() == [4]


def test_bom_is_accepted(tmp_path) -> None:
    path = write_rows(tmp_path / "r.csv", [GOOD])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert cs.validate(path, table="talent").ok


def test_a_multi_megabyte_cell_is_reported_not_hung(tmp_path) -> None:
    path = write_rows(tmp_path / "r.csv", [row(notes="y" * 3_000_000), row(id="tal-9101")])
    report = cs.validate(path, table="talent")
    (line,) = report.errors["line"]
    assert line == 2
    assert len(report.errors["value"].iloc[0]) < 120
    assert "3,000,000 characters" in report.errors["value"].iloc[0]


def test_stated_usd_warning_reports_the_implied_rate(tmp_path) -> None:
    inv = cs.load("investments")
    rows = inv.astype(object).where(inv.notna(), "").astype(str)
    rows.loc[0, "as_of"] = "2018"
    rows.loc[0, "as_of_basis"] = "stated"
    rows.loc[0, "source_id"] = "anant90-china-ai-dominance-2018"
    cols = [f["name"] for f in catalog.resource("investments")["schema"]["fields"]]
    path = tmp_path / "inv.csv"
    rows[cols].iloc[[0]].to_csv(path, index=False)
    report = cs.validate(path, table="investments", new_rows=False)
    assert report.ok  # a warning, not an error
    (warning,) = report.warnings.itertuples()
    assert warning.column == "stated_usd" and "7.2464 CNY per USD" in warning.message
    assert "2018" in warning.message


def test_validate_never_writes(data_copy) -> None:
    path = write_rows(data_copy / "r.csv", [GOOD, row(value="x")])

    def snapshot() -> dict:
        return {
            p: (p.read_bytes(), p.stat().st_mtime_ns) for p in data_copy.rglob("*") if p.is_file()
        }

    before = snapshot()
    cs.validate(path, table="talent")
    r = run_cli(
        "validate", str(path), "--table", "talent", env={"CHINAAI_STATS_DATA": str(data_copy)}
    )
    assert r.returncode == 1
    assert snapshot() == before


# ---- unusable input: exit 2 with a one-line message naming the problem ----

UNUSABLE = [
    ("missing", None, "no such file"),
    ("directory", "DIR", "is a directory"),
    ("empty", b"", "is empty"),
    ("blank", b"\n\n  \n", "is empty"),
    ("binary", b"id,entity\n\x00\x01\x02", "binary"),
    ("latin-1", "id,entity\ntal-0001,Zürich\n".encode("latin-1"), "not UTF-8"),
    ("json", b'{"id": "tal-0001"}\n', "does not look like a CSV"),
    ("prose", b"Dear maintainers, here are my rows.\n", "does not look like a CSV"),
]


@pytest.mark.parametrize(("case", "content", "needle"), UNUSABLE, ids=[u[0] for u in UNUSABLE])
def test_unusable_input_exit_2(tmp_path, case, content, needle) -> None:
    path = tmp_path / "input.csv"
    if content == "DIR":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(InputFileError, match=needle):
        cs.validate(path, table="talent")
    r = run_cli("validate", str(path), "--table", "talent")
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in r.stderr


def test_unknown_table_exit_2(tmp_path) -> None:
    path = write_rows(tmp_path / "r.csv", [GOOD])
    r = run_cli("validate", str(path), "--table", "talents")
    assert r.returncode == 2 and "no dataset named 'talents'" in r.stderr


# ---- the CLI ----


def test_cli_valid_file_exit_0_and_invalid_exit_1(tmp_path) -> None:
    good = write_rows(tmp_path / "good.csv", [GOOD])
    r = run_cli("validate", str(good), "--table", "talent")
    assert r.returncode == 0 and "valid for table talent: 1 rows, 0 errors" in r.stdout
    bad = write_rows(tmp_path / "bad.csv", [GOOD, row(id="tal-9101", unit="kg", value="x")])
    r = run_cli("validate", str(bad), "--table", "talent")
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert any(line.startswith(f"{bad}:3: error: unit:") for line in lines)
    assert any(line.startswith(f"{bad}:3: error: value:") for line in lines)
    assert "Traceback" not in r.stderr


def test_cli_json_report(tmp_path) -> None:
    bad = write_rows(tmp_path / "bad.csv", [row(entity_type="planet")])
    r = run_cli("validate", str(bad), "--table", "talent", "--format", "json")
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["ok"] is False and doc["rows"] == 1
    assert doc["errors"] == [
        {
            "line": 2,
            "column": "entity_type",
            "check": "enum",
            "value": "planet",
            "message": "entity_type is not one of the allowed values",
            "hint": "use one of: country, city, company, product, organization, fund, region",
        }
    ]


def test_shipped_table_validates_exit_0() -> None:
    r = run_cli("validate", str(catalog.table_path("investments")), "--table", "investments")
    assert r.returncode == 0, r.stdout


# ---- properties: nothing crashes ----


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_random_bytes_give_a_report_or_an_input_error(tmp_path, data: bytes) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    try:
        report = cs.validate(path, table="talent")
    except InputFileError:
        return
    assert isinstance(report.ok, bool)


cell = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=st.lists(st.sampled_from([*COLUMNS, "other"]), min_size=1, max_size=17),
    rows=st.lists(st.lists(cell, max_size=18), max_size=6),
)
def test_random_csv_gives_a_report_or_an_input_error(tmp_path, header, rows) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path = tmp_path / "random.csv"
    path.write_text(buf.getvalue(), "utf-8")
    try:
        report = cs.validate(path, table="talent")
    except InputFileError:
        return
    assert report.rows <= len(rows)
    assert (report.errors["line"] >= 1).all()


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_cli_random_bytes_never_traceback(tmp_path, data: bytes) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    r = run_cli("validate", str(path), "--table", "talent")
    assert r.returncode in (0, 1, 2)
    assert "Traceback" not in r.stderr


def test_large_files_report_progress(data_copy, tmp_path, monkeypatch) -> None:
    from chinaai_stats.contributing import validation

    calls: list[str] = []
    monkeypatch.setattr(validation.core, "print_progress", calls.append)
    rows = [row(id=f"tal-{i:07d}", entity=f"Lab {i}") for i in range(100_001)]
    with open(data_copy / "datasets" / "entities.csv", "a", encoding="utf-8") as f:
        f.writelines(f"Lab {i},Lab {i},,,organization,,\n" for i in range(100_001))
    assert cs.validate(write_rows(tmp_path / "big.csv", rows), table="talent").ok
    big = tmp_path / "big.csv"
    assert calls == [
        f"{big}: reading {big.stat().st_size / 2**20:,.0f} MiB…",
        f"{big}: checking 100,001 rows…",
    ]
    calls.clear()
    cs.validate(write_rows(tmp_path / "small.csv", rows[:10]), table="talent")
    assert calls == []


@pytest.mark.parametrize("tty", [True, False])
def test_progress_is_written_to_a_terminal_only(monkeypatch, tty: bool) -> None:
    import io as _io

    from chinaai_stats.contributing import validation

    fake = _io.StringIO()
    fake.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr(validation.core.sys, "stderr", fake)
    validation.print_progress("checking 1 rows…")
    assert fake.getvalue() == ("checking 1 rows…\n" if tty else "")


def test_parallel_column_checks_report_exactly_what_sequential_checks_do(
    tmp_path, monkeypatch
) -> None:
    from chinaai_stats.contributing import validation

    rows = []
    for i in range(3_000):
        changes = {}
        if i % 7 == 0:
            changes["value"] = "lots"
        if i % 11 == 0:
            changes["entity_type"] = "planet"
        if i % 13 == 0:
            changes["as_of"] = "2099"
        rows.append(row(**{"id": f"tal-{i:07d}", "entity": f"Lab {i % 50}", **changes}))
    path = write_rows(tmp_path / "mixed.csv", rows)
    monkeypatch.setattr(validation.columns, "PARALLEL_ROWS", 1)
    parallel = [cs.validate(path, table="talent").to_json() for _ in range(3)]
    monkeypatch.setattr(validation.columns, "PARALLEL_ROWS", 10**9)
    sequential = cs.validate(path, table="talent").to_json()
    assert parallel == [sequential] * 3
    assert json.loads(sequential)["errors"]


@pytest.mark.parametrize("data", [123, None, [["id"], ["tal-0001"]], b"id\n"])
def test_validate_names_what_it_takes_when_given_something_else(data) -> None:
    with pytest.raises(InputFileError, match="takes a pandas DataFrame or the path of a CSV"):
        cs.validate(data, "talent")


def test_dollar_conversions_are_checked_against_the_yuan_rate() -> None:
    """The annual rate is USD to CNY, not the last currency of the year in the file.

    Against the yen, every yuan conversion was some 94% off; against the yuan, a source's
    own conversion is off by a few percent at most (made on another day, or rounded).
    """
    report = cs.validate(catalog.table_path("investments"), table="investments", new_rows=False)
    fx = report.warnings[report.warnings["check"] == "fx-tolerance"]["message"]
    off = [abs(float(m)) for m in fx.str.extract(r"\(([-+]?[0-9.]+)%\)")[0]]
    assert all(o < 10 for o in off), report.to_text()
    assert all("CNY per USD" in m for m in fx)


# ------------------------------------------------------------------ a dataset's bare cells

_INV = [f["name"] for f in catalog.resource("investments")["schema"]["fields"]]


def _dataset_clone(data_copy: Path, tmp_path: Path, kind: str) -> Path:
    from chinaai_stats.contributing.registry import add_source

    text = tmp_path / "series.csv.txt"
    text.write_text("Entity,Year,Investment (US dollars)\nChina,2016,5102962786\n", "utf-8")
    add_source(text, id="a-series", title="A series", publisher="P", published="2025-01-01",
               kind=kind, caveats="A data file.", root=data_copy)  # fmt: skip
    return data_copy


@pytest.mark.parametrize(
    ("kind", "value_text", "unit", "value", "ok"),
    [
        ("dataset", "5102962786", "USD", "5102962786", True),  # the unit is the column's
        ("dataset", "5102962786", "USD", "5102962000", False),  # the value is still the cell's
        ("dataset", "5.1 billion", "CNY", "5100000000", False),  # words state their own unit
        ("news", "5102962786", "USD", "5102962786", False),  # prose: a bare number is a count
    ],
)
def test_a_bare_number_from_a_dataset_takes_the_unit_of_its_column(
    data_copy: Path, tmp_path: Path, kind: str, value_text: str, unit: str, value: str, ok: bool
) -> None:
    root = _dataset_clone(data_copy, tmp_path, kind)
    row = {c: "" for c in _INV} | {
        "id": "inv-9000", "entity": "China", "entity_type": "country",
        "indicator": "ai_private_investment_ai_index", "value": value, "unit": unit,
        "qualifier": "exact", "value_text": value_text, "as_of": "2016",
        "as_of_basis": "stated", "kind": "estimate", "source_id": "a-series", "locator": "p2",
    }  # fmt: skip
    path = tmp_path / "rows.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=_INV)
        w.writeheader()
        w.writerow(row)
    report = cs.validate(path, table="investments", texts=[tmp_path])
    assert report.ok is ok, report.errors.to_string()
    assert root == data_copy


@pytest.mark.parametrize(
    ("second", "duplicate"),
    [
        ({"id": "tal-9101", "value": "130", "value_text": "130"}, True),  # one fact twice
        (  # made the same year, aimed at another: not the same fact
            {"id": "tal-9101", "value": "130", "value_text": "130", "kind": "forecast",
             "target_period": "2025", "notes": "A forecast for 2025, not a count."},
            False,
        ),
    ],
)  # fmt: skip
def test_a_forecast_is_not_the_count_of_the_year_it_was_made(tmp_path, second, duplicate) -> None:
    report = cs.validate(write_rows(tmp_path / "r.csv", [GOOD, row(**second)]), table="talent")
    assert report.ok, report.errors.to_string()
    assert ("duplicate-fact" in set(report.warnings["check"])) is duplicate

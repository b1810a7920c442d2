"""validate held to Frictionless, the reference implementation of Table Schema.

Mutated copies of the shipped tables (types, ranges, enums, patterns, dates,
integers, blanks, blank lines between rows) are validated by both. Every row
Frictionless rejects must be rejected by ``validate``; every row only ``validate``
rejects must be rejected by checks named in ``EXTRA_CHECKS`` (or by a foreign key
whose value is truly missing from the table it refers to: the reference run here
reads one resource, without the codebook and the registry).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chinaai_stats as cs
from chinaai_stats.contributing.validation import EXTRA_CHECKS, SCHEMA_CHECKS
from chinaai_stats.tables import catalog
from tests.conftest import REPO

frictionless = pytest.importorskip("frictionless")

TABLES = ["talent", "investments", "exchange_rates", "indicators", "user_counts"]

NUMBERS = ["255.0", "255.", "2.55e2", "1e400", "-1e400", "inf", "Infinity", "-inf", "NaN",
           " 12", "12 ", "1_000", "١٢", "+5", "-0", "-1", "0x10", "1,000", "1e-400",
           "-1e-400", "12abc", ".5", "5.", "1E5", "0", "3"]  # fmt: skip
DATES = ["2006-02-30", "2016-04-31", "0000-01-01", "2016-02-29", "2015-02-29", "2016-4-5",
         "20160405", "2016-04-05 ", "2016-04-05T00:00", "9999-12-31", "2016-13-01",
         "2016-04- 5", "2019-01-01"]  # fmt: skip
BOOLEANS = ["true", "false", "True", "FALSE", "1", "0", "yes", "t", " true"]
TEXTS = ["", " ", "x", "=SUM(A1)", "-5", "@x", "x" * 81, "x" * 201, "x" * 1001, "tal-0001\n",
         "uc-0001", "inv-12", "p3", "p0", "p3\n", "2016-Q3", "2016-Q5", "2016-02", "about 5",
         "count", "share", "CNY", "organization", "Organization", "stated", "approximately",
         "http://example.org", "ftp://example.org", "example.org", "mailto:a@b",
         "year", "month", "USD"]  # fmt: skip
cell_text = st.text(
    # no CR: csv.writer with "\n" lines leaves a lone CR unquoted, which readers split differently
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r"),
    max_size=6,
)


def shipped(table: str) -> tuple[list[str], list[list[str]]]:
    path = REPO / "datasets" / f"{table}.csv"  # the checkout's, not a test's clone
    with open(path, encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def fields(table: str) -> dict[str, dict]:
    return {f["name"]: f for f in catalog.resource(table)["schema"]["fields"]}


@st.composite
def mutated(draw, table: str | None = None) -> tuple[str, str]:
    """A shipped table with some cells replaced and blank lines inserted, as CSV text."""
    table = table or draw(st.sampled_from(TABLES))
    header, rows = shipped(table)
    rows = [list(r) for r in draw(st.lists(st.sampled_from(rows), min_size=1, max_size=6))]
    spec = fields(table)
    typed = [h for h in header if spec[h].get("type", "string") != "string"]
    for _ in range(draw(st.integers(0, 6))):
        r = draw(st.integers(0, len(rows) - 1))
        name = draw(st.sampled_from(typed if typed and draw(st.booleans()) else header))
        c = header.index(name)
        kind = spec[name].get("type", "string")
        pool = {"number": NUMBERS, "integer": NUMBERS, "date": DATES, "boolean": BOOLEANS}
        rows[r][c] = draw(st.one_of(st.sampled_from(pool.get(kind, TEXTS)), cell_text))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    lines = []
    for row in rows:
        w.writerow(row)
        lines.append(buf.getvalue())
        buf.seek(0)
        buf.truncate()
    for _ in range(draw(st.integers(0, 2))):  # blank lines between (or after) rows
        lines.insert(draw(st.integers(1, len(lines))), "\n")
    return table, "".join(lines)


def reference_errors(path: Path, table: str, by_name: bool = False) -> tuple[set[int], list[str]]:
    """Frictionless' verdict: lines of the rows it rejects, and its errors without a row.

    ``by_name`` matches columns to fields by name, as validate does, not by position.
    """
    schema = dict(catalog.resource(table)["schema"])
    schema.pop("foreignKeys", None)
    if by_name:
        schema["fieldsMatch"] = "subset"  # Table Schema v2: match columns to fields by name
    resource = frictionless.Resource(
        path=path.name, basepath=str(path.parent), schema=frictionless.Schema(schema)
    )
    report = resource.validate(limit_errors=10_000)
    starts = record_lines(path.read_text("utf-8"))
    rows, other = set(), []
    for error in report.tasks[0].errors:
        number = getattr(error, "row_number", None)
        if number:
            rows.add(starts[number])
        else:
            other.append(error.type)
    return rows, other


def record_lines(text: str) -> dict[int, int]:
    """Frictionless' row number (header = 1, blank lines counted) -> the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out, start = {}, 1
    for number, _ in enumerate(reader, start=1):
        out[number] = start
        start = reader.line_num + 1
    return out


def referenced(check_column: str) -> set[str]:
    if check_column == "indicator":
        return set(cs.load("indicators")["id"])
    return {r["id"] for r in catalog.registry_rows()}


def distinct_key(table: str, row: list[str], header: list[str], i: int) -> None:
    """Give row ``i`` its own id (or primary key), so rows do not collide with each other."""
    if table == "exchange_rates":
        row[header.index("period")] = f"{1000 + i}"
        row[header.index("frequency")] = "year"
    elif table == "indicators":
        row[header.index("id")] = f"x{i}"
    else:
        prefix = row[0].split("-")[0]
        row[0] = f"{prefix}-{9000 + i}"


def assert_held_to_reference(path: Path, table: str, text: str, by_name: bool = False) -> None:
    """Frictionless' rejected rows are rejected too; the other rejections are extra checks."""
    try:
        theirs, header_errors = reference_errors(path, table, by_name)
    except Exception:  # the reference cannot read the header at all (repeated labels)
        return
    report = cs.validate(path, table=table, new_rows=False)
    errors = report.errors
    ours = set(errors["line"]) - {1}
    missed = sorted(theirs - ours)
    lines = text.splitlines()
    assert not missed, f"Frictionless rejects {[lines[m - 1] for m in missed[:5]]}"
    if header_errors:
        assert (errors["line"] == 1).any(), header_errors
    for line in sorted(ours - theirs):
        at = errors[errors["line"] == line]
        for check, column, value in zip(at["check"], at["column"], at["value"], strict=True):
            if check == "foreign-key":
                assert value not in referenced(column)
                continue
            assert check in EXTRA_CHECKS, (
                f"line {line}: {check} on {column}={value!r} is not an extra check, yet "
                f"Frictionless accepts the row {lines[line - 1]!r}"
            )


@pytest.mark.parametrize("table", TABLES)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_row_frictionless_rejects_is_rejected_and_extras_are_named(
    tmp_path, table, data
) -> None:
    table, text = data.draw(mutated(table))
    path = tmp_path / f"{table}.csv"
    path.write_text(text, "utf-8")
    assert_held_to_reference(path, table, text)


@pytest.mark.parametrize("table", TABLES)
def test_each_mutation_alone_gets_the_reference_verdict(tmp_path, table) -> None:
    """Every value of the pools in every field, one changed cell per row."""
    header, rows = shipped(table)
    spec = fields(table)
    pool = {"number": NUMBERS, "integer": NUMBERS, "date": DATES, "boolean": BOOLEANS}
    out = []
    for name in header:
        for value in pool.get(spec[name].get("type", "string"), TEXTS):
            row = list(rows[0])
            distinct_key(table, row, header, len(out))
            row[header.index(name)] = value
            out.append(row)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(out)
    path = tmp_path / f"{table}.csv"
    path.write_text(buf.getvalue(), "utf-8")
    assert_held_to_reference(path, table, buf.getvalue())


# each change: the header as (label written, column whose cells go under it)
HEADERS = {
    "reversed": lambda h: [(c, c) for c in h[::-1]],
    "required dropped": lambda h: [(c, c) for c in h if c != "entity"],
    "optional dropped": lambda h: [(c, c) for c in h if c != "notes"],
    "renamed": lambda h: [("colour" if c == "notes" else c, c) for c in h],
    "repeated": lambda h: [*((c, c) for c in h), ("entity", "entity")],
    "upper case": lambda h: [(c.upper() if c == "id" else c, c) for c in h],
}


@pytest.mark.parametrize("change", list(HEADERS))
def test_header_changes_get_the_reference_verdict(tmp_path, change) -> None:
    """Columns are matched by name: Frictionless with fieldsMatch "subset" is the reference."""
    header, rows = shipped("talent")
    new = HEADERS[change](header)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([label for label, _ in new])
    w.writerows([[r[header.index(src)] for _, src in new] for r in rows])
    path = tmp_path / "talent.csv"
    path.write_text(buf.getvalue(), "utf-8")
    report = cs.validate(path, table="talent", new_rows=False)
    header_errors = report.errors[report.errors["line"] == 1]
    try:
        labels = reference_errors(path, "talent", by_name=True)[1]
    except Exception as exc:  # Frictionless refuses the header outright (repeated labels)
        labels = [str(exc)]
    if labels:
        assert len(header_errors), (change, labels)
    if change == "reversed":
        assert report.ok, report.to_text()
    else:
        assert len(header_errors), change
    assert_held_to_reference(path, "talent", buf.getvalue(), by_name=True)


def test_every_check_is_named_once() -> None:
    assert not set(SCHEMA_CHECKS) & set(EXTRA_CHECKS)


# ---- the same verdict for a file and for a frame of the same cells ----

CELLS = [
    ("exchange_rates", "days", "255.0", "type"),
    ("exchange_rates", "days", "255.", "type"),
    ("exchange_rates", "days", "2.55e2", "type"),
    ("exchange_rates", "days", "1e400", "type"),
    ("exchange_rates", "days", " 31", "plain-number"),
    ("exchange_rates", "rate", "1e400", "finite"),
    ("exchange_rates", "rate", "Infinity", "finite"),
    ("exchange_rates", "rate", "NaN", "finite"),
    ("exchange_rates", "rate", "1_000", "plain-number"),
    ("exchange_rates", "first_date", "2006-02-30", "type"),
    ("exchange_rates", "first_date", "2016-04-31", "type"),
    ("exchange_rates", "first_date", "0000-01-01", "type"),
    ("exchange_rates", "first_date", "2016-4-1", "iso-date"),
    ("exchange_rates", "complete", "yes", "type"),
]


@pytest.mark.parametrize(("table", "column", "cell", "check"), CELLS)
def test_file_and_frame_give_one_verdict(tmp_path, table, column, cell, check) -> None:
    header, rows = shipped(table)
    row = dict(zip(header, rows[0], strict=True)) | {column: cell}
    frame = pd.DataFrame([row], dtype="string")
    path = tmp_path / "rows.csv"
    frame.to_csv(path, index=False)
    for data in (path, frame):
        report = cs.validate(data, table=table, new_rows=False)
        found = set(zip(report.errors["column"], report.errors["check"], strict=True))
        assert found == {(column, check)}, (type(data), report.to_text())


@pytest.mark.parametrize(
    ("value", "ok"), [(31.0, True), (31.5, False), (float("inf"), False), (1e400, False)]
)
def test_a_typed_frame_is_read_as_its_numbers(value: float, ok: bool) -> None:
    frame = cs.load("exchange_rates").head(1).astype({"days": "float64"})
    frame.loc[frame.index[0], "days"] = value
    assert cs.validate(frame, table="exchange_rates").ok is ok


# ---- load() reads every file validate accepts ----


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=mutated())
def test_load_reads_every_file_validate_accepts(data_copy, case) -> None:
    table, text = case
    target = data_copy / "datasets" / catalog.resource(table)["path"]
    shutil.copy(REPO / "datasets" / target.name, target)  # examples share the clone
    candidate = data_copy / "candidate.csv"
    candidate.write_text(text, "utf-8")
    if not cs.validate(candidate, table=table, new_rows=False).ok:
        return
    target.write_text(text, "utf-8")
    df = cs.load(table)
    assert len(df) == cs.validate(target, table=table).rows

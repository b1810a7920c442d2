"""pandera schemas derived from the Table Schemas agree with the data and with validate."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest

import chinaai_stats as cs


@pytest.mark.parametrize("name", cs.list_datasets())
def test_every_table_passes_its_pandera_schema(name: str) -> None:
    df = cs.load(name)
    assert len(cs.pandera_schema(name).validate(df, lazy=True)) == len(df)


def test_every_field_of_the_table_schema_is_a_column() -> None:
    schema = cs.pandera_schema("investments")
    fields = cs.describe("investments")["field"].tolist()
    assert [c for c in schema.columns if c not in ("period_start", "period_end")] == fields


@pytest.mark.parametrize(
    ("column", "bad"),
    [
        ("value", -1.0),
        ("locator", "line 3"),
        ("as_of", "2018-13"),
        ("id", "uc-1"),
        ("primary_source_url", "ftp://x"),
    ],
)
def test_pandera_and_validate_reject_the_same_cell(column: str, bad) -> None:
    df = cs.load("user_counts")
    df[column] = df[column].astype(object)
    df.loc[1, column] = bad
    df[column] = df[column].astype(cs.load("user_counts")[column].dtype)
    with pytest.raises(pandera.errors.SchemaErrors) as info:
        cs.pandera_schema("user_counts").validate(df, lazy=True)
    failed = info.value.failure_cases
    assert column in set(failed["column"])
    report = cs.validate(df, table="user_counts")
    assert column in set(report.errors["column"])
    assert 3 in set(report.errors.loc[report.errors["column"] == column, "line"])


def test_strict_schema_rejects_unknown_columns() -> None:
    df = cs.load("talent").assign(colour="blue")
    with pytest.raises(pandera.errors.SchemaErrors):
        cs.pandera_schema("talent").validate(df, lazy=True)
    assert isinstance(df, pd.DataFrame)

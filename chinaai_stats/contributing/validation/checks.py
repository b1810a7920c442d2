"""The name of every check ``validate`` reports, and whether Table Schema defines it.

``SCHEMA_CHECKS`` are the rules a Table Schema states (the ones Frictionless, the
reference implementation, also enforces): a row they reject is rejected by
Frictionless too. ``EXTRA_CHECKS`` go beyond Table Schema: stricter spellings that
keep the CSV files plain, checks across fields and tables, and checks against the
rows already in a table. The ``check`` column of a report holds one of these names.
"""

from __future__ import annotations

#: Checks a Table Schema states (or that a CSV reader must make to read rows at all).
SCHEMA_CHECKS: dict[str, str] = {
    "type": "the cell is not a value of the field's type (number, integer, date, boolean)",
    "required": "a required cell is empty",
    "enum": "the cell is not one of the allowed values",
    "pattern": "the cell does not match the field's pattern",
    "minimum": "a number below the field's minimum",
    "maximum": "a number above the field's maximum",
    "min-length": "a cell shorter than the field's minLength",
    "max-length": "a cell longer than the field's maxLength",
    "format": "a cell that is not a URI where the field's format is uri",
    "unique": "a value repeated in a unique field",
    "primary-key": "a primary key repeated",
    "foreign-key": "a value missing from the table a foreign key refers to",
    "missing-column": "a field of the schema has no column",
    "unknown-column": "a column that is not a field of the schema",
    "duplicate-column": "a column named twice in the header",
    "ragged-row": "a row with more or fewer cells than the header",
    "blank-row": "an empty line between rows",
}

#: Checks beyond Table Schema, each with what it asks for.
EXTRA_CHECKS: dict[str, str] = {
    "plain-number": "numbers written with ASCII digits only: no spaces, underscores or "
    "other scripts' digits (Table Schema readers accept ' 12' and '1_000')",
    "finite": "numbers are finite: no NaN, infinity, or a figure too large for a double",
    "iso-date": "dates written YYYY-MM-DD with two-digit month and day",
    "trailing-line-break": "a cell of a field with a pattern ends with a line break (Python's "
    "regular expressions, which Frictionless uses, let $ match before it)",
    "web-address": "addresses start with http:// or https://",
    "cell-length": "a cell in a field without maxLength is longer than 10,000 characters",
    "formula": "a text cell starts like a spreadsheet formula (=, +, -, @ or a control character)",
    "bidi": "a text cell holds a bidirectional control (U+202A-202E, U+2066-2069) that "
    "reorders how it is shown",
    "parse": "value_text cannot be read as a figure",
    "value-text": (
        "value, unit or qualifier differ from what value_text reads as (a bare number from a "
        "source of kind dataset takes its unit from its column: its unit is not compared)"
    ),
    "unit-for-indicator": "the unit does not fit the indicator's dimension",
    "indicator-table": "the indicator belongs to another table",
    "share": "a share above 1",
    "date": "as_of is not a real calendar date",
    "future": "as_of is in the future",
    "after-publication": "as_of is after the source's publication date",
    "as-of-basis": "as_of and as_of_basis disagree",
    "stated-usd": "stated_usd and stated_usd_text disagree",
    "fx-tolerance": "a source's dollar conversion is far from the year's exchange rate",
    "duplicate-fact": "the same fact twice in the file",
    "target-period": "target_period is given for exactly the forecasts, targets and plans, "
    "and does not end before as_of",
    "entity-type": "entity_type is the entities table's type for the entity",
    "id-exists": "an id already used in the table",
    "fact-exists": "a fact the table already holds under another id",
    "no-rows": "a header without rows",
    "source-text": "value_text or stated_usd_text is not on the locator's line of the source "
    "text (found by SHA-256 in --texts or $CHINAAI_STATS_SOURCES), or the locator is not "
    "a line of it",
    "source-text-missing": "a registered source the rows cite has no text in the folders "
    "searched (a warning)",
}


def is_extra(check: str) -> bool:
    """Is ``check`` a check beyond Table Schema?

    >>> is_extra("finite"), is_extra("type")
    (True, False)
    """
    return check in EXTRA_CHECKS

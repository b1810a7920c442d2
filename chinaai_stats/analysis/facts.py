"""The fact tables in one frame, and the warnings a row carries when set beside another.

Shared by :mod:`.compare`, :mod:`.derived` and :mod:`.conflicts`: every result names the
rows it uses and says when a comparison is apples to oranges (dates far apart or unknown,
different indicator definitions, approximate or bounded figures, no primary source).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..tables.loader import load

FACT_TABLES = ("user_counts", "investments", "talent", "camera_counts", "context")
#: Kinds of row that aim at a period (``target_period``): not counts of what happened.
AIMED_KINDS = ("forecast", "target", "plan")
QUALIFIER_WARNINGS = {
    "approximately": "approximate figure",
    "more_than": "a lower bound (more than)",
    "at_least": "a lower bound (at least)",
    "less_than": "an upper bound (less than)",
    "at_most": "an upper bound (at most)",
}


def facts() -> pd.DataFrame:
    """All fact tables in one frame, with ``table`` and the indicator's ``dimension``."""
    codebook = load("indicators").set_index("id")
    frames = []
    for name in FACT_TABLES:
        df = load(name)
        df = df.astype(
            {
                c: "string"
                for c in ("entity_type", "indicator", "unit", "qualifier", "as_of_basis", "kind")
            }
        )
        frames.append(df.assign(table=name))
    out = pd.concat(frames, ignore_index=True)
    out["dimension"] = out["indicator"].map(codebook["dimension"].astype("string"))
    return out


def row_warnings(row: Any, first: Any) -> list[str]:
    notes = []
    if row.kind in AIMED_KINDS:
        aim = row.target_period if isinstance(row.target_period, str) else "no stated period"
        notes.append(f"a {row.kind} for {aim}, not a count")
    elif row.kind == "claim":
        notes.append("a claim: stated with no document behind it, or unconfirmed")
    if row.qualifier in QUALIFIER_WARNINGS:
        notes.append(QUALIFIER_WARNINGS[row.qualifier])
    if pd.isna(row.primary_source) or not str(row.primary_source):
        notes.append("no primary source named")
    if first is None or row.Index == first.Index:
        if pd.isna(row.period_start):
            notes.append("undated")
        return notes
    if row.indicator != first.indicator:
        notes.append(f"different indicator: {row.indicator} vs {first.indicator}")
    if pd.isna(row.period_start) or pd.isna(first.period_start):
        notes.append("undated: cannot tell how far apart the dates are")
    elif abs((row.period_start - first.period_start).days) > 366:
        notes.append(f"as_of more than a year apart ({row.as_of} vs {first.as_of})")
    return notes

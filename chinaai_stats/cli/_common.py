"""What every command module shares: exit codes and printing a table."""

from __future__ import annotations

import sys
from typing import Any

from ..errors import ChinaAIStatsError

EXIT_OK = 0
EXIT_INVALID = 1  # invalid content: rows that fail validation, text that is not a figure
EXIT_UNUSABLE = 2
EXIT_BUG = 3  # an unexpected failure inside chinaai-stats: please report it


def emit(df: Any, fmt: str, columns: list[str] | None, header: str) -> None:
    """Print a DataFrame as a readable table (with a header line), CSV or JSON."""
    import pandas as pd

    if columns:
        unknown = [c for c in columns if c not in df.columns]
        if unknown:
            raise ChinaAIStatsError(
                f"unknown column(s) {', '.join(unknown)}; available: {', '.join(df.columns)}"
            )
        df = df[columns]
    if fmt == "csv":
        sys.stdout.write(df.to_csv(index=False, date_format="%Y-%m-%d"))
    elif fmt == "json":
        sys.stdout.write(
            df.to_json(orient="records", force_ascii=False, date_format="iso", indent=2)
        )
        sys.stdout.write("\n")
    else:
        print(header)
        text_cols = df.select_dtypes(include=["string", "category", "boolean"]).columns
        df = df.astype({c: object for c in text_cols})
        df[text_cols] = df[text_cols].fillna("")
        with pd.option_context("display.max_colwidth", 40, "display.width", 200):
            print(df.to_string(index=False, na_rep="", float_format=lambda v: f"{v:,.15g}"))

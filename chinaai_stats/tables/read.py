"""Read a table's CSV file into a DataFrame typed by its Table Schema.

The step below :mod:`chinaai_stats.tables.loader` (which adds periods, provenance and
currency columns): the currency conversion reads its rates through here, so loading and
converting do not import each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..core.errors import DataFileError


def csv_dtypes(schema: dict[str, Any]) -> dict[str, Any]:
    """Map Table Schema fields to the pandas dtypes ``read_csv`` should produce."""
    out: dict[str, Any] = {}
    for field in schema["fields"]:
        enum = field.get("constraints", {}).get("enum")
        ftype = field.get("type", "string")
        if enum is not None:
            out[field["name"]] = pd.CategoricalDtype(enum)
        elif ftype == "number":
            out[field["name"]] = "float64"
        elif ftype == "integer":
            out[field["name"]] = "Int64"
        elif ftype == "boolean":
            out[field["name"]] = "boolean"
        else:  # string, date (converted after reading), anything else kept as text
            out[field["name"]] = "string"
    return out


def read_csv(path: Path, schema: dict[str, Any]) -> pd.DataFrame:
    """Read one CSV file into a DataFrame typed by its Table Schema (dates as datetime64)."""
    dtypes = csv_dtypes(schema)
    try:
        df = pd.read_csv(
            path,
            dtype=dtypes,
            keep_default_na=False,
            na_values=schema.get("missingValues", [""]),
            encoding="utf-8",
        )
    except FileNotFoundError:
        raise DataFileError(
            f"{path}: data file missing; restore it (in a clone: git checkout -- {path.name}), "
            "or reinstall chinaai-stats"
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: does not match its schema ({exc})") from None
    expected = [f["name"] for f in schema["fields"]]
    if list(df.columns) != expected:
        raise DataFileError(
            f"{path}: columns {list(df.columns)} differ from the schema's {expected}"
        )
    for field in schema["fields"]:
        if field.get("type") == "date":
            df[field["name"]] = pd.to_datetime(df[field["name"]], format="%Y-%m-%d").astype(
                "datetime64[ms]"
            )
    return df

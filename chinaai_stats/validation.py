"""Validate rows against a table's Table Schema and the checks a schema cannot express.

Every failing row and check is reported at once, with the file's line number
(the header is line 1), the column, the offending value, what is wrong and how to
fix it. Validation never writes anything.

The field checks are driven by the Table Schemas in ``schemas/`` (types, required,
unique, enum, pattern, minimum/maximum, lengths, primary key), the same schemas
Frictionless reads, so there is no second copy of the rules. They run vectorised
over the whole file; every distinct ``value_text`` is parsed once.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import catalog
from .errors import ChinaAIStatsError, QuantityParseError
from .units import DIMENSION_UNITS

#: Longest cell accepted in any column without its own maxLength.
MAX_CELL = 10_000
#: A source's own dollar conversion further than this from the dated rate is a warning.
FX_TOLERANCE = 0.05
#: Columns a loaded frame carries that are computed, not stored.
DERIVED_COLUMNS = ("period_start", "period_end", "value_usd", "value_cny", "fx_rate", "fx_basis")
REPORT_COLUMNS = ["line", "column", "check", "value", "message", "hint"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class InputFileError(ChinaAIStatsError, OSError):
    """The input cannot be read as a CSV file at all (exit code 2)."""


@dataclass
class ValidationReport:
    """Every problem found in one file or frame.

    ``errors`` and ``warnings`` are DataFrames with the columns ``line`` (line in
    the file, header = 1; for a frame, the line it would have in a CSV),
    ``column``, ``check``, ``value``, ``message`` and ``hint``. ``ok`` is True
    when there is no error (warnings do not fail a file).
    """

    table: str
    source: str
    rows: int
    errors: pd.DataFrame
    warnings: pd.DataFrame
    frame: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.errors.empty

    def summary(self) -> str:
        verdict = "valid" if self.ok else "invalid"
        return (
            f"{self.source}: {verdict} for table {self.table}: {self.rows} rows, "
            f"{len(self.errors)} errors, {len(self.warnings)} warnings"
        )

    def to_text(self, limit: int | None = None) -> str:
        """One line per problem: ``SOURCE:LINE: column: message (hint)``, then a summary."""
        lines = []
        for kind, df in (("error", self.errors), ("warning", self.warnings)):
            shown = df if limit is None else df.head(limit)
            for r in shown.itertuples(index=False):
                hint = f" (fix: {r.hint})" if r.hint else ""
                lines.append(f"{self.source}:{r.line}: {kind}: {r.column}: {r.message}{hint}")
            if limit is not None and len(df) > limit:
                lines.append(f"... and {len(df) - limit} more {kind}s")
        lines.append(self.summary())
        return "\n".join(lines)

    def to_json(self) -> str:
        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [
                {
                    k: (int(v) if k == "line" else v)
                    for k, v in zip(REPORT_COLUMNS, row, strict=True)
                }
                for row in df[REPORT_COLUMNS].itertuples(index=False)
            ]

        return json.dumps(
            {
                "source": self.source,
                "table": self.table,
                "rows": self.rows,
                "ok": self.ok,
                "errors": records(self.errors),
                "warnings": records(self.warnings),
            },
            ensure_ascii=False,
            indent=2,
        )


class _Collector:
    """Gathers problems as (row positions, column, check, values, message, hint) batches."""

    def __init__(self, lines: pd.Series) -> None:
        self.lines = lines  # file line of each row position
        self.parts: dict[str, list[pd.DataFrame]] = {"error": [], "warning": []}

    def add(
        self,
        mask: pd.Series | Any,
        column: str,
        check: str,
        values: pd.Series | None,
        message: str | pd.Series,
        hint: str | pd.Series,
        kind: str = "error",
    ) -> None:
        mask = pd.Series(mask).fillna(False).astype(bool).to_numpy()
        if not mask.any():
            return
        idx = mask.nonzero()[0]
        vals = (
            values.iloc[idx].astype("object").map(_short).to_numpy()
            if values is not None
            else [""] * len(idx)
        )
        msg = message.iloc[idx].to_numpy() if isinstance(message, pd.Series) else message
        hint = hint.iloc[idx].to_numpy() if isinstance(hint, pd.Series) else hint
        self.parts[kind].append(
            pd.DataFrame(
                {
                    "line": self.lines.iloc[idx].to_numpy(),
                    "column": column,
                    "check": check,
                    "value": vals,
                    "message": msg,
                    "hint": hint,
                }
            )
        )

    def at_line(
        self,
        line: int,
        column: str,
        check: str,
        value: str,
        message: str,
        hint: str,
        kind: str = "error",
    ) -> None:
        self.parts[kind].append(
            pd.DataFrame(
                [[line, column, check, _short(value), message, hint]], columns=REPORT_COLUMNS
            )
        )

    def frame(self, kind: str) -> pd.DataFrame:
        parts = self.parts[kind]
        if not parts:
            return pd.DataFrame(
                {c: pd.Series(dtype="int64" if c == "line" else "string") for c in REPORT_COLUMNS}
            )
        df = pd.concat(parts, ignore_index=True)
        df = df.sort_values(["line", "column"], kind="stable", ignore_index=True)
        return df.astype(
            {
                "line": "int64",
                "column": "string",
                "check": "string",
                "value": "string",
                "message": "string",
                "hint": "string",
            }
        )


def _short(value: Any, limit: int = 80) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    text = str(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text):,} characters)"


# ------------------------------------------------------------------ reading


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if path.is_dir():
        raise InputFileError(f"{path}: is a directory, not a CSV file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputFileError(f"{path}: is empty; a CSV file needs at least a header line")
    if b"\x00" in data:
        raise InputFileError(f"{path}: holds binary content (NUL bytes), not CSV text")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputFileError(
            f"{path}: is not UTF-8 text (line {line}, byte {exc.start}); save it as UTF-8"
        ) from None
    return data.removeprefix(b"\xef\xbb\xbf")


def _header(data: bytes, path: Path) -> list[str]:
    first = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    try:
        return next(csv.reader([first]))
    except (csv.Error, StopIteration):
        raise InputFileError(f"{path}: the first line is not a CSV header") from None


def _read_csv(data: bytes, header: list[str]) -> tuple[pd.DataFrame, list[tuple[int, int]]]:
    """Read every cell as text; return the frame and (line, fields) of ragged rows."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    ragged: list[str] = []

    def on_invalid(row: Any) -> str:
        ragged.append(row.text)
        return "skip"

    names = [f"{i}:{h}" for i, h in enumerate(header)]  # unique even if the header repeats
    block = 1 << 22
    while True:
        try:
            table = pacsv.read_csv(
                io.BytesIO(data),
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=block),
                parse_options=pacsv.ParseOptions(
                    invalid_row_handler=on_invalid, newlines_in_values=True
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            break
        except pa.ArrowInvalid as exc:
            if "straddle" in str(exc) and block < len(data) + 1:
                block = len(data) + 1  # one cell larger than a block: read in one piece
                ragged.clear()
                continue
            raise InputFileError(f"cannot parse as CSV: {str(exc).splitlines()[0]}") from None
    df = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    df.columns = header
    if not ragged:
        return df, []
    # rare path: find the line numbers of ragged rows and of the rows kept
    bad, keep_lines = [], []
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    next(reader, None)
    start = reader.line_num + 1
    for row in reader:
        if row == []:  # blank line: pyarrow skips it too
            start = reader.line_num + 1
            continue
        if len(row) != len(header):
            bad.append((start, len(row)))
        else:
            keep_lines.append(start)
        start = reader.line_num + 1
    if len(keep_lines) == len(df):
        df.index = pd.Index([line - 2 for line in keep_lines])
    return df, bad


def _lines(df: pd.DataFrame) -> pd.Series:
    """File line of each row: header is line 1; cells with line breaks shift what follows."""
    base = pd.Series(df.index.to_numpy() + 2, index=df.index)
    if df.empty or not isinstance(df.index, pd.RangeIndex):
        return base.reset_index(drop=True)
    breaks = sum(
        (df[c].str.count("\n").fillna(0).astype("int64") for c in df.columns),
        start=pd.Series(0, index=df.index),
    )
    if breaks.any():
        base = base + breaks.cumsum().shift(fill_value=0)
    return base.reset_index(drop=True)


def _frame_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(s):
            text = s.map(lambda v: "" if pd.isna(v) else repr(float(v)), na_action=None)
        else:
            text = s.astype("object").map(
                lambda v: (
                    ""
                    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
                    else str(v)
                )
            )
        out[col] = text.astype(pd.StringDtype("pyarrow")).fillna("")
    return pd.DataFrame(out).reset_index(drop=True)


# ------------------------------------------------------------------ checks


def _field_checks(df: pd.DataFrame, schema: dict[str, Any], c: _Collector) -> dict[str, pd.Series]:
    """Checks a Table Schema states; return the numeric columns, parsed."""
    numbers: dict[str, pd.Series] = {}
    for f in schema["fields"]:
        name = f["name"]
        if name not in df.columns:
            continue
        s = df[name]
        cons = f.get("constraints", {})
        empty = s == ""
        ftype = f.get("type", "string")
        if cons.get("required"):
            c.add(
                empty,
                name,
                "required",
                s,
                f"{name} is required",
                f"fill in {name}: {f.get('description', '')}".strip(),
            )
        present = ~empty
        if ftype in ("number", "integer"):
            num = pd.to_numeric(s.where(present, None), errors="coerce").astype("float64")
            bad_type = present & num.isna()
            c.add(
                bad_type,
                name,
                "type",
                s,
                f"{name} is not a number",
                "write a plain number: digits, optional decimal point, no magnitude words "
                "or separators (846000000, not 846 million)",
            )
            values = num.to_numpy(dtype="float64", na_value=np.nan)
            finite = pd.Series(np.isfinite(values) | np.isnan(values), index=num.index)
            c.add(
                present & ~bad_type & ~finite,
                name,
                "finite",
                s,
                f"{name} is not finite",
                "write a finite number",
            )
            if ftype == "integer":
                frac = present & ~bad_type & finite & (num % 1 != 0)
                c.add(frac, name, "type", s, f"{name} is not a whole number", "drop the decimals")
            ok = present & ~bad_type & finite
            if "minimum" in cons:
                c.add(
                    ok & (num < cons["minimum"]),
                    name,
                    "minimum",
                    s,
                    f"{name} is below {cons['minimum']}",
                    f"{name} must be >= {cons['minimum']}",
                )
            if "maximum" in cons:
                c.add(
                    ok & (num > cons["maximum"]),
                    name,
                    "maximum",
                    s,
                    f"{name} is above {cons['maximum']}",
                    f"{name} must be <= {cons['maximum']}",
                )
            numbers[name] = num.where(ok)
        elif ftype == "date":
            parsed = pd.to_datetime(s.where(present, None), format="%Y-%m-%d", errors="coerce")
            c.add(
                present & parsed.isna(),
                name,
                "type",
                s,
                f"{name} is not a real date",
                "write YYYY-MM-DD",
            )
        elif ftype == "boolean":
            c.add(
                present & ~s.isin(["true", "false", "True", "False", "TRUE", "FALSE", "1", "0"]),
                name,
                "type",
                s,
                f"{name} is not true or false",
                "write true or false",
            )
        if "enum" in cons:
            allowed = cons["enum"]
            shown = ", ".join(allowed) if len(allowed) <= 12 else ", ".join(allowed[:12]) + ", …"
            c.add(
                present & ~s.isin(allowed),
                name,
                "enum",
                s,
                f"{name} is not one of the allowed values",
                f"use one of: {shown}",
            )
        if "pattern" in cons:
            matches = s.str.fullmatch(cons["pattern"]).fillna(False).astype(bool)
            c.add(
                present & ~matches,
                name,
                "pattern",
                s,
                f"{name} does not match the pattern {cons['pattern']}",
                _pattern_hint(name),
            )
        lengths = s.str.len()
        max_len = cons.get("maxLength", MAX_CELL)
        c.add(
            lengths > max_len,
            name,
            "max-length",
            s,
            f"{name} is longer than {max_len:,} characters",
            f"shorten {name}",
        )
        if "minLength" in cons:
            c.add(
                present & (lengths < cons["minLength"]),
                name,
                "min-length",
                s,
                f"{name} is shorter than {cons['minLength']}",
                f"lengthen {name}",
            )
        if f.get("format") == "uri":
            c.add(
                present & ~s.str.match(r"^https?://\S+$").fillna(False).astype(bool),
                name,
                "format",
                s,
                f"{name} is not a web address",
                "write a full http(s):// address",
            )
        if cons.get("unique"):
            c.add(
                present & s.duplicated(keep=False),
                name,
                "unique",
                s,
                f"{name} appears more than once",
                f"give each row its own {name}",
            )
        if ftype == "string":
            starts = s.str.slice(0, 1)
            c.add(
                starts.isin(list(_FORMULA_START)),
                name,
                "formula",
                s,
                f"{name} starts with {'/'.join(_FORMULA_START[:4])}, which spreadsheets run "
                "as a formula",
                "reword the cell so it starts with a letter, digit or quote",
            )
    key = schema.get("primaryKey", [])
    if len(key) > 1 and all(k in df.columns for k in key):
        dup = df.duplicated(subset=key, keep=False)
        c.add(
            dup,
            key[0],
            "primary-key",
            df[key[0]],
            f"the key ({', '.join(key)}) appears more than once",
            "remove the repeated row",
        )
    return numbers


def _pattern_hint(name: str) -> str:
    return {
        "as_of": "write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn (e.g. 2016-Q3), or leave it empty",
        "locator": "write pN: the N-th non-blank line of the source text (e.g. p13)",
        "id": "use the table's prefix and four digits, e.g. uc-0005",
    }.get(name, "see the schema: chinaai-stats describe TABLE")


def _as_of_bounds(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Start and end of reduced-precision ISO dates (NaT where empty or not a real date)."""
    from .loader import as_of_bounds

    bounds: dict[str, tuple[Any, Any]] = {}
    for text in s.unique():
        try:
            b = as_of_bounds(text)
        except ValueError:
            b = None
        bounds[text] = (pd.Timestamp(b[0]), pd.Timestamp(b[1])) if b else (pd.NaT, pd.NaT)
    start = pd.to_datetime(s.map(lambda t: bounds[t][0]).astype("object"))
    end = pd.to_datetime(s.map(lambda t: bounds[t][1]).astype("object"))
    return start, end


def _cross_checks(
    df: pd.DataFrame, table: str, numbers: dict[str, pd.Series], c: _Collector, root: Path
) -> None:
    """Checks across fields and tables that a Table Schema cannot state."""
    from .parse import parse_quantity

    if "value_text" not in df.columns or df.empty:
        return
    value = numbers.get("value")
    unit = df["unit"] if "unit" in df.columns else None
    qualifier = df["qualifier"] if "qualifier" in df.columns else None

    # value_text parses to the row's value, unit and qualifier (each distinct text once)
    texts = df["value_text"]
    codes, uniques = pd.factorize(texts)
    u_value = np.full(len(uniques), np.nan)
    u_unit = np.full(len(uniques), "", dtype=object)
    u_qual = np.full(len(uniques), "", dtype=object)
    u_problem = np.full(len(uniques), "", dtype=object)
    for i, text in enumerate(uniques):
        if not text:
            continue
        try:
            q = parse_quantity(text)
        except QuantityParseError as exc:
            u_problem[i] = str(exc).split(": ", 1)[-1]
            continue
        u_value[i], u_unit[i], u_qual[i] = q.value, q.unit, q.qualifier
    idx = pd.RangeIndex(len(df))
    problem = pd.Series(u_problem[codes], index=idx)
    c.add(
        problem != "",
        "value_text",
        "parse",
        texts,
        "value_text cannot be read as a figure: " + problem,
        "copy the figure expression exactly as printed, e.g. 846 million or over $4.5 billion",
    )
    p_value = pd.Series(u_value[codes], index=idx)
    p_unit = pd.Series(u_unit[codes], index=idx)
    p_qual = pd.Series(u_qual[codes], index=idx)
    ok_text = p_unit != ""
    reads = "value_text reads as " + p_value.map("{:.15g}".format) + " " + p_unit
    if value is not None:
        close = (value - p_value).abs() <= 1e-9 * value.abs().clip(lower=1)
        c.add(
            ok_text & value.notna() & ~close,
            "value",
            "value-text",
            df["value"],
            reads + "; value differs",
            "write value as the plain number value_text states, in unit",
        )
    if unit is not None:
        c.add(
            ok_text & (unit != "") & (unit != p_unit),
            "unit",
            "value-text",
            unit,
            reads + "; unit differs",
            "use the unit value_text states",
        )
    if qualifier is not None:
        c.add(
            ok_text & (qualifier != "") & (qualifier != p_qual),
            "qualifier",
            "value-text",
            qualifier,
            "value_text reads as " + p_qual + "; qualifier differs",
            "use the qualifier value_text states (about → approximately, over → more_than)",
        )

    if "stated_usd_text" in df.columns and "stated_usd" in numbers:
        _stated_usd_text_check(df, numbers["stated_usd"], c)

    desc = catalog.descriptor(root)
    codebook = _codebook(root)
    if "indicator" in df.columns:
        known = df["indicator"].isin(list(codebook))
        c.add(
            (df["indicator"] != "") & ~known,
            "indicator",
            "foreign-key",
            df["indicator"],
            "indicator is not in the indicators codebook",
            "use an id of the indicators table, or add the indicator to it first",
        )
        if unit is not None:
            dims = df["indicator"].map(lambda i: codebook.get(i, ("", ""))[1])
            allowed = dims.map(lambda d: DIMENSION_UNITS.get(d, ()))
            bad = (
                known
                & (unit != "")
                & ~pd.Series([u in a for u, a in zip(unit, allowed, strict=True)], index=df.index)
            )
            c.add(
                bad,
                "unit",
                "unit-for-indicator",
                unit,
                "unit does not fit the indicator's dimension (" + dims + ")",
                "use " + allowed.map(", ".join),
            )
        other_table = known & df["indicator"].map(lambda i: codebook.get(i, ("", ""))[0] != table)
        c.add(
            other_table,
            "indicator",
            "indicator-table",
            df["indicator"],
            f"indicator belongs to another table, not {table}",
            "add the row to the table the codebook names for this indicator",
        )
    if value is not None and unit is not None:
        c.add(
            (unit == "share") & (value > 1),
            "value",
            "share",
            df["value"],
            "a share above 1",
            "write shares as fractions of 1 (24 percent → 0.24)",
        )

    registry = _registry(desc)
    published = pd.Series({k: v for k, v in registry.items()}, dtype="object")
    if "source_id" in df.columns:
        c.add(
            (df["source_id"] != "") & ~df["source_id"].isin(list(registry)),
            "source_id",
            "foreign-key",
            df["source_id"],
            "source_id is not in the source registry",
            "register the source in seeds/sources.csv first (see CONTRIBUTING.md)",
        )
    if "as_of" in df.columns:
        s = df["as_of"]
        present = s != ""
        start, _ = _as_of_bounds(s)
        pattern_ok = (
            s.str.fullmatch(r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?|-Q[1-4])?")
            .fillna(False)
            .astype(bool)
        )
        c.add(
            present & pattern_ok & start.isna(),
            "as_of",
            "date",
            s,
            "as_of is not a real date",
            "check the day exists in that month",
        )
        today = pd.Timestamp(date.today())
        c.add(
            present & (start > today),
            "as_of",
            "future",
            s,
            "as_of is in the future",
            "as_of is the date the figure describes, which has passed",
        )
        if "source_id" in df.columns:
            pub = pd.to_datetime(df["source_id"].map(published.to_dict()), errors="coerce")
            c.add(
                present & pub.notna() & (start > pub),
                "as_of",
                "after-publication",
                s,
                "as_of is after the source's publication date",
                "as_of is the date the figure describes, on or before publication",
            )
        if "as_of_basis" in df.columns:
            basis = df["as_of_basis"]
            c.add(
                present & (basis == "unknown"),
                "as_of_basis",
                "as-of-basis",
                basis,
                "as_of is given but as_of_basis says unknown",
                "use stated or inferred",
            )
            c.add(
                ~present & basis.isin(["stated", "inferred"]),
                "as_of_basis",
                "as-of-basis",
                basis,
                "as_of is empty but as_of_basis says it is known",
                "fill in as_of, or use unknown",
            )
        _stated_usd_check(df, numbers, start, published, c, root)

    # the same fact twice: same entity, indicator, as_of and source
    key = [k for k in ("entity", "indicator", "as_of", "source_id") if k in df.columns]
    if len(key) == 4:
        dup = df.duplicated(subset=key, keep=False) & (df["entity"] != "")
        c.add(
            dup,
            "entity",
            "duplicate-fact",
            df["entity"],
            "the same entity, indicator, as_of and source_id appear in another row",
            "keep one row per fact, or say in notes how the two differ",
            kind="warning",
        )


def _stated_usd_text_check(df: pd.DataFrame, usd: pd.Series, c: _Collector) -> None:
    """stated_usd_text, where given, reads as the stated_usd amount in dollars."""
    from .parse import parse_quantity

    text = df["stated_usd_text"]
    c.add(
        (text == "") != (df["stated_usd"] == ""),
        "stated_usd_text",
        "stated-usd",
        text,
        "stated_usd and stated_usd_text go together",
        "fill in both, or neither",
    )
    for i in np.flatnonzero((text != "").to_numpy() & usd.notna().to_numpy()):
        try:
            q = parse_quantity(text.iloc[i])
            good = q.unit == "USD" and math.isclose(q.value, usd.iloc[i], rel_tol=1e-9)
            why = f"reads as {q.value:.15g} {q.unit}, not stated_usd in USD"
        except QuantityParseError as exc:
            good, why = False, f"cannot be read as a figure: {str(exc).split(': ', 1)[-1]}"
        if not good:
            mask = pd.Series(False, index=df.index)
            mask.iloc[i] = True
            c.add(
                mask,
                "stated_usd_text",
                "stated-usd",
                text,
                f"stated_usd_text {why}",
                "copy the source's dollar figure exactly, and its plain number into stated_usd",
            )


def _stated_usd_check(df, numbers, start, published, c: _Collector, root: Path) -> None:
    if "stated_usd" not in numbers or "unit" not in df.columns:
        return
    usd = numbers["stated_usd"]
    value = numbers.get("value")
    rows = usd.notna() & (df["unit"] == "CNY")
    if value is None or not rows.any():
        return
    from .loader import load

    rates = load("exchange_rates") if root == catalog.data_root() else _rates_at(root)
    annual = rates[rates["frequency"] == "year"].set_index("period")["rate"].astype("float64")
    pub_year = pd.to_datetime(df["source_id"].map(published.to_dict()), errors="coerce").dt.year
    year = start.dt.year.fillna(pub_year)
    ref = year.map(lambda y: annual.get(str(int(y)), math.nan) if pd.notna(y) else math.nan)
    implied = value / usd
    dev = implied / ref - 1
    flag = rows & ref.notna() & (dev.abs() > FX_TOLERANCE)
    msg = (
        "stated_usd implies " + implied.map("{:.4f}".format) + " CNY per USD; the annual mean "
        "of "
        + year.map(lambda y: "" if pd.isna(y) else str(int(y)))
        + " is "
        + ref.map("{:.4f}".format)
        + " ("
        + (dev * 100).map("{:+.1f}".format)
        + "%)"
    )
    c.add(
        flag,
        "stated_usd",
        "fx-tolerance",
        df["stated_usd"],
        msg,
        "check the source's conversion; keep it if the source printed it",
        kind="warning",
    )


def _rates_at(root: Path) -> pd.DataFrame:
    path = root / "datasets" / "exchange_rates.csv"
    return pd.read_csv(path, dtype={"period": "string", "frequency": "string"})


def _codebook(root: Path) -> dict[str, tuple[str, str]]:
    path = catalog.table_path("indicators", root)
    with open(path, encoding="utf-8", newline="") as f:
        return {r["id"]: (r["table"], r["dimension"]) for r in csv.DictReader(f)}


def _registry(desc: dict[str, Any]) -> dict[str, str]:
    res = next(r for r in desc["resources"] if r["name"] == catalog.REGISTRY)
    header, *rows = res["data"]
    i, p = header.index("id"), header.index("published")
    return {row[i]: row[p] for row in rows}


# ------------------------------------------------------------------ entry point


def validate(
    data: pd.DataFrame | str | os.PathLike[str],
    table: str,
    *,
    existing_ids: set[str] | None = None,
    root: Path | None = None,
) -> ValidationReport:
    """Check rows for ``table`` and report every problem at once.

    Parameters
    ----------
    data : DataFrame or path
        A CSV file (UTF-8, a BOM is fine) or a frame such as :func:`load` returns.
    table : str
        The table the rows are meant for (see :func:`list_datasets`).
    existing_ids : set of str, optional
        Ids already in use; a row reusing one is an error (``add`` passes the table's ids).

    Returns
    -------
    ValidationReport
        ``.ok``, ``.errors`` and ``.warnings`` (DataFrames with ``line``, ``column``,
        ``check``, ``value``, ``message``, ``hint``), ``.to_text()``, ``.to_json()``.

    Raises
    ------
    DatasetNotFoundError
        Unknown table name.
    InputFileError
        A file that cannot be read as CSV: missing, a directory, empty, binary, not
        UTF-8, or a header sharing no column with the table.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> cs.validate(cs.load("talent"), table="talent").ok
    True
    """
    root = root or catalog.data_root()
    res = catalog.resource(table, root)
    schema = res["schema"]
    expected = [f["name"] for f in schema["fields"]]
    ragged: list[tuple[int, int]] = []
    if isinstance(data, pd.DataFrame):
        source = "<frame>"
        frame = data.drop(columns=[c for c in DERIVED_COLUMNS if c in data.columns])
        header = [str(c) for c in frame.columns]
        df = _frame_as_text(frame)
        df.columns = header
    else:
        path = Path(data)
        source = str(path)
        raw = _read_bytes(path)
        header = _header(raw, path)
        if not set(header) & set(expected):
            raise InputFileError(
                f"{path}: does not look like a CSV file of table {table}: its header shares no "
                f"column with {', '.join(expected[:4])}, … (see: chinaai-stats describe {table})"
            )
        df, ragged = _read_csv(raw, header)
    df = df.loc[:, ~df.columns.duplicated()]
    lines = _lines(df)
    df = df.reset_index(drop=True)
    c = _Collector(lines)
    for line, n in ragged:
        c.at_line(
            line,
            "(row)",
            "ragged-row",
            "",
            f"row has {n} fields, the header has {len(header)}",
            "quote cells that contain commas; one cell per column",
        )
    seen: set[str] = set()
    for col in header:
        if col in seen:
            c.at_line(
                1,
                col,
                "duplicate-column",
                col,
                f"column {col} appears twice in the header",
                "remove the repeated column",
            )
        seen.add(col)
        if col not in expected:
            c.at_line(
                1,
                col,
                "unknown-column",
                col,
                f"{col} is not a column of {table}",
                f"columns are: {', '.join(expected)}",
            )
    required = {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")}
    for col in expected:
        if col not in header:
            c.at_line(
                1,
                col,
                "missing-column",
                "",
                f"the header has no column {col}" + (" (required)" if col in required else ""),
                f"add the column {col}, empty where unknown",
            )
    numbers = _field_checks(df, schema, c)
    if existing_ids is not None and "id" in df.columns:
        c.add(
            df["id"].isin(list(existing_ids)),
            "id",
            "id-exists",
            df["id"],
            f"id already used in {table}",
            "ids are never reused: take the next free number",
        )
    _cross_checks(df, table, numbers, c, root)
    if df.empty:
        c.at_line(
            1,
            "(file)",
            "no-rows",
            "",
            "the file has a header but no rows",
            "add rows below the header",
            kind="warning",
        )
    return ValidationReport(table, source, len(df), c.frame("error"), c.frame("warning"), frame=df)


def print_progress(message: str) -> None:
    """A status line on stderr, only when it is a terminal."""
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)

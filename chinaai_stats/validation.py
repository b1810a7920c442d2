"""Validate rows against a table's Table Schema and the checks a schema cannot express.

Every failing row and check is reported at once, with the file's line number
(the header is line 1), the column, the offending value, what is wrong and how to
fix it. Validation never writes anything.

The field checks are driven by the Table Schemas in ``schemas/`` (types, required,
unique, enum, pattern, minimum/maximum, lengths, primary key), the same schemas
Frictionless reads, so there is no second copy of the rules. Cells are read as
text into Arrow arrays and every check runs vectorised over a whole column;
columns with few distinct values (``value_text``, ``as_of``, ``source_id``, …)
are checked once per distinct value.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import catalog
from .errors import ChinaAIStatsError, QuantityParseError
from .units import DIMENSION_UNITS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Longest cell accepted in any column without its own maxLength.
MAX_CELL = 10_000
#: A source's own dollar conversion further than this from the dated rate is a warning.
FX_TOLERANCE = 0.05
#: From this many rows on, the columns are checked in parallel threads.
PARALLEL_ROWS = 50_000
#: Columns a loaded frame carries that are computed, not stored.
DERIVED_COLUMNS = ("period_start", "period_end", "value_usd", "value_cny", "fx_rate", "fx_basis")
REPORT_COLUMNS = ["line", "column", "check", "value", "message", "hint"]
_FORMULA = r"^[=+\-@\t\r]"
_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_NOT_FINITE = ["inf", "-inf", "+inf", "nan", "NaN", "INF", "-INF", "Infinity", "-Infinity"]
_AS_OF_SHAPE = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?|-Q[1-4])?$")
_TRUE_FALSE = ["true", "false", "True", "False", "TRUE", "FALSE", "1", "0"]


class InputFileError(ChinaAIStatsError, OSError):
    """The input cannot be read as a CSV file at all (exit code 2)."""


@dataclass
class ValidationReport:
    """Every problem found in one file or frame.

    ``errors`` and ``warnings`` are DataFrames with the columns ``line`` (line in
    the file, header = 1; for a frame, the line it would have in a CSV),
    ``column``, ``check``, ``value``, ``message`` and ``hint``. ``ok`` is True
    when there is no error (warnings do not fail a file). The report is built
    without pandas; the DataFrames are made on first access.
    """

    table: str
    source: str
    rows: int
    problems: dict[str, list[tuple[Any, ...]]] = field(repr=False)
    cells: pa.Table | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems["error"]

    @property
    def errors(self) -> pd.DataFrame:
        return _frame(self.problems["error"])

    @property
    def warnings(self) -> pd.DataFrame:
        return _frame(self.problems["warning"])

    @property
    def frame(self) -> pd.DataFrame:
        """The rows as read, every cell as text (empty string where blank)."""
        import pandas as pd

        if self.cells is None:
            return pd.DataFrame()
        return self.cells.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)

    def summary(self) -> str:
        verdict = "valid" if self.ok else "invalid"
        return (
            f"{self.source}: {verdict} for table {self.table}: {self.rows} rows, "
            f"{len(self.problems['error'])} errors, {len(self.problems['warning'])} warnings"
        )

    def to_text(self, limit: int | None = None) -> str:
        """One line per problem (``SOURCE:LINE: kind: column: message``), then a summary."""
        lines = []
        for kind in ("error", "warning"):
            rows = self.problems[kind]
            for line, column, _check, _value, message, hint in rows[:limit]:
                fix = f" (fix: {hint})" if hint else ""
                lines.append(f"{self.source}:{line}: {kind}: {column}: {message}{fix}")
            if limit is not None and len(rows) > limit:
                lines.append(f"... and {len(rows) - limit} more {kind}s")
        lines.append(self.summary())
        return "\n".join(lines)

    def to_json(self) -> str:
        def records(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
            return [dict(zip(REPORT_COLUMNS, row, strict=True)) for row in rows]

        return json.dumps(
            {
                "source": self.source,
                "table": self.table,
                "rows": self.rows,
                "ok": self.ok,
                "errors": records(self.problems["error"]),
                "warnings": records(self.problems["warning"]),
            },
            ensure_ascii=False,
            indent=2,
        )


def _frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(rows, columns=REPORT_COLUMNS)
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


Message = str | Callable[[np.ndarray], Any]


class _Collector:
    """Gathers problems; messages that depend on the row are built for failing rows only."""

    def __init__(self, lines: np.ndarray) -> None:
        self.lines = lines  # file line of each row position
        self.parts: dict[str, list[tuple[Any, ...]]] = {"error": [], "warning": []}
        self.lock = threading.Lock()

    def add(
        self,
        mask: Any,
        column: str,
        check: str,
        values: pa.ChunkedArray | pa.Array | None,
        message: Message,
        hint: Message,
        kind: str = "error",
    ) -> np.ndarray:
        """Record rows where ``mask`` is true; return their positions."""
        idx = _positions(mask)
        if not len(idx):
            return idx
        vals = (
            [_short(v) for v in values.take(pa.array(idx)).to_pylist()]
            if values is not None
            else [""] * len(idx)
        )
        msgs = message(idx) if callable(message) else [message] * len(idx)
        hints = hint(idx) if callable(hint) else [hint] * len(idx)
        lines = self.lines[idx].tolist()
        found = [
            (line, column, check, v, str(m), str(h))
            for line, v, m, h in zip(lines, vals, msgs, hints, strict=True)
        ]
        with self.lock:
            self.parts[kind].extend(found)
        return idx

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
        with self.lock:
            self.parts[kind].append((line, column, check, _short(value), message, hint))

    def sorted(self) -> dict[str, list[tuple[Any, ...]]]:
        # a total order: checks may run side by side, the report must not depend on it
        return {
            k: sorted(v, key=lambda r: (r[0], r[1], r[2], r[3], r[4]))
            for k, v in self.parts.items()
        }


def _is_empty(col: Any) -> Any:
    """Empty cells (a length test: far faster than comparing strings)."""
    return pc.equal(pc.binary_length(col), 0)


def _is_filled(col: Any) -> Any:
    return pc.greater(pc.binary_length(col), 0)


def _matches(col: Any, pattern: str) -> Any:
    """Regex test per cell; per distinct value when a column repeats few values."""
    if len(col) > 5_000 and pc.count_distinct(col.slice(0, 2_000)).as_py() < 200:
        flat = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        enc = pc.dictionary_encode(flat)
        return pc.take(pc.match_substring_regex(enc.dictionary, pattern), enc.indices)
    return pc.match_substring_regex(col, pattern)


def _positions(mask: Any) -> np.ndarray:
    """Row positions where a boolean Arrow array or numpy array is true (nulls are false)."""
    if isinstance(mask, np.ndarray):
        return np.flatnonzero(mask)
    if not pc.any(mask).as_py():
        return np.empty(0, dtype=np.int64)
    return pc.indices_nonzero(pc.fill_null(mask, False)).to_numpy()


def _short(value: Any, limit: int = 80) -> str:
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text):,} characters)"


_DISTINCT_CACHE: dict[int, tuple[Any, pa.Array, np.ndarray]] = {}


def _codes(col: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """Distinct values of a column (as Arrow) and, per row, the position of its value.

    Cached for the duration of one :func:`validate` call (cleared at its end).
    """
    hit = _DISTINCT_CACHE.get(id(col))
    if hit is not None and hit[0] is col:
        return hit[1], hit[2]
    flat = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    enc = pc.dictionary_encode(flat)
    out = enc.dictionary, enc.indices.to_numpy(zero_copy_only=False)
    _DISTINCT_CACHE[id(col)] = (col, *out)
    return out


def _distinct(col: pa.ChunkedArray) -> tuple[list[Any], np.ndarray]:
    """Like :func:`_codes`, with the distinct values as Python objects."""
    dictionary, codes = _codes(col)
    return dictionary.to_pylist(), codes


def _per_value(col: pa.ChunkedArray, fn: Callable[[Any], Any], dtype: Any = object) -> np.ndarray:
    """Apply ``fn`` once per distinct value of ``col``; return the per-row results."""
    uniques, codes = _distinct(col)
    out = np.array([fn(v) for v in uniques] or [None], dtype=dtype)
    return out[codes] if len(codes) else np.empty(0, dtype=dtype)


def _combined_codes(cols: list[Any]) -> np.ndarray:
    """One integer per row that is equal exactly when the rows agree on every column."""
    combined = np.zeros(len(cols[0]), dtype=np.int64)
    span = 1  # the number of values the running key can take
    for col in cols:
        dictionary, codes = _codes(col)
        size = max(len(dictionary), 1)
        if span * size >= 2**62:  # re-number densely so the next product cannot overflow
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64).ravel()
            span = int(combined.max()) + 1 if len(combined) else 1
        combined = combined * size + codes
        span *= size
    return combined


def _per_pair(
    a: pa.ChunkedArray, b: pa.ChunkedArray, fn: Callable[[Any, Any], Any], dtype: Any = object
) -> np.ndarray:
    """Apply ``fn`` once per distinct pair of values of columns ``a`` and ``b``."""
    ua, ca = _distinct(a)
    ub, cb = _distinct(b)
    key = ca.astype(np.int64) * max(len(ub), 1) + cb
    space = max(len(ua), 1) * max(len(ub), 1)
    if space <= 4 * len(key) + 1024:  # few possible pairs: number them without sorting
        seen = np.zeros(space, dtype=bool)
        seen[key] = True
        pairs = np.flatnonzero(seen)
        renumber = np.zeros(space, dtype=np.int64)
        renumber[pairs] = np.arange(len(pairs))
        codes = renumber[key]
    else:
        pairs, codes = np.unique(key, return_inverse=True)
        codes = codes.ravel()
    out = np.array(
        [fn(ua[k // max(len(ub), 1)], ub[k % max(len(ub), 1)]) for k in pairs] or [None],
        dtype=dtype,
    )
    return out[codes] if len(codes) else np.empty(0, dtype=dtype)


def _duplicated(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """True for every row whose value occurs more than once."""
    if len(col) == 0:
        return np.zeros(0, dtype=bool)
    flat = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if len(flat) > 1 and pc.all(pc.less(flat.slice(0, len(flat) - 1), flat.slice(1))).as_py():
        return np.zeros(len(flat), dtype=bool)  # strictly increasing (ids in order): unique
    if len(pc.unique(flat)) == len(flat):  # the common case, and cheaper to establish
        return np.zeros(len(flat), dtype=bool)
    codes = pc.dictionary_encode(flat).indices.to_numpy(zero_copy_only=False)
    return np.bincount(codes)[codes] > 1


def _duplicated_rows(cols: list[Any]) -> np.ndarray:
    """True for every row whose combination of values in ``cols`` occurs more than once."""
    if len(cols[0]) == 0:
        return np.zeros(0, dtype=bool)
    _, inverse, counts = np.unique(_combined_codes(cols), return_inverse=True, return_counts=True)
    return counts[inverse.ravel()] > 1


def _mask(x: Any) -> np.ndarray:
    """A boolean Arrow array as numpy (nulls false)."""
    return pc.fill_null(x, False).to_numpy(zero_copy_only=False)


# ------------------------------------------------------------------ reading


_HEAD = 1 << 16


def _scan(path: Path) -> tuple[bytes, int]:
    """Check the file can be used; return its first bytes and its number of lines.

    One pass in blocks: counts line breaks and looks for NUL bytes without holding
    the whole file in memory (the CSV reader reads it again, from the page cache).
    """
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if path.is_dir():
        raise InputFileError(f"{path}: is a directory, not a CSV file")
    newlines, last = 0, b""
    try:
        with open(path, "rb") as f:
            head = f.read(_HEAD)
            block = head
            while block:
                if b"\x00" in block:
                    raise InputFileError(f"{path}: holds binary content (NUL bytes), not CSV text")
                newlines += block.count(b"\n")
                last = block[-1:]
                block = f.read(1 << 22)
    except OSError as exc:
        if isinstance(exc, InputFileError):
            raise
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not head.strip():
        raise InputFileError(f"{path}: is empty; a CSV file needs at least a header line")
    return head.removeprefix(b"\xef\xbb\xbf"), newlines + (last != b"\n")


def _not_utf8(data: bytes, path: Path) -> InputFileError | None:
    """An error naming the first byte that is not UTF-8, or None when all of it is."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return InputFileError(
            f"{path}: is not UTF-8 text (line {line}, byte {exc.start}); save it as UTF-8"
        )
    return None


def _header(data: bytes, path: Path) -> list[str]:
    """The header cells, from the head of the file."""
    end = data.find(b"\n")
    try:
        first = (data if end < 0 else data[:end]).decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        raise _not_utf8(data, path) from None
    try:
        return next(csv.reader([first]))
    except (csv.Error, StopIteration):
        raise InputFileError(f"{path}: the first line is not a CSV header") from None


def _read_csv(
    path: Path, header: list[str], lines_in_file: int
) -> tuple[pa.Table, np.ndarray, list[tuple[int, int]]]:
    """Read every cell as text; return the cells, each row's line, and ragged rows."""
    import pyarrow.csv as pacsv

    ragged_seen = [0]

    def on_invalid(row: Any) -> str:
        ragged_seen[0] += 1
        return "skip"

    names = [f"{i}:{h}" for i, h in enumerate(header)]  # unique even if the header repeats
    size = path.stat().st_size
    block = 1 << 22
    while True:
        try:
            table = pacsv.read_csv(
                str(path),
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
            if "straddle" in str(exc) and block < size + 1:
                block = size + 1  # one cell larger than a block: read in one piece
                ragged_seen[0] = 0
                continue
            raise InputFileError(f"cannot parse as CSV: {str(exc).splitlines()[0]}") from None
    table = table.rename_columns(header)
    # with no ragged row, blank line or line break inside a cell, row i is on line i + 2
    if not ragged_seen[0] and lines_in_file == table.num_rows + 1:
        return table, np.arange(table.num_rows, dtype=np.int64) + 2, []
    # otherwise count lines exactly
    bad, keep_lines = [], []
    text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)
    start = reader.line_num + 1
    for row in reader:
        if row:  # pyarrow skips blank lines too
            if len(row) == len(header):
                keep_lines.append(start)
            else:
                bad.append((start, len(row)))
        start = reader.line_num + 1
    lines = np.array(keep_lines, dtype=np.int64)
    if len(lines) != table.num_rows:  # the two readers disagree: fall back to counting rows
        lines = np.arange(table.num_rows, dtype=np.int64) + 2
    return table, lines, bad


def _frame_as_cells(frame: pd.DataFrame) -> pa.Table:
    """A frame (typed or not) as text cells, the way a CSV would hold them."""
    import pandas as pd

    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(s):
            text = s.map(lambda v: "" if pd.isna(v) else repr(float(v)))
        else:
            text = s.astype("object").map(lambda v: "" if v is None or pd.isna(v) else str(v))
        out[str(col)] = pa.array(text.fillna("").tolist(), type=pa.string())
    return pa.table(out) if out else pa.table({})


# ------------------------------------------------------------------ checks


def _check_field(
    f: dict[str, Any], s: pa.ChunkedArray, c: _Collector, numbers: dict[str, np.ndarray]
) -> None:
    """The checks one Table Schema field states, over one column."""
    name = f["name"]
    cons = f.get("constraints", {})
    ftype = f.get("type", "string")
    empty = _is_empty(s)
    present = pc.invert(empty)
    if cons.get("required"):
        c.add(
            empty,
            name,
            "required",
            s,
            f"{name} is required",
            f"fill in {name}: {f.get('description', '')}".strip(),
        )
    if ftype in ("number", "integer"):
        numeric = _matches(s, _NUMBER)
        not_finite = pc.is_in(s, value_set=pa.array(_NOT_FINITE))
        c.add(
            pc.and_(present, pc.invert(pc.or_(numeric, not_finite))),
            name,
            "type",
            s,
            f"{name} is not a number",
            "write a plain number: digits, optional decimal point, no magnitude words "
            "or separators (846000000, not 846 million)",
        )
        values = pc.cast(pc.if_else(numeric, s, "nan"), pa.float64()).to_numpy()
        c.add(
            pc.and_(present, not_finite),
            name,
            "finite",
            s,
            f"{name} is not finite",
            "write a finite number",
        )
        if ftype == "integer":
            c.add(
                np.isfinite(values) & (values % 1 != 0),
                name,
                "type",
                s,
                f"{name} is not a whole number",
                "drop the decimals",
            )
        with np.errstate(invalid="ignore"):
            if "minimum" in cons:
                c.add(
                    values < cons["minimum"],
                    name,
                    "minimum",
                    s,
                    f"{name} is below {cons['minimum']}",
                    f"{name} must be >= {cons['minimum']}",
                )
            if "maximum" in cons:
                c.add(
                    values > cons["maximum"],
                    name,
                    "maximum",
                    s,
                    f"{name} is above {cons['maximum']}",
                    f"{name} must be <= {cons['maximum']}",
                )
        numbers[name] = values
    elif ftype == "date":
        parsed = pc.strptime(s, format="%Y-%m-%d", unit="s", error_is_null=True)
        shape = _matches(s, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        c.add(
            pc.and_(present, pc.or_(pc.is_null(parsed), pc.invert(shape))),
            name,
            "type",
            s,
            f"{name} is not a real date",
            "write YYYY-MM-DD",
        )
    elif ftype == "boolean":
        c.add(
            pc.and_(present, pc.invert(pc.is_in(s, value_set=pa.array(_TRUE_FALSE)))),
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
            pc.and_(present, pc.invert(pc.is_in(s, value_set=pa.array(allowed)))),
            name,
            "enum",
            s,
            f"{name} is not one of the allowed values",
            f"use one of: {shown}",
        )
    if "pattern" in cons:
        pattern = cons["pattern"]
        anchored = pattern if pattern.startswith("^") else f"^(?:{pattern})$"
        c.add(
            pc.and_(present, pc.invert(_matches(s, anchored))),
            name,
            "pattern",
            s,
            f"{name} does not match the pattern {pattern}",
            _pattern_hint(name),
        )
    max_len = cons.get("maxLength", MAX_CELL)
    # bytes bound characters from above: count characters only when bytes exceed
    if (pc.max(pc.binary_length(s)).as_py() or 0) > max_len:
        c.add(
            pc.greater(pc.utf8_length(s), max_len),
            name,
            "max-length",
            s,
            f"{name} is longer than {max_len:,} characters",
            f"shorten {name}",
        )
    if cons.get("minLength", 0) > 1:  # a minimum of 1 is the same as required
        c.add(
            pc.and_(present, pc.less(pc.utf8_length(s), cons["minLength"])),
            name,
            "min-length",
            s,
            f"{name} is shorter than {cons['minLength']}",
            f"lengthen {name}",
        )
    if f.get("format") == "uri":
        c.add(
            pc.and_(present, pc.invert(_matches(s, r"^https?://\S+$"))),
            name,
            "format",
            s,
            f"{name} is not a web address",
            "write a full http(s):// address",
        )
    if cons.get("unique"):
        dup = _duplicated(s) & _mask(present)
        c.add(
            dup,
            name,
            "unique",
            s,
            f"{name} appears more than once",
            f"give each row its own {name}",
        )
    if ftype == "string" and "enum" not in cons and "pattern" not in cons:
        # enum and pattern columns only admit values that start safely
        c.add(
            _matches(s, _FORMULA),
            name,
            "formula",
            s,
            f"{name} starts with =, +, -, @ or a control character, which spreadsheets "
            "run as a formula",
            "reword the cell so it starts with a letter, digit or quote",
        )


def _field_checks(
    cells: dict[str, pa.ChunkedArray], schema: dict[str, Any], c: _Collector, n: int
) -> dict[str, np.ndarray]:
    """Checks a Table Schema states; return the numeric columns, parsed (NaN where not)."""
    numbers: dict[str, np.ndarray] = {}
    fields = [f for f in schema["fields"] if f["name"] in cells]
    # Arrow kernels release the GIL: on large files the columns are checked side by side
    _run(
        [partial(_check_field, f, cells[f["name"]], c, numbers) for f in fields],
        parallel=n >= PARALLEL_ROWS,
    )

    key = schema.get("primaryKey", [])
    if len(key) > 1 and all(k in cells for k in key) and n:
        c.add(
            _duplicated_rows([cells[k] for k in key]),
            key[0],
            "primary-key",
            cells[key[0]],
            f"the key ({', '.join(key)}) appears more than once",
            "remove the repeated row",
        )
    return numbers


def _pattern_hint(name: str) -> str:
    return {
        "as_of": "write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn (e.g. 2016-Q3), or leave it empty",
        "locator": "write pN: the N-th non-blank line of the source text (e.g. p13)",
        "id": "use the table's prefix and four or more digits, e.g. uc-0005",
    }.get(name, "see the schema: chinaai-stats describe TABLE")


@lru_cache(maxsize=1 << 16)  # bounded: a long-lived process may validate many files
def _read_figure(text: str) -> tuple[float, str, str] | str:
    """(value, unit, qualifier) that ``text`` reads as, or why it cannot be read."""
    from .parse import parse_quantity

    try:
        q = parse_quantity(text)
    except QuantityParseError as exc:
        return str(exc).split(": ", 1)[-1]
    return q.value, q.unit, q.qualifier


def _parse_value_texts(texts: pa.ChunkedArray) -> tuple[np.ndarray, ...]:
    """Parse each distinct value_text once: per-row value, unit, qualifier and problem."""
    uniques, codes = _distinct(texts)
    k = len(uniques)
    u_value = np.full(k, np.nan)
    u_unit = np.full(k, "", dtype=object)
    u_qual = np.full(k, "", dtype=object)
    u_problem = np.full(k, "", dtype=object)
    for i, text in enumerate(uniques):
        if not text:
            continue
        read = _read_figure(text)
        if isinstance(read, str):
            u_problem[i] = read
        else:
            u_value[i], u_unit[i], u_qual[i] = read
    return u_value[codes], u_unit[codes], u_qual[codes], u_problem[codes]


def _pair_differs(text: str, cell: str, name: str) -> bool:
    """Does the unit or qualifier ``cell`` differ from what ``text`` reads as?"""
    if not text or not cell:
        return False
    read = _read_figure(text)
    if isinstance(read, str):  # reported as a parse problem already
        return False
    return cell != (read[1] if name == "unit" else read[2])


def _as_of_starts(col: pa.ChunkedArray) -> np.ndarray:
    """First day of each reduced-precision ISO date (NaT where empty or not a real date)."""
    from .dates import as_of_bounds

    def start(text: str) -> Any:
        try:
            b = as_of_bounds(text)
        except ValueError:
            return np.datetime64("NaT", "D")
        return np.datetime64(b[0], "D") if b else np.datetime64("NaT", "D")

    return _per_value(col, start, dtype="datetime64[D]")


def _cross_checks(
    cells: dict[str, pa.ChunkedArray],
    table: str,
    numbers: dict[str, np.ndarray],
    c: _Collector,
    root: Path,
    n: int,
) -> None:
    """Checks across fields and tables that a Table Schema cannot state."""
    if "value_text" not in cells or not n:
        return
    value = numbers.get("value")
    unit = cells.get("unit")
    texts = cells["value_text"]

    def text_checks() -> None:
        p_value, p_unit, p_qual, problem = _parse_value_texts(texts)
        c.add(
            problem != "",
            "value_text",
            "parse",
            texts,
            lambda i: "value_text cannot be read as a figure: " + problem[i],
            "copy the figure expression exactly as printed, e.g. 846 million or over $4.5 billion",
        )
        ok_text = p_unit != ""

        def reads(i: np.ndarray) -> list[str]:
            return [
                f"value_text reads as {v:.15g} {u}"
                for v, u in zip(p_value[i], p_unit[i], strict=True)
            ]

        if value is not None:
            with np.errstate(invalid="ignore"):
                close = np.abs(value - p_value) <= 1e-9 * np.maximum(np.abs(value), 1)
            c.add(
                ok_text & ~np.isnan(value) & ~close,
                "value",
                "value-text",
                cells["value"],
                lambda i: [f"{r}; value differs" for r in reads(i)],
                "write value as the plain number value_text states, in unit",
            )
        messages = {
            "unit": lambda i: [f"{r}; unit differs" for r in reads(i)],
            "qualifier": lambda i: [
                f"value_text reads as {q}; qualifier differs" for q in p_qual[i]
            ],
        }
        hints = {
            "unit": "use the unit value_text states",
            "qualifier": "use the qualifier value_text states (about: approximately; over: "
            "more_than)",
        }
        for name in ("unit", "qualifier"):
            if name in cells:
                # compare once per distinct (value_text, cell) pair rather than per row
                differs = _per_pair(
                    texts, cells[name], lambda t, v, n=name: _pair_differs(t, v, n), dtype=bool
                )
                c.add(differs, name, "value-text", cells[name], messages[name], hints[name])
        if "stated_usd_text" in cells and "stated_usd" in numbers:
            _stated_usd_text_check(cells, numbers["stated_usd"], c)

    def indicator_checks() -> None:
        codebook = _codebook(root)
        if "indicator" in cells:
            ind = cells["indicator"]
            known = _mask(pc.is_in(ind, value_set=pa.array(list(codebook))))
            c.add(
                _mask(_is_filled(ind)) & ~known,
                "indicator",
                "foreign-key",
                ind,
                "indicator is not in the indicators codebook",
                "use an id of the indicators table, or add the indicator to it first",
            )
            if unit is not None:

                def fits(i: str, u: str) -> bool:
                    return (
                        i not in codebook or u == "" or u in DIMENSION_UNITS.get(codebook[i][1], ())
                    )

                dims = _per_value(ind, lambda i: codebook.get(i, ("", ""))[1])
                c.add(
                    ~_per_pair(ind, unit, fits, dtype=bool),
                    "unit",
                    "unit-for-indicator",
                    unit,
                    lambda i: [
                        f"unit does not fit the indicator's dimension ({d})" for d in dims[i]
                    ],
                    lambda i: [f"use {', '.join(DIMENSION_UNITS.get(d, ()))}" for d in dims[i]],
                )
            other = known & _per_value(
                ind, lambda i: codebook.get(i, (table, ""))[0] != table, dtype=bool
            )
            c.add(
                other,
                "indicator",
                "indicator-table",
                ind,
                f"indicator belongs to another table, not {table}",
                "add the row to the table the codebook names for this indicator",
            )
        if value is not None and unit is not None:
            with np.errstate(invalid="ignore"):
                c.add(
                    _mask(pc.equal(unit, "share")) & (value > 1),
                    "value",
                    "share",
                    cells["value"],
                    "a share above 1",
                    "write shares as fractions of 1 (24 percent → 0.24)",
                )

    def date_checks() -> None:
        published = {r["id"]: r["published"] for r in catalog.registry_rows(root)}
        pub = None
        if "source_id" in cells:
            src = cells["source_id"]
            c.add(
                pc.and_(
                    _is_filled(src), pc.invert(pc.is_in(src, value_set=pa.array(list(published))))
                ),
                "source_id",
                "foreign-key",
                src,
                "source_id is not in the source registry",
                "register the source in seeds/sources.csv first (see CONTRIBUTING.md)",
            )
            pub = _per_value(
                src, lambda s: np.datetime64(published.get(s) or "NaT", "D"), dtype="datetime64[D]"
            )
        if "as_of" in cells:
            s = cells["as_of"]
            present = _mask(_is_filled(s))
            start = _as_of_starts(s)
            shape_ok = _per_value(s, lambda v: bool(_AS_OF_SHAPE.match(v)), dtype=bool)
            c.add(
                present & shape_ok & np.isnat(start),
                "as_of",
                "date",
                s,
                "as_of is not a real date",
                "check the day exists in that month",
            )
            today = np.datetime64(date.today(), "D")
            c.add(
                present & (start > today),
                "as_of",
                "future",
                s,
                "as_of is in the future",
                "as_of is the date the figure describes, which has passed",
            )
            if pub is not None:
                c.add(
                    present & ~np.isnat(pub) & (start > pub),
                    "as_of",
                    "after-publication",
                    s,
                    "as_of is after the source's publication date",
                    "as_of is the date the figure describes, on or before publication",
                )
            if "as_of_basis" in cells:
                basis = cells["as_of_basis"]
                c.add(
                    present & _mask(pc.equal(basis, "unknown")),
                    "as_of_basis",
                    "as-of-basis",
                    cells["as_of_basis"],
                    "as_of is given but as_of_basis says unknown",
                    "use stated or inferred",
                )
                c.add(
                    ~present & _mask(pc.is_in(basis, value_set=pa.array(["stated", "inferred"]))),
                    "as_of_basis",
                    "as-of-basis",
                    cells["as_of_basis"],
                    "as_of is empty but as_of_basis says it is known",
                    "fill in as_of, or use unknown",
                )
            if pub is not None and unit is not None:
                _stated_usd_check(numbers, _mask(pc.equal(unit, "CNY")), start, pub, cells, c, root)

    def fact_checks() -> None:
        # the same fact twice: same entity, indicator, as_of and source
        key = ["entity", "indicator", "as_of", "source_id"]
        if all(k in cells for k in key):
            dup = _duplicated_rows([cells[k] for k in key]) & _mask(_is_filled(cells["entity"]))
            c.add(
                dup,
                "entity",
                "duplicate-fact",
                cells["entity"],
                "the same entity, indicator, as_of and source_id appear in another row",
                "keep one row per fact, or say in notes how the two differ",
                kind="warning",
            )

    _run([text_checks, indicator_checks, date_checks, fact_checks], parallel=n >= PARALLEL_ROWS)


def _run(tasks: list[Callable[[], None]], parallel: bool) -> None:
    """Run independent groups of checks, in threads when the file is large."""
    if not parallel:
        for task in tasks:
            task()
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for future in [pool.submit(task) for task in tasks]:
            future.result()  # re-raise what a task raised


def _stated_usd_text_check(
    cells: dict[str, pa.ChunkedArray], usd: np.ndarray, c: _Collector
) -> None:
    """stated_usd_text, where given, reads as the stated_usd amount in dollars."""
    from .parse import parse_quantity

    text = cells["stated_usd_text"]
    text_empty = _mask(_is_empty(text))
    usd_empty = _mask(_is_empty(cells["stated_usd"]))
    c.add(
        text_empty != usd_empty,
        "stated_usd_text",
        "stated-usd",
        text,
        "stated_usd and stated_usd_text go together",
        "fill in both, or neither",
    )
    for i in np.flatnonzero(~text_empty & ~np.isnan(usd)):
        cell = text[int(i)].as_py()
        try:
            q = parse_quantity(cell)
            if q.restated is not None and q.restated.unit == "USD":
                q = q.restated  # the whole figure with the source's bracketed conversion
            good = q.unit == "USD" and abs(q.value - usd[i]) <= 1e-9 * max(abs(usd[i]), 1)
            why = f"reads as {q.value:.15g} {q.unit}, not stated_usd in USD"
        except QuantityParseError as exc:
            good, why = False, f"cannot be read as a figure: {str(exc).split(': ', 1)[-1]}"
        if not good:
            mask = np.zeros(len(usd), dtype=bool)
            mask[i] = True
            c.add(
                mask,
                "stated_usd_text",
                "stated-usd",
                text,
                f"stated_usd_text {why}",
                "copy the source's dollar figure exactly, and its plain number into stated_usd",
            )


def _stated_usd_check(numbers, is_cny, start, pub, cells, c: _Collector, root: Path) -> None:
    """Warn where a source's dollar conversion is off the annual rate by more than 5%."""
    usd = numbers.get("stated_usd")
    value = numbers.get("value")
    if usd is None or value is None:
        return
    rows = ~np.isnan(usd) & is_cny
    if not rows.any():
        return
    annual = _annual_rates(root)
    year = np.where(np.isnat(start), pub, start).astype("datetime64[Y]").astype(object)
    ref = np.array([annual.get(str(y.year), np.nan) if y is not None else np.nan for y in year])
    with np.errstate(invalid="ignore", divide="ignore"):
        implied = value / usd
        dev = implied / ref - 1
        flag = rows & ~np.isnan(ref) & (np.abs(dev) > FX_TOLERANCE)

    def message(i: np.ndarray) -> list[str]:
        return [
            f"stated_usd implies {implied[k]:.4f} CNY per USD; the annual mean of "
            f"{year[k].year} is {ref[k]:.4f} ({dev[k] * 100:+.1f}%)"
            for k in i
        ]

    c.add(
        flag,
        "stated_usd",
        "fx-tolerance",
        cells["stated_usd"],
        message,
        "check the source's conversion; keep it if the source printed it",
        kind="warning",
    )


def _annual_rates(root: Path) -> dict[str, float]:
    path = catalog.table_path("exchange_rates", root)
    with open(path, encoding="utf-8", newline="") as f:
        return {
            r["period"]: float(r["rate"]) for r in csv.DictReader(f) if r["frequency"] == "year"
        }


def _codebook(root: Path) -> dict[str, tuple[str, str]]:
    path = catalog.table_path("indicators", root)
    with open(path, encoding="utf-8", newline="") as f:
        return {r["id"]: (r["table"], r["dimension"]) for r in csv.DictReader(f)}


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
    try:
        return _validate(data, table, existing_ids=existing_ids, root=root)
    finally:
        _DISTINCT_CACHE.clear()


def _validate(
    data: pd.DataFrame | str | os.PathLike[str],
    table: str,
    *,
    existing_ids: set[str] | None = None,
    root: Path | None = None,
) -> ValidationReport:
    root = root or catalog.data_root()
    res = catalog.resource(table, root)
    schema = res["schema"]
    expected = [f["name"] for f in schema["fields"]]
    ragged: list[tuple[int, int]] = []
    if not isinstance(data, (str, os.PathLike)):  # a DataFrame
        source = "<frame>"
        frame = data.drop(columns=[c for c in DERIVED_COLUMNS if c in data.columns])
        header = [str(c) for c in frame.columns]
        rows = _frame_as_cells(frame.loc[:, ~frame.columns.duplicated()])
        lines = np.arange(rows.num_rows, dtype=np.int64) + 2
    else:
        path = Path(data)
        source = str(path)
        if path.is_file() and path.stat().st_size > 10 << 20:
            print_progress(f"{path}: reading {path.stat().st_size / 2**20:,.0f} MiB…")
        head, lines_in_file = _scan(path)
        header = _header(head, path)
        if not set(header) & set(expected):
            raise InputFileError(
                f"{path}: does not look like a CSV file of table {table}: its header shares no "
                f"column with {', '.join(expected[:4])}, … (see: chinaai-stats describe {table})"
            )
        try:
            rows, lines, ragged = _read_csv(path, header, lines_in_file)
        except InputFileError as exc:  # pyarrow checks UTF-8 as it reads; name the byte
            raise _not_utf8(path.read_bytes(), path) or InputFileError(f"{path}: {exc}") from None
    cells: dict[str, pa.ChunkedArray] = {}
    for name, col in zip(rows.column_names, rows.columns, strict=True):
        cells.setdefault(name, col)  # the first of repeated columns
    n = rows.num_rows
    if n > 100_000:
        print_progress(f"{source}: checking {n:,} rows…")
    c = _Collector(lines)
    for line, fields in ragged:
        c.at_line(
            line,
            "(row)",
            "ragged-row",
            "",
            f"row has {fields} fields, the header has {len(header)}",
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
                "review_ columns come from extract and are for review only: delete the column"
                if col.startswith("review_")
                else f"columns are: {', '.join(expected)}",
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
    numbers = _field_checks(cells, schema, c, n)
    if existing_ids and "id" in cells:
        c.add(
            pc.is_in(cells["id"], value_set=pa.array(sorted(existing_ids))),
            "id",
            "id-exists",
            cells["id"],
            f"id already used in {table}",
            "ids are never reused: take the next free number",
        )
    _cross_checks(cells, table, numbers, c, root, n)
    if not n:
        c.at_line(
            1,
            "(file)",
            "no-rows",
            "",
            "the file has a header but no rows",
            "add rows below the header",
            kind="warning",
        )
    kept = pa.table({k: v for k, v in cells.items()}) if cells else None
    return ValidationReport(table, source, n, c.sorted(), cells=kept)


def print_progress(message: str) -> None:
    """A status line on stderr for large files, only when stderr is a terminal."""
    if sys.stderr is not None and sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)

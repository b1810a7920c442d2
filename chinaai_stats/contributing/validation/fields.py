"""The checks a Table Schema states, field by field, over whole columns of text cells.

The rules come from the Table Schemas in ``schemas/`` (types, required, unique,
enum, pattern, minimum/maximum, lengths, format, primary key): the same schemas
Frictionless reads. Each rule rejects exactly what Frictionless rejects, under the
rule's Table Schema name (``type``, ``pattern``, …); where chinaai-stats asks for
more (plain ASCII numbers, finite numbers, ``YYYY-MM-DD`` dates, ``http(s)``
addresses), the stricter test reports under its own name from
:data:`~chinaai_stats.contributing.validation.checks.EXTRA_CHECKS`.

Every cell is first tested by a fast vectorised rule; only cells that fail it are
looked at again, one distinct value at a time, with the reference's exact rule.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .columns import (
    as_mask,
    codes,
    duplicated_rows,
    is_empty,
    matches,
    per_value_where,
    run,
)
from .report import Collector

#: Longest cell accepted in any column without its own maxLength.
MAX_CELL = 10_000
NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_INTEGER = r"^[+-]?[0-9]+$"
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_FORMULA = r"^[=+\-@\t\r]"
#: Unicode's bidirectional embedding, override and isolate controls (U+202A-202E,
#: U+2066-2069): invisible, they reorder how text around them is shown (a spoofed name).
_BIDI = "[\u202a-\u202e\u2066-\u2069]"
_TRUE_FALSE = ["true", "True", "TRUE", "1", "false", "False", "FALSE", "0"]
_HAS_SCHEME = r"^[^:/?#]+:"  # how rfc3986 (Frictionless' uri format) finds a scheme
_WEB = r"^https?://\S+$"


def field_checks(
    cells: dict[str, pa.ChunkedArray], schema: dict[str, Any], c: Collector, n: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Check every field; return the numeric columns (NaN where not a number) and long cells.

    The second dict holds, per column, the rows whose cell is longer than the
    field allows: later checks leave those cells alone.
    """
    from . import columns

    numbers: dict[str, np.ndarray] = {}
    too_long: dict[str, np.ndarray] = {}
    fields = [f for f in schema["fields"] if f["name"] in cells]
    tasks = [partial(check_field, f, cells[f["name"]], c, numbers, too_long) for f in fields]
    run(tasks, parallel=n >= columns.PARALLEL_ROWS)
    key = schema.get("primaryKey", [])
    if len(key) > 1 and all(k in cells for k in key) and n:
        later, first = _repeats_of(duplicated_rows([cells[k] for k in key]), cells, key)
        lines = c.lines
        c.add(
            later,
            key[0],
            "primary-key",
            cells[key[0]],
            lambda i: [
                f"the key ({', '.join(key)}) appears more than once (first on line {lines[f]})"
                for f in first[i]
            ],
            "remove the repeated row",
        )
    return numbers, too_long


def check_field(
    f: dict[str, Any],
    s: pa.ChunkedArray,
    c: Collector,
    numbers: dict[str, np.ndarray],
    too_long: dict[str, np.ndarray],
) -> None:
    """The checks one Table Schema field states, over one column."""
    name = f["name"]
    cons = f.get("constraints", {})
    ftype = f.get("type", "string")
    present = as_mask(pc.invert(is_empty(s)))
    if cons.get("required"):
        c.add(
            ~present,
            name,
            "required",
            s,
            f"{name} is required",
            f"fill in {name}: {f.get('description', '')}".strip(),
        )
    long = _check_lengths(f, s, present, c)
    if long is not None:
        too_long[name] = long
        present = present & ~long  # a cell over the limit is not looked at further
    if ftype in ("number", "integer"):
        numbers[name] = _check_number(f, s, present, c)
    elif ftype == "date":
        _check_date(name, s, present, c)
    elif ftype == "boolean":
        bad = present & ~as_mask(pc.is_in(s, value_set=pa.array(_TRUE_FALSE)))
        c.add(bad, name, "type", s, f"{name} is not true or false", "write true or false")
    if "enum" in cons:
        _check_enum(name, cons["enum"], s, present, c)
    if "pattern" in cons:
        _check_pattern(name, cons["pattern"], s, present, c)
    if f.get("format") == "uri":
        _check_uri(name, s, present, c)
    if cons.get("unique"):
        _check_unique(name, s, present, c)
    if ftype == "string" and "enum" not in cons and "pattern" not in cons:
        # enum and pattern columns only admit values that start safely
        c.add(
            present & as_mask(matches(s, _FORMULA)),
            name,
            "formula",
            s,
            f"{name} starts with =, +, -, @ or a control character, which spreadsheets "
            "run as a formula",
            "reword the cell so it starts with a letter, digit or quote",
        )
    if ftype == "string":
        c.add(
            present & as_mask(matches(s, _BIDI)),
            name,
            "bidi",
            s,
            f"{name} holds an invisible bidirectional control (U+202A-202E or U+2066-2069), "
            "which reorders how the text is shown",
            "delete the control character; write the text in its reading order",
        )


def _check_lengths(
    f: dict[str, Any], s: pa.ChunkedArray, present: np.ndarray, c: Collector
) -> np.ndarray | None:
    """maxLength (or the general cell limit) and minLength; return the cells over the limit."""
    name, cons = f["name"], f.get("constraints", {})
    if cons.get("minLength", 0) > 1:  # a minimum of 1 is the same as required
        short = present & as_mask(pc.less(pc.utf8_length(s), cons["minLength"]))
        c.add(
            short,
            name,
            "min-length",
            s,
            f"{name} is shorter than {cons['minLength']}",
            f"lengthen {name}",
        )
    max_len = cons.get("maxLength", MAX_CELL)
    # bytes bound characters from above: count characters only when bytes exceed
    if (pc.max(pc.binary_length(s)).as_py() or 0) <= max_len:
        return None
    long = as_mask(pc.greater(pc.utf8_length(s), max_len))
    check = "max-length" if "maxLength" in cons else "cell-length"
    c.add(long, name, check, s, f"{name} is longer than {max_len:,} characters", f"shorten {name}")
    return long if long.any() else None


def _check_number(
    f: dict[str, Any], s: pa.ChunkedArray, present: np.ndarray, c: Collector
) -> np.ndarray:
    """type (as Frictionless reads numbers), plain-number, finite, minimum and maximum."""
    name, cons = f["name"], f.get("constraints", {})
    integer = f.get("type") == "integer"
    plain = as_mask(matches(s, _INTEGER if integer else NUMBER))
    odd = present & ~plain  # only these need the exact, slow reading
    verdict = per_value_where(s, odd, partial(_number_verdict, integer), "", object)
    what = "a whole number" if integer else "a number"
    c.add(
        verdict == "type",
        name,
        "type",
        s,
        f"{name} is not {what}",
        "write a plain number: digits, optional decimal point, no magnitude words "
        "or separators (846000000, not 846 million)"
        + ("; no decimals or exponent" if integer else ""),
    )
    c.add(
        verdict == "plain-number",
        name,
        "plain-number",
        s,
        f"{name} is not written as a plain number",
        "write ASCII digits only, without spaces, underscores or thousands separators",
    )
    values = pc.cast(pc.if_else(pa.array(plain), s, "nan"), pa.float64()).to_numpy()
    values = np.asarray(values, dtype=np.float64)
    infinite = np.isinf(values) | (verdict == "finite")
    c.add(
        infinite,
        name,
        "finite",
        s,
        f"{name} is not finite",
        "write a finite number (NaN and infinity are not figures)",
    )
    for bound, cmp, label in (("minimum", np.less, "below"), ("maximum", np.greater, "above")):
        if bound in cons:
            c.add(
                _beyond(values, s, cons[bound], cmp),
                name,
                bound,
                s,
                f"{name} is {label} {cons[bound]}",
                f"{name} must be {'>=' if bound == 'minimum' else '<='} {cons[bound]}",
            )
    return values


def _number_verdict(integer: bool, text: str) -> str:
    """How a cell that is not a plain number fails: type, finite or plain-number."""
    cell = text.strip()  # as Frictionless reads a number
    try:
        value = int(cell) if integer else Decimal(cell)
    except (ValueError, InvalidOperation):
        return "type"
    if isinstance(value, Decimal) and not value.is_finite():
        return "finite"
    return "plain-number"


def _beyond(values: np.ndarray, s: pa.ChunkedArray, bound: float, cmp: Any) -> np.ndarray:
    """Rows past ``bound``; rows that equal it as doubles are compared exactly as decimals."""
    with np.errstate(invalid="ignore"):
        past: np.ndarray = cmp(values, bound)
        tie = values == bound
    if tie.any():
        exact = Decimal(str(bound))
        past |= per_value_where(s, tie, lambda t: bool(cmp(Decimal(t), exact)), False, bool)
    return past


def _check_date(name: str, s: pa.ChunkedArray, present: np.ndarray, c: Collector) -> None:
    """type (a real calendar date, as Frictionless reads one) and iso-date (YYYY-MM-DD)."""
    parsed = pc.strptime(s, format="%Y-%m-%d", unit="s", error_is_null=True)
    real = pc.and_(
        pc.and_(matches(s, _ISO_DATE), pc.greater(pc.year(parsed), 0)),
        pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), s),  # no rolled-over day
    )
    odd = present & ~as_mask(real)
    verdict = per_value_where(s, odd, _date_verdict, "", object)
    c.add(
        verdict == "type",
        name,
        "type",
        s,
        f"{name} is not a real date",
        "write YYYY-MM-DD, a day that exists in that month",
    )
    c.add(
        verdict == "iso-date",
        name,
        "iso-date",
        s,
        f"{name} is not written YYYY-MM-DD",
        "write the month and day with two digits each (2016-04-05)",
    )


def _date_verdict(text: str) -> str:
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return "type"
    return "iso-date"


def _check_enum(
    name: str, allowed: list[str], s: pa.ChunkedArray, present: np.ndarray, c: Collector
) -> None:
    shown = ", ".join(allowed) if len(allowed) <= 12 else ", ".join(allowed[:12]) + ", …"
    bad = present & ~as_mask(pc.is_in(s, value_set=pa.array(allowed)))
    c.add(bad, name, "enum", s, f"{name} is not one of the allowed values", f"use one of: {shown}")


def _check_pattern(
    name: str, pattern: str, s: pa.ChunkedArray, present: np.ndarray, c: Collector
) -> None:
    """pattern; a cell that matches only by Python's ``$`` (before a final line break) is
    reported as trailing-line-break."""
    anchored = pattern if pattern.startswith("^") else f"^(?:{pattern})$"
    bad = present & ~as_mask(matches(s, anchored))
    reference = re.compile(f"^{pattern}$")  # how Frictionless tests a pattern
    verdict = per_value_where(
        s, bad, lambda t: "trailing-line-break" if reference.match(t) else "pattern", "", object
    )
    c.add(
        verdict == "pattern",
        name,
        "pattern",
        s,
        f"{name} does not match the pattern {pattern}",
        _pattern_hint(name),
    )
    c.add(
        verdict == "trailing-line-break",
        name,
        "trailing-line-break",
        s,
        f"{name} ends with a line break",
        "remove the line break at the end of the cell",
    )


def _check_uri(name: str, s: pa.ChunkedArray, present: np.ndarray, c: Collector) -> None:
    """format (a URI with a scheme, as Frictionless checks) and web-address (http or https)."""
    uri = as_mask(matches(s, _HAS_SCHEME))
    c.add(
        present & ~uri, name, "format", s, f"{name} is not a URI", "write a full http(s):// address"
    )
    web = present & uri & ~as_mask(matches(s, _WEB))
    c.add(
        web,
        name,
        "web-address",
        s,
        f"{name} is not a web address",
        "write a full http(s):// address",
    )


def _check_unique(name: str, s: pa.ChunkedArray, present: np.ndarray, c: Collector) -> None:
    """A value seen on an earlier row (the first occurrence is not an error)."""
    from .columns import duplicated

    later, first = _repeats_of(duplicated(s) & present, {name: s}, [name])
    lines = c.lines
    c.add(
        later,
        name,
        "unique",
        s,
        lambda i: [f"{name} appears more than once (first on line {lines[f]})" for f in first[i]],
        f"give each row its own {name}",
    )


def _repeats_of(
    dup: np.ndarray, cells: dict[str, pa.ChunkedArray], key: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Of the rows ``dup`` marks, those after the first with the same key; and that first row."""
    from .columns import combined_codes

    if not dup.any():
        return dup, np.zeros(len(dup), dtype=np.int64)
    code = combined_codes([cells[k] for k in key]) if len(key) > 1 else codes(cells[key[0]])[1]
    _, first_pos, inverse = np.unique(code, return_index=True, return_inverse=True)
    first = first_pos[inverse.ravel()]
    return dup & (first != np.arange(len(dup))), first


def _pattern_hint(name: str) -> str:
    return {
        "as_of": "write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn (e.g. 2016-Q3), or leave it empty",
        "locator": "write pN: the N-th non-blank line of the source text (e.g. p13)",
        "id": "use the table's prefix and four or more digits, e.g. uc-0005",
    }.get(name, "see the schema: chinaai-stats describe TABLE")

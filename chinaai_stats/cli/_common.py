"""What every command module shares: exit codes, subcommand help and printing a table."""

from __future__ import annotations

import argparse
import contextlib
import math
import shutil
import sys
import textwrap
import unicodedata
from typing import Any

from ..core.errors import ChinaAIStatsError, did_you_mean

EXIT_OK = 0
EXIT_INVALID = 1  # invalid content: rows that fail validation, text that is not a figure
EXIT_UNUSABLE = 2
EXIT_BUG = 3  # an unexpected failure inside chinaai-stats: please report it
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)

#: Columns that identify a row: a text table never cuts them.
KEYS = ("id", "period")

#: Width assumed when the output is not a terminal and $COLUMNS is not set.
FALLBACK_WIDTH = 100
#: The narrowest a text table is fitted to (a smaller $COLUMNS would print a letter a line).
MIN_WIDTH = 40


def json_failure(message: str, code: int) -> None:
    """Print a failure as one JSON object on stdout: ``{"ok": false, "error": …}``."""
    import json

    doc = {"ok": False, "error": message, "exit_code": code}
    with contextlib.suppress(OSError):  # stdout itself cannot be written: stderr says why
        print(json.dumps(doc, ensure_ascii=False), flush=True)


def command(sub: Any, name: str, what: str, *examples: str) -> argparse.ArgumentParser:
    """Add subcommand ``name``: ``what`` is its one-line help, ``examples`` its usage lines."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=what,
        description=what[0].upper() + what[1:] + ".",
        epilog="examples:\n" + "\n".join(f"  {e}" for e in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def split_columns(text: str | None) -> list[str] | None:
    """Read ``--columns "id, value"``: comma-separated, spaces around names ignored."""
    if text is None:
        return None
    names = list(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))  # once each
    if not names:
        raise ChinaAIStatsError(f"--columns {text!r} names no column; e.g. --columns id,value")
    return names


def check_column(name: str, columns: Any, option: str) -> None:
    """Raise a one-line error when ``name`` is not one of ``columns``."""
    cols = [str(c) for c in columns]
    if name not in cols:
        raise ChinaAIStatsError(
            f"{option}: unknown column {name!r}{did_you_mean(name, cols)}; "
            f"columns: {', '.join(cols)}"
        )


def emit(
    df: Any,
    fmt: str,
    columns: list[str] | None,
    header: str,
    *,
    wide: bool = False,
    notes: list[str] | None = None,
) -> None:
    """Print a DataFrame as a table fitted to the terminal (with a header), CSV or JSON.

    ``wide`` prints every column at full width; ``notes`` are ``# ...`` lines printed
    after the header of a table.
    """
    if columns:
        for c in columns:
            check_column(c, df.columns, "--columns")
        df = df[columns]
    if fmt == "csv":
        sys.stdout.write(df.to_csv(index=False, date_format="%Y-%m-%d"))
    elif fmt == "json":
        import pandas as pd

        dates = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c].dtype)]
        if dates:  # calendar dates as YYYY-MM-DD, not timestamps read as local time
            df = df.assign(**{str(c): df[c].dt.strftime("%Y-%m-%d") for c in dates})
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, indent=2))
        sys.stdout.write("\n")
    else:
        width = max(MIN_WIDTH, shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns)
        lines = [header, *(f"# {n}" for n in notes or [])]
        for line in lines:
            print(
                line
                if wide
                else textwrap.fill(line, width, subsequent_indent="#   ", break_on_hyphens=False)
            )
        print(format_table(df, None if wide else width))


# ------------------------------------------------------------------ text tables


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    """``text`` shortened to ``width`` terminal columns, ending in "…" when cut."""
    if _width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _cell(value: Any) -> str:
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):  # whole numbers in full; fractions to 6 significant digits
        if math.isnan(value):
            return ""
        return f"{value:,.0f}" if value.is_integer() and abs(value) < 1e18 else f"{value:,.6g}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return " ".join(str(value).split())


def format_table(df: Any, width: int | None) -> str:
    """Render ``df`` as aligned text; with ``width``, elide long cells (…) to fit it.

    Numbers, dates and row ids are never cut; text columns shrink, widest first, down to
    their header's width (at least 10). Columns that still do not fit are left out and named.
    """
    import pandas as pd

    names = [str(c) for c in df.columns]
    numeric = [pd.api.types.is_numeric_dtype(df[c].dtype) for c in df.columns]
    cells = [[_cell(v) for v in df[c].tolist()] for c in df.columns]
    natural = [
        max([_width(n)] + [_width(v) for v in col]) for n, col in zip(names, cells, strict=True)
    ]
    widths = list(natural)
    left_out: list[str] = []
    if width is not None:
        keep = [  # numbers, dates and row keys are never cut
            num or str(c) in KEYS or pd.api.types.is_datetime64_any_dtype(df[c].dtype)
            for c, num in zip(df.columns, numeric, strict=True)
        ]
        floors = [
            nat if k else min(nat, max(10, _width(n)))
            for nat, k, n in zip(natural, keep, names, strict=True)
        ]
        while sum(widths) + 2 * (len(widths) - 1) > width:
            shrink = [i for i, w in enumerate(widths) if w > floors[i]]
            if not shrink:
                if len(widths) == 1:
                    break
                left_out.insert(0, names.pop())
                for lst in (widths, floors, cells, numeric):
                    lst.pop()
                continue
            i = max(shrink, key=lambda k: widths[k])
            widths[i] -= 1

    def row(values: list[str]) -> str:
        parts = []
        for v, w, num in zip(values, widths, numeric, strict=True):
            v = _cut(v, w)
            pad = " " * (w - _width(v))
            parts.append(pad + v if num else v + pad)
        return "  ".join(parts).rstrip()

    out = [row(names)]
    out += [row(list(r)) for r in zip(*cells, strict=True)] if cells else []
    if left_out:
        more = (
            f"… {len(left_out)} more column(s) not shown: {', '.join(left_out)} "
            "(--wide or --columns)"
        )
        out.append(textwrap.fill(more, width or len(more)))
    return "\n".join(out)

"""validate(): read the rows, run every check, return the report."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from ...tables import catalog
from . import columns
from .crossfield import Context, cross_checks
from .existing import existing_checks
from .fields import field_checks
from .reading import Cells, InputFileError, frame_cells, read_file
from .report import Collector, ValidationReport
from .sourcetext import source_text_checks

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable

    import pandas as pd

#: Columns a loaded frame carries that are computed, not stored.
DERIVED_COLUMNS = ("period_start", "period_end", "value_usd", "value_cny", "fx_rate", "fx_basis")


#: A file may have this many times its table's columns before it is refused unread.
WIDTH_FACTOR = 4


def validate(
    data: pd.DataFrame | str | os.PathLike[str],
    table: str,
    *,
    existing_ids: set[str] | None = None,
    new_rows: bool | None = None,
    root: Path | None = None,
    texts: Iterable[str | os.PathLike[str]] | None = None,
) -> ValidationReport:
    """Check rows for ``table`` and report every problem at once.

    Parameters
    ----------
    data : DataFrame or path
        A CSV file (UTF-8, a BOM is fine; ``"-"`` reads standard input; a pipe or
        FIFO is read as a stream) or a frame such as :func:`load` returns.
    table : str
        The table the rows are meant for (see :func:`list_datasets`).
    existing_ids : set of str, optional
        More ids to count as taken, besides those of the table.
    new_rows : bool, optional
        Whether the rows are meant to be added to the table in the data root (the
        clone in use): then an id the table already uses is an error
        (``id-exists``) and a fact it already holds is a warning naming that row
        (``fact-exists``), as ``add`` reports them. By default True for a file
        other than the table's own CSV (or when ``existing_ids`` is given), False
        for a frame and for the table's own file.
    root : path, optional
        The data root (default: :func:`chinaai_stats.tables.catalog.data_root`).
    texts : paths, optional
        Folders holding the source texts (default: those in ``$CHINAAI_STATS_SOURCES``,
        separated by :data:`os.pathsep`; ``[]``: check no text). For each row whose
        source text is found by its SHA-256, ``value_text`` and ``stated_usd_text``
        must be on the locator's line (``source-text``); a registered source the rows
        cite whose text is not found is one warning (``source-text-missing``).

    Returns
    -------
    ValidationReport
        ``.ok``, ``.errors`` and ``.warnings`` (DataFrames with ``line``, ``column``,
        ``check``, ``value``, ``message``, ``hint``), ``.to_text()``, ``.to_json()``,
        and ``.write_text(stream)`` / ``.write_json(stream)`` to stream a long report.

    Raises
    ------
    DatasetNotFoundError
        Unknown table name.
    InputFileError
        A file that cannot be read as CSV: missing, a directory, empty, binary, not
        UTF-8, a pipe nothing is written to, or a header sharing no column with the
        table.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> cs.validate(cs.load("talent"), table="talent").ok
    True
    """
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return _validate(
                data, table, existing_ids, new_rows, root or catalog.data_root(), texts
            )
    finally:
        columns.clear_cache()


def _validate(
    data: Any,
    table: str,
    existing_ids: set[str] | None,
    new_rows: bool | None,
    root: Path,
    texts: Iterable[str | os.PathLike[str]] | None = None,
) -> ValidationReport:
    res = catalog.resource(table, root)
    schema = res["schema"]
    read = _read(data, table, schema)
    if new_rows is None:
        new_rows = existing_ids is not None or (
            read.source != "<frame>" and not _is_table_file(data, table, root)
        )
    cells: dict[str, pa.ChunkedArray] = {}
    for name, col in zip(read.table.column_names, read.table.columns, strict=True):
        cells.setdefault(name, col)  # the first of repeated columns
    n = read.table.num_rows
    if n > 100_000:
        print_progress(f"{read.source}: checking {n:,} rows…")
    c = Collector(read.lines)
    _row_problems(read, c)
    _header_checks(read.header, read.header_line, schema, table, c)
    numbers, too_long = field_checks(cells, schema, c, n)
    if new_rows and n:
        existing_checks(cells, table, numbers, c, root, existing_ids)
    cross_checks(Context(cells, table, numbers, too_long, c, root), n)
    if n:
        source_text_checks(cells, read.lines, c, root, texts)
    if not n:
        c.at_line(
            read.header_line,
            "(file)",
            "no-rows",
            "",
            "the file has a header but no rows",
            "add rows below the header",
            kind="warning",
        )
    kept = pa.table(dict(cells)) if cells else None
    return ValidationReport(table, read.source, n, c.problems(), cells=kept)


def _read(data: Any, table: str, schema: dict[str, Any]) -> Cells:
    expected = [f["name"] for f in schema["fields"]]
    if not isinstance(data, (str, os.PathLike)):  # a DataFrame
        if not hasattr(data, "columns") or not hasattr(data, "drop"):
            raise InputFileError(
                f"validate() takes a pandas DataFrame or the path of a CSV file, "
                f"not {type(data).__name__}"
            )
        frame = data.drop(columns=[c for c in DERIVED_COLUMNS if c in data.columns])
        integers = tuple(f["name"] for f in schema["fields"] if f.get("type") == "integer")
        return frame_cells(frame, integers)
    if str(data) != "-":
        path = Path(data)
        if path.is_file() and path.stat().st_size > 10 << 20:
            print_progress(f"{path}: reading {path.stat().st_size / 2**20:,.0f} MiB…")
    # a few unknown columns are reported one by one; a header many times the schema's
    # width is refused before its rows are parsed (bounded work for any file)
    read = read_file(data, max_columns=WIDTH_FACTOR * len(expected))
    if not set(read.header) & set(expected):
        raise InputFileError(
            f"{read.source}: does not look like a CSV file of table {table}: its header shares "
            f"no column with {', '.join(expected[:4])}, … (see: chinaai-stats describe {table})"
        )
    return read


def _is_table_file(data: Any, table: str, root: Path) -> bool:
    if str(data) == "-":
        return False
    try:
        return Path(data).resolve() == catalog.table_path(table, root).resolve()
    except OSError:
        return False


def _row_problems(read: Cells, c: Collector) -> None:
    """Ragged rows and blank lines, as the reader found them."""
    for line, fields in read.ragged:
        c.at_line(
            line,
            "(row)",
            "ragged-row",
            "",
            f"row has {fields} fields, the header has {len(read.header)}",
            "quote cells that contain commas; one cell per column",
        )
    for line in read.blank:
        c.at_line(
            line, "(row)", "blank-row", "", "a blank line between rows", "remove the blank line"
        )


def _header_checks(
    header: list[str], at: int, schema: dict[str, Any], table: str, c: Collector
) -> None:
    """Columns named twice, columns the table does not have, and fields without a column."""
    expected = [f["name"] for f in schema["fields"]]
    seen: set[str] = set()
    for col in header:
        if col in seen:
            c.at_line(
                at,
                col,
                "duplicate-column",
                col,
                f"column {col} appears twice in the header",
                "remove the repeated column",
            )
        seen.add(col)
        if col not in expected:
            c.at_line(
                at,
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
                at,
                col,
                "missing-column",
                "",
                f"the header has no column {col}" + (" (required)" if col in required else ""),
                f"add the column {col}, empty where unknown",
            )


def print_progress(message: str) -> None:
    """A status line on stderr for large files, only when stderr is a terminal."""
    if sys.stderr is not None and sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)

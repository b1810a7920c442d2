"""Rows against their source texts: ``value_text`` on the line its locator names.

The texts are not redistributed; they are found by the SHA-256 the registry records,
in the folders ``validate`` is given (``texts=``, ``--texts``) or else those in
``$CHINAAI_STATS_SOURCES``. With no folder, nothing is checked. See
:mod:`chinaai_stats.reading.provenance` for the check itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa

from ...reading.provenance import TEXT_COLUMNS, TextIndex, check_indexed, source_dirs
from ...tables import catalog
from .report import Collector

_NEEDED = ("id", "source_id", "locator")


def source_text_checks(
    cells: dict[str, pa.ChunkedArray],
    lines: np.ndarray,
    c: Collector,
    root: Path,
    texts: Iterable[str | os.PathLike[str]] | None,
) -> None:
    """Record a ``source-text`` error per figure not on its line, a warning per text not found."""
    folders = source_dirs(texts)
    if not folders or not all(k in cells for k in _NEEDED):
        return
    keys = [k for k in (*_NEEDED, *TEXT_COLUMNS) if k in cells]
    records = pa.table({k: cells[k] for k in keys}).to_pylist()
    first_line = int(lines[0]) if len(lines) else 1
    for i, p in check_indexed(records, catalog.registry_rows(root), TextIndex(folders)):
        if i is None:
            c.at_line(first_line, p.column, "source-text-missing", p.value, p.message, p.hint,
                      kind="warning")  # fmt: skip
        else:
            c.at_line(int(lines[i]), p.column, "source-text", p.value, p.message, p.hint)

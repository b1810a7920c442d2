"""Vectorised helpers over text columns: emptiness, regex tests, distinct values, duplicates.

Every check works on whole columns of text cells (Arrow arrays); columns with few
distinct values are checked once per distinct value. Distinct values are cached
for the duration of one :func:`~chinaai_stats.contributing.validation.validate` call.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: From this many rows on, the columns are checked in parallel threads.
PARALLEL_ROWS = 50_000

_DISTINCT_CACHE: dict[int, tuple[Any, pa.Array, np.ndarray]] = {}


def clear_cache() -> None:
    """Forget the distinct values of the columns of the last call."""
    _DISTINCT_CACHE.clear()


def is_empty(col: Any) -> Any:
    """Empty cells (a length test: far faster than comparing strings)."""
    return pc.equal(pc.binary_length(col), 0)


def is_filled(col: Any) -> Any:
    """Cells holding at least one character."""
    return pc.greater(pc.binary_length(col), 0)


def matches(col: Any, pattern: str) -> Any:
    """Regex test per cell; per distinct value when a column repeats few values."""
    if len(col) > 5_000 and pc.count_distinct(col.slice(0, 2_000)).as_py() < 200:
        flat = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        enc = pc.dictionary_encode(flat)
        return pc.take(pc.match_substring_regex(enc.dictionary, pattern), enc.indices)
    return pc.match_substring_regex(col, pattern)


def positions(mask: Any) -> np.ndarray:
    """Row positions where a boolean Arrow array or numpy array is true (nulls are false)."""
    if isinstance(mask, np.ndarray):
        return np.flatnonzero(mask)
    if not pc.any(mask).as_py():
        return np.empty(0, dtype=np.int64)
    found: np.ndarray = pc.indices_nonzero(pc.fill_null(mask, False)).to_numpy()
    return found


def as_mask(x: Any) -> np.ndarray:
    """A boolean Arrow array as numpy (nulls false)."""
    if isinstance(x, np.ndarray):
        return x
    mask: np.ndarray = pc.fill_null(x, False).to_numpy(zero_copy_only=False)
    return mask


def codes(col: pa.ChunkedArray | pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Distinct values of a column (as Arrow) and, per row, the position of its value."""
    hit = _DISTINCT_CACHE.get(id(col))
    if hit is not None and hit[0] is col:
        return hit[1], hit[2]
    flat = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    enc = pc.dictionary_encode(flat)
    out = enc.dictionary, enc.indices.to_numpy(zero_copy_only=False)
    _DISTINCT_CACHE[id(col)] = (col, *out)
    return out


def distinct(col: pa.ChunkedArray | pa.Array) -> tuple[list[Any], np.ndarray]:
    """Like :func:`codes`, with the distinct values as Python objects."""
    dictionary, idx = codes(col)
    return dictionary.to_pylist(), idx


def per_value(col: pa.ChunkedArray, fn: Callable[[Any], Any], dtype: Any = object) -> np.ndarray:
    """Apply ``fn`` once per distinct value of ``col``; return the per-row results."""
    uniques, idx = distinct(col)
    out = np.array([fn(v) for v in uniques] or [None], dtype=dtype)
    return out[idx] if len(idx) else np.empty(0, dtype=dtype)


def per_value_where(
    col: pa.ChunkedArray, rows: np.ndarray, fn: Callable[[Any], Any], default: Any, dtype: Any
) -> np.ndarray:
    """Apply ``fn`` once per distinct value found in the rows ``rows`` (a boolean mask).

    Other rows get ``default``. Used for the slow, exact path of a check whose fast
    vectorised test already settled most rows.
    """
    out = np.full(len(col), default, dtype=dtype)
    if not rows.any():
        return out
    where = np.flatnonzero(rows)
    picked = col.take(pa.array(where))
    uniques, idx = distinct(picked)
    results = np.array([fn(v) for v in uniques] or [default], dtype=dtype)
    out[where] = results[idx]
    return out


def combined_codes(cols: list[Any]) -> np.ndarray:
    """One integer per row that is equal exactly when the rows agree on every column."""
    combined = np.zeros(len(cols[0]), dtype=np.int64)
    span = 1  # the number of values the running key can take
    for col in cols:
        dictionary, idx = codes(col)
        size = max(len(dictionary), 1)
        if span * size >= 2**62:  # re-number densely so the next product cannot overflow
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64).ravel()
            span = int(combined.max()) + 1 if len(combined) else 1
        combined = combined * size + idx
        span *= size
    return combined


def per_pair(
    a: pa.ChunkedArray, b: pa.ChunkedArray, fn: Callable[[Any, Any], Any], dtype: Any = object
) -> np.ndarray:
    """Apply ``fn`` once per distinct pair of values of columns ``a`` and ``b``."""
    ua, ca = distinct(a)
    ub, cb = distinct(b)
    width = max(len(ub), 1)
    key = ca.astype(np.int64) * width + cb
    space = max(len(ua), 1) * width
    if space <= 4 * len(key) + 1024:  # few possible pairs: number them without sorting
        seen = np.zeros(space, dtype=bool)
        seen[key] = True
        pairs = np.flatnonzero(seen)
        renumber = np.zeros(space, dtype=np.int64)
        renumber[pairs] = np.arange(len(pairs))
        idx = renumber[key]
    else:
        pairs, idx = np.unique(key, return_inverse=True)
        idx = idx.ravel()
    out = np.array([fn(ua[k // width], ub[k % width]) for k in pairs] or [None], dtype=dtype)
    return out[idx] if len(idx) else np.empty(0, dtype=dtype)


def duplicated(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """True for every row whose value occurs more than once."""
    if len(col) == 0:
        return np.zeros(0, dtype=bool)
    flat = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if len(flat) > 1 and pc.all(pc.less(flat.slice(0, len(flat) - 1), flat.slice(1))).as_py():
        return np.zeros(len(flat), dtype=bool)  # strictly increasing (ids in order): unique
    if len(pc.unique(flat)) == len(flat):  # the common case, and cheaper to establish
        return np.zeros(len(flat), dtype=bool)
    idx: np.ndarray = pc.dictionary_encode(flat).indices.to_numpy(zero_copy_only=False)
    repeated: np.ndarray = np.bincount(idx)[idx] > 1
    return repeated


def duplicated_rows(cols: list[Any]) -> np.ndarray:
    """True for every row whose combination of values in ``cols`` occurs more than once."""
    if len(cols[0]) == 0:
        return np.zeros(0, dtype=bool)
    _, inverse, counts = np.unique(combined_codes(cols), return_inverse=True, return_counts=True)
    return counts[inverse.ravel()] > 1


def run(tasks: Sequence[Callable[[], None]], parallel: bool) -> None:
    """Run independent groups of checks, in threads when the file is large.

    Arrow kernels release the GIL, so on large files columns are checked side by side.
    """
    if not parallel:
        for task in tasks:
            task()
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for future in [pool.submit(task) for task in tasks]:
            future.result()  # re-raise what a task raised

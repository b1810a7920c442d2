"""The report: problems kept as compact batches, written out as they are formatted.

A check that fails on many rows records one batch (the row positions, the column
of values, and a message that is either fixed or built for the failing rows only),
not one Python object per problem. Problems are put in order (line, column, check)
and formatted a chunk at a time, so writing a report of a million problems holds
only one chunk of text in memory.
"""

from __future__ import annotations

import io
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .columns import positions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

REPORT_COLUMNS = ["line", "column", "check", "value", "message", "hint"]
KINDS = ("error", "warning")
#: Problems formatted per chunk when writing a report.
CHUNK = 8192
#: Longest cell shown in a report.
SHORT = 80

Message = str | Callable[[np.ndarray], Any]
_encode = json.encoder.encode_basestring


def short(value: Any, limit: int = SHORT) -> str:
    """A cell as shown in a report: at most ``limit`` characters, with the full length."""
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text):,} characters)"


@dataclass
class _Batch:
    """Problems one check found: rows (positions), their lines, values and messages."""

    column: str
    check: str
    rows: np.ndarray  # row positions; for a problem at a fixed line, empty
    lines: np.ndarray
    values: Any  # an Arrow column indexed by row position, a list of texts, or None
    message: Message
    hint: Message

    def order_key(self) -> tuple[Any, ...]:
        text = self.message if isinstance(self.message, str) else ""
        return (self.column, self.check, text, int(self.lines[0]), len(self.lines))

    def values_at(self, which: np.ndarray) -> list[str]:
        """The cells of the problems at positions ``which`` of the batch, shortened."""
        if not len(self.rows):  # problems at fixed lines
            return [self.values[k] for k in which]
        if self.values is None:
            return [""] * len(which)
        taken = self.values.take(pa.array(self.rows[which]))
        if len(taken) and (pc.max(pc.utf8_length(taken)).as_py() or 0) > SHORT:
            return [short(v) for v in taken.to_pylist()]
        cells: list[str] = taken.to_pylist()
        return cells

    def messages_at(self, which: np.ndarray, message: Message) -> list[str] | str:
        """The message (or hint) of each problem at ``which``; one text when it is fixed."""
        if not callable(message):
            return message
        rows = self.rows[which] if len(self.rows) else which
        return [str(m) for m in message(rows)]

    def texts(self, which: np.ndarray) -> tuple[list[str], list[str], list[str]]:
        """Values, messages and hints of the problems at positions ``which`` of the batch."""
        n = len(which)
        msgs, hints = self.messages_at(which, self.message), self.messages_at(which, self.hint)
        return (
            self.values_at(which),
            [msgs] * n if isinstance(msgs, str) else msgs,
            [hints] * n if isinstance(hints, str) else hints,
        )


class Collector:
    """Gathers problems from checks that may run side by side in threads."""

    def __init__(self, lines: np.ndarray) -> None:
        self.lines = lines  # file line of each row position
        self.batches: dict[str, list[_Batch]] = {k: [] for k in KINDS}
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
        """Record rows where ``mask`` is true; return their positions.

        ``message`` and ``hint`` are texts, or functions of the failing row
        positions that return one text per row (called when the report is written).
        """
        idx = positions(mask)
        if len(idx):
            batch = _Batch(column, check, idx, self.lines[idx], values, message, hint)
            with self.lock:
                self.batches[kind].append(batch)
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
        """Record one problem at a fixed line (the header, a ragged or blank row)."""
        batch = _Batch(
            column,
            check,
            np.empty(0, dtype=np.int64),
            np.array([line], dtype=np.int64),
            [short(value)],
            message,
            hint,
        )
        with self.lock:
            self.batches[kind].append(batch)

    def problems(self) -> dict[str, Problems]:
        return {k: Problems(v) for k, v in self.batches.items()}


class Problems:
    """The problems of one kind, in one total order: line, column, check."""

    def __init__(self, batches: list[_Batch]) -> None:
        # checks may run side by side: the order must not depend on which finished first
        self.batches = sorted(batches, key=_Batch.order_key)
        self._order: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return sum(len(b.lines) for b in self.batches)

    def _ordered(self) -> tuple[np.ndarray, np.ndarray]:
        """Per problem in order: its batch and its position within the batch."""
        if self._order is None:
            sizes = [len(b.lines) for b in self.batches]
            lines = np.concatenate([b.lines for b in self.batches] or [np.empty(0, np.int64)])
            batch = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
            within = np.concatenate([np.arange(s) for s in sizes] or [np.empty(0, np.int64)])
            order = np.lexsort((within, batch, lines))
            self._order = batch[order], within[order]
        return self._order

    def runs(self, limit: int | None = None) -> Iterator[tuple[_Batch, np.ndarray]]:
        """Problems in order, as runs of consecutive problems of one batch.

        Each run is a batch and the positions (within the batch) of its problems;
        runs hold at most :data:`CHUNK` problems, so a consumer formats a bounded piece.
        """
        batch_of, within = self._ordered()
        total = len(batch_of) if limit is None else min(max(limit, 0), len(batch_of))
        for start in range(0, total, CHUNK):
            b_ids = batch_of[start : min(start + CHUNK, total)]
            w_ids = within[start : min(start + CHUNK, total)]
            cuts = [0, *(np.flatnonzero(np.diff(b_ids)) + 1).tolist(), len(b_ids)]
            for a, b in itertools.pairwise(cuts):
                yield self.batches[int(b_ids[a])], w_ids[a:b]

    def chunks(self, limit: int | None = None) -> Iterator[list[tuple[Any, ...]]]:
        """Problems as ``(line, column, check, value, message, hint)``, a run at a time."""
        for batch, which in self.runs(limit):
            vals, msgs, hints = batch.texts(which)
            lines = batch.lines[which].tolist()
            yield [
                (line, batch.column, batch.check, v, m, h)
                for line, v, m, h in zip(lines, vals, msgs, hints, strict=True)
            ]

    def rows(self) -> list[tuple[Any, ...]]:
        return [p for chunk in self.chunks() for p in chunk]


@dataclass
class ValidationReport:
    """Every problem found in one file or frame.

    ``errors`` and ``warnings`` are DataFrames with the columns ``line`` (line in
    the file, header = 1; for a frame, the line it would have in a CSV),
    ``column``, ``check`` (see ``chinaai_stats.contributing.validation.checks``), ``value``,
    ``message`` and ``hint``. ``ok`` is True when there is no error (warnings do
    not fail a file). The DataFrames are made on first access; :meth:`write_text`
    and :meth:`write_json` stream the report without building it whole.
    """

    table: str
    source: str
    rows: int
    problems: dict[str, Problems] = field(repr=False)
    cells: pa.Table | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not len(self.problems["error"])

    @property
    def errors(self) -> pd.DataFrame:
        return _frame(self.problems["error"].rows())

    @property
    def warnings(self) -> pd.DataFrame:
        return _frame(self.problems["warning"].rows())

    @property
    def frame(self) -> pd.DataFrame:
        """The rows as read, every cell as text (empty string where blank)."""
        import pandas as pd

        if self.cells is None:
            return pd.DataFrame()
        frame: pd.DataFrame = self.cells.to_pandas(
            types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get
        )
        return frame

    def without(self, *checks: str) -> ValidationReport:
        """The same report less the problems of the named checks (e.g. ``"id-exists"``)."""
        problems = {
            kind: Problems([b for b in p.batches if b.check not in checks])
            for kind, p in self.problems.items()
        }
        return replace(self, problems=problems)

    def summary(self) -> str:
        verdict = "valid" if self.ok else "invalid"
        return (
            f"{self.source}: {verdict} for table {self.table}: {self.rows} rows, "
            f"{len(self.problems['error'])} errors, {len(self.problems['warning'])} warnings"
        )

    def write_text(self, out: TextIO, limit: int | None = None) -> None:
        """Write one line per problem (``SOURCE:LINE: kind: column: message``), then a summary."""
        for kind in KINDS:
            for batch, which in self.problems[kind].runs(limit):
                lines = batch.lines[which].tolist()
                msgs = batch.messages_at(which, batch.message)
                hints = batch.messages_at(which, batch.hint)
                if isinstance(msgs, str) and isinstance(hints, str):
                    tail = f": {kind}: {batch.column}: {_with_fix(msgs, hints)}\n"
                    out.write("".join([f"{self.source}:{line}{tail}" for line in lines]))
                    continue
                n = len(lines)
                msgs = [msgs] * n if isinstance(msgs, str) else msgs
                hints = [hints] * n if isinstance(hints, str) else hints
                head = f"{self.source}:"
                mid = f": {kind}: {batch.column}: "
                out.write(
                    "".join(
                        [
                            f"{head}{line}{mid}{_with_fix(m, h)}\n"
                            for line, m, h in zip(lines, msgs, hints, strict=True)
                        ]
                    )
                )
            total = len(self.problems[kind])
            if limit is not None and total > limit:
                out.write(f"... and {total - limit} more {kind}s\n")
        out.write(self.summary() + "\n")

    def to_text(self, limit: int | None = None) -> str:
        """The text report as one string (see :meth:`write_text`)."""
        buf = io.StringIO()
        self.write_text(buf, limit)
        return buf.getvalue().removesuffix("\n")

    def write_json(
        self, out: TextIO, limit: int | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        """Write the report as one JSON object, one problem per line, streaming.

        Keys: ``source``, ``table``, ``rows``, ``ok``, ``error_count``,
        ``warning_count``, ``errors`` and ``warnings`` (lists of objects with the
        report columns; at most ``limit`` each), then the keys of ``extra``.
        """
        head = {
            "source": self.source,
            "table": self.table,
            "rows": self.rows,
            "ok": self.ok,
            "error_count": len(self.problems["error"]),
            "warning_count": len(self.problems["warning"]),
        }
        out.write("{\n" + "".join(f"  {_encode(k)}: {json.dumps(v)},\n" for k, v in head.items()))
        for kind in KINDS:
            out.write(f'  "{kind}s": [')
            first = True
            for batch, which in self.problems[kind].runs(limit):
                out.write(
                    ("\n    " if first else ",\n    ") + ",\n    ".join(_records(batch, which))
                )
                first = False
            out.write("]" if first else "\n  ]")
            out.write(",\n" if kind == "error" or extra else "\n")
        tail = [
            f"  {_encode(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in (extra or {}).items()
        ]
        out.write(",\n".join(tail) + ("\n" if tail else "") + "}\n")

    def to_json(self, limit: int | None = None) -> str:
        """The JSON report as one string (see :meth:`write_json`)."""
        buf = io.StringIO()
        self.write_json(buf, limit)
        return buf.getvalue().removesuffix("\n")


def _with_fix(message: str, hint: str) -> str:
    return f"{message} (fix: {hint})" if hint else message


def _records(batch: _Batch, which: np.ndarray) -> list[str]:
    """The problems of one run as JSON objects (constant parts encoded once)."""
    lines = batch.lines[which].tolist()
    values = [_encode(v) for v in batch.values_at(which)]
    msgs = batch.messages_at(which, batch.message)
    hints = batch.messages_at(which, batch.hint)
    mid = f', "column": {_encode(batch.column)}, "check": {_encode(batch.check)}, "value": '
    if isinstance(msgs, str) and isinstance(hints, str):
        tail = f', "message": {_encode(msgs)}, "hint": {_encode(hints)}}}'
        return [f'{{"line": {line}{mid}{v}{tail}' for line, v in zip(lines, values, strict=True)]
    n = len(lines)
    msgs = [msgs] * n if isinstance(msgs, str) else msgs
    hints = [hints] * n if isinstance(hints, str) else hints
    return [
        f'{{"line": {line}{mid}{v}, "message": {_encode(m)}, "hint": {_encode(h)}}}'
        for line, v, m, h in zip(lines, values, msgs, hints, strict=True)
    ]


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

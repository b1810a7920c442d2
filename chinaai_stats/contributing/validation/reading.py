"""Reading a CSV file (or a pipe, or a DataFrame) into columns of text cells.

A regular file is checked in one pass of blocks (NUL bytes, line breaks, where the
header is) and then parsed by Arrow's CSV reader from just after the header. A
pipe, FIFO or device (``-`` is standard input) is read as a stream, up to
:data:`MAX_STREAM` bytes, and refused when nothing arrives within
:data:`PIPE_WAIT` seconds, so a FIFO nobody writes to never hangs the reader.
Every row keeps the line it starts on in the file (the header is line 1 when it
is the first line); blank lines between rows and rows with the wrong number of
cells are reported with their lines.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from ...core.errors import InputFileError as InputFileError
from ...reading.inputs import MAX_STREAM as MAX_STREAM
from ...reading.inputs import PIPE_WAIT as PIPE_WAIT
from ...reading.inputs import binary_message, read_input

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterator

    import pandas as pd

#: The longest header line accepted.
MAX_HEADER = 1 << 20
_BLOCK = 1 << 22
_BLANK = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"


@dataclass
class Cells:
    """Rows as read: text cells per column, each row's line, and rows that could not be kept."""

    source: str
    header: list[str]
    table: pa.Table
    lines: np.ndarray
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (line, number of cells)
    blank: list[int] = field(default_factory=list)  # lines of blank rows
    header_line: int = 1


@dataclass
class _Input:
    """A regular file (``path``) or the bytes a stream delivered (``data``)."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @property
    def size(self) -> int:
        return self.path.stat().st_size if self.path is not None else len(self.data or b"")

    def blocks(self, start: int = 0) -> Iterator[bytes]:
        if self.path is None:
            view = memoryview(self.data or b"")
            for i in range(start, len(view), _BLOCK):
                yield bytes(view[i : i + _BLOCK])
            return
        with open(self.path, "rb") as f:
            f.seek(start)
            while block := f.read(_BLOCK):
                yield block

    def window(self, start: int, size: int) -> bytes:
        if self.path is None:
            return (self.data or b"")[start : start + size]
        with open(self.path, "rb") as f:
            f.seek(start)
            return f.read(size)

    def arrow(self, start: int) -> Any:
        """An Arrow input stream positioned at byte ``start``."""
        if self.path is None:
            return pa.BufferReader(pa.py_buffer(self.data or b"").slice(start))
        f = pa.OSFile(str(self.path))  # not a memory map: mapped pages would count as memory
        f.seek(start)
        return f

    def text(self, start: int) -> str:
        """Everything from byte ``start`` on, decoded (for the exact line count)."""
        if self.path is None:
            return (self.data or b"")[start:].decode("utf-8")
        with open(self.path, "rb") as f:
            f.seek(start)
            return f.read().decode("utf-8")


# ------------------------------------------------------------------ opening


def open_input(data: str | os.PathLike[str]) -> _Input:
    """A path as something to read: a regular file, or a stream read whole (``-``: stdin)."""
    src = read_input(data, kind="CSV file", fix="save the rows to a file and validate the file")
    return _Input(src.name, path=src.path, data=src.data)


# ------------------------------------------------------------------ the layout of the file


@dataclass
class _Layout:
    header_line: int  # line of the header (1 unless blank lines come first)
    header_start: int  # byte offset of the header line
    body_start: int  # byte offset just after the header's line break
    body_lines: int  # lines after the header (a last line without a break counts)
    header: bytes = b""


def _breaks(block: bytes, after_cr: bool) -> int:
    """Line breaks in ``block``: LF, CRLF and lone CR each count once."""
    n = block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")
    return n - (after_cr and block[:1] == b"\n")


def _scan(src: _Input) -> _Layout:
    """One pass over the input: refuse binary or empty input; find the header; count lines."""
    breaks, prefix_breaks, first, line_start = 0, 0, -1, 0
    offset, last = 0, b""
    for block in src.blocks():
        if b"\x00" in block:
            raise InputFileError(binary_message(src.name, "CSV file", block[:4096]))
        if offset == 0 and block.startswith(_BOM):
            block, offset = block[3:], 3
        n = _breaks(block, last == b"\r")
        if first < 0:  # still in the blank lines before the header
            rest = block.lstrip(_BLANK)
            if rest:
                cut = len(block) - len(rest)
                part = block[:cut]
                first = offset + cut
                line_start = offset + max(part.rfind(b"\n"), part.rfind(b"\r")) + 1
                prefix_breaks += _breaks(part, last == b"\r")
            else:
                prefix_breaks += n
        breaks += n
        offset += len(block)
        last = block[-1:]
    if first < 0:
        raise InputFileError(f"{src.name}: is empty; a CSV file needs at least a header line")
    head = src.window(line_start, MAX_HEADER + 1)
    ends = [i for i in (head.find(b"\n"), head.find(b"\r")) if i >= 0]
    if not ends:
        if line_start + len(head) < offset:
            raise InputFileError(
                f"{src.name}: the first line is longer than {MAX_HEADER >> 20} MiB; "
                "it is not a CSV header"
            )
        return _Layout(prefix_breaks + 1, line_start, offset, 0, head)
    end = min(ends)
    body = line_start + end + (2 if head[end : end + 2] == b"\r\n" else 1)
    trailing = body < offset and last not in (b"\n", b"\r")
    lines = breaks - prefix_breaks - 1 + trailing
    return _Layout(prefix_breaks + 1, line_start, body, lines, head[:end])


def _not_utf8(src: _Input) -> InputFileError | None:
    """An error naming the first byte that is not UTF-8, or None when all of it is."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    done, line = 0, 1
    for block in src.blocks():
        try:
            decoder.decode(block)
        except UnicodeDecodeError as exc:
            pending = len(exc.object) - len(block)  # bytes held over from the last block
            at = max(exc.start - pending, 0)
            line += block.count(b"\n", 0, at)
            return InputFileError(
                f"{src.name}: is not UTF-8 text (line {line}, byte {done + at}); save it as UTF-8"
            )
        line += block.count(b"\n")
        done += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return InputFileError(f"{src.name}: is not UTF-8 text (it ends inside a character)")
    return None


def _header(layout: _Layout, src: _Input) -> list[str]:
    try:
        first = layout.header.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError:
        raise (_not_utf8(src) or InputFileError(f"{src.name}: is not UTF-8 text")) from None
    try:
        return next(csv.reader([first]))
    except (csv.Error, StopIteration):
        raise InputFileError(f"{src.name}: the first line is not a CSV header") from None


# ------------------------------------------------------------------ reading rows


def read_file(data: str | os.PathLike[str], max_columns: int | None = None) -> Cells:
    """Read a CSV file, pipe or ``-`` (stdin) into text cells; raise InputFileError if unusable.

    ``max_columns`` refuses a header with more columns than that before any row is parsed
    (the work and memory of parsing grow with the header's width).
    """
    src = open_input(data)
    layout = _scan(src)
    header = _header(layout, src)
    if max_columns is not None and len(header) > max_columns:
        raise InputFileError(
            f"{src.name}: its header has {len(header):,} columns, more than the {max_columns} "
            "a file of this table may have; give the table's own columns "
            "(see: chinaai-stats template TABLE)"
        )
    try:
        table, ragged_seen = _parse_rows(src, layout.body_start, header)
    except InputFileError as exc:  # Arrow checks UTF-8 as it reads; name the byte
        raise _not_utf8(src) or InputFileError(f"{src.name}: {exc}") from None
    first_row = layout.header_line + 1
    if not ragged_seen and layout.body_lines == table.num_rows:
        # no ragged row, blank line or line break inside a cell: row i is on line i + first
        lines = np.arange(table.num_rows, dtype=np.int64) + first_row
        return Cells(src.name, header, table, lines, header_line=layout.header_line)
    lines, ragged, blank = _count_lines(src, layout, len(header), table.num_rows)
    return Cells(src.name, header, table, lines, ragged, blank, layout.header_line)


def _parse_rows(src: _Input, start: int, header: list[str]) -> tuple[pa.Table, int]:
    """Every cell from byte ``start`` on as text; return the cells and the ragged rows skipped."""
    import pyarrow.csv as pacsv

    names = [f"{i}:{h}" for i, h in enumerate(header)]  # unique even if the header repeats
    size = src.size - start
    if size <= 0:
        empty = pa.table({n: pa.array([], pa.string()) for n in names})
        return empty.rename_columns(header), 0
    ragged_seen = [0]

    def on_invalid(row: Any) -> str:
        ragged_seen[0] += 1
        return "skip"

    block = _BLOCK
    while True:
        try:
            table = pacsv.read_csv(
                src.arrow(start),
                read_options=pacsv.ReadOptions(column_names=names, block_size=block),
                parse_options=pacsv.ParseOptions(
                    invalid_row_handler=on_invalid, newlines_in_values=True
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            return table.rename_columns(header), ragged_seen[0]
        except pa.ArrowInvalid as exc:
            if "straddle" in str(exc) and block < size + 1:
                block = size + 1  # one cell larger than a block: read in one piece
                ragged_seen[0] = 0
                continue
            if "Empty CSV file" in str(exc):  # only blank lines after the header
                return _parse_rows(src, src.size, header)
            raise InputFileError(f"cannot parse as CSV: {str(exc).splitlines()[0]}") from None


def _count_lines(
    src: _Input, layout: _Layout, width: int, kept: int
) -> tuple[np.ndarray, list[tuple[int, int]], list[int]]:
    """The exact line of every kept row, and the lines of ragged and blank rows."""
    reader = csv.reader(io.StringIO(src.text(layout.body_start), newline=""))
    bad, blank, keep = [], [], []
    start = layout.header_line + 1
    for row in reader:
        if not row:  # a blank line: Arrow skips it, Table Schema readers report it
            blank.append(start)
        elif len(row) == width:
            keep.append(start)
        else:
            bad.append((start, len(row)))
        start = layout.header_line + 1 + reader.line_num
    lines = np.array(keep, dtype=np.int64)
    if len(lines) != kept:  # the two readers disagree: fall back to counting rows
        lines = np.arange(kept, dtype=np.int64) + layout.header_line + 1
    return lines, bad, blank


def frame_cells(frame: pd.DataFrame, integers: tuple[str, ...] = ()) -> Cells:
    """A frame (typed or not) as text cells, the way a CSV would hold them.

    Floats are written as ``repr`` writes them (``1e+400`` overflows to ``inf``),
    except whole floats in the ``integers`` columns, written without ``.0`` (a
    column of integers with gaps is float in pandas).
    """
    import pandas as pd

    out = {}
    header = [str(c) for c in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(s):
            text = s.map(partial(_float_text, str(col) in integers))
        else:
            text = s.astype("object").map(lambda v: "" if v is None or pd.isna(v) else str(v))
        out[str(col)] = pa.array(text.fillna("").tolist(), type=pa.string())
    table = pa.table(out) if out else pa.table({})
    lines = np.arange(table.num_rows, dtype=np.int64) + 2
    return Cells("<frame>", header, table, lines)


def _float_text(integer: bool, v: Any) -> str:
    if v is None or v != v:  # None or NaN: an empty cell
        return ""
    v = float(v)
    if integer and v.is_integer():
        return str(int(v))
    return repr(v)

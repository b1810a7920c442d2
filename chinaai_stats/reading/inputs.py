"""Opening a file a user names: a regular file, or a pipe, FIFO or device read as a stream.

Every command that reads a user's file (``validate``, ``add``, ``extract``,
``sources add``) opens it here, so each refuses the same things with the same
words: a missing file, a folder, a socket, a terminal, and a pipe, FIFO or device
that delivers nothing within :data:`PIPE_WAIT` seconds (never a hang), NUL bytes
(binary content or UTF-16 text) or more than a given number of bytes (never a
flood). ``-`` is standard input.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = p.write_bytes("\\ufeffcaf\\u00e9\\n".encode("utf-8"))
>>> decode_text(read_input(p, kind="text file").read(), str(p))
'café\\n'
"""

from __future__ import annotations

import os
import select
import stat
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputFileError

#: Seconds to wait for the first byte from a pipe, FIFO or device.
PIPE_WAIT = 5.0
#: The most a stream may hold by default (it is read into memory, not onto disk).
MAX_STREAM = 512 << 20

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass
class Input:
    """A regular file (``path``) or the bytes a stream delivered (``data``)."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    def read(self) -> bytes:
        """Every byte of the input."""
        if self.path is None:
            return self.data or b""
        with open(self.path, "rb") as f:
            return f.read()


def read_input(
    source: str | os.PathLike[str],
    *,
    kind: str,
    limit: int = MAX_STREAM,
    fix: str = "save it to a file and name the file",
    streams: bool = True,
) -> Input:
    """Open ``source`` (``-``: standard input) as a regular file or a stream read whole.

    ``kind`` names what is expected in messages ("CSV file", "text file"); ``limit``
    bounds a stream (and a regular file, when ``limit`` is smaller than
    :data:`MAX_STREAM`); ``fix`` ends the message for a stream that stays silent or
    floods; ``streams=False`` refuses anything but a regular file (an input that
    must be a file on disk). Raises :class:`~chinaai_stats.core.errors.InputFileError`
    (exit code 2).
    """
    if str(source) == "-":
        return Input("<stdin>", data=_read_stream(0, "<stdin>", kind, limit, fix))
    path = Path(source)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputFileError(f"{path}: is a directory, not a {kind}")
    if stat.S_ISREG(st.st_mode):
        if not os.access(path, os.R_OK):
            raise InputFileError(f"{path}: cannot be read (permission denied)")
        if limit < MAX_STREAM and st.st_size > limit:
            raise InputFileError(
                f"{path}: is {st.st_size >> 20} MiB, more than the {limit >> 20} MiB a "
                f"{kind} may hold"
            )
        return Input(str(path), path=path)
    if not streams:
        raise InputFileError(
            f"{path}: is not a regular file (a pipe, FIFO or device), not a {kind}; {fix}"
        )
    if stat.S_ISSOCK(st.st_mode):
        raise InputFileError(f"{path}: is a socket, not a {kind}")
    try:  # a FIFO or a device: never block on opening
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return Input(str(path), data=_read_stream(fd, str(path), kind, limit, fix))
    finally:
        os.close(fd)


def _read_stream(fd: int, name: str, kind: str, limit: int, fix: str) -> bytes:
    """Everything a pipe, FIFO or device delivers, refusing what would hang or flood."""
    if os.isatty(fd):
        raise InputFileError(f"{name}: is a terminal; pipe a {kind} in or name the file")
    poll = select.poll()
    poll.register(fd, select.POLLIN | select.POLLPRI)
    if not poll.poll(int(PIPE_WAIT * 1000)):
        raise InputFileError(
            f"{name}: nothing arrived within {PIPE_WAIT:g} s (is anything writing to it?); {fix}"
        )
    os.set_blocking(fd, True)
    chunks: list[bytes] = []
    total = 0
    while chunk := os.read(fd, 1 << 20):
        if b"\x00" in chunk:
            raise InputFileError(binary_message(name, kind, b"".join(chunks[:1]) + chunk))
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise InputFileError(f"{name}: more than {limit >> 20} MiB arrived; {fix}")
    return b"".join(chunks)


def binary_message(name: str, kind: str, head: bytes) -> str:
    """The one-line refusal of input holding NUL bytes: UTF-16 text, or binary content."""
    if head.startswith(_UTF16_BOMS) or _looks_utf16(head):
        return f"{name}: is UTF-16 text, not UTF-8; save it as UTF-8"
    return f"{name}: holds binary content (NUL bytes), not a {kind}; give a UTF-8 {kind}"


def _looks_utf16(head: bytes) -> bool:
    """True when every other byte of an ASCII-heavy start is NUL (UTF-16 without a BOM)."""
    sample = head[:512]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    for zeros, chars in ((even, odd), (odd, even)):
        if zeros.count(0) > 0.9 * len(zeros) and chars.count(0) < 0.1 * len(chars):
            return True
    return False


def decode_text(data: bytes, name: str, kind: str = "text file") -> str:
    """``data`` as UTF-8 text (a byte-order mark dropped), or a one-line InputFileError."""
    if b"\x00" in data:
        raise InputFileError(binary_message(name, kind, data[:4096]))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            f"{name}: is not UTF-8 text (line {line}, byte {exc.start}); save it as UTF-8"
        ) from None

"""inputs: every command that reads a user's file refuses what would hang, flood or mislead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chinaai_stats.core.errors import InputFileError
from chinaai_stats.reading import inputs
from tests.conftest import run_cli

TEXT = "Sales rose to 846 million last year.\n"


def _make(kind: str, tmp_path: Path) -> str:
    """A hostile input of ``kind``; returns its path."""
    p = tmp_path / f"{kind}.txt"
    if kind == "fifo":  # nobody ever writes to it
        os.mkfifo(p)
    elif kind == "zero":
        return "/dev/zero"
    elif kind == "folder":
        p.mkdir()
    elif kind == "utf16":
        p.write_bytes(TEXT.encode("utf-16"))
    elif kind == "utf16le":
        p.write_bytes(TEXT.encode("utf-16-le"))
    elif kind == "binary":
        p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    elif kind == "latin1":
        p.write_bytes("Zürich: 5 million\n".encode("latin-1"))
    return str(p)


#: (input, message) for every command reading a file; each is exit 2 with one line.
HOSTILE = [
    ("fifo", "nothing arrived within"),
    ("zero", "binary content (NUL bytes)"),
    ("folder", "is a directory"),
    ("missing", "no such file"),
    ("utf16", "is UTF-16 text, not UTF-8; save it as UTF-8"),
    ("utf16le", "is UTF-16 text, not UTF-8; save it as UTF-8"),
    ("binary", "binary content (NUL bytes)"),
    ("latin1", "is not UTF-8 text (line 1"),
]


@pytest.mark.parametrize("command", ["extract", "validate"])
@pytest.mark.parametrize(("kind", "message"), HOSTILE)
def test_hostile_input_is_exit_2_with_one_line_naming_it(
    tmp_path: Path, command: str, kind: str, message: str
) -> None:
    path = _make(kind, tmp_path)
    args = [command, path] + (["--table", "talent"] if command == "validate" else [])
    r = run_cli(*args)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and path in lines[0] and message in lines[0], r.stderr
    assert "Traceback" not in r.stderr


def _cli(*args: str, stdin: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chinaai_stats", *args],
        stdin=stdin,  # type: ignore[arg-type]
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_extract_reads_standard_input() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "chinaai_stats", "extract", "-"],
        input=TEXT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert ",846000000,count,exact,846 million," in r.stdout


def test_extract_from_a_silent_pipe_gives_up_instead_of_hanging() -> None:
    with subprocess.Popen(["sleep", "30"], stdout=subprocess.PIPE) as silent:
        r = _cli("extract", "-", stdin=silent.stdout)
        silent.kill()
    assert r.returncode == 2 and "<stdin>: nothing arrived within" in r.stderr


def test_a_stream_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"846 million\n" * 2000)
    with pytest.raises(InputFileError, match="more than the 0 MiB"):
        inputs.read_input(big, kind="text file", limit=1000)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"caf\xc3\xa9", "café"),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "café"),  # the byte-order mark is dropped
        (b"a\r\nb\r\n", "a\r\nb\r\n"),  # line ends are the caller's business
        (b"", ""),
    ],
)
def test_decode_text_reads_utf8(data: bytes, expected: str) -> None:
    assert inputs.decode_text(data, "x.txt") == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("846 million".encode("utf-16"), "UTF-16"),
        ("846 million".encode("utf-16-be"), "UTF-16"),
        (b"\x00" * 64, "binary content"),
        (b"ok\n\xff\xfe", "line 2, byte 3"),
    ],
)
def test_decode_text_refuses_what_is_not_utf8(data: bytes, message: str) -> None:
    with pytest.raises(InputFileError, match=message):
        inputs.decode_text(data, "x.txt")

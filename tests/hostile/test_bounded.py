"""Bounded work and honest durability: extract is linear in a line, folder fsync errors count.

The time bounds are far above what the work takes (a few seconds) and far below what
the old quadratic patterns took (117 s for 100 kB of digits; 400 kB: about half an
hour), so they test the growth, not the machine's speed.
"""

from __future__ import annotations

import errno
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chinaai_stats.reading.extraction import extract
from tests.hostile._helpers import one_line_refusal, with_changelog
from tests.test_validation import GOOD, write_rows


@pytest.mark.parametrize(
    "line",
    ["1" * 400_000, "人工智能产业规模达到" * 40_000, "a" * 400_000],
    ids=["digits", "chinese-without-spaces", "one-word"],
)
def test_extract_is_linear_in_the_length_of_a_line(line) -> None:
    extract("The lab had 120 researchers in 2019.")  # imports done before timing
    start = time.monotonic()
    extract(line)
    assert time.monotonic() - start < 90, "extract is not linear in the length of a line"


def test_a_long_line_still_finds_its_figures() -> None:
    found = extract("x" * 50_000 + " The lab had 120 researchers. " + "图.png " * 1000)
    assert list(found["value_text"]) == ["120"]


_FAILING_FSYNC = """
import errno, os, stat, sys
real = os.fsync
def fsync(fd):
    if stat.S_ISDIR(os.fstat(fd).st_mode):
        raise OSError(int(sys.argv[1]), os.strerror(int(sys.argv[1])))
    return real(fd)
os.fsync = fsync
from chinaai_stats.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _add_with_fsync_error(clone: Path, new: Path, code: int) -> subprocess.CompletedProcess[str]:
    args = ["add", str(new), "--table", "talent", "--datasets", str(clone / "datasets")]
    return subprocess.run(
        [sys.executable, "-c", _FAILING_FSYNC, str(code), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_failing_folder_fsync_is_not_reported_as_added(data_copy, tmp_path) -> None:
    clone = with_changelog(data_copy)
    new = write_rows(tmp_path / "new.csv", [GOOD])
    r = _add_with_fsync_error(clone, new, errno.EIO)
    one_line_refusal(r)
    assert "added" not in r.stdout


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOTSUP])
def test_a_file_system_that_cannot_fsync_folders_is_no_error(data_copy, tmp_path, code) -> None:
    clone = with_changelog(data_copy)
    new = write_rows(tmp_path / "new.csv", [GOOD])
    r = _add_with_fsync_error(clone, new, code)
    assert r.returncode == 0, r.stderr
    assert "added 1 rows" in r.stdout


@pytest.mark.parametrize(
    ("columns", "refused"),
    [
        (1_048_000, True),  # the audit's 2.1 MB file: 8.3 GB of memory before
        (17 * 4 + 1, True),  # just over four times talent's 17 columns
        (17 * 4, False),  # a file may carry some columns of its own: reported, not refused
    ],
)
def test_a_header_many_times_the_tables_width_is_refused_unread(
    tmp_path: Path, columns: int, refused: bool
) -> None:
    from tests.conftest import run_cli
    from tests.test_validation import COLUMNS

    extra = [f"x{i}" if columns < 1000 else "" for i in range(columns - len(COLUMNS))]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(COLUMNS + extra) + "\n" + ",".join(GOOD.values()) + "\n", "utf-8")
    r = run_cli("validate", str(path), "--table", "talent")
    if refused:
        one_line_refusal(r, "wide.csv", f"{columns:,} columns", "more than the 68")
    else:
        assert r.returncode == 1 and "is not a column of talent" in r.stdout, r.stderr

"""What every benchmark shares: the results table, best-of timing and cold processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

RESULTS: list[tuple[str, str, str]] = []


def record(name: str, figure: str, ratio: str) -> None:
    RESULTS.append((name, figure, ratio))
    print(f"  {name}: {figure}  [{ratio}]", flush=True)


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


PY = sys.executable
ROOT = Path(__file__).resolve().parent.parent


def run_cold(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, int, str]:
    """Run a command in a fresh process: (seconds, peak RSS in bytes, exit code, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    out_chunks = []
    assert proc.stdout is not None
    for chunk in iter(lambda: proc.stdout.read(1 << 16), b""):
        out_chunks.append(chunk)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss * 1024, proc.returncode, b"".join(out_chunks).decode()


def median_cold(cmd: list[str], repeat: int) -> float:
    return statistics.median(run_cold(cmd)[0] for _ in range(repeat))

"""Benchmark ``report``: a report of one problem per row, streamed as text and JSON."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from common import PY, record, run_cold
from floors import references
from talent_rows import write_repeated_fact, write_talent


def bench_report(quick: bool) -> None:
    print("a report of one problem per row, streamed (text and JSON)", flush=True)
    n = 100_000 if quick else 1_000_000
    cli = [PY, "-m", "chinaai_stats", "validate", "--not-new"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        valid, noisy = folder / "valid.csv", folder / "noisy.csv"
        write_talent(valid, n)
        write_repeated_fact(noisy, n)
        t0, rss0, code0, _ = run_cold([*cli, str(valid), "--table", "talent"])
        record(
            f"valid file, {n:,} rows", f"{t0:.2f} s, peak {rss0 / 2**20:,.0f} MiB", f"exit {code0}"
        )
        for fmt in ("text", "json"):
            t, rss, _, out = run_cold([*cli, str(noisy), "--table", "talent", "--format", fmt])
            problems = out.count("\n") - 1 if fmt == "text" else json.loads(out)["warning_count"]
            record(
                f"{problems:,} problems as {fmt}",
                f"{t:.2f} s, peak {rss / 2**20:,.0f} MiB, {len(out) / 2**20:,.0f} MiB written",
                f"peak {rss / rss0:.2f}x a valid file of {n:,} rows",
            )
        theirs = run_cold(references(folder)["frictionless"](noisy), cwd=folder)
        record(
            f"frictionless on the same {n:,} rows",
            f"{theirs[0]:.2f} s, peak {theirs[1] / 2**20:,.0f} MiB",
            "(it has no repeated-fact check: a valid file to it)",
        )

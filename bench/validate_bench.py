"""Benchmarks ``validate`` and ``long-cells``: validate beside the floors and frictionless."""

from __future__ import annotations

import csv
import json
import statistics
import tempfile
from pathlib import Path

from common import PY, median_cold, record, run_cold
from floors import references
from talent_rows import COLUMNS, write_talent


def side_by_side(
    ours: list[str], others: dict[str, list[str]], folder: Path, repeat: int = 3
) -> tuple[tuple[float, int], dict[str, float]]:
    """Medians of cold runs, interleaved so that machine noise hits every command alike."""
    runs: dict[str, list[tuple[float, int]]] = {"ours": [], **{k: [] for k in others}}
    for _ in range(repeat):
        runs["ours"].append(run_cold(ours)[:2])
        for name, cmd in others.items():
            t, rss, code, _ = run_cold(cmd, cwd=folder)
            if code not in ((0,) if "floor" in name else (0, 1)):  # a failed run flatters us
                raise SystemExit(f"{name} failed (exit {code}): {' '.join(cmd)}")
            runs[name].append((t, rss))
    mid = repeat // 2
    return sorted(runs["ours"])[mid], {k: sorted(v)[mid][0] for k, v in runs.items() if k != "ours"}


def ratios(ours: float, others: dict[str, float]) -> str:
    return "; ".join(f"{ours / t:.2f}x {name} ({t:.2f} s)" for name, t in others.items())


def bench_validate(quick: bool) -> None:
    print("validate against frictionless and floors running the same checks", flush=True)
    # --not-new: the floors do not compare with the table's rows, so neither does validate here
    cli = [PY, "-m", "chinaai_stats", "validate", "--not-new"]
    sizes = [1_000, 100_000] if quick else [1_000, 100_000, 1_000_000]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        refs = references(folder)
        for n in sizes:
            path = folder / f"talent_{n}.csv"
            write_talent(path, n)
            others = {k: f(path) for k, f in refs.items() if n <= 100_000 or k != "frictionless"}
            ours, theirs = side_by_side([*cli, str(path), "--table", "talent"], others, folder)
            record(
                f"validate {n:>9,} rows",
                f"{ours[0]:.2f} s, {n / ours[0]:,.0f} rows/s, peak {ours[1] / 2**20:,.0f} MiB",
                ratios(ours[0], theirs),
            )
        n = 100_000 if quick else 1_000_000
        path = folder / "corrupt.csv"
        bad = write_talent(path, n, bad_share=0.01, seed=2)
        t, rss, code, out = run_cold([*cli, str(path), "--table", "talent", "--format", "json"])
        reported = {e["line"] for e in json.loads(out)["errors"]}
        record(
            f"validate {n:,} rows, 1% bad",
            f"{len(reported & bad):,} of {len(bad):,} bad rows reported, exit {code}",
            f"{len(reported - bad)} good rows flagged; {t:.2f} s, peak {rss / 2**20:,.0f} MiB",
        )
        small = folder / "small.csv"
        write_talent(small, 50)
        ours50 = median_cold([*cli, str(small), "--table", "talent"], 7)
        theirs50 = statistics.median(
            run_cold(refs["frictionless"](small), cwd=folder)[0] for _ in range(7)
        )
        record(
            "validate 50 rows, cold",
            f"{ours50:.2f} s vs frictionless {theirs50:.2f} s",
            f"{ours50 / theirs50:.2f}x (target: <= 1.5x)",
        )


def bench_long_cells(quick: bool) -> None:
    print("over-long value_text cells (each reported, none parsed)", flush=True)
    cli = [PY, "-m", "chinaai_stats", "validate", "--not-new"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(COLUMNS)
            for i in range(400):  # ~5 kB cells of a shape the figure parser finds slow
                w.writerow(
                    [
                        f"tal-{i:07d}",
                        "Lab",
                        "organization",
                        "ai_lab_researchers",
                        "1",
                        "count",
                        "exact",
                        "(1" * 2_500 + str(i),
                        "2018",
                        "stated",
                        "anant90-china-ai-dominance-2018",
                        "p1",
                        "",
                        "",
                        "",
                    ]
                )
        t, _, code, _ = run_cold([*cli, str(path), "--table", "talent"])
        probe = (
            "import sys, time, chinaai_stats as cs\n"
            "cs.validate(cs.load('talent'), table='talent')  # imports and caches warm\n"
            "t = time.perf_counter(); cs.validate(sys.argv[1], table='talent', new_rows=False)\n"
            "print(time.perf_counter() - t)"
        )
        warm = float(run_cold([PY, "-c", probe, str(path)])[3])
        record(
            f"{path.stat().st_size / 1e6:.1f} MB of long value_text cells",
            f"validate() {warm:.2f} s; {t:.2f} s cold through the CLI, exit {code}",
            "target: under 1 s",
        )

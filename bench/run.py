"""Benchmarks for chinaai-stats, printed as ratios measured side by side in one run.

Usage: python bench/run.py [--only NAME ...] [--quick]

Timing lives here, never in tests/. Each benchmark prints its own rows; the
summary table at the end lists every measured figure with its ratio.
"""

from __future__ import annotations

import argparse
import sys

from common import RESULTS, record
from extract_bench import bench_extract
from load_bench import bench_import, bench_load, bench_reference
from parse_bench import bench_parse
from report_bench import bench_report
from validate_bench import bench_long_cells, bench_validate


def bench_sizes(quick: bool) -> None:
    from sizes import bench_sizes as sizes

    sizes(quick, record)


BENCHMARKS = {
    "extract": bench_extract,
    "import": bench_import,
    "load": bench_load,
    "parse": bench_parse,
    "reference": bench_reference,
    "validate": bench_validate,
    "report": bench_report,
    "long-cells": bench_long_cells,
    "sizes": bench_sizes,
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), help="run only these")
    p.add_argument("--quick", action="store_true", help="smaller inputs (a smoke run)")
    args = p.parse_args(argv)
    for name in args.only or BENCHMARKS:
        BENCHMARKS[name](args.quick)
    print("\nsummary")
    width = max(len(r[0]) for r in RESULTS)
    for name, figure, ratio in RESULTS:
        print(f"  {name:<{width}}  {figure:<45}  {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmarks for chinaai-stats, printed as ratios measured side by side in one run.

Usage: python bench/run.py [--only NAME ...] [--quick]

Timing lives here, never in tests/. Each benchmark prints its own rows; the
summary table at the end lists every measured figure with its ratio.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable

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


# ------------------------------------------------------------------ parse


def expressions(n: int, seed: int = 7) -> list[str]:
    """A reproducible corpus of figure expressions in English and Chinese."""
    rng = random.Random(seed)
    quals = ["", "about ", "over ", "nearly ", "at least ", "up to ", "约", "超过"]
    mags = [" million", " billion", "M", "bn", " thousand", "k", ""]
    money = ["${}", "US${}", "{} yuan", "RMB {}", "¥{}", "{} dollars", "{}元", "{}美元"]
    out = []
    for _ in range(n):
        kind = rng.randrange(6)
        number = f"{rng.randrange(1, 1000)}" + (
            f".{rng.randrange(10)}" if rng.random() < 0.3 else ""
        )
        if kind == 0:
            out.append(rng.choice(quals[:6]) + number + rng.choice(mags))
        elif kind == 1:
            out.append(rng.choice(quals[:6]) + rng.choice(money).format(number + rng.choice(mags)))
        elif kind == 2:
            out.append(f"{rng.randrange(0, 100)} percent")
        elif kind == 3:
            out.append(
                rng.choice(
                    [
                        "one in five",
                        "nine out of ten",
                        "a quarter",
                        "ten-fold",
                        "nearly one in four (24 percent)",
                        "half",
                        "3 in 4",
                    ]
                )
            )
        elif kind == 4:
            out.append(
                rng.choice(quals[6:])
                + number
                + rng.choice(["万", "亿", "万亿"])
                + rng.choice(["", "元", "元人民币", "美元"])
            )
        else:
            out.append(f"{rng.randrange(1, 90)} " + rng.choice(["minutes", "seconds", "hours"]))
    return out


def bench_parse(quick: bool) -> None:
    print("parse_quantity throughput", flush=True)
    from chinaai_stats.parse import parse_quantity

    corpus = expressions(10_000 if quick else 100_000)
    t = best_of(lambda: [parse_quantity(e) for e in corpus], repeat=1 if quick else 3)
    rate = len(corpus) / t
    # pint's own string parsing on the subset it can read ("12 minutes")
    import pint

    ureg = pint.UnitRegistry()
    durations = [e for e in corpus if e.endswith(("minutes", "seconds", "hours"))]
    t_ours = best_of(lambda: [parse_quantity(e) for e in durations], repeat=3)
    t_pint = best_of(lambda: [ureg.Quantity(e) for e in durations], repeat=1)
    record(
        "parse_quantity",
        f"{rate:,.0f} expressions/s over {len(corpus):,}",
        f"{t_pint / t_ours:.0f}x faster than pint on {len(durations):,} durations",
    )


BENCHMARKS = {"parse": bench_parse}


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

"""Benchmark ``parse``: parse_quantity throughput over a generated corpus, beside pint."""

from __future__ import annotations

import random

from common import best_of, record


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
        if kind == 0:  # a bare count is whole: a decimal needs a magnitude after it
            mag = rng.choice(mags)
            out.append(rng.choice(quals[:6]) + (number if mag else number.split(".")[0]) + mag)
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
    from chinaai_stats.reading.parse import parse_quantity

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

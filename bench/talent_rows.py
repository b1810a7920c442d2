"""Generated talent files for the validate benchmarks (valid, partly bad, one repeated fact)."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from common import ROOT

COLUMNS = [
    f["name"] for f in json.loads((ROOT / "schemas" / "talent.json").read_text("utf-8"))["fields"]
]


def write_talent(path: Path, n: int, bad_share: float = 0.0, seed: int = 1) -> set[int]:
    """Write n generated talent rows; return the lines of the rows made invalid."""
    assert len(COLUMNS) == 17, "the generated rows follow the talent schema's columns"
    rng = random.Random(seed)
    texts = [(f"about {v}", v, "approximately") for v in range(1, 200)]
    texts += [(f"{v} million", v * 1_000_000, "exact") for v in range(1, 300)]
    bad_lines = set()
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for i in range(n):
            text, value, qual = texts[rng.randrange(len(texts))]
            row = [
                f"tal-{i:07d}",
                "Tencent AI Lab",  # an entity of the entities table
                "organization",
                "ai_lab_researchers",
                str(value),
                "count",
                qual,
                text,
                f"201{rng.randrange(8)}-{rng.randrange(1, 13):02d}",
                "stated",
                "measurement",
                "",
                "anant90-china-ai-dominance-2018",
                f"p{rng.randrange(1, 40)}",
                "",
                "",
                "Generated row for benchmarking.",
            ]
            if bad_share and rng.random() < bad_share:
                kind = rng.randrange(4)
                if kind == 0:
                    row[4] = "lots"
                elif kind == 1:
                    row[2] = "planet"
                elif kind == 2:
                    row[7] = "5 or 6"
                else:
                    row[8] = "2099"
                bad_lines.add(i + 2)
            w.writerow(row)
    return bad_lines


def write_repeated_fact(path: Path, n: int) -> None:
    """n valid rows that all state one fact: each row draws a duplicate-fact warning."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for i in range(n):
            w.writerow(
                [
                    f"tal-{i:07d}",
                    "Tencent AI Lab",
                    "organization",
                    "ai_lab_researchers",
                    "120",
                    "count",
                    "approximately",
                    "about 120",
                    "2018-06",
                    "stated",
                    "measurement",
                    "",
                    "anant90-china-ai-dominance-2018",
                    "p18",
                    "",
                    "",
                    "Generated row.",
                ]
            )

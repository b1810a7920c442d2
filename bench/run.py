"""Benchmarks for chinaai-stats, printed as ratios measured side by side in one run.

Usage: python bench/run.py [--only NAME ...] [--quick]

Timing lives here, never in tests/. Each benchmark prints its own rows; the
summary table at the end lists every measured figure with its ratio.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
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


# ------------------------------------------------------------------ helpers for cold runs

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


# ------------------------------------------------------------------ import and load


def bench_import(quick: bool) -> None:
    print("import cost (median of cold processes)", flush=True)
    n = 5 if quick else 15
    bare = median_cold([PY, "-c", "pass"], n)
    pkg = median_cold([PY, "-c", "import chinaai_stats"], n)
    record(
        "import chinaai_stats",
        f"+{(pkg - bare) * 1000:.0f} ms over python -c pass",
        f"{pkg / bare:.2f}x bare python (target: <= +30 ms)",
    )
    probe = (
        "import sys, contextlib, io, chinaai_stats.cli as c\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: c.main(['--help'])\n    except SystemExit: pass\n"
        "heavy = [m for m in ('pandas', 'pandera', 'pint', 'frictionless', 'pyarrow') "
        "if m in sys.modules]\nprint(','.join(heavy) or 'none')"
    )
    heavy = run_cold([PY, "-c", probe])[3].strip()
    record("chinaai-stats --help", f"heavy libraries imported: {heavy}", "target: none")


def bench_load(quick: bool) -> None:
    print("cold load() against a cold pandas.read_csv of the same file", flush=True)
    n = 5 if quick else 15
    path = ROOT / "datasets" / "user_counts.csv"
    ours = median_cold([PY, "-c", "import chinaai_stats as cs; cs.load('user_counts')"], n)
    floor = median_cold([PY, "-c", f"import pandas; pandas.read_csv({str(path)!r})"], n)
    record(
        "load('user_counts') cold",
        f"{ours * 1000:.0f} ms vs read_csv {floor * 1000:.0f} ms",
        f"{ours / floor:.2f}x (target: <= 1.3x)",
    )


def bench_reference(quick: bool) -> None:
    print("warm load() of the reference tables against pandas.read_csv of the file", flush=True)
    import pandas

    import chinaai_stats as cs
    from chinaai_stats.measures import reference

    repeat = 3 if quick else 7
    cs.load("user_counts")  # pandas and the descriptor already loaded
    for name in ("populations", "wdi_indicators", "reference_rates"):
        path = ROOT / "datasets" / f"{name}.csv"
        ours = best_of(lambda name=name: cs.load(name), repeat)
        floor = best_of(lambda path=path: pandas.read_csv(path), repeat)
        record(
            f"load({name!r}) warm",
            f"{ours * 1000:.1f} ms vs read_csv {floor * 1000:.1f} ms "
            f"({path.stat().st_size / 1e6:.2f} MB)",
            f"{ours / floor:.2f}x (typed columns and checks)",
        )
    reference._table.cache_clear()
    t0 = time.perf_counter()
    cs.population("China", "2016")
    first = time.perf_counter() - t0
    again = best_of(lambda: cs.population("China", "2017"), repeat)
    record(
        "population() first call / cached",
        f"{first * 1000:.1f} ms / {again * 1e6:.0f} us",
        f"{first / again:.0f}x (index built once per data version)",
    )


# ------------------------------------------------------------------ validate

COLUMNS = [
    f["name"] for f in json.loads((ROOT / "schemas" / "talent.json").read_text("utf-8"))["fields"]
]


def write_talent(path: Path, n: int, bad_share: float = 0.0, seed: int = 1) -> set[int]:
    """Write n generated talent rows; return the lines of the rows made invalid."""
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
                f"Lab {i}",
                "organization",
                "ai_lab_researchers",
                str(value),
                "count",
                qual,
                text,
                f"201{rng.randrange(8)}-{rng.randrange(1, 13):02d}",
                "stated",
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


# The floors run the checks validate runs on a talent file (every field check of its
# Table Schema, then value_text against value/unit/qualifier, the codebook, the
# registry, as_of dates and repeated facts), in plain pandas or polars, counting
# failing cells instead of writing a report. value_text is parsed with the same
# parser, once per distinct text, as validate does.
FLOOR_SHARED = """
import json, sys
from datetime import date
from chinaai_stats.tables import catalog
from chinaai_stats.core.dates import as_of_bounds
from chinaai_stats.reading.parse import parse_quantity
from chinaai_stats.measures.units import DIMENSION_UNITS
NUMBER = r"[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?"
SCHEMA = catalog.resource("talent")["schema"]
BOOK = {r["id"]: (r["table"], r["dimension"]) for r in
        __import__("csv").DictReader(open(catalog.table_path("indicators"), encoding="utf-8"))}
PUBLISHED = {r["id"]: r["published"] for r in catalog.registry_rows()}
TODAY = date.today().isoformat()

def read(text):
    try:
        q = parse_quantity(text)
        return (q.value, q.unit, q.qualifier)
    except Exception:
        return (float("nan"), "", "")

def start(text):
    try:
        b = as_of_bounds(text)
        return b[0].isoformat() if b else ""
    except ValueError:
        return "bad"
"""

FLOOR = (
    FLOOR_SHARED
    + """
import numpy as np, pandas as pd
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, engine="pyarrow")
bad, num = 0, {}
for f in SCHEMA["fields"]:
    name, cons = f["name"], f.get("constraints", {})
    s = df[name]
    present = s != ""
    if cons.get("required"):
        bad += int((~present).sum())
    if f.get("type") == "number":
        plain = s.str.fullmatch(NUMBER)
        v = pd.to_numeric(s.where(plain), errors="coerce")
        bad += int((present & ~plain).sum()) + int(np.isinf(v).sum())
        bad += int((v < cons.get("minimum", -np.inf)).sum())
        num[name] = v.to_numpy()
    if "enum" in cons:
        bad += int((present & ~s.isin(cons["enum"])).sum())
    if "pattern" in cons:
        bad += int((present & ~s.str.fullmatch(cons["pattern"].strip("^$"))).sum())
    bad += int((s.str.len() > cons.get("maxLength", 10_000)).sum())
    if cons.get("unique"):
        bad += int(s[present].duplicated().sum())
    if f.get("format") == "uri":
        bad += int((present & ~s.str.match(r"https?://\\S+$")).sum())
    if f.get("type", "string") == "string" and "enum" not in cons and "pattern" not in cons:
        bad += int(s.str.match(r"[=+\\-@\\t\\r]").sum())
texts = df["value_text"].astype("category")
parsed = [read(t) for t in texts.cat.categories]
codes = texts.cat.codes.to_numpy()
pv = np.array([p[0] for p in parsed] + [np.nan])[codes]
pu = np.array([p[1] for p in parsed] + [""], dtype=object)[codes]
pq = np.array([p[2] for p in parsed] + [""], dtype=object)[codes]
bad += int((pu == "").sum())
bad += int(((pu != "") & ~np.isclose(num["value"], pv, rtol=1e-9)).sum())
bad += int(((pu != "") & (df["unit"].to_numpy() != pu)).sum())
bad += int(((pu != "") & (df["qualifier"].to_numpy() != pq)).sum())
ind = df["indicator"]
bad += int((~ind.isin(list(BOOK))).sum())
dim = ind.map(lambda i: BOOK.get(i, ("", ""))[1])
fits = [u in DIMENSION_UNITS.get(d, ()) for u, d in zip(df["unit"], dim)]
bad += int((~np.array(fits, dtype=bool)).sum())
bad += int((ind.map(lambda i: BOOK.get(i, ("talent",))[0]) != "talent").sum())
bad += int(((df["unit"] == "share") & (num["value"] > 1)).sum())
bad += int((~df["source_id"].isin(list(PUBLISHED))).sum())
asof = df["as_of"].astype("category")
starts = asof.cat.categories.map(start).to_numpy()[asof.cat.codes.to_numpy()]
pub = df["source_id"].map(PUBLISHED).fillna("").to_numpy()
bad += int((starts == "bad").sum()) + int((starts > TODAY).sum())
bad += int(((pub != "") & (starts > pub)).sum())
known = df["as_of"] != ""
bad += int((known & (df["as_of_basis"] == "unknown")).sum())
bad += int((~known & df["as_of_basis"].isin(["stated", "inferred"])).sum())
bad += int(df.duplicated(["entity", "indicator", "as_of", "source_id"], keep=False).sum())
print(bad)
"""
)

POLARS_FLOOR = (
    FLOOR_SHARED
    + """
import polars as pl
df = pl.read_csv(sys.argv[1], infer_schema=False).with_columns(pl.all().fill_null(""))
bad, exprs = 0, []
for f in SCHEMA["fields"]:
    name, cons = f["name"], f.get("constraints", {})
    s = pl.col(name)
    present = s != ""
    if cons.get("required"):
        exprs.append((~present).sum())
    if f.get("type") == "number":
        plain = s.str.contains(f"^{NUMBER}$")
        v = pl.when(plain).then(s).otherwise(None).cast(pl.Float64)
        exprs += [(present & ~plain).sum(), v.is_infinite().sum(),
                  (v < cons.get("minimum", float("-inf"))).sum()]
    if "enum" in cons:
        exprs.append((present & ~s.is_in(cons["enum"])).sum())
    if "pattern" in cons:
        exprs.append((present & ~s.str.contains(cons["pattern"])).sum())
    exprs.append((s.str.len_chars() > cons.get("maxLength", 10_000)).sum())
    if cons.get("unique"):
        exprs.append((present & s.is_duplicated()).sum() - (present & s.is_first_distinct()
                     & s.is_duplicated()).sum())
    if f.get("format") == "uri":
        exprs.append((present & ~s.str.contains(r"^https?://\\S+$")).sum())
    if f.get("type", "string") == "string" and "enum" not in cons and "pattern" not in cons:
        exprs.append(s.str.contains(r"^[=+\\-@\\t\\r]").sum())
bad += sum(df.select([e.alias(f"c{k}") for k, e in enumerate(exprs)]).row(0))
texts = df.get_column("value_text").unique().to_list()
reads = [read(t) for t in texts]
parsed = pl.DataFrame({"value_text": texts, "pv": [r[0] for r in reads],
                       "pu": [r[1] for r in reads], "pq": [r[2] for r in reads]})
asofs = df.get_column("as_of").unique().to_list()
starts = pl.DataFrame({"as_of": asofs, "start": [start(a) for a in asofs]})
book = pl.DataFrame({"indicator": list(BOOK), "btable": [v[0] for v in BOOK.values()],
                     "dim": [v[1] for v in BOOK.values()]})
fits = pl.DataFrame({"dim": [d for d, us in DIMENSION_UNITS.items() for u in us],
                     "unit": [u for us in DIMENSION_UNITS.values() for u in us], "fits": True})
pub = pl.DataFrame({"source_id": list(PUBLISHED), "pub": list(PUBLISHED.values())})
j = (df.join(parsed, on="value_text", how="left").join(starts, on="as_of", how="left")
       .join(book, on="indicator", how="left").join(fits, on=["dim", "unit"], how="left")
       .join(pub, on="source_id", how="left"))
v = pl.col("value").cast(pl.Float64, strict=False)
ok = pl.col("pu") != ""
bad += sum(j.select(*[e.alias(f"c{k}") for k, e in enumerate([
    (~ok).sum(), (ok & ((v - pl.col("pv")).abs() > 1e-9 * v.abs())).sum(),
    (ok & (pl.col("unit") != pl.col("pu"))).sum(),
    (ok & (pl.col("qualifier") != pl.col("pq"))).sum(),
    pl.col("btable").is_null().sum(), pl.col("fits").is_null().sum(),
    (pl.col("btable") != "talent").sum(), ((pl.col("unit") == "share") & (v > 1)).sum(),
    pl.col("pub").is_null().sum(), (pl.col("start") == "bad").sum(),
    (pl.col("start") > TODAY).sum(),
    (pl.col("start") > pl.col("pub")).sum(),
    ((pl.col("as_of") != "") & (pl.col("as_of_basis") == "unknown")).sum(),
    ((pl.col("as_of") == "") & pl.col("as_of_basis").is_in(["stated", "inferred"])).sum(),
    pl.struct("entity", "indicator", "as_of", "source_id").is_duplicated().sum(),
])]).row(0))
print(bad)
"""
)


def frictionless_resource(folder: Path, csv_path: Path) -> Path:
    """A resource descriptor: the same Table Schema, foreign keys left out (no package)."""
    schema = json.loads((ROOT / "schemas" / "talent.json").read_text("utf-8"))
    schema.pop("foreignKeys", None)
    desc = folder / f"{csv_path.stem}.resource.json"
    desc.write_text(json.dumps({"name": "talent", "path": csv_path.name, "schema": schema}))
    return desc


def references(folder: Path) -> dict[str, Callable[[Path], list[str]]]:
    """Commands that check the same file: the floors (pandas, polars if installed), frictionless."""
    fl = shutil.which("frictionless") or str(Path(PY).parent / "frictionless")
    (folder / "floor_pandas.py").write_text(FLOOR)
    out: dict[str, Callable[[Path], list[str]]] = {
        "pandas floor": lambda p: [PY, str(folder / "floor_pandas.py"), str(p)],
    }
    try:
        import polars  # noqa: F401

        (folder / "floor_polars.py").write_text(POLARS_FLOOR)
        out["polars floor"] = lambda p: [PY, str(folder / "floor_polars.py"), str(p)]
    except ImportError:
        print("  (polars not installed: pip install -e '.[bench]' to compare with it)")

    def frictionless(p: Path) -> list[str]:
        desc = frictionless_resource(folder, p)
        return [fl, "validate", "--limit-errors", "10000000", str(desc)]

    out["frictionless"] = frictionless
    return out


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


def write_repeated_fact(path: Path, n: int) -> None:
    """n valid rows that all state one fact: each row draws a duplicate-fact warning."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for i in range(n):
            w.writerow(
                [
                    f"tal-{i:07d}",
                    "Example Lab",
                    "organization",
                    "ai_lab_researchers",
                    "120",
                    "count",
                    "approximately",
                    "about 120",
                    "2018-06",
                    "stated",
                    "anant90-china-ai-dominance-2018",
                    "p18",
                    "",
                    "",
                    "Generated row.",
                ]
            )


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


# ------------------------------------------------------------------ extract

LABELS = Path(__file__).parent / "labels"
#: The labelled articles: label file stem -> (text folder, language group, published,
#: round). Round 0 texts were read while extract was written; rounds 1 to 6 were each
#: labelled before extract first read them, so the first results on a round estimate how
#: extract does on unseen text (labels/SOURCES.md keeps them). "mixed" is Chinese
#: translated from English, where Latin names and spaced digits sit inside Chinese.
#: Folder "extra" is $CHINAAI_STATS_BENCH_TEXTS (texts that are not redistributed):
#: tczh_NAME is NAME.md from the translated TechCrunch archive, web_NAME is web_NAME.txt.
ARTICLES = {
    "01_mydrivers_wechat-846m-q3-2016": ("sources", "zh", "2016-11-16", 0),
    "03_techcrunch-zh_sensetime-620m": ("sources", "mixed", "2018-05-30", 0),
    "02_macropolo_ai-talent-growing-then-leaving": ("sources", "en", None, 0),
    "10_nextbigfuture_china-176m-cameras": ("sources", "en", None, 0),
    "11_ecns-xinhua_beijing-ai-park": ("sources", "en", "2018-01-03", 0),
    "12_chinamoneynetwork_tianjin-ai-fund": ("sources", "en", "2018-05-17", 0),
    "seed_000_76a462c45f02f1ef": ("seeds", "en", "2016-12-08", 0),
    "seed_001_30bbca938958e64b": ("seeds", "en", None, 0),
    "seed_002_71de8916751170a2": ("seeds", "en", None, 0),
    "seed_003_bbca744d1036233d": ("seeds", "en", "2018-08-01", 0),
    # round 1: two translated TechCrunch articles, the beginnings of four English pages
    "tczh_tencent-500-billion": ("extra", "mixed", "2017-11-20", 1),
    "tczh_didi-chuxing-to-become-worlds-second-highest-valued-startup": (
        "extra",
        "mixed",
        "2017-04-27",
        1,
    ),
    "web_cnet-sensetime-cctv-funding": ("extra", "en", None, 1),
    "web_mobileidworld-yitu-investment": ("extra", "en", None, 1),
    "web_techreportarticles-supremind": ("extra", "en", None, 1),
    "web_equalocean-intellifusion": ("extra", "en", None, 1),
    # round 2: two translated articles, four Chinese news pages, four English ones
    "tczh_ant-financial-raises-14-billion": ("extra", "mixed", "2018-06-07", 2),
    "tczh_ant-financial-the-alibaba-affiliate-that-operates-alipay-raises-4-5b-at-a-60b-"
    "valuation": ("extra", "mixed", "2016-04-25", 2),
    "web_ailab-baidu-q3-2021": ("extra", "zh", "2021-11-19", 2),
    "web_zztdgu-tencent-q1": ("extra", "zh", "2019-05-15", 2),
    "web_lc123-tencent-h1-2017": ("extra", "zh", "2017-08-16", 2),
    "web_yktchina-sensetime-ipo-filing": ("extra", "zh", "2021-08-31", 2),
    "web_finanster-sensetime-620m": ("extra", "en", "2018-05-31", 2),
    "web_taipeitimes-sensetime-600m": ("extra", "en", "2018-04-10", 2),
    "web_techcrunch-megvii-750m": ("extra", "en", "2019-05-08", 2),
    "web_financeasia-sensetime-620m": ("extra", "en", None, 2),
    # round 3: three translated articles, four Chinese pages (one a company notice, one in
    # traditional characters), five English ones (one an SEC exhibit)
    "tczh_bitmain-ipo-concerns": ("extra", "mixed", "2018-09-27", 3),
    "tczh_baidus-iqiyi-video-service-raises-1-53-billion": ("extra", "mixed", "2017-02-21", 3),
    "tczh_baidu-announces-1-5b-fund-to-back-self-driving-car-startups": (
        "extra",
        "mixed",
        "2017-09-21",
        3,
    ),
    "web_cernet-cnnic-2017": ("extra", "zh", "2017-01-22", 3),
    "web_juredian-iflytek-h1-2022": ("extra", "zh", "2022-08-22", 3),
    "web_zqrb-iflytek-agm-notice": ("extra", "zh", "2023-04-21", 3),
    "web_rthk-alibaba-q1-fy2022": ("extra", "zh", "2021-08-03", 3),
    "web_chinadaily-alibaba-june-quarter-2016": ("extra", "en", "2016-08-12", 3),
    "web_zdnet-alibaba-cloud-milestone": ("extra", "en", None, 3),
    "web_entrepreneur-bytedance-75bn": ("extra", "en", None, 3),
    "web_sec-alibaba-september-quarter-2017": ("extra", "en", "2017-11-02", 3),
    "web_musically-bytedance-75bn": ("extra", "en", "2018-10-29", 3),
    # round 4: two translated articles (one with markdown lists and images), four Chinese
    # results stories (two in traditional characters), four English pages on Didi
    "tczh_us-early-stage-investment-share-shrinks-as-china-surges": (
        "extra",
        "mixed",
        "2018-04-16",
        4,
    ),
    "tczh_vcs-are-betting-on-the-great-chinese-fitness-boom": ("extra", "mixed", "2016-07-07", 4),
    "web_jdgod-xiaomi-q3-2021": ("extra", "zh", "2021-11-23", 4),
    "web_am730-xiaomi-q3-2021": ("extra", "zh", "2021-11-24", 4),
    "web_cnyes-bytedance-550bn": ("extra", "zh", "2026-02-26", 4),
    "web_chinaz-xiaomi-q3-2025": ("extra", "zh", "2025-11-18", 4),
    "web_scmp-didi-5-5bn": ("extra", "en", "2017-04-28", 4),
    "web_afp-didi-most-valuable-asian-startup": ("extra", "en", "2017-04-28", 4),
    "web_cubteq-didi-vs-uber": ("extra", "en", None, 4),
    "web_celebcafe-didi-7bn": ("extra", "en", None, 4),
    # round 5: two translated articles, two Chinese results summaries (one with bracketed
    # reference marks), three English pages on Bytedance and SenseTime
    "tczh_youku-tudou-one-of-chinas-leading-streaming-video-sites-launches-its-first-"
    "hardware-line": ("extra", "mixed", "2014-12-10", 5),
    "tczh_zapprx-gets-25-million-from-chinese-vcs-hoping-to-tap-into-the-u-s-drug-"
    "prescription-market": ("extra", "mixed", "2017-04-20", 5),
    "web_itbear-xiaomi-q3-2024": ("extra", "zh", None, 5),
    "web_reportify-tencent-q2-2025": ("extra", "zh", None, 5),
    "web_mobilemarketing-bytedance-75bn": ("extra", "en", None, 5),
    "web_technewark-bytedance-most-valuable": ("extra", "en", None, 5),
    "web_investmentdata-sensetime-600m": ("extra", "en", None, 5),
    # round 6: three more translated articles, the weakest group so far
    "tczh_baidu-plans-to-mass-produce-level-4-self-driving-cars-with-baic-by-2021": (
        "extra",
        "mixed",
        "2017-10-13",
        6,
    ),
    "tczh_ant-financial-moneygram-1-2-billion": ("extra", "mixed", "2017-04-16", 6),
    "tczh_app-downloads-up-15-percent-in-2016-revenue-up-40-percent-thanks-to-china": (
        "extra",
        "mixed",
        "2017-01-17",
        6,
    ),
}


def _article_path(stem: str, folder: str) -> Path:
    if folder == "extra":
        extra = Path(os.environ.get("CHINAAI_STATS_BENCH_TEXTS", "/nonexistent"))
        if stem.startswith("web_"):
            return extra / (stem + ".txt")
        return extra / (stem.removeprefix("tczh_") + ".md")
    shared = Path(os.environ.get("CHINAAI_STATS_SHARED", "/work/shared"))
    name = stem.removeprefix("seed_") + ".txt"
    return shared / folder / name


def _match(labels: list[tuple[str, float, str]], found: list[tuple[str, float, str]]):
    """Pair labels with candidates on the same line with the same value (each used once).

    A label in a unit the package does not hold (value None for the candidate) is
    found by a listed problem on its line whose words contain the label's words.
    """
    left = list(found)
    hits = 0
    for label in labels:
        for k, cand in enumerate(left):
            if _same(label, cand):
                hits += 1
                del left[k]
                break
    return hits, len(labels), len(found)


def _same(a: tuple, b: tuple) -> bool:
    (aloc, av, at), (bloc, bv, bt) = a, b
    if aloc != bloc:
        return False
    if av is not None and bv is not None:
        return abs(av - bv) <= 1e-9 * max(abs(av), 1)
    return at in bt or bt in at


def _unmatched(a: list, b: list) -> list[str]:
    """Items of ``a`` with no partner in ``b`` (as locator: words)."""
    out = []
    for item in a:
        if not any(_same(item, other) for other in b):
            out.append(f"{item[0]}: {item[2]}")
    return out


def _extract_candidates(text: str, published: str | None) -> list[tuple[str, float, str]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from chinaai_stats import extract

    rows = extract(text, published=published)
    out = []
    for r in rows.itertuples():
        value = None if r.value != r.value else float(r.value)
        out.append((r.locator, value, r.value_text))
        if r.stated_usd == r.stated_usd:  # the source's own conversion is a figure too
            out.append((r.locator, float(r.stated_usd), r.stated_usd_text))
        if r.review_restated:
            out.append((r.locator, float(r.review_restated.split()[0]), r.review_restated))
    return out


def _quantulum_candidates(text: str) -> list[tuple[str, float, str]]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

    out = []
    lines = [line for line in text.splitlines() if line.strip()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n, line in enumerate(lines, start=1):
            for q in parser.parse(line):
                value = abs(float(q.value))  # "(US$15.72 billion)" reads as negative
                if q.unit.name == "percentage":
                    value /= 100  # labels hold shares
                out.append((f"p{n}", value, q.surface))
    return out


def _extract_speed(quick: bool) -> None:
    """Characters per second of extract on a line dense with numbers, at n and 4n."""
    from chinaai_stats import extract

    extract("5 million")  # imports and caches out of the timing
    sizes = (200, 800) if quick else (800, 3200)
    times = []
    for n in sizes:
        text = " ".join(f"{i * 7919 % 100003} users" for i in range(n))
        times.append(best_of(lambda text=text: extract(text), repeat=1 if quick else 3))
    record(
        "extract, a line of numbers",
        f"{sizes[0]} numbers {times[0]:.2f} s, {sizes[1]} numbers {times[1]:.2f} s",
        f"4x the numbers: {times[1] / times[0]:.1f}x the time",
    )


def bench_extract(quick: bool) -> None:
    """Recall and precision of extract on labelled real articles, vs quantulum3 (English)."""
    print("extract: labelled figures found (recall) and candidates that are figures (precision)")
    try:
        import quantulum3  # noqa: F401

        have_q = True
    except ImportError:
        have_q = False
        print("  quantulum3 not installed (pip install -e '.[bench]'): its rows are skipped")
    totals: dict[tuple[str, str], list[int]] = {}
    for stem, (folder, lang, published, round_) in ARTICLES.items():
        path = _article_path(stem, folder)
        if not path.exists():
            print(f"  {stem}: text not found at {path}; skipped")
            continue
        text = path.read_text(encoding="utf-8")
        with open(LABELS / f"{stem}.csv", encoding="utf-8", newline="") as f:
            labels = [(r["locator"], float(r["value"]), r["value_text"]) for r in csv.DictReader(f)]
        tools = [("extract", _extract_candidates(text, published))]
        if have_q and lang == "en":
            tools.append(("quantulum3", _quantulum_candidates(text)))
        for tool, found in tools:
            # one-to-one pairs: found labels (recall) and right candidates (precision)
            hits, n_labels, n_found = _match(labels, found)
            groups = [(tool, lang, "all")]
            if round_:
                groups.append((tool, lang, f"round {round_}"))
            for key in groups:
                t = totals.setdefault(key, [0, 0, 0, 0])
                t[0] += hits
                t[1] += n_labels
                t[2] += n_found
                t[3] += 1
            missed = _unmatched(labels, found)
            extra = _unmatched(found, labels)
            if missed or extra:
                print(f"  {stem} ({tool}): missed {missed}; not labelled {extra}")
    _extract_speed(quick)
    print("  articles: all labelled ones; round N: labelled before extract first read them")
    head = f"  {'articles':<9} {'tool':<11} {'language':<8} {'texts':>5} {'labels':>6}"
    print(f"{head} {'recall':>8} {'precision':>10}")
    order = sorted(totals.items(), key=lambda kv: (kv[0][2] != "all", kv[0][2], kv[0][:2]))
    for (tool, lang, subset), (hits, n_labels, n_found, n_texts) in order:
        recall = hits / n_labels if n_labels else float("nan")
        precision = hits / n_found if n_found else float("nan")
        print(
            f"  {subset:<9} {tool:<11} {lang:<8} {n_texts:>5} {n_labels:>6} "
            f"{recall:>8.1%} {precision:>10.1%}"
        )
        record(
            f"extract recall/precision ({tool}, {lang}, {subset})",
            f"{hits}/{n_labels} found, {hits}/{n_found} candidates right",
            f"recall {recall:.1%}, precision {precision:.1%}",
        )


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

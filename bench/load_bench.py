"""Benchmarks ``import``, ``load`` and ``reference``: import cost, cold and warm loads."""

from __future__ import annotations

import time

from common import PY, ROOT, best_of, median_cold, record, run_cold


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

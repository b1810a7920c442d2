"""Benchmark ``extract``: recall and precision on labelled articles, beside quantulum3."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from articles import ARTICLES, LABELS, article_path
from common import best_of, record


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
        path = article_path(stem, folder)
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

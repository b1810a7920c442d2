"""parse_quantity on a labelled corpus of figure expressions from real public texts.

``tests/data/figure_corpus.csv`` holds expressions of a few words each, copied from
the public texts named in ``source_address``, with the value, unit and qualifier
they state (``expect=ok``) or ``expect=refuse`` for expressions that are not one
figure (dates, ranges, vague words). A bracketed conversion has
``restated=<value> <unit>`` (or ``restated≈``) in ``note``. A figure in a currency
the package does not hold (a ``unit`` outside :data:`UNITS`) is expected to be refused.

Two measures are asserted over the whole corpus: the share read exactly, and the
number of silent wrong values (read without error to a different value or unit),
which must be zero.
"""

from __future__ import annotations

import csv
import math
import re
from functools import cache
from pathlib import Path

import pytest

from chinaai_stats import QuantityParseError, parse_quantity
from chinaai_stats.reading.parse import UNITS

CORPUS = Path(__file__).parent / "data" / "figure_corpus.csv"
#: 96.5% are read exactly (1,503 of 1,558); 45 of the 55 misses are 元 with no currency word
#: in traditional-character text, refused by design. Since TWD is held, the 11 of them
#: labelled TWD from their context count as misses (before, as correct refusals): 0.97 -> 0.96.
EXACT_TARGET = 0.96
_RE_RESTATED = re.compile(r"restated([=≈])([0-9.]+) ([A-Za-z]+)")


@cache
def corpus() -> list[dict[str, str]]:
    with CORPUS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _close(got: float, label: str) -> bool:
    """Equal, or equal at the places the label was rounded to (1/3 as 0.333333)."""
    want = float(label)
    if math.isclose(got, want, rel_tol=1e-9):
        return True
    places = len(label.split(".")[1]) if "." in label else 0
    return places >= 4 and abs(got - want) <= 0.6 * 10**-places


def judge(row: dict[str, str]) -> str:
    """'exact', 'refused' (expected a figure, got an error), 'silent' or 'wrong-refusal'."""
    expect_figure = row["expect"] == "ok" and row["unit"] in UNITS
    try:
        q = parse_quantity(row["expression"])
    except QuantityParseError:
        return "refused" if expect_figure else "exact"
    if not expect_figure or not _close(q.value, row["value"]) or q.unit != row["unit"]:
        return "silent"
    if q.qualifier != row["qualifier"]:
        return "qualifier"
    m = _RE_RESTATED.search(row["note"])
    if m and m.group(3) in UNITS and m.group(3) != q.unit:  # a same-unit bracket: precision
        r = q.restated
        if r is None or r.unit != m.group(3):
            return "restated"
        if m.group(1) == "=" and not _close(r.value, m.group(2)):
            return "restated"
    return "exact"


def test_corpus_is_large_varied_and_cited() -> None:
    rows = corpus()
    assert len(rows) >= 300
    assert len({r["source_address"] for r in rows}) >= 15
    assert all(r["source_address"] for r in rows)
    chinese = sum(r["language"] in ("zh", "mixed") for r in rows)
    assert chinese >= len(rows) / 2
    assert all(len(r["expression"]) <= 80 for r in rows), "expressions, not sentences"


def test_no_silent_wrong_values_and_the_exact_share() -> None:
    verdicts = {i: judge(r) for i, r in enumerate(corpus())}
    silent = [corpus()[i]["expression"] for i, v in verdicts.items() if v == "silent"]
    assert silent == []
    exact = sum(v == "exact" for v in verdicts.values()) / len(verdicts)
    assert exact >= EXACT_TARGET, f"{exact:.1%} read exactly"


@pytest.mark.parametrize("row", corpus(), ids=lambda r: r["expression"][:40])
def test_corpus_expression(row: dict[str, str]) -> None:
    verdict = judge(row)
    if verdict == "refused":
        # a figure the parser refuses is lost, never wrong: it names its reason
        with pytest.raises(QuantityParseError, match="cannot read"):
            parse_quantity(row["expression"])
        pytest.xfail("refused an expression labelled as a figure")
    if verdict == "qualifier":
        pytest.xfail(f"qualifier differs from the label {row['qualifier']!r}")
    assert verdict == "exact", (row, verdict)

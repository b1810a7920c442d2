"""Bar charts of comparable figures, drawn as self-contained SVG files with matplotlib.

A chart is drawn only where two or more comparable values exist: rows of one indicator
(a plan is not a funding round is not a valuation), aligned on one unit by
:func:`chinaai_stats.compare`. Bounds ("more than", "at most") are drawn as open bars with
an arrow and a legend; a value that cannot be put on the common unit is not drawn at zero
but named under the chart. Every SVG says its sources, the data version and the licence,
so a downloaded chart keeps its sourcing.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

COLOUR = "#3b6ea5"
LOWER = ("more_than", "at_least")
UPPER = ("less_than", "at_most")
_SYMBOL = {
    "approximately": "≈ ",
    "more_than": "> ",
    "at_least": "≥ ",
    "less_than": "< ",
    "at_most": "≤ ",
}


@dataclass
class Bar:
    """One bar: its label, value on the chart's unit, qualifier and the row it comes from."""

    label: str
    value: float
    qualifier: str
    row_id: str
    text: str = ""  # the value in words, written at the bar's end ("3.5 million")


@dataclass
class Chart:
    """A chart of one indicator: bars, axis wording, sources and what could not be drawn."""

    name: str
    indicator: str
    title: str
    axis: str
    bars: list[Bar]
    sources: list[str]
    left_out: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        return f"{self.name}.svg"

    @property
    def ids(self) -> list[str]:
        return [b.row_id for b in self.bars]


def _scale(values: list[float], dimension: str, unit: str) -> tuple[float, str]:
    """Divisor and axis words that keep tick labels short (billions, millions, percent)."""
    if dimension == "share":
        return 0.01, "percent"
    top = max(abs(v) for v in values)
    for div, word in (
        (1e12, "trillions"),
        (1e9, "billions"),
        (1e6, "millions"),
        (1e3, "thousands"),
    ):
        if top >= div:
            return div, f"{unit} ({word})"
    return 1.0, unit


def plan(facts: pd.DataFrame, codebook: pd.DataFrame, currency: str = "USD") -> list[Chart]:
    """The charts worth drawing: one per indicator with two or more values on one unit."""
    import warnings

    from ...analysis.compare import compare

    charts = []
    for indicator, group in facts.groupby("indicator", sort=True, observed=True):
        if len(group) < 2:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cmp = compare(indicator=str(indicator), currency=currency)
        drawable = cmp[cmp["value_aligned"].notna()]
        left_out = [
            f"{r.entity!s} ({r.id!s}): {r.warnings or 'no value on the common unit'!s}"
            for r in cmp[cmp["value_aligned"].isna()].itertuples()
        ]
        if len(drawable) < 2:
            continue
        info = codebook.loc[str(indicator)]
        dim = str(info["dimension"])
        unit = str(drawable["unit_aligned"].iloc[0])
        unit_words = {"count": "number", "ratio": "ratio", "minute": "minutes"}.get(unit, unit)
        div, axis = _scale(drawable["value_aligned"].tolist(), dim, unit_words)
        bars = [
            Bar(
                label=f"{r.entity}, {r.as_of if isinstance(r.as_of, str) else 'undated'} ({r.id})",
                value=float(r.value_aligned) / div,  # type: ignore[arg-type]
                qualifier=str(r.qualifier),
                row_id=str(r.id),
                text=words(float(r.value_aligned), dim),  # type: ignore[arg-type]
            )
            for r in drawable.itertuples()
        ]
        charts.append(
            Chart(
                name=f"indicator-{indicator}",
                indicator=str(indicator),
                title=str(info["label"]),
                axis=axis,
                bars=bars,
                sources=list(dict.fromkeys(drawable["source_id"].astype(str))),
                left_out=left_out,
            )
        )
    return charts


def words(value: float, dimension: str = "") -> str:
    """A value in short words: 20% for a share, 3.5 million, 1.4 billion, 846 million."""
    if dimension == "share":
        return f"{value * 100:.3g}%"
    for div, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= div:
            return f"{value / div:,.3g} {word}"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.3g}"


def _draw_bars(ax: Any, bars: list[Bar]) -> set[str]:
    """Draw the bars (bounds open, hatched, with an arrow); return the kinds drawn."""
    top = max(b.value for b in bars)
    ys = list(range(len(bars)))[::-1]
    kinds = set()
    for y, b in zip(ys, bars, strict=True):
        kind = "lower" if b.qualifier in LOWER else "upper" if b.qualifier in UPPER else "value"
        kinds.add(kind)
        bound = kind != "value"
        ax.barh(y, b.value, height=0.6, color="white" if bound else COLOUR, edgecolor=COLOUR,
                hatch="//" if bound else None, linewidth=1.2)  # fmt: skip
        end = b.value
        if bound:  # a lower bound points right (the value is beyond), an upper bound left
            tip = b.value + (0.12 if kind == "lower" else -0.12) * top
            ax.annotate("", (tip, y), (b.value, y),
                        arrowprops={"arrowstyle": "-|>", "color": COLOUR, "lw": 1.5})  # fmt: skip
            end = max(end, tip)
        text = f" {_SYMBOL.get(b.qualifier, '')}{b.text or words(b.value)}"
        ax.annotate(text, (end, y), va="center", ha="left", fontsize=9)
    ax.set_yticks(ys, [textwrap.fill(b.label, 18) for b in bars], fontsize=9)
    ax.set_xlim(0, top * 1.4)
    return kinds


def _legend(kinds: set[str]) -> list[Any]:
    from matplotlib.patches import Patch

    if kinds == {"value"}:
        return []
    labels = {
        "value": "a figure as stated",
        "lower": "a lower bound (more than, at least): the value is higher",
        "upper": "an upper bound (less than, at most): the value is lower",
    }
    return [
        Patch(facecolor=COLOUR if k == "value" else "white", edgecolor=COLOUR,
              hatch=None if k == "value" else "//", label=labels[k])
        for k in ("value", "lower", "upper") if k in kinds
    ]  # fmt: skip


def draw(chart: Chart, folder: Path, version: str, licence: str) -> Path:
    """Write ``chart`` as an SVG file into ``folder``; return its path.

    Laid out in inches: bars with their wrapped labels, then the legend (when a bound is
    drawn), then the source · version · licence line at the foot.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    label_lines = sum(len(textwrap.wrap(b.label, 18)) for b in chart.bars)
    footer = _footer(chart, version, licence)
    foot_in = 0.1 + 0.14 * (footer.count("\n") + 1)
    fig, ax = plt.subplots(figsize=(5.0, 1.0))
    handles = _legend(_draw_bars(ax, chart.bars))
    legend_in = 0.22 * len(handles) + (0.1 if handles else 0)
    height = 1.25 + 0.17 * label_lines + 0.25 * len(chart.bars) + legend_in + foot_in
    fig.set_size_inches(5.0, height)
    ax.set_xlabel(chart.axis, fontsize=9)
    ax.tick_params(axis="x", labelsize=9)
    fig.suptitle(textwrap.fill(chart.title, 48), x=0.02, ha="left", fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if handles:
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, foot_in / height),
                   fontsize=8, frameon=False, handlelength=1.6)  # fmt: skip
    fig.text(0.01, 0.04 / height, footer, fontsize=7.5, color="#444", va="bottom", ha="left")
    fig.tight_layout(rect=(0, (foot_in + legend_in) / height, 1, 1))
    path = folder / chart.file
    meta = {"Title": chart.title, "Description": footer.replace("\n", " "), "Rights": licence,
            "Date": None}  # fmt: skip
    fig.savefig(path, format="svg", metadata=meta)
    plt.close(fig)
    return path


def _footer(chart: Chart, version: str, licence: str) -> str:
    parts = [f"Sources: {', '.join(chart.sources)}", f"chinaai-stats data {version}", licence]
    text = " · ".join(parts)
    if chart.left_out:
        text += " · not drawn: " + "; ".join(chart.left_out)
    return textwrap.fill(text, 80, break_on_hyphens=False)


def is_bound(qualifier: str) -> bool:
    """Whether a qualifier makes a figure a bound rather than a value."""
    return qualifier in LOWER + UPPER


def finite(value: float) -> bool:
    """A value that can be drawn."""
    return value is not None and not math.isnan(value)

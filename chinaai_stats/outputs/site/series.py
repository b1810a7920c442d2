"""Series pages: a line chart drawn as inline SVG, and the timeline table beneath it.

A series is an entity's indicator with three or more dated periods
(:func:`chinaai_stats.timeline`). Counts are a solid line; forecasts, targets and plans
are hollow points on a dashed line at the period they aim at, labelled with their kind
(the indicator's own, and those of its ``_forecast`` indicator, measured alike).
Each point links to its fact card; the chart has a ``<title>`` and a ``<desc>`` for
screen readers. No script and no network: the SVG is part of the page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

import pandas as pd

from .charts import words
from .markup import e, num

W, H = 560, 340
LEFT, RIGHT, TOP, BOTTOM = 108, 16, 16, 44
MIN_POINTS = 3


@dataclass
class Point:
    when: date  # the middle of the period described (or aimed at)
    value: float
    id: str
    label: str  # the period, as_of or target_period
    aim: str = ""  # forecast, target or plan; empty for a count


@dataclass
class Series:
    entity: str
    indicator: str
    title: str
    unit: str
    dimension: str
    points: list[Point] = field(default_factory=list)
    table: pd.DataFrame | None = None

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9_-]+", "-", f"{self.entity}--{self.indicator}").strip("-")


def _middle(start: Any, end: Any) -> date:
    return cast(date, (start + (end - start) / 2).date())


def _aim_points(rows: pd.DataFrame, value_col: str) -> list[Point]:
    from ...core.dates import as_of_bounds

    out = []
    for r in rows.itertuples():
        bounds = as_of_bounds(r.target_period) if isinstance(r.target_period, str) else None
        if bounds is None or not math.isfinite(float(getattr(r, value_col))):
            continue
        start, end = bounds
        out.append(
            Point(
                start + (end - start) / 2,
                float(getattr(r, value_col)),
                str(r.id),
                str(r.target_period),
                str(r.kind),
            )
        )
    return out


def plan(facts: pd.DataFrame, codebook: pd.DataFrame) -> list[Series]:
    """Every series with three or more dated periods, in entity and indicator order."""
    from ...analysis.facts import AIMED_KINDS
    from ...analysis.timeline import timeline

    out = []
    counts = facts[facts["period_start"].notna() & ~facts["kind"].isin(AIMED_KINDS)]
    sizes = counts.groupby(["entity", "indicator"])["as_of"].nunique()
    for entity, indicator in sorted(sizes[sizes >= MIN_POINTS].index):
        t = timeline(str(entity), str(indicator))
        if len(t) < MIN_POINTS:
            continue
        info = codebook.loc[indicator]
        dim = str(info["dimension"])
        money = dim == "money"
        value_col = "value_usd" if money else "value"
        by_id = facts.set_index("id")
        s = Series(
            str(entity),
            str(indicator),
            f"{entity}: {info['label']}",
            "USD" if money else str(t["unit"].iloc[0]),
            dim,
            table=t,
        )
        for r in t.itertuples():
            v = float(cast(float, by_id.at[str(r.id), value_col]))
            if math.isfinite(v):
                mid = _middle(r.period_start, r.period_end)
                s.points.append(Point(mid, v, str(r.id), str(r.as_of)))
        aims = facts[  # its own aims, and those of its forecast indicator
            (facts["entity"] == entity)
            & facts["indicator"].isin([indicator, f"{indicator}_forecast"])
            & facts["kind"].isin(AIMED_KINDS)
        ]
        s.points += _aim_points(aims, value_col)
        if len(s.points) >= MIN_POINTS:
            out.append(s)
    return out


def _nice_ticks(low: float, high: float, n: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 2)]


def svg(s: Series, root: str) -> str:
    """The series as an inline SVG line chart (dated x axis, y axis in its unit)."""
    pts = sorted(s.points, key=lambda p: p.when)
    # whole years on the x axis, so that each year's tick is its first day
    x0 = date(min(p.when for p in pts).year, 1, 1).toordinal()
    x1 = date(max(p.when for p in pts).year, 12, 31).toordinal()
    lo = min(0.0, min(p.value for p in pts))
    ticks = _nice_ticks(lo, max(p.value for p in pts))
    y0, y1 = ticks[0], ticks[-1]

    def x(d: int) -> float:
        return LEFT + (d - x0) / (x1 - x0) * (W - LEFT - RIGHT)

    def y(v: float) -> float:
        return TOP + (y1 - v) / (y1 - y0) * (H - TOP - BOTTOM)

    unit = "US dollars" if s.unit == "USD" else s.unit
    parts = [_axes(ticks, x, y, s, x0, x1, unit)]
    counts = [p for p in pts if not p.aim]
    aims = [p for p in pts if p.aim]
    line = " ".join(f"{x(p.when.toordinal()):.1f},{y(p.value):.1f}" for p in counts)
    if len(counts) > 1:
        parts.append(f'<polyline points="{line}" fill="none" stroke="#1f5f99" stroke-width="2"/>')
    if aims and counts:
        dash = [counts[-1], *aims]
        d = " ".join(f"{x(p.when.toordinal()):.1f},{y(p.value):.1f}" for p in dash)
        parts.append(
            f'<polyline points="{d}" fill="none" stroke="#b35900" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
        )
    labelled: set[str] = set()
    for p in pts:
        cx, cy = x(p.when.toordinal()), y(p.value)
        fill = "#fff" if p.aim else "#1f5f99"
        stroke = "#b35900" if p.aim else "#1f5f99"
        what = f"{p.aim} for {p.label}" if p.aim else p.label
        parts.append(
            f'<a href="{root}figures/{e(p.id)}.html"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="2"><title>{e(p.id)}: '
            f"{e(words(p.value, s.dimension))} ({e(what)})</title></circle></a>"
        )
        if p.aim and p.aim not in labelled:  # each kind named once, at its first point
            labelled.add(p.aim)
            parts.append(
                f'<text x="{cx - 8:.1f}" y="{cy - 10:.1f}" text-anchor="end" '
                f'class="aim">{e(p.aim)}</text>'
            )
    first, last = pts[0].label, pts[-1].label
    desc = (
        f"{len(counts)} dated figures from {counts[0].label if counts else first} to "
        f"{counts[-1].label if counts else last}"
        + (f", and {len(aims)} forecasts, targets or plans (dashed)" if aims else "")
        + f"; values in {unit}. Each point links to its fact card."
    )
    return (
        f'<svg class="series" viewBox="0 0 {W} {H}" role="img" '
        f'aria-labelledby="{e(s.slug)}-t {e(s.slug)}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{e(s.slug)}-t">{e(s.title)}</title>'
        f'<desc id="{e(s.slug)}-d">{e(desc)}</desc>' + "".join(parts) + "</svg>"
    )


def _axes(ticks: list[float], x: Any, y: Any, s: Series, x0: int, x1: int, unit: str) -> str:
    out = [
        f'<line x1="{LEFT}" y1="{H - BOTTOM}" x2="{W - RIGHT}" y2="{H - BOTTOM}" class="axis"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{H - BOTTOM}" class="axis"/>',
    ]
    for t in ticks:
        out.append(
            f'<line x1="{LEFT}" y1="{y(t):.1f}" x2="{W - RIGHT}" y2="{y(t):.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y(t) + 5:.1f}" text-anchor="end">'
            f"{e(words(t, s.dimension))}</text>"
        )
    first, last = date.fromordinal(x0).year, date.fromordinal(x1).year
    step = max(1, math.ceil((last - first + 1) / 6))
    for year in range(first, last + 2, step):
        d = date(year, 1, 1).toordinal()
        if x0 <= d <= x1 + 1 and x(d) < W - RIGHT - 12:  # the last tick would be cut
            xx = x(d)
            out.append(
                f'<line x1="{xx:.1f}" y1="{H - BOTTOM}" x2="{xx:.1f}" y2="{H - BOTTOM + 5}" '
                f'class="axis"/><text x="{xx:.1f}" y="{H - BOTTOM + 22}" '
                f'text-anchor="middle">{year}</text>'
            )
    out.append(
        f'<text x="{LEFT}" y="{H - 4}" class="unit">{e(unit)}; dates: the period each '
        "figure describes</text>"
    )
    return "".join(out)


def page_body(s: Series, version: str, licence: str) -> str:
    """A series page: heading, the chart, the timeline table with links to fact cards."""
    rows = []
    t = s.table if s.table is not None else pd.DataFrame()
    for r in t.itertuples():
        alts = ", ".join(
            f'<a href="../figures/{e(a)}.html">{e(a)}</a>'
            for a in str(r.alternatives).split(", ")
            if a
        )
        rows.append(
            f'<tr><td>{e(r.as_of)}</td><td class="num">{num(r.value)}</td><td>{e(r.unit)}</td>'
            f'<td>{e(r.qualifier)}</td><td><a href="../figures/{e(r.id)}.html">{e(r.id)}</a>'
            f'</td><td>{e(r.source_id)}</td><td class="num">{int(cast(int, r.n_sources))}</td>'
            f"<td>{alts}</td></tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("period", "value", "unit", "qualifier", "row", "source", "rows", "others")
    )
    aims = [p for p in s.points if p.aim]
    aim_note = (
        f"<p>Dashed: {len(aims)} forecast, target or plan rows at the period they aim at "
        "(not counts).</p>"
        if aims
        else ""
    )
    return (
        f'<h1>{e(s.title)}</h1><p class="meta">Entity {e(s.entity)} · indicator '
        f"{e(s.indicator)} · data version {e(version)} · licence {e(licence)}</p>"
        f"<figure>{svg(s, '../')}</figure>{aim_note}"
        "<p>One row per period; where several rows give a period, the issuer's own figure "
        "comes before a relay, an exact figure before an approximate one, the later "
        "publication before the earlier (chinaai-stats timeline).</p>"
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div>"
    )

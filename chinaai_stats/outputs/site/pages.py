"""The catalog's pages: the index, one page per table and one fact card per figure."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .charts import Chart, is_bound
from .charts import words as in_words
from .markup import e, link, num, page, table, url_link

_QUALIFIER_WORDS = {
    "exact": "",
    "approximately": "approximately ",
    "more_than": "more than ",
    "at_least": "at least ",
    "less_than": "less than ",
    "at_most": "at most ",
}
_BASIS = {
    "stated": "stated in the source",
    "inferred": "inferred (see the notes for the evidence)",
    "unknown": "unknown: the source does not date the figure",
}


#: Columns a table page shows first (the figure, as printed, and its date), then the rest.
FIRST = ("id", "entity", "value_text", "value", "unit", "qualifier", "as_of", "indicator")


@dataclass
class Data:
    """Everything the pages show, loaded once."""

    desc: dict[str, Any]
    meta: dict[str, Any]
    facts: pd.DataFrame  # the fact rows with converted money (value_usd, value_cny)
    codebook: pd.DataFrame  # indexed by indicator id
    sources: pd.DataFrame  # indexed by source id
    derived: pd.DataFrame
    conflicts: pd.DataFrame
    charts: list[Chart]


# ------------------------------------------------------------------ shared bits


def figure_html(chart: Chart, root: str) -> str:
    """A chart as an image with a caption that links to each figure drawn."""
    links = ", ".join(f'<a href="{root}figures/{e(i)}.html">{e(i)}</a>' for i in chart.ids)
    left = f" Not drawn: {e('; '.join(chart.left_out))}." if chart.left_out else ""
    return (
        f'<figure id="chart-{e(chart.indicator)}"><img src="{root}charts/{e(chart.file)}" '
        f'alt="{e(chart.title)}: bar chart of {e(", ".join(chart.ids))}">'
        f"<figcaption>{e(chart.title)}: {links}.{left} "
        f'<a href="{root}charts/{e(chart.file)}">SVG</a></figcaption></figure>'
    )


def source_link(data: Data, sid: str, root: str) -> str:
    return f'<a href="{root}index.html#source-{e(sid)}">{e(sid)}</a>'


def normalised(row: Any) -> str:
    """The figure in words: qualifier, value and unit ("more than 4,500,000,000 USD")."""
    words = _QUALIFIER_WORDS.get(str(row.qualifier), f"{row.qualifier} ")
    unit = str(row.unit)
    if unit == "share":
        return f"{words}{num(row.value * 100)}% (a share of {num(row.value)})"
    big = f" ({in_words(row.value)})" if abs(row.value) >= 1e6 else ""
    shown = "" if unit == "count" else f" {e(unit)}"
    return f"{words}{num(row.value)}{shown}{big}"


# ------------------------------------------------------------------ index


def _series_list(drawn: list[Any]) -> str:
    items = "".join(
        f'<li><a href="series/{e(s.slug)}.html">{e(s.title)}</a> '
        f"({len([p for p in s.points if not p.aim])} periods"
        + (f", {len([p for p in s.points if p.aim])} aims" if any(p.aim for p in s.points) else "")
        + ")</li>"
        for s in drawn
    )
    return (
        '<h2 id="series">Series over time</h2><p>Every entity and indicator with three or '
        "more dated periods, as a line chart and a timeline table.</p>"
        f"<ul>{items}</ul>"
    )


def index_page(data: Data, tables: list[dict[str, Any]], drawn: list[Any] | None = None) -> str:
    desc, meta = data.desc, data.meta
    tab = pd.DataFrame(tables)
    charts = "".join(figure_html(c, "") for c in data.charts)
    der = data.derived[["label", "value", "unit", "inputs", "as_of", "warnings", "formula", "id"]]
    con = data.conflicts[["entity", "indicator", "ids", "values", "unit", "spread", "as_of"]]
    con = con.assign(
        spread=[f"{v * 100:.3g}%" if v == v else "" for v in con["spread"]],
        kind=data.conflicts["kind"],
        sources=data.conflicts["sources"],
    )
    src_items = "".join(_source_item(r) for r in data.sources.reset_index().itertuples())
    return (
        f"<h1>{e(desc['title'])}</h1><p>{e(desc['description'])}</p>"
        f'<p class="meta">Data version {e(meta["version"])} · licence {e(meta["licence"])} · '
        f"{e(desc.get('rights', ''))}</p>"
        "<p>Every figure has a page of its own (its value as printed and normalised, date, "
        "source, caveats and how to cite it): follow an id in a table.</p>"
        "<h2>Tables</h2>"
        + table(tab, numeric=("rows",), links={"table": "tables/{}.html"})
        + _series_list(drawn or [])
        + "<h2>Charts</h2><p>Drawn only where two or more figures give the same indicator; "
        "hatched bars with an arrow are bounds (more than, at most), not values.</p>"
        + f'<div class="charts">{charts}</div>'
        + '<h2 id="derived">Derived indicators</h2><p>Computed from the rows, never typed '
        "in; each names its inputs.</p>"
        + table(
            der,
            numeric=("value",),
            links={"inputs": "figures/{}.html"},
            row_ids={"id": "derived-{}"},
        )
        + '<h2 id="conflicts">Conflicting figures</h2><p>Quantities given more than once.</p>'
        + table(con, links={"ids": "figures/{}.html", "sources": "#source-{}"})
        + f"<h2>Sources</h2><ul>{src_items}</ul>"
    )


def _source_item(r: Any) -> str:
    title = link(r.url, e(r.title))
    when = r.published.date() if pd.notna(r.published) else "undated"
    who = e(r.publisher) or e(r.author) or "unknown publisher"
    return (
        f'<li id="source-{e(r.id)}"><b>{e(r.id)}</b>: {title} · {who} · {e(when)}'
        f' — <span class="meta">{e(r.date_note)} {e(r.caveats)}</span></li>'
    )


# ------------------------------------------------------------------ table pages


#: A table page lists at most this many rows (the reference series have tens of thousands).
MAX_ROWS = 2000


def table_page(data: Data, name: str, df: pd.DataFrame, res: dict[str, Any]) -> str:
    show = df.drop(columns=[c for c in ("period_start", "period_end") if c in df]).head(MAX_ROWS)
    shown = (
        f'<p class="meta">The first {MAX_ROWS:,} of {len(df):,} rows; all of them: '
        f"<code>chinaai_stats.load({e(repr(name))})</code> or "
        f"<code>chinaai-stats show {e(name)} --format csv</code>.</p>"
        if len(df) > MAX_ROWS
        else ""
    )
    first = [c for c in FIRST if c in show.columns]  # what a reader looks for, then the rest
    show = show[first + [c for c in show.columns if c not in first]]
    numeric = tuple(c for c in show.columns if pd.api.types.is_float_dtype(show[c].dtype))
    links = {"source_id": "../index.html#source-{}"}
    if "source_id" in show.columns and "indicator" in show.columns:
        links["id"] = "../figures/{}.html"
    row_ids = {"id": "{}"} if name == "indicators" else None  # figure pages link here
    charts = [c for c in data.charts if "indicator" in df and c.indicator in set(df["indicator"])]
    chart_html = (
        f'<h2>Charts</h2><div class="charts">{"".join(figure_html(c, "../") for c in charts)}</div>'
        if charts
        else ""
    )
    return (
        f"<h1>{e(res['title'])} <small>({e(name)})</small></h1>"
        f"<p>{e(res.get('description', ''))}</p>"
        f'<p class="meta">{len(df)} rows · version {e(data.meta["version"])} · sha256 '
        f"<code>{e(df.attrs['sha256'][:16])}…</code> · file datasets/{e(name)}.csv</p>"
        + chart_html
        + "<h2>Rows</h2>"
        + shown
        + table(show, numeric=numeric, links=links, row_ids=row_ids)
    )


# ------------------------------------------------------------------ figure pages


def figure_page(data: Data, row: Any, citation: str) -> str:
    """The fact card of one figure."""
    ind = data.codebook.loc[str(row.indicator)]
    src = data.sources.loc[row.source_id] if row.source_id in data.sources.index else None
    card: list[tuple[str, str]] = [
        ("As printed", f'<span class="printed">“{e(row.value_text)}”</span>'),
        ("Normalised", normalised(row)),
    ]
    if str(ind["dimension"]) == "money":
        card.append(("In USD and CNY", _money(row)))
    if is_bound(str(row.qualifier)):
        card.append(("A bound", "the source gives a bound, not a value: compare it as such"))
    card += [
        (
            "Indicator",
            f'<a href="../tables/indicators.html#{e(row.indicator)}">{e(ind["label"])}</a> '
            f"(<code>{e(row.indicator)}</code>): {e(ind['definition'])}",
        ),
        ("Entity", f"{e(row.entity)} ({e(row.entity_type)})"),
        ("Date", _date(row)),
        ("Source", _source(data, row, src)),
        ("Primary source", _primary(row)),
        ("Notes", e(row.notes) or "none"),
    ]
    if src is not None and e(src["caveats"]):
        card.append(("Source caveats", e(src["caveats"])))
    card.append(("Conflicts", _conflicts(data, row)))
    card.append(("Derived figures", _derived(data, row)))
    same = data.facts[(data.facts["indicator"] == row.indicator) & (data.facts["id"] != row.id)]
    if len(same):
        others = ", ".join(
            f'<a href="{e(o.id)}.html">{e(o.entity)} ({e(o.id)})</a>' for o in same.itertuples()
        )
        card.append(("Same indicator", others))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in card)
    charts = [c for c in data.charts if row.id in c.ids]
    return (
        f'<p><a href="../tables/{e(row.table)}.html">← {e(row.table)}</a></p>'
        f"<h1>{e(row.entity)}: {e(ind['label'])}</h1>"
        f'<p class="value">{normalised(row)}</p>'
        f'<p class="meta">figure <code>{e(row.id)}</code> · '
        f"{'as of ' + e(row.as_of) if e(row.as_of) else 'undated'} · table {e(row.table)}</p>"
        f'<dl class="card">{dl}</dl>'
        + "".join(figure_html(c, "../") for c in charts)
        + "<h2>How to cite</h2>"
        f'<pre class="cite">{e(citation)}\nFigure {e(row.id)}, {e(row.locator)} of source '
        f"{e(row.source_id)}.</pre>"
        f'<p class="meta">Or on the command line: <code>chinaai-stats cite {e(row.table)}</code>'
        " (also <code>--style apa</code> or <code>bibtex</code>).</p>"
    )


def _money(row: Any) -> str:
    parts = []
    for cur in ("usd", "cny"):
        value = getattr(row, f"value_{cur}")
        basis = getattr(row, f"fx_basis_{cur}")
        shown = num(value) if not (isinstance(value, float) and math.isnan(value)) else "—"
        parts.append(f"{shown} {cur.upper()} <span class='meta'>({e(basis)})</span>")
    if pd.notna(getattr(row, "stated_usd", math.nan)):
        parts.append(
            f"the source's own conversion: {num(row.stated_usd)} USD (“{e(row.stated_usd_text)}”)"
        )
    return "<br>".join(parts)


def _date(row: Any) -> str:
    basis = _BASIS.get(str(row.as_of_basis), e(row.as_of_basis))
    if not isinstance(row.as_of, str) or not row.as_of:
        return f"undated · basis: {basis}"
    span = f"{row.period_start:%Y-%m-%d} to {row.period_end:%Y-%m-%d}"
    return f"{e(row.as_of)} ({span}) · basis: {basis}"


def _source(data: Data, row: Any, src: Any) -> str:
    if src is None:
        return f"{e(row.source_id)}, {e(row.locator)}"
    title = link(src["url"], e(src["title"]))
    when = src["published"].date() if pd.notna(src["published"]) else "undated"
    who = e(src["publisher"]) or e(src["author"]) or "unknown publisher"
    return (
        f"{title} · {who} · {e(when)} · {source_link(data, row.source_id, '../')} · locator "
        f"<code>{e(row.locator)}</code> ({_line(str(row.locator))})"
    )


def _line(locator: str) -> str:
    """``p17`` in words: the 17th non-blank line of the source text."""
    n = locator[1:]
    if not n.isdigit():
        return "a place in the source text"
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"the {k}{suffix} non-blank line of the source text"


def _primary(row: Any) -> str:
    name = e(row.primary_source)
    address = url_link(row.primary_source_url)
    if not name and not address:
        return "none named: the figure rests on the source alone"
    return " · ".join(p for p in (name, address) if p)


def _conflicts(data: Data, row: Any) -> str:
    hits = [c for c in data.conflicts.itertuples() if row.id in str(c.ids).split(", ")]
    if not hits:
        return "none: no other row gives this quantity"
    out = []
    c: Any  # a row of the conflicts table
    for c in hits:
        ids = ", ".join(
            f'<a href="{e(i)}.html">{e(i)}</a>' for i in str(c.ids).split(", ") if i != row.id
        )
        out.append(
            f"also given by {ids} ({e(c.values)}; spread {c.spread * 100:.3g}%): {e(c.kind)} "
            f'· <a href="../index.html#conflicts">all conflicts</a>'
        )
    return "<br>".join(out)


def _derived(data: Data, row: Any) -> str:
    hits = [  # an input, or the population the figure's own source divides by
        d
        for d in data.derived.itertuples()
        if row.id in str(d.inputs).split(", ") or row.id == str(d.source_denominator_id)
    ]
    if not hits:
        return "none"
    return "<br>".join(
        f'<a href="../index.html#derived-{e(d.id)}">{e(d.label)}</a>: '
        f"{num(d.value) or 'not computed'} {e(d.unit)} ({e(d.formula)})"
        for d in hits
    )


def write(path: Path, title: str, body: str, data: Data, root: str) -> Path:
    """Write one page (UTF-8) and return its path."""
    path.write_text(page(title, body, data.meta, root), encoding="utf-8")
    return path

"""Write a static, offline HTML catalog of the data with charts.

``chinaai-stats report --out DIR`` writes ``index.html`` (tables with row counts,
version, licence, comparisons, derived indicators, conflicting figures, sources),
one page per table, and SVG charts drawn with matplotlib. Nothing is loaded from
the network: styles are inline and every chart is a local file.
"""

from __future__ import annotations

import html
import math
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from . import catalog
from .comparison import compare, conflicts, derived
from .errors import ChinaAIStatsError
from .loader import load, sources

CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #222;
       line-height: 1.45; padding: 0 1rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.meta { color: #555; }
.warn { color: #8a4b00; }
figure { display: inline-block; margin: 0.5rem 1rem 1rem 0; }
figure img { width: 30rem; max-width: 100%; border: 1px solid #ddd; }
"""

# Marks the page when a chart fails to load, so a reader (or a test) can see it.
CHECK_IMAGES = """
<script>
window.addEventListener("load", function () {
  var broken = Array.prototype.filter.call(document.images, function (img) {
    return !(img.complete && img.naturalWidth > 0);
  });
  broken.forEach(function (img) { img.alt = "chart failed to load: " + img.src; });
  document.documentElement.dataset.imagesOk = broken.length === 0 ? "true" : "false";
  document.documentElement.dataset.images = String(document.images.length);
});
</script>
"""


def _e(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if value is pd.NaT:
        return ""
    return html.escape(str(value))


def _num(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):,.6g}" if abs(float(value)) < 1000 else f"{float(value):,.0f}"


def _page(title: str, body: str, meta: dict[str, Any]) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>\n"
        f'{body}\n<hr><p class="meta">chinaai-stats data {_e(meta["version"])} · '
        f"{_e(meta['licence'])} · the source documents keep their own rights.</p>"
        f"{CHECK_IMAGES}</body></html>\n"
    )


def _table(
    df: pd.DataFrame, numeric: tuple[str, ...] = (), links: dict[str, str] | None = None
) -> str:
    links = links or {}
    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    rows = []
    for row in df.itertuples(index=False):
        cells = []
        for col, value in zip(df.columns, row, strict=True):
            if col in numeric:
                cells.append(f'<td class="num">{_num(value)}</td>')
            elif col in links and _e(value):
                cells.append(f'<td><a href="{links[col].format(_e(value))}">{_e(value)}</a></td>')
            elif col == "warnings":
                cells.append(f'<td class="warn">{_e(value)}</td>')
            else:
                cells.append(f"<td>{_e(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


# ------------------------------------------------------------------ charts


def _bar(
    path: Path,
    labels: list[str],
    values: list[float],
    title: str,
    ylabel: str,
    as_of: str,
    notes: str = "",
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.6))
    shown = [0 if (v is None or math.isnan(v)) else v for v in values]
    bars = ax.bar(labels, shown, color="#3b6ea5")
    for bar, v in zip(bars, values, strict=True):
        text = "n/a" if v is None or math.isnan(v) else f"{v:,.3g}"
        ax.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(f"as of: {as_of}" + (f" · {notes}" if notes else ""), fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)


def _as_of_text(values: Any) -> str:
    dates = [v if isinstance(v, str) and v else "undated" for v in values]
    return ", ".join(dict.fromkeys(dates))


def _charts(folder: Path) -> list[tuple[str, str]]:
    """Draw the comparison and derived-indicator charts; return (file, caption) pairs."""
    charts = []
    mau = compare(["WeChat", "QQ"], indicator="monthly_active_users")
    mau = mau[mau["as_of"] == "2016-Q3"].drop_duplicates("entity")  # one figure each, same date
    _bar(
        folder / "wechat_qq_mau.svg",
        mau["entity"].tolist(),
        (mau["value_aligned"] / 1e6).tolist(),
        "Monthly active users (accounts)",
        "accounts (millions)",
        _as_of_text(mau["as_of"]),
        "accounts, not people",
    )
    charts.append(("wechat_qq_mau.svg", "WeChat and QQ monthly active users"))
    startups = compare(["China", "United States"], indicator="share_of_world_tech_startups")
    _bar(
        folder / "startup_shares.svg",
        startups["entity"].tolist(),
        (startups["value_aligned"] * 100).tolist(),
        "Share of the world's tech start-ups",
        "percent of world start-ups",
        _as_of_text(startups["as_of"]),
        "a speaker's estimate",
    )
    charts.append(("startup_shares.svg", "China's and the US's shares of world tech start-ups"))
    inv = compare(table="investments", currency="USD")
    _bar(
        folder / "investments_usd.svg",
        [f"{e}\n{i}" for e, i in zip(inv["entity"], inv["id"], strict=True)],
        (inv["value_aligned"] / 1e9).tolist(),
        "AI investments in US dollars",
        "USD (billions)",
        _as_of_text(inv["as_of"]),
        "n/a: undated yuan figure",
    )
    charts.append(("investments_usd.svg", "Investments in US dollars at the rate of their date"))
    for row in derived().itertuples():
        if math.isnan(row.value):  # listed in the table with the reason; nothing to draw
            continue
        name = f"derived_{row.id}.svg"
        _bar(
            folder / name,
            [row.label[:40]],
            [row.value],
            row.label,
            row.unit,
            row.as_of or "undated",
            f"inputs: {row.inputs}",
        )
        charts.append((name, f"{row.label} ({row.formula})"))
    return charts


# ------------------------------------------------------------------ pages


def write_report(out: str | Path) -> list[Path]:
    """Write the catalog into folder ``out`` (replacing it); return the pages written."""
    try:
        import matplotlib  # noqa: F401  (charts)
    except ImportError:
        raise ChinaAIStatsError(
            "the report draws its charts with matplotlib: pip install 'chinaai-stats[report]'"
        ) from None
    out = Path(out)
    desc = catalog.descriptor()
    meta = {"version": desc["version"], "licence": desc["licenses"][0]["name"]}
    staging = Path(
        tempfile.mkdtemp(prefix=".report.", dir=out.parent if out.parent.exists() else None)
    )
    try:
        (staging / "charts").mkdir()
        (staging / "tables").mkdir()
        charts = _charts(staging / "charts")
        src = sources()
        src_links = {r.id: r.url for r in src.itertuples() if isinstance(r.url, str) and r.url}
        pages = []
        index_rows = []
        for name in catalog.list_datasets():
            df = load(name)
            res = catalog.resource(name)
            index_rows.append(
                {
                    "table": name,
                    "title": res.get("title", ""),
                    "rows": len(df),
                    "sha256": df.attrs["sha256"][:12],
                }
            )
            show = df.drop(columns=[c for c in ("period_start", "period_end") if c in df])
            numeric = tuple(c for c in show.columns if pd.api.types.is_float_dtype(show[c].dtype))
            body = (
                f'<p><a href="../index.html">← all tables</a></p><h1>{_e(res["title"])}'
                f" <small>({_e(name)})</small></h1><p>{_e(res.get('description', ''))}</p>"
                f'<p class="meta">{len(df)} rows · version {_e(desc["version"])} · sha256 '
                f"{_e(df.attrs['sha256'])}</p>"
                + _table(show, numeric, {"source_id": "../index.html#source-{}"})
            )
            path = staging / "tables" / f"{name}.html"
            path.write_text(_page(res["title"], body, meta), encoding="utf-8")
            pages.append(path)
        index = pd.DataFrame(index_rows)
        figures = "".join(
            f'<figure><img src="charts/{_e(f)}" alt="{_e(c)}"><figcaption>{_e(c)}'
            "</figcaption></figure>"
            for f, c in charts
        )
        src_items = "".join(
            f'<li id="source-{_e(r.id)}"><b>{_e(r.id)}</b>: '
            + (
                f'<a href="{_e(src_links[r.id])}">{_e(r.title)}</a>'
                if r.id in src_links
                else _e(r.title)
            )
            + f" · {_e(r.publisher)} · "
            f"{_e(r.published.date() if pd.notna(r.published) else 'undated')}"
            f' — <span class="meta">{_e(r.caveats)}</span></li>'
            for r in src.itertuples()
        )
        der = derived()
        body = (
            f"<h1>{_e(desc['title'])}</h1><p>{_e(desc['description'])}</p>"
            f'<p class="meta">Data version {_e(desc["version"])} · licence '
            f"{_e(meta['licence'])} · {_e(desc.get('rights', ''))}</p>"
            "<h2>Tables</h2>"
            + _table(index, ("rows",), {"table": "tables/{}.html"})
            + "<h2>Comparisons and derived indicators</h2>"
            + figures
            + _table(
                der[["id", "label", "value", "unit", "formula", "inputs", "as_of", "warnings"]],
                ("value",),
            )
            + "<h2>Conflicting figures</h2>"
            + _table(conflicts(), ("rows", "min", "max", "spread"))
            + f"<h2>Sources</h2><ul>{src_items}</ul>"
        )
        index_path = staging / "index.html"
        index_path.write_text(_page(desc["title"], body, meta), encoding="utf-8")
        pages.insert(0, index_path)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / p.relative_to(staging) for p in pages]

"""HTML building blocks of the catalog: escaping, links, tables, the page shell and its style."""

from __future__ import annotations

import html
import math
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

CSS = """
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       max-width: 72rem; padding: 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; line-height: 1.2; }
h1, h2, h3, p, li, dd, figcaption { overflow-wrap: anywhere; }
a { color: #1f5b99; }
nav { font-size: 0.95rem; }
.meta { color: #555; font-size: 0.9rem; }
.warn { color: #8a4b00; }
.scroll { overflow-x: auto; max-width: 100%; width: fit-content; margin: 1rem 0;
          border: 1px solid #ddd; }
.scroll td:first-child, .scroll th:first-child { position: sticky; left: 0; z-index: 1;
          background: #fff; box-shadow: 1px 0 0 #ddd; }
.scroll th:first-child { background: #f3f3f3; z-index: 2; }
table { border-collapse: collapse; font-size: 0.88rem; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; position: sticky; top: 0; }
td { max-width: 30rem; overflow-wrap: break-word; }
td.prose { min-width: 20rem; }
td.text { min-width: 9rem; }
td.short, td.key, td a { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr));
          gap: 1rem; }
figure { margin: 0.5rem 0 1rem; max-width: 100%; }
figure img { display: block; width: 100%; max-width: 46rem; height: auto; border: 1px solid #ddd; }
svg.series { display: block; width: 100%; max-width: 46rem; height: auto; border: 1px solid #ddd; }
svg.series text { font-size: 15px; fill: #222; }
svg.series .axis { stroke: #444; } svg.series .grid { stroke: #e4e4e4; }
svg.series .aim { fill: #b35900; font-style: italic; } svg.series .unit { font-size: 13px; }
figcaption { font-size: 0.9rem; color: #444; }
.value { font-size: 1.5rem; margin: 0.2rem 0; }
.printed { font-size: 1.15rem; }
dl.card { display: grid; grid-template-columns: minmax(7rem, 12rem) minmax(0, 1fr);
          gap: 0.35rem 1rem; margin: 1rem 0; }
dl.card dt { font-weight: 600; color: #444; }
dl.card dd { margin: 0; }
pre.cite { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6;
           padding: 0.6rem; font-size: 0.85rem; }
@media (max-width: 36rem) {
  body { padding: 0.6rem; }
  dl.card { grid-template-columns: minmax(0, 1fr); }
  dl.card dd { margin-bottom: 0.5rem; }
}
"""

# Records on the page whether every image loaded, its widths and any script error, so a
# reader (or a test in a browser) can see a broken chart or a page wider than the window.
CHECK = """
<script>
window.__errors = [];
window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
window.addEventListener("load", function () {
  var broken = Array.prototype.filter.call(document.images, function (img) {
    return !(img.complete && img.naturalWidth > 0);
  });
  broken.forEach(function (img) { img.alt = "chart failed to load: " + img.src; });
  var root = document.documentElement;
  root.dataset.imagesOk = broken.length === 0 ? "true" : "false";
  root.dataset.images = String(document.images.length);
  root.dataset.scrollWidth = String(root.scrollWidth);
  root.dataset.windowWidth = String(window.innerWidth);
});
</script>
"""


#: Bidirectional embedding, override and isolate controls (U+202A-202E, U+2066-2069):
#: shown as a visible ``[U+202E]``, so a cell cannot reorder the text around it.
_BIDI = {cp: f"[U+{cp:04X}]" for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def e(value: Any) -> str:
    """Escape a value for HTML text; missing values become "".

    Bidirectional controls are shown as ``[U+202E]`` (``validate`` refuses them in new
    rows; a hand-edited clone may still hold one, and it must not spoof a heading).
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return html.escape(str(value).translate(_BIDI))


def num(value: Any) -> str:
    """A number for a table cell: whole numbers in full, fractions to 6 significant digits."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    v = float(value)
    return f"{v:,.0f}" if v.is_integer() and abs(v) < 1e18 else f"{v:,.6g}"


def web_address(url: Any) -> bool:
    """Whether ``url`` is an ``http``/``https`` address with a host: the only kind linked.

    Anything else (``javascript:``, ``data:``, a relative path, an address with spaces
    or control characters that a browser would strip) is shown as text, never a link.
    """
    if not isinstance(url, str) or not url or url != url.strip():
        return False
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def link(url: Any, text_html: str) -> str:
    """``text_html`` linked to ``url`` when it is a web address; otherwise the text alone."""
    return f'<a href="{e(url)}">{text_html}</a>' if web_address(url) else text_html


def url_link(url: Any) -> str:
    """A link to ``url`` whose text is its host and a short path (the full address on hover).

    An address that is not ``http``/``https`` is shown escaped, as plain text.
    """
    text = e(url)
    if not text:
        return ""
    if not web_address(url):
        return f'<span class="meta">{text}</span>'
    parts = urlsplit(str(url))
    host = parts.netloc.removeprefix("www.") or str(url)
    path = parts.path.rstrip("/")
    short = host + (path if len(path) <= 18 else path[:16] + "…")
    return f'<a href="{text}" title="{text}">{e(short)}</a>'


def page(title: str, body: str, meta: dict[str, Any], root: str = "") -> str:
    """A whole HTML page: ``root`` is the way back to the catalog's top folder ("../")."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)} · chinaai-stats {e(meta['version'])}</title>"
        f"<style>{CSS}</style></head><body>\n"
        f'<nav><a href="{root}index.html">chinaai-stats catalog</a> · data {e(meta["version"])}'
        "</nav>\n"
        f'{body}\n<hr><p class="meta">chinaai-stats data {e(meta["version"])} · '
        f"{e(meta['licence'])} · the source documents keep their own rights.</p>"
        f"{CHECK}</body></html>\n"
    )


#: Columns of prose, and of a few words: they get room to wrap instead of one word per line.
#: Other columns (names, codes, dates) do not wrap.
PROSE = ("notes", "caveats", "warnings", "definition", "date_note", "description")
TEXT = (
    "title",
    "label",
    "kind",
    "value_text",
    "stated_usd_text",
    "primary_source",
    "formula",
    "values",
    "as_of",
    "publisher",
    "author",
    "entity",
)


def table(
    df: pd.DataFrame,
    *,
    numeric: tuple[str, ...] = (),
    links: dict[str, str] | None = None,
    urls: tuple[str, ...] = ("url", "primary_source_url"),
    row_ids: dict[str, str] | None = None,
) -> str:
    """An HTML table in its own scrolling box.

    ``links`` maps a column to a link pattern (``"figures/{}.html"``); ``urls`` are columns of
    web addresses, shown as short links; ``row_ids`` maps a column to an anchor id pattern.
    """
    links = links or {}
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in df.columns)
    rows = []
    for row in df.itertuples(index=False):
        cells = []
        for col, value in zip(df.columns, row, strict=True):
            cells.append(_cell(col, value, numeric, links, urls))
        rid = ""
        if row_ids:
            col, pattern = next(iter(row_ids.items()))
            rid = f' id="{e(pattern.format(getattr(row, col)))}"'
        rows.append(f"<tr{rid}>" + "".join(cells) + "</tr>")
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _cell(
    col: str, value: Any, numeric: tuple[str, ...], links: dict[str, str], urls: tuple[str, ...]
) -> str:
    if col in numeric:
        return f'<td class="num">{num(value)}</td>'
    if col in urls:
        return f"<td>{url_link(value)}</td>"
    text = e(value)
    if col in links and text:
        targets = [t.strip() for t in str(value).split(",")]
        parts = [f'<a href="{e(links[col].format(t))}">{e(t)}</a>' for t in targets]
        return f'<td class="{"key" if len(parts) == 1 else "text"}">{", ".join(parts)}</td>'
    cls = "prose" if col in PROSE else "text" if col in TEXT else "short"
    if col == "warnings":
        cls += " warn"
    return f'<td class="{cls}">{text}</td>'

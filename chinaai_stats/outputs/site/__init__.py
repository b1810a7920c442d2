"""The static HTML catalog: an index, a page per table, a fact card per figure and charts.

:func:`build` writes the pages into a folder; :func:`chinaai_stats.write_report` puts that
folder in place. Pages are laid out for a phone and a laptop (a viewport tag, tables that
scroll inside their own box, text that wraps), load nothing from the network and say the
data version and licence.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from ...analysis.conflicts import conflicts
from ...analysis.derived import derived
from ...analysis.facts import FACT_TABLES, facts
from ...tables import catalog
from ...tables.citation import cite
from ...tables.loader import load, sources
from . import charts, pages, series

__all__ = ["build"]


def _data() -> pages.Data:
    desc = catalog.descriptor()
    meta = {"version": desc["version"], "licence": desc["licenses"][0]["name"]}
    rows = facts()
    from ...tables.currency import add_currency

    for cur in ("USD", "CNY"):  # money at the rate of each figure's date, with the basis
        conv = add_currency(rows.assign(unit=rows["unit"].astype("string")), cur, "annual")
        rows[f"value_{cur.lower()}"] = conv[f"value_{cur.lower()}"].to_numpy()
        rows[f"fx_basis_{cur.lower()}"] = conv["fx_basis"].to_numpy()
    codebook = load("indicators").set_index("id")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plan = charts.plan(rows, codebook)
    return pages.Data(
        desc=desc,
        meta=meta,
        facts=rows,
        codebook=codebook,
        sources=sources().set_index("id", drop=False).rename_axis(None),
        derived=derived(),
        conflicts=conflicts(),
        charts=plan,
    )


def build(folder: Path) -> list[Path]:
    """Write the catalog's pages and charts into the empty folder ``folder``.

    Returns the pages written, the index first.
    """
    folder = Path(folder)
    for sub in ("charts", "tables", "figures", "series"):
        (folder / sub).mkdir()
    data = _data()
    for chart in data.charts:
        charts.draw(chart, folder / "charts", data.meta["version"], data.meta["licence"])
    written, index_rows = [], []
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
        body = pages.table_page(data, name, df, res)
        written.append(
            pages.write(folder / "tables" / f"{name}.html", res["title"], body, data, "../")
        )
    citations = {name: cite(name) for name in FACT_TABLES}
    row: Any  # a row of the facts table
    for row in data.facts.itertuples():
        body = pages.figure_page(data, row, citations[row.table])
        title = f"{row.entity}: {row.indicator} ({row.id})"
        written.append(pages.write(folder / "figures" / f"{row.id}.html", title, body, data, "../"))
    drawn = series.plan(data.facts, data.codebook)
    for s in drawn:
        body = series.page_body(s, data.meta["version"], data.meta["licence"])
        written.append(
            pages.write(folder / "series" / f"{s.slug}.html", s.title, body, data, "../")
        )
    index = pages.index_page(data, index_rows, drawn)
    written.insert(0, pages.write(folder / "index.html", data.desc["title"], index, data, ""))
    return written

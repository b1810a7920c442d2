"""One series over time (:func:`timeline`) and the trail behind one row (:func:`trace`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core.errors import ChinaAIStatsError, did_you_mean
from .facts import AIMED_KINDS, facts

#: Kinds of source document that are the issuer's own (a company's results, a body's
#: notice or dataset, a think tank's or agency's report) rather than a relay of it.
ISSUER_KINDS = ("results", "report", "dataset", "notice")
#: Relations :func:`trace` names between a row and another row of the same fact.
RELATIONS = ("same figure", "rounding", "revision", "different measure", "disagreement")
TIMELINE_COLUMNS = [
    "period_start",
    "period_end",
    "as_of",
    "value",
    "unit",
    "qualifier",
    "id",
    "source_id",
    "n_sources",
    "spread",
    "alternatives",
]


def _series(entity: str, indicator: str, include_forecasts: bool) -> pd.DataFrame:
    """The fact rows of one entity and indicator, with their source's kind and date."""
    from ..tables.entities import resolve
    from ..tables.loader import sources

    entity_id = resolve(entity)
    df = facts()
    known = sorted(set(df["indicator"].dropna().astype(str)))
    if indicator not in known:
        raise ChinaAIStatsError(
            f"no indicator {indicator!r}{did_you_mean(indicator, known)}; "
            "`chinaai-stats show indicators` lists them"
        )
    mine = df[df["entity"].astype(str) == entity_id]
    rows = mine[mine["indicator"] == indicator]
    if rows.empty:
        held = sorted(set(mine["indicator"].dropna().astype(str)))
        has = f"; {entity_id} has: {', '.join(held)}" if held else f"; {entity_id} has no rows"
        raise ChinaAIStatsError(f"no {indicator} rows for {entity_id}{has}")
    if not include_forecasts:
        rows = rows[~rows["kind"].isin(AIMED_KINDS)]
    reg = sources().set_index("id")
    return rows.assign(
        source_kind=rows["source_id"].map(reg["kind"].astype("string")),
        published=rows["source_id"].map(reg["published"]),
    )


def _rank(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` in the order of choice: issuer's own first, exact first, latest first."""
    return rows.assign(
        _relay=~rows["source_kind"].isin(ISSUER_KINDS),
        _inexact=rows["qualifier"] != "exact",
    ).sort_values(
        ["_relay", "_inexact", "published", "id"],
        ascending=[True, True, False, True],
        na_position="last",  # an undated publication after every dated one
    )


def timeline(entity: str, indicator: str, *, include_forecasts: bool = False) -> pd.DataFrame:
    """One row per period an entity's indicator describes, the best-sourced figure first.

    Where several rows give a figure for one period (the same ``as_of``), one is
    chosen by one rule, in this order: the issuer's own document (a source of kind
    results, report, dataset or notice) before a relay of it; an ``exact`` figure
    before an approximate or bounded one; the later publication (a revision) before the
    earlier (an undated publication last); then the lower id. The others are listed in
    ``alternatives``. Undated rows are left out: they describe no period.

    Parameters
    ----------
    entity : str
        Any name of the entity: id, English or Chinese name or alias (``WeChat``,
        ``微信``, ``Weixin``).
    indicator : str
        An indicator id of the codebook (``monthly_active_users``).
    include_forecasts : bool, default False
        Keep forecasts, targets and plans (left out by default: they are not counts).

    Returns
    -------
    pandas.DataFrame
        Sorted by ``period_start``: ``period_start``, ``period_end`` (the period
        described), ``as_of``, ``value``, ``unit``, ``qualifier``, ``id`` and
        ``source_id`` (the row chosen), ``n_sources`` (rows giving that period),
        ``spread`` (largest over smallest value among them, minus one; 0 for one row)
        and ``alternatives`` (the other rows' ids, comma-separated).

    Raises
    ------
    ChinaAIStatsError
        An unknown entity or indicator (the message lists near matches), or no row of
        that indicator for the entity (the message lists the indicators it has).

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> t = cs.timeline("微信", "monthly_active_users").set_index("as_of")
    >>> q3 = t.loc["2016-Q3"]
    >>> q3["id"], q3["source_id"], int(q3["n_sources"]), q3["alternatives"]
    ('uc-0001', 'techreview-2016-tencent-ai-lab', 2, 'uc-0005')
    """
    rows = _series(entity, indicator, include_forecasts)
    rows = rows[rows["period_start"].notna()]
    out = []
    for (start, end), group in rows.groupby(["period_start", "period_end"], sort=True):
        ranked = _rank(group)
        best = ranked.iloc[0]
        values = group["value"].astype(float)
        low, high = values.min(), values.max()
        out.append(
            {
                "period_start": start,
                "period_end": end,
                "as_of": best["as_of"],
                "value": float(best["value"]),
                "unit": best["unit"],
                "qualifier": best["qualifier"],
                "id": best["id"],
                "source_id": best["source_id"],
                "n_sources": len(group),
                "spread": high / low - 1 if low > 0 else float("nan"),
                "alternatives": ", ".join(ranked["id"].iloc[1:].astype(str)),
            }
        )
    frame = pd.DataFrame(out, columns=TIMELINE_COLUMNS)
    text = ["as_of", "unit", "qualifier", "id", "source_id", "alternatives"]
    return frame.astype({c: "string" for c in text}).reset_index(drop=True)


def _relation(row: Any, other: Any) -> str:
    """How ``other`` stands to ``row``: see :data:`RELATIONS` and :func:`trace`."""
    from .conflicts import _pair_kind

    kind = _pair_kind(row, other)
    if kind in ("same figure", "rounding", "different measure"):
        return kind
    same_issuer = str(row.primary_source or "") == str(other.primary_source or "")
    if same_issuer and str(row.primary_source or "") and row.published != other.published:
        return "revision"
    return "disagreement"


def _source_record(source_id: str) -> dict[str, Any]:
    from ..tables.loader import sources

    reg = sources().set_index("id")
    if source_id not in reg.index:
        return {"id": source_id}
    s = reg.loc[source_id]
    published = s["published"]
    return {
        "id": source_id,
        "title": s["title"],
        "publisher": s["publisher"],
        "published": None if pd.isna(published) else published.date().isoformat(),
        "url": None if pd.isna(s["url"]) else s["url"],
        "pointer": None if pd.isna(s["pointer"]) else s["pointer"],
        "sha256": s["sha256"],
        "kind": s["kind"],
    }


def _plain(value: Any) -> Any:
    """A cell as JSON-ready Python: None for missing, ISO for dates, float/int as is."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value.item() if hasattr(value, "item") else value


def _same_fact(row: Any, df: pd.DataFrame) -> list[dict[str, Any]]:
    """Other sources' rows for the row's entity and period: its indicator or a related one."""
    from .conflicts import _overlap, _related

    out = []
    for other in df[(df["entity"] == row.entity) & (df["id"] != row.id)].itertuples():
        if other.source_id == row.source_id or not _overlap(row, other):
            continue
        if other.indicator != row.indicator and not (
            other.dimension == row.dimension and _related(row, other)
        ):
            continue
        if (other.kind in AIMED_KINDS) != (row.kind in AIMED_KINDS):
            continue  # an aim and a count are not one fact
        out.append(
            {
                "id": other.id,
                "indicator": other.indicator,
                "value": float(other.value),
                "unit": other.unit,
                "as_of": other.as_of,
                "source_id": other.source_id,
                "relation": _relation(row, other),
            }
        )
    return out


def trace(row_id: str) -> dict[str, Any]:
    """Everything behind one row: the row, its source, its primary source, the same fact
    elsewhere, and the derived figures computed from it.

    ``same_fact`` lists the rows of other sources for the same entity and an
    overlapping period, of the same indicator or a related one, each with its
    ``relation``: ``same figure``; ``rounding`` (the values agree within the precision
    each is stated to); ``different measure`` (a related indicator); ``revision`` (the
    same named primary source, published on another date, with another value);
    ``disagreement`` (anything else). An aim (forecast, target, plan) and a count are
    never the same fact.

    Parameters
    ----------
    row_id : str
        A fact row's id (``uc-0001``).

    Returns
    -------
    dict
        ``row`` (every column of the row, JSON-ready), ``source`` (id, title,
        publisher, published, url, pointer, sha256, kind), ``primary_source`` (name,
        address), ``same_fact`` (a list of dicts: id, indicator, value, unit, as_of,
        source_id, relation) and ``derived`` (a list of dicts: id, label, value, unit,
        formula).

    Raises
    ------
    ChinaAIStatsError
        No fact row has that id (the message lists near ids).

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> t = cs.trace("uc-0001")
    >>> t["source"]["id"], t["primary_source"]["name"] is not None
    ('techreview-2016-tencent-ai-lab', True)
    >>> from chinaai_stats.analysis.timeline import RELATIONS
    >>> {f["relation"] for f in t["same_fact"]} <= set(RELATIONS)
    True
    """
    from .conflicts import _aligned_facts
    from .derived import derived

    df = _aligned_facts()
    ids = df["id"].astype(str)
    if not isinstance(row_id, str) or row_id not in set(ids):
        raise ChinaAIStatsError(
            f"no fact row with id {row_id!r}{did_you_mean(str(row_id), list(ids))}; "
            "`chinaai-stats show TABLE --columns id` lists the ids"
        )
    from ..tables.loader import sources

    published = sources().set_index("id")["published"]
    df = df.assign(published=df["source_id"].map(published))
    row = next(df[ids == row_id].itertuples())
    record = {
        c: _plain(getattr(row, c))
        for c in df.columns
        if c not in ("value_aligned", "published", "dimension")
    }
    made = derived()
    uses = made[made["inputs"].astype(str).str.split(", ").map(lambda xs: row_id in xs)]
    return {
        "row": record,
        "source": _source_record(str(row.source_id)),
        "primary_source": {
            "name": _plain(row.primary_source),
            "address": _plain(row.primary_source_url),
        },
        "same_fact": _same_fact(row, df),
        "derived": [
            {k: _plain(d[k]) for k in ("id", "label", "value", "unit", "formula")}
            for _, d in uses.iterrows()
        ],
    }

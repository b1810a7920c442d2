"""The candidate rows extract returns: their columns, their cells and the publication date."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ...core.errors import ChinaAIStatsError
from ..parse import Quantity
from .candidates import _figures_in_line, _Found
from .dates import _LineInfo
from .entities import _suggest

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: The columns of a table row (the widest table template, investments).
ROW_COLUMNS = [
    "id",
    "entity",
    "entity_type",
    "indicator",
    "value",
    "unit",
    "qualifier",
    "value_text",
    "stated_usd",
    "stated_usd_text",
    "as_of",
    "as_of_basis",
    "kind",
    "target_period",
    "source_id",
    "locator",
    "primary_source",
    "primary_source_url",
    "notes",
]
#: Review-only columns: delete them after review; validate and add refuse them.
REVIEW_COLUMNS = ["review_table", "review_problem", "review_restated", "review_context"]
COLUMNS = ROW_COLUMNS + REVIEW_COLUMNS


def _context(line: str, start: int, end: int) -> str:
    """A few words either side of the figure, for the reviewer (never a sentence)."""
    before, after = line[max(0, start - 12) : start], line[end : end + 12]
    return f"…{before.strip()}[{line[start:end].strip()}]{after.strip()}…"


def _row(
    found: _Found, info: _LineInfo, n: int, source_id: str, after_limit: int
) -> dict[str, Any]:
    line = info.line
    q = found.quantity
    text = line[found.start : found.end].strip()
    entity, etype, indicator, table = _suggest(info, found) if q else ("", "", "", "")
    as_of, basis = info.as_of(found.start, found.end, after_limit) if q else ("", "")
    usd = q.restated if q is not None and q.restated is not None else None
    stated = usd is not None and usd.unit == "USD" and q is not None and q.unit != "USD"
    return {
        "id": "",
        "entity": entity,
        "entity_type": etype,
        "indicator": indicator,
        "value": q.value if q else None,
        "unit": q.unit if q else "",
        "qualifier": q.qualifier if q else "",
        "value_text": text,
        "stated_usd": usd.value if stated and usd else None,
        "stated_usd_text": usd.text if stated and usd else "",
        "as_of": as_of,
        "as_of_basis": basis,
        "kind": "",  # the reviewer's call: measurement, estimate, forecast, target, plan, claim
        "target_period": "",
        "source_id": source_id,
        "locator": f"p{n}",
        "primary_source": "",
        "primary_source_url": "",
        "notes": "",
        "review_table": table,
        "review_problem": found.problem,
        "review_restated": _restated(q) if q is not None and not stated else "",
        "review_context": _context(line, found.start, found.end),
    }


def _restated(q: Quantity) -> str:
    """The source's bracketed conversion when stated_usd cannot hold it ("100000000 CNY")."""
    r = q.restated
    return "" if r is None else f"{r.value:.15g} {r.unit}"


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of a text: ``paragraphs(text)[N - 1]`` is locator ``pN``."""
    return [line for line in text.splitlines() if line.strip()]


def extract(
    text: str,
    *,
    source_id: str = "",
    published: str | date | None = None,
    table: str | None = None,
) -> pd.DataFrame:
    """Every figure in an article as candidate rows for review.

    Parameters
    ----------
    text : str
        The article, plain text or markdown; each non-blank line is a paragraph.
    source_id : str
        The source's id in the registry, copied into every row.
    published : str or date, optional
        The publication date (YYYY-MM-DD): resolves "last month", 去年, 第三季度.
    table : str, optional
        Give the columns of this table's template (e.g. ``"talent"``, which has no
        ``stated_usd``) instead of the widest one, ``investments``.

    Returns
    -------
    pandas.DataFrame
        One row per figure, in the order of the text, with the table template's
        columns (``locator`` pN, ``value_text`` exactly as printed, ``value``,
        ``unit``, ``qualifier``, ``stated_usd``/``stated_usd_text`` from a
        bracketed dollar conversion, ``as_of``/``as_of_basis``, and ``entity``,
        ``entity_type``, ``indicator`` where the words around name them; empty
        rather than a guess) and the review-only columns ``review_table`` (the
        suggested table), ``review_problem`` (why a figure-like expression could not
        be read; its value is empty), ``review_restated`` (a bracketed conversion into
        another currency than the dollar, e.g. ``100000000 CNY``) and
        ``review_context`` (a few words around it).

    Raises
    ------
    ChinaAIStatsError
        ``text`` is not a string, or ``published`` is not a date (YYYY-MM-DD) or lies
        in the future.

    Examples
    --------
    >>> rows = extract("微信月活跃账户达到 8.46 亿，同比增长 30%。", published="2016-11-16")
    >>> rows[["locator", "value_text", "value", "unit"]].values.tolist()
    [['p1', '8.46 亿', 846000000.0, 'count'], ['p1', '30%', 0.3, 'share']]
    """
    import pandas as pd

    if not isinstance(text, str):
        raise ChinaAIStatsError(
            f"extract() takes the article as text (str), not {type(text).__name__}; "
            "read the file first"
        )
    published = publication_date(published)
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(paragraphs(text), start=1):
        found_here = _figures_in_line(line)
        if found_here:
            info = _LineInfo(line, published)
            limits = [f.start for f in found_here[1:]] + [len(line)]
            rows.extend(
                _row(found, info, n, source_id, limit)
                for found, limit in zip(found_here, limits, strict=True)
            )
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["value"] = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    df["stated_usd"] = pd.to_numeric(df["stated_usd"], errors="coerce").astype("float64")
    return df[columns_for(table)]


def publication_date(published: str | date | None, option: str = "published=") -> date | None:
    """``published`` as a date, or None; a malformed or future date is an error.

    ``option`` names the argument in messages (``"--published "`` on the command line).
    """
    if published is None or published == "":
        return None
    if isinstance(published, str):
        try:
            published = date.fromisoformat(published)
        except ValueError:
            raise ChinaAIStatsError(
                f"{option}{published!r} is not a date; write YYYY-MM-DD"
            ) from None
    if isinstance(published, datetime):
        published = published.date()
    if not isinstance(published, date):
        raise ChinaAIStatsError(
            f"{option}{published!r} is not a date; give a datetime.date or YYYY-MM-DD"
        )
    if published > date.today():
        raise ChinaAIStatsError(
            f"{option}{published.isoformat()} is in the future; give the date the "
            "article appeared (it dates 'last year' and 去年)"
        )
    return published


def columns_for(table: str | None) -> list[str]:
    """The columns of extract's rows: a table's template (or the widest) and review_ ones."""
    if table is None:
        return COLUMNS
    from ...tables import catalog

    fields = [f["name"] for f in catalog.resource(table)["schema"]["fields"]]
    missing = [f for f in fields if f not in ROW_COLUMNS]
    if missing:
        raise _not_a_figures_table(table)
    return fields + REVIEW_COLUMNS


def _not_a_figures_table(table: str) -> Exception:
    from ...core.errors import DatasetNotFoundError

    return DatasetNotFoundError(
        f"{table!r} is not a table of figures; extract rows for user_counts, investments, "
        "talent, camera_counts or context"
    )

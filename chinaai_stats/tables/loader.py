"""Load the tables as typed pandas DataFrames.

pandas is imported here, and this module is imported only when a loader is
first used, so ``import chinaai_stats`` stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from ..core.dates import as_of_bounds
from ..core.errors import DataVersionError
from . import catalog
from .catalog import REGISTRY
from .read import read_csv

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable


def _add_periods(df: pd.DataFrame) -> None:
    """Add sortable ``period_start``/``period_end`` columns right after ``as_of``."""
    bounds = [as_of_bounds(v) for v in df["as_of"].tolist()]
    # None becomes NaT; pandas-stubs leaves None out of the accepted list items
    starts = [b[0] if b else None for b in bounds]
    ends = [b[1] if b else None for b in bounds]
    start = pd.to_datetime(starts).astype("datetime64[ms]")  # type: ignore[arg-type]
    end = pd.to_datetime(ends).astype("datetime64[ms]")  # type: ignore[arg-type]
    pos = cast(int, df.columns.get_loc("as_of")) + 1  # column names are unique
    df.insert(pos, "period_start", start)
    df.insert(pos + 1, "period_end", end)


_hashes: dict[tuple[Path, int, int], str] = {}


def _checked_sha256(path: Path, recorded: str) -> str:
    """The SHA-256 of the file as it is; a warning when it is not the one recorded.

    A CSV edited without refreshing the descriptor would otherwise be cited with the
    hash of data it no longer holds.
    """
    import hashlib
    import warnings

    st = path.stat()
    key = (path, st.st_mtime_ns, st.st_size)
    if key not in _hashes:
        _hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        if recorded and _hashes[key] != recorded:
            warnings.warn(
                f"{path}: its SHA-256 ({_hashes[key][:12]}) is not the one datapackage.json "
                f"records ({recorded[:12]}): the file was changed without refreshing the "
                "descriptor; run python -m chinaai_stats.tables.package in the clone "
                "before citing it",
                UserWarning,
                stacklevel=3,
            )
    return _hashes[key]


def _sources_used(ids: Iterable[str], root: Path | None = None) -> list[dict[str, str]]:
    reg = {row["id"]: row for row in catalog.registry_rows(root)}
    out = []
    for sid in sorted(set(ids)):
        row = reg.get(sid, {"id": sid})
        out.append(
            {k: row.get(k, "") for k in ("id", "title", "publisher", "author", "published", "url")}
        )
    return out


def version_root(version: str | None = None) -> tuple[Path, dict[str, Any]]:
    """The folder holding data ``version`` (default: the installed one) and its descriptor.

    A release is rebuilt from ``datasets/releases`` (:mod:`.history`) unless the data in
    use is that release byte for byte; a version neither released nor in use raises
    :class:`DataVersionError` naming the fix.
    """
    root = catalog.data_root()
    desc = catalog.descriptor(root)
    if version is None:
        return root, desc
    from . import history

    if version in history.releases(root):
        if history.is_current(root, version):
            return root, desc
        old = history.release_root(version, root)
        return old, catalog.descriptor(old)
    if version == desc["version"]:  # the version being prepared, not released yet
        return root, desc
    stored = ", ".join(history.releases(root)) or "none"
    raise DataVersionError(
        f"installed chinaai-stats data is version {desc['version']} and holds the releases "
        f"{stored}, not {version}; install it with: pip install chinaai-stats=={version}"
    )


def load(
    name: str,
    *,
    version: str | None = None,
    currency: str | None = None,
    fx: str = "annual",
) -> pd.DataFrame:
    """Load one table as a typed DataFrame.

    Parameters
    ----------
    name : str
        A table name from :func:`list_datasets`, e.g. ``"user_counts"``.
    version : str, optional
        The data version an analysis was written against: the table exactly as
        released then (its SHA-256 the one recorded at that release), rebuilt offline
        from the release store. A version neither installed nor released raises
        :class:`DataVersionError`.
    currency : {"USD", "CNY", "HKD", "EUR", "GBP", "JPY", "TWD"}, optional
        Add the money figures converted to this currency (``value_usd``,
        ``value_cny``, ...), with ``fx_rate`` (e.g. CNY per USD) and ``fx_basis``; ``value``
        and ``unit`` keep what the source stated. See
        :func:`chinaai_stats.tables.currency.add_currency`.
    fx : {"annual", "monthly", "stated"}
        Which rate: the mean of the ``as_of`` year or month (ECB; FRED for TWD), or the source's
        own conversion where it gives one.

    Returns
    -------
    pandas.DataFrame
        One row per figure. Columns of the fact tables: ``id``, ``entity``,
        ``entity_type`` (category), ``indicator`` (category), ``value`` (float64,
        in ``unit``), ``unit`` (category: count, share as a fraction of 1, ratio,
        CNY, USD, minute, rank), ``qualifier`` (category), ``value_text`` (as printed
        in the source), ``as_of`` (ISO text) with ``period_start``/``period_end``
        (datetime64, empty when undated), ``as_of_basis``, ``source_id``,
        ``locator``, ``primary_source``, ``primary_source_url``, ``notes``; money
        tables add ``stated_usd`` and ``stated_usd_text``. ``.attrs`` holds
        ``name``, ``title``, ``version``, ``sha256``, ``licence`` and ``sources``.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> df = cs.load("user_counts")
    >>> wechat = df.set_index("id").loc["uc-0001"]
    >>> float(wechat["value"]), wechat["unit"], wechat["as_of"]
    (846000000.0, 'count', '2016-Q3')
    """
    root, desc = version_root(version)
    res = catalog.resource(name, root)
    path = root / "datasets" / res["path"]
    df = read_csv(path, res["schema"])
    sha256 = _checked_sha256(path, res.get("hash", "").removeprefix("sha256:"))
    if "as_of" in df.columns:
        _add_periods(df)
    df.attrs.update(
        name=name,
        title=res.get("title", name),
        description=res.get("description", ""),
        version=desc["version"],
        sha256=sha256,
        licence=", ".join(x["name"] for x in res.get("licenses", desc["licenses"][:1])),
        sources=(
            _sources_used(df["source_id"], root)
            if "source_id" in df.columns
            else [dict(s) for s in res.get("sources", [])]
        ),
    )
    if currency is not None:
        from .currency import add_currency

        df = add_currency(df, currency, fx)
    return df


def sources() -> pd.DataFrame:
    """Return the source registry: one row per source document.

    Columns: ``id``, ``title``, ``publisher``, ``author``, ``published``
    (datetime64, empty when undated), ``date_note``, ``url``, ``language``,
    ``kind`` (category), ``filename``, ``sha256`` (of the text the figures were
    taken from), ``caveats``.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> "anant90-china-ai-dominance-2018" in set(cs.sources()["id"])
    True
    """
    root = catalog.data_root()
    schema = next(r for r in catalog.descriptor(root)["resources"] if r["name"] == REGISTRY)[
        "schema"
    ]
    df = read_csv(catalog.registry_path(root), schema)
    df.attrs.update(
        name=REGISTRY, title="Source registry", version=catalog.descriptor(root)["version"]
    )
    return df


def describe(name: str) -> pd.DataFrame:
    """Describe a table's columns: name, type, required, allowed values and meaning.

    The table's title and description are in ``.attrs``.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> cs.describe("investments").set_index("field").loc["unit", "allowed"]
    'CNY, USD, HKD, EUR, GBP, JPY, TWD, count'
    """
    res = catalog.resource(name)
    rows = []
    for f in res["schema"]["fields"]:
        c = f.get("constraints", {})
        allowed = ", ".join(c["enum"]) if "enum" in c else c.get("pattern", "")
        bounds = [f">= {c['minimum']}"] if "minimum" in c else []
        bounds += [f"<= {c['maximum']}"] if "maximum" in c else []
        allowed = ", ".join(bounds) or allowed
        rows.append(
            {
                "field": f["name"],
                "type": f.get("type", "string"),
                "required": bool(c.get("required", False)),
                "allowed": allowed,
                "description": f.get("description", ""),
            }
        )
    df = pd.DataFrame(rows).astype(
        {"field": "string", "type": "string", "allowed": "string", "description": "string"}
    )
    df.attrs.update(name=name, title=res.get("title", name), description=res.get("description", ""))
    return df

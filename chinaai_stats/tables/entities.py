"""Look an entity up under any of its names: English, Chinese (simplified or traditional), aliases.

The ``entities`` table holds one row per entity the fact tables name; its ``id`` is
what their ``entity`` column holds. Only the standard library is used, so a lookup
is cheap. Case and surrounding spaces do not matter; a name that two entities share
is refused rather than guessed.

Example
-------
>>> import chinaai_stats as cs
>>> cs.entity("微信")["id"], cs.entity("weixin")["id"], cs.entity("騰訊")["id"]
('WeChat', 'WeChat', 'Tencent')
>>> cs.entity("WeChat")["parent"]
'Tencent'
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from ..core.errors import ChinaAIStatsError, did_you_mean
from . import catalog

#: Columns whose "; "-separated parts are names of the entity.
NAME_COLUMNS = ("id", "name_en", "name_zh", "aliases")

_cache: dict[tuple[Path, int, int], tuple[dict[str, dict[str, Any]], dict[str, set[str]]]] = {}


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _table(root: Path | None = None) -> tuple[dict[str, dict[str, Any]], dict[str, set[str]]]:
    """Rows by id, and every name (case-folded) -> the ids it names; cached per file state."""
    path = catalog.table_path("entities", root)
    st = path.stat()
    key = (path, st.st_mtime_ns, st.st_size)
    if key not in _cache:
        with open(path, encoding="utf-8", newline="") as f:
            rows = {r["id"]: r for r in csv.DictReader(f)}
        names: dict[str, set[str]] = {}
        for rid, r in rows.items():
            for col in NAME_COLUMNS:
                for part in (r.get(col) or "").split(";"):
                    if part.strip():
                        names.setdefault(_key(part), set()).add(rid)
        _cache.clear()
        _cache[key] = (rows, names)
    return _cache[key]


def resolve(name: str, root: Path | None = None) -> str:
    """Return the entity id that ``name`` (an id, a name or an alias) stands for.

    Raises
    ------
    ChinaAIStatsError
        No entity has that name (the message lists the nearest names), or two do.
    """
    if not isinstance(name, str) or not name.strip():
        raise ChinaAIStatsError(f"entity must be a name, not {name!r}")
    rows, names = _table(root)
    if name in rows:
        return name
    ids = names.get(_key(name), set())
    if len(ids) == 1:
        return next(iter(ids))
    if ids:
        raise ChinaAIStatsError(
            f"entity {name!r} names several entities ({', '.join(sorted(ids))}); "
            "use one of these ids"
        )
    known = sorted({part.strip() for r in rows.values() for part in _parts(r)})
    raise ChinaAIStatsError(
        f"no entity named {name!r}{did_you_mean(name, known)}; "
        "`chinaai-stats show entities` lists every entity with its names"
    )


def _parts(row: dict[str, Any]) -> list[str]:
    return [p for col in NAME_COLUMNS for p in (row.get(col) or "").split(";") if p.strip()]


def entity(name: str) -> dict[str, Any]:
    """Return the entities row for ``name``: its id, names, aliases (a list), type and parent.

    Parameters
    ----------
    name : str
        Any name of the entity: its id (``WeChat``), English or Chinese name (``微信``,
        ``騰訊``) or an alias (``Weixin``, ``Big Fund``); case does not matter.

    Returns
    -------
    dict
        ``id``, ``name_en``, ``name_zh`` (list), ``aliases`` (list), ``type``,
        ``parent`` (an id or ``None``) and ``notes``.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> e = cs.entity("weixin")
    >>> e["id"], e["type"], e["name_zh"]
    ('WeChat', 'product', ['微信'])
    """
    rows, _ = _table()
    row = dict(rows[resolve(name)])
    for col in ("name_zh", "aliases"):
        row[col] = [p.strip() for p in (row.get(col) or "").split(";") if p.strip()]
    row["parent"] = row.get("parent") or None
    return row

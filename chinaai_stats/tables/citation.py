"""Cite the package or one table: version, table hash, publisher and the sources behind it."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import Any

from ..core.errors import ChinaAIStatsError
from . import catalog

STYLES = ("text", "apa", "bibtex")
AUTHOR = "chinaai-stats contributors"
#: The data are published by their contributors (no publishing house, no address yet).
PUBLISHER = AUTHOR


def _released(desc: dict[str, Any]) -> str:
    return str(desc.get("created", ""))[:10]


def _registry(root: Path | None) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in catalog.registry_rows(root)}


def _source_ids(name: str | None, root: Path | None) -> list[str]:
    """The sources a table's rows cite (every registered source for the package)."""
    reg = _registry(root)
    if name is None:
        return list(reg)
    path = catalog.table_path(name, root)
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if "source_id" not in (reader.fieldnames or []):
            return []
        used = {row["source_id"] for row in reader}
    return [sid for sid in reg if sid in used]


def _source_line(row: dict[str, str]) -> str:
    who = row.get("publisher") or row.get("author") or "unknown publisher"
    when = row.get("published") or "undated"
    return f"{who} ({when}), “{row['title']}”"


def _what(name: str | None, desc: dict[str, Any], root: Path | None) -> dict[str, str]:
    """The parts every style names: title, table, version, year, hash, licence, sources."""
    version = desc["version"]
    parts = {
        "title": desc["title"],
        "version": version,
        "year": _released(desc)[:4] or "n.d.",
        "licence": desc["licenses"][0]["name"],
        "table": "",
        "table_title": "",
        "digest": "",
    }
    reg = _registry(root)
    sources = [_source_line(reg[s]) for s in _source_ids(name, root)]
    if name is not None:
        res = catalog.resource(name, root)
        parts.update(
            table=name,
            table_title=res.get("title", name),
            digest=res.get("hash", "").removeprefix("sha256:"),
            # a reference table carries its upstream's licence (World Bank: CC-BY-4.0)
            licence=", ".join(x["name"] for x in res.get("licenses", desc["licenses"][:1])),
        )
        if not sources:  # e.g. exchange_rates: sources named in the descriptor
            sources = [s.get("title", "") for s in res.get("sources", [])]
    parts["sources"] = "; ".join(sources)
    return parts


def cite(
    name: str | None = None,
    style: str = "text",
    accessed: date | str | None = None,
    version: str | None = None,
) -> str:
    """Return a citation of the package, or of table ``name``, in ``style``.

    Every style names the author and publisher (``chinaai-stats contributors``, an
    organisation, not a person), the data version and, for a table, the SHA-256 of its
    CSV file. The package has no public address yet, so no URL is given (and APA has
    no "Retrieved" clause).

    Parameters
    ----------
    name : str, optional
        A table from :func:`list_datasets`; None cites the whole package.
    style : {"text", "apa", "bibtex"}
        ``text``: a sentence with licence, access date and the sources behind the rows;
        ``apa``: APA 7 data set reference; ``bibtex``: a ``@misc`` entry.
    accessed : date or ISO str, optional
        The access date ``text`` and ``bibtex`` state; today when not given.
    version : str, optional
        A release to cite (``"0.1.0"``): its version, hash and sources as released;
        the data in use when not given.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> print(cs.cite(style="apa"))
    chinaai-stats contributors. (2026). chinaai-stats: curated, source-cited statistics on
    China's AI ecosystem (Version 0.3.0) [Data set]. chinaai-stats contributors.
    >>> print(cs.cite("talent", accessed="2026-11-24").splitlines()[0])  # doctest: +ELLIPSIS
    chinaai-stats contributors (2026). ... AI talent (table talent) [Data set],
    version 0.3.0, SHA-256 ...
    """
    if style not in STYLES:
        raise ChinaAIStatsError(f"unknown citation style {style!r}; use one of {', '.join(STYLES)}")
    from .loader import version_root

    root, desc = version_root(version)
    parts = _what(name, desc, root)
    if isinstance(accessed, str):
        try:
            day = date.fromisoformat(accessed).isoformat()
        except ValueError:
            raise ChinaAIStatsError(f"accessed {accessed!r} is not a YYYY-MM-DD date") from None
    else:
        day = (accessed or date.today()).isoformat()
    if style == "apa":
        return _apa(parts)
    if style == "bibtex":
        return _bibtex(parts, day)
    what = f"{parts['table_title']} (table {name})" if name else ""
    line = f"{AUTHOR} ({parts['year']}). {parts['title']}"
    line += f": {what}" if what else ""
    line += f" [Data set], version {parts['version']}"
    line += f", SHA-256 {parts['digest'][:12]}" if parts["digest"] else ""
    line += f". Publisher: {PUBLISHER}. Licence {parts['licence']}. Accessed {day}."
    return line + (f"\nSources: {parts['sources']}." if parts["sources"] else "")


def _apa(parts: dict[str, str]) -> str:
    """APA 7 data set: Author. (Year). Title [description] (Version x) [Data set]. Publisher."""
    table = f" [{parts['table_title']}, table {parts['table']}]" if parts["table"] else ""
    out = (
        f"{AUTHOR}. ({parts['year']}). {parts['title']}{table} (Version {parts['version']}) "
        f"[Data set]. {PUBLISHER}."
    )
    return out + (f" SHA-256 {parts['digest']}." if parts["digest"] else "")


def _bibtex(parts: dict[str, str], day: str) -> str:
    """A ``@misc`` entry: braced corporate author, version, and the hash in ``note``."""
    name = parts["table"] or "package"
    key = re.sub(r"[^a-z0-9]+", "_", f"chinaai_stats_{name}_{parts['version']}".lower())
    title = parts["title"] + (f": {parts['table_title']}" if parts["table"] else "")
    note = f"Data set, version {parts['version']}"
    if parts["table"]:
        note += f"; table {parts['table']}, SHA-256 {parts['digest']}"
    note += f"; licence {parts['licence']}; accessed {day}"
    if parts["sources"]:
        note += f". Sources: {parts['sources']}"
    fields = {
        "author": "{" + AUTHOR + "}",  # braced: an organisation, never split into names
        "title": "{" + _bib_escape(title) + "}",
        "year": parts["year"],
        "version": parts["version"],
        "publisher": PUBLISHER,
        "howpublished": "Python package chinaai-stats",
        "note": _bib_escape(note),
    }
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
    return f"@misc{{{key},\n{body}\n}}"


def _bib_escape(text: str) -> str:
    """Escape the characters BibTeX treats specially."""
    return re.sub(r"([&%$#_])", r"\\\1", text).replace("{", "(").replace("}", ")")

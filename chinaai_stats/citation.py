"""Cite the package or one table: version, table hash, access date and the sources behind it."""

from __future__ import annotations

import csv
import re
from datetime import date

from . import catalog
from .errors import ChinaAIStatsError

STYLES = ("text", "apa", "bibtex")
AUTHOR = "chinaai-stats contributors"


def _released(desc: dict) -> str:
    return str(desc.get("created", ""))[:10]


def _registry() -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in catalog.registry_rows()}


def _source_ids(name: str | None) -> list[str]:
    """The sources a table's rows cite (every registered source for the package)."""
    reg = _registry()
    if name is None:
        return list(reg)
    path = catalog.table_path(name)
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


def cite(name: str | None = None, style: str = "text", accessed: date | str | None = None) -> str:
    """Return a citation of the package, or of table ``name``, in ``style``.

    Parameters
    ----------
    name : str, optional
        A table from :func:`list_datasets`; None cites the whole package.
    style : {"text", "apa", "bibtex"}
    accessed : date or ISO str, optional
        The access date to state; today when not given.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> print(cs.cite("talent", accessed="2026-11-24").splitlines()[0])  # doctest: +ELLIPSIS
    chinaai-stats contributors (2026). ... AI talent (table talent), version 0.1.0, sha256 ...
    """
    if style not in STYLES:
        raise ChinaAIStatsError(f"unknown citation style {style!r}; use one of {', '.join(STYLES)}")
    desc = catalog.descriptor()
    version = desc["version"]
    released = _released(desc)
    year = released[:4] or "n.d."
    day = accessed if isinstance(accessed, str) else (accessed or date.today()).isoformat()
    licence = desc["licenses"][0]["name"]
    title = desc["title"]
    reg = _registry()
    sources = [reg[s] for s in _source_ids(name)]
    if name is not None:
        res = catalog.resource(name)
        licence = ", ".join(x["name"] for x in res.get("licenses", desc["licenses"][:1]))
        part = f"{res.get('title', name)} (table {name})"
        digest = res.get("hash", "").removeprefix("sha256:")[:12]
        what = (
            f"{part}, version {version}, sha256 {digest}"
            if digest
            else f"{part}, version {version}"
        )
    else:
        what = f"version {version}"
    src_text = "; ".join(_source_line(s) for s in sources)
    if name is not None and not sources:  # e.g. exchange_rates: sources named in the descriptor
        src_text = "; ".join(s.get("title", "") for s in res.get("sources", []))
    if style == "text":
        lines = [f"{AUTHOR} ({year}). {title}: {what}. Licence {licence}. Accessed {day}."]
        if src_text:
            lines.append(f"Sources: {src_text}.")
        return "\n".join(lines)
    if style == "apa":
        when = date.fromisoformat(day)
        retrieved = f"{when:%B} {when.day}, {when.year}"
        table = f" [{res.get('title', name)}, table {name}]" if name is not None else ""
        digest_note = f" sha256:{digest}." if name is not None and digest else ""
        out = (
            f"{AUTHOR}. ({year}). {title}{table} (Version {version}) [Data set]. "
            f"{licence}.{digest_note} Retrieved {retrieved}."
        )
        return out + (f" Sources: {src_text}." if src_text else "")
    key = re.sub(r"[^a-z0-9]+", "_", f"chinaai_stats_{name or 'package'}_{version}".lower())
    note = f"{what}; licence {licence}; accessed {day}"
    if src_text:
        note += f". Sources: {src_text}"
    fields = {
        "author": "{" + AUTHOR + "}",
        "title": "{"
        + _bib_escape(title if name is None else f"{title}: {res.get('title', name)}")
        + "}",
        "year": year,
        "version": version,
        "howpublished": "Python package chinaai-stats",
        "note": _bib_escape(note),
    }
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
    return f"@misc{{{key},\n{body}\n}}"


def _bib_escape(text: str) -> str:
    """Escape the characters BibTeX treats specially."""
    return re.sub(r"([&%$#_])", r"\\\1", text).replace("{", "(").replace("}", ")")

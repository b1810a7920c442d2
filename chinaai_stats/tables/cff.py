"""``CITATION.cff``, written from the data package descriptor.

The descriptor's metadata (title, licence, keywords) and its copy of the source
registry are the one source of truth; ``release`` and the descriptor refresh both
write the citation file through :func:`render_citation`. The package is a data set by
an organisation (``chinaai-stats contributors``, an entity, never a person's name),
which is also its publisher; no address is written until the package has a public one.
"""

from __future__ import annotations

from typing import Any

from . import catalog
from .citation import PUBLISHER

CFF_TYPES = {
    "news": "newspaper-article",
    "blog": "blog",
    "event_recap": "blog",
    "report": "report",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_citation(desc: dict[str, Any], version: str, released: str) -> str:
    """CITATION.cff for the package, written from a descriptor (metadata and source registry).

    The authors and the publisher are one entity, ``chinaai-stats contributors``; the
    ``preferred-citation`` is the data set with its version. No address is given until
    the package has a public one.
    """
    reg = next(r for r in desc["resources"] if r["name"] == catalog.REGISTRY)
    header, *rows = reg["data"]
    author = desc["contributors"][0]["title"]
    licence = desc["licenses"][0]["name"]
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use these data, please cite them as below, naming the data version '
        'you used."',
        f"title: {_quote(desc['title'])}",
        "type: dataset",
        "authors:",
        f"  - name: {_quote(author)}",
        f"version: {_quote(version)}",
        f"date-released: {_quote(released)}",
        f"license: {licence}",
        f"abstract: {_quote(desc['description'] + ' ' + desc['rights'])}",
        "keywords:",
        *[f"  - {_quote(k)}" for k in desc.get("keywords", [])],
        "preferred-citation:",
        "  type: data",
        f"  title: {_quote(desc['title'])}",
        "  authors:",
        f"    - name: {_quote(author)}",
        "  publisher:",
        f"    name: {_quote(PUBLISHER)}",
        f"  version: {_quote(version)}",
        f"  year: {int(released[:4])}",
        f"  date-released: {_quote(released)}",
        f"  license: {licence}",
        "references:",
    ]
    for values in rows:
        lines += _cff_reference(dict(zip(header, values, strict=True)))
    return "\n".join(lines) + "\n"


def _cff_reference(src: dict[str, str]) -> list[str]:
    lines = [
        f"  - type: {CFF_TYPES.get(src['kind'], 'generic')}",
        f"    title: {_quote(src['title'])}",
        "    authors:",
        f"      - name: {_quote(src['author'] or src['publisher'] or 'Unknown author')}",
    ]
    if src["publisher"]:
        lines += ["    publisher:", f"      name: {_quote(src['publisher'])}"]
    if src["published"]:
        lines.append(f"    date-published: {_quote(src['published'])}")
    if src["url"]:
        lines.append(f"    url: {_quote(src['url'])}")
    lines.append(f"    notes: {_quote(src['date_note'] + ' ' + src['caveats'])}")
    return lines

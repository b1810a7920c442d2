"""``CITATION.cff``, written from the data package descriptor.

The descriptor's metadata (title, licence, keywords) and its copy of the source
registry are the one source of truth; ``release`` and the descriptor refresh both
write the citation file through :func:`render_citation`.
"""

from __future__ import annotations

from . import catalog

CFF_TYPES = {
    "news": "newspaper-article",
    "blog": "blog",
    "event_recap": "blog",
    "report": "report",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_citation(desc: dict, version: str, released: str) -> str:
    """CITATION.cff, written from a descriptor (its metadata and source registry rows)."""
    reg = next(r for r in desc["resources"] if r["name"] == catalog.REGISTRY)
    header, *rows = reg["data"]
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use these data, please cite them as below, naming the data version '
        'you used."',
        f"title: {_quote(desc['title'])}",
        "type: dataset",
        "authors:",
        f"  - name: {_quote(desc['contributors'][0]['title'])}",
        f"version: {_quote(version)}",
        f"date-released: {_quote(released)}",
        f"license: {desc['licenses'][0]['name']}",
        f"abstract: {_quote(desc['description'] + ' ' + desc['rights'])}",
        "keywords:",
        *[f"  - {_quote(k)}" for k in desc.get("keywords", [])],
        "references:",
    ]
    for values in rows:
        src = dict(zip(header, values, strict=True))
        lines += [
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
    return "\n".join(lines) + "\n"

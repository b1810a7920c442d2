"""Keep ``datasets/datapackage.json`` in step with the files it describes.

The Table Schemas in ``schemas/``, the registry ``seeds/sources.csv`` and the CSV
files are the sources of truth. The descriptor carries copies of the schemas
(Frictionless refuses schema paths outside the package folder), the registry rows
(so foreign keys to ``sources`` resolve) and each file's ``bytes`` and ``hash``.
:func:`refresh` recomputes all of them; titles, descriptions, licences and the
version are kept as written.

Run ``python -m chinaai_stats.tables.package [ROOT]`` after editing a schema, the
registry or a CSV by hand.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any

from ..core import journal
from ..core.errors import ChinaAIStatsError, DataFileError
from .catalog import DESCRIPTOR, REGISTRY, data_root, descriptor_problem
from .cff import render_citation


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_json(path: Path) -> Any:
    """Read a UTF-8 JSON file; a file that is not JSON is a :class:`DataFileError` naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:  # JSON or UTF-8
        raise DataFileError(f"{path}: not valid JSON ({exc}); restore it from git") from None


def dump_json(data: Any) -> str:
    """Serialise JSON the way every file of the package is written (stable bytes)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def refreshed(root: Path | None = None, registry_text: str | None = None) -> dict[str, Any]:
    """Return the descriptor with schemas, registry rows, bytes and hashes recomputed.

    ``registry_text``, if given, stands for the content of ``seeds/sources.csv``.
    """
    root = root or data_root()
    path = root / "datasets" / DESCRIPTOR
    desc: dict[str, Any] = read_json(path)
    problem = descriptor_problem(desc)
    if problem:
        raise DataFileError(f"{path}: not a data package descriptor ({problem}); restore it")
    for res in desc["resources"]:
        res["schema"] = read_json(root / "schemas" / f"{res['name']}.json")
        if res["name"] == REGISTRY:
            if registry_text is None:
                registry_text = (root / "seeds" / "sources.csv").read_bytes().decode("utf-8")
            res["data"] = list(csv.reader(io.StringIO(registry_text, newline="")))
            desc["sources"] = _package_sources(desc.get("sources", []), res["data"])
            continue
        path = root / "datasets" / res["path"]
        res["bytes"] = path.stat().st_size
        res["hash"] = "sha256:" + file_sha256(path)
    return desc


def _package_sources(current: list[dict[str, str]], rows: list[list[str]]) -> list[dict[str, str]]:
    """The descriptor's ``sources``: one per registered text, then the upstream data kept.

    An entry whose title begins with a registered title is that source's (it is
    rewritten from the registry); any other entry (the World Bank, the Federal
    Reserve) is an upstream of built tables and kept as written.
    """
    header, *records = rows
    registered = [dict(zip(header, r, strict=True)) for r in records]
    titles = tuple(r["title"] for r in registered)
    out = []
    for r in registered:
        when = r["published"] or "undated"
        by = ", ".join(x for x in (r["publisher"], when) if x)
        entry = {"title": f"{r['title']} ({by})"}
        if r["url"]:
            entry["path"] = r["url"]
        out.append(entry)
    return out + [s for s in current if not s.get("title", "").startswith(titles)]


def refresh(root: Path | None = None) -> bool:
    """Rewrite the descriptor (and CITATION.cff, in a checkout) if anything derived changed.

    Returns whether a file changed. Both are replaced together, or neither, under
    the clone's lock (:mod:`chinaai_stats.core.journal`).
    """
    root = (root or data_root()).resolve()
    with journal.locked(root, "package refresh"):
        return _refresh_locked(root)


def _refresh_locked(root: Path) -> bool:
    changes = refresh_changes(root)
    if not changes:
        return False
    journal.commit(root, changes, command="package refresh")
    return True


def refresh_changes(root: Path, registry: dict[Path, str] | None = None) -> dict[Path, str]:
    """The files :func:`refresh` would replace, and their new text (the caller holds the lock).

    ``registry`` maps ``seeds/sources.csv`` to its new text, to register a source:
    it is then part of the changes, and the descriptor and citation are derived from it.
    """
    path = root / "datasets" / DESCRIPTOR
    reg_text = next(iter(registry.values())) if registry else None
    desc = refreshed(root, reg_text)
    changes = {**(registry or {}), path: dump_json(desc)}
    cff = root / "CITATION.cff"
    if cff.exists():  # a checkout: the citation lists the registered sources too
        changes[cff] = render_citation(desc, desc["version"], desc["created"][:10])
    return {p: t for p, t in changes.items() if p.read_text(encoding="utf-8") != t}


def main(argv: list[str] | None = None) -> int:
    """``python -m chinaai_stats.tables.package [ROOT]``: exit 0 done, 2 when the clone is bad."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m chinaai_stats.tables.package",
        description="Recompute the schemas, source registry rows, sizes and hashes in "
        "datasets/datapackage.json (and CITATION.cff in a checkout) after editing by hand.",
    )
    parser.add_argument(
        "root", nargs="?", type=Path, help="folder holding datasets/ (default: the data in use)"
    )
    target = parser.parse_args(argv).root or data_root()
    if not (target / "datasets" / DESCRIPTOR).is_file():
        parser.exit(2, f"{parser.prog}: error: {target} has no datasets/{DESCRIPTOR}\n")
    try:
        changed = refresh(target)
    except (ChinaAIStatsError, OSError, ValueError) as exc:  # ValueError: a schema not JSON
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    print(f"{target / 'datasets' / DESCRIPTOR}: {'updated' if changed else 'up to date'}")
    return 0


if __name__ == "__main__":  # pragma: no cover - thin command wrapper
    sys.exit(main())

"""Keep ``datasets/datapackage.json`` in step with the files it describes.

The Table Schemas in ``schemas/``, the registry ``seeds/sources.csv`` and the CSV
files are the sources of truth. The descriptor carries copies of the schemas
(Frictionless refuses schema paths outside the package folder), the registry rows
(so foreign keys to ``sources`` resolve) and each file's ``bytes`` and ``hash``.
:func:`refresh` recomputes all of them; titles, descriptions, licences and the
version are kept as written.

Run ``python -m chinaai_stats.package [ROOT]`` after editing a schema, the
registry or a CSV by hand.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from .catalog import DESCRIPTOR, REGISTRY, data_root
from .fsio import new_file_mode


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_json(path: Path) -> Any:
    """Read a UTF-8 JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def dump_json(data: Any) -> str:
    """Serialise JSON the way every file of the package is written (stable bytes)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _stage(path: Path, text: str) -> Path:
    try:
        mode = path.stat().st_mode & 0o7777  # a replaced file keeps its mode
    except FileNotFoundError:
        mode = new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fchmod(f.fileno(), mode)
        os.fsync(f.fileno())
    return Path(tmp)


def commit(changes: dict[Path, str]) -> None:
    """Replace several files together: all new contents, or (on failure) all old ones."""
    staged: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for path, text in changes.items():
            staged[path] = _stage(path, text)
        for path in changes:
            if path.exists():
                fd, backup = tempfile.mkstemp(
                    prefix=f".{path.name}.", suffix=".old", dir=path.parent
                )
                os.close(fd)
                backups[path] = Path(backup)
                shutil.copyfile(path, backup)
        for path in changes:
            os.replace(staged[path], path)
            del staged[path]
            done.append(path)
    except BaseException:
        for path in reversed(done):
            if path in backups:
                os.replace(backups.pop(path), path)
        raise
    finally:
        for tmp in [*staged.values(), *backups.values()]:
            tmp.unlink(missing_ok=True)


def refreshed(root: Path | None = None, registry_text: str | None = None) -> dict[str, Any]:
    """Return the descriptor with schemas, registry rows, bytes and hashes recomputed.

    ``registry_text``, if given, stands for the content of ``seeds/sources.csv``.
    """
    root = root or data_root()
    desc = read_json(root / "datasets" / DESCRIPTOR)
    for res in desc["resources"]:
        res["schema"] = read_json(root / "schemas" / f"{res['name']}.json")
        if res["name"] == REGISTRY:
            if registry_text is None:
                registry_text = (root / "seeds" / "sources.csv").read_bytes().decode("utf-8")
            res["data"] = list(csv.reader(io.StringIO(registry_text, newline="")))
            continue
        path = root / "datasets" / res["path"]
        res["bytes"] = path.stat().st_size
        res["hash"] = "sha256:" + file_sha256(path)
    return desc


def refresh(root: Path | None = None) -> bool:
    """Rewrite the descriptor (and CITATION.cff, in a checkout) if anything derived changed.

    Returns whether a file changed. Both are replaced together, or neither.
    """
    changes = refresh_changes(root)
    if not changes:
        return False
    commit(changes)
    return True


def refresh_changes(
    root: Path | None = None, registry: dict[Path, str] | None = None
) -> dict[Path, str]:
    """The files :func:`refresh` would replace, and their new text.

    ``registry`` maps ``seeds/sources.csv`` to its new text, to register a source:
    it is then part of the changes, and the descriptor and citation are derived from it.
    """
    from .release import render_citation

    root = root or data_root()
    path = root / "datasets" / DESCRIPTOR
    reg_text = next(iter(registry.values())) if registry else None
    desc = refreshed(root, reg_text)
    changes = {**(registry or {}), path: dump_json(desc)}
    cff = root / "CITATION.cff"
    if cff.exists():  # a checkout: the citation lists the registered sources too
        changes[cff] = render_citation(desc, desc["version"], desc["created"][:10])
    return {p: t for p, t in changes.items() if p.read_text(encoding="utf-8") != t}


if __name__ == "__main__":  # pragma: no cover - thin command wrapper
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else data_root()
    print(f"{target / 'datasets' / DESCRIPTOR}: {'updated' if refresh(target) else 'up to date'}")

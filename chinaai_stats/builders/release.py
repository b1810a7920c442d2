"""Release a new data version in one step: ``python -m chinaai_stats.builders.release X.Y.Z``.

The routine refuses a version that is not greater than the current one, then
re-hashes every resource, sets the version (and release date) in
``datasets/datapackage.json``, ``chinaai_stats/core/version.py`` and ``CITATION.cff``,
moves the Unreleased entries of ``CHANGELOG.md`` under the new version, and stores the
release's data as its changes to the last release (``datasets/releases/X.Y.Z.json.xz``,
so that ``load(name, version="X.Y.Z")`` gives it back later). All files are replaced
together, or none is.

Versions follow SemVer for the data: a corrected figure is a patch, new rows or
tables a minor, a removed or renamed column or table a major (CONTRIBUTING.md).
"""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from ..core import journal
from ..core.errors import ChinaAIStatsError
from ..tables import catalog, history, package
from ..tables.cff import render_citation

__all__ = ["ReleaseError", "changelog_released", "release", "render_citation"]

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


class ReleaseError(ChinaAIStatsError):
    """A release that cannot be made as asked; nothing was written."""


def parse_version(text: str) -> tuple[int, int, int]:
    m = SEMVER.match(text)
    if not m:
        raise ReleaseError(f"{text!r} is not a version of the form MAJOR.MINOR.PATCH")
    return int(m[1]), int(m[2]), int(m[3])


def changelog_released(text: str, version: str, released: str) -> str:
    """Move the Unreleased entries under ``## [version] - released``; keep an empty Unreleased."""
    m = re.search(r"^## \[Unreleased\][^\n]*\n", text, flags=re.M | re.I)
    if not m:
        raise ReleaseError("CHANGELOG.md has no '## [Unreleased]' section")
    nxt = re.search(r"^## \[", text[m.end() :], flags=re.M)
    end = m.end() + (nxt.start() if nxt else len(text) - m.end())
    body = text[m.end() : end].strip("\n")
    if not body.strip():
        raise ReleaseError("CHANGELOG.md has nothing under Unreleased: say what changed first")
    return (
        text[: m.start()]
        + "## [Unreleased]\n\n"
        + f"## [{version}] - {released}\n\n"
        + body
        + "\n\n"
        + text[end:].lstrip("\n")
    )


def current_version(root: Path) -> str:
    """The data version recorded in ``datasets/datapackage.json``."""
    return str(package.read_json(root / "datasets" / catalog.DESCRIPTOR)["version"])


def release(version: str, root: Path | None = None, today: date | None = None) -> list[Path]:
    """Make the release; return the files rewritten.

    Holds the clone's lock (:func:`chinaai_stats.core.journal.locked`) and replaces every
    file in one journalled commit.
    """
    root = (root or catalog.data_root()).resolve()
    with journal.locked(root, "release"):
        return _release_locked(version, root, today)


def _release_locked(version: str, root: Path, today: date | None) -> list[Path]:
    released = (today or date.today()).isoformat()
    old = current_version(root)
    if parse_version(version) <= parse_version(old):
        raise ReleaseError(f"version {version} is not greater than the current {old}")
    desc = package.refreshed(root)
    desc["version"] = version
    desc["created"] = f"{released}T00:00:00Z"
    changes: dict[Path, str | bytes] = {
        root / "datasets" / catalog.DESCRIPTOR: package.dump_json(desc)
    }
    init = root / "chinaai_stats" / "core" / "version.py"
    if init.exists():
        text = init.read_text(encoding="utf-8")
        new, count = re.subn(
            r'^__version__ = "[^"]*"$', f'__version__ = "{version}"', text, flags=re.M
        )
        if count != 1:
            raise ReleaseError(f"{init}: no __version__ line to update")
        changes[init] = new
    changes_path = root / "CHANGELOG.md"
    changes[changes_path] = changelog_released(
        changes_path.read_text(encoding="utf-8"), version, released
    )
    changes[root / "CITATION.cff"] = render_citation(desc, version, released)
    pending = {
        p.relative_to(root).as_posix(): d.encode("utf-8") if isinstance(d, str) else d
        for p, d in changes.items()
    }
    store, entry = history.record(root, version, released, pending)
    changes[root / store] = entry
    journal.commit(root, changes, command="release", note=f"version {version}")
    return list(changes)


def main(argv: list[str] | None = None) -> int:
    """``python -m chinaai_stats.builders.release X.Y.Z``: exit 0 done, 1 refused, 2 bad clone."""
    args = sys.argv[1:] if argv is None else argv
    if args in (["-h"], ["--help"]):
        print("usage: python -m chinaai_stats.builders.release X.Y.Z\n\n" + (__doc__ or "").strip())
        return 0
    if len(args) != 1:
        print("usage: python -m chinaai_stats.builders.release X.Y.Z", file=sys.stderr)
        return 2
    try:
        files = release(args[0], root=catalog.find_root(option=None))
    except ReleaseError as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1
    except ChinaAIStatsError as exc:  # no clone here, or another process holds it
        print(f"release: {exc}", file=sys.stderr)
        return 2
    for path in files:
        print(f"updated {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

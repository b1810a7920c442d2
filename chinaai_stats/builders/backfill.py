"""Store releases made before the release store existed, from a git history.

``python -m chinaai_stats.builders.backfill 0.1.0=REV:DATE 0.2.0=REV:DATE ...`` reads the
data folders (``datasets/``, ``schemas/``, ``seeds/``) of each commit ``REV`` with
``git archive`` and writes ``datasets/releases/V.json.xz`` for each, in order. A version
already stored is refused. Maintainers run it once, in a clone.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from pathlib import Path

from ..core.fsio import atomic_write
from ..tables import history
from ..tables.catalog import data_root


def tree_files(repo: Path, rev: str) -> dict[str, bytes]:
    """The data files of commit ``rev`` (relative path -> bytes), as :func:`history.snapshot`."""
    tar = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", rev, *history.FOLDERS],
        capture_output=True,
        check=True,
    ).stdout
    out = {}
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
        for member in tf.getmembers():
            if member.isfile() and not member.name.startswith(history.STORE + "/"):
                handle = tf.extractfile(member)
                if handle is not None:
                    out[member.name] = handle.read()
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = data_root()
    stored = history.releases(root)
    before: dict[str, bytes] = history.rebuild(root, stored[-1]) if stored else {}
    for arg in args:
        version, _, rest = arg.partition("=")
        rev, _, released = rest.partition(":")
        if not (version and rev and released) or version in stored:
            print(f"backfill: {arg!r}: give VERSION=REV:YYYY-MM-DD of a version not stored")
            return 2
        after = tree_files(root, rev)
        path = root / history.STORE / f"{version}.json.xz"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, history.delta(before, after, version, released))
        print(f"stored {version} from {rev}: {len(after)} files, {path.stat().st_size:,} bytes")
        before, stored = after, [*stored, version]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

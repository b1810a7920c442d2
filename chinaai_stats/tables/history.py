"""Every release's data, kept as one release's changes to the last: ``datasets/releases/``.

Each release ``V`` has ``datasets/releases/V.json.xz``: for every file of the data
(``datasets/``, ``schemas/``, ``seeds/``; the store itself aside) its SHA-256 at ``V`` and
the line edits that turn the previous release's file into it (lines kept by their
range, new lines in full), and the files it dropped. The first release's edits start
from nothing. Rebuilding a release applies the edits in order and checks every file's
SHA-256, so what :func:`release_root` returns is byte for byte what was released.
Nothing here depends on the files being edited now: a release is stored when it is made
(:func:`record`, called by the release routine).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import lzma
import re
import shutil
import tempfile
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, cast

from ..core.errors import DataVersionError

STORE = "datasets/releases"
FOLDERS = ("datasets", "schemas", "seeds")
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_built: dict[tuple[Path, str], Path] = {}


def _key(version: str) -> tuple[int, int, int]:
    m = _SEMVER.match(version)
    if not m:
        raise DataVersionError(f"{version!r} is not a version of the form MAJOR.MINOR.PATCH")
    return int(m[1]), int(m[2]), int(m[3])


def releases(root: Path) -> list[str]:
    """The versions stored under ``root/datasets/releases``, oldest first."""
    store = root / STORE
    names = (
        [p.name.removesuffix(".json.xz") for p in store.glob("*.json.xz")] if store.is_dir() else []
    )
    return sorted((n for n in names if _SEMVER.match(n)), key=_key)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every data file under ``root`` (relative path -> bytes), the store left out."""
    out = {}
    for folder in FOLDERS:
        base = root / folder
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            rel = path.relative_to(root).as_posix()
            if path.is_file() and not rel.startswith(STORE + "/"):
                out[rel] = path.read_bytes()
    return out


def _ops(old: list[bytes], new: list[bytes]) -> list[list[Any]]:
    """Edits turning ``old`` lines into ``new``: ``[i, j]`` keeps old[i:j], a str adds lines."""
    ops: list[list[Any]] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append([i1, i2])
        elif j2 > j1:
            ops.append([b"".join(new[j1:j2]).decode("utf-8", "surrogateescape")])
    return ops


def _apply(old: bytes, ops: list[list[Any]]) -> bytes:
    lines = old.splitlines(keepends=True)
    parts = []
    for op in ops:
        if len(op) == 2:
            parts.append(b"".join(lines[op[0] : op[1]]))
        else:
            parts.append(op[0].encode("utf-8", "surrogateescape"))
    return b"".join(parts)


def delta(before: dict[str, bytes], after: dict[str, bytes], version: str, released: str) -> bytes:
    """The store entry of release ``version``: ``after`` as edits of ``before`` (xz JSON)."""
    files = {}
    for rel, data in sorted(after.items()):
        old = before.get(rel, b"")
        files[rel] = {
            "sha256": hashlib.sha256(data).hexdigest(),
            "ops": _ops(old.splitlines(keepends=True), data.splitlines(keepends=True)),
        }
    entry = {
        "version": version,
        "released": released,
        "files": files,
        "removed": sorted(set(before) - set(after)),
    }
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return lzma.compress(text.encode("utf-8"), preset=9 | lzma.PRESET_EXTREME)


def _entry(root: Path, version: str) -> dict[str, Any]:
    data = (root / STORE / f"{version}.json.xz").read_bytes()
    return cast("dict[str, Any]", json.loads(lzma.decompress(data)))


def is_current(root: Path, version: str) -> bool:
    """Whether ``root``'s descriptor is release ``version``'s, byte for byte."""
    recorded = _entry(root, version)["files"].get("datasets/datapackage.json", {})
    current = hashlib.sha256((root / "datasets" / "datapackage.json").read_bytes()).hexdigest()
    return bool(recorded.get("sha256") == current)


def rebuild(root: Path, version: str) -> dict[str, bytes]:
    """The files of release ``version`` (relative path -> bytes), checked by SHA-256."""
    stored = releases(root)
    if version not in stored:
        raise DataVersionError(
            f"no release {version!r} of chinaai-stats data; the releases are "
            f"{', '.join(stored) or 'none yet'}"
        )
    files: dict[str, bytes] = {}
    for v in stored[: stored.index(version) + 1]:
        entry = _entry(root, v)
        nxt = {}
        for rel, info in entry["files"].items():
            data = _apply(files.get(rel, b""), info["ops"])
            if hashlib.sha256(data).hexdigest() != info["sha256"]:
                raise DataVersionError(
                    f"{STORE}/{v}.json.xz: {rel} does not rebuild to its recorded SHA-256; "
                    "the release store is damaged: reinstall chinaai-stats"
                )
            nxt[rel] = data
        files = nxt
    return files


def release_root(version: str, root: Path) -> Path:
    """A folder holding release ``version``'s data as released (built once per process)."""
    key = (root, version)
    if key not in _built or not (_built[key] / "datasets").is_dir():
        out = Path(tempfile.mkdtemp(prefix=f"chinaai-stats-{version}-"))
        atexit.register(shutil.rmtree, out, ignore_errors=True)
        for rel, data in rebuild(root, version).items():
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        _built[key] = out
    return _built[key]


def record(
    root: Path, version: str, released: str, pending: dict[str, bytes] | None = None
) -> tuple[str, bytes]:
    """The store entry for releasing ``root``'s files as ``version``: (path, bytes).

    ``pending`` are files the release is about to write (relative path -> bytes), taken
    in place of what is on disk; the caller writes the entry with them (all or none).
    """
    stored = [v for v in releases(root) if _key(v) < _key(version)]
    before = rebuild(root, stored[-1]) if stored else {}
    after = snapshot(root)
    after.update({rel: data for rel, data in (pending or {}).items() if rel in after})
    return f"{STORE}/{version}.json.xz", delta(before, after, version, released)

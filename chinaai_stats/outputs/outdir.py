"""Write output folders and files without touching anything the user did not ask to change.

``report`` and ``export`` write through this module. The rules:

- A folder output goes into a folder that does not exist yet, an empty folder, or a
  folder chinaai-stats wrote before: those hold a marker file, ``.chinaai-stats-output``,
  listing every file written there with its SHA-256 and its identity on disk (inode
  and modification time). A marker is only a claim (anyone can write one), so a file
  counts as ours, to be replaced or removed, only when its path stays inside the
  folder with no symbolically linked part, it is a regular file, and both its
  identity and its content are the ones recorded: a forged marker naming a user's
  file, or a file reached through a link, never leads to its removal. (A copy or a
  restore of an output gets new identities: it is then treated as the user's.)
  Any other non-empty folder is refused (:class:`~chinaai_stats.core.errors.OutputPathError`,
  exit code 2 on the command line). With ``force=True`` the output is written
  *alongside* the folder's other files; a file of the user's with the same name as one
  of ours is still refused.
- The output is built in a hidden temporary folder next to the target and moved into
  place with a rename, so a reader sees the old output or the new one, never half of
  each. A folder that was entirely ours is swapped whole; afterwards only the files its
  marker lists (unchanged since we wrote them) are removed from the old copy.
- A file output (SQLite, xlsx) replaces only a file chinaai-stats wrote (each format
  knows how to recognise its own files); any other existing file is refused.
- What a killed run leaves (its temporary folder or file, named with its process id) is
  removed by the next run writing the same target.
- Missing parent folders are created (like ``mkdir -p``); a parent that is a file, a
  target of the wrong kind, or a folder that cannot be written is a one-line error.
  A symbolic link that points nowhere, named as the output or on the way to it, is
  refused (it would create folders wherever it points); a file output that is a
  symbolic link is refused (chinaai-stats replaces only files it wrote, not links).
- New files get ``0666`` and folders ``0777`` less the umask.

Writers of the same target in two processes take turns (an advisory lock on the
parent folder while the result is moved into place); the last one wins, whole.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from ..core.errors import ChinaAIStatsError, OutputPathError
from ..core.fsio import (
    O_NOFOLLOW,
    atomic_write,
    fsync_dir,
    new_dir_mode,
    new_file_mode,
    symlinked_part,
)

MARKER = ".chinaai-stats-output"
WRITER = "chinaai-stats"
#: Ends the name of every temporary file and folder built beside a target. The name also
#: holds the writer's process id, so a later run can remove what a killed one left.
TEMP_SUFFIX = ".chinaai-stats.tmp"


def _temp_prefix(target: Path) -> str:
    return f".{target.name}.{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no way to tell: leave it alone
        return True
    return True


def sweep_leftovers(target: Path) -> list[Path]:
    """Remove the temporary files and folders a killed writer of ``target`` left beside it.

    Only names this module makes (``.NAME.PID.XXXXXXXX.chinaai-stats.tmp``) whose process
    is gone are removed; returns what was removed.
    """
    import re

    pattern = re.compile(
        rf"^\.{re.escape(target.name)}\.([0-9]+)\.[A-Za-z0-9_]+{re.escape(TEMP_SUFFIX)}$"
    )
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        found = pattern.match(entry.name)
        if not found or int(found.group(1)) == os.getpid() or _alive(int(found.group(1))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


# ------------------------------------------------------------------ marker and manifest


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The marker of a folder chinaai-stats wrote (None when absent or not ours)."""
    path = Path(folder) / MARKER
    if not path.is_file() or path.is_symlink():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("written_by") != WRITER:
        return None
    files = data.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(v, str) and _inside(k) for k, v in files.items()
    ):
        return None
    ids = data.setdefault("identities", {})
    if not isinstance(ids, dict) or not all(isinstance(v, str) for v in ids.values()):
        return None
    return data


def _identity(st: os.stat_result) -> str:
    """Which file on disk this is: its inode and modification time (kept by a rename)."""
    return f"{st.st_ino}:{st.st_mtime_ns}"


def _inside(rel: object) -> bool:
    """Whether ``rel`` is a plain relative path that stays inside its folder."""
    if not isinstance(rel, str) or not rel or "\\" in rel:
        return False
    parts = rel.split("/")
    return all(part not in ("", ".", "..") for part in parts) and rel != MARKER


def _entries(folder: Path) -> Iterator[tuple[str, str]]:
    """(kind, relative path) of everything under ``folder``, top level first; kind is
    ``file``, ``dir`` or ``other`` (links, sockets...; links are not followed)."""
    for here, subdirs, names in os.walk(folder):
        base = Path(here)
        for d in list(subdirs):
            rel = (base / d).relative_to(folder).as_posix()
            if (base / d).is_symlink():
                subdirs.remove(d)
                yield "other", rel
            else:
                yield "dir", rel
        for n in names:
            path = base / n
            kind = "file" if path.is_file() and not path.is_symlink() else "other"
            yield kind, path.relative_to(folder).as_posix()


def _unchanged(folder: Path, marker: dict[str, Any] | None, rel: str) -> bool:
    """Whether ``folder/rel`` is the very file ``marker`` says we wrote, unchanged since.

    Its path must have no symbolically linked part, and it must be a regular file with
    the recorded identity (inode, modification time) and SHA-256: a marker naming a
    file of the user's (or one outside, through a link) does not make it ours.
    """
    if marker is None or not _inside(rel):
        return False
    digest = marker.get("files", {}).get(rel)
    identity = marker.get("identities", {}).get(rel)
    path = folder / rel
    if not isinstance(digest, str) or not isinstance(identity, str):
        return False
    if symlinked_part(folder, path) is not None:
        return False
    try:
        st = os.lstat(path)
        return stat.S_ISREG(st.st_mode) and _identity(st) == identity and _sha256(path) == digest
    except OSError:
        return False


def _foreign(folder: Path, marker: dict[str, Any] | None, limit: int = 4) -> list[str]:
    """Up to ``limit`` entries of ``folder`` that are not files we wrote, unchanged.

    The walk stops at the ``limit``-th such entry, so a large folder of the user's is
    not read through.
    """
    ours = (marker or {}).get("files", {})
    parents = {p.as_posix() for rel in ours for p in Path(rel).parents if p != Path(".")}
    foreign = []
    for kind, rel in _entries(folder):
        if kind == "file":
            mine = rel == MARKER or (rel in ours and _unchanged(folder, marker, rel))
        else:
            mine = kind == "dir" and rel in parents
        if not mine:
            foreign.append(rel)
            if len(foreign) >= limit:
                break
    return sorted(foreign)


def _listing(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    return shown + (" and more" if len(names) > limit else "")


# ------------------------------------------------------------------ paths and locks


def _resolve(target: str | os.PathLike[str], *, file: bool = False) -> Path:
    """The output path, resolved; refuses an empty path and a link that points nowhere.

    The links are checked before ``resolve()`` (which follows them): a dangling link,
    named or on the way, would have its target created wherever it points. For a file
    output (``file=True``) the named path may not be a link at all.
    """
    text = os.fspath(target)
    if not text.strip():
        raise OutputPathError("the output path is empty; give a folder or file name")
    given = Path(os.path.abspath(Path(text).expanduser()))
    for part in [given, *given.parents]:
        if os.path.islink(part) and not os.path.exists(part):
            raise OutputPathError(
                f"{part} is a broken symbolic link (it points to {os.readlink(part)}, which "
                "does not exist); chinaai-stats does not create what a link points to: "
                "remove the link or give another path"
            )
    if file and os.path.islink(given):
        raise OutputPathError(
            f"{given} is a symbolic link; chinaai-stats replaces only files it wrote, never "
            "through a link: give the file's own path or a new file name"
        )
    return given.resolve()


def _make_parents(target: Path) -> list[Path]:
    """Create the missing folders above ``target``; return them (outermost first)."""
    missing = []
    for anc in [target.parent, *target.parent.parents]:
        if anc.is_dir():
            break
        if anc.exists() or anc.is_symlink():
            raise OutputPathError(f"{anc} is a file, not a folder: cannot write {target} inside it")
        missing.append(anc)
    created = []
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=new_dir_mode())
            created.append(folder)
    except OSError as exc:
        _remove_empty(created)
        raise OutputPathError(f"cannot create folder {exc.filename}: {exc.strerror}") from None
    return created


def _remove_empty(folders: list[Path]) -> None:
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an advisory lock on ``folder`` (no lock where flock does not exist)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not available."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _os_error(target: Path, exc: OSError) -> OutputPathError:
    return OutputPathError(f"cannot write {target}: {exc.strerror or exc}")


# ------------------------------------------------------------------ folders


def _check_folder(out: Path, force: bool) -> dict[str, Any] | None:
    """Refuse a target folder we may not write; return its marker (None if not ours)."""
    if out.is_symlink() and not out.exists():
        raise OutputPathError(f"{out} is a broken symbolic link; give a folder")
    if out.exists() and not out.is_dir():
        raise OutputPathError(
            f"{out} is a file, not a folder; give a folder name (for example {out.stem}_out/)"
        )
    if not out.exists():
        return None
    if (out / MARKER).is_symlink():
        raise OutputPathError(
            f"{out / MARKER} is a symbolic link, which chinaai-stats did not make; remove it "
            "(check what it points to first) or give another folder"
        )
    marker = read_marker(out)
    if force or not any(out.iterdir()):
        return marker
    if marker is None:
        raise OutputPathError(
            f"{out} is not empty and was not written by chinaai-stats (it has no {MARKER}); "
            "give a new or empty folder, or add --force to write alongside its files"
        )
    foreign = _foreign(out, marker)
    if foreign:
        raise OutputPathError(
            f"{out} holds files chinaai-stats did not write or that changed since "
            f"({_listing(foreign)}); move them, or add --force to write alongside them"
        )
    return marker


def _finish(staging: Path, output: str) -> dict[str, Any]:
    """Give the built files their modes and write the marker; return it."""
    from ..core.version import __version__

    entries = list(_entries(staging))
    files = [rel for kind, rel in entries if kind == "file"]
    dirs = [rel for kind, rel in entries if kind == "dir"]
    os.chmod(staging, new_dir_mode())
    for d in dirs:
        os.chmod(staging / d, new_dir_mode())
    for f in files:
        os.chmod(staging / f, new_file_mode())
    marker = {
        "written_by": WRITER,
        "version": __version__,
        "output": output,
        "files": {f: _sha256(staging / f) for f in sorted(files)},
        "identities": {f: _identity(os.lstat(staging / f)) for f in sorted(files)},
    }
    (staging / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
    os.chmod(staging / MARKER, new_file_mode())
    return marker


def _remove_ours(
    folder: Path, marker: dict[str, Any], keep: AbstractSet[str] = frozenset()
) -> None:
    """Remove the files ``marker`` lists (if unchanged) and the folders they leave empty."""
    for rel in marker["files"]:
        if rel not in keep and _unchanged(folder, marker, rel):
            (folder / rel).unlink()
            for p in Path(rel).parents:
                if p == Path("."):
                    break
                with contextlib.suppress(OSError):
                    (folder / p).rmdir()


def _merge(staging: Path, out: Path, new: dict[str, Any], old: dict[str, Any] | None) -> None:
    """Move the built files into ``out`` beside the user's; replace only our unchanged files."""
    ours = (old or {}).get("files", {})
    clashes = []
    for rel in new["files"]:
        for p in [*reversed(Path(rel).parents[:-1]), Path(rel)]:
            path = out / p
            if p != Path(rel):
                if (path.exists() or path.is_symlink()) and (
                    path.is_symlink() or not path.is_dir()
                ):
                    clashes.append(p.as_posix())
            elif (path.exists() or path.is_symlink()) and not (
                rel in ours and _unchanged(out, old, rel)
            ):
                clashes.append(rel)
    if clashes:
        raise OutputPathError(
            f"{out} already has {_listing(sorted(set(clashes)))}, not written by chinaai-stats; "
            "nothing was changed: move them or give another folder"
        )
    if old is not None:
        _remove_ours(out, old, keep=set(new["files"]))
    for rel in new["files"]:
        (out / rel).parent.mkdir(parents=True, exist_ok=True, mode=new_dir_mode())
        os.replace(staging / rel, out / rel)
    atomic_write(out / MARKER, (staging / MARKER).read_bytes())


def _publish_folder(staging: Path, out: Path, new: dict[str, Any], force: bool) -> bool:
    """Move the built folder into place; return whether ``staging`` may be removed whole."""
    old = _check_folder(out, force)
    # the current folder (or one above it) is filled in place, never swapped away
    inside = out.exists() and (Path.cwd() == out or out in Path.cwd().parents)
    if not inside and (not out.exists() or not any(out.iterdir())):
        os.replace(staging, out)  # replaces an empty folder in the same step
        return False
    if old is not None and not _foreign(out, old) and not inside:
        if _exchange(staging, out):
            retired = staging
        else:
            retired = staging.with_name(staging.name + ".old")
            os.rename(out, retired)
            os.rename(staging, out)
        # the old copy: remove what we wrote; anything else (a file added meanwhile) stays
        _remove_ours(retired, old)
        with contextlib.suppress(OSError):
            (retired / MARKER).unlink()
            retired.rmdir()
        return False
    _merge(staging, out, new, old)
    return True  # what is left in staging is ours: empty folders and the marker's copy


@contextlib.contextmanager
def output_folder(
    out: str | os.PathLike[str], *, output: str, force: bool = False
) -> Iterator[Path]:
    """Build a folder output in a temporary folder and move it into place on success.

    Parameters
    ----------
    out : the folder to write (see the module's rules).
    output : what is written, recorded in the marker (e.g. ``"report"``, ``"export json"``).
    force : write alongside the files of a non-empty folder we did not write.

    Yields the temporary folder to fill; it becomes ``out`` when the block ends
    without an error, and is removed otherwise.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with output_folder(target, output="example") as tmp:
    ...     _ = (tmp / "a.txt").write_text("a")
    >>> sorted(p.name for p in target.iterdir())
    ['.chinaai-stats-output', 'a.txt']
    """
    target = _resolve(out)
    try:
        _check_folder(target, force)
    except OSError as exc:
        if isinstance(exc, ChinaAIStatsError):
            raise
        raise _os_error(target, exc) from None
    created = _make_parents(target)
    sweep_leftovers(target)
    try:
        staging = Path(
            tempfile.mkdtemp(prefix=_temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent)
        )
    except OSError as exc:
        _remove_empty(created)
        raise OutputPathError(
            f"cannot write {target}: no temporary folder can be made beside it in "
            f"{target.parent} ({exc.strerror}); the output is built there, then moved into place"
        ) from None
    leftover, done = True, False
    try:
        yield staging
        marker = _finish(staging, output)
        with _locked(target.parent):
            leftover = _publish_folder(staging, target, marker, force)
        fsync_dir(target.parent)
        done = True
    except OSError as exc:
        if isinstance(exc, ChinaAIStatsError):
            raise
        raise _os_error(target, exc) from None
    finally:
        if leftover:
            shutil.rmtree(staging, ignore_errors=True)
        if not done:
            _remove_empty(created)


# ------------------------------------------------------------------ single files


def _check_file(target: Path, is_ours: Callable[[Path], bool], hint: str) -> None:
    if target.is_dir():
        raise OutputPathError(f"{target} is a folder; give a file name such as {hint}")
    if target.is_symlink() or (target.exists() and not is_ours(target)):
        raise OutputPathError(
            f"{target} exists and was not written by chinaai-stats; give a new file name "
            "(chinaai-stats replaces only files it wrote)"
        )


@contextlib.contextmanager
def output_files(
    targets: Sequence[tuple[Path, Callable[[Path], bool]]], *, hint: str
) -> Iterator[list[Path]]:
    """Build one or more single-file outputs under temporary names; move them into place.

    Parameters
    ----------
    targets : (path, is_ours) pairs; ``is_ours(path)`` tells whether an existing file at
        ``path`` was written by chinaai-stats (only those are replaced).
    hint : an example file name for error messages.

    Yields the temporary paths (empty files, mode 0666 less the umask) in the same order.
    """
    resolved = [(_resolve(p, file=True), ours) for p, ours in targets]
    for path, ours in resolved:
        try:
            _check_file(path, ours, hint)
        except OSError as exc:
            if isinstance(exc, ChinaAIStatsError):
                raise
            raise _os_error(path, exc) from None
    created = _make_parents(resolved[0][0])
    temps: list[Path] = []
    done = False
    try:
        for path, _ in resolved:
            sweep_leftovers(path)
            fd, name = tempfile.mkstemp(
                prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent
            )
            os.close(fd)
            temps.append(Path(name))
            os.chmod(name, new_file_mode())
        yield temps
        with _locked(resolved[0][0].parent):
            for path, ours in resolved:
                _check_file(path, ours, hint)
            for tmp, (path, _) in zip(temps, resolved, strict=True):
                keep = path.stat().st_mode & 0o7777 if path.exists() else new_file_mode()
                os.chmod(tmp, keep)
                os.replace(tmp, path)
        fsync_dir(resolved[0][0].parent)
        done = True
    except OSError as exc:
        if isinstance(exc, ChinaAIStatsError):
            raise
        raise _os_error(resolved[0][0], exc) from None
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        if not done:
            _remove_empty(created)

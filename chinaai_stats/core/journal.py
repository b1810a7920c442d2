"""Changing a clone's data safely: one lock, a write-ahead journal, recovery after a kill.

Every command that writes a clone's data (``add``, ``release``, the descriptor
refresh) holds :func:`locked` while it reads, checks and writes, and writes through
:func:`commit`, in five steps:

1. the journal ``datasets/.chinaai-stats.journal`` is written in state ``prepared``,
   naming each target file, its staged copy and the staged copy's SHA-256;
2. each new content is written to its staged copy (``.NAME.chinaai-stats.new`` next
   to the target, with the target's mode) and flushed to disk;
3. the journal is switched to ``committed`` in one rename: the commit point;
4. each staged copy is renamed over its target;
5. the journal is removed.

Nothing is written through a link chinaai-stats did not make (a clone is someone
else's files: git checks symbolic links out, and ``git add -f`` commits them past
``.gitignore``). The lock is opened with ``O_NOFOLLOW`` and used only if it is a
regular file with one name; journals and staged copies are created with
``O_CREAT|O_EXCL|O_NOFOLLOW``; a target, or a folder on the way to it, that is a
symbolic link is refused before anything is written (:class:`DataFileError`, exit
code 2 on the command line). A journal found in a clone is trusted only as far as
it names files inside the clone, with no hidden or symbolically linked part, each
staged copy being the one this module would have made for its target.

Each write goes to disk (``fsync``) before the next step. A process killed anywhere
leaves either no journal (nothing changed) or a journal that :func:`recover`
settles: ``prepared`` is rolled back (staged copies removed), ``committed`` is rolled
forward (the remaining renames done). Recovery runs under the lock whenever a
clone's descriptor is read (:func:`chinaai_stats.tables.catalog.descriptor`), so the next
command that touches the data finishes the job; it can itself be killed and rerun.

A second writer waits for the lock up to ``$CHINAAI_STATS_LOCK_WAIT`` seconds
(default 5), then gives up with :class:`~chinaai_stats.core.errors.DataBusyError`.

Testing hook: with ``CHINAAI_STATS_CRASH_AT=STEP`` a process kills itself with
SIGKILL on reaching ``STEP`` (see :func:`commit_steps` and :func:`recover_steps`), so
the tests can stop a real ``add`` at every write, rename and flush.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import signal
import stat
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import Any

from .errors import DataBusyError, DataFileError
from .fsio import O_NOFOLLOW, file_mode, fsync_dir, symlinked_part, write_synced

LOCK_NAME = ".chinaai-stats.lock"
JOURNAL_NAME = ".chinaai-stats.journal"
JOURNAL_TMP_NAME = ".chinaai-stats.journal.tmp"
STAGED_SUFFIX = ".chinaai-stats.new"
WAIT_ENV = "CHINAAI_STATS_LOCK_WAIT"
CRASH_ENV = "CHINAAI_STATS_CRASH_AT"
DEFAULT_WAIT = 5.0
#: A journal is a few lines per file; anything larger is not one of ours.
MAX_JOURNAL_BYTES = 1 << 20
_READ_FLAGS = os.O_RDONLY | O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)

log = logging.getLogger("chinaai_stats")

#: Locks this process holds: clone root -> [lock file descriptor, nesting depth].
_held: dict[Path, list[int]] = {}


def _step(name: str) -> None:
    """Testing hook: die here, as a kill would, when ``$CHINAAI_STATS_CRASH_AT`` names this step."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def commit_steps(files: int) -> list[str]:
    """The steps of :func:`commit` writing ``files`` files, in order (for the crash hook)."""
    steps = ["prepared:written", "prepared:renamed", "prepared:synced"]
    for i in range(files):
        steps += [f"stage:{i}:written", f"stage:{i}:synced"]
    steps.append("staged:synced")
    steps += ["committed:written", "committed:renamed", "committed:synced"]
    steps += [f"replace:{i}" for i in range(files)]
    return [*steps, "targets:synced", "journal:removed"]


def recover_steps(files: int) -> list[str]:
    """The steps of rolling an interrupted commit forward (for the crash hook)."""
    return [f"recover:replace:{i}" for i in range(files)] + [
        "recover:targets:synced",
        "recover:journal:removed",
    ]


def _datasets(root: Path) -> Path:
    return root / "datasets"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _open_regular(path: Path) -> int:
    """Open ``path`` for reading without following a link; refuse anything but a regular file."""
    fd = os.open(path, _READ_FLAGS)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DataFileError(
            f"{path} is not a regular file; chinaai-stats did not make it: remove it"
        )
    return fd


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with os.fdopen(_open_regular(path), "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _link_error(path: Path, what: str) -> DataFileError:
    return DataFileError(
        f"{path}: {what} is a symbolic link, which chinaai-stats did not make and does not "
        "follow; remove the link (check what it points to first) and run the command again"
    )


# ------------------------------------------------------------------ the lock


def _wait() -> float:
    text = os.environ.get(WAIT_ENV, "")
    try:
        return max(0.0, float(text)) if text else DEFAULT_WAIT
    except ValueError:
        raise DataBusyError(f"{WAIT_ENV}={text!r} is not a number of seconds") from None


def _holder(path: Path) -> tuple[str, str]:
    """The pid and command written in a lock file ('?' where unknown)."""
    try:
        with os.fdopen(_open_regular(path), "rb") as f:
            text = f.read(4096).decode("utf-8")
        pid, _, command = text.strip().partition(" ")
    except (OSError, ValueError):
        return "?", "add"
    return pid or "?", command or "add"


def _flock(fd: int) -> bool:
    """Lock an open file exclusively without waiting; False when another process holds it."""
    if sys.platform == "win32":  # pragma: no cover - Windows: a byte-range lock instead
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _try_lock(path: Path) -> int | None:
    """Open and lock the lock file without waiting; None when another process holds it."""
    if symlinked_part(path.parent.parent, path.parent) is not None:
        raise _link_error(path.parent, "the clone's datasets folder")
    flags = os.O_RDWR | os.O_CREAT | O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if os.path.islink(path):
            raise _link_error(path, "the lock file") from None
        raise DataFileError(
            f"{path}: cannot create the lock file ({exc.strerror}); "
            "chinaai-stats needs write access to the clone's datasets/ folder"
        ) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
        os.close(fd)
        what = "is not a regular file" if not stat.S_ISREG(st.st_mode) else "has other names"
        raise DataFileError(
            f"{path}: the lock file {what} (a hard link to another file?); chinaai-stats "
            "did not make it and will not write to it: remove it and run the command again"
        )
    try:
        got = _flock(fd)
    except BaseException:
        os.close(fd)
        raise
    if not got:
        os.close(fd)
        return None
    try:  # the holder we waited for may have removed the file: lock the one in place
        on_disk = os.lstat(path)
        mine = os.fstat(fd)
        same = (on_disk.st_ino, on_disk.st_dev) == (mine.st_ino, mine.st_dev)
    except FileNotFoundError:
        same = False
    if not same:
        os.close(fd)
        return _try_lock(path)
    return fd


def _acquire(root: Path, command: str) -> int:
    path = _datasets(root) / LOCK_NAME
    deadline = time.monotonic() + _wait()
    while (fd := _try_lock(path)) is None:
        if time.monotonic() >= deadline:
            pid, holder = _holder(path)
            raise DataBusyError(
                f"another {holder} is running on {root} (pid {pid}); try again when it finishes"
            )
        time.sleep(0.05)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()} {command}\n".encode())
    return fd


def _release(root: Path, fd: int) -> None:
    with suppress(OSError):
        os.unlink(_datasets(root) / LOCK_NAME)  # still ours: we hold it
    os.close(fd)


@contextmanager
def _hold(root: Path, command: str) -> Iterator[bool]:
    """Hold the lock of ``root`` (resolved); yields whether this is the outermost hold."""
    held = _held.get(root)
    if held is not None:  # nested: this process holds it already
        held[1] += 1
        try:
            yield False
        finally:
            held[1] -= 1
        return
    fd = _acquire(root, command)
    _held[root] = [fd, 1]
    try:
        yield True
    finally:
        del _held[root]
        _release(root, fd)


@contextmanager
def locked(root: Path, command: str = "add") -> Iterator[Path]:
    """Hold the clone's lock (and settle any interrupted commit first); yields the root.

    Parameters
    ----------
    root : the clone (the folder holding ``datasets/``).
    command : what the holder is doing, named to a second process that has to wait.

    Raises
    ------
    DataBusyError
        Another process held the lock for longer than ``$CHINAAI_STATS_LOCK_WAIT``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp()); (root / "datasets").mkdir()
    >>> with locked(root) as r:
    ...     (r / "datasets" / ".chinaai-stats.lock").exists()
    True
    >>> (root / "datasets" / ".chinaai-stats.lock").exists()
    False
    """
    root = Path(root).resolve()
    with _hold(root, command) as outermost:
        if outermost:
            _settle(root, quiet=False)
        yield root


# ------------------------------------------------------------------ the journal


def _write_journal(root: Path, state: str, record: dict[str, Any]) -> None:
    d = _datasets(root)
    payload = json.dumps({**record, "state": state}, ensure_ascii=False, indent=1).encode()
    (d / JOURNAL_TMP_NAME).unlink(missing_ok=True)  # ours (we hold the lock); never followed
    write_synced(d / JOURNAL_TMP_NAME, payload, new_journal_mode(d))
    _step(f"{state}:written")
    os.replace(d / JOURNAL_TMP_NAME, d / JOURNAL_NAME)
    _step(f"{state}:renamed")
    fsync_dir(d)
    _step(f"{state}:synced")


def new_journal_mode(folder: Path) -> int:
    """The journal's mode: the current journal's (never through a link), else the umask's."""
    try:
        st = os.lstat(folder / JOURNAL_NAME)
    except FileNotFoundError:
        return file_mode(folder / JOURNAL_NAME)
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else file_mode(Path(os.devnull))


def staged_name(target: Path) -> Path:
    """The staged copy of ``target``: ``.NAME.chinaai-stats.new`` beside it."""
    return target.with_name(f".{target.name}{STAGED_SUFFIX}")


def _clone_path(root: Path, rel: object, what: str) -> Path:
    """``root / rel`` for a plain relative path inside the clone with no hidden part."""
    if not isinstance(rel, str) or not rel or "\\" in rel or rel.startswith("/"):
        raise DataFileError(f"{root}: {what} {rel!r} is not a path inside the clone")
    parts = rel.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        raise DataFileError(
            f"{root}: {what} {rel!r} is not a plain path inside the clone (hidden or '..' part); "
            "chinaai-stats writes only its data files"
        )
    return root.joinpath(*parts)


def _check_target(root: Path, target: Path, staged: Path) -> None:
    """Refuse a target reached through a link, a target that is one, or a staged copy in the way."""
    link = symlinked_part(root, target)
    if link is not None:
        what = "the file" if link == target else f"the folder {link.relative_to(root)}"
        raise _link_error(target, what)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(st.st_mode):
            raise DataFileError(
                f"{target} is not a regular file; chinaai-stats will not replace it"
            )
    if os.path.lexists(staged):
        kind = "a symbolic link" if os.path.islink(staged) else "a file"
        raise DataFileError(
            f"{staged} is in the way: {kind} chinaai-stats did not leave there (no journal names "
            "it); remove it (check what it is first) and run the command again"
        )


def commit(
    root: Path, changes: Mapping[Path, str | bytes], command: str = "add", note: str = ""
) -> None:
    """Replace several files of a clone together: all new contents, or all old ones.

    The caller holds :func:`locked` for ``root``. Text is written as UTF-8, newlines
    untouched. Each replaced file keeps its mode; a new file gets 0666 less the umask.

    Raises
    ------
    DataFileError
        A write failed. Before the commit point nothing changed; after it, the
        journal stays and the next command in the clone finishes the change.
    """
    root = Path(root).resolve()
    if root not in _held:
        raise RuntimeError(f"commit in {root} without holding its lock")  # a bug
    entries: list[dict[str, Any]] = []
    payloads: list[bytes] = []
    for target, data in changes.items():
        target = Path(target).parent.resolve() / Path(target).name  # the name is never resolved
        try:
            _clone_path(root, target.relative_to(root).as_posix(), "the file to write")
        except ValueError:
            raise DataFileError(
                f"{target}: outside the clone {root} (reached through a symbolic link?); "
                "chinaai-stats writes only inside the clone"
            ) from None
        payload = data.encode("utf-8") if isinstance(data, str) else data
        staged = staged_name(target)
        _check_target(root, target, staged)
        entries.append(
            {
                "target": target.relative_to(root).as_posix(),
                "staged": staged.relative_to(root).as_posix(),
                "sha256": _sha256(payload),
                "mode": file_mode(target),
            }
        )
        payloads.append(payload)
    record = {"command": command, "note": note, "pid": os.getpid(), "files": entries}
    try:
        _write_journal(root, "prepared", record)
        for i, (entry, payload) in enumerate(zip(entries, payloads, strict=True)):
            write_synced(
                root / entry["staged"],
                payload,
                entry["mode"],
                before_sync=partial(_step, f"stage:{i}:written"),
            )
            _step(f"stage:{i}:synced")
        for folder in {(root / e["staged"]).parent for e in entries}:
            fsync_dir(folder)
        _step("staged:synced")
        _write_journal(root, "committed", record)
    except BaseException as exc:
        outcome = _settle(root, quiet=True)  # "prepared" is rolled back, "committed" finished
        if isinstance(exc, OSError):
            done = (
                "it was finished"
                if outcome and outcome.startswith("finished")
                else ("nothing was changed")
            )
            raise DataFileError(f"{root}: could not write {command} ({exc}); {done}") from exc
        raise
    try:
        _roll_forward(root, record, prefix="")
    except OSError as exc:
        raise DataFileError(
            f"{root}: could not finish writing {command} ({exc}); the change is recorded in "
            f"datasets/{JOURNAL_NAME} and the next chinaai-stats command in this clone "
            "finishes it"
        ) from exc


def _paths(root: Path, entry: dict[str, Any]) -> tuple[Path, Path]:
    """The (staged, target) of a journal entry, refused unless both are what commit makes."""
    if not isinstance(entry, dict):
        raise DataFileError(f"{root}: a journal entry is not a record")
    target = _clone_path(root, entry.get("target"), "the journal's target")
    staged = staged_name(target)
    if entry.get("staged") != staged.relative_to(root).as_posix():
        raise DataFileError(
            f"{root}: the journal names {entry.get('staged')!r} as the staged copy of "
            f"{entry.get('target')!r}; chinaai-stats would have named it "
            f"{staged.relative_to(root).as_posix()!r}: the journal was not written by it"
        )
    for path, what in ((target, "the file"), (staged, "the staged copy")):
        link = symlinked_part(root, path)
        if link is not None:
            raise _link_error(
                path, what if link == path else f"the folder {link.relative_to(root)}"
            )
    return staged, target


def _roll_forward(root: Path, record: dict[str, Any], prefix: str) -> None:
    folders = []
    checked = [_paths(root, entry) for entry in record["files"]]
    for i, (entry, (staged, target)) in enumerate(zip(record["files"], checked, strict=True)):
        if os.path.lexists(staged):
            if prefix and _file_sha256(staged) != entry["sha256"]:
                raise DataFileError(
                    f"{staged}: the staged copy of {entry['target']} is damaged; restore "
                    f"{entry['target']} from version control and remove datasets/{JOURNAL_NAME}"
                )
            if not stat.S_ISREG(os.lstat(staged).st_mode):
                raise DataFileError(
                    f"{staged}: the staged copy of {entry['target']} is not a regular file; "
                    f"chinaai-stats did not make it: remove it and datasets/{JOURNAL_NAME}"
                )
            os.replace(staged, target)
        elif not target.exists() or _file_sha256(target) != entry["sha256"]:
            raise DataFileError(
                f"{target}: neither the new content nor its staged copy is there; restore it "
                f"from version control and remove datasets/{JOURNAL_NAME}"
            )
        _step(f"{prefix}replace:{i}")
        folders.append(target.parent)
    for folder in dict.fromkeys(folders):
        fsync_dir(folder)
    _step(f"{prefix}targets:synced")
    os.unlink(_datasets(root) / JOURNAL_NAME)
    fsync_dir(_datasets(root))
    _step(f"{prefix}journal:removed")


def _roll_back(root: Path, record: dict[str, Any]) -> None:
    staged = [_paths(root, entry)[0] for entry in record["files"]]
    for path in staged:
        path.unlink(missing_ok=True)  # our name for it; a link is removed, never followed
    for folder in {path.parent for path in staged}:
        fsync_dir(folder)
    os.unlink(_datasets(root) / JOURNAL_NAME)
    fsync_dir(_datasets(root))


def _settle(root: Path, quiet: bool) -> str | None:
    """Finish or undo an interrupted commit (lock held); say which, or None if there was none."""
    d = _datasets(root)
    (d / JOURNAL_TMP_NAME).unlink(missing_ok=True)
    path = d / JOURNAL_NAME
    if os.path.islink(path):
        raise _link_error(path, "the journal")
    try:
        with os.fdopen(_open_regular(path), "rb") as f:
            data = f.read(MAX_JOURNAL_BYTES + 1)
        if len(data) > MAX_JOURNAL_BYTES:
            raise ValueError(f"larger than {MAX_JOURNAL_BYTES} bytes")
        record = json.loads(data)
        state = record["state"]
        if not isinstance(record["files"], list):
            raise TypeError("'files' is not a list")
    except FileNotFoundError:
        return None
    except DataFileError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataFileError(
            f"{path}: the record of an interrupted change cannot be read ({exc}); check the "
            "files it names against version control, then remove it"
        ) from None
    names = ", ".join(str(e.get("target")) for e in record["files"] if isinstance(e, dict))
    what = f"{record.get('command', 'change')} ({record.get('note') or names})"
    try:
        if state == "committed":
            _roll_forward(root, record, prefix="recover:")
            outcome = f"finished an interrupted {what}: {names} updated"
        else:
            _roll_back(root, record)
            outcome = f"undid an interrupted {what}: nothing had changed"
    except DataFileError:
        raise
    except OSError as exc:
        raise DataFileError(
            f"{root}: cannot settle an interrupted {what} ({exc}); chinaai-stats needs write "
            "access to the clone to finish it"
        ) from None
    if not quiet:
        log.warning("chinaai-stats: %s: %s", root, outcome)
    return outcome


def pending(root: Path) -> bool:
    """Whether ``root`` holds an interrupted commit, or a lock file left by a killed process."""
    d = _datasets(Path(root))
    return any(os.path.lexists(d / n) for n in (JOURNAL_NAME, JOURNAL_TMP_NAME, LOCK_NAME))


def recover(root: Path) -> str | None:
    """Settle an interrupted commit in clone ``root``; return what was done, or None.

    Cheap when there is nothing to do (three ``stat`` calls). A lock file left by a
    killed process is removed; a lock held by a live process is left alone unless a
    journal waits, in which case this waits for the lock like any writer.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp()); (root / "datasets").mkdir()
    >>> recover(root) is None
    True
    """
    root = Path(root).resolve()
    if not pending(root) or root in _held:
        return None
    d = _datasets(root)
    if not (os.path.lexists(d / JOURNAL_NAME) or os.path.lexists(d / JOURNAL_TMP_NAME)):
        try:  # only a lock file: remove it if its holder is gone
            fd = _try_lock(d / LOCK_NAME)
        except (OSError, DataFileError):
            return None
        if fd is not None:
            _release(root, fd)
        return None
    with _hold(root, "recovery"):
        return _settle(root, quiet=False)

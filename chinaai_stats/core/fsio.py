"""Writing files safely: atomic replacement and the modes the user's umask asks for.

Every file the package writes goes through :func:`atomic_write` (or is created with
:func:`new_file_mode`), so a reader never sees half a file, a crash leaves the old
file whole, and new files get ``0666`` and folders ``0777`` less the umask, as
``open()`` and ``mkdir`` would give them. A file that is replaced keeps its mode.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

#: ``os.open`` flag that refuses a symbolic link as the last part of a path (0 where absent).
O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: Errors of a folder ``fsync`` that mean "this file system cannot do it", not a failure.
_FSYNC_UNSUPPORTED = frozenset(
    {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, getattr(errno, "ENOSYS", errno.EINVAL)}
)


def umask() -> int:
    """Return the process umask without changing it (read from /proc where possible)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    old = os.umask(0o022)  # no way to read it without setting it elsewhere
    os.umask(old)
    return old


def new_file_mode() -> int:
    """Mode for a new file: 0666 less the umask."""
    return 0o666 & ~umask()


def new_dir_mode() -> int:
    """Mode for a new folder: 0777 less the umask."""
    return 0o777 & ~umask()


def file_mode(path: Path) -> int:
    """The mode a new content of ``path`` gets: its current mode, else 0666 less the umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        return new_file_mode()


def symlinked_part(root: Path, path: Path) -> Path | None:
    """The first part of ``path`` below ``root`` that is a symbolic link (None if none is).

    ``path`` is taken as written (not resolved); ``path`` itself counts. A path that is
    not below ``root`` is returned whole (it cannot be checked).
    """
    try:
        rel = Path(os.path.normpath(path)).relative_to(os.path.normpath(root))
    except ValueError:
        return Path(path)
    here = Path(os.path.normpath(root))
    for part in rel.parts:
        here = here / part
        try:
            if stat.S_ISLNK(os.lstat(here).st_mode):
                return here
        except FileNotFoundError:
            return None
    return None


def refuse_link(path: Path) -> None:
    """Raise ``OSError(ELOOP)`` when ``path`` is a symbolic link (a link we would follow)."""
    if os.path.islink(path):
        raise OSError(
            errno.ELOOP, "it is a symbolic link, which chinaai-stats did not make", str(path)
        )


def write_synced(
    path: Path, data: bytes, mode: int, before_sync: Callable[[], None] | None = None
) -> None:
    """Create ``path`` (which must not exist), write ``data``, set ``mode``, flush it to disk.

    The file is made with ``O_CREAT|O_EXCL|O_NOFOLLOW``: anything already at ``path``
    (a symbolic link above all) is an error (``FileExistsError``), never written
    through. On an error after the file was made, the partial file is removed.
    ``before_sync`` runs between the write and the flush (a testing hook).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), mode)
            else:  # pragma: no cover - Windows before Python 3.13
                os.chmod(path, mode)
            if before_sync is not None:
                before_sync()
            os.fsync(f.fileno())
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries to disk (so a rename in it survives a power cut).

    A file system that cannot flush a folder (``EINVAL``, ``ENOTSUP``) is no error;
    any other failure (``EIO``...) raises ``OSError``: the rename may not last.
    """
    if os.name == "nt":  # pragma: no cover - Windows cannot open a folder; renames need no flush
        return
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def atomic_write(path: Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` in one rename, never leaving a partial file.

    Parameters
    ----------
    path : the file to write (its folder must exist).
    data : text (written as UTF-8, newlines untouched) or bytes.
    mode : the file's mode; default: the existing file's mode, else 0666 less the umask.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write(p, "一\\n")
    >>> p.read_text(encoding="utf-8")
    '一\\n'
    """
    path = Path(path)
    refuse_link(path)
    if mode is None:
        mode = file_mode(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())
        refuse_link(path)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)

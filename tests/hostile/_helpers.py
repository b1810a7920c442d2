"""What every hostile test checks: nothing outside changed, and a one-line refusal."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import REPO


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: a file's bytes, or where a link points (links not followed)."""
    out: dict[str, bytes | str] = {}
    for here, dirs, names in os.walk(folder):
        for n in dirs + names:
            p = Path(here) / n
            rel = p.relative_to(folder).as_posix()
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_file():
                out[rel] = p.read_bytes()
    return out


def victim(home: Path) -> tuple[Path, dict[str, bytes | str]]:
    """A user's files outside the clone (``home/.bashrc``...); returns the file and a snapshot."""
    home.mkdir(parents=True, exist_ok=True)
    bashrc = home / ".bashrc"
    bashrc.write_text("export PATH=$HOME/bin:$PATH  # the user's own\n", encoding="utf-8")
    (home / "victim.txt").write_text("a file of the user's\n", encoding="utf-8")
    return bashrc, tree(home)


def with_changelog(clone: Path) -> Path:
    """A temp clone (from the data_copy fixture) with the CHANGELOG a checkout has."""
    shutil.copy(REPO / "CHANGELOG.md", clone / "CHANGELOG.md")
    return clone


def one_line_refusal(r: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit 2, one line on stderr naming ``words``, no traceback; returns the line."""
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]

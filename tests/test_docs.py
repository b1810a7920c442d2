"""The README and the guides in docs/: every command they show is a valid invocation, and
every one that names no file of the reader's own runs as shown, in a private clone.

Their Python examples run as doctests (``--doctest-glob=*.md`` over README.md and docs/).
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from .conftest import REPO, run_cli

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
#: what a reader puts in for their own files and names, never run as written
_PLACEHOLDER = re.compile(r"…|<|^~|^/path/|^[A-Z]+_[A-Z_]+$|^(ID|NAME|TABLE|ENTITY|INDICATOR)$")


def _commands() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        text = doc.read_text("utf-8")
        for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
            for line in block.replace("\\\n", " ").splitlines():
                line = line.split("  #")[0].split(" > ")[0].strip()  # a redirect is the shell's
                if line.startswith("chinaai-stats"):
                    found.append((doc.name, " ".join(line.split())))
    return found


def _own_files(args: list[str], clone: Path) -> bool:
    """Whether the command names something only the reader has (a text, a rows file)."""
    outputs = {"--out"}
    for before, arg in zip(["", *args], args, strict=False):
        if _PLACEHOLDER.search(arg):
            return True
        looks_like_file = re.search(r"\.(csv|txt|json)$", arg) and not arg.startswith("-")
        if looks_like_file and before not in outputs and not (clone / arg).exists():
            return True
    return False


def test_the_docs_show_commands() -> None:
    names = {doc for doc, _ in _commands()}
    assert {"README.md", "cli.md", "contributing.md", "comparing.md", "citing.md"} <= names


@pytest.mark.parametrize(("doc", "line"), _commands(), ids=lambda v: v[:60])
def test_every_command_shown_parses(doc: str, line: str, tmp_path: Path) -> None:
    from chinaai_stats.cli import _parser, _UsageError

    # the reader's folders (~/texts) exist on their machine: a folder stands in for them
    args = [str(tmp_path) if a.startswith("~") else a for a in shlex.split(line)[1:]]
    try:
        _parser().parse_args(args)
    except _UsageError as exc:
        pytest.fail(f"{doc}: {line!r} is not a valid invocation: {exc}")
    except SystemExit as exc:  # --help prints and exits 0
        assert exc.code == 0, f"{doc}: {line!r} is not a valid invocation"


@pytest.mark.parametrize(("doc", "line"), _commands(), ids=lambda v: v[:60])
def test_every_command_shown_runs(doc: str, line: str, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    for part in ("datasets", "schemas", "seeds"):
        shutil.copytree(REPO / part, clone / part)
    args = shlex.split(line)[1:]
    if _own_files(args, clone):
        pytest.skip(f"names the reader's own files: {line}")
    r = run_cli(*args, cwd=clone, env={"CHINAAI_STATS_DATA": str(clone), "COLUMNS": "100"})
    assert r.returncode == 0, f"{doc}: {line}\n{r.stderr}"
    assert "Traceback" not in r.stderr

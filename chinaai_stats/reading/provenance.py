"""Check rows against the source texts they cite.

The source texts are not redistributed with the package: a contributor keeps them in
one or more folders (``--texts DIR``, or ``$CHINAAI_STATS_SOURCES`` holding several
folders separated by :data:`os.pathsep`). A text is found by the SHA-256 the registry
records for it, whatever the file is called. For every row whose text is found, the
row's ``value_text`` (and ``stated_usd_text``, where filled) must occur on the line its
``locator`` names: ``pN`` is the N-th non-blank line of the text. A mismatch is an
error naming the figures on that line that come closest; a registered source whose
text is in none of the folders is one warning naming it.

Only the standard library is used, so the check is cheap to import.

Example
-------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Title\\n\\nSales rose to 846 million in 2016.\\n", "utf-8")
>>> texts = TextIndex([folder])
>>> source = {"id": "s", "filename": "a.txt", "sha256": texts.sha256_of(folder / "a.txt")}
>>> row = {"id": "r-1", "source_id": "s", "locator": "p2", "value_text": "864 million"}
>>> [p.message for p in check_rows([row], [source], texts)]  # doctest: +ELLIPSIS
["r-1: '864 million' is not on line p2 of s (a.txt); closest there: '846 million', ..."]
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Environment variable listing the folders that hold source texts (os.pathsep-separated).
SOURCES_ENV = "CHINAAI_STATS_SOURCES"
#: Columns of a row checked against its locator's line, where filled.
TEXT_COLUMNS = ("value_text", "stated_usd_text")
#: Text files larger than this are not hashed (no source text is anywhere near it).
MAX_TEXT_BYTES = 64 << 20

#: Punctuation trimmed from the ends of a candidate (ASCII and full-width).
_EDGE = " .,;:()[]*\uff08\uff09\uff0c\u3002\u3001"
_LOCATOR = re.compile(r"^p([1-9][0-9]*)$")
_WORD_NUMBERS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    "fifty|hundred|thousand|million|billion|trillion|half|quarter|dozen|double|triple"
)
#: An anchor for a figure: digits, a number word, or a run of Chinese numerals.
_ANCHOR = re.compile(
    rf"[0-9][0-9,.]*|\b(?:{_WORD_NUMBERS})\b|[零一二三四五六七八九十百千万亿两]+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Problem:
    """One finding: ``level`` is ``"error"`` or ``"warning"``.

    ``row`` is the row id (empty for a finding about a source), ``source_id`` the
    source, ``column`` the checked column, ``value`` the offending cell.
    """

    level: str
    row: str
    source_id: str
    column: str
    value: str
    message: str
    hint: str = ""


def source_dirs(texts: Iterable[str | os.PathLike[str]] | None = None) -> list[Path]:
    """Return the folders to search: ``texts`` if given, else those in ``$CHINAAI_STATS_SOURCES``.

    Each entry may itself list several folders separated by :data:`os.pathsep`.
    Empty entries are dropped; folders that do not exist are kept (and found empty).
    """
    if texts is None:
        env = os.environ.get(SOURCES_ENV, "")
        entries: list[str] = [env] if env else []
    else:
        entries = [os.fspath(t) for t in texts]
    out: list[Path] = []
    for entry in entries:
        for part in entry.split(os.pathsep):
            if part.strip() and Path(part) not in out:
                out.append(Path(part))
    return out


class TextIndex:
    """The text files of some folders, known by their SHA-256.

    Parameters
    ----------
    folders : the folders to look in (not recursively); see :func:`source_dirs`.
    """

    def __init__(self, folders: Iterable[str | os.PathLike[str]]) -> None:
        self.folders = [Path(f) for f in folders]
        self._by_sha: dict[str, Path] | None = None
        self._by_name: dict[str, list[Path]] = {}
        self._lines: dict[Path, list[str]] = {}

    @staticmethod
    def sha256_of(path: str | os.PathLike[str]) -> str:
        """Return the hex SHA-256 of a file's bytes."""
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()

    def _scan(self) -> dict[str, Path]:
        if self._by_sha is None:
            self._by_sha = {}
            for folder in self.folders:
                try:
                    entries = sorted(folder.iterdir())
                except OSError:
                    continue
                for path in entries:
                    try:
                        if not path.is_file() or path.stat().st_size > MAX_TEXT_BYTES:
                            continue
                        digest = self.sha256_of(path)
                    except OSError:
                        continue
                    self._by_sha.setdefault(digest, path)
                    self._by_name.setdefault(path.name, []).append(path)
        return self._by_sha

    def find(self, sha256: str) -> Path | None:
        """Return the file whose bytes have this SHA-256, or None."""
        return self._scan().get(sha256.lower())

    def named(self, filename: str) -> list[Path]:
        """Return the files called ``filename`` in the folders (whatever their bytes)."""
        self._scan()
        return list(self._by_name.get(filename, []))

    def lines(self, path: Path) -> list[str]:
        """The non-blank lines of a text file (locator ``pN`` is item N-1)."""
        if path not in self._lines:
            text = path.read_bytes().decode("utf-8", errors="replace")
            self._lines[path] = paragraphs(text)
        return self._lines[path]


def paragraphs(text: str) -> list[str]:
    """Return the non-blank lines of ``text``: locator ``pN`` is the N-th of them.

    >>> paragraphs("a\\n\\n  \\nb\\n")
    ['a', 'b']
    """
    return [line for line in text.splitlines() if line.strip()]


def closest_figures(expression: str, line: str, n: int = 3) -> list[str]:
    """Return up to ``n`` figure expressions on ``line`` most like ``expression``.

    Candidates are runs of up to one word more than ``expression`` has (a Chinese
    character counts as a word) that hold a number: digits, a number word or Chinese
    numerals. They are ranked with :class:`difflib.SequenceMatcher`.

    >>> closest_figures("$600 milion", "It raised $620 million after $600 million in April.", 2)
    ['$600 million', '$620 million']
    """
    tokens = list(_TOKEN.finditer(line))
    width = len(list(_TOKEN.finditer(expression))) + 1
    candidates: set[str] = set()
    for i, tok in enumerate(tokens):
        if not _ANCHOR.search(tok.group()):
            continue
        for first in range(max(i - width + 1, 0), i + 1):
            for last in range(i, min(first + width, len(tokens))):
                piece = line[tokens[first].start() : tokens[last].end()].strip(_EDGE)
                if piece and _ANCHOR.search(piece):
                    candidates.add(piece)
    ranked = sorted(
        candidates,
        key=lambda c: (-difflib.SequenceMatcher(None, expression, c).ratio(), len(c), c),
    )
    out: list[str] = []
    for c in ranked:
        if not any(c in o or o in c for o in out):
            out.append(c)
        if len(out) == n:
            break
    return out


#: A word of a figure expression: a run of ASCII letters, digits and ``.,$%~-``, or any
#: other single non-space character (Chinese has no spaces between words).
_TOKEN = re.compile(r"[A-Za-z0-9.,$%~\-]+|[^\sA-Za-z0-9.,$%~\-]")


def check_rows(
    rows: Iterable[Mapping[str, object]],
    registry: Sequence[Mapping[str, str]],
    texts: TextIndex,
) -> list[Problem]:
    """Check each row's figure expressions against the line its locator names.

    Parameters
    ----------
    rows : mappings with ``id``, ``source_id``, ``locator``, ``value_text`` and, where
        the table has it, ``stated_usd_text`` (text cells; empty or None where blank).
    registry : the source registry rows (``id``, ``filename``, ``sha256``).
    texts : where to find the texts.

    Returns
    -------
    list of Problem
        An error per expression not on its line (naming the line's closest figures),
        per locator that is malformed or past the end of the text; one warning per
        registered source a row cites whose text is not found.
    """
    return [p for _, p in check_indexed(rows, registry, texts)]


def check_indexed(
    rows: Iterable[Mapping[str, object]],
    registry: Sequence[Mapping[str, str]],
    texts: TextIndex,
) -> Iterator[tuple[int | None, Problem]]:
    """:func:`check_rows`, each problem with the index of its row (None for a source)."""
    sources = {s["id"]: s for s in registry}
    found: dict[str, Path | None] = {}
    for i, row in enumerate(rows):
        sid = _cell(row, "source_id")
        if sid not in sources:
            continue  # unknown ids are the validator's business
        if sid not in found:
            found[sid] = texts.find(sources[sid]["sha256"])
            if found[sid] is None:
                yield None, missing_text(sources[sid], texts)
        path = found[sid]
        if path is None:
            continue
        for p in _check_row(row, sources[sid], path, texts.lines(path)):
            yield i, p


def _cell(row: Mapping[str, object], key: str) -> str:
    v = row.get(key)
    return "" if v is None or v != v else str(v)  # v != v: a float NaN


def _check_row(
    row: Mapping[str, object], source: Mapping[str, str], path: Path, lines: list[str]
) -> list[Problem]:
    rid, sid, locator = _cell(row, "id"), source["id"], _cell(row, "locator")
    where = f"{sid} ({path.name})"
    m = _LOCATOR.match(locator)
    if not m:
        return [
            Problem(
                "error", rid, sid, "locator", locator,
                f"{rid}: locator {locator!r} is not pN",
                "pN names the N-th non-blank line of the text, e.g. p3",
            )
        ]  # fmt: skip
    n = int(m.group(1))
    if n > len(lines):
        return [
            Problem(
                "error", rid, sid, "locator", locator,
                f"{rid}: {locator} is past the end of {where}, which has {len(lines)} "
                "non-blank lines",
                "count non-blank lines from the top of the text",
            )
        ]  # fmt: skip
    line = lines[n - 1]
    out = []
    for column in TEXT_COLUMNS:
        expr = _cell(row, column)
        if not expr or expr in line:
            continue
        near = closest_figures(expr, line)
        elsewhere = [f"p{i + 1}" for i, other in enumerate(lines) if expr in other][:3]
        hint = (
            f"the expression is on {', '.join(elsewhere)}: fix the locator"
            if elsewhere
            else "copy the figure exactly as the text writes it (a few words)"
        )
        closest = ", ".join(repr(x) for x in near) if near else "no figure"
        out.append(
            Problem(
                "error",
                rid,
                sid,
                column,
                expr,
                f"{rid}: {expr!r} is not on line {locator} of {where}; closest there: {closest}",
                hint,
            )
        )
    return out


def missing_text(source: Mapping[str, str], texts: TextIndex) -> Problem:
    """The warning for a registered source whose text is in none of the folders."""
    sid, name = source["id"], source.get("filename", "")
    same_name = texts.named(name) if name else []
    if same_name:
        detail = (
            f"{same_name[0]} has its file name but other bytes (sha256 "
            f"{texts.sha256_of(same_name[0])[:12]}…, registered {source['sha256'][:12]}…)"
        )
        hint = "use the text as registered, or register the new text as a new source"
    else:
        folders = ", ".join(str(f) for f in texts.folders) or "no folder given"
        detail = f"no file with sha256 {source['sha256'][:12]}… in {folders}"
        hint = f"pass --texts DIR or set {SOURCES_ENV} to the folder holding {name}"
    return Problem(
        "warning", "", sid, "source_id", sid, f"source {sid}: text not found: {detail}", hint
    )


def check_registry(registry: Sequence[Mapping[str, str]], texts: TextIndex) -> list[Problem]:
    """One warning per registered source whose text (by SHA-256) is not in the folders."""
    return [missing_text(s, texts) for s in registry if texts.find(s["sha256"]) is None]


def check_data(
    texts: Iterable[str | os.PathLike[str]] | None = None,
    root: str | os.PathLike[str] | None = None,
) -> list[Problem]:
    """Check every row of every table of the data against the registered source texts.

    Parameters
    ----------
    texts : folders holding the source texts (default: ``$CHINAAI_STATS_SOURCES``).
    root : the data (a clone's folder holding ``datasets/``); default: the data in use.

    Returns
    -------
    list of Problem
        One warning per registered source whose text is not found (whether or not a
        row cites it), and the errors of :func:`check_rows` for every table.
    """
    import csv

    from ..tables import catalog

    base = Path(root) if root is not None else catalog.data_root()
    registry = catalog.registry_rows(base)
    index = TextIndex(source_dirs(texts))
    problems = check_registry(registry, index)
    for res in catalog.descriptor(base)["resources"]:
        if res["name"] == catalog.REGISTRY:
            continue
        path = base / "datasets" / res["path"]
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if "source_id" not in (reader.fieldnames or []):
                continue
            found = check_rows(reader, registry, index)
        problems += [p for p in found if p.level == "error"]
    return problems

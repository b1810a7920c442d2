"""Register a source text in a clone's source registry (``seeds/sources.csv``).

The registry holds each document's metadata and the SHA-256 of the text the figures
were read from; the text itself is not redistributed. :func:`add_source` takes the
file name and hash from the file, checks every field against the registry's Table
Schema (``schemas/sources.json``), refuses an id already taken or a text already
registered under another id, and replaces the registry, the descriptor copy of it
and ``CITATION.cff`` together (all or nothing, through the clone's journal), holding
the clone's lock so that a second process writing at the same time waits its turn.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core import journal
from ..core.errors import ChinaAIStatsError, DataFileError, InputFileError
from ..reading.inputs import decode_text, read_input
from ..reading.provenance import MAX_TEXT_BYTES
from ..tables import catalog, package


class RegistryError(ChinaAIStatsError):
    """A source that cannot be registered (taken id, known text, invalid field)."""


@dataclass(frozen=True)
class Registered:
    """What :func:`add_source` wrote: the registry row and the files replaced."""

    row: dict[str, str]
    files: tuple[Path, ...]


#: Spellings accepted for ``kind`` besides the schema's own (hyphens for underscores).
def _kind(kind: str) -> str:
    return kind.strip().lower().replace("-", "_").replace(" ", "_")


#: First characters a spreadsheet reads as the start of a formula (as ``validate`` refuses).
_FORMULA_START = "=+-@\t\r"


def _check_field(field: dict[str, Any], value: str) -> str | None:
    """Return what is wrong with ``value`` for a Table Schema field, or None."""
    name, cons = field["name"], field.get("constraints", {})
    if not value:
        return f"{name} is required" if cons.get("required") else None
    if "\n" in value or "\r" in value:
        return f"{name} must be one line"
    if field.get("type") == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"{name} {value!r} is not a YYYY-MM-DD date"
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return f"{name} {value!r} is not a YYYY-MM-DD date"
        if date.fromisoformat(value) > date.today():
            return f"{name} {value!r} is in the future; give the date the text was published"
    if field.get("format") == "uri":
        parts = urlsplit(value)
        if not (parts.scheme and parts.netloc) or " " in value:
            return f"{name} {value!r} is not an absolute address (https://…)"
    if "enum" in cons and value not in cons["enum"]:
        return f"{name} {value!r} is not one of {', '.join(cons['enum'])}"
    if "pattern" in cons and not re.fullmatch(cons["pattern"], value):
        return f"{name} {value!r} does not match {cons['pattern']}"
    if value[0] in _FORMULA_START:
        return (
            f"{name} {value!r} starts with {value[0]!r}, which spreadsheets run as a formula; "
            "reword it to start with a letter, digit or quote"
        )
    return None


def check_row(row: dict[str, str], schema: dict[str, Any]) -> list[str]:
    """Return every problem of a registry row under the registry's Table Schema."""
    problems = [_check_field(f, row.get(f["name"], "")) for f in schema["fields"]]
    return [p for p in problems if p]


def _text_sha256(path: Path) -> str:
    """The SHA-256 of a source text: a regular file of UTF-8 text, not empty, not too big."""
    src = read_input(
        path,
        kind="source text",
        limit=MAX_TEXT_BYTES,  # larger files are never searched
        streams=False,
        fix="save the text to a file and register that file",
    )
    try:
        data = src.read()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not data:
        raise InputFileError(f"{path}: the file is empty; register the text figures come from")
    decode_text(data, str(path))  # the lines are read as UTF-8 when rows are checked
    return hashlib.sha256(data).hexdigest()


def add_source(
    text_file: str | os.PathLike[str],
    *,
    id: str,
    title: str,
    publisher: str = "",
    author: str = "",
    published: str | date | None = None,
    undated: str | None = None,
    date_note: str | None = None,
    url: str = "",
    pointer: str = "",
    language: str = "en",
    kind: str = "news",
    caveats: str = "",
    root: str | os.PathLike[str] | None = None,
) -> Registered:
    """Register ``text_file`` as source ``id`` in a clone's registry.

    Parameters
    ----------
    text_file : the source text (its name and SHA-256 are recorded, not its content).
    id : the new source id (lower-case letters, digits and hyphens).
    title, publisher, author, url, language, kind, caveats : the registry's columns
        (see ``chinaai-stats describe sources`` for what each holds).
    pointer : the exact retrieval pointer of the text read (the stored page's address,
        or ``github:OWNER/REPO@COMMIT:PATH``), so anyone can fetch it again and check
        its SHA-256; default: ``url``.
    published : the publication date (YYYY-MM-DD); exactly one of it and ``undated``.
    undated : for an undated text, what the text implies about its date.
    date_note : how the date is known (default: "Dated in the text.").
    root : the clone (the folder holding ``datasets/`` and ``seeds/``); default: found
        by walking up from the current folder.

    Returns
    -------
    Registered
        The row as written and the files replaced.

    Raises
    ------
    RegistryError
        A field breaks the schema, the id is taken, or the text is already registered.
    InputFileError
        The text file is missing, not a regular file, empty, binary or not UTF-8.

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> from chinaai_stats.tables import catalog
    >>> clone = pathlib.Path(tempfile.mkdtemp())
    >>> for part in ("datasets", "schemas", "seeds"):
    ...     _ = shutil.copytree(catalog.data_root() / part, clone / part)
    >>> text = clone / "note.txt"
    >>> _ = text.write_text("A note with 12 figures.\\n", encoding="utf-8")
    >>> r = add_source(text, id="example-note", title="A note", publisher="Example",
    ...                published="2024-01-31", caveats="An example.", root=clone)
    >>> r.row["filename"], len(r.row["sha256"])
    ('note.txt', 64)
    """
    clone = catalog.clone_root(root)
    path = Path(text_file)
    sha = _text_sha256(path)
    row = {
        "id": id,
        "title": title,
        "publisher": publisher or "",
        "author": author or "",
        **_date_fields(published, undated, date_note),  # refuses both or neither
        "url": url or "",
        "pointer": pointer or url or "",
        "language": language,
        "kind": _kind(kind),
        "filename": path.name,
        "sha256": sha,
        "caveats": caveats or "",
    }
    row, schema = _checked(clone, path, row)
    with journal.locked(clone.resolve(), "sources add"):
        return _write(clone, catalog.registry_path(clone), row, schema)


def _date_fields(
    published: str | date | None, undated: str | None, date_note: str | None
) -> dict[str, str]:
    """The ``published`` and ``date_note`` columns, from exactly one of a date and a note."""
    if (published is None) == (undated is None):
        raise RegistryError(
            "give exactly one of --published YYYY-MM-DD and --undated 'what the text implies'"
        )
    if undated is not None and not undated.strip():
        raise RegistryError("--undated needs a note of what the text implies about its date")
    return {
        "published": str(published) if published is not None else "",
        "date_note": date_note
        or ("Dated in the text." if undated is None else f"Undated. {undated.strip()}"),
    }


def _checked(clone: Path, path: Path, row: dict[str, str]) -> tuple[dict[str, str], dict[str, Any]]:
    """The row with its cells stripped, and the registry's schema it was checked against."""
    row = {k: v.strip() for k, v in row.items()}
    schema = package.read_json(clone / "schemas" / "sources.json")
    problems = check_row(row, schema)
    if problems:
        raise RegistryError(f"cannot register {path.name}: {'; '.join(problems)}")
    return row, schema


def _write(clone: Path, reg_path: Path, row: dict[str, str], schema: dict[str, Any]) -> Registered:
    text = reg_path.read_bytes().decode("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    columns = [f["name"] for f in schema["fields"]]
    if reader.fieldnames != columns:
        raise DataFileError(
            f"{reg_path}: its header is not the registry schema's columns "
            f"({', '.join(columns)}); fix the file first"
        )
    for other in reader:
        if other["id"] == row["id"]:
            raise RegistryError(f"source id {row['id']!r} is taken; choose another id")
        if other["sha256"] == row["sha256"]:
            raise RegistryError(
                f"{row['filename']}: this text is already registered as {other['id']!r}"
            )
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([row[c] for c in columns])
    new_text = (text if text.endswith("\n") or not text else text + "\n") + buf.getvalue()
    changes = package.refresh_changes(clone, {reg_path: new_text})
    journal.commit(clone.resolve(), changes, command="sources add")
    return Registered(row, tuple(changes))

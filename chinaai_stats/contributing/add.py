"""Merge a contributor's validated rows into a table of a clone, atomically.

``add`` validates the file as ``validate`` does in the same clone (ids already in
the table are errors, facts it already holds are warnings), and merges only when
every row is valid: it refuses nothing ``validate`` passes. It then writes the table's CSV,
``datasets/datapackage.json`` (new ``bytes`` and ``hash``) and an Unreleased entry
in ``CHANGELOG.md``, all three together or none (:mod:`chinaai_stats.core.journal`):
it holds the clone's lock from reading the table to the last write, so a second
``add`` waits (and gives up with exit 2 after a few seconds), and a process
killed at any point leaves a change that the next command finishes or undoes.
Adding a file whose rows are all in the table already, cell for cell (a rerun
after an interrupted ``add``, say), changes nothing and says so.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..core import journal
from ..core.errors import ChinaAIStatsError
from ..tables import catalog, package
from .validation import ValidationReport, validate


class AddError(ChinaAIStatsError):
    """Rows that cannot be merged; ``report`` says why."""

    def __init__(self, message: str, report: ValidationReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class AddResult:
    """What ``add`` merged: the table, the new ids and the files it rewrote.

    ``already`` lists the ids of a file whose rows were all in the table already.
    When ``ids`` is empty (such a file, or one with a header and no rows) nothing
    was written and ``files`` is empty.
    """

    table: str
    ids: tuple[str, ...]
    files: tuple[Path, ...]
    report: ValidationReport
    already: tuple[str, ...] = ()


def _cells(report: ValidationReport, columns: list[str]) -> list[list[str]]:
    """The new rows' cells in the table's column order."""
    frame = report.frame.reindex(columns=columns, fill_value="")
    return [["" if v is None else str(v) for v in row] for row in frame.itertuples(index=False)]


def _as_csv(rows: list[list[str]], newline: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    return buf.getvalue()


def _read_table(path: Path) -> tuple[str, dict[str, dict[str, str]]]:
    """The table's text, exactly as on disk, and its rows by id."""
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if "id" not in (reader.fieldnames or []):
        return text, {}
    return text, {r["id"]: r for r in reader}


def _already_there(
    report: ValidationReport, rows: list[list[str]], columns: list[str], by_id: dict[str, Any]
) -> tuple[str, ...]:
    """The ids of the file when every one of its rows is in the table, cell for cell."""
    if not rows or "id" not in columns or set(report.errors["check"]) != {"id-exists"}:
        return ()
    new = [dict(zip(columns, r, strict=True)) for r in rows]
    if all({k: by_id.get(r["id"], {}).get(k) for k in columns} == r for r in new):
        return tuple(r["id"] for r in new)
    return ()


def changelog_with(text: str, entry: str) -> str:
    """Return CHANGELOG text with ``entry`` added as a bullet under ``## [Unreleased]``.

    The bullet ends the Unreleased section's ``### Added data`` list (else its ``### Added``
    list), whatever subsections follow it; without either, an ``### Added`` list is opened
    at the end of the section.
    """
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip().lower() == "## [unreleased]":
            j = i + 1
            while j < len(lines) and not lines[j].startswith("## "):
                j += 1
            heads = {lines[k].strip(): k for k in range(i + 1, j) if lines[k].startswith("### ")}
            start = heads.get("### Added data", heads.get("### Added"))
            block = "\n### Added\n" if start is None else ""
            end = j if start is None else next((k for k in sorted(heads.values()) if k > start), j)
            while end > i + 1 and not lines[end - 1].strip():
                end -= 1
            return "".join(lines[:end]) + block + f"- {entry}\n" + "".join(lines[end:])
    for i, line in enumerate(lines):
        if line.startswith("## "):
            return (
                "".join(lines[:i])
                + f"## [Unreleased]\n\n### Added\n- {entry}\n\n"
                + "".join(lines[i:])
            )
    return text.rstrip("\n") + f"\n\n## [Unreleased]\n\n### Added\n- {entry}\n"


def add(
    path: str | os.PathLike[str],
    table: str,
    *,
    datasets: str | os.PathLike[str] | None = None,
    texts: list[str | os.PathLike[str]] | None = None,
) -> AddResult:
    """Validate ``path`` for ``table`` and merge its rows into a clone's data.

    Parameters
    ----------
    path : path
        The contributor's CSV, with the table's header.
    table : str
        The table to add to.
    datasets : path, optional
        The clone's ``datasets/`` folder; found by walking up from the current
        folder when not given.
    texts : list of paths, optional
        Folders of source texts (default: ``$CHINAAI_STATS_SOURCES``; ``[]``: none):
        each row's ``value_text`` must be on its locator's line of its source's text.

    Raises
    ------
    AddError
        Some row is invalid; nothing was written.
    InputFileError, DatasetNotFoundError, DataFileError
        The file, the table or the clone cannot be used at all; nothing was written.
    ChinaAIStatsError
        The table is built by a script from upstream data (``catalog.BUILT_TABLES``).
    DataBusyError
        Another process kept the clone locked for longer than
        ``$CHINAAI_STATS_LOCK_WAIT`` seconds (default 5); nothing was written.

    Examples
    --------
    >>> import shutil, tempfile, pathlib
    >>> from chinaai_stats.tables.catalog import data_root
    >>> clone = pathlib.Path(tempfile.mkdtemp())
    >>> for part in ("datasets", "schemas", "seeds"):
    ...     _ = shutil.copytree(data_root() / part, clone / part)
    >>> new = clone / "new.csv"
    >>> rows = (data_root() / "datasets" / "talent.csv").read_text("utf-8").splitlines()
    >>> _ = new.write_text("\\n".join([rows[0], rows[1].replace("tal-0001", "tal-9001")]))
    >>> add(new, "talent", datasets=clone / "datasets").ids
    ('tal-9001',)
    """
    if table in catalog.BUILT_TABLES:
        raise ChinaAIStatsError(
            f"{table} is built from upstream data by `{catalog.BUILT_TABLES[table]}`; rows "
            "are not added by hand (add figures from sources to a fact table instead)"
        )
    root = catalog.clone_root(datasets)
    with journal.locked(root, "add"):
        return _add_locked(Path(path), table, root, texts)


def _add_locked(
    path: Path, table: str, root: Path, texts: list[str | os.PathLike[str]] | None = None
) -> AddResult:
    res = catalog.resource(table, root)
    table_path = root / "datasets" / res["path"]
    existing, by_id = _read_table(table_path)
    report = validate(path, table, new_rows=True, root=root, texts=texts)  # as validate says
    columns = [f["name"] for f in res["schema"]["fields"]]
    rows = _cells(report, columns)
    if not report.ok:
        already = _already_there(report, rows, columns, by_id)
        if already:  # a rerun: the rows are there, cell for cell, so no longer errors
            return AddResult(table, (), (), report.without("id-exists"), already)
        raise AddError(f"{path}: {len(report.errors)} problems; nothing was added", report)
    if report.rows == 0:  # valid, as validate says; nothing to write
        return AddResult(table, (), (), report)
    newline = "\r\n" if existing.split("\n", 1)[0].endswith("\r") else "\n"
    merged = existing if not existing or existing.endswith("\n") else existing + newline
    merged += _as_csv(rows, newline)
    new_ids = tuple(r[columns.index("id")] for r in rows) if "id" in columns else ()
    # the descriptor as it will be once the CSV is replaced
    desc = package.read_json(root / "datasets" / catalog.DESCRIPTOR)
    for r in desc["resources"]:
        if r["name"] == table:
            data = merged.encode("utf-8")
            r["bytes"] = len(data)
            r["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    changelog = root / "CHANGELOG.md"
    entry = (
        f"`{table}`: {len(new_ids)} rows added ({', '.join(new_ids[:10])}"
        f"{', …' if len(new_ids) > 10 else ''}) on {date.today().isoformat()}"
    )
    changes = {table_path: merged, root / "datasets" / catalog.DESCRIPTOR: package.dump_json(desc)}
    if changelog.exists():
        with open(changelog, encoding="utf-8", newline="") as f:
            changes[changelog] = changelog_with(f.read(), entry)
    journal.commit(root, changes, command="add", note=entry)
    return AddResult(table, new_ids, tuple(changes), report)

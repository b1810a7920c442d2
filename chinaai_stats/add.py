"""Merge a contributor's validated rows into a table of a clone, atomically.

``add`` validates the file against the table (ids already in the table count as
taken), and merges only when every row is valid. It then writes the table's CSV,
``datasets/datapackage.json`` (new ``bytes`` and ``hash``) and an Unreleased entry
in ``CHANGELOG.md``. All three are prepared as temporary files first and swapped in
with :func:`os.replace`; if any swap fails, the ones already done are rolled back,
so a failure leaves every file as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import catalog, package
from .errors import ChinaAIStatsError
from .provenance import check_report
from .validation import InputFileError, ValidationReport, validate


class AddError(ChinaAIStatsError):
    """Rows that cannot be merged; ``report`` says why."""

    def __init__(self, message: str, report: ValidationReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class AddResult:
    """What ``add`` merged: the table, the new ids and the files it rewrote."""

    table: str
    ids: tuple[str, ...]
    files: tuple[Path, ...]
    report: ValidationReport


def find_root(start: Path | None = None) -> Path:
    """Walk up from ``start`` (default: the current folder) to a folder holding datasets/."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "datasets" / catalog.DESCRIPTOR).is_file():
            return folder
    raise InputFileError(
        f"no datasets/{catalog.DESCRIPTOR} in {here} or any folder above it; "
        "run add inside a clone of chinaai-stats, or pass --datasets DIR"
    )


def _root_of(datasets: str | os.PathLike[str] | None) -> Path:
    if datasets is None:
        return find_root()
    d = Path(datasets)
    if (d / catalog.DESCRIPTOR).is_file():
        return d.resolve().parent
    if (d / "datasets" / catalog.DESCRIPTOR).is_file():
        return d.resolve()
    raise InputFileError(
        f"{d}: no {catalog.DESCRIPTOR} there; pass the datasets/ folder of a clone"
    )


def _rows_csv(report: ValidationReport, columns: list[str]) -> str:
    """The new rows as CSV lines in the table's column order (no header)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    frame = report.frame
    assert frame is not None
    for row in frame.reindex(columns=columns, fill_value="").itertuples(index=False):
        w.writerow(["" if v is None else str(v) for v in row])
    return buf.getvalue()


def changelog_with(text: str, entry: str) -> str:
    """Return CHANGELOG text with ``entry`` added as a bullet under ``## [Unreleased]``."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip().lower() == "## [unreleased]":
            j = i + 1
            while j < len(lines) and not lines[j].startswith("## "):
                j += 1
            while j > i + 1 and not lines[j - 1].strip():
                j -= 1
            block = (
                "\n### Added\n"
                if not any(lines[k].startswith("### Added") for k in range(i + 1, j))
                else ""
            )
            return "".join(lines[:j]) + block + f"- {entry}\n" + "".join(lines[j:])
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
        Folders of source texts (default: ``$CHINAAI_STATS_SOURCES``): each row's
        ``value_text`` must be on its locator's line of its source's text, where found.

    Raises
    ------
    AddError
        Some row is invalid or the file holds no rows; nothing was written.
    InputFileError, DatasetNotFoundError
        The file or the table cannot be used at all; nothing was written.
    """
    root = _root_of(datasets)
    res = catalog.resource(table, root)
    table_path = root / "datasets" / res["path"]
    existing = table_path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(existing))
    ids = {r["id"] for r in reader} if "id" in (reader.fieldnames or []) else set()
    report = validate(path, table, existing_ids=ids, root=root)
    check_report(report, texts, root)
    if not report.ok:
        raise AddError(f"{path}: {len(report.errors)} problems; nothing was added", report)
    if report.rows == 0:
        raise AddError(f"{path}: no rows to add; nothing was added", report)
    columns = [f["name"] for f in res["schema"]["fields"]]
    merged = existing if existing.endswith("\n") else existing + "\n"
    merged += _rows_csv(report, columns)
    new_ids = tuple(report.frame["id"]) if "id" in report.frame.columns else ()
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
        changes[changelog] = changelog_with(changelog.read_text(encoding="utf-8"), entry)
    package.commit(changes)
    return AddResult(table, new_ids, tuple(changes), report)

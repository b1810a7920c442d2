"""Hand the data to the tools people use: SQLite/datasette, Parquet, JSON, CSV and Excel.

=========  =====  ==============================================================
format     out    what is written
=========  =====  ==============================================================
sqlite     file   a table per dataset with the Table Schema's column types,
                  primary keys and foreign keys (``source_id`` -> ``sources``,
                  ``indicator`` -> ``indicators``), a ``metadata`` table, and
                  ``<name>.metadata.json`` beside it for ``datasette serve``
parquet    folder a file per table: dates as ``date32``, categories as
                  dictionaries; file metadata ``description``, ``sources``,
                  ``licence``, ``version``; a ``description`` per column
json       folder a file per table (records; dates ``YYYY-MM-DD``; null for missing)
csv        folder a file per table, UTF-8 with a byte-order mark (Excel reads
                  ``千亿`` correctly; ``bom=False`` to omit it); a text cell
                  starting like a formula gets a leading ``'``
xlsx       file   a README sheet, a sheet per table and one of sources
                  (needs ``pip install 'chinaai-stats[xlsx]'``)
=========  =====  ==============================================================

Folder formats also write ``metadata.json`` (version, licence, tables, sources,
column descriptions). Every export writes only where :mod:`chinaai_stats.outputs.outdir`
allows: a new or empty folder, or one chinaai-stats wrote; a file only over one
chinaai-stats wrote.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...core.errors import ChinaAIStatsError, OutputPathError
from ..outdir import output_files, output_folder
from ._tables import FORMULA_POLICIES

if TYPE_CHECKING:  # pragma: no cover
    from ._tables import Table

FORMATS = ("sqlite", "parquet", "json", "csv", "xlsx")
FILE_FORMATS = {"sqlite": "data.sqlite", "xlsx": "chinaai-stats.xlsx"}
_SUFFIX = {"parquet": ".parquet", "json": ".json", "csv": ".csv"}


def sidecar(path: str | os.PathLike[str]) -> Path:
    """The datasette metadata beside a SQLite export: ``x.sqlite`` -> ``x.metadata.json``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.metadata.json")


def export(
    fmt: str,
    out: str | os.PathLike[str],
    *,
    force: bool = False,
    bom: bool = True,
    formulas: str = "quote",
) -> list[Path]:
    """Write every table in ``fmt`` to ``out``; return the files written.

    Parameters
    ----------
    fmt : one of ``sqlite``, ``parquet``, ``json``, ``csv``, ``xlsx``.
    out : a file for ``sqlite`` and ``xlsx``, a folder otherwise. Only a new path, an
        empty folder or an output chinaai-stats wrote before is written
        (:class:`~chinaai_stats.core.errors.OutputPathError` otherwise).
    force : for folder formats, write alongside the files of a folder chinaai-stats did
        not write (never replacing any of them).
    bom : for ``csv``: start each file with a UTF-8 byte-order mark (Excel needs it).
    formulas : what ``csv`` and ``xlsx`` do with a text cell that starts like a spreadsheet
        formula (``=``, ``+``, ``-``, ``@``, tab, carriage return), whatever the data files
        hold: ``"quote"`` (default) writes it as text (CSV: a leading ``'``, as OWASP
        advises; xlsx: a text cell); ``"refuse"`` writes nothing and raises
        :class:`~chinaai_stats.core.errors.FormulaCellError` naming the first such cell.
        Numbers are never changed.

    Examples
    --------
    >>> import chinaai_stats as cs, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "csv"
    >>> [p.name for p in cs.export("csv", folder)][:2]
    ['sources.csv', 'indicators.csv']
    """
    if fmt not in FORMATS:
        raise ChinaAIStatsError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if formulas not in FORMULA_POLICIES:
        raise ChinaAIStatsError(
            f"unknown formulas policy {formulas!r}; use one of {', '.join(FORMULA_POLICIES)}"
        )
    if fmt in FILE_FORMATS and os.fspath(out).endswith(("/", os.sep)):
        raise OutputPathError(
            f"{os.fspath(out)} names a folder; {fmt} writes one file: give a file name "
            f"such as {FILE_FORMATS[fmt]}"
        )
    if fmt == "xlsx":
        from .xlsx import _openpyxl

        _openpyxl()  # a missing extra is reported before anything is written
    from ._tables import check_formulas, package_metadata, tables

    all_tables = tables()
    if formulas == "refuse" and fmt in ("csv", "xlsx"):
        check_formulas(all_tables, fmt)
    meta = package_metadata()
    if fmt in FILE_FORMATS:
        return _export_file(fmt, Path(out), all_tables, meta)
    from . import files

    written = []
    with output_folder(out, output=f"export {fmt}", force=force) as staging:
        for t in all_tables:
            name = f"{t.name}{_SUFFIX[fmt]}"
            if fmt == "parquet":
                files.write_parquet(staging / name, t, meta)
            elif fmt == "json":
                files.write_json(staging / name, t)
            else:
                files.write_csv(staging / name, t, bom=bom)
            written.append(name)
        files.write_metadata(staging / "metadata.json", all_tables, meta)
        written.append("metadata.json")
    return [Path(out) / name for name in written]


def _export_file(fmt: str, out: Path, all_tables: list[Table], meta: dict[str, Any]) -> list[Path]:
    if fmt == "sqlite":
        import json

        from . import sqlite

        targets = [(out, sqlite.is_ours), (sidecar(out), sqlite.is_our_metadata)]
        with output_files(targets, hint=FILE_FORMATS[fmt]) as (db, side):
            sqlite.write_database(db, all_tables, meta)
            data = sqlite.datasette_metadata(out.stem, all_tables, meta)
            side.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
        return [out, sidecar(out)]
    from ...tables.citation import cite
    from . import xlsx

    with output_files([(out, xlsx.is_ours)], hint=FILE_FORMATS[fmt]) as (book,):
        xlsx.write_workbook(book, all_tables, meta, cite(style="text"))
    return [out]

"""Excel workbook export (openpyxl): a README sheet, a sheet per table, a sheet of sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ChinaAIStatsError
from ._tables import Table

WRITER = "chinaai-stats"
README = "README"


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise ChinaAIStatsError(
            "the xlsx export needs openpyxl: pip install 'chinaai-stats[xlsx]'"
        ) from None
    return openpyxl


def _cell(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime().date()
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def _readme_rows(tables: list[Table], meta: dict[str, Any], citation: str) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [meta["title"]],
        [meta["description"]],
        [],
        ["Data version", meta["version"]],
        ["Licence", meta["licence"], meta.get("licence_url", "")],
        ["Rights", meta["rights"]],
        ["Cite as", citation],
        [],
        ["Sheet", "Title", "Rows", "SHA-256 of the table's CSV", "Description"],
    ]
    for t in tables:
        rows.append([t.name, t.title, len(t.frame), t.sha256, t.description])
    rows += [[], ["Sheet", "Column", "Description"]]
    for t in tables:
        rows += [[t.name, c, t.column_description(c)] for c in t.frame.columns]
    return rows


def write_workbook(path: Path, tables: list[Table], meta: dict[str, Any], citation: str) -> None:
    """Write the workbook: README first, then one sheet per table (``sources`` included)."""
    openpyxl = _openpyxl()
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    readme = wb.active
    readme.title = README
    for row in _readme_rows(tables, meta, citation):
        readme.append(row)
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 18
    readme.column_dimensions["B"].width = 40
    for t in tables:
        ws = wb.create_sheet(t.name[:31])
        ws.append(list(t.frame.columns))
        dates = set(t.date_columns())
        for row in t.frame.itertuples(index=False):
            ws.append([_cell(v) for v in row])
        for i, col in enumerate(t.frame.columns, start=1):
            letter = ws.cell(row=1, column=i).column_letter
            ws.cell(row=1, column=i).font = Font(bold=True)
            width = max([len(str(col)), *(len(str(v)) for v in t.frame[col].head(200))])
            ws.column_dimensions[letter].width = min(max(width, 8) + 2, 60)
            if col in dates:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
    props = wb.properties
    props.creator = WRITER
    props.title = meta["title"]
    props.description = f"{meta['description']} Data version {meta['version']}."
    props.version = meta["version"]
    props.keywords = "chinaai-stats"
    wb.save(path)


def is_ours(path: Path) -> bool:
    """Whether ``path`` is a workbook chinaai-stats exported."""
    try:
        openpyxl = _openpyxl()
        wb = openpyxl.load_workbook(path, read_only=True)
    except ChinaAIStatsError:
        raise
    except Exception:  # not a workbook at all
        return False
    try:
        return wb.properties.creator == WRITER and README in wb.sheetnames
    finally:
        wb.close()

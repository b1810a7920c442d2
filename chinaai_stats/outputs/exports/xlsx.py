"""Excel workbook export (openpyxl): a README sheet, a sheet per table, a sheet of sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ...core.errors import ChinaAIStatsError
from ._tables import Table, formula_leading

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


def _text_cells(ws: Any, values: list[Any]) -> list[Any]:
    """``values`` with each formula-leading text as a cell typed text (never a formula).

    openpyxl turns a string starting with ``=`` into a formula; the cell is set back to
    a string and given Excel's quote prefix, so editing it keeps it text.
    """
    from openpyxl.cell import WriteOnlyCell

    out = list(values)
    for i, v in enumerate(out):
        if formula_leading(v):
            cell = WriteOnlyCell(ws, value=v)
            cell.data_type = "s"
            cell.quotePrefix = True
            out[i] = cell
    return out


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
    """Write the workbook: README first, then one sheet per table (``sources`` included).

    Written in openpyxl's streaming mode: rows go to disk as they come. Text is always
    a text cell: one that starts like a formula is typed text with a quote prefix.
    """
    openpyxl = _openpyxl()
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)
    readme = wb.create_sheet(README)
    readme.column_dimensions["A"].width = 18
    readme.column_dimensions["B"].width = 40
    for i, row in enumerate(_readme_rows(tables, meta, citation)):
        if i == 0:
            title = WriteOnlyCell(readme, value=row[0])
            title.font = Font(bold=True, size=14)
            row = [title]
        readme.append(_text_cells(readme, row))
    bold = Font(bold=True)
    for t in tables:
        ws = wb.create_sheet(t.name[:31])
        ws.freeze_panes = "A2"
        columns = list(t.frame.columns)
        for i, col in enumerate(columns, start=1):
            width = max([len(str(col)), *(len(str(v)) for v in t.frame[col].head(200))])
            ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = min(
                max(width, 8) + 2, 60
            )
        header = []
        for col in _text_cells(ws, columns):
            cell = col if isinstance(col, Cell) else WriteOnlyCell(ws, value=col)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        dates = [i for i, c in enumerate(columns) if c in set(t.date_columns())]
        for record in t.frame.itertuples(index=False):
            values: list[Any] = _text_cells(ws, [_cell(v) for v in record])
            for i in dates:
                if values[i] is not None:
                    cell = WriteOnlyCell(ws, value=values[i])
                    cell.number_format = "yyyy-mm-dd"
                    values[i] = cell
            ws.append(values)
    props = wb.properties
    props.creator = WRITER
    props.title = meta["title"]
    props.description = f"{meta['description']} Data version {meta['version']}."
    props.version = meta["version"]
    props.keywords = "chinaai-stats"
    wb.save(path)


def is_ours(path: Path) -> bool:
    """Whether ``path`` is a workbook chinaai-stats exported (its document properties say so)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8")
            workbook = z.read("xl/workbook.xml").decode("utf-8")
    except (OSError, KeyError, UnicodeDecodeError, zipfile.BadZipFile):
        return False
    return f"<dc:creator>{WRITER}</dc:creator>" in core and f'name="{README}"' in workbook

"""What every export writes: the tables as loaded, their metadata and column descriptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...tables import catalog
from ...tables.loader import load, sources

#: Columns the loader adds to the fact tables (not in the CSV files).
DERIVED_COLUMNS = {
    "period_start": (
        "date",
        "First day of the period `as_of` names (computed from `as_of`; empty when undated).",
    ),
    "period_end": (
        "date",
        "Last day of the period `as_of` names (computed from `as_of`; empty when undated).",
    ),
}

#: The unit of a numeric column, stated beside its description: (table or "*", column).
UNITS = {
    ("*", "value"): "in the row's `unit`",
    ("wdi_indicators", "value"): "in the unit of the row's series (`reference_series.unit`)",
    ("*", "stated_usd"): "US dollars",
    ("exchange_rates", "rate"): "the row's `quote` currency per US dollar (e.g. CNY per USD)",
    ("reference_rates", "rate"): "the row's `quote` currency per unit of its `base` currency",
    ("*", "days"): "days",
    ("populations", "population"): "persons",
    ("*", "year"): "calendar year",
}

#: The column naming each row of a table other tables refer to (datasette ``label_column``).
LABEL_COLUMNS = {"sources": "title", "indicators": "label", "reference_series": "title"}


#: How a text cell a spreadsheet would run as a formula starts (OWASP's CSV injection list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: What an export does with such cells: write them as text (``quote``) or refuse (``refuse``).
FORMULA_POLICIES = ("quote", "refuse")


def formula_leading(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet would read as a formula (numbers never are)."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def quoted(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is formula-leading text (OWASP), else as it is."""
    return "'" + value if formula_leading(value) else value


def text_columns(frame: pd.DataFrame) -> list[str]:
    """The columns holding text (object, string or category): the only ones ever quoted."""
    return [
        str(c)
        for c in frame.columns
        if pd.api.types.is_object_dtype(frame[c])
        or pd.api.types.is_string_dtype(frame[c])
        or isinstance(frame[c].dtype, pd.CategoricalDtype)
    ]


def check_formulas(tables: list[Table], fmt: str) -> None:
    """Refuse (``--formulas refuse``) when any text cell of any table is formula-leading."""
    from ...core.errors import FormulaCellError

    for t in tables:
        for c in text_columns(t.frame):
            hits = t.frame[c].map(formula_leading).astype(bool)
            if hits.any():
                row = int(hits.to_numpy().nonzero()[0][0])
                value = str(t.frame[c].iloc[row])
                raise FormulaCellError(
                    f"{t.name}: row {row + 1}, column {c} starts with {value[:1]!r} "
                    f"({value[:40]!r}), which a spreadsheet runs as a formula; nothing was "
                    f"written: fix the data (chinaai-stats validate finds every such cell), or "
                    f"export {fmt} with --formulas quote to write it as text"
                )


def key_fields(fields: str | list[str]) -> list[str]:
    """A Table Schema key's fields as a list (the schema may give one name as a string)."""
    return [fields] if isinstance(fields, str) else list(fields)


@dataclass
class Table:
    """One exported table: its frame and what describes it."""

    name: str
    title: str
    description: str
    frame: pd.DataFrame
    fields: list[dict[str, Any]]
    primary_key: list[str]
    foreign_keys: list[dict[str, Any]]
    sha256: str
    sources: list[dict[str, str]] = field(default_factory=list)

    def column_type(self, column: str) -> str:
        """The Table Schema type of ``column`` (``date`` for the derived period columns)."""
        for f in self.fields:
            if f["name"] == column:
                return str(f.get("type", "string"))
        return DERIVED_COLUMNS.get(column, ("string", ""))[0]

    def column_description(self, column: str) -> str:
        """The column's description, with its unit where it has one."""
        text = next((f.get("description", "") for f in self.fields if f["name"] == column), "")
        text = text or DERIVED_COLUMNS.get(column, ("", ""))[1]
        unit = UNITS.get((self.name, column)) or UNITS.get(("*", column))
        if unit:
            text += f" Unit: {unit}."
        return text.strip()

    def date_columns(self) -> list[str]:
        """Columns holding calendar dates."""
        return [c for c in self.frame.columns if self.column_type(c) == "date"]


def _table_sources(
    frame: pd.DataFrame, res: dict[str, Any], registry: dict[str, dict[str, str]]
) -> list[dict[str, str]]:
    """The sources a table's rows cite (or that its descriptor names)."""
    if res["name"] != catalog.REGISTRY and "source_id" in frame.columns:
        used = set(frame["source_id"].dropna())
        return [_source(registry[s]) for s in registry if s in used]
    return [{"title": s.get("title", ""), "url": s.get("path", "")} for s in res.get("sources", [])]


def _source(row: dict[str, str]) -> dict[str, str]:
    keys = ("id", "title", "publisher", "author", "published", "url")
    return {k: row.get(k, "") for k in keys if row.get(k)}


def tables() -> list[Table]:
    """Every table of the package, the source registry first, then the codebook, then the rest.

    Tables others refer to come first, so a database can check foreign keys as rows arrive.
    """
    desc = catalog.descriptor()
    registry = {row["id"]: row for row in catalog.registry_rows()}
    by_name = {r["name"]: r for r in desc["resources"]}
    out = []
    for name in _referenced_first(by_name):
        res = by_name[name]
        frame = sources() if name == catalog.REGISTRY else load(name)
        out.append(
            Table(
                name=name,
                title=res.get("title", name),
                description=res.get("description", ""),
                frame=frame,
                fields=res["schema"]["fields"],
                primary_key=key_fields(res["schema"].get("primaryKey", [])),
                foreign_keys=[
                    {
                        "fields": key_fields(fk["fields"]),
                        # Table Schema: an empty resource is the table itself
                        "resource": fk["reference"]["resource"] or name,
                        "reference": key_fields(fk["reference"]["fields"]),
                    }
                    for fk in res["schema"].get("foreignKeys", [])
                ],
                sha256=res.get("hash", "").removeprefix("sha256:"),
                sources=_table_sources(frame, res, registry),
            )
        )
    return out


def _referenced_first(by_name: dict[str, dict[str, Any]]) -> list[str]:
    """Table names, the registry first and every table after the tables it refers to."""
    order: list[str] = []

    def visit(name: str, seen: tuple[str, ...] = ()) -> None:
        if name in order or name in seen:
            return
        for fk in by_name[name]["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"]
            if target and target in by_name:
                visit(target, (*seen, name))
        order.append(name)

    for name in [catalog.REGISTRY, *catalog.list_datasets()]:
        visit(name)
    return order


def package_metadata() -> dict[str, Any]:
    """Name, title, description, version, licence and rights of the data, and each table's hash."""
    desc = catalog.descriptor()
    licence = desc["licenses"][0]
    return {
        "name": desc["name"],
        "title": desc["title"],
        "description": desc["description"],
        "version": desc["version"],
        "licence": licence["name"],
        "licence_url": licence.get("path", ""),
        "rights": desc.get("rights", ""),
        "tables": {
            r["name"]: r.get("hash", "").removeprefix("sha256:")
            for r in desc["resources"]
            if r["name"] != catalog.REGISTRY
        },
    }


def iso_dates(series: pd.Series) -> pd.Series:
    """A date column as ``YYYY-MM-DD`` text (missing dates stay missing)."""
    text: pd.Series = series.dt.strftime("%Y-%m-%d").astype("object")
    return text.where(series.notna(), None)

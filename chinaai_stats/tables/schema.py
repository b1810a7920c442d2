"""pandera schemas derived from the Table Schemas in ``schemas/`` (no second copy).

pandera's own Frictionless bridge (``pandera.io.from_frictionless_schema``) reads
these schemas too, but it leaves ``date`` fields as plain strings, ignores
``format: uri`` and knows nothing of the columns the loader adds. This converter
maps each field to the dtype :func:`chinaai_stats.load` produces and each
constraint to a pandera check, so a typed frame can be checked in a pandera
pipeline. The row-level report of :func:`chinaai_stats.validate` is built on the
same Table Schemas and adds the cross-field checks.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import ChinaAIStatsError
from . import catalog


def pandera_schema(name: str) -> Any:
    """Return a ``pandera.pandas.DataFrameSchema`` for frames that ``load(name)`` returns.

    Examples
    --------
    >>> import chinaai_stats as cs
    >>> schema = cs.pandera_schema("talent")
    >>> talent = cs.load("talent")
    >>> len(schema.validate(talent)) == len(talent)
    True
    """
    try:
        import pandera.pandas as pa
    except ImportError:  # pragma: no cover - depends on the environment
        raise ChinaAIStatsError(
            "pandera_schema needs pandera: pip install 'chinaai-stats[pandera]'"
        ) from None

    from .read import csv_dtypes

    res = catalog.resource(name)
    schema = res["schema"]
    dtypes = csv_dtypes(schema)
    columns: dict[str, Any] = {}
    for field in schema["fields"]:
        cons = field.get("constraints", {})
        checks = []
        if "enum" in cons:
            checks.append(pa.Check.isin(cons["enum"]))
        if "pattern" in cons:
            checks.append(pa.Check.str_matches(f"(?:{cons['pattern']})$"))
        if "minimum" in cons:
            checks.append(pa.Check.ge(cons["minimum"]))
        if "maximum" in cons:
            checks.append(pa.Check.le(cons["maximum"]))
        if "minLength" in cons or "maxLength" in cons:
            checks.append(pa.Check.str_length(cons.get("minLength"), cons.get("maxLength")))
        if field.get("format") == "uri":
            checks.append(pa.Check.str_matches(r"https?://\S+$"))
        dtype = dtypes[field["name"]]
        if field.get("type") == "date":
            dtype = "datetime64[ms]"
        columns[field["name"]] = pa.Column(
            dtype,
            checks=checks,
            nullable=not cons.get("required", False),
            unique=bool(cons.get("unique", False)),
            description=field.get("description"),
        )
    if any(f["name"] == "as_of" for f in schema["fields"]):
        for extra in ("period_start", "period_end"):
            columns[extra] = pa.Column("datetime64[ms]", nullable=True, required=False)
    key = schema.get("primaryKey") or None
    return pa.DataFrameSchema(
        columns,
        strict=True,
        unique=key if key and len(key) > 1 else None,
        name=name,
        description=res.get("description"),
        metadata={"title": res.get("title"), "table_schema": f"schemas/{name}.json"},
    )

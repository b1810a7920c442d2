"""chinaai-stats: curated, source-cited statistics on China's AI ecosystem.

>>> import chinaai_stats as cs
>>> cs.list_datasets()[:2]
['user_counts', 'investments']

Loaders import pandas on first use, so importing the package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .core.errors import (
    ChinaAIStatsError,
    DataFileError,
    DatasetNotFoundError,
    DataVersionError,
    ExchangeRateError,
    FormulaCellError,
    InputFileError,
    OutputPathError,
    QuantityParseError,
    UnitError,
)
from .core.version import __version__

# public name -> module that defines it, imported on first access
_LAZY = {
    "list_datasets": "tables.catalog",
    "load": "tables.loader",
    "sources": "tables.loader",
    "describe": "tables.loader",
    "parse_quantity": "reading.parse",
    "Quantity": "reading.parse",
    "convert": "measures.units",
    "check_conversions": "measures.fxcheck",
    "population": "measures.reference",
    "series": "measures.reference",
    "cite": "tables.citation",
    "changes": "tables.changes",
    "compare": "analysis.compare",
    "derived": "analysis.derived",
    "conflicts": "analysis.conflicts",
    "facts": "analysis.facts",
    "timeline": "analysis.timeline",
    "trace": "analysis.timeline",
    "entity": "tables.entities",
    "export": "outputs.exports",
    "write_report": "outputs.report",
    "validate": "contributing.validation",
    "ValidationReport": "contributing.validation",
    "pandera_schema": "tables.schema",
    "extract": "reading.extraction",
}

if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first use
    from .analysis.compare import compare as compare
    from .analysis.conflicts import conflicts as conflicts
    from .analysis.derived import derived as derived
    from .analysis.facts import facts as facts
    from .analysis.timeline import timeline as timeline
    from .analysis.timeline import trace as trace
    from .contributing.validation import ValidationReport as ValidationReport
    from .contributing.validation import validate as validate
    from .measures.fxcheck import check_conversions as check_conversions
    from .measures.reference import population as population
    from .measures.reference import series as series
    from .measures.units import convert as convert
    from .outputs.exports import export as export
    from .outputs.report import write_report as write_report
    from .reading.extraction import extract as extract
    from .reading.parse import Quantity as Quantity
    from .reading.parse import parse_quantity as parse_quantity
    from .tables.catalog import list_datasets as list_datasets
    from .tables.changes import changes as changes
    from .tables.citation import cite as cite
    from .tables.entities import entity as entity
    from .tables.loader import describe as describe
    from .tables.loader import load as load
    from .tables.loader import sources as sources
    from .tables.schema import pandera_schema as pandera_schema

__all__ = [
    "ChinaAIStatsError",
    "DataFileError",
    "DataVersionError",
    "DatasetNotFoundError",
    "ExchangeRateError",
    "FormulaCellError",
    "InputFileError",
    "OutputPathError",
    "QuantityParseError",
    "UnitError",
    "__version__",
    *_LAZY,
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'chinaai_stats' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

"""chinaai-stats: curated, source-cited statistics on China's AI ecosystem.

>>> import chinaai_stats as cs
>>> cs.list_datasets()[:2]
['user_counts', 'investments']

Loaders import pandas on first use, so importing the package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import (
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

__version__ = "0.2.0"

# public name -> module that defines it, imported on first access
_LAZY = {
    "list_datasets": "catalog",
    "load": "loader",
    "sources": "loader",
    "describe": "loader",
    "parse_quantity": "parse",
    "Quantity": "parse",
    "convert": "units",
    "check_conversions": "fx",
    "population": "reference",
    "series": "reference",
    "cite": "citation",
    "compare": "comparison",
    "derived": "comparison",
    "conflicts": "comparison",
    "facts": "comparison",
    "entity": "entities",
    "export": "exports",
    "write_report": "report",
    "validate": "validation",
    "ValidationReport": "validation",
    "pandera_schema": "schema",
    "extract": "extraction",
}

if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first use
    from .catalog import list_datasets as list_datasets
    from .citation import cite as cite
    from .comparison import compare as compare
    from .comparison import conflicts as conflicts
    from .comparison import derived as derived
    from .comparison import facts as facts
    from .entities import entity as entity
    from .exports import export as export
    from .extraction import extract as extract
    from .fx import check_conversions as check_conversions
    from .loader import describe as describe
    from .loader import load as load
    from .loader import sources as sources
    from .parse import Quantity as Quantity
    from .parse import parse_quantity as parse_quantity
    from .reference import population as population
    from .reference import series as series
    from .report import write_report as write_report
    from .schema import pandera_schema as pandera_schema
    from .units import convert as convert
    from .validation import ValidationReport as ValidationReport
    from .validation import validate as validate

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

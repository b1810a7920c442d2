"""Validate rows against a table's Table Schema and the checks a schema cannot express.

Every failing row and check is reported at once, with the file's line number
(the header is line 1), the column, the offending value, what is wrong and how to
fix it. Validation never writes anything.

The package is split by job:

- :mod:`~chinaai_stats.contributing.validation.reading`: a file, pipe or frame into columns of text
  cells, each row with its line;
- :mod:`~chinaai_stats.contributing.validation.fields`: the checks the Table Schemas in ``schemas/``
  state, held to Frictionless (the reference implementation);
- :mod:`~chinaai_stats.contributing.validation.crossfield`: checks across fields and tables;
- :mod:`~chinaai_stats.contributing.validation.existing`: new rows against the rows a table holds
  (what ``add`` refuses or flags);
- :mod:`~chinaai_stats.contributing.validation.report`: the report, streamed as it is written;
- :mod:`~chinaai_stats.contributing.validation.checks`: the name of every check, Table
  Schema's or extra;
- :mod:`~chinaai_stats.contributing.validation.columns`: vectorised helpers over text columns.
"""

from __future__ import annotations

from .checks import EXTRA_CHECKS, SCHEMA_CHECKS, is_extra
from .core import DERIVED_COLUMNS, print_progress, validate
from .crossfield import FX_TOLERANCE
from .fields import MAX_CELL
from .reading import InputFileError
from .report import REPORT_COLUMNS, ValidationReport

__all__ = [
    "DERIVED_COLUMNS",
    "EXTRA_CHECKS",
    "FX_TOLERANCE",
    "MAX_CELL",
    "REPORT_COLUMNS",
    "SCHEMA_CHECKS",
    "InputFileError",
    "ValidationReport",
    "is_extra",
    "print_progress",
    "validate",
]

"""Errors raised by chinaai-stats: one root class and a few specific subclasses."""

from __future__ import annotations


class ChinaAIStatsError(Exception):
    """Root of every error chinaai-stats raises on purpose."""


class DatasetNotFoundError(ChinaAIStatsError, LookupError):
    """An unknown table name; the message lists the names that exist."""


class DataFileError(ChinaAIStatsError, OSError):
    """A data file or descriptor is missing, unreadable or not what it should be."""


class DataBusyError(ChinaAIStatsError):
    """Another process is changing the same clone's data; try again when it finishes."""


class DataVersionError(ChinaAIStatsError):
    """The installed data is not the version a caller pinned."""


class QuantityParseError(ChinaAIStatsError, ValueError):
    """A figure expression that cannot be read exactly."""


class UnitError(ChinaAIStatsError, ValueError):
    """An unknown unit, or a conversion between different dimensions."""


class ExchangeRateError(ChinaAIStatsError, LookupError):
    """No exchange rate covers the period a money figure needs."""


class InputFileError(ChinaAIStatsError, OSError):
    """A file the user named cannot be read as what it should be at all (exit code 2)."""


class OutputPathError(ChinaAIStatsError, OSError):
    """An output path that cannot be written without touching files the user did not name."""


class FormulaCellError(ChinaAIStatsError, ValueError):
    """A text cell a spreadsheet would run as a formula, in an export told to refuse them."""


def did_you_mean(name: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    """Return " (did you mean 'x'?)" for the closest of ``choices`` to ``name``, or ""."""
    from difflib import get_close_matches

    lookup = {str(c).lower(): str(c) for c in choices}
    close = get_close_matches(str(name).lower(), list(lookup), n=2, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(lookup[c]) for c in close) + "?)"

"""Errors raised by chinaai-stats: one root class and a few specific subclasses."""

from __future__ import annotations


class ChinaAIStatsError(Exception):
    """Root of every error chinaai-stats raises on purpose."""


class DatasetNotFoundError(ChinaAIStatsError, LookupError):
    """An unknown table name; the message lists the names that exist."""


class DataFileError(ChinaAIStatsError, OSError):
    """A data file or descriptor is missing, unreadable or not what it should be."""


class DataVersionError(ChinaAIStatsError):
    """The installed data is not the version a caller pinned."""


class QuantityParseError(ChinaAIStatsError, ValueError):
    """A figure expression that cannot be read exactly."""


class UnitError(ChinaAIStatsError, ValueError):
    """An unknown unit, or a conversion between different dimensions."""


class ExchangeRateError(ChinaAIStatsError, LookupError):
    """No exchange rate covers the period a money figure needs."""


class OutputPathError(ChinaAIStatsError, OSError):
    """An output path that cannot be written without touching files the user did not name."""

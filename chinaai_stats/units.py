"""Units of the package: which units each kind of quantity may use."""

from __future__ import annotations

#: Allowed ``unit`` values for each ``dimension`` of the indicator codebook.
DIMENSION_UNITS: dict[str, tuple[str, ...]] = {
    "count": ("count",),
    "money": ("CNY", "USD"),
    "share": ("share",),
    "ratio": ("ratio",),
    "duration": ("second", "minute", "hour", "day"),
    "rank": ("rank",),
}

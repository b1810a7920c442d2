"""Reduced-precision ISO dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Qn``)."""

from __future__ import annotations

import re
from datetime import date

_AS_OF = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})(?:-(\d{2}))?))?$")


def as_of_bounds(text: str | None) -> tuple[date, date] | None:
    """Return the first and last day of a reduced-precision ISO date, or None when empty.

    Parameters
    ----------
    text : str or None
        ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``YYYY-Qn``.

    Examples
    --------
    >>> as_of_bounds("2016-Q3")
    (datetime.date(2016, 7, 1), datetime.date(2016, 9, 30))
    >>> as_of_bounds("2018-02")
    (datetime.date(2018, 2, 1), datetime.date(2018, 2, 28))
    """
    if not isinstance(text, str) or not text:  # None, NaN, pd.NA or empty
        return None
    m = _AS_OF.match(text)
    if not m:
        raise ValueError(f"as_of {text!r} is not YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn")
    year = int(m[1])
    if m[2]:
        q = int(m[2])
        first_month, last_month = 3 * q - 2, 3 * q
    elif m[3]:
        first_month = last_month = int(m[3])
    else:
        first_month, last_month = 1, 12
    if m[4]:
        day = date(year, first_month, int(m[4]))
        return day, day
    nxt = date(year + (last_month == 12), last_month % 12 + 1, 1)
    return date(year, first_month, 1), date.fromordinal(nxt.toordinal() - 1)

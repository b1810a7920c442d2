"""Find every figure in an article and propose it as a candidate row for review.

:func:`extract` reads plain text or markdown, one paragraph per non-blank line
(the ``pN`` locator: the N-th non-blank line), finds each number, widens it to the
few words :func:`~chinaai_stats.reading.parse.parse_quantity` reads as one figure
("超过 45 亿美元", "RMB100 billion (US$15.72 billion)"), and dates it and names
its entity and indicator where the words around it say so. Expressions that look
like figures but cannot be read are listed with the parser's reason in
``review_problem``, never dropped. Years, dates, list numbers, footnote marks,
clock times, phone and version numbers and numbers inside addresses are not
figures and are left out.
"""

from __future__ import annotations

from .rows import COLUMNS, REVIEW_COLUMNS, extract
from .rows import ROW_COLUMNS as ROW_COLUMNS
from .rows import columns_for as columns_for
from .rows import paragraphs as paragraphs
from .rows import publication_date as publication_date

__all__ = ["COLUMNS", "REVIEW_COLUMNS", "extract"]

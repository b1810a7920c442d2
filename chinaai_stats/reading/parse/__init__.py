"""Read figure expressions such as "846 million", "over $4.5 billion" or "约1.2万亿元人民币".

:func:`parse_quantity` turns the few words a source prints around a figure into a
plain number, a canonical unit and a qualifier. It reads English and Chinese
(simplified and traditional) and never guesses: anything it cannot read exactly
raises :class:`~chinaai_stats.core.errors.QuantityParseError` naming the text and the
word it could not read.

Modules: :mod:`.lexicon` (the words it knows, from ``lexicon.json``), :mod:`.numerals`
(digits, English number words, Chinese numerals), :mod:`.patterns` (the matchers and
regular expressions built from them), :mod:`.normalise` (the text made ready to read),
:mod:`.special` (fractions, shares, multiples, ranks), :mod:`.general` (``[currency]
number [magnitude] [unit]``), :mod:`.nouns` (the words after a number) and
:mod:`.grammar` (the order they are read in, brackets and qualifiers).
"""

from __future__ import annotations

from .grammar import MAX_LENGTH, Quantity, parse_quantity
from .lexicon import QUALIFIERS, UNITS

__all__ = ["MAX_LENGTH", "QUALIFIERS", "UNITS", "Quantity", "parse_quantity", "qualifier_fits"]


def qualifier_fits(stated: str, read: str) -> bool:
    """Whether a row's qualifier ``stated`` fits the qualifier its text reads as.

    A row may be more cautious than its words: ``approximately`` for a figure the text
    states flat (a round or spoken figure, ``1.4 billion``), never the other way round.

    >>> qualifier_fits("approximately", "exact"), qualifier_fits("exact", "approximately")
    (True, False)
    """
    return stated == read or (stated == "approximately" and read == "exact")

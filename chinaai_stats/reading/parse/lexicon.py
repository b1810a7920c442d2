"""The words the figure parser knows: qualifiers, fillers, currencies, units, number words.

The words are data, in ``lexicon.json`` beside this module, read once on first use of
any of the names below (nothing is read when the package is imported); this module
builds the derived structures (the traditional-character table, the verbs of change,
the sets) from it. Every phrase is written in lower case and in simplified characters:
the parser folds ASCII case and maps the traditional characters in :data:`TRADITIONAL`
before it matches anything.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

#: Canonical units a figure can be read into.
UNITS = (
    *("count", "USD", "CNY", "HKD", "EUR", "GBP", "JPY", "TWD", "share", "ratio", "rank"),
    *("second", "minute", "hour", "day", "week", "month", "year"),
)
#: The currencies among :data:`UNITS`.
MONEY = ("USD", "CNY", "HKD", "EUR", "GBP", "JPY", "TWD")
#: How a figure bounds the true value.
QUALIFIERS = ("exact", "approximately", "more_than", "less_than", "at_least", "at_most")
APPROXIMATELY = "approximately"
MORE_THAN = "more_than"
#: Most words of a noun phrase after a count ("ten new artificial intelligence unicorn startups").
EN_NOUN_WORDS = 5
#: Abbreviated units after an SI prefix letter (EB, PFLOPS, GW, TWh, Gbps, TOPS).
EN_UNIT_ABBREVIATIONS = (
    r"[kmgtpezy]i?(?:b|bit|bits|bps|byte|bytes|flops|ops|w|wh|hz)|flops|tops|iops"
)

# The names read from lexicon.json on first use (see __getattr__ below).

#: Traditional characters folded to simplified ones before reading (one for one).
TRADITIONAL: dict[int, int]
#: Quotation marks dropped before reading ("“超过”45 亿美元").
QUOTES: str
EN_QUALIFIERS: dict[str, list[str]]
ZH_QUALIFIERS: dict[str, list[str]]
SUFFIX_QUALIFIERS: dict[str, str]
#: Verbs of change before a figure (同比增长17%): read before a percentage only, where the
#: figure is the size of the change; listed among the fillers, as they leave the value as it is.
ZH_CHANGE_VERBS: list[str]
#: Words that add nothing to a figure ("only", "a total of", 仅有, 共计, 排名), the verbs of
#: change, and what the figure measures, named before it (估值40亿美元, 营收1845亿元).
FILLERS: list[str]
#: Currencies: a phrase before or after the number. An unknown currency is a phrase
#: tagged with "?": it is refused by name rather than read as something else.
CURRENCY_PREFIX: list[tuple[str, str]]
CURRENCY_SUFFIX: list[tuple[str, str]]
#: Notes in brackets after a figure that change nothing: "(下同)", the same below.
BRACKET_NOTES: frozenset[str]
#: After ¥ (yuan), these words make the amount yen instead.
YEN_WORDS: tuple[str, ...]
EN_MAGNITUDES: dict[str, int]
#: Plural or slang magnitude words: vague, or not a magnitude the reader can apply.
EN_VAGUE_MAGNITUDES: frozenset[str]
#: Roots of units of measure, alone or after an SI prefix (gigawatts, megapixels, nanometres),
#: as a regular-expression alternation.
EN_UNIT_ROOTS: str
EN_SI_PREFIXES: str
DURATIONS: dict[str, str]
#: Nouns of change after a figure ("a 26% drop", "15 per cent jump"): the figure is its size.
EN_CHANGE_NOUNS: tuple[str, ...]
#: Periods in hyphenated English durations after an article ("a five-year lock-up").
EN_PERIODS: str
#: Adverbs of rate that end a figure ("5% annually"); as adjectives (daily users) they are nouns.
EN_RATE_ADVERBS: frozenset[str]
#: English nouns that may follow a count without changing its unit.
COUNT_NOUNS: frozenset[str]
#: English words after a count that are units of measure or relations: never a noun.
EN_NOT_NOUNS: frozenset[str]
#: Last characters of Chinese units of measure (平方米, 千克, 公里, 毫升, 千瓦时) and of
#: currencies not held (越南盾, 泰铢, 法郎, 卢比, 比索, 第纳尔, 大洋, 美刀).
ZH_UNIT_ENDINGS: frozenset[str]
#: First characters of Chinese units of measure (平方公里, 立方米).
ZH_UNIT_PREFIXES: tuple[str, ...]
#: Chinese units of measure named in full (100平 is square metres; 字节 bytes; 马力 horsepower).
ZH_UNIT_WORDS: tuple[str, ...]
#: Characters after a number that are units, not measure words: refused by name.
ZH_NOT_MEASURE: frozenset[str]
EN_UNITS_WORDS: dict[str, int]
EN_TENS_WORDS: dict[str, int]
EN_FRACTIONS: dict[str, int]
EN_ORDINALS: dict[str, int]
#: Words for a multiple: "doubled", "more than triple".
EN_MULTIPLES: dict[str, int]
ZH_DIGITS: dict[str, int]
ZH_SMALL: dict[str, int]
#: 兆 is 10^12 as Taiwan and Hong Kong write it (before a unit of measure it is "mega").
ZH_LARGE: dict[str, int]
#: After 兆 these make it the SI prefix mega (兆瓦, 兆字节): refused.
ZH_MEGA_UNITS: frozenset[str]
ZH_VAGUE: str
#: Every character of a Chinese numeral: digits, small and large places.
ZH_CHARS: str

#: Names read from the data as they are (JSON objects and strings).
_AS_IS = (
    *("QUOTES", "EN_QUALIFIERS", "ZH_QUALIFIERS", "SUFFIX_QUALIFIERS", "EN_MAGNITUDES"),
    *("DURATIONS", "EN_UNITS_WORDS", "EN_TENS_WORDS", "EN_FRACTIONS", "EN_ORDINALS"),
    *("EN_MULTIPLES", "ZH_DIGITS", "ZH_SMALL", "ZH_LARGE", "ZH_VAGUE"),
)
_SETS = (
    *("BRACKET_NOTES", "EN_VAGUE_MAGNITUDES", "EN_RATE_ADVERBS", "COUNT_NOUNS"),
    *("EN_NOT_NOUNS", "ZH_UNIT_ENDINGS", "ZH_NOT_MEASURE", "ZH_MEGA_UNITS"),
)
_TUPLES = ("YEN_WORDS", "EN_CHANGE_NOUNS", "ZH_UNIT_PREFIXES", "ZH_UNIT_WORDS")
_ALTERNATIONS = ("EN_UNIT_ROOTS", "EN_SI_PREFIXES", "EN_PERIODS")


@cache
def _data() -> dict[str, Any]:
    """lexicon.json, read once."""
    path = Path(__file__).with_name("lexicon.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def words() -> dict[str, object]:
    """Every name of the lexicon read from its data, built once: name -> value."""
    data = _data()
    out: dict[str, object] = {name: data[name] for name in _AS_IS}
    out.update({name: frozenset(data[name]) for name in _SETS})
    out.update({name: tuple(data[name]) for name in _TUPLES})
    out.update({name: "|".join(data[name]) for name in _ALTERNATIONS})
    pairs = data["TRADITIONAL_PAIRS"]
    out["TRADITIONAL"] = str.maketrans("".join(p[0] for p in pairs), "".join(p[1] for p in pairs))
    verbs = [
        f"{when}{verb}{le}"
        for when in data["ZH_CHANGE_WHEN"]
        for verb in (*data["ZH_CHANGE_STEMS"], *data["ZH_CHANGE_SHORT"])
        for le in data["ZH_CHANGE_LE"]
    ]
    out["ZH_CHANGE_VERBS"] = verbs
    out["FILLERS"] = [*data["FILLERS"], *verbs, *data["FILLERS_MEASURED"]]
    for name in ("CURRENCY_PREFIX", "CURRENCY_SUFFIX"):
        out[name] = [(phrase, unit) for phrase, unit in data[name]]
    out["ZH_CHARS"] = "".join([*data["ZH_DIGITS"], *data["ZH_SMALL"], *data["ZH_LARGE"]])
    return out


def __getattr__(name: str) -> object:
    """A name of the lexicon: the data is read on the first one asked for, then kept here."""
    found = words()
    if name not in found:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals().update(found)
    return found[name]


def __dir__() -> list[str]:
    return sorted({*globals(), *words()})

"""What may follow a figure's number: measure words, nouns, and the check that all is read."""

from __future__ import annotations

import re

from . import lexicon as lx
from .numerals import RE_WORD_NUMBER, fail
from .patterns import _RE_CJK_RUN, _RE_EN_NOUN, _RE_RATE, _RE_UNIT_NOUN, _RE_ZH_UNIT_WORD


def _measure_word(rest: str, original: str, *, long_ok: bool = False) -> str:
    """Drop a measure word or noun after a count (8亿人, 700多家, 40所, 5 million users).

    ``long_ok``: the count had a Chinese magnitude (54万标准机架), so a noun of up to
    six characters is read; otherwise more than three is refused (3111 试点工程 is a name).
    """
    if not rest:
        return rest
    if rest.startswith("位数"):
        raise fail(original, "N位数 is a number of digits (a range), not a figure")
    m = _RE_CJK_RUN.fullmatch(rest)
    if m:
        if rest[0] in lx.ZH_NOT_MEASURE or any(
            ch in lx.ZH_CHARS or ch in "第多余几成倍" for ch in rest
        ):
            raise fail(original, f"unknown unit or word {rest!r} after the number")
        if len(rest) > (6 if long_ok else 3):
            raise fail(original, f"{rest!r} after the number is more than a measure word")
        if (
            rest[-1] in lx.ZH_UNIT_ENDINGS
            or rest.startswith(lx.ZH_UNIT_PREFIXES)
            or rest == "平"
            or rest.endswith(lx.ZH_UNIT_WORDS[1:])
        ):
            raise fail(original, f"{rest!r} after the number is a unit of measure")
        unit_word = _RE_ZH_UNIT_WORD.search(rest)
        if unit_word:
            raise fail(original, f"unknown unit or word {rest!r} after the number")
        return ""
    words = rest.split(" ")
    if len(words) <= lx.EN_NOUN_WORDS and all(_RE_EN_NOUN.fullmatch(w) for w in words):
        for w in words:
            plural = len(w) > 4 and w.endswith("s") and w[:-1] in lx.EN_MAGNITUDES  # trillions
            if w in lx.EN_MAGNITUDES or w in lx.EN_VAGUE_MAGNITUDES or plural:
                raise fail(original, f"the magnitude word {w!r} cannot be read here")
        last = words[-1]
        if not any(map(_not_a_noun, words)) and len(last) > 2 and last not in lx.EN_RATE_ADVERBS:
            return ""  # 3D, 50pc, 100bp, 5 mm: a letter or two after a number is a unit
    return rest


def _not_a_noun(word: str) -> bool:
    """A unit of measure or a relation word: never a noun counted by the number before it."""
    return (
        word in lx.EN_NOT_NOUNS
        or word in lx.DURATIONS
        or bool(_RE_UNIT_NOUN.fullmatch(word))
        or bool(RE_WORD_NUMBER.search(word))  # 14th five-year plan: a second number
    )


def _nothing_left(rest: str, original: str) -> None:
    """Fail unless the whole expression has been read."""
    rest = rest.strip()
    if not rest:
        return
    rate = _RE_RATE.search(rest)
    if rate:
        said = rate.group().strip()
        raise fail(original, f"a rate ({said!r}): figures are read as amounts, not per period")
    if re.search(r"\d", rest) or re.search(f"[{lx.ZH_CHARS}]", rest):
        raise fail(original, f"two different numbers with no restatement relation ({rest!r} left)")
    raise fail(original, f"unknown unit or word {rest!r}")

"""The special forms of a figure: fractions, shares (成, 分之), multiples, ages and ranks."""

from __future__ import annotations

import re
from decimal import Decimal

from . import lexicon as lx
from .nouns import _measure_word, _nothing_left
from .numerals import fail, number_of, word_number
from .patterns import (
    _RE_AGE,
    _RE_BEI,
    _RE_CHENG,
    _RE_FOLD,
    _RE_FOLD_BIG,
    _RE_FRACTION,
    _RE_N_IN_M,
    _RE_ORDINAL,
    _RE_RANK,
    _RE_RANK_WORD,
    _RE_SHANG,
    _RE_TIMES,
    _RE_TO_ONE,
    _RE_YEARLIKE,
    _RE_ZH_FRACTION,
    _RE_ZH_LIST,
    _RE_ZH_RANK,
    _ZH_PERIODS,
)


def _share(value: Decimal, original: str) -> Decimal:
    if not 0 <= value <= 1:
        raise fail(original, f"a share of {value:g} is outside 0 to 1")
    return value


def _n_in_m(m: re.Match[str], original: str) -> tuple[Decimal, str, str | None]:
    """ "one in four", "3 out of 10": a share; never a figure followed by "in YEAR"."""
    between = m.group(2).split()
    held = {w for w, _ in lx.CURRENCY_SUFFIX} | set(lx.EN_MAGNITUDES) | lx.EN_VAGUE_MAGNITUDES
    if any(w in held or w.removesuffix("s") in held for w in between):
        raise fail(original, "a figure followed by 'in': give the figure without what follows")
    if not m.group(4) and _RE_YEARLIKE.fullmatch(m.group(3)):
        raise fail(original, f"'in {m.group(3)}' reads as a year, not 'one in N'")
    num, den = number_of(m.group(1), original), number_of(m.group(3), original)
    den *= lx.EN_MAGNITUDES[m.group(4)] if m.group(4) else 1
    if den == 0:
        raise fail(original, "a share out of zero")
    return _share(num / den, original), "share", None


def _special(rest: str, original: str) -> tuple[Decimal, str, str | None] | None:
    """Fractions, shares in 成, multiples, ratios and ranks, or None."""
    m = _RE_FRACTION.fullmatch(rest)
    if m or rest == "half":
        num = number_of(m.group(1), original) if m else Decimal(1)
        parts = lx.EN_FRACTIONS[m.group(2) if m else "half"]
        if num >= parts:  # four quarters, two halves: periods, not a share
            raise fail(original, f"{rest!r} is a whole or more: periods, not a share")
        share = _share(num / parts, original)
        return share, "share", None
    m = _RE_N_IN_M.fullmatch(rest)
    if m:
        return _n_in_m(m, original)
    if rest.startswith(("百分之", "千分之")):
        per = 100 if rest[0] == "百" else 1000
        return _share(number_of(rest[3:], original) / per, original), "share", None
    m = _RE_SHANG.match(rest)
    if m:  # 上亿: reaching a hundred million; 上千家
        _nothing_left(_measure_word(rest[m.end() :], original), original)
        return number_of("1" + m.group(1), original), "count", "at_least"
    if rest in ("一半", "半数", "过半"):
        return Decimal("0.5"), "share", None
    m = _RE_ZH_FRACTION.fullmatch(rest)
    if m:
        den, num = number_of(m.group(1), original), number_of(m.group(2), original)
        if den == 0:
            raise fail(original, "a share out of zero")
        return _share(num / den, original), "share", None
    if rest == "半成":  # half a tenth
        return Decimal("0.05"), "share", None
    m = _RE_CHENG.fullmatch(rest)
    if m:
        tenths = number_of(m.group(1), original)
        extra = m.group(2)
        hundredths = Decimal(5) if extra == "半" else number_of(extra, original) if extra else 0
        more = "more_than" if m.group(3) else None  # 两成多: over two tenths
        return _share((tenths * 10 + hundredths) / 100, original), "share", more
    m = _RE_AGE.fullmatch(rest)
    if m:
        return number_of(m.group(1), original), "year", None
    found = _multiple(rest, original)
    if found is not None:
        return found, "ratio", None
    return _rank(rest, original)


def _multiple(rest: str, original: str) -> Decimal | None:
    if rest.startswith("multiplied by "):
        return number_of(rest[len("multiplied by ") :], original)
    if rest in lx.EN_MULTIPLES:
        return Decimal(lx.EN_MULTIPLES[rest])
    m = _RE_FOLD_BIG.fullmatch(rest)
    if m:
        return Decimal(100 if m.group(1) == "hundred" else 1000)
    m = _RE_FOLD.fullmatch(rest) or _RE_TIMES.fullmatch(rest) or _RE_TO_ONE.fullmatch(rest)
    if m:
        if m.group(1) in ("a", "an"):
            raise fail(original, "a multiplier with no number")
        return number_of(m.group(1), original)
    m = _RE_BEI.fullmatch(rest)
    if m:
        value = number_of(m.group(1), original)
        if m.group(2):  # 一倍七: one and seven tenths times (Hong Kong usage)
            if value != value.to_integral_value():
                raise fail(original, "a decimal before 倍 with a digit after it")
            value += number_of(m.group(2), original) / 10
        return value
    return None


def _rank(rest: str, original: str) -> tuple[Decimal, str, str | None] | None:
    m = _RE_ZH_LIST.fullmatch(rest)
    if m:  # 500强, 百强: within the top N of a list
        return number_of(m.group(1), original), "rank", "at_most"
    m = _RE_ZH_RANK.fullmatch(rest)
    if m:
        if any(ch in lx.ZH_CHARS or ch == "第" for ch in m.group(2)):
            raise fail(original, f"two numbers in {rest!r}")  # 第二和第三
        if m.group(2)[:1] in _ZH_PERIODS:
            raise fail(original, f"{rest!r} names a period, not a figure")
        value = number_of(m.group(1), original)
        return value, "rank", "at_most" if rest[0] == "前" else None
    m = _RE_ORDINAL.fullmatch(rest)
    if m:
        if m.group(2) and _measure_word(m.group(2), original):
            raise fail(original, f"{rest!r} names a period or part, not a rank")
        return Decimal(lx.EN_ORDINALS[m.group(1)]), "rank", None
    m = _RE_RANK_WORD.fullmatch(rest)
    if m:
        return Decimal(word_number(m.group(1)) or 0), "rank", None
    m = _RE_RANK.fullmatch(rest)
    if m and m.group() != m.group(1):
        return Decimal(m.group(1)), "rank", None
    return None

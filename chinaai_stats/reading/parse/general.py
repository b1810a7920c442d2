"""The general form of a figure: [currency] number [magnitude] [percent, currency or unit]."""

from __future__ import annotations

import re
from decimal import Decimal

from ...core.errors import QuantityParseError
from . import lexicon as lx
from .nouns import _measure_word, _nothing_left
from .numerals import (
    RE_HAS_ZH,
    RE_NUMBER,
    RE_WORD_NUMBER,
    RE_ZH_NUMBER,
    dec,
    fail,
    number_of,
    word_number,
    zh_number,
)
from .patterns import (
    _AFTER_HUNDRED,
    _CURRENCY_PREFIX_M,
    _CURRENCY_SUFFIX_M,
    _DURATIONS_LONGEST_FIRST,
    _QUALIFIER_M,
    _RE_CJK,
    _RE_CJK_RUN,
    _RE_DECADES,
    _RE_DOT_THOUSANDS,
    _RE_EN_MAGNITUDE,
    _RE_FOR_EVERY,
    _RE_HYPHEN_UNIT,
    _RE_LEADING_ZERO,
    _RE_OF,
    _RE_ORDINAL_SUFFIX,
    _RE_PER,
    _RE_PERCENT,
    _RE_RELATIVE,
    _RE_SECOND_MAGNITUDE,
    _RE_STRONG,
    _RE_YEAR,
    _RE_ZH_MONTH,
)
from .special import _share, _special


class _CurrencyNotHeld(QuantityParseError):
    """An amount in a currency the package does not hold (NT$, 元 in a Taiwan text)."""


def _ambiguous_dot(rest: str) -> bool:
    """After 5.000 or 1.250: no magnitude or percent follows, so the point may be a separator."""
    rest = rest.strip()
    return not (_RE_EN_MAGNITUDE.match(rest) or _RE_PERCENT.match(rest) or rest[:1] in lx.ZH_LARGE)


def _currency_named(tag: str | None, phrase: str, original: str) -> str | None:
    if tag == "?":
        raise _CurrencyNotHeld(
            f"cannot read {original!r} as a figure: unknown currency {phrase!r} "
            f"(known: {', '.join(lx.MONEY)})"
        )
    return tag


def _read_number(rest: str, original: str) -> tuple[Decimal, str, str | None, bool]:
    """Read the number at the start: (value, what is left, qualifier or None, chinese?)."""
    zh = RE_ZH_NUMBER.match(rest)
    if zh and RE_HAS_ZH.search(zh.group()):
        return _read_zh(zh.group(), rest[zh.end() :], original)
    if rest.startswith("."):
        raise fail(original, "a number starting with a decimal point (are digits missing?)")
    m = RE_NUMBER.match(rest)
    if m:
        if _RE_LEADING_ZERO.match(m.group()):
            raise fail(original, f"{m.group()!r} has a leading zero: a code, not a figure")
        value, rest = dec(m.group()), rest[m.end() :]
        if zh and "几" in zh.group():
            raise fail(original, "几 must follow 十, 百 or 千 (二十几, 三百几十)")
        if rest[:1] in ("多", "余"):
            return _more(value, rest[1:], original)
        return value, rest, None, False
    if rest.startswith(("a ", "an ")):
        after = rest[rest.index(" ") :]
        if _RE_EN_MAGNITUDE.match(after) or after.strip() in (*lx.DURATIONS, "decade"):
            return Decimal(1), after, None, False
    w = RE_WORD_NUMBER.match(rest)
    if w:
        return Decimal(word_number(w.group()) or 0), rest[w.end() :], None, False
    raise fail(original, _no_number(rest))


def _read_zh(numeral: str, rest: str, original: str) -> tuple[Decimal, str, str | None, bool]:
    if numeral.endswith("兆") and rest[:1] in lx.ZH_MEGA_UNITS:
        raise fail(original, f"兆 before {rest[:1]!r} is the SI prefix mega, not 10^12")
    value, vague = zh_number(numeral, original)
    if rest[:1] in ("多", "余"):
        if vague:
            raise fail(original, "几 and 多 together")
        return _more(value, rest[1:], original)
    return value, rest, ("approximately" if vague else None), True


def _more(value: Decimal, rest: str, original: str) -> tuple[Decimal, str, str, bool]:
    """多/余 after a number: "100多万", "700多家", "20余位" (more than the number)."""
    large = re.match(f"[{''.join(lx.ZH_LARGE)}]+", rest)
    if large:
        factor, _ = zh_number("1" + large.group(), original)
        value *= factor
        rest = rest[large.end() :]
    return value, rest, "more_than", True


def _no_number(rest: str) -> str:
    """Say why no number was found at the start of ``rest``."""
    if not rest:
        return "no number"
    first = rest.split()[0]
    known = {*lx.EN_MAGNITUDES, *lx.DURATIONS, *(p for p, _ in lx.CURRENCY_SUFFIX), "percent", "%"}
    if first in known or rest in known or rest[:1] in lx.ZH_LARGE:
        return "a unit or magnitude with no number"
    word = _RE_CJK_RUN.match(rest)
    return f"unknown word {(word.group() if word else first)!r} where a number should be"


def _core(body: str, original: str) -> tuple[Decimal, str, str | None]:
    """Read ``[currency] number [magnitude] [unit]`` -> (value, unit, qualifier or None)."""
    rest = body.strip()
    if not rest:
        raise fail(original, "no number")
    tag, phrase, rest = _CURRENCY_PREFIX_M.take(rest)
    currency = _currency_named(tag, phrase, original)
    said = None
    if currency:  # 人民币约130亿元: the qualifier after the currency word
        said, _, rest = _QUALIFIER_M.take(rest)
    if currency is None:
        special = _special(rest, original)
        if special is not None:
            return special
    m = _RE_YEAR.fullmatch(rest)
    if m:
        raise fail(original, f"{m.group(1)}年 is a calendar year, not a figure")
    if _RE_ZH_MONTH.fullmatch(rest):
        raise fail(original, "a month of the year, not a figure (write N个月 for a duration)")
    before = rest
    value, rest, qualifier, chinese = _read_number(rest, original)
    if rest.startswith("+") and _RE_EN_MAGNITUDE.match(rest[1:]) and not chinese:
        rest, qualifier = rest[1:], qualifier or "at_least"  # 700+ million yuan
    if _RE_ORDINAL_SUFFIX.match(rest):
        raise fail(original, f"an ordinal followed by words it cannot read ({rest!r})")
    if _RE_DOT_THOUSANDS.fullmatch(before[: len(before) - len(rest)]) and _ambiguous_dot(rest):
        raise fail(original, "a point before three digits may separate thousands (5.000)")
    if said and qualifier and said != qualifier:
        raise fail(original, f"conflicting qualifiers ({said}, {qualifier})")
    qualifier = qualifier or said
    # a Chinese magnitude makes a longer noun after it safe to read (54万标准机架)
    numeral = before[: len(before) - len(rest)]
    magnitude_seen = any(ch in lx.ZH_LARGE for ch in numeral)
    rest = rest.strip()
    m = _RE_EN_MAGNITUDE.match(rest)
    english_magnitude = bool(m)
    if m:
        if chinese:
            raise fail(original, "an English magnitude after a Chinese numeral")
        value *= lx.EN_MAGNITUDES[m.group(1)]
        if len(m.group(1)) == 1 and _RE_CJK.match(rest, m.end()):
            tag, _, left = _CURRENCY_SUFFIX_M.take(rest[m.end() :])
            if not tag or left.strip():  # 5M元 is read; 2B业务 may mean "to business"
                raise fail(original, f"{m.group(1)!r} before Chinese words (2B业务: to business?)")
        rest = rest[m.end() :].strip()
        second = _RE_SECOND_MAGNITUDE.match(rest)
        if second and m.group(1) == "hundred" and second.group(1) in _AFTER_HUNDRED:
            value *= lx.EN_MAGNITUDES[second.group(1)]  # five hundred million
            rest = rest[second.end() :].strip()
            second = _RE_SECOND_MAGNITUDE.match(rest)
        if second:
            raise fail(original, "two magnitude words")
    elif rest[:1] in lx.ZH_LARGE and not chinese:
        raise fail(original, f"{rest[:1]} after an English number word")
    m = _RE_PERCENT.match(rest)
    if m:
        if currency:
            raise fail(original, "a currency and a percentage")
        after = _RE_OF.sub("", _RE_RELATIVE.sub("", rest[m.end() :]).strip())
        _nothing_left(_measure_word(after, original) if after else after, original)
        return value / 100, "share", qualifier  # 150% is 1.5: a change can pass 100%
    rest = _RE_STRONG.sub("", rest)
    if currency is None:
        english = _english_after(value, rest, original)
        if english is not None:
            return english[0], english[1], qualifier
    unit, rest = _unit_after(rest, currency, phrase, original)
    if unit == "year" and rest.startswith("半"):
        value, rest = value + Decimal("0.5"), rest[1:]
    if unit == "count":
        rest = _measure_word(rest, original, long_ok=magnitude_seen)
    elif currency and rest.isascii():
        rest = _measure_word(rest, original)  # a $2 billion round: the noun after the amount
    _nothing_left(rest, original)
    if unit == "count" and value != value.to_integral_value():
        raise fail(original, f"a count of {value:g} is not whole: is a magnitude or unit missing?")
    if unit == "count" and "." in numeral and not (magnitude_seen or english_magnitude):
        raise fail(original, f"a count written with a decimal point ({numeral}): a version?")
    return value, unit, qualifier


def _english_after(value: Decimal, rest: str, original: str) -> tuple[Decimal, str] | None:
    """English forms after a number: "and a half years", "24-hour", "decades", "per 1,000"."""
    if rest.startswith("and a half "):
        value, rest = value + Decimal("0.5"), rest[len("and a half ") :]
        if rest not in lx.DURATIONS:
            raise fail(original, f"unknown unit or word {rest!r}")
        return value, lx.DURATIONS[rest]
    m = _RE_HYPHEN_UNIT.match(rest)
    if m:
        _nothing_left(_measure_word(rest[m.end() :].strip(), original), original)
        return value, m.group(1)
    m = _RE_DECADES.fullmatch(rest)
    if m:
        return value * 10, "year"
    m = _RE_PER.fullmatch(rest) or _RE_FOR_EVERY.fullmatch(rest)
    if m:
        for noun in (m.group(1), m.group(3)):
            if noun:
                _nothing_left(_measure_word(noun, original), original)
        den = number_of(m.group(2), original)
        if den == 0:
            raise fail(original, "a rate per zero")
        if m.re is _RE_FOR_EVERY:
            return _share(value / den, original), "share"
        return value / den, "ratio"
    return None


def _unit_after(rest: str, currency: str | None, prefix: str, original: str) -> tuple[str, str]:
    """The currency or duration after the number: (unit, what is left)."""
    per_share = rest.endswith(("/股", "per share"))
    if per_share:
        rest = re.sub(r" ?(?:/股|per share)$", "", rest)
    unit, rest = _unit_word(rest, currency, prefix, original)
    if per_share and unit not in lx.MONEY:
        raise fail(original, "a price per share with no currency")
    return unit, rest


def _unit_word(rest: str, currency: str | None, prefix: str, original: str) -> tuple[str, str]:
    tag, phrase, left = _CURRENCY_SUFFIX_M.take(rest) if rest else (None, "", rest)
    suffix = _currency_named(tag, phrase, original)
    if suffix and not left.strip():
        if currency == "CNY" and prefix == "¥" and phrase in lx.YEN_WORDS:
            return "JPY", ""
        if currency and phrase == "元":  # 港币15.4亿元: 元 is the unit of the named currency
            return currency, ""
        if currency and currency != suffix and not (currency == "CNY" and suffix == "CNY"):
            raise fail(original, f"two currencies ({currency} and {suffix})")
        return suffix, ""
    if currency:
        return currency, rest
    for words, unit in _DURATIONS_LONGEST_FIRST:
        half = unit == "year" and rest[len(words) :] == "半"
        if rest == words or (rest.startswith(words) and half):
            return unit, rest[len(words) :]
    return "count", rest

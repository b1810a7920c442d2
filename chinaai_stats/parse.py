"""Read figure expressions such as "846 million", "over $4.5 billion" or "约1.2万亿元人民币".

:func:`parse_quantity` turns the few words a source prints around a figure into a
plain number, a canonical unit and a qualifier. It reads English and Chinese and
never guesses: anything it cannot read exactly raises
:class:`~chinaai_stats.errors.QuantityParseError` naming the text and the reason.

Canonical units: ``count``, ``USD``, ``CNY``, ``share`` (a fraction of 1),
``ratio`` (a multiplier), ``rank`` (a place, lower is better) and the duration
units ``second``, ``minute``, ``hour``, ``day``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .errors import QuantityParseError

__all__ = ["QUALIFIERS", "UNITS", "Quantity", "parse_quantity"]

UNITS = ("count", "USD", "CNY", "share", "ratio", "rank", "second", "minute", "hour", "day")
QUALIFIERS = ("exact", "approximately", "more_than", "less_than", "at_least", "at_most")


@dataclass(frozen=True)
class Quantity:
    """A figure read from text: ``value`` in ``unit``, bounded as ``qualifier`` says."""

    value: float
    unit: str
    qualifier: str
    text: str


# ---------------------------------------------------------------- vocabulary

_EN_QUALIFIERS = {
    "approximately": [
        "approximately",
        "approx.",
        "approx",
        "about",
        "around",
        "roughly",
        "nearly",
        "almost",
        "some",
        "close to",
        "circa",
        "an estimated",
        "estimated",
        "~",
    ],
    "more_than": [
        "well over",
        "just over",
        "more than",
        "over",
        "above",
        "in excess of",
        "upwards of",
        "exceeding",
    ],
    "less_than": ["just under", "less than", "fewer than", "under", "below"],
    "at_least": ["at least", "no less than", "no fewer than", "a minimum of"],
    "at_most": ["up to", "at most", "no more than", "as many as", "within", "a maximum of"],
}
_ZH_PREFIX_QUALIFIERS = {
    "approximately": ["大约", "大概", "约合", "约", "将近", "接近", "近"],
    "more_than": ["超过", "逾", "超"],
    "less_than": ["不到", "不足", "少于"],
    "at_least": ["至少"],
    "at_most": ["最多", "多达"],
}
_EN_SUFFIX_QUALIFIERS = {
    "or more": "at_least",
    "or so": "approximately",
    "plus": "more_than",
    "+": "more_than",
}
_ZH_SUFFIX_QUALIFIERS = {
    "左右": "approximately",
    "上下": "approximately",
    "以上": "at_least",
    "以下": "at_most",
}
# 多 / 余 between a number and its magnitude or unit: "100多万", "300余亿元"
_ZH_INFIX_MORE = ("多", "余")
_FILLERS = ("just", "only", "a staggering", "a whopping", "a total of", "total of")

_CURRENCY_PREFIX = [
    ("us$", "USD"),
    ("usd", "USD"),
    ("$", "USD"),
    ("rmb", "CNY"),
    ("cny", "CNY"),
    ("¥", "CNY"),
    ("人民币", "CNY"),
]
_CURRENCY_SUFFIX = [
    ("us dollars", "USD"),
    ("u.s. dollars", "USD"),
    ("dollars", "USD"),
    ("dollar", "USD"),
    ("usd", "USD"),
    ("美元", "USD"),
    ("元人民币", "CNY"),
    ("yuan", "CNY"),
    ("renminbi", "CNY"),
    ("rmb", "CNY"),
    ("cny", "CNY"),
    ("人民币", "CNY"),
    ("元", "CNY"),
]

_EN_MAGNITUDES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
_DURATIONS = {
    "seconds": "second",
    "second": "second",
    "secs": "second",
    "sec": "second",
    "minutes": "minute",
    "minute": "minute",
    "mins": "minute",
    "min": "minute",
    "hours": "hour",
    "hour": "hour",
    "hrs": "hour",
    "hr": "hour",
    "days": "day",
    "day": "day",
    "秒": "second",
    "秒钟": "second",
    "分钟": "minute",
    "小时": "hour",
    "天": "day",
}
#: Words that may follow a count without changing its unit.
_COUNT_NOUNS = {
    "people",
    "persons",
    "person",
    "users",
    "user",
    "accounts",
    "account",
    "researchers",
    "researcher",
    "scientists",
    "engineers",
    "employees",
    "staff",
    "cameras",
    "camera",
    "citizens",
    "residents",
    "startups",
    "start-ups",
    "companies",
    "firms",
    "papers",
    "chips",
    "devices",
    "phd",
    "phds",
    "人",
    "名",
    "个",
    "台",
    "家",
    "位",
    "部",
    "篇",
    "颗",
    "亿人",
}

_EN_UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_FRACTIONS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}

_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_ZH_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_ZH_LARGE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_ZH_CHARS = "".join([*_ZH_DIGITS, *_ZH_SMALL, *_ZH_LARGE])

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_EN_WORD = "|".join(sorted([*_EN_UNITS_WORDS, *_EN_TENS_WORDS], key=len, reverse=True))
_EN_NUMBER_WORDS = rf"(?:{_EN_WORD})(?:[- ](?:{_EN_WORD}))?"
_RE_NUMBER = re.compile(rf"^({_NUMBER})")
_RE_WORD_NUMBER = re.compile(rf"^({_EN_NUMBER_WORDS})\b(?:[- ]hundred\b)?", re.IGNORECASE)
_RE_ZH_NUMBER = re.compile(rf"^[0-9.,{_ZH_CHARS}]+")  # checked by _zh_number
_FRACTION_WORDS = (
    r"half|halves|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?"
)
_RE_FRACTION = re.compile(rf"(an?|{_EN_NUMBER_WORDS}|{_NUMBER})[- ]({_FRACTION_WORDS})")
_RE_HALF = re.compile(r"()(half)")
_RE_N_IN_M = re.compile(
    rf"({_EN_NUMBER_WORDS}|{_NUMBER}) (?:in|out of) ({_EN_NUMBER_WORDS}|{_NUMBER})"
)
_RE_FOLD_BIG = re.compile(r"(?:an? )?(hundred|thousand)[- ]?fold")
_RE_FOLD = re.compile(rf"(an?|{_EN_NUMBER_WORDS}|{_NUMBER})[- ]?fold")
_RE_TIMES = re.compile(rf"({_NUMBER}|{_EN_NUMBER_WORDS}) ?(?:x|×|times)")
_RE_BEI = re.compile(rf"([0-9.,{_ZH_CHARS}]+)倍")
_RE_RANK = re.compile(r"(\d+)(?:st|nd|rd|th)(?: place)?")
_RE_ZH_RANK = re.compile(rf"第((?:\d+)|[{_ZH_CHARS}]+)[名位]")
_RE_HAS_ZH = re.compile(f"[{_ZH_CHARS}]")
_RE_ZH_LARGE = re.compile(f"[{''.join(_ZH_LARGE)}]+")
_RE_EN_MAGNITUDE = re.compile(
    r"^[- ]?(thousand|million|billion|trillion|mn|bn|tn|k|m|b)(?![a-z])", re.IGNORECASE
)
_RE_SECOND_MAGNITUDE = re.compile(r"^(thousand|million|billion|trillion)\b", re.IGNORECASE)
_RE_PERCENT = re.compile(r"^(?:%|percent\b|per cent\b|pct\b)", re.IGNORECASE)
_RE_NUMBER_ANY = re.compile(_NUMBER)
_RE_OTHER_DIGIT = re.compile(r"\d")
_RE_RANGE = re.compile(
    rf"(?:\d|[{_ZH_CHARS}])\s*(?:-|to|至|到)\s*(?:\$|¥)?(?:\d|[{_ZH_CHARS}])", re.IGNORECASE
)


# ---------------------------------------------------------------- helpers


def _fail(text: str, reason: str) -> QuantityParseError:
    return QuantityParseError(f"cannot read {text!r} as a figure: {reason}")


class _Matcher:
    """Find one of a set of phrases at the start (or end) of a text, longest first.

    A phrase ending (starting) in a Latin letter must end (start) at a word boundary.
    """

    def __init__(self, pairs: list[tuple[str, str]] | dict[str, str], *, suffix: bool = False):
        items = pairs.items() if isinstance(pairs, dict) else pairs
        self.tags = {phrase.lower(): tag for phrase, tag in items}
        alts = []
        for phrase in sorted(self.tags, key=len, reverse=True):
            body = re.escape(phrase)
            if suffix:
                edge = "(?<![a-z])" if phrase[0].isascii() and phrase[0].isalpha() else ""
                alts.append(edge + body)
            else:
                edge = "(?![a-z])" if phrase[-1].isascii() and phrase[-1].isalpha() else ""
                alts.append(body + edge)
        pattern = "(?:" + "|".join(alts) + ")"
        self.regex = re.compile(pattern + r"\s*$" if suffix else r"^" + pattern, re.IGNORECASE)
        self.suffix = suffix

    def take(self, rest: str) -> tuple[str | None, str]:
        """Return (tag, what is left), or (None, rest) when no phrase matches."""
        m = self.regex.search(rest)
        if not m:
            return None, rest
        tag = self.tags[m.group().strip().lower()]
        return tag, (rest[: m.start()].rstrip(" -") if self.suffix else rest[m.end() :].lstrip())


_CURRENCY_PREFIX_M = _Matcher(_CURRENCY_PREFIX)
_CURRENCY_SUFFIX_M = _Matcher(_CURRENCY_SUFFIX, suffix=True)
_EN_QUALIFIER_M = _Matcher([(p, tag) for tag, ps in _EN_QUALIFIERS.items() for p in ps])
_ZH_QUALIFIER_M = _Matcher([(p, tag) for tag, ps in _ZH_PREFIX_QUALIFIERS.items() for p in ps])
_SUFFIX_QUALIFIER_M = _Matcher({**_EN_SUFFIX_QUALIFIERS, **_ZH_SUFFIX_QUALIFIERS}, suffix=True)
_FILLER_M = _Matcher([(f, "filler") for f in _FILLERS])


def _word_number(words: str) -> int | None:
    """Read English number words up to 999: "seven", "twenty-one", "two hundred"."""
    parts = re.split(r"[- ]+", words.lower().strip())
    total = 0
    current = 0
    for part in parts:
        if part in _EN_UNITS_WORDS:
            current += _EN_UNITS_WORDS[part]
        elif part in _EN_TENS_WORDS:
            current += _EN_TENS_WORDS[part]
        elif part == "hundred":
            current = (current or 1) * 100
        elif part in ("a", "an"):
            current += 1
        else:
            return None
    return total + current


def _dec(token: str) -> Decimal:
    return Decimal(token.replace(",", ""))


def _zh_number(text: str, original: str) -> Decimal:
    """Read a Chinese numeral, digits allowed: 三百五十万, 两千万, 1.2万亿, 8.46亿, 一亿零五."""
    zero = Decimal(0)
    big = zero  # parts at or above 亿
    mid = zero  # the 万 part below 亿
    section = zero  # below 万
    number: Decimal | None = None
    last_small = 10**5
    ceiling: int | None = None  # every part added to `big` must stay below the previous one
    after_zero = False
    last_unit = 1
    i = 0
    while i < len(text):
        ch = text[i]
        m = _RE_NUMBER_ANY.match(text, i)
        if m:
            if number is not None:
                raise _fail(original, "two numbers side by side")
            number = _dec(m.group())
            i += len(m.group())
            continue
        if ch in _ZH_DIGITS:
            if number is not None:
                raise _fail(original, "two numerals side by side")
            d = _ZH_DIGITS[ch]
            if d == 0:
                after_zero = True
            else:
                number = Decimal(d)
            i += 1
            continue
        if ch in _ZH_SMALL:
            unit = _ZH_SMALL[ch]
            if unit >= last_small:
                raise _fail(original, f"{ch} out of order")
            if number is not None and number >= 10:
                raise _fail(original, f"{number:g} before {ch}")
            section += (1 if number is None else number) * unit
            number, last_small, last_unit, after_zero = None, unit, unit, False
            i += 1
            continue
        if ch in _ZH_LARGE:
            unit = _ZH_LARGE[ch]
            pending = section + (number or 0)
            if unit == 10**8 and text[i + 1 : i + 2] in ("亿", "億") and mid == 0:
                unit, i = 10**16, i + 1
            if unit == 10**4:
                if pending == 0 or mid:
                    raise _fail(original, "万 with no number before it, or twice")
                mid = pending * unit
            else:
                part = (mid + pending) * unit
                if part == 0:
                    raise _fail(original, f"{ch} with no number before it")
                if ceiling is not None and part >= ceiling:
                    raise _fail(original, "magnitudes out of order")
                big += part
                # the next part must stay below this one's lowest place
                ceiling = unit * (10**4 if mid and not pending else 1)
                mid = zero
            section, number, last_small, last_unit, after_zero = zero, None, 10**5, unit, False
            i += 1
            continue
        raise _fail(original, f"unexpected character {ch!r} in a Chinese numeral")
    if number is not None and last_unit > 1 and number >= 10:
        raise _fail(original, f"{number:g} after {last_unit:g} is not a single digit")
    if number is not None and last_unit > 10 and not after_zero:
        # 一百五 or 三万五 leave the place of the last digit unsaid
        raise _fail(original, "the place of the last digit is not written (add 十, 百, 千 or 零)")
    return big + mid + section + (number or 0)


def _parse_core(body: str, original: str) -> tuple[Decimal, str, str | None]:
    """Read ``[currency] number [magnitude] [unit]`` -> (value, unit, qualifier or None)."""
    rest = body.strip()
    qualifier = None
    if not rest:
        raise _fail(original, "no number")

    currency, rest = _CURRENCY_PREFIX_M.take(rest)

    low = rest.lower()
    # fractions and "N in M"
    m = _RE_FRACTION.fullmatch(low) or _RE_HALF.fullmatch(low)
    if m and currency is None:
        num = _number_of(m.group(1) or "one", original)
        return _share(num / _EN_FRACTIONS[m.group(2)], original), "share", None
    m = _RE_N_IN_M.fullmatch(low)
    if m and currency is None:
        num, den = _number_of(m.group(1), original), _number_of(m.group(2), original)
        if den == 0:
            raise _fail(original, "a share out of zero")
        return _share(num / den, original), "share", None
    # 百分之二十四
    if rest.startswith("百分之"):
        return _share(_zh_number(rest[3:], original) / 100, original), "share", None
    # multipliers: ten-fold, tenfold, 10x, 10 times, a hundredfold, 10倍
    m = (
        _RE_FOLD_BIG.fullmatch(low)
        or _RE_FOLD.fullmatch(low)
        or _RE_TIMES.fullmatch(low)
        or _RE_BEI.fullmatch(low)
    )
    if m and currency is None:
        word = m.group(1)
        if word in ("hundred", "thousand"):
            return Decimal(100 if word == "hundred" else 1000), "ratio", None
        if word in ("a", "an"):
            raise _fail(original, "a multiplier with no number")
        value = (
            _zh_number(word, original) if _RE_HAS_ZH.search(word) else _number_of(word, original)
        )
        return value, "ratio", None
    # ranks: 11th place, 1st, 第11名
    m = _RE_RANK.fullmatch(low) or _RE_ZH_RANK.fullmatch(rest)
    if m and currency is None:
        g = m.group(1)
        return (Decimal(g) if g.isdigit() else _zh_number(g, original)), "rank", None

    # the number itself
    m = _RE_NUMBER.match(rest)
    zh = _RE_ZH_NUMBER.match(rest)
    if zh and _RE_HAS_ZH.search(zh.group()):
        value = _zh_number(zh.group(), original)
        rest = rest[zh.end() :]
        if rest[:1] in _ZH_INFIX_MORE:
            qualifier, rest = "more_than", rest[1:]
            large = _RE_ZH_LARGE.match(rest)
            if large:
                value *= _zh_number("1" + large.group(), original)
                rest = rest[large.end() :]
    elif m:
        value = _dec(m.group())
        rest = rest[m.end() :]
        if rest[:1] in _ZH_INFIX_MORE:
            qualifier, rest = "more_than", rest[1:]
            large = _RE_ZH_LARGE.match(rest)
            if not large:
                raise _fail(original, "多/余 must stand before a magnitude such as 万 or 亿")
            value *= _zh_number("1" + large.group(), original)
            rest = rest[large.end() :]
    else:
        w = _RE_WORD_NUMBER.match(rest)
        if not w:
            raise _fail(original, _no_number(rest))
        number = _word_number(w.group())
        if number is None:  # the pattern admits number words only; kept as a guard
            raise _fail(original, _no_number(rest))
        value = Decimal(number)
        rest = rest[w.end() :]

    rest = rest.strip()
    chinese = bool(zh and _RE_HAS_ZH.search(zh.group()))
    # magnitude word or abbreviation: million, bn, M, 20-million
    m = _RE_EN_MAGNITUDE.match(rest)
    if m:
        if chinese:
            raise _fail(original, "an English magnitude after a Chinese numeral")
        value *= _EN_MAGNITUDES[m.group(1).lower()]
        rest = rest[m.end() :].strip()
        m2 = _RE_SECOND_MAGNITUDE.match(rest)
        if m2:
            raise _fail(original, "two magnitude words")
    unit = "count"
    m = _RE_PERCENT.match(rest)
    if m:
        if currency:
            raise _fail(original, "a currency and a percentage")
        _nothing_left(rest[m.end() :], original)
        return _share(value / 100, original), "share", qualifier
    suffix_currency, rest = _CURRENCY_SUFFIX_M.take(rest)
    if suffix_currency:
        if currency and currency != suffix_currency:
            raise _fail(original, f"two currencies ({currency} and {suffix_currency})")
        currency = suffix_currency
    if currency:
        unit = currency
    elif rest.lower() in _DURATIONS:
        unit, rest = _DURATIONS[rest.lower()], ""
    if not (unit == "count" and rest.lower() in _COUNT_NOUNS):
        _nothing_left(rest, original)
    return value, unit, qualifier


def _nothing_left(rest: str, original: str) -> None:
    """Fail unless the whole expression has been read."""
    rest = rest.strip()
    if not rest:
        return
    if _RE_OTHER_DIGIT.search(rest) or re.search(f"[{_ZH_CHARS}]", rest):
        raise _fail(original, "two different numbers with no restatement relation")
    raise _fail(original, f"unknown unit or word {rest!r}")


def _no_number(rest: str) -> str:
    """Say why no number was found at the start of ``rest``."""
    if not rest:
        return "no number"
    first = rest.split()[0].lower()
    known = {*_EN_MAGNITUDES, *_DURATIONS, *(p for p, _ in _CURRENCY_SUFFIX), "percent", "%"}
    if first in known or rest.lower() in known:
        return "a unit or magnitude with no number"
    return f"unknown word {rest.split()[0]!r} where a number should be"


def _number_of(token: str, original: str) -> Decimal:
    token = token.strip().lower()
    if token in ("a", "an"):
        return Decimal(1)
    if _RE_NUMBER_ANY.fullmatch(token):
        return _dec(token)
    n = _word_number(token)
    if n is None:
        raise _fail(original, f"{token!r} is not a number")
    return Decimal(n)


def _share(value: Decimal, original: str) -> Decimal:
    if not 0 <= value <= 1:
        raise _fail(original, f"a share of {value:g} is outside 0 to 1")
    return value


def _strip_qualifiers(rest: str) -> tuple[str | None, str]:
    qualifier, rest = _EN_QUALIFIER_M.take(rest)
    if qualifier is None:
        qualifier, rest = _ZH_QUALIFIER_M.take(rest)
    found: str | None = "filler"
    while found:
        found, rest = _FILLER_M.take(rest)
    return qualifier, rest


def _parse_simple(text: str, original: str) -> tuple[float, str, str]:
    rest = text.strip()
    qualifier, rest = _strip_qualifiers(rest)
    suffix_q, rest = _SUFFIX_QUALIFIER_M.take(rest)
    if rest.lower() in ("nan", "inf", "infinity", "-inf", "+inf"):
        raise _fail(original, "not a finite number")
    exact, unit, infix_q = _parse_core(rest, original)
    found = [q for q in (qualifier, suffix_q, infix_q) if q]
    if len(set(found)) > 1:
        raise _fail(original, f"conflicting qualifiers ({', '.join(found)})")
    value = float(exact)
    if not math.isfinite(value):
        raise _fail(original, "not a finite number")
    return value, unit, found[0] if found else "exact"


def parse_quantity(text: str) -> Quantity:
    """Read a figure expression into a number, a canonical unit and a qualifier.

    Parameters
    ----------
    text : str
        A few words as printed in a source: "846 million", "almost 800M",
        "$13.8 billion", "US$2bn", "100 billion yuan", "RMB 100bn", "¥1.5 trillion",
        "24 percent", "nine out of ten", "one in five", "ten-fold", "7 minutes",
        "1,234,567", "约1.2万亿元人民币", "三百五十万", "nearly one in four (24 percent)".

    Returns
    -------
    Quantity
        ``value`` (float, magnitudes applied; shares as fractions of 1), ``unit``
        (count, USD, CNY, share, ratio, rank, second, minute, hour, day), ``qualifier``
        (exact, approximately, more_than, less_than, at_least, at_most) and the ``text``.

    Raises
    ------
    QuantityParseError
        Empty text, a unit or magnitude with no number, a non-finite number, two
        different numbers with no restatement relation, or any word it does not know.

    Examples
    --------
    >>> parse_quantity("over $4.5 billion")
    Quantity(value=4500000000.0, unit='USD', qualifier='more_than', text='over $4.5 billion')
    >>> parse_quantity("约1.2万亿元人民币").value
    1200000000000.0
    >>> q = parse_quantity("nearly one in four (24 percent)")
    >>> (q.value, q.unit, q.qualifier)
    (0.24, 'share', 'approximately')
    """
    if not isinstance(text, str):
        raise QuantityParseError(f"cannot read {text!r} as a figure: not a string")
    norm = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")
    norm = re.sub(r"\s+", " ", norm).strip()
    norm = norm.replace("–", "-").replace("—", "-").replace("−", "-")
    if not norm:
        raise QuantityParseError(f"cannot read {text!r} as a figure: empty text")
    if norm.startswith("-"):
        raise _fail(text, "negative figures are not recorded")
    if _RE_RANGE.search(norm):
        raise _fail(text, "a range; record each end as its own row with at_least/at_most")
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", norm)
    if m:
        outer_v, outer_u, outer_q = _parse_simple(m.group(1), text)
        inner_v, inner_u, inner_q = _parse_simple(m.group(2), text)
        same = outer_u == inner_u and (
            math.isclose(outer_v, inner_v, rel_tol=0.1)
            if outer_q != "exact" or inner_q != "exact"
            else math.isclose(outer_v, inner_v, rel_tol=1e-9)
        )
        if not same:
            raise _fail(text, "two different numbers with no restatement relation")
        qualifier = inner_q if inner_q != "exact" else outer_q
        return Quantity(inner_v, inner_u, qualifier, text)
    if "(" in norm or ")" in norm:
        raise _fail(text, "unbalanced parentheses")
    value, unit, qualifier = _parse_simple(norm, text)
    return Quantity(value, unit, qualifier, text)

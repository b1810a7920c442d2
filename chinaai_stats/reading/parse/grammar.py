"""The grammar of a figure expression: qualifiers, the number, its magnitude and unit.

An expression is read in a fixed order, each step consuming a part of the text:
normalise (NFKC, traditional to simplified, quotes dropped, spaces beside Chinese
characters dropped) -> split off a bracketed restatement -> prefix words
(qualifier, fillers) -> suffix words (以上, or more, 的 + noun) -> one of the
special forms (fractions, 成, multiples, ranks) or ``[currency] number
[magnitude] [percent | currency | duration | measure word]``. Whatever is left
unread is an error naming it. Every step is a regular expression anchored at one
end of the text or a single scan, so time grows linearly with the input.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ...core.errors import QuantityParseError
from . import lexicon as lx
from .numerals import (
    EN_NUMBER_WORDS,
    NUMBER,
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

__all__ = ["Quantity", "parse_quantity"]

#: Longest expression read; a figure expression is a few words.
MAX_LENGTH = 300


@dataclass(frozen=True)
class Quantity:
    """A figure read from text: ``value`` in ``unit``, bounded as ``qualifier`` says.

    ``restated`` is the source's own conversion printed in brackets after the
    figure ("13.8 billion yuan (about 2.1 billion U.S. dollars)"), itself a
    Quantity, or None.
    """

    value: float
    unit: str
    qualifier: str
    text: str
    restated: Quantity | None = None


# ---------------------------------------------------------------- matching helpers

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RE_CJK = re.compile(f"[{_CJK}]")
_RE_CJK_RUN = re.compile(f"[{_CJK}]+")
_RE_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK}%]) | (?=[{_CJK}])")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class _Matcher:
    """Find one of a set of phrases at the start (or end) of a text, longest first.

    A phrase ending (starting) in a Latin letter must end (start) at a word boundary.
    Suffixes are looked up by length in a dictionary, so no pattern is searched.
    """

    def __init__(
        self, pairs: Mapping[str, str] | Iterable[tuple[str, str]], *, suffix: bool = False
    ) -> None:
        items = pairs.items() if isinstance(pairs, dict) else pairs
        self.tags = dict(items)
        self.lengths = sorted({len(p) for p in self.tags}, reverse=True)
        alts = []
        for phrase in sorted(self.tags, key=len, reverse=True):
            edge = "(?![a-z])" if phrase[-1].isascii() and phrase[-1].isalpha() else ""
            alts.append(re.escape(phrase) + edge)
        self.regex = re.compile("^(?:" + "|".join(alts) + ")")
        self.suffix = suffix

    def take(self, rest: str) -> tuple[str | None, str, str]:
        """Return (tag, phrase, what is left), or (None, "", rest) when none matches."""
        if self.suffix:
            return self._take_end(rest)
        m = self.regex.match(rest)
        if not m:
            return None, "", rest
        phrase = m.group()
        return self.tags[phrase], phrase, rest[m.end() :].lstrip()

    def _take_end(self, rest: str) -> tuple[str | None, str, str]:
        text = rest[:-1] if rest.endswith(" ") else rest
        for n in self.lengths:
            phrase = text[-n:]
            if len(phrase) < n or phrase not in self.tags:
                continue
            before = text[-n - 1 : -n]
            if phrase[0].isascii() and phrase[0].isalpha() and "a" <= before <= "z":
                continue
            return self.tags[phrase], phrase, text[:-n].rstrip(" -")
        return None, "", rest


_QUALIFIER_M = _Matcher(
    [
        (p, tag)
        for table in (lx.EN_QUALIFIERS, lx.ZH_QUALIFIERS)
        for tag, ps in table.items()
        for p in ps
    ]
)
_SUFFIX_QUALIFIER_M = _Matcher(lx.SUFFIX_QUALIFIERS, suffix=True)
_CHANGE_VERBS = frozenset(lx.ZH_CHANGE_VERBS)
_FILLER_M = _Matcher([(f, "change" if f in _CHANGE_VERBS else "filler") for f in lx.FILLERS])
_CURRENCY_PREFIX_M = _Matcher(lx.CURRENCY_PREFIX)
_CURRENCY_SUFFIX_M = _Matcher(lx.CURRENCY_SUFFIX, suffix=True)

_FRACTION_WORDS = "|".join(sorted(lx.EN_FRACTIONS, key=len, reverse=True))
_RE_FRACTION = re.compile(rf"(an?|{EN_NUMBER_WORDS}|{NUMBER})[- ]({_FRACTION_WORDS})")
_RE_N_IN_M = re.compile(
    rf"({EN_NUMBER_WORDS}|{NUMBER})((?: [a-z.$]+){{0,2}}) (?:in|out of) (?:every )?"
    rf"({EN_NUMBER_WORDS}|{NUMBER})(?: (thousand|million|billion))?"
)
#: A bare four-digit number after "in": a year ("846 million in 2016"), not a denominator.
_RE_DE_NOUN = re.compile(f"的([{_CJK}]+)$")
_RE_YEARLIKE = re.compile(r"(?:1[89]|2[01])\d\d")
_RE_ZH_FRACTION = re.compile(
    r"([0-9.一二两三四五六七八九十百千万]+)分之([0-9.一二两三四五六七八九十百零]+)"
)
_RE_CHENG = re.compile(r"([一二两三四五六七八九十]|\d)成([一二三四五六七八九]|\d|半)?([多余])?")
_RE_FOLD_BIG = re.compile(r"(?:an? )?(hundred|thousand)[- ]?fold")
_RE_FOLD = re.compile(rf"(?:an? )?(an?|{EN_NUMBER_WORDS}|{NUMBER})[- ]?fold")
_RE_TIMES = re.compile(rf"({NUMBER}|{EN_NUMBER_WORDS}) ?(?:x|×|times)")
_RE_BEI = re.compile(rf"([0-9.,{lx.ZH_CHARS}]+)倍([一二三四五六七八九])?")
_RE_TO_ONE = re.compile(rf"({NUMBER}|{EN_NUMBER_WORDS})(?: to |:)(?:1|one)")
_RE_RANK = re.compile(
    r"(?:no\.? ?|number |#)?(\d+)(?:st|nd|rd|th)?(?: place|[- ][a-z]+est)?"  # 2nd-largest
)
_RE_TOP_SPOT = re.compile(r"(?:the )?top (?:spot|place|position|rank)")
_RE_RANK_WORD = re.compile(r"(?:number|no\.?) (one|two|three|four|five|six|seven|eight|nine|ten)")
_RE_ZH_RANK = re.compile(rf"(?:第|前)(\d+|[{lx.ZH_CHARS}]+)([{_CJK}]{{0,3}})")
_ZH_PERIODS = frozenset("季月周天日")
_RE_ZH_LIST = re.compile(rf"(\d+|[{lx.ZH_CHARS}]+)强")
_RE_ORDINAL = re.compile(
    "(" + "|".join(lx.EN_ORDINALS) + r")(?: place)?(?:[ -]([a-z][a-z-]*(?: [a-z][a-z-]*)?))?"
)
_AFTER_HUNDRED = ("thousand", "million", "billion", "trillion")
_MAGNITUDE_WORDS = "|".join(sorted(lx.EN_MAGNITUDES, key=len, reverse=True))
_RE_EN_MAGNITUDE = re.compile(rf"[- ]?({_MAGNITUDE_WORDS})(?![^\W\d_\u3400-\u9fff])")
_RE_SECOND_MAGNITUDE = re.compile(
    r"(thousand|million|billion|trillion|quadrillion|hundred|dozen|lakhs?|crores?)\b"
)
_RE_UNIT_NOUN = re.compile(
    rf"(?:{lx.EN_SI_PREFIXES})?-?(?:{lx.EN_UNIT_ROOTS})s?|{lx.EN_UNIT_ABBREVIATIONS}"
)
_RE_PERCENT = re.compile(r"(?:%|percent\b|per cent\b|pct\b|percentage points?\b|个?百分点)")
_RE_RANGE = re.compile(
    rf"(?:\d|[{lx.ZH_CHARS}])(?: ?(?:-|to|至|到|~) ?)(?:\$|¥|€|£)?(?:\d|[{lx.ZH_CHARS}])"
)
_RE_RELATIVE = re.compile(r"^ ?(?:more|higher|lower|less|fewer|up|down)$")
_RE_STRONG = re.compile(r"^-strong\b ?")
_RE_HYPHEN_UNIT = re.compile(r"-(second|minute|hour|day|week|month|year)(?:s?-old)?\b")
_RE_DECADES = re.compile(r"decades?")
_NOUNS = r"(?:([a-z][a-z-]*(?: [a-z][a-z-]*){0,2}) )?"
_RE_PER = re.compile(rf"{_NOUNS}per ({NUMBER}|{EN_NUMBER_WORDS})(?: ([a-z][a-z -]*))?")
_RE_FOR_EVERY = re.compile(rf"{_NOUNS}for every ({NUMBER}|{EN_NUMBER_WORDS})(?: ([a-z][a-z -]*))?")
_RE_ZH_UNIT_WORD = re.compile(
    "|".join(
        re.escape(p)
        for p, _ in lx.CURRENCY_SUFFIX + lx.CURRENCY_PREFIX
        if _RE_CJK.match(p) or p in "¥$€£"
    )
    + "|[元币镑年月日天周秒时%]"
)
_RE_EN_NOUN = re.compile(r"[a-z]+(?:-[a-z]+)*")
_RE_AGE = re.compile(rf"(?:aged|age of|at the age of) ({NUMBER}|{EN_NUMBER_WORDS})")
_RE_TOP = re.compile(rf"(?:the )?top[- ]?({NUMBER}|{EN_NUMBER_WORDS})")
_RE_FIRST = re.compile(r"(?:the )?(?:first |前)")
_RE_SHANG = re.compile(r"上(百万|千万|万亿|百|千|万|亿)")
_RE_SUFFIX_FILLER = re.compile(
    rf"(?: |(?<=%))(?:each|apiece|in total|in all|later|old|{'|'.join(lx.EN_CHANGE_NOUNS)})$"
)
_RE_HALF_A = re.compile(r"(?:half an?|a half) (?=(?:thousand|million|billion|trillion)\b)")
_RE_ARTICLE = re.compile(  # "a 26% drop", "a five-year lock-up"
    rf"an? (?=[0-9$€£¥]|us\$|hk\$|rmb|usd|cny|hkd|(?:{EN_NUMBER_WORDS})-(?:{lx.EN_PERIODS})\b)"
)
_RE_CHANGE = re.compile(r"(?:(?:up|down)(?: by)?|by) (?!to\b)(?=[0-9.]|an? |[a-z]+ ?(?:%|times))")
_RE_LEADING_ZERO = re.compile(r"0\d")  # 01024, 00700: stock and other codes
_RE_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b")
_RE_DOT_THOUSANDS = re.compile(r"[1-9]\d{0,2}\.\d{3}")


def _ambiguous_dot(rest: str) -> bool:
    """After 5.000 or 1.250: no magnitude or percent follows, so the point may be a separator."""
    rest = rest.strip()
    return not (_RE_EN_MAGNITUDE.match(rest) or _RE_PERCENT.match(rest) or rest[:1] in lx.ZH_LARGE)


_RE_PERIOD_WORD = re.compile(r"(?:the )?(?:past|last|next|previous|coming|recent|final) ")
_RE_OF = re.compile(r"^of (?:the |its |their |all |total )?(?=[a-z])")  # 15% of revenue
_RE_RATE = re.compile(
    r"\b(?:per|a|an|each|every) (?:second|minute|hour|day|week|month|quarter|year)\b"
    r"|\b(?:annually|yearly|monthly|weekly|daily|hourly)$|/(?:year|yr|month|week|day)$"
)
_RE_YEAR = re.compile(r"(1[89]\d\d|20\d\d|2100) ?年")
_RE_ZH_MONTH = re.compile(r"\d{1,2}月")
_RE_ZH_DAY = re.compile(r"(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日")


def _check_digits(text: str) -> None:
    """Refuse superscript, subscript and circled digits (1536³, ⑩): NFKC would make them plain."""
    nfkc = unicodedata.normalize("NFKC", text)
    if sum(map(str.isdecimal, nfkc)) == sum(map(str.isdecimal, text)):
        return
    for ch in text:
        if not ch.isdecimal() and any(map(str.isdecimal, unicodedata.normalize("NFKC", ch))):
            raise fail(text, f"{ch!r} is a superscript, subscript or circled digit, not a number")


_ZH_INTEGER_CHARS = "零〇一二两三四五六七八九十百千"
_ZH_FRACTION_DIGITS = "零〇一二三四五六七八九"
_RE_ZH_POINT = re.compile(f"(?<=[{_ZH_INTEGER_CHARS}])[.点](?=[{_ZH_FRACTION_DIGITS}])")


def _zh_decimals(s: str) -> str:
    """Write Chinese numerals with a decimal point in digits: 二.五二兆 -> 2.52兆, 三点五 -> 3.5.

    The digits after the point are read one by one; a point followed by 十, 百 or 千
    (两点三十: a clock time) is left alone. One scan: each character is visited at most
    twice.
    """
    out, done = [], 0
    for m in _RE_ZH_POINT.finditer(s):
        start = m.start()
        while start > done and s[start - 1] in _ZH_INTEGER_CHARS:
            start -= 1
        end = m.end()
        while end < len(s) and s[end] in _ZH_FRACTION_DIGITS:
            end += 1
        if start == m.start() or s[end : end + 1] in ("十", "百", "千"):
            continue
        try:
            whole, vague = zh_number(s[start : m.start()], s)
        except QuantityParseError:
            continue
        if vague:
            continue
        digits = "".join(str(lx.ZH_DIGITS[ch]) for ch in s[m.end() : end])
        out.append(s[done:start] + f"{whole}.{digits}")
        done = end
    return "".join(out) + s[done:]


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).translate(lx.TRADITIONAL)
    s = _zh_decimals(s)
    s = "".join(ch for ch in s if ch not in lx.QUOTES)
    s = re.sub(r"\s+", " ", s).strip()
    for dash in "–—−‐":
        s = s.replace(dash, "-")
    s = _RE_SPACE_BY_CJK.sub("", s)
    return s.translate(_ASCII_LOWER)


# ---------------------------------------------------------------- the special forms


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


# ---------------------------------------------------------------- the general form


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


# ---------------------------------------------------------------- qualifiers around it


def _strip_words(rest: str, original: str) -> tuple[str | None, str, str, str]:
    """Take prefix fillers and at most one qualifier, and the suffix qualifier.

    Returns (qualifier or None, the qualifier phrase, what is left, the verb of
    change taken or "").
    """
    qualifier, said, change = None, "", ""
    while True:
        m = _RE_HALF_A.match(rest)
        if m:  # half a million: 0.5 million
            rest = "0.5 " + rest[m.end() :]
            continue
        m = _RE_ARTICLE.match(rest)
        if m:
            rest = rest[m.end() :]
            continue
        if qualifier is None:  # 少于 is a qualifier before 少 is a verb
            tag, phrase, after = _QUALIFIER_M.take(rest)
            if tag:  # 突破了2万辆: 了 after the verb
                qualifier, said, rest = tag, phrase, after.removeprefix("了")
                continue
        tag, phrase, after = _FILLER_M.take(rest)
        if after != rest:
            change = phrase if tag == "change" else change
            rest = after.removeprefix("了")
            continue
        if rest.startswith("每") and _RE_CJK.match(rest, 1) and not RE_HAS_ZH.match(rest, 1):
            if rest[1] in _ZH_PERIODS or rest[1] in "年时秒分":
                raise fail(
                    original, f"a rate ({rest[:2]!r}): figures are read as amounts, not per period"
                )
            rest = rest[2:].lstrip()  # 每股3.85港元: the figure per unit
            continue
        break
    noun = _RE_DE_NOUN.search(rest)  # 60%的利润增长: the noun after the figure
    if noun and not any(ch in lx.ZH_CHARS for ch in noun.group(1)):  # not 水平的两倍
        rest = rest[: noun.start()]
    rest = _RE_SUFFIX_FILLER.sub("", rest)
    suffix, _, rest = _SUFFIX_QUALIFIER_M.take(rest)
    if suffix:
        if qualifier and qualifier != suffix:
            raise fail(original, f"conflicting qualifiers ({qualifier}, {suffix})")
        qualifier = suffix
    return qualifier, said, rest, change


def _traditional_yuan(text: str, rest: str, unit: str, original: str) -> None:
    """元 alone in traditional-character text may be New Taiwan or Hong Kong dollars."""
    if unit != "CNY" or "人民" in rest or "rmb" in rest or "cny" in rest or "¥" in rest:
        return
    if re.search("[億萬兆幣]", text) or "兆" in rest:
        raise _CurrencyNotHeld(
            f"cannot read {original!r} as a figure: "
            "元 in traditional-character text may be New Taiwan or Hong Kong dollars; "
            "write 人民幣 before the amount if it is yuan, or 新台幣 if it is New Taiwan dollars"
        )


_DURATION_UNITS = frozenset(lx.DURATIONS.values())
_DURATIONS_LONGEST_FIRST = sorted(lx.DURATIONS.items(), key=lambda kv: -len(kv[0]))


def _first_period(rest: str, original: str) -> tuple[Decimal, str, str | None] | None:
    """The first 10 months, 前10个月: a duration after "first" / 前, or None."""
    m = _RE_FIRST.match(rest)
    if not m:
        return None
    period = rest[m.end() :]
    if rest.startswith("前") and period.endswith("月") and not period.endswith("个月"):
        period = period[:-1] + "个月"  # 前七月: the first seven months, as 前七个月
    try:
        read = _core(period, original)
    except QuantityParseError:
        return None
    return read if read[1] in _DURATION_UNITS else None


def _parse_simple(text: str, original: str) -> tuple[Decimal, str, str]:
    if _RE_TOP_SPOT.fullmatch(text):  # "the top spot": first place
        return Decimal(1), "rank", "exact"
    m = _RE_TOP.fullmatch(text)
    if m:  # top 10: a rank of 10 or better
        return number_of(m.group(1), original), "rank", "at_most"
    text = text.strip()
    english = _RE_CHANGE.match(text)  # up 48%, down by 5%; 同比增长17% goes with the fillers
    if english:
        text = text[english.end() :]
    qualifier, said, rest, verb = _strip_words(text, original)
    change = english.group().strip() if english else verb
    if rest in ("nan", "inf", "infinity", "-inf", "+inf"):
        raise fail(original, "not a finite number")
    if qualifier is None and _RE_ZH_DAY.fullmatch(rest):
        raise fail(original, "a day of the month, not a figure (write N天 for a duration)")
    value, unit, inner = _first_period(rest, original) or _core(rest, original)
    _traditional_yuan(unicodedata.normalize("NFKC", original), rest, unit, original)
    if said == "近" and unit in _DURATION_UNITS:
        qualifier = None  # 近五年: the past five years, not nearly five
    if qualifier and inner and qualifier != inner:
        raise fail(original, f"conflicting qualifiers ({qualifier}, {inner})")
    # 增长3倍 may mean three or four times the base: a multiple after a Chinese verb is refused
    multiple_ok = unit == "ratio" and english is not None
    if _RE_PERIOD_WORD.match(text) and unit not in _DURATION_UNITS:
        if not (text.startswith("past ") and unit in _MONEY and not qualifier):
            raise fail(original, f"{text!r} names a period, not a figure")  # the last 3 quarters
        qualifier = "more_than"  # past $10 billion: passing it
    if change and unit != "share" and not multiple_ok:
        raise fail(original, f"{change!r} before a figure that is not a percentage or a multiple")
    return value, unit, qualifier or inner or "exact"


def _finite(value: Decimal, original: str) -> float:
    out = float(value)
    if not math.isfinite(out):
        raise fail(original, "not a finite number")
    return out


class _CurrencyNotHeld(QuantityParseError):
    """An amount in a currency the package does not hold (NT$, 元 in a Taiwan text)."""


_RE_LIST_SEP = re.compile(r"[、;；]|[,，](?!\d{3}(?:\D|$))")
_MONEY = frozenset(lx.MONEY)


def _restatements(inner: str, said: str, text: str) -> list[Quantity]:
    """The bracketed conversions "(约190亿美元、新台币5,995亿元)", skipping currencies not held."""
    items = _RE_LIST_SEP.split(inner)
    saids = _RE_LIST_SEP.split(said)
    if len(saids) != len(items):
        saids = items
    kept = [(i, s) for i, s in zip(items, saids, strict=True) if i.strip() not in lx.BRACKET_NOTES]
    items, saids = [i for i, _ in kept], [s for _, s in kept]
    out = []
    for item, item_said in zip(items, saids, strict=True):
        try:
            value, unit, qualifier = _parse_simple(item, text)
        except _CurrencyNotHeld:
            continue
        out.append(Quantity(_finite(value, text), unit, qualifier, item_said.strip()))
    if len(items) > 1 and any(q.unit not in _MONEY for q in out):
        raise fail(text, "a bracketed list that is not a list of conversions")
    return out


def _bracket_note(inner: str, text: str) -> str | None:
    """A bracket with no number: "(下同)" ("the same below") and/or the currency's name.

    Returns the currency word to read before the figure ("" for none), or None when
    the bracket holds a number.
    """
    if re.search(r"\d", inner) or RE_HAS_ZH.search(inner):
        return None
    words = [w.strip() for w in _RE_LIST_SEP.split(inner)]
    words = [w for w in words if w and w not in lx.BRACKET_NOTES]
    if not words:
        return ""
    tag, phrase, left = _CURRENCY_PREFIX_M.take(words[0])
    if len(words) == 1 and tag and not left:
        _currency_named(tag, phrase, text)
        return phrase
    raise fail(text, f"unknown words {inner!r} in brackets")


def _bracketed(norm: str, text: str) -> Quantity | None:
    """A figure and a restatement in brackets, or None when there are no brackets.

    A list of conversions in the brackets keeps the US-dollar one where there is one,
    else the first in a currency held; one in a currency the package does not hold
    (韩元) is skipped, never read as another.
    """
    opens, closes = norm.count("("), norm.count(")")
    if not opens and not closes:
        return None
    i = norm.find("(")
    if opens != 1 or closes != 1 or not norm.endswith(")") or i <= 0:
        raise fail(text, "unbalanced or repeated parentheses")
    note = _bracket_note(norm[i + 1 : -1], text)
    if note is not None:  # (下同), (人民币,下同): a note on the figure, not a conversion
        value, unit, qualifier = _parse_simple(note + norm[:i], text)
        return Quantity(_finite(value, text), unit, qualifier, text)
    ov, ou, oq = _parse_simple(norm[:i], text)
    plain = text.strip()
    j = max(plain.rfind("("), plain.rfind("（"))
    said = plain[j + 1 :].rstrip(")） ").strip()
    inner = _restatements(norm[i + 1 : -1], said, text)
    if not inner:
        if ou not in _MONEY:
            raise fail(text, f"a figure in {ou} with a bracketed amount in a currency not held")
        return Quantity(_finite(ov, text), ou, oq, text)
    if len(inner) == 1 and inner[0].unit == ou:
        iv, iq = inner[0].value, inner[0].qualifier
        loose = oq != "exact" or iq != "exact"
        if not math.isclose(float(ov), iv, rel_tol=0.1 if loose else 1e-9):
            raise fail(text, "two different numbers with no restatement relation")
        return Quantity(iv, ou, iq if iq != "exact" else oq, text)
    other = sorted((q for q in inner if q.unit != ou), key=lambda q: q.unit != "USD")
    if ou in _MONEY and other and all(q.unit in _MONEY for q in inner):
        return Quantity(_finite(ov, text), ou, oq, text, other[0])
    units = ", ".join(sorted({q.unit for q in inner}))
    raise fail(text, f"a figure in {ou} and a bracketed one in {units} are not a restatement")


def parse_quantity(text: str) -> Quantity:
    """Read a figure expression into a number, a canonical unit and a qualifier.

    Parameters
    ----------
    text : str
        A few words as printed in a source: "846 million", "almost 800M",
        "$13.8 billion", "RMB 100bn", "24 percent", "nine out of ten", "ten-fold",
        "7 minutes", "约1.2万亿元人民币", "1.68 亿人", "700 多家", "超七成",
        "3.99 万亿港元", "€2 billion", "more than triple", "第二", or a figure with
        the source's conversion in brackets, "13.8 billion yuan (about 2.1 billion
        U.S. dollars)".

    Returns
    -------
    Quantity
        ``value`` (float, magnitudes applied; shares as fractions of 1), ``unit``
        (one of :data:`UNITS`), ``qualifier`` (one of :data:`QUALIFIERS`), the
        ``text`` and ``restated`` (the bracketed conversion, or None).

    Raises
    ------
    QuantityParseError
        Empty text, a unit or magnitude with no number, a non-finite number, two
        different numbers with no restatement relation, an unknown currency, or any
        word it does not know (named in the message).

    Notes
    -----
    ¥ is read as yuan (CNY), as Chinese texts use it; ``¥... yen`` / ``¥...日元`` is
    JPY. 元 with no currency word in traditional-character text is refused: Taiwan
    and Hong Kong texts use it for their own dollars; with a currency word before the
    amount it is that currency's unit (``新台幣1.5兆元`` is 1.5e12 TWD). 兆 is 10^12
    as Taiwan writes it, except before a unit of measure (兆瓦), where it is refused.
    几 after a place (二十几亿) is read as 0 in that place, qualified ``approximately``.

    Examples
    --------
    >>> q = parse_quantity("over $4.5 billion")
    >>> (q.value, q.unit, q.qualifier, q.restated)
    (4500000000.0, 'USD', 'more_than', None)
    >>> parse_quantity("约1.2万亿元人民币").value
    1200000000000.0
    >>> q = parse_quantity("nearly one in four (24 percent)")
    >>> (q.value, q.unit, q.qualifier)
    (0.24, 'share', 'approximately')
    >>> q = parse_quantity("RMB100 billion (US$15.72 billion)")
    >>> (q.value, q.unit, q.restated.value, q.restated.unit)
    (100000000000.0, 'CNY', 15720000000.0, 'USD')
    """
    if not isinstance(text, str):
        raise QuantityParseError(f"cannot read {text!r} as a figure: not a string")
    if len(text) > MAX_LENGTH:
        raise QuantityParseError(
            f"cannot read {text[:40]!r}... as a figure: longer than {MAX_LENGTH} characters"
        )
    _check_digits(text)
    norm = _normalise(text)
    if not norm:
        raise QuantityParseError(f"cannot read {text!r} as a figure: empty text")
    if norm.startswith("-"):
        raise fail(text, "negative figures are not recorded")
    if _RE_RANGE.search(norm) and not _RE_TO_ONE.fullmatch(norm):
        raise fail(text, "a range; record each end as its own row with at_least/at_most")
    quantity = _bracketed(norm, text)
    if quantity is not None:
        return quantity
    value, unit, qualifier = _parse_simple(norm, text)
    return Quantity(_finite(value, text), unit, qualifier, text)

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
from dataclasses import dataclass
from decimal import Decimal

from ...core.errors import QuantityParseError
from . import lexicon as lx
from .general import _core, _currency_named, _CurrencyNotHeld
from .normalise import _check_digits, _normalise
from .numerals import RE_HAS_ZH, fail, number_of
from .patterns import (
    _CURRENCY_PREFIX_M,
    _DURATION_UNITS,
    _FILLER_M,
    _MONEY,
    _QUALIFIER_M,
    _RE_ARTICLE,
    _RE_CHANGE,
    _RE_CJK,
    _RE_DE_NOUN,
    _RE_FIRST,
    _RE_HALF_A,
    _RE_LIST_SEP,
    _RE_PERIOD_WORD,
    _RE_RANGE,
    _RE_SUFFIX_FILLER,
    _RE_TO_ONE,
    _RE_TOP,
    _RE_TOP_SPOT,
    _RE_ZH_DAY,
    _SUFFIX_QUALIFIER_M,
    _ZH_PERIODS,
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

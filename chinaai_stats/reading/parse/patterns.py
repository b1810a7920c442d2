"""The phrase matchers and regular expressions a figure expression is read with."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from . import lexicon as lx
from .numerals import EN_NUMBER_WORDS, NUMBER

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
_RE_PERIOD_WORD = re.compile(r"(?:the )?(?:past|last|next|previous|coming|recent|final) ")
_RE_OF = re.compile(r"^of (?:the |its |their |all |total )?(?=[a-z])")  # 15% of revenue
_RE_RATE = re.compile(
    r"\b(?:per|a|an|each|every) (?:second|minute|hour|day|week|month|quarter|year)\b"
    r"|\b(?:annually|yearly|monthly|weekly|daily|hourly)$|/(?:year|yr|month|week|day)$"
)
_RE_YEAR = re.compile(r"(1[89]\d\d|20\d\d|2100) ?年")
_RE_ZH_MONTH = re.compile(r"\d{1,2}月")
_RE_ZH_DAY = re.compile(r"(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日")
_DURATION_UNITS = frozenset(lx.DURATIONS.values())
_DURATIONS_LONGEST_FIRST = sorted(lx.DURATIONS.items(), key=lambda kv: -len(kv[0]))
_RE_LIST_SEP = re.compile(r"[、;；]|[,，](?!\d{3}(?:\D|$))")
_MONEY = frozenset(lx.MONEY)

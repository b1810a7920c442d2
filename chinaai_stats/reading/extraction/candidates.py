"""Finding the figures of a line: each number widened to the words the parser reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...core.errors import QuantityParseError
from ..parse import Quantity, parse_quantity
from .masks import _RE_DATE, _RE_LIST_MARK, _RE_NOT_FIGURES, _mask

_RE_NUMBER_CORE = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+| \. \d+)?"  # "1 . 15 亿": a decimal, spaced
    r"|[〇零一二两三四五六七八九十百千万亿兆]*[一二两三四五六七八九十][〇零一二两三四五六七八九十百千万亿兆几]*"
    r"|(?<![数几])[千百万]亿|(?<![数几])[百千]万(?!别|不要|要)|翻了?[一两]番|翻番|(?<=[过超逾破上近])(?:万亿|亿|万(?![一分]))"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a dozen|dozens)\b"
    r"|\b(?:half|a third|a quarter|two-thirds|three-quarters|twice|double|doubled|triple|"
    r"tripled|tripling|quadrupled|ten-fold|tenfold|first|second|third|fourth|fifth|sixth|"
    r"number one)\b",
    re.IGNORECASE,
)
#: Chinese numerals that are words, not figures (统一, 一些, 之一, 百度, 千万别).
_ZH_WORDS = re.compile(
    r"^(?:一|二|两|三|十|百|千|万|亿|几)$|"
    r"一些|一直|一起|一样|一般|一定|一切|一体|一带|一路|一系列|一批|一步|之一|统一|唯一|万一|"
    r"百度|千万别|一边|一方面|一旦|一次性|三星|一流|一线|二维|一度|十分|一项|一家|一个|一名|一位|一款"
)
_ZH_CORE_NUMERALS = frozenset("〇零一二两兩三四五六七八九十")
_MAX_RIGHT = 48
_MAX_LEFT = 24
_MAX_STARTS = 5  # words or characters tried on either side: bounded work per number
_MAX_ENDS = 14


@dataclass
class _Found:
    start: int
    end: int
    quantity: Quantity | None
    problem: str


def _token_ends(line: str, start: int, limit: int) -> list[int]:
    """Positions after each word or Chinese character to the right, up to a separator."""
    ends, i, depth = [], start, 0
    stop = min(len(line), start + limit)
    while i < stop:
        ch = line[i]
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and _stops(line, i):
            break
        if ch.isspace():
            ends.append(i)
        elif ord(ch) > 0x2E80 or not ch.isalnum():
            ends += [i, i + 1]
        i += 1
    ends.append(i)
    return sorted({e for e in ends if e > start})


def _stops(line: str, i: int) -> bool:
    """Does a figure stop at ``line[i]`` (a separator, not a thousands comma)?"""
    ch = line[i]
    if ch == "," and line[i + 1 : i + 4].isdigit():
        return False
    return ch in "。；;!?！？,，、:：[]" or line.startswith(". ", i)


def _token_starts(line: str, end: int, limit: int) -> list[int]:
    """Positions before each word or Chinese character to the left, up to a separator."""
    starts, i = [], end - 1
    stop = max(0, end - limit)
    while i >= stop:
        ch = line[i]
        if ch in "。；;!?！？,，、:：()（）[]" or line.startswith(". ", i):
            break
        if ch.isdigit() or ch in _ZH_CORE_NUMERALS:
            break  # another number: a figure's words to the left never hold one
        if ch.isspace():
            starts.append(i + 1)
        elif ord(ch) > 0x2E80 or not ch.isalnum():
            starts.append(i)
        i -= 1
    starts.append(i + 1)
    return sorted({s for s in starts if s < end}, reverse=True)


def _key(q: Quantity) -> tuple[object, ...]:
    r = q.restated
    return (q.value, q.unit, q.qualifier, None if r is None else (r.value, r.unit))


@lru_cache(maxsize=1 << 14)
def _try(text: str) -> Quantity | str:
    try:
        return parse_quantity(text.strip())
    except QuantityParseError as exc:
        return str(exc).split(": ", 1)[-1]


def _widen(line: str, start: int, end: int) -> _Found:
    """The span around a number that reads as one figure, or the reason none does.

    Every span from a few words before the number to a few words after it is
    read; the widest that reads is kept, then trimmed of words on either side
    that do not change what it reads as ("846 million users" -> "846 million").
    """
    starts = [start, *_token_starts(line, start, _MAX_LEFT)[:_MAX_STARTS]]
    right = _token_ends(line, end, _MAX_RIGHT)
    # the first words, and the close of a bracketed conversion however long it is
    ends = [end, *right[:_MAX_ENDS], *(e for e in right[_MAX_ENDS:] if line[e - 1] in ")）")]
    read: dict[tuple[int, int], Quantity | str] = {}
    for s in starts:
        for e in ends:
            read[(s, e)] = _try(line[s:e])
    good = [(s, e) for (s, e), q in read.items() if isinstance(q, Quantity)]
    if not good:
        stop = _problem_end(line, end)
        problem = read.get((start, stop)) or read[(start, end)]
        return _Found(start, stop, None, str(problem) or "not read")

    def same(s: int, e: int, key: tuple[object, ...]) -> bool:
        q = read.get((s, e))
        return isinstance(q, Quantity) and _key(q) == key

    spans = set()
    for s, e in good:  # trim each reading to the words that make it what it is
        key = _key(read[(s, e)])  # type: ignore[arg-type]
        e = min(x for x in ends if x <= e and same(s, x, key))
        s = max(x for x in starts if x >= s and same(x, e, key) and _filler(line[s:x]))
        spans.add((e - s, -s, s, e))
    _, _, s0, e0 = max(spans)
    return _Found(s0, e0, read[(s0, e0)], "")  # type: ignore[arg-type]


def _filler(words: str) -> bool:
    """Words before a figure that add nothing to it ("only", "the", 为), or none."""
    from ..parse.lexicon import FILLERS

    words = words.strip().lower()
    return not words or words in FILLERS or words in ("a", "an", "of", "at")


def _problem_end(line: str, end: int) -> int:
    ends = _token_ends(line, end, 12)
    return ends[0] if ends and not line[end : ends[0]].isspace() else end


_RE_LONE_WORD = re.compile(
    r"(?i)(?:(?:above|over|the|some|about) )?"
    r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|first)(?: or more)?"
)
_RE_DISCOURSE = re.compile(r"(?i)(?:first|second|third|fourth|fifth|sixth)(?:ly)?")
_RE_RANGE_AFTER = re.compile(
    r"\s?(?:-|–|—|~|～|to|至|到|或|or)\s?(?:\$|US\$|RMB|¥)?\s?\d"
)  # a range, or alternatives (26 或 27 款): one figure for the reviewer to settle
_RE_YEARISH = re.compile(r"(?:19|20)\d{2}")


def _is_year(found: _Found, line: str) -> bool:
    text = line[found.start : found.end].strip()
    return bool(_RE_YEARISH.fullmatch(text))


def _figures_in_line(line: str) -> list[_Found]:
    norm = line  # parse_quantity normalises; offsets stay those of the line
    masked = bytearray(len(norm) + 1)
    spans = _mask(norm, _RE_NOT_FIGURES) + _mask(norm, _RE_DATE)
    m = _RE_LIST_MARK.match(norm)
    if m:
        spans.append((0, m.end()))
    for a, b in spans:
        masked[a:b] = b"\x01" * (b - a)
    out: list[_Found] = []
    taken = 0
    for m in _RE_NUMBER_CORE.finditer(norm):
        if m.start() < taken or masked[m.start()]:
            continue
        if _zh_word(norm, m):
            continue
        rng = _RE_RANGE_AFTER.match(norm, m.end())
        if rng and m.group()[0].isdigit() and not _change_before(norm, m.start()):
            end = _problem_end(norm, rng.end())
            nxt = _RE_NUMBER_CORE.match(norm, rng.end() - 1)
            end = max(end, _widen(norm, nxt.start(), nxt.end()).end if nxt else end)
            cur = _RE_CURRENCY_BEFORE.search(norm, max(0, m.start() - 5), m.start())
            start = cur.start() if cur else m.start()
            got = _try(line[start:end])
            out.append(_Found(start, end, None, got if isinstance(got, str) else "a range"))
            taken = end
            continue
        found = _widen(norm, m.start(), m.end())
        if found.start < taken:
            continue  # overlaps the figure before it
        joined = _range_with_units(norm, found)
        if joined is not None:  # "310亿元人民币至340亿元": one range, not two figures
            out.append(joined)
            taken = joined.end
            continue
        if found.quantity is not None and _is_year(found, norm):
            continue
        if found.quantity is None and not re.search(r"\d", line[m.start() : m.end()]):
            if not _RE_OVER_MAGNITUDE.match(norm, max(0, m.start() - 1)):
                continue  # a word such as "second" that is not a figure here
            found = _Found(m.start() - 1, found.end, None, found.problem)  # 过亿: listed
        if found.quantity is not None and _RE_LONE_WORD.fullmatch(norm[found.start : found.end]):
            continue  # "one of the most", "only one part": a word, not a figure
        if _bare_zero(norm, found):
            continue  # "Views: 0": a counter, not a figure (0票反对 is one)
        if _discourse(norm, found):
            continue  # "Second, ...": a list in prose
        cut = _RE_MAGNITUDE_AFTER.match(norm, found.end)
        if found.quantity is not None and cut:  # "more than half a billion": not "half"
            got = _try(norm[found.start : cut.end()])
            if isinstance(got, str):
                found = _Found(found.start, cut.end(), None, got)
        elif _small_word_count(norm, found):
            continue  # "two rounds", 三座: a count of ten or fewer in words, incidental
        out.append(found)
        taken = found.end
    return out


#: A magnitude or a currency right after a reading: if the parser refuses the figure with
#: it ("168.54億元": whose dollars?), the reading stopped short and would be wrong.
_RE_MAGNITUDE_AFTER = re.compile(
    r"(?i)\s?(?:of\s)?(?:an?\s)?(?:hundred|thousand|million|billion|trillion|bn|mn)\b"
    r"|\s?(?:[万亿兆萬億]|百万|千万|[百千](?![分之]))"
    r"|\s?(?:[元圆圓块塊]|美元|港元|港幣|yuan|dollars?|euros?|yen|pounds?)"
)
_RE_RANGE_JOIN = re.compile(
    r"(?i)(?:人民币|元|美元|港元|rmb|yuan|dollars)?\s?(?:-|–|—|~|～|至|到|to|或|or)\s?"
)
_RE_CURRENCY_BEFORE = re.compile(r"(?i)(?:US\$|HK\$|NT\$|RMB|\$|¥|￥|€|£)\s?$")
#: Words before a figure that make "X to Y" a change (rose from X to Y), not a range.
_RE_CHANGE_BEFORE = re.compile(
    r"(?i)(?:from|rose|grew|fell|increased|decreased|jumped|dropped|up|down|从|由|增长|"
    r"上升|下降|下跌|提升|增加|减少|升|降|增|跌|涨)\s?(?:US\$|HK\$|RMB|\$|¥|￥|€|£)?\s?$"
)


def _change_before(line: str, start: int) -> bool:
    """Is the figure at ``start`` the start of a change ("from X to Y"), not a range?"""
    return bool(_RE_CHANGE_BEFORE.search(line, max(0, start - 16), start))


def _range_with_units(line: str, found: _Found) -> _Found | None:
    """Two figures of one unit joined by 至/to/-, each with its words: one range."""
    q = found.quantity
    join = _RE_RANGE_JOIN.match(line, found.end)
    if q is None or join is None or _change_before(line, found.start):
        return None
    nxt = _RE_NUMBER_CORE.search(line, join.end(), min(len(line), join.end() + 6))
    if nxt is None or not nxt.group()[0].isdigit():
        return None
    second = _widen(line, nxt.start(), nxt.end())
    if second.quantity is None or second.quantity.unit != q.unit or second.start > join.end() + 4:
        return None
    problem = "a range; record each end as its own row with at_least/at_most"
    return _Found(found.start, second.end, None, problem)


def _bare_zero(line: str, found: _Found) -> bool:
    """A zero with no word of what it counts after it."""
    if line[found.start : found.end].strip() != "0":
        return False
    after = line[found.end : found.end + 2].lstrip()
    return not after or not (after[0].isalpha() or after[0] == "%")


def _small_word_count(line: str, found: _Found) -> bool:
    q = found.quantity
    text = line[found.start : found.end]
    return bool(q and q.unit == "count" and q.value <= 10 and not re.search(r"\d", text))


def _discourse(line: str, found: _Found) -> bool:
    text = line[found.start : found.end]
    before = line[max(0, found.start - 8) : found.start].strip(" *_#>-")
    before = before if found.start <= 8 else before or "…"
    after = line[found.end : found.end + 1]
    return bool(_RE_DISCOURSE.fullmatch(text)) and (not before or after == ",")


_RE_OVER_MAGNITUDE = re.compile(r"[过超逾破上近](?:千万|百万|万亿|亿|万)")


def _zh_word(line: str, m: re.Match[str]) -> bool:
    """A Chinese numeral that is part of a word (统一, 一些) rather than a figure."""
    word = m.group()
    if not _ZH_WORDS.search(word) or re.search(r"\d", word):
        return False
    return (_ZH_WORDS.fullmatch(word) is not None or len(word) < 2) and not _zh_figure_context(
        line, m.end(), m.start()
    )


def _zh_figure_context(line: str, end: int, start: int) -> bool:
    """A lone Chinese numeral is a figure after 第 or 前, or before a magnitude, 成, 倍 or %."""
    if line[max(0, start - 1) : start] in ("第", "前"):
        return True
    if _RE_OVER_MAGNITUDE.match(line, max(0, start - 1), end):
        return True  # 过亿, 破万: a magnitude over which the figure lies
    return bool(
        re.match(
            r"\s?(?:[十百千万亿兆倍]|成(?![功为长本立员果绩熟交就型品])|个?百分点|%|分之|半(?![导岛]))",
            line[end : end + 4],
        )
    )

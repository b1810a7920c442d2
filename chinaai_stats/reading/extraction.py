"""Find every figure in an article and propose it as a candidate row for review.

:func:`extract` reads plain text or markdown, one paragraph per non-blank line
(the ``pN`` locator: the N-th non-blank line), finds each number, widens it to the
few words :func:`~chinaai_stats.reading.parse.parse_quantity` reads as one figure
("超过 45 亿美元", "RMB100 billion (US$15.72 billion)"), and dates it and names
its entity and indicator where the words around it say so. Expressions that look
like figures but cannot be read are listed with the parser's reason in
``review_problem``, never dropped. Years, dates, list numbers, footnote marks,
clock times, phone and version numbers and numbers inside addresses are not
figures and are left out.
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ..core.errors import ChinaAIStatsError, QuantityParseError
from .parse import Quantity, parse_quantity

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["COLUMNS", "REVIEW_COLUMNS", "extract"]

#: The columns of a table row (the widest table template, investments).
ROW_COLUMNS = [
    "id",
    "entity",
    "entity_type",
    "indicator",
    "value",
    "unit",
    "qualifier",
    "value_text",
    "stated_usd",
    "stated_usd_text",
    "as_of",
    "as_of_basis",
    "kind",
    "target_period",
    "source_id",
    "locator",
    "primary_source",
    "primary_source_url",
    "notes",
]
#: Review-only columns: delete them after review; validate and add refuse them.
REVIEW_COLUMNS = ["review_table", "review_problem", "review_restated", "review_context"]
COLUMNS = ROW_COLUMNS + REVIEW_COLUMNS

# ---------------------------------------------------------------- what is not a figure

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTHS_LONG = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
_MONTH_NUMBER = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_ZH_NUM = "〇零一二三四五六七八九十"
_NOT_FIGURES = [
    r"https?://\S+|www\.\S+|\]\([^)\s]*\)|<[^>]*>"
    # a file name: from the start of its word only, so a long word is read once, not
    # once per character (a 100 kB line of letters was quadratic)
    r"|(?<!\S)\S+\.(?:png|jpe?g|gif|svg|webp|html?)\b",
    r"\[\^?\d+\]|\^\d+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+",  # footnote marks
    r"(?<=[A-Za-z%][,.;:])\d{1,2}(?=\s|$)",  # a footnote after a word: "the quarter,1 which"
    r"(?<!\d)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[ap]\.?m\.?|Z)?"
    r"|\b\d{1,2}\s?[ap]\.m\.",  # clock times
    r"(?<![\w\]\[(])/[\w./-]+|\b[\w.-]+/[\w./-]*[A-Za-z][\w./-]*"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b",  # paths, 24/7
    r"\b(?:(?:in|over|during|within) )?(?:the )?(?:past|last|next|coming) (?:\w+ )?"
    r"(?:years?|decades?|months?|weeks?|days?)(?: or so)?",  # periods, not figures
    r"\b\w+ (?:years?|decades?|months?|weeks?|days?) (?:ago|later|earlier)\b",
    r"\bin (?:\w+ )?(?:years?|months?|weeks?|days?)\b",
    r"第[一二三四1-4](?:\s?[和、及至到-]\s?第?[一二三四1-4])*\s?季度?",  # quarters
    r"(?:近|过去的?|過去的?|未来的?|未來的?|最近|前|累[计計])\s?[\d一二两三四五六七八九十几]{1,4}\s?"
    r"(?:[个個]?月|年|周|天|[个個]?星期|[个個]?季度)"
    r"|[\d一二两三四五六七八九十几多]{1,3}\s?年前"
    # a period around another figure: 五年内, 三年来, 六个月后, 6 个月的(合计)
    r"|[\d一二两三四五六七八九十几]{1,4}\s?[个個]?(?:年|月|周|天|星期|小时|小時|季度)"
    r"(?:之?[内內]|以[来來]|[来來]|之?[后後]|以[后後]|之?前|以前|[间間])"
    r"|[\d一二两三四五六七八九十几]{1,4}\s?(?:[个個](?:月|星期|小时|小時|季度)|周|天)的"
    r"(?!时间|时候|時間)",  # 6 个月的合计 is a period; 不到 2 个月的时间 is the figure
    # ages that define a group: 18-35 岁, aged 18 to 35
    r"\d{1,3}\s?(?:-|–|~|～|至|到)\s?\d{1,3}\s?(?:周?岁|周?歲)"
    r"|\b(?:aged|ages)\s\d{1,3}\s?(?:-|–|to)\s?\d{1,3}\b",
    r"(?:上午|下午|晚上|凌晨)?\d{1,2}(?:点|时)(?:\d{1,2}分)?(?=\W|$)",
    r"\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d{2,4}){2,}\b"
    r"|\(?\b0\d{2,3}\)?[- ]\d{3,4}[- ]?\d{4}\b|\(\d{3}\) ?\d{3}-\d{4}\b",  # phone numbers
    r"\b[vV]?\d+(?:\.\d+){2,}\b|\b(?:version|v|ios|android|windows|python)\s?\d+(?:\.\d+)*",
    r"(?<!\d)\d+(?:\.\d+)?版本?",  # from the first digit only: linear on a run of digits
    # names holding a number (GPT-4, Apollo L4, 5G, 36Kr), also when Chinese follows them
    r"(?<![A-Za-z0-9])(?!(?:us|rmb|hk|nt|cny|usd|eur|gbp|jpy|hkd|no)\$?\d)"
    r"[A-Za-z]+-?\d+(?:\.\d+)?[A-Za-z]*(?![A-Za-z0-9])",
    r"(?<![A-Za-z0-9.])\d+(?:[Gg]|D)(?![A-Za-z0-9])",  # 5G, 3D
    # screen resolutions: 4K/超高清, 8K TV, 1080p
    r"(?<![\d.])[48]K(?=\s?(?:/|超高清|高清|UHD|HDR|video|TV|电视|電視|屏|分辨率|resolution|display))"
    r"|\b(?:720|1080|1440|2160)[pP]\b",
    # an N-year high or low: 创七年新高
    r"[\d一二两三四五六七八九十几]{1,3}\s?年(?:来的?|來的?)?(?:新高|新低|最高|最低)",
    r"(?<![A-Za-z0-9.])\d+(?!(?:bn|mn|tn|st|nd|rd|th|s|x|k|m|b|pct|mln|bln|trn)(?![A-Za-z]))"
    r"[A-Za-z]{2,}(?![A-Za-z])",  # 36Kr
    # stock codes: 0700.HK, (09888-HK), (002624), 股票代码 700
    r"\b\d{4,6}[.-](?:HK|SH|SZ|SS|US)\b|[(（]\s?\d{5,6}\s?[)）]"
    r"|(?<=[\u4e00-\u9fffA-Za-z])\s?[(（]\d{4}[)）]"
    r"|(?:股票代码|证券代码|代码|ticker|stock code)[:：]?\s?\d{3,6}",
    # identifiers: 公告编号:2023-028, 文号
    r"(?:编号|文号|序号|批号)[:：]?\s?[\w-]+",
    # shopping festivals named by their date
    r"\b11\.11\b|双\s?(?:11|十一|12|十二)|\b6\.18\b",
    # a number inside a name: companies, plans and models
    r"第四范式|三一重工|四维图新|五粮液|三六零|58同城|一汽|三只松鼠|二三四五|九号公司"
    r"|第三方|第一时间|第一手|第一线|Made in China 2025|Vision 20\d\d",
    # levels of driving automation: 4 级自动驾驶, level 4 autonomy
    r"[\d一二三四五]\s?级(?=\s?(?:自动|无人|完全|驾驶|汽车|车辆|功能))|\blevel[- ][0-5]\b",
    # a duration used as an adjective: three-year-old, a five-year plan, 24-hour
    r"\b[\w.]+-(?:year|month|week|day|hour|minute)s?(?:-old|-long)?\b",
    r"\b(?:figure|fig\.|table|chart|exhibit)\s?\d+|[图表]\s?\d+",
    r"\b(?:one|two|three|four|five|first|second|third|fourth|fifth)[- ]"
    r"(?:generation|tier|step|party|class)\b",  # names, not quantities
]
_RE_NOT_FIGURES = re.compile("|".join(f"(?:{p})" for p in _NOT_FIGURES), re.IGNORECASE)
_RE_ADDRESS = re.compile(_NOT_FIGURES[0], re.IGNORECASE)
_RE_LIST_MARK = re.compile(
    r"^\s*(?:[-*+>#]+\s*)*(?:\(?\d{1,2}[.)．](?=\s)|\d{1,2}[、.．](?=[\u4e00-\u9fff])|"
    r"[(（](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]|第?[一二三四五六七八九十]+、)\s*"
)

#: What follows a number that is a count or an amount, never a year.
_NOT_YEAR_AFTER = (
    r"[万亿千百兆元个家名人位笔台辆件次所只项座户张条篇倍]"
    r"|(?:million|billion|thousand|trillion|mn|bn|people|users|yuan|dollars)\b"
)

# dates: masked as non-figures, and read for as_of
_DATES = [
    ("ymd", r"(\d{4})\s?[-/.年]\s?(\d{1,2})\s?[-/.月]\s?(\d{1,2})\s?日?"),
    ("yq", r"(\d{4})\s?年\s?第?([一二三四1-4])季度?"),
    ("yh", r"(\d{4})\s?年\s?(上|下)半年"),
    ("ym", r"(\d{4})\s?年\s?(\d{1,2})\s?月(?:底|末|初|份)?"),
    ("y", r"(\d{4})\s?年(?:底|末|初|内|度)?"),
    ("md", r"(\d{1,2})\s?月\s?(\d{1,2})\s?日"),
    ("m", r"(?<![\d.])(\d{1,2})\s?月(?:底|末|初|份)?(?![\d])"),
    ("d", r"(?<![\d.])(\d{1,2})\s?日(?![\d])"),
    ("qy", r"(?:q([1-4])|(first|second|third|fourth) quarter)(?: of)?,? ?(\d{4})"),
    ("qen", r"\b(first|second|third|fourth)[- ]quarter\b"),
    ("qzh", r"(?<![前\d])(?:第([一二三四1-4])季度?|([一二三四])季度)"),
    ("qn", r"(?<![A-Za-z0-9])q([1-4])(?![A-Za-z0-9])"),
    ("mdy", rf"\b({_MONTHS})\.? (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?\b"),
    ("dmy", rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTHS})\b(?:,? (\d{{4}}))?"),
    ("my", rf"\b({_MONTHS})\.?,? (\d{{4}})\b"),
    (
        "mo",
        rf"\b(?:in|since|by|until|through|during|early|late|mid-?) ({_MONTHS_LONG})\b"
        r"(?!\.?,? \d)",
    ),
    # a bare year; not one followed by a magnitude or a measure word (2000 万笔, 2018 家)
    (
        "ey",
        r"(?<![\d,.$€£¥])\b((?:19|20)\d{2})s?\b"
        r"(?!\d|[,.]\d|\s?(?:%|percent|年|" + _NOT_YEAR_AFTER + "))",  # 2016. and 2016, end
    ),
    ("rel", r"last month|this month|last year|this year|next year|上个月|上月|本月|去年|今年|明年"),
]
_RE_DATE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _DATES), re.IGNORECASE)

# ---------------------------------------------------------------- candidate numbers

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
_SEPARATOR = re.compile(r"[。；;!?！？,，、:：\"“”（）()]|\. ")
#: Where a clause ends: a date after the figure dates it only within its clause (a
#: bracket after the figure annotates it: "8.46 亿 (2016年第三季度)").
_CLAUSE_END = re.compile(r"[。；;!?！？,，、:：]|\. ")
_ZH_CORE_NUMERALS = frozenset("〇零一二两兩三四五六七八九十")
_MAX_RIGHT = 48
_MAX_LEFT = 24
_CLAUSE = 160  # characters either side searched for an entity or indicator word
_MAX_STARTS = 5  # words or characters tried on either side: bounded work per number
_MAX_ENDS = 14


@dataclass
class _Found:
    start: int
    end: int
    quantity: Quantity | None
    problem: str


def _mask(line: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(line)]


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
    from .parse.lexicon import FILLERS

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


# ---------------------------------------------------------------- dates


#: Dates whose year (or month) comes from the publication date, not the text.
_INFERRED = frozenset({"rel", "qzh", "qn", "qen", "m", "md", "mo"})
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
#: Words before a date that make it the baseline of a change (较2015年底, compared with
#: 2016), not the date the figure describes.
_RE_BASELINE = re.compile(
    r"(?i)(?:较|比|相比|相较于?|compared (?:with|to)(?: the end of)?|than(?: in)?|versus|vs\.?)"
    r"\s?$"
)
#: A date a change starts from (由2015年的 X 提升至 Y, from 2015's X to Y) dates X, not Y.
_RE_FROM_BEFORE = re.compile(r"(?i)(?:由|从|從|from)\s?(?:the end of\s)?$")
_RE_CHANGE_TO = re.compile(r"(?i)(?<![达截直])(?:至|到)|\bto\b")
#: Where a sentence ends: a date in another sentence does not date a figure.
_RE_SENTENCE_END = re.compile(r"[。！？!?；;]|\.(?:\s|$)")


class _LineInfo:
    """What every figure of a line needs, found once per line: its dates and clauses."""

    def __init__(self, line: str, published: date | None) -> None:
        self.line = line
        addresses = bytearray(len(line) + 1)
        for a, b in _mask(line, _RE_ADDRESS):
            addresses[a:b] = b"\x01" * (b - a)
        self.dates: list[tuple[int, int, str, str]] = []
        self.starting: set[int] = set()  # dates that open a change: 由2015年的 X 提升至 Y
        for m in _RE_DATE.finditer(line):
            baseline = _RE_BASELINE.search(line, max(0, m.start() - 24), m.start())
            text = None if addresses[m.start()] or baseline else _date_text(m, published)
            if text is not None:
                basis = "inferred" if m.lastgroup in _INFERRED else "stated"
                if _RE_FROM_BEFORE.search(line, max(0, m.start() - 8), m.start()):
                    self.starting.add(len(self.dates))
                self.dates.append((m.start(), m.end(), text, basis))
        self.sentence_ends = [m.start() for m in _RE_SENTENCE_END.finditer(line)]
        self.date_ends = sorted((d[1], i) for i, d in enumerate(self.dates))
        self.date_starts = [d[0] for d in self.dates]
        self.seps = [(m.start(), m.end()) for m in _SEPARATOR.finditer(line)]
        self.sep_starts = [a for a, _ in self.seps]

    def as_of(self, start: int, end: int, after_limit: int) -> tuple[str, str]:
        """The date nearest the figure in its sentence: before it, or (counted double) after.

        A date after the figure counts from the figure's end, and only within its
        clause and before the next figure (``after_limit``): in "15 billion, up from
        12.9 billion in 2017" the year dates the second figure, not the first.
        """
        j = bisect.bisect_left(self.sentence_ends, start)
        first = self.sentence_ends[j - 1] if j else -1
        last = self.sentence_ends[j] if j < len(self.sentence_ends) else len(self.line)
        best: tuple[int, str, str] | None = None
        k = bisect.bisect_right(self.date_ends, (start, len(self.dates)))
        if k:
            i = self.date_ends[k - 1][1]
            d = self.dates[i]
            to = i in self.starting and _RE_CHANGE_TO.search(self.line, d[1], start)
            if d[0] > first and not to:  # not the date a change starts from
                best = (start - d[1], d[2], d[3])
        k = bisect.bisect_left(self.date_starts, start)
        if k < len(self.dates):
            d = self.dates[k]
            same_clause = not _CLAUSE_END.search(self.line, end, d[0])
            near = d[1] <= last and d[0] < after_limit and same_clause
            if near and (best is None or (d[0] - end) * 2 < best[0]):
                best = ((d[0] - end) * 2, d[2], d[3])
        return (best[1], best[2]) if best else ("", "unknown")

    def clause(self, start: int, end: int) -> str:
        k = bisect.bisect_left(self.sep_starts, start)
        a = max(
            (self.seps[i][1] for i in range(max(0, k - 1), k) if self.seps[i][1] <= start),
            default=0,
        )
        j = bisect.bisect_left(self.sep_starts, end)
        b = self.seps[j][0] if j < len(self.seps) else len(self.line)
        return self.line[max(a, start - _CLAUSE) : min(b, end + _CLAUSE)]


def _date_text(m: re.Match[str], published: date | None) -> str | None:
    kind, g = m.lastgroup, [x for x in m.groups() if x is not None]
    whole = m.group().lower()
    zh_q = {"一": 1, "二": 2, "三": 3, "四": 4}
    try:
        if kind == "ymd":
            y, mo, d = int(g[1]), int(g[2]), int(g[3])
            return date(y, mo, d).isoformat()
        if kind == "yq":
            q = zh_q.get(g[2]) or int(g[2])
            return f"{g[1]}-Q{q}"
        if kind == "ym":
            return f"{g[1]}-{int(g[2]):02d}" if 1 <= int(g[2]) <= 12 else None
        if kind in ("y", "ey"):
            return g[1][:4]
        if kind == "qy":
            words = {"first": 1, "second": 2, "third": 3, "fourth": 4}
            digit = m.group("qy").lower().split("q")[1][0] if whole.startswith("q") else ""
            q = int(digit) if digit else words[whole.split()[0]]
            return f"{g[-1]}-Q{q}"
        if kind == "my":
            return f"{g[2]}-{_MONTH_NUMBER[g[1].lower().rstrip('.')]:02d}"
        if kind in ("qzh", "qn", "qen") and published:
            q = _QUARTER_WORDS.get(g[1].lower()) or zh_q.get(g[1]) or int(g[1])
            year = published.year - (q > (published.month + 2) // 3)
            return f"{year}-Q{q}"
        if kind in ("m", "md", "mo") and published:
            mo = _MONTH_NUMBER[g[1].lower()] if kind == "mo" else int(g[1])
            if not 1 <= mo <= 12:
                return None
            return f"{published.year - (mo > published.month)}-{mo:02d}"
        if kind == "rel" and published:
            return _relative(whole, published)
    except (ValueError, KeyError, IndexError):
        return None
    return None


def _relative(word: str, published: date) -> str | None:
    y, mo = published.year, published.month
    if word in ("last month", "上个月", "上月"):
        y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
        return f"{y}-{mo:02d}"
    if word in ("this month", "本月"):
        return f"{y}-{mo:02d}"
    if word in ("last year", "去年"):
        return str(y - 1)
    if word in ("this year", "今年"):
        return str(y)
    if word in ("next year", "明年"):
        return str(y + 1)
    return None


# ---------------------------------------------------------------- entities and indicators

_INDICATOR_WORDS = {
    "monthly_active_users": ["月活跃账户", "月活跃用户", "月活", "monthly active"],
    "valuation": ["估值", "valuation", "valued at", "市值", "market value"],
    "funding_round": ["融资", "筹集", "raised", "funding round", "series"],
    "planned_fund": ["基金", "fund-of-funds", "fund"],
    "surveillance_cameras": ["surveillance camera", "cctv", "监控摄像", "闭路电视摄像", "摄像头"],
    "population": ["population", "人口", "citizens"],
}


@cache
def _known() -> tuple[dict[str, tuple[str, str]], dict[str, str], dict[str, str]]:
    """Entity names (and aliases) -> (entity, entity_type); indicator -> table, dimension."""
    from ..tables import catalog

    entities: dict[str, tuple[str, str]] = {}
    tables: dict[str, str] = {}
    dimensions: dict[str, str] = {}
    with open(catalog.table_path("indicators"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            tables[row["id"]] = row["table"]
            dimensions[row["id"]] = row["dimension"]
    for table in sorted(set(tables.values())):
        with open(catalog.table_path(table), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                entities[row["entity"]] = (row["entity"], row["entity_type"])
    aliases = {
        "微信": "WeChat",
        "腾讯": "Tencent",
        "商汤": "SenseTime",
        "天津": "Tianjin",
        "Tianjian": "Tianjin",
        "北京": "Beijing",
        "阿里巴巴": "Alibaba",
    }
    for alias, name in aliases.items():
        if name in entities:
            entities[alias] = entities[name]
    return entities, tables, dimensions


#: Words around a name that make it another party to the figure: the investor
#: ("from Alibaba", "led by", 由…领投), or the parent of the company meant
#: (阿里巴巴子公司蚂蚁金服, "Alibaba-backed", "an Alibaba affiliate").
_RE_OTHER_PARTY_BEFORE = re.compile(
    r"(?i)(?:from|by|led by|including|with|investors?|backers?|in|"
    r"获|获得|由|向|投资方|包括|在|来自|來自)"
    r"\s?(?:the\s)?$"
)
_RE_OTHER_PARTY_AFTER = re.compile(
    r"(?i)^(?:'s|’s)?\s?(?:-backed|-owned|-led| backed| affiliate| subsidiary| unit|"
    r"子公司|旗下|领投|投资|参投|跟投|关联)"
)
_MONEY = frozenset({"USD", "CNY", "HKD", "EUR", "GBP", "JPY", "TWD"})


def _dimension(unit: str) -> str:
    """The indicators' dimension a unit belongs to (money, count, share, ...)."""
    if unit in _MONEY:
        return "money"
    return unit if unit in ("count", "share", "rank", "ratio") else "duration"


def _subject(clause: str, names: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """The one known entity the clause is about, or blanks (none, several, or a party)."""
    named = set()
    for name, entity in names.items():
        key = name.lower()
        i = clause.find(key)
        while i >= 0:
            before, after = clause[max(0, i - 14) : i], clause[i + len(key) : i + len(key) + 12]
            if not (_RE_OTHER_PARTY_BEFORE.search(before) or _RE_OTHER_PARTY_AFTER.match(after)):
                named.add(entity)
                break
            i = clause.find(key, i + 1)
    return next(iter(named)) if len(named) == 1 else ("", "")


def _suggest(info: _LineInfo, found: _Found) -> tuple[str, str, str, str]:
    """(entity, entity_type, indicator, table) named in the figure's clause, or blanks.

    An entity is suggested when exactly one known one is named as the subject (not
    as the investor or the parent company); an indicator when exactly one indicator's
    words are there and its dimension fits the figure's unit (no monthly users from
    a percentage).
    """
    entities, tables, dimensions = _known()
    clause = info.clause(found.start, found.end).lower()
    present = {k: v for k, v in entities.items() if k.lower() in clause}
    entity, etype = _subject(clause, present) if present else ("", "")
    q = found.quantity
    hits = {
        ind
        for ind, words in _INDICATOR_WORDS.items()
        if ind in tables and any(w in clause for w in words)
    }
    indicator = next(iter(hits)) if len(hits) == 1 else ""
    if indicator and (q is None or dimensions.get(indicator) != _dimension(q.unit)):
        indicator = ""
    return entity, etype, indicator, tables.get(indicator, "")


# ---------------------------------------------------------------- the rows


def _context(line: str, start: int, end: int) -> str:
    """A few words either side of the figure, for the reviewer (never a sentence)."""
    before, after = line[max(0, start - 12) : start], line[end : end + 12]
    return f"…{before.strip()}[{line[start:end].strip()}]{after.strip()}…"


def _row(
    found: _Found, info: _LineInfo, n: int, source_id: str, after_limit: int
) -> dict[str, Any]:
    line = info.line
    q = found.quantity
    text = line[found.start : found.end].strip()
    entity, etype, indicator, table = _suggest(info, found) if q else ("", "", "", "")
    as_of, basis = info.as_of(found.start, found.end, after_limit) if q else ("", "")
    usd = q.restated if q is not None and q.restated is not None else None
    stated = usd is not None and usd.unit == "USD" and q is not None and q.unit != "USD"
    return {
        "id": "",
        "entity": entity,
        "entity_type": etype,
        "indicator": indicator,
        "value": q.value if q else None,
        "unit": q.unit if q else "",
        "qualifier": q.qualifier if q else "",
        "value_text": text,
        "stated_usd": usd.value if stated and usd else None,
        "stated_usd_text": usd.text if stated and usd else "",
        "as_of": as_of,
        "as_of_basis": basis,
        "kind": "",  # the reviewer's call: measurement, estimate, forecast, target, plan, claim
        "target_period": "",
        "source_id": source_id,
        "locator": f"p{n}",
        "primary_source": "",
        "primary_source_url": "",
        "notes": "",
        "review_table": table,
        "review_problem": found.problem,
        "review_restated": _restated(q) if q is not None and not stated else "",
        "review_context": _context(line, found.start, found.end),
    }


def _restated(q: Quantity) -> str:
    """The source's bracketed conversion when stated_usd cannot hold it ("100000000 CNY")."""
    r = q.restated
    return "" if r is None else f"{r.value:.15g} {r.unit}"


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of a text: ``paragraphs(text)[N - 1]`` is locator ``pN``."""
    return [line for line in text.splitlines() if line.strip()]


def extract(
    text: str,
    *,
    source_id: str = "",
    published: str | date | None = None,
    table: str | None = None,
) -> pd.DataFrame:
    """Every figure in an article as candidate rows for review.

    Parameters
    ----------
    text : str
        The article, plain text or markdown; each non-blank line is a paragraph.
    source_id : str
        The source's id in the registry, copied into every row.
    published : str or date, optional
        The publication date (YYYY-MM-DD): resolves "last month", 去年, 第三季度.
    table : str, optional
        Give the columns of this table's template (e.g. ``"talent"``, which has no
        ``stated_usd``) instead of the widest one, ``investments``.

    Returns
    -------
    pandas.DataFrame
        One row per figure, in the order of the text, with the table template's
        columns (``locator`` pN, ``value_text`` exactly as printed, ``value``,
        ``unit``, ``qualifier``, ``stated_usd``/``stated_usd_text`` from a
        bracketed dollar conversion, ``as_of``/``as_of_basis``, and ``entity``,
        ``entity_type``, ``indicator`` where the words around name them; empty
        rather than a guess) and the review-only columns ``review_table`` (the
        suggested table), ``review_problem`` (why a figure-like expression could not
        be read; its value is empty), ``review_restated`` (a bracketed conversion into
        another currency than the dollar, e.g. ``100000000 CNY``) and
        ``review_context`` (a few words around it).

    Raises
    ------
    ChinaAIStatsError
        ``text`` is not a string, or ``published`` is not a date (YYYY-MM-DD) or lies
        in the future.

    Examples
    --------
    >>> rows = extract("微信月活跃账户达到 8.46 亿，同比增长 30%。", published="2016-11-16")
    >>> rows[["locator", "value_text", "value", "unit"]].values.tolist()
    [['p1', '8.46 亿', 846000000.0, 'count'], ['p1', '30%', 0.3, 'share']]
    """
    import pandas as pd

    if not isinstance(text, str):
        raise ChinaAIStatsError(
            f"extract() takes the article as text (str), not {type(text).__name__}; "
            "read the file first"
        )
    published = publication_date(published)
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(paragraphs(text), start=1):
        found_here = _figures_in_line(line)
        if found_here:
            info = _LineInfo(line, published)
            limits = [f.start for f in found_here[1:]] + [len(line)]
            rows.extend(
                _row(found, info, n, source_id, limit)
                for found, limit in zip(found_here, limits, strict=True)
            )
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["value"] = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    df["stated_usd"] = pd.to_numeric(df["stated_usd"], errors="coerce").astype("float64")
    return df[columns_for(table)]


def publication_date(published: str | date | None, option: str = "published=") -> date | None:
    """``published`` as a date, or None; a malformed or future date is an error.

    ``option`` names the argument in messages (``"--published "`` on the command line).
    """
    if published is None or published == "":
        return None
    if isinstance(published, str):
        try:
            published = date.fromisoformat(published)
        except ValueError:
            raise ChinaAIStatsError(
                f"{option}{published!r} is not a date; write YYYY-MM-DD"
            ) from None
    if isinstance(published, datetime):
        published = published.date()
    if not isinstance(published, date):
        raise ChinaAIStatsError(
            f"{option}{published!r} is not a date; give a datetime.date or YYYY-MM-DD"
        )
    if published > date.today():
        raise ChinaAIStatsError(
            f"{option}{published.isoformat()} is in the future; give the date the "
            "article appeared (it dates 'last year' and 去年)"
        )
    return published


def columns_for(table: str | None) -> list[str]:
    """The columns of extract's rows: a table's template (or the widest) and review_ ones."""
    if table is None:
        return COLUMNS
    from ..tables import catalog

    fields = [f["name"] for f in catalog.resource(table)["schema"]["fields"]]
    missing = [f for f in fields if f not in ROW_COLUMNS]
    if missing:
        raise _not_a_figures_table(table)
    return fields + REVIEW_COLUMNS


def _not_a_figures_table(table: str) -> Exception:
    from ..core.errors import DatasetNotFoundError

    return DatasetNotFoundError(
        f"{table!r} is not a table of figures; extract rows for user_counts, investments, "
        "talent, camera_counts or context"
    )

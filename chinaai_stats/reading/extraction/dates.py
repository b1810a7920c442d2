"""Dating a figure: the dates of its line read into as_of, and the clause around it."""

from __future__ import annotations

import bisect
import re
from datetime import date

from .masks import _MONTH_NUMBER, _RE_ADDRESS, _RE_DATE, _mask

_SEPARATOR = re.compile(r"[。；;!?！？,，、:：\"“”（）()]|\. ")
#: Where a clause ends: a date after the figure dates it only within its clause (a
#: bracket after the figure annotates it: "8.46 亿 (2016年第三季度)").
_CLAUSE_END = re.compile(r"[。；;!?！？,，、:：]|\. ")
_CLAUSE = 160  # characters either side searched for an entity or indicator word
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

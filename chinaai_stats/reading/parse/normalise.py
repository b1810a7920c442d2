"""Normalising a figure expression before it is read: digits, Chinese decimals, quotes, case."""

from __future__ import annotations

import re
import unicodedata

from ...core.errors import QuantityParseError
from . import lexicon as lx
from .numerals import fail, zh_number
from .patterns import _ASCII_LOWER, _RE_SPACE_BY_CJK


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

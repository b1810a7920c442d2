"""Numerals: Arabic digits, English number words and Chinese numerals, read exactly."""

from __future__ import annotations

import re
from decimal import Decimal

from ...core.errors import QuantityParseError
from .lexicon import (
    EN_TENS_WORDS,
    EN_UNITS_WORDS,
    ZH_CHARS,
    ZH_DIGITS,
    ZH_LARGE,
    ZH_SMALL,
    ZH_VAGUE,
)

NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_EN_WORD = "|".join(sorted([*EN_UNITS_WORDS, *EN_TENS_WORDS], key=len, reverse=True))
EN_NUMBER_WORDS = rf"(?:{_EN_WORD})(?:[- ](?:{_EN_WORD}))?"
RE_NUMBER = re.compile(rf"({NUMBER})")
RE_WORD_NUMBER = re.compile(rf"({EN_NUMBER_WORDS})\b(?:[- ]hundred\b)?")
#: A Chinese numeral, digits allowed (checked by :func:`zh_number`).
RE_ZH_NUMBER = re.compile(rf"[0-9.,{ZH_CHARS}{ZH_VAGUE}]+")
RE_HAS_ZH = re.compile(f"[{ZH_CHARS}]")
_RE_NUMBER_ANY = re.compile(NUMBER)


def fail(text: str, reason: str) -> QuantityParseError:
    """The error for an expression ``text`` that cannot be read, with the reason."""
    return QuantityParseError(f"cannot read {text!r} as a figure: {reason}")


def dec(token: str) -> Decimal:
    """A decimal from digits with optional thousands commas."""
    return Decimal(token.replace(",", ""))


def word_number(words: str) -> int | None:
    """Read English number words up to 999: "seven", "twenty-one", "two hundred"."""
    current = 0
    for part in re.split(r"[- ]+", words.strip()):
        if part in EN_UNITS_WORDS:
            current += EN_UNITS_WORDS[part]
        elif part in EN_TENS_WORDS:
            current += EN_TENS_WORDS[part]
        elif part == "hundred":
            current = (current or 1) * 100
        elif part in ("a", "an"):
            current += 1
        else:
            return None
    return current


def number_of(token: str, original: str) -> Decimal:
    """A number written in digits, as English words or as "a"/"an"."""
    token = token.strip()
    if token in ("a", "an"):
        return Decimal(1)
    if _RE_NUMBER_ANY.fullmatch(token):
        return dec(token)
    if RE_HAS_ZH.search(token):
        value, vague = zh_number(token, original)
        if vague:
            raise fail(original, "几 leaves the number open")
        return value
    n = word_number(token)
    if n is None:
        raise fail(original, f"{token!r} is not a number")
    return Decimal(n)


class _ZhReader:
    """State of one left-to-right pass over a Chinese numeral."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.big = Decimal(0)  # parts at or above 亿
        self.mid = Decimal(0)  # the 万 part below 亿
        self.section = Decimal(0)  # below 万
        self.number: Decimal | None = None
        self.last_small = 10**5
        self.ceiling: int | None = None
        self.after_zero = False
        self.last_unit = 1
        self.vague = False

    def digit(self, d: int, ch: str, prev: str) -> None:
        if self.number is not None:
            raise fail(self.original, "two numerals side by side")
        if ch == ZH_VAGUE:
            if prev not in ZH_SMALL:
                raise fail(self.original, "几 must follow 十, 百 or 千 (二十几, 三百几十)")
            self.vague = True
            self.number = Decimal(0)
        elif d == 0:
            self.after_zero = True
        else:
            self.number = Decimal(d)

    def small(self, ch: str) -> None:
        unit = ZH_SMALL[ch]
        if unit >= self.last_small:
            raise fail(self.original, f"{ch} out of order")
        if self.number is not None and self.number >= 10:
            raise fail(self.original, f"{self.number:g} before {ch}")
        self.section += (1 if self.number is None else self.number) * unit
        self.number, self.last_small, self.last_unit, self.after_zero = None, unit, unit, False

    def large(self, unit: int, ch: str) -> None:
        pending = self.section + (self.number or 0)
        if unit == 10**4:
            if pending == 0 or self.mid:
                raise fail(self.original, "万 with no number before it, or twice")
            self.mid = pending * unit
        else:
            part = (self.mid + pending) * unit
            if part == 0:
                raise fail(self.original, f"{ch} with no number before it")
            if self.ceiling is not None and part >= self.ceiling:
                raise fail(self.original, "magnitudes out of order")
            self.big += part
            self.ceiling = unit * (10**4 if self.mid and not pending else 1)
            self.mid = Decimal(0)
        self.section, self.number, self.last_small = Decimal(0), None, 10**5
        self.last_unit, self.after_zero = unit, False

    def total(self) -> Decimal:
        n = self.number
        if n is not None and self.last_unit > 1 and n >= 10:
            raise fail(self.original, f"{n:g} after {self.last_unit:g} is not a single digit")
        if n is not None and n and self.last_unit > 10 and not self.after_zero:
            raise fail(
                self.original, "the place of the last digit is not written (add 十, 百, 千 or 零)"
            )
        return self.big + self.mid + self.section + (n or 0)


def _arabic(number: Decimal | None, text: str, i: int) -> bool:
    """Digits just before ``text[i]`` (41.8百万, 12百萬): 百万 after them is one magnitude."""
    return number is not None and i > 0 and text[i - 1].isdigit()


def zh_number(text: str, original: str) -> tuple[Decimal, bool]:
    """Read a Chinese numeral, digits allowed: 三百五十万, 两千万, 1.2万亿, 8.46亿, 二十几亿.

    Returns the value and whether 几 left a digit open (the value then counts it as 0).
    """
    r = _ZhReader(original)
    i = 0
    while i < len(text):
        ch = text[i]
        m = _RE_NUMBER_ANY.match(text, i)
        if m:
            if r.number is not None:
                raise fail(original, "two numbers side by side")
            r.number = dec(m.group())
            i = m.end()
            continue
        if ch in ZH_DIGITS or ch == ZH_VAGUE:
            r.digit(ZH_DIGITS.get(ch, 0), ch, text[i - 1 : i])
        elif ch in ZH_SMALL and text[i + 1 : i + 2] in ZH_LARGE and _arabic(r.number, text, i):
            r.number = (r.number or Decimal(0)) * ZH_SMALL[ch]  # 41.8百万: 百万 is one magnitude
        elif ch in ZH_SMALL:
            r.small(ch)
        elif ch in ZH_LARGE:
            unit = ZH_LARGE[ch]
            if unit == 10**8 and text[i + 1 : i + 2] == "亿" and r.mid == 0:
                unit, i = 10**16, i + 1
            r.large(unit, ch)
        else:
            raise fail(original, f"unexpected character {ch!r} in a Chinese numeral")
        i += 1
    return r.total(), r.vague

"""Suggesting a figure's entity and indicator from the words of its clause."""

from __future__ import annotations

import csv
import re
from functools import cache

from .candidates import _Found
from .dates import _LineInfo

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
    from ...tables import catalog

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

"""What in a line is not a figure (addresses, codes, times, names) and the dates in it."""

from __future__ import annotations

import re

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


def _mask(line: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(line)]

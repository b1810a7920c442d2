"""extract: every figure in an article as candidate rows, on real texts and small cases."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import chinaai_stats as cs
from chinaai_stats import parse_quantity
from chinaai_stats.reading.extraction import COLUMNS, REVIEW_COLUMNS, paragraphs

from .conftest import run_cli

BENCH_LABELS = Path(__file__).resolve().parents[1] / "bench" / "labels"


def figures(text: str, **kw) -> list[tuple[str, str, float, str]]:
    df = cs.extract(text, **kw)
    return [(r.locator, r.value_text, r.value, r.unit) for r in df.itertuples()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Revenue rose to $13.8 billion.", [("$13.8 billion", 13.8e9, "USD")]),
        (
            "微信月活跃账户达到 8.46 亿，同比增长 30%。",
            [("8.46 亿", 8.46e8, "count"), ("30%", 0.3, "share")],
        ),
        ("拥有 700 多家客户", [("700 多", 700, "count")]),
        ("估值保持在“超过”45 亿美元。", [("“超过”45 亿美元", 4.5e9, "USD")]),
        ("1.68 亿人使用", [("1.68 亿", 1.68e8, "count")]),
        ("It had 176 million surveillance cameras.", [("176 million", 176e6, "count")]),
        (
            "a RMB100 billion (US$15.72 billion) fund",
            [("RMB100 billion (US$15.72 billion)", 100e9, "CNY")],
        ),
        ("nearly one in four (24 percent)", [("nearly one in four (24 percent)", 0.24, "share")]),
        ("its GDP ranked sixth across cities", [("sixth", 6, "rank")]),
        ("占比超七成", [("超七成", 0.7, "share")]),
        ("3.99 万亿港元", [("3.99 万亿港元", 3.99e12, "HKD")]),
    ],
)
def test_finds_the_figure_as_printed(text: str, expected: list) -> None:
    got = [(t, v, u) for _, t, v, u in figures(text)]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2018 the company moved.",  # a year
        "2016年11月16日 18:43",  # a date and a clock time
        "Published on May 30, 2018 at 10:30 a.m.",
        "1. First item of a list",  # a list number
        "as shown in earlier work[3] and later^4",  # footnote marks
        "call 010-6274 1234 or +86 10 6274 1234",  # phone numbers
        "runs on version 2.3.1 and iOS 11",  # version numbers
        "see https://example.com/2018/05/30/20-million-cameras",  # a URL
        "![chart](/assets/blog/asset-2.png)",  # an image path
        "it came at 24/7 speed with 5G and GPT-4",
        "Figure 1. Growth of the talent base",
        "the fifth generation mobile network",
        "Second, platforms are feature-rich.",
        "统一标准，一些公司",  # numerals inside words
        "so many years ago; ten years ago",
    ],
)
def test_not_figures(text: str) -> None:
    assert figures(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Apollo L4累计自动驾驶测试",  # a name holding a number, Chinese right after it
        "5G网络覆盖全国",
        "“完美世界(002624)手游”",  # stock codes
        "百度 (09888-HK)(BIDU-US) 今年",
        "股票代码 002624",
        "李彦宏表示百度还将在五年内为社会培养",  # periods that date another figure
        "三年来一直亏损",
        "the eight-year-old company and a five-year plan",  # durations as adjectives
        "决策类AI公司第四范式也于近日提交",  # a name holding an ordinal
        "dubbed “Made in China 2025”",
        "今年前六个月的一个漂亮数字",  # periods around another figure
        "6 个月的合计数字可能掩盖",
        "推出仅六个月后突然下架",
        "证券代码:002230 证券简称:科大讯飞 公告编号:2023-028",  # codes and identifiers
        "(1)在股权登记日下午收市时",  # list marks of a notice
        "1.公司简介",
        "现场会议开始时间:14:30;即9:15—9:25",  # clock times
        "In a fourth-quarter upset",  # a quarter, not a rank
        "its 11.11 Global Shopping Festival and 双11",  # festivals named by their date
        "free cash flow during the quarter,1 which enables",  # a footnote after a word
        "Views: 0",  # a counter
        "数百万人进入了中产阶级",  # vague
        "中国庞大的 18-35 岁千禧一代",  # ages that define a group
        "people aged 18 to 35",
        "在过去的五年里",  # periods, also in traditional characters
        "累計9個月",
        "9 年間報酬率",
        "小米集團(1810)公布",  # a Hong Kong stock code
        "这款智能电视机支持 4K/超高清视频",  # screen resolutions
        "a 1080p screen",
        "流水创七年新高",  # an N-year high
        "当第三方 Android 商店被纳入分析时",  # words holding an ordinal
        "具有 3 级自动驾驶功能的车辆",  # levels of driving automation
        "level 4 autonomy",
    ],
)
def test_not_figures_in_real_wording(text: str) -> None:
    assert figures(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a number shaped like a year but followed by a magnitude or measure word
        ("向中小企业发放了 2000 万笔贷款", [("2000 万", 2e7, "count")]),
        ("the app had 2000 million users", [("2000 million", 2e9, "count")]),
        # a change "to" a figure of another unit is two figures, not a range
        ("同比下跌2%至人民币212亿元", [("2%", 0.02, "share"), ("人民币212亿", 2.12e10, "CNY")]),
        ("从 310 亿元增至 340 亿元", [("310 亿元", 3.1e10, "CNY"), ("340 亿元", 3.4e10, "CNY")]),
        ("rose from 28% to 32%", [("28%", 0.28, "share"), ("32%", 0.32, "share")]),
        ("from 6,000 to 10,000 people", [("6,000", 6000, "count"), ("10,000", 10000, "count")]),
        # a zero with what it counts is a figure
        ("以10票赞成,0票反对", [("10", 10, "count"), ("0", 0, "count")]),
        ("这家已有 19 年历史的公司", [("19 年", 19, "year")]),
        # another number to the left never joins a figure (一水平的两 is not one figure)
        ("超过了这一水平的两倍。", [("两倍", 2, "ratio")]),
        ("至少三分之二的投资", [("至少三分之二", 2 / 3, "share")]),
        ("北美的份额已经减少到不足一半", [("不足一半", 0.5, "share")]),
        ("累計9個月純利168.54億元人民幣", [("168.54億元人民幣", 1.6854e10, "CNY")]),
        ("9 年間報酬率翻 27.5 倍", [("27.5 倍", 27.5, "ratio")]),
        # a count in words above ten is a figure; ten or fewer is incidental
        ("连续十七个季度增长", [("十七", 17, "count")]),
        ("two rounds and three cities", []),
        # a period is left out, but a duration that is the figure stays
        ("在不到 2 个月的时间内", [("不到 2 个月", 2, "month")]),
    ],
)
def test_figures_in_real_wording(text: str, expected: list) -> None:
    assert [(t, v, u) for _, t, v, u in figures(text)] == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("百度预计第四季度营收310亿元人民币至340亿元。", "310亿元人民币至340亿元"),
        ("a base salary of $130,000 to $175,000 per annum", "$130,000 to $175,000"),
        ("between 5-6 million users", "5-6 million"),
        ("5 million to 6 million users", "5 million to 6 million"),
    ],
)
def test_a_range_with_units_on_each_side_is_one_problem(text: str, words: str) -> None:
    df = cs.extract(text)
    assert df["value_text"].tolist() == [words]
    assert df["value"].isna().all() and "range" in df.iloc[0]["review_problem"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # a reading that stops short of a magnitude would be a wrong value: listed instead
        ("a quarter of a million people", "a quarter of a million"),
        # a magnitude over which the figure lies
        ("服务过亿名师生", "过亿名"),
        # a figure cut off where the page ends
        ("clocking 268.4 bil", "268.4 bil"),
        # a decimal written with spaces
        ("筹集了 1 . 15 亿美元", "1 . 15"),
        # alternatives are one figure for the reviewer to settle, like a range
        ("人们每月使用大约 26 或 27 款应用", "26 或 27"),
        # a currency the parser will not guess (元 in traditional text): not a bare count
        ("純利168.54億元。", "168.54億元"),
    ],
)
def test_figures_the_parser_cannot_read_are_listed_not_misread(text: str, words: str) -> None:
    df = cs.extract(text)
    assert df["value_text"].tolist() == [words]
    assert df["value"].isna().all() and df.iloc[0]["review_problem"]


@pytest.mark.parametrize(
    ("text", "words", "value", "qualifier"),
    [
        ("now boasts more than half a billion users", "more than half a billion", 5e8, "more_than"),
        ("月活跃用户数首次突破500百万,是", "突破500百万", 5e8, "more_than"),
    ],
)
def test_a_magnitude_after_a_fraction_or_a_number_is_read_whole(
    text: str, words: str, value: float, qualifier: str
) -> None:
    df = cs.extract(text)
    assert df["value_text"].tolist() == [words]
    assert df.iloc[0]["value"] == value and df.iloc[0]["qualifier"] == qualifier


def test_an_unreadable_figure_is_listed_with_the_reason() -> None:
    df = cs.extract("covering 54.87 hectares in the west")
    assert len(df) == 1
    row = df.iloc[0]
    assert row["value_text"] == "54.87 hectares" and math.isnan(row["value"])
    assert "hectares" in row["review_problem"]


def test_a_range_is_a_problem_not_two_figures() -> None:
    df = cs.extract("between 5-6 million users")
    assert len(df) == 1 and "range" in df.iloc[0]["review_problem"]


def test_locators_count_non_blank_lines() -> None:
    text = "Title\n\n  \nFirst para has 5 million.\n\nSecond has 30%.\n"
    assert [(loc, t) for loc, t, _, _ in figures(text)] == [("p2", "5 million"), ("p3", "30%")]
    assert paragraphs(text)[1] == "First para has 5 million."


@pytest.mark.parametrize(
    ("text", "published", "as_of", "basis"),
    [
        ("腾讯2016年第三季度收入403.88亿元", None, "2016-Q3", "stated"),
        ("raised $600 million in May 2018", None, "2018-05", "stated"),
        ("它在上个月筹集了 6 亿美元", "2018-05-30", "2018-04", "inferred"),
        ("去年融资 4.1 亿美元", "2018-05-30", "2017", "inferred"),
        ("last month it raised $600 million", "2018-05-30", "2018-04", "inferred"),
        ("it raised $600 million", "2018-05-30", "", "unknown"),
        # a quarter or month without its year takes the year of publication ...
        ("一季度微信及WeChat合并月活跃账户数达11.12亿", "2019-05-15", "2019-Q1", "inferred"),
        ("第二季智能手机游戏收入按年升五成四", "2017-08-16", "2017-Q2", "inferred"),
        ("Q3收入达人民币26亿元", "2025-11-20", "2025-Q3", "inferred"),
        ("今年8月,收入 30 亿元", "2021-11-19", "2021-08", "inferred"),
        ("it raised $600 million in May", "2018-05-30", "2018-05", "inferred"),
        # ... or the year before, when that quarter or month is still to come
        ("第四季度收入 5 亿元", "2021-03-01", "2020-Q4", "inferred"),
        ("11月收入 5 亿元", "2021-03-01", "2020-11", "inferred"),
        ("第四季度收入 5 亿元", None, "", "unknown"),
        # a date in another sentence does not date the figure
        ("成立于 2014 年 12 月。自那以后,收入 53 亿美元。", None, "", "unknown"),
        ("It was founded in 2014. Revenue was $5 billion.", None, "", "unknown"),
        ("前三季度收入 30 亿元", "2021-11-19", "", "unknown"),
        # the baseline of a change is not the date of the figure
        ("互联网普及率为53.2%,较2015年底提升了2.9个百分点。", None, "", "unknown"),
        ("截至2016年12月,网民达6.95亿,较2015年底增加7550万人。", None, "2016-12", "stated"),
        ("Revenue was 5% higher than in 2016.", None, "", "unknown"),
        # a date a change starts from dates where it starts, not where it ends
        ("占比由2015年的90.1%提升至95.1%。", None, "2015", "stated"),
        (
            "growth in the second-quarter re-accelerated to 28.5 percent",
            "2016-08-12",
            "2016-Q2",
            "inferred",
        ),
    ],
)
def test_dates_from_the_words_around(text, published, as_of, basis) -> None:
    row = cs.extract(text, published=published).iloc[0]
    assert (row["as_of"], row["as_of_basis"]) == (as_of, basis)


def test_the_end_of_a_change_is_not_dated_by_its_start() -> None:
    rows = cs.extract("占比由2015年的90.1%提升至95.1%。")
    assert rows["as_of"].tolist() == ["2015", ""]


def test_entity_and_indicator_suggested_only_when_named() -> None:
    df = cs.extract("微信和WeChat的合并月活跃账户数达到8.46亿。今年收入增长了 30%。")
    first, second = df.iloc[0], df.iloc[1]
    assert (first["entity"], first["indicator"], first["review_table"]) == (
        "WeChat",
        "monthly_active_users",
        "user_counts",
    )
    assert (second["entity"], second["indicator"]) == ("", "")


@pytest.mark.parametrize(
    ("text", "entity", "indicator"),
    [
        # the investor or the parent company is not the subject: empty, not a wrong guess
        ("it raised $600 million in funds from Alibaba", "", ""),
        ("阿里巴巴子公司蚂蚁金服以 600 亿美元的估值", "", "valuation"),
        ("Alibaba-backed SenseTime raised $600 million", "SenseTime", "funding_round"),
        ("SenseTime said it is now valued at over $4.5 billion", "SenseTime", "valuation"),
        # an indicator whose dimension does not fit the unit is not suggested
        ("QQ月活跃帐户按年减少百分之五", "QQ", ""),
        ("Tencent and Alibaba raised $1 billion", "", "funding_round"),
        # a place where something happens is not what the figure is about
        ("Its mobile revenue in China increased 119.3 percent", "", ""),
        ("China's population reached 1.4 billion", "China", "population"),
    ],
)
def test_suggestions_fit_the_figure_or_stay_empty(text: str, entity: str, indicator: str) -> None:
    row = cs.extract(text).iloc[0]
    assert (row["entity"], row["indicator"]) == (entity, indicator)


def test_bracketed_dollar_conversion_fills_stated_usd() -> None:
    row = cs.extract("an investment of 13.8 billion yuan (about 2.1 billion U.S. dollars)").iloc[0]
    assert row["stated_usd"] == 2.1e9
    assert parse_quantity(row["stated_usd_text"]).value == 2.1e9


def test_columns_are_the_template_plus_review_columns() -> None:
    from chinaai_stats.tables import catalog

    df = cs.extract("5 million")
    assert list(df.columns) == COLUMNS
    template = [f["name"] for f in catalog.resource("investments")["schema"]["fields"]]
    assert [c for c in COLUMNS if c not in REVIEW_COLUMNS] == template
    assert all(c.startswith("review_") for c in REVIEW_COLUMNS)


# ---- real articles (not redistributed: read from $CHINAAI_STATS_SOURCES) ----


def _texts(source_texts: list[Path]) -> list[Path]:
    return [p for folder in source_texts for p in sorted(folder.glob("*.txt"))]


def test_every_labelled_figure_is_found_in_the_real_articles(source_texts: list[Path]) -> None:
    found = labelled = 0
    texts = {p.stem: p for p in _texts(source_texts)}
    for label_file in sorted(BENCH_LABELS.glob("*.csv")):
        text_file = texts.get(label_file.stem.removeprefix("seed_"))
        if text_file is None:  # only the texts present on this machine
            continue
        df = cs.extract(text_file.read_text(encoding="utf-8"))
        with open(label_file, encoding="utf-8", newline="") as f:
            for label in csv.DictReader(f):
                labelled += 1
                rows = df[df["locator"] == label["locator"]]
                values = [*rows["value"].dropna(), *rows["stated_usd"].dropna()]
                hit = any(math.isclose(v, float(label["value"]), rel_tol=1e-9) for v in values)
                hit = hit or any(label["value_text"] in t for t in rows["value_text"])
                found += hit
    assert labelled >= 20
    assert found / labelled >= 0.95


def test_every_value_text_is_in_its_line_and_reads_as_its_value(source_texts: list[Path]) -> None:
    for path in _texts(source_texts):
        text = path.read_text(encoding="utf-8")
        lines = paragraphs(text)
        for row in cs.extract(text).itertuples():
            line = lines[int(row.locator[1:]) - 1]
            assert row.value_text in line, (path.name, row.value_text)
            if not math.isnan(row.value):
                assert parse_quantity(row.value_text).value == row.value
            else:
                assert row.review_problem


# ---- properties ----

_PIECES = st.sampled_from(
    [
        " revenue rose ",
        "，同比增长",
        " $13.8 billion ",
        " 8.46 亿",
        " 30%",
        "。",
        " in 2018 ",
        "2016年11月16日",
        " (about 2.1 billion U.S. dollars)",
        " 700 多家",
        " https://x.com/a/20-million ",
        " 5-6 million ",
        "“超过”45 亿美元",
        " one in four ",
        "\n",
        "\n\n",
        " ",
        "第三季度",
        "10:30",
        "310亿元人民币至340亿元",
        " $130,000 to $175,000 ",
        "至",
        " 2000 万笔",
        "Apollo L4",
        "(002624)",
        "五年内",
        " three-year-old ",
        "一季度",
        " in May ",
        "阿里巴巴子公司",
        " from Alibaba ",
        "过亿名",
        " half a billion ",
        " from 6,000 to 10,000 ",
        "(1)",
        "0票",
        "六个月后",
        "这一水平的两倍",
        "500百万",
        " 1 . 15 亿",
        "18-35 岁",
        "（",
        "）",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=8), max_size=12).map("".join))
def test_any_text_gives_rows_whose_words_are_in_their_line(text: str) -> None:
    lines = paragraphs(text)
    for row in cs.extract(text).itertuples():
        line = lines[int(row.locator[1:]) - 1]
        assert row.value_text and row.value_text in line
        if math.isnan(row.value):
            assert row.review_problem
        else:
            q = parse_quantity(row.value_text)
            assert (q.value, q.unit) == (row.value, row.unit)


_FIGURE_ALPHABET = (
    "0123456789 .,-—~%$£()（）[]、，。;:/\n"
    "一二两三四五六七八九十百千万亿億萬兆第季度个個年月日前后内来过超逾近至到分之半倍成元人民币美港"
    "millionbilyuaQ"
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_FIGURE_ALPHABET, max_size=60))
def test_dense_figure_characters_never_break_extract(text: str) -> None:
    """Text made only of the characters figures, dates and codes are made of."""
    lines = paragraphs(text)
    for row in cs.extract(text, published="2020-06-30").itertuples():
        line = lines[int(row.locator[1:]) - 1]
        assert row.value_text and row.value_text in line
        assert math.isnan(row.value) == bool(row.review_problem)
        if row.as_of:
            assert row.as_of_basis in ("stated", "inferred")


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=40))
def test_work_grows_linearly_with_the_numbers(pieces: list[str]) -> None:
    """Parser calls per number are bounded, however the numbers are packed together."""
    from chinaai_stats.reading.extraction import candidates

    text = "".join(pieces) * 3
    calls = 0
    real = candidates.parse_quantity

    def counting(expr: str) -> object:
        nonlocal calls
        calls += 1
        return real(expr)

    candidates._try.cache_clear()
    candidates.parse_quantity = counting  # type: ignore[assignment]
    try:
        cs.extract(text)
    finally:
        candidates.parse_quantity = real
    numbers = len(candidates._RE_NUMBER_CORE.findall(text))
    bound = (1 + candidates._MAX_STARTS) * (2 + 2 * candidates._MAX_ENDS + 8)
    assert calls <= 3 * bound * (numbers + 1)


# ---- the command line ----


def test_cli_extract_csv_and_json(tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    article.write_text("# Title\n\nIt raised $600 million last month.\n", encoding="utf-8")
    r = run_cli("extract", str(article), "--source-id", "x-2018", "--published", "2018-05-30")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == COLUMNS
    assert [(x["locator"], x["value_text"], x["value"], x["unit"], x["as_of"]) for x in rows] == [
        ("p2", "$600 million", "600000000", "USD", "2018-04")
    ]
    assert rows[0]["source_id"] == "x-2018"
    j = run_cli("extract", str(article), "--format", "json")
    first = json.loads(j.stdout)[0]
    assert first["value_text"] == "$600 million"
    assert first["value"] == 6e8 and first["stated_usd"] is None  # numbers, and null


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "no such file"),
        (["latin1.txt"], "not UTF-8"),
        (["ok.txt", "--published", "2018-13-01"], "not a date"),
    ],
)
def test_cli_extract_bad_input_is_exit_2(tmp_path: Path, args, message) -> None:
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 5 million".encode("latin-1"))
    (tmp_path / "ok.txt").write_text("5 million", encoding="utf-8")
    r = run_cli("extract", *args, cwd=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""


def test_review_columns_are_refused_by_validate(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("China had 176 million surveillance cameras in 2017.\n", encoding="utf-8")
    rows = tmp_path / "rows.csv"
    r = run_cli("extract", str(article), "--source-id", "nbf-2017")
    rows.write_text(r.stdout, encoding="utf-8")
    v = run_cli("validate", str(rows), "--table", "camera_counts")
    assert v.returncode == 1
    assert "review_context" in v.stdout and "for review only" in v.stdout


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": None}, "takes the article as text"),
        ({"text": b"5 million"}, "takes the article as text"),
        ({"text": "5 million", "published": "2018-13-01"}, "is not a date"),
        ({"text": "5 million", "published": 20180101}, "is not a date"),
        ({"text": "5 million", "published": "2999-01-01"}, "is in the future"),
    ],
)
def test_bad_arguments_are_one_line_package_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(cs.ChinaAIStatsError, match=message) as info:
        cs.extract(**kwargs)
    assert "\n" not in str(info.value)


def test_a_datetime_serves_as_the_publication_date() -> None:
    import datetime

    df = cs.extract("去年营收 5 亿元", published=datetime.datetime(2018, 5, 30, 12, 0))
    assert df.iloc[0]["as_of"] == "2017"


@pytest.mark.parametrize(
    ("text", "dated"),
    [
        ("WeChat had 846 million users in 2016.", [("846 million", "2016")]),
        (
            "WeChat had 846 million users in 2016, and Alipay had 520 million in 2018.",
            [("846 million", "2016"), ("520 million", "2018")],
        ),
        (
            "Revenue rose to 15 billion yuan, up from 12.9 billion yuan in 2017.",
            [("15 billion yuan", ""), ("12.9 billion yuan", "2017")],
        ),
        ("2016年微信用户达8亿，2018年达10亿。", [("8亿", "2016"), ("10亿", "2018")]),
        ("微信月活跃账户达到 8.46 亿（2016年第三季度）。", [("8.46 亿", "2016-Q3")]),
    ],
)
def test_a_date_after_a_figure_dates_it_only_within_its_clause(text: str, dated: list) -> None:
    df = cs.extract(text, published="2019-01-01")
    assert list(zip(df["value_text"], df["as_of"], strict=True)) == dated

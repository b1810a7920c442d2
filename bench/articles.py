"""The labelled articles the ``extract`` benchmark reads, and where their texts are."""

from __future__ import annotations

import os
from pathlib import Path

LABELS = Path(__file__).parent / "labels"
#: The labelled articles: label file stem -> (text folder, language group, published,
#: round). Round 0 texts were read while extract was written; rounds 1 to 6 were each
#: labelled before extract first read them, so the first results on a round estimate how
#: extract does on unseen text (labels/SOURCES.md keeps them). "mixed" is Chinese
#: translated from English, where Latin names and spaced digits sit inside Chinese.
#: Folder "extra" is $CHINAAI_STATS_BENCH_TEXTS (texts that are not redistributed):
#: tczh_NAME is NAME.md from the translated TechCrunch archive, web_NAME is web_NAME.txt.
ARTICLES = {
    "01_mydrivers_wechat-846m-q3-2016": ("sources", "zh", "2016-11-16", 0),
    "03_techcrunch-zh_sensetime-620m": ("sources", "mixed", "2018-05-30", 0),
    "02_macropolo_ai-talent-growing-then-leaving": ("sources", "en", None, 0),
    "10_nextbigfuture_china-176m-cameras": ("sources", "en", None, 0),
    "11_ecns-xinhua_beijing-ai-park": ("sources", "en", "2018-01-03", 0),
    "12_chinamoneynetwork_tianjin-ai-fund": ("sources", "en", "2018-05-17", 0),
    "seed_000_76a462c45f02f1ef": ("seeds", "en", "2016-12-08", 0),
    "seed_001_30bbca938958e64b": ("seeds", "en", None, 0),
    "seed_002_71de8916751170a2": ("seeds", "en", None, 0),
    "seed_003_bbca744d1036233d": ("seeds", "en", "2018-08-01", 0),
    # round 1: two translated TechCrunch articles, the beginnings of four English pages
    "tczh_tencent-500-billion": ("extra", "mixed", "2017-11-20", 1),
    "tczh_didi-chuxing-to-become-worlds-second-highest-valued-startup": (
        "extra",
        "mixed",
        "2017-04-27",
        1,
    ),
    "web_cnet-sensetime-cctv-funding": ("extra", "en", None, 1),
    "web_mobileidworld-yitu-investment": ("extra", "en", None, 1),
    "web_techreportarticles-supremind": ("extra", "en", None, 1),
    "web_equalocean-intellifusion": ("extra", "en", None, 1),
    # round 2: two translated articles, four Chinese news pages, four English ones
    "tczh_ant-financial-raises-14-billion": ("extra", "mixed", "2018-06-07", 2),
    "tczh_ant-financial-the-alibaba-affiliate-that-operates-alipay-raises-4-5b-at-a-60b-"
    "valuation": ("extra", "mixed", "2016-04-25", 2),
    "web_ailab-baidu-q3-2021": ("extra", "zh", "2021-11-19", 2),
    "web_zztdgu-tencent-q1": ("extra", "zh", "2019-05-15", 2),
    "web_lc123-tencent-h1-2017": ("extra", "zh", "2017-08-16", 2),
    "web_yktchina-sensetime-ipo-filing": ("extra", "zh", "2021-08-31", 2),
    "web_finanster-sensetime-620m": ("extra", "en", "2018-05-31", 2),
    "web_taipeitimes-sensetime-600m": ("extra", "en", "2018-04-10", 2),
    "web_techcrunch-megvii-750m": ("extra", "en", "2019-05-08", 2),
    "web_financeasia-sensetime-620m": ("extra", "en", None, 2),
    # round 3: three translated articles, four Chinese pages (one a company notice, one in
    # traditional characters), five English ones (one an SEC exhibit)
    "tczh_bitmain-ipo-concerns": ("extra", "mixed", "2018-09-27", 3),
    "tczh_baidus-iqiyi-video-service-raises-1-53-billion": ("extra", "mixed", "2017-02-21", 3),
    "tczh_baidu-announces-1-5b-fund-to-back-self-driving-car-startups": (
        "extra",
        "mixed",
        "2017-09-21",
        3,
    ),
    "web_cernet-cnnic-2017": ("extra", "zh", "2017-01-22", 3),
    "web_juredian-iflytek-h1-2022": ("extra", "zh", "2022-08-22", 3),
    "web_zqrb-iflytek-agm-notice": ("extra", "zh", "2023-04-21", 3),
    "web_rthk-alibaba-q1-fy2022": ("extra", "zh", "2021-08-03", 3),
    "web_chinadaily-alibaba-june-quarter-2016": ("extra", "en", "2016-08-12", 3),
    "web_zdnet-alibaba-cloud-milestone": ("extra", "en", None, 3),
    "web_entrepreneur-bytedance-75bn": ("extra", "en", None, 3),
    "web_sec-alibaba-september-quarter-2017": ("extra", "en", "2017-11-02", 3),
    "web_musically-bytedance-75bn": ("extra", "en", "2018-10-29", 3),
    # round 4: two translated articles (one with markdown lists and images), four Chinese
    # results stories (two in traditional characters), four English pages on Didi
    "tczh_us-early-stage-investment-share-shrinks-as-china-surges": (
        "extra",
        "mixed",
        "2018-04-16",
        4,
    ),
    "tczh_vcs-are-betting-on-the-great-chinese-fitness-boom": ("extra", "mixed", "2016-07-07", 4),
    "web_jdgod-xiaomi-q3-2021": ("extra", "zh", "2021-11-23", 4),
    "web_am730-xiaomi-q3-2021": ("extra", "zh", "2021-11-24", 4),
    "web_cnyes-bytedance-550bn": ("extra", "zh", "2026-02-26", 4),
    "web_chinaz-xiaomi-q3-2025": ("extra", "zh", "2025-11-18", 4),
    "web_scmp-didi-5-5bn": ("extra", "en", "2017-04-28", 4),
    "web_afp-didi-most-valuable-asian-startup": ("extra", "en", "2017-04-28", 4),
    "web_cubteq-didi-vs-uber": ("extra", "en", None, 4),
    "web_celebcafe-didi-7bn": ("extra", "en", None, 4),
    # round 5: two translated articles, two Chinese results summaries (one with bracketed
    # reference marks), three English pages on Bytedance and SenseTime
    "tczh_youku-tudou-one-of-chinas-leading-streaming-video-sites-launches-its-first-"
    "hardware-line": ("extra", "mixed", "2014-12-10", 5),
    "tczh_zapprx-gets-25-million-from-chinese-vcs-hoping-to-tap-into-the-u-s-drug-"
    "prescription-market": ("extra", "mixed", "2017-04-20", 5),
    "web_itbear-xiaomi-q3-2024": ("extra", "zh", None, 5),
    "web_reportify-tencent-q2-2025": ("extra", "zh", None, 5),
    "web_mobilemarketing-bytedance-75bn": ("extra", "en", None, 5),
    "web_technewark-bytedance-most-valuable": ("extra", "en", None, 5),
    "web_investmentdata-sensetime-600m": ("extra", "en", None, 5),
    # round 6: three more translated articles, the weakest group so far
    "tczh_baidu-plans-to-mass-produce-level-4-self-driving-cars-with-baic-by-2021": (
        "extra",
        "mixed",
        "2017-10-13",
        6,
    ),
    "tczh_ant-financial-moneygram-1-2-billion": ("extra", "mixed", "2017-04-16", 6),
    "tczh_app-downloads-up-15-percent-in-2016-revenue-up-40-percent-thanks-to-china": (
        "extra",
        "mixed",
        "2017-01-17",
        6,
    ),
}


def article_path(stem: str, folder: str) -> Path:
    if folder == "extra":
        extra = Path(os.environ.get("CHINAAI_STATS_BENCH_TEXTS", "/nonexistent"))
        if stem.startswith("web_"):
            return extra / (stem + ".txt")
        return extra / (stem.removeprefix("tczh_") + ".md")
    shared = Path(os.environ.get("CHINAAI_STATS_SHARED", "/work/shared"))
    name = stem.removeprefix("seed_") + ".txt"
    return shared / folder / name

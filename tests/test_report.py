"""The HTML catalog: offline pages, a fact card per figure and honest charts, in a real browser."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import chinaai_stats as cs
from tests.conftest import REPO, run_cli

ARTIFACTS = Path(os.environ.get("CHINAAI_STATS_ARTIFACTS", REPO / ".artifacts"))
WIDTHS = (390, 1280)


class _Page(HTMLParser):
    """Links, sources, element ids and meta tags of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("src", "href"):
            if a.get(key):
                self.refs.append((tag, a[key]))
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "meta" and a.get("name"):
            self.meta[a["name"]] = a.get("content", "")


def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text("utf-8"))
    return p


@pytest.fixture(scope="module")
def catalog_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "catalog"
    r = run_cli("report", "--out", str(out))
    assert r.returncode == 0, r.stderr
    return out


def _pages(folder: Path) -> list[Path]:
    return [folder / "index.html", *sorted(folder.glob("tables/*.html")),
            *sorted(folder.glob("series/*.html")),
            *sorted(folder.glob("figures/*.html"))]  # fmt: skip


def test_a_page_per_table_and_per_figure(catalog_dir) -> None:
    assert (catalog_dir / "index.html").is_file()
    for name in cs.list_datasets():
        assert (catalog_dir / "tables" / f"{name}.html").is_file()
    figures = {p.stem for p in (catalog_dir / "figures").glob("*.html")}
    assert figures == set(cs.facts()["id"])


def test_links_and_anchors_resolve_and_nothing_loads_from_the_network(catalog_dir) -> None:
    parsed = {p.resolve(): _parse(p) for p in _pages(catalog_dir)}
    for page, info in parsed.items():
        for tag, ref in info.refs:
            if ref.startswith(("http://", "https://")):
                assert tag == "a", f"{page.name} loads {ref} from the network"
                continue
            path, _, anchor = ref.partition("#")
            target = (page.parent / path).resolve() if path else page
            assert target.exists(), f"{page.name}: broken link {ref}"
            if anchor and target.suffix == ".html":
                assert anchor in parsed[target].ids, f"{page.name}: no #{anchor} in {path}"


def test_every_page_has_a_viewport_tag(catalog_dir) -> None:
    for page in _pages(catalog_dir):
        assert _parse(page).meta.get("viewport") == "width=device-width, initial-scale=1", page


def test_tables_scroll_in_their_own_box_and_urls_are_short_links(catalog_dir) -> None:
    text = (catalog_dir / "tables" / "user_counts.html").read_text("utf-8")
    assert text.count('<div class="scroll"><table>') == 1
    url = "https://www.forbes.com/sites/greatspeculations/2018/02/02/"
    link = re.search(rf'<a href="({re.escape(url)}[^"]*)" title="[^"]*">([^<]*)</a>', text)
    assert link, "primary_source_url is not a link"
    assert link[2].startswith("forbes.com/") and len(link[2]) < 40
    assert '<td class="prose">' in text  # notes get room to wrap


def test_long_tables_show_their_first_rows_and_say_how_to_get_all(catalog_dir) -> None:
    page = catalog_dir / "tables" / "wdi_indicators.html"
    text = page.read_text("utf-8")
    total = len(cs.load("wdi_indicators"))
    assert f"The first 2,000 of {total:,} rows" in text
    assert text.count("<tr") == 2001  # header and 2,000 rows
    assert page.stat().st_size < 1_000_000
    assert "The first 2,000" not in (catalog_dir / "tables" / "talent.html").read_text("utf-8")


def test_index_shows_version_licence_row_counts_and_sources(catalog_dir) -> None:
    text = (catalog_dir / "index.html").read_text("utf-8")
    assert cs.__version__ in text and "CC-BY-4.0" in text
    for name in cs.list_datasets():
        assert f'<td class="num">{len(cs.load(name)):,}</td>' in text
    assert 'href="https://medium.com/@anant90/' in text
    assert 'href="figures/ctx-0001.html">ctx-0001</a>, <a href="figures/ctx-0002.html"' in text


@pytest.mark.parametrize(
    ("row_id", "expected"),
    [
        (
            "inv-0005",
            [
                "“over $4.5 billion”",  # as printed
                "more than 4,500,000,000 USD (4.5 billion)",  # normalised
                "CNY",  # converted at the rate of its date
                "annual mean 2018, ECB",
                "2018-05 (2018-05-01 to 2018-05-31) · basis: stated in the source",
                'href="https://medium.com/@anant90/',  # the source, linked
                "TechCrunch, 30 May 2018",  # the primary source
                "A bound",
                "derived-sensetime_round_share_of_valuation",  # the derived figure it enters
                "Figure inv-0005, p18 of source anant90-china-ai-dominance-2018",
            ],
        ),
        (
            "ctx-0002",
            ["“1.3 billion”", "1,300,000,000 (1.3 billion)", 'href="ctx-0001.html"',
             "indicators.html#population", "update over time", "all conflicts",
             "derived-cameras_per_100_people_cam-0001", "Source caveats"],
        ),
        (
            "uc-0003",
            ["Financial Times", 'href="https://www.ft.com/content/ad35315c', ">ft.com/content/",
             "2018-02", "an event count, not a monthly active user count"],
        ),
        (
            "inv-0001",
            ["“100 billion yuan”", "the source's own conversion: 13,800,000,000 USD",
             "not converted", "basis: unknown"],
        ),
    ],
)  # fmt: skip
def test_figure_page_is_a_fact_card(catalog_dir, row_id: str, expected: list[str]) -> None:
    text = (catalog_dir / "figures" / f"{row_id}.html").read_text("utf-8")
    for part in expected:
        assert part in text or part.replace("'", "&#x27;") in text, part
    facts = cs.facts().set_index("id")
    how_to_cite = cs.cite(facts.loc[row_id, "table"]).split(" Accessed")[0]
    assert html.escape(how_to_cite) in text


# ------------------------------------------------------------------ charts


def _svg_texts(svg: Path) -> list[str]:
    """The texts drawn in a matplotlib SVG (each text element carries a comment)."""
    found = re.findall(r"<!-- (.*?) -->", svg.read_text("utf-8"), re.S)
    return [" ".join(t.split()) for t in found]


def test_charts_only_where_two_or_more_comparable_figures_exist(catalog_dir) -> None:
    facts = cs.facts()
    counts = facts.groupby("indicator", observed=True).size()
    expected = {f"indicator-{i}.svg" for i, n in counts.items() if n >= 2}
    assert {p.name for p in (catalog_dir / "charts").glob("*.svg")} == expected
    kind = dict(zip(facts["id"], facts["indicator"], strict=True))
    for svg in (catalog_dir / "charts").glob("*.svg"):
        ids = {m for t in _svg_texts(svg) for m in re.findall(r"\(((?:[a-z]+)-\d{4})\)", t)}
        assert len(ids) >= 2, f"{svg.name} draws a single bar"
        assert {kind[i] for i in ids} == {svg.stem.removeprefix("indicator-")}, svg.name
    assert not (catalog_dir / "charts" / "investments_usd.svg").exists()


def test_every_chart_says_its_source_version_and_licence(catalog_dir) -> None:
    for svg in (catalog_dir / "charts").glob("*.svg"):
        text = svg.read_text("utf-8")
        drawn = " ".join(_svg_texts(svg))  # a wrapped line is one text per line
        footer = re.search(r"Sources: (.*?) · chinaai-stats data (\S+) · (\S+)", drawn)
        assert footer, f"{svg.name} has no source · version · licence line"
        assert footer[2] == cs.__version__ and footer[3] == "CC-BY-4.0"
        assert set(footer[1].split(", ")) <= set(cs.sources()["id"])
        assert "<dc:rights>" in text or "CC-BY-4.0</dc:" in text
        assert "n/a" not in _svg_texts(svg)


def test_chart_labels_are_full_not_cut(catalog_dir) -> None:
    texts = " ".join(
        _svg_texts(catalog_dir / "charts" / "indicator-share_of_world_tech_startups.svg")
    )
    assert "United States, 2019-11-28" in texts and "(ctx-0006)" in texts
    assert "Share of the world's tech start-ups" in texts.replace("&#39;", "'")


def _add_rows(data_copy: Path, table: str, lines: list[str]) -> None:
    path = data_copy / "datasets" / f"{table}.csv"
    with open(path, "a", encoding="utf-8", newline="") as f:
        f.write("".join(line + "\n" for line in lines))


def test_bounds_are_drawn_as_bounds_and_undrawable_values_named(data_copy) -> None:
    from chinaai_stats.outputs.site import charts

    src = "anant90-china-ai-dominance-2018"
    _add_rows(
        data_copy,
        "investments",
        [
            f"inv-0901,Megvii,company,valuation,2000000000,USD,exact,$2 billion,,,2018-05,"
            f"stated,measurement,,{src},p18,,,a second valuation",
            f"inv-0902,Baidu,company,planned_investment,1000000000,USD,exact,$1 billion,,,"
            f"2018,stated,plan,2020,{src},p18,,,a dated plan",
            f"inv-0903,Alibaba,company,planned_investment,15000000000,USD,exact,$15 billion,,,"
            f"2017,stated,plan,2020,{src},p18,,,another dated plan",
        ],
    )
    facts = cs.facts()
    plan = {c.indicator: c for c in charts.plan(facts, cs.load("indicators").set_index("id"))}
    valuation = plan["valuation"]
    rows = facts.set_index("id")
    bars = {b.row_id: b.qualifier for b in valuation.bars}
    assert bars["inv-0901"] == "exact" and "more_than" in bars.values()
    assert all(rows.loc[row_id, "qualifier"] == q for row_id, q in bars.items())
    # the undated yuan plan has no dated dollar value: named under the chart, not drawn at zero
    planned = plan["planned_investment"]
    assert {"inv-0902", "inv-0903"} <= {b.row_id for b in planned.bars}
    assert "inv-0001" not in {b.row_id for b in planned.bars}
    assert any("Tencent (inv-0001)" in s for s in planned.left_out)
    single = facts["indicator"].value_counts()
    assert not set(single[single == 1].index) & set(plan)  # one value: no chart
    out = data_copy / "charts"
    out.mkdir()
    texts = " ".join(_svg_texts(charts.draw(valuation, out, "0.1.0", "CC-BY-4.0")))
    assert "a lower bound (more than, at least): the value is higher" in texts
    assert "&gt; 4.5 billion" in texts
    texts = " ".join(_svg_texts(charts.draw(planned, out, "0.1.0", "CC-BY-4.0")))
    assert "not drawn: Tencent (inv-0001)" in texts and "lower bound" not in texts


# ------------------------------------------------------------------ in a real browser


def _chromium() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return browser


# What a page looks like to a reader: its width against the window's, images that failed,
# elements sticking out of the window (outside a table's own scrolling box), script errors.
STATE = """(() => {
  const root = document.documentElement, w = window.innerWidth;
  const imgs = Array.from(document.images);
  return {
    width: w, scrollWidth: root.scrollWidth, images: imgs.length,
    broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
    wide: Array.from(document.querySelectorAll("body *"))
      .filter(el => el.getBoundingClientRect().right > w + 1 && !el.closest(".scroll"))
      .slice(0, 3).map(el => el.tagName + "." + el.className),
    errors: window.__errors || [],
  };
})()"""

SHOTS = ("index.html", "tables/talent.html", "figures/inv-0005.html")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_in_a_browser_fits_the_window_and_loads_its_images(
    catalog_dir, tmp_path, width: int
) -> None:
    """Every page at phone and laptop width; screenshots kept in .artifacts/ for CI."""
    from tests.browser import Browser

    browser = Browser(_chromium(), width, tmp_path / "profile")
    try:
        charted = 0
        for page in _pages(catalog_dir):
            browser.events.clear()
            browser.open(page.as_uri())
            state = browser.evaluate(STATE)
            name = page.relative_to(catalog_dir).as_posix()
            assert state["width"] == width, f"{name}: laid out {state['width']}px wide"
            assert state["scrollWidth"] <= width, f"{name} is wider than the window: {state}"
            assert not state["wide"], f"{name}: {state['wide']} stick out of the window"
            assert not state["broken"], f"{name}: images failed to load: {state['broken']}"
            assert state["errors"] == [] and browser.problems() == [], name
            charted += state["images"] > 0
            if name in SHOTS:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                stem = name.replace("/", "-").removesuffix(".html")
                shot = ARTIFACTS / f"catalog-{stem}-{width}.png"
                browser.screenshot(shot)
                assert shot.stat().st_size > 10_000
        assert charted >= 3, "charts are missing from the pages"
    finally:
        browser.close()


# ------------------------------------------------------------------ series


def _series_wanted() -> dict[str, set[str]]:
    """(entity--indicator) -> the periods of its counts: every series of 3 or more dates."""
    import csv

    from chinaai_stats.tables import catalog

    periods: dict[str, set[str]] = {}
    for table in ("user_counts", "investments", "talent", "camera_counts", "context"):
        with open(catalog.table_path(table), encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if r["as_of"] and r["kind"] not in ("forecast", "target", "plan"):
                    key = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{r['entity']}--{r['indicator']}")
                    periods.setdefault(key, set()).add(r["as_of"])
    return {k: v for k, v in periods.items() if len(v) >= 3}


def test_a_series_page_for_every_series_of_three_dates(catalog_dir) -> None:
    wanted = _series_wanted()
    assert len(wanted) >= 5
    pages = {p.stem for p in (catalog_dir / "series").glob("*.html")}
    assert pages == set(wanted)
    index = (catalog_dir / "index.html").read_text("utf-8")
    for slug in wanted:
        assert f'href="series/{slug}.html"' in index, slug


def test_a_series_page_is_a_linked_accessible_line_chart(catalog_dir) -> None:
    page = (catalog_dir / "series" / "WeChat--monthly_active_users.html").read_text("utf-8")
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    t = cs.timeline("WeChat", "monthly_active_users")
    points = re.findall(r'<a href="\.\./figures/([^"]+)\.html"><circle', svg)
    assert points == t["id"].tolist()  # one point per period, each linked to its card
    table = page[page.index("</svg>") :]
    assert all(f'href="../figures/{i}.html"' in table for i in t["id"])
    # the chart needs no script and loads nothing
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_forecasts_are_dashed_and_labelled(catalog_dir) -> None:
    page = (catalog_dir / "series" / "China--surveillance_cameras.html").read_text("utf-8")
    aims = cs.facts()
    aims = aims[
        (aims["entity"] == "China")
        & aims["indicator"].isin(["surveillance_cameras", "surveillance_cameras_forecast"])
        & aims["kind"].isin(["forecast", "target", "plan"])
        & aims["target_period"].notna()
    ]
    assert len(aims) > 0
    assert 'stroke-dasharray="6 4"' in page and 'class="aim">forecast</text>' in page
    for rid in aims["id"]:
        assert f'href="../figures/{rid}.html"><circle' in page and 'fill="#fff"' in page


SERIES_STATE = """(() => {
  const svg = document.querySelector("svg.series"), w = window.innerWidth;
  const box = svg.getBoundingClientRect();
  const text = Array.from(svg.querySelectorAll("text")).map(t => t.getBoundingClientRect());
  return {width: w, left: box.left, right: box.right,
          smallest: Math.min(...text.map(r => r.height)),
          points: svg.querySelectorAll("a circle").length};
})()"""


@pytest.mark.parametrize("width", WIDTHS)
def test_series_charts_are_readable_at_phone_and_laptop_width(
    catalog_dir, tmp_path, width: int
) -> None:
    from tests.browser import Browser

    browser = Browser(_chromium(), width, tmp_path / "profile")
    try:
        for page in sorted((catalog_dir / "series").glob("*.html")):
            browser.open(page.as_uri())
            s = browser.evaluate(SERIES_STATE)
            assert s["left"] >= 0 and s["right"] <= width, (page.name, s)
            assert s["smallest"] >= 8, f"{page.name}: text {s['smallest']:.1f}px high"
            assert s["points"] >= 3 and browser.problems() == [], page.name
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.open((catalog_dir / "series" / "WeChat--monthly_active_users.html").as_uri())
        browser.screenshot(ARTIFACTS / f"catalog-series-wechat-{width}.png")
    finally:
        browser.close()


def test_without_matplotlib_the_report_says_what_to_install(tmp_path) -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from chinaai_stats.cli import main\n"
        f"sys.exit(main(['report', '--out', {str(tmp_path / 'out')!r}]))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "chinaai-stats[report]" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()

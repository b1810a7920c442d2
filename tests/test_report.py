"""The HTML catalog: offline pages with charts, rendered in a real headless browser."""

from __future__ import annotations

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


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("src", "href") and value:
                self.refs.append((tag, value))


@pytest.fixture(scope="module")
def catalog_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "catalog"
    r = run_cli("report", "--out", str(out))
    assert r.returncode == 0, r.stderr
    return out


def test_pages_and_charts_exist_and_links_resolve(catalog_dir) -> None:
    assert (catalog_dir / "index.html").is_file()
    for name in cs.list_datasets():
        assert (catalog_dir / "tables" / f"{name}.html").is_file()
    svgs = sorted((catalog_dir / "charts").glob("*.svg"))
    assert len(svgs) >= 5
    for page in [catalog_dir / "index.html", *(catalog_dir / "tables").glob("*.html")]:
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        for tag, ref in parser.refs:
            if ref.startswith(("http://", "https://")):
                assert tag == "a", f"{page.name} loads {ref} from the network"
                continue
            target = (page.parent / ref.split("#")[0]).resolve()
            assert target.exists(), f"{page.name}: broken link {ref}"


def test_charts_carry_axis_labels_units_and_dates(catalog_dir) -> None:
    svg = (catalog_dir / "charts" / "wechat_qq_mau.svg").read_text("utf-8")
    assert "accounts (millions)" in svg and "as of: 2016-Q3" in svg
    inv = (catalog_dir / "charts" / "investments_usd.svg").read_text("utf-8")
    assert "USD (billions)" in inv


def test_index_shows_version_licence_row_counts_and_sources(catalog_dir) -> None:
    text = (catalog_dir / "index.html").read_text("utf-8")
    assert cs.__version__ in text and "CC-BY-4.0" in text
    for name in cs.list_datasets():
        assert f">{len(cs.load(name)):,}</td>" in text  # 2,264: thousands separated
    assert 'href="https://medium.com/@anant90/' in text
    assert "ctx-0001, ctx-0002" in text  # the population conflict


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_renders_in_headless_chromium(catalog_dir, tmp_path) -> None:
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    url = (catalog_dir / "index.html").as_uri()
    r = subprocess.run(
        [
            browser,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'data-images-ok="true"' in r.stdout, "a chart failed to load in the browser"
    images = int(re.search(r'data-images="(\d+)"', r.stdout)[1])
    assert images == len(list((catalog_dir / "charts").glob("*.svg")))
    console = [line for line in r.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report-index.png"
    s = subprocess.run(
        [
            browser,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile2'}",
            "--window-size=1280,2400",
            f"--screenshot={shot}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert s.returncode == 0 and shot.stat().st_size > 10_000


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

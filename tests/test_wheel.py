"""The built wheel carries its data: install it into a fresh venv and load from elsewhere."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import chinaai_stats as cs
from chinaai_stats.analysis.facts import FACT_TABLES

from .conftest import fresh_venv

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
import chinaai_stats as cs
from chinaai_stats.tables import catalog
out = {"file": cs.__file__, "root": str(catalog.data_root()), "tables": {}}
for name in cs.list_datasets():
    df = cs.load(name)
    out["tables"][name] = [len(df), df.attrs["version"], df.attrs["sha256"]]
out["sources"] = len(cs.sources())
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    cmd = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)]
    r = subprocess.run([*cmd, str(REPO)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    (path,) = out.glob("chinaai_stats-*.whl")
    return path


@pytest.mark.slow
def test_wheel_ships_datasets_schemas_and_registry(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for part in (
        "datasets/datapackage.json",
        "datasets/user_counts.csv",
        "schemas/talent.json",
        "seeds/sources.csv",
    ):
        assert f"chinaai_stats/_data/{part}" in names
    assert not any(n.endswith(".txt") and "/seeds/" in n for n in names), "no source text ships"


@pytest.mark.slow
def test_wheel_stays_small(wheel: Path) -> None:
    # 0.1.0 was 110 kB; the World Bank and FRED reference tables add about 450 kB compressed
    # (2.3 MB of CSV installed); the TWD rates and 364 fact rows from 119 sources bring it to
    # 860 kB. A budget of 1 MB and about 0.5 kB per further fact row (its notes, sources and
    # entities), so that a careless addition (a copied text, a full snapshot) shows up here
    # while curated rows do not. The release store (each past release as its changes to the
    # one before, xz) is counted apart: 0.2.0, which brought the reference tables, is 300 kB.
    rows = sum(len(cs.load(t)) for t in FACT_TABLES)
    members = zipfile.ZipFile(wheel).infolist()
    store = [i for i in members if "/_data/datasets/releases/" in i.filename]
    assert store, "the release store ships"
    for member in store:
        assert member.file_size < 400_000, member.filename
    store_size = sum(i.compress_size for i in store)
    assert wheel.stat().st_size - store_size < 1_000_000 + 500 * max(0, rows - 364)
    info = {i.filename: i for i in zipfile.ZipFile(wheel).infolist()}
    for name in ("populations", "wdi_indicators"):
        member = info[f"chinaai_stats/_data/datasets/{name}.csv"]
        assert member.compress_type == zipfile.ZIP_DEFLATED
        assert member.compress_size < member.file_size / 4, name


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_loads_every_table(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    python = fresh_venv(env_dir)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = subprocess.run(
        [str(python), "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
        env={"PATH": str(env_dir / "bin")},
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["file"].startswith(str(env_dir)), "loaded the checkout, not the wheel"
    assert out["root"].startswith(str(env_dir)) and out["root"].endswith("_data")
    desc = json.loads((REPO / "datasets" / "datapackage.json").read_text("utf-8"))
    expected = {
        r["name"]: r["hash"].removeprefix("sha256:") for r in desc["resources"] if "hash" in r
    }
    assert {n: t[2] for n, t in out["tables"].items()} == expected
    assert all(t[0] > 0 and t[1] == desc["version"] for t in out["tables"].values())
    registry = next(r for r in desc["resources"] if r["name"] == "sources")
    assert out["sources"] == len(registry["data"]) - 1  # every registered source, no header
    cli = subprocess.run(
        [str(env_dir / "bin" / "chinaai-stats"), "show", "talent"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
    )
    assert cli.returncode == 0 and "tal-0001" in cli.stdout

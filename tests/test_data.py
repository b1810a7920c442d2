"""The shipped data: a valid Data Package whose every figure traces back to its source."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate

import chinaai_stats as cs
from chinaai_stats.core.dates import as_of_bounds
from chinaai_stats.measures.units import DIMENSION_UNITS
from chinaai_stats.reading.provenance import TextIndex, check_data, check_registry, source_dirs
from chinaai_stats.tables import catalog, package

FACT_TABLES = ["user_counts", "investments", "talent", "camera_counts", "context"]
ROOT = catalog.data_root()


def _facts() -> pd.DataFrame:
    return pd.concat([cs.load(n).assign(table=n) for n in FACT_TABLES], ignore_index=True)


def _registry() -> pd.DataFrame:
    return cs.sources().set_index("id")


def test_frictionless_validates_the_package() -> None:
    report = validate(ROOT / "datasets" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize(
    ("damage", "error_type"),
    [
        (
            lambda d: d.joinpath("talent.csv").write_text(
                d.joinpath("talent.csv").read_text("utf-8") + "\n", "utf-8"
            ),
            "hash-count",
        ),
        (
            lambda d: d.joinpath("context.csv").write_text(
                d.joinpath("context.csv")
                .read_text("utf-8")
                .replace("anant90-china-ai-dominance-2018", "no-such-source"),
                "utf-8",
            ),
            "foreign-key",
        ),
    ],
    ids=["changed-bytes", "unknown-source"],
)
def test_frictionless_catches_damage(data_copy: Path, damage, error_type: str) -> None:
    damage(data_copy / "datasets")
    report = validate(data_copy / "datasets" / "datapackage.json")
    assert not report.valid
    assert error_type in {e[0] for e in report.flatten(["type"])}


def test_descriptor_is_current_with_schemas_registry_and_files() -> None:
    on_disk = json.loads((ROOT / "datasets" / "datapackage.json").read_text("utf-8"))
    assert on_disk == package.refreshed(ROOT), "run: python -m chinaai_stats.tables.package"


@pytest.mark.parametrize("name", cs.list_datasets())
def test_recorded_bytes_and_sha256_match_the_file(name: str) -> None:
    res = catalog.resource(name)
    data = (ROOT / "datasets" / res["path"]).read_bytes()
    assert res["bytes"] == len(data)
    assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_refresh_updates_a_changed_file(data_copy: Path) -> None:
    path = data_copy / "datasets" / "talent.csv"
    path.write_text(path.read_text("utf-8").replace("around 30", "around 31"), "utf-8")
    assert package.refresh(data_copy) is True
    res = catalog.resource("talent", data_copy)
    assert res["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert package.refresh(data_copy) is False


def test_every_source_id_and_indicator_resolves() -> None:
    facts = _facts()
    assert set(facts["source_id"]) <= set(_registry().index)
    codebook = cs.load("indicators").set_index("id")
    assert set(facts["indicator"].astype(str)) <= set(codebook.index)
    tables = codebook.loc[facts["indicator"].astype(str), "table"].astype(str).to_numpy()
    assert (tables == facts["table"].to_numpy()).all(), "an indicator is used outside its table"


@pytest.mark.parametrize("name", FACT_TABLES)
def test_indicator_enum_matches_the_codebook(name: str) -> None:
    schema = catalog.resource(name)["schema"]
    enum = next(f for f in schema["fields"] if f["name"] == "indicator")["constraints"]["enum"]
    codebook = cs.load("indicators")
    assert enum == codebook.loc[codebook["table"] == name, "id"].tolist()


def test_every_unit_is_allowed_for_its_indicator() -> None:
    facts = _facts()
    dims = cs.load("indicators").set_index("id")["dimension"].astype(str)
    for row in facts.itertuples():
        allowed = DIMENSION_UNITS[dims[row.indicator]]
        assert row.unit in allowed, f"{row.id}: unit {row.unit} not in {allowed}"


def test_values_are_finite_non_negative_and_shares_at_most_one() -> None:
    facts = _facts()
    assert facts["value"].between(0, float("inf")).all()
    shares = facts[facts["unit"] == "share"]
    assert shares["value"].le(1).all()
    assert len(shares) >= 6


def test_as_of_never_after_publication_and_basis_consistent() -> None:
    facts = _facts()
    published = _registry()["published"]
    for row in facts.itertuples():
        dated = isinstance(row.as_of, str)
        assert dated == (row.as_of_basis != "unknown"), row.id
        if dated and pd.notna(published[row.source_id]):
            assert as_of_bounds(row.as_of)[0] <= published[row.source_id].date(), row.id
        if row.as_of_basis == "inferred":
            assert "inferred" in row.notes, f"{row.id}: say in notes how as_of was inferred"


def test_every_undated_row_says_why_its_date_is_unknown() -> None:
    """An empty as_of is allowed only where no evidence exists, and notes say what was sought."""
    facts = _facts()
    undated = facts[facts["as_of"].isna()]
    for row in undated.itertuples():
        assert row.as_of_basis == "unknown", row.id
        assert "as_of" in row.notes and "empty" in row.notes, (
            f"{row.id}: say in notes why as_of is empty and what was looked for"
        )


def test_every_row_says_what_the_figure_is_not_or_whose_it_is() -> None:
    facts = _facts()
    assert facts["notes"].notna().all()
    assert facts["notes"].str.len().ge(20).all()


def test_value_text_is_a_short_expression_not_a_sentence() -> None:
    facts = _facts()
    assert facts["value_text"].str.split().str.len().le(8).all()


def test_money_rows_keep_the_source_conversion_beside_the_stated_figure() -> None:
    inv = cs.load("investments")
    has_usd = inv["stated_usd"].notna()
    assert (has_usd == inv["stated_usd_text"].notna()).all()
    assert (inv.loc[has_usd, "unit"] != "USD").all(), "a dollar figure needs no dollar conversion"


# ---- against the source texts (not redistributed: set CHINAAI_STATS_SOURCES) ----


def test_source_texts_match_their_registered_sha256(source_texts: list[Path]) -> None:
    """Every registered text is in the folders of $CHINAAI_STATS_SOURCES, byte for byte, or
    has a retrieval pointer (a stored page or a repository file at a commit) to fetch it by.

    A text found in the folders must match its SHA-256; at least one registered text must
    be found (the folders are the right ones)."""
    index = TextIndex(source_dirs())
    rows = catalog.registry_rows()
    missing = check_registry(rows, index)
    pointers = {r["id"]: r.get("pointer", "") for r in rows}
    unfetchable = [p for p in missing if not pointers.get(p.source_id)]
    assert not unfetchable, "; ".join(p.message for p in unfetchable)
    assert len(missing) < len(rows), "no registered text is in the folders searched"


def test_every_figure_occurs_verbatim_at_its_locator(source_texts: list[Path]) -> None:
    """value_text and stated_usd_text of every row on their line."""
    problems = [p for p in check_data() if p.level == "error"]  # a text not at hand: warned
    assert not problems, "\n".join(p.message for p in problems)


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


#: Citation metadata may repeat a document's own title and address, and a figure's
#: expression is copied verbatim by design (its shortness is checked on its own, above).
CITATION_COLUMNS = {
    "title",
    "url",
    "pointer",
    "primary_source_url",
    "value_text",
    "stated_usd_text",
}


def test_no_sentence_of_a_source_is_carried_into_the_project(source_texts: list[Path]) -> None:
    """No run of eight words of any source text appears in the package's own files."""
    source = set()
    for path in sorted(p for folder in source_texts for p in folder.glob("*.txt")):
        source |= _shingles(path.read_text("utf-8"))
    repo = Path(__file__).resolve().parent.parent
    own = [repo / "README.md", repo / "CHANGELOG.md", *sorted(repo.glob("docs/*.md"))]
    own += sorted(repo.glob("seeds/**/*.csv"))
    own += sorted((ROOT / "datasets").glob("*.csv"))
    for path in own:
        if not path.is_file():
            continue
        with open(path, encoding="utf-8", newline="") as f:
            if path.suffix == ".csv":
                rows = csv.DictReader(f)
                cells = " | ".join(
                    v for r in rows for k, v in r.items() if k not in CITATION_COLUMNS
                )
            else:
                cells = f.read()
        shared = _shingles(cells) & source
        assert not shared, f"{path.name} repeats source text: {' '.join(sorted(shared)[0])}"

"""Citations: text, APA and BibTeX name the version, the table hash and the sources."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import bibtexparser
import pytest
import yaml
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

import chinaai_stats as cs
from chinaai_stats.tables import catalog
from chinaai_stats.tables.cff import render_citation as render_cff
from tests.conftest import REPO, run_cli


@pytest.mark.parametrize("name", [None, *cs.list_datasets()])
@pytest.mark.parametrize("style", ["text", "apa", "bibtex"])
def test_citation_names_version_hash_and_publisher(name, style) -> None:
    text = cs.cite(name, style=style, accessed="2026-11-24")
    assert cs.__version__ in text
    assert "chinaai-stats contributors" in text
    if style != "apa":  # APA names neither licence nor access date without an address
        assert "CC-BY-4.0" in text and "2026-11-24" in text
    if name is not None:
        digest = catalog.resource(name)["hash"].removeprefix("sha256:")
        assert (digest if style != "text" else digest[:12]) in text
        assert catalog.resource(name)["title"] in text
    assert "http" not in text.split("Sources:")[0]  # no address: the package has none yet


APA = re.compile(
    r"^chinaai-stats contributors\. \((?P<year>\d{4})\)\. (?P<title>.+?)"
    r"(?: \[(?P<table>[^\]]+), table (?P<name>\w+)\])? \(Version (?P<version>[\d.]+)\) "
    r"\[Data set\]\. (?P<publisher>chinaai-stats contributors)\."
    r"(?: SHA-256 (?P<digest>[0-9a-f]{64})\.)?$"
)


@pytest.mark.parametrize("name", [None, *cs.list_datasets()])
def test_apa_is_the_data_set_form_without_a_dangling_retrieved(name) -> None:
    text = cs.cite(name, style="apa")
    m = APA.match(text)
    assert m, text
    assert m["version"] == cs.__version__ and m["year"] == catalog.descriptor()["created"][:4]
    assert m["title"] == catalog.descriptor()["title"]
    assert "Retrieved" not in text and "\n" not in text
    if name is not None:
        assert m["name"] == name
        assert m["digest"] == catalog.resource(name)["hash"].removeprefix("sha256:")


def test_table_citation_lists_the_sources_of_its_rows_only() -> None:
    text = cs.cite("user_counts", accessed="2026-11-24")
    assert "A Chinese Internet Giant Enters the AI Race" in text
    assert "emerging dominance in Artificial Intelligence" in text
    assert "Event Recap" not in text  # no user count comes from that source
    assert "European Central Bank" in cs.cite("exchange_rates")


@pytest.mark.parametrize("name", [None, "talent", "investments", "exchange_rates"])
def test_bibtex_is_valid_with_a_corporate_author_version_and_hash(name) -> None:
    library = bibtexparser.parse_string(
        cs.cite(name, style="bibtex", accessed="2026-11-24"),
        append_middleware=[SeparateCoAuthors(), SplitNameParts()],
    )
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    assert entry.key.endswith(cs.__version__.replace(".", "_"))
    assert entry.fields_dict["version"].value == cs.__version__
    assert entry.fields_dict["publisher"].value == "chinaai-stats contributors"
    (author,) = entry.fields_dict["author"].value
    # one organisation: no given names, the whole name kept together as the last name
    assert author.first == [] and author.von == [] and author.jr == []
    assert author.last == ["{chinaai-stats contributors}"]
    note = entry.fields_dict["note"].value
    assert "accessed 2026-11-24" in note and "CC-BY-4.0" in note
    if name is not None:
        assert catalog.resource(name)["hash"].removeprefix("sha256:") in note
    assert "url" not in entry.fields_dict and "urldate" not in entry.fields_dict


def test_bibtex_keys_differ_per_table() -> None:
    keys = {
        bibtexparser.parse_string(cs.cite(n, style="bibtex")).entries[0].key
        for n in cs.list_datasets()
    }
    assert len(keys) == len(cs.list_datasets())


def test_unknown_style_and_table() -> None:
    with pytest.raises(cs.ChinaAIStatsError, match="unknown citation style"):
        cs.cite("talent", style="mla")
    for style in ("text", "bibtex"):
        with pytest.raises(cs.ChinaAIStatsError, match="accessed 'yesterday' is not a YYYY-MM-DD"):
            cs.cite("talent", style=style, accessed="yesterday")
    with pytest.raises(cs.DatasetNotFoundError):
        cs.cite("talents")


def test_cli_cite_and_template() -> None:
    r = run_cli("cite", "talent", "--style", "bibtex", "--accessed", "2026-01-02")
    assert r.returncode == 0 and "accessed 2026-01-02" in r.stdout
    bad = run_cli("cite", "talent", "--accessed", "yesterday")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    t = run_cli("template", "talent")
    assert t.returncode == 0
    assert t.stdout.strip() == ",".join(cs.describe("talent")["field"])
    assert t.stderr.startswith("# an example row of talent")


# ------------------------------------------------------------------ CITATION.cff


def _cff() -> dict:
    return yaml.safe_load((REPO / "CITATION.cff").read_text("utf-8"))


def test_cff_is_a_data_set_by_an_organisation_with_a_publisher_and_no_made_up_address() -> None:
    cff = _cff()
    assert cff["type"] == "dataset"
    assert cff["authors"] == [{"name": "chinaai-stats contributors"}]  # an entity, not a person
    assert cff["version"] == cs.__version__
    pref = cff["preferred-citation"]
    assert pref["type"] == "data" and pref["version"] == cs.__version__
    assert pref["authors"] == [{"name": "chinaai-stats contributors"}]
    assert pref["publisher"] == {"name": "chinaai-stats contributors"}
    assert pref["year"] == int(cff["date-released"][:4])
    for key in ("url", "repository", "repository-code", "repository-artifact", "doi"):
        assert key not in cff and key not in pref, key


def test_cff_renders_from_any_descriptor_deterministically() -> None:
    desc = catalog.descriptor()
    a = render_cff(desc, "9.9.9", "2030-01-02")
    assert a == render_cff(desc, "9.9.9", "2030-01-02")
    data = yaml.safe_load(a)
    assert data["version"] == "9.9.9" and data["preferred-citation"]["year"] == 2030


def _cffconvert() -> str:
    tool = os.environ.get("CFFCONVERT") or shutil.which("cffconvert")
    if not tool:
        pytest.skip("cffconvert is not installed (.ci/run installs it in its own venv)")
    return tool


def test_cffconvert_validates_and_keeps_the_organisation_whole() -> None:
    tool = _cffconvert()
    cff = str(REPO / "CITATION.cff")
    r = subprocess.run([tool, "--validate", "-i", cff], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    bib = subprocess.run([tool, "-f", "bibtex", "-i", cff], capture_output=True, text=True)
    assert bib.returncode == 0, bib.stderr
    (entry,) = bibtexparser.parse_string(bib.stdout).entries
    # the entity's name, not "family, given" as cffconvert writes a person's
    assert entry.fields_dict["author"].value == "chinaai-stats contributors"
    apa = subprocess.run([tool, "-f", "apalike", "-i", cff], capture_output=True, text=True)
    assert apa.stdout.startswith("chinaai-stats contributors (")
    assert f"(version {cs.__version__})" in apa.stdout

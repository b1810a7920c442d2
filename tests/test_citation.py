"""Citations: text, APA and BibTeX name the version, the table hash and the sources."""

from __future__ import annotations

import bibtexparser
import pytest

import chinaai_stats as cs
from chinaai_stats import catalog
from tests.conftest import run_cli


@pytest.mark.parametrize("name", [None, *cs.list_datasets()])
@pytest.mark.parametrize("style", ["text", "apa", "bibtex"])
def test_citation_names_version_hash_and_access_date(name, style) -> None:
    text = cs.cite(name, style=style, accessed="2026-11-24")
    assert cs.__version__ in text
    assert "CC-BY-4.0" in text
    assert ("2026-11-24" in text) or ("November 24, 2026" in text)
    if name is not None:
        digest = catalog.resource(name)["hash"].removeprefix("sha256:")[:12]
        assert digest in text
        assert catalog.resource(name)["title"] in text


def test_table_citation_lists_the_sources_of_its_rows_only() -> None:
    text = cs.cite("user_counts", accessed="2026-11-24")
    assert "A Chinese Internet Giant Enters the AI Race" in text
    assert "emerging dominance in Artificial Intelligence" in text
    assert "Event Recap" not in text  # no user count comes from that source
    assert "European Central Bank" in cs.cite("exchange_rates")


@pytest.mark.parametrize("name", [None, "talent", "investments"])
def test_bibtex_is_valid_and_keyed_by_version(name) -> None:
    library = bibtexparser.parse_string(cs.cite(name, style="bibtex"))
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    assert entry.key.endswith(cs.__version__.replace(".", "_"))
    assert entry.fields_dict["version"].value == cs.__version__
    assert "chinaai-stats contributors" in entry.fields_dict["author"].value


def test_bibtex_keys_differ_per_table() -> None:
    keys = {
        bibtexparser.parse_string(cs.cite(n, style="bibtex")).entries[0].key
        for n in cs.list_datasets()
    }
    assert len(keys) == len(cs.list_datasets())


def test_unknown_style_and_table() -> None:
    with pytest.raises(cs.ChinaAIStatsError, match="unknown citation style"):
        cs.cite("talent", style="mla")
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

"""Registering a source text: metadata checked against the schema, one atomic write."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import validate
from hypothesis import given, settings
from hypothesis import strategies as st

from chinaai_stats.contributing.registry import RegistryError, add_source, check_row
from chinaai_stats.tables import catalog
from tests.conftest import run_cli

FIELDS = ["id", "title", "publisher", "author", "published", "date_note", "url", "language",
          "kind", "filename", "sha256", "caveats"]  # fmt: skip
ARGS = ["--title", "A note", "--publisher", "Example News", "--caveats", "An example."]


@pytest.fixture
def clone(data_copy: Path) -> Path:
    """A clone with a CITATION.cff, like a checkout."""
    repo = Path(__file__).resolve().parent.parent
    (data_copy / "CITATION.cff").write_bytes((repo / "CITATION.cff").read_bytes())
    return data_copy


@pytest.fixture
def text(tmp_path: Path) -> Path:
    p = tmp_path / "note-2018.txt"
    p.write_text("A headline\n\nThe fund holds RMB100 billion.\n", encoding="utf-8")
    return p


def _registry(root: Path) -> list[dict[str, str]]:
    with open(root / "seeds" / "sources.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_add_source_writes_registry_descriptor_and_citation(clone: Path, text: Path) -> None:
    before = len(_registry(clone))
    r = add_source(
        text, id="example-note", title="A note", publisher="Example News",
        published="2018-05-17", url="https://example.org/a", language="en",
        kind="event-recap", caveats="An example.", root=clone,
    )  # fmt: skip
    rows = _registry(clone)
    assert len(rows) == before + 1
    new = rows[-1]
    assert new["sha256"] == hashlib.sha256(text.read_bytes()).hexdigest()
    assert new["filename"] == "note-2018.txt" and new["kind"] == "event_recap"
    assert new["date_note"] == "Dated in the text."
    assert {p.name for p in r.files} == {"sources.csv", "datapackage.json", "CITATION.cff"}
    assert "example-note" in {s["id"] for s in catalog.registry_rows(clone)}
    assert "Example News" in (clone / "CITATION.cff").read_text("utf-8")
    desc = json.loads((clone / "datasets" / "datapackage.json").read_text("utf-8"))
    listed = [s for s in desc["sources"] if s["title"].startswith("A note (")]
    assert listed == [
        {"title": "A note (Example News, 2018-05-17)", "path": "https://example.org/a"}
    ]
    assert any("World Bank" in s["title"] for s in desc["sources"])  # upstreams kept
    report = validate(clone / "datasets" / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])


def test_undated_source_records_what_the_text_implies(clone: Path, text: Path) -> None:
    add_source(text, id="undated-note", title="T", publisher="P", undated="Mentions 2019.",
               caveats="c", root=clone)  # fmt: skip
    new = _registry(clone)[-1]
    assert new["published"] == "" and new["date_note"] == "Undated. Mentions 2019."


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"id": "techreview-2016-tencent-ai-lab"}, "is taken"),
        ({"id": "Bad Id"}, "does not match"),
        ({"published": "17/05/2018"}, "YYYY-MM-DD"),
        ({"published": "2018-02-30"}, "YYYY-MM-DD"),
        ({"url": "example.org/a"}, "absolute address"),
        ({"language": "english"}, "language"),
        ({"kind": "tweet"}, "is not one of"),
        ({"caveats": ""}, "caveats is required"),
        ({"title": "two\nlines"}, "one line"),
        ({"published": None}, "exactly one of"),
        ({"undated": "Mentions 2019."}, "exactly one of"),
        ({"published": "2999-01-01"}, "in the future"),
        ({"title": "=HYPERLINK(1)"}, "formula"),
        ({"publisher": "@example"}, "formula"),
        ({"caveats": "+ a speaker's claim"}, "formula"),
    ],
)
def test_bad_fields_are_refused_and_nothing_changes(clone: Path, text: Path, kw, message) -> None:
    args = {"id": "example-note", "title": "A note", "publisher": "P", "published": "2018-05-17",
            "caveats": "c", "root": clone, **kw}  # fmt: skip
    files = [clone / "seeds" / "sources.csv", clone / "datasets" / "datapackage.json"]
    before = [f.read_bytes() for f in files]
    with pytest.raises(RegistryError, match=message):
        add_source(text, **args)
    assert [f.read_bytes() for f in files] == before


def test_a_text_already_registered_is_refused(clone: Path, tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text("same bytes\n", encoding="utf-8")
    add_source(first, id="first", title="T", publisher="P", published="2018-01-01",
               caveats="c", root=clone)  # fmt: skip
    second = tmp_path / "b.txt"
    second.write_bytes(first.read_bytes())
    with pytest.raises(RegistryError, match="already registered as 'first'"):
        add_source(second, id="second", title="T", publisher="P", published="2018-01-01",
                   caveats="c", root=clone)  # fmt: skip


def test_replaced_files_keep_their_mode(clone: Path, text: Path) -> None:
    reg = clone / "seeds" / "sources.csv"
    os.chmod(reg, 0o664)
    add_source(text, id="mode-note", title="T", publisher="P", published="2018-01-01",
               caveats="c", root=clone)  # fmt: skip
    assert stat.S_IMODE(reg.stat().st_mode) == 0o664


def test_two_processes_registering_at_once_both_land(clone: Path, tmp_path: Path) -> None:
    code = (
        "import sys; from chinaai_stats.contributing.registry import add_source\n"
        "add_source(sys.argv[1], id=sys.argv[2], title='T', publisher='P',"
        " published='2018-01-01', caveats='c', root=sys.argv[3])\n"
    )
    procs = []
    for i in range(4):
        p = tmp_path / f"t{i}.txt"
        p.write_text(f"text {i}\n", encoding="utf-8")
        procs.append(
            subprocess.Popen([sys.executable, "-c", code, str(p), f"parallel-{i}", str(clone)])
        )
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    ids = {r["id"] for r in _registry(clone)}
    assert {f"parallel-{i}" for i in range(4)} <= ids
    desc = json.loads((clone / "datasets" / "datapackage.json").read_text("utf-8"))
    data = next(r for r in desc["resources"] if r["name"] == "sources")["data"]
    assert {f"parallel-{i}" for i in range(4)} <= {row[0] for row in data[1:]}


# ---- the command line ----


def test_cli_sources_add_from_inside_a_clone(clone: Path, text: Path) -> None:
    r = run_cli("sources", "add", str(text), "--id", "cli-note", "--published", "2018-05-17",
                *ARGS, cwd=clone / "datasets", env={"CHINAAI_STATS_DATA": ""})  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "registered cli-note" in r.stdout
    assert _registry(clone)[-1]["id"] == "cli-note"
    again = run_cli("sources", "add", str(text), "--id", "cli-note-2", "--published",
                    "2018-05-17", *ARGS, "--datasets", str(clone / "datasets"))  # fmt: skip
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "already registered as 'cli-note'" in again.stderr


@pytest.mark.parametrize(
    "extra",
    [
        ["--published", "2018-05-17", "--undated", "x"],
        [],
    ],
    ids=["both-dates", "no-date"],
)
def test_cli_needs_exactly_one_date_option(clone: Path, text: Path, extra) -> None:
    r = run_cli("sources", "add", str(text), "--id", "x", *ARGS, *extra,
                "--datasets", str(clone / "datasets"))  # fmt: skip
    assert r.returncode == 2


def test_cli_missing_text_file_is_exit_2(clone: Path, tmp_path: Path) -> None:
    r = run_cli("sources", "add", str(tmp_path / "nope.txt"), "--id", "x", "--published",
                "2018-05-17", *ARGS, "--datasets", str(clone / "datasets"))  # fmt: skip
    assert r.returncode == 2 and "no such file" in r.stderr
    assert "Traceback" not in r.stderr
    folder = run_cli("sources", "add", str(tmp_path), "--id", "x", "--published",
                     "2018-05-17", *ARGS, "--datasets", str(clone / "datasets"))  # fmt: skip
    assert folder.returncode == 2 and "is a directory" in folder.stderr


def test_cli_sources_still_prints_the_registry() -> None:
    r = run_cli("sources", "--format", "csv")
    assert r.returncode == 0
    assert r.stdout.splitlines()[0].startswith("id,title")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=30), max_size=len(FIELDS)))
def test_check_row_reports_problems_and_never_raises(row: dict[str, str]) -> None:
    schema = json.loads((catalog.data_root() / "schemas" / "sources.json").read_text("utf-8"))
    problems = check_row(row, schema)
    assert all(isinstance(p, str) and p for p in problems)
    for name in ("id", "title", "date_note", "language", "kind", "filename", "sha256"):
        if not row.get(name):
            assert f"{name} is required" in problems


def _make_unusable_text(kind: str, tmp_path: Path) -> Path:
    p = tmp_path / f"{kind}.txt"
    if kind == "fifo":
        os.mkfifo(p)
    elif kind == "folder":
        p.mkdir()
    elif kind == "binary":
        p.write_bytes(b"PK\x03\x04\x00\x00 binary")
    elif kind == "utf16":
        p.write_bytes("A headline\nThe fund holds 5 million.\n".encode("utf-16"))
    elif kind == "latin1":
        p.write_bytes("Zürich holds 5 million.\n".encode("latin-1"))
    elif kind == "empty":
        p.write_bytes(b"")
    elif kind == "device":
        return Path("/dev/zero")
    return p


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("fifo", "not a regular file"),
        ("device", "not a regular file"),
        ("folder", "is a directory"),
        ("missing", "no such file"),
        ("binary", "binary content"),
        ("utf16", "UTF-16"),
        ("latin1", "not UTF-8"),
        ("empty", "is empty"),
    ],
)
def test_cli_unusable_source_text_is_exit_2_and_writes_nothing(
    clone: Path, tmp_path: Path, kind: str, message: str
) -> None:
    path = _make_unusable_text(kind, tmp_path)
    files = [clone / "seeds" / "sources.csv", clone / "datasets" / "datapackage.json"]
    before = [f.read_bytes() for f in files]
    r = run_cli("sources", "add", str(path), "--id", "example-note", "--published", "2018-05-17",
                *ARGS, "--datasets", str(clone / "datasets"))  # fmt: skip
    assert r.returncode == 2, r.stdout + r.stderr
    assert message in r.stderr and str(path) in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert [f.read_bytes() for f in files] == before

"""validate and add on hostile input: pipes, FIFOs, devices, odd line endings, huge reports.

Every case runs through the CLI (a subprocess, with a timeout), as a user would.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading

import pytest

import chinaai_stats as cs
from chinaai_stats.contributing.validation import reading, report
from chinaai_stats.tables import catalog
from tests.conftest import run_cli
from tests.test_validation import COLUMNS, GOOD, UNUSABLE, row, write_rows


def cli(*args: str, stdin: bytes | None = None, timeout: float = 60, env=None):
    """Run the CLI with bytes on stdin; return (exit code, stdout, stderr)."""
    proc = subprocess.run(
        [sys.executable, "-m", "chinaai_stats", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def csv_bytes(rows: list[dict[str, str]], newline: str = "\n") -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(r[c] for c in COLUMNS) for r in rows]
    return (newline.join(lines) + newline).encode("utf-8")


# ---- pipes, FIFOs and devices: read as streams or refused, never a hang ----


@pytest.mark.parametrize("command", ["validate", "add"])
def test_a_fifo_nobody_writes_to_is_refused_not_waited_on(data_copy, tmp_path, command) -> None:
    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)
    datasets = ["--datasets", str(data_copy / "datasets")] if command == "add" else []
    code, out, err = cli(command, str(fifo), "--table", "talent", *datasets, timeout=30)
    assert code == 2 and out == ""
    assert "nothing arrived" in err and len(err.strip().splitlines()) == 1


def test_a_fifo_with_a_writer_is_read_as_a_stream(tmp_path) -> None:
    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as f:
            f.write(csv_bytes([GOOD]))

    writer = threading.Thread(target=write)
    writer.start()
    code, out, _ = cli("validate", str(fifo), "--table", "talent", timeout=30)
    writer.join(timeout=30)
    assert code == 0, out
    assert f"{fifo}: valid for table talent: 1 rows" in out


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_standard_input_is_read(name: str) -> None:
    code, out, err = cli("validate", name, "--table", "talent", stdin=csv_bytes([GOOD]))
    assert code == 0, err
    assert "valid for table talent: 1 rows" in out
    bad = csv_bytes([row(entity_type="planet")])
    code, out, _ = cli("validate", name, "--table", "talent", "--format", "json", stdin=bad)
    assert code == 1 and json.loads(out)["errors"][0]["line"] == 2


@pytest.mark.parametrize(("device", "needle"), [("/dev/null", "is empty"), ("/dev/zero", "binary")])
def test_devices_are_refused_quickly(device: str, needle: str) -> None:
    code, _, err = cli("validate", device, "--table", "talent", timeout=30)
    assert code == 2 and needle in err


# ---- --format json: one JSON object for every outcome ----


@pytest.mark.parametrize(("case", "content", "needle"), UNUSABLE, ids=[u[0] for u in UNUSABLE])
def test_json_for_unusable_input(tmp_path, case, content, needle) -> None:
    path = tmp_path / "input.csv"
    if content == "DIR":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    r = run_cli("validate", str(path), "--table", "talent", "--format", "json")
    assert r.returncode == 2
    doc = json.loads(r.stdout)
    assert doc["ok"] is False and needle in doc["error"] and doc["exit_code"] == 2


@pytest.mark.parametrize(
    "args",
    [
        ["--table", "talents"],  # unknown table
        ["--table", "talent", "--limit", "-1"],
    ],
)
def test_json_for_bad_arguments(tmp_path, args) -> None:
    path = write_rows(tmp_path / "r.csv", [GOOD])
    r = run_cli("validate", str(path), *args, "--format", "json")
    assert r.returncode == 2
    assert json.loads(r.stdout)["ok"] is False
    assert len(r.stderr.strip().splitlines()) == 1


def test_limit_counts_honestly(tmp_path) -> None:
    rows = [row(id=f"tal-{200 + i:04d}", entity_type="planet") for i in range(5)]
    path = write_rows(tmp_path / "r.csv", rows)
    r = run_cli("validate", str(path), "--table", "talent", "--limit", "2")
    lines = r.stdout.splitlines()
    assert sum(": error: " in line for line in lines) == 2
    assert "... and 3 more errors" in lines
    r = run_cli("validate", str(path), "--table", "talent", "--limit", "0", "--format", "json")
    doc = json.loads(r.stdout)
    assert doc["errors"] == [] and doc["error_count"] == 5


def test_add_prints_one_json_object_for_every_outcome(data_copy, tmp_path) -> None:
    env = {"CHINAAI_STATS_DATA": str(data_copy)}
    datasets = str(data_copy / "datasets")
    good = write_rows(tmp_path / "good.csv", [row(id="tal-0900")])
    bad = write_rows(tmp_path / "bad.csv", [row(id="tal-0901", entity_type="planet")])
    missing = tmp_path / "missing.csv"
    for path, code, added in [(bad, 1, []), (missing, 2, None), (good, 0, ["tal-0900"])]:
        r = run_cli("add", str(path), "--table", "talent", "--datasets", datasets,
                    "--format", "json", env=env)  # fmt: skip
        assert r.returncode == code, r.stderr
        doc = json.loads(r.stdout)
        assert doc["ok"] is (code == 0)
        if added is not None:
            assert doc["added"] == added
        else:
            assert "no such file" in doc["error"]


# ---- odd but readable files ----


def test_crlf_with_a_bom_takes_the_fast_path_and_keeps_lines(tmp_path) -> None:
    path = tmp_path / "win.csv"
    text = csv_bytes([GOOD, row(id="tal-9101", entity_type="planet")], newline="\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text)
    report_ = cs.validate(path, table="talent")
    assert report_.errors[["line", "check"]].values.tolist() == [[3, "enum"]]


def test_lone_cr_line_endings_are_read(tmp_path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(csv_bytes([GOOD, row(id="tal-9101", entity_type="planet")], newline="\r"))
    report_ = cs.validate(path, table="talent")
    assert report_.rows == 2
    assert report_.errors[["line", "check"]].values.tolist() == [[3, "enum"]]


def test_a_header_without_a_final_newline_is_a_file_without_rows(tmp_path) -> None:
    path = tmp_path / "header.csv"
    path.write_text(",".join(COLUMNS), "utf-8")
    r = run_cli("validate", str(path), "--table", "talent")
    assert r.returncode == 0, r.stderr
    assert "0 rows, 0 errors, 1 warnings" in r.stdout


def test_blank_lines_before_the_header_are_skipped(tmp_path) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\n" * 70_000 + csv_bytes([row(entity_type="planet")]))
    r = run_cli("validate", str(path), "--table", "talent")
    assert r.returncode == 1, r.stderr
    assert f"{path}:70002: error: entity_type:" in r.stdout


def test_blank_lines_between_rows_are_reported(tmp_path) -> None:
    text = csv_bytes([GOOD]) + b"\n" + csv_bytes([row(id="tal-9101")]).split(b"\n", 1)[1]
    path = tmp_path / "gaps.csv"
    path.write_bytes(text + b"\n")
    report_ = cs.validate(path, table="talent")
    blank = report_.errors[report_.errors["check"] == "blank-row"]
    assert blank["line"].tolist() == [3, 5]
    assert report_.rows == 2


def test_no_warning_text_reaches_stderr(tmp_path) -> None:
    with open(catalog.table_path("investments"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    cny = next(r for r in rows if r["unit"] == "CNY")
    cases = [("1e400", "0"), ("0", "1e400"), ("-inf", "inf"), ("5", "0"), ("NaN", "1")]
    out = [
        {**cny, "id": f"inv-{9000 + i}", "value": v, "stated_usd": usd, "stated_usd_text": "$1"}
        for i, (v, usd) in enumerate(cases)
    ]
    path = tmp_path / "inv.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(cny), lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    r = run_cli("validate", str(path), "--table", "investments")
    assert r.returncode == 1
    assert r.stderr == ""


# ---- long cells are not parsed ----


def test_cells_over_the_length_limit_are_not_parsed(tmp_path, monkeypatch) -> None:
    from chinaai_stats.contributing.validation import crossfield

    seen: list[int] = []
    real = crossfield.read_figure

    def counting(text: str):
        seen.append(len(text))
        return real(text)

    monkeypatch.setattr(crossfield, "read_figure", counting)
    rows = [row(id=f"tal-{1000 + i}", value_text="(1" * 2_500 + str(i)) for i in range(400)]
    path = write_rows(tmp_path / "long.csv", rows)
    assert path.stat().st_size > 2_000_000
    report_ = cs.validate(path, table="talent")
    assert set(report_.errors["check"]) == {"max-length"}
    assert len(report_.errors) == 400
    assert not seen or max(seen) <= 80


# ---- the report is written in order, whatever the chunking ----


def test_streamed_report_is_in_line_order_across_chunks(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(report, "CHUNK", 7)
    rows = []
    for i in range(60):
        changes = {"entity_type": "planet"} if i % 2 else {"unit": "kg"}
        if i % 3 == 0:
            changes["locator"] = "x"
        rows.append(row(id=f"tal-{300 + i:04d}", **changes))
    r = cs.validate(write_rows(tmp_path / "r.csv", rows), table="talent")
    lines = r.errors["line"].tolist()
    assert lines == sorted(lines) and len(lines) > 2 * 7
    doc = json.loads(r.to_json())
    assert [e["line"] for e in doc["errors"]] == lines
    text_lines = [ln for ln in r.to_text().splitlines() if ": error: " in ln]
    assert [int(ln.split(":")[1]) for ln in text_lines] == lines


def test_pipe_wait_is_a_bounded_constant() -> None:
    assert 0 < reading.PIPE_WAIT <= 30

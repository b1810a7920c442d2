"""Outputs never touch what the user did not ask to change: folders, files, modes, path mistakes."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import chinaai_stats as cs
from chinaai_stats.outputs import outdir
from tests.conftest import REPO, run_cli


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (to prove nothing changed)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _user_folder(folder: Path) -> dict[str, bytes]:
    """A folder as a user has it: a fake git clone with files of their own."""
    (folder / ".git" / "objects").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / ".git" / "objects" / "ab").write_bytes(b"\x00blob")
    (folder / "index.html").write_text("<p>my own page</p>\n")
    (folder / "notes.txt").write_text("数据 千亿\n", encoding="utf-8")
    return _tree(folder)


def _cli(*args: str, cwd: Path | None = None, umask: int | None = None, user: bool = False):
    """Run the command line, optionally under a umask or as an unprivileged user."""
    cmd = [sys.executable, "-m", "chinaai_stats", *args]
    if user:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "MPLCONFIGDIR": tempfile.gettempdir()} if user else None,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def _one_line_error(r: subprocess.CompletedProcess, code: int = 2) -> str:
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    return lines[0]


# ------------------------------------------------------------------ refusing user folders


@pytest.mark.parametrize("command", [["report"], ["export", "--format", "json"]])
def test_a_folder_of_user_files_is_refused_and_left_alone(tmp_path, command) -> None:
    target = tmp_path / "clone"
    target.mkdir()
    before = _user_folder(target)
    line = _one_line_error(run_cli(*command, "--out", str(target)))
    assert "not written by chinaai-stats" in line and "--force" in line
    assert _tree(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clone"]  # no temporary left


def test_report_out_dot_in_a_clone_refuses_and_deletes_nothing(tmp_path) -> None:
    before = _user_folder(tmp_path)
    line = _one_line_error(_cli("report", "--out", ".", cwd=tmp_path))
    assert str(tmp_path) in line
    assert _tree(tmp_path) == before


def test_report_out_dot_in_an_empty_or_own_folder_fills_it_in_place(tmp_path) -> None:
    here = tmp_path / "here"
    here.mkdir()
    inode = here.stat().st_ino
    for _ in range(2):  # empty, then written by us
        r = _cli("export", "--format", "json", "--out", ".", cwd=here)
        assert r.returncode == 0, r.stderr
        assert here.stat().st_ino == inode  # the shell's folder was not swapped away
        assert (here / "talent.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here"]


def test_force_writes_alongside_and_keeps_the_users_files(tmp_path) -> None:
    target = tmp_path / "clone"
    target.mkdir()
    (target / ".git").mkdir()
    (target / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (target / "notes.txt").write_text("mine\n")
    r = run_cli("export", "--format", "json", "--out", str(target), "--force")
    assert r.returncode == 0, r.stderr
    assert (target / "notes.txt").read_text() == "mine\n"
    assert (target / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert (target / "talent.json").is_file() and (target / outdir.MARKER).is_file()
    # again, with --force: our own files are replaced, the user's stay
    r = run_cli("export", "--format", "json", "--out", str(target), "--force")
    assert r.returncode == 0, r.stderr
    assert (target / "notes.txt").read_text() == "mine\n"
    # without --force the folder still holds files that are not ours: refused
    line = _one_line_error(run_cli("export", "--format", "json", "--out", str(target)))
    assert "notes.txt" in line


def test_force_never_replaces_a_user_file_with_one_of_our_names(tmp_path) -> None:
    (tmp_path / "site").mkdir()
    before = _user_folder(tmp_path / "site")
    line = _one_line_error(run_cli("report", "--out", str(tmp_path / "site"), "--force"))
    assert "index.html" in line
    assert _tree(tmp_path / "site") == before


def test_a_folder_we_wrote_is_replaced_whole_and_stale_files_go(tmp_path) -> None:
    target = tmp_path / "js"
    cs.export("json", target)
    stale = target / "old_table.json"
    stale.write_text("[]\n")
    marker = json.loads((target / outdir.MARKER).read_text())
    marker["files"]["old_table.json"] = outdir._sha256(stale)  # as an earlier run records it
    marker["identities"]["old_table.json"] = outdir._identity(os.lstat(stale))
    (target / outdir.MARKER).write_text(json.dumps(marker))
    cs.export("json", target)
    assert not stale.exists()
    assert set(json.loads((target / outdir.MARKER).read_text())["files"]) == {
        p.name for p in target.iterdir() if p.name != outdir.MARKER
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["js"]


def test_a_file_we_wrote_then_the_user_changed_is_not_ours_any_more(tmp_path) -> None:
    target = tmp_path / "js"
    cs.export("json", target)
    (target / "talent.json").write_text("[] edited by hand\n")
    with pytest.raises(cs.OutputPathError, match=r"talent\.json"):
        cs.export("json", target)
    assert (target / "talent.json").read_text() == "[] edited by hand\n"
    with pytest.raises(cs.OutputPathError, match=r"talent\.json"):
        cs.export("json", target, force=True)
    assert (target / "talent.json").read_text() == "[] edited by hand\n"


def test_an_empty_folder_and_a_new_path_with_missing_parents_are_written(tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    assert run_cli("export", "--format", "json", "--out", str(tmp_path / "empty")).returncode == 0
    assert (tmp_path / "empty" / "talent.json").is_file()
    deep = tmp_path / "a" / "b" / "c"
    r = run_cli("report", "--out", str(deep))
    assert r.returncode == 0, r.stderr
    assert (deep / "index.html").is_file()


def test_a_marker_naming_files_outside_the_folder_is_not_ours(tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    target = tmp_path / "out"
    target.mkdir()
    (target / "x.json").write_text("{}")
    (target / outdir.MARKER).write_text(
        json.dumps(
            {
                "written_by": "chinaai-stats",
                "files": {"../victim.txt": outdir._sha256(victim), "x.json": "0"},
            }
        )
    )
    with pytest.raises(cs.OutputPathError, match="not written by chinaai-stats"):
        cs.export("json", target)
    cs.export("json", target, force=True)
    assert victim.read_text() == "keep me\n"
    assert (target / "x.json").read_text() == "{}"


# ------------------------------------------------------------------ path mistakes


def _path_cases(tmp: Path) -> list[tuple[list[str], str]]:
    (tmp / "a_file.txt").write_text("mine\n")
    (tmp / "data.json").write_text('{"mine": true}\n')
    (tmp / "user.sqlite").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    (tmp / "folder").mkdir()
    return [
        (["report", "--out", str(tmp / "a_file.txt")], "is a file, not a folder"),
        (["report", "--out", str(tmp / "a_file.txt" / "sub")], "is a file, not a folder"),
        (["export", "--format", "json", "--out", str(tmp / "data.json")], "is a file"),
        (["export", "--format", "csv", "--out", str(tmp / "a_file.txt" / "x")], "is a file"),
        (["export", "--format", "sqlite", "--out", str(tmp / "user.sqlite")], "not written by"),
        (["export", "--format", "sqlite", "--out", str(tmp / "a_file.txt")], "not written by"),
        (["export", "--format", "sqlite", "--out", str(tmp / "folder")], "is a folder"),
        (["export", "--format", "xlsx", "--out", str(tmp / "a_file.txt")], "not written by"),
        (["export", "--format", "xlsx", "--out", str(tmp / "data.json")], "not written by"),
        (["export", "--format", "json", "--out", ""], "empty"),
        (["export", "--format", "sqlite", "--out", str(tmp / "new") + "/"], "names a folder"),
    ]


def test_every_path_mistake_is_exit_2_with_one_line_and_changes_nothing(tmp_path) -> None:
    for args, reason in _path_cases(tmp_path):
        before = _tree(tmp_path)
        line = _one_line_error(run_cli(*args))
        assert reason in line, (args, line)
        assert _tree(tmp_path) == before, args
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], args


def test_a_sqlite_export_replaces_its_own_earlier_file_only(tmp_path) -> None:
    out = tmp_path / "chinaai.sqlite"
    assert run_cli("export", "--format", "sqlite", "--out", str(out)).returncode == 0
    first = out.stat().st_ino
    assert run_cli("export", "--format", "sqlite", "--out", str(out)).returncode == 0
    assert out.stat().st_ino != first  # replaced by a rename, not rewritten in place
    side = tmp_path / "chinaai.metadata.json"
    side.write_text('{"mine": true}\n')  # a metadata file of the user's beside it
    line = _one_line_error(run_cli("export", "--format", "sqlite", "--out", str(out)))
    assert "chinaai.metadata.json" in line
    assert side.read_text() == '{"mine": true}\n'


@pytest.mark.skipif(os.getuid() != 0 or not shutil.which("setpriv"), reason="needs root")
def test_an_unwritable_folder_is_exit_2(tmp_path) -> None:
    open_dir = Path(tempfile.mkdtemp())  # pytest's own folder is closed to other users
    try:
        os.chmod(open_dir, 0o755)
        locked = open_dir / "locked"
        locked.mkdir(mode=0o755)
        for args in (
            ["report", "--out", str(locked / "catalog")],
            ["report", "--out", str(locked / "a" / "b")],
            ["export", "--format", "json", "--out", str(locked / "js")],
            ["export", "--format", "sqlite", "--out", str(locked / "d.sqlite")],
            ["export", "--format", "csv", "--out", str(tmp_path / "closed")],
        ):
            line = _one_line_error(_cli(*args, user=True, cwd=REPO))
            assert "Permission denied" in line, line
        assert list(locked.iterdir()) == []
    finally:
        shutil.rmtree(open_dir)


# ------------------------------------------------------------------ modes


def _modes(folder: Path) -> set[tuple[str, int]]:
    return {
        ("dir" if p.is_dir() else "file", stat.S_IMODE(p.stat().st_mode))
        for p in [folder, *folder.rglob("*")]
    }


@pytest.mark.parametrize("umask", [0o002, 0o022])
def test_outputs_get_0666_and_0777_less_the_umask(tmp_path, umask) -> None:
    want = {("file", 0o666 & ~umask), ("dir", 0o777 & ~umask)}
    r = _cli("report", "--out", str(tmp_path / "catalog"), umask=umask)
    assert r.returncode == 0, r.stderr
    assert _modes(tmp_path / "catalog") == want
    for fmt in ("json", "csv", "parquet"):
        r = _cli("export", "--format", fmt, "--out", str(tmp_path / fmt), umask=umask)
        assert r.returncode == 0, r.stderr
        assert _modes(tmp_path / fmt) == want, fmt
    for fmt in ("sqlite", "xlsx"):
        out = tmp_path / "files" / f"data.{fmt}"
        r = _cli("export", "--format", fmt, "--out", str(out), umask=umask)
        assert r.returncode == 0, r.stderr
    assert _modes(tmp_path / "files") == want


# ------------------------------------------------------------------ two writers, a failure


def test_two_processes_writing_one_folder_leave_one_whole_output(tmp_path) -> None:
    target = tmp_path / "js"
    cmd = [sys.executable, "-m", "chinaai_stats", "export", "--format", "json", "--out"]
    procs = [
        subprocess.Popen([*cmd, str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0, 0, 0], [p.stderr.read() for p in procs]
    marker = json.loads((target / outdir.MARKER).read_text())
    assert {p.name for p in target.iterdir()} == {*marker["files"], outdir.MARKER}
    for rel, digest in marker["files"].items():
        assert outdir._sha256(target / rel) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["js"]


def test_a_failed_build_leaves_the_old_output_and_no_temporary(tmp_path) -> None:
    target = tmp_path / "out"
    with outdir.output_folder(target, output="test") as tmp:
        (tmp / "a.txt").write_text("first")
    with pytest.raises(RuntimeError), outdir.output_folder(target, output="test") as tmp:
        (tmp / "a.txt").write_text("second")
        raise RuntimeError("the build failed")
    assert (target / "a.txt").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    with pytest.raises(RuntimeError), outdir.output_folder(tmp_path / "x" / "y", output="t"):
        raise RuntimeError("the build failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # created parents removed


# ------------------------------------------------------------------ module entry points


@pytest.mark.parametrize(
    "module",
    [
        "chinaai_stats",
        "chinaai_stats.builders.fxbuild",
        "chinaai_stats.tables.package",
        "chinaai_stats.builders.release",
    ],
)
def test_python_m_help_prints_usage(module) -> None:
    r = subprocess.run(
        [sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert "usage" in r.stdout.lower() and "Traceback" not in r.stderr


#: A writer killed inside the build: the temporary output it was filling stays behind.
_KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from chinaai_stats.outputs import outdir
target = Path(sys.argv[2])
if sys.argv[1] == "folder":
    with outdir.output_folder(target, output="export json") as tmp:
        (tmp / "half.json").write_text("[")
        os.kill(os.getpid(), signal.SIGKILL)
with outdir.output_files([(target, lambda p: True)], hint="x.sqlite") as temps:
    temps[0].write_bytes(b"SQLite format 3")
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize(("kind", "fmt", "name"), [("folder", "json", "js"),
                                                   ("file", "sqlite", "c.sqlite")])  # fmt: skip
def test_the_next_run_removes_what_a_killed_run_left(tmp_path, kind, fmt, name) -> None:
    target = tmp_path / name
    mine = tmp_path / f".{name}.notes.tmp"  # a user's file that merely looks alike
    mine.write_text("mine")
    killed = subprocess.run([sys.executable, "-c", _KILLED_WRITER, kind, str(target)])
    assert killed.returncode == -9
    left = [p.name for p in tmp_path.iterdir() if p.name.endswith(outdir.TEMP_SUFFIX)]
    assert len(left) == 1 and not target.exists()
    r = run_cli("export", "--format", fmt, "--out", str(target))
    assert r.returncode == 0, r.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {name, mine.name} | ({"c.metadata.json"} if fmt == "sqlite" else set())
    assert mine.read_text() == "mine"


def test_a_live_writers_temporary_output_is_left_alone(tmp_path) -> None:
    target = tmp_path / "out"
    with outdir.output_folder(target, output="test") as tmp:
        (tmp / "a.txt").write_text("a")
        assert outdir.sweep_leftovers(target) == [] and tmp.is_dir()  # our own pid
        other = tmp_path / f".out.1.abcdefgh{outdir.TEMP_SUFFIX}"  # pid 1 is alive
        other.mkdir()
        assert outdir.sweep_leftovers(target) == [] and other.is_dir()

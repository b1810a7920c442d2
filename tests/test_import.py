"""Importing the package stays cheap: no heavy library is loaded until needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ["pandas", "pandera", "pint", "frictionless", "numpy", "pyarrow"]


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_import_and_list_load_no_heavy_library() -> None:
    mods = _loaded_after("import chinaai_stats as cs; cs.list_datasets(); cs.ChinaAIStatsError")
    assert not {m for m in mods if m.split(".")[0] in HEAVY}


def test_cli_help_loads_no_heavy_library() -> None:
    mods = _loaded_after(
        "import contextlib, io, chinaai_stats.cli as c\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: c.main(['--help'])\n"
        "    except SystemExit: pass"
    )
    assert not {m for m in mods if m.split(".")[0] in HEAVY}


def test_load_imports_pandas_only() -> None:
    mods = _loaded_after("import chinaai_stats as cs; cs.load('talent')")
    assert "pandas" in mods
    assert not {m for m in mods if m.split(".")[0] in {"pandera", "pint", "frictionless"}}


def test_public_names_resolve_lazily() -> None:
    import chinaai_stats as cs

    for name in cs.__all__:
        assert getattr(cs, name) is not None
    assert set(cs.__all__) <= set(dir(cs))
    try:
        cs.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("unknown attribute did not raise")
    json.dumps(cs.list_datasets())


def test_type_checkers_see_every_lazy_name() -> None:
    """Each name loaded on first use is also imported under TYPE_CHECKING, from its module."""
    import ast

    import chinaai_stats

    tree = ast.parse(Path(chinaai_stats.__file__).read_text(encoding="utf-8"))
    seen: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom)
                seen.update({alias.name: imp.module or "" for alias in imp.names})
    assert seen == chinaai_stats._LAZY

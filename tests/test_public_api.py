"""The public API, listed: what ``chinaai_stats`` exports, its error classes and the CLI.

Moving code between modules must change none of it. A deliberate change to the API
updates the lists below and ``tests/data/public_api.json`` (the signatures and every
command's options), regenerated with ``python tests/test_public_api.py``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from pathlib import Path
from typing import Any

import chinaai_stats as cs

SNAPSHOT = Path(__file__).resolve().parent / "data" / "public_api.json"

ALL = [
    "ChinaAIStatsError",
    "DataFileError",
    "DataVersionError",
    "DatasetNotFoundError",
    "ExchangeRateError",
    "FormulaCellError",
    "InputFileError",
    "OutputPathError",
    "QuantityParseError",
    "UnitError",
    "__version__",
    "list_datasets",
    "load",
    "sources",
    "describe",
    "parse_quantity",
    "Quantity",
    "convert",
    "check_conversions",
    "population",
    "series",
    "cite",
    "changes",
    "compare",
    "derived",
    "conflicts",
    "facts",
    "timeline",
    "trace",
    "entity",
    "export",
    "write_report",
    "validate",
    "ValidationReport",
    "pandera_schema",
    "extract",
]
#: error class -> its bases, in method resolution order
ERRORS = {
    "ChinaAIStatsError": ["Exception", "BaseException"],
    "DataFileError": ["ChinaAIStatsError", "OSError", "Exception", "BaseException"],
    "DataVersionError": ["ChinaAIStatsError", "Exception", "BaseException"],
    "DatasetNotFoundError": ["ChinaAIStatsError", "LookupError", "Exception", "BaseException"],
    "ExchangeRateError": ["ChinaAIStatsError", "LookupError", "Exception", "BaseException"],
    "InputFileError": ["ChinaAIStatsError", "OSError", "Exception", "BaseException"],
    "OutputPathError": ["ChinaAIStatsError", "OSError", "Exception", "BaseException"],
    "QuantityParseError": ["ChinaAIStatsError", "ValueError", "Exception", "BaseException"],
    "UnitError": ["ChinaAIStatsError", "ValueError", "Exception", "BaseException"],
    "FormulaCellError": ["ChinaAIStatsError", "ValueError", "Exception", "BaseException"],
}
COMMANDS = [
    "add",
    "changes",
    "cite",
    "compare",
    "conflicts",
    "conversions",
    "derived",
    "describe",
    "export",
    "extract",
    "list",
    "parse",
    "rates-check",
    "report",
    "show",
    "sources",
    "template",
    "timeline",
    "trace",
    "validate",
]


def _tree(p: argparse.ArgumentParser) -> dict[str, Any]:
    commands = {}
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            commands = {name: _tree(sub) for name, sub in a.choices.items()}
    out: dict[str, Any] = {
        "options": sorted(o for a in p._actions for o in a.option_strings),
        "positionals": [
            a.dest
            for a in p._actions
            if not a.option_strings and not isinstance(a, argparse._SubParsersAction)
        ],
    }
    if commands:
        out["commands"] = commands
    return out


def snapshot() -> dict[str, Any]:
    """The public API as it is: names, error bases, signatures, every command's options."""
    from chinaai_stats.cli import _parser

    names = {n: getattr(cs, n) for n in cs.__all__}
    errors = {
        n: [b.__name__ for b in v.__mro__[1:] if b is not object]
        for n, v in names.items()
        if isinstance(v, type) and issubclass(v, BaseException)
    }
    signatures = {
        n: str(inspect.signature(v))
        for n, v in names.items()
        if callable(v) and not isinstance(v, type)
    }
    return {"all": cs.__all__, "errors": errors, "signatures": signatures, "cli": _tree(_parser())}


def test_the_exported_names() -> None:
    assert cs.__all__ == ALL


def test_the_error_classes_and_their_bases() -> None:
    assert snapshot()["errors"] == ERRORS
    for name in ERRORS:
        assert issubclass(getattr(cs, name), cs.ChinaAIStatsError)


def test_the_cli_subcommands() -> None:
    assert sorted(snapshot()["cli"]["commands"]) == COMMANDS


def test_signatures_and_every_commands_options_are_as_recorded() -> None:
    recorded = json.loads(SNAPSHOT.read_text("utf-8"))
    now = snapshot()
    assert now["signatures"] == recorded["signatures"]
    assert now["cli"] == recorded["cli"]
    assert now["all"] == recorded["all"] and now["errors"] == recorded["errors"]


if __name__ == "__main__":  # regenerate the snapshot after a deliberate API change
    text = json.dumps(snapshot(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    SNAPSHOT.write_text(text, "utf-8")
    sys.stdout.write(f"wrote {SNAPSHOT}\n")

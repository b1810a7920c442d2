"""Commands that write or print outputs: ``cite``, ``report``, ``export``."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from ..core.errors import ChinaAIStatsError
from ._common import EXIT_OK, command

_FOLDER_RULE = (
    "OUT must be new, empty, or written by chinaai-stats before (it then holds a "
    ".chinaai-stats-output file listing what it wrote); any other folder is refused "
    "(exit 2) and nothing in it is changed. Missing parent folders are created."
)
_FORCE = (
    "write alongside the files of a non-empty folder chinaai-stats did not write; "
    "a file with the same name as one of the outputs is still refused"
)


def register(sub: Any) -> None:
    """Add this module's subcommands to the parser."""
    cite = command(
        sub,
        "cite",
        "cite the package or one table (version, hash, sources)",
        "chinaai-stats cite talent --style bibtex",
        "chinaai-stats cite --style apa",
        "chinaai-stats cite user_counts --data-version 0.1.0",
    )
    cite.set_defaults(func=_cmd_cite)
    cite.add_argument("name", nargs="?", help="table name; omit to cite the whole package")
    cite.add_argument("--style", choices=["text", "apa", "bibtex"], default="text")
    cite.add_argument("--accessed", help="access date to state (YYYY-MM-DD; default: today)")
    cite.add_argument(
        "--data-version", help="a release to cite, as released (default: the data in use)"
    )
    rep = command(
        sub,
        "report",
        "write a static HTML catalog with charts and a page per figure (works offline)",
        "chinaai-stats report --out catalog/",
        "chinaai-stats report --out catalog/   # again: replaces the catalog it wrote",
    )
    rep.description = textwrap.fill(f"{rep.description} {_FOLDER_RULE}", 79)
    rep.set_defaults(func=_cmd_report)
    rep.add_argument("--out", required=True, help="folder to write")
    rep.add_argument("--force", action="store_true", help=_FORCE)
    exp = command(
        sub,
        "export",
        "export every table to SQLite, Parquet, JSON, CSV or Excel",
        "chinaai-stats export --format sqlite --out chinaai.sqlite",
        "chinaai-stats export --format parquet --out parquet/",
        "chinaai-stats export --format csv --out csv/",
        "chinaai-stats export --format xlsx --out chinaai.xlsx",
    )
    exp.description = textwrap.fill(
        f"{exp.description} sqlite and xlsx write one file (sqlite also writes "
        "NAME.metadata.json beside it: datasette serve NAME.sqlite -m NAME.metadata.json) "
        "and replace only a file chinaai-stats wrote; parquet, json and csv write a folder. "
        + _FOLDER_RULE,
        79,
    )
    exp.set_defaults(func=_cmd_export)
    exp.add_argument(
        "--format", choices=["sqlite", "parquet", "json", "csv", "xlsx"], required=True
    )
    exp.add_argument("--out", required=True, help="a file for sqlite and xlsx, a folder otherwise")
    exp.add_argument("--force", action="store_true", help=_FORCE)
    exp.add_argument(
        "--no-bom",
        dest="bom",
        action="store_false",
        help="csv: omit the UTF-8 byte-order mark (by default it is written, so Excel "
        "reads Chinese text correctly)",
    )
    exp.add_argument(
        "--formulas",
        choices=["quote", "refuse"],
        default="quote",
        help="csv and xlsx: a text cell starting with = + - @, a tab or a carriage return "
        "(which a spreadsheet would run as a formula) is written as text: in CSV with a "
        "leading ' (quote, the default), or the export is refused and nothing written "
        "(refuse, exit 2). Numbers are never changed",
    )


def _cmd_cite(args: argparse.Namespace) -> int:
    from ..tables.citation import cite

    if args.accessed:
        import datetime as dt

        try:
            dt.date.fromisoformat(args.accessed)
        except ValueError:
            raise ChinaAIStatsError(
                f"--accessed {args.accessed!r} is not a YYYY-MM-DD date"
            ) from None
    print(cite(args.name, style=args.style, accessed=args.accessed, version=args.data_version))
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from ..outputs.report import write_report

    pages = write_report(args.out, force=args.force)
    print(f"wrote {len(pages)} pages to {args.out} (open {pages[0]})")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from ..outputs.exports import export

    for path in export(
        args.format, args.out, force=args.force, bom=args.bom, formulas=args.formulas
    ):
        print(f"wrote {path}")
    return EXIT_OK

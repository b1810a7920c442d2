"""Commands that write or print outputs: ``cite``, ``report``, ``export``."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import ChinaAIStatsError
from ._common import EXIT_OK, command


def register(sub: Any) -> None:
    """Add this module's subcommands to the parser."""
    cite = command(
        sub,
        "cite",
        "cite the package or one table (version, hash, sources)",
        "chinaai-stats cite talent --style bibtex",
        "chinaai-stats cite --style apa",
    )
    cite.set_defaults(func=_cmd_cite)
    cite.add_argument("name", nargs="?", help="table name; omit to cite the whole package")
    cite.add_argument("--style", choices=["text", "apa", "bibtex"], default="text")
    cite.add_argument("--accessed", help="access date to state (YYYY-MM-DD; default: today)")
    rep = command(
        sub,
        "report",
        "write a static HTML catalog with charts and a page per figure (works offline)",
        "chinaai-stats report --out catalog/",
    )
    rep.set_defaults(func=_cmd_report)
    rep.add_argument("--out", required=True, help="folder to write (replaced if it exists)")
    exp = command(
        sub,
        "export",
        "export every table to SQLite, Parquet or JSON",
        "chinaai-stats export --format sqlite --out chinaai.sqlite",
        "chinaai-stats export --format parquet --out parquet/",
    )
    exp.set_defaults(func=_cmd_export)
    exp.add_argument("--format", choices=["sqlite", "parquet", "json"], required=True)
    exp.add_argument("--out", required=True, help="a file for sqlite, a folder otherwise")


def _cmd_cite(args: argparse.Namespace) -> int:
    from ..citation import cite

    if args.accessed:
        import datetime as dt

        try:
            dt.date.fromisoformat(args.accessed)
        except ValueError:
            raise ChinaAIStatsError(
                f"--accessed {args.accessed!r} is not a YYYY-MM-DD date"
            ) from None
    print(cite(args.name, style=args.style, accessed=args.accessed))
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from ..report import write_report

    pages = write_report(args.out)
    print(f"wrote {len(pages)} pages to {args.out} (open {pages[0]})")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from ..exports import export

    for path in export(args.format, args.out):
        print(f"wrote {path}")
    return EXIT_OK

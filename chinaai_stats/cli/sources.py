"""Commands about the source registry: ``sources``, ``sources add``, ``sources check``."""

from __future__ import annotations

import argparse
import os
import textwrap
from pathlib import Path
from typing import Any

from ..core.errors import ChinaAIStatsError
from ._common import EXIT_INVALID, EXIT_OK, command, emit


def register(sub: Any) -> None:
    """Add this module's subcommands to the parser."""
    src = command(
        sub,
        "sources",
        "print the source registry; `sources add` registers a text, `sources check` checks "
        "every row against the texts",
        "chinaai-stats sources",
        "chinaai-stats sources --format json",
        "chinaai-stats sources add article.txt --id publisher-2018-topic --title T "
        "--publisher P --published 2018-05-17 --caveats C",
        "chinaai-stats sources check --texts ~/texts",
    )
    src.set_defaults(func=_cmd_sources)
    src.add_argument("--format", choices=["table", "csv", "json"], default="table")
    src.add_argument("--wide", action="store_true", help="print every cell in full")
    actions = src.add_subparsers(dest="sources_command", metavar="ACTION")
    _add_command(actions)
    _check_command(actions)


def _add_command(actions: Any) -> None:
    """Add ``sources add``: a text file and its registry metadata."""
    add = actions.add_parser(
        "add",
        help="register a source text in a clone's registry (metadata and sha256)",
        description=textwrap.fill(
            "Register TEXT_FILE (a UTF-8 text file): its file name and sha256 go into "
            "seeds/sources.csv with the metadata given; the descriptor and CITATION.cff are "
            "updated with it. Refuses an id already taken, a text already registered, and a "
            "file that is not UTF-8 text (exit 2).",
            79,
        ),
        epilog="examples:\n"
        "  chinaai-stats sources add ~/texts/tianjin-fund.txt --id "
        "chinamoneynetwork-2018-tianjin-fund \\\n"
        '      --title "Tianjin Sets Up $15.7B Fund" --publisher "China Money Network" \\\n'
        '      --published 2018-05-17 --kind news --caveats "Relays a city government document."\n'
        "  chinaai-stats sources add notes.txt --id example-undated --title T --publisher P \\\n"
        '      --undated "mentions results for 2019" --caveats "Undated."',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add.set_defaults(func=_cmd_add)
    _metadata_options(add)


def _metadata_options(add: argparse.ArgumentParser) -> None:
    """Add the arguments of ``sources add``: the text, one option per registry column, the clone."""
    add.add_argument("text_file", metavar="TEXT_FILE", help="the source text figures are read from")
    add.add_argument("--id", required=True, help="new source id: lower-case letters, digits, -")
    add.add_argument(
        "--title", required=True, help="the document's title ([a description] if none)"
    )
    add.add_argument("--publisher", required=True, help="publisher or platform")
    add.add_argument("--author", default="", help="author, where known")
    when = add.add_mutually_exclusive_group(required=True)
    when.add_argument("--published", metavar="YYYY-MM-DD", help="publication date")
    when.add_argument(
        "--undated", metavar="NOTE", help="for an undated text: what the text implies of its date"
    )
    add.add_argument("--date-note", help="how the date is known (default: dated in the text)")
    add.add_argument("--url", default="", help="address of the document")
    add.add_argument(
        "--pointer",
        default="",
        help="exact retrieval pointer of the text read: the stored page's address, or "
        "github:OWNER/REPO@COMMIT:PATH (default: --url)",
    )
    add.add_argument("--language", default="en", help="ISO 639-1 code (default: en)")
    add.add_argument(
        "--kind", default="news", help="news, blog, report, results, event-recap (default: news)"
    )
    add.add_argument(
        "--caveats", default="", help="what to keep in mind when citing it (required by the schema)"
    )
    add.add_argument(
        "--datasets", help="the clone's datasets/ folder (default: found by walking up from here)"
    )


def _check_command(actions: Any) -> None:
    """Add ``sources check``: every row against the source texts."""
    chk = actions.add_parser(
        "check",
        help="check every row's value_text against its source text (never writes)",
        description=textwrap.fill(
            "Check every row of every table against its source text: each value_text (and "
            "stated_usd_text) must be on its locator's line of the text, found by SHA-256 in "
            "the folders given. Exit 1 when a row does not match; a registered source whose "
            "text is not found is a warning. Never writes.",
            79,
        ),
        epilog="examples:\n"
        "  chinaai-stats sources check --texts ~/texts\n"
        "  chinaai-stats sources check --texts ~/texts --texts ~/more-texts --format json\n"
        "  CHINAAI_STATS_SOURCES=~/texts:~/more-texts chinaai-stats sources check",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    chk.set_defaults(func=_cmd_check)
    _texts_option(chk)
    chk.add_argument("--format", choices=["text", "json"], default="text")


def _folder(text: str) -> str:
    """Existing folders named on the command line (a typo must not pass as "no texts").

    Like ``$CHINAAI_STATS_SOURCES``, one ``--texts`` may list several, ``os.pathsep``-separated.
    """
    parts = [Path(p).expanduser() for p in text.split(os.pathsep) if p.strip()]
    for path in parts:
        if not path.exists():
            raise argparse.ArgumentTypeError(f"{path}: no such folder")
        if not path.is_dir():
            raise argparse.ArgumentTypeError(f"{path}: is a file, not a folder of source texts")
    return os.pathsep.join(str(p) for p in parts)


def _texts_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--texts",
        action="append",
        type=_folder,
        metavar="DIR",
        help="folder of source texts (repeatable; default: $CHINAAI_STATS_SOURCES, which may "
        "list several folders)",
    )


def _cmd_sources(args: argparse.Namespace) -> int:
    from ..tables.loader import sources

    df = sources()
    cols = None if args.format != "table" else ["id", "published", "publisher", "title"]
    emit(df, args.format, cols, f"# Source registry: {len(df)} documents", wide=args.wide)
    return EXIT_OK


def _cmd_add(args: argparse.Namespace) -> int:
    from ..contributing.registry import add_source

    result = add_source(
        args.text_file,
        id=args.id,
        title=args.title,
        publisher=args.publisher,
        author=args.author,
        published=args.published,
        undated=args.undated,
        date_note=args.date_note,
        url=args.url,
        pointer=args.pointer,
        language=args.language,
        kind=args.kind,
        caveats=args.caveats,
        root=args.datasets,
    )
    row = result.row
    print(f"registered {row['id']}: {row['filename']} (sha256 {row['sha256']})")
    for path in result.files:
        print(f"  updated {path}")
    return EXIT_OK


def print_problems(problems: list[Any], fmt: str = "text") -> None:
    """Print text-check problems, one line each (or a JSON list)."""
    if fmt == "json":
        import dataclasses
        import json

        print(json.dumps([dataclasses.asdict(p) for p in problems], ensure_ascii=False, indent=2))
        return
    for p in problems:
        fix = f" (fix: {p.hint})" if p.hint else ""
        print(f"{p.level}: {p.column}: {p.message}{fix}")


def _cmd_check(args: argparse.Namespace) -> int:
    from ..reading.provenance import check_data, source_dirs

    folders = source_dirs(args.texts)
    if not folders:
        raise ChinaAIStatsError(
            "no folder of source texts: pass --texts DIR or set CHINAAI_STATS_SOURCES"
        )
    problems = check_data(folders)
    print_problems(problems, args.format)
    errors = sum(p.level == "error" for p in problems)
    if args.format == "text":
        print(f"{errors} errors, {len(problems) - errors} warnings")
    return EXIT_INVALID if errors else EXIT_OK

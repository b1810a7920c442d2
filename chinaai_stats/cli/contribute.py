"""Commands for contributors: ``template``, ``validate``, ``add``."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from typing import Any

from .. import catalog
from ._common import EXIT_INVALID, EXIT_OK, command
from .sources import _texts_option


def register(sub: Any) -> None:
    """Add this module's subcommands to the parser."""
    val = command(
        sub,
        "validate",
        "check a CSV of rows for a table; report every problem (never writes)",
        "chinaai-stats validate new_rows.csv --table investments",
        "chinaai-stats validate new_rows.csv --table talent --format json",
        "chinaai-stats validate new_rows.csv --table talent --texts ~/texts",
    )
    val.set_defaults(func=_cmd_validate)
    val.add_argument("file", help="CSV file with the table's header (UTF-8)")
    val.add_argument("--table", required=True, help="the table the rows are for")
    val.add_argument("--format", choices=["text", "json"], default="text")
    val.add_argument("--limit", type=int, default=None, help="list at most N problems of each kind")
    _texts_option(val)
    add = command(
        sub,
        "add",
        "validate a CSV and merge its rows into a clone's table (all or nothing)",
        "chinaai-stats add new_rows.csv --table investments",
        "chinaai-stats add new_rows.csv --table investments --texts ~/texts",
    )
    add.set_defaults(func=_cmd_add)
    add.add_argument("file", help="CSV file with the table's header (UTF-8)")
    add.add_argument("--table", required=True, help="the table to add to")
    add.add_argument(
        "--datasets",
        help="the clone's datasets/ folder (default: found by walking up from here)",
    )
    add.add_argument("--format", choices=["text", "json"], default="text")
    _texts_option(add)
    tmpl = command(
        sub,
        "template",
        "print an empty CSV for a table (header on stdout, an example row on stderr)",
        "chinaai-stats template investments > new_rows.csv",
    )
    tmpl.set_defaults(func=_cmd_template)
    tmpl.add_argument("name", help="table name (see: chinaai-stats list)")


def _cmd_validate(args: argparse.Namespace) -> int:
    from ..provenance import check_report
    from ..validation import validate

    report = validate(args.file, args.table)
    check_report(report, args.texts)
    print(report.to_json() if args.format == "json" else report.to_text(args.limit))
    return EXIT_OK if report.ok else EXIT_INVALID


def _cmd_add(args: argparse.Namespace) -> int:
    from ..add import AddError, add

    try:
        result = add(args.file, args.table, datasets=args.datasets, texts=args.texts)
    except AddError as exc:
        if exc.report is not None:
            print(exc.report.to_json() if args.format == "json" else exc.report.to_text())
        print(f"chinaai-stats: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(result.report.to_text() if args.format == "text" else result.report.to_json())
    print(f"added {len(result.ids)} rows to {result.table}: {', '.join(result.ids)}")
    for path in result.files:
        print(f"  updated {path}")
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    res = catalog.resource(args.name)
    fields = [f["name"] for f in res["schema"]["fields"]]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(fields)
    sys.stdout.flush()
    with open(catalog.table_path(args.name), encoding="utf-8", newline="") as f:
        example = next(csv.DictReader(f), None)
    if example:
        print(
            f"# an example row of {args.name} (one line per figure; see: chinaai-stats "
            f"describe {args.name}):",
            file=sys.stderr,
        )
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([example[k] for k in fields])
        print("# " + buf.getvalue().rstrip("\n"), file=sys.stderr)
    return EXIT_OK

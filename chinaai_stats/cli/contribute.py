"""Commands for contributors: ``template``, ``validate``, ``add``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any

from ..core.errors import ChinaAIStatsError
from ..tables import catalog
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
    )
    val.set_defaults(func=_cmd_validate)
    val.add_argument(
        "file",
        help="CSV file with the table's header (UTF-8); - reads standard input (a pipe that "
        "sends nothing within 5 s is refused); a header of more than four times the "
        "table's columns is refused unread",
    )
    val.add_argument("--table", required=True, help="the table the rows are for")
    val.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help='json: one object, also for unusable input ({"ok": false, "error": ...})',
    )
    val.add_argument(
        "--limit", type=int, default=None, help="list at most N (>= 0) problems of each kind"
    )
    val.add_argument(
        "--not-new",
        action="store_true",
        help="do not check the rows against the table's existing ids and facts",
    )
    _texts_option(val)
    add = command(
        sub,
        "add",
        "validate a CSV and merge its rows into a clone's table (all or nothing)",
        "chinaai-stats add new_rows.csv --table investments",
    )
    add.set_defaults(func=_cmd_add)
    add.add_argument(
        "file", help="CSV file with the table's header (UTF-8); - reads standard input"
    )
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
    from ..contributing.validation import validate

    if args.limit is not None and args.limit < 0:
        raise ChinaAIStatsError(f"--limit {args.limit}: give a number of problems, 0 or more")
    report = validate(
        args.file, args.table, new_rows=False if args.not_new else None, texts=args.texts
    )
    if args.format == "json":
        report.write_json(sys.stdout, args.limit)
    else:
        report.write_text(sys.stdout, args.limit)
    return EXIT_OK if report.ok else EXIT_INVALID


def _cmd_add(args: argparse.Namespace) -> int:
    from ..contributing.add import AddError, add

    as_json = args.format == "json"
    try:
        result = add(args.file, args.table, datasets=args.datasets, texts=args.texts)
    except AddError as exc:
        if exc.report is not None and as_json:
            exc.report.write_json(sys.stdout, extra={"added": [], "error": str(exc)})
        elif exc.report is not None:
            exc.report.write_text(sys.stdout)
        elif as_json:
            print(json.dumps({"ok": False, "error": str(exc), "added": []}, ensure_ascii=False))
        print(f"chinaai-stats: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if not result.ids:  # nothing to write: no rows, or every row already there
        if result.already:
            shown = ", ".join(result.already[:10]) + (", …" if len(result.already) > 10 else "")
            msg = f"all {len(result.already)} rows are already in {result.table} ({shown})"
        else:
            msg = "the file has no rows"
        if as_json:
            extra = {"added": [], "already": list(result.already), "message": msg}
            result.report.write_json(sys.stdout, extra=extra)
        else:
            print(result.report.summary())
            print(f"{args.file}: {msg}; nothing to add")
        return EXIT_OK
    if as_json:
        files = [str(p) for p in result.files]
        result.report.write_json(sys.stdout, extra={"added": list(result.ids), "files": files})
        return EXIT_OK
    result.report.write_text(sys.stdout)
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

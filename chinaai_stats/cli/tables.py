"""Commands that read the tables: ``list``, ``show``, ``describe``."""

from __future__ import annotations

import argparse
import csv
from typing import Any

from .. import catalog
from ._common import EXIT_OK, emit

#: Columns ``show --format table`` prints unless --columns says otherwise.
BRIEF = [
    "id",
    "entity",
    "indicator",
    "value",
    "unit",
    "qualifier",
    "value_text",
    "as_of",
    "source_id",
]


def register(sub: Any) -> None:
    """Add this module's subcommands to the parser."""
    sub.add_parser("list", help="list the tables with their titles and row counts").set_defaults(
        func=_cmd_list
    )
    show = sub.add_parser("show", help="print one table")
    show.set_defaults(func=_cmd_show)
    show.add_argument("name", help="table name (see: chinaai-stats list)")
    show.add_argument("--format", choices=["table", "csv", "json"], default="table")
    show.add_argument(
        "--columns",
        help="comma-separated columns to print (default for --format table: a short set; "
        "csv and json print every column)",
    )
    show.add_argument(
        "--currency",
        choices=["USD", "CNY"],
        help="add money converted to this currency (value_usd/value_cny, fx_rate, fx_basis)",
    )
    show.add_argument(
        "--fx",
        choices=["annual", "monthly", "stated"],
        default="annual",
        help="exchange rate: mean of the as_of year or month (ECB), or the source's own "
        "conversion (default: annual)",
    )
    desc = sub.add_parser("describe", help="list a table's columns, types and allowed values")
    desc.set_defaults(func=_cmd_describe)
    desc.add_argument("name", help="table name (see: chinaai-stats list)")


def _row_count(name: str) -> int:
    with open(catalog.table_path(name), encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def _cmd_list(args: argparse.Namespace) -> int:
    names = catalog.list_datasets()
    width = max(len(n) for n in names)
    for name in names:
        title = catalog.resource(name).get("title", "")
        print(f"{name:<{width}}  {_row_count(name):>5} rows  {title}")
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    from ..loader import load

    df = load(args.name, currency=args.currency, fx=args.fx)
    columns = args.columns.split(",") if args.columns else None
    if columns is None and args.format == "table":
        columns = [c for c in BRIEF if c in df.columns]
        if args.currency:
            extra = [f"value_{args.currency.lower()}", "fx_rate", "fx_basis"]
            columns[columns.index("unit") + 1 : columns.index("unit") + 1] = extra
    a = df.attrs
    header = (
        f"# {a['title']} ({a['name']}): {len(df)} rows · chinaai-stats data {a['version']} · "
        f"sha256 {a['sha256'][:12]} · {a['licence']}"
    )
    emit(df, args.format, columns, header)
    return EXIT_OK


def _cmd_describe(args: argparse.Namespace) -> int:
    from ..loader import describe

    df = describe(args.name)
    print(f"# {df.attrs['title']} ({df.attrs['name']})\n# {df.attrs['description']}")
    for row in df.itertuples(index=False):
        req = "required" if row.required else "optional"
        allowed = f" [{row.allowed}]" if row.allowed else ""
        print(f"{row.field:<20} {row.type:<7} {req}{allowed}\n{'':<21}{row.description}")
    return EXIT_OK

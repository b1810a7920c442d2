"""Commands about figures and money: ``parse``, ``conversions``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import EXIT_INVALID, EXIT_OK, emit


def register(sub: Any) -> None:
    """Add this module's subcommands to the parser."""
    parse = sub.add_parser("parse", help="read a figure expression into value, unit, qualifier")
    parse.set_defaults(func=_cmd_parse)
    parse.add_argument("text", help='e.g. "over $4.5 billion" or "约1.2万亿元人民币"')
    parse.add_argument("--format", choices=["text", "json"], default="text")
    conv = sub.add_parser(
        "conversions", help="check each source's own dollar conversion against the dated rate"
    )
    conv.set_defaults(func=_cmd_conversions)
    conv.add_argument("--format", choices=["table", "csv", "json"], default="table")


def _cmd_parse(args: argparse.Namespace) -> int:
    import json

    from ..errors import QuantityParseError
    from ..parse import parse_quantity

    try:
        q = parse_quantity(args.text)
    except QuantityParseError as exc:
        print(f"chinaai-stats: {exc}", file=sys.stderr)
        return EXIT_INVALID
    r = q.restated
    if args.format == "json":
        record: dict[str, Any] = {
            "value": q.value,
            "unit": q.unit,
            "qualifier": q.qualifier,
            "text": q.text,
        }
        if r is not None:
            record["restated"] = {
                "value": r.value,
                "unit": r.unit,
                "qualifier": r.qualifier,
                "text": r.text,
            }
        print(json.dumps(record, ensure_ascii=False))
    else:
        line = f"value={q.value:.15g} unit={q.unit} qualifier={q.qualifier}"
        if r is not None:
            line += f" restated={r.value:.15g} {r.unit} {r.qualifier}"
        print(line)
    return EXIT_OK


def _cmd_conversions(args: argparse.Namespace) -> int:
    from ..fx import check_conversions

    df = check_conversions()
    emit(df, args.format, None, f"# Source conversions to USD: {len(df)} rows")
    return EXIT_OK

"""Commands about figures and money: ``parse``, ``extract``, ``conversions``."""

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
    ext = sub.add_parser(
        "extract",
        help="list every figure in an article as candidate rows (CSV with review_ columns)",
    )
    ext.set_defaults(func=_cmd_extract)
    ext.add_argument("file", help="the article: plain text or markdown, UTF-8")
    ext.add_argument("--source-id", default="", help="the source's id in the registry")
    ext.add_argument(
        "--published", default="", help="publication date YYYY-MM-DD (dates 'last month', 去年)"
    )
    ext.add_argument("--table", help="the template columns of this table (default: all)")
    ext.add_argument("--format", choices=["csv", "json"], default="csv")
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


def _cmd_extract(args: argparse.Namespace) -> int:
    import csv
    import json
    from datetime import date

    from ..errors import ChinaAIStatsError
    from ..extraction import columns_for, extract

    try:
        published = date.fromisoformat(args.published) if args.published else None
    except ValueError:
        raise ChinaAIStatsError(
            f"--published {args.published!r} is not a date; write YYYY-MM-DD"
        ) from None
    try:
        with open(args.file, encoding="utf-8") as f:
            text = f.read()
    except UnicodeDecodeError:
        raise ChinaAIStatsError(f"{args.file}: not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise ChinaAIStatsError(f"{args.file}: cannot read it ({exc.strerror})") from None
    columns = columns_for(args.table)
    rows = extract(text, source_id=args.source_id, published=published, table=args.table)
    records = [
        {k: _cell(v) for k, v in zip(columns, row, strict=True)}
        for row in rows.itertuples(index=False)
    ]
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return EXIT_OK
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return EXIT_OK


def _cell(value: Any) -> Any:
    """A cell as written: numbers without a trailing .0, missing as empty."""
    if isinstance(value, float):
        return "" if value != value else f"{value:.15g}"
    return value


def _cmd_conversions(args: argparse.Namespace) -> int:
    from ..fx import check_conversions

    df = check_conversions()
    emit(df, args.format, None, f"# Source conversions to USD: {len(df)} rows")
    return EXIT_OK

"""Commands about figures and money: ``parse``, ``extract``, ``conversions``, ``rates-check``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import EXIT_INVALID, EXIT_OK, command, emit, json_failure


def register(sub: Any) -> None:
    """Add this module's subcommands to the parser."""
    parse = command(
        sub,
        "parse",
        "read a figure expression into value, unit, qualifier",
        'chinaai-stats parse "over $4.5 billion"',
        'chinaai-stats parse "约1.2万亿元人民币" --format json',
    )
    parse.set_defaults(func=_cmd_parse)
    parse.add_argument("text", help='e.g. "over $4.5 billion" or "约1.2万亿元人民币"')
    parse.add_argument("--format", choices=["text", "json"], default="text")
    ext = command(
        sub,
        "extract",
        "list every figure in an article as candidate rows (CSV with review_ columns)",
        "chinaai-stats extract article.txt --source-id ID --published 2018-05-30",
        "chinaai-stats extract article.md --table talent > candidates.csv",
    )
    ext.set_defaults(func=_cmd_extract)
    ext.add_argument(
        "file", help="the article: plain text or markdown, UTF-8; - reads standard input"
    )
    ext.add_argument("--source-id", default="", help="the source's id in the registry")
    ext.add_argument(
        "--published", default="", help="publication date YYYY-MM-DD (dates 'last month', 去年)"
    )
    ext.add_argument("--table", help="the template columns of this table (default: all)")
    ext.add_argument("--format", choices=["csv", "json"], default="csv")
    conv = command(
        sub,
        "conversions",
        "check each source's own dollar conversion against the ECB, FRED and World Bank rates",
        "chinaai-stats conversions",
        "chinaai-stats conversions --format csv",
    )
    conv.set_defaults(func=_cmd_conversions)
    conv.add_argument("--format", choices=["table", "csv", "json"], default="table")
    conv.add_argument("--wide", action="store_true", help="every column, in full")
    check = command(
        sub,
        "rates-check",
        "the exchange_rates means beside the Federal Reserve's and the World Bank's rates",
        "chinaai-stats rates-check --frequency year --from 2006 --to 2025",
        "chinaai-stats rates-check --frequency month --from 2024 --format csv",
    )
    check.set_defaults(func=_cmd_rates_check)
    check.add_argument("--frequency", choices=["year", "month"], help="annual or monthly only")
    check.add_argument("--from", dest="start", type=int, help="first year shown")
    check.add_argument("--to", dest="end", type=int, help="last year shown")
    check.add_argument("--format", choices=["table", "csv", "json"], default="table")


def _cmd_parse(args: argparse.Namespace) -> int:
    import json

    from ..core.errors import QuantityParseError
    from ..reading.parse import parse_quantity

    try:
        q = parse_quantity(args.text)
    except QuantityParseError as exc:
        if args.format == "json":
            json_failure(str(exc), EXIT_INVALID)
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

    from ..reading.extraction import columns_for, extract, publication_date
    from ..reading.inputs import decode_text, read_input
    from ..reading.provenance import MAX_TEXT_BYTES

    published = publication_date(args.published, option="--published ")
    src = read_input(
        args.file, kind="text file", limit=MAX_TEXT_BYTES, fix="save the article to a file"
    )
    text = decode_text(src.read(), src.name)
    columns = columns_for(args.table)
    rows = extract(text, source_id=args.source_id, published=published, table=args.table)
    if args.format == "json":  # numbers as numbers, a missing number as null
        records = [
            {k: (None if v != v else v) for k, v in zip(columns, row, strict=True)}
            for row in rows.itertuples(index=False)
        ]
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return EXIT_OK
    records = [
        {k: _cell(v) for k, v in zip(columns, row, strict=True)}
        for row in rows.itertuples(index=False)
    ]
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
    from ..measures.fxcheck import check_conversions

    df = check_conversions()
    header = f"# Source conversions to USD: {len(df)} rows (CNY per USD; ECB, FRED, World Bank)"
    if args.format != "table" or args.wide or df.empty:
        emit(df, args.format, None, header, wide=args.wide)
        return EXIT_OK
    notes = [
        f"{r.id!s}: {r.stated_usd_text!s} stands for {r.implied_low:.4f} to {r.implied_high:.4f}; "
        f"{r.reference_basis!s}; months inside that range: ECB {r.months_in_range or 'none'!s}; "
        f"FRED {r.fred_months_in_range or 'none'!s}; "
        f"World Bank years {r.wb_years_in_range or 'none'!s}"
        for r in df.itertuples()
    ]
    emit(df[list(CONVERSION_COLUMNS)], "table", None, header, notes=notes)
    return EXIT_OK


#: What ``conversions`` shows on a terminal: the implied rate and range, the three references.
CONVERSION_COLUMNS = (
    "id",
    "implied_rate",
    "implied_low",
    "implied_high",
    "reference_rate",
    "fred_rate",
    "wb_rate",
    "flagged",
)


def _cmd_rates_check(args: argparse.Namespace) -> int:
    from ..core.errors import ChinaAIStatsError
    from ..measures.fxcheck import AGREEMENT, cross_check

    df = cross_check(args.frequency)
    if args.start is not None and args.end is not None and args.start > args.end:
        raise ChinaAIStatsError(f"--from {args.start} is after --to {args.end}; swap them")
    years = df["period"].str[:4].astype(int)
    df = df[years.between(args.start or 0, args.end or 9999)].reset_index(drop=True)
    off = int((df["agrees"] == False).sum())  # noqa: E712  (nullable: missing is not False)
    if args.format == "table":  # deviations as percentages for reading; csv/json keep numbers
        for col in ("fred_deviation", "wb_deviation"):
            df[col] = [f"{v:+.3%}" if v == v else "" for v in df[col]]
    emit(
        df,
        args.format,
        None,
        f"# exchange_rates (ECB) vs FRED and World Bank, CNY per USD: {len(df)} periods, "
        f"{off} more than {AGREEMENT:.1%} apart",
    )
    return EXIT_OK

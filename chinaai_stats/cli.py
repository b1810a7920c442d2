"""The ``chinaai-stats`` command: a thin layer over the library.

Exit codes: 0 success; 2 unusable input (unknown table, missing or unreadable
file, bad arguments). Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence

from . import __version__, catalog
from .errors import ChinaAIStatsError

EXIT_OK = 0
EXIT_INVALID = 1  # invalid content: rows that fail validation, text that is not a figure
EXIT_UNUSABLE = 2
EXIT_BUG = 3  # an unexpected failure inside chinaai-stats: please report it

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

EPILOG = """exit codes:
  0  success
  1  invalid content: rows that fail `validate` or `add` (each listed with its line,
     column and a fix), or `parse` text that is not a figure
  2  unusable input: unknown table name; a missing, empty, binary, non-UTF-8 or
     non-CSV file; a directory; bad arguments. Nothing is written.
  3  an unexpected failure inside chinaai-stats (please report it)

examples:
  chinaai-stats list
  chinaai-stats show user_counts
  chinaai-stats show investments --format csv > investments.csv
  chinaai-stats describe talent
  chinaai-stats show investments --currency USD --fx annual
  chinaai-stats parse "约1.2万亿元人民币"
  chinaai-stats conversions
  chinaai-stats validate new_rows.csv --table investments
  chinaai-stats add new_rows.csv --table investments
  chinaai-stats cite talent --style bibtex
  chinaai-stats template talent > new_rows.csv
  chinaai-stats report --out catalog/
  chinaai-stats export --format sqlite --out chinaai.sqlite
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="chinaai-stats",
        description="Curated, source-cited statistics on China's AI ecosystem.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"chinaai-stats {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="list the tables with their titles and row counts")
    show = sub.add_parser("show", help="print one table")
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
    parse = sub.add_parser("parse", help="read a figure expression into value, unit, qualifier")
    parse.add_argument("text", help='e.g. "over $4.5 billion" or "约1.2万亿元人民币"')
    parse.add_argument("--format", choices=["text", "json"], default="text")
    conv = sub.add_parser(
        "conversions", help="check each source's own dollar conversion against the dated rate"
    )
    conv.add_argument("--format", choices=["table", "csv", "json"], default="table")
    val = sub.add_parser(
        "validate", help="check a CSV of rows for a table; report every problem (never writes)"
    )
    val.add_argument("file", help="CSV file with the table's header (UTF-8)")
    val.add_argument("--table", required=True, help="the table the rows are for")
    val.add_argument("--format", choices=["text", "json"], default="text")
    val.add_argument("--limit", type=int, default=None, help="list at most N problems of each kind")
    add = sub.add_parser("add", help="validate a CSV and merge its rows into a clone's table")
    add.add_argument("file", help="CSV file with the table's header (UTF-8)")
    add.add_argument("--table", required=True, help="the table to add to")
    add.add_argument(
        "--datasets",
        help="the clone's datasets/ folder (default: found by walking up from here)",
    )
    add.add_argument("--format", choices=["text", "json"], default="text")
    cite = sub.add_parser("cite", help="cite the package or one table (version, hash, sources)")
    cite.add_argument("name", nargs="?", help="table name; omit to cite the whole package")
    cite.add_argument("--style", choices=["text", "apa", "bibtex"], default="text")
    cite.add_argument("--accessed", help="access date to state (YYYY-MM-DD; default: today)")
    tmpl = sub.add_parser(
        "template", help="print an empty CSV for a table (header on stdout, example on stderr)"
    )
    tmpl.add_argument("name", help="table name (see: chinaai-stats list)")
    rep = sub.add_parser("report", help="write a static HTML catalog with charts (works offline)")
    rep.add_argument("--out", required=True, help="folder to write (replaced if it exists)")
    exp = sub.add_parser("export", help="export every table to SQLite, Parquet or JSON")
    exp.add_argument("--format", choices=["sqlite", "parquet", "json"], required=True)
    exp.add_argument("--out", required=True, help="a file for sqlite, a folder otherwise")
    desc = sub.add_parser("describe", help="list a table's columns, types and allowed values")
    desc.add_argument("name", help="table name (see: chinaai-stats list)")
    src = sub.add_parser("sources", help="print the source registry")
    src.add_argument("--format", choices=["table", "csv", "json"], default="table")
    return p


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


def _emit(df, fmt: str, columns: list[str] | None, header: str) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    if columns:
        unknown = [c for c in columns if c not in df.columns]
        if unknown:
            raise ChinaAIStatsError(
                f"unknown column(s) {', '.join(unknown)}; available: {', '.join(df.columns)}"
            )
        df = df[columns]
    if fmt == "csv":
        sys.stdout.write(df.to_csv(index=False, date_format="%Y-%m-%d"))
    elif fmt == "json":
        sys.stdout.write(
            df.to_json(orient="records", force_ascii=False, date_format="iso", indent=2)
        )
        sys.stdout.write("\n")
    else:
        print(header)
        text_cols = df.select_dtypes(include=["string", "category", "boolean"]).columns
        df = df.astype({c: object for c in text_cols})
        df[text_cols] = df[text_cols].fillna("")
        with pd.option_context("display.max_colwidth", 40, "display.width", 200):
            print(df.to_string(index=False, na_rep="", float_format=lambda v: f"{v:,.15g}"))


def _cmd_show(args: argparse.Namespace) -> int:
    from .loader import load

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
    _emit(df, args.format, columns, header)
    return EXIT_OK


def _cmd_parse(args: argparse.Namespace) -> int:
    import json

    from .errors import QuantityParseError
    from .parse import parse_quantity

    try:
        q = parse_quantity(args.text)
    except QuantityParseError as exc:
        print(f"chinaai-stats: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if args.format == "json":
        record = {"value": q.value, "unit": q.unit, "qualifier": q.qualifier, "text": q.text}
        print(json.dumps(record, ensure_ascii=False))
    else:
        print(f"value={q.value:.15g} unit={q.unit} qualifier={q.qualifier}")
    return EXIT_OK


def _cmd_conversions(args: argparse.Namespace) -> int:
    from .fx import check_conversions

    df = check_conversions()
    _emit(df, args.format, None, f"# Source conversions to USD: {len(df)} rows")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from .validation import validate

    report = validate(args.file, args.table)
    print(report.to_json() if args.format == "json" else report.to_text(args.limit))
    return EXIT_OK if report.ok else EXIT_INVALID


def _cmd_add(args: argparse.Namespace) -> int:
    from .add import AddError, add

    try:
        result = add(args.file, args.table, datasets=args.datasets)
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


def _cmd_cite(args: argparse.Namespace) -> int:
    from .citation import cite

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


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    pages = write_report(args.out)
    print(f"wrote {len(pages)} pages to {args.out} (open {pages[0]})")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from .exports import export

    for path in export(args.format, args.out):
        print(f"wrote {path}")
    return EXIT_OK


def _cmd_describe(args: argparse.Namespace) -> int:
    from .loader import describe

    df = describe(args.name)
    print(f"# {df.attrs['title']} ({df.attrs['name']})\n# {df.attrs['description']}")
    for row in df.itertuples(index=False):
        req = "required" if row.required else "optional"
        allowed = f" [{row.allowed}]" if row.allowed else ""
        print(f"{row.field:<20} {row.type:<7} {req}{allowed}\n{'':<21}{row.description}")
    return EXIT_OK


def _cmd_sources(args: argparse.Namespace) -> int:
    from .loader import sources

    df = sources()
    cols = None if args.format != "table" else ["id", "published", "publisher", "title"]
    _emit(df, args.format, cols, f"# Source registry: {len(df)} documents")
    return EXIT_OK


COMMANDS = {
    "list": _cmd_list,
    "show": _cmd_show,
    "describe": _cmd_describe,
    "sources": _cmd_sources,
    "parse": _cmd_parse,
    "conversions": _cmd_conversions,
    "validate": _cmd_validate,
    "add": _cmd_add,
    "cite": _cmd_cite,
    "template": _cmd_template,
    "report": _cmd_report,
    "export": _cmd_export,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ChinaAIStatsError as exc:
        print(f"chinaai-stats: error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("chinaai-stats: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line, a distinct exit code, no traceback
        where = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        print(f"chinaai-stats: internal error ({where}); please report it", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

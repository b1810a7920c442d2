"""Commands that read the tables: ``list``, ``show``, ``describe``."""

from __future__ import annotations

import argparse
import csv
from typing import Any

from ..core.errors import ChinaAIStatsError, did_you_mean
from ..tables import catalog
from ..tables.currency import CURRENCIES
from ._common import EXIT_OK, check_column, command, emit, split_columns

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
    command(
        sub, "list", "list the tables with their titles and row counts", "chinaai-stats list"
    ).set_defaults(func=_cmd_list)
    _register_show(sub)
    desc = command(
        sub,
        "describe",
        "list a table's columns, types and allowed values",
        "chinaai-stats describe investments",
    )
    desc.set_defaults(func=_cmd_describe)
    desc.add_argument("name", help="table name (see: chinaai-stats list)")


def _register_show(sub: Any) -> None:
    """Add ``show``: its output options, filters and currency conversion."""
    show = command(
        sub,
        "show",
        "print one table, fitted to the terminal, optionally filtered",
        "chinaai-stats show user_counts",
        "chinaai-stats show talent --entity China --wide",
        "chinaai-stats show context --indicator population",
        "chinaai-stats show user_counts --from 2017 --to 2018-06",
        "chinaai-stats show exchange_rates --where frequency=month --from 2018-01 --to 2018-06",
        'chinaai-stats show investments --columns "id, value, unit" --format csv',
        "chinaai-stats show investments --currency USD --fx stated",
    )
    show.set_defaults(func=_cmd_show)
    show.add_argument("name", help="table name (see: chinaai-stats list)")
    show.add_argument("--format", choices=["table", "csv", "json"], default="table")
    show.add_argument(
        "--columns",
        help="comma-separated columns to print (default for --format table: a short set; "
        "csv and json print every column)",
    )
    show.add_argument(
        "--wide",
        action="store_true",
        help="print every cell in full (and, for exchange_rates, every row) instead of "
        "fitting the terminal",
    )
    filters = show.add_argument_group("filters (combine; every one must match)")
    filters.add_argument("--entity", action="append", help="only this entity (repeatable)")
    filters.add_argument("--indicator", action="append", help="only this indicator (repeatable)")
    filters.add_argument(
        "--where",
        action="append",
        metavar="COL=VALUE",
        help="only rows whose column COL equals VALUE (repeatable); COL= keeps the rows "
        "where COL is empty",
    )
    filters.add_argument(
        "--from",
        dest="date_from",
        metavar="DATE",
        help="only figures about a period ending on or after DATE (YYYY, YYYY-MM, YYYY-Qn or "
        "YYYY-MM-DD); undated figures are left out",
    )
    filters.add_argument(
        "--to",
        dest="date_to",
        metavar="DATE",
        help="only figures about a period starting on or before DATE",
    )
    show.add_argument(
        "--currency",
        choices=list(CURRENCIES),
        help="add money converted to this currency (value_usd/value_cny/..., fx_rate, fx_basis)",
    )
    show.add_argument(
        "--fx",
        choices=["annual", "monthly", "stated"],
        help="with --currency: the rate to use: mean of the as_of year or month (ECB; FRED "
        "for TWD), or the "
        "source's own conversion (default: annual)",
    )


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
    from ..tables.loader import load

    if args.fx and not args.currency:
        raise ChinaAIStatsError(
            f"--fx {args.fx} chooses the exchange rate for --currency: "
            f"add --currency USD or --currency CNY"
        )
    df = load(args.name, currency=args.currency, fx=args.fx or "annual")
    a = dict(df.attrs)
    total = len(df)
    df, notes = select_rows(df, args)
    columns = split_columns(args.columns)
    if columns is None and args.format == "table":
        # the brief view of a fact table; other tables show every column
        columns = [c for c in BRIEF if c in df.columns] if "value_text" in df.columns else None
        if args.currency and columns:
            extra = [f"value_{args.currency.lower()}", "fx_rate", "fx_basis"]
            columns[columns.index("unit") + 1 : columns.index("unit") + 1] = extra
    shown = f"{len(df)} of {total} rows" if len(df) != total else f"{total} rows"
    header = (
        f"# {a['title']} ({a['name']}): {shown} · chinaai-stats data {a['version']} · "
        f"sha256 {a['sha256'][:12]} · {a['licence']}"
    )
    emit(df, args.format, columns, header, wide=args.wide, notes=notes)
    return EXIT_OK


def _period(text: str, option: str) -> tuple[Any, Any]:
    from ..core.dates import as_of_bounds

    try:
        bounds = as_of_bounds(text)
    except ValueError:
        bounds = None
    if bounds is None:
        raise ChinaAIStatsError(
            f"{option} {text!r} is not a date: use YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD"
        )
    return bounds


def _equals(col: Any, value: str) -> Any:
    """Rows of column ``col`` equal to the text ``value`` (numbers and dates compared as such)."""
    import pandas as pd

    if value == "":  # COL= : the rows where COL is empty (undated figures, no primary URL)
        return col.isna() | (col.astype("string") == "")
    if pd.api.types.is_bool_dtype(col.dtype):
        return col.astype("string").str.lower() == value.lower()
    if pd.api.types.is_numeric_dtype(col.dtype):
        try:
            return col == float(value.replace(",", ""))
        except ValueError:
            raise ChinaAIStatsError(
                f"--where {col.name}={value}: {col.name} holds numbers; e.g. --where "
                f"{col.name}=1000000"
            ) from None
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return col.dt.strftime("%Y-%m-%d") == value
    return col.astype("string") == value


def _entity_id(name: str, known: set[str]) -> str:
    """The entity id ``name`` stands for, when it is a name or alias of one; else ``name``."""
    from ..tables.entities import resolve

    if name in known:
        return name
    try:
        return resolve(name)
    except ChinaAIStatsError:
        return name


def select_rows(df: Any, args: argparse.Namespace) -> tuple[Any, list[str]]:
    """Apply the ``show`` filters; return the rows kept and notes on what was left out."""
    notes: list[str] = []
    for option, col in (("--entity", "entity"), ("--indicator", "indicator")):
        wanted = getattr(args, col)
        if not wanted:
            continue
        if col not in df.columns:
            raise ChinaAIStatsError(f"{option}: table {df.attrs['name']} has no {col} column")
        known = set(df[col].dropna().astype(str))
        if col == "entity":  # any name or alias of the entities table
            wanted = [_entity_id(w, known) for w in wanted]
        for w in wanted:
            if w not in known:
                raise ChinaAIStatsError(
                    f"{option} {w!r}: not in {df.attrs['name']}{did_you_mean(w, known)}; "
                    f"values: {', '.join(sorted(known))}"
                )
        df = df[df[col].astype("string").isin(wanted).fillna(False)]
    for cond in args.where or []:
        col, sep, value = cond.partition("=")
        col = col.strip()
        if not sep or not col:
            raise ChinaAIStatsError(f"--where {cond!r} is not COL=VALUE; e.g. --where unit=USD")
        check_column(col, df.columns, "--where")
        df = df[_equals(df[col], value.strip()).fillna(False)]
    if args.date_from or args.date_to:
        start, end = ("period_start", "period_end")
        if start not in df.columns:
            start, end = ("first_date", "last_date")
        if start not in df.columns:
            raise ChinaAIStatsError(f"--from/--to: table {df.attrs['name']} has no dates")
        if args.date_from and args.date_to:
            first, last = _period(args.date_from, "--from")[0], _period(args.date_to, "--to")[1]
            if first > last:
                raise ChinaAIStatsError(
                    f"--from {args.date_from} is after --to {args.date_to}; swap them"
                )
        undated = int(df[start].isna().sum())
        df = df.dropna(subset=[start])
        if args.date_from:
            df = df[df[end].dt.date >= _period(args.date_from, "--from")[0]]
        if args.date_to:
            df = df[df[start].dt.date <= _period(args.date_to, "--to")[1]]
        if undated:
            notes.append(f"{undated} undated row(s) left out by --from/--to")
    brief = args.format == "table" and not args.wide and not args.where
    if brief and df.attrs["name"] == "exchange_rates" and not (args.date_from or args.date_to):
        keep = (df["frequency"] == "year") & (df["quote"].astype(str) == "CNY")
        rest = int((~keep).sum())
        df = df[keep]
        notes.append(
            f"annual CNY per USD only; {rest} other rows not shown (quarterly and monthly, "
            "and EUR, GBP, HKD, JPY, TWD: --where frequency=month, --where quote=TWD, "
            "--from/--to, --wide or --format csv show them)"
        )
    return df, notes


def _cmd_describe(args: argparse.Namespace) -> int:
    from ..tables.loader import describe

    df = describe(args.name)
    print(f"# {df.attrs['title']} ({df.attrs['name']})\n# {df.attrs['description']}")
    for row in df.itertuples(index=False):
        req = "required" if row.required else "optional"
        allowed = f" [{row.allowed!s}]" if row.allowed else ""
        print(f"{row.field!s:<20} {row.type!s:<7} {req}{allowed}\n{'':<21}{row.description!s}")
    return EXIT_OK

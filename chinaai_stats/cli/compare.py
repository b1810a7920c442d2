"""Commands that put figures side by side: ``compare``, ``derived``, ``conflicts``."""

from __future__ import annotations

import argparse
import inspect
import sys
import warnings
from typing import Any

from ..core.errors import ChinaAIStatsError
from ..tables.currency import CURRENCIES
from ._common import EXIT_OK, command, emit, split_columns

#: Columns each command prints with ``--format table`` unless --columns says otherwise,
#: most telling first (a narrow terminal drops the last ones).
BRIEF = {
    "compare": [
        "entity",
        "id",
        "value_aligned",
        "unit_aligned",
        "ratio_to_first",
        "as_of",
        "warnings",
        "denominator_basis",
        "indicator",
        "value",
        "unit",
        "qualifier",
    ],
    "derived": ["id", "value", "unit", "inputs", "as_of", "warnings", "formula", "label"],
    "conflicts": ["entity", "indicator", "ids", "values", "spread", "kind", "as_of", "sources"],
}


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--columns", help="comma-separated columns to print")
    p.add_argument("--wide", action="store_true", help="print every cell in full")


def register(sub: Any) -> None:
    """Add this module's subcommands to the parser."""
    cmp = command(
        sub,
        "compare",
        "put figures side by side on one unit, with ratios to the first and warnings",
        "chinaai-stats compare WeChat QQ --indicator monthly_active_users",
        "chinaai-stats compare SenseTime --table investments --currency CNY",
        "chinaai-stats compare China 'United States' --indicator share_of_world_tech_startups",
        "chinaai-stats compare WeChat --indicator monthly_active_users --per 100 "
        "--population China",
    )
    cmp.set_defaults(func=_cmd_compare)
    cmp.add_argument(
        "entities",
        nargs="*",
        metavar="ENTITY",
        help="entities in order; the first is the reference for ratio_to_first "
        "(quote names with spaces)",
    )
    cmp.add_argument(
        "--indicator", action="append", help="indicator id from the codebook (repeatable)"
    )
    cmp.add_argument(
        "--table",
        choices=["user_counts", "investments", "talent", "camera_counts", "context"],
        help="only figures of this table",
    )
    cmp.add_argument(
        "--currency",
        choices=list(CURRENCIES),
        default="USD",
        help="common currency for money, at the rate of each figure's date (default: USD)",
    )
    cmp.add_argument(
        "--per",
        choices=["person", "100"],
        help="divide by the entity's population: per person, or per 100 people",
    )
    cmp.add_argument(
        "--population",
        metavar="ENTITY",
        help="with --per: whose population to divide by (default: each row's own entity)",
    )
    _output_options(cmp)
    der = command(
        sub,
        "derived",
        "list the indicators computed from the rows, with inputs, formula and warnings",
        "chinaai-stats derived",
        "chinaai-stats derived --format csv > derived.csv",
    )
    der.set_defaults(func=_cmd_derived)
    _output_options(der)
    con = command(
        sub,
        "conflicts",
        "list quantities given more than once (updates over time or disagreements)",
        "chinaai-stats conflicts",
        "chinaai-stats conflicts --format json",
    )
    con.set_defaults(func=_cmd_conflicts)
    _output_options(con)


def _cmd_compare(args: argparse.Namespace) -> int:
    from ..analysis.compare import compare

    if not (args.entities or args.indicator or args.table):
        raise ChinaAIStatsError(
            "compare needs entities, --indicator or --table; e.g. chinaai-stats compare "
            "WeChat QQ --indicator monthly_active_users"
        )
    kwargs: dict[str, Any] = {
        "entities": args.entities or None,
        "indicator": args.indicator,
        "table": args.table,
        "currency": args.currency,
    }
    if args.population and not args.per:
        raise ChinaAIStatsError("--population names the denominator of --per: add --per person")
    if args.per:
        accepted = inspect.signature(compare).parameters
        if "per" not in accepted:
            raise ChinaAIStatsError(
                "--per is not available in this version of chinaai-stats: it has no "
                "per-person figures yet"
            )
        kwargs["per"] = args.per if args.per == "person" else int(args.per)
        if args.population:
            kwargs["population"] = args.population
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = compare(**kwargs)
    for w in caught:
        print(f"chinaai-stats: warning: {w.message}", file=sys.stderr)
    units = ", ".join(dict.fromkeys(str(u) for u in df["unit_aligned"]))
    figures = f"{len(df)} figure" + ("s" if len(df) != 1 else "")
    header = f"# Comparison of {figures} on one unit ({units}){_stamp()}"
    emit(df, args.format, _columns(args, df), header, wide=args.wide)
    return EXIT_OK


def _cmd_derived(args: argparse.Namespace) -> int:
    from ..analysis.derived import derived

    df = derived()
    header = f"# Derived indicators: {len(df)}, computed from the rows{_stamp()}"
    emit(df, args.format, _columns(args, df), header, wide=args.wide)
    return EXIT_OK


def _cmd_conflicts(args: argparse.Namespace) -> int:
    from ..analysis.conflicts import conflicts

    df = conflicts()
    header = f"# Quantities given more than once: {len(df)}{_stamp()}"
    emit(df, args.format, _columns(args, df), header, wide=args.wide)
    return EXIT_OK


def _columns(args: argparse.Namespace, df: Any) -> list[str] | None:
    columns = split_columns(args.columns)
    if columns is None and args.format == "table" and not args.wide:
        columns = [c for c in BRIEF[args.command] if c in df.columns]
    return columns


def _stamp() -> str:
    from ..tables import catalog

    desc = catalog.descriptor()
    return f" · chinaai-stats data {desc['version']} · {desc['licenses'][0]['name']}"

"""Commands that follow a series, a row or a release: ``timeline``, ``trace``, ``changes``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ._common import EXIT_OK, command, emit


def register(sub: Any) -> None:
    """Add this module's subcommands to the parser."""
    tl = command(
        sub,
        "timeline",
        "one row per period an entity's indicator describes, the best-sourced figure first",
        "chinaai-stats timeline WeChat monthly_active_users",
        "chinaai-stats timeline 微信 monthly_active_users --format csv > wechat.csv",
        "chinaai-stats timeline China internet_users --format json",
    )
    tl.set_defaults(func=_cmd_timeline)
    tl.add_argument("entity", metavar="ENTITY", help="any name or alias (WeChat, 微信, Weixin)")
    tl.add_argument("indicator", metavar="INDICATOR", help="an indicator id of the codebook")
    tl.add_argument(
        "--include-forecasts",
        action="store_true",
        help="keep forecasts, targets and plans (left out by default: they are not counts)",
    )
    tl.add_argument("--format", choices=["text", "csv", "json"], default="text")
    tr = command(
        sub,
        "trace",
        "everything behind one row: its source, primary source, the same fact elsewhere, "
        "derived figures",
        "chinaai-stats trace uc-0001",
        "chinaai-stats trace uc-0001 --format json",
    )
    tr.set_defaults(func=_cmd_trace)
    tr.add_argument("id", metavar="ID", help="a fact row's id (uc-0001)")
    tr.add_argument("--format", choices=["text", "json"], default="text")
    ch = command(
        sub,
        "changes",
        "list the rows added, changed (column by column) and removed between two releases",
        "chinaai-stats changes 0.1.0 0.2.0",
        "chinaai-stats changes 0.2.0 --format csv > since-0.2.0.csv",
    )
    ch.set_defaults(func=_cmd_changes)
    ch.add_argument("old", metavar="OLD", help="a release (0.1.0)")
    ch.add_argument(
        "new", metavar="NEW", nargs="?", help="a later release (default: the data in use)"
    )
    ch.add_argument("--format", choices=["text", "csv", "json"], default="text")


def _cmd_timeline(args: argparse.Namespace) -> int:
    from ..analysis.timeline import timeline
    from ..core.version import __version__
    from ..tables.entities import resolve

    df = timeline(args.entity, args.indicator, include_forecasts=args.include_forecasts)
    header = (
        f"# Timeline of {args.indicator} for {resolve(args.entity)}: {len(df)} periods"
        f" · chinaai-stats data {__version__}"
    )
    fmt = "table" if args.format == "text" else args.format
    emit(df, fmt, None, header)
    return EXIT_OK


def _cmd_changes(args: argparse.Namespace) -> int:
    from ..tables.changes import changes

    df = changes(args.old, args.new)
    header = f"# Changes from {args.old} to {args.new or 'the data in use'}: {len(df)}"
    emit(df, "table" if args.format == "text" else args.format, None, header)
    return EXIT_OK


def _cmd_trace(args: argparse.Namespace) -> int:
    from ..analysis.timeline import trace

    record = trace(args.id)
    if args.format == "json":
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    sys.stdout.write("\n".join(_trace_lines(record)) + "\n")
    return EXIT_OK


def _trace_lines(t: dict[str, Any]) -> list[str]:
    """The trace of one row as lines for a person to read."""
    r, s, p = t["row"], t["source"], t["primary_source"]
    qualifier = "" if r["qualifier"] == "exact" else f" ({r['qualifier']})"
    lines = [
        f"{r['id']}  {r['entity']} · {r['indicator']} · {r['as_of'] or 'undated'}",
        f"  value     {r['value']:,.10g} {r['unit']}{qualifier}  from {r['value_text']!r}"
        f" at {r['locator']}",
        f"  kind      {r['kind']}"
        + (f", for {r['target_period']}" if r.get("target_period") else ""),
        f"  source    {s['id']}: {s.get('title')} ({s.get('publisher')}, "
        f"{s.get('published') or 'undated'})",
        f"            {s.get('url') or s.get('pointer') or 'no address recorded'}",
        f"            sha256 {s.get('sha256')}",
        f"  primary   {p['name'] or 'not named'}" + (f" <{p['address']}>" if p["address"] else ""),
        f"  notes     {r['notes']}",
    ]
    lines.append(f"  same fact {len(t['same_fact'])} other row(s)")
    for f in t["same_fact"]:
        lines.append(
            f"    {f['id']}  {f['value']:,.10g} {f['unit']}  {f['as_of']}  {f['source_id']}"
            f"  [{f['relation']}]"
        )
    lines.append(f"  derived   {len(t['derived'])} figure(s)")
    for d in t["derived"]:
        lines.append(f"    {d['id']}  {d['value']:,.6g} {d['unit']}  = {d['formula']}")
    return lines

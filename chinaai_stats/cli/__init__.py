"""The ``chinaai-stats`` command: a thin layer over the library; may import every room.

Exit codes: 0 success (a bare ``chinaai-stats`` prints its help and exits 0);
1 invalid content; 2 unusable input (unknown table, missing or unreadable file,
bad arguments); 3 a bug; 130 interrupted (Ctrl-C). Errors are one line on stderr,
never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

from ..core.errors import ChinaAIStatsError, did_you_mean
from ..core.version import __version__
from . import compare, contribute, figures, outputs, series, sources, tables
from ._common import EXIT_BUG, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNUSABLE, json_failure

EPILOG = """exit codes:
  0  success (and a bare `chinaai-stats`, which prints this help)
  1  invalid content: rows that fail `validate` or `add` (each listed with its line,
     column and a fix), or `parse` text that is not a figure
  2  unusable input: unknown table name; a missing, empty, binary, non-UTF-8 or
     non-CSV file; a directory; bad arguments. Nothing is written.
  3  an unexpected failure inside chinaai-stats (please report it)
  130  interrupted (Ctrl-C): outputs stay as they were; an interrupted `add` is
       finished or undone by the next command in the clone

`chinaai-stats COMMAND --help` says what a command does, with examples.

examples:
  chinaai-stats list
  chinaai-stats show user_counts
  chinaai-stats show context --indicator population --wide
  chinaai-stats compare WeChat QQ --indicator monthly_active_users
  chinaai-stats derived
  chinaai-stats conflicts
  chinaai-stats timeline WeChat monthly_active_users
  chinaai-stats trace uc-0001
  chinaai-stats show investments --format csv > investments.csv
  chinaai-stats describe talent
  chinaai-stats show investments --currency USD --fx annual
  chinaai-stats parse "约1.2万亿元人民币"
  chinaai-stats conversions
  chinaai-stats sources add article.txt --id example-2018 --title "…" --publisher "…" \\
      --published 2018-05-30 --caveats "…"
  chinaai-stats sources check --texts ~/texts
  chinaai-stats validate new_rows.csv --table investments --texts ~/texts
  chinaai-stats add new_rows.csv --table investments
  chinaai-stats cite talent --style bibtex
  chinaai-stats template talent > new_rows.csv
  chinaai-stats report --out catalog/
  chinaai-stats export --format sqlite --out chinaai.sqlite
"""


#: The modules that each add a group of subcommands (each has ``register(sub)``).
_GROUPS = (tables, sources, compare, series, figures, contribute, outputs)


class _UsageError(Exception):
    """Bad arguments: the one-line message ``main`` prints before exiting 2."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (and JSON where JSON was asked for)."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: error: {message} (see: {self.prog} --help)")


def _wants_json(words: list[str]) -> bool:
    """True when the words ask for ``--format json`` (as the parser would read them)."""
    pairs = zip(words, [*words[1:], ""], strict=True)
    return any(w == "--format=json" or (w == "--format" and n == "json") for w, n in pairs)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="chinaai-stats",
        description="Curated, source-cited statistics on China's AI ecosystem.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"chinaai-stats {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for group in _GROUPS:
        group.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    words = list(sys.argv[1:] if argv is None else argv)
    commands = list(next(a for a in parser._actions if a.dest == "command").choices or ())
    if words and not words[0].startswith("-") and words[0] not in commands:
        hint = did_you_mean(words[0], commands)
        print(
            f"chinaai-stats: error: no command {words[0]!r}{hint}; see: chinaai-stats --help",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    try:
        args = parser.parse_args(words)
    except _UsageError as exc:
        if _wants_json(words):
            json_failure(str(exc), EXIT_UNUSABLE)
        print(exc, file=sys.stderr)
        return EXIT_UNUSABLE
    if args.command is None:  # a bare `chinaai-stats`: say what there is
        parser.print_help()
        return EXIT_OK
    warnings.showwarning = _show_warning
    try:
        return int(args.func(args))
    except ChinaAIStatsError as exc:
        _json_error(args, str(exc), EXIT_UNUSABLE)
        print(f"chinaai-stats: error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        if exc.errno not in _ENVIRONMENT_ERRNOS:
            return _bug(args, exc)
        where = f": {exc.filename}" if exc.filename else " the output"
        message = f"cannot write{where} ({exc.strerror}); free some space or write elsewhere"
        _json_error(args, message, EXIT_UNUSABLE)
        print(f"chinaai-stats: error: {message}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        # what half-built objects (an open workbook) complain of when collected is noise now
        sys.unraisablehook = lambda _: None
        print("chinaai-stats: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one line, a distinct exit code, no traceback
        return _bug(args, exc)


#: Write failures that come from the machine, not from chinaai-stats (disk full, quota, I/O).
_ENVIRONMENT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EROFS})


def _bug(args: argparse.Namespace, exc: BaseException) -> int:
    """Report an unexpected failure in one line (and as JSON where JSON was asked for)."""
    where = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    _json_error(args, f"internal error ({where})", EXIT_BUG)
    print(f"chinaai-stats: internal error ({where}); please report it", file=sys.stderr)
    return EXIT_BUG


def _show_warning(message: Warning | str, *_: object, **__: object) -> None:
    """A library warning as one line on stderr (not Python's file:line report)."""
    print(f"chinaai-stats: warning: {message}", file=sys.stderr)


def _json_error(args: argparse.Namespace, message: str, code: int) -> None:
    """With ``--format json``, the failure as a JSON object on stdout (besides stderr)."""
    if getattr(args, "format", None) == "json":
        json_failure(message, code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

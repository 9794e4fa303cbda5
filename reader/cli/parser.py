"""The `reader` command's arguments: argparse, with its errors through the door."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from reader import __version__
from reader.cli.output import EXIT_USAGE, say
from reader.text import untrusted


class _Parser(argparse.ArgumentParser):
    """argparse, with its error messages (which quote what was typed) through the door."""

    def error(self, message: str) -> NoReturn:  # type: ignore[override]
        self.print_usage(sys.stderr)
        for line in untrusted.stream_lines(message):
            say(f"{self.prog}: error: {line}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--articles",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="folder of articles (default: ./articles, else the bundled sample corpus)",
    )
    common.add_argument(
        "--db",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="annotation database (default: ./annotations.db)",
    )
    parser = _Parser(
        prog="reader",
        description="Read news texts side by side, tag passages by keyboard, export YAML. "
        "Without a command, starts the terminal app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.add_parser(
        "list",
        parents=[common],
        help="one line per article: id, title, outlet, date, annotations per tag",
        description="List the articles (tab-separated: id, title, outlet, date, count per tag). "
        "Files that cannot be opened are listed with the reason.",
    )
    export = sub.add_parser(
        "export",
        parents=[common],
        help="write all annotations as YAML (reader-annotations/1)",
        description="Write all annotations as YAML to stdout, or atomically to FILE.",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    imp = sub.add_parser(
        "import",
        parents=[common],
        help="merge a YAML export into the database (all or nothing)",
        description="Merge a reader-annotations/1 YAML file into the database. If any entry is "
        "invalid, nothing is imported and every bad entry is listed.",
    )
    imp.add_argument("file", metavar="FILE", help="a YAML file written by `reader export`")
    align = sub.add_parser(
        "align",
        parents=[common],
        help="passages that say the same thing in two articles, as YAML",
        description="Line up the passages of articles A and B (ids as `reader list` shows them) "
        "that say the same thing: the same quote in another translation, the same figure. "
        "Prints YAML pairs, best first; a passage is in at most one pair.",
    )
    align.add_argument("a", metavar="A", help="an article id (or its start, where unique)")
    align.add_argument("b", metavar="B", help="another article id (or its start)")
    align.add_argument(
        "--min-score",
        metavar="S",
        type=_unit_interval,
        default=0.5,
        help="leave out pairs scoring less than S, a number from 0 to 1 (default: 0.5)",
    )
    return parser


def _unit_interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text!r}")
    return value

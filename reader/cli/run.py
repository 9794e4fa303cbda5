"""`reader`: parse the arguments, run the subcommand, turn every failure into a message."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from reader.cli.commands import cmd_align, cmd_export, cmd_import, cmd_list, cmd_tui
from reader.cli.output import EXIT_ERROR, CliError, OutputFailed, fail, output_failed, say, write
from reader.cli.parser import build_parser
from reader.corpus.articles import ArticleError


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except OutputFailed as exc:
        return output_failed(exc)


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "list":
            code = cmd_list(args, sys.stdout)
        elif args.command == "export":
            code = cmd_export(args, sys.stdout)
        elif args.command == "import":
            code = cmd_import(args, sys.stdout)
        elif args.command == "align":
            code = cmd_align(args, sys.stdout)
        else:
            code = cmd_tui(args)
        write(sys.stdout, "")  # flushed: a full disk shows now, not after the exit code
        return code
    except CliError as exc:
        fail(exc)
    except KeyboardInterrupt:
        with contextlib.suppress(OutputFailed):
            say("reader: interrupted (a file given to -o is left as it was)", file=sys.stderr)
        return 130
    except OutputFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - never a traceback in front of a user
        from reader.store import StoreError

        if isinstance(exc, (StoreError, ArticleError)):
            fail(exc)
        elif os.environ.get("READER_DEBUG"):
            raise
        else:
            fail(f"unexpected error: {type(exc).__name__}: {exc} (set READER_DEBUG=1 for details)")
    return EXIT_ERROR

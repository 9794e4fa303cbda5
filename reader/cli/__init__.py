"""The `reader` command: argument parsing, subcommands and error messages.

Every failure is one line on stderr naming the file and the problem, and a non-zero exit code;
never a traceback (set READER_DEBUG=1 to see one for an unexpected error).

Everything printed goes through `say` (or `output.write` for a document such as the YAML export),
which passes each line through the door for untrusted text (`reader.text.untrusted.stream`) and
turns a failed write (a full disk, a closed pipe, an I/O error) into a message and exit code 1:
a truncated output never passes for a whole one.

The command lives in a package: `output` (printing, exit codes, errors), `parser` (arguments),
`commands` (the subcommands) and `run` (`main`); their public names are importable from here.
"""

from __future__ import annotations

from reader.cli.commands import (
    cmd_align,
    cmd_export,
    cmd_import,
    cmd_list,
    cmd_tui,
    open_corpus,
    open_store,
    resolve_articles_dir,
    resolve_db_path,
)
from reader.cli.output import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    OutputFailed,
    say,
    warn,
)
from reader.cli.parser import build_parser
from reader.cli.run import main

__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_USAGE",
    "CliError",
    "OutputFailed",
    "build_parser",
    "cmd_align",
    "cmd_export",
    "cmd_import",
    "cmd_list",
    "cmd_tui",
    "main",
    "open_corpus",
    "open_store",
    "resolve_articles_dir",
    "resolve_db_path",
    "say",
    "warn",
]

"""The `reader` command: argument parsing, subcommands and error messages.

Every failure is one line on stderr naming the file and the problem, and a non-zero exit code;
never a traceback (set READER_DEBUG=1 to see one for an unexpected error).

Everything printed goes through `say` (or `_write` for a document such as the YAML export),
which passes each line through the door for untrusted text (`reader.text.untrusted.stream`) and
turns a failed write (a full disk, a closed pipe, an I/O error) into a message and exit code 1:
a truncated output never passes for a whole one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from reader import __version__
from reader.corpus.articles import ArticleError, Corpus, bundled_articles_dir, load_corpus
from reader.tags import DEFAULT_TAGS
from reader.text import untrusted

if TYPE_CHECKING:
    from reader.exchange import ImportResult

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A user-facing error: str() is the whole message."""


class OutputFailed(Exception):
    """Writing to stdout or stderr failed: str() says which and why."""

    def __init__(self, message: str, stream: TextIO) -> None:
        super().__init__(message)
        self.stream = stream


def say(*fields: object, file: TextIO | None = None) -> None:
    """One line on ``file`` (stdout by default): each field through the door, tab-separated."""
    _write(file or sys.stdout, "\t".join(untrusted.stream(f) for f in fields) + "\n")


def warn(message: object) -> None:
    """A warning on stderr, one line per line of ``message``."""
    for line in untrusted.stream_lines(message):
        say(f"reader: warning: {line}", file=sys.stderr)


def _write(file: TextIO, text: str) -> None:
    """``text`` to ``file``, flushed; a failure raises OutputFailed naming the stream.

    A stream with a file descriptor gets the bytes by ``os.write`` until all are taken: a
    buffered write of a big text into a pipe can take part of it, and TextIOWrapper does not
    tell (``reader export | head -c 100000`` passed for a whole export)."""
    try:
        try:
            fd = file.fileno()
        except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
            fd = None
        if fd is None:
            file.write(text)
            file.flush()
            return
        file.flush()
        data = memoryview(text.encode(file.encoding or "utf-8", file.errors or "strict"))
        while data:
            data = data[os.write(fd, data) :]
    except OSError as exc:
        name = {id(sys.stdout): "stdout", id(sys.stderr): "stderr"}.get(id(file), "output")
        raise OutputFailed(f"{name}: cannot write: {_os_reason(exc)}", file) from None


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.EPIPE:
        return "the pipe was closed before all was written (output incomplete)"
    if exc.errno == errno.ENOSPC:
        return "the disk is full (output incomplete)"
    return f"{exc.strerror or exc} (output incomplete)"


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
    align.add_argument("a", metavar="A", help="an article id")
    align.add_argument("b", metavar="B", help="another article id")
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


def resolve_articles_dir(args: argparse.Namespace) -> Path:
    given = getattr(args, "articles", None)
    if given:
        return Path(given)
    local = Path("articles")
    return local if local.is_dir() else bundled_articles_dir()


def resolve_db_path(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "db", None) or "annotations.db")


def open_corpus(args: argparse.Namespace) -> Corpus:
    from reader.corpus.listing_cache import default_cache_dir

    try:  # titles and checks of unchanged files come from the listing cache (no re-reading)
        return load_corpus(resolve_articles_dir(args), cache_dir=default_cache_dir())
    except ArticleError as exc:
        raise CliError(str(exc)) from None


def open_store(args: argparse.Namespace, *, create: bool = True):
    """The store, or None when the database does not exist and ``create`` is False."""
    from reader.store import Store, StoreError

    path = resolve_db_path(args)
    if not create and not path.exists():
        return None
    try:
        return Store(path)
    except StoreError as exc:
        raise CliError(str(exc)) from None


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    corpus = open_corpus(args)
    store = open_store(args, create=False)
    counts = store.counts() if store else {}
    tag_names = [t.name for t in (store.tags() if store else DEFAULT_TAGS)]
    for warning in corpus.warnings:
        warn(warning)
    known = set()
    for article in corpus:
        known.add(article.id)
        article.check()  # the listing read only the head: decoding problems further on
        per_tag = counts.get(article.id, {})
        tags = [f"{name}={per_tag.get(name, 0)}" for name in tag_names]
        if article.error:
            reason = f"cannot open {article.file}: {article.error}"
            say(article.id, reason, "-", "-", *tags, file=out)
        else:
            title, outlet, date = article.display_title, article.outlet, article.date
            say(article.id, title, outlet or "-", date or "-", *tags, file=out)
        # why a title is a file name or a text looks odd: on stderr, as the listing's format
        # is one line per article
        for warning in article.warnings:
            warn(f"{article.file}: {warning}")
    for article_id in sorted(set(counts) - known):
        per_tag = counts[article_id]
        tags = [f"{name}={per_tag.get(name, 0)}" for name in tag_names]
        say(article_id, "(file missing: annotations kept)", "-", "-", *tags, file=out)
    if store:
        store.close()
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from reader.exchange.files import export_text, export_to_file

    corpus = open_corpus(args)
    store = open_store(args, create=False)
    if store is None:
        from reader.store import Store

        store = Store(None)
    try:
        if args.output:
            try:
                count = export_to_file(args.output, store, corpus)
            except OSError as exc:
                raise CliError(
                    f"{args.output}: cannot write: {exc.strerror or exc}; nothing was written"
                ) from None
            say(f"reader: wrote {count} annotations to {args.output}", file=sys.stderr)
            return EXIT_OK
        text = export_text(store, corpus)  # the re-anchoring not saved: the same export
    finally:
        store.close()
    _write(out, text)  # YAML: what a terminal must not get is escaped (exchange.dump_yaml)
    return EXIT_OK


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from reader.exchange import apply_import, plan_import

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    corpus = open_corpus(args)
    store = open_store(args)
    try:
        plan = plan_import(path, store, corpus)
        if plan.errors:
            say(
                f"reader: {path}: nothing imported; {len(plan.errors)} problem(s):", file=sys.stderr
            )
            for error in plan.errors:
                for line in untrusted.stream_lines(error):
                    say(f"  {line}", file=sys.stderr)
            return EXIT_ERROR
        result = apply_import(plan, store)
    finally:
        store.close()
    say(f"reader: imported {path}: {_import_summary(result)}", file=out)
    return EXIT_OK


def _import_summary(result: ImportResult) -> str:
    """What an import did, in a line: counts, then what became of entries that were not
    exactly where their file said."""
    line = f"{result.added} added, {result.updated} updated, {result.unchanged} unchanged"
    notes = []
    if result.reanchored:
        notes.append(f"{result.reanchored} re-anchored (quote found elsewhere in the article)")
    if result.orphaned:
        notes.append(f"{result.orphaned} kept as orphans (quote not found in the article)")
    if result.duplicates:
        notes.append(f"{result.duplicates} repeated entries skipped (the same annotation again)")
    if result.unchecked:
        ids = list(result.unchecked_articles)
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        noun = "article" if len(ids) == 1 else "articles"
        notes.append(f"{result.unchecked} kept unchecked (no readable file for {noun} {shown})")
    return "; ".join([line, *notes])


def cmd_align(args: argparse.Namespace, out: TextIO) -> int:
    from reader.align import align
    from reader.exchange import dump_yaml

    if args.a == args.b:
        raise CliError(f"{args.a}: A and B are the same article; give two different ids")
    corpus = open_corpus(args)
    bodies = []
    for article_id in (args.a, args.b):
        article = corpus.get(article_id)
        if article is None:
            raise CliError(
                f"{corpus.folder}: no article with id {article_id!r} (see `reader list`)"
            )
        try:
            bodies.append(article.body)
        except ArticleError as exc:
            raise CliError(str(exc)) from None
    body_a, body_b = bodies
    pairs = [
        {
            "a": {"start": p.a_start, "end": p.a_end, "quote": body_a[p.a_start : p.a_end]},
            "b": {"start": p.b_start, "end": p.b_end, "quote": body_b[p.b_start : p.b_end]},
            "score": round(p.score, 3),
        }
        # filter on the printed (rounded) score, so `--min-score 1.0` keeps pairs shown as 1.0
        for p in align(body_a, body_b, min_score=max(0.0, args.min_score - 0.0005))
        if round(p.score, 3) >= args.min_score
    ]
    doc = {"articles": {"a": args.a, "b": args.b}, "min_score": args.min_score, "pairs": pairs}
    _write(out, dump_yaml(doc))
    return EXIT_OK


def cmd_tui(args: argparse.Namespace) -> int:
    from reader import gc_pause  # collection waits for the first screen (see gc_pause)

    gc_pause.pause_for_start_up()
    try:
        from reader.tui.app import run_app

        corpus = open_corpus(args)
        store = open_store(args)
    except BaseException:
        gc_pause.resume_after_start_up()  # the app will not start: nothing to wait for
        raise
    try:
        return run_app(store=store, corpus=corpus)
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except OutputFailed as exc:
        return _output_failed(exc)


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
        _write(sys.stdout, "")  # flushed: a full disk shows now, not after the exit code
        return code
    except CliError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        with contextlib.suppress(OutputFailed):
            say("reader: interrupted (a file given to -o is left as it was)", file=sys.stderr)
        return 130
    except OutputFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - never a traceback in front of a user
        from reader.store import StoreError

        if isinstance(exc, (StoreError, ArticleError)):
            _fail(exc)
        elif os.environ.get("READER_DEBUG"):
            raise
        else:
            _fail(f"unexpected error: {type(exc).__name__}: {exc} (set READER_DEBUG=1 for details)")
    return EXIT_ERROR


def _fail(message: object) -> None:
    lines = untrusted.stream_lines(message)
    say(f"reader: {lines[0]}", file=sys.stderr)
    for line in lines[1:]:
        say(f"  {line}", file=sys.stderr)


def _output_failed(exc: OutputFailed) -> int:
    """Say that the output is incomplete (on stderr, if it still takes text) and make sure the
    interpreter's own last flush of the broken stream fails quietly."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, exc.stream.fileno())
    if exc.stream is not sys.stderr:
        with contextlib.suppress(OSError, ValueError, OutputFailed):
            say(f"reader: {exc}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())

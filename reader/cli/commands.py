"""The `reader` subcommands: list, export, import, align, and the terminal app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reader.cli.output import EXIT_ERROR, EXIT_OK, CliError, say, warn, write
from reader.corpus.articles import ArticleError, Corpus, bundled_articles_dir, load_corpus
from reader.tags import DEFAULT_TAGS
from reader.text import untrusted
from reader.text.wording import count

if TYPE_CHECKING:
    from reader.corpus.article import Article
    from reader.exchange import ImportResult


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
                written = export_to_file(args.output, store, corpus)
            except OSError as exc:
                raise CliError(
                    f"{args.output}: cannot write: {exc.strerror or exc}; nothing was written"
                ) from None
            say(f"reader: wrote {count(written, 'annotation')} to {args.output}", file=sys.stderr)
            return EXIT_OK
        text = export_text(store, corpus)  # the re-anchoring not saved: the same export
    finally:
        store.close()
    write(out, text)  # YAML: what a terminal must not get is escaped (exchange.dump_yaml)
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
                f"reader: {path}: nothing imported; {count(len(plan.errors), 'problem')}:",
                file=sys.stderr,
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
        repeated = count(result.duplicates, "repeated entry", "repeated entries")
        notes.append(f"{repeated} skipped (the same annotation again)")
    if result.unchecked:
        ids = list(result.unchecked_articles)
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        noun = "article" if len(ids) == 1 else "articles"
        notes.append(f"{result.unchecked} kept unchecked (no readable file for {noun} {shown})")
    return "; ".join([line, *notes])


def article_by_id(corpus: Corpus, given: str) -> Article:
    """The article a command line names by its id or a unique prefix of it."""
    found = corpus.matching(given)
    if not found:
        raise CliError(f"{corpus.folder}: no article with id {given!r} (see `reader list`)")
    if len(found) > 1:
        shown = ", ".join(a.id for a in found[:10])
        more = f" and {len(found) - 10} more" if len(found) > 10 else ""
        raise CliError(
            f"{corpus.folder}: {given!r} is the start of {len(found)} article ids: "
            f"{shown}{more}; give more of the id"
        )
    return found[0]


def cmd_align(args: argparse.Namespace, out: TextIO) -> int:
    from reader.align import align
    from reader.exchange import dump_yaml

    corpus = open_corpus(args)
    articles = [article_by_id(corpus, given) for given in (args.a, args.b)]
    if articles[0] is articles[1]:
        raise CliError(f"{articles[0].id}: A and B are the same article; give two different ids")
    args.a, args.b = (article.id for article in articles)
    bodies = []
    for article in articles:
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
    write(out, dump_yaml(doc))
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

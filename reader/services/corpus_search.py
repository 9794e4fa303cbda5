"""Search across the corpus: the hits `reader.search.search_corpus` gives, without reading
every body at every keystroke, and without keeping them. No Textual here.

A query asks the index (`reader.services.search_index`) which articles may hold it, then reads
only those bodies and finds the exact hits in them with `reader.search`: same hits, same
order, same context as reading them all. An article the index cannot vouch for (not indexed
yet, its file changed since, the index not usable, a query of fewer than three letters) is
read as before; an article the app holds open is searched in the body it holds, as before.

Every query can be given up: ``cancelled`` is asked between two articles and, through SQLite's
progress handler, while the index is asked; a query given up raises `SearchCancelled`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path

from reader.corpus.articles import Article, ArticleError, Corpus
from reader.search import Hit, compile_query, hits_in
from reader.services.search_index import (
    Cancelled,
    Entry,
    SearchCancelled,
    SearchIndex,
    file_key,
    read_body,
)

__all__ = ["SearchCancelled", "SearchService"]


def _never() -> bool:
    return False


class SearchService:
    """Searches one corpus with the help of an index (None: reads every body each time)."""

    def __init__(self, corpus: Corpus, index: SearchIndex | None) -> None:
        self.corpus = corpus
        self.index = index

    @classmethod
    def for_corpus(cls, corpus: Corpus, cache_dir: Path | str | None) -> SearchService:
        """The search of ``corpus`` with its index in ``cache_dir`` (beside the listing cache,
        named by the folder as it is), or, with no cache folder, in a temporary folder removed
        when the search is gone. Opens nothing yet: `refresh` does, in a thread."""
        folder = cache_dir
        if folder is None:
            try:
                folder = tempfile.mkdtemp(prefix="reader-search-")
            except OSError:
                return cls(corpus, None)
        root = os.fsencode(str(Path(corpus.folder).resolve()))
        digest = hashlib.sha256(root).hexdigest()[:32]
        search = cls(corpus, SearchIndex(Path(folder) / f"{digest}-search.sqlite3"))
        if cache_dir is None:
            weakref.finalize(search, shutil.rmtree, folder, ignore_errors=True)
        return search

    def refresh(
        self,
        cancelled: Cancelled = _never,
        progress: Callable[[int, int], None] | None = None,
    ) -> bool:
        """Bring the index up to date with the files (those not changed are only stat'ed); for
        a thread. True when done; searching meanwhile gives the same hits, reading more."""
        if self.index is None:
            return False
        return self.index.refresh(self.corpus, cancelled, progress)

    def search(
        self,
        query: str,
        *,
        cancelled: Cancelled = _never,
        per_article: int = 50,
        limit: int = 500,
        context: int = 40,
    ) -> list[Hit]:
        """The hits of ``query`` across the corpus, as `reader.search.search_corpus` gives
        them. Raises `SearchCancelled` once ``cancelled()`` says so."""
        pattern = compile_query(query)
        if pattern is None:
            return []
        index = self.index
        # What the index knows is read before it is asked: a batch written in between only
        # adds articles to read, never leaves one out.
        entries = index.entries() if index is not None else {}
        found = index.candidates(query, cancelled) if index is not None else None
        hits: list[Hit] = []
        for article in self.corpus:
            if cancelled():
                raise SearchCancelled()
            if not article.ok:
                continue
            held = article.loaded  # the app holds its body (it was opened)
            if not held and _ruled_out(article, entries.get(article.id), found):
                continue
            body = _body(article, held)
            if body is None:
                continue
            most = min(per_article, limit - len(hits))
            hits += hits_in(article.id, body, pattern, most=most, context=context)
            if len(hits) >= limit:
                break
        return hits


def _ruled_out(article: Article, entry: Entry | None, found: set[str] | None) -> bool:
    """The index vouches that the article's file (unchanged since it was indexed) does not
    hold the query, or cannot be read."""
    if entry is None or entry.key is None or entry.key != file_key(article):
        return False
    return not entry.readable or (found is not None and article.id not in found)


def _body(article: Article, held: bool) -> str | None:
    """The body the app holds, else the file's (read, not kept)."""
    if not held:
        return read_body(article)
    try:
        return article.body
    except ArticleError:  # unloaded meanwhile, and the file cannot be read now
        return None

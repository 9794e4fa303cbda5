"""The export: every annotation as a ``reader-annotations/1`` document. No Textual here.

Export re-anchors first (`anchoring.reconcile`), so offsets are those of the current article
files; annotations that cannot be found again are exported with ``orphaned: true``, fuzzy
re-anchored ones needing a look with ``review: true``. Annotations of an article whose file is
missing are exported too, under ``file: null``. An entry holds the fields of `reader.model`
marked ``exported``, in that order, flags only when true.
"""

from __future__ import annotations

import contextlib
import operator
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from reader.anchoring import reconcile
from reader.exchange.entries import ARTICLE_FIELDS, ENTRY_FIELDS, EXPORTED_FLAGS, FORMAT
from reader.exchange.yaml_io import dump_yaml
from reader.model import Annotation, utc_now

if TYPE_CHECKING:
    from reader.corpus.articles import Article, Corpus
    from reader.store import AnnotationStore

_ALWAYS = tuple(name for name in ENTRY_FIELDS if name not in EXPORTED_FLAGS)
_always = operator.attrgetter(*_ALWAYS)


def _entry(a: Annotation) -> dict[str, Any]:
    entry: dict[str, Any] = dict(zip(_ALWAYS, _always(a), strict=True))
    for flag in EXPORTED_FLAGS:
        if getattr(a, flag):
            entry[flag] = True
    return entry


def _article_header(article_id: str, article: Article | None) -> dict[str, Any]:
    from reader.corpus.articles import ArticleError

    head: dict[str, Any] = {"id": article_id, "file": article.file if article else None}
    meta = article.metadata() if article else {}
    for name in ARTICLE_FIELDS:
        head[name] = meta.get(name)
    if article is not None:
        # the title as the app and `reader list` show it: a .txt article's first line
        head["title"] = article.display_title
    sha256 = None
    if article is not None and not article.error:
        with contextlib.suppress(ArticleError):
            sha256 = article.sha256
    head["sha256"] = sha256
    return head


def export_document(
    store: AnnotationStore, corpus: Corpus, now: str | datetime | None = None, *, save: bool = True
) -> dict[str, Any]:
    """All annotations as a reader-annotations/1 document (a dict ready for `dump_yaml`).

    Re-anchors changed articles first, writing the result back unless the store is read-only
    or ``save`` is False (the document is the same either way).
    Articles come in id order, each with its annotations in body order.
    """
    results = reconcile(store, corpus, write=save and not store.read_only)
    current = {r.annotation.id: r.annotation for r in results}
    by_article: dict[str, list[Annotation]] = {}
    for stored in store.annotations():
        a = current.get(stored.id, stored)
        by_article.setdefault(a.article_id, []).append(a)
    articles = []
    for article_id in sorted(by_article):
        group = sorted(by_article[article_id], key=lambda a: (a.start, a.end, a.created, a.id))
        head = _article_header(article_id, corpus.get(article_id))
        head["annotations"] = [_entry(a) for a in group]
        articles.append(head)
    if isinstance(now, datetime):
        now = now.astimezone(timezone.utc).replace(microsecond=0).isoformat()
    return {"format": FORMAT, "exported": now or utc_now(), "articles": articles}


def export_yaml(
    store: AnnotationStore, corpus: Corpus, now: str | datetime | None = None, *, save: bool = True
) -> str:
    return dump_yaml(export_document(store, corpus, now, save=save))

"""Annotations as a reading session changes them: tag, retag, delete, note, re-attach, copy,
undo and redo, and what the screen shows of them. No Textual here.

`Annotations` is the one place the app writes the store. Each change is saved at once, recorded
in the history and announced to the listeners as an `Update` of one article: what was removed
and added (the ids this session wrote are read back alone, so a tag costs the same with 5,000
annotations as with none), or everything of it read again. The annotations of the few articles
shown are kept (`annotations_of`); a write by another program empties that cache (`poll`).

A change the user asked for that cannot be made raises `Refused` with the reason, in words for
the user; a database that fails raises the store's `StoreError`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.model import Annotation
from reader.services.history import Change, History
from reader.services.sessions import stamp
from reader.services.tagset import TagSet
from reader.store import Store, context_of
from reader.text.layout import trim
from reader.text.wording import count

if TYPE_CHECKING:
    from pathlib import Path

    from reader.corpus.articles import Article, Corpus
    from reader.store.base import ChangeToken

#: Articles whose annotations are kept in memory between refreshes (the panes and the panel).
CACHED_ARTICLES = 8


class Refused(Exception):
    """The change cannot be made as asked; the message says why, for the user."""


class Gone(Refused):
    """The annotation the change was for is not in the store (deleted by another reader)."""


@dataclass
class Update:
    """What changed of one article's annotations.

    ``annotations`` holds all of them when they were read again (``changed`` is None then);
    otherwise ``removed``/``added`` are the old and new versions of the ids in ``changed``.
    ``everything`` is set when another program wrote: every cached article was dropped and
    every count is new."""

    article_id: str
    changed: list[str] | None
    removed: list[Annotation] = field(default_factory=list)
    added: list[Annotation] = field(default_factory=list)
    annotations: list[Annotation] | None = None
    counts_changed: bool = False
    everything: bool = False


Listener = Callable[[Update], None]


class Annotations:
    """The session's annotations: every write goes through here, and every read the screen
    makes of them."""

    def __init__(self, store: Store, corpus: Corpus) -> None:
        self.store = store
        self.corpus = corpus
        self.history = History(store)
        self.tags = TagSet(store.tags())
        self._version = store.external_token()
        self._by_article: dict[str, dict[str, Annotation]] = {}
        #: read before any change: the changes made here move it (see update_of)
        self._counts: dict[str, dict[str, int]] = store.counts()
        self._listeners: list[Listener] = []

    # -- reading -------------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` with an `Update` after every change this session makes."""
        self._listeners.append(listener)

    def counts(self) -> dict[str, dict[str, int]]:
        """article id -> {tag: count}, kept up to date by the changes made here."""
        return self._counts

    def get(self, annotation_id: str) -> Annotation | None:
        return self.store.get(annotation_id)

    def all(self) -> list[Annotation]:
        return self.store.annotations()

    def annotations_of(self, article_id: str) -> list[Annotation]:
        """The article's annotations, read once and then kept up to date by the changes made
        here (for the few articles shown; another program's writes empty the cache)."""
        cache = self._by_article.pop(article_id, None)
        if cache is None:
            cache = {a.id: a for a in self.store.annotations(article_id)}
        self._by_article[article_id] = cache  # the most recently used last
        while len(self._by_article) > CACHED_ARTICLES:
            del self._by_article[next(iter(self._by_article))]
        return list(cache.values())

    def forget(self, article_id: str) -> None:
        """Read the article's annotations afresh next time (its file may have changed)."""
        self._by_article.pop(article_id, None)

    def orphans(self) -> list[Annotation]:
        """Orphans, and annotations whose article file is gone (kept: it may come back)."""
        gone = {a.id for a in self.corpus if stamp(a.path) is None}
        return [
            a
            for a in self.store.annotations()
            if a.orphaned or self.corpus.get(a.article_id) is None or a.article_id in gone
        ]

    def poll(self) -> bool:
        """Check the database file and notice what another program wrote: True when it did
        (the cache, the counts and the tag set are read again; show everything again)."""
        self.store.check_file()
        version = self.store.external_token()
        if version == self._version:
            return False
        self.store.check_rows()  # what another program wrote: no pane may need to read it
        self._external(version)
        return True

    def _external(self, version: ChangeToken) -> None:
        self._version = version
        self._by_article.clear()
        self._counts = self.store.counts()
        self.tags = TagSet(self.store.tags())

    # -- changing ------------------------------------------------------------------------------
    def tag(self, article: Article, key: str, start: int, end: int) -> Annotation:
        """Tag ``article.body[start:end]`` with the tag bound to ``key``, less the whitespace
        around it (a selection made by word, sentence or line keys often ends in a space or a
        line break). A selection of whitespace only is refused."""
        tag = self._tag_for(key)
        start, end = trim(article.body, start, end)
        if start >= end:
            raise Refused("Nothing tagged: the selection is only spaces or line breaks")
        added = self.store.add(article.id, tag, start, end, article.body, article.sha256)
        self._record(Change(f"tag as {tag}", None, added))
        return added

    def retag(self, annotation_id: str, key: str) -> tuple[Annotation, Annotation]:
        """Give the annotation the tag bound to ``key``: (before, after)."""
        tag = self._tag_for(key)
        before = self._existing(annotation_id)
        if tag == before.tag:
            raise Refused(f"Already tagged {tag}")
        before, after = self.store.edit(before.id, {"tag": before.tag}, tag=tag)
        self._record(Change(f"retag as {tag}", before, after))
        return before, after

    def delete(self, annotation_id: str) -> Annotation:
        """Delete the annotation; returns it as it was."""
        before = self.store.delete(annotation_id)
        self._record(Change(f"delete {before.tag}", before, None))
        return before

    def set_note(self, shown: Annotation, text: str) -> str | None:
        """Save ``text`` as the note of ``shown``, only over the note the user saw (another
        reader may have changed it: Conflict). Blank text removes the note. Returns None when
        the note was unchanged, else "saved" or "removed"."""
        note = text if text.strip() else None
        if note == shown.note:
            return None
        before, after = self.store.edit(shown.id, {"note": shown.note}, note=note)
        self._record(Change("note", before, after))
        return "saved" if note else "removed"

    def reattach(self, orphan_id: str, article: Article, start: int, end: int, key: str) -> str:
        """Give an orphaned annotation a new place and the tag bound to ``key``; returns the
        tag's name."""
        tag = self._tag_for(key)
        before = self.store.get(orphan_id)
        if before is None:
            raise Gone("The orphan is gone (deleted elsewhere?)")
        if before.article_id != article.id:
            raise Refused("Re-attach cancelled: the selection is in another article")
        body = article.body
        start, end = trim(body, start, end)
        if start >= end:
            raise Refused("Not re-attached: the selection is only spaces or line breaks")
        prefix, suffix = context_of(body, start, end)
        after = self.store.update(
            orphan_id,
            tag=tag,
            start=start,
            end=end,
            quote=body[start:end],
            prefix=prefix,
            suffix=suffix,
            article_sha256=article.sha256,
            orphaned=False,
            review=False,
        )
        self._record(Change("re-attach", before, after))
        return tag

    def copy(self, source_id: str, article: Article, start: int, end: int) -> list[str]:
        """Tag ``article.body[start:end]`` as the annotation ``source_id`` is (with its note):
        compare mode's `y`. Returns the other tags the passage already has."""
        source = self._existing(source_id)
        there = [
            a
            for a in self.annotations_of(article.id)
            if a.start < end and start < a.end and not a.orphaned
        ]
        if any(a.tag == source.tag and (a.start, a.end) == (start, end) for a in there):
            raise Refused(f"The aligned passage is already tagged {source.tag}")
        added = self.store.add(
            article.id, source.tag, start, end, article.body, article.sha256, note=source.note
        )
        self._record(Change(f"copy {source.tag} to partner", None, added))
        return sorted({a.tag for a in there} - {source.tag})

    def undo(self) -> Change | None:
        """Undo the last change (None: nothing to undo); Conflict when it changed since."""
        return self._travel(self.history.undo)

    def redo(self) -> Change | None:
        return self._travel(self.history.redo)

    def _travel(self, step: Callable[[], Change | None]) -> Change | None:
        change = step()
        if change is not None:
            self._announce(change.article_id, [_id_of(change)])
        return change

    def _record(self, change: Change) -> None:
        self.history.record(change)
        self._announce(change.article_id, [_id_of(change)])

    def _tag_for(self, key: str) -> str:
        tag = self.tags.for_key(key)
        if tag is None:
            raise Refused(f"No tag has the key {key}")
        return tag.name

    def _existing(self, annotation_id: str) -> Annotation:
        item = self.store.get(annotation_id)
        if item is None:
            raise Gone("That annotation is gone (deleted elsewhere?)")
        return item

    # -- what changed ---------------------------------------------------------------------------
    def refresh(self, article_id: str) -> None:
        """Announce the article's annotations read again (after a failed write, say)."""
        self._announce(article_id, None)

    def _announce(self, article_id: str, changed: Iterable[str] | None) -> None:
        update = self.update_of(article_id, changed)
        for listener in self._listeners:
            listener(update)

    def update_of(self, article_id: str, changed: Iterable[str] | None) -> Update:
        """Bring the cache and counts up to date after ``changed`` (the ids this session just
        wrote; None: all of the article's) and say what changed."""
        update = Update(article_id, None)
        version = self.store.external_token()
        if version != self._version:  # another program wrote too: trust nothing cached
            self._external(version)
            update.everything = True
            changed = None
        counts = self.counts()
        cache = self._by_article.get(article_id)
        if changed is None or cache is None:
            self._by_article.pop(article_id, None)
        else:
            update.changed = list(changed)
            for ident in update.changed:
                before, now = cache.pop(ident, None), self.store.get(ident)
                if before is not None:
                    update.removed.append(before)
                if now is not None and now.article_id == article_id:
                    cache[ident] = now
                    update.added.append(now)
        if update.changed is None or article_id not in counts:
            update.annotations = self.annotations_of(article_id)
            per_tag = dict(Counter(a.tag for a in update.annotations))
        else:  # the counts moved by what changed
            per_tag = dict(counts[article_id])
            for a in update.removed:
                per_tag[a.tag] -= 1
                if not per_tag[a.tag]:
                    del per_tag[a.tag]
            for a in update.added:
                per_tag[a.tag] = per_tag.get(a.tag, 0) + 1
        if counts.get(article_id) != per_tag:
            counts[article_id] = per_tag
            update.counts_changed = True
        return update

    # -- re-anchoring and export ------------------------------------------------------------------
    def reanchor(self, article: Article) -> str | None:
        """Re-anchor the article's annotations to its text as it is now (the file may have
        changed since they were made); returns what moved, in words, or None."""
        from reader.anchoring import reconcile

        self.forget(article.id)
        results = reconcile(self.store, self.corpus, article_ids=[article.id])
        counts = Counter(r.status for r in results)
        moved, fuzzy, orphaned = counts["moved"], counts["fuzzy"], counts["orphaned"]
        if not (moved or fuzzy or orphaned):
            return None
        parts = []
        if moved or fuzzy:
            parts.append(f"{count(moved + fuzzy, 'annotation')} found again at their new place")
        if fuzzy:
            parts.append(f"{fuzzy} of them by a close match: marked 'review'")
        if orphaned:
            parts.append(f"{orphaned} not found: kept as orphans (O lists them)")
        return f"{article.file} changed since it was annotated: " + "; ".join(parts)

    def reconcile_all(self) -> int:
        """Re-anchor every annotation whose article changed; returns how many are orphans."""
        from reader.anchoring import reconcile

        if not self.counts():  # no annotations: nothing to re-anchor
            return 0
        reconcile(self.store, self.corpus)
        return self.store.orphaned_count()

    def export(self, path: Path) -> tuple[int, int]:
        """Write the YAML export to ``path``: (annotations, articles) written."""
        from reader.exchange.files import export_to_file

        count = export_to_file(path, self.store, self.corpus)
        return count, len({a.article_id for a in self.store.annotations()})

    def export_path(self) -> Path:
        """Beside the database, named after it (never the database itself)."""
        from pathlib import Path

        db = self.store.path
        if db is None:
            return Path("annotations.yaml")
        if db.suffix in (".yaml", ".yml"):
            return db.with_name(db.name + ".yaml")
        return db.with_suffix(".yaml")


def _id_of(change: Change) -> str:
    item = change.after or change.before
    assert item is not None
    return item.id

"""Planning the entries of one import document, article by article. No Textual here.

`plan.plan_document` runs a `Planner` over a parsed document; the rules it follows are
described in `reader.exchange.plan`.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.anchoring import anchor
from reader.exchange.entries import (
    ARTICLE_KEYS,
    ENTRY_FIELDS,
    FORMAT,
    SHA256,
    article_id_problem,
    build_annotation,
    entry_problems,
)
from reader.exchange.quoting import label, shown, unknown_fields
from reader.model import Annotation, utc_now

if TYPE_CHECKING:
    from reader.corpus.articles import Corpus
    from reader.exchange.plan import ImportPlan
    from reader.store import AnnotationStore

Place = tuple[str, str, int, int]  # article id, tag, start, end
#: What an entry says beyond its place: two entries at one place that differ here say two
#: things of one annotation.
_CONTENT = tuple(name for name in ENTRY_FIELDS if name not in ("id", "tag", "start", "end"))


class Planner:
    """Plans the entries of one document. How an entry is placed depends on its article:

    * its ``sha256`` is the body's: the file is the one the entries were made against, so an
      entry is taken exactly as it is (quote == body[start:end]), or refused;
    * its ``sha256`` is another: the article changed, and entries are re-anchored to their
      quotes (`anchoring.anchor`);
    * no ``sha256`` (or null): the document does not say which text the entries were made
      against (a hand-written file, or a file missing at export time): re-anchored as well;
    * no readable file here: kept unchecked, as the entry says.

    ``orphaned: true`` entries are kept as orphans where their quote is not found.
    """

    def __init__(self, plan: ImportPlan, store: AnnotationStore, corpus: Corpus) -> None:
        self.plan = plan
        self.store = store
        self.corpus = corpus
        self.tags = [t.name for t in store.tags()]
        self.existing = {a.id: a for a in store.annotations()}
        self.by_position: dict[Place, list[Annotation]] = {}
        for a in self.existing.values():
            self.by_position.setdefault((a.article_id, a.tag, a.start, a.end), []).append(a)
        for group in self.by_position.values():
            if len(group) > 1:
                group.sort(key=lambda a: (a.created, a.id))
        self.seen: dict[str, str] = {}  # annotation id -> where it appeared
        #: entries without id by their place: (where, the stored one matched, as planned)
        self.placed: dict[Place, tuple[str, Annotation | None, Annotation]] = {}
        self.file_ids: set[str] = set()  # ids the document gives its entries
        self.now = utc_now()

    def error(self, message: str) -> None:
        self.plan.errors.append(message)

    def run(self, doc: Any) -> None:
        name = self.plan.source
        if not isinstance(doc, dict):
            self.error(f"{name}: expected a {FORMAT} document (a mapping with format, articles)")
            return
        if "format" not in doc:
            self.error(f"{name}: missing 'format' (expected {FORMAT})")
            return
        if doc["format"] != FORMAT:
            self.error(f"{name}: format is {shown(doc['format'])}, expected {FORMAT}")
            return
        articles = doc.get("articles")
        if articles is None:
            articles = []
            if "articles" not in doc:
                self.error(f"{name}: missing 'articles'")
        if not isinstance(articles, list):
            self.error(f"{name}: 'articles' must be a list")
            return
        for entry in articles:  # ids first: an entry without one never takes one of these
            if isinstance(entry, dict) and isinstance(entry.get("annotations"), list):
                for e in entry["annotations"]:
                    if isinstance(e, dict) and isinstance(e.get("id"), str):
                        self.file_ids.add(e["id"])
        for i, entry in enumerate(articles):
            self.article(i, entry)

    def article(self, i: int, entry: Any) -> None:
        from reader.corpus.articles import ArticleError

        where = f"articles[{i}]"
        if not isinstance(entry, dict):
            self.error(f"{where}: must be a mapping with id and annotations")
            return
        article_id = entry.get("id")
        if not isinstance(article_id, str) or not article_id:
            self.error(f"{where}: 'id' must be the article id (text)")
            return
        where = f"{where} (article {label(article_id)})"
        problem = article_id_problem(article_id)
        if problem:
            self.error(f"{where}: {problem}")
            return
        unknown = [key for key in entry if key not in ARTICLE_KEYS]
        if unknown:
            self.error(f"{where}: {unknown_fields(unknown)} (known: {', '.join(ARTICLE_KEYS)})")
            return
        annotations = entry.get("annotations")
        if annotations is None:
            annotations = []
        if not isinstance(annotations, list):
            self.error(f"{where}: 'annotations' must be a list")
            return
        file = entry.get("file")
        if file is not None and not (isinstance(file, str) and Path(file).stem == article_id):
            self.error(
                f"{where}: 'file' {shown(file)} is not the file of article "
                f"{shown(article_id)} (an id is its file name without the extension)"
                if isinstance(file, str)
                else f"{where}: 'file' must be the article's file name or null"
            )
            return
        made_against = entry.get("sha256")
        if made_against is not None and not (
            isinstance(made_against, str) and SHA256.fullmatch(made_against)
        ):
            self.error(
                f"{where}: 'sha256' must be the SHA-256 of the body the entries were made "
                f"against (64 hexadecimal digits) or null, not {shown(made_against)}"
            )
            return
        body: str | None = None
        sha256 = ""
        article = self.corpus.get(article_id)
        if article is None:
            problem = f"unknown article (no such file in {self.corpus.folder})"
        else:
            try:
                if article.error:
                    raise ArticleError(f"{article.path}: {article.error}")
                body, sha256 = article.body, article.sha256
            except ArticleError as exc:
                problem = f"the article cannot be opened: {exc}"
        if body is None and "file" not in entry:
            # not written by an export: unless an entry says it is an orphan, the id may be
            # a typo, and entries filed under it would be lost to their article
            unmarked = [e for e in annotations if not (isinstance(e, dict) and e.get("orphaned"))]
            if unmarked or not annotations:
                self.error(
                    f"{where}: {problem}; to keep its annotations unchecked all the same, "
                    "give the article its 'file' (reader export writes 'file: null' for a "
                    "deleted one) or mark them 'orphaned: true'"
                )
                return
        unchanged = made_against is not None and made_against.lower() == sha256
        for j, item in enumerate(annotations):
            where = f"articles[{i}].annotations[{j}]"
            self.annotation(where, item, article_id, body, sha256, unchanged)

    def annotation(
        self,
        where: str,
        e: Any,
        article_id: str,
        body: str | None,
        sha256: str,
        unchanged: bool,
    ) -> None:
        if not isinstance(e, dict):
            self.error(f"{where}: must be a mapping (id, tag, start, end, quote, ...)")
            return
        ident = e.get("id")
        if ident is not None:
            where = f"{where} (id {label(ident)})"
        problems = entry_problems(e, self.tags)
        if problems:
            self.error(f"{where}: {'; '.join(problems)}")
            return
        old = self.existing.get(ident) if ident else None
        if old is not None and old.article_id != article_id:
            self.error(
                f"{where}: this id is an annotation of article {shown(old.article_id)}, not of "
                f"article {shown(article_id)}; an import does not move annotations between "
                "articles (drop the 'id' to add the entry as a new annotation)"
            )
            return
        placed = self.place(where, e, body, unchanged, old)
        if placed is None:
            return
        start, end, status = placed
        if ident:
            if ident in self.seen:
                self.error(f"{where}: duplicate of {self.seen[ident]}")
                return
            self.seen[ident] = where
            new = build_annotation(
                e, old, ident, article_id, body, sha256, start, end, status, self.now
            )
        else:
            new_or_none = self.match(where, e, article_id, body, sha256, start, end, status)
            if new_or_none is None:
                return
            new, old = new_or_none
        self.count(new, old, status)

    def place(
        self, where: str, e: dict[str, Any], body: str | None, unchanged: bool,
        old: Annotation | None,
    ) -> tuple[int, int, str] | None:  # fmt: skip
        """Where the entry goes in ``body`` and how it was found (exact, moved, fuzzy,
        orphaned, unchecked), or None (an error is listed)."""
        start, end, quote = e["start"], e["end"], e["quote"]
        orphaned = bool(e.get("orphaned"))
        if body is None:
            if not orphaned and len(quote) != end - start:
                self.error(
                    f"{where}: the quote is {len(quote):,} characters long, but "
                    f"start..end ({start}..{end}) spans {end - start:,}"
                )
                return None
            return start, end, "unchecked"
        if unchanged:
            # the body is the one the entries were made against: exactly as the file says
            if orphaned:
                return start, end, "orphaned"
            if end <= len(body) and body[start:end] == quote:
                return start, end, "exact"
            what = (
                f"offsets {start}..{end} are outside the body ({len(body)} characters)"
                if end > len(body)
                else f"quote does not match body[{start}:{end}]"
            )
            self.error(
                f"{where}: {what}, and the article has not changed since the file was written "
                "(its sha256 is the body's): an entry is taken exactly as it is, never looked "
                "for elsewhere"
            )
            return None
        if not orphaned and body[start:end] == quote:
            return start, end, "exact"
        prefix, suffix = (old.prefix, old.suffix) if old else ("", "")
        found = anchor(body, quote, prefix, suffix, start, end)
        if found.start is not None and found.end is not None:
            return found.start, found.end, found.status
        if orphaned:
            return start, end, "orphaned"
        if end > len(body):
            self.error(
                f"{where}: offsets {start}..{end} are outside the body "
                f"({len(body)} characters) and the quote is not found in it"
            )
        else:
            self.error(
                f"{where}: quote does not match body[{start}:{end}] "
                "and is not found elsewhere in the article"
            )
        return None

    def match(
        self,
        where: str,
        e: dict[str, Any],
        article_id: str,
        body: str | None,
        sha256: str,
        start: int,
        end: int,
        status: str,
    ) -> tuple[Annotation, Annotation | None] | None:
        """An entry without id: the annotation at its place (article, tag, start, end), as
        planned, and the stored one it is (None: a new one); None for an exact repeat of an
        earlier entry (counted) or an error.

        In the store, of several annotations at one place (not taken by an id in the
        document), the one the entry leaves as it is, else the oldest (created, then id):
        importing the same file again finds the same one."""
        place = (article_id, e["tag"], start, end)
        earlier = self.placed.get(place)
        if earlier is not None:
            first, stored, planned = earlier
            again = build_annotation(
                e, stored, planned.id, article_id, body, sha256, start, end, status, self.now
            )
            if again == planned:
                self.plan.duplicates += 1
                return None
            differ = [
                name for name in _CONTENT if getattr(again, name) != getattr(planned, name)
            ]  # fmt: skip
            self.error(
                f"{where}: repeats {first} (same article, tag, start and end, and no id "
                f"either: the same annotation) with another {', '.join(differ) or 'content'}; "
                "keep one, or give each its own id"
            )
            return None
        candidates = [a for a in self.by_position.get(place, ()) if a.id not in self.file_ids]
        old = candidates[0] if candidates else None
        new = None
        for candidate in candidates:
            built = build_annotation(
                e, candidate, candidate.id, article_id, body, sha256, start, end, status, self.now
            )
            if built == candidate:
                old, new = candidate, built
                break
        if new is None:
            ident = old.id if old else str(uuid.uuid4())
            new = build_annotation(
                e, old, ident, article_id, body, sha256, start, end, status, self.now
            )
        self.placed[place] = (where, old, new)
        return new, old

    def count(self, new: Annotation, old: Annotation | None, status: str) -> None:
        if old is None:
            self.plan.added += 1
        elif new == old:
            self.plan.unchanged += 1
            return
        else:
            self.plan.updated += 1
        self.plan.writes.append(new)
        if status in ("moved", "fuzzy"):
            self.plan.reanchored += 1
        elif status == "orphaned":
            self.plan.orphaned += 1
        elif status == "unchecked":
            self.plan.unchecked += 1
            if new.article_id not in self.plan.unchecked_articles:
                self.plan.unchecked_articles.append(new.article_id)

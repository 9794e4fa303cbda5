"""Random sequences of what users do to annotations (issue 6): tag, retag, delete, note, undo,
redo, export and import, edit an article on disk (then reload and reconcile, as the app does
on start). After every step: no annotation is lost unless deleted, tags and notes are as the
user left them, every annotation anchored in the current text has body[start:end] == quote,
and export -> import into a fresh store -> export is identical."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from reader.anchoring import reconcile
from reader.corpus.articles import load_corpus
from reader.exchange import apply_import, dump_yaml, export_document, plan_import
from reader.services.history import Change, History
from reader.store import Store
from reader.tags import DEFAULT_TAGS

NOW = "2026-01-01T00:00:00+00:00"
TAGS = [t.name for t in DEFAULT_TAGS]
ARTICLES = ("a", "b")

#: Article text: any character a file may hold, hostile ones made likely. No NUL (a file with
#: many is binary) and no leading BOM (decoding removes it): both are tested elsewhere.
HOSTILE = "\x1b[2J\x07\x08\x7f\x9b\u202e\u2066\u200b\u00ad\u00a0\r\n\t\u0301👨‍👩‍👧🇺🇦中文[b]x[/]"
CHARS = st.one_of(
    st.sampled_from(list(HOSTILE)),
    st.sampled_from(list("abc def. ")),
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
)
TEXT = st.text(CHARS, min_size=0, max_size=60)
BODY = st.text(CHARS, min_size=30, max_size=240).filter(lambda t: not t.startswith("\ufeff"))
NOTE = st.none() | st.text(CHARS, max_size=40)


class AnnotationMachine(RuleBasedStateMachine):
    ids = Bundle("ids")

    @initialize(bodies=st.tuples(BODY, BODY))
    def start(self, bodies: tuple[str, str]) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="reader-fuzz-"))
        self.folder = self.tmp / "articles"
        self.folder.mkdir()
        for article_id, body in zip(ARTICLES, bodies, strict=True):
            (self.folder / f"{article_id}.txt").write_bytes(body.encode("utf-8"))
        self.corpus = load_corpus(self.folder)
        self.store = Store(self.tmp / "a.db")
        self.history = History(self.store)
        self.model: dict[str, tuple[str, str | None]] = {}  # id -> (tag, note)

    def teardown(self) -> None:
        if hasattr(self, "store"):
            self.store.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def body(self, article_id: str) -> str:
        article = self.corpus.get(article_id)
        assert article is not None and article.ok, article
        return article.body

    def record(self, label: str, before, after) -> None:
        self.history.record(Change(label, before, after))

    # --- what users do -----------------------------------------------------------------------

    @rule(target=ids, article=st.sampled_from(ARTICLES), data=st.data(), tag=st.sampled_from(TAGS))
    def tag(self, article: str, data, tag: str):
        body = self.body(article)
        start = data.draw(st.integers(0, len(body) - 1))
        end = data.draw(st.integers(start + 1, min(len(body), start + 80)))
        article_sha = self.corpus.get(article).sha256
        added = self.store.add(article, tag, start, end, body, article_sha)
        assert added.quote == body[start:end]
        self.record("tag", None, added)
        self.model[added.id] = (tag, None)
        return added.id

    @rule(annotation_id=ids, tag=st.sampled_from(TAGS))
    def retag(self, annotation_id: str, tag: str) -> None:
        before = self.store.get(annotation_id)
        if before is None:
            return  # deleted (or undone) meanwhile: the app says "gone"
        after = self.store.update(annotation_id, tag=tag)
        self.record("retag", before, after)
        self.model[annotation_id] = (tag, before.note)

    @rule(annotation_id=ids, note=NOTE)
    def note(self, annotation_id: str, note: str | None) -> None:
        before = self.store.get(annotation_id)
        if before is None:
            return
        after = self.store.update(annotation_id, note=note)
        self.record("note", before, after)
        self.model[annotation_id] = (before.tag, note)

    @rule(annotation_id=ids)  # not consumed: undo may bring a deleted one back
    def delete(self, annotation_id: str) -> None:
        before = self.store.get(annotation_id)
        if before is None:
            return
        self.store.delete(annotation_id)
        self.record("delete", before, None)
        del self.model[annotation_id]

    def _apply(self, change: Change | None, target) -> None:
        if change is None:
            return
        state = change.before if target == "before" else change.after
        ident = (change.after or change.before).id
        if state is None:
            self.model.pop(ident, None)
        else:
            self.model[ident] = (state.tag, state.note)

    @rule()
    def undo(self) -> None:
        self._apply(self.history.undo(), "before")

    @rule()
    def redo(self) -> None:
        self._apply(self.history.redo(), "after")

    @rule(
        article=st.sampled_from(ARTICLES),
        data=st.data(),
        inserted=TEXT,
    )
    def edit_article(self, article: str, data, inserted: str) -> None:
        """Replace a stretch of the file with other text, then reload and reconcile."""
        body = self.body(article)
        start = data.draw(st.integers(0, len(body)))
        end = data.draw(st.integers(start, min(len(body), start + 40)))
        new = body[:start] + inserted + body[end:]
        if len(new) < 10 or new.startswith("\ufeff"):
            return
        (self.folder / f"{article}.txt").write_bytes(new.encode("utf-8"))
        self.corpus = load_corpus(self.folder)
        assert self.body(article) == new
        for result in reconcile(self.store, self.corpus):
            assert result.status in ("exact", "moved", "fuzzy", "orphaned"), result

    @rule()
    def export_import(self) -> None:
        first = export_document(self.store, self.corpus, now=NOW)
        text = dump_yaml(first)
        with Store(None) as fresh:
            plan = plan_import(text, fresh, self.corpus)
            assert plan.ok, plan.errors
            apply_import(plan, fresh)
            second = export_document(fresh, self.corpus, now=NOW)
        assert dump_yaml(second) == text
        again = plan_import(text, self.store, self.corpus)  # re-importing changes nothing
        assert again.ok and (again.added, again.updated) == (0, 0), again

    # --- what must always hold ---------------------------------------------------------------

    @invariant()
    def nothing_lost_and_all_as_left(self) -> None:
        if not hasattr(self, "store"):
            return
        stored = {a.id: a for a in self.store.annotations()}
        assert set(stored) == set(self.model)
        for ident, (tag, note) in self.model.items():
            assert (stored[ident].tag, stored[ident].note) == (tag, note)

    @invariant()
    def anchored_annotations_quote_the_text(self) -> None:
        if not hasattr(self, "store"):
            return
        for a in self.store.annotations():
            article = self.corpus.get(a.article_id)
            if not a.orphaned and a.article_sha256 == article.sha256:
                assert article.body[a.start : a.end] == a.quote, a
            assert 0 <= a.start < a.end and a.quote


AnnotationMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("READER_FUZZ_EXAMPLES", "40")),  # more: a longer hunt
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_annotation_machine = AnnotationMachine.TestCase

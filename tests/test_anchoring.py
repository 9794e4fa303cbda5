"""Re-anchoring annotations when their article changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.anchoring import WINDOW, anchor, reconcile, similarity
from reader.corpus.articles import load_corpus
from reader.store import Store, context_of

ARTICLE = "000_ae0beaf4b9f7a712"
QUOTE = "caused close to a hundred deaths"


@pytest.fixture
def body(corpus_dir: Path) -> str:
    return (corpus_dir / f"{ARTICLE}.txt").read_text(encoding="utf-8")


def where(body: str, quote: str = QUOTE) -> tuple[int, int, str, str]:
    start = body.index(quote)
    end = start + len(quote)
    return (start, end, *context_of(body, start, end))


def test_unchanged_text_is_exact(body: str):
    start, end, prefix, suffix = where(body)
    assert anchor(body, QUOTE, prefix, suffix, start, end) == (start, end, "exact")


def test_text_inserted_above_moves_the_quote(body: str):
    start, end, prefix, suffix = where(body)
    new = "A new first paragraph.\n\n" + body
    found = anchor(new, QUOTE, prefix, suffix, start, end)
    assert found.status == "moved"
    assert new[found.start : found.end] == QUOTE and found.start == start + 24


def test_word_changed_inside_quote_is_fuzzy(body: str):
    start, end, prefix, suffix = where(body)
    new = body.replace(QUOTE, "caused nearly a hundred deaths")
    found = anchor(new, QUOTE, prefix, suffix, start, end)
    assert found.status == "fuzzy"
    assert new[found.start : found.end] == "caused nearly a hundred deaths"


def test_word_changed_and_moved_far_is_fuzzy(body: str):
    start, end, prefix, suffix = where(body)
    filler = "An unrelated paragraph about the weather in spring. " * (WINDOW // 40)
    new = filler + body.replace(QUOTE, "caused close to one hundred deaths")
    found = anchor(new, QUOTE, prefix, suffix, start, end)
    assert found.status == "fuzzy"
    assert new[found.start : found.end] == "caused close to one hundred deaths"


def test_deleted_passage_is_orphaned(body: str):
    start, end, prefix, suffix = where(body)
    sentence_start = body.rindex("The United States carried out", 0, start)
    sentence_end = body.index("\n", end)
    new = body[:sentence_start] + body[sentence_end:]
    assert anchor(new, QUOTE, prefix, suffix, start, end) == (None, None, "orphaned")


def test_quote_occurring_twice_is_chosen_by_context():
    body = "Police said: ten people died. Later the ministry said: ten people died. End."
    second = body.rindex("ten people died")
    prefix, suffix = "Later the ministry said: ", ". End."
    edited = "Update. " + body
    # the old offsets point nearer the first occurrence, but the context names the second
    found = anchor(edited, "ten people died", prefix, suffix, 5, 20)
    assert (found.start, found.status) == (second + 8, "moved")


def test_quote_occurring_twice_without_context_takes_the_closest():
    body = "ten people died " + "x" * 200 + " ten people died"
    late = body.rindex("ten")
    found = anchor(body, "ten people died", "", "", late - 3, late + 12)
    assert (found.start, found.end, found.status) == (late, late + 15, "moved")


def test_quote_at_the_very_start_and_end():
    body = "Hello world, this is the whole text."
    assert anchor(body, "Hello", "", " world", 0, 5).status == "exact"
    edited = body + " More."
    assert anchor(edited, "text.", "whole ", "", 40, 45) == (31, 36, "moved")


def test_empty_quote_or_empty_body_is_orphaned():
    assert anchor("abc", "", "", "", 0, 0).status == "orphaned"
    assert anchor("", "abc", "", "", 0, 3).status == "orphaned"


def test_similarity():
    assert similarity("abc", "abc") == 1.0
    assert similarity("abcd", "abXd") == 0.75
    assert similarity("", "") == 1.0


# --- reconcile --------------------------------------------------------------------------------


def annotate(store: Store, corpus_dir: Path, quote: str, article: str = ARTICLE, tag="demand"):
    corpus = load_corpus(corpus_dir)
    art = corpus.get(article)
    assert art is not None
    start = art.body.index(quote)
    return store.add(article, tag, start, start + len(quote), art.body, art.sha256)


def test_reconcile_rewrites_changed_article_in_one_go(corpus_dir: Path, body: str):
    with Store(None) as store:
        moved = annotate(store, corpus_dir, "Amnesty International unequivocally condemns")
        fuzzy = annotate(store, corpus_dir, QUOTE)
        gone = annotate(store, corpus_dir, "imprisoning them in a New York jail")
        other = annotate(store, corpus_dir, "Amnesty", article="002_f04bd37b83778a94")
        edited = (
            ("Editor's note: updated.\n\n" + body)
            .replace("close to a hundred", "nearly a hundred")
            .replace("imprisoning them in a New York jail awaiting trial", "")
        )
        (corpus_dir / f"{ARTICLE}.txt").write_text(edited, encoding="utf-8")
        corpus = load_corpus(corpus_dir)
        results = {r.annotation.id: r for r in reconcile(store, corpus)}
        assert {k: r.status for k, r in results.items()} == {
            moved.id: "moved",
            fuzzy.id: "fuzzy",
            gone.id: "orphaned",
        }
        article = corpus.get(ARTICLE)
        assert article is not None
        sha = article.sha256
        now = {a.id: a for a in store.annotations()}
        assert now[other.id] == other
        assert now[moved.id].start == moved.start + 25 and now[moved.id].quote == moved.quote
        assert now[fuzzy.id].quote == "caused nearly a hundred deaths" and now[fuzzy.id].review
        assert now[gone.id].orphaned and (now[gone.id].start, now[gone.id].quote) == (
            gone.start,
            gone.quote,
        )
        for key in (moved.id, fuzzy.id, gone.id):
            assert now[key].article_sha256 == sha
            assert now[key].updated == results[key].annotation.updated == now[key].created
            if not now[key].orphaned:
                assert edited[now[key].start : now[key].end] == now[key].quote
        assert reconcile(store, corpus) == []  # nothing is stale any more


def test_reconcile_leaves_missing_and_unreadable_articles_alone(corpus_dir: Path):
    with Store(None) as store:
        a = annotate(store, corpus_dir, QUOTE)
        b = annotate(store, corpus_dir, "Amnesty", article="002_f04bd37b83778a94")
        (corpus_dir / f"{ARTICLE}.txt").unlink()
        (corpus_dir / "002_f04bd37b83778a94.txt").write_bytes(b"\x00\x01\x02binary" * 100)
        results = reconcile(store, load_corpus(corpus_dir))
        assert sorted((r.annotation.id, r.status) for r in results) == sorted(
            [(a.id, "missing"), (b.id, "unreadable")]
        )
        assert all(r.reason for r in results)
        assert store.annotations() == sorted([a, b], key=lambda x: x.article_id)


def test_reconcile_without_write_changes_nothing(corpus_dir: Path, body: str):
    with Store(None) as store:
        a = annotate(store, corpus_dir, QUOTE)
        (corpus_dir / f"{ARTICLE}.txt").write_text("Intro.\n" + body, encoding="utf-8")
        results = reconcile(store, load_corpus(corpus_dir), write=False)
        assert [r.status for r in results] == ["moved"]
        assert store.annotations() == [a]


def test_reconcile_of_unchanged_corpus_writes_nothing(corpus_dir: Path, db_path: Path):
    with Store(db_path) as store, Store(db_path) as watcher:
        annotate(store, corpus_dir, QUOTE)
        version = watcher.external_token()
        assert reconcile(store, load_corpus(corpus_dir)) == []
        assert watcher.external_token() == version

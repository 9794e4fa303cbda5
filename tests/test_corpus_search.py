"""reader.services.corpus_search: the hits of search_corpus from an FTS5 index, cancellable,
without keeping bodies; the index follows the files and survives bad ones."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus.articles import load_corpus
from reader.search import search_corpus
from reader.services import search_index
from reader.services.corpus_search import SearchCancelled, SearchService

QUERIES = [
    "agnes callamard",
    "AGNÈS   Callamard",
    "nicolás maduro",
    "hundred deaths",
    "close to a hundred",
    "the",
    "a",
    "de",
    "venezuela",
    "istanbul",
    "ıstanbul",
    "café crème",
    "crème brûlée",
    "xylophone",
    "“",
    "(usd) $5",
    '"quoted" AND NOT',
    "ﬆ",
    "strasse",
    "\x00nul",
    "[31mred",
    "😀 EMOJI",
    "[b]markup[/b]",
    "\u202eevil",
    "zw",
]
EXTRA = {
    "100_accents.txt": "Un café crème, une cre\u0300me bru\u0302le\u0301e; CAFE CREME.\n",
    "101_turkish.txt": "İstanbul and ISTANBUL and ıstanbul.\n",
    "102_spaces.md": "---\ntitle: Spaces\n---\nclose  to\ta\n\nhundred   deaths\n",
    "103_symbols.txt": 'cost (USD) $5.00 [sic] "quoted" AND NOT ﬆ straße strasse\n',
    "104_hostile.txt": "a\x00nul \x1b[31mred\x1b[0m \u202eevil\u202c 😀 emoji [b]markup[/b]"
    " \ufeffzw\n",
}


@pytest.fixture
def folder(corpus_dir, monkeypatch):
    """The bundled corpus and a few texts that fold in odd ways; files written now count as
    unchanged since (RACY_NS 0), so that the index is trusted and used."""
    monkeypatch.setattr(search_index, "RACY_NS", 0)
    for name, text in EXTRA.items():
        (corpus_dir / name).write_text(text, encoding="utf-8")
    return corpus_dir


def service(folder, tmp_path):
    return SearchService.for_corpus(load_corpus(folder), tmp_path / "cache")


def reads(monkeypatch):
    """The ids of the bodies the search reads from their files."""
    read: list[str] = []
    real = search_index.read_body

    def counting(article):
        read.append(article.id)
        return real(article)

    monkeypatch.setattr("reader.services.corpus_search.read_body", counting)
    return read


def test_hits_are_those_of_reading_every_body(folder, tmp_path):
    search = service(folder, tmp_path)
    assert search.refresh()
    for query in QUERIES:
        assert search.search(query) == search_corpus(load_corpus(folder), query), query


def test_same_hits_before_the_index_is_built_and_without_one(folder, tmp_path):
    corpus = load_corpus(folder)
    for search in (
        SearchService.for_corpus(corpus, tmp_path / "cache"),
        SearchService(corpus, None),
    ):
        for query in QUERIES[:6]:
            assert search.search(query) == search_corpus(load_corpus(folder), query)


def test_only_articles_that_may_hold_the_query_are_read_and_none_is_kept(
    folder, tmp_path, monkeypatch
):
    search = service(folder, tmp_path)
    search.refresh()
    read = reads(monkeypatch)
    hits = search.search("café crème")
    assert {h.article_id for h in hits} == {"100_accents"} and read == ["100_accents"]
    read.clear()
    assert search.search("xylophone") == [] and read == []
    assert all(article.encoding is None for article in search.corpus)  # no body held


def test_an_opened_article_is_searched_in_the_body_the_app_holds(folder, tmp_path):
    search = service(folder, tmp_path)
    search.refresh()
    held = search.corpus.get("101_turkish")
    assert held.body.startswith("İstanbul")
    (folder / "101_turkish.txt").write_text("nothing of the kind, a longer text now\n")
    hits = search.search("istanbul")
    assert [h.article_id for h in hits] == ["101_turkish"] * 3


def test_a_changed_file_is_searched_at_once_and_indexed_again(folder, tmp_path, monkeypatch):
    search = service(folder, tmp_path)
    search.refresh()
    path = folder / "100_accents.txt"
    path.write_text("now about a xylophone, and longer than before\n", encoding="utf-8")
    assert [h.match for h in search.search("xylophone")] == ["xylophone"]  # not yet re-indexed
    before = search.index.entries()["100_accents"]
    assert search.refresh()
    after = search.index.entries()["100_accents"]
    assert after.key != before.key and after.key == search_index.file_key(
        search.corpus.get("100_accents")
    )
    read = reads(monkeypatch)
    assert [h.match for h in search.search("xylophone")] == ["xylophone"] and read == [
        "100_accents"
    ]
    assert search.search("café crème") == []


def test_a_removed_article_is_forgotten(folder, tmp_path):
    search = service(folder, tmp_path)
    search.refresh()
    os.unlink(folder / "103_symbols.txt")
    search = service(folder, tmp_path)
    assert search.refresh()
    assert "103_symbols" not in search.index.entries()
    assert search.search("strasse") == search_corpus(load_corpus(folder), "strasse")


def test_an_undecodable_file_is_skipped(folder, tmp_path, monkeypatch):
    (folder / "104_binary.txt").write_bytes(b"needle " + bytes(range(256)) * 64)
    search = service(folder, tmp_path)
    assert search.refresh()
    entry = search.index.entries().get("104_binary")
    assert entry is None or not entry.readable
    read = reads(monkeypatch)
    assert search.search("needle") == [] and "104_binary" not in read


def test_a_corrupt_index_is_made_again_and_an_unwritable_one_is_done_without(folder, tmp_path):
    search = service(folder, tmp_path)
    search.index.path.parent.mkdir(parents=True)
    search.index.path.write_bytes(b"not a database at all" * 100)
    assert search.refresh() and search.index.usable
    assert search.search("agnes") == search_corpus(load_corpus(folder), "agnes")
    (tmp_path / "file").write_text("a file where the cache folder should be")
    blocked = SearchService.for_corpus(load_corpus(folder), tmp_path / "file")
    assert not blocked.refresh() and not blocked.index.usable
    assert blocked.search("agnes") == search_corpus(load_corpus(folder), "agnes")


def test_an_index_of_another_build_is_made_again(folder, tmp_path, monkeypatch):
    search = service(folder, tmp_path)
    search.refresh()
    monkeypatch.setattr(search_index, "_stamp", lambda: ["another build"])
    again = service(folder, tmp_path)
    assert again.refresh() and set(again.index.entries()) == set(search.index.entries())


def test_a_query_is_given_up_when_asked(folder, tmp_path, monkeypatch):
    search = service(folder, tmp_path)
    search.refresh()
    with pytest.raises(SearchCancelled):
        search.search("agnes", cancelled=lambda: True)
    monkeypatch.setattr(search_index, "STEPS", 1)
    looks = iter([False, True])
    with pytest.raises(SearchCancelled):  # while SQLite looks it up
        search.index.candidates("agnes callamard", cancelled=lambda: next(looks, True))
    assert next(looks, None) is None  # SQLite's progress handler asked
    asked = iter([False, False, True])
    with pytest.raises(SearchCancelled):  # between two articles
        SearchService(search.corpus, None).search("the", cancelled=lambda: next(asked))


def test_indexing_can_be_given_up_and_goes_on_later(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "BATCH", 2)
    search = service(folder, tmp_path)
    seen = []
    assert not search.refresh(
        cancelled=lambda: len(seen) >= 1, progress=lambda d, t: seen.append((d, t))
    )
    assert len(search.index.entries()) == 2 and seen == [(2, len(search.corpus))]
    assert search.refresh()
    assert len(search.index.entries()) == len(search.corpus)
    assert search.search("istanbul") == search_corpus(load_corpus(folder), "istanbul")


def test_files_changed_just_before_indexing_are_not_vouched_for(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "RACY_NS", 10**12)
    search = service(folder, tmp_path)
    search.refresh()
    assert all(entry.key is None for entry in search.index.entries().values())
    read = reads(monkeypatch)
    search.search("xylophone")
    assert len(read) == len(search.corpus)  # every article read, as without an index


def test_one_or_two_letters_ask_the_index_too(folder, tmp_path, monkeypatch):
    (folder / "105_tiny.txt").write_text("É\n")
    (folder / "106_end.txt").write_text("It ends in zQ")  # no trigram starts with "zq", or "q"
    search = service(folder, tmp_path)
    search.refresh()
    read = reads(monkeypatch)
    for query in ("ﬆ", "ß", "é", "ı", " u", "zq", "É"):
        assert search.search(query) == search_corpus(load_corpus(folder), query), query
    assert "105_tiny" in {h.article_id for h in search.search("É", per_article=1)}
    assert [h.article_id for h in search.search("zq")] == ["106_end"]
    read.clear()
    hits = search.search("$5")
    assert [h.article_id for h in hits] == ["103_symbols"]
    assert read == ["103_symbols"]
    monkeypatch.setattr(search_index, "MAX_TERMS", 0)  # too common: every article is read
    read.clear()
    assert search.search("$5") and len(read) == len(search.corpus)


def test_queries_sqlite_cannot_take_as_they_are_still_find_the_same(folder, tmp_path):
    search = service(folder, tmp_path)
    search.refresh()
    for query in ("\ud800nul", "a\x00", "\x00", '"', '""', "*", "NEAR(", "a OR b"):
        assert search.search(query) == search_corpus(load_corpus(folder), query), repr(query)


LETTERS = 'aAàÀeÉèiIİıͅι ßsStT\n\t.,"*()ǅǆ\x00😀'


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet=LETTERS, max_size=40), min_size=1, max_size=4),
    st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=5), min_size=1, max_size=4),
)
def test_any_texts_and_queries_give_the_hits_of_reading_every_body(texts, queries):
    search_index.RACY_NS, racy = 0, search_index.RACY_NS
    try:
        with tempfile.TemporaryDirectory() as work:
            folder = Path(work) / "articles"
            folder.mkdir()
            for number, text in enumerate(texts):
                (folder / f"{number}.txt").write_text(text, encoding="utf-8")
            search = SearchService.for_corpus(load_corpus(folder), Path(work) / "cache")
            assert search.refresh()
            for query in queries:
                assert search.search(query) == search_corpus(load_corpus(folder), query)
    finally:
        search_index.RACY_NS = racy


def test_rows_left_behind_by_changes_are_cleared_once_they_outnumber_the_live_ones(
    tmp_path, monkeypatch
):
    import sqlite3

    monkeypatch.setattr(search_index, "RACY_NS", 0)
    monkeypatch.setattr(search_index, "MIN_STALE", 0)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("alpha")
    (folder / "b.txt").write_text("beta")

    def rows(search):
        with sqlite3.connect(search.index.path) as db:
            stale = db.execute("SELECT value FROM meta WHERE name = 'stale'").fetchone()[0]
            return int(stale), db.execute("SELECT count(*) FROM fts").fetchone()[0]

    search = SearchService.for_corpus(load_corpus(folder), tmp_path / "cache")
    search.refresh()
    assert rows(search) == (0, 2)
    for text in ("gamma", "delta!", "epsilon"):
        (folder / "a.txt").write_text(text)
        search.refresh()
    assert rows(search) == (3, 5)  # three rows of a.txt left behind
    search.refresh()  # 3 > 2 live: made again
    assert rows(search) == (0, 2)
    assert [h.match for h in search.search("EPSILON")] == ["epsilon"]
    assert search.search("gamma") == []

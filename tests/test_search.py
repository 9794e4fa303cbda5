"""reader.search: case- and accent-insensitive search with exact offsets."""

from __future__ import annotations

from reader.corpus.articles import load_corpus
from reader.search import compile_query, find, fold, search_corpus

A = "000_ae0beaf4b9f7a712"


def test_fold_lowercases_and_strips_accents():
    assert fold("Agnès CALLAMARD Nicolás") == "agnes callamard nicolas"


def test_accent_and_case_insensitive_with_exact_offsets():
    body = "Said Agnès Callamard; later AGNES callamard."
    hits = list(find(body, "agnes CALLAMARD"))
    assert [body[s:e] for s, e in hits] == ["Agnès Callamard", "AGNES callamard"]


def test_accented_query_finds_plain_text():
    assert list(find("Nicolas Maduro", "Nicolás")) == [(0, 7)]


def test_space_matches_any_whitespace_run():
    body = "close to a\nhundred   deaths"
    ((start, end),) = find(body, "a hundred deaths")
    assert body[start:end] == "a\nhundred   deaths"


def test_regex_characters_are_literal():
    assert list(find("cost (USD) $5.00 [sic]", "(usd) $5.00 [sic]")) == [(5, 22)]
    assert list(find("a.c", "a.c")) == [(0, 3)] and list(find("abc", "a.c")) == []


def test_blank_query_finds_nothing():
    assert compile_query("   ") is None
    assert list(find("text", "")) == []


def test_search_corpus_lists_hits_with_context(corpus_dir):
    hits = search_corpus(load_corpus(corpus_dir), "callamard")
    assert {h.article_id for h in hits} >= {A, "001_382389f1be5a250a"}
    corpus = load_corpus(corpus_dir)
    for hit in hits:
        body = corpus.get(hit.article_id).body
        assert fold(body[hit.start : hit.end]) == "callamard"
        assert body[hit.start - len(hit.before) : hit.start] == hit.before


def test_search_corpus_skips_unopenable_files(tmp_path):
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)))
    (tmp_path / "ok.txt").write_text("a needle here")
    hits = search_corpus(load_corpus(tmp_path), "needle")
    assert [(h.article_id, h.match) for h in hits] == [("ok", "needle")]


def test_search_corpus_respects_limits(tmp_path):
    (tmp_path / "a.txt").write_text("x " * 1000)
    assert len(search_corpus(load_corpus(tmp_path), "x", per_article=7)) == 7

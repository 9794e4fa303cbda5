"""reader.search: case- and accent-insensitive search with exact offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader import search
from reader.corpus.articles import load_corpus
from reader.search import compile_query, find, fold, index_fold, index_query, search_corpus

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


# The index (reader.services.search_index) holds index_fold(body) and looks for
# index_query(query): it may only find more than `find`, never less.
_TRIED = [*range(0x3000), 0x1E9B, 0x1FBE, 0x212A, 0x212B, *range(0xA640, 0xA6A0)]
_TRIED += [*range(0xAB70, 0xABC0), 0xFB05, 0xFB06, *range(0x1C80, 0x1C90)]


def test_the_index_folding_keeps_every_letter_find_matches():
    chars = [chr(code) for code in _TRIED if not chr(code).isspace()]
    text = "\n".join(chars)
    letters = {fold(ch) for ch in chars} | set(chars)
    for letter in sorted(q for q in letters if len(q) == 1 and fold(q) == q):
        pattern = compile_query(letter)
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            assert index_query(letter) in index_fold(match.group()), (letter, match.group())


@given(
    st.text(alphabet="aAàÀeÉèiIİıͅι ßs\n\t.ǅǆ", max_size=30),
    st.text(alphabet="aAàeÉiIİıͅι ßs.ǆ ", min_size=1, max_size=6),
)
def test_the_index_holds_every_text_find_matches(body, query):
    if any(True for _ in find(body, query)):
        assert index_query(query) in index_fold(body)


def test_index_folding_folds_in_slices_as_whole(monkeypatch):
    text = "Agnès  CALLAMARD\n\n said\u00a0  a lot " * 7
    whole = index_fold(text)
    monkeypatch.setattr(search, "FOLD_SLICE", 3)
    assert index_fold(text) == whole == search._SPACES.sub(" ", fold(text))


def test_index_folding_is_fold_letter_by_letter():
    for code in _TRIED:
        ch = chr(code)
        expected = fold(ch.translate({0x0345: "ι"})).translate({0x0131: "i"})
        assert index_fold(ch) == search._SPACES.sub(" ", expected), hex(code)


def test_no_combining_mark_lies_where_index_folding_does_not_look():
    import unicodedata

    assert not any(unicodedata.combining(chr(code)) for code in range(0x20000, 0xE0000))

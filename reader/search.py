"""Case- and accent-insensitive search in one article or across the corpus. No Textual here.

Instead of folding the (possibly 20 MB) body, the query is turned into a pattern: every letter
becomes a class of the letters that fold to it (`e` -> `[eéèêëēĕėęěEÉ…]`), spaces match any run
of white space. Matches are found lazily in the original text, so offsets are exact code point
offsets into the body and the first hits come back without scanning the whole text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from reader.corpus.articles import ArticleError, Corpus

#: Code points whose accented letters are folded (Latin, Greek, Cyrillic).
_FOLD_RANGES = ((0x00C0, 0x0250), (0x0370, 0x0530), (0x1E00, 0x1F00))


def _base(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """Folded letter -> every letter (upper, lower, accented) that folds to it."""
    groups: dict[str, set[str]] = {}
    for low, high in ((0x41, 0x5B), (0x61, 0x7B), *_FOLD_RANGES):
        for code in range(low, high):
            ch = chr(code)
            base = _base(ch)
            if len(base) == 1 and base.isalpha():
                groups.setdefault(base, {base}).add(ch)
    return {base: "".join(sorted(chars)) for base, chars in groups.items()}


def fold(text: str) -> str:
    """Lower case without accents: what search compares."""
    return _base(text)


#: What an index of folded text must also fold, for `find` to match nothing the index does
#: not: the regular expression module takes ``i`` and dotless ``ı`` for one letter (in either
#: case), and the combining iota (U+0345, which `fold` strips as a mark) for ``ι``. Found by
#: trying every code point against the pattern of every folded letter (tests/test_search.py).
_INDEX_BEFORE = {0x0345: "ι"}
_INDEX_AFTER = {0x0131: "i"}
_SPACES = re.compile(r"\s+")
#: Code points folded at a time by `index_fold`.
FOLD_SLICE = 1 << 16


@lru_cache(maxsize=1)
def _marks() -> dict[int, None]:
    """Every combining mark (none lies in planes 2 to 13), to be removed: `fold`'s stripping as
    one `str.translate`, 3 times faster."""
    codes = (*range(0x20000), *range(0xE0000, 0x110000))
    return dict.fromkeys(code for code in codes if unicodedata.combining(chr(code)))


def index_fold(text: str) -> str:
    """A body as a full-text index of folded text holds it: `fold` (the combining iota kept as
    ``ι``), dotless ``ı`` as ``i``, every run of white space as one space. Wherever `find`
    matches ``body``, ``index_fold(body)`` contains ``index_query(query)``.

    Folded a slice at a time (folding is letter by letter, so the slices give the same text):
    it runs in a thread, and one call over 20 MB would hold the interpreter's lock for long."""
    marks, parts = _marks(), list[str]()
    for at in range(0, len(text), FOLD_SLICE):
        part = text[at : at + FOLD_SLICE]
        if "\u0345" in part:
            part = part.translate(_INDEX_BEFORE)
        part = unicodedata.normalize("NFD", part).translate(marks).casefold()
        if "ı" in part:
            part = part.translate(_INDEX_AFTER)
        part = _SPACES.sub(" ", part)
        if parts and parts[-1].endswith(" ") and part.startswith(" "):
            part = part[1:]
        parts.append(part)
    return "".join(parts)


def index_query(query: str) -> str:
    """What ``index_fold(body)`` contains wherever `find` matches ``query`` in ``body``."""
    return _SPACES.sub(" ", fold(query.strip()).translate(_INDEX_AFTER))


def compile_query(query: str) -> re.Pattern[str] | None:
    """The pattern for ``query`` (None for an empty or blank query)."""
    folded = fold(query.strip())
    if not folded:
        return None
    variants = _variants()
    parts: list[str] = []
    for ch in folded:
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch in variants:
            parts.append("[" + re.escape(variants[ch]) + "]")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts), re.IGNORECASE)


def find(body: str, query: str) -> Iterator[tuple[int, int]]:
    """Every match of ``query`` in ``body``, in order, lazily."""
    pattern = compile_query(query)
    if pattern is None:
        return
    for match in pattern.finditer(body):
        if match.end() > match.start():
            yield match.start(), match.end()


@dataclass(frozen=True)
class Hit:
    article_id: str
    start: int
    end: int
    before: str
    match: str
    after: str


def hits_in(
    article_id: str, body: str, pattern: re.Pattern[str], *, most: int, context: int
) -> list[Hit]:
    """The first ``most`` hits of ``pattern`` in one body, with ``context`` characters about."""
    hits: list[Hit] = []
    for match in pattern.finditer(body):
        if len(hits) >= most:
            break
        start, end = match.span()
        before, after = body[max(0, start - context) : start], body[end : end + context]
        hits.append(Hit(article_id, start, end, before, body[start:end], after))
    return hits


def search_corpus(
    corpus: Corpus, query: str, *, per_article: int = 50, limit: int = 500, context: int = 40
) -> list[Hit]:
    """Hits across every article that can be opened, in corpus order, with context: every
    body read (and kept). `reader.services.corpus_search` gives the same hits from an index."""
    pattern = compile_query(query)
    if pattern is None:
        return []
    hits: list[Hit] = []
    for article in corpus:
        if not article.ok:
            continue
        try:
            body = article.body
        except ArticleError:
            continue
        most = min(per_article, limit - len(hits))
        hits += hits_in(article.id, body, pattern, most=most, context=context)
        if len(hits) >= limit:
            break
    return hits

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


def search_corpus(
    corpus: Corpus, query: str, *, per_article: int = 50, limit: int = 500, context: int = 40
) -> list[Hit]:
    """Hits across every article that can be opened, in corpus order, with context."""
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
        for count, match in enumerate(pattern.finditer(body)):
            if count >= per_article or len(hits) >= limit:
                break
            start, end = match.span()
            hits.append(
                Hit(
                    article.id,
                    start,
                    end,
                    body[max(0, start - context) : start],
                    body[start:end],
                    body[end : end + context],
                )
            )
        if len(hits) >= limit:
            break
    return hits

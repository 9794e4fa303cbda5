"""Split an article body into passages: sentences, and clauses of long sentences.

Rule-based and offset-exact: every :class:`Span` is a pair of ``str`` indices into the body, with
no whitespace at either end. The sentences come from ``reader.text.segments``, the one splitter
(the reading pane's sentence motions use it too). No Textual here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.text.segments import sentences, word_count, words
from reader.text.vocabulary import CLAUSE_OPENERS

__all__ = ["CLAUSE_OPENERS", "Span", "segment", "split_clauses", "word_count"]


LONG_SENTENCE_WORDS = 40
MIN_CLAUSE_WORDS = 8

_CLAUSE_BREAK = re.compile(r"[;:](?=\s)|,(?=\s+([A-Za-z]+))")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def _clause_cuts(text: str, span: Span) -> list[int]:
    """Offsets (into ``text``) where a long sentence may be cut, each after its punctuation."""
    piece = text[span.start : span.end]
    cuts = []
    for match in _CLAUSE_BREAK.finditer(piece):
        follower = match.group(1)
        if match.group() == "," and (follower is None or follower.lower() not in CLAUSE_OPENERS):
            continue
        previous = words(piece[: match.start()][-20:])
        if previous and previous[-1].lower() in CLAUSE_OPENERS:  # "and, where ..." is parenthetical
            continue
        cuts.append(span.start + match.end())
    return cuts


def split_clauses(text: str, span: Span) -> list[Span]:
    """A long sentence cut at ``;``, ``:`` or ``, and``/``, while``/... into clauses of a fair
    length; a short sentence as it is."""
    words = word_count(text[span.start : span.end])
    if words <= LONG_SENTENCE_WORDS:
        return [span]
    best: tuple[float, Span, Span] | None = None
    for cut in _clause_cuts(text, span):
        left, right = _trim(text, span.start, cut), _trim(text, cut, span.end)
        if left is None or right is None:
            continue
        lw, rw = word_count(text[left.start : left.end]), word_count(text[right.start : right.end])
        if lw < MIN_CLAUSE_WORDS or rw < MIN_CLAUSE_WORDS:
            continue
        balance = abs(lw - rw) / words
        strong = text[cut - 1] in ";:"
        rank = balance - (0.2 if strong else 0.0)
        if best is None or rank < best[0]:
            best = (rank, left, right)
    if best is None:
        return [span]
    return split_clauses(text, best[1]) + split_clauses(text, best[2])


def segment(text: str) -> list[Span]:
    """Passages of ``text`` in order: its sentences (``reader.text.segments``, the splitter the
    reading pane uses too), long sentences cut into clauses."""
    spans: list[Span] = []
    for start, end in sentences(text):
        spans.extend(split_clauses(text, Span(start, end)))
    return spans

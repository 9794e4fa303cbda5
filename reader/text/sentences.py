"""Split an article body into passages: sentences, and clauses of long sentences.

Rule-based and offset-exact: every :class:`Span` is a pair of ``str`` indices into the body, with
no whitespace at either end. A sentence never crosses a line break (headlines, bylines and
share-button rows are lines of their own). No Textual here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words whose trailing period does not end a sentence when a capitalised content word follows.
ABBREVIATIONS = _words(
    """
    mr mrs ms dr prof sr jr st mt gen col lt sgt capt gov sen rep pres rev hon
    int inc ltd co corp dept univ assn est approx no nos vol fig art sec para
    jan feb mar apr jun jul aug sep sept oct nov dec
    vs etc al cf ca e.g i.e u.s u.n u.k e.u
    """
)

# A capitalised function word after an abbreviation starts a new sentence ("... with the U.S. In").
SENTENCE_OPENERS = _words(
    """
    a an the in on at for from by with as after before since during while when if but and or so
    this that these those there it its he she they we i you his her their our
    however meanwhile moreover although though yet still also then thus
    """
)

# Clause openers a long sentence may be split before (after a comma).
CLAUSE_OPENERS = _words(
    """
    and but while whereas although though yet or nor so which who where including
    """
)

LONG_SENTENCE_WORDS = 40
MIN_CLAUSE_WORDS = 8

_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)*")
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
# Candidate sentence ends: terminal punctuation, then closing quotes/brackets, then spaces.
_END = re.compile(r"[.!?…]+[" + re.escape(_CLOSERS) + r"]*(?=\s)")
_CLAUSE_BREAK = re.compile(r"[;:](?=\s)|,(?=\s+([A-Za-z]+))")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def _is_boundary(line: str, match: re.Match[str]) -> bool:
    """Whether the terminal punctuation in ``match`` ends a sentence."""
    rest = line[match.end() :].lstrip()
    if not rest:
        return True
    first = rest[0]
    if first.islower():
        return False
    if not (first.isupper() or first.isdigit() or first in _OPENERS or first in "—–-"):
        return False
    punct = match.group()
    if punct.startswith(".") and not punct.startswith(".."):
        before = regex.search(r"[\p{L}.]+$", line[: match.start()])
        token = before.group().lower().rstrip(".") if before else ""
        initial = len(token) == 1 and before is not None and before.group()[0].isupper()
        if (initial or token in ABBREVIATIONS) and not _opens_sentence(rest):
            return False
    return True


def _opens_sentence(rest: str) -> bool:
    word = _WORD.match(rest.lstrip(_OPENERS))
    return bool(word) and word.group().lower() in SENTENCE_OPENERS


def _sentences_in_line(text: str, start: int, end: int) -> list[Span]:
    line = text[start:end]
    spans: list[Span] = []
    last = 0
    for match in _END.finditer(line):
        if _is_boundary(line, match):
            span = _trim(text, start + last, start + match.end())
            if span:
                spans.append(span)
            last = match.end()
    span = _trim(text, start + last, end)
    if span:
        spans.append(span)
    return spans


def _clause_cuts(text: str, span: Span) -> list[int]:
    """Offsets (into ``text``) where a long sentence may be cut, each after its punctuation."""
    piece = text[span.start : span.end]
    cuts = []
    for match in _CLAUSE_BREAK.finditer(piece):
        follower = match.group(1)
        if match.group() == "," and (follower is None or follower.lower() not in CLAUSE_OPENERS):
            continue
        previous = _WORD.findall(piece[: match.start()][-20:])
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
    """Passages of ``text`` in order: sentences within lines, long sentences cut into clauses."""
    spans: list[Span] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        end = pos + len(line)
        for sentence in _sentences_in_line(text, pos, end):
            spans.extend(split_clauses(text, sentence))
        pos = end
    return spans

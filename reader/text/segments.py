"""Words, sentences and paragraphs of a text: the one splitter the reading pane and compare mode
share.

No Textual here. Offsets are code point offsets (Python ``str`` indices); spans are ``(start,
end)`` pairs with no whitespace at either end. The reading pane moves and selects with the
functions that take an offset (``sentence_at``, ``next_sentence_start``, ...): they look only at
the neighbourhood of the offset, so they stay fast in a 20 MB body. Compare mode splits a whole
text with ``sentences`` (``reader.text.sentences`` cuts long ones into clauses). Both decide every
sentence end with the same test, so they agree at every offset.

Paragraphs end at a line break: LF, CR LF or a lone CR (``graphemes.paragraph_end``). A sentence
never crosses a paragraph's end, nor the other separators ``str.splitlines`` knows (VT, FF, FS,
GS, RS, NEL, LS, PS): headlines, bylines and share-button rows are lines of their own.

Where a sentence ends, inside a line:

1. After a run of terminal punctuation (``. ! ? … ‽ ؟ ۔ । ॥ ።``) and closing quotes or brackets,
   followed by whitespace. "3.5 million" and "example.com" have no space after the period, so
   they never end one. After the CJK stops ``。 ！ ？ ｡`` a sentence ends with or without a space.
2. Not where the next word starts with a lowercase letter: "“Why?” she asked", "e.g. for tea",
   "He paused... then went on". Scripts without case (Arabic, Hebrew, CJK, Devanagari) never
   meet this rule, so "؟" and "।" end a sentence before any word of them.
3. After a single period, the word before it decides:

   - a title (Mr, Dr, Prof, Pres, Gen, Sen, Gov, ...) never ends a sentence: a name follows
     ("Pres. Biden", "Dr. A. Smith");
   - an abbreviation a number follows (No, p, vol, fig, Jan, Sept, ...) ends one unless a digit
     comes next: "No. 5", "Jan. 6" go on, "She said no. Then" ends;
   - another abbreviation (etc, Inc, Jr, St, vs, ...), an initialism (U.N., U.S., e.g., p.m.)
     or a capital initial (J.) ends one only when a sentence opener follows: a capitalised
     function word such as The, In, A, He, However that is not itself an initial. So
     "The U.N. In a statement" is two sentences, and "the U.S. Senate", "J. K. Rowling",
     "Apple Inc. Chief Executive" are one;
   - any other word ends it ("in 2019. Then").

Words: a run of letters, digits and marks, apostrophes inside it ("don't" is one word).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

from reader.text.graphemes import (
    LazyPattern,
    is_boundary,
    next_boundary,
    paragraph_end,
    paragraph_start,
    snap,
)
from reader.text.vocabulary import ABBREVIATIONS, NUMBERED, SENTENCE_OPENERS, TITLES

__all__ = [
    "next_paragraph_start",
    "next_sentence_start",
    "next_word_start",
    "paragraph_at",
    "prev_paragraph_start",
    "prev_sentence_start",
    "prev_word_start",
    "sentence_at",
    "sentences",
    "word_count",
    "words",
]

TERMINALS = ".!?…‽؟۔।॥።。！？｡"
CJK_STOPS = "。！？｡"  # end a sentence with no space after them
CLOSERS = "\"'”’»)]}」』）》〉】〕"
OPENERS = "\"'“‘«([{「『（《〈【〔"
#: Separators a sentence never crosses besides LF and CR (``str.splitlines`` splits at them).
OTHER_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"

_PUNCT = frozenset(TERMINALS + CLOSERS)
# A run of terminal punctuation and closers (a sentence may end after it), or a separator.
_RUN = LazyPattern(f"[{re.escape(TERMINALS)}]+[{re.escape(CLOSERS)}]*|[{OTHER_BREAKS}]")
_LINE_BREAK = LazyPattern("\r\n|[\n\r]")
_OTHER_BREAK = LazyPattern(f"[{OTHER_BREAKS}]")
# Not whitespace as ``str.isspace`` (and ``str.strip``) see it: ``\s`` leaves out FS, GS, RS, US.
_NONSPACE = LazyPattern(r"[^\s\x1c-\x1f]")
_NONSPACE_REV = LazyPattern(r"(?r)[^\s\x1c-\x1f]")
_TOKEN = LazyPattern(r"[\p{L}\p{M}.]+\Z")
_INITIALISM = LazyPattern(r"(?:\p{L}\.)+\p{L}")
_OPENER_WORD = LazyPattern(r"\p{L}+")
_WORD = LazyPattern(r"\p{M}*[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:['’][\p{L}\p{N}\p{M}]+)*")
_WORD_START = LazyPattern(r"(?<![\p{L}\p{N}\p{M}])(?<![\p{L}\p{N}\p{M}]['’])\p{M}*[\p{L}\p{N}]")
_WORD_START_REV = LazyPattern(
    r"(?r)(?<![\p{L}\p{N}\p{M}])(?<![\p{L}\p{N}\p{M}]['’])\p{M}*[\p{L}\p{N}]"
)
_WINDOW = 1024  # characters looked at around an offset first (then 8 times more, ...)


# --------------------------------------------------------------------------- words


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def next_word_start(body: str, offset: int) -> int:
    m = _WORD_START.search(body, max(0, offset) + 1)
    if m is None:
        return len(body)
    p = m.start()
    return p if is_boundary(body, p) else next_boundary(body, p)


def prev_word_start(body: str, offset: int) -> int:
    m = _WORD_START_REV.search(body, 0, max(0, offset))
    return snap(body, m.start()) if m else 0


# --------------------------------------------------------------------------- sentence ends


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    m = _NONSPACE.search(text, start, end)
    if m is None:
        return end, end
    start = m.start()
    m = _NONSPACE_REV.search(text, start, end)
    return start, m.end() if m else end


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without the whitespace around it (line breaks too, and the
    separators shown as whitespace); ``(end, end)`` when it is all whitespace."""
    start, end = _strip(text, start, end)
    return snap(text, start), end


def _opens_sentence(text: str, at: int, line_end: int) -> bool:
    """Whether the text at ``at`` starts with a sentence opener (not an initial: "A. Smith")."""
    while at < line_end and text[at] in OPENERS:
        at += 1
    m = _OPENER_WORD.match(text, at, line_end)
    if m is None or text.startswith(".", m.end()):
        return False
    return m.group().lower() in SENTENCE_OPENERS


def _period_ends(text: str, period: int, follow: int, line_end: int) -> bool:
    """Whether the single period at ``period`` ends a sentence, the next word at ``follow``."""
    m = _TOKEN.search(text, max(0, period - 40), period)
    token = m.group().lstrip(".").lower() if m else ""
    if token in TITLES:
        return False
    if token in NUMBERED:
        return not text[follow].isdigit()
    initial = len(token) == 1 and text[period - 1].isupper()
    if initial or token in ABBREVIATIONS or _INITIALISM.fullmatch(token):
        return _opens_sentence(text, follow, line_end)
    return True


def _ends_at(text: str, run: int, end: int, line_end: int) -> bool:
    """Whether a sentence ends at ``end``, after the punctuation run ``text[run:end]``."""
    if end >= line_end:
        return True
    stops = text[run:end].rstrip(CLOSERS)
    after = text[end]
    if any(c in CJK_STOPS for c in stops):
        return not unicodedata.category(after).startswith("M")
    if not after.isspace():
        return False
    m = _NONSPACE.search(text, end, line_end)
    if m is None or _OTHER_BREAK.search(text, end, m.start()):
        return True
    if text[m.start()].islower():
        return False
    return stops != "." or _period_ends(text, run, m.start(), line_end)


def _ends(text: str, line: tuple[int, int], lo: int, hi: int) -> Iterator[int]:
    """Sentence ends in ``text[lo:hi]`` (and a little past ``hi``) inside ``line``, in order.

    ``lo`` and ``hi`` are widened to whole punctuation runs, so a window finds the runs a scan
    of the whole line finds."""
    ls, le = line
    lo, hi = max(lo, ls), min(hi, le)
    while lo > ls and text[lo - 1] in _PUNCT:
        lo -= 1
    while hi < le and text[hi] in _PUNCT:
        hi += 1
    for m in _RUN.finditer(text, lo, hi):
        if text[m.start()] in OTHER_BREAKS:
            yield m.start()  # the sentence before the separator ends; the next starts after it
            yield m.end()
        elif _ends_at(text, m.start(), m.end(), le):
            yield m.end()


def _lines(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _LINE_BREAK.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def sentences(text: str) -> list[tuple[int, int]]:
    """Every sentence of ``text``, in order."""
    spans: list[tuple[int, int]] = []
    for line in _lines(text):
        start = line[0]
        for end in [*_ends(text, line, *line), line[1]]:
            s, e = _strip(text, start, end)
            if s < e:
                spans.append((s, e))
            start = end
    return spans


# --------------------------------------------------------------------------- one sentence


def _line_at(text: str, offset: int) -> tuple[int, int]:
    """The paragraph holding ``offset``, without its line break (which belongs to it)."""
    return paragraph_start(text, offset), paragraph_end(text, offset)


def _last_end(text: str, line: tuple[int, int], offset: int) -> int:
    """The last sentence end at or before ``offset`` in ``line`` (else the line start)."""
    span = _WINDOW
    while True:
        lo = max(line[0], offset - span)
        best = None
        for end in _ends(text, line, lo, offset + 1):
            if end > offset:
                break
            best = end
        if best is not None:
            return best
        if lo == line[0]:
            return lo
        span *= 8


def _next_end(text: str, line: tuple[int, int], offset: int) -> int:
    """The first sentence end after ``offset`` in ``line`` (else the line end)."""
    span = _WINDOW
    while True:
        hi = min(line[1], offset + span)
        for end in _ends(text, line, offset, hi):
            if end > offset:
                return end
        if hi == line[1]:
            return hi
        span *= 8


def sentence_at(body: str, offset: int) -> tuple[int, int]:
    """The sentence under ``offset``; in whitespace, the next sentence of the paragraph, else
    its last one; in a blank paragraph, the empty span at ``offset``."""
    offset = max(0, min(offset, len(body)))
    line = _line_at(body, offset)
    s, e = _strip(body, _last_end(body, line, offset), _next_end(body, line, offset))
    if offset < e and s < e:
        return s, e
    m = _NONSPACE.search(body, offset, line[1])
    if m is not None:
        return sentence_at(body, m.start())
    if s < e:
        return s, e
    m = _NONSPACE_REV.search(body, line[0], offset)
    return sentence_at(body, m.start()) if m else (offset, offset)


def next_sentence_start(body: str, offset: int) -> int:
    s, e = sentence_at(body, offset)
    if s > offset:
        return s
    m = _NONSPACE.search(body, max(e, offset + 1))
    return m.start() if m else len(body)


def _prev_start(body: str, offset: int, span_at: Callable[[str, int], tuple[int, int]]) -> int:
    """The start of the span (sentence, paragraph) holding ``offset``, or if ``offset`` is that
    start, of the span before it."""
    s, _ = span_at(body, offset)
    if s < offset:
        return s
    m = _NONSPACE_REV.search(body, 0, min(s, offset))
    return span_at(body, m.start())[0] if m else 0


def prev_sentence_start(body: str, offset: int) -> int:
    return _prev_start(body, offset, sentence_at)


# --------------------------------------------------------------------------- paragraphs


def paragraph_at(body: str, offset: int) -> tuple[int, int]:
    """The paragraph under ``offset``, without its line break and outer whitespace."""
    offset = max(0, min(offset, len(body)))
    return _strip(body, paragraph_start(body, offset), paragraph_end(body, offset))


def next_paragraph_start(body: str, offset: int) -> int:
    pe = paragraph_end(body, max(0, offset))
    m = _NONSPACE.search(body, pe + 1) if pe < len(body) else None
    return m.start() if m else len(body)


def prev_paragraph_start(body: str, offset: int) -> int:
    return _prev_start(body, offset, paragraph_at)

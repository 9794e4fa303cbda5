"""Text layout for the reading pane: what is drawn, word wrap, and text boundaries.

No Textual here. Offsets are code point offsets into the article body (Python ``str`` indices).
Display characters, cell widths and grapheme boundaries live in ``reader.text.graphemes``, the wrap
index in ``reader.text.wrap``; both are re-exported here. This module adds word, sentence and
paragraph boundaries. A paragraph is the text between two line breaks (LF, CR LF or a lone CR;
blank lines between paragraphs are whitespace), never including its break.

Untrusted text outside the reading pane (titles, quotes, border titles) goes through
``reader.text.untrusted``, which draws it the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.text.graphemes import (
    BIDI_CONTROLS,
    BIDI_PLACEHOLDER,
    C1_PLACEHOLDER,
    FORMAT_PLACEHOLDER,
    GRAPHEME_RE,
    JOIN_RE,
    MODIFIER_PLACEHOLDER,
    PLACEHOLDER_RE,
    SHOWN_AS_OTHER_RE,
    SUBSTITUTE_RE,
    SURROGATE_PLACEHOLDER,
    TAB_CELLS,
    LazyPattern,
    break_end,
    char_cells,
    display_char,
    display_text,
    is_boundary,
    next_boundary,
    paragraph_end,
    paragraph_start,
    prev_boundary,
    snap,
    text_cells,
    text_end,
)
from reader.text.wrap import CellMap, WrapIndex

if TYPE_CHECKING:
    import regex

__all__ = [
    "LazyPattern",
    "BIDI_CONTROLS",
    "BIDI_PLACEHOLDER",
    "C1_PLACEHOLDER",
    "FORMAT_PLACEHOLDER",
    "GRAPHEME_RE",
    "JOIN_RE",
    "MODIFIER_PLACEHOLDER",
    "PLACEHOLDER_RE",
    "SHOWN_AS_OTHER_RE",
    "SUBSTITUTE_RE",
    "SURROGATE_PLACEHOLDER",
    "TAB_CELLS",
    "CellMap",
    "WrapIndex",
    "break_end",
    "char_cells",
    "display_char",
    "display_text",
    "is_boundary",
    "next_boundary",
    "next_paragraph_start",
    "next_sentence_start",
    "next_word_start",
    "paragraph_at",
    "paragraph_end",
    "paragraph_start",
    "prev_boundary",
    "prev_paragraph_start",
    "prev_sentence_start",
    "prev_word_start",
    "sentence_at",
    "snap",
    "text_cells",
    "text_end",
]

_NONSPACE = LazyPattern(r"\S")
_NONSPACE_REV = LazyPattern(r"(?r)\S")
_WORD_START = LazyPattern(r"(?<!\w)\w")
_WORD_START_REV = LazyPattern(r"(?r)(?<!\w)\w")
_SENTENCE_END = LazyPattern(r"[.!?…]+['\"”’»)\]]*(?=\s)")
_OPENERS = "\"'([{“‘«"
ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "no", "nos", "gen"),
        *("col", "lt", "sgt", "capt", "gov", "sen", "rep", "rev", "hon", "fig", "approx", "inc"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("ltd", "co", "corp", "dept", "est", "mt", "ft"),
    }
)


# --------------------------------------------------------------------------- words, sentences


def next_word_start(body: str, offset: int) -> int:
    m = _WORD_START.search(body, max(0, offset) + 1)
    if m is None:
        return len(body)
    p = m.start()
    return p if is_boundary(body, p) else next_boundary(body, p)


def prev_word_start(body: str, offset: int) -> int:
    m = _WORD_START_REV.search(body, 0, max(0, offset))
    return snap(body, m.start()) if m else 0


def _paragraph_bounds(body: str, offset: int) -> tuple[int, int]:
    return paragraph_start(body, offset), paragraph_end(body, offset)


def _strip(body: str, start: int, end: int) -> tuple[int, int]:
    m = _NONSPACE.search(body, start, end)
    if m is None:
        return end, end
    start = m.start()
    m = _NONSPACE_REV.search(body, start, end)
    return start, m.end() if m else end


def _is_sentence_end(body: str, m: regex.Match) -> bool:
    i = m.start()
    if m.group().rstrip("'\"”’»)]") == ".":
        k = i
        while k > 0 and i - k < 24 and not body[k - 1].isspace():
            k -= 1
        token = body[k:i].lstrip(_OPENERS).lower()
        if token in ABBREVIATIONS or "." in token or (len(token) == 1 and token.isalpha()):
            return False
    nxt = _NONSPACE.search(body, m.end())
    gap = body[m.end() : nxt.start()] if nxt is not None else ""
    if nxt is None or "\n" in gap or "\r" in gap:
        return True
    return not body[nxt.start()].islower()


def _last_end_before(body: str, ps: int, offset: int) -> int | None:
    """End of the last sentence that ends at or before ``offset`` in its paragraph."""
    span = 1024
    stop = min(len(body), offset + 1)
    while True:
        lo = max(ps, offset - span)
        best = None
        for m in _SENTENCE_END.finditer(body, lo, stop):
            if m.end() <= offset and _is_sentence_end(body, m):
                best = m.end()
        if best is not None or lo == ps:
            return best
        span *= 8


def sentence_at(body: str, offset: int) -> tuple[int, int]:
    """The sentence under ``offset`` (whitespace stripped); in a gap, the one that follows."""
    offset = max(0, min(offset, len(body)))
    ps, pe = _paragraph_bounds(body, offset)
    last = _last_end_before(body, ps, offset)
    start = _strip(body, ps if last is None else last, pe)[0]
    if start >= pe and last is not None and last > ps:
        return sentence_at(body, last - 1)
    end = pe
    for m in _SENTENCE_END.finditer(body, start, min(len(body), pe + 1)):
        if _is_sentence_end(body, m):
            end = m.end()
            break
    return _strip(body, start, end) if start < end else (start, start)


def next_sentence_start(body: str, offset: int) -> int:
    s, e = sentence_at(body, offset)
    if s > offset:
        return s
    m = _NONSPACE.search(body, max(e, offset + 1))
    return m.start() if m else len(body)


def prev_sentence_start(body: str, offset: int) -> int:
    s, _ = sentence_at(body, offset)
    if s < offset:
        return s
    m = _NONSPACE_REV.search(body, 0, min(s, offset))
    return sentence_at(body, m.start())[0] if m else 0


def paragraph_at(body: str, offset: int) -> tuple[int, int]:
    """The paragraph under ``offset``, without its line break and outer whitespace."""
    offset = max(0, min(offset, len(body)))
    return _strip(body, *_paragraph_bounds(body, offset))


def next_paragraph_start(body: str, offset: int) -> int:
    pe = paragraph_end(body, max(0, offset))
    m = _NONSPACE.search(body, pe + 1) if pe < len(body) else None
    return m.start() if m else len(body)


def prev_paragraph_start(body: str, offset: int) -> int:
    s, _ = paragraph_at(body, offset)
    if s < offset:
        return s
    m = _NONSPACE_REV.search(body, 0, min(s, offset))
    return paragraph_at(body, m.start())[0] if m else 0

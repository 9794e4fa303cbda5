"""Text layout for the reading pane: what is drawn, word wrap, and text boundaries.

No Textual here. Offsets are code point offsets into the article body (Python ``str`` indices).
Display characters live in ``reader.text.display``, cell widths in ``reader.text.cells``, grapheme
boundaries and line breaks in ``reader.text.graphemes``, the wrap index in ``reader.text.wrap``,
word, sentence and paragraph boundaries in ``reader.text.segments`` (the splitter compare mode
uses too); all are re-exported here for the pane. A paragraph is the text between two line
breaks (LF, CR LF or a lone CR; blank lines between paragraphs are whitespace), never including
its break.

Untrusted text outside the reading pane (titles, quotes, border titles) goes through
``reader.text.untrusted``, which draws it the same way.
"""

from __future__ import annotations

from reader.text.cells import char_cells, text_cells
from reader.text.display import (
    BIDI_CONTROLS,
    BIDI_PLACEHOLDER,
    C1_PLACEHOLDER,
    FORMAT_PLACEHOLDER,
    MODIFIER_PLACEHOLDER,
    PLACEHOLDER_RE,
    SHOWN_AS_OTHER_RE,
    SUBSTITUTE_RE,
    SURROGATE_PLACEHOLDER,
    TAB_CELLS,
    display_char,
    display_text,
)
from reader.text.graphemes import (
    GRAPHEME_RE,
    JOIN_RE,
    LazyPattern,
    break_end,
    is_boundary,
    next_boundary,
    paragraph_end,
    paragraph_start,
    prev_boundary,
    snap,
    text_end,
)
from reader.text.segments import (
    next_paragraph_start,
    next_sentence_start,
    next_word_start,
    paragraph_at,
    prev_paragraph_start,
    prev_sentence_start,
    prev_word_start,
    sentence_at,
    trim,
)
from reader.text.wrap import CellMap, WrapIndex

__all__ = [
    "trim",
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

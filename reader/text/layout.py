"""Text layout for the reading pane: what is drawn, word wrap, and text boundaries.

No Textual here. Offsets are code point offsets into the article body (Python ``str`` indices).
Display characters, cell widths and grapheme boundaries live in ``reader.text.graphemes``, the wrap
index in ``reader.text.wrap``, word, sentence and paragraph boundaries in ``reader.text.segments``
(the splitter compare mode uses too); all are re-exported here for the pane. A paragraph is the
text between two line breaks (LF, CR LF or a lone CR; blank lines between paragraphs are
whitespace), never including its break.

Untrusted text outside the reading pane (titles, quotes, border titles) goes through
``reader.text.untrusted``, which draws it the same way.
"""

from __future__ import annotations

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
from reader.text.segments import (
    next_paragraph_start,
    next_sentence_start,
    next_word_start,
    paragraph_at,
    prev_paragraph_start,
    prev_sentence_start,
    prev_word_start,
    sentence_at,
)
from reader.text.wrap import CellMap, WrapIndex

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

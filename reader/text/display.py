"""What a character looks like on the terminal: placeholders, and the text that is drawn.

No Textual here. Control, bidi and other invisible format characters are drawn as one-cell
placeholders (see ``display_char``); the sequences whose width terminals disagree about (emoji
ZWJ sequences, VS15/VS16 presentation selectors, skin-tone modifiers, regional-indicator flags,
tag sequences) are drawn in a form whose width they agree on. Cell widths of what is drawn are
in ``reader.text.cells``.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from reader.text.graphemes import LazyPattern

TAB_CELLS = 4
C1_PLACEHOLDER = "⍰"
BIDI_PLACEHOLDER = "⇄"
FORMAT_PLACEHOLDER = "◌"
SURROGATE_PLACEHOLDER = "\ufffd"
MODIFIER_PLACEHOLDER = "\u25cd"  # '◍' for an emoji skin-tone modifier (U+1F3FB-1F3FF)
#: Everything ``display_char`` draws in place of a character that must not reach the terminal.
PLACEHOLDERS = frozenset(
    {chr(0x2400 + c) for c in range(0x20)}
    | {"\u2421", C1_PLACEHOLDER, BIDI_PLACEHOLDER, FORMAT_PLACEHOLDER, SURROGATE_PLACEHOLDER}
)
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)

# Characters drawn as a placeholder: grapheme "Control" characters (C0, DEL, C1, Cf format
# characters such as bidi controls, ZWSP, BOM; line/paragraph separators) except tab, newline and
# the soft hyphen, plus lone surrogates.
_PLACEHOLDER_SET = r"[\p{GCB=Control}\p{Cs}]--[\t\n\u00ad]"
PLACEHOLDER_RE = LazyPattern(rf"(?V1)[{_PLACEHOLDER_SET}]")
# Emoji parts drawn as something else that is visible: regional indicators (as fullwidth
# letters) and skin-tone modifiers (as MODIFIER_PLACEHOLDER).
_SUBSTITUTE_SET = "\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff"
SUBSTITUTE_RE = LazyPattern(f"[{_SUBSTITUTE_SET}]")
# Characters drawn as something else that is visible: placeholders and substitutes.
SHOWN_AS_OTHER_RE = LazyPattern(rf"(?V1)[[{_PLACEHOLDER_SET}]||[{_SUBSTITUTE_SET}]]")
# Characters not drawn at all: ZWJ, VS15, VS16 and tag characters (U+E0020-E007F).
DROPPED_RE = LazyPattern("[\u200d\ufe0e\ufe0f\U000e0020-\U000e007f]")

# --------------------------------------------------------------------------- display


@cache
def display_char(ch: str) -> str:
    """What is drawn for ``ch`` (one character or none): its width is not in dispute.

    C0 controls become the Unicode control pictures (ESC -> '␛'), DEL '␡', C1 '⍰', bidi controls
    '⇄', other invisible format characters '◌', lone surrogates '�'. A tab becomes ' ' (drawn
    ``TAB_CELLS`` times by ``display_text``); a newline stays a newline.

    Emoji sequences that terminals measure differently (per code point, like tmux and Rich's
    ``cell_len`` of the parts, or as one glyph) are taken apart: ZWJ, VS15, VS16 and tag
    characters are not drawn (each emoji of a ZWJ sequence stands alone, a character with VS16
    keeps its plain width), a regional indicator is drawn as its fullwidth letter (a flag
    '🇺🇦' as 'ＵＡ', two cells each) and a skin-tone modifier as '◍' (one cell). Everything else
    is kept.
    """
    o = ord(ch)
    if o < 0x20:
        return ch if ch == "\n" else " " if ch == "\t" else chr(0x2400 + o)
    if o < 0x7F or o == 0xAD:
        return ch
    if o == 0x7F:
        return "\u2421"
    if o <= 0x9F:
        return C1_PLACEHOLDER
    if ch in BIDI_CONTROLS:
        return BIDI_PLACEHOLDER
    if 0xD800 <= o <= 0xDFFF:
        return SURROGATE_PLACEHOLDER
    if 0x1F1E6 <= o <= 0x1F1FF:
        return chr(0xFF21 + o - 0x1F1E6)
    if 0x1F3FB <= o <= 0x1F3FF:
        return MODIFIER_PLACEHOLDER
    category = unicodedata.category(ch)
    if (category[0] in "LNPS" or category in ("Zs", "Mn", "Mc", "Me")) and ch not in "\ufe0e\ufe0f":
        return ch  # letters, marks, digits, punctuation, symbols, spaces: never a control
    if DROPPED_RE.match(ch):
        return ""
    return FORMAT_PLACEHOLDER if PLACEHOLDER_RE.match(ch) else ch


class _DisplayTable(dict):
    """A lazy ``str.translate`` table: placeholders for controls, TAB_CELLS spaces for a tab."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        value = " " * TAB_CELLS if ch == "\t" else display_char(ch)
        self[code] = value
        return value


_DISPLAY = _DisplayTable()


def display_text(text: str) -> str:
    """What is drawn for ``text`` (no line breaks in it): placeholders, tabs as spaces."""
    return text.translate(_DISPLAY)


class _LabelTable(_DisplayTable):
    """``_DisplayTable`` with tabs and line breaks as one space each."""

    def __missing__(self, code: int) -> str:
        value = " " if code in (9, 10, 13) else display_char(chr(code))
        self[code] = value
        return value


_LABEL = _LabelTable()


def shown_as_is(text: str) -> bool:
    """True when every character of ``text`` is printable and plain: drawn as it is, a cell
    each (ASCII, Western text with curly quotes and dashes; every such character is checked in
    the tests)."""
    return text.isprintable() and first_unusual(text, 0, len(text)) < 0


def one_line_form(text: str) -> str:
    """Text in the form one line of the screen draws it (``reader.text.untrusted.line`` is the
    door to it: use that).

    Drawn as the reading pane draws it (``display_char``: control pictures such as '␛' for
    ESC, emoji in a form of undisputed width; NBSP and soft hyphen kept), except that a tab, a
    newline, a CR or a CR LF become one space.
    """
    if shown_as_is(text):
        return text
    if "\r\n" in text:
        text = text.replace("\r\n", " ")
    return text.translate(_LABEL)


def first_unusual(body: str, a: int, b: int) -> int:
    """Offset of the first character in ``body[a:b]`` that may not be plain, or -1.

    Cheap filters: ASCII, then the cp1252 codec (Western text with curly quotes and dashes);
    every character either accepts is plain (verified against the width table in the tests).
    """
    chunk = body[a:b]
    stop = len(chunk)
    if not chunk.isascii():
        try:
            chunk.encode("cp1252")
        except UnicodeEncodeError as exc:
            stop = exc.start
    tab = chunk.find("\t", 0, stop)
    if tab >= 0:
        return a + tab
    return a + stop if stop < len(chunk) else -1

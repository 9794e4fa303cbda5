"""What a character looks like on the terminal: placeholders, cell widths, grapheme boundaries.

No Textual here. Offsets are code point offsets (Python ``str`` indices).

Cell model (matches Rich 15's ``cell_len`` of what is drawn): ordinary characters take one cell,
East Asian wide characters two, combining marks zero; a tab takes ``TAB_CELLS`` cells (drawn as
that many spaces, not aligned to tab stops); control, bidi and other invisible format characters
are drawn as one-cell placeholders (see ``display_char``). Every character is measured on its
own: the sequences whose width terminals disagree about (emoji ZWJ sequences, VS15/VS16
presentation selectors, skin-tone modifiers, regional-indicator flags, tag sequences) are drawn
in a form whose width they agree on, so no cluster is measured as a whole.

Line breaks: LF, CR LF and a lone CR each end a paragraph (``paragraph_end``, ``break_end``);
a CR LF is one break and one grapheme cluster. The body itself is never changed.

Widths come from one table for the Basic Multilingual Plane, applied with ``str.translate``: each
character becomes a code, its cells plus ``JOINS`` when it can join a neighbour into one cluster
(combining marks, ZWJ, Hangul jamo, regional indicators, ...). A text whose codes are all 1 is
"plain": one code point is one cell is one grapheme. ``Cells`` fits text into a number of cells
by counting codes (``bytes.count``); ``CellMap`` finds, on demand, the paragraphs of a body that
are not plain (cheap codec filters first, width codes only where those cannot tell).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, load_cell_table

if TYPE_CHECKING:
    import regex


class LazyPattern:
    """A ``regex`` pattern compiled when first used: importing ``regex`` and compiling the
    Unicode-property patterns below costs ~30 ms, which reader's first screen (the article
    list) does without."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled: regex.Pattern[str] | None = None

    def compiled(self) -> regex.Pattern[str]:
        if self._compiled is None:
            import regex

            self._compiled = regex.compile(self.pattern, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:  # match, search, finditer, sub, ...
        return getattr(self.compiled(), name)


TAB_CELLS = 4
JOINS = 8  # added to a character's width code when it can join a neighbour
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
_JOIN = (
    r"\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
    r"\p{GCB=RI}\p{GCB=L}\p{GCB=V}\p{GCB=T}"
)
# Characters that can join a neighbour into one grapheme cluster.
JOIN_RE = LazyPattern(rf"[{_JOIN}]")
GRAPHEME_RE = LazyPattern(r"\X")
# Two characters with a boundary between them (neither joins, and not CR LF), or a line break
_SAFE_REV = LazyPattern(rf"(?V1)(?r)[^{_JOIN}\r][^{_JOIN}]|[\r\n]")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
_CHUNK_MIN, _CHUNK_MAX = 4096, 1 << 18  # characters checked for plainness at a time


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


# --------------------------------------------------------------------------- cell widths


@lru_cache(maxsize=4096)
def char_cells(ch: str) -> int:
    """Cells taken by one character drawn on its own."""
    if ch == "\t":
        return TAB_CELLS
    return cell_len(display_char(ch))


@lru_cache(maxsize=1)
def width_table() -> str:
    """The BMP ``str.translate`` table of width codes (cells + ``JOINS`` for joiners), built on
    first use (~10 ms) from Rich's width table and the ``regex`` module's grapheme properties."""
    codes = bytearray(b"\x01") * 0x10000
    for a, b, w in load_cell_table("auto").widths:
        if a < 0x10000:
            b = min(b, 0xFFFF)
            codes[a : b + 1] = bytes([w]) * (b - a + 1)
    bmp = "".join(map(chr, range(0x10000)))
    for m in PLACEHOLDER_RE.finditer(bmp):
        codes[m.start()] = 1
    for m in DROPPED_RE.finditer(bmp):
        codes[m.start()] = 0
    codes[0xAD] = char_cells("\xad")
    codes[9] = TAB_CELLS
    for m in JOIN_RE.finditer(bmp):
        codes[m.start()] += JOINS
    return codes.decode("latin-1")


def _astral_code(m: re.Match[str]) -> str:
    ch = m.group()
    return chr(char_cells(ch) + (JOINS if JOIN_RE.match(ch) else 0))


def width_codes(body: str, start: int, end: int) -> bytes:
    """One width code per character of ``body[start:end]``."""
    codes = body[start:end].translate(width_table())
    if not codes.isascii():  # astral characters are not in the table: measured one by one
        codes = _ASTRAL_RE.sub(_astral_code, codes)
    return codes.encode("ascii")


_CELLS_ONLY = bytes(i & (JOINS - 1) for i in range(256))


def cells_only(codes: bytes) -> bytes:
    """``codes`` without the joiner flag: each byte is the character's cells."""
    return codes.translate(_CELLS_ONLY)


def is_plain(codes: bytes) -> bool:
    """True when every code is a one-cell character that joins nothing."""
    return codes.count(1) == len(codes)


def text_cells(text: str) -> int:
    """Cells of ``text`` (no newlines) as the reading pane draws it."""
    if text.isascii() and "\t" not in text:
        return len(text)
    return sum(cells_only(width_codes(text, 0, len(text))))


# --------------------------------------------------------------------------- line breaks


def paragraph_end(body: str, offset: int) -> int:
    """Where the line break ending the paragraph at ``offset`` starts (``len(body)`` if none).

    A break is LF, CR LF or a lone CR; an offset inside a CR LF belongs to the paragraph before.
    """
    n = len(body)
    e = body.find("\n", offset)
    if e < 0:
        e = n
    r = body.find("\r", offset, e)
    if r >= 0:
        return r
    if e == offset and offset > 0 and body[offset - 1] == "\r" and offset < n:
        return offset - 1  # the LF of a CR LF
    return e


def break_end(body: str, at: int) -> int:
    """The offset after the line break starting at ``at`` (``at`` at the end of the body)."""
    if at >= len(body):
        return at
    if body[at] == "\r" and body.startswith("\n", at + 1):
        return at + 2
    return at + 1


def paragraph_start(body: str, offset: int) -> int:
    """The start of the paragraph holding ``offset``: just after the last line break that ends
    at or before it (an offset inside a CR LF belongs to the paragraph before)."""
    while True:
        j = body.rfind("\n", 0, offset)
        k = body.rfind("\r", j + 1, offset)
        if k < 0:
            return j + 1
        if k + 1 == offset and body.startswith("\n", offset):
            offset = k  # ``offset`` is the LF of a CR LF
            continue
        return k + 1


def text_end(body: str, start: int, end: int) -> int:
    """End of the text of the line ``body[start:end]``: before the line break it ends with."""
    if end > start:
        last = body[end - 1]
        if last == "\n":
            return end - 2 if end - 2 >= start and body[end - 2] == "\r" else end - 1
        if last == "\r":
            return end - 1
    return end


# --------------------------------------------------------------------------- graphemes


def _may_join(body: str, i: int) -> bool:
    """False when there is certainly a grapheme boundary between ``body[i - 1]`` and ``body[i]``."""
    a, b = body[i - 1], body[i]
    if a < "\x80" and b < "\x80":
        return a == "\r" and b == "\n"
    if a == "\n" or b == "\n" or a == "\r" or b == "\r":
        return False
    return JOIN_RE.search(body, i - 1, i + 1) is not None


def is_boundary(body: str, offset: int) -> bool:
    """True when ``offset`` is a grapheme cluster boundary (around a line break it is one,
    except between the CR and the LF of a CR LF)."""
    if offset <= 0 or offset >= len(body) or not _may_join(body, offset):
        return True
    return next_boundary(body, prev_boundary(body, offset)) == offset


def next_boundary(body: str, offset: int) -> int:
    """The first grapheme boundary after ``offset`` (``len(body)`` at the end)."""
    n = len(body)
    if offset >= n:
        return n
    offset = max(offset, 0)
    if body[offset] == "\r":
        return offset + 2 if body.startswith("\n", offset + 1) else offset + 1
    if offset + 1 == n or not _may_join(body, offset + 1):
        return offset + 1
    end = min(n, offset + 32)
    while True:
        m = GRAPHEME_RE.match(body, offset, end)
        stop = m.end() if m else offset + 1
        if stop < end or end == n:
            return stop
        end = min(n, offset + 2 * (end - offset))


def prev_boundary(body: str, offset: int) -> int:
    """The last grapheme boundary before ``offset`` (0 at the start)."""
    offset = min(offset, len(body))
    if offset <= 1:
        return 0
    last = body[offset - 1]
    if last == "\n" and body[offset - 2] == "\r":
        return offset - 2
    if last == "\r" or not _may_join(body, offset - 1):
        return offset - 1
    span = 64
    while True:
        lo = max(0, offset - span)
        m = _SAFE_REV.search(body, lo, offset)
        if m is not None:
            lo = m.start() + 1
            break
        if lo == 0:
            break
        span *= 4
    last_start = lo
    for g in GRAPHEME_RE.finditer(body, lo, offset):
        last_start = g.start()
    return last_start


def snap(body: str, offset: int) -> int:
    """``offset`` clamped to the body and moved back onto a grapheme boundary."""
    offset = max(0, min(offset, len(body)))
    return offset if is_boundary(body, offset) else prev_boundary(body, offset)


# --------------------------------------------------------------------------- cells of text


class Cells:
    """Cells per character of a stretch of text (bytes), summed with ``bytes.count``."""

    __slots__ = ("cells", "count", "extra", "widest", "fit")

    def __init__(self, cells: bytes) -> None:
        self.cells, self.count = cells, cells.count
        self.extra = [(bytes((v,)), v - 1) for v in (0, 2, 3, 4, 5, 6, 7) if bytes((v,)) in cells]
        self.widest = max([1, *(k + 1 for _, k in self.extra)])
        if [k for _, k in self.extra] == [1]:
            self.fit = self._fit_wide
        else:
            self.fit = self._fit

    def _fit_wide(self, i: int, limit: int) -> tuple[int, int]:
        """``fit`` for one- and two-cell characters only."""
        cells, count = self.cells, self.count
        m, e, room = len(cells), i, limit
        while room >= 2 and e < m:
            ne = e + (room >> 1)
            if ne > m:
                ne = m
            room -= ne - e + count(2, e, ne)
            e = ne
        if room and e < m and cells[e] == 1:
            return e + 1, room - 1
        return e, room

    def _fit(self, i: int, limit: int) -> tuple[int, int]:
        """The largest ``e`` >= ``i`` with ``sum(cells[i:e]) <= limit``, and the room left."""
        cells, count, extra, widest = self.cells, self.count, self.extra, self.widest
        m, e, room = len(cells), i, limit
        while room >= widest and e < m:
            ne = e + room // widest
            if ne > m:
                ne = m
            used = ne - e
            for ch, k in extra:
                used += k * count(ch, e, ne)
            room -= used
            e = ne
        while e < m and cells[e] <= room:
            room -= cells[e]
            e += 1
        return e, room


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


class CellMap:
    """Which paragraphs of a body are not plain: found on demand, shared by every width.

    Every paragraph starting before ``scanned`` that is not plain is listed in ``paragraphs``
    as ``(start, end, joined)`` (``joined``: it holds characters that join into clusters).
    ``cr``: the body holds a CR (then line breaks are found with ``paragraph_end``).
    """

    def __init__(self, body: str) -> None:
        self.body = body
        self.cr = "\r" in body
        self._starts = array("q")
        self._ends = array("q")
        self._joined = bytearray()
        self.scanned = 0 if not body.isascii() or "\t" in body else len(body) + 1
        self._chunk = _CHUNK_MIN
        self._last: tuple[int, int, bytes] | None = None  # width codes of the last paragraph

    @property
    def paragraphs(self) -> list[tuple[int, int, bool]]:
        items = zip(self._starts, self._ends, self._joined, strict=True)
        return [(a, b, bool(j)) for a, b, j in items]

    @paragraphs.setter
    def paragraphs(self, items: list[tuple[int, int, bool]]) -> None:
        self._starts = array("q", [a for a, _, _ in items])
        self._ends = array("q", [b for _, b, _ in items])
        self._joined = bytearray(bool(j) for _, _, j in items)

    def kind(self, ps: int, pe: int, *, scan: bool) -> int:
        """0: plain, 1: not plain, 2: not plain and joined, -1: unknown (never with ``scan``)."""
        if scan and self.scanned <= pe:
            self._scan_to(pe)
        if pe >= self.scanned:
            return -1
        i = bisect_right(self._starts, ps) - 1
        if i >= 0 and self._starts[i] == ps:
            return 2 if self._joined[i] else 1
        return 0

    def plain_before(self, offset: int) -> int:
        """Paragraphs starting at or after ``offset`` and ending before the returned offset
        are plain."""
        i = bisect_right(self._starts, offset - 1)
        special = self._starts[i] if i < len(self._starts) else self.scanned
        return min(special, self.scanned)

    def codes(self, ps: int, pe: int) -> bytes:
        """Width codes of ``body[ps:pe]`` (reused from the scan when it just made them)."""
        last = self._last
        if last is not None and last[0] == ps and last[1] == pe:
            return last[2]
        return width_codes(self.body, ps, pe)

    def _scan_to(self, offset: int) -> None:
        body, n = self.body, len(self.body)
        while self.scanned <= offset and self.scanned <= n:
            a = self.scanned
            b = min(n, a + self._chunk)
            bad = first_unusual(body, a, b)
            if bad < 0:
                self.scanned = b if b < n else n + 1
                self._chunk = min(2 * self._chunk, _CHUNK_MAX)
                continue
            self._chunk = max(_CHUNK_MIN, 2 * (bad - a))
            ps = paragraph_start(body, bad)
            if ps > offset:  # classified when it is reached
                self.scanned = ps
                return
            pe = paragraph_end(body, bad)
            codes = width_codes(body, ps, pe)
            self._last = (ps, pe, codes)
            if not is_plain(codes):
                i = bisect_right(self._starts, ps)
                if i == 0 or self._starts[i - 1] != ps:
                    self._starts.insert(i, ps)
                    self._ends.insert(i, pe)
                    self._joined.insert(i, cells_only(codes) != codes)
            self.scanned = break_end(body, pe) if pe < n else n + 1

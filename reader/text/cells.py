"""Cell widths of text as the reading pane draws it, and which paragraphs are not plain.

No Textual here. Offsets are code point offsets (Python ``str`` indices).

Cell model (matches Rich 15's ``cell_len`` of what is drawn): ordinary characters take one cell,
East Asian wide characters two, combining marks zero; a tab takes ``TAB_CELLS`` cells (drawn as
that many spaces, not aligned to tab stops); control, bidi and other invisible format characters
are drawn as one-cell placeholders (see ``display.display_char``). Every character is measured
on its own: the sequences whose width terminals disagree about are drawn in a form whose width
they agree on, so no cluster is measured as a whole.

Widths come from one table for the Basic Multilingual Plane, applied with ``str.translate``: each
character becomes a code, its cells plus ``JOINS`` when it can join a neighbour into one cluster
(combining marks, ZWJ, Hangul jamo, regional indicators, ...). A text whose codes are all 1 is
"plain": one code point is one cell is one grapheme. ``Cells`` fits text into a number of cells
by counting codes (``bytes.count``); ``CellMap`` finds, on demand, the paragraphs of a body that
are not plain (cheap codec filters first, width codes only where those cannot tell).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from functools import lru_cache

from rich.cells import cell_len, load_cell_table

from reader.text.display import DROPPED_RE, PLACEHOLDER_RE, TAB_CELLS, display_char, first_unusual
from reader.text.graphemes import JOIN_RE, break_end, paragraph_end, paragraph_start

JOINS = 8  # added to a character's width code when it can join a neighbour
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
_CHUNK_MIN, _CHUNK_MAX = 4096, 1 << 18  # characters checked for plainness at a time


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

"""Text layout for the reading pane: display characters, word wrap, grapheme and text boundaries.

No Textual here. Offsets are code point offsets into the article body (Python ``str`` indices).

Cell model (matches Rich 15's ``cell_len``): ordinary characters take one cell, East Asian wide
characters two, combining marks zero; a tab takes ``TAB_CELLS`` cells (it is drawn as that many
spaces, not aligned to tab stops); control, bidi and other invisible format characters are drawn
as one-cell placeholders (see ``display_char``). A newline ends its visual line and takes one cell
there, so the cursor can sit on it; the end of the body does the same.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache, lru_cache
from time import perf_counter

import regex
from rich.cells import cell_len, load_cell_table

TAB_CELLS = 4
C1_PLACEHOLDER = "⍰"
BIDI_PLACEHOLDER = "⇄"
FORMAT_PLACEHOLDER = "◌"
SURROGATE_PLACEHOLDER = "\ufffd"
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)

# Characters drawn as a placeholder: grapheme "Control" characters (C0, DEL, C1, Cf format
# characters such as bidi controls, ZWSP, BOM; line/paragraph separators) except tab, newline and
# the soft hyphen, plus lone surrogates.
PLACEHOLDER_RE = regex.compile(r"(?V1)[[\p{GCB=Control}\p{Cs}]--[\t\n\u00ad]]")
_TABLE = load_cell_table("auto").widths


_JOIN = (
    r"\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
    r"\p{GCB=RI}\p{GCB=L}\p{GCB=V}\p{GCB=T}"
)
# Characters that can join a neighbour into one grapheme cluster (for small windows).
JOIN_RE = regex.compile(rf"[{_JOIN}]")


def _class(ranges: list[tuple[int, int]]) -> str:
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


def _to_ranges(points: list[int]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for c in points:
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return [(a, b) for a, b in out]


_ASTRAL = "\\U00010000-\\U0010ffff"


@lru_cache(maxsize=1)
def _fast_classes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """``re`` patterns for specials, width runs and joiners, built on first use (~20 ms).

    Flat BMP sets from Rich's width table and the ``regex`` module's Unicode properties:
    ``regex`` property classes, and ``re`` sets with astral ranges, scan ~100x slower than a
    BMP-only ``re`` set. Astral characters are all "special" and measured one by one.
    """
    control = regex.compile(r"[\p{GCB=Control}\p{Cs}]")
    bmp = "".join(map(chr, range(0x10000)))
    join = _class(_to_ranges([m.start() for m in JOIN_RE.finditer(bmp)]))
    wide = _class([(a, min(b, 0xFFFF)) for a, b, w in _TABLE if w == 2 and a < 0x10000])
    zero_points = [c for a, b, w in _TABLE if w == 0 and a < 0x10000 for c in range(a, b + 1)]
    zero = _class(_to_ranges([c for c in zero_points if not control.match(chr(c))]))
    return (
        re.compile(rf"[\t{wide}{zero}{join}{_ASTRAL}]"),
        re.compile(
            rf"[^\t{wide}{zero}{_ASTRAL}]*+"
            rf"(?:(?P<w>[{wide}]+)|(?P<z>[{zero}]+)|(?P<t>\t+)|(?P<a>[{_ASTRAL}]+)|\Z)"
        ),
        re.compile(rf"[{join}{_ASTRAL}]"),
    )


_SCAN_CHUNK = 1 << 18  # characters searched for specials at a time
_STEP_LINES = 4096  # lazy wrapping yields at least this often
_ZWJ_VS16 = re.compile("[\u200d\ufe0f]")
_RUN_CELLS = {"w": 2, "z": 0, "t": TAB_CELLS}
GRAPHEME_RE = regex.compile(r"\X")
_SAFE_REV = regex.compile(rf"(?V1)(?r)[^{_JOIN}][^{_JOIN}]|\n")
_NONSPACE = regex.compile(r"\S")
_NONSPACE_REV = regex.compile(r"(?r)\S")
_WORD_START = regex.compile(r"(?<!\w)\w")
_WORD_START_REV = regex.compile(r"(?r)(?<!\w)\w")
_SENTENCE_END = regex.compile(r"[.!?…]+['\"”’»)\]]*(?=\s)")
_OPENERS = "\"'([{“‘«"
ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "no", "nos", "gen"),
        *("col", "lt", "sgt", "capt", "gov", "sen", "rep", "rev", "hon", "fig", "approx", "inc"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("ltd", "co", "corp", "dept", "est", "mt", "ft"),
    }
)


# --------------------------------------------------------------------------- display


@cache
def display_char(ch: str) -> str:
    """The one character drawn for ``ch``: a visible placeholder for control characters.

    C0 controls become the Unicode control pictures (ESC -> '␛'), DEL '␡', C1 '⍰', bidi controls
    '⇄', other invisible format characters '◌', lone surrogates '�'. A tab becomes ' ' (drawn
    ``TAB_CELLS`` times by ``display_text``); a newline stays a newline; everything else is kept.
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
    """What is drawn for ``text`` (no newlines in it): placeholders, tabs as spaces."""
    return text.translate(_DISPLAY)


# --------------------------------------------------------------------------- graphemes


def _may_join(body: str, i: int) -> bool:
    """False when there is certainly a grapheme boundary between ``body[i - 1]`` and ``body[i]``."""
    a, b = body[i - 1], body[i]
    if (a < "\x80" and b < "\x80") or a == "\n" or b == "\n":
        return False
    return JOIN_RE.search(body, i - 1, i + 1) is not None


def is_boundary(body: str, offset: int) -> bool:
    """True when ``offset`` is a grapheme cluster boundary (a newline is always one)."""
    if offset <= 0 or offset >= len(body) or not _may_join(body, offset):
        return True
    return next_boundary(body, prev_boundary(body, offset)) == offset


def next_boundary(body: str, offset: int) -> int:
    """The first grapheme boundary after ``offset`` (``len(body)`` at the end)."""
    n = len(body)
    if offset >= n:
        return n
    offset = max(offset, 0)
    if offset + 1 == n or body[offset] == "\r" or not _may_join(body, offset + 1):
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
    if not _may_join(body, offset - 1):
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
    last = lo
    for g in GRAPHEME_RE.finditer(body, lo, offset):
        last = g.start()
    return last


def snap(body: str, offset: int) -> int:
    """``offset`` clamped to the body and moved back onto a grapheme boundary."""
    offset = max(0, min(offset, len(body)))
    return offset if is_boundary(body, offset) else prev_boundary(body, offset)


# --------------------------------------------------------------------------- wrap index


class CellMap:
    """Width-independent cell positions of a body: which paragraphs need more than "one code
    point = one cell = one grapheme", and a table of runs of wide / zero-width / tab characters
    (and of whole clusters where ZWJ or VS16 make Rich's widths non-additive).

    ``cells_to(offset)`` counts cells from the start of the body (a newline counts one) in
    O(log runs); ``offset_of_cells`` inverts it. Built once per body, shared by every width.
    """

    def __init__(self, body: str) -> None:
        self.body = body
        self.rs = array("q")  # run starts
        self.re = array("q")  # run ends
        self.gs = array("q")  # cells before the run start
        self.ge = array("q")  # cells before the run end
        self.k = array("q")  # cells per char in the run; -1: one atomic cluster
        #: (start, end, joined) of each paragraph that holds special characters, in order;
        #: found on demand (``scan_to``) so that a huge body opens at once
        self.paragraphs: list[tuple[int, int, bool]] = []
        #: specials before this offset are all in ``paragraphs``
        self.scanned = 0 if not body.isascii() or "\t" in body else len(body) + 1

    def scan_to(self, offset: int) -> None:
        """Find the special paragraphs that start before ``offset`` (and their runs)."""
        body, n = self.body, len(self.body)
        while self.scanned < offset and self.scanned <= n:
            end = min(n, max(offset, self.scanned + _SCAN_CHUNK))
            m = _fast_classes()[0].search(body, self.scanned, end)
            if m is None:
                self.scanned = end if end < n else n + 1
                continue
            ps = body.rfind("\n", 0, m.start()) + 1
            pe = body.find("\n", m.start())
            pe = n if pe < 0 else pe
            cur = ps
            for z in _ZWJ_VS16.finditer(body, ps, pe):
                if z.start() < cur:
                    continue
                cs = prev_boundary(body, z.start() + 1)
                ce = next_boundary(body, cs)
                self._add_runs(cur, cs)
                self._push(cs, ce, -1, cell_len(display_text(body[cs:ce])))
                cur = ce
            self._add_runs(cur, pe)
            joined = _fast_classes()[2].search(body, ps, pe) is not None
            self.paragraphs.append((ps, pe, joined))
            self.scanned = pe + 1

    def _add_runs(self, a: int, b: int) -> None:
        body, rs, re_, gs, ge, ks = self.body, self.rs, self.re, self.gs, self.ge, self.k
        extra = ge[-1] - re_[-1] if re_ else 0  # cells minus code points so far
        for m in _fast_classes()[1].finditer(body, a, b):
            kind = m.lastgroup
            if kind is None:  # the plain tail up to b
                return
            start, end = m.span(kind)
            if kind == "a":
                for i in range(start, end):
                    if (k := _char_cells(body[i])) != 1:
                        self._push(i, i + 1, k, k)
                extra = ge[-1] - re_[-1] if re_ else 0
                continue
            k = _RUN_CELLS[kind]
            rs.append(start)
            re_.append(end)
            gs.append(start + extra)
            extra += (end - start) * (k - 1)
            ge.append(end + extra)
            ks.append(k)

    def _push(self, a: int, b: int, k: int, cells: int) -> None:
        g = a + (self.ge[-1] - self.re[-1] if self.re else 0)
        self.rs.append(a)
        self.re.append(b)
        self.gs.append(g)
        self.ge.append(g + cells)
        self.k.append(k)

    def cells_to(self, offset: int) -> int:
        """Cells from the start of the body to ``offset``."""
        i = bisect_right(self.rs, offset) - 1
        if i < 0:
            return offset
        end = self.re[i]
        if offset >= end:
            return self.ge[i] + offset - end
        k = self.k[i]
        return self.gs[i] + (offset - self.rs[i]) * k if k >= 0 else self.gs[i]

    def offset_of_cells(self, cells: int) -> int:
        """The largest offset whose ``cells_to`` is at most ``cells``."""
        j = bisect_right(self.gs, cells) - 1
        if j < 0:
            return cells
        if cells >= self.ge[j]:
            return self.re[j] + cells - self.ge[j]
        k = self.k[j]
        return self.rs[j] + (cells - self.gs[j]) // k if k > 0 else self.rs[j]


class WrapIndex:
    """Visual line starts for ``body`` word-wrapped greedily at ``width`` cells.

    ``starts`` is an ``array('q')`` of body offsets. A line holds its paragraph's newline as its
    last character; that newline (or the end of the body) takes one cell, so a line's text is at
    most ``width - 1`` cells where it ends a paragraph. Lines break after a space, else hard (never
    inside a grapheme). Plain paragraphs are wrapped with ``str.rfind`` jumps, others through the
    ``CellMap`` (pass one in to re-wrap the same body at another width without rescanning it).

    With ``lazy=True`` nothing is wrapped up front: ``build()`` extends the index in steps (by
    offset, line count or deadline) and every query builds as far as it needs.
    """

    def __init__(
        self, body: str, width: int, cellmap: CellMap | None = None, *, lazy: bool = False
    ) -> None:
        self.body = body
        self.width = max(1, width)
        self.cellmap = cellmap if cellmap is not None and cellmap.body is body else CellMap(body)
        self.starts = array("q")
        self.complete = False
        self._covered = 0  # every line start below this offset is in `starts`
        self._steps = self._builder()
        if not lazy:
            self.build()

    def __len__(self) -> int:
        return len(self.starts)

    def estimated_lines(self) -> int:
        """The line count, extrapolated from the part built so far while incomplete."""
        n = len(self.starts)
        if self.complete or self._covered <= 0:
            return max(n, 1)
        return n + (len(self.body) - self._covered) * n // self._covered + 1

    def build(
        self, *, offset: int | None = None, lines: int | None = None, deadline: float | None = None
    ) -> bool:
        """Wrap until ``offset`` is covered, ``lines`` + 1 lines exist or ``time.perf_counter()``
        passes ``deadline`` (all of the body when none is given). True once complete."""
        while not self.complete:
            if offset is not None and self._covered > offset:
                break
            if lines is not None and len(self.starts) > lines:
                break
            if deadline is not None and perf_counter() >= deadline:
                break
            self._covered = next(self._steps, -1)
            if self._covered < 0:
                self.complete = True
                self._covered = len(self.body) + 1
        return self.complete

    def _builder(self) -> Iterator[int]:
        """Append line starts, yielding the next (not yet appended) start now and then."""
        body, width, n = self.body, self.width, len(self.body)
        app = self.starts.append
        find, rfind = body.find, body.rfind
        cm, specials, i = self.cellmap, self.cellmap.paragraphs, 0
        s = 0
        while True:
            pe = find("\n", s)
            if pe < 0:
                pe = n
            if cm.scanned <= pe:
                cm.scan_to(max(pe + 1, s + _SCAN_CHUNK))
            if i < len(specials) and specials[i][0] == s:
                yield from self._wrap_complex(*specials[i])
                i += 1
            else:
                lim = pe - width
                while s <= lim:
                    budget = _STEP_LINES
                    while s <= lim and budget:
                        app(s)
                        s = rfind(" ", s, s + width) + 1 or s + width
                        budget -= 1
                    if not budget:
                        yield s
                app(s)
            if pe >= n:
                return
            s = pe + 1
            yield s

    def _wrap_complex(self, ps: int, pe: int, joined: bool) -> Iterator[int]:
        body, width, cm, app = self.body, self.width, self.cellmap, self.starts.append
        rs, re_, ks, nruns = cm.rs, cm.re, cm.k, len(cm.rs)
        cells, offset_of = cm.cells_to, cm.offset_of_cells
        half = width // 2  # wide characters per line inside a long run of them
        end_cells = cells(pe)
        s = ps
        while True:
            ri = bisect_right(re_, s)  # first run that ends after s
            if ri < nruns and rs[ri] < pe:
                barrier = rs[ri]
                if half and barrier <= s and ks[ri] == 2 and s + half < re_[ri] and not joined:
                    app(s)  # inside a long run of wide characters
                    s += half
                    continue
            else:
                barrier = pe
            if s + width <= barrier:
                e = s + width  # no special character before e: one cell each
            else:
                gs = cells(s)
                if end_cells - gs + 1 <= width:
                    app(s)
                    return
                e = min(offset_of(gs + width), pe)
            if joined and not is_boundary(body, e):
                e = prev_boundary(body, e)
            p = body.rfind(" ", s, e)
            cut = p + 1 if p >= 0 and (not joined or is_boundary(body, p + 1)) else e
            app(s)
            s = cut if cut > s else next_boundary(body, s)
            if len(self.starts) % _STEP_LINES == 0:
                yield s

    # -- queries

    def cells_to(self, offset: int) -> int:
        return self.cellmap.cells_to(offset)

    def line_of(self, offset: int) -> int:
        """The visual line holding ``offset`` (clamped to the body)."""
        offset = max(0, offset)
        if offset >= self._covered:
            self.build(offset=offset)
        return max(0, bisect_right(self.starts, offset) - 1)

    def line_span(self, y: int) -> tuple[int, int]:
        """Body offsets ``(start, end)`` of line ``y``, its newline included."""
        if y + 1 >= len(self.starts):
            self.build(lines=y + 1)
        s = self.starts[y]
        return s, self.starts[y + 1] if y + 1 < len(self.starts) else len(self.body)

    def text_end(self, y: int) -> int:
        """End of the drawn text of line ``y`` (before its newline)."""
        s, e = self.line_span(y)
        return e - 1 if e > s and self.body[e - 1] == "\n" else e

    def has_terminator(self, y: int) -> bool:
        """True when line ``y`` ends a paragraph (or the body): its last cell is the newline."""
        s, e = self.line_span(y)  # builds line y + 1 unless y is the last line
        return y + 1 >= len(self.starts) or (e > s and self.body[e - 1] == "\n")

    def line_cells(self, y: int) -> int:
        """Cells used by line ``y``, counting the newline / end-of-body cell where present."""
        s = self.line_span(y)[0]
        return self.cells_to(self.text_end(y)) - self.cells_to(s) + self.has_terminator(y)

    def last_offset(self, y: int) -> int:
        """The last cursor position on line ``y``."""
        s, e = self.line_span(y)
        if self.has_terminator(y):
            return self.text_end(y)
        return max(s, prev_boundary(self.body, e))

    def x_of(self, offset: int) -> int:
        """Cell column of ``offset`` within its visual line."""
        return self.cells_to(offset) - self.cells_to(self.starts[self.line_of(offset)])

    def offset_at(self, y: int, x: int) -> int:
        """The cursor position at cell column ``x`` of line ``y`` (both clamped)."""
        if y + 1 >= len(self.starts):
            self.build(lines=y + 1)
        y = max(0, min(y, len(self.starts) - 1))
        s = self.starts[y]
        off = self.cellmap.offset_of_cells(self.cells_to(s) + max(0, x))
        off = max(s, min(off, self.last_offset(y)))
        return off if is_boundary(self.body, off) else max(s, prev_boundary(self.body, off))


@lru_cache(maxsize=4096)
def _char_cells(ch: str) -> int:
    if ch == "\t":
        return TAB_CELLS
    return cell_len(display_char(ch))


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
    ps = body.rfind("\n", 0, offset) + 1
    pe = body.find("\n", offset)
    return ps, len(body) if pe < 0 else pe


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
    if nxt is None or "\n" in body[m.end() : nxt.start()]:
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
    """The paragraph under ``offset``, without its newline and outer whitespace."""
    offset = max(0, min(offset, len(body)))
    return _strip(body, *_paragraph_bounds(body, offset))


def next_paragraph_start(body: str, offset: int) -> int:
    pe = body.find("\n", max(0, offset))
    m = _NONSPACE.search(body, pe + 1) if pe >= 0 else None
    return m.start() if m else len(body)


def prev_paragraph_start(body: str, offset: int) -> int:
    s, _ = paragraph_at(body, offset)
    if s < offset:
        return s
    m = _NONSPACE_REV.search(body, 0, min(s, offset))
    return paragraph_at(body, m.start())[0] if m else 0

"""Word wrap of a body at a width: visual line starts, built lazily and from anywhere.

No Textual here. A paragraph ends with a line break: LF, CR LF or a lone CR (see
``graphemes.paragraph_end``). A line holds its paragraph's line break as its last character(s);
that break (or the end of the body) takes one cell, so a line's text is at most ``width - 1``
cells where it ends a paragraph. Lines break after a space, else hard (never inside a grapheme
cluster; a cluster wider than the line gets a line of its own). Plain paragraphs (see
``cells.is_plain``) are wrapped with ``str.rfind`` jumps; others through their width codes,
counting wide and zero-width characters with ``bytes.count``.

Greedy wrapping of a paragraph depends on nothing before it, so the index is a list of
*segments*: runs of whole paragraphs wrapped so far. The first starts at offset 0 and grows in
the background; others appear where the reader jumps (the end of the body, a search hit) and
grow up or down as the reader scrolls. Line numbers in a segment not joined to the first are
estimated (lines per character so far); when segments meet, the later ones are renumbered
exactly and ``version`` is bumped so that a view can keep its place by offset.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator
from time import perf_counter

from reader.text import cells as c
from reader.text import graphemes as g
from reader.text.cells import CellMap
from reader.text.wrap_paragraphs import WrapSegment, wrap_paragraphs

__all__ = ["CellMap", "WrapIndex"]

NEAR_CHARS = 100_000  # a target this close to a segment is reached by wrapping on to it
NEAR_LINES = 2_000


class WrapIndex:
    """Visual line starts of ``body`` word-wrapped greedily at ``width`` cells.

    Pass a ``CellMap`` to re-wrap the same body at another width without rescanning it. With
    ``lazy=True`` nothing is wrapped up front: queries wrap what they need and ``build()``
    extends the part from the start (by offset, line count or deadline). ``starts`` (and
    ``len()``) are the lines wrapped from the start; ``estimated_lines()`` counts them all.
    """

    def __init__(
        self, body: str, width: int, cellmap: CellMap | None = None, *, lazy: bool = False
    ) -> None:
        self.body = body
        self.width = max(1, width)
        self.cellmap = cellmap if cellmap is not None and cellmap.body is body else CellMap(body)
        self._segs = [WrapSegment(0, 0, len(body) + 1)]
        #: bumped whenever lines already numbered get other numbers
        self.version = 0
        self._sample: tuple[int, int] | None = None
        if not lazy:
            self.build()

    @property
    def starts(self) -> array:
        return self._segs[0].starts

    @property
    def complete(self) -> bool:
        return len(self._segs) == 1 and self._segs[0].end > len(self.body)

    def __len__(self) -> int:
        return len(self._segs[0].starts)

    def _ratio(self) -> float:
        """Lines per character in what is wrapped so far and in a few samples of the body."""
        n = len(self.body)
        lines = sum(len(s.starts) for s in self._segs)
        chars = sum(min(s.end, n) - s.a for s in self._segs)
        if self._sample is None:
            self._sample = self._take_samples()
        lines, chars = lines + self._sample[0], chars + self._sample[1]
        return lines / chars if chars > 256 else 1 / max(1, self.width - 8)

    def _take_samples(self, count: int = 4, size: int = 4096) -> tuple[int, int]:
        """Lines and characters of a few stretches of whole paragraphs spread over the body."""
        body, n = self.body, len(self.body)
        if n < 8 * count * size:
            return 0, 0
        lines = chars = 0
        for k in range(1, count + 1):
            a = g.paragraph_start(body, n * k // (count + 1))
            b = g.paragraph_end(body, a + size)
            if b >= n:
                continue
            stop = g.break_end(body, b)
            sample = WrapSegment(a, 0, stop)
            gen = self._wrap_from(sample)
            while sample.end < stop and next(gen, False) is not False:
                pass
            lines, chars = lines + len(sample.starts), chars + stop - a
        return lines, chars

    def _estimate(self, chars: int) -> int:
        return max(1, round(chars * self._ratio()))

    def estimated_lines(self) -> int:
        """The line count; while incomplete, the unwrapped parts are estimated."""
        last = self._segs[-1]
        if last.end > len(self.body):
            return max(1, last.end_line)
        return last.end_line + self._estimate(len(self.body) + 1 - last.end)

    def build(
        self, *, offset: int | None = None, lines: int | None = None, deadline: float | None = None
    ) -> bool:
        """Wrap from the start until ``offset`` is covered, ``lines`` + 1 lines exist or
        ``time.perf_counter()`` passes ``deadline`` (all of the body when none is given).
        True once complete."""
        self._extend(self._segs[0], offset=offset, line=lines, deadline=deadline)
        return self.complete

    # -- growing segments

    def _extend(
        self,
        seg: WrapSegment,
        *,
        offset: int | None = None,
        line: int | None = None,
        deadline: float | None = None,
    ) -> None:
        n = len(self.body)
        while seg.end <= n:
            if seg.end == seg.stop:
                self._merge(seg)
                continue
            if offset is not None and seg.end > offset:
                return
            if line is not None and seg.end_line > line:
                return
            if deadline is not None and perf_counter() >= deadline:
                return
            if seg.gen is None:
                seg.gen = self._wrap_from(seg)
            if next(seg.gen, False) is False:
                seg.gen = None
            self._make_room(self._segs.index(seg) + 1)

    def _merge(self, seg: WrapSegment) -> None:
        """Join ``seg`` and the segment that starts where it ends."""
        i = self._segs.index(seg)
        nxt = self._segs.pop(i + 1)
        seg.starts.extend(nxt.starts)
        shift = seg.end_line - len(nxt.starts) - nxt.line0
        seg.end, seg.stop, seg.gen = nxt.end, nxt.stop, None
        self._shift(i + 1, shift)

    def _shift(self, i: int, lines: int) -> None:
        """Renumber segments ``i`` and after by ``lines``."""
        if lines:
            for seg in self._segs[i:]:
                seg.line0 += lines
            self.version += 1

    def _make_room(self, i: int) -> None:
        """Keep at least one line number for the unwrapped gap before segment ``i``."""
        if 0 < i < len(self._segs):
            prev, seg = self._segs[i - 1], self._segs[i]
            if prev.end < seg.a and seg.line0 <= prev.end_line:
                self._shift(i, prev.end_line + self._estimate(seg.a - prev.end) - seg.line0)

    def _insert(self, ps: int, line0: int) -> WrapSegment:
        """A new segment at paragraph start ``ps`` (in a gap), its first paragraph wrapped."""
        i = bisect_right([s.a for s in self._segs], ps)
        prev = self._segs[i - 1]
        seg = WrapSegment(ps, line0, prev.stop)
        prev.stop = ps
        self._segs.insert(i, seg)
        self._extend(seg, offset=ps)
        self._make_room(i + 1)
        return seg

    def _prepend(self, seg: WrapSegment, ps: int) -> None:
        """Wrap the paragraphs from ``ps`` up to ``seg`` and put them in front of it."""
        i = self._segs.index(seg)
        prev = self._segs[i - 1]
        head = WrapSegment(max(ps, prev.end), 0, seg.a)
        gen = self._wrap_from(head)
        while head.end < seg.a and next(gen, False) is not False:
            pass
        added = len(head.starts)
        head.starts.extend(seg.starts)
        seg.starts, seg.gen = head.starts, None
        seg.line0 -= added  # the lines it had keep their numbers
        seg.a = prev.stop = head.a
        if prev.end == seg.a:
            self._merge(prev)
        else:
            self._make_room(i)

    def _wrap_from(self, seg: WrapSegment) -> Iterator[None]:
        return wrap_paragraphs(self.body, self.width, self.cellmap, seg)

    # -- finding lines

    def _find(self, offset: int) -> tuple[WrapSegment, int]:
        """The segment and index of the line holding ``offset``, wrapping what it takes."""
        body, n = self.body, len(self.body)
        o = max(0, min(offset, n))
        while True:
            segs = self._segs
            i = bisect_right([s.a for s in segs], o) - 1
            seg = segs[i]
            if o < seg.end or seg.end > n:
                return seg, bisect_right(seg.starts, o) - 1
            ps = g.paragraph_start(body, o)
            if o - seg.end < NEAR_CHARS or ps <= seg.end:
                self._extend(seg, offset=o)
                continue
            nxt = segs[i + 1] if i + 1 < len(segs) else None
            if nxt is not None and nxt.a - ps < NEAR_CHARS:
                self._prepend(nxt, ps)
                continue
            if nxt is None:
                gap = self._estimate(ps - seg.end)
            else:
                gap = (ps - seg.end) * (nxt.line0 - seg.end_line) // (nxt.a - seg.end)
            self._insert(ps, seg.end_line + max(1, gap))

    def _locate(self, y: int) -> tuple[WrapSegment, int] | None:
        """The segment and index of line ``y``, wrapping what it takes; None past the end."""
        body, n = self.body, len(self.body)
        y = max(0, y)
        while True:
            segs = self._segs
            i = bisect_right([s.line0 for s in segs], y) - 1
            seg = segs[i]
            k = y - seg.line0
            if k < len(seg.starts):
                return seg, k
            if seg.end > n:
                return None
            nxt = segs[i + 1] if i + 1 < len(segs) else None
            if y - seg.end_line < NEAR_LINES:
                self._extend(seg, line=y)
                continue
            if nxt is not None and nxt.line0 - y <= NEAR_LINES:
                self._prepend(nxt, g.paragraph_start(body, nxt.a - 1))
                continue
            if nxt is None:
                o = seg.end + round((y - seg.end_line) / self._ratio())
            else:
                o = seg.end + (y - seg.end_line) * (nxt.a - seg.end) // (nxt.line0 - seg.end_line)
            ps = g.paragraph_start(body, min(o, n))
            if ps <= seg.end:
                self._extend(seg, offset=min(o, n))
            else:
                self._insert(ps, y)

    # -- queries

    def _span(self, seg: WrapSegment, k: int) -> tuple[int, int, bool]:
        """(start, end, last) of line ``k`` of ``seg``; ``last``: the last line of the body."""
        starts, n = seg.starts, len(self.body)
        if k + 1 < len(starts):
            return starts[k], starts[k + 1], False
        if seg.end <= n:
            return starts[k], seg.end, False
        return starts[k], n, True

    def _line(self, y: int) -> tuple[int, int, bool]:
        loc = self._locate(y)
        if loc is None:
            raise IndexError(f"no line {y}")
        return self._span(*loc)

    def line_info(self, y: int) -> tuple[int, int, bool]:
        """``(start, end, last)`` of line ``y``: its offsets (line break included) and whether it is
        the last line of the body. IndexError past the end."""
        return self._line(y)

    def line_of(self, offset: int) -> int:
        """The visual line holding ``offset`` (clamped to the body)."""
        seg, k = self._find(offset)
        return seg.line0 + k

    def line_span(self, y: int) -> tuple[int, int]:
        """Body offsets ``(start, end)`` of line ``y``, its line break included."""
        s, e, _ = self._line(y)
        return s, e

    def _text_end(self, s: int, e: int) -> int:
        return g.text_end(self.body, s, e)

    def text_end(self, y: int) -> int:
        """End of the drawn text of line ``y`` (before its line break)."""
        return self._text_end(*self.line_span(y))

    def has_terminator(self, y: int) -> bool:
        """True when line ``y`` ends a paragraph (or the body): its last cell is the line break."""
        s, e, last = self._line(y)
        return last or (e > s and self.body[e - 1] in "\r\n")

    def line_cells(self, y: int) -> int:
        """Cells used by line ``y``, counting the line break / end-of-body cell where present."""
        s, e, _ = self._line(y)
        return c.text_cells(self.body[s : self._text_end(s, e)]) + self.has_terminator(y)

    def last_offset(self, y: int) -> int:
        """The last cursor position on line ``y``."""
        s, e, _ = self._line(y)
        if self.has_terminator(y):
            return self._text_end(s, e)
        return max(s, g.prev_boundary(self.body, e))

    def x_of(self, offset: int) -> int:
        """Cell column of ``offset`` within its visual line."""
        seg, k = self._find(offset)
        s = seg.starts[k]
        return c.text_cells(self.body[s : max(s, min(offset, len(self.body)))])

    def offset_at(self, y: int, x: int) -> int:
        """The cursor position at cell column ``x`` of line ``y`` (both clamped)."""
        loc = self._locate(y)
        if loc is None:
            seg, k = self._find(len(self.body))
            y = seg.line0 + k
        s = self.line_span(y)[0]
        last = self.last_offset(y)
        cells = c.cells_only(c.width_codes(self.body, s, last)) if last > s else b""
        e, _ = c.Cells(cells).fit(0, max(0, x))
        off = s + e
        return off if g.is_boundary(self.body, off) else max(s, g.prev_boundary(self.body, off))

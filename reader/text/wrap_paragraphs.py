"""Greedy word wrap of whole paragraphs into visual line starts, a batch at a time.

No Textual here. ``reader.text.wrap.WrapIndex`` keeps the lines in *segments* (runs of whole
paragraphs) and grows them with ``wrap_paragraphs``. Lines break after a space, else hard
(never inside a grapheme cluster; a cluster wider than the line gets a line of its own). Plain
paragraphs are wrapped with ``str.rfind`` jumps; others through their width codes.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

from reader.text import cells as c
from reader.text import graphemes as g
from reader.text.cells import CellMap
from reader.text.display import first_unusual

BATCH = 1024  # lines wrapped between checks of a deadline or a target


class WrapSegment:
    """Lines ``starts`` of the paragraphs from ``a`` (a paragraph start) up to ``end`` (the start
    of the next line not yet wrapped; ``len(body) + 1`` at the end), numbered from ``line0``."""

    __slots__ = ("a", "end", "line0", "starts", "stop", "gen")

    def __init__(self, a: int, line0: int, stop: int) -> None:
        self.a = self.end = a
        self.line0 = line0
        self.starts = array("q")
        self.stop = stop  # where the next segment starts
        self.gen: Iterator[None] | None = None

    @property
    def end_line(self) -> int:
        return self.line0 + len(self.starts)


def wrap_paragraphs(body: str, width: int, kinds: CellMap, seg: WrapSegment) -> Iterator[None]:
    """Append lines to ``seg`` from ``seg.end``, pausing every ``BATCH`` lines; stops at
    the end of the body (``seg.end`` > len) or where the next segment starts."""
    n = len(body)
    starts, find, rfind = seg.starts, body.find, body.rfind
    app, scan, cr = starts.append, seg.a == 0, kinds.cr
    s = seg.end
    ps = g.paragraph_start(body, s) if cr else rfind("\n", 0, s) + 1
    mark, plain_before = len(starts), 0
    while True:
        if cr:
            pe = g.paragraph_end(body, s)
        else:
            pe = find("\n", s)
            if pe < 0:
                pe = n
        if pe < plain_before or pe == ps:
            k = 0
        elif scan:
            k = kinds.kind(ps, pe, scan=True)
            plain_before = kinds.plain_before(pe + 1)
        else:
            k = kinds.kind(ps, pe, scan=False)
            if k < 0 and first_unusual(body, s, pe) < 0:
                k = 0
        codes = b""
        if k < 0 or (k > 0 and s > ps):
            codes = c.width_codes(body, s, pe)
            k = 0 if c.is_plain(codes) else 2 if c.cells_only(codes) != codes else 1
        elif k > 0:
            codes = kinds.codes(ps, pe)
        if k == 0:
            lim = pe - width
            while s <= lim:
                app(s)
                s = rfind(" ", s, s + width) + 1 or s + width
                if len(starts) - mark >= BATCH:
                    seg.end, mark = s, len(starts)
                    yield
            app(s)
        else:
            fit, base, joined = c.Cells(c.cells_only(codes)).fit, s, k == 2
            while True:
                e, room = fit(s - base, width)
                e += base
                if e >= pe and room >= 1:
                    break
                if joined and e < pe and not g.is_boundary(body, e):
                    e = g.prev_boundary(body, e)
                p = rfind(" ", s, e)
                cut = p + 1 if p >= 0 and (not joined or g.is_boundary(body, p + 1)) else e
                app(s)
                s = cut if cut > s else g.next_boundary(body, s)
                if len(starts) - mark >= BATCH:
                    seg.end, mark = s, len(starts)
                    yield
            app(s)
        if pe >= n:
            seg.end = n + 1
            return
        s = ps = seg.end = g.break_end(body, pe) if cr else pe + 1
        if s == seg.stop:
            return
        if len(starts) - mark >= BATCH:
            mark = len(starts)
            yield

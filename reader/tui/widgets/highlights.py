"""What the reading pane draws over its text: annotations (`Highlight`, kept in a
`HighlightIndex`) and marked spans by layer (`MarkLayers`: find hits, compare mode).

Offsets are code points into the article body. Nothing here draws or knows of a widget: the
pane asks which spans meet a line and styles them itself (pane_lines).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass

from rich.style import Style

_LONG = 4096  # highlights longer than this are checked one by one, the rest by bisect

#: How marked spans look, drawn over annotation tints (find hits, compare mode).
MARK_STYLES: dict[str, Style] = {
    "aligned": Style(underline=True),
    "differ": Style(underline=True, color="bright_red", bold=True),
    "partner": Style(bgcolor="#7c3aed", color="white"),
    "find": Style(bgcolor="#facc15", color="black"),
}

#: How a mark looks over an annotation's tint: the tag colour stays visible beneath it (the
#: current pair of compare mode would otherwise paint its own background over the tag).
MARK_OVER_TINT: dict[Style, Style] = {
    MARK_STYLES["partner"]: Style(bold=True, italic=True, underline=True),
    MARK_STYLES["differ"]: Style(bold=True, underline=True),  # the tints differ already
}

#: More changed highlights than this (another process wrote, a theme changed): draw all again.
CHANGED_SPANS_REDRAWN = 64
#: At most this many changed highlights are put into (or taken out of) the index in place.
INCREMENTAL_CHANGES = 8


def changed_spans(
    old: tuple[int, int] | None, new: tuple[int, int] | None
) -> list[tuple[int, int]]:
    """Offsets whose selected state differs between two selections (inclusive spans)."""
    if old == new:
        return []
    if old is None or new is None:
        return [old or new]  # type: ignore[list-item]
    return [(min(old[0], new[0]), max(old[0], new[0])), (min(old[1], new[1]), max(old[1], new[1]))]


@dataclass(frozen=True)
class Highlight:
    """An annotation as the pane draws it; offsets are code points into the body."""

    start: int
    end: int
    tag: str
    colour: str
    annotation_id: str


class HighlightIndex:
    """Highlights sorted by start; overlap queries by bisect (long ones kept apart)."""

    def __init__(self, spans: list[Highlight]) -> None:
        starts = [h.start for h in spans]
        ends = [h.end for h in spans]
        # (start, end, position in the list: later = more recent), sorted as plain tuples
        keyed = sorted(zip(starts, ends, range(len(spans)), strict=True))
        self.keys = keyed
        self.items = [spans[i] for _, _, i in keyed]
        self.recency = [i for _, _, i in keyed]
        self.starts = [s for s, _, _ in keyed]
        lengths = [e - s for s, e, _ in keyed]
        self.reach = max((n for n in lengths if n <= _LONG), default=0)
        self.long = [i for i, n in enumerate(lengths) if n > _LONG]

    def add(self, h: Highlight) -> None:
        """Insert ``h`` as the most recent highlight (a tag: no re-sort of thousands)."""
        key = (h.start, h.end, max(self.recency, default=-1) + 1)
        pos = bisect_right(self.keys, key)
        self.keys.insert(pos, key)
        self.items.insert(pos, h)
        self.recency.insert(pos, key[2])
        self.starts.insert(pos, h.start)
        self.long = [i + (i >= pos) for i in self.long]
        if h.end - h.start > _LONG:
            insort(self.long, pos)
        else:
            self.reach = max(self.reach, h.end - h.start)

    def remove(self, h: Highlight) -> bool:
        """Take ``h`` (this very object) out; False if it is not here. ``reach`` may stay
        larger than needed: it only widens the look-back of `overlapping`."""
        pos = bisect_left(self.starts, h.start)
        while pos < len(self.items) and self.items[pos] is not h:
            if self.starts[pos] != h.start:
                return False
            pos += 1
        if pos >= len(self.items):
            return False
        for column in (self.keys, self.items, self.recency, self.starts):
            del column[pos]
        self.long = [i - (i > pos) for i in self.long if i != pos]
        return True

    def overlapping(self, a: int, b: int) -> list[int]:
        """Indexes of highlights meeting ``[a, b)``, in start order."""
        lo = bisect_left(self.starts, a - self.reach)
        hi = bisect_left(self.starts, b)
        items = self.items
        found = [
            i for i in range(lo, hi) if items[i].end > a and items[i].end - items[i].start <= _LONG
        ]
        found += [i for i in self.long if items[i].start < b and items[i].end > a]
        return sorted(found)

    def at(self, offset: int) -> list[Highlight]:
        """Highlights under ``offset``, innermost (then most recent) first."""
        found = self.overlapping(offset, offset + 1)
        found.sort(key=lambda i: (self.items[i].end - self.items[i].start, -self.recency[i]))
        return [self.items[i] for i in found]


class MarkLayers:
    """Marked spans by layer (find, aligned, differ, partner): each layer's starts and ends,
    sorted. Spans of a layer must not overlap each other (search hits and aligned passages
    do not)."""

    def __init__(self) -> None:
        #: layer -> (starts, ends); empty when nothing is marked (checked before each lookup)
        self.layers: dict[str, tuple[list[int], list[int]]] = {}

    def set(self, layer: str, spans: list[tuple[int, int]]) -> bool:
        """Mark ``spans`` in ``layer`` ([] clears it); False if nothing drawn changed."""
        ordered = sorted((s, e) for s, e in spans if e > s)
        if not ordered:
            return self.layers.pop(layer, None) is not None
        self.layers[layer] = ([s for s, _ in ordered], [e for _, e in ordered])
        return True

    def spans(self, layer: str) -> list[tuple[int, int]]:
        starts, ends = self.layers.get(layer, ([], []))
        return list(zip(starts, ends, strict=True))

    def between(self, start: int, end: int) -> list[tuple[Style, int, int]]:
        """(style, start, end) of every marked span meeting ``[start, end)``."""
        found: list[tuple[Style, int, int]] = []
        for layer, (starts, ends) in self.layers.items():
            lo = bisect_right(ends, start)
            hi = bisect_left(starts, end)
            style = MARK_STYLES.get(layer, MARK_STYLES["find"])
            found.extend((style, starts[i], ends[i]) for i in range(lo, hi))
        return found

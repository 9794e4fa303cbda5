"""What a reading session holds besides annotations: compare mode, a find, watched files.

All of it by article id, none of it widgets (an article is open in one pane at most, so its id
names the pane). No Textual here: the screen asks these where to go and draws the answer.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.align import Pair
    from reader.model import Annotation

#: Bodies longer than this are not aligned (sentence alignment is quadratic at worst).
MAX_ALIGN_CHARS = 2_000_000
#: Hits marked on screen at most (n/N still find every one).
MAX_MARKED_HITS = 20_000

Span = tuple[int, int]


@dataclass
class Comparison:
    """Two articles lined up: ``pairs`` of passages, side "a" (left) and "b" (right)."""

    left: str
    right: str
    pairs: list[Pair]
    current: int | None = None
    differing: set[int] = field(default_factory=set)

    def side(self, article_id: str) -> str | None:
        if article_id == self.left:
            return "a"
        if article_id == self.right:
            return "b"
        return None

    def partner(self, article_id: str) -> str:
        """The article on the other side of ``article_id``."""
        return self.right if article_id == self.left else self.left

    def pair_at(self, article_id: str, offset: int) -> int | None:
        """The pair whose passage in ``article_id`` holds ``offset``."""
        side = self.side(article_id)
        if side is None:
            return None
        for index in range(len(self.pairs)):
            start, end = self.span(index, side)
            if start <= offset < end:
                return index
        return None

    def span(self, index: int, side: str) -> Span:
        pair = self.pairs[index]
        return (pair.a_start, pair.a_end) if side == "a" else (pair.b_start, pair.b_end)

    def spans(self, side: str, indexes: Iterable[int] | None = None) -> list[Span]:
        chosen = range(len(self.pairs)) if indexes is None else indexes
        return [self.span(i, side) for i in chosen]

    def ordered(self, side: str) -> list[int]:
        """Pair indexes in the document order of one side."""
        return sorted(range(len(self.pairs)), key=lambda i: self.span(i, side)[0])

    def step(self, article_id: str, cursor: int, direction: int) -> int | None:
        """The next (direction > 0) or previous pair from ``cursor`` in ``article_id``, round
        the end; None when there are no pairs."""
        side = self.side(article_id) or "a"
        order = self.ordered(side)
        if not order:
            return None
        starts = [self.span(i, side)[0] for i in order]
        if direction > 0:
            position = bisect.bisect_right(starts, cursor)
            position = position if position < len(order) else 0
        else:
            position = bisect.bisect_left(starts, cursor) - 1
            position = position if position >= 0 else len(order) - 1
        return order[position]

    def mark_differing(self, left: list[Annotation], right: list[Annotation]) -> None:
        """Find the pairs whose two sides carry different tags (orphans do not count)."""
        tags_a = [(a.start, a.end, a.tag) for a in left if not a.orphaned]
        tags_b = [(a.start, a.end, a.tag) for a in right if not a.orphaned]
        self.differing = {
            i
            for i, p in enumerate(self.pairs)
            if _tags_over(tags_a, p.a_start, p.a_end) != _tags_over(tags_b, p.b_start, p.b_end)
        }


def _tags_over(spans: list[tuple[int, int, str]], start: int, end: int) -> frozenset[str]:
    """The tags of annotations overlapping [start, end)."""
    return frozenset(tag for s, e, tag in spans if s < end and start < e)


def align(
    left: str,
    right: str,
    *,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Pair] | None:
    """Line up two bodies (imported when first needed: start-up stays quick); None when
    ``cancelled`` answered true on the way. ``progress(step, done, total)`` is told how far the
    work is, a few times a second (from the thread that aligns)."""
    from reader.align import Cancelled
    from reader.align import align as align_bodies

    try:
        return align_bodies(left, right, cancelled=cancelled, progress=progress)
    except Cancelled:
        return None


@dataclass
class Finding:
    """A find in one article: every hit (up to MAX_MARKED_HITS) of ``pattern``."""

    article_id: str
    query: str
    pattern: re.Pattern[str]
    hits: list[Span]

    @property
    def capped(self) -> bool:
        return len(self.hits) >= MAX_MARKED_HITS

    def index_at(self, offset: int) -> int | None:
        """The index in ``hits`` of the hit starting at ``offset``, None if none does."""
        index = bisect.bisect_left(self.hits, (offset, -1))
        if index < len(self.hits) and self.hits[index][0] == offset:
            return index
        return None

    def where(self, offset: int) -> str:
        """Which hit the cursor at ``offset`` is on, for the status: "match 2 of 5"; else how
        many there are."""
        total = f"{len(self.hits):,}{'+' if self.capped else ''}"
        index = self.index_at(offset)
        if index is not None:
            return f"match {index + 1:,} of {total}"
        if not self.hits:
            return "no matches"
        return f"{total} match{'' if len(self.hits) == 1 else 'es'}"

    @classmethod
    def of(cls, article_id: str, body: str, query: str) -> Finding | None:
        """The hits of ``query`` in ``body`` (case and accents ignored); None for no query."""
        from reader.search import compile_query

        pattern = compile_query(query)
        if pattern is None:
            return None
        hits: list[Span] = []
        for match in pattern.finditer(body):
            hits.append(match.span())
            if len(hits) >= MAX_MARKED_HITS:
                break
        return cls(article_id, query, pattern, hits)

    def first_from(self, body: str, cursor: int) -> int | None:
        """The first hit at or after ``cursor``, round the end."""
        match = self.pattern.search(body, cursor) or self.pattern.search(body)
        return None if match is None else match.start()

    def step(self, body: str, cursor: int, direction: int) -> int | None:
        """The start of the next (direction > 0) or previous hit from ``cursor``, round the
        end; found in the text itself, so hits past MAX_MARKED_HITS are found too."""
        pattern = self.pattern
        if direction > 0:
            match = pattern.search(body, cursor + 1) or pattern.search(body)
            return None if match is None else match.start()
        window = 4096
        while True:  # backwards: search windows growing from the cursor, not the whole text
            begin = max(0, cursor - window)
            found = list(pattern.finditer(body, begin, cursor))
            if found:
                return found[-1].start()
            if begin == 0:
                tail = list(pattern.finditer(body, cursor + 1))
                return tail[-1].start() if tail else None  # round to the last hit
            window *= 4


def stamp(path: Path) -> tuple[int, int] | None:
    """(size, modification time) of a file, None when it is gone."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


class FileWatch:
    """The files of the open articles as they were opened, to tell the user of edits."""

    def __init__(self) -> None:
        self._stamps: dict[str, tuple[int, int] | None] = {}

    def opened(self, article_id: str, path: Path) -> None:
        self._stamps[article_id] = stamp(path)

    def changed(self, open_files: dict[str, Path]) -> list[tuple[str, bool]]:
        """(article id, gone) of each open article whose file changed or vanished since it was
        opened or last reported."""
        found = []
        for article_id, path in open_files.items():
            if article_id not in self._stamps:
                continue
            now = stamp(path)
            if now != self._stamps[article_id]:
                self._stamps[article_id] = now
                found.append((article_id, now is None))
        return found

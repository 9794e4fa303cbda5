"""Compare mode and find-in-article: the app's side (a mixin of ReaderApp).

Compare mode lines up two open panes with `reader.align`: the partner of the passage under the
cursor is marked in the other pane and scrolled into view, `>`/`<` step through the pairs in
both panes, `y` copies the tag (and note) under the cursor to the partner, and pairs whose two
sides carry different tags are marked. Find (`/`) marks every hit in the focused article;
`n`/`N` step through them while a search is active (otherwise `n` edits a note).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.actions import SkipAction
from textual.widgets import Input

from reader.services.history import Change
from reader.store import StoreError
from reader.tui.app_state import AppState
from reader.tui.widgets.reading_pane import ReadingPane
from reader.tui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from reader.align import Pair

#: Bodies longer than this are not aligned (sentence alignment is quadratic at worst).
MAX_ALIGN_CHARS = 2_000_000
#: Hits marked on screen at most (n/N still find every one).
MAX_MARKED_HITS = 20_000


@dataclass
class Comparison:
    left: ReadingPane
    right: ReadingPane
    pairs: list[Pair]
    current: int | None = None
    differing: set[int] = field(default_factory=set)

    def side(self, pane: ReadingPane) -> str | None:
        if pane is self.left:
            return "a"
        if pane is self.right:
            return "b"
        return None

    def pair_at(self, pane: ReadingPane, offset: int) -> int | None:
        side = self.side(pane)
        for index, pair in enumerate(self.pairs):
            start, end = (pair.a_start, pair.a_end) if side == "a" else (pair.b_start, pair.b_end)
            if start <= offset < end:
                return index
        return None

    def span(self, index: int, side: str) -> tuple[int, int]:
        pair = self.pairs[index]
        return (pair.a_start, pair.a_end) if side == "a" else (pair.b_start, pair.b_end)

    def ordered(self, side: str) -> list[int]:
        """Pair indexes in the document order of one side."""
        return sorted(range(len(self.pairs)), key=lambda i: self.span(i, side)[0])


@dataclass
class Finding:
    pane: ReadingPane
    query: str
    pattern: re.Pattern[str]
    hits: list[tuple[int, int]]


class ComparingMixin(AppState):
    comparison: Comparison | None = None
    finding: Finding | None = None

    # -- compare mode -------------------------------------------------------------------------
    def action_compare(self) -> None:
        if self.comparison is not None:
            self.stop_comparing()
            self.notify("Compare mode off", timeout=2)
            return
        focused = self.focused if isinstance(self.focused, ReadingPane) else self._active
        others = [p for p in reversed(self._focus_order) if p is not focused and p.is_attached]
        others += [p for p in self.panes if p is not focused and p not in others]
        if focused is None or not others:
            self.notify("Open two articles side by side to compare them", severity="warning")
            return
        left, right = sorted([focused, others[0]], key=lambda p: p.region.x)
        if max(len(left.body), len(right.body)) > MAX_ALIGN_CHARS:
            self.notify(
                "These articles are too long to align (2 million characters at most)",
                severity="warning",
            )
            return
        self.notify("Aligning…", timeout=2)
        self.run_worker(
            lambda: self._align(left, right), thread=True, exclusive=True, group="align"
        )

    def _align(self, left: ReadingPane, right: ReadingPane) -> None:
        from reader.align import align  # imported when first needed: start-up stays quick

        pairs = align(left.body, right.body)
        self.call_from_thread(self.start_comparing, left, right, pairs)

    def start_comparing(self, left: ReadingPane, right: ReadingPane, pairs: list[Pair]) -> None:
        if not (left.is_attached and right.is_attached):
            return
        self.comparison = Comparison(left, right, pairs)
        self.refresh_bindings()  # the compare keys work now: show them
        self.refresh_comparison()
        differing = len(self.comparison.differing)
        note = f"; {differing} coded differently" if differing else ""
        self.notify(
            f"Compare mode: {len(pairs)} aligned passages{note} · > < step · "
            "y copy tag to partner · c off",
            timeout=6,
        )
        focused = self.focused if isinstance(self.focused, ReadingPane) else left
        self.follow_cursor(focused)

    def stop_comparing(self) -> None:
        comparison, self.comparison = self.comparison, None
        if comparison is None:
            return
        self.refresh_bindings()
        for pane in (comparison.left, comparison.right):
            if pane.is_attached:
                pane.set_marks("aligned", [])
                pane.set_marks("differ", [])
                pane.set_marks("partner", [])
        self._show_status()

    def refresh_comparison(self) -> None:
        """Recompute which pairs are coded differently and mark every aligned passage."""
        comparison = self.comparison
        if comparison is None:
            return
        tags_a = self._tags_by_span(comparison.left.article_id)
        tags_b = self._tags_by_span(comparison.right.article_id)
        comparison.differing = {
            i
            for i, p in enumerate(comparison.pairs)
            if _tags_over(tags_a, p.a_start, p.a_end) != _tags_over(tags_b, p.b_start, p.b_end)
        }
        for pane, side in ((comparison.left, "a"), (comparison.right, "b")):
            spans = [comparison.span(i, side) for i in range(len(comparison.pairs))]
            pane.set_marks("aligned", spans)
            pane.set_marks("differ", [comparison.span(i, side) for i in comparison.differing])

    def _tags_by_span(self, article_id: str) -> list[tuple[int, int, str]]:
        return [
            (a.start, a.end, a.tag) for a in self.store.annotations(article_id) if not a.orphaned
        ]

    def follow_cursor(self, pane: ReadingPane) -> None:
        """Mark the partner of the passage under ``pane``'s cursor and scroll it into view."""
        comparison = self.comparison
        if comparison is None or comparison.side(pane) is None:
            return
        index = comparison.pair_at(pane, pane.cursor)
        comparison.current = index
        side = comparison.side(pane)
        other, other_side = (comparison.right, "b") if side == "a" else (comparison.left, "a")
        if index is None:
            other.set_marks("partner", [])
            pane.set_marks("partner", [])
            return
        start, end = comparison.span(index, other_side)
        other.set_marks("partner", [(start, end)])
        pane.set_marks("partner", [comparison.span(index, side or "a")])
        other.scroll_to_offset(start)

    def step_pair(self, direction: int) -> None:
        comparison = self.comparison
        pane = self.focused
        if comparison is None or not isinstance(pane, ReadingPane) or comparison.side(pane) is None:
            self.notify("Not comparing: press c in one of two open panes", severity="warning")
            return
        side = comparison.side(pane) or "a"
        order = comparison.ordered(side)
        if not order:
            self.notify("No aligned passages", severity="warning")
            return
        starts = [comparison.span(i, side)[0] for i in order]
        if direction > 0:
            position = bisect.bisect_right(starts, pane.cursor)
            position = position if position < len(order) else 0
        else:
            position = bisect.bisect_left(starts, pane.cursor) - 1
            position = position if position >= 0 else len(order) - 1
        index = order[position]
        pane.move_to(comparison.span(index, side)[0])
        pane.scroll_to_offset(pane.cursor)
        other, other_side = (comparison.right, "b") if side == "a" else (comparison.left, "a")
        other.move_to(comparison.span(index, other_side)[0])
        self.follow_cursor(pane)

    def action_next_pair(self) -> None:
        self.step_pair(+1)

    def action_previous_pair(self) -> None:
        self.step_pair(-1)

    def action_copy_to_partner(self) -> None:
        comparison = self.comparison
        pane = self.focused
        if comparison is None or not isinstance(pane, ReadingPane) or comparison.side(pane) is None:
            raise SkipAction()
        under = pane.current_highlights()
        index = comparison.pair_at(pane, pane.cursor)
        if not under or index is None:
            self.notify(
                "Put the cursor on a tagged passage that has an aligned partner", severity="warning"
            )
            return
        source = self.store.get(under[0].annotation_id)
        side = comparison.side(pane)
        other = comparison.right if side == "a" else comparison.left
        start, end = comparison.span(index, "b" if side == "a" else "a")
        article = self.corpus.get(other.article_id)
        if source is None or article is None:
            return
        there = [
            a
            for a in self.store.annotations(other.article_id)
            if a.start < end and start < a.end and not a.orphaned
        ]
        if any(a.tag == source.tag and (a.start, a.end) == (start, end) for a in there):
            self.notify(f"The aligned passage is already tagged {source.tag}", timeout=3)
            return
        try:
            added = self.store.add(
                other.article_id,
                source.tag,
                start,
                end,
                article.body,
                article.sha256,
                note=source.note,
            )
        except StoreError as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=8)
            return
        self._record(Change(f"copy {source.tag} to partner", None, added))
        others = sorted({a.tag for a in there} - {source.tag})
        also = f" (it also has: {', '.join(others)})" if others else ""
        self.notify(f"Copied {source.tag} to the aligned passage{also} · u undoes", timeout=4)

    # -- find in the focused article ------------------------------------------------------
    def find_bar(self) -> Input | None:
        """The find bar, once it was first asked for (it is not composed at start-up)."""
        found = self.query("#find-bar")
        return found.first(Input) if found else None

    async def action_find(self) -> None:
        pane = self.focused if isinstance(self.focused, ReadingPane) else self._active
        if pane is None:
            self.notify("Open an article first (ctrl+f searches all articles)", severity="warning")
            return
        bar = self.find_bar()
        if bar is None:
            bar = SafeInput(
                id="find-bar",
                placeholder="find in this article "
                "(case and accents ignored) · enter: back to the text, n/N step",
            )
            await self.mount(bar, before="#status")
        bar.remove_class("-hidden")
        bar.value = self.finding.query if self.finding and self.finding.pane is pane else ""
        self._find_pane = pane
        bar.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "find-bar":
            self.find_in_pane(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "find-bar":
            self.close_find_bar()

    def close_find_bar(self) -> None:
        bar = self.find_bar()
        if bar is not None:
            bar.add_class("-hidden")
        pane = getattr(self, "_find_pane", None)
        if pane is not None and pane.is_attached:
            pane.focus()

    def find_in_pane(self, query: str) -> None:
        pane = getattr(self, "_find_pane", None)
        if pane is None or not pane.is_attached:
            return
        from reader.search import compile_query

        pattern = compile_query(query)
        if pattern is None:
            self.clear_finding()
            return
        hits: list[tuple[int, int]] = []
        for match in pattern.finditer(pane.body):
            hits.append(match.span())
            if len(hits) >= MAX_MARKED_HITS:
                break
        self.finding = Finding(pane, query, pattern, hits)
        self.refresh_bindings()  # n/N step through the hits now
        pane.set_marks("find", hits)
        first = pattern.search(pane.body, pane.cursor) or pattern.search(pane.body)
        if first is not None:
            pane.move_to(first.start())
            pane.scroll_to_offset(first.start())
        more = "+" if len(hits) >= MAX_MARKED_HITS else ""
        bar = self.find_bar()
        if bar is not None:
            bar.border_title = f"{len(hits)}{more} matches"
        self._show_status()

    def clear_finding(self) -> None:
        if self.finding is not None and self.finding.pane.is_attached:
            self.finding.pane.set_marks("find", [])
        self.finding = None
        self.refresh_bindings()
        self._show_status()

    def step_hit(self, direction: int) -> None:
        finding = self.finding
        pane = self.focused
        if finding is None or pane is not finding.pane:
            raise SkipAction()  # no search here: `n` means "note" in the pane
        body = pane.body
        if direction > 0:
            match = finding.pattern.search(body, pane.cursor + 1) or finding.pattern.search(body)
        else:
            match = None
            window = 4096
            while True:
                begin = max(0, pane.cursor - window)
                found = list(finding.pattern.finditer(body, begin, pane.cursor))
                if found:
                    match = found[-1]
                    break
                if begin == 0:
                    tail = list(finding.pattern.finditer(body, pane.cursor + 1))
                    match = tail[-1] if tail else None  # wrap round to the last hit
                    break
                window *= 4
        if match is None:
            self.notify("No matches", severity="warning", timeout=2)
            return
        pane.move_to(match.start())
        pane.scroll_to_offset(match.start())

    def action_next_hit(self) -> None:
        self.step_hit(+1)

    def action_previous_hit(self) -> None:
        self.step_hit(-1)


def _tags_over(spans: list[tuple[int, int, str]], start: int, end: int) -> frozenset[str]:
    """The tags of annotations overlapping [start, end)."""
    return frozenset(tag for s, e, tag in spans if s < end and start < e)

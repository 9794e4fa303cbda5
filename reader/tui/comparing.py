"""Compare mode and find-in-article: the screen's side of them.

Compare mode lines up two open panes (`reader.services.sessions.Comparison`, by article id):
the partner of the passage under the cursor is marked in the other pane and scrolled into view,
`>`/`<` step through the pairs in both panes, `y` copies the tag (and note) under the cursor to
the partner, and pairs whose two sides carry different tags are marked. The alignment runs in a
thread worker that shows its progress on the status line and stops at once when cancelled
(`c` again, escape) or when the app quits. Find (`/`) marks every
hit in the focused article; `n`/`N` step through them while a find is active (otherwise `n`
edits a note).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.actions import SkipAction
from textual.widgets import Input
from textual.worker import get_current_worker

from reader.services.annotations import Refused
from reader.services.sessions import MAX_ALIGN_CHARS, Comparison, Finding, align
from reader.store import StoreError
from reader.tui.widgets.reading_pane import ReadingPane
from reader.tui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from textual.timer import Timer

    from reader.align import Pair
    from reader.tui.app import ReaderApp

PROGRESS_SHOWN_EVERY = 0.25  # seconds


@dataclass
class Alignment:
    """An alignment under way: what it lines up, how far it is, and its cancel flag (set from
    the screen, read by the thread that aligns)."""

    left: str
    right: str
    cancel: threading.Event = field(default_factory=threading.Event)
    step: str = "starting"
    done: int = 0
    total: int = 0
    timer: Timer | None = None

    def told(self, step: str, done: int, total: int) -> None:
        """From the aligning thread: plain assignments, drawn by the screen's timer."""
        self.step, self.done, self.total = step, done, total

    def text(self) -> str:
        from reader.align import STEPS

        number = STEPS.index(self.step) + 1 if self.step in STEPS else 0
        where = f" {number}/{len(STEPS)}: {self.step}" if number else f": {self.step}"
        if self.step == STEPS[1] and self.total:
            where += f" {self.done:,} of {self.total:,}"
        if self.total:
            share = 100 * self.done / self.total
            where += f" ({share:.1f}%)" if share < 10 else f" ({int(share)}%)"
        return f"Aligning{where} · c/esc cancels"  # short: it fits in 80 columns


class Comparing:
    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        self.comparison: Comparison | None = None
        self.finding: Finding | None = None
        self._find_pane: ReadingPane | None = None
        #: the alignment under way, if any
        self.aligning: Alignment | None = None

    def pane_of(self, article_id: str) -> ReadingPane | None:
        for pane in self.app.panes:
            if pane.article_id == article_id:
                return pane
        return None

    def _focused_pane(self) -> ReadingPane | None:
        focused = self.app.focused
        return focused if isinstance(focused, ReadingPane) else None

    # -- compare mode -------------------------------------------------------------------------
    def toggle(self) -> None:
        app = self.app
        if self.cancel_alignment():
            return
        if self.comparison is not None:
            self.stop()
            app.notify("Compare mode off", timeout=2)
            return
        focused = self._focused_pane() or app.active_pane
        others = [p for p in reversed(app.focus_order) if p is not focused and p.is_attached]
        others += [p for p in app.panes if p is not focused and p not in others]
        others = [p for p in others if p.display]  # a pane out of view is not compared
        if focused is None or not others:
            app.notify("Open two articles side by side to compare them", severity="warning")
            return
        left, right = sorted([focused, others[0]], key=lambda p: p.region.x)
        longest = max((left, right), key=lambda p: len(p.body))
        if len(longest.body) > MAX_ALIGN_CHARS:
            app.notify(
                f"{longest.article_id} is too long to align: {len(longest.body):,} characters, "
                f"{MAX_ALIGN_CHARS:,} at most",
                severity="warning",
            )
            return
        job = Alignment(left.article_id, right.article_id)
        bodies = left.body, right.body

        def work() -> None:
            worker = get_current_worker()  # cancelled by the app when it quits

            def cancelled() -> bool:
                return job.cancel.is_set() or worker.is_cancelled

            try:
                pairs = align(*bodies, cancelled=cancelled, progress=job.told)
            except Exception as exc:  # said to the user, never a traceback
                if not cancelled():
                    app.call_from_thread(self._failed, job, exc)
                return
            if pairs is not None and not cancelled():
                app.call_from_thread(self._aligned, job, pairs)

        self.aligning = job
        job.timer = app.set_interval(PROGRESS_SHOWN_EVERY, app.show_status)
        app.show_status()
        app.run_worker(work, thread=True, exclusive=True, group="align")

    def _aligned(self, job: Alignment, pairs: list[Pair]) -> None:
        if job is not self.aligning:
            return  # cancelled meanwhile
        self._end_alignment()
        self.start(job.left, job.right, pairs)

    def _failed(self, job: Alignment, exc: Exception) -> None:
        if job is self.aligning:
            self._end_alignment()
            self.app.notify(f"Could not align: {exc!r}", severity="error", timeout=8)

    def _end_alignment(self) -> Alignment | None:
        job, self.aligning = self.aligning, None
        if job is not None:
            job.cancel.set()
            if job.timer is not None:
                job.timer.stop()
            self.app.show_status()
        return job

    def cancel_alignment(self, why: str = "Alignment cancelled") -> bool:
        """Stop the alignment under way (the thread stops at its next check); whether there
        was one."""
        if self._end_alignment() is None:
            return False
        self.app.notify(why, timeout=3)
        return True

    def start(self, left: str, right: str, pairs: list[Pair]) -> None:
        app = self.app
        panes = self.pane_of(left), self.pane_of(right)
        if panes[0] is None or panes[1] is None:
            return
        self.comparison = Comparison(left, right, pairs)
        app.refresh_bindings()  # the compare keys work now: show them
        self.refresh()
        differing = len(self.comparison.differing)
        note = f"; {differing} coded differently" if differing else ""
        app.notify(
            f"Compare mode: {len(pairs)} aligned passages{note} · > < step · "
            "y copy tag to partner · c off",
            timeout=6,
        )
        self.follow_cursor(self._focused_pane() or panes[0])

    def stop(self) -> None:
        comparison, self.comparison = self.comparison, None
        if comparison is None:
            return
        self.app.refresh_bindings()
        for article_id in (comparison.left, comparison.right):
            pane = self.pane_of(article_id)
            if pane is not None:
                for kind in ("aligned", "differ", "partner"):
                    pane.set_marks(kind, [])
        self.app.show_status()

    def closing(self, pane: ReadingPane) -> None:
        """``pane`` is about to close: compare mode and its find end with it."""
        if self.comparison is not None and self.comparison.side(pane.article_id) is not None:
            self.stop()
        job = self.aligning
        if job is not None and pane.article_id in (job.left, job.right):
            self.cancel_alignment("Alignment cancelled: its pane was closed")
        if self.finding is not None and self.finding.article_id == pane.article_id:
            self.finding = None
        if self._find_pane is pane:
            self._find_pane = None

    def refresh(self) -> None:
        """Recompute which pairs are coded differently and mark every aligned passage."""
        comparison = self.comparison
        if comparison is None:
            return
        of = self.app.annotations.annotations_of
        comparison.mark_differing(of(comparison.left), of(comparison.right))
        for article_id, side in ((comparison.left, "a"), (comparison.right, "b")):
            pane = self.pane_of(article_id)
            if pane is not None:
                pane.set_marks("aligned", comparison.spans(side))
                pane.set_marks("differ", comparison.spans(side, comparison.differing))

    def follow_cursor(self, pane: ReadingPane) -> None:
        """Mark the partner of the passage under ``pane``'s cursor and scroll it into view."""
        comparison = self.comparison
        if comparison is None:
            return
        side = comparison.side(pane.article_id)
        other = self.pane_of(comparison.partner(pane.article_id))
        if side is None or other is None:
            return
        index = comparison.pair_at(pane.article_id, pane.cursor)
        comparison.current = index
        if index is None:
            other.set_marks("partner", [])
            pane.set_marks("partner", [])
            return
        start, end = comparison.span(index, "b" if side == "a" else "a")
        other.set_marks("partner", [(start, end)])
        pane.set_marks("partner", [comparison.span(index, side)])
        other.scroll_to_offset(start)

    def step_pair(self, direction: int) -> None:
        comparison, pane = self.comparison, self._focused_pane()
        if comparison is None or pane is None or comparison.side(pane.article_id) is None:
            self.app.notify("Not comparing: press c in one of two open panes", severity="warning")
            return
        index = comparison.step(pane.article_id, pane.cursor, direction)
        if index is None:
            self.app.notify("No aligned passages", severity="warning")
            return
        side = comparison.side(pane.article_id) or "a"
        pane.move_to(comparison.span(index, side)[0])
        pane.scroll_to_offset(pane.cursor)
        other = self.pane_of(comparison.partner(pane.article_id))
        if other is not None:
            other.move_to(comparison.span(index, "b" if side == "a" else "a")[0])
        self.follow_cursor(pane)

    def copy_to_partner(self) -> None:
        app = self.app
        comparison, pane = self.comparison, self._focused_pane()
        if comparison is None or pane is None or comparison.side(pane.article_id) is None:
            raise SkipAction()
        under = pane.current_highlights()
        index = comparison.pair_at(pane.article_id, pane.cursor)
        if not under or index is None:
            app.notify(
                "Put the cursor on a tagged passage that has an aligned partner", severity="warning"
            )
            return
        side = comparison.side(pane.article_id)
        article = app.corpus.get(comparison.partner(pane.article_id))
        if article is None:
            return
        start, end = comparison.span(index, "b" if side == "a" else "a")
        try:
            others = app.annotations.copy(under[0].annotation_id, article, start, end)
        except Refused as why:
            app.notify(str(why), timeout=3)
            return
        except StoreError as exc:
            app.notify(f"Not saved: {exc}", severity="error", timeout=8)
            return
        also = f" (it also has: {', '.join(others)})" if others else ""
        app.notify(f"Copied {under[0].tag} to the aligned passage{also} · u undoes", timeout=4)

    # -- find in the focused article ------------------------------------------------------
    def find_bar(self) -> Input | None:
        """The find bar, once it was first asked for (it is not composed at start-up)."""
        found = self.app.query("#find-bar")
        return found.first(Input) if found else None

    async def open_find(self) -> None:
        app = self.app
        pane = self._focused_pane() or app.active_pane
        if pane is None:
            app.notify("Open an article first (ctrl+f searches all articles)", severity="warning")
            return
        bar = self.find_bar()
        if bar is None:
            bar = SafeInput(
                id="find-bar",
                placeholder="find in this article "
                "(case and accents ignored) · enter: back to the text, n/N step",
            )
            await app.mount(bar, before="#status")
        bar.remove_class("-hidden")
        finding = self.finding
        bar.value = finding.query if finding and finding.article_id == pane.article_id else ""
        self._find_pane = pane
        bar.focus()

    def close_find_bar(self) -> None:
        bar = self.find_bar()
        if bar is not None:
            bar.add_class("-hidden")
        pane = self._find_pane
        if pane is not None and pane.is_attached:
            pane.focus()

    def find(self, query: str) -> None:
        pane = self._find_pane
        if pane is None or not pane.is_attached:
            return
        finding = Finding.of(pane.article_id, pane.body, query)
        if finding is None:
            self.clear_finding()
            return
        self.finding = finding
        self.app.refresh_bindings()  # n/N step through the hits now
        pane.set_marks("find", finding.hits)
        first = finding.first_from(pane.body, pane.cursor)
        if first is not None:
            pane.move_to(first)
            pane.scroll_to_offset(first)
        bar = self.find_bar()
        if bar is not None:
            n = len(finding.hits)
            bar.border_title = (
                f"{n}{'+' if finding.capped else ''} {'match' if n == 1 else 'matches'}"
            )
        self.app.show_status()

    def escape_find(self, pane: ReadingPane) -> bool:
        """Escape in ``pane``: clear its find, if it has one, and say where that leaves the
        cursor (and a pending re-attach, which waits on); whether there was a find."""
        finding = self.finding
        if finding is None or not self.finding_in(pane):
            return False
        on_match = finding.index_at(pane.cursor) is not None
        self.clear_finding()
        where = "; the cursor stays on the match" if on_match else ""
        if self.app.pending_reattach is not None:  # it waits: the status line says so
            then = " · escape again cancels the re-attach"
        else:
            then = " · escape again: back to the list"
        self.app.notify(f"Find cleared{where}{then}", timeout=4)
        return True

    def clear_finding(self) -> None:
        if self.finding is not None:
            pane = self.pane_of(self.finding.article_id)
            if pane is not None:
                pane.set_marks("find", [])
        self.finding = None
        self.app.refresh_bindings()
        self.app.show_status()

    def finding_in(self, pane: object) -> bool:
        """Whether a find is active in ``pane`` (n/N step through it there)."""
        return (
            self.finding is not None
            and isinstance(pane, ReadingPane)
            and pane.article_id == self.finding.article_id
        )

    def step_hit(self, direction: int) -> None:
        pane = self._focused_pane()
        if self.finding is None or pane is None or not self.finding_in(pane):
            raise SkipAction()  # no find here: `n` means "note" in the pane
        start = self.finding.step(pane.body, pane.cursor, direction)
        if start is None:
            self.app.notify("No matches", severity="warning", timeout=2)
            return
        pane.move_to(start)
        pane.scroll_to_offset(start)

"""The reading pane's cursor and selection motion: the keys that move the cursor (by
character, line, word, sentence, paragraph, page, annotation) or select (a sentence, a
paragraph, v to anchor), and the mouse (click, drag to select, the scrollbar). Each ends in
the pane's ``_move`` or ``_set_cursor``; what the cursor's place means is the pane's affair.

A mixin of `ReadingPane` only (it uses the pane's state and its view, `PaneView`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from textual import events

from reader.text import layout
from reader.tui.widgets.pane_view import PaneView


class PaneMotion(PaneView):
    """Actions and mouse handlers that move the pane's cursor and selection."""

    if TYPE_CHECKING:  # given by ReadingPane
        selection_anchor: int | None

        def _move(self, offset: int, extend: bool = False, *, keep_x: bool = False) -> None: ...
        def _set_cursor(self, offset: int, *, keep_x: bool = False) -> None: ...
        def _hint(self, text: str) -> None: ...

    def _init_motion(self) -> None:
        self._goal_x: int | None = None  # the column kept while moving up and down
        self._drag_from: int | None = None  # where a drag to select began
        self._bar_drag = False  # the scrollbar's thumb is being dragged

    # -- motion

    def action_cursor_left(self, extend: bool = False) -> None:
        self._move(layout.prev_boundary(self.body, self.cursor), extend)

    def action_cursor_right(self, extend: bool = False) -> None:
        self._move(layout.next_boundary(self.body, self.cursor), extend)

    def _vertical(self, lines: int, extend: bool) -> None:
        index = self._ensure_index()
        if index is None:
            return
        if self._goal_x is None:
            self._goal_x = index.x_of(self.cursor)
        y = index.line_of(self.cursor) + lines
        if y < 0:
            target = 0
        elif y >= index.estimated_lines():
            target = len(self.body)
        else:
            target = index.offset_at(y, self._goal_x)
        self._move(target, extend, keep_x=True)

    def action_cursor_up(self, extend: bool = False) -> None:
        self._vertical(-1, extend)

    def action_cursor_down(self, extend: bool = False) -> None:
        self._vertical(1, extend)

    def action_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=max(0, round(self.scroll_y) + direction * page), animate=False)
        self._vertical(direction * page, False)

    def action_word(self, direction: int) -> None:
        step = layout.next_word_start if direction > 0 else layout.prev_word_start
        self._move(step(self.body, self.cursor))

    def action_sentence(self, direction: int) -> None:
        step = layout.next_sentence_start if direction > 0 else layout.prev_sentence_start
        self._move(step(self.body, self.cursor))

    def action_paragraph(self, direction: int) -> None:
        step = layout.next_paragraph_start if direction > 0 else layout.prev_paragraph_start
        self._move(step(self.body, self.cursor))

    def action_line_edge(self, end: bool, extend: bool = False) -> None:
        """`home` / `end`: the start or the end of the visual line (as drawn, after wrapping)."""
        index = self._ensure_index()
        if index is None:
            return
        y = index.line_of(self.cursor)
        self._move(index.last_offset(y) if end else index.line_span(y)[0], extend)

    def action_start(self) -> None:
        self._move(0)

    def action_end(self) -> None:
        self._move(len(self.body))

    def action_highlight(self, direction: int) -> None:
        starts = self._highlights.starts
        if direction > 0:
            i = bisect_right(starts, self.cursor)
            if i < len(starts):
                self._move(starts[i])
                return
            self._hint("No annotation after the cursor")
        else:
            i = bisect_left(starts, self.cursor) - 1
            if i >= 0:
                self._move(starts[i])
                return
            self._hint("No annotation before the cursor")

    # -- selection

    def action_toggle_selection(self) -> None:
        self.selection_anchor = self.cursor if self.selection_anchor is None else None
        self._set_cursor(self.cursor, keep_x=True)

    def _select_span(self, span: tuple[int, int], what: str) -> None:
        if span[0] >= span[1]:
            self._hint(f"No {what} under the cursor")
            return
        self.selection_anchor = span[0]
        self._set_cursor(span[1])

    def action_select_sentence(self) -> None:
        self._select_span(layout.sentence_at(self.body, self.cursor), "sentence")

    def action_select_paragraph(self) -> None:
        self._select_span(layout.paragraph_at(self.body, self.cursor), "paragraph")

    # -- mouse

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        index = self._ensure_index()
        if index is None:
            return None
        at = event.get_content_offset_capture(self)
        return index.offset_at(round(self.scroll_y) + max(0, at.y), max(0, at.x))

    def _on_bar(self, event: events.MouseEvent) -> bool:
        return event.get_content_offset_capture(self).x >= self._content_region().width - 1

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button == 1 and self._on_bar(event) and self._bar() != (0, 0):
            self._bar_drag = True
            self.capture_mouse()
            self._scroll_by_bar(event.get_content_offset_capture(self).y)
            return
        if event.button != 1 or (offset := self._offset_at(event)) is None:
            return
        self.focus()
        self.selection_anchor = None
        self._drag_from = offset
        self.capture_mouse()
        self._set_cursor(offset)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._bar_drag:
            self._scroll_by_bar(event.get_content_offset_capture(self).y)
            return
        if self._drag_from is None or (offset := self._offset_at(event)) is None:
            return
        self.selection_anchor = self._drag_from if offset != self._drag_from else None
        self._set_cursor(offset)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._bar_drag:
            self._bar_drag = False
            self.release_mouse()
        if self._drag_from is not None:
            self._drag_from = None
            self.release_mouse()

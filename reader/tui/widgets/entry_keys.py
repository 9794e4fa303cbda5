"""An EntryList's keys and mouse: up/down/page/home/end move the highlight, enter or a click
selects (``EntryList.Selected``), and the list's own scrollbar is clicked and dragged.

A mixin of `EntryList` only (it moves the highlight EntryList keeps).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView

from reader.tui.widgets.scrolling import Scrollbar

# A plain class at run time (EntryList puts ScrollView after it); a ScrollView to the checker.
if TYPE_CHECKING:
    _Base = ScrollView
else:
    _Base = object


class EntryKeys(_Base):
    """Actions and mouse handlers of an EntryList."""

    if TYPE_CHECKING:  # given by EntryList
        items: list[Any]
        _highlighted: int | None
        _bar_drag: bool
        _scrollbar: Scrollbar

        Selected: Any  # EntryList.Selected, the message posted on enter or a click

        def item_id(self, item: Any) -> str | None: ...
        def entry_rows(self, index: int) -> tuple[int, int]: ...
        def entry_at(self, row: int) -> tuple[int, int] | None: ...
        def _inner_size(self) -> Size: ...
        @property
        def highlighted(self) -> int | None: ...
        @highlighted.setter
        def highlighted(self, index: int | None) -> None: ...

    # -- keys and mouse ---------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        if not self.items:
            return
        current = self._highlighted
        self.highlighted = 0 if current is None else current + step

    def action_page(self, direction: int) -> None:
        if not self.items:
            return
        current = self._highlighted or 0
        start, _ = self.entry_rows(current)
        height = max(1, self.scrollable_content_region.height)
        found = self.entry_at(max(0, start + direction * height))
        if found is None:
            self.highlighted = len(self.items) - 1 if direction > 0 else 0
        elif found[0] == current:
            self.highlighted = current + direction
        else:
            self.highlighted = found[0]

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = len(self.items) - 1

    def action_select(self) -> None:
        index = self._highlighted
        if index is not None:
            self.post_message(self.Selected(self, index, self.item_id(self.items[index])))

    def _on_bar(self, event: events.MouseEvent) -> bool:
        return event.get_content_offset_capture(self).x >= self._inner_size().width - 1

    def _scroll_by_bar(self, event: events.MouseEvent) -> None:
        row, height = event.get_content_offset_capture(self).y, self._inner_size().height
        self._scrollbar.scroll_to_row(self, row, height, self.virtual_size.height)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button == 1 and self._on_bar(event) and self.max_scroll_y > 0:
            event.stop()
            self._bar_drag = True
            self.capture_mouse()
            self._scroll_by_bar(event)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._bar_drag:
            self._scroll_by_bar(event)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._bar_drag:
            self._bar_drag = False
            self.release_mouse()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.x >= self._inner_size().width - 1:  # not the scrollbar
            return
        found = self.entry_at(round(self.scroll_y) + offset.y)
        if found is None:
            return
        event.stop()
        index = found[0]
        item_id = self.item_id(self.items[index])
        self.highlighted = index
        self.post_message(self.Selected(self, index, item_id))

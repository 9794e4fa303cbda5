"""The row the reading panes sit in, and the one-line strip above it that names every open pane
when more are open than the window shows side by side (the hidden ones too, so none is lost).

Neither decides which panes are shown: `reader.tui.panes` does, and tells the strip what to say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.containers import Horizontal
from textual.events import Click, Resize
from textual.message import Message
from textual.widget import Widget

from reader.text import untrusted

#: The keys that bring the next / previous open pane into view (see reader.tui.keys).
SWITCH_HINT = "alt+←/→ or ctrl+pgup/pgdn: switch"


@dataclass(frozen=True)
class Entry:
    """One open pane as the strip names it."""

    pane_id: str
    title: str  # untrusted: the article's title
    state: str  # "active" (the pane the status line is about), "shown" or "hidden"


class PaneRow(Horizontal):
    """The reading panes side by side; says when its width changed (a resize, the list or the
    annotations panel shown or hidden, Textual's keys panel docked beside it)."""

    def __init__(self, resized: Callable[[], None], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._resized = resized

    def on_resize(self, event: Resize) -> None:
        self._resized()


class PaneStrip(Widget):
    """``1 Title │ 2 Title │ ◌ 3 Title (hidden)  ·  keys``: every open pane, left to right."""

    @dataclass
    class Chosen(Message):
        """The user clicked a pane's name in the strip."""

        pane_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.entries: list[Entry] = []
        self._spans: list[tuple[int, int, str]] = []  # cells [start, end) -> pane id

    def show_entries(self, entries: list[Entry]) -> None:
        if entries != self.entries:
            self.entries = entries
            self.set_class(any(e.state == "hidden" for e in entries), "-shown")
            self.refresh()

    def render(self) -> Text:
        return self._line(self.content_size.width)

    def _line(self, width: int) -> Text:
        entries = self.entries
        hidden = sum(e.state == "hidden" for e in entries)
        tail = f"  · {hidden} of {len(entries)} out of view · {SWITCH_HINT}"
        if len(tail) > width // 3:
            tail = "  alt+←/→"
        separator = " │ "
        room = max(0, width - len(tail)) - len(separator) * max(0, len(entries) - 1)
        each = max(6, room // max(1, len(entries)))
        text, self._spans = Text(no_wrap=True, overflow="ellipsis"), []
        for number, entry in enumerate(entries, 1):
            if number > 1:
                text.append(separator, style="dim")
            mark = "◌ " if entry.state == "hidden" else ""
            label = f"{mark}{number} "
            title = untrusted.line(entry.title, max(1, each - len(label)))
            start = text.cell_len
            style = {"active": "reverse bold", "shown": "bold", "hidden": "dim italic"}
            text.append(label + title, style=style[entry.state])
            self._spans.append((start, text.cell_len, entry.pane_id))
        text.append(tail, style="dim")
        return text

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for start, end, pane_id in self._spans:
            if start <= offset.x < end:
                self.post_message(self.Chosen(pane_id))
                return

"""ReadingPane: one article body with a cursor, a selection and tinted annotations (Line API).

The pane keeps the state (body, cursor, selection, highlights, marks) and its public API, and
tells the app what the user wants (annotation keys, messages). Its parts, beside it:

- pane_view: the lazy wrap index, scrolling, the rows drawn and their cache, the scrollbar;
- pane_lines: drawing one line of text (styles, tints, placeholders);
- pane_motion: the keys and mouse that move the cursor and the selection;
- highlights: the annotations and marked spans drawn over the text;
- pane_messages: the messages posted (``ReadingPane.Tagged`` and the others).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar, TypeAlias

from textual.binding import Binding, BindingType
from textual.scroll_view import ScrollView
from textual.signal import Signal

from reader.services.tagset import TAG_KEYS
from reader.text import layout, untrusted
from reader.tui.widgets import pane_messages
from reader.tui.widgets.highlights import (
    CHANGED_SPANS_REDRAWN,
    INCREMENTAL_CHANGES,
    MARK_STYLES,
    Highlight,
    HighlightIndex,
    MarkLayers,
    changed_spans,
)
from reader.tui.widgets.pane_motion import PaneMotion
from reader.tui.widgets.pane_view import BAR_COLUMNS

__all__ = ["BAR_COLUMNS", "MARK_STYLES", "Highlight", "HighlightIndex", "ReadingPane"]


def _binding(key: str, action: str, description: str, show: bool = False) -> Binding:
    name = re.sub(r"\W+", "_", action).strip("_")
    return Binding(key, action, description, show=show, id=f"reading_pane.{name}")


class ReadingPane(PaneMotion, ScrollView, can_focus=True):
    """Shows one article body; posts messages, never touches files or the database."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reading-pane--cursor",
        "reading-pane--selection",
        "reading-pane--control",
    }
    DEFAULT_CSS = """
    ReadingPane {
        height: 1fr;
        border: round $foreground 30%;
        padding: 0 0 0 1;
        overflow-x: hidden;
        overflow-y: hidden;  /* the pane draws its own scrollbar: see _bar() */
    }
    ReadingPane:focus { border: round $accent; }
    ReadingPane > .reading-pane--cursor { text-style: reverse; }
    ReadingPane > .reading-pane--selection { background: $primary 50%; }
    ReadingPane > .reading-pane--control { color: $warning; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        _binding("left", "cursor_left", "Left"),
        _binding("right", "cursor_right", "Right"),
        _binding("up", "cursor_up", "Up"),
        _binding("down", "cursor_down", "Down"),
        _binding("shift+left", "cursor_left(True)", "Select left"),
        _binding("shift+right", "cursor_right(True)", "Select right"),
        _binding("shift+up", "cursor_up(True)", "Select up"),
        _binding("shift+down", "cursor_down(True)", "Select down"),
        _binding("w", "word(1)", "Next word"),
        _binding("b", "word(-1)", "Previous word"),
        _binding(")", "sentence(1)", "Next sentence"),
        _binding("(", "sentence(-1)", "Previous sentence"),
        _binding("}", "paragraph(1)", "Next paragraph"),
        _binding("{", "paragraph(-1)", "Previous paragraph"),
        _binding("pagedown", "page(1)", "Page down"),
        _binding("pageup", "page(-1)", "Page up"),
        _binding("home", "line_edge(False)", "Line start"),
        _binding("end", "line_edge(True)", "Line end"),
        _binding("shift+home", "line_edge(False, True)", "Select to line start"),
        _binding("shift+end", "line_edge(True, True)", "Select to line end"),
        _binding("g,ctrl+home", "start", "Start"),
        _binding("G,ctrl+end", "end", "End"),
        _binding("v", "toggle_selection", "Select", show=True),
        _binding("s", "select_sentence", "Sentence", show=True),
        _binding("p", "select_paragraph", "Paragraph", show=True),
        # the keys a tag can have; which are live and what they say comes from set_tags
        *(_binding(key, f"tag('{key}')", f"Tag {key}", show=True) for key in TAG_KEYS),
        _binding("x,delete", "delete_annotation", "Delete", show=True),
        _binding("n", "note", "Note", show=True),
        # the same, also while a find is active (n/N then step through the matches)
        _binding("enter", "note", "Note", show=True),
        _binding("]", "highlight(1)", "Next annotation"),
        _binding("[", "highlight(-1)", "Previous annotation"),
        _binding("escape", "cancel", "Cancel / back", show=True),
    ]

    # -- messages (see pane_messages)

    Tagged: TypeAlias = pane_messages.Tagged
    AnnotationAction: TypeAlias = pane_messages.AnnotationAction
    Hint: TypeAlias = pane_messages.Hint
    Dismissed: TypeAlias = pane_messages.Dismissed
    CursorMoved: TypeAlias = pane_messages.CursorMoved

    # -- construction and state

    def __init__(
        self,
        article_id: str,
        body: str,
        *,
        title: str = "",
        subtitle: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.article_id = article_id
        self.body = body
        #: Published (at once, in the same screen update) whenever CursorMoved is posted: for
        #: a status line that should change in the same frame as the cursor.
        self.moved_signal: Signal[ReadingPane] = Signal(self, "moved")
        #: Published with each Tagged message, at once: the app writes the tag and redraws in
        #: the same screen update as the cleared selection (a posted message costs a frame).
        self.tagged_signal: Signal[ReadingPane.Tagged] = Signal(self, "tagged")
        self.cursor = 0
        self.selection_anchor: int | None = None
        #: tag key -> tag name, for the keys that tag (the app gives its tag set: set_tags)
        self.tag_names: dict[str, str] = {key: f"Tag {key}" for key in TAG_KEYS}
        # untrusted text: never markup, controls and disputed emoji as the body shows them
        self.border_title = untrusted.text(title)
        self.border_subtitle = untrusted.text(subtitle)
        self._highlights = HighlightIndex([])
        self._marks = MarkLayers()
        self._shown_selection: tuple[int, int] | None = None
        self._init_view()
        self._init_motion()
        self._last_report: tuple[int, tuple[int, int] | None, bool] = (0, None, False)

    @property
    def selection(self) -> tuple[int, int] | None:
        """``(start, end)`` of the selection, ordered and non-empty, or None."""
        if self.selection_anchor is None or self.selection_anchor == self.cursor:
            return None
        return (min(self.selection_anchor, self.cursor), max(self.selection_anchor, self.cursor))

    @property
    def selecting(self) -> bool:
        """A selection was started (v, shift+arrows, a drag) and not ended; it may be empty."""
        return self.selection_anchor is not None

    @property
    def drawn_selection(self) -> tuple[int, int] | None:
        """The span drawn as selected: the selection; just after ``v``, the cursor's cell (so
        that starting a selection shows at once)."""
        sel = self.selection
        if sel is None and self.selection_anchor is not None and self.cursor < len(self.body):
            return (self.cursor, layout.next_boundary(self.body, self.cursor))
        return sel

    @property
    def allow_vertical_scroll(self) -> bool:
        """The mouse wheel scrolls (Textual allows it only with its own scrollbar shown)."""
        return self.max_scroll_y > 0 and not self.disabled

    @property
    def wrapped(self) -> bool:
        """True once the whole body is wrapped at the current width (no background work left)."""
        return self._index is not None and self._index.complete

    def set_marks(self, layer: str, spans: list[tuple[int, int]]) -> None:
        """Mark spans of one layer (find, aligned, differ, partner); [] clears the layer.

        Spans of a layer must not overlap each other (search hits and aligned passages do not).
        """
        if self._marks.set(layer, spans):
            self._invalidate()

    def marks(self, layer: str) -> list[tuple[int, int]]:
        return self._marks.spans(layer)

    def set_highlights(self, spans: list[Highlight]) -> None:
        """Replace the annotations drawn over the text. When few changed (a tag, a retag, a
        delete), only the lines they cover are drawn again."""
        held = self._highlights
        old = held.items
        # by identity: the app passes the same Highlight objects for unchanged annotations
        # (equal but new objects are taken as changed: drawn again, which is merely slower)
        old_ids, new_ids = {id(h) for h in old}, {id(h) for h in spans}
        added = [h for h in spans if id(h) not in old_ids]
        removed = [h for h in old if id(h) not in new_ids]
        if len(added) + len(removed) <= INCREMENTAL_CHANGES and len(new_ids) == len(spans):
            self.change_highlights(added, removed)
        else:
            self._highlights = HighlightIndex(list(spans))
            self._redraw_highlights(added + removed)

    def change_highlights(self, added: list[Highlight], removed: list[Highlight]) -> None:
        """Add and remove a few highlights (``removed``: the very objects drawn now), with no
        pass over the others: what a tag or a delete costs does not grow with the article's
        annotations."""
        held = self._highlights
        for h in removed:
            if not held.remove(h):
                raise ValueError(f"highlight {h.annotation_id} is not drawn in this pane")
        for h in added:
            held.add(h)
        self._redraw_highlights(added + removed)

    def _redraw_highlights(self, changed: list[Highlight]) -> None:
        index = self._index
        if not changed:
            return
        if len(changed) > CHANGED_SPANS_REDRAWN or index is None:
            self._invalidate()
            return
        lines: set[int] = set()
        for h in changed:
            first, last = index.line_of(h.start), index.line_of(max(h.start, h.end - 1))
            lines.update(range(first, last + 1))
        for key in [k for k in self._cache.keys() if k[0] in lines]:  # noqa: SIM118 - no __iter__
            self._cache.discard(key)
        self._refresh_offsets(index, min(h.start for h in changed), max(h.end for h in changed))

    def current_highlights(self) -> list[Highlight]:
        """Highlights under the cursor, innermost (then most recent) first."""
        return self._highlights.at(self.cursor)

    def move_to(self, offset: int, *, select_to: int | None = None) -> None:
        """Cursor to ``offset``, selection cleared; with ``select_to``, select offset..select_to."""
        offset = layout.snap(self.body, offset)
        if select_to is None:
            self.selection_anchor = None
            self._set_cursor(offset)
        else:
            self.selection_anchor = offset
            self._set_cursor(layout.snap(self.body, select_to))

    def select(self, start: int, end: int) -> None:
        """Select ``body[start:end]`` (cursor at ``end``) and scroll it into view."""
        self.move_to(start, select_to=end)

    # -- cursor

    def _set_cursor(self, offset: int, *, keep_x: bool = False) -> None:
        self.cursor = max(0, min(offset, len(self.body)))
        if not keep_x:
            self._goal_x = None
        index = self._ensure_index()
        if index is None:
            self.refresh()
        else:
            old_line, old_top, version = self._cursor_line, round(self.scroll_y), index.version
            self._cursor_line = index.line_of(self.cursor)
            self.scroll_to_offset(self.cursor, center=False)
            self._sync_view()
            if round(self.scroll_y) != old_top or index.version != version:
                self._repaint_text()
            else:  # repaint only the lines whose cursor or selection changed
                self.refresh_lines(old_line)
                self.refresh_lines(self._cursor_line)
                for a, b in changed_spans(self._shown_selection, self.drawn_selection):
                    self._refresh_offsets(index, a, b)
        self._shown_selection = self.drawn_selection
        report = (self.cursor, self.selection, self.selecting)
        if report != self._last_report:
            self._last_report = report
            self.post_message(self.CursorMoved(self, self.cursor, self.selection))
            self.moved_signal.publish(self)

    def _move(self, offset: int, extend: bool = False, *, keep_x: bool = False) -> None:
        if extend and self.selection_anchor is None:
            self.selection_anchor = self.cursor
        self._set_cursor(offset, keep_x=keep_x)

    def _hint(self, text: str) -> None:
        self.post_message(self.Hint(self, text))

    # -- annotation keys: what the user wants done, told to the app

    def set_tags(self, names: Mapping[str, str]) -> None:
        """Bind the tag keys to the tags that have them (key -> tag name); other keys do
        nothing and leave the key bar."""
        names = dict(names)
        if names != self.tag_names:
            self.tag_names = names
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tag":
            return bool(parameters) and parameters[0] in self.tag_names
        return True

    def describe_binding(self, binding: Binding) -> str:
        """What the key bar says for ``binding``: a tag key says its tag's name."""
        if binding.action.startswith("tag("):
            key = binding.action[5:-2]
            return self.tag_names.get(key, binding.description).capitalize()
        return binding.description

    def action_tag(self, key: str) -> None:
        sel = self.selection
        if sel is not None:
            tagged = self.Tagged(self, self.article_id, sel[0], sel[1], key)
            self.selection_anchor = None
            self._set_cursor(self.cursor, keep_x=True)
            self.post_message(tagged)
            self.tagged_signal.publish(tagged)
        elif self.selection_anchor is not None:
            self._hint("The selection is empty: move the cursor to extend it")
        elif highlights := self.current_highlights():
            self._annotation_action(highlights[0], "retag", key)
        else:
            self._hint("Select text first: v, s or p")

    def _annotation_action(self, h: Highlight, action: str, key: str | None = None) -> None:
        self.post_message(
            self.AnnotationAction(self, self.article_id, h.annotation_id, action, key)
        )

    def action_delete_annotation(self) -> None:
        if highlights := self.current_highlights():
            self._annotation_action(highlights[0], "delete")
        else:
            self._hint("No annotation under the cursor to delete")

    def action_note(self) -> None:
        if highlights := self.current_highlights():
            self._annotation_action(highlights[0], "note")
        else:
            self._hint("Put the cursor in an annotation to add a note")

    def action_cancel(self) -> None:
        if self.selection_anchor is not None:
            self.selection_anchor = None
            self._set_cursor(self.cursor, keep_x=True)
        else:
            self.post_message(self.Dismissed(self))

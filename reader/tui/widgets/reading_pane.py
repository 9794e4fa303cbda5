"""ReadingPane: one article body with a cursor, a selection and tinted annotations (Line API)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from time import perf_counter
from typing import ClassVar, TypeAlias

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.signal import Signal
from textual.strip import Strip
from textual.timer import Timer

from reader.tags import DEFAULT_TAGS
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
from reader.tui.widgets.pane_lines import Tints, render_text_line
from reader.tui.widgets.scrolling import Scrollbar, content_size, set_virtual_size

__all__ = ["BAR_COLUMNS", "MARK_STYLES", "Highlight", "HighlightIndex", "ReadingPane"]

_INDEX_SLICE = 0.008  # seconds of background wrapping per timer tick (keeps keys responsive)
_INDEX_TICK = 0.02  # seconds between background wrapping ticks
#: Columns right of the text: a blank one and the pane's scrollbar. The pane draws its own (in
#: the rows it draws anyway) instead of Textual's, which is a widget of its own that costs a
#: third of a screen update whenever the text scrolls.
BAR_COLUMNS = 2


def _binding(key: str, action: str, description: str, show: bool = False) -> Binding:
    name = re.sub(r"\W+", "_", action).strip("_")
    return Binding(key, action, description, show=show, id=f"reading_pane.{name}")


class ReadingPane(ScrollView, can_focus=True):
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
        _binding("g,ctrl+home", "start", "Start"),
        _binding("G,ctrl+end", "end", "End"),
        _binding("v", "toggle_selection", "Select", show=True),
        _binding("s", "select_sentence", "Sentence", show=True),
        _binding("p", "select_paragraph", "Paragraph", show=True),
        *(_binding(t.key, f"tag('{t.key}')", t.name.capitalize(), show=True) for t in DEFAULT_TAGS),
        _binding("x,delete", "delete_annotation", "Delete", show=True),
        _binding("n", "note", "Note", show=True),
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
        # untrusted text: never markup, controls and disputed emoji as the body shows them
        self.border_title = untrusted.text(title)
        self.border_subtitle = untrusted.text(subtitle)
        self._index: layout.WrapIndex | None = None
        self._cellmap: layout.CellMap | None = None
        self._highlights = HighlightIndex([])
        self._marks = MarkLayers()
        self._cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._tints = Tints(lambda: self.background_colors[1])
        self._generation = 0  # bumped when every cached line is stale
        self._cursor_line = 0
        self._index_version = 0  # the wrap index's numbering the view was placed with
        self._shown_selection: tuple[int, int] | None = None
        self._resync = False
        self._style_cache: tuple[int, Style, Style, Style, Style] | None = None
        self._scrollbar = Scrollbar()
        self._bar_drag = False
        self._region_cache: tuple[tuple[Size, int], Size] | None = None
        self._top_offset = 0  # body offset of the top line last drawn (keeps the view in place)
        self._goal_x: int | None = None
        self._drag_from: int | None = None
        self._indexer: Timer | None = None
        self._last_report: tuple[int, tuple[int, int] | None] = (0, None)

    @property
    def selection(self) -> tuple[int, int] | None:
        """``(start, end)`` of the selection, ordered and non-empty, or None."""
        if self.selection_anchor is None or self.selection_anchor == self.cursor:
            return None
        return (min(self.selection_anchor, self.cursor), max(self.selection_anchor, self.cursor))

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

    def scroll_to_offset(self, offset: int, center: bool = True) -> None:
        """Scroll so that the line holding ``offset`` is visible (centred by default)."""
        index = self._ensure_index()
        if index is None:
            return
        y = index.line_of(offset)
        top, height = round(self.scroll_y), max(1, self._content_region().height)
        self._sync_virtual_size(need=y + 1)
        if center:
            target = y - height // 2
        elif y < top:
            target = y
        elif y >= top + height:
            target = y - height + 1
        else:
            return
        self.scroll_to(y=max(0, target), animate=False)

    # -- layout and rendering

    def _ensure_index(self) -> layout.WrapIndex | None:
        """The wrap index for the current width. Only what is shown is wrapped at once (from
        the start, or around the cursor after a jump or a resize); the rest in background
        slices. Lines far from what is wrapped are numbered by estimate until it catches up."""
        width = self._text_width()
        if width > 0 and (self._index is None or self._index.width != width):
            old = self._index
            index = layout.WrapIndex(self.body, width, self._cellmap, lazy=True)
            self._index, self._cellmap = index, index.cellmap
            self._index_version = index.version
            self._cursor_line = index.line_of(self.cursor)
            self._sync_virtual_size(force=True)
            if old is not None:  # the same text at the top as before
                self.scroll_to(y=index.line_of(self._top_offset), animate=False)
            self._invalidate()
            if not index.complete and self._indexer is None and self.INDEX_SLICE > 0:
                self._indexer = self.set_interval(_INDEX_TICK, self._index_some_more)
        return self._index

    #: Seconds of background wrapping per tick; 0 wraps only on demand.
    INDEX_SLICE: ClassVar[float] = _INDEX_SLICE

    def _index_some_more(self) -> None:
        index = self._index
        if index is not None and not index.complete:
            index.build(deadline=perf_counter() + self.INDEX_SLICE)
            self._sync_view()
        if (index is None or index.complete) and self._indexer is not None:
            self._indexer.stop()
            self._indexer = None

    def _sync_view(self) -> None:
        """After the index renumbered lines: keep the top line's text at the top."""
        index = self._index
        if index is None:
            return
        self._resync = False
        if index.version != self._index_version:
            self._index_version = index.version
            self._generation += 1
            self._cursor_line = index.line_of(self.cursor)
            top = index.line_of(self._top_offset)
            self._sync_virtual_size(need=top + 1)
            if top != round(self.scroll_y):
                self.scroll_to(y=top, animate=False)
            self._repaint_text()
        self._sync_virtual_size()

    def _sync_virtual_size(self, force: bool = False, need: int = 0) -> None:
        """The scrollable height: exact once wrapped; before, an estimate with some headroom.

        A new height means a new layout of the whole screen (~10 ms), so while the estimate
        moves (background wrapping, jumps) the height stays put as long as it lies between the
        estimate and a few percent above it, and line ``need`` - 1 can be scrolled to. Rows
        past the real end, if any, are drawn blank until the wrap is complete."""
        index = self._index
        if index is None:
            return
        lines, old = index.estimated_lines(), self.virtual_size
        if index.complete:
            height = lines
        else:
            page = self._content_region().height
            height = old.height
            if force or not lines <= height <= lines + lines // 16 + 2 * page or height < need:
                height = max(need, lines + lines // 32 + page)
        size = Size(index.width, height)
        if size != old:
            set_virtual_size(self, size)
            self._scrollbar.repaint_changed(self, self._content_region().height, height)

    def on_resize(self, event: events.Resize) -> None:
        if self._ensure_index() is not None:
            self.scroll_to_offset(self.cursor, center=False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._tints.clear()
        self._generation += 1

    def _invalidate(self) -> None:
        """Draw every row of text again (highlights, marks or tints changed)."""
        self._generation += 1
        self._tints.clear()
        self._repaint_text()

    def _repaint_text(self) -> None:
        """Repaint the rows of text, not the border: its title and subtitle are costly to
        draw (~3 ms) and do not change when the text scrolls (refresh() would redo them)."""
        self.refresh(self.size.region)

    def on_focus(self, event: events.Focus) -> None:  # the border's colour changes too
        self._invalidate()
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self._invalidate()
        self.refresh()

    def on_unmount(self, event: events.Unmount) -> None:
        """Let go of the body and everything built on it: Textual may keep a removed widget
        object around for a while (a stale cache of its parent's children)."""
        if self._indexer is not None:
            self._indexer.stop()
            self._indexer = None
        self._index = self._cellmap = None
        self._cache.clear()
        self.body = ""

    def render_line(self, y: int) -> Strip:
        index = self._ensure_index()
        line_no = round(self.scroll_y) + y
        bar = self._bar()
        thumb = bar[0] <= y < bar[1]
        try:
            start, end, last = index.line_info(line_no) if index is not None else (0, -1, True)
        except IndexError:
            end = -1
        if index is None or end < 0:
            width = index.width if index is not None else self._text_width()
            return self._with_bar(Strip.blank(max(0, width), self._styles()[0]), y, bar)
        if y == 0:
            self._top_offset = start
        if index.version != self._index_version and not self._resync:
            self._resync = True  # lines were renumbered while drawing: place the view again
            self.call_after_refresh(self._sync_view)
        cursor = self.cursor if line_no == self._cursor_line else -1
        sel = self.selection
        if sel is not None:
            sel = (
                (max(sel[0], start), min(sel[1], end)) if sel[0] < end and sel[1] > start else None
            )
        key = (line_no, index.width, self._generation, index.version, cursor, sel, thumb)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_text_line(start, end, last, cursor, sel)
            strip = strip.adjust_cell_length(index.width, self._styles()[0])
            strip = self._with_bar(strip, y, bar)
            self._cache[key] = strip
        return strip

    # -- the scrollbar (drawn as the last column of every row)

    def _text_width(self) -> int:
        return self._content_region().width - BAR_COLUMNS

    def _with_bar(self, text: Strip, y: int, bar: tuple[int, int]) -> Strip:
        gap = Segment(" ", self._styles()[0])
        cell = self._scrollbar.cell(self, y, bar)
        return Strip([*text, gap, cell], text.cell_length + BAR_COLUMNS)

    def _bar(self) -> tuple[int, int]:
        """The rows of the scrollbar's thumb (see Scrollbar)."""
        height, total = self._content_region().height, self.virtual_size.height
        return self._scrollbar.thumb(self.scroll_y, height, total)

    def _scroll_by_bar(self, y: int) -> None:
        """Scroll so that the thumb is centred on row ``y`` (a click or drag on the bar)."""
        height, total = self._content_region().height, self.virtual_size.height
        self._scrollbar.scroll_to_row(self, y, height, total)

    def _content_region(self) -> Size:
        """The content's size: the outer size less border and padding (looked up again only
        when those change; ``scrollable_content_region`` finds the region on screen, which
        during a layout may still be the old one)."""
        key = (self.outer_size, self._generation)  # outer_size is a plain attribute: cheap
        if self._region_cache is None or self._region_cache[0] != key:
            self._region_cache = (key, content_size(self))
        return self._region_cache[1]

    def _styles(self) -> tuple[Style, Style, Style, Style]:
        """Base, cursor, selection and control styles (looked up once per style generation)."""
        cached = self._style_cache
        if cached is None or cached[0] != self._generation:
            cursor_style = self.get_component_rich_style("reading-pane--cursor", partial=True)
            if not self.has_focus:
                cursor_style = Style(underline=True)
            self._scrollbar.restyle()
            cached = self._style_cache = (
                self._generation,
                self.rich_style,
                cursor_style,
                self.get_component_rich_style("reading-pane--selection", partial=True),
                self.get_component_rich_style("reading-pane--control", partial=True),
            )
        return cached[1:]

    def _render_text_line(
        self, start: int, end: int, last: bool, cursor: int, sel: tuple[int, int] | None
    ) -> Strip:
        return render_text_line(
            self.body, start, end, last, cursor, sel, self._highlights, self._marks,
            self._styles(), self._tints.style,
        )  # fmt: skip

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
                for a, b in changed_spans(self._shown_selection, self.selection):
                    self._refresh_offsets(index, a, b)
        self._shown_selection = self.selection
        report = (self.cursor, self.selection)
        if report != self._last_report:
            self._last_report = report
            self.post_message(self.CursorMoved(self, *report))
            self.moved_signal.publish(self)

    def _refresh_offsets(self, index: layout.WrapIndex, a: int, b: int) -> None:
        """Repaint the visible lines holding ``body[a:b + 1]``."""
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        try:
            first = index.line_span(top)[0]
            last = index.line_span(top + height - 1)[1]
        except IndexError:
            last = len(self.body)
        a, b = max(a, first), min(b, last)
        if a <= b:
            y = index.line_of(a)
            self.refresh_lines(y, index.line_of(b) - y + 1)

    def _move(self, offset: int, extend: bool = False, *, keep_x: bool = False) -> None:
        if extend and self.selection_anchor is None:
            self.selection_anchor = self.cursor
        self._set_cursor(offset, keep_x=keep_x)

    def _hint(self, text: str) -> None:
        self.post_message(self.Hint(self, text))

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

    # -- selection and annotation keys

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

"""The reading pane's view: the lazy wrap index (only what is shown is wrapped at once, the
rest in background slices), the scrollable height, the rows drawn (`render_line`, its line
cache keyed by everything a row shows) and the scrollbar drawn in them.

A mixin of `ReadingPane` only: it draws the pane's body, cursor, selection, highlights and
marks, which the pane keeps (see reading_pane).
"""

from __future__ import annotations

from time import perf_counter
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from reader.text import layout
from reader.tui.widgets.highlights import HighlightIndex, MarkLayers
from reader.tui.widgets.pane_lines import Tints, render_text_line
from reader.tui.widgets.scrolling import Scrollbar, content_size, set_virtual_size

_INDEX_SLICE = 0.008  # seconds of background wrapping per timer tick (keeps keys responsive)
_INDEX_TICK = 0.02  # seconds between background wrapping ticks
#: Columns right of the text: a blank one and the pane's scrollbar. The pane draws its own (in
#: the rows it draws anyway) instead of Textual's, which is a widget of its own that costs a
#: third of a screen update whenever the text scrolls.
BAR_COLUMNS = 2

# A plain class at run time (ReadingPane puts ScrollView after it); a ScrollView to the checker.
if TYPE_CHECKING:
    _Base = ScrollView
else:
    _Base = object


class PaneView(_Base):
    """Wrapping, scrolling and drawing of the pane's rows."""

    if TYPE_CHECKING:  # given by ReadingPane
        body: str
        cursor: int
        _highlights: HighlightIndex
        _marks: MarkLayers

        @property
        def selection(self) -> tuple[int, int] | None: ...
        @property
        def drawn_selection(self) -> tuple[int, int] | None: ...

    def _init_view(self) -> None:
        self._index: layout.WrapIndex | None = None
        self._cellmap: layout.CellMap | None = None
        self._cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._tints = Tints(self._plain_colours)
        self._generation = 0  # bumped when every cached line is stale
        self._cursor_line = 0
        self._index_version = 0  # the wrap index's numbering the view was placed with
        self._resync = False
        self._style_cache: tuple[int, Style, Style, Style, Style] | None = None
        self._scrollbar = Scrollbar()
        self._region_cache: tuple[tuple[Size, int], Size] | None = None
        self._top_offset = 0  # body offset of the top line last drawn (keeps the view in place)
        self._indexer: Timer | None = None

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
        sel = self.drawn_selection
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

    def _plain_colours(self) -> tuple[Color, Color]:
        """The pane's background and text colours (black or white for a terminal default)."""
        _, _, background, text = self.colors
        dark = self.app.current_theme.dark
        if background.ansi is not None:
            background = Color(0, 0, 0) if dark else Color(255, 255, 255)
        if text.ansi is not None:
            text = Color(255, 255, 255) if dark else Color(0, 0, 0)
        return background, text

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

"""How an EntryList draws: each entry's rows rendered when first shown and cached per entry,
width and state (the highlighted entry unfolded, wrapped in full), each logical line wrapped or
cut with "…" and kept for when it is drawn again unchanged, the list's own scrollbar added as
the last cell of each row, and styles looked up again only when they may have changed.

A mixin of `EntryList` only: it draws the entries EntryList keeps and places (see entry_list).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.color import Color
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.tui.widgets import tints
from reader.tui.widgets.scrolling import Scrollbar

#: Cached rendered entries kept at most (a screen holds a few dozen).
CACHE_ENTRIES = 256
#: Wrapped lines kept at most (a line of an entry drawn again unchanged is not wrapped again).
LINES_KEPT = 1024
#: Rows kept with their scrollbar cell at most.
BARRED_KEPT = 1024

# A plain class at run time (EntryList puts ScrollView after it); a ScrollView to the checker.
if TYPE_CHECKING:
    _Base = ScrollView
else:
    _Base = object


def _rgb(colour: Color) -> tints.RGB:
    return (colour.r, colour.g, colour.b)


def _ansi_readable(style: Style) -> Style:
    """A style in the terminal's named colours (an ansi theme) whose text would not read on its
    background by their usual values (the terminal's default text on ANSI blue, as Textual
    8.2.0 draws a highlight): the text becomes black or bright white, whichever reads."""
    back, fore = style.bgcolor, style.color
    if back is None or back.is_default:
        return style
    r, g, b = back.get_truecolor()
    if fore is not None and not fore.is_default:
        fr, fg, fb = fore.get_truecolor()
        if tints.contrast((fr, fg, fb), (r, g, b)) >= tints.TEXT_CONTRAST:
            return style
    white = tints.contrast((255, 255, 255), (r, g, b)) >= tints.contrast((0, 0, 0), (r, g, b))
    return style + Style(color="bright_white" if white else "black")


class EntryDrawing(_Base):
    """Rendering, caching and restyling of an EntryList's rows."""

    if TYPE_CHECKING:  # given by EntryList
        RULE: ClassVar[bool]
        GUTTER: ClassVar[int]
        items: list[Any]
        placeholder: Text
        _highlighted: int | None
        _unfolded: tuple[Any, int, int, bool, list[Strip]] | None
        _cache: dict[Any, tuple[Any, int, int, bool, list[Strip]]]
        _generation: int
        _width_cache: tuple[tuple, Size] | None
        _scrollbar: Scrollbar

        def item_id(self, item: Any) -> str | None: ...
        def item_lines(self, item: Any) -> list[Text | tuple[Text, int]]: ...
        def index_of(self, item_id: str | None) -> int | None: ...
        def entry_rows(self, index: int) -> tuple[int, int]: ...
        def entry_at(self, row: int) -> tuple[int, int] | None: ...
        def _width(self) -> int: ...
        def _inner_size(self) -> Size: ...
        def _sync_size(self) -> None: ...
        @property
        def highlighted_id(self) -> str | None: ...

    def _init_drawing(self) -> None:
        self._style_sig: tuple[Style, Style, Style, Style] | None = None
        self._style_stale = True
        self._lines: dict[tuple, list[Strip]] = {}  # see _strip
        #: (id(row), id(cell)) -> (row, its scrollbar cell, the two as one strip): the same
        #: object each time
        self._barred: dict[tuple[int, int], tuple[Strip, Segment, Strip]] = {}

    def redraw(self, item_ids: Iterable[str] | None = None) -> None:
        """The items are the same, what they show changed (counts, say): draw them again (only
        the entries ``item_ids``, when given)."""
        if item_ids is None:
            self._changed()
            return
        highlighted = self.highlighted_id
        for item_id in set(item_ids):
            index = self.index_of(item_id)
            was = None
            if item_id == highlighted and self._unfolded is not None:
                was = self._unfolded[4]
            elif item_id in self._cache:
                was = self._cache[item_id][4]
            if item_id == highlighted:
                self._unfolded = None
            self._cache.pop(item_id, None)
            if index is None:
                continue
            start, rows = self.entry_rows(index)  # its height is the same
            top = round(self.scroll_y)
            if was is None or start + rows <= top or start >= top + self._inner_size().height:
                self.refresh_lines(start, rows)  # drawn when it comes into view
                continue
            now = self._unfolded_rows() if index == self._highlighted else self._entry(index)
            for row, (old, new) in enumerate(zip(was, now, strict=False)):
                if old != new:  # only the rows that changed (a count, not the title above it)
                    self.refresh_lines(start + row)

    def _changed(self) -> None:
        self._generation += 1
        self._cache.clear()
        self._unfolded = None
        self._sync_size()
        self.refresh()

    def _unfolded_rows(self) -> list[Strip]:
        """The highlighted entry's rows, wrapped in full at the current width."""
        index, width = self._highlighted, self._width()
        assert index is not None
        key = (self.items[index], width, self._generation, index == len(self.items) - 1)
        found = self._unfolded
        if found is not None and found[0] is key[0] and found[1:4] == key[1:]:
            return found[4]
        rows = self._render_entry(index, width, unfold=True)
        self._unfolded = (*key, rows)
        return rows

    def notify_style_update(self) -> None:
        """Styles may have changed (Textual says so for many reasons, e.g. the app gaining
        focus): looked at again before the next row is drawn, and rows are rendered again only
        if they did change."""
        super().notify_style_update()
        self._style_stale = True
        self._width_cache = None  # padding or a border may have changed the content's size

    def on_focus(self, event: events.Focus) -> None:
        self._restyle()

    def on_blur(self, event: events.Blur) -> None:
        self._restyle()

    def _restyle(self) -> None:
        """The highlight looks different with focus: draw its rows again (the other entries
        do not change; a style that does change reaches notify_style_update)."""
        self._unfolded = None
        if self._highlighted is not None and self.items:
            start, rows = self.entry_rows(self._highlighted)
            self.refresh_lines(start, rows)

    def _styles(self) -> tuple[Style, Style, Style, Style]:
        """Base, highlight, highlight without focus, rule: looked up (a walk up the DOM) only
        when they may have changed; cached rows are dropped only when they did."""
        if self._style_stale or self._style_sig is None:
            self._style_stale = False
            sig = (
                self.rich_style,
                self._component_style("entry-list--highlight"),
                self._component_style("entry-list--highlight-blurred"),
                self._component_style("entry-list--rule"),
            )
            if sig != self._style_sig:
                self._style_sig = sig
                self._generation += 1
                self._cache.clear()
                self._unfolded = None
                self._scrollbar.restyle()
        return self._style_sig

    def _component_style(self, name: str) -> Style:
        """A component's style with its colours blended over the list's background: a colour
        with alpha ('$primary 30%') would reach the terminal opaque (dark text on the full
        primary in light themes)."""
        styles = self.get_component_styles(name)
        style = self.get_component_rich_style(name, partial=True)
        background = self.background_colors[1]
        if background.ansi is not None:  # the terminal's own colours: readable by their names
            return _ansi_readable(style)
        if styles.has_rule("background"):
            background = background + styles.background
            style += Style(bgcolor=background.rich_color)
        if styles.has_rule("color"):
            colour = styles.color
            if styles.auto_color:
                colour = background.get_contrast_text(colour.a)
            text = tints.text_for(_rgb(background), _rgb(background + colour))
            style += Style(color=Color(*text).rich_color)
        return style

    def _base_style(self) -> Style:
        return self._styles()[0]

    # -- rendering --------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        row = self._row(y)
        height = self._inner_size().height
        bar = self._scrollbar.thumb(self.scroll_y, height, self.virtual_size.height)
        cell = self._scrollbar.cell(self, y, bar)
        key = (id(row), id(cell))
        found = self._barred.get(key)
        if found is None or found[0] is not row or found[1] is not cell:
            if len(self._barred) >= BARRED_KEPT:
                self._barred.clear()
            found = self._barred[key] = (row, cell, Strip([*row, cell], row.cell_length + 1))
        return found[2]

    def _row(self, y: int) -> Strip:
        """Row ``y`` of what is shown, without the scrollbar."""
        width = self._width()
        base = self._base_style()
        row = round(self.scroll_y) + y
        if not self.items:
            lines = self.placeholder_rows()
            return lines[row] if row < len(lines) else Strip.blank(width, base)
        found = self.entry_at(row)
        if found is None:
            return Strip.blank(width, base)
        index, offset = found
        rows = self._unfolded_rows() if index == self._highlighted else self._entry(index)
        return rows[offset] if offset < len(rows) else Strip.blank(width, base)

    def placeholder_rows(self) -> list[Strip]:
        """What an empty list says, wrapped at its width (a hint is never cut)."""
        width, base = self._width(), self._base_style()
        rows: list[Strip] = []
        for line in self.placeholder.split("\n"):
            rows += self._strip(line, width, base, unfold=True)
        return rows

    def _entry(self, index: int) -> list[Strip]:
        """The compact rows of the entry ``index`` (rendered once, then cached)."""
        item, width = self.items[index], self._width()
        key = self.item_id(item)
        last = index == len(self.items) - 1  # no rule below the last entry
        cached = self._cache.get(key)
        if cached is None or cached[:4] != (item, width, self._generation, last):
            if len(self._cache) >= CACHE_ENTRIES:
                self._cache.clear()
            rendered = self._render_entry(index, width, unfold=False)
            cached = self._cache[key] = (item, width, self._generation, last, rendered)
        return cached[4]

    def _render_entry(self, index: int, width: int, *, unfold: bool) -> list[Strip]:
        base, highlight, blurred, rule = self._styles()
        style = base
        if unfold:
            style = base + (highlight if self.has_focus else blurred)
        rows: list[Strip] = []
        for line in self.item_lines(self.items[index]):
            text, most = line if isinstance(line, tuple) else (line, 1)
            rows += self._strip(text, width, style, unfold=unfold, rows=most)
        if self.RULE and index < len(self.items) - 1:
            rows.append(Strip([Segment("─" * width, base + rule)], width))
        return rows

    def _strip(
        self, line: Text, width: int, style: Style, *, unfold: bool, rows: int = 1
    ) -> list[Strip]:
        """``line`` as rows ``width`` cells wide: wrapped in full, or in at most ``rows`` rows
        with the last one cut with "…". Kept for lines drawn again unchanged (an entry whose
        count changed: its title and details are not wrapped again)."""
        key = (line.plain, tuple(line.spans), line.style, width, style, unfold, rows)
        found = self._lines.get(key)
        if found is None:
            if len(self._lines) >= LINES_KEPT:
                self._lines.clear()
            found = self._lines[key] = self._wrap_line(line, width, style, unfold, rows)
        return found

    def _wrap_line(
        self, line: Text, width: int, style: Style, unfold: bool, rows: int
    ) -> list[Strip]:
        console = self.app.console
        inner = max(1, width - 2 * self.GUTTER)
        if unfold or rows > 1:
            pieces = list(line.wrap(console, inner, overflow="fold")) or [Text("")]
            if not unfold and len(pieces) > rows:
                last = Text("").join(pieces[rows - 1 :])
                last.truncate(inner, overflow="ellipsis")
                pieces = [*pieces[: rows - 1], last]
        else:
            piece = line.copy()
            piece.truncate(inner, overflow="ellipsis")
            pieces = [piece]
        pad = Segment(" " * self.GUTTER)
        strips = []
        for piece in pieces:
            segments = [pad, *piece.render(console, end=""), pad]
            strip = Strip(segments).adjust_cell_length(width).apply_style(style)
            strips.append(strip)
        return strips

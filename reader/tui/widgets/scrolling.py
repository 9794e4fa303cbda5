"""Setting a Line-API widget's scrollable size without a layout of the whole screen."""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


def content_size(widget: Widget) -> Size:
    """``widget``'s content size from its own outer size and styles (border and padding
    taken off; no Textual scrollbar). ``widget.size`` would find the widget's region on the
    screen (~10 µs), which during a layout may still be the old one."""
    outer, gutter = widget.outer_size, widget.styles.gutter
    return Size(max(0, outer.width - gutter.width), max(0, outer.height - gutter.height))


#: Textual's own step for a new virtual size (scroll limits, scrollbar thumb) without the
#: layout. A private method: used only where this Textual has it; else the public way (setting
#: ``virtual_size``, which lays the screen out). tests/test_scrolling.py runs both.
PRIVATE_STEP: Callable[[Widget, Size], None] | None = getattr(Widget, "_scroll_update", None)


def set_virtual_size(widget: ScrollView, size: Size) -> None:
    """Give ``widget`` the scrollable ``size``.

    Textual's ``virtual_size`` asks for a layout of the whole screen when it changes (every
    widget drawn again: ~5-10 ms). When only the length changes and the vertical scrollbar stays
    (or stays away), or the widget shows no Textual scrollbar at all (it draws its own:
    `Scrollbar`), nothing moves on screen but the scroll limits: those are updated alone.
    """
    old = widget.virtual_size
    if size == old:
        return
    styles = widget.styles
    if not widget.is_mounted:
        cheap = False
    elif styles.overflow_x == "hidden" and styles.overflow_y == "hidden":
        cheap = True  # no Textual scrollbar to show or hide: a new size never moves a thing
    else:
        height = widget.scrollable_content_region.height
        cheap = old.width == size.width and (old.height > height) == (size.height > height)
    if cheap and PRIVATE_STEP is not None:
        widget.set_reactive(Widget.virtual_size, size)
        PRIVATE_STEP(widget, size)
    else:
        widget.virtual_size = size


class Scrollbar:
    """A one-column vertical scrollbar that a Line-API widget draws itself, as the last cell
    of each row it draws.

    Textual's scrollbar is a widget of its own: each scroll, and each change of the scrollable
    height (a tag added to a long list), draws all of its rows again through the whole
    pipeline, about a third of a screen update. Drawn in the widget's own rows, it costs
    nothing on a scroll (every row is drawn again anyway) and a couple of rows when the thumb
    moves otherwise (`changed_rows`). The widget sets ``overflow-y: hidden`` (no Textual
    scrollbar) and allows the mouse wheel itself (`allow_vertical_scroll`).
    """

    def __init__(self) -> None:
        self._key: tuple[float, int, int] | None = None
        self._thumb = (0, 0)
        self.drawn = (0, 0)  # the thumb as last drawn
        self._cells: tuple[Segment, Segment] | None = None

    def thumb(self, scroll_y: float, height: int, total: int) -> tuple[int, int]:
        """The rows (first, past the last) of the thumb; (0, 0) when everything is shown."""
        key = (scroll_y, height, total)
        if key != self._key:
            self._key = key
            if height <= 0 or total <= height:
                self._thumb = (0, 0)
            else:
                size = max(1, min(height, round(height * height / total)))
                top = round(scroll_y * (height - size) / (total - height))
                top = max(0, min(top, height - size))
                self._thumb = (top, top + size)
        return self._thumb

    def changed_rows(self, scroll_y: float, height: int, total: int) -> list[int]:
        """Rows whose cell differs from what was drawn last (to repaint them alone)."""
        old, new = self.drawn, self.thumb(scroll_y, height, total)
        if old == new:
            return []
        return sorted(set(range(*old)) ^ set(range(*new)))

    def repaint_changed(self, widget: ScrollView, height: int, total: int) -> None:
        """The scrollable height changed without a scroll: repaint the rows whose cell changed
        (a scroll repaints every row anyway)."""
        top = round(widget.scroll_y)
        for row in self.changed_rows(widget.scroll_y, height, total):
            widget.refresh_lines(top + row)

    def scroll_to_row(self, widget: ScrollView, row: int, height: int, total: int) -> None:
        """Scroll ``widget`` so that the thumb is centred on ``row`` (a click or a drag)."""
        thumb = self.thumb(widget.scroll_y, height, total)
        size = thumb[1] - thumb[0]
        if size <= 0 or height <= size:
            return
        top = max(0, min(height - size, row - size // 2))
        widget.scroll_to(y=round(top * (total - height) / (height - size)), animate=False)

    def restyle(self) -> None:
        self._cells = None

    def cell(self, widget: Widget, row: int, thumb: tuple[int, int]) -> Segment:
        """The bar's cell on ``row`` in ``widget``'s scrollbar colours (looked up once per
        `restyle`)."""
        if self._cells is None:
            background = widget.background_colors[1]
            track = (background + widget.styles.scrollbar_background).rich_color
            bar = (background + widget.styles.scrollbar_color).rich_color
            self._cells = (Segment(" ", Style(bgcolor=track)), Segment(" ", Style(bgcolor=bar)))
        self.drawn = thumb
        return self._cells[1 if thumb[0] <= row < thumb[1] else 0]

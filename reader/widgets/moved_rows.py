"""Rows that only moved are not framed again: a styles cache that reuses finished rows.

Textual draws every widget row twice over: the widget's own strip (``render_line``), then the
*frame* around it, its border, padding, tint and opacity, added by the widget's styles cache
(about 0.1 ms a row, most of a row's cost). The cache keeps finished rows by their position
only, so when the content moves, every row in view is framed again, though its content is the
same strip as before, a row or a few further up or down. That happens when an annotation is
inserted in the middle of the panel (the rows below it move down), and when the reading pane
scrolls by a line.

`MovedRowsCache` keeps the finished row for each content strip it framed (by identity, while
the frame is the same) and hands it out again wherever that strip is drawn next; a widget that
returns the same `Strip` object for the same content (cached rows) gets its moved rows for
almost nothing. A change of styles (focus, theme, CSS) clears it with the rest of the cache.

Textual offers no hook for this: the cache is the widget's ``_styles_cache`` (Textual 8.x).
`install` checks that it is there and that its ``render_line`` takes the arguments this relies
on; where either changed, the widget keeps Textual's own cache (slower, never wrong), and the
tests say so.
"""

from __future__ import annotations

import inspect
from typing import Any

from rich.segment import Segment
from textual._styles_cache import StylesCache
from textual.strip import Strip
from textual.widget import Widget

#: Finished rows kept at most per widget (a screen shows a few dozen).
KEPT = 512

#: The parameters of `StylesCache.render_line` this module was written against.
_PARAMETERS = (
    "self",
    "styles",
    "y",
    "size",
    "content_size",
    "padding",
    "base_background",
    "background",
    "render_content_line",
    "border_title",
    "border_subtitle",
    "opacity",
    "ansi_theme",
    "native_ansi",
)


def _compatible() -> bool:
    try:
        names = tuple(inspect.signature(StylesCache.render_line).parameters)
    except (TypeError, ValueError):
        return False
    return names == _PARAMETERS


COMPATIBLE = _compatible()


class MovedRowsCache(StylesCache):
    """Textual's styles cache, but a content row whose strip was framed before (anywhere in
    the widget, with the same frame) is not framed again, and a new one is framed by putting
    the frame's two ends around it."""

    def __init__(self) -> None:
        super().__init__()
        #: id(content strip) -> (content strip, frame key, theme, finished row)
        self._finished: dict[int, tuple[Strip, tuple, object, Strip]] = {}
        #: frame key -> (theme, the segments left of the content, those right of it), or
        #: None where Textual's frame changes the content itself (a tint, an opacity, ...)
        self._ends: dict[tuple, tuple[object, list[Segment], list[Segment]] | None] = {}
        self.reused = 0  # rows handed out again (for tests)
        self.framed = 0  # rows framed by their frame's ends (for tests)

    def clear(self) -> None:
        super().clear()
        self._finished.clear()
        self._ends.clear()

    def render_line(  # type: ignore[override]
        self,
        styles: Any,
        y: int,
        size: Any,
        content_size: Any,
        padding: Any,
        base_background: Any,
        background: Any,
        render_content_line: Any,
        border_title: Any,
        border_subtitle: Any,
        opacity: float,
        ansi_theme: Any,
        native_ansi: bool,
    ) -> Strip:
        args = (
            styles, y, size, content_size, padding, base_background, background,
            render_content_line, border_title, border_subtitle, opacity, ansi_theme, native_ansi,
        )  # fmt: skip
        gutter = styles.gutter
        # only rows of content: the first and last rows may carry a border, an outline or
        # labels, and padding rows hold no content
        if not (max(1, gutter.top) <= y < size.height - max(1, gutter.bottom)):
            return super().render_line(*args)
        content = render_content_line(y - gutter.top)
        frame = (size, content_size, padding, base_background, background, opacity, native_ansi)
        found = self._finished.get(id(content))
        if found is not None and found[0] is content and found[1:3] == (frame, ansi_theme):
            self.reused += 1
            return found[3]
        ends = self._frame_ends(frame, args)
        fits = content.cell_length == content_size.width  # Textual would pad or crop it
        if ends is not None and ends[0] is ansi_theme and fits:
            row = Strip([*ends[1], *content, *ends[2]], size.width)
            self.framed += 1
        else:
            row = super().render_line(*_with_content(args, content))
        if len(self._finished) >= KEPT:
            self._finished.clear()
        self._finished[id(content)] = (content, frame, ansi_theme, row)
        return row

    def _frame_ends(
        self, frame: tuple, args: tuple
    ) -> tuple[object, list[Segment], list[Segment]] | None:
        """What Textual puts left and right of a row's content in this frame, found by framing
        a probe once: where the probe comes out untouched, any content would."""
        if frame in self._ends:
            return self._ends[frame]
        width = args[3].width
        ends = None
        if width > 0:
            probe = Segment("\ue000" * width)  # a private-use character: one cell each
            row = list(super().render_line(*_with_content(args, Strip([probe], width))))
            at = [i for i, segment in enumerate(row) if segment is probe]
            if len(at) == 1:
                ends = (args[11], row[: at[0]], row[at[0] + 1 :])
        self._ends[frame] = ends
        return ends


def _with_content(args: tuple, content: Strip) -> tuple:
    """render_line's arguments with ``content`` as the row's content."""
    return (*args[:7], lambda _y: content, *args[8:])


def install(widget: Widget) -> bool:
    """Give ``widget`` a `MovedRowsCache` (call from its ``__init__``); False where this
    Textual's styles cache is not the one this was written for."""
    if not COMPATIBLE or not isinstance(getattr(widget, "_styles_cache", None), StylesCache):
        return False
    widget._styles_cache = MovedRowsCache()
    return True

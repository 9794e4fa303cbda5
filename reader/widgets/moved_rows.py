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
    the widget, with the same frame) is not framed again."""

    def __init__(self) -> None:
        super().__init__()
        #: id(content strip) -> (content strip, frame key, theme, finished row)
        self._finished: dict[int, tuple[Strip, tuple, object, Strip]] = {}
        self.reused = 0  # rows handed out again (for tests)

    def clear(self) -> None:
        super().clear()
        self._finished.clear()

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
        gutter = styles.gutter
        # only rows of content: the first and last rows may carry a border, an outline or
        # labels, and padding rows hold no content
        if not (max(1, gutter.top) <= y < size.height - max(1, gutter.bottom)):
            return super().render_line(
                styles, y, size, content_size, padding, base_background, background,
                render_content_line, border_title, border_subtitle, opacity, ansi_theme,
                native_ansi,
            )  # fmt: skip
        content = render_content_line(y - gutter.top)
        frame = (size, content_size, padding, base_background, background, opacity, native_ansi)
        found = self._finished.get(id(content))
        if found is not None and found[0] is content and found[1:3] == (frame, ansi_theme):
            self.reused += 1
            return found[3]
        row = super().render_line(
            styles, y, size, content_size, padding, base_background, background,
            lambda _y: content, border_title, border_subtitle, opacity, ansi_theme, native_ansi,
        )  # fmt: skip
        if len(self._finished) >= KEPT:
            self._finished.clear()
        self._finished[id(content)] = (content, frame, ansi_theme, row)
        return row


def install(widget: Widget) -> bool:
    """Give ``widget`` a `MovedRowsCache` (call from its ``__init__``); False where this
    Textual's styles cache is not the one this was written for."""
    if not COMPATIBLE or not isinstance(getattr(widget, "_styles_cache", None), StylesCache):
        return False
    widget._styles_cache = MovedRowsCache()
    return True

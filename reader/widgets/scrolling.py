"""Setting a Line-API widget's scrollable size without a layout of the whole screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


def set_virtual_size(widget: ScrollView, size: Size) -> None:
    """Give ``widget`` the scrollable ``size``.

    Textual's ``virtual_size`` asks for a layout of the whole screen when it changes (every
    widget drawn again: ~5-10 ms). When only the length changes and the vertical scrollbar stays
    (or stays away), nothing moves on screen but the scrollbar's thumb: that is updated alone.
    """
    old = widget.virtual_size
    if size == old:
        return
    height = widget.scrollable_content_region.height
    if (
        widget.is_mounted
        and old.width == size.width
        and (old.height > height) == (size.height > height)
    ):
        widget.set_reactive(Widget.virtual_size, size)
        widget._scroll_update(size)  # scrollbar thumb and scroll limits (Textual's own step)
    else:
        widget.virtual_size = size

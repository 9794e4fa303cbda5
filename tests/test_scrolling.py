"""set_virtual_size: the cheap path (Textual's private step, where it exists) and the public
fallback give the widget the same scroll limits."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.tui.widgets import scrolling
from reader.tui.widgets.scrolling import set_virtual_size


class Lines(ScrollView):
    DEFAULT_CSS = "Lines { overflow-x: hidden; overflow-y: hidden; height: 10; }"

    @property
    def allow_vertical_scroll(self) -> bool:  # as reader's lists and pane: their own bar
        return True

    def render_line(self, y: int) -> Strip:
        return Strip.blank(self.size.width)


class LinesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Lines()


@pytest.mark.parametrize("private_step", [True, False])
async def test_a_new_virtual_size_sets_the_scroll_limits(private_step, monkeypatch):
    app = LinesApp()
    async with app.run_test(size=(40, 12)) as pilot:
        lines = app.query_one(Lines)
        if not private_step:  # as on a Textual without it: the public way
            monkeypatch.setattr(scrolling, "PRIVATE_STEP", None)
        assert (scrolling.PRIVATE_STEP is not None) == private_step
        for height in (100, 250, 30):
            set_virtual_size(lines, Size(40, height))
            await pilot.pause()
            assert lines.virtual_size == Size(40, height)
            assert lines.max_scroll_y == height - lines.scrollable_content_region.height
            lines.scroll_to(y=lines.max_scroll_y, animate=False)
            await pilot.pause()
            assert lines.scroll_y == lines.max_scroll_y

"""The article list's entries as drawn: outlet and date, and the per-tag count squares."""

from __future__ import annotations

import itertools

import pytest
from rich.color import Color, ColorType
from textual.app import App

from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.tints import contrast, delta_e, eight_bit

SIZE = (200, 50)
THEMES = ["textual-dark", "textual-light", "nord", "solarized-light", "catppuccin-latte"]


def entry_rows(lst: ArticleList, index: int) -> list[str]:
    start, height = lst.entry_rows(index)
    return [lst.render_line(y - round(lst.scroll_y)).text for y in range(start, start + height)]


async def test_an_entry_with_an_outlet_keeps_its_date(app):
    async with app.run_test(size=SIZE) as pilot:
        lst = app.query_one(ArticleList)
        await pilot.press("down")  # 000 (a long outlet) is drawn folded, cut to its width
        assert lst.items[0].outlet and lst.items[0].date
        assert any(lst.items[0].date in row for row in entry_rows(lst, 0))
        assert any("Havana Times" in row for row in entry_rows(lst, 0))


def rgb(colour) -> tuple[int, int, int]:
    t = colour.get_truecolor()
    return (t.red, t.green, t.blue)


@pytest.mark.parametrize("theme", THEMES)
async def test_the_count_squares_of_the_highlighted_entry_keep_their_colours(app, theme):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # tag 1, 2 and 3 once each in the first article
        for key in "123":
            await pilot.press("v", "right", "right", key, "down")
        await pilot.press("escape")
        app.theme = theme
        await pilot.pause()
        lst = app.query_one(ArticleList)
        assert lst.highlighted_id == lst.items[0].id
        squares = [
            seg
            for y in range(lst.entry_rows(0)[1])
            for seg in lst.render_line(y)
            if seg.text.startswith("■")
        ]
        assert len(squares) == 3
        colours = [rgb(seg.style.color) for seg in squares]
        assert colours == [rgb(Color.parse(t.colour)) for t in lst.tags]
        for system in (lambda c: c, eight_bit):
            drawn = [(system(rgb(s.style.color)), system(rgb(s.style.bgcolor))) for s in squares]
            for fore, back in drawn:
                assert delta_e(fore, back) >= 20, (theme, fore, back)
            for a, b in itertools.combinations([fore for fore, _ in drawn], 2):
                assert delta_e(a, b) >= 20, (theme, a, b)


@pytest.mark.parametrize("theme", sorted(App().available_themes))
async def test_the_highlighted_entry_is_readable_with_and_without_focus(app, theme):
    """Highlight colours with alpha ('$primary 30%') are blended, not drawn opaque, and the
    text on them is readable (4 at least: catppuccin-latte's purple allows no more in 256
    colours with black or white)."""
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await pilot.pause()
        lst = app.query_one(ArticleList)
        for focused in (True, False):
            await pilot.press("escape" if focused else "enter")
            await pilot.pause()
            assert lst.has_focus is focused
            title = next(s for s in lst.render_line(0) if s.text.strip())
            if title.style.bgcolor is None or title.style.bgcolor.type == ColorType.DEFAULT:
                continue  # ansi themes: the terminal's own colours
            fore, back = rgb(title.style.color), rgb(title.style.bgcolor)
            for system in (lambda c: c, eight_bit):
                assert contrast(system(fore), system(back)) >= 4, (theme, focused, fore, back)

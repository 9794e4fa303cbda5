"""Tag highlights stay visible and readable in every built-in theme, in truecolor and in 256
colours: measured on what the pane draws (the Strips of `render_line`), not on the palette."""

from __future__ import annotations

import itertools

import pytest
from rich.color import Color, ColorType
from textual.app import App

from reader.tui.widgets.tints import RGB, contrast, delta_e, eight_bit

THEMES = sorted(App().available_themes)
SIZE = (160, 40)


def rgb(colour: Color | None, dark: bool, background: bool) -> RGB:
    """What the terminal shows for ``colour``; the terminal's default (ansi themes) taken as
    black on white or white on black."""
    if colour is None or colour.type == ColorType.DEFAULT:
        return (0, 0, 0) if dark == background else (255, 255, 255)
    t = colour.get_truecolor()
    return (t.red, t.green, t.blue)


async def tag_three(pilot) -> None:
    """Tag the start of three lines of the first article with tags 1, 2 and 3."""
    await pilot.press("enter")
    for key in "123":
        await pilot.press("v", *["right"] * 6, key, "down", "down", "home")
    await pilot.pause()


def drawn(app) -> tuple[RGB, list[tuple[RGB, RGB]]]:
    """The plain background, and (background, text) of each highlighted row, top first."""
    pane = app.panes[0]
    dark = app.current_theme.dark
    base = pane.rich_style.bgcolor
    rows = []
    for y in range(pane.size.height):
        for seg in pane.render_line(y):
            style = seg.style
            if style is None or style.bgcolor in (None, base) or not seg.text.strip():
                continue
            rows.append((rgb(style.bgcolor, dark, True), rgb(style.color, dark, False)))
            break
    return rgb(base, dark, True), rows


def low(pair: tuple[RGB, RGB]) -> tuple[RGB, RGB]:
    return eight_bit(pair[0]), eight_bit(pair[1])


def figures(background: RGB, rows: list[tuple[RGB, RGB]]) -> dict[str, float]:
    """Worst text contrast, worst highlight-vs-background and tag-vs-tag delta E."""
    return {
        "text": min(contrast(b, f) for b, f in rows),
        "seen": min(delta_e(b, background) for b, _ in rows),
        "apart": min(delta_e(a[0], b[0]) for a, b in itertools.combinations(rows, 2)),
    }


@pytest.mark.parametrize("theme", THEMES)
async def test_tag_highlights_are_seen_and_readable_in_every_theme(app, theme):
    async with app.run_test(size=SIZE) as pilot:
        await tag_three(pilot)
        await pilot.press("escape")  # the list has focus: the pane's cursor is no block
        app.theme = theme
        await pilot.pause()
        background, rows = drawn(app)
        assert len(rows) == 3
        true = figures(background, rows)
        eight = figures(eight_bit(background), [low(r) for r in rows])
        print(theme, {k: round(v, 1) for k, v in true.items()},
              {k: round(v, 1) for k, v in eight.items()})  # fmt: skip
        for measured in (true, eight):
            assert measured["text"] >= 3, measured
            assert measured["seen"] >= 15, measured
            assert measured["apart"] >= 15, measured


CUSTOM = ["#000000", "#ffffff", "#808080", "#e0e0e0", "#1e1e1e", "#ffff00", "#00ffff", "#123456"]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("colour", CUSTOM)
def test_custom_tag_colours_of_any_hex_are_made_legible(theme, colour):
    """A custom tag's colour comes from the database: even the theme's own background."""
    from reader.tui.widgets.tints import highlight, parse

    t = App().available_themes[theme]
    dark = t.dark
    back = t.background if t.background and "ansi" not in t.background else None
    back = back or ("#000000" if dark else "#ffffff")
    fore = t.foreground if t.foreground and "ansi" not in t.foreground else None
    fore = fore or ("#ffffff" if dark else "#000000")
    for colour_ in (colour, back):
        tint, text = (parse(c) for c in highlight(colour_, back, fore))
        for system in (lambda c: c, eight_bit):
            assert contrast(system(tint), system(text)) >= 3
            assert delta_e(system(tint), system(parse(back))) >= 15

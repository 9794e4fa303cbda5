"""The key bar at the bottom: the keys that work now, one line, clickable."""

from __future__ import annotations

from reader.tui.widgets.key_bar import KeyBar

SIZE = (200, 50)


def shown(app) -> str:
    return app.query_one(KeyBar).render().plain


async def test_the_keys_follow_the_focus_and_a_click_presses_one(app):
    async with app.run_test(size=SIZE) as pilot:
        bar = shown(app)
        assert "Open" in bar and "Sort" in bar and "Quit" in bar and "palette" in bar
        assert "Sentence" not in bar
        await pilot.press("enter")
        bar = shown(app)
        assert "Sentence" in bar and "Casualty figure" in bar and "Open" not in bar
        assert "Next hit" not in bar  # n/N only while a find is active
        await pilot.click(KeyBar, offset=(bar.index("Help") - 2, 0))
        await pilot.pause()
        from reader.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)


async def test_compare_keys_appear_only_while_comparing(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "escape", "down", "enter")
        assert len(app.panes) == 2
        assert "Next pair" not in shown(app)
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.comparison is not None
        bar = shown(app)  # at 200 columns all of it fits, the long words cut to their first
        assert "> Next" in bar and "< Prev" in bar and "y Copy" in bar and "^p palette" in bar
        assert "1 Legal argument" in bar and "2 Casualty" in bar and "? Help" in bar


async def test_find_keys_appear_while_a_find_is_active(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "slash", "A", "m", "n", "enter")
        await pilot.pause()
        # n steps through the matches now: it is not "note" meanwhile
        assert app.finding is not None and " n Note" not in shown(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.finding is None and " n Note" in shown(app)


async def test_help_quit_and_the_palette_stay_on_a_narrow_bar(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        bar = shown(app)
        assert len(bar) <= 80
        assert "? Help" in bar and "q Quit" in bar and "^p palette" in bar
        assert " v " in bar and " 1 " in bar  # the keys themselves, if not all their words
        assert "Demand" not in bar  # the tag keys alike: all named (by the legend) or none


def test_fit_cuts_long_words_first_and_keeps_the_pinned_keys():
    from reader.tui.widgets.key_bar import fit

    items = [
        ("a", "a", "Alpha beta", True),
        ("1", "1", "Legal argument", True),
        ("q", "q", "Quit", True),
        ("question_mark", "?", "Help", True),
    ]
    assert fit(items, 200) == items
    assert [t for _, _, t, _ in fit(items, 43)] == ["Alpha", "Legal argument", "Quit", "Help"]
    assert [t for _, _, t, _ in fit(items, 22)] == ["", "", "Quit", "Help"]
    assert [d for _, d, _, _ in fit(items, 16)] == ["q", "?"]

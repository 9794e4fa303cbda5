"""Panes and the window (issue 15, points 1, 2 and 10): whatever the window's width, the list or
the panels shown, every open pane stays open, the focused one is in view and keys act only on
what the user sees; the panes that do not fit are named in the strip above the panes."""

from __future__ import annotations

from reader.tui.app import ReaderApp
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.pane_strip import PaneStrip
from reader.tui.widgets.reading_pane import ReadingPane

A = "000_ae0beaf4b9f7a712"
B = "001_382389f1be5a250a"


def ids(panes: list[ReadingPane]) -> list[str]:
    return [p.article_id[:3] for p in panes]


def in_view(app: ReaderApp) -> list[ReadingPane]:
    """The panes drawn on the screen, each wholly inside it."""
    shown = [p for p in app.panes if p.display and p.region.width > 0]
    for pane in shown:
        assert pane.region.x >= 0 and pane.region.right <= app.size.width, pane.region
    return shown


def assert_focus_in_view(app: ReaderApp) -> None:
    focused = app.focused
    assert isinstance(focused, ReadingPane)
    assert focused in in_view(app)
    assert app.active_pane is focused  # the status line and the panel are about it


def strip_text(app: ReaderApp) -> str:
    strip = app.query_one(PaneStrip)
    return str(strip.render()) if strip.display else ""


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()


async def open_three(pilot) -> None:
    """000, 002, 001 (focus on 001), as in the issue."""
    await pilot.press("enter", "escape", "down", "down", "enter", "escape", "up", "enter")
    await settle(pilot)


async def test_narrowing_keeps_every_pane_and_keys_act_on_the_focused_one_in_view(app, store):
    async with app.run_test(size=(200, 50)) as pilot:
        await open_three(pilot)
        assert ids(in_view(app)) == ["000", "002", "001"]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert ids(app.panes) == ["000", "002", "001"]  # none closed
        assert_focus_in_view(app)
        assert app.focused.article_id.startswith("001")
        assert ids(in_view(app)) == ["001"]
        assert "000" not in app.panes[0].article_id or not app.panes[0].display
        strip = strip_text(app)
        assert "◌ 1 " in strip and "◌ 2 " in strip and "alt+←/→" in strip
        await pilot.press(")", "s", "3")
        (item,) = store.annotations()
        assert item.article_id.startswith("001")  # the pane the user sees
        # growing closes nothing: all three come back
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert ids(in_view(app)) == ["000", "002", "001"]
        assert app.query_one(ArticleList).size.width > 0  # as it was
        assert not any("Closed" in n for n in app.notices)
        assert not app.query_one(PaneStrip).display


async def test_every_size_on_the_way_keeps_the_focused_pane_in_view(app):
    async with app.run_test(size=(200, 50)) as pilot:
        await open_three(pilot)
        for size in [(160, 40), (120, 30), (100, 30), (80, 24), (60, 20), (40, 15), (200, 50)]:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert len(app.panes) == 3, size
            assert_focus_in_view(app)


async def test_a_second_article_at_80_columns_is_beside_the_first_the_list_makes_way(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "escape", "down", "enter")
        await settle(pilot)
        assert ids(app.panes) == ["000", "001"]
        assert ids(in_view(app)) == ["000", "001"]  # side by side
        assert app.query_one(ArticleList).size.width == 0
        assert_focus_in_view(app)
        # escape brings the list back, as before; the pane last read stays in view
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.focused, ArticleList) and app.query_one(ArticleList).size.width
        assert ids(in_view(app)) == ["001"] and len(app.panes) == 2
        assert "◌ 1 What Amnesty" in strip_text(app).replace("…", "") or "◌ 1 " in strip_text(app)
        # opening the first again brings it back beside the other
        await pilot.press("up", "enter")
        await settle(pilot)
        assert ids(in_view(app)) == ["000", "001"]
        assert app.focused.article_id == A


async def test_a_fourth_article_at_200_columns_keeps_the_least_recent_in_the_strip(app):
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("enter")
        for _ in range(3):
            await pilot.press("escape", "down", "enter")
        await settle(pilot)
        assert len(app.panes) == 4
        assert ids(in_view(app)) == ["001", "002", "003"]
        assert "◌ 1 What Amnesty" in strip_text(app)
        assert "‘What Amnesty International Says About Venezuela’ kept open in the strip" in (
            " ".join(app.notices)
        )  # it was said
        # the keys bring it back; the least recent in view makes room
        await pilot.press("alt+right")
        await settle(pilot)
        assert app.focused.article_id == A
        assert_focus_in_view(app)
        assert ids(in_view(app)) == ["000", "002", "003"]
        await pilot.press("ctrl+pageup")
        await settle(pilot)
        assert app.focused.article_id.startswith("003")
        assert_focus_in_view(app)


async def test_panes_beyond_the_most_kept_open_are_closed_and_it_is_said(app):
    from reader.tui import panes

    panes.MAX_OPEN, before = 3, panes.MAX_OPEN
    try:
        async with app.run_test(size=(200, 50)) as pilot:
            await pilot.press("enter")
            for _ in range(3):
                await pilot.press("escape", "down", "enter")
            await settle(pilot)
            assert len(app.panes) == 3 and A not in [p.article_id for p in app.panes]
            assert any(n.startswith("Closed ‘What Amnesty") for n in app.notices)
    finally:
        panes.MAX_OPEN = before


async def test_the_annotations_panel_at_100_columns_hides_a_pane_and_gives_it_back(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "escape", "down", "enter")
        await settle(pilot)
        assert ids(in_view(app)) == ["000", "001"]
        await pilot.press("A")
        await settle(pilot)
        assert len(app.panes) == 2
        assert ids(in_view(app)) == ["001"]
        assert_focus_in_view(app)
        await pilot.press("A")
        await settle(pilot)
        assert ids(in_view(app)) == ["000", "001"]


async def test_the_keys_panel_of_the_palette_never_hides_the_focused_pane(app):
    async with app.run_test(size=(200, 50)) as pilot:
        await open_three(pilot)
        app.action_show_help_panel()  # the palette's "Keys"
        await settle(pilot)
        assert len(app.panes) == 3
        assert_focus_in_view(app)
        panel = app.screen.query_one("HelpPanel")
        for pane in in_view(app):
            assert pane.region.right <= panel.region.x
        assert B in str(app.query_one("#status").render())  # the pane in view, focused
        assert strip_text(app)
        app.action_hide_help_panel()
        await settle(pilot)
        assert ids(in_view(app)) == ["000", "002", "001"]


async def test_tab_cycles_only_through_what_is_in_view(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "escape", "down", "enter", "escape", "down", "enter")
        await settle(pilot)
        assert len(app.panes) == 3
        seen = set()
        for _ in range(6):
            await pilot.press("tab")
            if isinstance(app.focused, ReadingPane):
                assert_focus_in_view(app)
                seen.add(app.focused.article_id)
        assert seen <= {p.article_id for p in in_view(app)}


async def test_closing_a_pane_brings_a_hidden_one_back(app):
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("enter")
        for _ in range(3):
            await pilot.press("escape", "down", "enter")
        await settle(pilot)
        await pilot.press("ctrl+w")
        await settle(pilot)
        assert len(app.panes) == 3 and len(in_view(app)) == 3
        assert not app.query_one(PaneStrip).display
        assert_focus_in_view(app)


async def test_compare_pairs_the_panes_in_view_and_stops_when_one_leaves_it(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "escape", "down", "enter")  # 000 and 001 side by side
        await settle(pilot)
        await pilot.press("A")  # the panel takes the room of one: 000 goes to the strip
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.comparison is None
        assert any("Open two articles" in n for n in app.notices)
        await pilot.press("A", "c")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.comparison is not None
        await pilot.press("A")
        await settle(pilot)
        assert app.comparison is None
        assert any(n.startswith("Compare mode off: one of its panes") for n in app.notices)


async def test_a_click_on_a_name_in_the_strip_brings_that_pane_into_view(app):
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("enter")
        for _ in range(3):
            await pilot.press("escape", "down", "enter")
        await settle(pilot)
        strip = app.query_one(PaneStrip)
        assert strip.display and strip.entries[0].state == "hidden"
        await pilot.click(PaneStrip, offset=(3, 0))  # on "◌ 1 What Amnesty…"
        await settle(pilot)
        assert app.focused.article_id == A
        assert_focus_in_view(app)

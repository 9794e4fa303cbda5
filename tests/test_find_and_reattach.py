"""Pilot tests (issue 15, points 5 and 15): a find while re-attaching an orphan leaves the
re-attach waiting; while a find is active, enter edits a note (n/N step through the matches),
the status says which match the cursor is on, and clearing the find says where it leaves the
cursor."""

from __future__ import annotations

from reader.tui.status import status_line
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.reading_pane import ReadingPane

A = "000_ae0beaf4b9f7a712"
SIZE = (200, 50)


def orphan(app, start=100, end=120, name="casualty figure"):
    article = app.corpus.get(A)
    item = app.store.add(A, name, start, end, article.body, article.sha256)
    app.store.update(item.id, orphaned=True)
    return item


def status(app) -> str:
    return status_line(app).plain


async def start_reattach(app, pilot) -> None:
    await pilot.press("O", "enter")
    await pilot.pause()
    assert app.pending_reattach is not None


async def test_find_then_escape_keeps_the_reattach_and_the_tag_reattaches(app, store):
    item = orphan(app)
    async with app.run_test(size=SIZE) as pilot:
        await start_reattach(app, pilot)
        assert "Re-attaching: select, then 1, 2 or 3 · escape cancels" in status(app)
        await pilot.press("slash", *"venezuela", "enter")  # find the place, back to the text
        pane = app.focused
        assert isinstance(pane, ReadingPane) and app.finding is not None
        await pilot.press("escape")  # clears the find, only that
        assert app.finding is None and app.pending_reattach == item.id
        assert app.focused is pane
        assert app.notices[-1] == (
            "Find cleared; the cursor stays on the match · escape again cancels the re-attach"
        )
        assert "Re-attaching" in status(app)
        start = pane.cursor
        await pilot.press("v", *["right"] * 9, "2")
        (after,) = store.annotations()  # the orphan itself, not a new annotation beside it
        assert after.id == item.id and not after.orphaned and after.tag == "casualty figure"
        assert after.quote.lower() == "venezuela" and after.start == start
        assert app.pending_reattach is None and "Re-attached" in app.notices[-1]
        assert "Re-attaching" not in status(app)


async def test_escape_in_the_find_bar_keeps_the_reattach(app, store):
    item = orphan(app)
    async with app.run_test(size=SIZE) as pilot:
        await start_reattach(app, pilot)
        await pilot.press("slash", *"venezuela", "escape")
        assert app.finding is None and app.pending_reattach == item.id


async def test_a_second_escape_cancels_the_reattach_and_says_so(app, store):
    item = orphan(app)
    async with app.run_test(size=SIZE) as pilot:
        await start_reattach(app, pilot)
        await pilot.press("slash", *"venezuela", "enter", "escape")
        assert app.pending_reattach == item.id
        pane = app.focused
        await pilot.press("escape")
        assert app.pending_reattach is None and app.notices[-1] == "Re-attach cancelled"
        assert app.focused is pane  # that escape only cancelled
        await pilot.press("v", "right", "right", "1")
        assert len(store.annotations()) == 2  # a new tag now, the orphan as it was
        assert store.get(item.id).orphaned
        await pilot.press("escape")
        assert isinstance(app.focused, ArticleList)


async def test_escape_in_the_list_cancels_the_reattach(app, store):
    orphan(app)
    async with app.run_test(size=SIZE) as pilot:
        await start_reattach(app, pilot)
        app.query_one(ArticleList).focus()
        await pilot.press("escape")
        assert app.pending_reattach is None and app.notices[-1] == "Re-attach cancelled"


async def test_status_says_which_match(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "slash", *"venezuela", "enter")
        total = len(app.finding.hits)
        assert total > 3
        assert f"find “venezuela”: match 1 of {total} (n/N)" in status(app)
        await pilot.press("n")
        assert f"match 2 of {total}" in status(app)
        await pilot.press("N", "N")
        assert f"match {total} of {total}" in status(app)
        await pilot.press("right")
        assert f"find “venezuela”: {total} matches (n/N)" in status(app)


async def test_enter_edits_a_note_while_a_find_is_active(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "slash", *"venezuela", "enter")
        bar = app.query_one(KeyBar)
        keys = [(shown, words) for _, shown, words, _ in bar.keys()]  # noqa: SIM118
        assert ("n", "Next match") in keys and ("⏎", "Note") in keys
        await pilot.press("v", *["right"] * 9, "1")  # the match, tagged during the find
        (item,) = store.annotations()
        assert item.quote.lower() == "venezuela" and app.finding is not None
        await pilot.press("enter", *"found it", "ctrl+s")
        assert store.get(item.id).note == "found it"
        assert app.finding is not None  # the find goes on: n still steps
        before = app.focused.cursor
        await pilot.press("n")
        assert app.focused.cursor > before


async def test_enter_edits_a_note_without_a_find_too(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "right", "right", "1", "left", "enter")
        await pilot.press(*"nN", "ctrl+s")
        assert store.annotations()[0].note == "nN"


async def test_clearing_the_find_says_the_cursor_stays_on_the_match(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "slash", *"venezuela", "enter", "n")
        pane = app.focused
        at = pane.cursor
        await pilot.press("escape")
        assert app.finding is None and pane.cursor == at
        assert app.notices[-1] == (
            "Find cleared; the cursor stays on the match · escape again: back to the list"
        )

"""Rows that only moved are handed out again finished (reader.widgets.moved_rows): what they
show must be exactly what drawing them afresh shows."""

from __future__ import annotations

from rich.segment import Segment
from textual._styles_cache import StylesCache
from textual.geometry import Region
from textual.widget import Widget

from reader.widgets import moved_rows
from reader.widgets.annotation_panel import AnnotationPanel
from reader.widgets.article_list import ArticleList
from reader.widgets.reading_pane import ReadingPane

A = "000_ae0beaf4b9f7a712"
SIZE = (160, 30)


def drawn(widget: Widget) -> list[list[Segment]]:
    """Every row of ``widget`` as the screen has it now (from its styles cache)."""
    outer = widget.outer_size
    return [list(strip) for strip in widget.render_lines(Region(0, 0, outer.width, outer.height))]


def afresh(widget: Widget) -> list[list[Segment]]:
    """Every row of ``widget`` drawn again from nothing, by Textual's own styles cache."""
    kept, widget._styles_cache = widget._styles_cache, StylesCache()
    try:
        return drawn(widget)
    finally:
        widget._styles_cache = kept


def cache_of(widget: Widget) -> moved_rows.MovedRowsCache:
    cache = widget._styles_cache
    assert isinstance(cache, moved_rows.MovedRowsCache)
    return cache


def reused(widget: Widget) -> int:
    return cache_of(widget).reused


def annotate(app, store, tag: str, starts: range, length: int) -> None:
    """Annotations of article A from each of ``starts``, ``length`` characters long."""
    article = app.corpus.get(A)
    for start in starts:
        store.add(A, tag, start, start + length, article.body, article.sha256)


def test_this_textual_takes_the_moved_rows_cache():
    """If a Textual release changes its styles cache, this says so (reader then draws every
    row in full, as Textual does: slower, not wrong)."""
    assert moved_rows.COMPATIBLE
    for widget in (ArticleList([], []), AnnotationPanel([]), ReadingPane("a", "text")):
        assert isinstance(widget._styles_cache, moved_rows.MovedRowsCache)


async def test_a_tag_in_the_middle_of_the_panel_moves_rows_that_are_not_drawn_again(app, store):
    annotate(app, store, "demand", range(200, 6000, 200), 40)  # more than the panel holds
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        panel, pane = app.query_one(AnnotationPanel), app.query_one(ReadingPane)
        await pilot.pause()
        before = reused(panel)
        pane.select(20, 60)  # before every annotation: the new entry is the panel's first
        await pilot.press("1")
        await pilot.pause()
        assert panel.items[0].start == 20
        assert reused(panel) > before + 10  # the rows below the new entry only moved
        assert drawn(panel) == afresh(panel)


async def test_a_scroll_by_a_line_frames_one_new_row_and_shows_what_a_fresh_draw_shows(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        pane = app.query_one(ReadingPane)
        await pilot.pause()
        height = pane.scrollable_content_region.height
        await pilot.press(*["down"] * (height - 1))
        before = reused(pane)
        await pilot.press("down")  # one line below the view: it scrolls by one
        assert round(pane.scroll_y) == 1
        assert reused(pane) - before >= height - 3
        assert drawn(pane) == afresh(pane)


async def test_a_change_of_focus_or_theme_is_never_shown_with_old_rows(app, store):
    annotate(app, store, "legal argument", range(200, 3000, 200), 30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        panel, pane = app.query_one(AnnotationPanel), app.query_one(ReadingPane)
        await pilot.pause()
        for step in ("tab", "shift+tab"):  # the panel gains focus, then the pane again
            await pilot.press(step)
            await pilot.pause()
            for widget in (panel, pane):
                assert drawn(widget) == afresh(widget)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        for widget in (panel, pane, app.query_one(ArticleList)):
            assert drawn(widget) == afresh(widget)


async def test_new_rows_get_the_frame_textual_gives_them(app, store):
    """Rows drawn for the first time are framed by the frame's two ends: exactly what
    Textual's own framing gives, focused or not, with highlights, marks and a selection."""
    annotate(app, store, "casualty figure", range(100, 3000, 150), 60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        pane, panel = app.query_one(ReadingPane), app.query_one(AnnotationPanel)
        pane.set_marks("find", [(5, 12), (300, 320)])
        await pilot.press("pagedown", "v", "down", "down")
        await pilot.pause()
        assert cache_of(pane).framed > 20 and cache_of(panel).framed > 10
        for widget in (pane, panel, app.query_one(ArticleList)):
            assert drawn(widget) == afresh(widget)
        await pilot.press("escape", "escape")  # the article list has focus now
        await pilot.pause()
        for widget in (pane, panel, app.query_one(ArticleList)):
            assert drawn(widget) == afresh(widget)

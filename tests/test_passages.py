"""Pilot tests: tag view, corpus search and the orphans list."""

from __future__ import annotations

from reader.tui.screens.passages import CorpusSearch, OrphanList, TagView

A = "000_ae0beaf4b9f7a712"
B = "001_382389f1be5a250a"
SIZE = (200, 50)


def tag(app, article_id, start, end, name):
    article = app.corpus.get(article_id)
    return app.store.add(article_id, name, start, end, article.body, article.sha256)


async def test_tag_view_lists_passages_across_articles_and_jumps(app):
    tag(app, B, 200, 240, "demand")
    tag(app, A, 100, 150, "demand")
    tag(app, A, 10, 20, "legal argument")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        screen = app.screen
        assert isinstance(screen, TagView)
        assert screen.tag == "legal argument" and len(screen.rows) == 1
        await pilot.press("t", "t")
        assert screen.tag == "demand"
        assert [r.article_id for r in screen.rows] == [A, B]
        await pilot.press("o")
        assert screen.sort_key == "date"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.focused
        assert pane.article_id == A and pane.cursor == 100


async def test_corpus_search_opens_article_with_hit_selected_ready_to_tag(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, CorpusSearch)
        await pilot.press(*"agnes callamard")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.hits
        first = app.screen.hits[0]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.focused
        assert pane.article_id == first.article_id
        assert pane.selection == (first.start, first.end)
        await pilot.press("1")
        (item,) = store.annotations()
        assert item.quote.lower().startswith("agn")


async def test_slash_in_article_list_opens_search(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, CorpusSearch)
        await pilot.press("escape")
        assert not isinstance(app.screen, CorpusSearch)


async def test_orphan_can_be_reattached_to_a_new_selection(app, store):
    item = tag(app, A, 100, 120, "casualty figure")
    store.update(item.id, orphaned=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("O")
        assert isinstance(app.screen, OrphanList)
        await pilot.press("enter")
        await pilot.pause()
        assert app.pending_reattach == item.id
        await pilot.press("v", "right", "right", "right", "2")
        (after,) = store.annotations()
        body = app.corpus.get(A).body
        assert after.id == item.id and not after.orphaned
        assert (after.start, after.end, after.quote) == (0, 3, body[0:3])
        await pilot.press("u")
        assert store.get(item.id).orphaned


async def test_orphan_can_be_deleted(app, store):
    item = tag(app, A, 100, 120, "casualty figure")
    store.update(item.id, orphaned=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("O", "x")
        await pilot.pause()
        assert store.annotations() == []
        await pilot.press("u")
        assert store.get(item.id) is not None


async def test_escape_cancels_pending_reattach(app, store):
    item = tag(app, A, 100, 120, "casualty figure")
    store.update(item.id, orphaned=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("O", "enter")
        await pilot.pause()
        await pilot.press("escape")
        assert app.pending_reattach is None

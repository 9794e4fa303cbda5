"""Open panes are restored when reader starts again: the state, its storage, the app."""

from __future__ import annotations

import json

from reader.services.reopen import MAX_KEPT, Reopen
from reader.store import Store


def test_the_state_round_trips_and_bad_text_reopens_nothing():
    state = Reopen((("a", 3), ("b", 0)), focused="b")
    assert Reopen.load(state.dump()) == state
    for bad in (
        None,
        "",
        "not json",
        "[]",
        '{"version": 99, "panes": []}',
        json.dumps({"version": 1, "panes": [{"article": 5, "cursor": "x"}, 7]}),
    ):
        assert Reopen.load(bad) == Reopen()
    odd = {
        "version": 1,
        "panes": [
            {"article": "a", "cursor": -1},
            {"article": "b", "cursor": 2},
            {"article": "b", "cursor": 9},
        ],
        "focused": "zzz",
    }
    assert Reopen.load(json.dumps(odd)) == Reopen((("b", 2),), None)
    many = Reopen(tuple((f"a{i}", i) for i in range(MAX_KEPT + 5)))
    assert len(Reopen.load(many.dump()).panes) == MAX_KEPT


def test_the_store_keeps_one_session_per_database(db_path):
    with Store(db_path) as store:
        assert store.session() is None
        store.save_session("one")
        store.save_session("two")
    with Store(db_path) as again:
        assert again.session() == "two"
        assert again.annotations() == []


A = "000_ae0beaf4b9f7a712"
B = "001_382389f1be5a250a"


def new_app(db_path, corpus_dir):
    from reader.corpus.articles import load_corpus
    from reader.tui.app import ReaderApp

    return ReaderApp(store=Store(db_path), corpus=load_corpus(corpus_dir), poll_seconds=0)


async def test_panes_and_cursors_open_again_at_the_next_start(db_path, corpus_dir):
    first = new_app(db_path, corpus_dir)
    async with first.run_test(size=(200, 50)) as pilot:
        await pilot.press("enter", "escape", "down", "enter", *["down"] * 3, "w")
        await pilot.pause()
        cursors = {p.article_id: p.cursor for p in first.panes}
        assert cursors[B] > 0
        await pilot.press("alt+left")  # back to A: A had the focus last
        await pilot.pause()
        focused = first.focused.article_id  # type: ignore[union-attr]
        await pilot.press("q")
    first.store.close()
    second = new_app(db_path, corpus_dir)
    async with second.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await second.workers.wait_for_complete()
        await pilot.pause()
        assert {p.article_id: p.cursor for p in second.panes} == cursors
        assert second.focused.article_id == focused  # type: ignore[union-attr]
    second.store.close()


async def test_an_article_gone_since_is_left_out_and_named(db_path, corpus_dir):
    first = new_app(db_path, corpus_dir)
    async with first.run_test(size=(200, 50)) as pilot:
        await pilot.press("enter", "escape", "down", "enter", "q")
    first.store.close()
    (corpus_dir / f"{B}.txt").unlink()
    second = new_app(db_path, corpus_dir)
    async with second.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        await second.workers.wait_for_complete()
        await pilot.pause()
        assert [p.article_id for p in second.panes] == [A]
        assert any("no longer in the folder" in n and B in n for n in second.notices)
    second.store.close()

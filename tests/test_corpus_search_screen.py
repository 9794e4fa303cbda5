"""Pilot tests: the corpus search screen over the app's SearchService (an FTS5 index): the
latest keystroke wins, hits are those of reading every body, files follow the disk."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input

from reader.corpus.articles import load_corpus
from reader.search import search_corpus
from reader.services import search_index
from reader.services.corpus_search import SearchCancelled, SearchService
from reader.tui.app import ReaderApp
from reader.tui.screens.passages import CorpusSearch

SIZE = (160, 48)
FINAL = "callamard"


@pytest.fixture
def folder(corpus_dir, monkeypatch):
    monkeypatch.setattr(search_index, "RACY_NS", 0)  # files written now are indexed as they are
    (corpus_dir / "100_accents.txt").write_text("Un café crème; CAFE CREME; İstanbul.\n")
    (corpus_dir / "101_binary.txt").write_bytes(b"needle " + bytes(range(256)) * 64)
    (corpus_dir / "102_ok.txt").write_text("a needle here\n")
    return corpus_dir


@pytest.fixture
def app(store, folder):
    return ReaderApp(store=store, corpus=load_corpus(folder), poll_seconds=0)


async def open_search(app, pilot) -> CorpusSearch:
    await pilot.press("ctrl+f")
    screen = app.screen
    assert isinstance(screen, CorpusSearch)
    await screen.workers.wait_for_complete()  # the index is up to date
    return screen


async def search(screen, pilot, query: str) -> list:
    screen.query_one(Input).value = query
    await pilot.pause()
    await screen.workers.wait_for_complete()
    await pilot.pause()
    return screen.hits


class Slow(SearchService):
    """Every query but FINAL waits until it is given up; ``stubborn`` ones finish anyway, late,
    with the hits of another query."""

    def __init__(self, search: SearchService, stubborn: bool = False) -> None:
        super().__init__(search.corpus, search.index)
        self.stubborn = stubborn
        self.outcomes: dict[str, str] = {}

    def search(self, query, *, cancelled=lambda: False, **options):
        if query == FINAL:
            self.outcomes[query] = "done"
            return super().search(query, cancelled=cancelled, **options)
        deadline = time.monotonic() + 5
        while self.stubborn or not cancelled():
            if time.monotonic() > deadline or self.stubborn and cancelled():
                time.sleep(0.2)  # answers after the final query did
                self.outcomes[query] = "finished"
                return super().search("the")
            time.sleep(0.002)
        self.outcomes[query] = "given up"
        raise SearchCancelled()


async def test_typing_quickly_gives_up_each_earlier_query(app):
    async with app.run_test(size=SIZE) as pilot:
        slow = app.corpus_search = Slow(app.corpus_search)
        screen = await open_search(app, pilot)
        await pilot.press(*FINAL)
        await screen.workers.wait_for_complete()
        await pilot.pause()
        earlier = [FINAL[:n] for n in range(1, len(FINAL))]
        asked = [q for q in earlier if q in slow.outcomes]
        assert asked and all(slow.outcomes[q] == "given up" for q in asked)
        assert slow.outcomes[FINAL] == "done"
        assert screen.hits and screen.hits == search_corpus(load_corpus(app.corpus.folder), FINAL)


async def test_a_late_answer_to_an_earlier_query_is_not_shown(app):
    async with app.run_test(size=SIZE) as pilot:
        slow = app.corpus_search = Slow(app.corpus_search, stubborn=True)
        screen = await open_search(app, pilot)
        await pilot.press(*FINAL)
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert "finished" in slow.outcomes.values()  # answered, after the final query did
        assert screen.hits == search_corpus(load_corpus(app.corpus.folder), FINAL)


async def test_hits_are_those_of_reading_every_body(app, folder):
    queries = ["agnes callamard", "AGNÈS  callamard", "nicolás", "hundred deaths", "café crème"]
    queries += ["istanbul", "a", "the", "xylophone", "“"]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(app, pilot)
        assert app.corpus_search.index.usable and len(app.corpus_search.index.entries()) >= 7
        for query in queries:
            assert await search(screen, pilot, query) == search_corpus(load_corpus(folder), query)
        assert all(article.encoding is None for article in app.corpus)  # no body kept


async def test_a_file_changed_on_disk_is_indexed_again(app, folder):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(app, pilot)
        before = app.corpus_search.index.entries()["102_ok"]
        assert [h.article_id for h in await search(screen, pilot, "needle")] == ["102_ok"]
        await pilot.press("escape")
        (folder / "102_ok.txt").write_text("now a xylophone instead, and a longer text\n")
        screen = await open_search(app, pilot)
        after = app.corpus_search.index.entries()["102_ok"]
        assert after.key != before.key and after.readable
        assert await search(screen, pilot, "needle") == []
        assert [h.match for h in await search(screen, pilot, "XYLOPHONE")] == ["xylophone"]


async def test_an_undecodable_file_is_skipped(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(app, pilot)
        entry = app.corpus_search.index.entries().get("101_binary")
        assert entry is None or not entry.readable
        hits = await search(screen, pilot, "needle")
        assert [(h.article_id, h.match) for h in hits] == [("102_ok", "needle")]
        assert "1 match in 1 article" in str(screen.query_one(".passages-heading").render())

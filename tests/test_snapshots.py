"""Snapshots of the key screens (pytest-textual-snapshot). Update: pytest --snapshot-update."""

from __future__ import annotations

import pytest

from reader.corpus.articles import load_corpus
from reader.store import Store
from reader.tui.app import ReaderApp


@pytest.fixture
def make_app(db_path, corpus_dir):
    stores = []

    def make() -> ReaderApp:
        store = Store(db_path)
        stores.append(store)
        return ReaderApp(store=store, corpus=load_corpus(corpus_dir), poll_seconds=0)

    yield make
    for store in stores:
        store.close()


def settle(*keys: str):
    """Press keys, then drop the toasts: their timing must not decide a snapshot."""

    async def run_before(pilot) -> None:
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_start_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(200, 50))


def test_two_panes_with_a_tag(snap_compare, make_app):
    keys = [
        "enter",
        "down",
        "down",
        "down",
        "s",
        "2",
        "escape",
        "down",
        "enter",
        "w",
        "w",
        "v",
        "w",
        "w",
        "1",
        "left",
    ]
    assert snap_compare(make_app(), run_before=settle(*keys), terminal_size=(200, 50))


def test_help_screen(snap_compare, make_app):
    assert snap_compare(make_app(), run_before=settle("question_mark"), terminal_size=(120, 40))


def test_narrow_terminal(snap_compare, make_app):
    assert snap_compare(
        make_app(), run_before=settle("enter", "v", "w", "w"), terminal_size=(100, 30)
    )

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

"""reader.services.history: undo and redo of tag, retag, delete and note through the store."""

from __future__ import annotations

import pytest

from reader.services.history import Change, History
from reader.store import Conflict, Store

BODY = "The army killed 12 people. Lawyers demand an inquiry."


@pytest.fixture
def store():
    store = Store(None)
    yield store
    store.close()


@pytest.fixture
def history(store):
    return History(store)


def add(store, tag="casualty figure", start=4, end=18):
    return store.add("a", tag, start, end, BODY, "sha")


def test_undo_add_removes_and_redo_puts_back(store, history):
    item = add(store)
    history.record(Change("tag", None, item))
    history.undo()
    assert store.annotations() == []
    history.redo()
    assert store.annotations() == [item]


def test_undo_retag_restores_old_tag(store, history):
    item = add(store)
    after = store.update(item.id, tag="demand")
    history.record(Change("retag", item, after))
    history.undo()
    assert store.get(item.id).tag == "casualty figure"
    history.redo()
    assert store.get(item.id).tag == "demand"


def test_undo_delete_restores_exactly(store, history):
    item = add(store)
    store.delete(item.id)
    history.record(Change("delete", item, None))
    history.undo()
    assert store.get(item.id) == item


def test_undo_note(store, history):
    item = add(store)
    after = store.update(item.id, note="check source")
    history.record(Change("note", item, after))
    history.undo()
    assert store.get(item.id).note is None


def test_new_change_clears_redo(store, history):
    item = add(store)
    history.record(Change("tag", None, item))
    history.undo()
    other = add(store, start=0, end=3)
    history.record(Change("tag", None, other))
    assert not history.can_redo
    assert history.redo() is None


def test_nothing_to_undo_returns_none(history):
    assert history.undo() is None and not history.can_undo


def test_undo_of_add_already_deleted_elsewhere_says_so_and_changes_nothing(store, history):
    item = add(store)
    history.record(Change("tag", None, item))
    store.delete(item.id)
    with pytest.raises(Conflict, match="deleted elsewhere"):
        history.undo()
    assert store.annotations() == [] and not history.can_undo and not history.can_redo


def test_undo_never_overwrites_a_change_made_elsewhere(store, history):
    """A tags and adds a note; B retags and rewrites the note; A's undo leaves B's work."""
    item = add(store)
    history.record(Change("tag", None, item))
    noted = store.update(item.id, note="A's note")
    history.record(Change("note", item, noted))
    theirs = store.update(item.id, tag="demand", note="B's note")  # the other instance
    for changed in ("note", "tag, note"):  # the note change, then the tag itself
        with pytest.raises(Conflict, match=f"changed elsewhere since \\({changed}:"):
            history.undo()
        assert store.get(item.id) == theirs


def test_undo_of_a_note_keeps_what_re_anchoring_moved_since(store, history):
    item = add(store)
    noted = store.update(item.id, note="mine")
    history.record(Change("note", item, noted))
    moved = store.update(item.id, start=5, end=19, quote="rmy killed 12 ")  # the text changed
    history.undo()
    now = store.get(item.id)
    assert now is not None and now.note is None and (now.start, now.end) == (moved.start, 19)


def test_redo_never_overwrites_a_change_made_elsewhere(store, history):
    item = add(store)
    history.record(Change("tag", None, item))
    history.undo()
    again = store.add(item.article_id, item.tag, 0, 4, "body text", "sha", id=item.id)
    with pytest.raises(Conflict, match="exists again"):
        history.redo()
    assert store.get(item.id) == again

"""Behaviour that a review's hand-made mutations showed no test guarded ("Reshape the house").

Each test fails when its mutation is made: the integrity check of an opened database removed,
an imported entry without ``note`` dropping the stored note, exports ordered by end instead of
start, the reading pane's line cache keyed without the selection.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_reading_pane import PaneApp

from reader.corpus.articles import load_corpus
from reader.exchange import apply_import, dump_yaml, export_document, plan_import
from reader.store import CorruptDatabase, Store
from reader.tui.widgets.reading_pane import ReadingPane


def test_damage_beyond_the_schema_pages_is_refused_and_left_as_it_is(tmp_path: Path):
    path = tmp_path / "annotations.db"
    with Store(path) as store:
        body = "x" * 200_000
        for i in range(400):  # enough rows for many data pages
            store.add("a", "demand", i * 100, i * 100 + 90, body, "sha", note="n" * 200)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle + 100 : middle + 1100] = b"\xff" * 1000  # a data page, not the schema
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabase, match="damaged"):
        Store(path)
    assert path.read_bytes() == bytes(data)


def test_an_imported_entry_without_note_keeps_the_stored_note(corpus_dir: Path):
    corpus = load_corpus(corpus_dir)
    article = corpus.articles[0]
    with Store(None) as store:
        item = store.add(article.id, "demand", 0, 10, article.body, article.sha256, note="mine")
        doc = export_document(store, corpus)
        entry = doc["articles"][0]["annotations"][0]
        del entry["note"]
        apply_import(plan_import(dump_yaml(doc), store, corpus), store)
        assert store.get(item.id).note == "mine"  # type: ignore[union-attr]
        del entry["id"]  # matched by its place instead
        apply_import(plan_import(dump_yaml(doc), store, corpus), store)
        assert [a.note for a in store.annotations()] == ["mine"]


def test_an_export_lists_annotations_by_start_then_end(corpus_dir: Path):
    corpus = load_corpus(corpus_dir)
    article = corpus.articles[0]
    with Store(None) as store:
        for start, end in ((10, 20), (0, 50), (10, 15), (5, 8)):
            store.add(article.id, "demand", start, end, article.body, article.sha256)
        doc = export_document(store, corpus)
    spans = [(e["start"], e["end"]) for e in doc["articles"][0]["annotations"]]
    assert spans == [(0, 50), (5, 8), (10, 15), (10, 20)]


async def test_a_selection_over_several_lines_is_drawn_on_each():
    body = "\n".join(f"Line number {i} of the text, long enough to fill a row." for i in range(8))
    app = PaneApp(body)
    async with app.run_test(size=(60, 14)) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.pause()
        for y in range(6):
            pane.render_line(y)  # drawn (and cached) before the selection
        start, end = body.index("Line number 1"), body.index("Line number 4") + 5
        pane.select(start, end)
        pane.scroll_to(y=0, animate=False)
        await pilot.pause()
        rows = [list(pane.render_line(y)) for y in range(6)]
        base = rows[0][0].style.bgcolor  # type: ignore[union-attr]
        drawn = [
            any(
                seg.text.strip() and seg.style and not seg.style.reverse
                and seg.style.bgcolor != base
                for seg in row
            )
            for row in rows
        ]  # fmt: skip
        assert drawn == [False, True, True, True, True, False]

"""Nothing the user had is lost: undo across instances, a database deleted, replaced or
overwritten under the app, tampered rows, a write lock held by another program."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from reader import cli
from reader.corpus.articles import load_corpus
from reader.store import DamagedRow, DatabaseReplaced, Store, StoreBusy
from reader.tui.app import ReaderApp

SIZE = (160, 40)


def make_app(db_path: Path, corpus_dir: Path) -> ReaderApp:
    return ReaderApp(store=Store(db_path), corpus=load_corpus(corpus_dir), poll_seconds=0)


async def tag_first_sentence(app: ReaderApp, pilot, key: str = "2") -> None:
    if not app.panes:
        await pilot.press("enter")
    await pilot.press("g", "s", key)
    await pilot.pause()


def saved(db_path: Path) -> list:
    with Store(db_path) as store:
        return store.annotations()


# --- undo and redo never overwrite another instance's work ----------------------------------


async def test_undo_leaves_what_another_instance_changed_since(db_path, corpus_dir):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await tag_first_sentence(app, pilot)
        await pilot.press("n", *"A's note", "ctrl+s")  # the cursor is on the new tag
        await pilot.pause()
        [mine] = app.store.annotations()
        assert mine.note == "A's note"
        with Store(db_path) as other:  # instance B retags and rewrites the note
            theirs = other.update(mine.id, tag="demand", note="B's note")
        await pilot.press("u")
        await pilot.pause()
        assert app.store.get(mine.id) == theirs
        assert "changed elsewhere since" in app.notices[-1] and "left as it is" in app.notices[-1]
        await pilot.press("u")  # the tag itself: B's annotation is not deleted either
        await pilot.pause()
        assert app.store.get(mine.id) == theirs
    assert saved(db_path) == [theirs]


async def test_undo_after_a_delete_elsewhere_says_so(db_path, corpus_dir):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await tag_first_sentence(app, pilot)
        [mine] = app.store.annotations()
        with Store(db_path) as other:
            other.delete(mine.id)
        await pilot.press("u")
        await pilot.pause()
        assert "deleted elsewhere" in app.notices[-1]
        assert not any(n.startswith("Undid") for n in app.notices)


# --- the database file deleted, replaced or overwritten while the app runs -------------------


def remove_database(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


async def test_a_deleted_database_is_noticed_and_no_save_is_reported(db_path, corpus_dir):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await tag_first_sentence(app, pilot)
        remove_database(db_path)
        before = len(app.notices)
        await tag_first_sentence(app, pilot, "3")
        said = app.notices[before:]
        assert not any(n.startswith("Tagged") for n in said), said
        assert any("Not saved" in n and "deleted" in n for n in said), said
        assert app.panes[0].selection is not None  # kept, for another try
        app.check_external_changes()
        assert "was deleted" in (app.store_trouble or "")
        await pilot.press("e")  # what the app still holds can be exported
        await pilot.pause()
    assert not db_path.exists()
    assert db_path.with_suffix(".yaml").read_text().count("tag: casualty figure") == 1


async def test_a_database_replaced_by_another_file_is_noticed(db_path, corpus_dir, tmp_path):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await tag_first_sentence(app, pilot)
        backup = tmp_path / "backup.db"
        Store(backup).close()  # an empty database of reader's
        remove_database(db_path)
        os.replace(backup, db_path)  # mv backup.db annotations.db
        app.check_external_changes()
        await pilot.pause()
        assert "replaced by another file" in (app.store_trouble or "")
        await tag_first_sentence(app, pilot, "3")
        assert "Not saved" in app.notices[-1]
    assert saved(db_path) == []  # the file put in place is as it was


async def test_a_backup_copied_over_the_live_database_is_not_undone(db_path, corpus_dir, tmp_path):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await tag_first_sentence(app, pilot, "1")
        backup = tmp_path / "backup.db"
        shutil.copyfile(db_path, backup)  # a backup with one annotation
        await pilot.press("escape", "down", "enter")
        await tag_first_sentence(app, pilot, "2")
        assert len(app.store.annotations()) == 2
        shutil.copyfile(backup, db_path)  # cp backup.db annotations.db: the same file
        app.check_external_changes()
        await pilot.pause()
        assert "overwritten with a copy" in (app.store_trouble or "")
        before = len(app.notices)
        await tag_first_sentence(app, pilot, "3")
        assert not any(n.startswith("Tagged") for n in app.notices[before:])
    assert [a.tag for a in saved(db_path)] == ["legal argument"]  # the backup, as it was


def test_a_write_after_a_copy_over_the_file_is_refused(db_path, corpus_dir, tmp_path):
    """The same without the app's check: the store itself refuses before writing."""
    corpus = load_corpus(corpus_dir)
    article = corpus.articles[0]
    with Store(db_path) as store:
        store.add(article.id, "demand", 0, 10, article.body, article.sha256)
        shutil.copyfile(db_path, tmp_path / "backup.db")
        store.add(article.id, "demand", 10, 20, article.body, article.sha256)
        shutil.copyfile(tmp_path / "backup.db", db_path)
        with pytest.raises(DatabaseReplaced, match="overwritten with a copy"):
            store.add(article.id, "demand", 20, 30, article.body, article.sha256)
    assert len(saved(db_path)) == 1


def test_another_instance_writing_is_not_a_replacement(db_path, corpus_dir):
    corpus = load_corpus(corpus_dir)
    article = corpus.articles[0]
    with Store(db_path) as one, Store(db_path) as two:
        for i in range(3):
            one.add(article.id, "demand", i, i + 5, article.body, article.sha256)
            two.check_file()
            two.add(article.id, "demand", i + 10, i + 15, article.body, article.sha256)
            one.check_file()
        assert len(one.annotations()) == len(two.annotations()) == 6


# --- damaged or tampered databases: a clear message, exit 1, the file untouched ---------------


def tamper(db_path: Path, sql: str) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.fixture
def tampered(db_path, corpus_dir) -> bytes:
    article = load_corpus(corpus_dir).articles[0]
    with Store(db_path) as store:
        store.add(article.id, "demand", 0, 10, article.body, article.sha256)
    tamper(db_path, "update annotations set start = 'abc'")
    return db_path.read_bytes()


@pytest.mark.parametrize("command", [["export"], ["list"], []])
def test_a_tampered_row_is_refused_with_a_message(tampered, db_path, corpus_dir, capsys, command):
    code = cli.main([*command, "--articles", str(corpus_dir), "--db", str(db_path)])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR
    assert f"reader: {db_path}: holds values reader never writes" in err
    assert "'start' is 'abc'" in err and "Traceback" not in err
    assert db_path.read_bytes() == tampered


async def test_a_row_tampered_while_the_app_runs_ends_it_with_a_message(db_path, corpus_dir):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await tag_first_sentence(app, pilot)
        tamper(db_path, "update annotations set quote = 5, start = 'x'")
        app.check_external_changes()
        await pilot.pause()
    assert app.return_code == 1
    assert "holds values reader never writes" in (app.store_trouble or "")


async def test_a_table_renamed_while_the_app_runs_ends_it_with_a_message(db_path, corpus_dir):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await tag_first_sentence(app, pilot)
        tamper(db_path, "alter table annotations rename to gone")
        app.check_external_changes()
        await pilot.pause()
    assert app.return_code == 1
    assert "no such table" in (app.store_trouble or "")


def test_rows_are_checked_as_they_are_read(db_path, corpus_dir):
    article = load_corpus(corpus_dir).articles[0]
    with Store(db_path) as store:
        item = store.add(article.id, "demand", 0, 10, article.body, article.sha256)
        tamper(db_path, 'update annotations set "end" = 0 where 1')
        with pytest.raises(DamagedRow, match=f"annotation '{item.id}'"):
            store.annotations()


# --- another program holds the write lock ------------------------------------------------


async def test_a_held_write_lock_keeps_the_ui_responsive_and_the_selection(db_path, corpus_dir):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "g", "s")
        pane = app.panes[0]
        selection = pane.selection
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another program writing
        started = time.monotonic()
        await pilot.press("2")
        await pilot.pause()
        assert time.monotonic() - started < 2  # not the store's 5 s
        assert pane.selection == selection
        assert "locked by another program" in app.notices[-1] and "press 2" in app.notices[-1]
        assert app.store.annotations() == []
        holder.execute("ROLLBACK")
        holder.close()
        await pilot.press("2")
        await pilot.pause()
        assert len(app.store.annotations()) == 1 and app.notices[-1].startswith("Tagged")


def test_the_store_says_busy(db_path):
    holder_store = Store(db_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        holder_store.busy_timeout_ms = 100
        with pytest.raises(StoreBusy, match=r"waited 0\.1 s"):
            holder_store.add("a", "demand", 0, 4, "body", "sha")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        holder_store.close()


# --- found by the adversarial review -----------------------------------------------------


async def open_note_editor(app: ReaderApp, pilot) -> None:
    await tag_first_sentence(app, pilot)
    await pilot.press("n", *"mine")
    await pilot.pause()


async def test_a_note_changed_elsewhere_while_editing_is_not_overwritten(db_path, corpus_dir):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_note_editor(app, pilot)
        [item] = app.store.annotations()
        with Store(db_path) as other:
            theirs = other.update(item.id, note="IMPORTANT, from B")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.get(item.id) == theirs
        assert type(app.screen).__name__ == "NoteEditor"  # still open, the text in it
        assert "changed elsewhere" in str(app.screen.query_one("#note-help").render())
        assert app.screen.query_one("TextArea").text == "mine"  # type: ignore[attr-defined]


async def test_a_retag_elsewhere_survives_a_note_saved_and_undone(db_path, corpus_dir):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_note_editor(app, pilot)
        [item] = app.store.annotations()
        with Store(db_path) as other:
            other.update(item.id, tag="legal argument")  # B retags while A writes a note
        await pilot.press("ctrl+s")
        await pilot.pause()
        now = app.store.get(item.id)
        assert now is not None and (now.tag, now.note) == ("legal argument", "mine")
        await pilot.press("u")  # undo the note: only the note
        await pilot.pause()
        now = app.store.get(item.id)
        assert now is not None and (now.tag, now.note) == ("legal argument", None)


async def test_a_note_saved_while_the_database_is_locked_is_kept_to_try_again(db_path, corpus_dir):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_note_editor(app, pilot)
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "NoteEditor"
        assert "ctrl+s tries again" in str(app.screen.query_one("#note-help").render())
        holder.execute("ROLLBACK")
        holder.close()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ != "NoteEditor"
        assert app.store.annotations()[0].note == "mine"


async def test_an_undo_refused_by_a_held_lock_can_be_tried_again(db_path, corpus_dir):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await tag_first_sentence(app, pilot)
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        await pilot.press("u")
        await pilot.pause()
        assert "locked by another program" in app.notices[-1]
        assert app.history.can_undo and len(app.store.annotations()) == 1
        holder.execute("ROLLBACK")
        holder.close()
        await pilot.press("u")
        await pilot.pause()
        assert app.store.annotations() == [] and app.notices[-1].startswith("Undid")


@pytest.mark.parametrize("key", ["T", "O", "e"])
async def test_keys_over_a_tampered_database_end_the_app_with_a_message(db_path, corpus_dir, key):
    app = make_app(db_path, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await tag_first_sentence(app, pilot)
        tamper(db_path, "update annotations set start = 'abc'")
        await pilot.press(key)
        await pilot.pause()
    assert app.return_code == 1
    assert "holds values reader never writes" in (app.store_trouble or "")


async def test_e_exports_what_the_app_holds_after_the_database_was_deleted(db_path, corpus_dir):
    corpus = load_corpus(corpus_dir)
    article = corpus.articles[0]
    with Store(db_path) as store:  # re-anchoring will have something to write
        store.add(article.id, "demand", 0, 20, article.body, article.sha256)
    article.path.write_text("A new first line.\n" + article.body, encoding="utf-8")
    app = ReaderApp(store=Store(db_path), corpus=load_corpus(corpus_dir), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        remove_database(db_path)
        await pilot.press("e")
        await pilot.pause()
    assert app.return_code in (0, None)
    exported = db_path.with_suffix(".yaml").read_text()
    assert "tag: demand" in exported and "start: 18" in exported


def test_export_never_overwrites_the_database_or_an_article(tagged_db, corpus_dir, capsys):
    db_path = tagged_db
    before = db_path.read_bytes()
    article = next(corpus_dir.glob("*.txt"))
    text = article.read_text()
    for target in (db_path, article, corpus_dir / "metadata.yaml"):
        kept = target.read_bytes()
        args = ["export", "--articles", str(corpus_dir), "--db", str(db_path), "-o", str(target)]
        assert cli.main(args) == cli.EXIT_ERROR
        assert "is reader's database or one of its articles" in capsys.readouterr().err
        assert target.read_bytes() == kept
    assert db_path.read_bytes() == before and article.read_text() == text


async def test_e_with_a_database_named_yaml_writes_beside_it(tmp_path, corpus_dir):
    db = tmp_path / "notes.yaml"
    app = make_app(db, corpus_dir)
    async with app.run_test(size=SIZE) as pilot:
        await tag_first_sentence(app, pilot)
        await pilot.press("e")
        await pilot.pause()
    assert (tmp_path / "notes.yaml.yaml").exists()
    assert db.read_bytes()[:16] == b"SQLite format 3\x00"


def test_export_onto_a_read_only_file_is_refused(tagged_db, corpus_dir, tmp_path, capsys):
    target = tmp_path / "kept.yaml"
    target.write_text("read only")
    target.chmod(0o444)
    args = ["export", "--articles", str(corpus_dir), "--db", str(tagged_db), "-o", str(target)]
    if os.access(target, os.W_OK):
        pytest.skip("running as root: every file is writable")
    assert cli.main(args) == cli.EXIT_ERROR
    assert "is read-only" in capsys.readouterr().err and target.read_text() == "read only"


def test_a_tampered_row_is_noticed_by_the_background_check(db_path, corpus_dir):
    article = load_corpus(corpus_dir).articles[0]
    with Store(db_path) as store:
        store.add(article.id, "demand", 0, 10, article.body, article.sha256)
        tamper(db_path, "update annotations set review = 7")
        with pytest.raises(DamagedRow, match="'review' is 7"):
            store.check_rows()


@pytest.fixture
def tagged_db(db_path, corpus_dir) -> Path:
    article = load_corpus(corpus_dir).articles[0]
    with Store(db_path) as store:
        store.add(article.id, "demand", 0, 10, article.body, article.sha256)
    return db_path


def test_an_export_whose_re_anchoring_cannot_be_saved_is_still_written(db_path, corpus_dir):
    from reader.exchange.files import export_to_file

    corpus = load_corpus(corpus_dir)
    article = corpus.articles[0]
    with Store(db_path) as store:
        store.add(article.id, "demand", 0, 20, article.body, article.sha256)
    article.path.write_text("A new first line.\n" + article.body, encoding="utf-8")
    with Store(db_path) as store:
        remove_database(db_path)  # re-anchoring will find the file gone
        target = db_path.with_suffix(".yaml")
        assert export_to_file(target, store, load_corpus(corpus_dir)) == 1
    assert "start: 18" in target.read_text()


def test_re_anchoring_never_overwrites_a_retag_made_meanwhile(db_path, corpus_dir):
    """reconcile reads, re-anchors, then writes: a retag saved in between must stay."""
    from reader import anchoring

    corpus = load_corpus(corpus_dir)
    article = corpus.articles[0]
    with Store(db_path) as store:
        item = store.add(article.id, "demand", 0, 20, article.body, article.sha256)
    article.path.write_text("A new first line.\n" + article.body, encoding="utf-8")
    corpus = load_corpus(corpus_dir)
    real = anchoring.reanchored

    def retag_meanwhile(a, body, sha256):
        with Store(db_path) as other:
            other.update(a.id, tag="legal argument", note="B's")
        return real(a, body, sha256)

    with Store(db_path) as store:
        anchoring.reanchored = retag_meanwhile  # type: ignore[assignment]
        try:
            [result] = anchoring.reconcile(store, corpus)
        finally:
            anchoring.reanchored = real  # type: ignore[assignment]
        now = store.get(item.id)
    assert result.status == "moved"
    assert now is not None and (now.tag, now.note, now.start) == ("legal argument", "B's", 18)

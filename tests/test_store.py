"""The annotation store: schema, writes, and the files it must refuse (left byte-identical)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.store import (
    CONTEXT_CHARS,
    Annotation,
    AnnotationNotFound,
    InvalidAnnotation,
    Store,
    StoreError,
    opening,
)
from reader.store import sqlite as store_module
from reader.tags import DEFAULT_TAGS, Tag

BODY = "The ministry said " + "x" * 60 + " that close to a hundred people died. " + "y" * 60
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(db_path: Path):
    with Store(db_path) as fresh:
        yield fresh


@pytest.fixture
def memory_store():
    with Store(None) as fresh:
        yield fresh


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add(store: Store, start: int = 4, end: int = 12, tag: str = "demand", **kw) -> Annotation:
    return store.add("a1", tag, start, end, BODY, "sha-a1", **kw)


# --- schema and settings -------------------------------------------------------------------


def test_new_store_has_default_tags(memory_store: Store):
    assert memory_store.tags() == list(DEFAULT_TAGS)


def test_new_file_gets_schema_wal_and_settings(store: Store, db_path: Path):
    assert db_path.exists()
    assert set(store.db.table_names()) >= {"tags", "annotations", "reader_meta"}
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    meta = dict(store.conn.execute("select key, value from reader_meta").fetchall())
    assert meta.pop("db_id") and meta == {"app": "reader", "schema_version": "1", "generation": "0"}
    columns = {c.name: c.type for c in store.db.table("annotations").columns}
    assert columns["start"] == "INTEGER" and columns["quote"] == "TEXT"
    assert ["article_id", "start"] in [i.columns for i in store.db.table("annotations").indexes]


def test_empty_existing_file_gets_schema(db_path: Path):
    db_path.write_bytes(b"")
    with Store(db_path) as s:
        assert s.tags() == list(DEFAULT_TAGS)


def test_reopen_keeps_annotations_and_migrates_once(db_path: Path):
    with Store(db_path) as s:
        first = add(s)
    with Store(db_path) as s:
        assert s.annotations() == [first]
        assert s.db.table("_sqlite_migrations").count == 1


# --- writes --------------------------------------------------------------------------------


def test_add_computes_quote_and_context(store: Store):
    start = BODY.index("close")
    end = start + len("close to a hundred")
    a = store.add("a1", "casualty figure", start, end, BODY, "sha-a1", note="check")
    assert a.quote == "close to a hundred"
    assert a.prefix == BODY[start - CONTEXT_CHARS : start] and len(a.prefix) >= 32
    assert a.suffix == BODY[end : end + CONTEXT_CHARS] and len(a.suffix) >= 32
    assert a.created == a.updated and a.created.endswith("+00:00")
    assert len(a.id) == 36 and store.get(a.id) == a


@pytest.mark.parametrize(
    ("start", "end", "tag"),
    [
        (5, 5, "demand"),
        (-1, 3, "demand"),
        (0, len(BODY) + 1, "demand"),
        (3, 2, "demand"),
        (1.0, 3, "demand"),
        (True, 3, "demand"),
        (0, 3, "no such tag"),
    ],
)
def test_add_rejects_bad_spans_and_tags(store: Store, start, end, tag):
    with pytest.raises(InvalidAnnotation):
        store.add("a1", tag, start, end, BODY, "sha")
    assert store.annotations() == []


def test_add_rejects_lone_surrogate_in_note(store: Store):
    with pytest.raises(InvalidAnnotation, match="surrogate"):
        add(store, note="bad \ud800")


def test_overlapping_annotations_allowed_and_ordered(store: Store):
    b = add(store, 10, 30, "legal argument")
    a = add(store, 4, 20)
    c = add(store, 4, 12, "casualty figure")
    other = store.add("a0", "demand", 50, 60, BODY, "sha-a0")
    assert store.annotations() == [other, c, a, b]
    assert store.annotations("a1") == [c, a, b]


def test_update_changes_given_fields_and_bumps_updated(store: Store, monkeypatch):
    a = add(store, note="old")
    monkeypatch.setattr(store_module, "utc_now", lambda: "2030-01-01T00:00:00+00:00")
    b = store.update(a.id, tag="legal argument")
    assert (b.tag, b.note, b.start) == ("legal argument", "old", a.start)
    assert b.updated == "2030-01-01T00:00:00+00:00" and b.created == a.created
    assert store.orphaned_count() == 0
    c = store.update(a.id, note=None, orphaned=True)
    assert c.note is None and c.orphaned and c.tag == "legal argument"
    assert store.orphaned_count() == 1
    assert store.get(a.id) == c
    with pytest.raises(InvalidAnnotation):
        store.update(a.id, tag="nope")


def test_update_and_delete_unknown_id(store: Store):
    with pytest.raises(AnnotationNotFound):
        store.update("missing", note="x")
    with pytest.raises(AnnotationNotFound):
        store.delete("missing")
    assert store.get("missing") is None


def test_delete_returns_annotation_and_restore_undoes(store: Store):
    a = add(store, note="keep me")
    gone = store.delete(a.id)
    assert gone == a and store.annotations() == []
    store.restore(gone)
    assert store.annotations() == [a]


def test_put_many_is_all_or_nothing(store: Store):
    a = add(store)
    good = store.delete(a.id)
    bad = type(good)(**{**good.__dict__, "id": "other", "tag": "unknown"})
    with pytest.raises(InvalidAnnotation):
        store.put_many([good, bad])
    assert store.annotations() == []
    store.put_many([good])
    assert store.annotations() == [good]


def test_put_many_rolls_back_when_the_transaction_fails(store: Store, monkeypatch):
    a = add(store)
    changed = type(a)(**{**a.__dict__, "note": "changed"})
    original = store.db.table("annotations").upsert_all

    def explode(records, **kw):
        original(list(records), **kw)
        raise RuntimeError("disk fell off")

    table_class = store.db.table("annotations").__class__
    monkeypatch.setattr(table_class, "upsert_all", lambda self, r, **kw: explode(r, **kw))
    with pytest.raises(RuntimeError):
        store.put_many([changed])
    monkeypatch.undo()
    assert store.get(a.id) == a


def test_add_tag_and_counts(store: Store):
    store.add_tag(Tag("custom", "4", "#a855f7"))
    add(store)
    add(store, 20, 30)
    add(store, tag="custom")
    store.add("a2", "legal argument", 0, 2, BODY, "s")
    assert store.counts() == {"a1": {"demand": 2, "custom": 1}, "a2": {"legal argument": 1}}


# --- several connections -------------------------------------------------------------------


def test_two_stores_on_one_file_write_in_turn(db_path: Path):
    with Store(db_path) as one, Store(db_path) as two:
        v = one.external_token()
        a = add(one)
        b = add(two, 20, 30)
        assert one.external_token() != v  # noticed the other connection's write
        c = add(one, 30, 40)
        assert {x.id for x in two.annotations()} == {a.id, b.id, c.id}


def test_write_waits_for_another_writer(db_path: Path):
    with Store(db_path) as s:
        other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        threading.Timer(0.5, lambda: other.execute("COMMIT")).start()
        started = time.monotonic()
        add(s)  # BEGIN IMMEDIATE waits for the lock instead of failing at once
        assert time.monotonic() - started >= 0.3
        other.close()
        assert len(s.annotations()) == 1


CREATE_AND_ADD = """
import sys, time
from reader.store import Store
while time.time() < float(sys.argv[2]):
    time.sleep(0.001)
with Store(sys.argv[1]) as s:
    s.add("a1", "demand", 0, 3, "hello", "sha")
"""


def test_processes_creating_one_file_at_once_migrate_once(db_path: Path):
    go = str(time.time() + 1.0)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CREATE_AND_ADD, str(db_path), go],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=30)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    with Store(db_path) as s:
        assert s.db.table("_sqlite_migrations").count == 1
        assert len(s.annotations()) == 4 and len(s.tags()) == 3


# --- files we must refuse, untouched ----------------------------------------------------------


def refused(path: Path, match: str) -> None:
    before = sha(path) if path.is_file() else None
    names = sorted(os.listdir(path.parent))
    with pytest.raises(StoreError, match=match) as info:
        Store(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    if before is not None:
        assert sha(path) == before
    assert sorted(os.listdir(path.parent)) == names


def test_refuses_a_file_that_is_not_sqlite(db_path: Path):
    db_path.write_text("name,value\nnot,a database\n" * 20)
    refused(db_path, "is not a SQLite database")


def test_refuses_a_short_file_with_sqlite_header(db_path: Path):
    db_path.write_bytes(b"SQLite format 3\x00abc")
    refused(db_path, "is not a SQLite database")


def test_refuses_header_followed_by_garbage(db_path: Path):
    db_path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    refused(db_path, "corrupt")


def test_refuses_a_reader_database_with_damaged_pages(db_path: Path):
    with Store(db_path) as s:
        for i in range(300):
            s.add("a1", "demand", 0, 5, f"hello {i}" * 50, "sha", note="n" * 200)
    data = bytearray(db_path.read_bytes())
    page = 4096
    data[page * 3 : page * 6] = b"\xa5" * (page * 3)
    db_path.write_bytes(bytes(data))
    refused(db_path, "corrupt")


def test_refuses_another_programs_database_and_adds_no_table(db_path: Path):
    conn = sqlite3.connect(db_path)
    conn.execute("create table customers (id integer primary key, name text)")
    conn.execute("insert into customers (name) values ('Ada')")
    conn.commit()
    conn.close()
    refused(db_path, "another program.*customers")
    conn = sqlite3.connect(db_path)
    tables = conn.execute("select name from sqlite_master where type='table'").fetchall()
    assert tables == [("customers",)]
    conn.close()


def test_refuses_another_programs_wal_database_without_litter(db_path: Path):
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("create table notes (body text)")
    conn.commit()
    conn.close()  # checkpoints and removes -wal/-shm; the file stays in WAL mode
    refused(db_path, "another program.*notes")


def test_refuses_a_database_from_a_newer_reader(db_path: Path):
    with Store(db_path) as s:
        s.conn.execute("update reader_meta set value = '99' where key = 'schema_version'")
    refused(db_path, "newer version of reader")


def test_refuses_unknown_migrations_of_our_set(db_path: Path):
    with Store(db_path) as s:
        s.db.table("_sqlite_migrations").insert(
            {"migration_set": "reader", "name": "m099_future", "applied_at": "2030"}
        )
    refused(db_path, "newer version of reader")


def test_refuses_a_folder(tmp_path: Path):
    folder = tmp_path / "annotations.db"
    folder.mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        Store(folder)
    assert list(folder.iterdir()) == []


def test_refuses_a_fifo(tmp_path: Path):
    fifo = tmp_path / "annotations.db"
    os.mkfifo(fifo)
    with pytest.raises(StoreError, match="not a regular file"):
        Store(fifo)


def test_refuses_a_missing_parent_folder(tmp_path: Path):
    path = tmp_path / "nope" / "annotations.db"
    with pytest.raises(StoreError, match="does not exist"):
        Store(path)
    assert not path.parent.exists()


# --- read-only locations -----------------------------------------------------------------------


@pytest.fixture
def read_only(monkeypatch):
    """Call it to make the store see every file and folder as read-only (tests run as root,
    so chmod alone would not stop writes)."""
    real = os.access

    def enable() -> None:
        monkeypatch.setattr(
            opening.os, "access", lambda p, mode: False if mode & os.W_OK else real(p, mode)
        )

    return enable


def test_read_only_database_opens_for_reading_and_refuses_writes(db_path: Path, read_only):
    with Store(db_path) as s:
        a = add(s)
    before = sha(db_path)
    read_only()
    with Store(db_path) as s:
        assert s.read_only and s.annotations() == [a]
        with pytest.raises(StoreError, match="read-only"):
            add(s)
        with pytest.raises(StoreError, match="read-only"):
            s.delete(a.id)
    assert sha(db_path) == before


def test_new_database_in_read_only_folder_is_refused(db_path: Path, read_only):
    read_only()
    with pytest.raises(StoreError, match="read-only"):
        Store(db_path)
    assert not db_path.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_real_read_only_file(db_path: Path):  # pragma: no cover - runs for non-root users
    with Store(db_path) as s:
        add(s)
    db_path.chmod(0o444)
    with Store(db_path) as s:
        assert s.read_only
        with pytest.raises(StoreError, match="read-only"):
            add(s)


def test_core_modules_do_not_import_textual():
    code = (
        "import sys, reader.store, reader.anchoring, reader.exchange\n"
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)

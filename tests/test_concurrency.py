"""The database under real use (issue 6): two instances tagging at once, kill -9 after a tag,
two first starts at once, and every kind of file reader must refuse, through the command line.

Complements test_store.py (two Store objects in one process, four processes creating one file)
and test_cli.py (non-SQLite and garbage files, another program's database, a folder).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from reader.cli import main
from reader.corpus.articles import load_corpus
from reader.exchange import apply_import, plan_import
from reader.store import Store
from reader.store import opening as store_module
from reader.tui.app import ReaderApp
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_list import ArticleList

REPO = Path(__file__).resolve().parent.parent
A = "000_ae0beaf4b9f7a712"
SIZE = (160, 40)

TAG_IN_A_LOOP = """
import sys
from reader.store import Store
name, count = sys.argv[2], int(sys.argv[3])
body = "abcdefghij" * 10
with Store(sys.argv[1]) as store:
    for i in range(count):
        store.add("a-" + name, "demand", i % 50, i % 50 + 5, body, "sha", note=f"{name} {i}")
        store.annotations("a-" + name)  # the screen reads between writes
print("done", flush=True)
"""

TAG_THEN_SLEEP = """
import sys, time
from reader.store import Store
store = Store(sys.argv[1])
added = store.add("a1", "casualty figure", 4, 9, "The hundred dead.", "sha")
print(added.id, flush=True)
time.sleep(60)
"""


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def python(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# --- two processes ----------------------------------------------------------------------------


def test_two_processes_tagging_at_once_keep_every_annotation(db_path: Path):
    Store(db_path).close()
    procs = [python(TAG_IN_A_LOOP, str(db_path), name, "60") for name in ("one", "two")]
    results = [p.communicate(timeout=60) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0 and out.strip() == "done", err
        assert "locked" not in err
    with Store(db_path) as store:
        notes = sorted(a.note for a in store.annotations())
    assert notes == sorted(f"{n} {i}" for n in ("one", "two") for i in range(60))


def test_kill_9_half_a_second_after_a_tag_loses_nothing(db_path: Path):
    proc = python(TAG_THEN_SLEEP, str(db_path))
    try:
        annotation_id = proc.stdout.readline().strip()
        assert annotation_id, proc.stderr.read()
        time.sleep(0.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    with Store(db_path) as store:
        found = store.get(annotation_id)
        assert found is not None and found.quote == "hundr"
        assert store.conn.execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_kill_9_of_the_app_after_a_tag_key_loses_nothing(tmp_path: Path, corpus_dir: Path):
    """The real TUI in a pseudo-terminal: tag with keys, SIGKILL 0.5 s later, reopen."""
    pytest.importorskip("pty")
    from test_pty import Terminal

    db = tmp_path / "a.db"
    terminal = Terminal(["--articles", str(corpus_dir), "--db", str(db)], tmp_path)
    try:
        assert terminal.wait_for(b"Articles", timeout=15)
        terminal.send(b"\r", 0.8)  # open the first article
        mark = len(terminal.output)
        for key in (b"v", b"\x1b[C", b"\x1b[C", b"\x1b[C", b"\x1b[C", b"2"):
            terminal.send(key, 0.08)
        assert terminal.wait_for(b"Tagged", mark, timeout=5)  # the app's notice
        time.sleep(0.5)
        os.kill(terminal.pid, signal.SIGKILL)
        assert terminal.wait_exit(5) == -signal.SIGKILL
    finally:
        terminal.close()
    with Store(db) as store:
        (tagged,) = store.annotations()
    assert (tagged.article_id, tagged.tag, tagged.start, tagged.end) == (A, "casualty figure", 0, 4)


def test_two_first_imports_at_once_migrate_once(tmp_path: Path, corpus_dir: Path):
    body = (corpus_dir / f"{A}.txt").read_text(encoding="utf-8")
    entries = [
        {"tag": "demand", "start": i, "end": i + 10, "quote": body[i : i + 10]}
        for i in range(0, 200, 20)
    ]
    doc = {"format": "reader-annotations/1", "articles": [{"id": A, "annotations": entries}]}
    (tmp_path / "x.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "new.db"
    go = time.time() + 1.0
    start_at = f"import time\nwhile time.time() < {go}: time.sleep(0.001)\n"
    code = start_at + "import sys\nfrom reader.cli import main\nsys.exit(main())\n"
    args = ["import", "x.yaml", "--articles", str(corpus_dir), "--db", str(db)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    with Store(db) as store:
        assert store.db.table("_sqlite_migrations").count == 1
        spans = {(a.start, a.end) for a in store.annotations()}
    assert spans == {(e["start"], e["end"]) for e in entries}


def test_two_imports_planned_at_once_add_each_entry_once(db_path: Path, corpus_dir: Path):
    corpus = load_corpus(corpus_dir)
    body = corpus.get(A).body
    entries = [{"tag": "demand", "start": 0, "end": 10, "quote": body[:10]}]
    doc = {"format": "reader-annotations/1", "articles": [{"id": A, "annotations": entries}]}
    text = yaml.safe_dump(doc)
    with Store(db_path) as one, Store(db_path) as two:
        plans = [plan_import(text, one, corpus), plan_import(text, two, corpus)]
        first = apply_import(plans[0], one)
        second = apply_import(plans[1], two)
        assert len(one.annotations()) == 1
        assert (first.added, second.added, second.unchanged) == (1, 0, 1)


def test_import_planned_before_another_process_edits_keeps_that_edit(db_path, corpus_dir):
    """An entry with an id is planned; another process then retags it; applying the stale plan
    plans again under the write lock and reports what it really changed."""
    corpus = load_corpus(corpus_dir)
    body = corpus.get(A).body
    with Store(db_path) as one, Store(db_path) as two:
        ann = one.add(A, "demand", 0, 10, body, corpus.get(A).sha256)
        entry = {
            "id": ann.id,
            "tag": "demand",
            "start": 0,
            "end": 10,
            "quote": body[:10],
            "note": "from the file",
        }
        doc = {"format": "reader-annotations/1", "articles": [{"id": A, "annotations": [entry]}]}
        plan = plan_import(yaml.safe_dump(doc), one, corpus)
        assert (plan.added, plan.updated) == (0, 1)
        two.update(ann.id, tag="legal argument")
        result = apply_import(plan, one)
        (kept,) = one.annotations()
        assert kept.note == "from the file" and kept.tag == "demand"
        assert (result.added, result.updated) == (0, 1)


# --- two apps on one database -----------------------------------------------------------------


async def test_two_apps_on_one_database_tag_in_turn_and_see_each_other(db_path, corpus_dir):
    """The first polls (every 0.1 s), the second is told to check (as on focus); both tag in
    turn; then the first deletes what the second still shows, and the second acts on it."""
    with Store(db_path) as first, Store(db_path) as second:
        one = ReaderApp(store=first, corpus=load_corpus(corpus_dir), poll_seconds=0.1)
        two = ReaderApp(store=second, corpus=load_corpus(corpus_dir), poll_seconds=0)
        async with one.run_test(size=SIZE) as p1, two.run_test(size=SIZE) as p2:
            await p1.press("enter")
            await p2.press("enter")
            pane = two.panes[0]
            await p1.press("v", "right", "right", "right", "1")
            (tagged,) = first.annotations()
            assert pane.current_highlights() == []  # not checked yet
            two.check_external_changes()
            await p2.pause()
            assert [h.annotation_id for h in pane.current_highlights()] == [tagged.id]
            assert [a.id for a in two.query_one(AnnotationPanel).annotations] == [tagged.id]
            assert two.query_one(ArticleList).counts[A] == {"legal argument": 1}
            for turn in range(1, 5):
                pilot, app = (p1, one) if turn % 2 == 0 else (p2, two)
                app.panes[0].select(turn * 10, turn * 10 + 5)
                await pilot.press("3")
            two.check_external_changes()
            await p1.pause(0.25)  # the first polls: it shows the second's tags by itself
            for app in (one, two):
                for t in range(5):
                    app.panes[0].move_to(t * 10 + 2)
                    spans = [(h.start, h.end) for h in app.panes[0].current_highlights()]
                    assert spans == [(t * 10, t * 10 + (3 if t == 0 else 5))], (app, t)
            assert not any("locked" in n for n in one.notices + two.notices)
            # the first deletes its tag; the second, not yet told, acts on it: a notice
            first.delete(tagged.id)
            pane.move_to(1)
            await p2.press("2", "n")  # retag, then a note, on the annotation under the cursor
            assert any("gone" in n for n in two.notices)
            assert two.is_running and one.is_running
        assert len(first.annotations()) == 4


async def test_read_only_database_in_the_app_says_so_and_keeps_running(
    db_path, corpus_dir, monkeypatch
):
    Store(db_path).close()
    before = sha(db_path)
    real = os.access
    monkeypatch.setattr(
        store_module.os, "access", lambda p, mode: False if mode & os.W_OK else real(p, mode)
    )
    with Store(db_path) as store:
        assert store.read_only
        app = ReaderApp(store=store, corpus=load_corpus(corpus_dir), poll_seconds=0)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter", "v", "right", "right", "1")
            assert app.is_running
            assert any("read-only" in n for n in app.notices)
    assert sha(db_path) == before


# --- files reader must refuse, through the command line ------------------------------------


def _not_sqlite(path: Path) -> None:
    path.write_text("id,quote\n1,not a database\n" * 40)


def _garbage_after_header(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)


def _damaged_pages(path: Path) -> None:
    with Store(path) as store:
        first = store.add("a1", "demand", 0, 5, "hello" * 50, "sha", note="n" * 200)
        store.put_many([dataclasses.replace(first, id=f"id-{i}") for i in range(300)])
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xa5" * (4096 * 3)
    path.write_bytes(bytes(data))


def _other_program(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("create table invoices (id integer primary key, total real)")
    conn.commit()
    conn.close()


def _newer_reader(path: Path) -> None:
    with Store(path) as store:
        store.conn.execute("update reader_meta set value = '7' where key = 'schema_version'")


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("keep me")


REFUSED = {
    "not SQLite": (_not_sqlite, "is not a SQLite database"),
    "garbage after the header": (_garbage_after_header, "corrupt"),
    "damaged pages": (_damaged_pages, "corrupt"),
    "another program's database": (_other_program, "another program (tables: invoices)"),
    "a newer reader's database": (_newer_reader, "newer version of reader"),
    "a folder": (_folder, "is a folder"),
}


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): sha(p) if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("kind", list(REFUSED))
def test_cli_refuses_each_bad_database_with_its_own_message(
    kind, tmp_path, corpus_dir, capsys, monkeypatch
):
    make, words = REFUSED[kind]
    db = tmp_path / "data" / "annotations.db"
    db.parent.mkdir()
    make(db)
    (tmp_path / "x.yaml").write_text("format: reader-annotations/1\narticles: []\n")
    before = snapshot(db.parent)
    monkeypatch.chdir(tmp_path)
    for command in (["list"], ["export"], ["export", "-o", "out.yaml"], ["import", "x.yaml"]):
        code = main([*command, "--articles", str(corpus_dir), "--db", str(db)])
        err = capsys.readouterr().err
        assert code != 0, (kind, command)
        assert err.count("\n") == 1 and str(db) in err and words in err, (kind, command, err)
        assert "Traceback" not in err
    assert snapshot(db.parent) == before
    assert not (tmp_path / "out.yaml").exists()


def test_cli_messages_differ_by_kind(tmp_path, corpus_dir, capsys):
    messages = set()
    for i, (make, _) in enumerate(REFUSED.values()):
        db = tmp_path / f"db{i}" / "annotations.db"
        db.parent.mkdir()
        make(db)
        assert main(["list", "--articles", str(corpus_dir), "--db", str(db)]) != 0
        messages.add(capsys.readouterr().err.replace(str(db), "DB"))
    assert len(messages) == len(REFUSED) - 1  # garbage and damaged pages: both "corrupt"


@pytest.fixture
def read_only(monkeypatch):
    """Make the store see files and folders as read-only (root would write them anyway)."""
    real = os.access

    def enable() -> None:
        monkeypatch.setattr(
            store_module.os, "access", lambda p, mode: False if mode & os.W_OK else real(p, mode)
        )

    return enable


def test_cli_read_only_database_reads_but_refuses_import(tmp_path, corpus_dir, capsys, read_only):
    db = tmp_path / "annotations.db"
    with Store(db) as store:
        body = load_corpus(corpus_dir).get(A).body
        store.add(A, "demand", 0, 8, body, "stale-sha")  # export re-anchors: no write allowed
    entry = {"tag": "legal argument", "start": 0, "end": 4, "quote": body[:4]}
    doc = {"format": "reader-annotations/1", "articles": [{"id": A, "annotations": [entry]}]}
    (tmp_path / "x.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    before = snapshot(tmp_path)
    read_only()
    args = ["--articles", str(corpus_dir), "--db", str(db)]
    assert main(["list", *args]) == 0
    assert "demand=1" in capsys.readouterr().out
    assert main(["export", *args]) == 0
    assert f"quote: {body[:8]}" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "x.yaml"), *args]) != 0
    err = capsys.readouterr().err
    assert "read-only" in err and str(db) in err and err.count("\n") == 1
    assert snapshot(tmp_path) == before


def test_cli_new_database_in_read_only_folder_is_refused(tmp_path, corpus_dir, capsys, read_only):
    (tmp_path / "x.yaml").write_text("format: reader-annotations/1\narticles: []\n")
    read_only()
    db = tmp_path / "annotations.db"
    code = main(
        ["import", str(tmp_path / "x.yaml"), "--articles", str(corpus_dir), "--db", str(db)]
    )
    err = capsys.readouterr().err
    assert code != 0 and "read-only" in err and str(tmp_path) in err
    assert not db.exists()


async def test_a_tag_after_another_process_wrote_shows_both_even_before_a_check(
    db_path, corpus_dir
):
    """A tag refreshes only what it changed, from what the app keeps of the article; when
    another process wrote meanwhile (not yet polled), that is noticed and all is read again."""
    with Store(db_path) as mine, Store(db_path) as other:
        app = ReaderApp(store=mine, corpus=load_corpus(corpus_dir), poll_seconds=0)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            pane = app.panes[0]
            pane.select(0, 5)
            await pilot.press("1")
            body = pane.body
            theirs = other.add(A, "demand", 20, 30, body, load_corpus(corpus_dir).get(A).sha256)
            pane.select(40, 45)
            await pilot.press("2")
            shown = {a.id for a in app.query_one(AnnotationPanel).annotations}
            assert shown == {a.id for a in mine.annotations()} and theirs.id in shown
            assert {h.annotation_id for h in pane._highlights.items} == shown
            assert app.query_one(ArticleList).counts[A] == {
                "legal argument": 1,
                "demand": 1,
                "casualty figure": 1,
            }
            await pilot.press("u")  # undo the second tag: only it goes
            assert {a.id for a in app.query_one(AnnotationPanel).annotations} == {
                a.id for a in mine.annotations()
            }
            assert len(pane._highlights.items) == 2

"""Edited articles through the whole path (issue 6): tag through the Store, edit the file on
disk, load the folder again, export; the offsets, quotes and orphaned flags must be right.
test_anchoring.py checks `anchor` and `reconcile` themselves."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from reader.anchoring import WINDOW
from reader.corpus.articles import load_corpus
from reader.exchange import export_document
from reader.store import Annotation, Store
from reader.tui.app import ReaderApp

ARTICLE = "000_ae0beaf4b9f7a712"
QUOTE = "caused close to a hundred deaths"


@pytest.fixture
def store(db_path: Path):
    with Store(db_path) as fresh:
        yield fresh


def path_of(folder: Path, article_id: str = ARTICLE) -> Path:
    return folder / f"{article_id}.txt"


def tag(store: Store, folder: Path, quote: str, nth: int = 0, article_id: str = ARTICLE):
    """Tag the ``nth`` occurrence of ``quote`` as the app does (body and sha from the file)."""
    article = load_corpus(folder).get(article_id)
    start = -1
    for _ in range(nth + 1):
        start = article.body.index(quote, start + 1)
    return store.add(article_id, "demand", start, start + len(quote), article.body, article.sha256)


def edit(folder: Path, change, article_id: str = ARTICLE) -> str:
    path = path_of(folder, article_id)
    new = change(path.read_text(encoding="utf-8"))
    path.write_text(new, encoding="utf-8")
    return new


def exported(store: Store, folder: Path) -> dict[str, dict]:
    """Export after loading the folder again: {annotation id: entry}, each entry checked."""
    corpus = load_corpus(folder)
    doc = export_document(store, corpus)
    entries = {}
    for head in doc["articles"]:
        article = corpus.get(head["id"])
        for entry in head["annotations"]:
            if article is not None and not entry.get("orphaned"):
                assert article.body[entry["start"] : entry["end"]] == entry["quote"]
            entries[entry["id"]] = entry | {"article": head}
    return entries


def test_text_inserted_above(store, corpus_dir):
    a = tag(store, corpus_dir, QUOTE)
    edit(corpus_dir, lambda body: "Correction appended at the top.\n\n" + body)
    entry = exported(store, corpus_dir)[a.id]
    assert (entry["start"], entry["end"]) == (a.start + 33, a.end + 33)
    assert entry["quote"] == QUOTE and "orphaned" not in entry and "review" not in entry


def test_a_word_changed_inside_the_quote(store, corpus_dir):
    a = tag(store, corpus_dir, QUOTE)
    edit(corpus_dir, lambda body: body.replace("close to a hundred", "nearly a hundred"))
    entry = exported(store, corpus_dir)[a.id]
    assert entry["quote"] == "caused nearly a hundred deaths"
    assert entry["start"] == a.start and entry["review"] is True


def test_the_passage_deleted(store, corpus_dir):
    a = tag(store, corpus_dir, QUOTE)
    edit(corpus_dir, lambda body: body.replace(body[a.start - 200 : a.end + 200], ""))
    entry = exported(store, corpus_dir)[a.id]
    assert entry["orphaned"] is True
    assert (entry["start"], entry["end"], entry["quote"]) == (a.start, a.end, QUOTE)
    # kept: a second export still has it, still orphaned
    assert exported(store, corpus_dir)[a.id]["orphaned"] is True


def test_an_orphan_comes_back_when_its_passage_does(store, corpus_dir):
    a = tag(store, corpus_dir, QUOTE)
    original = path_of(corpus_dir).read_text(encoding="utf-8")
    edit(corpus_dir, lambda body: body.replace(QUOTE, "[passage removed]"))
    assert exported(store, corpus_dir)[a.id]["orphaned"] is True
    edit(corpus_dir, lambda _: "Restored.\n" + original)
    entry = exported(store, corpus_dir)[a.id]
    assert "orphaned" not in entry and entry["start"] == a.start + 10


def test_the_quote_occurring_twice(store, corpus_dir):
    phrase = "the Venezuelan government"
    body = path_of(corpus_dir).read_text(encoding="utf-8")
    assert body.count(phrase) >= 2
    first, second = tag(store, corpus_dir, phrase, 0), tag(store, corpus_dir, phrase, 1)
    # a pull quote with the phrase above both, and a paragraph between them
    middle = (first.end + second.start) // 2
    middle = body.index(" ", middle)
    edit(
        corpus_dir,
        lambda b: f"Pull quote: “{phrase}”.\n\n" + b[:middle] + " (An added aside.)" + b[middle:],
    )
    new = path_of(corpus_dir).read_text(encoding="utf-8")
    entries = exported(store, corpus_dir)
    shift = len(f"Pull quote: “{phrase}”.\n\n")
    assert entries[first.id]["start"] == first.start + shift
    assert entries[second.id]["start"] == second.start + shift + len(" (An added aside.)")
    assert new.count(phrase) == body.count(phrase) + 1


def test_the_quote_occurring_twice_and_one_occurrence_deleted(store, corpus_dir):
    phrase = "the Venezuelan government"
    first, second = tag(store, corpus_dir, phrase, 0), tag(store, corpus_dir, phrase, 1)
    edit(corpus_dir, lambda b: b[: first.start] + "Caracas" + b[first.end :])
    entries = exported(store, corpus_dir)
    shift = len("Caracas") - len(phrase)
    assert (
        entries[second.id]["start"] == second.start + shift and "review" not in entries[second.id]
    )
    # the first one's words recur only in other surroundings: kept there, flagged for review
    assert entries[first.id]["start"] == second.start + shift
    assert entries[first.id]["review"] is True and "orphaned" not in entries[first.id]


def test_a_word_changed_in_place_while_the_quote_recurs_elsewhere(store, corpus_dir):
    a = tag(store, corpus_dir, QUOTE)
    edit(
        corpus_dir,
        lambda b: f"Headline: “{QUOTE}”\n\n" + b.replace(QUOTE, "caused nearly a hundred deaths"),
    )
    entry = exported(store, corpus_dir)[a.id]
    # not the headline (same words, other surroundings) but the edited passage in its place
    assert entry["quote"] == "caused nearly a hundred deaths" and entry["review"] is True
    assert entry["start"] == a.start + len(f"Headline: “{QUOTE}”\n\n")


def test_the_article_file_removed(store, corpus_dir, tmp_path):
    a = tag(store, corpus_dir, QUOTE)
    other = tag(store, corpus_dir, "Amnesty", article_id="002_f04bd37b83778a94")
    path_of(corpus_dir).unlink()
    entries = exported(store, corpus_dir)
    gone = entries[a.id]
    assert gone["article"]["file"] is None and gone["article"]["sha256"] is None
    assert (gone["start"], gone["end"], gone["quote"]) == (a.start, a.end, QUOTE)
    assert "orphaned" not in gone  # not lost: its file may come back
    assert entries[other.id]["article"]["file"] == "002_f04bd37b83778a94.txt"
    shutil.copy(Path(__file__).parent.parent / "reader" / "sample" / f"{ARTICLE}.txt", corpus_dir)
    assert exported(store, corpus_dir)[a.id]["article"]["file"] == f"{ARTICLE}.txt"


def test_edited_twice(store, corpus_dir):
    a = tag(store, corpus_dir, QUOTE)
    edit(corpus_dir, lambda b: "One.\n" + b)
    assert exported(store, corpus_dir)[a.id]["start"] == a.start + 5
    edit(corpus_dir, lambda b: "Two.\n" + b.replace("close to a hundred", "about a hundred"))
    entry = exported(store, corpus_dir)[a.id]
    assert entry["quote"] == "caused about a hundred deaths" and entry["start"] == a.start + 10


def test_encoding_or_newline_changes(store, corpus_dir):
    a = tag(store, corpus_dir, QUOTE)
    body = path_of(corpus_dir).read_text(encoding="utf-8")
    path_of(corpus_dir).write_bytes(body.encode("utf-16"))  # the same text: nothing to do
    entry = exported(store, corpus_dir)[a.id]
    assert (entry["start"], entry["quote"]) == (a.start, QUOTE)
    crlf = body.replace("\n", "\r\n")  # saved on Windows: every line gains a character
    path_of(corpus_dir).write_bytes(crlf.encode("utf-8"))
    entry = exported(store, corpus_dir)[a.id]
    assert entry["start"] == crlf.index(QUOTE) and "review" not in entry


def test_deleted_passages_in_a_long_article_are_given_up_quickly(store, corpus_dir):
    body = path_of(corpus_dir).read_text(encoding="utf-8")
    filler = "A sentence of filler that says nothing in particular at all. " * 6000
    path_of(corpus_dir).write_text(filler + body, encoding="utf-8")
    tagged = [tag(store, corpus_dir, q) for q in (QUOTE, "imprisoning them in a New York jail")]
    edit(corpus_dir, lambda b: filler + "Everything after the filler was rewritten.")
    started = time.monotonic()
    entries = exported(store, corpus_dir)
    assert time.monotonic() - started < 3  # bitap over 380,000 characters took 11 s each
    assert all(entries[a.id]["orphaned"] for a in tagged)


def test_passage_moved_far_and_edited_in_a_long_article(store, corpus_dir):
    body = path_of(corpus_dir).read_text(encoding="utf-8")
    filler = "A sentence of filler that says nothing in particular at all. " * (WINDOW // 10)
    path_of(corpus_dir).write_text(filler + body, encoding="utf-8")
    a = tag(store, corpus_dir, QUOTE)
    moved = "caused close to one hundred deaths"
    edit(corpus_dir, lambda _: f"Lead: it {moved}.\n" + filler + body.replace(QUOTE, "X"))
    entry = exported(store, corpus_dir)[a.id]
    assert (entry["start"], entry["quote"], entry["review"]) == (9, moved, True)


# --- the command line and the app ------------------------------------------------------------


def run_reader(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "READER_DEBUG"}
    found = shutil.which("reader")
    command = [found] if found else [sys.executable, "-m", "reader"]
    return subprocess.run(
        [*command, *args], cwd=cwd, capture_output=True, text=True, timeout=60, env=env
    )


def test_reader_export_shows_orphans_moves_and_missing_files(tmp_path, corpus_dir, db_path):
    with Store(db_path) as store:
        moved = tag(store, corpus_dir, "Amnesty International unequivocally condemns")
        gone = tag(store, corpus_dir, QUOTE)
        missing = tag(store, corpus_dir, "Amnesty", article_id="002_f04bd37b83778a94")
    edit(corpus_dir, lambda b: "Update.\n" + b.replace(QUOTE, ""))
    path_of(corpus_dir, "002_f04bd37b83778a94").unlink()
    args = ("--articles", str(corpus_dir), "--db", str(db_path))
    result = run_reader("export", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "orphaned: true" in result.stdout
    doc = yaml.safe_load(result.stdout)
    entries = {e["id"]: e for head in doc["articles"] for e in head["annotations"]}
    assert entries[gone.id]["orphaned"] is True and entries[gone.id]["quote"] == QUOTE
    assert entries[moved.id]["start"] == moved.start + 8 and "orphaned" not in entries[moved.id]
    assert entries[missing.id]["quote"] == "Amnesty"
    listing = run_reader("list", *args, cwd=tmp_path)
    assert "002_f04bd37b83778a94\t(file missing: annotations kept)" in listing.stdout


async def test_the_app_reanchors_on_start_and_reports_orphans(corpus_dir, db_path):
    with Store(db_path) as store:
        moved = tag(store, corpus_dir, "Amnesty International unequivocally condemns")
        gone = tag(store, corpus_dir, QUOTE)
        edit(corpus_dir, lambda b: "Update.\n" + b.replace(QUOTE, ""))
        app = ReaderApp(store=store, corpus=load_corpus(corpus_dir), poll_seconds=0)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("enter")
            pane = app.panes[0]
            pane.move_to(moved.start + 8 + 3)
            assert [h.annotation_id for h in pane.current_highlights()] == [moved.id]
            assert any("could not be found" in n for n in app.notices)
        now: dict[str, Annotation] = {a.id: a for a in store.annotations()}
    assert now[gone.id].orphaned and not now[moved.id].orphaned


async def test_an_article_edited_while_the_app_runs_is_reanchored_when_opened_again(
    corpus_dir, db_path
):
    """Tag, close the pane, edit the file on disk (a line above, the passage of another tag
    deleted), open it again: the highlights follow the text, the orphan is in O."""
    with Store(db_path) as store:
        app = ReaderApp(store=store, corpus=load_corpus(corpus_dir), poll_seconds=0)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("enter")
            body = app.panes[0].body
            kept_at = body.index("Amnesty International unequivocally condemns")
            app.panes[0].select(kept_at, kept_at + 30)
            await pilot.press("1")
            gone_at = body.index(QUOTE)
            app.panes[0].select(gone_at, gone_at + len(QUOTE))
            await pilot.press("3")
            await pilot.press("ctrl+w")
            assert not app.panes
            edit(corpus_dir, lambda b: "A line added above.\n" + b.replace(QUOTE, "(removed)"))
            await pilot.press("enter")
            pane = app.panes[0]
            assert pane.body.startswith("A line added above.\n")
            (shown,) = pane._highlights.items
            assert pane.body[shown.start : shown.end] == body[kept_at : kept_at + 30]
            assert shown.start == kept_at + len("A line added above.\n")
            told = [n for n in app.notices if "changed since it was annotated" in n]
            assert told and "orphans" in told[0]
            from reader.tui.widgets.annotation_panel import AnnotationPanel

            panel = app.query_one(AnnotationPanel)
            assert {a.start for a in panel.annotations if not a.orphaned} == {shown.start}
            await pilot.press("O")
            await pilot.pause()
            from reader.tui.screens.passages import OrphanList

            screen = app.screen
            assert isinstance(screen, OrphanList)
            assert [a.quote for a in screen.orphans] == [QUOTE]


async def test_a_file_changed_or_deleted_while_shown_is_announced_and_its_tags_kept(
    corpus_dir, db_path
):
    with Store(db_path) as store:
        app = ReaderApp(store=store, corpus=load_corpus(corpus_dir), poll_seconds=0)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("enter")
            pane = app.panes[0]
            body = pane.body
            pane.select(0, 10)
            await pilot.press("2")
            path = path_of(corpus_dir)
            path.write_text("Something else.\n" + body, encoding="utf-8")
            os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
            app.check_external_changes()
            assert any("changed on disk" in n for n in app.notices)
            assert pane.body == body  # what the user reads does not jump under them
            app.check_external_changes()
            assert sum("changed on disk" in n for n in app.notices) == 1  # told once
            path.unlink()
            app.check_external_changes()
            assert any("was deleted or moved" in n for n in app.notices)
            await pilot.press("O")
            await pilot.pause()
            from reader.tui.screens.passages import OrphanList

            screen = app.screen
            assert isinstance(screen, OrphanList) and len(screen.orphans) == 1
            await pilot.press("enter")  # its article is gone: explained, nothing opened
            assert isinstance(app.screen, OrphanList)
            assert any("file is missing" in n for n in app.notices + screen_notices(app))
            await pilot.press("x")
            await pilot.pause()
        assert store.annotations() == []


def screen_notices(app: ReaderApp) -> list[str]:
    return [n.message for n in app._notifications]

"""Hostile articles (issue 6): each kind opens correctly or is listed with a one-line reason;
tagged text round-trips through export and import; the TUI opens each without crashing and
draws control characters as placeholders."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import pytest
from hostile import (
    CHANGED_BODY,
    DENY_PRELUDE,
    MARKER,
    Expectation,
    deny_reads,
    make_control_names,
    make_hostile_corpus,
    make_huge_article,
    make_yaml_bombs,
)

from reader.corpus import files as corpus_files
from reader.corpus.articles import ArticleError, load_corpus
from reader.exchange import PureDumper, apply_import, dump_yaml, export_document, plan_import
from reader.store import Store
from reader.text.layout import BIDI_CONTROLS, is_boundary
from reader.tui.app import ReaderApp
from reader.tui.widgets.reading_pane import ReadingPane

with tempfile.TemporaryDirectory() as _tmp:
    KINDS = make_hostile_corpus(Path(_tmp) / "articles")
OPENABLE = sorted(k for k, e in KINDS.items() if e.opens and not e.while_shown)
REFUSED = sorted(k for k, e in KINDS.items() if not e.opens)
SIZE = (120, 36)
CLI = DENY_PRELUDE + "\nfrom reader.cli import main\nsys.argv[0] = 'reader'\nsys.exit(main())\n"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, dict[str, Expectation]]:
    """One hostile folder for the tests that only read it."""
    folder = tmp_path_factory.mktemp("hostile") / "articles"
    return folder, make_hostile_corpus(folder)


@pytest.fixture
def corpus(hostile, monkeypatch):
    folder, kinds = hostile
    deny_reads(monkeypatch, kinds)
    return load_corpus(folder)


def run_cli(*args: str, cwd: Path, deny: str = "unreadable.txt") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "READER_DEBUG"}
    env["READER_TEST_DENY"] = deny
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        cwd=cwd,
        capture_output=True,
        timeout=60,
        env=env,
    )


def drawn_controls(text: str) -> list[str]:
    """Characters in drawn text that a terminal would act on or that reorder the line."""
    return [
        f"U+{ord(ch):04X}"
        for ch in text
        if unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS or ch in "\u2028\u2029"
    ]


# --- listing -----------------------------------------------------------------------------------


def test_every_kind_is_listed_once(corpus):
    assert sorted(a.id for a in corpus) == sorted(KINDS)


@pytest.mark.parametrize("article_id", sorted(KINDS))
def test_kind_opens_or_is_listed_with_a_reason(corpus, article_id):
    expected = KINDS[article_id]
    article = corpus.get(article_id)
    assert article is not None, expected.kind
    if not expected.opens:
        assert article.error is not None, expected.kind
        assert "\n" not in article.error
        for word in expected.reason:
            assert word.lower() in article.error.lower(), (expected.kind, article.error)
        with pytest.raises(ArticleError) as info:
            _ = article.body
        assert expected.file in str(info.value)
        return
    assert article.ok, (expected.kind, article.error)
    body = article.body
    assert expected.body_ok(body), (expected.kind, body[:200])
    for word in expected.warning:
        assert any(word in w for w in article.warnings), (expected.kind, article.warnings)
    assert all("\n" not in w for w in article.warnings)
    if expected.title is not None:
        assert article.title == expected.title
    if expected.encoding is not None:
        assert article.encoding == expected.encoding
    assert not body.startswith("\ufeff")
    assert article.display_title and article.display_title.isprintable() or article.title


def test_python_tag_never_ran(hostile, corpus):
    folder, _ = hostile
    _ = corpus.get("python-tag").body
    assert not (folder.parent / f"{folder.name}-python-tag-ran").exists()


def test_metadata_with_escape_sequences_is_kept_as_data(corpus):
    tabs = corpus.get("tabs")
    assert tabs.title.startswith("\x1b]2;" + MARKER)
    assert tabs.outlet.startswith("\x1b[2J")
    assert corpus.get("cr-only").date == "2023-02-29"  # impossible: kept as written
    assert corpus.get("impossible-date").date == "2024-02-30"
    crlf = corpus.get("crlf")
    assert crlf.title is None and any("'title' is a list" in w for w in crlf.warnings)
    assert crlf.author is None  # !!binary: never "b'hello'"
    assert any("metadata.yaml: 'author' is binary" in w for w in crlf.warnings)
    odd = corpus.get("front-matter-not-text")
    assert odd.metadata() == {
        "title": None, "outlet": None, "author": None, "date": "2026", "language": "no",
    }  # fmt: skip


def test_reader_list_shows_one_clean_line_per_file(hostile):
    folder, kinds = hostile
    result = run_cli("list", "--articles", str(folder), "--db", "x.db", cwd=folder.parent)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    out = result.stdout.decode("utf-8")
    lines = out.splitlines()
    assert len(lines) == len(kinds), out
    by_id = {line.split("\t", 1)[0]: line for line in lines}
    assert sorted(by_id) == sorted(kinds)
    for article_id, expected in kinds.items():
        line = by_id[article_id]
        assert not drawn_controls(line.replace("\t", " ")), (article_id, line)
        if not expected.opens:
            assert f"cannot open {expected.file}:" in line
            for word in expected.reason:
                assert word.lower() in line.lower(), (article_id, line)
        else:
            assert "cannot open" not in line, line
    # the articles' warnings (why a title is a file name, a text looks odd) go to stderr,
    # escaped like the listing
    assert not drawn_controls(stderr.replace("\n", " ")), stderr
    for article_id, expected in kinds.items():
        for word in expected.warning:
            assert any(
                line.startswith(f"reader: warning: {expected.file}: ") and word in line
                for line in stderr.splitlines()
            ), (article_id, word, stderr)


LOAD_ALL = """
import sys
from reader.corpus.articles import load_corpus
corpus = load_corpus(sys.argv[1])
print("warning:", *corpus.warnings)
for article in corpus:
    print(article.id, repr(article.body), *article.warnings, sep="|")
"""


def test_yaml_bombs_neither_crash_nor_hang(tmp_path):
    """In a subprocess: before the nesting guard, libyaml overflowed the C stack (exit -11)."""
    folder = tmp_path / "articles"
    expected = make_yaml_bombs(folder)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", LOAD_ALL, str(folder)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert time.monotonic() - started < 10
    lines = result.stdout.splitlines()
    assert "metadata.yaml" in lines[0] and "nested more than 64 levels" in lines[0]
    rows = {line.split("|")[0]: line for line in lines[1:]}
    for article_id, body in expected.items():
        assert f"{article_id}|{body!r}|" in rows[article_id]
        assert "front matter is not valid YAML (nested more than 64" in rows[article_id]
    listing = run_cli("list", "--articles", str(folder), "--db", "x.db", cwd=tmp_path)
    assert listing.returncode == 0 and b"nested more than" in listing.stderr


def test_reader_export_of_hostile_folder_with_no_annotations(hostile):
    folder, _ = hostile
    result = run_cli("export", "--articles", str(folder), "--db", "x.db", cwd=folder.parent)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert b"format: reader-annotations/1" in result.stdout


# --- tag, export, import, export --------------------------------------------------------------


def round_trip(store: Store, corpus) -> tuple[dict, dict]:
    """Export ``store``, import into a fresh in-memory store, export that: both documents."""
    first = export_document(store, corpus, now="2026-01-01T00:00:00+00:00")
    text = dump_yaml(first)
    fresh = Store(None)
    plan = plan_import(text, fresh, corpus)
    assert plan.ok, plan.errors
    apply_import(plan, fresh)
    second = export_document(fresh, corpus, now="2026-01-01T00:00:00+00:00")
    assert dump_yaml(first, dumper=PureDumper) == dump_yaml(second, dumper=PureDumper)
    fresh.close()
    return first, second


@pytest.mark.parametrize("article_id", [k for k in OPENABLE if KINDS[k].body != ""])
def test_tagged_hostile_text_round_trips_exactly(corpus, article_id):
    article = corpus.get(article_id)
    body = article.body
    start, end = KINDS[article_id].tag_span(body)
    with Store(None) as store:
        store.add(article_id, "demand", start, end, body, article.sha256, note=body[start:end])
        first, second = round_trip(store, corpus)
    assert first["articles"] == second["articles"]
    (entry,) = first["articles"][0]["annotations"]
    assert (entry["start"], entry["end"]) == (start, end)
    assert entry["quote"] == body[start:end] == entry["note"]
    assert not entry.get("orphaned")
    assert first["articles"][0]["file"] == KINDS[article_id].file


def test_every_openable_kind_at_once_round_trips(corpus):
    """All kinds in one document, several spans each (start, middle, end of the body)."""
    with Store(None) as store:
        for article_id in OPENABLE:
            article = corpus.get(article_id)
            body = article.body
            n = len(body)
            for start, end in {(0, min(n, 7)), (n // 3, n // 3 + 11), (max(0, n - 5), n)}:
                if 0 <= start < end <= n:
                    store.add(article_id, "legal argument", start, end, body, article.sha256)
        first, _ = round_trip(store, corpus)
    for head in first["articles"]:
        body = corpus.get(head["id"]).body
        for entry in head["annotations"]:
            assert body[entry["start"] : entry["end"]] == entry["quote"]


# --- the TUI ---------------------------------------------------------------------------------


def screen_lines(pane: ReadingPane) -> list[str]:
    return [pane.render_line(y).text for y in range(pane.scrollable_content_region.height)]


#: Kinds whose first line or metadata title is markup Textual cannot parse, or escape sequences
#: (they crashed the app when a pane used the title as markup).
MARKUP_TITLES = ("front-matter-controls", "markup", "tabs")


#: The kinds drawn in the TUI test: each stresses the screen differently (the other openable
#: kinds differ only in how their bytes decode, which the tests above check).
TUI_KINDS = (
    "ansi-csi", "osc-title", "osc52-clipboard", "c0-c1-controls", "bidi", "cjk", "emoji",
    "combining-zalgo", "invisible", "mixed-newlines", "long-line", "empty", "whitespace-only",
    "invalid-utf-8", "utf-16-le-cyrillic",
)  # fmt: skip


async def test_tui_opens_and_tags_every_kind(corpus, tmp_path):
    """One session: open each kind, check what is drawn, tag a passage with the key."""
    kinds = TUI_KINDS
    assert set(kinds) <= set(OPENABLE)
    with Store(tmp_path / "a.db") as store:
        app = ReaderApp(store=store, corpus=corpus, poll_seconds=0)
        async with app.run_test(size=(100, 30)) as pilot:
            for article_id in kinds:
                pane = await app.open_article(article_id)
                await pilot.pause()
                assert pane is not None and app.focused is pane, article_id
                assert not drawn_controls("".join(screen_lines(pane))), article_id
                assert str(pane.border_title).isprintable(), article_id
                span = KINDS[article_id].tag_span(pane.body)
                if span is not None:
                    pane.select(*span)
                await pilot.press("3")
                assert app.is_running, article_id
                assert not drawn_controls("".join(screen_lines(pane))), article_id
        for article_id in kinds:
            body = corpus.get(article_id).body
            annotations = store.annotations(article_id)
            # a body of only whitespace has nothing to tag: the tag is refused (issue 15)
            assert len(annotations) == (1 if body.strip() else 0), article_id
            for tagged in annotations:
                assert body[tagged.start : tagged.end] == tagged.quote
                start, end = KINDS[article_id].tag_span(body)
                # the pane snaps a selection to grapheme boundaries (zalgo: a long cluster)
                assert is_boundary(body, tagged.start) and is_boundary(body, tagged.end)
                assert tagged.start < end and tagged.end > start, (article_id, tagged)


@pytest.mark.parametrize("article_id", MARKUP_TITLES)
async def test_tui_markup_in_a_title_does_not_crash(corpus, tmp_path, article_id):
    with Store(None) as store:
        app = ReaderApp(store=store, corpus=corpus, poll_seconds=0)
        async with app.run_test(size=(100, 30)) as pilot:
            pane = await app.open_article(article_id)
            await pilot.pause()
            assert pane is not None and app.is_running
            assert not drawn_controls("".join(screen_lines(pane)))


async def test_tui_refused_kinds_say_why_from_the_list(hostile, corpus, tmp_path):
    """Enter on each list entry that cannot be opened: a notice names the file and why."""
    _, kinds = hostile
    with Store(tmp_path / "a.db") as store:
        app = ReaderApp(store=store, corpus=corpus, poll_seconds=0)
        async with app.run_test(size=(100, 30)) as pilot:
            from reader.tui.widgets.article_list import ArticleList

            article_list = app.query_one(ArticleList)
            seen = []
            for article_id in REFUSED:
                article_list.highlighted = article_list.index_of(article_id)
                before = len(app.notices)
                await pilot.press("enter")
                assert any(kinds[article_id].file in n for n in app.notices[before:]), article_id
                assert app.focused is article_list and not app.panes
                seen.append(article_id)
            assert sorted(seen) == REFUSED
            assert app.is_running


# --- a file deleted or changed while shown --------------------------------------------------


async def test_file_deleted_while_shown(tmp_path):
    folder = tmp_path / "articles"
    kinds = make_hostile_corpus(folder)
    article_id = next(k for k, e in kinds.items() if e.while_shown == "delete")
    corpus = load_corpus(folder)
    with Store(tmp_path / "a.db") as store:
        app = ReaderApp(store=store, corpus=corpus, poll_seconds=0)
        async with app.run_test(size=SIZE) as pilot:
            pane = await app.open_article(article_id)
            shown = pane.body
            (folder / kinds[article_id].file).unlink()
            await pilot.press("v", *["right"] * 4, "1")  # tags the text on screen: kept
            await pilot.press("ctrl+w")  # closed: the body is dropped
            assert not app.panes
            assert await app.open_article(article_id) is None
            assert any("not found" in n for n in app.notices)
            assert app.is_running
        (tagged,) = store.annotations(article_id)
        assert tagged.quote == shown[:4] == "This"
        doc = export_document(store, load_corpus(folder))
    (head,) = doc["articles"]
    assert head["file"] is None and head["annotations"][0]["quote"] == tagged.quote


def test_file_grown_too_large_after_listing_is_refused_on_open(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("small")
    article = load_corpus(tmp_path).get("a")
    monkeypatch.setattr(corpus_files, "MAX_BYTES", 100)
    (tmp_path / "a.txt").write_text("grown " * 100)
    with pytest.raises(ArticleError, match="a.txt: too large to open"):
        _ = article.body


async def test_file_changed_while_shown(tmp_path):
    folder = tmp_path / "articles"
    kinds = make_hostile_corpus(folder)
    article_id = next(k for k, e in kinds.items() if e.while_shown == "change")
    corpus = load_corpus(folder)
    with Store(tmp_path / "a.db") as store:
        app = ReaderApp(store=store, corpus=corpus, poll_seconds=0)
        async with app.run_test(size=SIZE) as pilot:
            pane = await app.open_article(article_id)
            shown = pane.body
            (folder / kinds[article_id].file).write_text(CHANGED_BODY, encoding="utf-8")
            pane.select(4, 20)
            await pilot.press("2")  # tags what the user sees, offsets into the shown text
            assert app.is_running
        (tagged,) = store.annotations(article_id)
        assert shown[tagged.start : tagged.end] == tagged.quote == "changed article:"
        doc = export_document(store, load_corpus(folder))
    (entry,) = doc["articles"][0]["annotations"]
    assert CHANGED_BODY[entry["start"] : entry["end"]] == entry["quote"] == "changed article:"
    assert entry["start"] == CHANGED_BODY.index("changed article:")


# --- names with control characters or bytes that are not UTF-8 -----------------------------


def test_names_with_control_characters_or_latin1_bytes_open(tmp_path):
    folder = tmp_path / "articles"
    make_control_names(folder)
    corpus = load_corpus(folder)
    latin = next(a for a in corpus if "latin-1 name" in a.id)
    assert latin.id == "caf\ufffd latin-1 name" and latin.ok
    assert any("not valid UTF-8" in w for w in latin.warnings)
    with Store(None) as store:
        for article in corpus:
            assert article.ok and article.body
            store.add(article.id, "demand", 0, 4, article.body, article.sha256)
        first, _ = round_trip(store, corpus)
    assert len(first["articles"]) == len(corpus)


def test_reader_list_escapes_control_characters_in_file_names(tmp_path):
    folder = tmp_path / "articles"
    names = make_control_names(folder)
    result = run_cli("list", "--articles", str(folder), "--db", "x.db", cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.decode("utf-8", "replace").splitlines()
    assert len(lines) == len(names)
    assert all(not drawn_controls(line.replace("\t", " ")) for line in lines)


async def test_tui_opens_files_with_control_names(tmp_path):
    folder = tmp_path / "articles"
    make_control_names(folder)
    corpus = load_corpus(folder)
    with Store(tmp_path / "a.db") as store:
        app = ReaderApp(store=store, corpus=corpus, poll_seconds=0)
        async with app.run_test(size=SIZE) as pilot:
            for article in corpus:
                pane = await app.open_article(article.id)
                assert pane is not None
                assert str(pane.border_title).isprintable()
                pane.select(0, 2)
                await pilot.press("1")
            assert app.is_running
        assert len(store.annotations()) == len(corpus)


# --- a 20 MB article ---------------------------------------------------------------------------


async def test_twenty_megabyte_article_opens_tags_and_round_trips(tmp_path):
    folder = tmp_path / "articles"
    article_id, length = make_huge_article(folder, 20)
    corpus = load_corpus(folder)
    article = corpus.get(article_id)
    assert article.ok and len(article.body) == length
    with Store(tmp_path / "a.db") as store:
        app = ReaderApp(store=store, corpus=corpus, poll_seconds=0)
        async with app.run_test(size=SIZE) as pilot:
            pane = await app.open_article(article_id)
            await pilot.pause()
            assert not drawn_controls("".join(screen_lines(pane)))
            pane.select(40, 80)  # on the first screen: moving to the end wraps it all (slow)
            await pilot.press("1")
        (tagged,) = store.annotations()
        assert (tagged.start, tagged.end) == (40, 80)
        body = article.body
        store.add(article_id, "demand", length - 9, length, body, article.sha256)
        first, _ = round_trip(store, corpus)
    quotes = [(e["start"], e["quote"]) for e in first["articles"][0]["annotations"]]
    assert quotes == [(40, body[40:80]), (length - 9, body[length - 9 :])]

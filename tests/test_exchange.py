"""YAML export / import, schema reader-annotations/1."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import reader.exchange as exchange
from reader.corpus.articles import Corpus, load_corpus
from reader.exchange import (
    FORMAT,
    ImportRejected,
    PureDumper,
    apply_import,
    dump_yaml,
    export_document,
    export_yaml,
    plan_import,
)
from reader.store import Store

ARTICLE = "000_ae0beaf4b9f7a712"
QUOTE = "caused close to a hundred deaths"
NOW = "2026-11-25T10:00:00+00:00"
DUMPERS = [pytest.param(exchange.Dumper, id="default"), pytest.param(PureDumper, id="pure")]
TRICKY = [
    "[bold red]markup[/] <b>html</b> {{ jinja }} %s",
    "\x1b[31mred\x1b[0m \x07 \x00 \x7f \x9b",
    "next\x85line",
    "line\u2028sep\u2029para",
    "\ufeffbom in front, and \ufeff inside",
    "emoji 🇺🇦👩🏽‍⚕️ and שלום עליכם and مرحبا",
    "  leading and trailing spaces  ",
    "yes", "no", "null", "~", "1e3", "0x1F", "true", "2026-02", "12:30", "",
    "- looks like a list", "key: value", "# not a comment", "'quoted'", '"double"',
    "multi\nline\n\n", "\n", "crlf\r\nline", "tab\there", "ends with newline\n",
    "first line\n  indented second line", "   \n  ",
    "A long quote that goes on and on and on so that it must be written as a block " * 3,
]  # fmt: skip


@pytest.fixture
def corpus(corpus_dir: Path) -> Corpus:
    return load_corpus(corpus_dir)


@pytest.fixture
def store():
    with Store(None) as fresh:
        yield fresh


def annotate(store: Store, corpus: Corpus, quote: str, article_id: str = ARTICLE, **kw):
    article = corpus.get(article_id)
    assert article is not None
    start = article.body.index(quote)
    return store.add(
        article_id, kw.pop("tag", "demand"), start, start + len(quote), article.body,
        article.sha256, **kw,
    )  # fmt: skip


def round_trip(text: str, store: Store, corpus: Corpus):
    plan = plan_import(text, store, corpus)
    assert plan.errors == []
    return apply_import(plan, store)


# --- export --------------------------------------------------------------------------------


def test_export_of_empty_store(store: Store, corpus: Corpus):
    doc = yaml.safe_load(export_yaml(store, corpus, now=NOW))
    assert doc == {"format": FORMAT, "exported": NOW, "articles": []}


def test_export_document_follows_the_schema(store: Store, corpus: Corpus):
    later = annotate(store, corpus, QUOTE, tag="casualty figure", note="check the figure")
    first = annotate(store, corpus, "Amnesty International")
    doc = export_document(store, corpus, now=NOW)
    assert list(doc) == ["format", "exported", "articles"]
    [article] = doc["articles"]
    assert list(article) == [
        "id", "file", "title", "outlet", "author", "date", "language", "sha256", "annotations",
    ]  # fmt: skip
    assert article["file"] == f"{ARTICLE}.txt" and article["date"] == "2026-02"
    assert article["title"] == "What Amnesty International Says About Venezuela"
    assert article["sha256"] == corpus.get(ARTICLE).sha256  # type: ignore[union-attr]
    assert [a["id"] for a in article["annotations"]] == [first.id, later.id]  # body order
    assert article["annotations"][1] == {
        "id": later.id, "tag": "casualty figure", "start": later.start, "end": later.end,
        "quote": QUOTE, "note": "check the figure", "created": later.created,
        "updated": later.updated,
    }  # fmt: skip
    text = dump_yaml(doc)
    assert text.startswith(f"format: {FORMAT}\nexported: '{NOW}'\narticles:\n- id: {ARTICLE}\n")
    assert yaml.safe_load(text) == doc


def test_export_reanchors_and_marks_orphans_and_missing_files(
    store: Store, corpus: Corpus, corpus_dir: Path
):
    moved = annotate(store, corpus, QUOTE)
    gone = annotate(store, corpus, "imprisoning them in a New York jail")
    lost = annotate(store, corpus, "Amnesty", article_id="002_f04bd37b83778a94")
    path = corpus_dir / f"{ARTICLE}.txt"
    body = path.read_text(encoding="utf-8")
    edited = "Note.\n" + body.replace("imprisoning them in a New York jail awaiting trial", "")
    path.write_text(edited, encoding="utf-8")
    (corpus_dir / "002_f04bd37b83778a94.txt").unlink()
    doc = export_document(store, load_corpus(corpus_dir), now=NOW)
    first, second = doc["articles"]
    entries = {a["id"]: a for a in first["annotations"]}
    assert entries[moved.id]["start"] == moved.start + 6 and "orphaned" not in entries[moved.id]
    assert entries[gone.id]["orphaned"] is True
    assert second["id"] == "002_f04bd37b83778a94" and second["file"] is None
    assert second["sha256"] is None and second["annotations"][0]["id"] == lost.id
    assert store.get(moved.id).start == moved.start + 6  # type: ignore[union-attr]


def test_fuzzy_reanchored_annotations_are_flagged_for_review(
    store: Store, corpus: Corpus, corpus_dir: Path
):
    a = annotate(store, corpus, QUOTE)
    path = corpus_dir / f"{ARTICLE}.txt"
    path.write_text(path.read_text().replace(QUOTE, "caused nearly a hundred deaths"))
    [entry] = export_document(store, load_corpus(corpus_dir))["articles"][0]["annotations"]
    assert entry["review"] is True and entry["quote"] == "caused nearly a hundred deaths"
    assert entry["id"] == a.id


# --- YAML strings -----------------------------------------------------------------------------


@pytest.mark.parametrize("dumper", DUMPERS)
@pytest.mark.parametrize("value", TRICKY)
def test_tricky_strings_round_trip(dumper, value):
    doc = {"quote": value, "note": value}
    text = dump_yaml(doc, dumper=dumper)
    assert yaml.load(text, Loader=yaml.SafeLoader) == doc
    assert yaml.load(text, Loader=exchange.Loader) == doc


def test_plain_pyyaml_loses_nel_but_ours_does_not():
    # the reason for our dumper: PyYAML's pure emitter writes NEL raw, and it reads back as a space
    plain = yaml.dump({"q": "a\x85b"}, Dumper=yaml.SafeDumper, allow_unicode=True)
    assert yaml.safe_load(plain) != {"q": "a\x85b"}
    assert yaml.safe_load(dump_yaml({"q": "a\x85b"}, dumper=PureDumper)) == {"q": "a\x85b"}


@pytest.mark.parametrize("dumper", DUMPERS)
def test_long_and_multiline_strings_are_blocks_and_ambiguous_ones_quoted(dumper):
    long = "Amnesty International unequivocally condemns the unlawful use of force. " * 3
    long = long.strip()
    title = (
        "Amnesty International recognized the US operation against Venezuela as an act of "
        "aggression"
    )
    text = dump_yaml(
        {"a": long, "b": "two\nlines", "c": "1e3", "d": "yes", "t": title}, dumper=dumper
    )
    assert f"t: {title}\n" in text
    assert "a: |-\n" in text and "b: |-\n  two\n  lines\n" in text
    assert "c: '1e3'" in text and "d: 'yes'" in text


def test_pyyaml_global_state_is_untouched():
    before = dict(yaml.SafeDumper.yaml_representers)
    dump_yaml({"q": "x" * 200})
    assert yaml.SafeDumper.yaml_representers == before
    assert yaml.safe_dump("x" * 200).startswith("xxx")  # no block style leaked into PyYAML


@settings(max_examples=150, deadline=None)
@given(value=st.text(st.characters(exclude_categories=["Cs"])))
def test_any_string_round_trips_through_both_dumpers(value):
    for dumper in (exchange.Dumper, PureDumper):
        assert yaml.load(dump_yaml({"quote": value}, dumper=dumper), exchange.Loader) == {
            "quote": value
        }


# --- import ------------------------------------------------------------------------------------

HAND_WRITTEN = f"""\
format: {FORMAT}
articles:
- id: {ARTICLE}
  annotations:
  - tag: casualty figure
    start: 1089
    end: 1121
    quote: {QUOTE}
    note: from the IPS text
"""


def test_hand_written_file_imports_once(store: Store, corpus: Corpus):
    assert round_trip(HAND_WRITTEN, store, corpus) == exchange.ImportResult(1, 0, 0)
    [a] = store.annotations()
    assert (a.start, a.end, a.quote, a.note) == (1089, 1121, QUOTE, "from the IPS text")
    assert round_trip(HAND_WRITTEN, store, corpus) == exchange.ImportResult(0, 0, 1)
    assert store.annotations() == [a]


def test_import_matches_by_id_and_updates(store: Store, corpus: Corpus):
    a = annotate(store, corpus, QUOTE)
    doc = export_document(store, corpus, now=NOW)
    doc["articles"][0]["annotations"][0]["note"] = "changed elsewhere"
    assert round_trip(dump_yaml(doc), store, corpus) == exchange.ImportResult(0, 1, 0)
    assert store.get(a.id).note == "changed elsewhere"  # type: ignore[union-attr]
    assert len(store.annotations()) == 1


def test_export_import_export_is_identical(store: Store, corpus: Corpus):
    annotate(store, corpus, QUOTE, tag="casualty figure", note="mul\nti\x85line 🙂")
    annotate(store, corpus, "Amnesty", article_id="002_f04bd37b83778a94")
    annotate(store, corpus, "Amnesty International")
    first = export_yaml(store, corpus, now=NOW)
    with Store(None) as fresh:
        assert round_trip(first, fresh, corpus).added == 3
        assert export_yaml(fresh, corpus, now=NOW) == first
        assert fresh.annotations() == store.annotations()


def test_stale_offsets_are_reanchored_on_import(store: Store, corpus: Corpus):
    text = HAND_WRITTEN.replace("start: 1089", "start: 10").replace("end: 1121", "end: 42")
    round_trip(text, store, corpus)
    assert (store.annotations()[0].start, store.annotations()[0].end) == (1089, 1121)


def test_orphaned_entries_import_as_orphans(store: Store, corpus: Corpus):
    text = HAND_WRITTEN.replace(QUOTE, "a passage long gone from the text").replace(
        "    note:", "    orphaned: true\n    note:"
    )
    round_trip(text, store, corpus)
    [a] = store.annotations()
    assert a.orphaned and a.quote == "a passage long gone from the text"
    assert yaml.safe_load(export_yaml(store, corpus))["articles"][0]["annotations"][0]["orphaned"]


BAD = f"""\
format: {FORMAT}
articles:
- id: {ARTICLE}
  annotations:
  - {{id: ok-1, tag: demand, start: 1089, end: 1121, quote: {QUOTE}}}
  - {{id: bad-1, tag: demand, start: 1089, end: 1121, quote: not in the article at all}}
  - {{id: bad-2, tag: opinion, start: 0, end: 4, quote: What}}
  - {{id: bad-3, tag: demand, start: '0', end: 4.5, quote: What}}
  - {{id: bad-4, tag: demand, start: 9, end: 9, quote: What}}
  - {{id: bad-5, tag: demand, start: 99990, end: 99999, quote: xyzzy plugh}}
  - {{id: ok-1, tag: demand, start: 0, end: 4, quote: What}}
  - {{id: bad-7, tag: demand, start: 0, end: 4, quote: What, note: [1], colour: red}}
  - {{id: bad-8, tag: demand, start: 0, end: 4, quote: What, created: yesterday}}
  - just a string
- id: no_such_article
  annotations: []
"""


def test_bad_entries_are_all_reported_and_nothing_imported(store: Store, corpus: Corpus):
    plan = plan_import(BAD, store, corpus)
    errors = "\n".join(plan.errors)
    assert len(plan.errors) == 10, errors
    expected = [
        "articles[0].annotations[1] (id bad-1): quote does not match body[1089:1121]",
        "articles[0].annotations[2] (id bad-2): unknown tag 'opinion'",
        "articles[0].annotations[3] (id bad-3): 'start' must be a whole number, not '0'",
        "'end' must be a whole number, not 4.5",
        "articles[0].annotations[4] (id bad-4): need 0 <= start < end",
        "articles[0].annotations[5] (id bad-5): offsets 99990..99999 are outside the body",
        "articles[0].annotations[6] (id ok-1): duplicate of articles[0].annotations[0]",
        "unknown field 'colour'",
        "'note' must be text or null",
        "(id bad-8): 'created' must be an ISO 8601 timestamp",
        "articles[0].annotations[9]: must be a mapping",
        "articles[1] (article no_such_article): unknown article",
    ]
    for part in expected:
        assert part in errors
    assert plan.writes == []
    with pytest.raises(ImportRejected):
        apply_import(plan, store)
    assert store.annotations() == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("articles: []\n", "missing 'format'"),
        ("format: reader-annotations/2\narticles: []\n", "format is 'reader-annotations/2'"),
        ("- just\n- a list\n", "expected a reader-annotations/1 document"),
        (f"format: {FORMAT}\narticles:\n  - id: [unclosed\n", "line 4, column 1: not valid YAML"),
        (f"format: {FORMAT}\narticles: 3\n", "'articles' must be a list"),
    ],
)
def test_document_level_errors(store: Store, corpus: Corpus, text: str, message: str):
    plan = plan_import(text, store, corpus)
    assert len(plan.errors) == 1 and message in plan.errors[0], plan.errors
    assert plan.errors[0].startswith("<text>: ")


def test_python_tags_are_rejected_not_executed(store: Store, corpus: Corpus, tmp_path: Path):
    canary = tmp_path / "canary"
    canary.write_text("alive")
    evil = tmp_path / "evil.yaml"
    evil.write_text(f"format: !!python/object/apply:os.remove ['{canary}']\narticles: []\n")
    plan = plan_import(evil, store, corpus)
    assert canary.exists()
    assert len(plan.errors) == 1 and plan.errors[0].startswith(f"{evil}: line 1, column 9")


def test_import_from_a_path_and_unreadable_paths(store: Store, corpus: Corpus, tmp_path: Path):
    good = tmp_path / "in.yaml"
    good.write_bytes(b"\xef\xbb\xbf" + HAND_WRITTEN.encode())  # a BOM is fine
    assert plan_import(good, store, corpus).added == 1
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("format: caf\xe9\n".encode("latin-1"))
    assert "not UTF-8" in plan_import(bad, store, corpus).errors[0]
    assert "cannot read" in plan_import(tmp_path / "nope.yaml", store, corpus).errors[0]


# --- annotations of articles without a (readable) file ------------------------------------------

OTHER = "002_f04bd37b83778a94"


def _delete_and_export(store: Store, corpus_dir: Path, article_id: str = OTHER):
    (corpus_dir / f"{article_id}.txt").unlink()
    corpus = load_corpus(corpus_dir)
    return corpus, export_yaml(store, corpus, now=NOW)


def test_an_export_with_a_deleted_file_imports_and_round_trips(
    store: Store, corpus: Corpus, corpus_dir: Path
):
    kept = annotate(store, corpus, QUOTE, note="the figure")
    lost = annotate(store, corpus, "Amnesty", article_id=OTHER, note="gone with its file")
    corpus, first = _delete_and_export(store, corpus_dir)
    assert "file: null" in first
    with Store(None) as fresh:
        result = round_trip(first, fresh, corpus)
        assert (result.added, result.unchecked, result.unchecked_articles) == (2, 1, (OTHER,))
        assert export_yaml(fresh, corpus, now=NOW) == first
        restored = fresh.get(lost.id)
        assert restored is not None
        assert (restored.start, restored.end, restored.quote, restored.note) == (
            lost.start, lost.end, "Amnesty", "gone with its file",
        )  # fmt: skip
        assert (restored.created, restored.updated) == (lost.created, lost.updated)
        assert fresh.get(kept.id) == kept
        again = round_trip(first, fresh, corpus)
        assert (again.added, again.updated, again.unchanged, again.unchecked) == (0, 0, 2, 0)
    # the database it came from: nothing changes either
    assert round_trip(first, store, corpus) == exchange.ImportResult(0, 0, 2)
    assert store.get(lost.id) == lost


def test_an_entry_kept_without_its_file_is_placed_when_the_file_comes_back(
    store: Store, corpus: Corpus, corpus_dir: Path
):
    lost = annotate(store, corpus, "Amnesty", article_id=OTHER)
    saved = (corpus_dir / f"{OTHER}.txt").read_bytes()
    corpus, text = _delete_and_export(store, corpus_dir)
    with Store(None) as fresh:
        round_trip(text, fresh, corpus)
        (corpus_dir / f"{OTHER}.txt").write_bytes(b"A new first line.\n" + saved)
        doc = export_document(fresh, load_corpus(corpus_dir), now=NOW)
        [entry] = doc["articles"][0]["annotations"]
        assert entry["start"] == lost.start + len("A new first line.\n")
        assert entry["quote"] == "Amnesty" and "orphaned" not in entry
        assert fresh.get(lost.id).prefix  # type: ignore[union-attr]


def test_orphans_of_a_deleted_file_stay_orphans(store: Store, corpus: Corpus, corpus_dir: Path):
    orphan = annotate(store, corpus, "Amnesty", article_id=OTHER)
    path = corpus_dir / f"{OTHER}.txt"
    path.write_text(path.read_text().replace("Amnesty", "A group"))
    export_document(store, load_corpus(corpus_dir))  # re-anchors: an orphan
    assert store.get(orphan.id).orphaned  # type: ignore[union-attr]
    corpus, text = _delete_and_export(store, corpus_dir)
    assert "orphaned: true" in text
    with Store(None) as fresh:
        assert round_trip(text, fresh, corpus).unchecked == 1
        assert fresh.get(orphan.id).orphaned  # type: ignore[union-attr]
        assert export_yaml(fresh, corpus, now=NOW) == text


def test_an_export_with_an_unreadable_file_imports(store: Store, corpus: Corpus, corpus_dir: Path):
    annotate(store, corpus, "Amnesty", article_id=OTHER)
    (corpus_dir / f"{OTHER}.txt").write_bytes(bytes(range(256)) * 8)  # now binary
    corpus = load_corpus(corpus_dir)
    text = export_yaml(store, corpus, now=NOW)
    with Store(None) as fresh:
        result = round_trip(text, fresh, corpus)
        assert (result.added, result.unchecked, result.unchecked_articles) == (1, 1, (OTHER,))
        assert export_yaml(fresh, corpus, now=NOW) == text


UNKNOWN = f"""\
format: {FORMAT}
articles:
- id: no_such_article{{file}}
  annotations:
  - {{{{id: n-1, tag: demand, start: 0, end: 5, quote: Hello{{mark}}}}}}
"""


def test_entries_of_an_unknown_article_need_a_sign_that_its_file_is_gone(
    store: Store, corpus: Corpus
):
    # a hand-written id with a typo: an error, with what to do about it
    plan = plan_import(UNKNOWN.format(file="", mark=""), store, corpus)
    [error] = plan.errors
    assert "articles[0] (article no_such_article): unknown article" in error
    assert "file: null" in error and "orphaned: true" in error
    # the export's sign (file: null), or the entry's own (orphaned: true): kept as they are
    for file, mark in (("\n  file: null", ""), ("", ", orphaned: true")):
        with Store(None) as fresh:
            result = round_trip(UNKNOWN.format(file=file, mark=mark), fresh, corpus)
            assert (result.added, result.unchecked) == (1, 1)
            [a] = fresh.annotations()
            assert (a.article_id, a.start, a.end, a.quote) == ("no_such_article", 0, 5, "Hello")
            assert a.orphaned is bool(mark)
    # a file name that is not the article's: a typo in one of them
    plan = plan_import(UNKNOWN.format(file=f"\n  file: {ARTICLE}.txt", mark=""), store, corpus)
    [error] = plan.errors
    assert f"'file' '{ARTICLE}.txt' is not the file of article 'no_such_article'" in error


def test_import_counts_reanchored_and_orphaned_entries(store: Store, corpus: Corpus):
    body = corpus.get(ARTICLE).body  # type: ignore[union-attr]
    start = body.index(QUOTE)
    text = f"""\
format: {FORMAT}
articles:
- id: {ARTICLE}
  annotations:
  - {{tag: demand, start: {start + 3}, end: {start + 3 + len(QUOTE)}, quote: {QUOTE}}}
  - {{tag: demand, start: 0, end: 10, quote: not in the text, orphaned: true}}
  - {{tag: casualty figure, start: {start}, end: {start + len(QUOTE)}, quote: {QUOTE}}}
"""
    plan = plan_import(text, store, corpus)
    assert plan.errors == [], plan.errors
    result = apply_import(plan, store)
    assert (result.added, result.reanchored, result.orphaned, result.unchecked) == (3, 1, 1, 0)
    again = round_trip(text, store, corpus)
    assert (again.unchanged, again.reanchored, again.orphaned) == (3, 0, 0)


# --- the round-trip law, for any text ----------------------------------------------------------

_SPECIAL = st.sampled_from(list("\x85\u2028\u2029\ufeff\r\n\t \x1b\x7f\x9b🙂👩🏽‍⚕️שع") + ["\r\n"])
_CHAR = st.one_of(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), _SPECIAL)
_BODY = st.lists(_CHAR, min_size=1, max_size=120).map("".join)
_NOTE = st.one_of(st.none(), st.text(st.characters(exclude_categories=["Cs"]), max_size=40))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # fmt: skip
@given(data=st.data(), bodies=st.lists(_BODY, min_size=1, max_size=3))
def test_export_import_export_is_identical_for_any_text(data: Any, bodies: list[str]):
    assume(not any(body.startswith("\ufeff") for body in bodies))  # a leading BOM is dropped
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, body in enumerate(bodies):
            (folder / f"a{i}.txt").write_bytes(body.encode("utf-8"))
        corpus = load_corpus(folder)
        assert [a.body for a in corpus] == bodies
        dumper = data.draw(st.sampled_from([exchange.Dumper, PureDumper]))
        with Store(None) as store, Store(None) as fresh:
            for i, body in enumerate(bodies):
                sha = corpus.articles[i].sha256
                for _ in range(data.draw(st.integers(0, 3))):
                    start = data.draw(st.integers(0, len(body) - 1))
                    end = data.draw(st.integers(start + 1, len(body)))
                    tag = data.draw(st.sampled_from([t.name for t in store.tags()]))
                    store.add(f"a{i}", tag, start, end, body, sha, data.draw(_NOTE))
            first = dump_yaml(export_document(store, corpus, now=NOW), dumper=dumper)
            round_trip(first, fresh, corpus)
            second = dump_yaml(export_document(fresh, corpus, now=NOW), dumper=dumper)
            assert second == first
            assert fresh.annotations() == store.annotations()


def test_ids_and_unquoted_timestamps_from_hand_written_files(store: Store, corpus: Corpus):
    text = HAND_WRITTEN.replace(
        "  - tag:", "  - id: my-own-id\n    created: 2026-01-02T03:04:05.6+01:00\n    tag:"
    )
    round_trip(text, store, corpus)
    a = store.get("my-own-id")
    assert a is not None and a.created == "2026-01-02T02:04:05+00:00"


def test_export_from_a_read_only_store_reanchors_without_writing(
    corpus: Corpus, corpus_dir: Path, db_path: Path, monkeypatch
):
    with Store(db_path) as writable:
        a = annotate(writable, corpus, QUOTE)
    path = corpus_dir / f"{ARTICLE}.txt"
    path.write_text("Intro.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    real = os.access
    monkeypatch.setattr(
        "reader.store.opening.os.access", lambda p, m: False if m & os.W_OK else real(p, m)
    )
    with Store(db_path) as store:
        assert store.read_only
        doc = export_document(store, load_corpus(corpus_dir))
        assert doc["articles"][0]["annotations"][0]["start"] == a.start + 7
        assert store.annotations() == [a]

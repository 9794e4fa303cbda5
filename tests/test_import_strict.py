"""Import writes exactly what the file says, all or nothing: no re-anchoring in an article that
did not change, no annotation moved to another article, the same file twice changes nothing,
no YAML aliases, out-of-range values listed per entry (never a crash), metadata values capped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import reader
from reader import safe_yaml
from reader.corpus import listing_cache
from reader.corpus.articles import Corpus, load_corpus
from reader.exchange import (
    FORMAT,
    ImportRejected,
    apply_import,
    dump_yaml,
    export_document,
    plan_import,
)
from reader.store import Store

A, B = "000_ae0beaf4b9f7a712", "002_f04bd37b83778a94"
QUOTE = "caused close to a hundred deaths"
NOW = "2026-11-25T10:00:00+00:00"


@pytest.fixture
def corpus(corpus_dir: Path) -> Corpus:
    return load_corpus(corpus_dir)


def annotate(store: Store, corpus: Corpus, quote: str, article_id: str = A, **kw):
    article = corpus.get(article_id)
    assert article is not None
    start = article.body.index(quote)
    end = start + len(quote)
    return store.add(article_id, "demand", start, end, article.body, article.sha256, **kw)


def exported(store: Store, corpus: Corpus) -> dict:
    return export_document(store, corpus, now=NOW)


def refused(doc: dict | str, store: Store, corpus: Corpus) -> list[str]:
    """The errors of importing ``doc``; checks that nothing was written."""
    before = store.annotations()
    plan = plan_import(doc if isinstance(doc, str) else dump_yaml(doc), store, corpus)
    assert plan.errors and plan.writes == []
    with pytest.raises(ImportRejected):
        apply_import(plan, store)
    assert store.annotations() == before
    return plan.errors


def imported(doc: dict | str, store: Store, corpus: Corpus):
    plan = plan_import(doc if isinstance(doc, str) else dump_yaml(doc), store, corpus)
    assert plan.errors == []
    return apply_import(plan, store)


# --- no re-anchoring where the article did not change -------------------------------------------


def test_unchanged_article_with_a_moved_start_is_an_error(store, corpus):
    a = annotate(store, corpus, QUOTE)
    doc = exported(store, corpus)
    entry = doc["articles"][0]["annotations"][0]
    entry["start"], entry["end"] = a.start + 7, a.end + 7  # the quote is still at a.start
    [error] = refused(doc, store, corpus)
    assert error.startswith(f"articles[0].annotations[0] (id {a.id}): quote does not match")
    assert "has not changed" in error


def test_unchanged_article_with_a_wrong_quote_is_an_error(store, corpus):
    a = annotate(store, corpus, QUOTE)
    doc = exported(store, corpus)
    doc["articles"][0]["annotations"][0]["quote"] = "Amnesty International"  # found elsewhere
    [error] = refused(doc, store, corpus)
    assert f"(id {a.id}): quote does not match body[{a.start}:{a.end}]" in error


def test_unchanged_article_with_offsets_past_its_end_is_an_error(store, corpus):
    annotate(store, corpus, QUOTE)
    doc = exported(store, corpus)
    doc["articles"][0]["annotations"][0].update(start=99_990, end=99_999)
    [error] = refused(doc, store, corpus)
    assert "outside the body" in error and "has not changed" in error


def test_an_orphan_in_an_unchanged_article_stays_an_orphan(store, corpus):
    doc = {"format": FORMAT, "articles": [{"id": A, "sha256": corpus.get(A).sha256, "annotations": [
        {"tag": "demand", "start": 0, "end": 4, "quote": QUOTE, "orphaned": True},
    ]}]}  # fmt: skip
    assert imported(doc, store, corpus).orphaned == 1
    [a] = store.annotations()
    assert (a.start, a.end, a.quote, a.orphaned) == (0, 4, QUOTE, True)


def test_a_changed_article_still_reanchors(store, corpus, corpus_dir):
    a = annotate(store, corpus, QUOTE)
    doc = exported(store, corpus)
    path = corpus_dir / f"{A}.txt"
    path.write_text("Note.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    with Store(None) as fresh:
        result = imported(doc, fresh, load_corpus(corpus_dir))
        assert (result.added, result.reanchored) == (1, 1)
        assert fresh.get(a.id).start == a.start + 6  # type: ignore[union-attr]


@pytest.mark.parametrize("sha256", ["", "abc", "G" * 64, 12345, ["x"]])
def test_a_sha256_that_is_not_a_digest_is_an_error(store, corpus, sha256):
    annotate(store, corpus, QUOTE)
    doc = exported(store, corpus)
    doc["articles"][0]["sha256"] = sha256
    [error] = refused(doc, store, corpus)
    assert error.startswith(f"articles[0] (article {A}): 'sha256' must be")


def test_a_misspelt_article_field_is_an_error(store, corpus):
    annotate(store, corpus, QUOTE)
    doc = exported(store, corpus)
    doc["articles"][0]["sha265"] = doc["articles"][0].pop("sha256")
    [error] = refused(doc, store, corpus)
    assert "unknown field 'sha265'" in error


# --- ids -----------------------------------------------------------------------------------------


def test_an_id_of_another_articles_annotation_is_refused(store, corpus):
    a = annotate(store, corpus, QUOTE)
    annotate(store, corpus, "Amnesty", article_id=B)
    doc = exported(store, corpus)
    doc["articles"][1]["annotations"][0]["id"] = a.id  # B's entry, with A's annotation's id
    [error] = refused(doc, store, corpus)
    assert error.startswith(f"articles[1].annotations[0] (id {a.id}): ")
    assert f"annotation of article '{A}', not of article '{B}'" in error


# --- the same file twice ---------------------------------------------------------------------

TWICE = f"""\
format: {FORMAT}
articles:
- id: {A}
  annotations:
  - {{tag: casualty figure, start: 1089, end: 1121, quote: {QUOTE}, note: once}}
  - {{tag: casualty figure, start: 1089, end: 1121, quote: {QUOTE}, note: once}}
"""


def test_a_file_with_a_repeated_entry_imports_twice_as_once(store, corpus):
    first = imported(TWICE, store, corpus)
    assert (first.added, first.duplicates) == (1, 1)
    rows = store.annotations()
    again = imported(TWICE, store, corpus)
    assert (again.added, again.updated, again.unchanged, again.duplicates) == (0, 0, 1, 1)
    assert store.annotations() == rows


def test_reader_import_says_a_repeated_entry_was_skipped(corpus_dir, db_path, tmp_path, capsys):
    from reader import cli

    path = tmp_path / "twice.yaml"
    path.write_text(TWICE, encoding="utf-8")
    args = ["import", "--articles", str(corpus_dir), "--db", str(db_path), str(path)]
    assert cli.main(args) == cli.EXIT_OK
    assert "1 added, 0 updated, 0 unchanged; 1 repeated entry skipped" in capsys.readouterr().out


def test_repeats_that_differ_are_an_error_naming_both(store, corpus):
    errors = refused(TWICE.replace("note: once}\n", "note: twice}\n", 1), store, corpus)
    assert errors == [
        "articles[0].annotations[1]: repeats articles[0].annotations[0] (same article, tag, "
        "start and end, and no id either: the same annotation) with another note; keep one, "
        "or give each its own id"
    ]


def test_several_stored_at_one_place_are_matched_the_same_way_each_time(store, corpus):
    body, sha = corpus.get(A).body, corpus.get(A).sha256  # type: ignore[union-attr]
    for i, created in enumerate(["2026-03-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00"]):
        store.add(A, "casualty figure", 1089, 1121, body, sha, f"n{i}", id=f"x{i}", created=created)
    one = TWICE.rsplit("  - ", 1)[0]  # the first entry alone
    # none of them as the entry says: the oldest is matched
    text = one.replace("note: once}", "note: n2, created: '2027-01-01T00:00:00+00:00'}")
    assert imported(text, store, corpus).updated == 1
    assert store.get("x1").note == "n2"  # type: ignore[union-attr]
    rows = store.annotations()
    assert imported(text, store, corpus).unchanged == 1  # x1 now sorts last: still x1
    assert store.annotations() == rows
    # one of them as the entry says: that one
    text = one.replace("note: once}", "note: n0}")
    assert imported(text, store, corpus).unchanged == 1
    assert store.annotations() == rows


def test_an_entry_without_id_beside_one_with_an_id_at_its_place_imports_twice_as_once(
    store, corpus
):
    text = TWICE.replace("  - {tag", "  - {id: mine, tag", 1)
    assert imported(text, store, corpus).added == 2
    rows = store.annotations()
    again = imported(text, store, corpus)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert store.annotations() == rows


# --- YAML aliases ------------------------------------------------------------------------------


def laughs(levels: int = 3, fan: int = 10) -> str:
    """An entry referenced fan ** levels times through anchors: a few hundred bytes."""
    lines = [f"e0: &e0 {{tag: demand, start: 1089, end: 1121, quote: {QUOTE}}}"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*e{level - 1}"] * fan)
        lines.append(f"e{level}: &e{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_aliases_in_an_import_file_are_refused(store, corpus):
    text = f"format: {FORMAT}\n{laughs()}articles:\n- id: {A}\n  annotations: *e3\n"
    [error] = refused(text, store, corpus)
    assert error.startswith("<text>: line 3, column 10: YAML aliases (*e0) are not accepted")


def test_an_anchor_alone_is_fine(store, corpus):
    text = f"format: {FORMAT}\narticles: &all\n- id: {A}\n  annotations: []\n"
    assert imported(text, store, corpus).added == 0


def test_aliases_in_metadata_yaml_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(listing_cache, "RACY_NS", 0)
    folder, cache = tmp_path / "articles", tmp_path / "cache"
    folder.mkdir()
    entries = []
    for i in range(50):
        (folder / f"a{i}.txt").write_text(f"First line {i}\nbody\n")
        entries.append(f"a{i}.txt: {{title: *big, outlet: *big}}")
    big = "x" * 100_000
    (folder / "metadata.yaml").write_text(f"big: &big {big}\n" + "\n".join(entries) + "\n")
    corpus = load_corpus(folder, cache)
    [warning] = corpus.warnings
    assert "metadata.yaml" in warning and "YAML aliases (*big) are not accepted" in warning
    assert all(a.title is None and a.outlet is None for a in corpus)
    assert corpus.get("a0").display_title == "First line 0"
    assert sum(p.stat().st_size for p in cache.iterdir()) < 50_000


def test_aliases_in_front_matter_are_refused(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: &t Hello\noutlet: *t\n---\nThe body.\n")
    article = load_corpus(tmp_path).get("a")
    assert article is not None and article.body == "The body.\n"
    assert (article.title, article.outlet) == (None, None)
    assert any("YAML aliases (*t) are not accepted at line 2" in w for w in article.warnings)


# --- nesting too deep --------------------------------------------------------------------------

DEEP_IMPORT = """
import sys
from reader.corpus.articles import load_corpus
from reader.exchange import plan_import
from reader.store import Store
text = "format: x\\nx:\\n" + "- " * 200_000 + "x\\n"
plan = plan_import(text, Store(None), load_corpus(sys.argv[1]))
print(plan.errors)
"""


def test_an_import_file_nested_too_deep_is_refused_not_a_crash(corpus_dir):
    """In a subprocess: libyaml composing it overflowed the C stack (a segfault)."""
    env = {**os.environ, "PYTHONPATH": str(Path(reader.__file__).resolve().parent.parent)}
    result = subprocess.run(
        [sys.executable, "-c", DEEP_IMPORT, str(corpus_dir)],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<text>: line 3, column 127: nested more than 64 levels deep" in result.stdout


def _depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return deepest


_NESTED = st.recursive(
    st.sampled_from(["x", "", "- a", "[", "]"]) | st.integers(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("ab"), inner),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(
    data=_NESTED,
    flow=st.sampled_from([False, True, None]),
    indent=st.integers(2, 6),
    newline=st.sampled_from(["\n", "\r", "\r\n", "\x85", "\u2028"]),
    bom=st.booleans(),
)
def test_the_scan_is_skipped_only_where_nesting_cannot_be_deep(data, flow, indent, newline, bom):
    """`_may_nest_deeper` is sound: where it says no, the document is not deeper than asked."""
    text = yaml.dump(data, default_flow_style=flow, indent=indent, allow_unicode=True)
    text = ("\ufeff" if bom else "") + text.replace("\n", newline)
    try:
        depth = _depth(text)
    except yaml.YAMLError:
        return
    for limit in range(1, depth):
        assert safe_yaml._may_nest_deeper(text, limit), (limit, depth, text)


_SHARED = st.lists(
    st.sampled_from(["x", "*", "a *b", "- *", "[*]"]) | st.just(["shared"]), max_size=4
).map(lambda items: [items, items, {"k": items, "*": "* *"}])


@settings(max_examples=200, deadline=None)
@given(
    data=_SHARED,
    flow=st.sampled_from([False, True, None]),
    newline=st.sampled_from(["\n", "\r", "\r\n", "\x85", "\u2029"]),
    lead=st.sampled_from(["", "\ufeff", "--- ", "%YAML 1.1\n--- "]),
)
def test_the_scan_is_skipped_only_where_there_is_no_alias(data, flow, newline, lead):
    """`_may_alias` is sound: PyYAML writes shared lists as anchors and aliases."""
    text = lead + yaml.dump(data, default_flow_style=flow).replace("\n", newline)
    try:
        events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return
    if any(isinstance(event, yaml.AliasEvent) for event in events):
        assert safe_yaml._may_alias(text), text
        assert "are not accepted" in (safe_yaml.refusal(text) or "")


@pytest.mark.parametrize(
    "text",
    ["*a", " *a", "- *a", "k: *a", "? *a\n: *a", "[*a]", "{k: *a}", "[x,*a]", '{"k":*a}',
     "--- *a", "k:\n  *a", "k:\r\t*a", "\ufeff*a", "k: [\n *a]"],
)  # fmt: skip
def test_every_place_an_alias_can_stand_is_looked_at(text):
    assert safe_yaml._may_alias(text)


def test_stars_inside_scalars_need_no_scan():
    text = "quote: a *starred* word\nnote: '* x'\nx: |-\n  two *\n  lines\n# * c\n"
    assert not safe_yaml._may_alias(text.replace("'* x'", "'a * x'"))


@pytest.mark.parametrize(
    "text",
    [
        "- " * 70 + "x",
        "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 70)),
        "a:\n- b:\n  - c:\n    - d:\n" * 1 + "".join("  " * i + "- x:\n" for i in range(3, 40)),
        "x: " + "[" * 70 + "]" * 70,
        "\ufeff" + "- " * 70 + "x",
        "a:\r" + "- " * 70 + "x",
        "a: 1\x85" + "? " * 70 + "x",
    ],
    ids=["compact", "indented", "alternating", "flow", "bom", "cr", "nel"],
)
def test_deep_documents_are_refused(text):
    problem = safe_yaml.refusal(text)
    assert problem is not None and "nested more than 64 levels deep" in problem


# --- values out of range -------------------------------------------------------------------------

OUT_OF_RANGE = [
    ("created: '0001-01-01T00:00:00+14:00'", "'created' must be an ISO 8601 timestamp"),
    ("created: 0001-01-01T00:00:00+14:00", "'created' must be an ISO 8601 timestamp"),
    ("updated: 9999-12-31T23:00:00-05:00", "'updated' must be an ISO 8601 timestamp"),
    ("created: 2026-02-30T10:00:00Z", "'created' must be an ISO 8601 timestamp"),
    ("end: 99999999999999999999999", "'end' 99999999999999999999999 is out of range"),
    ("start: -5", "'start' -5 is out of range"),
    ("start: " + "1" * 5000, "'start' must be a whole number, not '111111"),
    ("start: !!int abc", "'start' must be a whole number, not 'abc'"),
    ("orphaned: !!bool maybe", "'orphaned' must be true or false"),
    ("id: " + "i" * 1_000_000, "'id' is 1,000,000 characters long (at most 200)"),
    ("note: " + "n" * 2_000_000, "'note' is 2,000,000 characters long (at most 1,048,576)"),
]


def _entry(extra: str, article: str = A, file: str = "") -> str:
    fields = {"tag": "demand", "start": "1089", "end": "1121", "quote": QUOTE}
    key, _, value = extra.partition(": ")
    fields[key] = value
    entry = "".join(f"\n    {k}: {v}" for k, v in fields.items())
    return f"format: {FORMAT}\narticles:\n- id: {article}{file}\n  annotations:\n  -{entry}\n"


@pytest.mark.parametrize(("extra", "message"), OUT_OF_RANGE, ids=[e[:40] for e, _ in OUT_OF_RANGE])
def test_out_of_range_values_are_listed_per_entry(store, corpus, extra, message):
    for text in (_entry(extra), _entry(extra, "gone", "\n  file: null")):  # checked, unchecked
        [error] = refused(text, store, corpus)
        assert error.startswith("articles[0].annotations[0]") and message in error, error[:300]
        assert len(error) < 600


def test_each_problem_of_an_entry_is_on_its_line(store, corpus):
    text = _entry("end: 99999999999999999999999").replace(
        "    tag:", "    created: 0001-01-01T00:00:00+14:00\n    tag:"
    )
    [error] = refused(text, store, corpus)
    assert "'created' must be" in error and "'end' 99999999999999999999999 is out" in error


def test_an_unchecked_entry_must_span_its_quote(store, corpus):
    [error] = refused(_entry("end: 1200", "gone", "\n  file: null"), store, corpus)
    assert "the quote is 32 characters long, but start..end (1089..1200) spans 111" in error


@pytest.mark.parametrize(
    ("article_id", "message"),
    [
        ("a/b", "holds '/'"),
        ("x" * 300, "300 characters long"),
    ],
    ids=["slash", "long"],
)
def test_article_ids_no_file_can_have_are_refused(store, corpus, article_id, message):
    [error] = refused(_entry("note: n", article_id, "\n  file: null"), store, corpus)
    assert message in error and len(error) < 400


def test_untrusted_values_in_messages_are_cut(store, corpus):
    huge = "t" * 1_000_000
    errors = refused(_entry(f"tag: {huge}"), store, corpus)
    errors += refused(f"format: {huge}\narticles: []\n", store, corpus)
    errors += refused(_entry("note: n", "a" * 200, f"\n  file: {'b' * 250}.txt"), store, corpus)
    assert all(len(e) < 400 for e in errors), [len(e) for e in errors]


def test_text_with_a_lone_surrogate_is_an_error_not_a_crash(store, corpus):
    [error] = refused(f"format: {FORMAT}\narticles:\n- id: \ud800\n", store, corpus)
    assert "lone surrogate" in error


def test_a_key_given_twice_is_an_error(store, corpus):
    text = _entry("note: first").replace("    note: first", "    note: first\n    note: second")
    [error] = refused(text, store, corpus)
    assert error == "<text>: line 11, column 5: not valid YAML: found the key 'note' twice"


def test_annotations_that_are_not_a_list_are_an_error(store, corpus):
    text = f"format: {FORMAT}\narticles:\n- id: {A}\n  annotations: false\n"
    [error] = refused(text, store, corpus)
    assert "'annotations' must be a list" in error


# --- metadata values capped ------------------------------------------------------------------


def test_a_huge_metadata_value_is_cut_and_the_cache_stays_small(tmp_path, monkeypatch):
    monkeypatch.setattr(listing_cache, "RACY_NS", 0)
    folder, cache = tmp_path / "articles", tmp_path / "cache"
    folder.mkdir()
    huge = "T" * 1_000_000
    (folder / "metadata.yaml").write_text(f"a.txt:\n  title: {huge}\n  author: {huge}\n")
    (folder / "a.txt").write_text("First line\nbody\n")
    (folder / "b.md").write_text(f"---\ntitle: {'F' * 10_000}\n---\nThe body of b.\n")
    (folder / "c.md").write_text(f"---\ntitle: {huge}\n---\nThe body of c.\n")
    for corpus in (load_corpus(folder, cache), load_corpus(folder, cache)):  # cold, then warm
        a, b, c = corpus.get("a"), corpus.get("b"), corpus.get("c")
        assert a.title == "T" * 499 + "…" and a.author == "T" * 199 + "…"
        assert any("'title' is 1,000,000 characters long; cut" in w for w in a.warnings)
        assert b.title == "F" * 499 + "…" and b.body == "The body of b.\n"
        assert any("'title' is 10,000 characters long; cut" in w for w in b.warnings)
        assert c.title is None and c.body == "The body of c.\n"
        assert a.body == "First line\nbody\n"
    assert sum(p.stat().st_size for p in cache.iterdir()) < 20_000

"""Import files, metadata.yaml and front matter: YAML that must never be built is refused
before it is (aliases, nesting too deep), text that is not Unicode is an error, never a crash;
metadata values are capped."""

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
from reader import listing_cache, safe_yaml
from reader.articles import Corpus, load_corpus
from reader.exchange import (
    FORMAT,
    ImportRejected,
    apply_import,
    dump_yaml,
    plan_import,
)
from reader.store import Store

A, B = "000_ae0beaf4b9f7a712", "002_f04bd37b83778a94"
QUOTE = "caused close to a hundred deaths"


@pytest.fixture
def corpus(corpus_dir: Path) -> Corpus:
    return load_corpus(corpus_dir)


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
from reader.articles import load_corpus
from reader.exchange import plan_import
from reader.store import Store
text = "format: x\\nx:\\n" + "- " * 200_000 + "x\\n"
plan = plan_import(text, Store(None), load_corpus(sys.argv[1]))
print(plan.errors)
"""


def test_an_import_file_nested_too_deep_is_refused_not_a_crash(corpus_dir):
    """In a subprocess: libyaml composing it overflowed the C stack (a segfault)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(reader.__file__).resolve().parent.parent),
    }
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


def test_text_with_a_lone_surrogate_is_an_error_not_a_crash(store, corpus):
    [error] = refused(f"format: {FORMAT}\narticles:\n- id: \ud800\n", store, corpus)
    assert "lone surrogate" in error


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
    for corpus in (
        load_corpus(folder, cache),
        load_corpus(folder, cache),
    ):  # cold, then warm
        a, b, c = corpus.get("a"), corpus.get("b"), corpus.get("c")
        assert a.title == "T" * 499 + "…" and a.author == "T" * 199 + "…"
        assert any("'title' is 1,000,000 characters long; cut" in w for w in a.warnings)
        assert b.title == "F" * 499 + "…" and b.body == "The body of b.\n"
        assert any("'title' is 10,000 characters long; cut" in w for w in b.warnings)
        assert c.title is None and c.body == "The body of c.\n"
        assert a.body == "First line\nbody\n"
    assert sum(p.stat().st_size for p in cache.iterdir()) < 20_000

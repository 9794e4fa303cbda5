"""The services, without a screen: the annotations service, the tag set and the session state.

Nothing here imports Textual: what the app does with a key is tested through what the service
does and announces."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.corpus.articles import load_corpus
from reader.services.annotations import Annotations, Gone, Refused, Update
from reader.services.sessions import Comparison, FileWatch, Finding
from reader.services.tagset import TagSet
from reader.store import Conflict, Store
from reader.tags import CUSTOM_COLOUR, DEFAULT_TAGS, Tag

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def service(store: Store, corpus_dir: Path) -> Annotations:
    return Annotations(store, load_corpus(corpus_dir))


@pytest.fixture
def article(service: Annotations):
    return next(iter(service.corpus))


def updates(service: Annotations) -> list[Update]:
    seen: list[Update] = []
    service.subscribe(seen.append)
    return seen


def test_no_textual_is_imported_by_the_services():
    # in a fresh interpreter: in the whole suite, other test modules have imported the app
    code = (
        "import sys, reader.services.annotations, reader.services.corpus_search, "
        "reader.services.search_index, reader.services.sessions, reader.services.tagset; "
        "sys.exit('textual' in sys.modules or any(m.startswith('reader.tui') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=120)
    assert done.returncode == 0, "the services must not pull in Textual or the app"


# -- TagSet -------------------------------------------------------------------------------
def test_tag_set_binds_keys_and_words_the_prompt():
    tags = TagSet(DEFAULT_TAGS)
    assert tags.keys == ["1", "2", "3"]
    assert tags.for_key("2") == DEFAULT_TAGS[1] and tags.for_key("4") is None
    assert tags.keys_phrase() == "1, 2 or 3"
    more = TagSet([*DEFAULT_TAGS, Tag("witness", "4", "#123456")])
    assert more.keys_phrase() == "1, 2, 3 or 4" and more.for_key("4").name == "witness"
    assert more.colour_of("witness") == "#123456" and more.colour_of("nope") == CUSTOM_COLOUR
    assert TagSet([Tag("a", "1", "#000000")]).keys_phrase() == "1"
    assert TagSet([Tag("a", "x", "#000000")]).keys == []  # only 1-9 are tag keys
    # a key held twice goes to the first tag, the other keeps its name and colour
    twice = TagSet([Tag("a", "5", "#000000"), Tag("b", "5", "#111111")])
    assert twice.for_key("5").name == "a" and twice.names == ["a", "b"]
    assert TagSet(DEFAULT_TAGS) == TagSet(list(DEFAULT_TAGS)) != more


# -- Annotations: changes and what is announced ---------------------------------------------
def test_tag_retag_note_delete_and_undo_each_announce_one_article(service, article):
    seen = updates(service)
    service.annotations_of(article.id)  # cached: changes are read back alone
    added = service.tag(article, "1", 0, 10)
    assert added.tag == "legal argument" and added.quote == article.body[:10]
    assert seen[-1].changed == [added.id] and seen[-1].added == [added]
    assert seen[-1].counts_changed and service.counts()[article.id] == {"legal argument": 1}

    before, after = service.retag(added.id, "3")
    assert (before.tag, after.tag) == ("legal argument", "demand")
    assert seen[-1].removed == [before] and seen[-1].added == [after]
    assert service.counts()[article.id] == {"demand": 1}
    with pytest.raises(Refused, match="Already tagged demand"):
        service.retag(added.id, "3")

    assert service.set_note(after, "  ") is None  # unchanged: nothing written
    assert service.set_note(after, "why") == "saved"
    assert service.get(added.id).note == "why"
    with pytest.raises(Conflict):  # only over the note the user saw
        service.set_note(after, "again")

    service.delete(added.id)
    assert seen[-1].removed and not seen[-1].added and service.annotations_of(article.id) == []
    assert service.undo().label == "delete demand"
    assert [a.id for a in service.annotations_of(article.id)] == [added.id]
    assert service.redo() is not None and service.annotations_of(article.id) == []
    assert service.undo() is not None and service.undo().label == "note"
    assert service.get(added.id).note is None


def test_a_key_without_a_tag_and_a_gone_annotation_are_refused(service, article):
    with pytest.raises(Refused, match="No tag has the key 7"):
        service.tag(article, "7", 0, 5)
    with pytest.raises(Gone):
        service.retag("no-such-id", "1")
    assert service.all() == []


def test_a_tag_added_with_key_4_works_once_the_store_changed(service, article, db_path):
    assert service.tags.for_key("4") is None
    with Store(db_path) as other:  # another program (a future `reader tags add`)
        other.add_tag(Tag("witness statement", "4", "#0ea5e9"))
    assert service.poll() is True  # it wrote: tags, counts and the cache are read again
    assert service.tags.for_key("4").name == "witness statement"
    assert service.tag(article, "4", 0, 8).tag == "witness statement"
    assert service.poll() is False  # this session's own write is not another's


def test_another_programs_write_empties_the_cache_and_is_announced_as_everything(
    service, article, db_path
):
    seen = updates(service)
    service.annotations_of(article.id)
    with Store(db_path) as other:
        other.add(article.id, "demand", 5, 9, article.body, article.sha256)
    service.tag(article, "2", 20, 30)
    assert seen[-1].everything and seen[-1].changed is None
    assert {a.tag for a in seen[-1].annotations} == {"demand", "casualty figure"}
    assert service.counts()[article.id] == {"demand": 1, "casualty figure": 1}


def test_reattach_and_copy(service, article):
    corpus = service.corpus
    other = [a for a in corpus if a.id != article.id][0]
    orphan = service.tag(article, "1", 0, 10)
    service.store.update(orphan.id, orphaned=True)
    with pytest.raises(Refused, match="another article"):
        service.reattach(orphan.id, other, 0, 5, "2")
    assert service.reattach(orphan.id, article, 30, 40, "2") == "casualty figure"
    now = service.get(orphan.id)
    assert (now.start, now.end, now.orphaned, now.tag) == (30, 40, False, "casualty figure")
    assert service.copy(orphan.id, other, 0, 12) == []
    (copied,) = service.annotations_of(other.id)
    assert (copied.tag, copied.start, copied.end) == ("casualty figure", 0, 12)
    with pytest.raises(Refused, match="already tagged"):
        service.copy(orphan.id, other, 0, 12)
    assert service.undo().label == "copy casualty figure to partner"


def test_orphans_and_export(service, article, tmp_path):
    item = service.tag(article, "1", 0, 10)
    assert service.orphans() == []
    article.path.unlink()  # its file gone: listed, kept
    assert [a.id for a in service.orphans()] == [item.id]
    path = service.export_path()
    assert path == service.store.path.with_suffix(".yaml")
    assert service.export(path) == (1, 1) and "reader-annotations/1" in path.read_text()


# -- sessions ------------------------------------------------------------------------------
class _Pair:
    def __init__(self, a: tuple[int, int], b: tuple[int, int]) -> None:
        (self.a_start, self.a_end), (self.b_start, self.b_end) = a, b
        self.score = 1.0


def test_comparison_by_article_id_steps_round_and_marks_differences(service, article):
    pairs = [_Pair((0, 10), (5, 15)), _Pair((20, 30), (0, 4)), _Pair((40, 50), (30, 40))]
    comparison = Comparison("left", "right", pairs)  # type: ignore[arg-type]
    assert comparison.side("left") == "a" and comparison.side("x") is None
    assert comparison.partner("left") == "right" and comparison.partner("right") == "left"
    assert comparison.pair_at("left", 25) == 1 and comparison.pair_at("right", 25) is None
    assert comparison.step("left", 0, +1) == 1 and comparison.step("left", 45, +1) == 0
    assert comparison.step("right", 5, -1) == 1 and comparison.step("right", 0, -1) == 2
    a = service.tag(article, "1", 0, 10)
    comparison.mark_differing([a], [])
    assert comparison.differing == {0}


def test_finding_steps_both_ways_and_round_the_end():
    body = "Ça va. ca VA? çA va!"
    finding = Finding.of("x", body, "ca va")
    assert finding is not None and finding.hits == [(0, 5), (7, 12), (14, 19)]
    assert finding.step(body, 0, +1) == 7 and finding.step(body, 14, +1) == 0
    assert finding.step(body, 7, -1) == 0 and finding.step(body, 0, -1) == 14
    assert finding.first_from(body, 8) == 14
    assert Finding.of("x", body, "") is None


def test_file_watch_tells_each_change_once(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("one")
    watch = FileWatch()
    watch.opened("a", path)
    assert watch.changed({"a": path}) == []
    path.write_text("two, longer")
    assert watch.changed({"a": path}) == [("a", False)]
    assert watch.changed({"a": path}) == []
    path.unlink()
    assert watch.changed({"a": path}) == [("a", True)]
    assert watch.changed({"b": path}) == []  # never opened: nothing to tell

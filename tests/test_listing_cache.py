"""reader.corpus.listing_cache: a second load of an unchanged folder reads no file heads and
parses no metadata.yaml, and gives exactly the articles a load without the cache gives; any change
to a file, its name, a link's target or metadata.yaml is picked up on the next load."""

from __future__ import annotations

import dataclasses
import errno
import importlib.util
import json
import os
import shutil
import stat
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hostile import (
    Expectation,
    deny_reads,
    make_control_names,
    make_hostile_corpus,
    make_yaml_bombs,
)

from reader.corpus import fields, files, listing_cache
from reader.corpus.articles import Article, bundled_articles_dir, load_corpus
from reader.corpus.listing_cache import ListingCache, default_cache_dir

ROOT = Path(__file__).resolve().parent.parent
TICK = 0.03  # longer than a kernel clock tick: a change after it gets another ctime


@pytest.fixture(autouse=True)
def _no_racy_window(monkeypatch, tmp_path):
    """Files written by a test are a few ms old: keep them (the window has its own test).
    And never the user's real cache, whatever a load is given."""
    monkeypatch.setattr(listing_cache, "RACY_NS", 0)
    monkeypatch.setenv(listing_cache.ENV, str(tmp_path / "env-cache"))


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


def snapshot(corpus) -> tuple:
    """Everything a corpus holds, every field of every article (the private ones too)."""
    names = [f.name for f in dataclasses.fields(Article)]
    rows = [tuple((name, getattr(a, name)) for name in names) for a in corpus]
    return str(corpus.folder), list(corpus.warnings), rows


def reads_nothing(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a warm load read a file head or parsed YAML")

    monkeypatch.setattr(files, "read_regular", refuse)
    monkeypatch.setattr(fields, "load_yaml", refuse)


def check_same(folder: Path, cache: Path):
    """A load without the cache, one that fills it and one from it are all alike."""
    cold = snapshot(load_corpus(folder))
    assert snapshot(load_corpus(folder, cache)) == cold
    warm = load_corpus(folder, cache)
    assert snapshot(warm) == cold
    return warm


def cache_file(cache: Path) -> Path:
    [path] = cache.glob("*.json")
    return path


# ---------------------------------------------------------------- indistinguishable, and fast


def test_bundled_corpus_from_the_cache_is_the_same_and_reads_nothing(cache, monkeypatch):
    warm = check_same(bundled_articles_dir(), cache)
    reads_nothing(monkeypatch)
    assert snapshot(load_corpus(bundled_articles_dir(), cache)) == snapshot(warm)


def test_a_listing_from_the_cache_imports_no_decoder_nor_yaml(cache):
    """A start over an unchanged folder needs neither charset detection nor PyYAML (their
    modules cost milliseconds to import): a new process lists the bundled corpus from the
    cache that this one filled."""
    import subprocess

    load_corpus(bundled_articles_dir(), cache)  # fills it
    script = (
        "import sys; from reader.corpus.articles import load_corpus, bundled_articles_dir;"
        f"load_corpus(bundled_articles_dir(), {str(cache)!r});"
        "print(sorted(m for m in ('reader.corpus.decoding', 'yaml', 'charset_normalizer')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_hostile_corpus_from_the_cache_is_the_same(tmp_path, cache, monkeypatch):
    folder = tmp_path / "hostile"
    kinds = make_hostile_corpus(folder)
    make_control_names(folder)
    make_yaml_bombs(folder)
    (folder / "b\udcffd-name.txt").write_text("A name that is not UTF-8\n")
    (folder / "fm.md").write_text("---\ntitle: [a, list]\nlanguage: no\n---\n\nFirst line\n")
    (folder / "dup.txt").write_text("one")
    (folder / "dup.md").write_text("two")
    (folder / "metadata.yaml").write_text(
        "fm.md: {title: From metadata, author: !!binary aGVsbG8=}\n"
        "markup.txt: [not, a, mapping]\n"
        "latin-1.txt: {title: Latin, date: 2024-02-30}\n"
    )
    deny_reads(monkeypatch, kinds)
    warm = check_same(folder, cache)
    assert any(a.error for a in warm) and any(a.warnings for a in warm)
    assert warm.get("fm").title == "From metadata" and warm.get("latin-1").title == "Latin"


def test_two_thousand_articles_from_the_cache_are_the_same(tmp_path, cache, monkeypatch):
    spec = importlib.util.spec_from_file_location("inputs", ROOT / "benchmarks" / "inputs.py")
    assert spec and spec.loader
    inputs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(inputs)
    folder = inputs.many_articles(tmp_path / "many", 2000)
    warm = check_same(folder, cache)
    reads_nothing(monkeypatch)
    assert snapshot(load_corpus(folder, cache)) == snapshot(warm)
    assert len(warm) == 2000 and warm.get("01999_article").title.startswith("Article 1999: ")


def test_cache_holds_metadata_never_bodies_and_only_the_user_may_read_it(tmp_path, cache):
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "a.txt").write_text("Title line\n\nA secret sentence of the body.\n")
    load_corpus(folder, cache)
    path = cache_file(cache)
    text = path.read_text(encoding="ascii")
    assert "Title line" in text and "secret" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert list(cache.iterdir()) == [path]  # no temporary file left


def test_nothing_is_cached_without_a_cache_folder(tmp_path):
    load_corpus(bundled_articles_dir())
    assert not (tmp_path / "env-cache").exists()


# ---------------------------------------------------------------- every change is picked up


@pytest.fixture
def folder(tmp_path, cache) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha first line\nalpha body\n")
    (folder / "b.txt").write_text("Bravo first line\nbravo body\n")
    (folder / "c.md").write_text("---\ntitle: Charlie\n---\nCharlie body\n")
    (folder / "metadata.yaml").write_text("a.txt: {title: Alpha, outlet: Outlet A}\n")
    check_same(folder, cache)
    time.sleep(TICK)  # changes below get another ctime than the files had
    return folder


def same_size_same_mtime(path: Path, old: str, new: str) -> None:
    """Rewrite in place with text of the same length, then put the old mtime back."""
    info = path.stat()
    text = path.read_text()
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size


def reloaded(folder: Path, cache: Path):
    """The next load through the cache, checked against one without it."""
    warm = load_corpus(folder, cache)
    assert snapshot(warm) == snapshot(load_corpus(folder))
    return warm


def test_an_edited_article_is_read_again(folder, cache):
    same_size_same_mtime(folder / "b.txt", "Bravo", "BRAVO")
    assert reloaded(folder, cache).get("b").first_line == "BRAVO first line"


def test_edited_front_matter_is_read_again(folder, cache):
    same_size_same_mtime(folder / "c.md", "Charlie\n---", "Delta!!\n---")
    assert reloaded(folder, cache).get("c").title == "Delta!!"


def test_an_edited_metadata_yaml_is_read_again(folder, cache):
    same_size_same_mtime(folder / "metadata.yaml", "Alpha,", "Omega,")
    assert reloaded(folder, cache).get("a").title == "Omega"
    (folder / "metadata.yaml").write_text("b.txt: {title: [not text]}\n")
    corpus = reloaded(folder, cache)
    assert corpus.get("a").title is None and corpus.get("a").first_line == "Alpha first line"
    assert corpus.get("b").warnings == ["metadata.yaml: 'title' is a list, not text; ignored"]
    (folder / "metadata.yaml").write_text("- not a mapping\n")
    assert "expected a mapping" in reloaded(folder, cache).warnings[0]
    (folder / "metadata.yaml").unlink()
    assert reloaded(folder, cache).warnings == []


def test_a_file_replaced_by_another_of_the_same_size_and_mtime_is_read_again(folder, cache):
    path = folder / "a.txt"
    info = path.stat()
    other = folder / ".new"
    other.write_text(path.read_text().replace("Alpha first", "Other first"))
    os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(other, path)
    corpus = reloaded(folder, cache)
    assert corpus.get("a").title == "Alpha"  # from metadata.yaml, still
    (folder / "metadata.yaml").write_text("{}")
    assert reloaded(folder, cache).get("a").first_line == "Other first line"


def test_one_edited_file_is_read_alone(folder, cache, monkeypatch):
    (folder / "b.txt").write_text("Edited\n")
    cold = snapshot(load_corpus(folder))
    read = []
    real = files.read_regular

    def counted(path, *args):
        read.append(path.name)
        return real(path, *args)

    monkeypatch.setattr(files, "read_regular", counted)
    monkeypatch.setattr(fields, "load_yaml", None)  # its metadata.yaml entry is cached
    assert snapshot(load_corpus(folder, cache)) == cold
    assert read == ["b.txt"]


def test_renamed_deleted_and_added_files_are_picked_up(folder, cache):
    (folder / "b.txt").rename(folder / "bb.txt")
    (folder / "c.md").unlink()
    (folder / "metadata.yaml").write_text("a.txt: {title: Alpha}\nd.txt: {title: Delta}\n")
    reloaded(folder, cache)
    (folder / "d.txt").write_text("new one\n")  # its entry is in metadata.yaml
    corpus = reloaded(folder, cache)
    assert [a.id for a in corpus] == ["a", "bb", "d"]
    assert corpus.get("d").title == "Delta" and corpus.get("bb").first_line == "Bravo first line"
    assert set(json.loads(cache_file(cache).read_text())["files"]) == {"a.txt", "bb.txt", "d.txt"}


def test_a_file_added_to_an_unchanged_folder_gets_its_metadata_yaml_entry(folder, cache):
    (folder / "metadata.yaml").write_text("a.txt: {title: Alpha}\nd.txt: {title: Delta}\n")
    reloaded(folder, cache)  # metadata.yaml is read once, as it now is
    (folder / "d.txt").write_text("new one\n")
    assert reloaded(folder, cache).get("d").title == "Delta"


def test_a_swapped_link_target_is_followed(folder, cache):
    (folder / "b.txt").write_text("Bravo first line\nbravo text\n")  # a.txt's size
    time.sleep(TICK)
    os.symlink("a.txt", folder / "link.txt")
    assert reloaded(folder, cache).get("link").first_line == "Alpha first line"
    os.utime(folder / "b.txt", ns=(0, (folder / "a.txt").stat().st_mtime_ns))
    os.unlink(folder / "link.txt")
    os.symlink("b.txt", folder / "link.txt")
    assert reloaded(folder, cache).get("link").first_line == "Bravo first line"
    same_size_same_mtime(folder / "b.txt", "Bravo", "Omega")  # the target, edited
    assert reloaded(folder, cache).get("link").first_line == "Omega first line"


def test_link_checks_run_on_every_load(folder, cache, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("Outside\n")
    shutil.copy(outside, folder / "inside.txt")
    os.symlink("inside.txt", folder / "link.txt")
    assert reloaded(folder, cache).get("link").ok
    (folder / "inside.txt").unlink()
    assert "broken link" in reloaded(folder, cache).get("link").error
    os.unlink(folder / "link.txt")
    os.symlink(outside, folder / "link.txt")
    assert "outside the folder" in reloaded(folder, cache).get("link").error


def test_a_file_that_becomes_a_folder_or_unreadable_is_listed_with_its_reason(
    folder, cache, monkeypatch
):
    (folder / "b.txt").unlink()
    (folder / "b.txt").mkdir()
    assert "is a folder" in reloaded(folder, cache).get("b").error
    os.chmod(folder / "a.txt", 0)  # a new ctime; root reads it anyway, so deny it too
    deny_reads(monkeypatch, {"a": Expectation("unreadable", "a.txt", False, unreadable=True)})
    assert "permission denied" in reloaded(folder, cache).get("a").error


# ---------------------------------------------------------------- writing and reading the cache


def test_an_unchanged_folder_does_not_rewrite_the_cache(folder, cache, monkeypatch):
    before = cache_file(cache).stat().st_mtime_ns
    writes = []
    monkeypatch.setattr(listing_cache, "_write", lambda *args: writes.append(args))
    load_corpus(folder, cache)
    assert writes == [] and cache_file(cache).stat().st_mtime_ns == before


def clock_at(monkeypatch, now: int) -> None:
    """The cache's clock at ``now``; a file changed less than TICK / 2 before is changed now."""
    monkeypatch.setattr(listing_cache, "RACY_NS", int(TICK * 1e9 / 2))
    monkeypatch.setattr(listing_cache, "time", SimpleNamespace(time_ns=lambda: now))


def test_a_file_changed_just_now_is_read_again_until_it_settles(folder, cache, monkeypatch):
    (folder / "b.txt").write_text("Just written\n")  # a change soon after may not show in its stat
    clock_at(monkeypatch, (folder / "b.txt").stat().st_ctime_ns)
    assert reloaded(folder, cache).get("b").first_line == "Just written"
    assert json.loads(cache_file(cache).read_text())["files"]["b.txt"][0] is None
    clock_at(monkeypatch, (folder / "b.txt").stat().st_ctime_ns + 3 * 10**9)
    assert reloaded(folder, cache).get("b").first_line == "Just written"
    assert json.loads(cache_file(cache).read_text())["files"]["b.txt"][0] is not None
    reads_nothing(monkeypatch)
    load_corpus(folder, cache)


def test_metadata_yaml_changed_just_now_is_not_cached(folder, cache, monkeypatch):
    (folder / "metadata.yaml").write_text("a.txt: {title: Now}\n")
    clock_at(monkeypatch, (folder / "metadata.yaml").stat().st_ctime_ns)
    before = cache_file(cache).read_bytes()
    assert reloaded(folder, cache).get("a").title == "Now"
    assert cache_file(cache).read_bytes() == before  # stands for the old one: ignored


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00\xff garbage",
        b"[1, 2, 3]",
        b'{"files": []}',
        b"[" * 100000,
        "other version",
        "wrong folder",
        "bad entries",
        "bad warnings",
    ],
    ids=[
        "empty",
        "garbage",
        "list",
        "files list",
        "deep",
        "version",
        "folder",
        "entries",
        "warnings",
    ],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_rebuilt(folder, cache, monkeypatch, damage):
    path = cache_file(cache)
    doc = json.loads(path.read_text())
    if damage == "other version":
        doc["stamp"][1] = "0.0.1"
    elif damage == "wrong folder":
        doc["folder"] = "/somewhere/else"
    elif damage == "bad entries":
        doc["files"]["a.txt"][1][0] = 42  # a title that is not text
        doc["files"]["b.txt"][1] = {"title": "x"}
        doc["files"]["c.md"] = [doc["files"]["c.md"][0], None, [{"title": 3}, []]]
    elif damage == "bad warnings":
        doc["warnings"] = [None]
    data = damage if isinstance(damage, bytes) else json.dumps(doc).encode()
    path.write_bytes(data)
    reloaded(folder, cache)
    assert json.loads(path.read_text())["stamp"] == listing_cache._stamp()  # rebuilt
    cold = snapshot(load_corpus(folder))
    reads_nothing(monkeypatch)
    assert snapshot(load_corpus(folder, cache)) == cold


def test_damaged_entries_alone_are_read_again(folder, cache):
    path = cache_file(cache)
    doc = json.loads(path.read_text())
    doc["files"]["a.txt"][1][-1] = "not a bool"
    doc["files"]["a.txt"][2] = True  # not 1: no shortcut to the article's own fields
    path.write_text(json.dumps(doc))
    assert reloaded(folder, cache).get("a").title == "Alpha"


@pytest.mark.parametrize("failure", ["cache is a file", "disk full", "cannot list"])
def test_a_cache_that_cannot_be_written_or_read_is_no_cache(folder, tmp_path, monkeypatch, failure):
    cache = tmp_path / "blocked"
    if failure == "cache is a file":
        cache.write_text("not a folder")
    elif failure == "disk full":

        def full(*args):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(listing_cache.os, "replace", full)
    else:
        cache.mkdir()
        (cache / ListingCache.open(cache, folder.resolve(), "absent").path.name).mkdir()
    assert snapshot(load_corpus(folder, cache)) == snapshot(load_corpus(folder))
    assert not list(tmp_path.glob("blocked/.*.tmp"))


def test_a_new_build_of_the_code_drops_the_cache(folder, cache, monkeypatch):
    monkeypatch.setattr(listing_cache, "_stamp_cache", [[listing_cache.FORMAT + 1]])
    writes = []
    monkeypatch.setattr(listing_cache, "_write", lambda *args: writes.append(args))
    reloaded(folder, cache)
    assert len(writes) == 1


def test_each_folder_has_its_own_cache_file(folder, tmp_path, cache):
    other = tmp_path / "other"
    shutil.copytree(folder, other)
    load_corpus(other, cache)
    assert len(list(cache.glob("*.json"))) == 2
    assert reloaded(other, cache).folder == other


# ---------------------------------------------------------------- where the cache lives


def test_cache_folder_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "here"))
    assert default_cache_dir() == tmp_path / "here"
    for off in ("", "off", " OFF "):
        monkeypatch.setenv("READER_CACHE_DIR", off)
        assert default_cache_dir() is None


def test_cache_folder_defaults_to_the_users_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("READER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "reader" if sys.platform.startswith("linux") else None
    found = default_cache_dir()
    assert found is not None and found.name in ("reader", "Cache")
    if expected:
        assert found == expected

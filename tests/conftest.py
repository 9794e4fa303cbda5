"""Shared fixtures: a fresh corpus folder and a fresh database in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

BUNDLED = Path(__file__).resolve().parent.parent / "reader" / "sample"


@pytest.fixture(autouse=True)
def private_listing_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """reader's listing cache goes to tmp_path, never to the user's cache folder (subprocesses
    inherit the variable)."""
    cache = tmp_path.parent / f"{tmp_path.name}-listing-cache"  # beside tmp_path, not in it
    monkeypatch.setenv("READER_CACHE_DIR", str(cache))


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A copy of the bundled corpus (five .txt files + metadata.yaml)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for item in BUNDLED.iterdir():
        if item.suffix in {".txt", ".md", ".yaml"}:
            shutil.copy(item, folder / item.name)
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.db"


@pytest.fixture
def store(db_path):
    """A fresh annotation store on a file in tmp_path."""
    from reader.store import Store

    store = Store(db_path)
    yield store
    store.close()


@pytest.fixture
def app(store, corpus_dir):
    """The TUI over a copy of the bundled corpus and a fresh store (no polling)."""
    from reader.corpus.articles import load_corpus
    from reader.tui.app import ReaderApp

    return ReaderApp(store=store, corpus=load_corpus(corpus_dir), poll_seconds=0)

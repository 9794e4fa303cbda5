"""Shared fixtures: a fresh corpus folder and a fresh database in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

BUNDLED = Path(__file__).resolve().parent.parent / "reader" / "corpus"


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

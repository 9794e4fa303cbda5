"""The registry of export formats: the one place a format is looked up, by the CLI and the app."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reader.corpus.articles import load_corpus
from reader.exchange import FORMAT, formats
from reader.exchange.files import export_text, export_to_file
from reader.store import Store


def test_yaml_is_the_format_by_name_by_suffix_and_by_default():
    assert formats.names() == ["yaml"]
    assert formats.choose().name == "yaml"
    assert formats.choose("YAML").name == "yaml"
    assert formats.choose(None, "out.yml").name == "yaml"
    assert formats.choose(None, "out.YAML").name == "yaml"
    assert formats.choose(None, "out.txt").name == "yaml"  # no format says .txt: YAML
    assert formats.for_path("out.txt") is None


def test_an_unknown_name_says_which_there_are():
    with pytest.raises(formats.UnknownFormat, match="known: yaml"):
        formats.choose("docx", "out.yaml")


def test_a_name_or_suffix_is_registered_once():
    with pytest.raises(ValueError, match="twice"):
        formats.register(formats.Format("other", (".yml",), lambda s, c, save: ""))
    assert "other" not in formats.FORMATS


def test_the_file_and_the_text_come_from_the_registry(
    store: Store, corpus_dir: Path, tmp_path: Path, monkeypatch
):
    corpus = load_corpus(corpus_dir)
    assert yaml.safe_load(export_text(store, corpus))["format"] == FORMAT
    calls = []
    entry = formats.FORMATS["yaml"]

    def writer(s, c, save):
        calls.append(save)
        return "written: by the registry\n"

    monkeypatch.setitem(formats.FORMATS, "yaml", formats.Format("yaml", entry.suffixes, writer))
    assert export_to_file(tmp_path / "out.yaml", store, corpus) == 0
    assert (tmp_path / "out.yaml").read_text() == "written: by the registry\n"
    assert export_text(store, corpus) == "written: by the registry\n"
    assert calls == [True, True]

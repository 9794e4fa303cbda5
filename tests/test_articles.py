"""reader.corpus.articles: discovery, decoding, metadata, front matter, ids and hashes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.corpus.articles import (
    FIELDS,
    ArticleError,
    bundled_articles_dir,
    load_corpus,
    split_front_matter,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "articles"
IDS = [
    "000_ae0beaf4b9f7a712",
    "001_382389f1be5a250a",
    "002_f04bd37b83778a94",
    "003_5ff04c2fd37e7449",
    "004_fa36b37c0b2a609a",
]


def one(folder: Path, name: str, data: bytes | str):
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    corpus = load_corpus(folder)
    return corpus.get(Path(name).stem)


def test_bundled_corpus_lists_five_articles_in_file_order():
    corpus = load_corpus(bundled_articles_dir())
    assert [a.id for a in corpus] == IDS
    assert all(a.ok for a in corpus)


def test_bundled_metadata_comes_from_metadata_yaml():
    article = load_corpus(bundled_articles_dir()).get("000_ae0beaf4b9f7a712")
    assert article.title == "What Amnesty International Says About Venezuela"
    assert article.outlet == "Havana Times (translated from IPS, Spanish original)"
    assert article.author == "IPS Correspondent"
    assert article.date == "2026-02"
    assert article.language == "en"


def test_full_date_becomes_iso_string():
    assert load_corpus(bundled_articles_dir()).get("002_f04bd37b83778a94").date == "2026-01-05"


def test_null_fields_stay_absent():
    article = load_corpus(bundled_articles_dir()).get("003_5ff04c2fd37e7449")
    assert article.outlet is None and article.author is None


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared corpus not beside the repo")
@pytest.mark.parametrize("article_id", IDS)
def test_bodies_are_byte_for_byte_the_shared_files(article_id):
    article = load_corpus(bundled_articles_dir()).get(article_id)
    raw = (SHARED / f"{article_id}.txt").read_bytes()
    assert article.body.encode("utf-8") == raw
    assert article.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_the_body_hashed_a_slice_at_a_time_is_hashed_as_a_whole(tmp_path, monkeypatch, size):
    """Slices cut anywhere (between an emoji's code points, a lone surrogate's neighbours, a
    CR LF) give the bytes of the whole body."""
    from reader.corpus import article as articles

    monkeypatch.setattr(articles, "HASH_SLICE", size)
    body = "é👍🏽 flag 🇺🇦\r\nZWJ 👨\u200d👩 \udc80 lone · end"
    (tmp_path / "a.txt").write_bytes(body.encode("utf-8", "surrogatepass"))
    article = load_corpus(tmp_path).get("a")
    whole = hashlib.sha256(article.body.encode("utf-8", "surrogatepass")).hexdigest()
    assert article.sha256 == whole


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared corpus not beside the repo")
def test_shared_folder_works_as_it_is_and_readme_is_not_an_article():
    corpus = load_corpus(SHARED)
    assert [a.id for a in corpus] == IDS
    assert corpus.get("README") is None
    assert corpus.get(IDS[1]).author == "Яна Орехова"


def test_listing_does_not_decode_bodies(corpus_dir):
    corpus = load_corpus(corpus_dir)
    assert all(a._body is None for a in corpus)
    assert corpus.get(IDS[0]).size == (corpus_dir / f"{IDS[0]}.txt").stat().st_size


def test_title_falls_back_to_first_non_empty_line_then_file_name(tmp_path):
    article = one(tmp_path, "a.txt", "\n\n  Headline here \nbody")
    assert article.title is None
    assert article.display_title == "Headline here"
    empty = one(tmp_path, "empty.txt", "")
    assert empty.display_title == "empty.txt"
    assert empty.body == ""


def test_front_matter_gives_metadata_and_is_not_body(tmp_path):
    text = "---\ntitle: From front matter\ndate: 2024-08-01\n---\nThe body.\n"
    article = one(tmp_path, "a.md", text)
    assert article.title == "From front matter"
    assert article.date == "2024-08-01"
    assert article.body == "The body.\n"


def test_front_matter_wins_over_metadata_yaml(tmp_path):
    (tmp_path / "metadata.yaml").write_text("a.md:\n  title: From yaml\n  outlet: Yaml outlet\n")
    article = one(tmp_path, "a.md", "---\ntitle: From front matter\n---\nbody")
    assert article.title == "From front matter"
    assert article.outlet == "Yaml outlet"


def test_broken_front_matter_opens_with_warning(tmp_path):
    article = one(tmp_path, "a.md", "---\ntitle: [unclosed\n---\nStill readable.")
    assert article.ok
    assert article.body == "Still readable."
    assert any("not valid YAML" in w for w in article.warnings)
    assert article.display_title == "Still readable."


def test_front_matter_only_gives_empty_body(tmp_path):
    article = one(tmp_path, "a.md", "---\ntitle: Only\n---")
    assert article.title == "Only"
    assert article.body == ""


def test_python_tag_in_front_matter_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    text = f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\nbody"
    article = one(tmp_path, "a.md", text)
    assert article.body == "body"
    assert not marker.exists()
    assert article.warnings


def test_broken_metadata_yaml_is_a_corpus_warning(tmp_path):
    (tmp_path / "metadata.yaml").write_text("a.txt: [oops\n")
    (tmp_path / "a.txt").write_text("Title\n")
    corpus = load_corpus(tmp_path)
    assert corpus.get("a").ok
    assert "metadata.yaml" in corpus.warnings[0] and "not valid YAML" in corpus.warnings[0]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("\ufeffBOM text é".encode(), "utf-8"),
        ("UTF-16 text é".encode("utf-16"), "utf-16-le"),
        ("UTF-32 text é".encode("utf-32"), "utf-32-le"),
        ("UTF-16 no bom, mostly latin text here".encode("utf-16-le"), "utf-16-le"),
        ("UTF-16 big endian, mostly latin text".encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_bom_and_utf16_32_are_decoded_and_bom_removed(tmp_path, data, encoding):
    article = one(tmp_path, "a.txt", data)
    assert article.ok
    assert not article.body.startswith("\ufeff")
    assert "text" in article.body
    assert article.encoding == encoding


def test_cp1252_is_detected_and_reported(tmp_path):
    text = "Le président a déclaré « nous exigeons » — 12 morts à Caracas, naïveté, où, élève. " * 5
    article = one(tmp_path, "a.txt", text.encode("cp1252"))
    assert article.body == text
    assert any("decoded as" in w for w in article.warnings)


def test_binary_file_is_refused_with_reason(tmp_path):
    article = one(tmp_path, "a.txt", bytes(range(256)) * 4)
    assert not article.ok
    assert "binary" in article.error
    with pytest.raises(ArticleError, match="a.txt"):
        _ = article.body


def test_crlf_and_control_characters_are_kept_unchanged(tmp_path):
    text = "a\r\nb\rc\x1b[2J\x00d\x85\t"
    assert one(tmp_path, "a.txt", text).body == text


def test_directory_named_like_an_article_is_listed_with_reason(tmp_path):
    (tmp_path / "x.txt").mkdir()
    article = load_corpus(tmp_path).get("x")
    assert article.error == "is a folder, not a file"


def test_broken_symlink_is_listed_with_reason(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    assert "broken link" in load_corpus(tmp_path).get("gone").error


def test_symlink_outside_folder_is_not_opened(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "s.txt").symlink_to(outside)
    article = load_corpus(folder).get("s")
    assert "outside the folder" in article.error


def test_symlink_inside_folder_is_followed(tmp_path):
    (tmp_path / "real.txt").write_text("Real text")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "real.txt")
    assert load_corpus(tmp_path).get("alias").body == "Real text"


def test_fifo_never_hangs(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    article = load_corpus(tmp_path).get("pipe")
    assert "not a regular file" in article.error


def test_unreadable_file_is_listed_with_reason(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("text")
    real_open = os.open

    def deny(path, *args, **kwargs):
        if str(path).endswith("a.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    assert "permission denied" in load_corpus(tmp_path).get("a").error


def test_duplicate_ids_are_flagged(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "a.md").write_text("two")
    corpus = load_corpus(tmp_path)
    assert len(corpus) == 2
    assert "duplicate id" in corpus.articles[1].error


def test_file_deleted_after_listing_raises_article_error(tmp_path):
    (tmp_path / "a.txt").write_text("text")
    article = load_corpus(tmp_path).get("a")
    (tmp_path / "a.txt").unlink()
    with pytest.raises(ArticleError, match="a.txt"):
        _ = article.body


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(ArticleError, match="no such folder"):
        load_corpus(tmp_path / "nope")


def test_unload_drops_body_and_reloads(tmp_path):
    article = one(tmp_path, "a.txt", "text")
    assert article.body == "text"
    article.unload()
    assert article._body is None
    assert article.body == "text"


def test_split_front_matter_without_closing_line_is_text():
    meta, body, warning = split_front_matter("---\ntitle: x\nno end")
    assert meta == {} and body == "---\ntitle: x\nno end" and "no closing" in warning


def test_core_modules_do_not_import_textual():
    code = (
        "import sys\n"
        "import reader.corpus.articles, reader.store, reader.exchange, reader.anchoring\n"
        "import reader.tags, reader.services.history, reader.text.untrusted\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- metadata values that are not text ----------------------------------------------------------

NOT_TEXT = """\
title: !!binary aGVsbG8=
outlet: [a, list]
author: {a: mapping}
date: !!set {x, y}
language: !!omap [a: 1]
"""
AS_TEXT = """\
title: 3.10
outlet: 0x1F
author: yes
date: 2024
language: no
"""


def _field_warnings(article) -> dict[str, str]:
    return {f: w for w in article.warnings for f in FIELDS if f"'{f}'" in w}


@pytest.mark.parametrize("where", ["front matter", "metadata.yaml"])
def test_metadata_that_is_not_text_is_dropped_with_a_warning(tmp_path, where):
    if where == "front matter":
        article = one(tmp_path, "a.md", f"---\n{NOT_TEXT}---\nFirst line.\n")
    else:
        meta = "".join(f"  {line}\n" for line in NOT_TEXT.splitlines())
        (tmp_path / "metadata.yaml").write_text(f"a.md:\n{meta}")
        article = one(tmp_path, "a.md", "First line.\n")
    assert article.metadata() == dict.fromkeys(FIELDS)  # never a repr such as "b'hello'"
    warned = _field_warnings(article)
    assert sorted(warned) == sorted(FIELDS), article.warnings
    assert "binary" in warned["title"] and "list" in warned["outlet"]
    for warning in warned.values():
        assert warning.startswith(f"{where}: '"), warning
    assert article.display_title == "First line."


@pytest.mark.parametrize("where", ["front matter", "metadata.yaml"])
def test_numbers_and_booleans_in_metadata_are_kept_as_written(tmp_path, where):
    if where == "front matter":
        article = one(tmp_path, "a.md", f"---\n{AS_TEXT}---\nbody\n")
    else:
        meta = "".join(f"  {line}\n" for line in AS_TEXT.splitlines())
        (tmp_path / "metadata.yaml").write_text(f"a.md:\n{meta}")
        article = one(tmp_path, "a.md", "body\n")
    assert article.metadata() == {
        "title": "3.10", "outlet": "0x1F", "author": "yes", "date": "2024", "language": "no",
    }  # fmt: skip
    assert article.warnings == []


def test_dates_become_iso_text_and_null_stays_absent_without_warning(tmp_path):
    text = "---\ntitle: ~\ndate: 2024-08-01 10:30:00+02:00\nlanguage: null\n---\nbody\n"
    article = one(tmp_path, "a.md", text)
    assert article.date == "2024-08-01T10:30:00+02:00"
    assert article.title is None and article.language is None
    assert article.warnings == []


def test_metadata_tags_are_still_checked(tmp_path):
    article = one(tmp_path, "a.md", "---\ntitle: !!int abc\n---\nbody\n")
    assert article.title is None
    assert any("not valid YAML" in w for w in article.warnings)


def test_listing_a_small_file_knows_its_decoding_warnings(tmp_path):
    text = "Le président a déclaré « nous exigeons » : 12 morts, naïveté, où, élève.\n" * 3
    article = one(tmp_path, "a.txt", text.encode("cp1252"))
    assert article._body is None  # the head was the whole file: nothing more to read
    assert article.warnings == ["decoded as cp1252"]
    article.check()
    assert article._body is None and article.warnings == ["decoded as cp1252"]


def test_check_reads_what_the_listing_did_not(tmp_path):
    line = "UTF-8 text, é, long enough to go past what listing reads.\n"
    article = one(tmp_path, "a.txt", (line * 400).encode() + b"\xff\n" + line.encode())
    assert article.warnings == []
    article.check()
    assert article.warnings == ["1 invalid UTF-8 byte sequence shown as \ufffd"]
    assert article._body is None and article.ok
    binary = one(tmp_path, "b.txt", (line * 400).encode() + bytes(range(256)))
    assert binary.ok
    binary.check()
    assert binary.error == "binary data (NUL bytes), not text"

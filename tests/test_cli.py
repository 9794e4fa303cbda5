"""The `reader` command line, run as a user runs it: the real entry point in a subprocess."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reader import __version__

READER = shutil.which("reader")
A = "000_ae0beaf4b9f7a712"
B = "002_f04bd37b83778a94"


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    command = [READER] if READER else [sys.executable, "-m", "reader"]
    env = {k: v for k, v in os.environ.items() if k != "READER_DEBUG"}
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        env=env,
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_clean_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def write_import(path: Path, body_slice: tuple[int, int], corpus_dir: Path, **extra) -> str:
    body = (corpus_dir / f"{A}.txt").read_text(encoding="utf-8")
    start, end = body_slice
    entry = {"tag": "casualty figure", "start": start, "end": end, "quote": body[start:end]}
    entry.update(extra)
    doc = {"format": "reader-annotations/1", "articles": [{"id": A, "annotations": [entry]}]}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return body[start:end]


def test_version(tmp_path):
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_help_names_the_commands(tmp_path):
    result = run("-h", cwd=tmp_path)
    assert result.returncode == 0
    for word in ("list", "export", "import", "--articles", "--db"):
        assert word in result.stdout


def test_list_without_articles_folder_uses_bundled_corpus(tmp_path):
    result = run("list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith(A + "\tWhat Amnesty International Says About Venezuela\t")
    assert "legal argument=0\tcasualty figure=0\tdemand=0" in lines[0]
    assert not (tmp_path / "annotations.db").exists(), "list must not create a database"


def test_list_prefers_local_articles_folder(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "mine.txt").write_text("My own headline\nbody\n")
    result = run("list", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "mine\tMy own headline\t-\t-\tlegal argument=0\tcasualty figure=0\tdemand=0"
    ]


def test_list_shows_unopenable_files_with_reason(tmp_path):
    folder = tmp_path / "arts"
    folder.mkdir()
    (folder / "bin.txt").write_bytes(bytes(range(256)))
    (folder / "dir.txt").mkdir()
    result = run("list", "--articles", str(folder), cwd=tmp_path)
    assert result.returncode == 0
    assert "bin\tcannot open bin.txt: binary" in result.stdout
    assert "dir\tcannot open dir.txt: is a folder" in result.stdout


def test_export_of_empty_database_is_valid_document(tmp_path):
    result = run("export", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = yaml.safe_load(result.stdout)
    assert doc["format"] == "reader-annotations/1"
    assert doc["articles"] == []
    assert "exported" in doc


def test_import_then_export_round_trips(tmp_path, corpus_dir):
    source = tmp_path / "in.yaml"
    quote = write_import(source, (100, 160), corpus_dir, note="checked")
    db = tmp_path / "a.db"
    common = ("--articles", str(corpus_dir), "--db", str(db))
    result = run("import", str(source), *common, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    doc = yaml.safe_load(run("export", *common, cwd=tmp_path).stdout)
    (article,) = doc["articles"]
    assert article["id"] == A and article["title"].startswith("What Amnesty")
    (entry,) = article["annotations"]
    assert (entry["start"], entry["end"], entry["quote"], entry["note"]) == (
        100,
        160,
        quote,
        "checked",
    )
    again = run("import", str(source), *common, cwd=tmp_path)
    assert "0 added" in again.stdout
    assert (
        len(
            yaml.safe_load(run("export", *common, cwd=tmp_path).stdout)["articles"][0][
                "annotations"
            ]
        )
        == 1
    )


def test_list_counts_annotations_per_tag(tmp_path, corpus_dir):
    source = tmp_path / "in.yaml"
    write_import(source, (10, 20), corpus_dir)
    common = ("--articles", str(corpus_dir), "--db", str(tmp_path / "a.db"))
    run("import", str(source), *common, cwd=tmp_path)
    line = run("list", *common, cwd=tmp_path).stdout.splitlines()[0]
    assert line.endswith("legal argument=0\tcasualty figure=1\tdemand=0")


def test_options_work_after_the_subcommand_and_before(tmp_path, corpus_dir):
    before = run("--articles", str(corpus_dir), "list", cwd=tmp_path)
    after = run("list", "--articles", str(corpus_dir), cwd=tmp_path)
    assert before.stdout == after.stdout and before.returncode == 0


def test_export_to_file_is_written_and_reported(tmp_path):
    out = tmp_path / "out.yaml"
    result = run("export", "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0
    assert yaml.safe_load(out.read_text())["format"] == "reader-annotations/1"
    assert str(out) in result.stderr


def test_export_to_missing_folder_is_clean_error(tmp_path):
    result = run("export", "-o", str(tmp_path / "no" / "out.yaml"), cwd=tmp_path)
    assert_clean_error(result, "out.yaml")


def test_invalid_import_imports_nothing_and_names_the_entry(tmp_path, corpus_dir):
    source = tmp_path / "bad.yaml"
    write_import(source, (100, 160), corpus_dir, quote="not what the text says at all, no")
    db = tmp_path / "a.db"
    result = run(
        "import", str(source), "--articles", str(corpus_dir), "--db", str(db), cwd=tmp_path
    )
    assert_clean_error(result, "bad.yaml", "nothing imported", "annotations[0]")
    doc = yaml.safe_load(
        run("export", "--articles", str(corpus_dir), "--db", str(db), cwd=tmp_path).stdout
    )
    assert doc["articles"] == []


def test_import_of_missing_file_is_clean_error(tmp_path):
    assert_clean_error(run("import", "nope.yaml", cwd=tmp_path), "nope.yaml", "no such file")


def test_import_of_broken_yaml_is_clean_error(tmp_path):
    (tmp_path / "broken.yaml").write_text("format: [unclosed\n")
    assert_clean_error(run("import", "broken.yaml", cwd=tmp_path), "broken.yaml")


def test_missing_articles_folder_is_clean_error(tmp_path):
    assert_clean_error(
        run("list", "--articles", "nowhere", cwd=tmp_path), "nowhere", "no such folder"
    )


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all\n" * 10, b"SQLite format 3\x00" + b"\xff" * 4000],
)
def test_foreign_or_corrupt_database_is_refused_and_untouched(tmp_path, content):
    db = tmp_path / "annotations.db"
    db.write_bytes(content)
    before = sha(db)
    for command in (["list"], ["export"], ["import", "x.yaml"]):
        (tmp_path / "x.yaml").write_text("format: reader-annotations/1\narticles: []\n")
        result = run(*command, cwd=tmp_path)
        assert_clean_error(result, "annotations.db")
    assert sha(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations.db", "x.yaml"]


def test_other_programs_sqlite_database_is_refused(tmp_path):
    import sqlite3

    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("create table customers (id integer primary key, name text)")
    conn.commit()
    conn.close()
    before = sha(db)
    result = run("export", "--db", str(db), cwd=tmp_path)
    assert_clean_error(result, "other.db")
    assert sha(db) == before


def test_database_path_that_is_a_directory_is_refused(tmp_path):
    (tmp_path / "annotations.db").mkdir()
    assert_clean_error(run("export", cwd=tmp_path), "annotations.db")


def test_python_module_entry_point_works(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0 and __version__ in result.stdout


def test_a_backup_with_a_deleted_article_file_restores(tmp_path, corpus_dir):
    source = tmp_path / "in.yaml"
    write_import(source, (100, 160), corpus_dir, note="checked")
    common = ("--articles", str(corpus_dir), "--db", str(tmp_path / "a.db"))
    assert run("import", str(source), *common, cwd=tmp_path).returncode == 0
    (corpus_dir / f"{A}.txt").unlink()
    backup = run("export", *common, cwd=tmp_path).stdout
    (tmp_path / "out.yaml").write_text(backup, encoding="utf-8")
    fresh = ("--articles", str(corpus_dir), "--db", str(tmp_path / "fresh.db"))
    result = run("import", "out.yaml", *fresh, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    assert f"1 kept unchecked (no readable file for article {A})" in result.stdout
    again = run("import", "out.yaml", *fresh, cwd=tmp_path)
    assert "0 added, 0 updated, 1 unchanged\n" in again.stdout, again.stdout
    drop = lambda text: text.split("\n", 2)[2]  # noqa: E731 - all but format and exported
    assert drop(run("export", *fresh, cwd=tmp_path).stdout) == drop(backup)


def test_import_says_when_it_re_anchored_an_entry(tmp_path, corpus_dir):
    source = tmp_path / "in.yaml"
    quote = write_import(source, (100, 160), corpus_dir)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("start: 100", "start: 90").replace("end: 160", "end: 150"))
    body = (corpus_dir / f"{A}.txt").read_text(encoding="utf-8")
    assert body.count(quote) == 1
    result = run("import", str(source), "--articles", str(corpus_dir), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 added, 0 updated, 0 unchanged; 1 re-anchored" in result.stdout


def test_list_shows_article_warnings_on_stderr(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    accented = "Le président a déclaré « nous exigeons » : 12 morts à Caracas, naïveté.\n"
    (folder / "a-cp1252.txt").write_bytes((accented * 3).encode("cp1252"))
    big = ("A long article in UTF-8, é. " * 40 + "\n") * 30  # over the 16 KB listing reads
    (folder / "b-damaged.txt").write_bytes(big.encode() + b"\xff" + big.encode())
    (folder / "c-broken.md").write_text("---\ntitle: [unclosed\n---\nFirst line\n")
    (folder / "d-clean.txt").write_text("Nothing to say about this one.\n")
    (folder / "metadata.yaml").write_text("d-clean.txt:\n  author: !!binary aGVsbG8=\n")
    result = run("list", "--articles", str(folder), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 4  # one line per article, as before
    warnings = result.stderr.splitlines()
    assert "reader: warning: a-cp1252.txt: decoded as cp1252" in warnings, result.stderr
    assert (
        "reader: warning: b-damaged.txt: 1 invalid UTF-8 byte sequence shown as \ufffd" in warnings
    )
    assert any(
        w.startswith("reader: warning: c-broken.md: front matter is not valid YAML")
        for w in warnings
    )
    assert any(
        "reader: warning: d-clean.txt: metadata.yaml: 'author' is binary" in w for w in warnings
    )
    assert len(warnings) == 4, result.stderr


def test_list_names_a_file_that_turns_out_not_to_be_text(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    head = b"Looks like text at first.\n" * 1000  # over the 16 KB listing reads
    (folder / "a.txt").write_bytes(head + bytes(range(256)) * 40)
    result = run("list", "--articles", str(folder), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("a\tcannot open a.txt: binary data"), result.stdout


def test_align_takes_a_unique_id_prefix(tmp_path, corpus_dir):
    result = run("align", "000", "002", "--articles", str(corpus_dir), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = yaml.safe_load(result.stdout)
    assert doc["articles"] == {"a": A, "b": B} and doc["pairs"]


def test_align_with_an_ambiguous_prefix_lists_the_candidates(tmp_path, corpus_dir):
    result = run("align", "00", "002", "--articles", str(corpus_dir), cwd=tmp_path)
    assert_clean_error(result, "'00' is the start of 5 article ids", A, B, "give more of the id")
    result = run("align", "000", "000_ae", "--articles", str(corpus_dir), cwd=tmp_path)
    assert_clean_error(result, f"{A}: A and B are the same article")
    result = run("align", "9", "000", "--articles", str(corpus_dir), cwd=tmp_path)
    assert_clean_error(result, "no article with id '9'")


def test_a_txt_article_is_exported_under_the_title_the_list_shows(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    body = "Rain in Lisbon\n\nIt rained all day.\n"
    (folder / "rain.txt").write_text(body, encoding="utf-8")
    entry = {"tag": "demand", "start": 16, "end": 34, "quote": body[16:34]}
    doc = {"format": "reader-annotations/1", "articles": [{"id": "rain", "annotations": [entry]}]}
    source = tmp_path / "in.yaml"
    source.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    common = ("--articles", str(folder), "--db", str(tmp_path / "a.db"))
    assert run("import", str(source), *common, cwd=tmp_path).returncode == 0
    listed = run("list", *common, cwd=tmp_path).stdout.splitlines()[0].split("\t")
    (article,) = yaml.safe_load(run("export", *common, cwd=tmp_path).stdout)["articles"]
    assert article["title"] == listed[1] == "Rain in Lisbon"


def test_export_to_a_file_says_how_many_in_the_singular(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "one.txt").write_text("One line.\n", encoding="utf-8")
    doc = {"format": "reader-annotations/1", "articles": [{"id": "one", "annotations": [
        {"tag": "demand", "start": 0, "end": 3, "quote": "One"}]}]}  # fmt: skip
    source = tmp_path / "in.yaml"
    source.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    common = ("--articles", str(folder), "--db", str(tmp_path / "a.db"))
    assert run("import", str(source), *common, cwd=tmp_path).returncode == 0
    result = run("export", "-o", str(tmp_path / "out.yaml"), *common, cwd=tmp_path)
    assert "wrote 1 annotation to" in result.stderr

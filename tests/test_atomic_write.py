"""Nothing the user had is lost: `reader export` on a full disk, a closed pipe, a symbolic
link, a FIFO; the atomic write underneath it."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader import cli
from reader.exchange import atomic as atomic_write
from reader.exchange.atomic import NotARegularFile, write_atomic

ROOT = Path(__file__).resolve().parent.parent


def reader_process(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "reader", *args], env=env, **kwargs)


@pytest.fixture
def tagged(corpus_dir: Path, db_path: Path) -> list[str]:
    """--articles/--db options of a database holding one annotation."""
    from reader.corpus.articles import load_corpus
    from reader.store import Store

    article = load_corpus(corpus_dir).articles[0]
    with Store(db_path) as store:
        store.add(article.id, "demand", 0, 20, article.body, article.sha256)
    return ["--articles", str(corpus_dir), "--db", str(db_path)]


# --- the atomic write ---------------------------------------------------------------------------


def test_write_atomic_replaces_the_file_and_keeps_its_mode(tmp_path: Path):
    target = tmp_path / "export.yaml"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert target.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["export.yaml"]


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_a_failed_write_leaves_the_previous_file_and_no_temporary_one(tmp_path, monkeypatch, step):
    target = tmp_path / "export.yaml"
    target.write_text("previous export")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if step == "write":
        monkeypatch.setattr(atomic_write.os, "fdopen", lambda fd, mode: _FullFile(fd))
    else:
        monkeypatch.setattr(atomic_write.os, step, full)
    with pytest.raises(OSError):
        write_atomic(target, "half")
    assert target.read_text() == "previous export"
    assert os.listdir(tmp_path) == ["export.yaml"]


class _FullFile(io.FileIO):
    def __init__(self, fd: int) -> None:
        super().__init__(fd, "wb")

    def write(self, data) -> int:  # type: ignore[override]
        super().write(bytes(data)[:10])  # part of it reached the disk
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_symbolic_link_stays_a_link_and_its_target_is_written(tmp_path: Path):
    real = tmp_path / "exports" / "coding.yaml"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "coding.yaml"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new"
    assert sorted(os.listdir(real.parent)) == ["coding.yaml"]


def test_a_dangling_link_creates_its_target(tmp_path: Path):
    link = tmp_path / "coding.yaml"
    link.symlink_to(tmp_path / "later.yaml")
    write_atomic(link, "new")
    assert link.is_symlink() and (tmp_path / "later.yaml").read_text() == "new"


def test_a_fifo_or_a_link_to_one_is_refused_and_left_as_it_is(tmp_path: Path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    link = tmp_path / "link.yaml"
    link.symlink_to(fifo)
    for path in (fifo, link):
        with pytest.raises(NotARegularFile):
            write_atomic(path, "text")
    assert fifo.is_fifo() and link.is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["link.yaml", "pipe.yaml"]


def test_a_folder_is_refused(tmp_path: Path):
    with pytest.raises(NotARegularFile, match="folder"):
        write_atomic(tmp_path, "text")


# --- reader export ------------------------------------------------------------------------------


def test_export_to_a_fifo_says_so_and_exits_non_zero(tagged, tmp_path, capsys):
    fifo = tmp_path / "out.yaml"
    os.mkfifo(fifo)
    assert cli.main(["export", *tagged, "-o", str(fifo)]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert f"reader: {fifo}: cannot write: is a FIFO" in err and "nothing was written" in err
    assert fifo.is_fifo()


def test_export_to_stdout_on_a_full_disk_fails_with_a_message(tagged):
    with open("/dev/full", "w") as full:
        child = reader_process("export", *tagged, stdout=full, stderr=subprocess.PIPE, text=True)
        _, err = child.communicate(timeout=60)
    assert child.returncode == cli.EXIT_ERROR
    assert err.strip() == "reader: stdout: cannot write: the disk is full (output incomplete)"


def test_export_into_a_closed_pipe_fails_with_a_message(tagged):
    child = reader_process(
        "export", *tagged, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader of the output went away (`| head -0`)
    err = child.stderr.read()
    assert child.wait(timeout=60) == cli.EXIT_ERROR
    assert "reader: stdout: cannot write: the pipe was closed" in err
    assert "Traceback" not in err and "Exception ignored" not in err


def test_an_io_error_on_stdout_fails_with_a_message(tagged, monkeypatch, capsys):
    class Broken(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.EIO, "Input/output error")

        def fileno(self) -> int:
            raise io.UnsupportedOperation

    monkeypatch.setattr(sys, "stdout", Broken())
    assert cli.main(["export", *tagged]) == cli.EXIT_ERROR
    assert "reader: stdout: cannot write: Input/output error (output incomplete)" in (
        capsys.readouterr().err
    )


def test_export_to_a_file_on_a_full_disk_leaves_no_partial_file(tagged, tmp_path, monkeypatch):
    target = tmp_path / "coding.yaml"
    target.write_text("last week's export")
    monkeypatch.setattr(atomic_write.os, "fdopen", lambda fd, mode: _FullFile(fd))
    assert cli.main(["export", *tagged, "-o", str(target)]) == cli.EXIT_ERROR
    assert target.read_text() == "last week's export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".coding")] == []


def test_export_into_a_pipe_closed_half_way_fails_with_a_message(db_path, corpus_dir):
    """`reader export | head -c 100000` of a big export: the pipe takes part of a write."""
    from reader.corpus.articles import load_corpus
    from reader.store import Annotation, Store, context_of, utc_now

    article = load_corpus(corpus_dir).articles[0]
    body, now = article.body, utc_now()
    items = []
    for i in range(3000):
        start = i % (len(body) - 60)
        end = start + 50
        prefix, suffix = context_of(body, start, end)
        quote = body[start:end]
        items.append(
            Annotation(f"{i:06d}", article.id, "demand", start, end, quote, prefix, suffix,
                       None, now, now, article.sha256)
        )  # fmt: skip
    with Store(db_path) as store:
        store.put_many(items)
    args = ["--articles", str(corpus_dir), "--db", str(db_path)]
    child = reader_process("export", *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    assert len(child.stdout.read(100_000)) == 100_000
    child.stdout.close()
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == cli.EXIT_ERROR
    assert "reader: stdout: cannot write: the pipe was closed" in err

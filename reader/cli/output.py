"""What the `reader` command prints: every line through the door for untrusted text, and a
failed write (a full disk, a closed pipe, an I/O error) turned into ``OutputFailed``; the exit
codes and the user-facing error."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import TextIO

from reader.text import untrusted

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A user-facing error: str() is the whole message."""


class OutputFailed(Exception):
    """Writing to stdout or stderr failed: str() says which and why."""

    def __init__(self, message: str, stream: TextIO) -> None:
        super().__init__(message)
        self.stream = stream


def say(*fields: object, file: TextIO | None = None) -> None:
    """One line on ``file`` (stdout by default): each field through the door, tab-separated."""
    write(file or sys.stdout, "\t".join(untrusted.stream(f) for f in fields) + "\n")


def warn(message: object) -> None:
    """A warning on stderr, one line per line of ``message``."""
    for line in untrusted.stream_lines(message):
        say(f"reader: warning: {line}", file=sys.stderr)


def write(file: TextIO, text: str) -> None:
    """``text`` to ``file``, flushed; a failure raises OutputFailed naming the stream.

    A stream with a file descriptor gets the bytes by ``os.write`` until all are taken: a
    buffered write of a big text into a pipe can take part of it, and TextIOWrapper does not
    tell (``reader export | head -c 100000`` passed for a whole export)."""
    try:
        try:
            fd = file.fileno()
        except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
            fd = None
        if fd is None:
            file.write(text)
            file.flush()
            return
        file.flush()
        data = memoryview(text.encode(file.encoding or "utf-8", file.errors or "strict"))
        while data:
            data = data[os.write(fd, data) :]
    except OSError as exc:
        name = {id(sys.stdout): "stdout", id(sys.stderr): "stderr"}.get(id(file), "output")
        raise OutputFailed(f"{name}: cannot write: {_os_reason(exc)}", file) from None


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.EPIPE:
        return "the pipe was closed before all was written (output incomplete)"
    if exc.errno == errno.ENOSPC:
        return "the disk is full (output incomplete)"
    return f"{exc.strerror or exc} (output incomplete)"


def fail(message: object) -> None:
    lines = untrusted.stream_lines(message)
    say(f"reader: {lines[0]}", file=sys.stderr)
    for line in lines[1:]:
        say(f"  {line}", file=sys.stderr)


def output_failed(exc: OutputFailed) -> int:
    """Say that the output is incomplete (on stderr, if it still takes text) and make sure the
    interpreter's own last flush of the broken stream fails quietly."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, exc.stream.fileno())
    if exc.stream is not sys.stderr:
        with contextlib.suppress(OSError, ValueError, OutputFailed):
            say(f"reader: {exc}", file=sys.stderr)
    return EXIT_ERROR

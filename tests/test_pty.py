"""The real `reader` in a pseudo-terminal over the hostile corpus: no escape sequence, OSC
payload or control character from article text reaches the terminal (issue 6).

The planted sequences carry "PWNED-..." markers (tests/hostile.py): Textual itself writes CSI
sequences and an OSC 22 (pointer shape), so the test looks for what was planted, and checks
that nothing but Textual's own well-formed sequences and CR/LF remain in the output.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import struct
import sys
import threading
import time
from pathlib import Path

import pytest
from hostile import MARKER, make_hostile_corpus

from reader.corpus.articles import load_corpus
from reader.text.layout import BIDI_CONTROLS

pty = pytest.importorskip("pty")
fcntl = pytest.importorskip("fcntl")
termios = pytest.importorskip("termios")

ROWS, COLS = 40, 160
WALK_SECONDS = 40  # about 10-15 on an idle machine: each pane takes Textual ~0.5-1 s to mount
ENTER, DOWN, CLOSE_PANE = b"\r", b"\x1b[B", b"\x17"  # ctrl+w: unambiguous, unlike a lone ESC
CSI_RE = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]")
OSC_RE = re.compile(rb"\x1b\]([^\x07\x1b]*)(?:\x07|\x1b\\)")
#: What the planted sequences would look like had they reached the terminal.
PLANTED = [
    b"\x1b]0;" + MARKER.encode(),
    b"\x1b]2;" + MARKER.encode(),
    b"\x1b]52;",
    b"\x1b]8;;http://evil",
    *(
        seq + MARKER.encode()
        for seq in (b"\x1b[2J", b"\x1b[H", b"\x1b[31;1m", b"\x1b[10;10H", b"\x1b[?1049l", b"\x1bc")
    ),
    b"\x07" + MARKER.encode(),
    MARKER.encode() + b"-BEL\x07",
    MARKER.encode() + b"-BS\x08",
    MARKER.encode() + b"-NUL\x00",
    MARKER.encode() + b"-DEL\x7f",
    MARKER.encode() + b"-C1\xc2\x9b",
]


def reader_command() -> list[str]:
    found = shutil.which("reader")
    return [found] if found else [sys.executable, "-m", "reader"]


class Terminal:
    """`reader` running in a pseudo-terminal; everything it writes is collected."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.output = bytearray()
        command = reader_command() + args
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
        env.pop("READER_DEBUG", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, become reader
            try:
                os.chdir(cwd)
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execvpe(command[0], command, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.status: int | None = None
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.2)
                if ready:
                    data = os.read(self.fd, 65536)
                    if not data:
                        return
                    self.output.extend(data)
            except OSError:  # EIO: the child closed the terminal
                return

    def send(self, keys: bytes, pause: float = 0.05) -> None:
        os.write(self.fd, keys)
        time.sleep(pause)

    def wait_for(self, text: bytes, since: int = 0, timeout: float = 5.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in self.output[since:]:
                return True
            time.sleep(0.02)
        return False

    def wait_exit(self, timeout: float = 8.0) -> int | None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                self._thread.join(2)
                return self.status
            time.sleep(0.05)
        return None

    def close(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self._thread.join(2)
        os.close(self.fd)


def leaks(output: bytes) -> list[str]:
    """Everything in ``output`` that came from article text as terminal control."""
    found = [repr(p) for p in PLANTED if p in output]
    for match in OSC_RE.finditer(output):
        if MARKER.encode() in match.group(1) or not match.group(1).startswith(b"22;"):
            found.append(f"OSC {match.group(0)[:40]!r}")
    rest = OSC_RE.sub(b"", CSI_RE.sub(b"", output))
    text = rest.decode("utf-8", "replace")
    for ch in sorted(set(text)):
        code = ord(ch)
        if (code < 0x20 and ch not in "\r\n") or 0x7F <= code <= 0x9F or ch in BIDI_CONTROLS:
            found.append(f"raw U+{code:04X} x{text.count(ch)}")
    return found


def walk(terminal: Terminal, order: list[str], open_ids: set[str], refused: set[str]) -> list[str]:
    """Down the article list: enter on the entries in ``open_ids`` (closing each pane again)
    and on those that cannot be opened. Returns the ids whose pane was not seen to open (all
    that are left once WALK_SECONDS have passed: the test stays bounded in time)."""
    missed = []
    deadline = time.monotonic() + WALK_SECONDS
    for i, article_id in enumerate(order):
        if time.monotonic() > deadline:
            missed.extend(f"{k} (out of time)" for k in order[i:] if k in open_ids)
            break
        mark = len(terminal.output)
        if article_id in open_ids | refused:
            terminal.send(ENTER, 0.1)
        if article_id in open_ids:
            # the status line shows "<id>  <cursor>/<length>" once the pane has focus
            if not terminal.wait_for(f"{article_id}  ".encode(), mark, timeout=6):
                missed.append(article_id)
            terminal.send(CLOSE_PANE, 0.12)
        terminal.send(DOWN)
    return missed


def hostile_session(tmp_path: Path, open_kinds) -> tuple[Terminal, list[str], list[str]]:
    folder = tmp_path / "articles"
    kinds = make_hostile_corpus(folder)
    order = [a.id for a in sorted(load_corpus(folder), key=lambda a: a.file)]
    terminal = Terminal(["--articles", str(folder), "--db", str(tmp_path / "a.db")], tmp_path)
    try:
        assert terminal.wait_for(b"Articles", timeout=15), bytes(terminal.output[-2000:])
        # root reads a file without read permission: then it is no refused kind
        refused = {k for k, e in kinds.items() if not e.opens and not e.unreadable}
        missed = walk(terminal, order, {k for k in open_kinds(kinds) if k in kinds}, refused)
        terminal.send(b"q")
        terminal.wait_exit()
    finally:
        terminal.close()
    return terminal, order, missed


#: The kinds opened: those whose text could act on a terminal or upset a line (escape
#: sequences, controls, bidi, separators, wide and combining characters, a huge line). The
#: other kinds only decode differently; their titles are drawn in the list all the same.
TERMINAL_KINDS = (
    "ansi-csi", "bidi", "c0-c1-controls", "cjk", "combining-zalgo", "emoji", "invisible",
    "long-line", "mixed-newlines", "osc-title", "osc52-clipboard",
    # markup and escape sequences in the first line or the metadata title (the pane's border)
    "markup", "tabs", "front-matter-controls",
)  # fmt: skip


def test_no_escape_sequence_from_article_text_reaches_the_terminal(tmp_path):
    terminal, order, missed = hostile_session(tmp_path, lambda kinds: set(TERMINAL_KINDS))
    output = bytes(terminal.output)
    tail = output[-3000:].decode("utf-8", "replace")
    assert terminal.status == 0, tail
    assert b"Traceback" not in output
    assert not missed, (missed, tail)
    assert leaks(output) == []
    # the hostile text was on screen, its controls as placeholders (ESC: U+241B, bidi: ⇄)
    assert f"]0;{MARKER}-TITLE-0".encode() in output
    assert f"[2J{MARKER}-CLEAR".encode() in output
    assert "\u241b".encode() in output and "\u21c4".encode() in output
    assert f"]2;{MARKER}-META-TITLE".encode() in output  # the metadata title, as text
    assert b"[link=file:///etc/passwd]Meta[/link]" in output


def test_leak_detector_sees_planted_sequences():
    """The detector itself: raw planted bytes are found, placeholders are not."""
    assert leaks(b"\x1b[0mok\x1b]22;default\x07\r\n") == []
    assert leaks(b"\x1b]0;" + MARKER.encode() + b"-TITLE-0\x07")
    assert leaks(b"\x1b]52;c;UFdORUQ=\x07")
    assert leaks(b"text \x07 bell")
    assert leaks("\u202eevil".encode())
    assert leaks("\u241b]0;PWNED".encode()) == []

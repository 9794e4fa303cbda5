"""Compare mode on long articles (issue 15, point 4): the alignment shows its progress until it
is done, `c` again or escape cancels it, and quitting while it runs quits at once."""

from __future__ import annotations

import asyncio
import time

import pytest

from reader.corpus.articles import load_corpus
from reader.services import sessions
from reader.tui import comparing
from reader.tui.app import ReaderApp
from reader.tui.status import status_line
from tests.test_align_cancel import long_article

SIZE = (200, 50)


def make_app(tmp_path, store, left: str, right: str) -> ReaderApp:
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "a_left.txt").write_text(left, encoding="utf-8")
    (folder / "b_right.txt").write_text(right, encoding="utf-8")
    return ReaderApp(store=store, corpus=load_corpus(folder), poll_seconds=0)


class SlowAlign:
    """An alignment that takes `steps` ticks of 10 ms, telling progress and asking to stop."""

    def __init__(self, steps: int = 3000) -> None:
        self.steps = steps
        self.returned_at: float | None = None
        self.result: object = "not yet"

    def __call__(self, left, right, *, cancelled=None, progress=None):
        try:
            for k in range(self.steps):
                if cancelled is not None and cancelled():
                    self.result = None
                    return None
                if progress is not None:
                    progress("comparing passages", k, self.steps)
                time.sleep(0.01)
            self.result = []
            return []
        finally:
            self.returned_at = time.monotonic()


async def wait_for(pilot, condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


async def open_both_and_compare(pilot) -> None:
    await pilot.press("enter", "escape", "down", "enter", "c")


def status(app) -> str:
    return status_line(app).plain


@pytest.fixture
def slow(monkeypatch) -> SlowAlign:
    fake = SlowAlign()
    monkeypatch.setattr(comparing, "align", fake)
    return fake


async def test_progress_shows_until_done_and_c_cancels(tmp_path, store, slow):
    app = make_app(tmp_path, store, long_article(30_000, 0), long_article(20_000, 5))
    async with app.run_test(size=SIZE) as pilot:
        await open_both_and_compare(pilot)
        await wait_for(pilot, lambda: "comparing passages" in status(app))
        await pilot.pause(3.0)  # long after the old "Aligning..." had gone
        line = status(app)
        assert "Aligning 2/4: comparing passages " in line
        assert " of 3,000 (" in line and "%) · c/esc cancels" in line
        await pilot.press("c")
        assert app.comparing.aligning is None and app.comparison is None
        assert "Aligning" not in status(app)
        assert "Alignment cancelled" in app.notices[-1]
        await wait_for(pilot, lambda: slow.returned_at is not None, 2.0)
        assert slow.result is None  # the thread stopped


async def test_escape_cancels_in_the_pane_and_in_the_list(tmp_path, store, slow):
    app = make_app(tmp_path, store, long_article(30_000, 0), long_article(20_000, 5))
    async with app.run_test(size=SIZE) as pilot:
        await open_both_and_compare(pilot)
        await wait_for(pilot, lambda: "Aligning" in status(app))
        focused = app.focused
        await pilot.press("escape")  # in the pane: cancels, focus stays
        assert app.comparing.aligning is None and app.focused is focused
        assert app.notices[-1] == "Alignment cancelled"
        await wait_for(pilot, lambda: slow.returned_at is not None, 2.0)
        slow.returned_at = None
        await pilot.press("c")
        await wait_for(pilot, lambda: "Aligning" in status(app))
        app.query_one("#articles").focus()
        await pilot.press("escape")  # in the list too
        assert app.comparing.aligning is None
        await wait_for(pilot, lambda: slow.returned_at is not None, 2.0)


async def test_an_alignment_that_ends_starts_compare_mode(tmp_path, store, monkeypatch):
    monkeypatch.setattr(comparing, "align", SlowAlign(steps=30))
    app = make_app(tmp_path, store, long_article(30_000, 0), long_article(20_000, 5))
    async with app.run_test(size=SIZE) as pilot:
        await open_both_and_compare(pilot)
        await wait_for(pilot, lambda: app.comparison is not None)
        assert app.comparing.aligning is None and "Aligning" not in status(app)


async def test_quit_while_aligning_returns_at_once(tmp_path, store, slow):
    app = make_app(tmp_path, store, long_article(30_000, 0), long_article(20_000, 5))
    async with app.run_test(size=SIZE) as pilot:
        await open_both_and_compare(pilot)
        await wait_for(pilot, lambda: "comparing passages" in status(app))
        quit_at = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - quit_at < 3.0
    await asyncio.sleep(0)
    deadline = time.monotonic() + 2.0
    while slow.returned_at is None and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert slow.result is None and slow.returned_at - quit_at < 2.0


async def test_quit_during_a_real_long_alignment(tmp_path, store, monkeypatch):
    """The real alignment on two long articles (minutes of work): app.exit returns promptly and
    the aligning thread stops."""
    returned: list[float] = []

    def real(*args, **kwargs):
        try:
            return sessions.align(*args, **kwargs)
        finally:
            returned.append(time.monotonic())

    monkeypatch.setattr(comparing, "align", real)
    app = make_app(tmp_path, store, long_article(150_000, 0), long_article(120_000, 5))
    async with app.run_test(size=SIZE) as pilot:
        await open_both_and_compare(pilot)
        await wait_for(pilot, lambda: "Aligning 3/4: pairing" in status(app), 60.0)
        quit_at = time.monotonic()
        app.exit()
        await pilot.pause()
    assert time.monotonic() - quit_at < 3.0
    deadline = time.monotonic() + 3.0
    while not returned and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert returned and returned[0] - quit_at < 3.0


async def test_articles_over_the_cap_are_not_aligned_and_the_user_is_told(
    tmp_path, store, slow, monkeypatch
):
    monkeypatch.setattr(comparing, "MAX_ALIGN_CHARS", 25_000)
    app = make_app(tmp_path, store, long_article(30_000, 0), long_article(20_000, 5))
    async with app.run_test(size=SIZE) as pilot:
        await open_both_and_compare(pilot)
        await pilot.pause()
        assert app.comparing.aligning is None and slow.returned_at is None
        length = len(app.corpus.get("a_left").body)
        assert app.notices[-1] == (
            f"a_left is too long to align: {length:,} characters, 25,000 at most"
        )


async def test_a_failing_alignment_is_said_not_a_traceback(tmp_path, store, monkeypatch):
    def broken(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(comparing, "align", broken)
    app = make_app(tmp_path, store, long_article(3_000, 0), long_article(2_000, 5))
    async with app.run_test(size=SIZE) as pilot:
        await open_both_and_compare(pilot)
        await wait_for(pilot, lambda: app.comparing.aligning is None)
        await pilot.pause()
        assert app.notices[-1] == "Could not align: MemoryError()"
        assert app.is_running and app.comparison is None and "Aligning" not in status(app)

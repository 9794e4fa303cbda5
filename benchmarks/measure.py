"""In-process figures on reader's own app: CPU per key, re-wrap on resize, memory.

Keys are pressed through Textual's Pilot in reader's app at 120x40 (article list, reading pane,
annotations panel, status line, footer: all that a key makes the app do, the repaint included);
``time.process_time`` is read around each ``pilot.press`` (which returns once the screen is
idle again) and the median of the repeats is kept. Nothing is subtracted; the cost of a key
bound to nothing is reported beside them.
"""

from __future__ import annotations

import asyncio
import gc
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

SIZE = (120, 40)


def _app(folder: Path, article_id: str, annotations: int = 0):
    from reader.corpus.articles import load_corpus
    from reader.store import Annotation, Store, utc_now
    from reader.tui.app import ReaderApp

    db = folder / f".bench-{article_id}-{annotations}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    corpus = load_corpus(folder)
    store = Store(db)
    article = corpus.get(article_id)
    assert article is not None, article_id
    if annotations:  # spread over the article, as a coder's work would be
        body, rng, now = article.body, random.Random(5), utc_now()
        items = []
        for i in range(annotations):
            start = rng.randrange(max(1, len(body) - 200))
            end = min(len(body), start + rng.randrange(1, 200))
            quote = body[start:end]
            items.append(
                Annotation(
                    f"a{i:06d}",
                    article.id,
                    "demand",
                    start,
                    end,
                    quote,
                    "",
                    "",
                    None,
                    now,
                    now,
                    article.sha256,
                )
            )
        store.put_many(items)
    return ReaderApp(store=store, corpus=corpus, poll_seconds=0), article


async def _press(pilot, key: str) -> float:
    t0 = time.process_time()
    await pilot.press(key)
    return (time.process_time() - t0) * 1000


async def _idle(pilot) -> None:
    await pilot.pause()
    await pilot.pause(0.1)
    await pilot.pause()


async def _settle(pilot, pane) -> None:
    """Wait until the pane has wrapped all of its article (no background work left)."""
    for _ in range(20_000):
        if pane.wrapped:
            break
        await asyncio.sleep(0.02)
    await pilot.pause()


def _pane_app(reader_app):
    """The same article and annotations in a ReadingPane alone (with a Footer): what the
    pane itself costs. A tag becomes a highlight at once, handed to the pane as reader's app
    hands it one (``change_highlights`` with the new highlight alone)."""
    from textual.app import App
    from textual.widgets import Footer

    from reader.tui.widgets.reading_pane import Highlight, ReadingPane

    store, corpus = reader_app.store, reader_app.corpus

    class PaneOnly(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.store, self.corpus, self.highlights = store, corpus, []

        async def open_article(self, article_id: str) -> ReadingPane:
            article = corpus.get(article_id)
            self.highlights = [
                Highlight(a.start, a.end, a.tag, "#3b82f6", a.id)
                for a in store.annotations(article_id)
            ]
            pane = ReadingPane(article.id, article.body, id="pane")
            await self.mount(pane, before=self.query_one(Footer))
            pane.set_highlights(self.highlights)
            pane.focus()
            return pane

        async def action_close_pane(self) -> None:
            for pane in self.query(ReadingPane):
                await pane.remove()

        def compose(self):
            yield Footer()

        def on_reading_pane_tagged(self, message: ReadingPane.Tagged) -> None:
            # handed to the pane as reader's app hands it a tag: the one highlight added
            tag = Highlight(message.start, message.end, "demand", "#22c55e", f"new{message.start}")
            self.highlights.append(tag)
            message.pane.change_highlights([tag], [])

    return PaneOnly()


async def _sample_keys(app, article, n: int, add, *, resize: bool = True) -> list[str]:
    """Press every measured key ``n`` times, passing (name, CPU ms) to ``add``; returns the
    first rows of the pane at the end."""
    from reader.tui.widgets.reading_pane import ReadingPane

    async with app.run_test(size=SIZE) as pilot:
        # G at once after opening, before the pane has wrapped its article; background
        # wrapping is paused meanwhile so that its slices are not counted as the key's cost
        slice_seconds, ReadingPane.INDEX_SLICE = ReadingPane.INDEX_SLICE, 0
        for _ in range(n):
            await app.open_article(article.id)
            await _idle(pilot)  # what opening set off (the footer's new keys) is done
            add("G, just opened", await _press(pilot, "G"))
            await app.action_close_pane()
            await pilot.pause()
        ReadingPane.INDEX_SLICE = slice_seconds
        pane = await app.open_article(article.id)
        await _settle(pilot, pane)
        await pilot.press("g")
        await _idle(pilot)
        for _ in range(n):
            add("no-op key", await _press(pilot, "f12"))
        for _ in range(n):
            add("page down", await _press(pilot, "pagedown"))
        for _ in range(n):
            add("move down", await _press(pilot, "down"))
            add("move right", await _press(pilot, "right"))
        for _ in range(n):
            add("select (shift+right)", await _press(pilot, "shift+right"))
        await pilot.press("escape")
        for _ in range(n):
            await pilot.press("}", "w")
            add("select sentence (s)", await _press(pilot, "s"))
            add("tag (1)", await _press(pilot, "1"))
        for _ in range(n):
            await pilot.press("g")
            add("G", await _press(pilot, "G"))
        if resize:
            pane.move_to(len(article.body) // 2)
            await pilot.pause()
            ReadingPane.INDEX_SLICE = 0  # as for "G, just opened": the rest is wrapped later
            for i in range(n):  # wider, then back: reader's app turns narrow below 120 columns
                t0 = time.process_time()
                await pilot.resize_terminal(SIZE[0] + 20 * (i % 2 == 0), SIZE[1])
                add("resize", (time.process_time() - t0) * 1000)
            ReadingPane.INDEX_SLICE = slice_seconds
        return [pane.render_line(y).text for y in range(2)]


def _make(folder: str, article_id: str, annotations: int, kind: str):
    app, article = _app(Path(folder), article_id, annotations)
    return (_pane_app(app) if kind == "pane" else app), article


async def keys(
    folder: str, article_id: str, annotations: str = "0", repeats: str = "7", kind: str = "app"
) -> dict:
    """CPU per key on the article in reader's app (``kind`` "app") or in a ReadingPane alone
    ("pane")."""
    out: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        out.setdefault(name, []).append(value)

    app, article = _make(folder, article_id, int(annotations), kind)
    rows = await _sample_keys(app, article, int(repeats), add)
    return {"ms": {k: statistics.median(v) for k, v in out.items()}, "rows": rows}


def _adder(samples: dict[str, list[float]]):
    return lambda name, value: samples.setdefault(name, []).append(value)


async def keys_pair(
    folder: str, article_id: str, annotations: str, repeats: str, kind: str, rounds: str = "3"
) -> dict:
    """The keys with no annotation and with ``annotations`` of them, the two apps taking turns
    round by round (so that a machine busy at times slows both alike); medians of all."""
    out: dict[str, dict[str, list[float]]] = {"none": {}, "many": {}}
    for _ in range(int(rounds)):
        for name, count in (("none", 0), ("many", int(annotations))):
            app, article = _make(folder, article_id, count, kind)
            await _sample_keys(app, article, int(repeats), _adder(out[name]), resize=False)
    return {
        name: {k: statistics.median(v) for k, v in samples.items()} for name, samples in out.items()
    }


def _traced() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


async def _open_to_end(app, pilot, article) -> None:
    pane = await app.open_article(article.id)
    await pilot.pause()
    await pilot.press("G")
    await _settle(pilot, pane)


async def _close(app, pilot) -> None:
    await app.action_close_pane()
    await pilot.pause()


async def memory(folder: str, article_id: str, small_id: str, cycles: str = "3") -> dict:
    """Traced memory (tracemalloc) of the article open in a pane (wrapped, shown at its end),
    and what an open/close cycle of it leaves behind, both beside a 6 KB article.

    Textual keeps a little of every pane it showed (footer keys, message queues: ~1 MB per
    open and close here), so memory drifts up cycle by cycle whatever the article. Hence:
    ``open`` = what closing the article releases, minus what closing the 6 KB one releases;
    ``kept`` = how much more a cycle of the article leaves behind than a cycle of the 6 KB
    one. Tracing starts after both were opened and closed once (first-use costs excluded);
    medians over the cycles.
    """
    from reader.tui.widgets.reading_pane import ReadingPane

    ReadingPane.INDEX_SLICE = 0.1  # tracing slows wrapping down: fewer, longer slices
    app, article = _app(Path(folder), article_id)
    small = app.corpus.get(small_id)
    opened, kept = [], []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for item in (small, article):
            await _open_to_end(app, pilot, item)
            await _close(app, pilot)
        tracemalloc.start()
        r0 = _traced()
        for _ in range(int(cycles)):
            await _open_to_end(app, pilot, small)
            r1 = _traced()
            await _close(app, pilot)
            r2 = _traced()
            await _open_to_end(app, pilot, article)
            r3 = _traced()
            body_bytes = sys.getsizeof(article.body)
            await _close(app, pilot)
            r4 = _traced()
            opened.append((r3 - r4) - (r1 - r2))
            kept.append((r4 - r2) - (r2 - r0))
            r0 = r4
        tracemalloc.stop()
    return {"body": body_bytes, "open": statistics.median(opened), "kept": statistics.median(kept)}

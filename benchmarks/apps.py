"""The apps timed as whole processes: a bare Textual app with a Footer (the startup anchor), a
ReadingPane app, a `TextArea`-based pane app (the anchor for opening) and reader's own app.

Each leaves the process at once after the first screen refresh in which it shows what it is
about (for the panes: rows of article text), so spawn-to-exit is launch-to-first-screen.
Modules are imported only by the apps that need them, so that no app pays for another's.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer


class FirstScreen:
    """Calls ``done`` after the first screen refresh in which ``ready()`` holds."""

    def __init__(self, app: App, ready: Callable[[], bool], done: Callable[[], None]) -> None:
        self.app, self.ready, self.done = app, ready, done

    def start(self) -> None:
        self.app.call_after_refresh(self._check)

    def _check(self) -> None:
        if self.ready():
            self.done()
        else:
            self.app.call_after_refresh(self._check)


def exit_now() -> None:
    """Leave at once: the measured time ends when the first screen is drawn."""
    sys.stdout.flush()
    os._exit(0)


class BareApp(App[None]):
    """A bare Textual app with a Footer."""

    def compose(self) -> ComposeResult:
        yield Footer()

    def on_mount(self) -> None:
        FirstScreen(self, lambda: True, exit_now).start()


def pane_app(path: Path, *, textarea: bool = False) -> App:
    """The article in ``path``, loaded as reader loads it (decoding included), in a
    ReadingPane, or with ``textarea`` in a read-only soft-wrapping TextArea."""
    from textual.strip import Strip

    from reader.corpus.articles import load_corpus

    drawn = [0]  # rows of article text drawn so far

    def counting(cls: type) -> type:
        class Counting(cls):  # type: ignore[valid-type,misc]
            def render_line(self, y: int) -> Strip:
                strip = super().render_line(y)
                if strip.text.strip():
                    drawn[0] += 1
                return strip

        return Counting

    class PaneApp(App[None]):
        def compose(self) -> ComposeResult:
            article = load_corpus(path.parent).get(path.stem)
            assert article is not None, path
            if textarea:
                from textual.widgets import TextArea

                yield counting(TextArea)(article.body, read_only=True, soft_wrap=True, id="p")
            else:
                from reader.tui.widgets.reading_pane import ReadingPane

                yield counting(ReadingPane)(article.id, article.body, id="p")
            yield Footer()

        def on_mount(self) -> None:
            self.query_one("#p").focus()
            FirstScreen(self, lambda: drawn[0] > 0, exit_now).start()

    return PaneApp()


def reader_app(articles: Path, db: Path) -> App:
    """reader's app built the way the ``reader`` command builds it (its argument parsing,
    corpus and store opening), leaving after its first screen."""
    from reader.cli import build_parser, open_corpus, open_store
    from reader.tui.app import ReaderApp

    args = build_parser().parse_args(["--articles", str(articles), "--db", str(db)])
    corpus, store = open_corpus(args), open_store(args)
    css = Path(sys.modules[ReaderApp.__module__].__file__ or "").parent / ReaderApp.CSS_PATH

    class FirstScreenReader(ReaderApp):
        CSS_PATH = str(css)

        def on_mount(self) -> None:  # runs after ReaderApp.on_mount
            FirstScreen(self, lambda: True, exit_now).start()

    return FirstScreenReader(store=store, corpus=corpus)

"""What ReaderApp's mixins may use of the app: declared once, so mypy checks the mixins."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from collections.abc import Iterable

    from reader.corpus.articles import Corpus
    from reader.services.history import Change, History
    from reader.store import Store
    from reader.tags import Tag
    from reader.tui.widgets.reading_pane import ReadingPane


class AppState(App[int]):
    """Attributes and methods ReaderApp provides to AnnotatingMixin and ComparingMixin."""

    store: Store
    corpus: Corpus
    tags: list[Tag]
    history: History
    pending_reattach: str | None
    _active: ReadingPane | None
    _focus_order: list[ReadingPane]

    @property
    def panes(self) -> list[ReadingPane]:
        raise NotImplementedError

    def refresh_article(self, article_id: str, changed: Iterable[str] | None = None) -> None:
        raise NotImplementedError

    def _show_status(self) -> None:
        raise NotImplementedError

    def _record(self, change: Change) -> None:
        raise NotImplementedError

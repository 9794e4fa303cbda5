"""Restoring: reader starts with the articles it had open when it last quit, each pane's cursor
where it was, the pane that had the focus focused again.

The state (`services.reopen.Reopen`) is kept in the database when reader quits and whenever a
pane opens or closes (so a crash loses little). An article gone from the folder since is left
out, and the user told which. A database that cannot be written (read-only, or in trouble)
keeps nothing and says nothing: restoring is a convenience, never a reason to fail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.services.reopen import Reopen
from reader.store import StoreError
from reader.text import wording
from reader.tui.widgets.article_list import ArticleList

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


class Restoring:
    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        self._restoring = False
        self._saved: str | None = None
        self._left = Reopen()  # what the last session left, until restored

    def state(self) -> Reopen:
        app = self.app
        panes = app.panes
        order = [p for p in app.focus_order if p in panes] + [
            p for p in panes if p not in app.focus_order
        ]
        focused = app.focused
        return Reopen(
            tuple((p.article_id, p.cursor) for p in order),
            focused.article_id if focused in panes else None,  # type: ignore[union-attr]
        )

    def save(self) -> None:
        """Keep the open panes for the next start (nothing when it did not change)."""
        app = self.app
        if self._restoring or app.store_trouble is not None or app.store.read_only:
            return
        text = self.state().dump()
        if text == self._saved:
            return
        try:
            app.store.save_session(text)
        except StoreError:  # busy or gone: the next save tries again, quitting still quits
            return
        self._saved = text

    def load(self) -> None:
        """Read what the last session left (at start, before anything of this one is saved)."""
        try:
            self._saved = self.app.store.session()
        except StoreError:
            self._saved = None
        self._left = Reopen.load(self._saved)

    async def restore(self) -> None:
        """Open what the last session had open, least recently focused first; an article the
        user opened meanwhile is left as the user has it."""
        app, state = self.app, self._left
        self._left = Reopen()
        if not state.panes:
            return
        already = {p.article_id for p in app.panes}
        untouched = isinstance(app.focused, ArticleList)  # the user has not moved yet
        gone = [a for a, _ in state.panes if app.corpus.get(a) is None]
        self._restoring = True
        try:
            for article_id, cursor in state.panes:
                if article_id in gone or article_id in already:
                    continue
                pane = await app.open_article(article_id)
                if pane is not None:
                    pane.move_to(min(cursor, len(pane.body)))
                    pane.scroll_to_offset(pane.cursor)
        finally:
            self._restoring = False
        panes = {p.article_id: p for p in app.panes}
        if not untouched:
            pass  # keys pressed meanwhile decided where the focus is
        elif state.focused in panes:
            panes[state.focused].focus()
        else:
            app.query_one(ArticleList).focus()
        if gone:
            app.notify(
                f"{wording.count(len(gone), 'article')} open when reader last quit "
                f"{'is' if len(gone) == 1 else 'are'} no longer in the folder: {', '.join(gone)}",
                severity="warning",
                timeout=8,
            )

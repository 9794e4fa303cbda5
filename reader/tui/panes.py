"""Panes: the reading panes side by side, opened, focused, fitted to the window and closed.

The app composes the row they live in (``#panes``); this opens an article into a new pane (its
annotations re-anchored first if the file changed), keeps the order they were last focused in
(the least recent is the one replaced when no more fit), and closes the panes a narrower
window no longer has room for: none is ever hidden. It also goes where a passage list points
(`go_to`: jump, select a search hit, re-attach, delete).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from reader.corpus.articles import ArticleError
from reader.store import StoreError
from reader.text import untrusted
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from textual.widget import Widget

    from reader.corpus.articles import Article
    from reader.tui.app import ReaderApp
    from reader.tui.screens.passages import Target

MIN_PANE_WIDTH = 36
#: Narrower than this a pane is closed rather than squeezed off the screen.
MIN_FIT_WIDTH = 24
MAX_PANES = 4


def subtitle(article: Article) -> str:
    return " · ".join(x for x in (article.outlet, article.date) if x)


class Panes:
    """The app's reading panes and the order they were focused in."""

    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        self._serial = 0
        #: the panes, the least recently focused first
        self.focus_order: list[ReadingPane] = []
        #: the pane whose article the panel and status line show (the last focused)
        self.active: ReadingPane | None = None

    @property
    def all(self) -> list[ReadingPane]:
        return list(self.app.query(ReadingPane))

    def _row(self) -> Widget:
        return self.app.query_one("#panes")

    def max_panes(self) -> int:
        width = self._row().size.width or self.app.size.width
        return max(1, min(MAX_PANES, width // MIN_PANE_WIDTH))

    def fit(self) -> None:
        """Close the least recently used panes that no longer fit (none is ever hidden)."""
        panes = self.all
        room = max(1, self._row().size.width // MIN_FIT_WIDTH)
        extra = len(panes) - room
        if extra <= 0:
            return
        order = [p for p in self.focus_order if p in panes]
        order += [p for p in panes if p not in self.focus_order]
        for pane in order[:extra]:
            self.app.run_worker(self.remove(pane))
        self.app.notify(f"Closed {extra} pane(s) that no longer fit the window", timeout=4)

    # -- opening and closing -----------------------------------------------------------------
    async def open(self, article_id: str) -> ReadingPane | None:
        """Focus the article's pane, or open one (replacing the least recent if none fits)."""
        app = self.app
        article = app.corpus.get(article_id)
        if article is None:
            app.notify(f"No article '{article_id}' in {app.corpus.folder}", severity="error")
            return None
        for pane in self.all:
            if pane.article_id == article_id:
                pane.focus()
                return pane
        try:
            body = article.body
        except ArticleError as exc:
            app.notify(str(exc), severity="error", timeout=8)
            app.query_one(ArticleList).rebuild()
            return None
        for warning in article.warnings:
            app.notify(f"{article.file}: {warning}", severity="warning", timeout=6)
        app.files.opened(article.id, article.path)
        self._reanchor(article)
        if len(self.all) >= self.max_panes():
            await self.remove(self.focus_order[0] if self.focus_order else self.all[0])
        self._serial += 1
        pane = ReadingPane(article.id, body, id=f"pane-{self._serial}")
        pane.set_tags(app.shown.tag_names())
        # metadata is untrusted: set the border texts as Text, never as markup
        pane.border_title = untrusted.text(article.display_title)
        pane.border_subtitle = untrusted.text(subtitle(article))
        if not article.hashed:  # needed by the first tag: hashed now, off the key's time
            app.run_worker(lambda: article.sha256, thread=True, group="hash")
        await self._row().mount(pane)
        pane.moved_signal.subscribe(app, app.pane_moved)
        pane.tagged_signal.subscribe(app, app.annotating.tagged)
        app.query_one("#empty-hint", Static).display = False
        app.shown.draw(pane)
        pane.focus()
        return pane

    def _reanchor(self, article: Article) -> None:
        """The file may have changed since its annotations were made, even while reader runs
        (closed and opened again): re-anchor them before they are drawn and say what moved."""
        app = self.app
        try:
            moved = app.annotations.reanchor(article)
        except StoreError as exc:
            app.store_failed(exc)
            return
        except Exception as exc:  # noqa: BLE001 - never stop the app over re-anchoring
            app.notify(f"Re-anchoring failed: {exc}", severity="error", timeout=8)
            return
        if moved:
            app.notify(moved, severity="warning", timeout=10)

    async def remove(self, pane: ReadingPane) -> None:
        app = self.app
        app.comparing.closing(pane)
        if pane in self.focus_order:
            self.focus_order.remove(pane)
        if self.active is pane:
            self.active = None
        article = app.corpus.get(pane.article_id)
        await pane.remove()
        if article is not None and not any(p.article_id == article.id for p in self.all):
            article.unload()
        if not self.all:
            app.query_one("#empty-hint", Static).display = True

    async def close_focused(self) -> None:
        app = self.app
        pane = app.focused if isinstance(app.focused, ReadingPane) else self.active
        if pane is None:
            app.notify("No reading pane to close", severity="warning")
            return
        await self.remove(pane)
        remaining = self.focus_order[-1:] or self.all[-1:]
        if remaining:
            remaining[0].focus()
        else:
            app.query_one(ArticleList).focus()
            app.query_one(AnnotationPanel).show(None, "", [])

    def focused(self, widget: Widget) -> None:
        """A widget got the focus: a pane becomes the most recent and the active one."""
        if isinstance(widget, ReadingPane):
            if widget in self.focus_order:
                self.focus_order.remove(widget)
            self.focus_order.append(widget)
            if self.active is not widget:
                self.active = widget
                self.app.shown.panel(widget.article_id)

    # -- the passage lists, and going where one points ----------------------------------------
    def show_tag_view(self) -> None:
        """Every passage by tag, the tag under the cursor first."""
        from reader.tui.screens.passages import TagView

        app, tag = self.app, None
        if self.active is not None and self.active.is_attached:
            under = self.active.current_highlights()
            tag = under[0].tag if under else None
        tags = list(app.annotations.tags)
        app.push_screen(TagView(app.annotations.all(), app.corpus, tags, tag), self._chosen)

    def show_search(self) -> None:
        from reader.tui.screens.passages import CorpusSearch

        app = self.app
        app.push_screen(CorpusSearch(app.corpus, app.corpus_search), self._chosen)

    def show_orphans(self) -> None:
        from reader.tui.screens.passages import OrphanList

        app = self.app
        orphans = app.annotations.orphans()
        articles = {a.article_id: app.corpus.get(a.article_id) for a in orphans}
        missing = frozenset(i for i, a in articles.items() if a is None or not a.path.exists())
        app.push_screen(OrphanList(orphans, app.corpus, missing), self._chosen)

    def _chosen(self, target: Target | None) -> None:
        if target is not None:
            self.app.run_worker(self.go_to(target), exclusive=True)

    async def jump(self, article_id: str, annotation_id: str) -> None:
        """Open the annotation's article with the cursor at its start."""
        item = self.app.guarded(self.app.annotations.get, annotation_id)
        if item is None:
            return
        pane = await self.open(article_id)
        if pane is not None and not item.orphaned:
            pane.move_to(item.start)
            pane.scroll_to_offset(item.start)
            pane.focus()

    async def go_to(self, target: Target) -> None:
        """Open the target's article and act: jump, select a search hit, re-attach, delete."""
        app = self.app
        item = None
        if target.annotation_id:
            item = app.guarded(app.annotations.get, target.annotation_id)
            if item is None and app.store_trouble is not None:
                return
        if target.action == "delete" and item is not None:
            app.annotating.delete(item.id)
            return
        pane = await self.open(target.article_id)
        if pane is None:
            return
        if target.action == "reattach" and item is not None:
            app.annotating.start_reattach(item)
        elif target.annotation_id is None:
            pane.select(target.start, target.end)  # a search hit: ready to tag with a tag key
        else:
            pane.move_to(target.start)
        pane.scroll_to_offset(target.start)
        pane.focus()

"""Panes: the reading panes side by side, opened, focused, fitted to the window and closed.

The app composes the row they live in (``#panes``) and the strip above it (``#pane-strip``);
this opens an article into a new pane (its annotations re-anchored first if the file changed)
and keeps the order they were last focused in. A window shows as many panes side by side as
fit (`MAX_SHOWN` at most): the most recently focused ones, so the focused pane is always in
view and keys only ever act on a pane the user sees. The others stay open, named in the strip
(`switch` brings one back); nothing is closed when the window narrows, the list or the panel
is shown, or a pane opens (only beyond `MAX_OPEN` open panes, and then it says so). At narrow
widths the article list makes way for the panes when a pane opens (escape brings it back).
It also goes where a passage list points (`go_to`: jump, select a search hit, re-attach,
delete).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from reader.corpus.articles import ArticleError
from reader.store import StoreError
from reader.text import untrusted
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.pane_strip import Entry, PaneStrip
from reader.tui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from textual.widget import Widget

    from reader.corpus.articles import Article
    from reader.tui.app import ReaderApp
    from reader.tui.screens.passages import Target

MIN_PANE_WIDTH = 36
#: Side by side at most (a sensible maximum: more are kept open, named in the strip).
MAX_SHOWN = 4
#: A row narrower than this has no room for a pane beside the list (ReadingPane's min-width).
MIN_FIT_WIDTH = 24
#: Open at most; opening one more closes the least recently focused, and says so.
MAX_OPEN = 9
#: Below this window width the article list makes way for the panes when a pane opens.
LIST_GIVES_WAY = 120


def subtitle(article: Article) -> str:
    return " · ".join(x for x in (article.outlet, article.date) if x)


def room_for(width: int) -> int:
    """How many panes a row ``width`` cells wide shows side by side (at least one)."""
    return max(1, min(MAX_SHOWN, width // MIN_PANE_WIDTH))


class Panes:
    """The app's reading panes, the order they were focused in, and which are in view."""

    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        self._serial = 0
        #: the panes, the least recently focused first
        self.focus_order: list[ReadingPane] = []
        #: the pane whose article the panel and status line show (the last focused)
        self.active: ReadingPane | None = None
        self._width = 0  # the row's width when the panes were last fitted to it
        self._refit_pending = False

    @property
    def all(self) -> list[ReadingPane]:
        """Every open pane, left to right (the hidden ones too)."""
        return list(self.app.query(ReadingPane))

    @property
    def shown(self) -> list[ReadingPane]:
        """The panes in view, left to right."""
        return [p for p in self.all if p.display]

    def _row(self) -> Widget:
        return self.app.query_one("#panes")

    def _row_width(self) -> int:
        return self._row().size.width or self.app.size.width

    def max_panes(self) -> int:
        return room_for(self._row_width())

    def _recent_first(self, panes: list[ReadingPane]) -> list[ReadingPane]:
        recent = [p for p in reversed(self.focus_order) if p in panes]
        return recent + [p for p in reversed(panes) if p not in recent]

    def resized(self) -> None:
        """The row's width changed: once the screen is laid out at its new size (a resize
        passes through layouts of the old size with the new classes), show as many panes as
        now fit, closing none."""
        if not self._refit_pending:
            self._refit_pending = True
            self.app.call_after_refresh(self._refit)

    def _refit(self) -> None:
        self._refit_pending = False
        width = self._row().size.width
        if not width or width == self._width:
            return
        article_list = self.app.query_one(ArticleList)
        if width < MIN_FIT_WIDTH and self.all and not article_list.has_focus:
            # too narrow for a pane beside the list: the list makes way (escape: back)
            article_list.add_class("-hidden")
            width += article_list.outer_size.width
        self.fit(width=width, say=True)

    def fit(
        self, panes: list[ReadingPane] | None = None, *, width: int = 0, say: bool = False
    ) -> None:
        """Show the most recently focused panes that fit (in ``width``, else the row's width);
        hide (never close) the others and name them all in the strip. ``say``: tell the user
        which went out of view."""
        panes = self.all if panes is None else panes
        self._width = width or self._row().size.width
        shown = self._recent_first(panes)[: room_for(width or self._row_width())]
        gone = [p for p in panes if p.display and p not in shown and p.is_attached]
        for pane in panes:
            pane.display = pane in shown
        self._stop_comparing(gone)
        self.draw_strip(panes)
        if gone and say:
            what = f"‘{self._title(gone[0])}’" if len(gone) == 1 else f"{len(gone)} panes"
            self.app.notify(f"{what} kept open in the strip above · alt+←/→ switch", timeout=5)

    def _title(self, pane: ReadingPane) -> str:
        article = self.app.corpus.get(pane.article_id)
        return article.display_title if article is not None else pane.article_id

    def draw_strip(self, panes: list[ReadingPane] | None = None) -> None:
        panes = self.all if panes is None else panes
        active = self.active if self.active in panes else None
        entries = [
            Entry(
                pane.id or "",
                self._title(pane),
                "active" if pane is active else "shown" if pane.display else "hidden",
            )
            for pane in panes
        ]
        self.app.query_one(PaneStrip).show_entries(entries)

    def _stop_comparing(self, gone: list[ReadingPane]) -> None:
        comparison = self.app.comparing.comparison
        if comparison is None:
            return
        if any(p.article_id in (comparison.left, comparison.right) for p in gone):
            self.app.comparing.stop()
            self.app.notify("Compare mode off: one of its panes went out of view", timeout=4)

    def bring(self, pane: ReadingPane, width: int = 0) -> None:
        """Show ``pane`` (the least recent one in view makes room) and focus it."""
        if pane in self.focus_order:
            self.focus_order.remove(pane)
        self.focus_order.append(pane)
        self.fit(width=width)
        pane.focus()

    def switch(self, step: int) -> None:
        """Focus the next / previous open pane, left to right, a hidden one brought into view."""
        panes = self.all
        if not panes:
            self.app.notify("No reading pane open", severity="warning")
            return
        current = self.app.focused if isinstance(self.app.focused, ReadingPane) else self.active
        if current not in panes:
            self.bring(panes[0])
            return
        index = panes.index(current)  # type: ignore[arg-type]
        self.bring(panes[(index + step) % len(panes)])

    def chosen(self, pane_id: str) -> None:
        """The user clicked a pane's name in the strip."""
        for pane in self.all:
            if pane.id == pane_id:
                self.bring(pane)

    def _give_way(self, count: int) -> int:
        """Opening a pane in a narrow window: hide the article list when it would keep one of
        the ``count`` open panes out of view (escape brings it back). The row's width to fit
        the panes to now (not a frame later), or 0 for the width it has."""
        app = self.app
        article_list = app.query_one(ArticleList)
        if app.size.width >= LIST_GIVES_WAY or article_list.has_class("-hidden"):
            return 0
        width = self._row().size.width
        wider = width + article_list.outer_size.width
        if width and room_for(width) < count and room_for(wider) > room_for(width):
            article_list.add_class("-hidden")
            app.notify("The article list makes way for the panes · escape brings it back")
            return wider
        return 0

    # -- opening and closing -----------------------------------------------------------------
    async def open(self, article_id: str) -> ReadingPane | None:
        """Focus the article's pane (brought into view), or open one beside the others."""
        app = self.app
        article = app.corpus.get(article_id)
        if article is None:
            app.notify(f"No article '{article_id}' in {app.corpus.folder}", severity="error")
            return None
        for pane in self.all:
            if pane.article_id == article_id:
                self.bring(pane, self._give_way(len(self.all)))
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
        if len(self.all) >= MAX_OPEN:
            oldest = self._recent_first(self.all)[-1]
            app.notify(f"Closed ‘{self._title(oldest)}’: {MAX_OPEN} panes open at most", timeout=5)
            await self.remove(oldest)
        width = self._give_way(len(self.all) + 1)
        self._serial += 1
        pane = ReadingPane(article.id, body, id=f"pane-{self._serial}")
        pane.set_tags(app.shown.tag_names())
        # metadata is untrusted: set the border texts as Text, never as markup
        pane.border_title = untrusted.text(article.display_title)
        pane.border_subtitle = untrusted.text(subtitle(article))
        if not article.hashed:  # needed by the first tag: hashed now, off the key's time
            app.run_worker(lambda: article.sha256, thread=True, group="hash")
        self.focus_order.append(pane)  # the newest is shown: the least recent makes room
        self.fit([*self.all, pane], width=width, say=True)
        await self._row().mount(pane)
        pane.moved_signal.subscribe(app, app.pane_moved)
        pane.tagged_signal.subscribe(app, app.annotating.tagged)
        app.query_one("#empty-hint", Static).display = False
        app.shown.draw(pane)
        pane.focus()
        app.restoring.save()
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
        self.fit()  # a hidden pane comes back into the room it left
        app.restoring.save()

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
            if self.active is not widget or not widget.display:
                self.active = widget
                self.fit()  # in view (it may have been focused while hidden), and the strip
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

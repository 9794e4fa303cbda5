"""ReaderApp: composes the screen, owns the store and routes messages between widgets.

Data flows one way: corpus and store -> app -> widgets. Widgets post messages (a pane's
`Tagged`, the list's `Open`, ...) and the app writes the store, records the change for undo and
pushes the new state back down.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.actions import ActionParseResult, SkipAction
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.color import Color
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.events import DescendantFocus, Event, Paste, Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from reader import gc_pause
from reader.corpus.articles import Article, ArticleError, Corpus
from reader.services.history import History
from reader.store import Annotation, DatabaseReplaced, Store, StoreError
from reader.tags import Tag, colour_of
from reader.text import untrusted
from reader.tui.annotating import AnnotatingMixin
from reader.tui.comparing import ComparingMixin
from reader.tui.keys import APP_BINDINGS, COMPARE_ACTIONS
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_commands import ArticleCommands
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.reading_pane import Highlight, ReadingPane

if TYPE_CHECKING:
    from reader.tui.screens.passages import Target

MIN_PANE_WIDTH = 36
#: Narrower than this a pane is closed rather than squeezed off the screen.
MIN_FIT_WIDTH = 24
MAX_PANES = 4
#: Articles whose annotations are kept in memory between refreshes (the panes and the panel).
CACHED_ARTICLES = 8
NARROW = 120
UI_BUSY_TIMEOUT_MS = 300


class ReaderApp(AnnotatingMixin, ComparingMixin, App[int]):
    CSS_PATH = "reader.tcss"
    TITLE = "reader"

    BINDINGS = APP_BINDINGS
    COMMANDS = App.COMMANDS | {ArticleCommands}

    def __init__(self, *, store: Store, corpus: Corpus, poll_seconds: float = 2.0) -> None:
        super().__init__()
        self.store = store
        #: A write waits this long for another program's write lock, then says so: the screen
        #: never freezes for the store's full 5 s (the selection is kept to try again).
        store.busy_timeout_ms = UI_BUSY_TIMEOUT_MS
        self.corpus = corpus
        self.history = History(store)
        self.poll_seconds = poll_seconds
        self.tags: list[Tag] = store.tags()
        self._pane_serial = 0
        self._focus_order: list[ReadingPane] = []
        self._active: ReadingPane | None = None
        self._data_version = store.data_version()
        self.notices: list[str] = []
        self.message: str | None = None  # the confirmation shown in the status line
        self._message_timer: Timer | None = None
        self._status_pending = False
        self.pending_reattach: str | None = None
        #: Why the database cannot be written any more (see store_failed), once it happened.
        self.store_trouble: str | None = None
        #: article id -> (size, mtime) of its file when it was opened, to notice edits
        self._file_stamps: dict[str, tuple[int, int] | None] = {}
        self._tag_colours: dict[tuple[str, str], str] = {}  # (tag, theme) -> blended colour
        #: article id -> {annotation id: annotation}, for the articles shown (see annotations_of)
        self._by_article: dict[str, dict[str, Annotation]] = {}
        #: annotation id -> (the annotation, theme, its Highlight): unchanged ones are reused
        self._highlights: dict[str, tuple[Annotation, str, Highlight]] = {}
        self._counts: dict[str, dict[str, int]] = {}

    def get_default_screen(self) -> Screen:
        from reader.tui.screens.main_screen import MainScreen

        return MainScreen(id="_default")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Compare-mode keys are in the footer (and work) only while comparing."""
        if action in COMPARE_ACTIONS:
            return self.comparison is not None
        if action in ("next_hit", "previous_hit"):
            # only while a find is active in the focused pane; else `n` is the pane's "note"
            return self.finding is not None and self.focused is self.finding.pane
        return True

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Every key's action: a database that fails under it (a row tampered with, a table
        gone, a file replaced) is said once by `store_failed`, never a traceback."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except StoreError as exc:
            self.store_failed(exc)
            return True

    async def on_event(self, event: Event) -> None:
        """A paste is untrusted text too (copied from an article, a web page): whatever it
        holds that must not reach the terminal becomes the door's placeholders before any
        widget sees it (the palette's input, the find bar, the note editor alike). Line breaks
        stay line breaks."""
        if isinstance(event, Paste):
            event.text = untrusted.for_editing(event.text.replace("\r\n", "\n").replace("\r", "\n"))
        await super().on_event(event)

    def notify(self, message: str, **kwargs) -> None:  # type: ignore[override]
        """Every change is told to the user; the last few are kept for tests and the status.

        Confirmations ("Tagged ...", "Undid ...") go to the status line, where they stay until
        their time is up: a toast would mount a widget and lay the screen out again on every
        tag. Warnings and errors are toasts, which stand out.

        Messages quote file names, titles, tags and article text: whatever they hold goes
        through the door (`reader.text.untrusted`) here, the one way onto the screen for both."""
        self.notices.append(message)
        del self.notices[:-50]
        if kwargs.get("severity", "information") == "information" and not kwargs.get("title"):
            self._say(message, kwargs.get("timeout") or 3)
            return
        kwargs["markup"] = False  # never markup
        if kwargs.get("title"):
            kwargs["title"] = untrusted.line(kwargs["title"], 80)
        super().notify(untrusted.line(message, 2000), **kwargs)

    def _say(self, message: str, seconds: float) -> None:
        self.message = message
        if self._message_timer is not None:
            self._message_timer.stop()
        self._message_timer = self.set_timer(seconds, self._message_expired)
        if self.is_running:
            self._show_status()

    def _message_expired(self) -> None:
        self.message, self._message_timer = None, None
        self._show_status()

    def clear_notifications(self) -> None:
        super().clear_notifications()
        if self.message is not None:
            self._message_expired()

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            self._counts = self.store.counts()
            yield ArticleList(list(self.corpus), self.tags, counts=self._counts, id="articles")
            with Horizontal(id="panes"):
                yield Static(
                    "Pick an article on the left and press enter to read it.\n"
                    "Open more to read them side by side.  ? lists every key.",
                    id="empty-hint",
                )
            yield AnnotationPanel(self.tags, id="annotations")
        yield Static(id="status")  # the find bar is mounted above it when first asked for
        yield KeyBar()

    def on_mount(self) -> None:
        if gc_pause.paused_for_start_up():  # `reader` paused it for start-up (cli.cmd_tui)
            self.call_after_refresh(gc_pause.resume_after_start_up)
        self._reconcile()
        self.query_one(ArticleList).focus()
        self.query_one(AnnotationPanel).show(None, "", [])
        self._show_status()
        for warning in self.corpus.warnings:
            self.notify(warning, severity="warning", timeout=8)
        if self.poll_seconds > 0:
            self.set_interval(self.poll_seconds, self.check_external_changes)

    def on_resize(self, event: Resize) -> None:
        self.screen.set_class(event.size.width < NARROW, "-narrow")
        self.call_after_refresh(self.fit_panes)

    def fit_panes(self) -> None:
        """Close the least recently used panes that no longer fit (none is ever hidden)."""
        panes = self.panes
        room = max(1, self.query_one("#panes").size.width // MIN_FIT_WIDTH)
        extra = len(panes) - room
        if extra <= 0:
            return
        order = [p for p in self._focus_order if p in panes] + [
            p for p in panes if p not in self._focus_order
        ]
        for pane in order[:extra]:
            self.run_worker(self._remove_pane(pane))
        self.notify(f"Closed {extra} pane(s) that no longer fit the window", timeout=4)

    @property
    def panes(self) -> list[ReadingPane]:
        return list(self.query(ReadingPane))

    def max_panes(self) -> int:
        width = self.query_one("#panes").size.width or self.size.width
        return max(1, min(MAX_PANES, width // MIN_PANE_WIDTH))

    # -- opening and closing articles ------------------------------------------------------
    @on(ArticleList.Open)
    async def _open_from_list(self, event: ArticleList.Open) -> None:
        await self.open_article(event.article_id)

    async def open_article(self, article_id: str) -> ReadingPane | None:
        article = self.corpus.get(article_id)
        if article is None:
            self.notify(f"No article '{article_id}' in {self.corpus.folder}", severity="error")
            return None
        for pane in self.panes:
            if pane.article_id == article_id:
                pane.focus()
                return pane
        try:
            body = article.body
        except ArticleError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            self.query_one(ArticleList).rebuild()
            return None
        for warning in article.warnings:
            self.notify(f"{article.file}: {warning}", severity="warning", timeout=6)
        self._file_stamps[article.id] = _stamp(article.path)
        self._by_article.pop(article.id, None)  # read afresh: the file may have changed
        self._reanchor(article)
        if len(self.panes) >= self.max_panes():
            oldest = self._focus_order[0] if self._focus_order else self.panes[0]
            await self._remove_pane(oldest)
        self._pane_serial += 1
        pane = ReadingPane(
            article.id,
            body,
            id=f"pane-{self._pane_serial}",
        )
        # metadata is untrusted: set the border texts as Text, never as markup
        pane.border_title = untrusted.text(article.display_title)
        pane.border_subtitle = untrusted.text(_subtitle(article))
        if article._sha256 is None:  # needed by the first tag: hashed now, off the key's time
            self.run_worker(lambda: article.sha256, thread=True, group="hash")
        await self.query_one("#panes").mount(pane)
        pane.moved_signal.subscribe(self, self._pane_moved)
        pane.tagged_signal.subscribe(self, self.tag_from_pane)
        self.query_one("#empty-hint").display = False
        self._update_highlights(pane)
        pane.focus()
        return pane

    async def _remove_pane(self, pane: ReadingPane) -> None:
        if self.comparison is not None and self.comparison.side(pane) is not None:
            self.stop_comparing()
        if self.finding is not None and self.finding.pane is pane:
            self.finding = None
        if pane in self._focus_order:
            self._focus_order.remove(pane)
        if self._active is pane:
            self._active = None
        article = self.corpus.get(pane.article_id)
        await pane.remove()
        if article is not None and not any(p.article_id == article.id for p in self.panes):
            article.unload()
        if not self.panes:
            self.query_one("#empty-hint").display = True

    async def action_close_pane(self) -> None:
        pane = self.focused if isinstance(self.focused, ReadingPane) else self._active
        if pane is None:
            self.notify("No reading pane to close", severity="warning")
            return
        await self._remove_pane(pane)
        remaining = self._focus_order[-1:] or self.panes[-1:]
        if remaining:
            remaining[0].focus()
        else:
            self.query_one(ArticleList).focus()
            self.query_one(AnnotationPanel).show(None, "", [])

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        widget = event.widget
        if isinstance(widget, ReadingPane):
            if widget in self._focus_order:
                self._focus_order.remove(widget)
            self._focus_order.append(widget)
            if self._active is not widget:
                self._active = widget
                self._show_annotations(widget.article_id)
        self._show_status()

    # -- other messages --------------------------------------------------------------------
    @on(ReadingPane.Hint)
    def _hint(self, event: ReadingPane.Hint) -> None:
        self.notify(event.text, severity="warning", timeout=3)

    @on(ReadingPane.Dismissed)
    def _back_to_list(self, event: ReadingPane.Dismissed) -> None:
        if self.pending_reattach is not None:
            self.pending_reattach = None
            self.notify("Re-attach cancelled", timeout=2)
        if self.finding is not None and self.finding.pane is event.pane:
            # like less and vim: the first escape clears the find, the next one leaves
            self.clear_finding()
            self.notify("Find cleared · escape again: back to the list", timeout=2)
            return
        article_list = self.query_one(ArticleList)
        article_list.remove_class("-hidden")
        article_list.focus()

    def _pane_moved(self, pane: ReadingPane) -> None:
        """The cursor or selection moved (the pane's signal, in the same frame: a posted
        CursorMoved would be handled after the screen was drawn, costing a second frame)."""
        if self.comparison is not None:
            self.follow_cursor(pane)
        self._show_status()

    @on(AnnotationPanel.Jump)
    async def _jump(self, event: AnnotationPanel.Jump) -> None:
        try:
            item = self.store.get(event.annotation_id)
        except StoreError as exc:
            self.store_failed(exc)
            return
        if item is None:
            return
        pane = await self.open_article(event.article_id)
        if pane is not None and not item.orphaned:
            pane.move_to(item.start)
            pane.scroll_to_offset(item.start)
            pane.focus()

    # -- refreshing what is shown ----------------------------------------------------------
    def refresh_article(self, article_id: str, changed: Iterable[str] | None = None) -> None:
        """Show the article's annotations again after a change: with ``changed`` (the ids this
        app just wrote), only those are read back, so a tag costs the same with 5,000
        annotations as with none; else all of the article's are read."""
        try:
            self._refresh_article(article_id, changed)
        except StoreError as exc:  # a damaged row, a table gone: nothing more can be shown
            self.store_failed(exc)

    def _refresh_article(self, article_id: str, changed: Iterable[str] | None) -> None:
        version = self.store.data_version()
        if version != self._data_version:  # another process wrote too: trust nothing cached
            self._data_version = version
            self._by_article.clear()
            self._counts = self.store.counts()
            self.query_one(ArticleList).set_counts(self._counts)
            changed = None
        cache = self._by_article.get(article_id)
        removed: list[Annotation] = []
        added: list[Annotation] = []
        if changed is None or cache is None:
            self._by_article.pop(article_id, None)
            changed = None
        else:
            changed = list(changed)
            for ident in changed:
                before, now = cache.pop(ident, None), self.store.get(ident)
                if before is not None:
                    removed.append(before)
                if now is not None and now.article_id == article_id:
                    cache[ident] = now
                    added.append(now)
        annotations: list[Annotation] | None = None
        if changed is None or article_id not in self._counts:
            annotations = self.annotations_of(article_id)
            per_tag: dict[str, int] = {}
            for a in annotations:
                per_tag[a.tag] = per_tag.get(a.tag, 0) + 1
        else:  # the counts moved by what changed
            per_tag = dict(self._counts[article_id])
            for a in removed:
                per_tag[a.tag] -= 1
                if not per_tag[a.tag]:
                    del per_tag[a.tag]
            for a in added:
                per_tag[a.tag] = per_tag.get(a.tag, 0) + 1
        if self._counts.get(article_id) != per_tag:
            self._counts[article_id] = per_tag
            self.query_one(ArticleList).set_counts(self._counts, [article_id])
        for pane in self.panes:
            if pane.article_id != article_id:
                continue
            if changed is not None:
                try:
                    self._change_highlights(pane, article_id, changed)
                    continue
                except ValueError:  # the pane did not draw what was expected: draw all again
                    pass
            self._update_highlights(pane, annotations)
        if self._active is not None and self._active.article_id == article_id:
            panel = self.query_one(AnnotationPanel)
            if changed is not None and panel.article_id == article_id:
                panel.change(removed, added)
            else:
                self._show_annotations(article_id, annotations)
        if self.comparison is not None:
            self.refresh_comparison()
        self._show_status()

    def _change_highlights(self, pane: ReadingPane, article_id: str, ids: Iterable[str]) -> None:
        """Redraw only the annotations ``ids`` (just written by this app) in ``pane``."""
        cache, made, theme = self._by_article[article_id], self._highlights, self.theme
        added, removed = [], []
        for ident in ids:
            old = made.pop(ident, None)
            if old is not None:
                removed.append(old[2])
            now = cache.get(ident)
            if now is not None and not now.orphaned:
                made[ident] = (now, theme, self._highlight(now))
                added.append(made[ident][2])
        pane.change_highlights(added, removed)

    def annotations_of(self, article_id: str) -> list[Annotation]:
        """The article's annotations, read once and then kept up to date by `refresh_article`
        (for the few articles shown; another process's writes empty the cache)."""
        cache = self._by_article.pop(article_id, None)
        if cache is None:
            try:
                cache = {a.id: a for a in self.store.annotations(article_id)}
            except StoreError as exc:
                self.store_failed(exc)
                return []
        self._by_article[article_id] = cache  # the most recently used last
        while len(self._by_article) > CACHED_ARTICLES:
            del self._by_article[next(iter(self._by_article))]
        return list(cache.values())

    def _reanchor(self, article: Article) -> None:
        """The file may have changed since its annotations were made, even while reader runs
        (closed and opened again): re-anchor them before they are drawn and say what moved."""
        from reader.anchoring import reconcile

        try:
            results = reconcile(self.store, self.corpus, article_ids=[article.id])
        except StoreError as exc:
            self.store_failed(exc)
            return
        except Exception as exc:  # noqa: BLE001 - never stop the app over re-anchoring
            self.notify(f"Re-anchoring failed: {exc}", severity="error", timeout=8)
            return
        counts = Counter(r.status for r in results)
        moved, fuzzy, orphaned = counts["moved"], counts["fuzzy"], counts["orphaned"]
        if not (moved or fuzzy or orphaned):
            return
        parts = []
        if moved or fuzzy:
            parts.append(f"{moved + fuzzy} annotation(s) found again at their new place")
        if fuzzy:
            parts.append(f"{fuzzy} of them by a close match: marked 'review'")
        if orphaned:
            parts.append(f"{orphaned} not found: kept as orphans (O lists them)")
        self.notify(
            f"{article.file} changed since it was annotated: " + "; ".join(parts),
            severity="warning",
            timeout=10,
        )

    def check_changed_files(self) -> None:
        """Tell the user when the file of an open article changed or vanished on disk: the pane
        keeps the text it was opened with (its annotations stay where they are) until the
        article is closed and opened again, which re-anchors them to the new text."""
        for article_id in {pane.article_id for pane in self.panes}:
            article = self.corpus.get(article_id)
            if article is None or article_id not in self._file_stamps:
                continue
            now = _stamp(article.path)
            if now == self._file_stamps[article_id]:
                continue
            self._file_stamps[article_id] = now
            name = article.file
            if now is None:
                self.notify(
                    f"{name} was deleted or moved from the folder; the pane shows the text as it "
                    "was and its annotations are kept",
                    severity="warning",
                    timeout=10,
                )
            else:
                self.notify(
                    f"{name} changed on disk; the pane shows the text as it was. Close it "
                    "(ctrl+w) and open it again to read the new text: its annotations are "
                    "re-anchored then",
                    severity="warning",
                    timeout=10,
                )

    def check_external_changes(self) -> None:
        """Show what another reader instance wrote to the same database (and notice article
        files changed on disk, and a database file deleted or replaced under reader)."""
        self.check_changed_files()
        if self.store_trouble is not None:
            return
        try:
            self.store.check_file()
            self._show_external_changes()
        except StoreError as exc:
            self.store_failed(exc)

    def store_failed(self, exc: StoreError) -> None:
        """The database cannot be used as it is: say why. A file replaced under reader leaves
        the app running (reading, and exporting what it still holds, work; every write is
        refused with the reason); anything else ends the app with the message (exit 1), the
        file as it was."""
        if self.store_trouble is not None:
            return
        self.store_trouble = str(exc)
        if isinstance(exc, DatabaseReplaced):
            self.notify(str(exc), severity="error", timeout=3600)
            return
        self.exit(return_code=1, message=untrusted.text(f"reader: {exc}"))

    def _show_external_changes(self) -> None:
        version = self.store.data_version()
        if version == self._data_version:
            return
        self.store.check_rows()  # what another program wrote: no pane may need to read it
        self._data_version = version
        self._by_article.clear()
        self._counts = self.store.counts()
        self.query_one(ArticleList).set_counts(self._counts)
        for pane in self.panes:
            self._update_highlights(pane)
        if self._active is not None:
            self._show_annotations(self._active.article_id)

    def _update_highlights(
        self, pane: ReadingPane, annotations: list[Annotation] | None = None
    ) -> None:
        if annotations is None:
            annotations = self.annotations_of(pane.article_id)
        spans = []
        made, theme = self._highlights, self.theme
        for a in annotations:
            if a.orphaned:
                continue
            found = made.get(a.id)
            if found is None or found[0] is not a or found[1] != theme:
                found = made[a.id] = (a, theme, self._highlight(a))
            spans.append(found[2])
        if len(made) > 4 * len(spans) + 10_000:  # drop those of articles no longer shown
            keep = {h.annotation_id for h in spans}
            self._highlights = {k: v for k, v in made.items() if k in keep}
        pane.set_highlights(spans)

    def _highlight(self, a: Annotation) -> Highlight:
        return Highlight(a.start, a.end, a.tag, self.tag_colour(a.tag), a.id)

    def _show_annotations(
        self, article_id: str, annotations: list[Annotation] | None = None
    ) -> None:
        article = self.corpus.get(article_id)
        title = article.display_title if article else article_id
        if annotations is None:
            annotations = self.annotations_of(article_id)
        self.query_one(AnnotationPanel).show(article_id, title, annotations)

    def tag_colour(self, name: str) -> str:
        """The tag's colour blended into the theme background, so text stays readable."""
        key = (name, self.theme)
        colour = self._tag_colours.get(key)
        if colour is None:
            base = Color.parse(colour_of(name, self.tags))
            theme = self.current_theme
            background = Color.parse(theme.background or ("#1e1e1e" if theme.dark else "#fff"))
            colour = base.blend(background, 0.45 if theme.dark else 0.6).hex
            self._tag_colours[key] = colour
        return colour

    def watch_theme(self, theme: str) -> None:
        if self.is_running:
            for pane in self.panes:
                self._update_highlights(pane)
            self._show_status()

    def legend(self) -> Text:
        text = Text()
        for tag in self.tags:
            text.append(" ■ ", style=f"bold {colour_of(tag.name, self.tags)}")
            text.append(untrusted.line(f"{tag.key} {tag.name}", 32))
        return text

    def _show_status(self) -> None:
        """Draw the status line again once what is being done now is done (a tag asks 4 times:
        the cursor moved, the article refreshed, the confirmation, the selection cleared), still
        before the screen is updated."""
        if not self._status_pending:
            self._status_pending = True
            # deferred twice: after the callbacks that the key's own callbacks queue (a tag
            # moves the cursor, whose signal comes back through call_next)
            self.call_next(self.call_next, self._draw_status)

    def _draw_status(self) -> None:
        self._status_pending = False
        text = Text()
        if self.message is not None:
            text.append("» " + untrusted.line(self.message, 300) + "  ", style="bold")
        text.append_text(self.legend())
        pane = self._active
        if pane is not None and pane.is_attached:
            text.append(
                f"   {untrusted.line(pane.article_id, 60)}  {pane.cursor}/{len(pane.body)}",
                style="dim",
            )
            selection = pane.selection
            if selection:
                text.append(f"  selected {selection[1] - selection[0]}", style="bold")
            count = self.query_one(AnnotationPanel).count_text
            text.append(f"  {count} annotation{'' if count == '1' else 's'}", style="dim")
            under = pane.current_highlights()
            if under:
                tags = ", ".join(untrusted.line(h.tag, 40) for h in under)
                text.append("  on: " + tags, style="italic")
        if self.finding is not None:
            text.append(
                f"   find “{untrusted.line(self.finding.query, 30)}”: "
                f"{len(self.finding.hits)} (n/N)",
                style="bold",
            )
        comparison = self.comparison
        if comparison is not None:
            text.append(f"   compare: {len(comparison.pairs)} pairs", style="bold")
            if comparison.current is not None:
                pair = comparison.pairs[comparison.current]
                text.append(f", this one {pair.score:.2f}")
                if comparison.current in comparison.differing:
                    text.append("  TAGS DIFFER", style="bold red")
            if comparison.differing:
                text.append(f", {len(comparison.differing)} coded differently", style="red")
        # one fixed line: no relayout of the screen on every keystroke
        self.query_one("#status", Static).update(text, layout=False)

    def action_close_find(self) -> None:
        bar = self.find_bar()
        if bar is None or not bar.has_focus:
            raise SkipAction()
        self.clear_finding()
        self.close_find_bar()

    def _reconcile(self) -> None:
        if not self._counts:  # no annotations: nothing to re-anchor (nor to import for it)
            return
        try:
            from reader.anchoring import reconcile

            reconcile(self.store, self.corpus)
            orphans = self.store.orphaned_count()
        except StoreError as exc:  # the database itself (DatabaseReplaced is one: say so)
            self.store_failed(exc)
            return
        except Exception as exc:  # noqa: BLE001 - never stop the app over re-anchoring
            self.notify(f"Re-anchoring failed: {exc}", severity="error")
            orphans = 0
        if orphans:
            self.notify(
                f"{orphans} annotation(s) could not be found in the changed "
                "article text; they are kept: O lists them to re-attach or delete",
                severity="warning",
                timeout=8,
            )

    # -- app-wide actions ------------------------------------------------------------------
    def export_path(self) -> Path:
        """Beside the database, named after it (never the database itself)."""
        db = self.store.path
        if db is None:
            return Path("annotations.yaml")
        return db.with_name(db.name + ".yaml") if db.suffix in (".yaml", ".yml") else (
            db.with_suffix(".yaml")
        )  # fmt: skip

    def action_export(self) -> None:
        from reader.exchange.files import export_to_file

        path = self.export_path()
        try:
            count = export_to_file(path, self.store, self.corpus)
            articles = len({a.article_id for a in self.store.annotations()})
        except OSError as exc:
            self.notify(f"{path}: cannot write: {exc.strerror or exc}", severity="error")
            return
        except StoreError as exc:
            self.store_failed(exc)
            return
        self.notify(f"Exported {count} annotations of {articles} articles to {path}", timeout=6)

    def action_help(self) -> None:
        sections = [
            ("Article list", ArticleList.BINDINGS),
            ("Reading pane", ReadingPane.BINDINGS),
            ("Annotations panel", AnnotationPanel.BINDINGS),
            (
                "Anywhere",
                [
                    *self.BINDINGS,
                    Binding("tab", "focus_next", "Next region"),
                    Binding("shift+tab", "focus_previous", "Previous region"),
                    Binding("ctrl+p", "command_palette", "Command palette"),
                ],
            ),
        ]
        from reader.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(sections, self.legend()))

    # -- screens that list passages -------------------------------------------------------
    def action_tag_view(self) -> None:
        tag = None
        if self._active is not None and self._active.is_attached:
            under = self._active.current_highlights()
            tag = under[0].tag if under else None
        from reader.tui.screens.passages import TagView

        screen = TagView(self.store.annotations(), self.corpus, self.tags, tag)
        self.push_screen(screen, self._go_to_target)

    def action_search_all(self) -> None:
        from reader.tui.screens.passages import CorpusSearch

        self.push_screen(CorpusSearch(self.corpus), self._go_to_target)

    def action_orphans(self) -> None:
        # orphans, and annotations whose article file is gone (kept: the file may come back)
        gone = {a.id for a in self.corpus if _stamp(a.path) is None}
        orphans = [
            a
            for a in self.store.annotations()
            if a.orphaned or self.corpus.get(a.article_id) is None or a.article_id in gone
        ]
        from reader.tui.screens.passages import OrphanList

        self.push_screen(OrphanList(orphans, self.corpus), self._go_to_target)

    def _go_to_target(self, target: Target | None) -> None:
        if target is not None:
            self.run_worker(self.go_to(target), exclusive=True)

    async def go_to(self, target: Target) -> None:
        """Open the target's article and act: jump, select a search hit, re-attach, delete."""
        try:
            item = self.store.get(target.annotation_id) if target.annotation_id else None
        except StoreError as exc:
            self.store_failed(exc)
            return
        if target.action == "delete" and item is not None:
            self.delete_annotation(item)
            return
        pane = await self.open_article(target.article_id)
        if pane is None:
            return
        if target.action == "reattach" and item is not None:
            self.start_reattach(item)
        elif target.annotation_id is None:
            pane.select(target.start, target.end)  # a search hit: ready to tag with 1, 2, 3
        else:
            pane.move_to(target.start)
        pane.scroll_to_offset(target.start)
        pane.focus()

    def action_toggle_list(self) -> None:
        self.query_one(ArticleList).toggle_class("-hidden")
        self.call_after_refresh(self.fit_panes)

    def action_toggle_annotations(self) -> None:
        panel = self.query_one(AnnotationPanel)
        panel.toggle_class("-shown" if self.screen.has_class("-narrow") else "-hidden")
        self.call_after_refresh(self.fit_panes)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Export annotations", "Write the YAML export beside the database", self.action_export
        )
        yield SystemCommand("Help: keys", "List every key", self.action_help)
        yield SystemCommand(
            "Passages by tag", "Every passage with a tag across all articles", self.action_tag_view
        )
        yield SystemCommand(
            "Search all articles", "Case- and accent-insensitive search", self.action_search_all
        )
        yield SystemCommand(
            "Orphaned annotations",
            "Re-attach or delete annotations whose text changed away",
            self.action_orphans,
        )
        yield SystemCommand("Undo", "Undo the last annotation change", self.action_undo)
        yield SystemCommand("Redo", "Redo what was undone", self.action_redo)
        yield SystemCommand("Close pane", "Close the focused reading pane", self.action_close_pane)
        yield SystemCommand(
            "Toggle article list", "Show or hide the article list", self.action_toggle_list
        )
        yield SystemCommand(
            "Toggle annotations panel",
            "Show or hide the annotations panel",
            self.action_toggle_annotations,
        )


def _subtitle(article: Article) -> str:
    return " · ".join(x for x in (article.outlet, article.date) if x)


def run_app(*, store: Store, corpus: Corpus) -> int:
    app = ReaderApp(store=store, corpus=corpus)
    app.run()
    return app.return_code or 0


def _stamp(path: Path) -> tuple[int, int] | None:
    """(size, modification time) of a file, None when it is gone."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns

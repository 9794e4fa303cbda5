"""ReaderApp: composes the screen and routes what happens on it.

Data flows one way: corpus and store -> services -> app -> widgets. Widgets post messages (a
pane's `Tagged`, the list's `Open`, ...); the app hands them to the annotations service
(`reader.services.annotations`), which writes the store, records the change for undo and
announces it; `Shown` draws what changed. Compare mode and find live in `Comparing`, tagging's
words to the user in `Annotating`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.actions import ActionParseResult, SkipAction
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.events import DescendantFocus, Event, Paste, Resize
from textual.screen import Screen
from textual.widgets import Input, Static

from reader import gc_pause
from reader.corpus.articles import Corpus
from reader.corpus.listing_cache import default_cache_dir
from reader.services.annotations import Annotations
from reader.services.corpus_search import SearchService
from reader.services.sessions import FileWatch
from reader.store import Store, StoreError
from reader.text import untrusted
from reader.tui.annotating import Annotating
from reader.tui.commands import help_sections, system_commands
from reader.tui.comparing import Comparing
from reader.tui.keys import APP_BINDINGS, COMPARE_ACTIONS
from reader.tui.panes import Panes
from reader.tui.restoring import Restoring
from reader.tui.shown import Shown
from reader.tui.status import Status, start_hint
from reader.tui.watching import Watching
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_commands import ArticleCommands
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.pane_strip import PaneRow, PaneStrip
from reader.tui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from reader.services.sessions import Comparison, Finding
    from reader.tui.screens.passages import Target

NARROW = 120
UI_BUSY_TIMEOUT_MS = 300

T = TypeVar("T")


class ReaderApp(App[int]):
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
        self.poll_seconds = poll_seconds
        self.annotations = Annotations(store, corpus)
        self.corpus_search = SearchService.for_corpus(corpus, default_cache_dir())
        self.shown = Shown(self)
        self.annotating = Annotating(self)
        self.comparing = Comparing(self)
        self.files = FileWatch()
        self.pane_row = Panes(self)
        self.watching = Watching(self)
        self.restoring = Restoring(self)
        self.annotations.subscribe(self._changed)
        self.notices: list[str] = []
        self.status = Status(self)
        #: Why the database cannot be written any more (see store_failed), once it happened.
        self.store_trouble: str | None = None

    @property
    def history(self):  # noqa: ANN201 - the service's History
        return self.annotations.history

    @property
    def comparison(self) -> Comparison | None:
        return self.comparing.comparison

    @property
    def finding(self) -> Finding | None:
        return self.comparing.finding

    @property
    def pending_reattach(self) -> str | None:
        return self.annotating.pending_reattach

    def get_default_screen(self) -> Screen:
        from reader.tui.screens.main_screen import MainScreen

        return MainScreen(id="_default")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Compare-mode keys are in the footer (and work) only while comparing."""
        if action in COMPARE_ACTIONS:
            return self.comparison is not None
        if action in ("next_hit", "previous_hit"):
            # only while a find is active in the focused pane; else `n` is the pane's "note"
            return self.comparing.finding_in(self.focused)
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

    def guarded(self, call: Callable[..., T], *args: object) -> T | None:
        """``call(*args)``; a StoreError goes to `store_failed` (and None is returned)."""
        try:
            return call(*args)
        except StoreError as exc:
            self.store_failed(exc)
            return None

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
            self.status.say(message, kwargs.get("timeout") or 3)
            return
        kwargs["markup"] = False  # never markup
        if kwargs.get("title"):
            kwargs["title"] = untrusted.line(kwargs["title"], 80)
        super().notify(untrusted.line(message, 2000), **kwargs)

    def clear_notifications(self) -> None:
        super().clear_notifications()
        if self.status.message is not None:
            self.status.expire()

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        tags = list(self.annotations.tags)
        with Horizontal(id="main"):
            counts = self.annotations.counts()
            yield ArticleList(list(self.corpus), tags, counts=counts, id="articles")
            with Vertical(id="pane-column"):
                yield PaneStrip(id="pane-strip")  # shown while panes are out of view
                with PaneRow(self.pane_row.resized, id="panes"):
                    yield Static(start_hint(self.corpus), id="empty-hint")
            yield AnnotationPanel(tags, keys=self.annotations.tags.keys_phrase(), id="annotations")
        yield Static(id="status")  # the find bar is mounted above it when first asked for
        yield KeyBar()

    def on_mount(self) -> None:
        if gc_pause.paused_for_start_up():  # `reader` paused it for start-up (cli.cmd_tui)
            self.call_after_refresh(gc_pause.resume_after_start_up)
        self.watching.reconcile()
        self.query_one(ArticleList).focus()
        self.query_one(AnnotationPanel).show(None, "", [])
        self.show_status()
        for warning in self.corpus.warnings:
            self.notify(warning, severity="warning", timeout=8)
        if self.poll_seconds > 0:
            self.set_interval(self.poll_seconds, self.check_external_changes)
        self.restoring.load()
        self.call_after_refresh(lambda: self.run_worker(self.restoring.restore()))

    def on_resize(self, event: Resize) -> None:
        self.screen.set_class(event.size.width < NARROW, "-narrow")  # the row refits itself

    @property
    def panes(self) -> list[ReadingPane]:
        return self.pane_row.all

    @property
    def focus_order(self) -> list[ReadingPane]:
        return self.pane_row.focus_order

    @property
    def active_pane(self) -> ReadingPane | None:
        return self.pane_row.active

    def max_panes(self) -> int:
        return self.pane_row.max_panes()

    # -- opening and closing articles ------------------------------------------------------
    @on(ArticleList.Open)
    async def _open_from_list(self, event: ArticleList.Open) -> None:
        await self.open_article(event.article_id)

    async def open_article(self, article_id: str) -> ReadingPane | None:
        return await self.pane_row.open(article_id)

    async def action_close_pane(self) -> None:
        await self.pane_row.close_focused()

    def action_switch_pane(self, step: int) -> None:
        self.pane_row.switch(step)

    @on(PaneStrip.Chosen)
    def _pane_chosen(self, event: PaneStrip.Chosen) -> None:
        self.pane_row.chosen(event.pane_id)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self.pane_row.focused(event.widget)
        self.show_status()

    # -- messages from the widgets -----------------------------------------------------------
    @on(ReadingPane.Hint)
    def _hint(self, event: ReadingPane.Hint) -> None:
        self.notify(event.text, severity="warning", timeout=3)

    @on(ReadingPane.Dismissed)
    def _back_to_list(self, event: ReadingPane.Dismissed) -> None:
        # one thing per escape, like less and vim: the alignment under way, the find, a
        # pending re-attach; then back to the list
        if self.comparing.cancel_alignment() or self.comparing.escape_find(event.pane):
            return
        if self.annotating.cancel_reattach():
            return
        article_list = self.query_one(ArticleList)
        article_list.remove_class("-hidden")
        article_list.focus()

    @on(ReadingPane.AnnotationAction)
    def _annotation_action(self, event: ReadingPane.AnnotationAction) -> None:
        self.annotating.action(event)

    def pane_moved(self, pane: ReadingPane) -> None:
        """The cursor or selection moved (the pane's signal, in the same frame: a posted
        CursorMoved would be handled after the screen was drawn, costing a second frame)."""
        self.comparing.follow_cursor(pane)
        panel = self.query_one(AnnotationPanel)
        if pane is self.active_pane and panel.article_id == pane.article_id:
            panel.follow(pane.cursor)
        self.show_status()

    @on(AnnotationPanel.Jump)
    async def _jump(self, event: AnnotationPanel.Jump) -> None:
        await self.pane_row.jump(event.article_id, event.annotation_id)

    @on(Input.Changed, "#find-bar")
    def _find_changed(self, event: Input.Changed) -> None:
        self.comparing.find(event.value)

    @on(Input.Submitted, "#find-bar")
    def _find_submitted(self, event: Input.Submitted) -> None:
        self.comparing.close_find_bar()

    # -- what the service changed, and what others changed --------------------------------
    def _changed(self, update) -> None:  # noqa: ANN001 - an annotations.Update
        self.shown.update(update)
        self.comparing.refresh()
        self.show_status()

    def refresh_article(self, article_id: str) -> None:
        """Show the article's annotations again, all read afresh."""
        self.guarded(self.annotations.refresh, article_id)

    def check_changed_files(self) -> None:
        self.watching.changed_files()

    def check_external_changes(self) -> None:
        self.watching.external_changes()

    def store_failed(self, exc: StoreError) -> None:
        self.watching.store_failed(exc)

    def tags_changed(self) -> None:
        """The tag set changed (another program added a tag): keys, legend and help follow."""
        self.refresh_bindings()
        self.show_status()

    def watch_theme(self, theme: str) -> None:
        if self.is_running:
            for pane in self.panes:
                self.shown.draw(pane)
            self.show_status()

    def show_status(self) -> None:
        self.status.show()

    # -- actions: each routed to where it is done ----------------------------------------
    async def action_quit(self) -> None:
        self.restoring.save()  # the panes open now open again at the next start
        self.exit()

    def action_undo(self) -> None:
        self.annotating.travel(undo=True)

    def action_redo(self) -> None:
        self.annotating.travel(undo=False)

    def action_compare(self) -> None:
        self.comparing.toggle()

    def action_next_pair(self) -> None:
        self.comparing.step_pair(+1)

    def action_previous_pair(self) -> None:
        self.comparing.step_pair(-1)

    def action_copy_to_partner(self) -> None:
        self.comparing.copy_to_partner()

    async def action_find(self) -> None:
        await self.comparing.open_find()

    def find_bar(self) -> Input | None:
        return self.comparing.find_bar()

    def action_next_hit(self) -> None:
        self.comparing.step_hit(+1)

    def action_previous_hit(self) -> None:
        self.comparing.step_hit(-1)

    def action_close_find(self) -> None:
        bar = self.find_bar()
        if bar is None or not bar.has_focus:
            # escape outside a pane (the list, say)
            if self.comparing.cancel_alignment() or self.annotating.cancel_reattach():
                return
            raise SkipAction()
        self.comparing.clear_finding()
        self.comparing.close_find_bar()

    def action_export(self) -> None:
        self.annotating.export()

    def action_help(self) -> None:
        from reader.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(help_sections(self), self.shown.legend()))

    def action_tag_view(self) -> None:
        self.pane_row.show_tag_view()

    def action_search_all(self) -> None:
        self.pane_row.show_search()

    def action_orphans(self) -> None:
        self.pane_row.show_orphans()

    async def go_to(self, target: Target) -> None:
        await self.pane_row.go_to(target)

    def action_toggle_list(self) -> None:
        self.query_one(ArticleList).toggle_class("-hidden")

    def action_toggle_annotations(self) -> None:
        panel = self.query_one(AnnotationPanel)
        panel.toggle_class("-shown" if self.screen.has_class("-narrow") else "-hidden")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's "Keys" docks a panel over the panes: reader's own "Keys" is the help screen
        yield from (c for c in super().get_system_commands(screen) if c.title != "Keys")
        yield from system_commands(self)


def run_app(*, store: Store, corpus: Corpus) -> int:
    app = ReaderApp(store=store, corpus=corpus)
    app.run()
    return app.return_code or 0

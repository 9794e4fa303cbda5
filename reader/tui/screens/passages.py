"""Screens that list passages across the corpus: by tag, orphans, and corpus-wide search.

Each dismisses with a `Target` (where to go and what to do) or None; the app acts on it.
Article text, titles, tags and notes are untrusted: they reach the screen only through
`reader.text.untrusted`, as `rich.text.Text`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.corpus.articles import Corpus
from reader.model import Annotation, Tag
from reader.search import Hit
from reader.services.corpus_search import SearchCancelled, SearchService
from reader.tags import colour_of
from reader.text import untrusted
from reader.text.wording import count, quoted
from reader.tui.widgets.safe_input import SafeInput


@dataclass(frozen=True)
class Target:
    article_id: str
    start: int
    end: int
    annotation_id: str | None = None
    action: str = "jump"  # jump | reattach | delete


#: Characters of a quote or note shown in a list entry.
QUOTE_CHARS = 200


class _PassageScreen(ModalScreen[Target | None]):
    """A titled list of passages; `enter` picks one, `escape` closes."""

    BINDINGS = [Binding("escape", "close", "Close")]
    heading = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="passages-dialog"):
            yield Label(self.heading, classes="passages-heading", markup=False)
            yield from self.compose_top()
            yield OptionList(classes="passages-list")
            yield Label("", classes="passages-help", markup=False)

    def compose_top(self) -> ComposeResult:
        return iter(())

    @property
    def options(self) -> OptionList:
        return self.query_one(".passages-list", OptionList)

    def set_help(self, text: str) -> None:
        self.query_one(".passages-help", Label).update(text)

    def action_close(self) -> None:
        self.dismiss(None)


class TagView(_PassageScreen):
    """Every passage with one tag across all articles; `t` changes the tag, `o` the order."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("t", "next_tag", "Next tag"),
        Binding("o", "sort", "Sort by article/date"),
        Binding("enter", "pick", "Jump", show=False),
    ]
    heading = "Passages by tag"

    def __init__(
        self, annotations: list[Annotation], corpus: Corpus, tags: list[Tag], tag: str | None = None
    ) -> None:
        super().__init__()
        self.annotations = annotations
        self.corpus = corpus
        self.tags = tags
        self.tag = tag or (tags[0].name if tags else "")
        self.sort_key = "article"
        self.rows: list[Annotation] = []

    def on_mount(self) -> None:
        self.rebuild()
        self.options.focus()

    def rebuild(self) -> None:
        rows = [a for a in self.annotations if a.tag == self.tag]
        if self.sort_key == "date":

            def date_of(a: Annotation) -> str:
                article = self.corpus.get(a.article_id)
                return (article.date if article and article.date else "9999") + a.article_id

            rows.sort(key=lambda a: (date_of(a), a.start))
        else:
            rows.sort(key=lambda a: (a.article_id, a.start))
        self.rows = rows
        colour = colour_of(self.tag, self.tags)
        options = []
        for index, item in enumerate(rows):
            article = self.corpus.get(item.article_id)
            text = Text()
            text.append(
                untrusted.line(article.display_title if article else item.article_id, 70),
                style="bold",
            )
            if article and article.date:
                text.append("  " + untrusted.line(article.date, 40), style="dim")
            if item.orphaned:
                text.append("  ORPHANED", style="bold red")
            text.append("\n" + quoted(untrusted.line(item.quote, QUOTE_CHARS)))
            if item.note:
                text.append("\nnote: " + untrusted.line(item.note, QUOTE_CHARS), style="italic")
            options.append(Option(text, id=str(index)))
        self.options.set_options(
            options or [Option(Text("No passages with this tag.", style="dim"), disabled=True)]
        )
        self.options.highlighted = 0 if rows else None
        heading = Text("■ ", style=f"bold {colour}")
        heading.append(untrusted.line(self.tag, 60))
        heading.append(f": {count(len(rows), 'passage')}, sorted by {self.sort_key}")
        self.query_one(".passages-heading", Label).update(heading)
        self.set_help("enter jump there · t next tag · o sort by article/date · escape close")

    def action_next_tag(self) -> None:
        names = [t.name for t in self.tags]
        if names:
            self.tag = (
                names[(names.index(self.tag) + 1) % len(names)] if self.tag in names else names[0]
            )
            self.rebuild()

    def action_sort(self) -> None:
        self.sort_key = "date" if self.sort_key == "article" else "article"
        self.rebuild()

    def action_pick(self) -> None:
        self.options.action_select()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self.rows[int(event.option.id or 0)]
        self.dismiss(Target(item.article_id, item.start, item.end, item.id))


class OrphanList(_PassageScreen):
    """Annotations whose text could not be found again: re-attach (`enter`) or delete (`x`)."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("x", "delete", "Delete orphan"),
    ]
    heading = "Orphaned annotations"

    def __init__(
        self, orphans: list[Annotation], corpus: Corpus, missing: frozenset[str] = frozenset()
    ) -> None:
        super().__init__()
        self.orphans = orphans
        self.corpus = corpus
        #: the articles whose file is gone (the app looked: a screen touches no file)
        self.missing = missing

    def on_mount(self) -> None:
        options = []
        for index, item in enumerate(self.orphans):
            article = self.corpus.get(item.article_id)
            text = Text()
            text.append(untrusted.line(item.tag, 60) + "  ", style="bold")
            text.append(untrusted.line(article.display_title if article else item.article_id, 70))
            if article is None or item.article_id in self.missing:
                text.append("  (its file is missing: x deletes, or put the file back)", style="red")
            text.append("\n" + quoted(untrusted.line(item.quote, QUOTE_CHARS)))
            if item.note:
                text.append("\nnote: " + untrusted.line(item.note, QUOTE_CHARS), style="italic")
            options.append(Option(text, id=str(index)))
        self.options.set_options(
            options or [Option(Text("No orphaned annotations.", style="dim"), disabled=True)]
        )
        self.set_help("enter re-attach to a new selection · x delete · escape close")
        self.options.highlighted = 0 if self.orphans else None
        self.options.focus()

    def _current(self) -> Annotation | None:
        index = self.options.highlighted
        if index is None or not self.orphans:
            return None
        return self.orphans[index]

    def action_delete(self) -> None:
        item = self._current()
        if item is not None:
            self.dismiss(Target(item.article_id, item.start, item.end, item.id, "delete"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self._current()
        if item is None:
            return
        article = self.corpus.get(item.article_id)
        if article is None or not article.path.exists():
            self.notify(
                "Its article file is missing from the folder: put it back to re-attach, "
                "or press x to delete the annotation",
                severity="warning",
            )
            return
        self.dismiss(Target(item.article_id, item.start, item.end, item.id, "reattach"))


class CorpusSearch(_PassageScreen):
    """Search every article (case- and accent-insensitive); `enter` opens the article there.

    The search (the app's `SearchService`) reads the files, in threads: each keystroke starts a
    query and gives up the one before; the index is brought up to date while the screen is
    open (searching meanwhile gives the same hits, only slower)."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("down", "to_results", "Results", show=False),
    ]
    heading = "Search all articles"
    help_text = "type to search · down/enter to the results · enter open · escape close"

    def __init__(self, corpus: Corpus, search: SearchService, query: str = "") -> None:
        super().__init__()
        self.corpus = corpus
        self.searcher = search
        self.query_text = query
        self.hits: list[Hit] = []
        #: The number of the latest query: only its hits are shown.
        self.generation = 0

    def compose_top(self) -> ComposeResult:
        yield SafeInput(
            self.query_text,
            placeholder="words to find (case and accents ignored)",
            classes="passages-input",
        )

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.set_help(self.help_text)
        self.run_index()
        if self.query_text:
            self.run_search(self.query_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_to_results()

    def action_to_results(self) -> None:
        if self.hits:
            self.options.focus()

    def run_search(self, query: str) -> None:
        self.generation += 1
        self._search(self.generation, query)

    @work(exclusive=True, thread=True, group="search")
    def _search(self, generation: int, query: str) -> None:
        worker = get_current_worker()
        try:
            hits = self.searcher.search(query, cancelled=lambda: worker.is_cancelled)
        except SearchCancelled:
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_hits, query, hits, generation)

    @work(exclusive=True, thread=True, group="index")
    def run_index(self) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.show_indexing, done, total)

        self.searcher.refresh(cancelled=lambda: worker.is_cancelled, progress=progress)
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_indexing, None, None)

    def show_indexing(self, done: int | None, total: int | None) -> None:
        if done is None or total is None or done >= total:
            self.set_help(self.help_text)
        else:
            self.set_help(f"{self.help_text} · indexing {done}/{total} articles…")

    def show_hits(self, query: str, hits: list[Hit], generation: int | None = None) -> None:
        if generation is not None and generation != self.generation:
            return  # a later query was asked meanwhile
        self.hits = hits
        options = []
        for index, hit in enumerate(hits):
            article = self.corpus.get(hit.article_id)
            text = Text()
            text.append(
                untrusted.line(article.display_title if article else hit.article_id, 70),
                style="bold",
            )
            text.append(f"  at character {hit.start:,}\n", style="dim")
            text.append("…" + untrusted.line(hit.before, 60))
            text.append(untrusted.line(hit.match, 80), style="bold reverse")
            text.append(untrusted.line(hit.after, 60) + "…")
            options.append(Option(text, id=str(index)))
        if not options:
            message = "No matches." if query.strip() else "Type to search."
            options = [Option(Text(message, style="dim"), disabled=True)]
        self.options.set_options(options)
        self.options.highlighted = 0 if hits else None
        articles = len({h.article_id for h in hits})
        label = (
            f"{count(len(hits), 'match')} in {count(articles, 'article')}"
            if hits
            else "Search all articles"
        )
        self.query_one(".passages-heading", Label).update(label)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self.hits[int(event.option.id or 0)]
        self.dismiss(Target(hit.article_id, hit.start, hit.end))

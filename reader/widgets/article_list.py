"""The article list: title, outlet, date and per-tag counts; sortable; opens articles."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.articles import Article
from reader.tags import Tag

SORTS = ("file", "date", "title")


def _printable(text: str) -> str:
    """Metadata is untrusted too: no control characters reach the terminal."""
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in text)


class ArticleList(OptionList):
    """The articles of the corpus, one option each; `enter` asks the app to open one."""

    BINDINGS = [
        Binding("enter", "select", "Open", tooltip="Open the highlighted article in a new pane"),
        Binding("o", "cycle_sort", "Sort", tooltip="Sort by file name, date or title"),
        Binding("t", "cycle_filter", "Filter tag", tooltip="Show only articles having a tag"),
        Binding(
            "slash",
            "app.search_all",
            "Search",
            key_display="/",
            tooltip="Search every article (case and accents ignored)",
        ),
    ]

    @dataclass
    class Open(Message):
        """The user wants the article ``article_id`` opened."""

        article_list: ArticleList
        article_id: str

        @property
        def control(self) -> ArticleList:
            return self.article_list

    def __init__(
        self,
        articles: list[Article],
        tags: list[Tag],
        counts: dict[str, dict[str, int]] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.articles = list(articles)
        self.tags = list(tags)
        self.counts: dict[str, dict[str, int]] = counts or {}
        self.sort_key = "file"
        self.tag_filter: str | None = None
        self.border_title = "Articles"

    def on_mount(self) -> None:
        self.rebuild()

    def set_counts(self, counts: dict[str, dict[str, int]]) -> None:
        self.counts = counts
        self.rebuild()

    def visible_articles(self) -> list[Article]:
        items = list(self.articles)
        if self.tag_filter:
            name = self.tag_filter
            items = [a for a in items if self.counts.get(a.id, {}).get(name, 0)]
        if self.sort_key == "date":
            items.sort(key=lambda a: (a.date is None, a.date or "", a.file))
        elif self.sort_key == "title":
            items.sort(key=lambda a: (a.display_title.casefold(), a.file))
        else:
            items.sort(key=lambda a: a.file)
        return items

    def rebuild(self) -> None:
        keep = self.highlighted_id
        options = [Option(self._prompt(a), id=a.id) for a in self.visible_articles()]
        with_dividers: list[Option | None] = []
        for option in options:
            if with_dividers:
                with_dividers.append(None)  # a rule between articles
            with_dividers.append(option)
        self.set_options(with_dividers)
        self.border_subtitle = self._subtitle()
        if not options:
            return
        index = 0
        if keep is not None:
            try:
                index = self.get_option_index(keep)
            except Exception:  # noqa: BLE001 - the article is filtered out now
                index = 0
        self.highlighted = index

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        return self.get_option_at_index(self.highlighted).id

    def _subtitle(self) -> str:
        parts = [f"sort: {self.sort_key}"]
        if self.tag_filter:
            parts.append(f"tag: {self.tag_filter}")
        return " · ".join(parts)

    def _prompt(self, article: Article) -> Text:
        text = Text(no_wrap=False, overflow="fold")
        text.append(_printable(article.display_title), style="bold")
        if article.error:
            text.append("\n")
            text.append(f"cannot open: {_printable(article.error)}", style="red")
            return text
        details = " · ".join(_printable(x) for x in (article.outlet, article.date) if x)
        text.append("\n")
        if details:
            text.append(details + "  ", style="dim")
        per_tag = self.counts.get(article.id, {})
        for tag in self.tags:
            count = per_tag.get(tag.name, 0)
            style = f"bold {tag.colour}" if count else "dim"
            text.append("■", style=style)
            text.append(f"{count} ", style=style if count else "dim")
        return text

    def action_cycle_sort(self) -> None:
        self.sort_key = SORTS[(SORTS.index(self.sort_key) + 1) % len(SORTS)]
        self.rebuild()
        self.notify(f"Articles sorted by {self.sort_key}", timeout=2)

    def action_cycle_filter(self) -> None:
        names = [None, *[t.name for t in self.tags]]
        self.tag_filter = names[(names.index(self.tag_filter) + 1) % len(names)]
        self.rebuild()
        label = self.tag_filter or "all articles"
        self.notify(f"Showing {label}", timeout=2)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Open(self, event.option.id))

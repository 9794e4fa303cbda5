"""The article list: title, outlet, date and per-tag counts; sortable; opens articles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from reader.corpus.articles import Article
from reader.model import Tag
from reader.tags import checked_colour
from reader.text import untrusted
from reader.tui.widgets.entry_list import EntryList

SORTS = ("file", "date", "title")
#: Rows a title may take in an entry that is not highlighted (the highlighted one shows all).
TITLE_ROWS = 2


def _printable_and_cells(text: str) -> tuple[str, int]:
    """The title as the door shows it (`untrusted.line`) and its width in cells: most titles
    are shown as they are, a cell a character (`display.shown_as_is`); others are made safe
    and measured."""
    from reader.text.display import shown_as_is

    if shown_as_is(text):
        return text, len(text)
    shown = untrusted.line(text)
    return shown, cell_len(shown)


class ArticleList(EntryList):
    """The articles of the corpus, one entry each (title; outlet and date; counts per tag), the
    highlighted one unfolded; `enter` asks the app to open one."""

    RULE = True

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
        #: article id -> its title, printable, and the title's width in cells
        self._titles: dict[str, tuple[str, int]] = {}

    def on_mount(self) -> None:
        self.rebuild()

    def set_tags(self, tags: list[Tag]) -> None:
        """The tag set changed (a tag was added): the counts and the filter name it."""
        if list(tags) != self.tags:
            self.tags = list(tags)
            if self.is_mounted:
                self.rebuild()

    def set_counts(
        self, counts: dict[str, dict[str, int]], changed: Iterable[str] | None = None
    ) -> None:
        """New counts per article and tag (those of the articles ``changed`` only, if given)."""
        self.counts = counts
        self.redraw(changed)
        if self.tag_filter is not None:
            self.rebuild()  # which articles have the tag may have changed

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
        self.set_items(self.visible_articles(), keep=self.highlighted_id)
        self.border_subtitle = self._subtitle()

    def item_id(self, item: Article) -> str:
        return item.id

    def item_height(self, item: Article, width: int) -> int:
        title = self.folded_rows(self._title(item)[1], TITLE_ROWS, width)
        if item.error:
            return title + 1
        return title + (2 if item.outlet or item.date else 1)

    def _title(self, item: Article) -> tuple[str, int]:
        found = self._titles.get(item.id)
        if found is None:
            found = self._titles[item.id] = _printable_and_cells(item.display_title)
        return found

    def item_lines(self, item: Article) -> list[Text | tuple[Text, int]]:
        lines: list[Text | tuple[Text, int]] = [
            (Text(self._title(item)[0], style="bold"), TITLE_ROWS)
        ]
        if item.error:
            lines.append(untrusted.text(f"cannot open: {item.error}", style="red"))
            return lines
        # the date first: a long outlet is cut at the width, and the date must not go with it
        details = untrusted.line(" · ".join(x for x in (item.date, item.outlet) if x))
        if details:
            lines.append(Text(details, style="dim"))
        lines.append(self._counts(item))
        return lines

    def _counts(self, item: Article) -> Text:
        """A square and a count per tag, each on the list's own background: on the
        highlighted entry they keep their colours (the highlight is often a tag's blue)."""
        plain = self.rich_style.bgcolor
        counts = Text()
        per_tag = self.counts.get(item.id, {})
        for tag in self.tags:
            count = per_tag.get(tag.name, 0)
            if count:
                style = Style(bold=True, color=checked_colour(tag.colour), bgcolor=plain)
            else:
                style = Style(dim=True)
            counts.append(f"■{count}", style=style)
            counts.append(" ")
        return counts

    def _subtitle(self) -> Text:
        parts = [f"sort: {self.sort_key}"]
        if self.tag_filter:
            parts.append(f"tag: {self.tag_filter}")
        return untrusted.text(" · ".join(parts), limit=60)

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

    def on_entry_list_selected(self, event: EntryList.Selected) -> None:
        event.stop()
        if event.item_id is not None:
            self.post_message(self.Open(self, event.item_id))

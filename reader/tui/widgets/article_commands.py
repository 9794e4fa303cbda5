"""The command palette's "Open: <title>" commands, one per article that opens.

Titles and file names are untrusted, and Textual reads a system command's title and help as
markup (a title holding ``[@click=...]`` became a clickable action). Here a hit's title is a
``Content`` made by `reader.text.untrusted`, matched and highlighted on that same text, and its help
line (which Textual reads only as markup) is escaped by the door.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.command import Hit, Hits, Provider
from textual.content import Content

from reader.text import untrusted

if TYPE_CHECKING:
    from reader.corpus.articles import Article

#: Characters of a title shown in the palette.
TITLE_CHARS = 120


class ArticleCommands(Provider):
    """Open any article of the corpus from the command palette (found by typing part of its
    title; not listed before anything is typed, as a corpus may hold thousands)."""

    def _articles(self) -> list[tuple[str, str, str]]:
        """(article id, title as shown, help as markup) of every article that opens."""
        app: Any = self.app
        found = []
        for article in app.corpus:
            if article.ok:
                found.append((article.id, "Open: " + _title(article), _help(article)))
        return found

    def _open(self, article_id: str) -> None:
        app: Any = self.app
        app.run_worker(app.open_article(article_id))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for article_id, title, help_markup in self._articles():
            score, offsets = matcher.fuzzy_search.match(query, title)
            if score <= 0:
                continue
            shown = Content(title)
            for offset in offsets:
                if not title[offset].isspace():
                    shown = shown.stylize(matcher.match_style, offset, offset + 1)
            yield Hit(
                score, shown, lambda a=article_id: self._open(a), text=title, help=help_markup
            )


def _title(article: Article) -> str:
    return untrusted.line(article.display_title, TITLE_CHARS)


def _help(article: Article) -> str:
    return untrusted.markup(f"Open {article.file} in a reading pane")

"""What the screen shows of the annotations: highlights in the panes, counts in the list, the
panel, the legend. It draws the `Update`s the annotations service announces.

Highlights are made once per annotation (and theme) and reused: an unchanged annotation keeps
its `Highlight`, so the pane can tell what it already drew.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from reader.model import Annotation
from reader.tags import checked_colour
from reader.text import untrusted
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.reading_pane import Highlight, ReadingPane

if TYPE_CHECKING:
    from reader.services.annotations import Update
    from reader.tui.app import ReaderApp


class Shown:
    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        self.annotations = app.annotations
        #: annotation id -> (the annotation, theme, its Highlight): unchanged ones are reused
        self._highlights: dict[str, tuple[Annotation, str, Highlight]] = {}

    # -- an update from the service -------------------------------------------------------------
    def update(self, update: Update) -> None:
        """Draw what changed of one article (every article, when another program wrote)."""
        app = self.app
        if update.everything:
            self.tags_changed()
            app.query_one(ArticleList).set_counts(self.annotations.counts())
        elif update.counts_changed:
            app.query_one(ArticleList).set_counts(self.annotations.counts(), [update.article_id])
        for pane in app.panes:
            if update.everything and pane.article_id != update.article_id:
                self.draw(pane)
                continue
            if pane.article_id != update.article_id:
                continue
            if update.changed is not None:
                try:
                    self._change(pane, update)
                    continue
                except ValueError:  # the pane did not draw what was expected: draw all again
                    pass
            self.draw(pane, update.annotations)
        active = app.active_pane
        if active is not None and active.article_id == update.article_id:
            panel = app.query_one(AnnotationPanel)
            if update.changed is not None and panel.article_id == update.article_id:
                panel.change(update.removed, update.added)
            else:
                self.panel(update.article_id, update.annotations)
        elif update.everything and active is not None:
            self.panel(active.article_id)

    def everything(self) -> None:
        """Draw everything again (another program wrote: counts, panes, panel, tags)."""
        app = self.app
        self.tags_changed()
        app.query_one(ArticleList).set_counts(self.annotations.counts())
        for pane in app.panes:
            self.draw(pane)
        if app.active_pane is not None:
            self.panel(app.active_pane.article_id)

    def tags_changed(self) -> None:
        """Give the widgets that name tags the tag set as it is now."""
        app = self.app
        tags = list(self.annotations.tags)
        app.query_one(ArticleList).set_tags(tags)
        app.query_one(AnnotationPanel).set_tags(tags, self.annotations.tags.keys_phrase())
        for pane in app.panes:
            pane.set_tags(self.tag_names())
        app.tags_changed()

    def tag_names(self) -> dict[str, str]:
        """Tag key -> tag name, for the pane's tag keys."""
        tags = self.annotations.tags
        return {key: tag.name for key in tags.keys if (tag := tags.for_key(key))}

    # -- drawing ---------------------------------------------------------------------------------
    def draw(self, pane: ReadingPane, annotations: list[Annotation] | None = None) -> None:
        """Give ``pane`` the highlights of all its article's annotations."""
        if annotations is None:
            annotations = self.app.guarded(self.annotations.annotations_of, pane.article_id) or []
        spans = []
        made, theme = self._highlights, self.app.theme
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

    def _change(self, pane: ReadingPane, update: Update) -> None:
        """Redraw only the annotations the update names (just written by this app)."""
        made, theme = self._highlights, self.app.theme
        now_by_id = {a.id: a for a in update.added}
        added, removed = [], []
        for ident in update.changed or ():
            old = made.pop(ident, None)
            if old is not None:
                removed.append(old[2])
            now = now_by_id.get(ident)
            if now is not None and not now.orphaned:
                made[ident] = (now, theme, self._highlight(now))
                added.append(made[ident][2])
        pane.change_highlights(added, removed)

    def _highlight(self, a: Annotation) -> Highlight:
        return Highlight(a.start, a.end, a.tag, self.tag_colour(a.tag), a.id)

    def panel(self, article_id: str, annotations: list[Annotation] | None = None) -> None:
        article = self.app.corpus.get(article_id)
        title = article.display_title if article else article_id
        if annotations is None:
            annotations = self.app.guarded(self.annotations.annotations_of, article_id) or []
        self.app.query_one(AnnotationPanel).show(article_id, title, annotations)

    def tag_colour(self, name: str) -> str:
        """The tag's colour ('#rrggbb'); the pane blends it into its theme (pane_lines.Tints)."""
        return checked_colour(self.annotations.tags.colour_of(name))

    def legend(self) -> Text:
        text = Text()
        tags = self.annotations.tags
        for tag in tags:
            text.append(" ■ ", style=f"bold {tags.colour_of(tag.name)}")
            text.append(untrusted.line(f"{tag.key} {tag.name}", 32))
        return text

"""The annotations of the focused article: tag, quote and note in text order; filter; jump."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from operator import attrgetter

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from reader.model import Annotation, Tag
from reader.tags import colour_of
from reader.text import untrusted
from reader.text.wording import quoted
from reader.tui.widgets.entry_list import EntryList

#: Annotations in text order, as the store lists them (a C-level key; the id makes it total,
#: so that a change put in place by bisection lands where a fresh sort would put it).
_TEXT_ORDER = attrgetter("start", "end", "created", "id")
QUOTE_CHARS = 160
#: Annotations looked at, back from the cursor, for one that holds it (`follow`).
FOLLOW_LOOKBACK = 64
#: Rows a quote may take in an entry that is not highlighted (the highlighted one shows all).
QUOTE_ROWS = 2
#: Quotes as shown, kept at most (every annotation of one article is measured when shown).
QUOTE_CACHE = 50_000


def _find(items: list[Annotation], item: Annotation) -> int | None:
    """The index of the annotation with ``item``'s id in ``items`` (sorted in text order),
    looked for where ``item`` (its version in the list) sorts."""
    at = bisect_left(items, _TEXT_ORDER(item), key=_TEXT_ORDER)
    return at if at < len(items) and items[at].id == item.id else None


def _drop(items: list[Annotation], item: Annotation) -> None:
    at = _find(items, item)
    if at is not None:
        del items[at]


class AnnotationPanel(EntryList):
    """Lists one article's annotations (tag and offsets; quote; note), the highlighted one
    unfolded in full; `enter` asks the app to jump to the passage."""

    BINDINGS = [
        Binding("enter", "select", "Jump", tooltip="Jump to the passage in its pane"),
        Binding("f", "cycle_filter", "Filter", tooltip="Show one tag only, or all"),
    ]

    @dataclass
    class Jump(Message):
        panel: AnnotationPanel
        article_id: str
        annotation_id: str

        @property
        def control(self) -> AnnotationPanel:
            return self.panel

    def __init__(self, tags: list[Tag], keys: str = "1, 2 or 3", **kwargs) -> None:
        super().__init__(**kwargs)
        self.tags = list(tags)
        #: the tag keys as the empty panel's hint names them ("1, 2 or 3")
        self.keys = keys
        self.article_id: str | None = None
        self.article_title = ""
        self.annotations: list[Annotation] = []
        self.tag_filter: str | None = None
        self.border_title = "Annotations"
        self.count_text = "0"  # how many shown (of how many, when filtered)
        self._subtitle = ""
        self._quotes: dict[tuple[str, str], tuple[str, int]] = {}  # (id, quote) -> shown, cells

    def set_tags(self, tags: list[Tag], keys: str) -> None:
        """The tag set changed (a tag was added): colours, the filter and the hint follow."""
        if (list(tags), keys) != (self.tags, self.keys):
            self.tags, self.keys = list(tags), keys
            if self.is_mounted:
                self.rebuild()

    def show(self, article_id: str | None, title: str, annotations: list[Annotation]) -> None:
        self.article_id = article_id
        self.article_title = title
        self.annotations = sorted(annotations, key=_TEXT_ORDER)
        self.rebuild()

    def change(self, removed: list[Annotation], added: list[Annotation]) -> None:
        """The article shown lost ``removed`` (as they were) and gained ``added`` (a retag or a
        note is both): each put in its place by bisection and only it measured, so a tag
        costs the same with 5,000 annotations as with none."""
        if not self.items or any(_find(self.annotations, old) is None for old in removed):
            gone = {old.id for old in removed}  # not as listed: put together afresh
            kept = [a for a in self.annotations if a.id not in gone]
            self.show(self.article_id, self.article_title, kept + added)
            return
        for old in removed:
            _drop(self.annotations, old)
            at = _find(self.items, old) if self._shown(old) else None
            if at is not None:
                self.splice(at, 1, ())
        for new in added:
            insort(self.annotations, new, key=_TEXT_ORDER)
            if self._shown(new):
                self.splice(bisect_right(self.items, _TEXT_ORDER(new), key=_TEXT_ORDER), 0, (new,))
        if not self.items:  # the placeholder says why the list is empty
            self.rebuild()
        else:
            self._count()

    def _shown(self, item: Annotation) -> bool:
        return self.tag_filter is None or item.tag == self.tag_filter

    def shown_annotations(self) -> list[Annotation]:
        if self.tag_filter is None:
            return self.annotations
        return [a for a in self.annotations if a.tag == self.tag_filter]

    def rebuild(self) -> None:
        items = self.shown_annotations()
        if not items:
            message = (
                "No article focused."
                if self.article_id is None
                else (
                    f"No annotations yet: select text (v, s, p) and press {self.keys}."
                    if not self.annotations
                    else f"No '{untrusted.line(self.tag_filter, 40)}' annotations here "
                    "(f: change filter)."
                )
            )
            self.placeholder = Text(message, style="dim italic")
        self.set_items(items, keep=self.highlighted_id)
        self._count()

    def _count(self) -> None:
        shown = len(self.items)
        # the count is on the status line: a border text that changed on every tag would redraw
        # the whole panel (~5 ms a tag)
        self.count_text = f"{shown}/{len(self.annotations)}" if self.tag_filter else str(shown)
        subtitle = untrusted.line(f"filter: {self.tag_filter or 'all'}", 50)
        if self._subtitle != subtitle:  # a new border text redraws the panel
            self._subtitle = subtitle
            self.border_subtitle = Text(subtitle)

    def follow(self, offset: int) -> None:
        """Highlight the annotation the cursor is in (of several, the one that starts last), or
        else the last one before the cursor: the panel follows the reading."""
        items = self.items
        if not items:
            return
        at = bisect_right(items, offset, key=attrgetter("start")) - 1
        if at < 0:
            self.highlighted = 0
            return
        for k in range(at, max(-1, at - FOLLOW_LOOKBACK), -1):  # overlapping: look back a little
            if items[k].start <= offset < items[k].end:
                at = k
                break
        self.highlighted = at

    def highlight_annotation(self, annotation_id: str) -> None:
        index = self.index_of(annotation_id)
        if index is not None:
            self.highlighted = index

    def item_id(self, item: Annotation) -> str:
        return item.id

    def item_height(self, item: Annotation, width: int) -> int:
        quote, cells = self._quote(item)
        rows = 1 if cells <= width else QUOTE_ROWS
        if item.note:
            rows += 1 if cell_len(self._note(item).plain) <= width else QUOTE_ROWS
        return 1 + rows

    def _quote(self, item: Annotation) -> tuple[str, int]:
        """The quote as shown (one line, control characters visible, at most QUOTE_CHARS) and
        its width in cells; measured once per annotation, as a tag refreshes the whole panel."""
        key = (item.id, item.quote)
        found = self._quotes.get(key)
        if found is None:
            quote = untrusted.line(item.quote[: QUOTE_CHARS + 1], QUOTE_CHARS)
            quote = quoted(quote)
            if len(self._quotes) >= QUOTE_CACHE:
                self._quotes.clear()
            found = self._quotes[key] = (quote, cell_len(quote))
        return found

    def item_lines(self, item: Annotation) -> list[Text | tuple[Text, int]]:
        colour = colour_of(item.tag, self.tags)
        head = Text()
        head.append("■ ", style=f"bold {colour}")
        head.append(untrusted.line(item.tag, 60), style=f"bold {colour}")
        head.append(f"  chars {item.start:,}–{item.end:,}", style="dim")
        if item.orphaned:
            head.append("  ORPHANED", style="bold red")
        elif item.review:
            head.append("  review", style="bold yellow")
        lines: list[Text | tuple[Text, int]] = [head, (Text(self._quote(item)[0]), QUOTE_ROWS)]
        if item.note:  # as many rows as the quote may take: a note is read, not glanced at
            lines.append((self._note(item), QUOTE_ROWS))
        return lines

    def _note(self, item: Annotation) -> Text:
        note = Text("note: ", style="italic dim")
        note.append(untrusted.line(item.note or ""), style="italic")
        return note

    def action_cycle_filter(self) -> None:
        names = [None, *[t.name for t in self.tags]]
        current = self.tag_filter if self.tag_filter in names else None
        self.tag_filter = names[(names.index(current) + 1) % len(names)]
        self.rebuild()

    def on_entry_list_selected(self, event: EntryList.Selected) -> None:
        event.stop()
        if event.item_id is not None and self.article_id is not None:
            self.post_message(self.Jump(self, self.article_id, event.item_id))

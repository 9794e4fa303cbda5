"""The annotations of the focused article: tag, quote and note in text order; filter; jump."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.store import Annotation
from reader.tags import Tag, colour_of

QUOTE_CHARS = 160


def _clean(text: str) -> str:
    """Quotes and notes are untrusted: newlines folded, control characters made visible."""
    out = []
    for ch in text:
        if ch in "\n\r\t":
            out.append(" ")
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            out.append("\ufffd")
    return "".join(out)


class AnnotationPanel(OptionList):
    """Lists one article's annotations; `enter` asks the app to jump to the passage."""

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

    def __init__(self, tags: list[Tag], **kwargs) -> None:
        super().__init__(**kwargs)
        self.tags = list(tags)
        self.article_id: str | None = None
        self.article_title = ""
        self.annotations: list[Annotation] = []
        self.tag_filter: str | None = None
        self.border_title = "Annotations"

    def show(self, article_id: str | None, title: str, annotations: list[Annotation]) -> None:
        self.article_id = article_id
        self.article_title = title
        self.annotations = sorted(annotations, key=lambda a: (a.start, a.end, a.created))
        self.rebuild()

    def shown_annotations(self) -> list[Annotation]:
        if self.tag_filter is None:
            return self.annotations
        return [a for a in self.annotations if a.tag == self.tag_filter]

    def rebuild(self) -> None:
        keep = None
        if self.highlighted is not None and self.option_count:
            keep = self.get_option_at_index(self.highlighted).id
        items = self.shown_annotations()
        if not items:
            message = (
                "No article focused."
                if self.article_id is None
                else (
                    "No annotations yet: select text (v, s, p) and press 1, 2 or 3."
                    if not self.annotations
                    else f"No '{self.tag_filter}' annotations here (f: change filter)."
                )
            )
            self.set_options([Option(Text(message, style="dim italic"), disabled=True)])
        else:
            self.set_options([Option(self._prompt(a), id=a.id) for a in items])
            index = 0
            for i, item in enumerate(items):
                if item.id == keep:
                    index = i
            self.highlighted = index
        shown = f"{len(items)}/{len(self.annotations)}" if self.tag_filter else str(len(items))
        self.border_subtitle = f"{shown} · filter: {self.tag_filter or 'all'}"

    def highlight_annotation(self, annotation_id: str) -> None:
        for i, item in enumerate(self.shown_annotations()):
            if item.id == annotation_id:
                self.highlighted = i
                return

    def _prompt(self, item: Annotation) -> Text:
        colour = colour_of(item.tag, self.tags)
        text = Text(overflow="fold")
        text.append("■ ", style=f"bold {colour}")
        text.append(item.tag, style=f"bold {colour}")
        text.append(f"  {item.start}–{item.end}", style="dim")
        if item.orphaned:
            text.append("  ORPHANED", style="bold red")
        elif item.review:
            text.append("  review", style="bold yellow")
        quote = _clean(item.quote)
        if len(quote) > QUOTE_CHARS:
            quote = quote[: QUOTE_CHARS - 1] + "…"
        text.append("\n“" + quote + "”")
        if item.note:
            text.append("\nnote: ", style="italic dim")
            text.append(_clean(item.note), style="italic")
        return text

    def action_cycle_filter(self) -> None:
        names = [None, *[t.name for t in self.tags]]
        current = self.tag_filter if self.tag_filter in names else None
        self.tag_filter = names[(names.index(current) + 1) % len(names)]
        self.rebuild()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None and self.article_id is not None:
            self.post_message(self.Jump(self, self.article_id, event.option.id))

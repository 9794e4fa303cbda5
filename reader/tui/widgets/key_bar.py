"""KeyBar: the keys that work now, on one line at the bottom (in place of Textual's Footer).

Textual's Footer is a grid of one widget per key, composed again whenever the focus moves:
about 25 ms at start-up and again each time an article is opened. This is a single line of
text redrawn in place (no layout), showing the same thing: the active bindings marked to be
shown, one per action, disabled ones dimmed, the command palette key on the right. A click on a
key presses it. The line is made when the bar is drawn: a focus change, a resize and a change
of bindings in one frame make it once.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget

from reader.text import untrusted


class KeyBar(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def keys(self) -> list[tuple[str, str, str, bool]]:
        """(key, key as shown, description, enabled) of what the bar shows, left to right."""
        shown: dict[str, tuple[str, str, str, bool]] = {}
        for key, (node, binding, enabled, _tip) in self.screen.active_bindings.items():
            if binding.show and binding.action not in shown:
                display = self.app.get_key_display(binding)
                # a widget whose keys depend on data (the pane's tag keys) words them itself
                describe = getattr(node, "describe_binding", None)
                description = describe(binding) if describe else binding.description
                shown[binding.action] = (key, display, description, enabled)
        return list(shown.values())

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        text_style = self.get_component_rich_style("key-bar--description", partial=True)
        app = self.app
        palette = (
            app.ENABLE_COMMAND_PALETTE
            and app.COMMAND_PALETTE_BINDING in self.screen.active_bindings
        )
        # descriptions name tags, which are data
        items = [
            (key, untrusted.line(display, 12), untrusted.line(description, 40), enabled)
            for key, display, description, enabled in self.keys()
        ]
        width = self.size.width
        tail = cell_len(PALETTE) if palette else 0
        kept = fit(items, width - tail)
        line = Text(no_wrap=True, overflow="ellipsis")
        for key, display, description, enabled in kept:
            style = Style(dim=not enabled, meta={"@click": f"app.simulate_key({key!r})"})
            line.append(f" {display} ", key_style + style)
            if description:
                line.append(f"{description} ", text_style + style)
        if palette:
            click = Style(meta={"@click": "app.command_palette"})
            gap = width - cell_len(line.plain) - tail
            line.append(" " * max(0, gap))
            line.append_text(
                Text.assemble((" ^p ", key_style + click), ("palette ", text_style + click))
            )
        return line


#: The command palette's key on the right of the bar.
PALETTE = " ^p palette "
#: Keys kept on the bar however narrow it is (what a newcomer needs to find the rest).
PINNED = frozenset({"?", "q"})
TAG_KEYS = frozenset("123456789")

Item = tuple[str, str, str, bool]


def _width(items: list[Item]) -> int:
    return sum(cell_len(d) + 2 + (cell_len(t) + 1 if t else 0) for _, d, t, _ in items)


def _tags_alike(items: list[Item]) -> list[Item]:
    """Once one tag key lost its name, all do (the legend names them): not "1  2  3 Demand"."""
    if any(d in TAG_KEYS and not t for _, d, t, _ in items):
        return [(k, d, "" if d in TAG_KEYS else t, e) for k, d, t, e in items]
    return items


def fit(items: list[Item], width: int) -> list[Item]:
    """The keys that fit ``width`` cells. As they are if they fit; else, longest first, the
    descriptions cut to their first word, then to nothing (help and quit keep theirs); else
    as many keys as fit, from the left, the pinned ones always."""
    items = list(items)
    # the longest descriptions first; a tag key's (the tag's name) last
    order = sorted(range(len(items)), key=lambda i: (items[i][1] in TAG_KEYS, -len(items[i][2])))
    for shorten in (lambda t: t.split(" ")[0], lambda t: ""):
        for at in order:
            if _width(items) <= width:
                return _tags_alike(items)
            key, display, text, enabled = items[at]
            if display not in PINNED or shorten(text) != "":
                items[at] = (key, display, shorten(text), enabled)
    if _width(items) <= width:
        return _tags_alike(items)
    room = width - _width([item for item in items if item[1] in PINNED])
    kept: list[Item] = []
    for item in items:
        if item[1] in PINNED:
            kept.append(item)
        elif _width([item]) <= room:
            kept.append(item)
            room -= _width([item])
    return kept

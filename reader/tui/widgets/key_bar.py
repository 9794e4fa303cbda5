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
        line = Text(no_wrap=True, overflow="ellipsis")
        for key, display, description, enabled in self.keys():
            style = Style(dim=not enabled, meta={"@click": f"app.simulate_key({key!r})"})
            # descriptions name tags, which are data
            line.append(f" {untrusted.line(display, 12)} ", key_style + style)
            line.append(f"{untrusted.line(description, 40)} ", text_style + style)
        app = self.app
        if (
            app.ENABLE_COMMAND_PALETTE
            and app.COMMAND_PALETTE_BINDING in self.screen.active_bindings
        ):
            click = Style(meta={"@click": "app.command_palette"})
            tail = Text.assemble((" ^p ", key_style + click), ("palette ", text_style + click))
            gap = self.size.width - cell_len(line.plain) - cell_len(tail.plain)
            if gap > 0:
                line.append(" " * gap)
                line.append_text(tail)
        return line

"""The help screen: every key of every region, built from the bindings themselves."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.text import untrusted

#: Region name -> bindings, filled in by the app (so the help never drifts from the keys).
Sections = list[tuple[str, list[BindingType]]]


_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "greater_than_sign": ">",
    "less_than_sign": "<",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}


def _key_label(key: str) -> str:
    """How a key is written for people: `?` rather than `question_mark`."""
    return ", ".join(_NAMES.get(k.strip(), k.strip()) for k in key.split(","))


#: Cells of the key column.
KEY_WIDTH = 22


def bindings_table(title: str, bindings: list[BindingType]) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        show_header=False,
        expand=True,
        box=None,
        padding=(0, 2),
    )
    # the key column has one width in every section, so that the sections line up
    table.add_column("key", style="bold cyan", no_wrap=True, width=KEY_WIDTH)
    table.add_column("does", ratio=1)
    for item in bindings:
        if not isinstance(item, Binding):
            continue
        # descriptions name tags, which are data (a tag's key shows its name)
        text = untrusted.text(item.description or item.action, limit=80)
        tip = item.tooltip
        if tip and not tip.casefold().startswith(text.plain.casefold()):
            text.append("  " + untrusted.line(tip, 200), style="dim")
        elif tip:  # "Open" + "Open the highlighted article ...": say it once
            text = untrusted.text(tip, limit=200)
        table.add_row(untrusted.text(item.key_display or _key_label(item.key)), text)
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every key; `escape`, `q` or `?` closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close help"),
        Binding("question_mark", "close", "Close help", show=False),
        Binding("q", "close", "Close help", show=False),
    ]

    def __init__(self, sections: Sections, legend: Text) -> None:
        super().__init__()
        self.sections = sections
        self.legend = legend

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static(Text("reader: keys", style="bold"), id="help-title")
            yield Static(self.legend, id="help-legend")
            for title, bindings in self.sections:
                yield Static(bindings_table(title, bindings), classes="help-section")
            yield Static(Text("escape closes this screen", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)

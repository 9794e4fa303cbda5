"""A small modal editor for an annotation's note."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class NoteEditor(ModalScreen[str | None]):
    """Edit a note; `ctrl+s` saves (an empty note removes it), `escape` cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, note: str | None, heading: str) -> None:
        super().__init__()
        self.note = note or ""
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Label(self.heading, id="note-heading", markup=False)
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Label("ctrl+s save · escape cancel · an empty note removes it", id="note-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        self.dismiss(text.strip("\n"))

    def action_cancel(self) -> None:
        self.dismiss(None)

"""A small modal editor for an annotation's note.

Notes are untrusted (they arrive by import, or pasted from an article): a note holding
``ESC ] 0 ; ... ESC \\`` or ``ESC ] 52 ; ...`` would set the terminal's title or clipboard if a
``TextArea`` drew it as it is. The editor shows such characters as the door's placeholders
(`untrusted.for_editing`: '␛', '⇄', ... one character for one), keeps anything pasted in shown
the same way, and gives back the note's exact text where the user changed nothing
(`untrusted.edited`).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from reader import untrusted


class NoteEditor(ModalScreen[str | None]):
    """Edit a note; `ctrl+s` saves (an empty note removes it), `escape` cancels. Dismisses with
    the new text, or None when cancelled."""

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
            yield Label(untrusted.text(self.heading), id="note-heading", markup=False)
            yield TextArea(
                untrusted.for_editing(self.note),
                id="note-text",
                soft_wrap=True,
                show_line_numbers=False,
            )
            yield Label("ctrl+s save · escape cancel · an empty note removes it", id="note-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(TextArea.Changed)
    def _keep_shown_safe(self, event: TextArea.Changed) -> None:
        """Pasted text may hold control characters too: shown (and saved) as placeholders."""
        area = event.text_area
        if untrusted.for_editing(area.text) == area.text:
            return
        document = area.document
        for row in range(document.line_count):
            line = document.get_line(row)
            safe = untrusted.for_editing(line)
            for column, (old, new) in enumerate(zip(line, safe, strict=True)):
                if old != new:  # one character for one: the cursor stays where it was
                    area.replace(new, (row, column), (row, column + 1))

    def action_save(self) -> None:
        shown = self.query_one(TextArea).text
        text = untrusted.edited(self.note, shown)
        if text == self.note:
            self.dismiss(text)  # exactly as it was: nothing stripped
            return
        self.dismiss(text.strip("\n"))

    def action_cancel(self) -> None:
        self.dismiss(None)

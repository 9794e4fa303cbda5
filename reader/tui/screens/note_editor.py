"""A small modal editor for an annotation's note.

Notes are untrusted (they arrive by import, or pasted from an article): a note holding
``ESC ] 0 ; ... ESC \\`` or ``ESC ] 52 ; ...`` would set the terminal's title or clipboard if a
``TextArea`` drew it as it is. The editor shows such characters as the door's placeholders
(`untrusted.for_editing`: '␛', '⇄', ... one character for one) and gives back the note's exact
text where the user changed nothing (`untrusted.edited`); what is pasted in is made safe by the
app before it arrives (`ReaderApp.on_event`).

The editor saves through the function it is given and closes only once that succeeded: when
the database is busy or the note changed elsewhere, it stays open with the text and says why.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from reader.text import untrusted

HELP = "ctrl+s save · escape cancel (twice when you typed) · an empty note removes it"


class NoteEditor(ModalScreen[bool]):
    """Edit a note; `ctrl+s` saves (an empty note removes it), `escape` cancels. Dismisses with
    True once saved, False when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, note: str | None, heading: str, save: Callable[[str], str | None]) -> None:
        super().__init__()
        self.note = note or ""
        self.heading = heading
        self.save = save
        #: the text when escape last asked whether to discard it (None: not asked)
        self._asked_at: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Label(untrusted.text(self.heading), id="note-heading", markup=False)
            yield TextArea(
                untrusted.for_editing(self.note),
                id="note-text",
                soft_wrap=True,
                show_line_numbers=False,
            )
            yield Label(HELP, id="note-help", markup=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        shown = self.query_one(TextArea).text
        text = untrusted.edited(self.note, shown)
        problem = self.save(text if text == self.note else text.strip("\n"))
        if problem is None:
            self.dismiss(True)
            return
        help_line = self.query_one("#note-help", Label)
        help_line.update(untrusted.text(f"{problem} · {HELP}", style="bold red"))

    def action_cancel(self) -> None:
        """Close without saving; typed text is thrown away only on a second escape."""
        area = self.query_one(TextArea)
        typed = untrusted.edited(self.note, area.text) != self.note
        if typed and self._asked_at != area.text:
            self._asked_at = area.text  # asked about this text: escape again discards it
            self.query_one("#note-help", Label).update(
                Text("The note has changes: escape again discards them · ctrl+s saves", "bold")
            )
            return
        self.dismiss(False)

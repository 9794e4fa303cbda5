"""The screen reader starts on: Textual's, without layouts that change nothing."""

from __future__ import annotations

from textual.events import Resize, ScreenResume
from textual.geometry import Size
from textual.screen import Screen


class MainScreen(Screen[None]):
    """Textual's default screen, except that a resize to the size it was last laid out at is
    let go.

    A starting app receives its terminal's size twice (from the driver and from its own start)
    and passes both to the screen; when they reach it after its first layout, each one lays
    the whole screen out and draws it again (~10 ms each) for the same size. A real resize,
    or a layout that widgets ask for, goes on as before."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._laid_out: Size | None = None  # the size of its last full layout

    def on_screen_resume(self, event: ScreenResume) -> None:
        self._laid_out = self.app.size  # Textual lays the screen out at the app's size

    def on_resize(self, event: Resize) -> None:
        if event.size == self._laid_out:
            event.prevent_default()  # Screen's own handler would lay it all out again
        else:
            self._laid_out = event.size

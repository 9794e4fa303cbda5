"""What the reading pane tells the app: small dataclass messages, posted, never acted on by
the pane itself (it touches no file and no database). Reached as ``ReadingPane.Tagged`` and so
on; handled as ``on_reading_pane_tagged`` (their namespace) or with ``@on``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from reader.tui.widgets.reading_pane import ReadingPane

NAMESPACE = "reading_pane"


@dataclass
class Tagged(Message, namespace=NAMESPACE):
    """The user tagged ``body[start:end]`` with the tag bound to ``key``."""

    pane: ReadingPane
    article_id: str
    start: int
    end: int
    key: str

    @property
    def control(self) -> ReadingPane:
        return self.pane


@dataclass
class AnnotationAction(Message, namespace=NAMESPACE):
    """``action`` ("retag", "delete", "note") on an existing annotation."""

    pane: ReadingPane
    article_id: str
    annotation_id: str
    action: str
    key: str | None = None

    @property
    def control(self) -> ReadingPane:
        return self.pane


@dataclass
class Hint(Message, namespace=NAMESPACE):
    """A key did nothing; ``text`` says why (for the app to notify)."""

    pane: ReadingPane
    text: str

    @property
    def control(self) -> ReadingPane:
        return self.pane


@dataclass
class Dismissed(Message, namespace=NAMESPACE):
    """Escape with no selection: the user wants to leave the pane."""

    pane: ReadingPane

    @property
    def control(self) -> ReadingPane:
        return self.pane


@dataclass
class CursorMoved(Message, namespace=NAMESPACE):
    """The cursor or the selection changed."""

    pane: ReadingPane
    cursor: int
    selection: tuple[int, int] | None

    @property
    def control(self) -> ReadingPane:
        return self.pane

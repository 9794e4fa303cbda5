"""Undo and redo of annotation changes (tag, retag, delete, note). No Textual here.

Each change is recorded as the annotation before and after (None where it did not exist).
Undo writes the "before" state back through the store, redo the "after" state, so one history
serves every pane and survives switching between them.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.model import Annotation
from reader.store import Conflict, Store


@dataclass(frozen=True)
class Change:
    """One user action: what it was called and the annotation before and after it."""

    label: str
    before: Annotation | None
    after: Annotation | None

    @property
    def article_id(self) -> str:
        item = self.after or self.before
        assert item is not None
        return item.article_id


class History:
    def __init__(self, store: Store, limit: int = 500) -> None:
        self.store = store
        self.limit = limit
        self._undo: list[Change] = []
        self._redo: list[Change] = []

    def record(self, change: Change) -> None:
        self._undo.append(change)
        del self._undo[: -self.limit]
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> Change | None:
        """Put back the state before the last change; returns that change (None: nothing).

        Raises Conflict when the annotation changed since (another instance wrote): it is
        left as it is, and the change is dropped from the history (it cannot be undone).
        Another StoreError (the database busy) leaves the history as it was: try again."""
        if not self._undo:
            return None
        change = self._undo[-1]
        try:
            self.store.swap(change.after, change.before)
        except Conflict:
            self._undo.pop()  # it can never be undone now
            raise
        # any other StoreError (busy, a replaced file): the change stays, to try again
        self._redo.append(self._undo.pop())
        return change

    def redo(self) -> Change | None:
        """Make the last undone change again; Conflict as for `undo`."""
        if not self._redo:
            return None
        change = self._redo[-1]
        try:
            self.store.swap(change.before, change.after)
        except Conflict:
            self._redo.pop()
            raise
        self._undo.append(self._redo.pop())
        return change

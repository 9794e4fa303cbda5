"""Undo and redo of annotation changes (tag, retag, delete, note). No Textual here.

Each change is recorded as the annotation before and after (None where it did not exist).
Undo writes the "before" state back through the store, redo the "after" state, so one history
serves every pane and survives switching between them.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.store import Annotation, Store


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
        """Put back the state before the last change; returns that change (None: nothing)."""
        if not self._undo:
            return None
        change = self._undo.pop()
        self._apply(current=change.after, target=change.before)
        self._redo.append(change)
        return change

    def redo(self) -> Change | None:
        if not self._redo:
            return None
        change = self._redo.pop()
        self._apply(current=change.before, target=change.after)
        self._undo.append(change)
        return change

    def _apply(self, *, current: Annotation | None, target: Annotation | None) -> None:
        if target is None:
            assert current is not None
            if self.store.get(current.id) is not None:
                self.store.delete(current.id)
        else:
            self.store.restore(target)

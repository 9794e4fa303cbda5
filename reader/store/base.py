"""What the rest of reader uses of an annotation store, as a protocol. No Textual here.

`reader.store.sqlite.Store` is the one store today; code that only reads and writes
annotations (exchange, anchoring, services) may type against `AnnotationStore`, so that a store
of another kind (PostgreSQL, in memory for tests) can stand in.

Whether the store changed is an opaque `ChangeToken`: two tokens are equal when nothing was
committed between them; what they hold is the store's business (for SQLite: ``PRAGMA
data_version`` and the connection's count of changes).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from reader.model import Annotation, Tag


@dataclass(frozen=True)
class ChangeToken:
    """What a store looked like when it was taken: compare two with ``==``, nothing else."""

    value: Any


class AnnotationStore(Protocol):
    """An annotation store as its callers use it. Errors are `StoreError`s (`store.errors`)."""

    #: How the store names itself in messages (its file, or ":memory:").
    name: str
    #: The file the store keeps (with its companions, an export must never overwrite it);
    #: None when it is not a file.
    path: Path | None
    #: Every write raises a StoreError saying so.
    read_only: bool
    #: How long a write waits for another program's write lock.
    busy_timeout_ms: int

    def close(self) -> None: ...

    # --- reading ---

    def tags(self) -> list[Tag]: ...

    def annotations(self, article_id: str | None = None) -> list[Annotation]:
        """All annotations (of one article), by article, then in body order."""
        ...

    def get(self, annotation_id: str) -> Annotation | None: ...

    def counts(self) -> dict[str, dict[str, int]]:
        """article_id -> tag -> number of annotations."""
        ...

    def orphaned_count(self) -> int: ...

    # --- writing ---

    def add_tag(self, tag: Tag) -> None: ...

    def add(
        self,
        article_id: str,
        tag: str,
        start: int,
        end: int,
        body: str,
        article_sha256: str,
        note: str | None = None,
        *,
        id: str | None = None,
        created: str | None = None,
    ) -> Annotation: ...

    def update(self, annotation_id: str, **changes: Any) -> Annotation: ...

    def edit(
        self, annotation_id: str, expect: dict[str, Any] | None, **changes: Any
    ) -> tuple[Annotation, Annotation]: ...

    def delete(self, annotation_id: str) -> Annotation: ...

    def restore(self, annotation: Annotation) -> None: ...

    def swap(self, expected: Annotation | None, target: Annotation | None) -> None: ...

    def reanchor(self, moves: list[tuple[Annotation, Annotation]]) -> int: ...

    def put_many(self, annotations: list[Annotation]) -> None: ...

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """One write transaction held across several calls."""
        ...

    # --- noticing changes ---

    def session(self) -> str | None:
        """What the last reading session left to restore (opaque text), or None."""
        ...

    def save_session(self, value: str) -> None:
        """Keep ``value`` for the next session (one per database; the last one saved wins)."""
        ...

    def change_token(self) -> ChangeToken:
        """Differs whenever anything was committed since it was taken, here or elsewhere."""
        ...

    def external_token(self) -> ChangeToken:
        """Differs whenever another program (or another store on the same file) committed
        since it was taken; this store's own writes leave it as it is."""
        ...

    def check_rows(self) -> None:
        """Raise DamagedRow if any row holds a value reader never writes."""
        ...

    def check_file(self) -> None:
        """Raise DatabaseReplaced when the store's file is no longer the one opened."""
        ...

"""What can go wrong with the annotation database, as exceptions. No Textual here.

Each str() is one line naming the file and the problem (the store adds the file name).
"""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the annotation database; str() is one line naming the file and the problem."""


class CorruptDatabase(StoreError):
    """The file is SQLite but damaged."""


class InvalidAnnotation(StoreError, ValueError):
    """Arguments that do not describe a valid annotation (unknown tag, bad offsets...)."""


class StoreBusy(StoreError):
    """Another program holds the database's write lock: nothing was written; try again."""


class DatabaseReplaced(StoreError):
    """The file at the store's path is not the database that was opened (deleted, replaced or
    overwritten while reader ran): nothing was written, and nothing more will be."""


class Conflict(StoreError):
    """The annotation changed since the caller last saw it (another reader instance wrote):
    nothing was written."""


class DamagedRow(StoreError):
    """A row of the database holds a value reader never writes (a tampered or damaged file)."""


class AnnotationNotFound(StoreError, KeyError):
    """No annotation has the given id (another process may have deleted it)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "annotation not found"

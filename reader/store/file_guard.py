"""The database file under an open store: still the same file, or deleted, replaced or
overwritten while reader runs. No Textual here.

An open SQLite connection keeps working on the file it opened, whatever happens to the path:

* deleted (``rm``) or replaced by another file (``mv backup.db annotations.db``): writes go to
  the old file, which nobody will open again ("Tagged", and the tag is gone);
* overwritten in place (``cp backup.db annotations.db``): the connection's write-ahead log
  and page cache still hold the old state, and the next write or checkpoint puts it back over
  the copy: the restored backup is silently undone.

`FileGuard` notices each case and raises `Replaced` (the store makes it a `DatabaseReplaced`
naming the file) before anything is written:

* the path's device and inode are checked before every write and by `poll`;
* ``reader_meta`` holds a random ``db_id`` and a ``generation`` that every write transaction of
  every reader raises by one: a copy of another database has another id, an older copy of this
  one a lower generation, and a change of generation that SQLite did not report as another
  connection's commit (``PRAGMA data_version``) came from outside SQLite;
* after each write the log is checkpointed and emptied (``wal_checkpoint(TRUNCATE)``, not
  waiting for readers), and the page cache is dropped before each check
  (``PRAGMA shrink_memory``), so what is checked is what the file holds and nothing of the old
  state is left to be written back over a copy.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path


class Replaced(Exception):
    """The file at the store's path is no longer the database reader opened: nothing was
    written. str() says what happened and what to do (the store adds its file name)."""


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino


class FileGuard:
    def __init__(self, conn: sqlite3.Connection, path: Path, *, writable: bool) -> None:
        self.conn = conn
        self.path = path
        self.identity = _identity(path)
        self.replaced: str | None = None  # why, once noticed: every later write is refused
        if writable:
            self._ensure_meta()
        self.db_id, self.generation = self._read_meta()
        self.data_version = self._data_version()

    # --- reading what the file holds ------------------------------------------------------

    def _read_meta(self) -> tuple[str | None, int]:
        rows = dict(
            self.conn.execute(
                "select key, value from reader_meta where key in ('db_id', 'generation')"
            ).fetchall()
        )
        try:
            generation = int(rows.get("generation") or 0)
        except (TypeError, ValueError):
            generation = 0
        db_id = rows.get("db_id")
        return (db_id if isinstance(db_id, str) else None), generation

    def _data_version(self) -> int:
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _ensure_meta(self) -> None:
        """A database made before these checks gets its id (once, in its own transaction)."""
        if self._read_meta()[0] is not None:
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute(
                "insert or ignore into reader_meta (key, value) values ('db_id', ?), "
                "('generation', '0')",
                [str(uuid.uuid4())],
            )
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    # --- the checks -----------------------------------------------------------------------

    def _refuse(self, why: str) -> None:
        self.replaced = why
        raise Replaced(why)

    def _check_path(self) -> None:
        if self.replaced is not None:
            raise Replaced(self.replaced)
        now = _identity(self.path)
        if now is None:
            self._refuse(
                "was deleted or moved away while reader ran; nothing more is saved. "
                "Press e to export what this reader still holds, then start reader again"
            )
        if now != self.identity:
            self._refuse(
                "was replaced by another file while reader ran (a backup put back?); "
                "nothing more is saved to it. Quit and start reader again to work on it"
            )

    def _check_content(self, *, changed_by_sqlite: bool) -> None:
        db_id, generation = self._read_meta()
        if self.db_id is not None and db_id != self.db_id:
            self._refuse(
                "was overwritten with another database while reader ran; nothing more is "
                "saved. Quit and start reader again to work on it as it is now"
            )
        if generation < self.generation or (
            generation != self.generation and not changed_by_sqlite
        ):
            self._refuse(
                "was overwritten with a copy (a backup put back?) while reader ran; it is "
                "left as it is, and nothing more is saved. Quit and start reader again to "
                "work on it"
            )
        self.generation = generation

    def before_write(self) -> None:
        """Before BEGIN: drop cached pages, so that the transaction reads the file itself."""
        if self.replaced is not None:
            raise Replaced(self.replaced)
        self.conn.execute("PRAGMA shrink_memory")

    def in_write(self) -> None:
        """Inside the write transaction, before anything is written: still our file?"""
        self._check_path()
        version = self._data_version()
        self._check_content(changed_by_sqlite=version != self.data_version)
        self.data_version = version

    def before_commit(self) -> None:
        """Inside the write transaction: this write raises the generation by one."""
        if self.db_id is None:
            return
        self.conn.execute(
            "update reader_meta set value = cast(value as integer) + 1 where key = 'generation'"
        )
        self.generation += 1

    def after_commit(self, busy_timeout_ms: int) -> None:
        """Empty the log into the file now, without waiting for readers (when one is reading,
        the next write tries again)."""
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.OperationalError:
            pass  # locked: the log is emptied by a later write
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")

    def poll(self) -> None:
        """Between writes (the app's background check): raise Replaced if the file is
        no longer the one opened, else take note of what other readers committed."""
        self._check_path()
        self.conn.execute("PRAGMA shrink_memory")
        version = self._data_version()
        self._check_content(changed_by_sqlite=version != self.data_version)
        self.data_version = version

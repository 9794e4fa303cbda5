"""The SQLite connection under a store: opened with care (`opening`), brought up to this
reader's schema (`schema`), written in transactions, its errors turned into StoreErrors, its
changes noticed. No Textual here.

Every write runs in ``BEGIN IMMEDIATE ... COMMIT`` (`SQLiteConnection._write`): under WAL a
deferred ``BEGIN`` fails at once with "database is locked" when another process wrote in
between, while ``IMMEDIATE`` takes the write lock up front and waits up to ``busy_timeout``
for it. Before each write the `FileGuard` checks that the file is still the database opened.

sqlite-utils (schema, migrations, bulk upserts; ``db``) is imported on first use: opening an
up-to-date database, reading it and tagging need only ``sqlite3``, so that the app starts
without its ~100 ms of imports.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.store import opening, rows, schema
from reader.store.base import ChangeToken
from reader.store.errors import DatabaseReplaced, InvalidAnnotation, StoreBusy, StoreError
from reader.store.file_guard import FileGuard, Replaced
from reader.store.opening import BUSY_TIMEOUT_MS, sqlite_reason

if TYPE_CHECKING:
    from sqlite_utils import Database


class SQLiteConnection:
    """One database file (or a database in memory when ``path`` is None), open for a store."""

    def __init__(self, path: str | Path | None) -> None:
        self.path: Path | None = None if path is None else Path(path)
        self.read_only = False
        self.name = str(self.path) if self.path is not None else ":memory:"
        self._lock = threading.RLock()
        if self.path is None:
            conn = opening.open_memory()
        else:
            conn, self.read_only = opening.open_file(self.path)
        self.conn = conn
        self._db: Database | None = None
        self._guard: FileGuard | None = None
        #: How long a write waits for another program's write lock (the app waits less).
        self.busy_timeout_ms = BUSY_TIMEOUT_MS
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if self.path is not None and not self.read_only:
                opening.switch_to_wal(conn, self.name)
            self._migrate()
            rows.check_rows(conn, self.name)
            if self.path is not None:
                self._guard = FileGuard(conn, self.path, writable=not self.read_only)
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"{self.name}: {sqlite_reason(exc)}") from None
        except BaseException:
            conn.close()
            raise

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection (made on first use)."""
        if self._db is None:
            self._db = schema.sqlite_utils_module().Database(self.conn)
        return self._db

    def _migrate(self) -> None:
        if not schema.pending(self.conn):
            opening.classify(self.conn, self.name, thorough=False)
            return
        if self.read_only:
            raise StoreError(
                f"{self.name}: needs to be upgraded to this version of reader, but it is read-only"
            )
        steps, db = schema.migrations(), self.db  # sqlite-utils imported before the lock
        with self._write():
            # Checked again under the write lock: another process may have set it up meanwhile.
            opening.classify(self.conn, self.name, thorough=False)
            steps.apply(db)

    # --- transactions ------------------------------------------------------------------------

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """One write transaction held across several calls (BEGIN IMMEDIATE ... COMMIT): what
        is read inside it cannot be changed by another process before it commits."""
        return self._write()

    def change_token(self) -> ChangeToken:
        """Differs whenever anything was committed since it was taken, by this connection or
        another: lets a caller that read the store earlier see whether it is still current."""
        with self._lock, self._sql_errors():
            version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
            return ChangeToken((version, self.conn.total_changes))

    def external_token(self) -> ChangeToken:
        """Differs when another connection committed since it was taken (``PRAGMA
        data_version``): lets the app notice other writers."""
        with self._lock, self._sql_errors():
            return ChangeToken(int(self.conn.execute("PRAGMA data_version").fetchone()[0]))

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction: BEGIN IMMEDIATE, COMMIT at the end, ROLLBACK on error; the
        file checked first to be the database opened (`store_file`)."""
        if self.read_only:
            raise StoreError(f"{self.name}: is read-only; annotations cannot be saved")
        with self._lock, self._sql_errors():
            if self.conn.in_transaction:  # nested: part of the outer transaction
                yield
                return
            guard = self._guard
            if guard is not None:
                guard.before_write()
            self._set_busy_timeout(self.busy_timeout_ms)
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if guard is not None:
                    guard.in_write()
                yield
                if guard is not None:
                    guard.before_commit()
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            if guard is not None:
                guard.after_commit(self.busy_timeout_ms)

    def _set_busy_timeout(self, ms: int) -> None:
        if getattr(self, "_busy_set", None) != ms:
            self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")
            self._busy_set = ms

    def check_rows(self) -> None:
        """Raise DamagedRow if any row holds a value reader never writes (all rows, in SQL:
        ~1.5 µs a row)."""
        with self._lock, self._sql_errors():
            rows.check_rows(self.conn, self.name)

    def check_file(self) -> None:
        """Raise DatabaseReplaced when the file at the path is no longer the database that
        was opened (deleted, replaced, overwritten by a copy); for a background check."""
        if self._guard is not None:
            with self._lock, self._sql_errors():
                self._guard.poll()

    @contextlib.contextmanager
    def _sql_errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.IntegrityError as exc:
            raise InvalidAnnotation(f"{self.name}: {exc}") from None
        except sqlite3.Error as exc:
            reason = sqlite_reason(exc, self.busy_timeout_ms)
            kind = StoreBusy if "locked by another" in reason else StoreError
            raise kind(f"{self.name}: {reason}") from None
        except Replaced as exc:
            raise DatabaseReplaced(f"{self.name}: {exc}") from None

    def _rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock, self._sql_errors():
            cursor = self.conn.execute(sql, params)
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _tuples(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple]:
        """Rows as tuples: for the annotation queries, which are the big ones."""
        with self._lock, self._sql_errors():
            return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            self.conn.close()

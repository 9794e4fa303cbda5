"""The annotation store: one SQLite file managed through sqlite-utils. No Textual here.

Opening a path is careful about what is already there:

* a missing file (in an existing, writable folder) or an empty file gets the schema;
* a reader database is opened, and upgraded by `migrations()` when it is older than this reader;
* anything else is refused with a `StoreError` naming the file, and the file is left
  byte-identical: not SQLite at all (checked from the header bytes before SQLite touches it),
  corrupt, a database of another program (never gets a table from us), one made by a newer
  reader, a folder, a missing folder.

Read-only locations: an up-to-date reader database that we may not write (file or folder
read-only) is opened read-only (`Store.read_only`); reading works and every write raises a
`StoreError` saying so. A read-only location that would need a new file or an upgrade is refused.

Every write runs in ``BEGIN IMMEDIATE ... COMMIT`` (`Store._write`): under WAL a deferred
``BEGIN`` fails at once with "database is locked" when another process wrote in between, while
``IMMEDIATE`` takes the write lock up front and waits up to ``busy_timeout`` for it.

sqlite-utils (schema, migrations, bulk upserts; ``Store.db``) is imported on first use: opening
an up-to-date database, reading it and tagging need only ``sqlite3``, so that the app starts
without its ~100 ms of imports.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import re
import sqlite3
import stat
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as url_quote

from reader.store.errors import (
    AnnotationNotFound,
    Conflict,
    CorruptDatabase,
    DamagedRow,
    DatabaseReplaced,
    InvalidAnnotation,
    StoreBusy,
    StoreError,
)
from reader.store.file_guard import FileGuard, Replaced
from reader.store.rows import check_rows, checked
from reader.tags import DEFAULT_TAGS, Tag, checked_colour

__all__ = [
    "Annotation",
    "AnnotationNotFound",
    "Conflict",
    "CorruptDatabase",
    "DamagedRow",
    "DatabaseReplaced",
    "InvalidAnnotation",
    "Store",
    "StoreBusy",
    "StoreError",
    "context_of",
    "has_surrogate",
    "utc_now",
]

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations


@functools.cache
def _sqlite_utils() -> Any:
    """The sqlite_utils package, imported on first use (migrations, bulk upserts): reading,
    tagging and undo need only sqlite3."""
    import sqlite_utils
    import sqlite_utils.migrations

    return sqlite_utils


APP_NAME = "reader"
#: Bumped by every migration; a file with a higher number comes from a newer reader.
SCHEMA_VERSION = 1
#: Characters of context kept on each side of a quote for re-anchoring.
CONTEXT_CHARS = 48
BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"

MIGRATION_SET = "reader"
_UNSET: Any = object()


@dataclass
class Annotation:
    id: str
    article_id: str
    tag: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    note: str | None
    created: str
    updated: str
    article_sha256: str
    orphaned: bool = False
    review: bool = False


FIELDS = tuple(f.name for f in dataclasses.fields(Annotation))
#: The fields a change can set (the id, article and creation time never change).
_CHANGEABLE = tuple(f for f in FIELDS if f not in ("id", "article_id", "created", "updated"))


def utc_now() -> str:
    """Now as ISO 8601 UTC, whole seconds: '2026-11-25T10:00:00+00:00'."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def context_of(body: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix (up to CONTEXT_CHARS each) around body[start:end]."""
    return body[max(0, start - CONTEXT_CHARS) : start], body[end : end + CONTEXT_CHARS]


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(text: str) -> bool:
    """True if ``text`` holds a lone surrogate (cannot be stored as UTF-8)."""
    return _SURROGATE.search(text) is not None


# --- schema -------------------------------------------------------------------------------


def _m001_initial(db: Database) -> None:
    db.table("reader_meta").create({"key": str, "value": str}, pk="key")
    db.table("reader_meta").insert_all(
        [{"key": "app", "value": APP_NAME}, {"key": "schema_version", "value": "1"}]
    )
    db.table("tags").create(
        {"name": str, "key": str, "colour": str}, pk="name", not_null={"key", "colour"}
    )
    db.table("tags").insert_all(dataclasses.asdict(tag) for tag in DEFAULT_TAGS)
    db.table("annotations").create(
        {
            "id": str,
            "article_id": str,
            "tag": str,
            "start": int,
            "end": int,
            "quote": str,
            "prefix": str,
            "suffix": str,
            "note": str,
            "created": str,
            "updated": str,
            "article_sha256": str,
            "orphaned": int,
            "review": int,
        },
        pk="id",
        not_null={
            "article_id",
            "tag",
            "start",
            "end",
            "quote",
            "prefix",
            "suffix",
            "created",
            "updated",
            "article_sha256",
            "orphaned",
            "review",
        },
        defaults={"orphaned": 0, "review": 0},
        foreign_keys=[("tag", "tags", "name")],
    )
    db.table("annotations").create_index(["article_id", "start"])


_STEPS = (("m001_initial", _m001_initial),)
KNOWN_MIGRATIONS = frozenset(name for name, _ in _STEPS)


@functools.cache
def migrations() -> Migrations:
    """reader's sqlite-utils migration set."""
    steps = _sqlite_utils().migrations.Migrations(MIGRATION_SET)
    for name, fn in _STEPS:
        steps(name=name)(fn)
    return steps


# --- opening ---------------------------------------------------------------------------------


def _sqlite_reason(exc: sqlite3.Error, waited_ms: int = BUSY_TIMEOUT_MS) -> str:
    text = str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        waited = f"{waited_ms / 1000:g} s"
        return f"is locked by another program (waited {waited}); try again"
    if "readonly" in low or "read-only" in low:
        return "is read-only; annotations cannot be saved"
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return "is a damaged (corrupt) SQLite database; reader leaves it as it is"
    if "full" in low:
        return "cannot be written: the disk is full"
    if "disk i/o" in low:
        return "cannot be read or written (disk I/O error)"
    return f"database error: {text}"


def _db_error(name: str, exc: sqlite3.Error) -> StoreError:
    reason = _sqlite_reason(exc)
    return (CorruptDatabase if "corrupt" in reason else StoreError)(f"{name}: {reason}")


def _classify(conn: sqlite3.Connection, name: str, *, thorough: bool = True) -> bool:
    """True if the database is ours, False if it has no tables yet; raise for anything else.

    ``thorough`` adds ``PRAGMA quick_check`` (damage beyond the schema pages).
    """
    try:
        tables = {
            row[0]
            for row in conn.execute(
                "select name from sqlite_master where type in ('table', 'view')"
                " and name not like 'sqlite_%'"
            )
        }
    except sqlite3.DatabaseError as exc:
        raise _db_error(name, exc) from None
    if not tables:
        return False
    meta: dict[str, str] = {}
    if "reader_meta" in tables:
        try:
            meta = dict(conn.execute("select key, value from reader_meta").fetchall())
        except sqlite3.OperationalError:
            meta = {}  # someone else's table that happens to share the name
        except sqlite3.DatabaseError as exc:
            raise _db_error(name, exc) from None
    if meta.get("app") != APP_NAME:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(
            f"{name}: is the SQLite database of another program (tables: {shown}); "
            "reader will not change it. Choose another file with --db"
        )
    try:
        version = int(meta.get("schema_version", "0"))
    except ValueError:
        raise StoreError(
            f"{name}: has an unreadable schema version; reader leaves it as it is"
        ) from None
    try:
        applied = {
            row[0]
            for row in conn.execute(
                "select name from _sqlite_migrations where migration_set = ?", [MIGRATION_SET]
            )
        }
        check = conn.execute("PRAGMA quick_check").fetchall() if thorough else [("ok",)]
    except sqlite3.DatabaseError as exc:
        raise _db_error(name, exc) from None
    unknown = applied - KNOWN_MIGRATIONS
    if version > SCHEMA_VERSION or unknown:
        raise StoreError(
            f"{name}: was made by a newer version of reader (schema {version}, this reader "
            f"knows up to {SCHEMA_VERSION}); upgrade reader to open it"
        )
    if check != [("ok",)]:
        raise CorruptDatabase(
            f"{name}: is a damaged (corrupt) SQLite database; reader leaves it as it is"
        )
    return True


def _uri(path: Path, *, immutable: bool) -> str:
    uri = "file:" + url_quote(str(path.resolve())) + "?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def _connect_read_only(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    return sqlite3.connect(
        _uri(path, immutable=immutable), uri=True, isolation_level=None, check_same_thread=False
    )


def _quiet(path: Path, header: bytes) -> bool:
    """True for a WAL-mode file without a -wal or -journal beside it: all of it is in the main
    file, and ``immutable=1`` reads it without creating -shm/-wal files next to it (a read-only
    connection to a WAL database would otherwise leave them behind)."""
    wal_mode = header[18:20] == b"\x02\x02"
    return wal_mode and not any(Path(f"{path}{x}").exists() for x in ("-wal", "-journal"))


def _probe(path: Path, header: bytes) -> None:
    """Classify an existing file through read-only connections; raise if it is not for us."""
    for attempt in range(3):
        quiet = _quiet(path, header)
        try:
            probe = _connect_read_only(path, immutable=quiet)
            try:
                _classify(probe, str(path))
                return
            finally:
                probe.close()
        except CorruptDatabase:
            # immutable=1 takes no locks: another reader may have been checkpointing into
            # the file just then. Look again shortly before calling it damaged.
            if not quiet or attempt == 2:
                raise
            time.sleep(0.1 * (attempt + 1))
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open: {exc}") from None


def _read_header(path: Path) -> bytes:
    for attempt in range(3):
        try:
            with open(path, "rb") as handle:
                header = handle.read(100)
        except OSError as exc:
            raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None
        if header.startswith(SQLITE_HEADER) and len(header) == 100:
            return header
        if header.strip(b"\x00") and len(header) == 100:
            break  # real content, not a file another process is just creating
        time.sleep(0.05 * (attempt + 1))
    raise StoreError(f"{path}: is not a SQLite database; reader leaves it as it is")


def _check_path(path: Path) -> tuple[bytes, bool]:
    """(the header of an existing non-empty file or b"", writable); raise StoreError for
    paths we must not open."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise StoreError(f"{path}: cannot open: {exc.strerror or exc}") from None
    parent = path.parent
    if info is None:
        if not parent.exists():
            raise StoreError(f"{path}: the folder {parent} does not exist")
        if not parent.is_dir():
            raise StoreError(f"{path}: {parent} is not a folder")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise StoreError(f"{path}: cannot create the database: folder {parent} is read-only")
        return b"", True
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path}: is a folder, not a database file")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path}: is not a regular file (a FIFO, socket or device)")
    writable = os.access(path, os.W_OK) and os.access(parent, os.W_OK | os.X_OK)
    if info.st_size == 0:
        if not writable:
            raise StoreError(f"{path}: is empty and read-only; cannot create the database in it")
        return b"", True
    return _read_header(path), writable


def _switch_to_wal(conn: sqlite3.Connection) -> str:
    """``PRAGMA journal_mode = WAL``, tried again while another process is switching the same
    new file: SQLite can answer "database is locked" at once there, without waiting for the
    busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Store:
    """Annotations of one database file (or in memory when ``path`` is None)."""

    def __init__(self, path: str | Path | None) -> None:
        self.path: Path | None = None if path is None else Path(path)
        self.read_only = False
        self.name = str(self.path) if self.path is not None else ":memory:"
        self._lock = threading.RLock()
        if self.path is None:
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        else:
            conn = self._open_file(self.path)
        self.conn = conn
        self._db: Database | None = None
        self._guard: FileGuard | None = None
        #: How long a write waits for another program's write lock (the app waits less).
        self.busy_timeout_ms = BUSY_TIMEOUT_MS
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if self.path is not None and not self.read_only:
                mode = _switch_to_wal(conn)
                if str(mode).lower() != "wal":
                    raise StoreError(f"{self.name}: cannot switch the database to WAL mode")
            self._migrate()
            check_rows(conn, self.name)
            if self.path is not None:
                self._guard = FileGuard(conn, self.path, writable=not self.read_only)
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"{self.name}: {_sqlite_reason(exc)}") from None
        except BaseException:
            conn.close()
            raise

    def _open_file(self, path: Path) -> sqlite3.Connection:
        header, writable = _check_path(path)
        if header:
            # Look at it through a read-only connection first: a refused file is never written.
            _probe(path, header)
        if not writable:
            self.read_only = True
            try:
                return _connect_read_only(path, immutable=_quiet(path, header))
            except sqlite3.Error as exc:
                raise StoreError(f"{path}: cannot open: {exc}") from None
        try:
            return sqlite3.connect(
                str(path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open: {exc}") from None

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the connection (made on first use)."""
        if self._db is None:
            self._db = _sqlite_utils().Database(self.conn)
        return self._db

    def _pending(self) -> bool:
        """True when a migration of this reader is not applied yet (as
        ``migrations().pending(db)``, without importing sqlite-utils)."""
        try:
            applied = {
                row[0]
                for row in self.conn.execute(
                    "select name from _sqlite_migrations where migration_set = ?",
                    [MIGRATION_SET],
                )
            }
        except sqlite3.OperationalError:  # no such table: nothing applied
            return True
        return not applied >= KNOWN_MIGRATIONS

    def _migrate(self) -> None:
        if not self._pending():
            _classify(self.conn, self.name, thorough=False)
            return
        if self.read_only:
            raise StoreError(
                f"{self.name}: needs to be upgraded to this version of reader, but it is read-only"
            )
        steps, db = migrations(), self.db  # sqlite-utils imported before taking the lock
        with self._write():
            # Checked again under the write lock: another process may have set it up meanwhile.
            _classify(self.conn, self.name, thorough=False)
            steps.apply(db)

    # --- transactions ------------------------------------------------------------------------

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """One write transaction held across several calls (BEGIN IMMEDIATE ... COMMIT): what
        is read inside it cannot be changed by another process before it commits."""
        return self._write()

    def change_token(self) -> tuple[int, int]:
        """Differs whenever anything was committed since it was taken, by this connection or
        another: lets a caller that read the store earlier see whether it is still current."""
        with self._lock, self._sql_errors():
            version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
            return version, self.conn.total_changes

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
            check_rows(self.conn, self.name)

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
            reason = _sqlite_reason(exc, self.busy_timeout_ms)
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

    # --- public API --------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.name}{' (read-only)' if self.read_only else ''}>"

    def tags(self) -> list[Tag]:
        rows = self._rows("select name, key, colour from tags order by key, name")
        return [
            Tag(str(row["name"]), str(row["key"]), checked_colour(row["colour"])) for row in rows
        ]

    def add_tag(self, tag: Tag) -> None:
        """Add (or change the key/colour of) a tag."""
        with self._write():
            self.db.table("tags").upsert(dataclasses.asdict(tag), pk="name")

    def annotations(self, article_id: str | None = None) -> list[Annotation]:
        where, params = ("", [])
        if article_id is not None:
            where, params = "where article_id = ?", [article_id]
        rows = self._tuples(
            f'{_SELECT} {where} order by article_id, start, "end", created, id', params
        )
        name = self.name
        return [_from_tuple(checked(row, name)) for row in rows]

    def get(self, annotation_id: str) -> Annotation | None:
        rows = self._tuples(f"{_SELECT} where id = ?", [annotation_id])
        return _from_tuple(checked(rows[0], self.name)) if rows else None

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
    ) -> Annotation:
        """Save a new annotation of body[start:end]; quote and context come from ``body``."""
        _check_span(body, start, end)
        self._check_tag(tag)
        _check_text(note, "note")
        prefix, suffix = context_of(body, start, end)
        when = created or utc_now()
        annotation = Annotation(
            id=id or str(uuid.uuid4()),
            article_id=article_id,
            tag=tag,
            start=start,
            end=end,
            quote=body[start:end],
            prefix=prefix,
            suffix=suffix,
            note=note,
            created=when,
            updated=when,
            article_sha256=article_sha256,
        )
        with self._write():
            if self._exists(annotation.id):
                raise InvalidAnnotation(f"{self.name}: annotation id {annotation.id} is taken")
            self.conn.execute(_INSERT, _to_tuple(annotation))
        return annotation

    def update(
        self,
        annotation_id: str,
        *,
        tag: str = _UNSET,
        note: str | None = _UNSET,
        start: int = _UNSET,
        end: int = _UNSET,
        quote: str = _UNSET,
        prefix: str = _UNSET,
        suffix: str = _UNSET,
        article_sha256: str = _UNSET,
        orphaned: bool = _UNSET,
        review: bool = _UNSET,
    ) -> Annotation:
        """Change the given fields (others stay as they are) and bump ``updated``."""
        changes: dict[str, Any] = {
            key: value
            for key, value in dict(
                tag=tag,
                note=note,
                start=start,
                end=end,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                article_sha256=article_sha256,
                orphaned=orphaned,
                review=review,
            ).items()
            if value is not _UNSET
        }
        return self.edit(annotation_id, None, **changes)[1]

    def edit(
        self, annotation_id: str, expect: dict[str, Any] | None, **changes: Any
    ) -> tuple[Annotation, Annotation]:
        """Change the given fields (others stay as they are), bump ``updated`` and return the
        annotation (before, after), read and written in one transaction. With ``expect``, only
        where those fields still hold those values (the user saw them): Conflict otherwise,
        nothing written (another reader changed them meanwhile)."""
        if "tag" in changes:
            self._check_tag(changes["tag"])
        if "note" in changes:
            _check_text(changes["note"], "note")
        with self._write():
            current = self._require(annotation_id)
            if expect and any(getattr(current, k) != v for k, v in expect.items()):
                raise Conflict(_conflict(self.name, dataclasses.replace(current, **expect),
                                         current, tuple(expect)))  # fmt: skip
            new = dataclasses.replace(current, **changes, updated=utc_now())
            if not (_is_int(new.start) and _is_int(new.end) and 0 <= new.start < new.end):
                raise InvalidAnnotation(f"invalid offsets {new.start}..{new.end}")
            self.conn.execute(_UPDATE, [*_to_tuple(new)[1:], annotation_id])
        return current, new

    def delete(self, annotation_id: str) -> Annotation:
        """Delete an annotation and return it (so that it can be restored: undo)."""
        with self._write():
            current = self._require(annotation_id)
            self.conn.execute("delete from annotations where id = ?", [annotation_id])
        return current

    def restore(self, annotation: Annotation) -> None:
        """Put ``annotation`` back exactly as given (undo of a delete, redo of an add)."""
        self.put_many([annotation])

    def swap(self, expected: Annotation | None, target: Annotation | None) -> None:
        """Undo or redo one change, from ``expected`` (the annotation as the change left it;
        None: it did not exist) back or on to ``target`` (None: delete it), in one transaction,
        only where nobody changed it since: undo and redo never overwrite a change they did not
        make. Raises Conflict, saying what changed, otherwise.

        A change of some fields (retag, note, re-attach) puts back only those, where they are
        still as the change left them; what re-anchoring moved meanwhile stays. Deleting needs
        the tag and note as they were (its place may have moved with the text)."""
        item = target or expected
        assert item is not None
        if target is not None:
            self._check_tag(target.tag)
            _check_text(target.note, "note")
        with self._write():
            now = self.get(item.id)
            if expected is None or now is None:
                if now != expected:
                    raise Conflict(_conflict(self.name, expected, now))
                assert target is not None
                self.conn.execute(_INSERT, _to_tuple(target))
                return
            if target is None:
                touched = ["tag", "note"]
            else:
                touched = [f for f in _CHANGEABLE if getattr(expected, f) != getattr(target, f)]
            if any(getattr(now, f) != getattr(expected, f) for f in touched):
                raise Conflict(_conflict(self.name, expected, now, tuple(touched)))
            if target is None:
                self.conn.execute("delete from annotations where id = ?", [item.id])
                return
            new = dataclasses.replace(now, **{f: getattr(target, f) for f in touched})
            new.updated = (
                target.updated
                if new == dataclasses.replace(target, updated=new.updated)
                else utc_now()
            )
            self.conn.execute(_UPDATE, [*_to_tuple(new)[1:], new.id])

    def reanchor(self, moves: list[tuple[Annotation, Annotation]]) -> int:
        """Write re-anchored places, (as read, as re-anchored) pairs, in one transaction: only
        the place (offsets, quote, context, article hash, orphaned, review), and only where it
        is still as read. Tag and note are never written here, so a retag or note another
        reader saved meanwhile stays; a place another reader moved meanwhile stays too.
        Returns how many were written."""
        written = 0
        with self._write():
            for old, new in moves:
                now = [getattr(new, f) for f in _PLACE]
                was = [getattr(old, f) for f in _PLACE]
                written += self.conn.execute(_REANCHOR, [*now, old.id, *was]).rowcount
        return written

    def put_many(self, annotations: list[Annotation]) -> None:
        """Insert or replace all ``annotations`` in one transaction (all or nothing)."""
        known = {t.name for t in self.tags()}
        for annotation in annotations:
            if annotation.tag not in known:
                raise InvalidAnnotation(f"unknown tag '{annotation.tag}'")
            _check_text(annotation.note, "note")
        if not annotations:
            return
        with self._write():
            self.db.table("annotations").upsert_all((_to_row(a) for a in annotations), pk="id")

    def counts(self) -> dict[str, dict[str, int]]:
        """article_id -> tag -> number of annotations."""
        result: dict[str, dict[str, int]] = {}
        for row in self._rows(
            "select article_id, tag, count(*) as n from annotations group by article_id, tag"
        ):
            result.setdefault(row["article_id"], {})[row["tag"]] = row["n"]
        return result

    def orphaned_count(self) -> int:
        """How many annotations are orphaned (their quote was not found again)."""
        return int(self._tuples("select count(*) from annotations where orphaned")[0][0])

    def data_version(self) -> int:
        """Changes when another connection commits: lets the UI notice other writers."""
        with self._lock, self._sql_errors():
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # --- helpers -----------------------------------------------------------------------------

    def _check_tag(self, tag: object) -> None:
        names = [t.name for t in self.tags()]
        if tag not in names:
            raise InvalidAnnotation(f"unknown tag '{tag}' (known: {', '.join(names)})")

    def _exists(self, annotation_id: str) -> bool:
        return bool(self._rows("select 1 from annotations where id = ?", [annotation_id]))

    def _require(self, annotation_id: str) -> Annotation:
        found = self.get(annotation_id)
        if found is None:
            raise AnnotationNotFound(f"{self.name}: no annotation with id {annotation_id}")
        return found


def _conflict(
    name: str, expected: Annotation | None, now: Annotation | None, fields: tuple[str, ...] = ()
) -> str:
    if now is None:
        return f"{name}: the annotation was deleted elsewhere since; nothing changed"
    if expected is None:
        return f"{name}: an annotation with that id exists again; nothing changed"
    what = ", ".join(f for f in fields if getattr(now, f) != getattr(expected, f))
    return (
        f"{name}: the annotation was changed elsewhere since ({what}: another reader?); "
        "it is left as it is"
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_span(body: str, start: object, end: object) -> None:
    if not (_is_int(start) and _is_int(end)):
        raise InvalidAnnotation(f"offsets must be whole numbers, not {start!r}..{end!r}")
    assert isinstance(start, int) and isinstance(end, int)
    if not 0 <= start < end <= len(body):
        raise InvalidAnnotation(
            f"invalid span {start}..{end}: need 0 <= start < end <= {len(body)} (body length)"
        )


def _check_text(value: object, what: str) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise InvalidAnnotation(f"{what} must be text, not {type(value).__name__}")
    if has_surrogate(value):
        raise InvalidAnnotation(f"{what} contains a lone surrogate (not valid Unicode)")


def _to_row(annotation: Annotation) -> dict[str, Any]:
    return dict(zip(FIELDS, _to_tuple(annotation), strict=True))


def _to_tuple(a: Annotation) -> tuple:
    """``a`` as a row in ``FIELDS`` order, flags as 0/1."""
    return (
        a.id,
        a.article_id,
        a.tag,
        a.start,
        a.end,
        a.quote,
        a.prefix,
        a.suffix,
        a.note,
        a.created,
        a.updated,
        a.article_sha256,
        int(bool(a.orphaned)),
        int(bool(a.review)),
    )


#: What re-anchoring changes: an annotation's place in its article.
_PLACE = ("start", "end", "quote", "prefix", "suffix", "article_sha256", "orphaned", "review")
_REANCHOR = (
    "update annotations set "
    + ", ".join(f'"{f}" = ?' for f in _PLACE)
    + " where id = ? and "
    + " and ".join(f'"{f}" is ?' for f in _PLACE)
)
_SELECT = "select " + ", ".join(f'"{name}"' for name in FIELDS) + " from annotations"
_INSERT = (
    "insert into annotations ("
    + ", ".join(f'"{name}"' for name in FIELDS)
    + ") values ("
    + ", ".join("?" * len(FIELDS))
    + ")"
)
_UPDATE = (
    "update annotations set " + ", ".join(f'"{name}" = ?' for name in FIELDS[1:]) + " where id = ?"
)


def _from_tuple(row: tuple) -> Annotation:
    """An annotation from a row selected in ``FIELDS`` order."""
    values = dict(zip(FIELDS, row, strict=True))
    values["orphaned"] = bool(values["orphaned"])
    values["review"] = bool(values["review"])
    return Annotation(**values)

"""Opening a database file without harming what is already there. No Textual here.

* a missing file (in an existing, writable folder) or an empty file gets the schema;
* a reader database is opened, and upgraded (`schema.migrations`) when it is older than this
  reader;
* anything else is refused with a `StoreError` naming the file, and the file is left
  byte-identical: not SQLite at all (checked from the header bytes before SQLite touches it),
  corrupt, a database of another program (never gets a table from us), one made by a newer
  reader, a folder, a missing folder.

Read-only locations: an up-to-date reader database that we may not write (file or folder
read-only) is opened read-only; reading works and every write raises a `StoreError` saying so.
A read-only location that would need a new file or an upgrade is refused.

A writable file is switched to WAL mode (`switch_to_wal`); the store then watches it with a
`FileGuard` (deleted, replaced or overwritten under reader).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path
from urllib.parse import quote as url_quote

from reader.store.errors import CorruptDatabase, StoreError
from reader.store.schema import APP_NAME, KNOWN_MIGRATIONS, SCHEMA_VERSION, applied

BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"


def sqlite_reason(exc: sqlite3.Error, waited_ms: int = BUSY_TIMEOUT_MS) -> str:
    """What a SQLite error means for the user, as the end of a sentence naming the file."""
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
    reason = sqlite_reason(exc)
    return (CorruptDatabase if "corrupt" in reason else StoreError)(f"{name}: {reason}")


def classify(conn: sqlite3.Connection, name: str, *, thorough: bool = True) -> bool:
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
        done = applied(conn)
        check = conn.execute("PRAGMA quick_check").fetchall() if thorough else [("ok",)]
    except sqlite3.DatabaseError as exc:
        raise _db_error(name, exc) from None
    unknown = done - KNOWN_MIGRATIONS
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
                classify(probe, str(path))
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


def open_file(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A connection to the database at ``path`` and whether it is read-only; raises
    StoreError for a path that is not for us, having written nothing there."""
    header, writable = _check_path(path)
    if header:
        # Look at it through a read-only connection first: a refused file is never written.
        _probe(path, header)
    try:
        if not writable:
            return _connect_read_only(path, immutable=_quiet(path, header)), True
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        return conn, False
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open: {exc}") from None


def open_memory() -> sqlite3.Connection:
    """A connection to a new database in memory."""
    return sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)


def switch_to_wal(conn: sqlite3.Connection, name: str) -> None:
    """``PRAGMA journal_mode = WAL``, tried again while another process is switching the same
    new file: SQLite can answer "database is locked" at once there, without waiting for the
    busy timeout. StoreError if the file stays in another mode."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    if str(mode).lower() != "wal":
        raise StoreError(f"{name}: cannot switch the database to WAL mode")

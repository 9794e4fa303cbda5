"""An SQLite FTS5 index of the corpus's bodies, to tell which articles may hold a query. No
Textual here.

It holds each body as `reader.search.index_fold` gives it (folded, white space collapsed) in a
contentless FTS5 table with the ``trigram`` tokenizer and ``detail=none``:

- trigram, not ``unicode61``: search finds any substring ("argu" in "argument", "ties of"
  across two words), and unicode61 matches whole tokens (or their prefixes) only;
- the text is folded here, in Python, as `find` folds it, and the tokenizer folds nothing more
  (``case_sensitive 1``): its own folding (and ``remove_diacritics``, newer than the SQLite
  found here and there) is not `fold`;
- contentless with ``detail=none``: the index is only a filter, so it keeps neither the text
  nor the positions (a tenth of a full-detail index with its content on 2,000 articles). A
  query asks for the articles holding all of its trigrams: every article where `find`
  matches, and a few more, which `find` then rules out. A query of one or two letters asks
  for the articles holding a trigram that starts with them (a range of the index's
  vocabulary), or ending with them (each article's last two letters are kept).

An article is known by its id and the stat of its file when it was read (the listing cache's
key); one whose file changed within `RACY_NS` of the reading is not vouched for (as in the
listing cache), so the searcher reads it itself. A contentless table cannot delete a row
without its text: a changed article gets a new row, the old row is left behind, and the whole
index is rebuilt once such rows outnumber the live ones.

Nothing here raises into the app: a cache that cannot be opened, written or read (corrupt,
foreign, read-only, a full disk) leaves the index unusable, and the searcher reads every body.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reader import __version__
from reader.corpus.articles import Article, ArticleError
from reader.corpus.listing_cache import stat_key
from reader.search import index_fold, index_query

#: Bump when what is stored changes shape or meaning.
FORMAT = 2
#: Files changed less than this long before they were read are not vouched for.
RACY_NS = 2 * 10**9
#: Articles written per transaction (what a query sees grows by as many at a time).
BATCH = 50
#: SQLite virtual machine steps between two looks at `cancelled`.
STEPS = 2000
#: Rows left behind (by changed articles) that are borne before the index is rebuilt.
MIN_STALE = 100
#: A query of one or two letters found in more trigrams than this asks for every article.
MAX_TERMS = 200
#: Whose change changes what is indexed (folding, decoding): their files' stats are stamped.
_CODE = ("reader.search", "reader.corpus.articles", "reader.corpus.decoding")
_SURROGATES = re.compile("[\ud800-\udfff]")

Key = tuple[int, ...]
Cancelled = Callable[[], bool]


class SearchCancelled(Exception):
    """The query was given up: a newer one replaced it."""


@dataclass(frozen=True)
class Entry:
    """What the index knows of an article: the stat of the file it read (None: not vouched
    for) and whether it could be read at all (an unreadable file is never searched)."""

    key: Key | None
    readable: bool


def file_key(article: Article) -> Key | None:
    """The stat key of the article's file now (None when it cannot be told)."""
    try:
        return tuple(stat_key(os.stat(article.where)))
    except (OSError, ValueError):
        return None


def read_body(article: Article) -> str | None:
    """The article's body as its file holds it now, or None where it cannot be opened. Read
    through a copy: the app's article keeps (or does not keep) its own body as it did."""
    if not article.ok:
        return None
    try:
        return Article(id=article.id, file=article.file, where=article.where).body
    except ArticleError:
        return None


def _storable(text: str) -> str:
    """``text`` as SQLite takes it, in the index and in a query alike: UTF-8 (a lone surrogate
    as U+FFFD), no NUL (FTS5 ends a query there; as U+FFFD too). Where `find` matches, the
    index still holds the query: the same letters became the same stand-in on both sides."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATES.sub("\ufffd", text)
    return text


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SearchIndex:
    """The index in one SQLite file. Every call opens its own connection, so that refreshing
    (in one thread) and querying (in others) never share one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._writing = threading.Lock()  # one refresh at a time (a cancelled one ends soon)
        self._entries: dict[str, Entry] = {}
        #: The index was opened and read; False until then, or after it failed.
        self.usable = False

    def entries(self) -> dict[str, Entry]:
        """What the index knows, as of the last batch written (a copy)."""
        with self._lock:
            return dict(self._entries)

    def refresh(
        self,
        articles: Iterable[Article],
        cancelled: Cancelled = lambda: False,
        progress: Callable[[int, int], None] | None = None,
    ) -> bool:
        """Index the articles that are new or changed and forget those gone; True when done
        (False: cancelled, or the index cannot be used)."""
        with self._writing:
            try:
                with contextlib.closing(self._connect()) as db:
                    return self._refresh(db, list(articles), cancelled, progress)
            except (sqlite3.Error, OSError, ValueError):
                self.usable = False
                return False

    def candidates(self, query: str, cancelled: Cancelled = lambda: False) -> set[str] | None:
        """The ids of the indexed articles that may hold ``query``: those holding all of its
        trigrams (one or two letters: a trigram starting with them, or ending with them). None
        when the index cannot tell (an index not usable, a letter or two starting too many
        trigrams). Raises `SearchCancelled`."""
        text = _storable(index_query(query))
        if not text or not self.usable:
            return None
        if cancelled():
            raise SearchCancelled()
        try:
            with contextlib.closing(sqlite3.connect(self.path, timeout=1)) as db:
                db.set_progress_handler(lambda: 1 if cancelled() else 0, STEPS)
                return _candidates(db, text)
        except sqlite3.Error:
            if cancelled():
                raise SearchCancelled() from None
            return None

    # -- writing

    def _connect(self) -> sqlite3.Connection:
        """The index, opened, checked and made if need be (a corrupt or foreign file, or one of
        another build, is replaced: it is only a cache)."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for attempt in range(2):
            db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                if _stamp_of(db) != _stamp():
                    _create(db)
                return db
            except sqlite3.DatabaseError:
                db.close()
                if attempt:
                    raise
                for suffix in ("", "-wal", "-shm"):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(f"{self.path}{suffix}")
        raise AssertionError("unreachable")

    def _refresh(
        self,
        db: sqlite3.Connection,
        articles: list[Article],
        cancelled: Cancelled,
        progress: Callable[[int, int], None] | None,
    ) -> bool:
        known = _read_entries(db)
        stale = int(_meta(db, "stale") or 0)
        if stale > max(MIN_STALE, len(known)):  # left-behind rows outnumber the live ones
            _create(db)
            known, stale = {}, 0
        self._set_entries(known)
        self.usable = True
        ids = {article.id for article in articles}
        gone = [article_id for article_id in known if article_id not in ids]
        todo = []
        for article in articles:
            entry = known.get(article.id)
            if article.ok and not (entry and entry.key and entry.key == file_key(article)):
                todo.append(article)
        with db:
            db.execute("BEGIN IMMEDIATE")
            for article_id in gone:
                row = db.execute("SELECT row FROM docs WHERE id = ?", (article_id,)).fetchone()
                stale += int(bool(row and row[0] is not None))
                db.execute("DELETE FROM docs WHERE id = ?", (article_id,))
            _set_meta(db, "stale", str(stale))
        with self._lock:
            for article_id in gone:
                self._entries.pop(article_id, None)
        for at in range(0, len(todo), BATCH):
            if cancelled():
                return False
            written = {}
            with db:
                db.execute("BEGIN IMMEDIATE")
                for article in todo[at : at + BATCH]:
                    written[article.id], replaced = _write(db, article)
                    stale += replaced
                _set_meta(db, "stale", str(stale))
            with self._lock:
                self._entries.update(written)
            if progress is not None:
                progress(min(at + BATCH, len(todo)), len(todo))
        return True

    def _set_entries(self, entries: dict[str, Entry]) -> None:
        with self._lock:
            self._entries = dict(entries)


def _candidates(db: sqlite3.Connection, text: str) -> set[str] | None:
    found: set[str] = set()
    if len(text) >= 3:
        trigrams = sorted({text[at : at + 3] for at in range(len(text) - 2)})
        match = " AND ".join(map(_quoted, trigrams))
    else:  # in a trigram that starts with it, or in the last two letters
        last = text + "\U0010ffff" * (3 - len(text))
        sql = "SELECT term FROM vocab WHERE term >= ? AND term <= ?"
        terms = db.execute(sql, (text, last)).fetchmany(MAX_TERMS + 1)
        if len(terms) > MAX_TERMS:
            return None  # as good as every article
        ends = db.execute("SELECT id FROM docs WHERE row IS NOT NULL AND instr(tail, ?)", (text,))
        found.update(row[0] for row in ends)
        match = " OR ".join(_quoted(term) for (term,) in terms)
    if match:
        rows = db.execute(
            "SELECT docs.id FROM fts JOIN docs ON docs.row = fts.rowid WHERE fts MATCH ?",
            (match,),
        )
        found.update(row[0] for row in rows)
    return found


def _write(db: sqlite3.Connection, article: Article) -> tuple[Entry, int]:
    """Index one article (inside a transaction): its entry, and 1 if a row was left behind."""
    before = time.time_ns()
    key = file_key(article)
    body = read_body(article)
    row = tail = None
    if body is not None:
        text = _storable(index_fold(body))
        row = int(_meta(db, "next") or 1)
        _set_meta(db, "next", str(row + 1))
        db.execute("INSERT INTO fts(rowid, text) VALUES (?, ?)", (row, text))
        tail = text[-2:]
    if key is not None and max(key[2], key[3]) > before - RACY_NS:
        key = None  # changed just before it was read: a change now would leave it as it is
    old = db.execute("SELECT row FROM docs WHERE id = ?", (article.id,)).fetchone()
    db.execute(
        "INSERT OR REPLACE INTO docs(id, key, row, tail) VALUES (?, ?, ?, ?)",
        (article.id, json.dumps(key) if key else None, row, tail),
    )
    return Entry(key, body is not None), int(bool(old and old[0] is not None))


def _create(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        DROP TABLE IF EXISTS vocab;
        DROP TABLE IF EXISTS fts;
        DROP TABLE IF EXISTS docs;
        DROP TABLE IF EXISTS meta;
        CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE docs(id TEXT PRIMARY KEY, key TEXT, row INTEGER, tail TEXT);
        CREATE INDEX docs_by_row ON docs(row);
        CREATE VIRTUAL TABLE fts USING fts5(
            text, content='', tokenize='trigram case_sensitive 1', detail=none
        );
        CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, row);
        """
    )
    _set_meta(db, "stamp", json.dumps(_stamp()))


def _read_entries(db: sqlite3.Connection) -> dict[str, Entry]:
    entries = {}
    for article_id, key, row in db.execute("SELECT id, key, row FROM docs"):
        parsed = json.loads(key) if key else None
        entries[article_id] = Entry(tuple(parsed) if parsed else None, row is not None)
    return entries


def _meta(db: sqlite3.Connection, name: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def _set_meta(db: sqlite3.Connection, name: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)", (name, value))


def _stamp_of(db: sqlite3.Connection) -> object:
    try:
        value = _meta(db, "stamp")
    except sqlite3.OperationalError:  # no such table: a new file (or not ours)
        return None
    return json.loads(value) if value else None


_stamp_cache: list[list[object]] = []


def _stamp() -> list[object]:
    """This build: the format, reader's, Python's and Unicode's versions, and the stat of the
    modules that fold and decode (editing one re-indexes everything)."""
    if not _stamp_cache:
        stamp: list[object] = [FORMAT, __version__, sys.version, unicodedata.unidata_version]
        for name in _CODE:
            origin = getattr(sys.modules.get(name), "__file__", None)
            try:
                stamp.append(list(stat_key(os.stat(origin))[1:4]) if origin else None)
            except OSError:
                stamp.append(None)
        _stamp_cache.append(stamp)
    return _stamp_cache[0]

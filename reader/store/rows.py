"""Rows reader never writes, found before anything uses them. No Textual here.

A database file is data too: edited by hand, by another program or damaged, a row may hold
``start = 'abc'``, a NULL quote or a flag of 7, and code that trusts its own schema would crash
on it (start-up, `reader export`, the app's background check). `check_rows` looks at every row
in SQL when a store is opened; `checked` looks at each row as it is read, for what another
program writes later. Both raise DamagedRow naming the file, the row and the value.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from reader.store.errors import DamagedRow

#: Column -> the SQL condition its value must meet (affinity makes '5' an integer 5; a value
#: that cannot be one keeps its own type and fails here).
_ANNOTATION_RULES = {
    "id": "typeof(id) = 'text' and id != ''",
    "article_id": "typeof(article_id) = 'text'",
    "tag": "typeof(tag) = 'text'",
    "start": "typeof(start) = 'integer' and start >= 0",
    "end": 'typeof("end") = \'integer\' and "end" > start',
    "quote": "typeof(quote) = 'text'",
    "prefix": "typeof(prefix) = 'text'",
    "suffix": "typeof(suffix) = 'text'",
    "note": "note is null or typeof(note) = 'text'",
    "created": "typeof(created) = 'text'",
    "updated": "typeof(updated) = 'text'",
    "article_sha256": "typeof(article_sha256) = 'text'",
    "orphaned": "orphaned in (0, 1)",
    "review": "review in (0, 1)",
}
_TAG_RULES = {
    "name": "typeof(name) = 'text' and name != ''",
    "key": "typeof(key) = 'text'",
    "colour": "typeof(colour) = 'text'",
}
#: Rows named in a message at most.
SHOWN = 3


def _first_bad(
    conn: sqlite3.Connection, table: str, key: str, rules: dict[str, str]
) -> list[tuple[Any, str, Any]]:
    """(row key, column, value) of up to SHOWN rows of ``table`` breaking a rule."""
    ok = " and ".join(f"coalesce({rule}, 0)" for rule in rules.values())
    cases = " ".join(
        f"when not coalesce({rule}, 0) then '{column}'" for column, rule in rules.items()
    )
    sql = f'select {key}, case {cases} end from "{table}" where not ({ok}) limit {SHOWN}'
    found = []
    for ident, column in conn.execute(sql).fetchall():
        quoted = f'"{column}"'
        value = conn.execute(f'select {quoted} from "{table}" where {key} is ?', [ident]).fetchone()
        found.append((ident, column, value[0] if value else None))
    return found


def check_rows(conn: sqlite3.Connection, name: str) -> None:
    """Raise DamagedRow if any annotation or tag of the database breaks reader's rules."""
    tables = {row[0] for row in conn.execute("select name from sqlite_master where type='table'")}
    for table, key, rules, noun in (
        ("annotations", "id", _ANNOTATION_RULES, "annotation"),
        ("tags", "name", _TAG_RULES, "tag"),
    ):
        if table not in tables:
            continue
        bad = _first_bad(conn, table, key, rules)
        if bad:
            shown = "; ".join(f"{noun} {i!r:.60}: '{col}' is {v!r:.60}" for i, col, v in bad)
            raise DamagedRow(
                f"{name}: holds values reader never writes ({shown}); the file was changed by "
                "another program or is damaged. reader leaves it as it is: restore a backup, "
                "or fix or delete those rows"
            )


def checked(row: tuple, name: str) -> tuple:
    """``row`` (an annotation in FIELDS order), or DamagedRow if a value is not of its kind."""
    (ident, article_id, tag, start, end, quote, prefix, suffix, note, created, updated,
     sha256, orphaned, review) = row  # fmt: skip
    if (
        type(start) is int
        and type(end) is int
        and 0 <= start < end
        and type(ident) is str
        and type(article_id) is str
        and type(tag) is str
        and type(quote) is str
        and type(prefix) is str
        and type(suffix) is str
        and (note is None or type(note) is str)
        and type(created) is str
        and type(updated) is str
        and type(sha256) is str
        and orphaned in (0, 1)
        and review in (0, 1)
    ):
        return row
    raise DamagedRow(
        f"{name}: annotation {ident!r:.60} holds values reader never writes (start {start!r:.30}"
        f", end {end!r:.30}); the file was changed by another program or is damaged. reader "
        "leaves it as it is"
    )

"""The annotation database's schema: its tables, made from the fields of `reader.model`, and
the migrations that bring an older file up to this reader. No Textual here.

Each schema version is one sqlite-utils migration. Version 1 makes the tables of the fields
that have ``since == 1``; a later field says the version that adds it, and that version's
migration adds its column (to files made before it), so a file made today and one upgraded
from version 1 end with the same columns.

sqlite-utils is imported on first use (`sqlite_utils_module`): opening an up-to-date database
needs only ``sqlite3`` (`pending` reads the applied migrations directly).
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from typing import TYPE_CHECKING, Any

from reader.model import ANNOTATION_FIELDS, TAG_FIELDS, Field
from reader.tags import DEFAULT_TAGS

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

APP_NAME = "reader"
#: Bumped by every migration; a file with a higher number comes from a newer reader.
SCHEMA_VERSION = 1
MIGRATION_SET = "reader"


@functools.cache
def sqlite_utils_module() -> Any:
    """The sqlite_utils package, imported on first use (migrations, bulk upserts): reading,
    tagging and undo need only sqlite3."""
    import sqlite_utils
    import sqlite_utils.migrations

    return sqlite_utils


def _columns(fields: tuple[Field, ...], version: int) -> dict[str, type]:
    """Column -> Python type (bool stored as int) of the fields a version adds."""
    return {f.name: int if f.kind is bool else f.kind for f in fields if f.since == version}


def _m001_initial(db: Database) -> None:
    db.table("reader_meta").create({"key": str, "value": str}, pk="key")
    db.table("reader_meta").insert_all(
        [{"key": "app", "value": APP_NAME}, {"key": "schema_version", "value": "1"}]
    )
    tag_columns = _columns(TAG_FIELDS, 1)
    db.table("tags").create(tag_columns, pk="name", not_null=set(tag_columns) - {"name"})
    db.table("tags").insert_all(dataclasses.asdict(tag) for tag in DEFAULT_TAGS)
    columns = _columns(ANNOTATION_FIELDS, 1)
    db.table("annotations").create(
        columns,
        pk="id",
        not_null={f.name for f in ANNOTATION_FIELDS if not f.nullable and f.name != "id"},
        defaults={f.name: 0 for f in ANNOTATION_FIELDS if f.kind is bool},
        foreign_keys=[("tag", "tags", "name")],
    )
    db.table("annotations").create_index(["article_id", "start"])


_STEPS = (("m001_initial", _m001_initial),)
KNOWN_MIGRATIONS = frozenset(name for name, _ in _STEPS)


@functools.cache
def migrations() -> Migrations:
    """reader's sqlite-utils migration set."""
    steps = sqlite_utils_module().migrations.Migrations(MIGRATION_SET)
    for name, fn in _STEPS:
        steps(name=name)(fn)
    return steps


def applied(conn: sqlite3.Connection) -> set[str]:
    """The names of reader's migrations applied to the database (OperationalError when it has
    no migrations table)."""
    rows = conn.execute(
        "select name from _sqlite_migrations where migration_set = ?", [MIGRATION_SET]
    )
    return {row[0] for row in rows}


def pending(conn: sqlite3.Connection) -> bool:
    """True when a migration of this reader is not applied yet (as
    ``migrations().pending(db)``, without importing sqlite-utils)."""
    try:
        done = applied(conn)
    except sqlite3.OperationalError:  # no such table: nothing applied
        return True
    return not done >= KNOWN_MIGRATIONS

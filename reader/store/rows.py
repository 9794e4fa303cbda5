"""An annotation as a row of the database: the mapping both ways, the statements, and the
rows reader never writes, found before anything uses them. No Textual here.

All of it is made from the one list of fields (`reader.model.ANNOTATION_FIELDS`): a row holds
them in that order, flags as 0/1.

A database file is data too: edited by hand, by another program or damaged, a row may hold
``start = 'abc'``, a NULL quote or a flag of 7, and code that trusts its own schema would crash
on it (start-up, `reader export`, the app's background check). `check_rows` looks at every row
in SQL when a store is opened; `checked` looks at each row as it is read, for what another
program writes later. Both raise DamagedRow naming the file, the row and the value.
"""

from __future__ import annotations

import itertools
import operator
import sqlite3
from typing import Any

from reader.model import (
    ANNOTATION_FIELDS,
    FIELDS,
    FLAG_FIELDS,
    PLACE_FIELDS,
    TAG_FIELDS,
    Annotation,
    Field,
)
from reader.store.errors import DamagedRow

# --- mapping -----------------------------------------------------------------------------------

_FLAG_AT = tuple(FIELDS.index(name) for name in FLAG_FIELDS)
_values = operator.attrgetter(*FIELDS)


def to_tuple(a: Annotation) -> tuple:
    """``a`` as a row in ``FIELDS`` order, flags as 0/1."""
    values = list(_values(a))
    for i in _FLAG_AT:
        values[i] = int(bool(values[i]))
    return tuple(values)


def to_row(a: Annotation) -> dict[str, Any]:
    """``a`` as a row, column -> value (for sqlite-utils)."""
    return dict(zip(FIELDS, to_tuple(a), strict=True))


def from_tuple(row: tuple) -> Annotation:
    """An annotation from a row selected in ``FIELDS`` order (`SELECT`)."""
    values = list(row)
    for i in _FLAG_AT:
        values[i] = bool(values[i])
    return Annotation(*values)


def _names(names: tuple[str, ...], template: str = '"{}"', sep: str = ", ") -> str:
    return sep.join(template.format(name) for name in names)


_SET = '"{}" = ?'
SELECT = f"select {_names(FIELDS)} from annotations"
INSERT = f"insert into annotations ({_names(FIELDS)}) values ({', '.join('?' * len(FIELDS))})"
#: Every field but the id, then the id: ``[*to_tuple(a)[1:], a.id]``.
UPDATE = "update annotations set " + _names(FIELDS[1:], _SET) + " where id = ?"
#: The place (`PLACE_FIELDS`) as re-anchored, the id, then the place as it was read: written
#: only where it is still as read.
REANCHOR = (
    "update annotations set "
    + _names(PLACE_FIELDS, _SET)
    + " where id = ? and "
    + _names(PLACE_FIELDS, '"{}" is ?', " and ")
)

# --- rows reader never writes ------------------------------------------------------------------

#: What a value must be beyond its kind (the kind comes from the field's type).
_MORE = {"annotations": {"id": "[id] != ''", "start": "[start] >= 0", "end": "[end] > [start]"},
         "tags": {"name": "[name] != ''"}}  # fmt: skip


def _rule(f: Field, more: str | None) -> str:
    """The SQL condition the column's value must meet (affinity makes '5' an integer 5; a value
    that cannot be one keeps its own type and fails here)."""
    column = f"[{f.name}]"
    if f.kind is bool:
        rule = f"{column} in (0, 1)"
    else:
        rule = f"typeof({column}) = '{'integer' if f.kind is int else 'text'}'"
    if f.nullable:
        rule = f"{column} is null or {rule}"
    return f"({rule}) and {more}" if more else rule


def _rules(table: str, fields: tuple[Field, ...]) -> dict[str, str]:
    return {f.name: _rule(f, _MORE[table].get(f.name)) for f in fields}


_ANNOTATION_RULES = _rules("annotations", ANNOTATION_FIELDS)
_TAG_RULES = _rules("tags", TAG_FIELDS)
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


#: The types a row's values may have, field by field (flags are ints; NULL where allowed).
_ROW_TYPES = frozenset(
    itertools.product(
        *(
            ((int if f.kind is bool else f.kind), *((type(None),) if f.nullable else ()))
            for f in ANNOTATION_FIELDS
        )
    )
)
_START, _END = FIELDS.index("start"), FIELDS.index("end")


def checked(row: tuple, name: str) -> tuple:
    """``row`` (an annotation in FIELDS order), or DamagedRow if a value is not of its kind."""
    if (
        tuple(map(type, row)) in _ROW_TYPES
        and 0 <= row[_START] < row[_END]
        and all(row[i] in (0, 1) for i in _FLAG_AT)
    ):
        return row
    ident, start, end = row[0], row[_START], row[_END]
    raise DamagedRow(
        f"{name}: annotation {ident!r:.60} holds values reader never writes (start {start!r:.30}"
        f", end {end!r:.30}); the file was changed by another program or is damaged. reader "
        "leaves it as it is"
    )

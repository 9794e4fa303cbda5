"""What reader's data is: an annotation, a tag, and the one list of an annotation's fields.
No Textual here, and no database or file format either.

`Annotation` is the list. Each field's type says what it holds (``str``, ``int``, ``bool``;
``| None`` where it may be absent), and its metadata what else the layers need to know of it:

* ``exported``: written in an entry of the export (and read back by the import), in this order;
* ``fixed``: set once when the annotation is made (its id, its article, when it was made);
* ``place``: where it is in its article: what re-anchoring moves and nothing else;
* ``since``: the schema version of the database that first holds it (a new field is added by
  the migration to that version: the schema is made from this list, version by version).

The store's schema, its row mapping and row checks, the export writer and the import reader
all read the list from here (`FIELDS`, `Field`, `fields_where`), so that a new field is added
in this file (and a migration), and nowhere else.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

#: Characters of context kept on each side of a quote for re-anchoring.
CONTEXT_CHARS = 48

_EXPORTED = {"exported": True}
_FIXED = {"fixed": True}
_PLACE = {"place": True}
_ID = {"exported": True, "fixed": True}
_PLACE_EXPORTED = {"exported": True, "place": True}


@dataclass
class Annotation:
    """One tagged passage of an article: ``quote`` is body[start:end] of the text it was made
    against (``article_sha256``), ``prefix`` and ``suffix`` the text around it for re-anchoring.
    ``orphaned``: the quote was not found again; ``review``: found by a fuzzy match."""

    id: str = field(metadata=_ID)
    article_id: str = field(metadata=_FIXED)
    tag: str = field(metadata=_EXPORTED)
    start: int = field(metadata=_PLACE_EXPORTED)
    end: int = field(metadata=_PLACE_EXPORTED)
    quote: str = field(metadata=_PLACE_EXPORTED)
    prefix: str = field(metadata=_PLACE)
    suffix: str = field(metadata=_PLACE)
    note: str | None = field(metadata=_EXPORTED)
    created: str = field(metadata=_ID)
    updated: str = field(metadata=_EXPORTED)
    article_sha256: str = field(metadata=_PLACE)
    orphaned: bool = field(default=False, metadata=_PLACE_EXPORTED)
    review: bool = field(default=False, metadata=_PLACE_EXPORTED)


@dataclass(frozen=True)
class Tag:
    """A tag as users see it: its name, the key that applies it and its colour."""

    name: str
    key: str
    colour: str


@dataclass(frozen=True)
class Field:
    """One field of a record as the layers see it (from the dataclass and its metadata)."""

    name: str
    #: str, int or bool (bool fields are stored as 0/1)
    kind: type
    nullable: bool
    exported: bool = False
    fixed: bool = False
    place: bool = False
    since: int = 1


def _fields_of(cls: type) -> tuple[Field, ...]:
    hints = typing.get_type_hints(cls)
    found = []
    for item in dataclasses.fields(cls):
        hint = hints[item.name]
        args = typing.get_args(hint)
        nullable = typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args
        kind = next(a for a in args if a is not type(None)) if nullable else hint
        found.append(Field(item.name, kind, nullable, **dict(item.metadata)))
    return tuple(found)


#: An annotation's fields, in order: the one list.
ANNOTATION_FIELDS: tuple[Field, ...] = _fields_of(Annotation)
#: Their names, in order (the columns of a row, the arguments of `Annotation`).
FIELDS: tuple[str, ...] = tuple(f.name for f in ANNOTATION_FIELDS)
#: A tag's fields, in order.
TAG_FIELDS: tuple[Field, ...] = _fields_of(Tag)


def fields_where(**wanted: Any) -> tuple[str, ...]:
    """Names of the annotation fields whose attributes have the given values, in order:
    ``fields_where(exported=True)``, ``fields_where(kind=bool)``."""
    return tuple(
        f.name
        for f in ANNOTATION_FIELDS
        if all(getattr(f, key) == value for key, value in wanted.items())
    )


#: The fields of an export entry, in the order written.
ENTRY_FIELDS = fields_where(exported=True)
#: What re-anchoring changes: an annotation's place in its article.
PLACE_FIELDS = fields_where(place=True)
#: The fields a change can set (not the fixed ones, nor ``updated``, which every change sets).
CHANGEABLE_FIELDS = tuple(f for f in fields_where(fixed=False) if f != "updated")
#: The true-or-false fields (exported only when true).
FLAG_FIELDS = fields_where(kind=bool)


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

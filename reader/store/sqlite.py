"""The annotation store on one SQLite file: what is read and written, and the checks of what
is given to be written. No Textual here.

Opening the file is `opening`'s job (nothing of a file that is not for us is ever written),
the tables and their upgrades `schema`'s, the transactions `connection`'s, a row's mapping and
checks `rows`'s; `Store` does what `base.AnnotationStore` says a store does.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from reader.model import (
    CHANGEABLE_FIELDS,
    PLACE_FIELDS,
    Annotation,
    Tag,
    context_of,
    has_surrogate,
    utc_now,
)
from reader.store import rows
from reader.store.connection import SQLiteConnection
from reader.store.errors import AnnotationNotFound, Conflict, InvalidAnnotation
from reader.tags import checked_colour

__all__ = ["Store"]

#: Where `save_session` keeps its text, in the ``reader_meta`` table.
SESSION_KEY = "session"
MAX_SESSION_CHARS = 100_000


class Store(SQLiteConnection):
    """Annotations of one database file (or in memory when ``path`` is None)."""

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
        found = self._tuples(
            f'{rows.SELECT} {where} order by article_id, start, "end", created, id', params
        )
        name, checked, from_tuple = self.name, rows.checked, rows.from_tuple
        return [from_tuple(checked(row, name)) for row in found]

    def get(self, annotation_id: str) -> Annotation | None:
        found = self._tuples(f"{rows.SELECT} where id = ?", [annotation_id])
        return rows.from_tuple(rows.checked(found[0], self.name)) if found else None

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
            self.conn.execute(rows.INSERT, rows.to_tuple(annotation))
        return annotation

    def update(self, annotation_id: str, **changes: Any) -> Annotation:
        """Change the given fields (`CHANGEABLE_FIELDS`: others stay as they are) and bump
        ``updated``."""
        unknown = sorted(set(changes) - set(CHANGEABLE_FIELDS))
        if unknown:
            raise TypeError(f"update() cannot change {', '.join(unknown)}")
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
            self.conn.execute(rows.UPDATE, [*rows.to_tuple(new)[1:], annotation_id])
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
                self.conn.execute(rows.INSERT, rows.to_tuple(target))
                return
            if target is None:
                touched = ["tag", "note"]
            else:
                touched = [
                    f for f in CHANGEABLE_FIELDS if getattr(expected, f) != getattr(target, f)
                ]
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
            self.conn.execute(rows.UPDATE, [*rows.to_tuple(new)[1:], new.id])

    def reanchor(self, moves: list[tuple[Annotation, Annotation]]) -> int:
        """Write re-anchored places, (as read, as re-anchored) pairs, in one transaction: only
        the place (offsets, quote, context, article hash, orphaned, review), and only where it
        is still as read. Tag and note are never written here, so a retag or note another
        reader saved meanwhile stays; a place another reader moved meanwhile stays too.
        Returns how many were written."""
        written = 0
        with self._write():
            for old, new in moves:
                now = [getattr(new, f) for f in PLACE_FIELDS]
                was = [getattr(old, f) for f in PLACE_FIELDS]
                written += self.conn.execute(rows.REANCHOR, [*now, old.id, *was]).rowcount
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
            self.db.table("annotations").upsert_all((rows.to_row(a) for a in annotations), pk="id")

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

    # --- the reading session (which articles were open) -----------------------------------------

    def session(self) -> str | None:
        """What the last session left to restore (opaque text, written by `save_session`)."""
        found = self._tuples("select value from reader_meta where key = ?", [SESSION_KEY])
        return str(found[0][0]) if found and found[0][0] is not None else None

    def save_session(self, value: str) -> None:
        if len(value) > MAX_SESSION_CHARS:
            raise InvalidAnnotation(f"session state of {len(value)} characters is too long")
        with self._write():
            self.conn.execute(
                "insert into reader_meta (key, value) values (?, ?) "
                "on conflict(key) do update set value = excluded.value",
                [SESSION_KEY, value],
            )

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

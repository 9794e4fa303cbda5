"""The shape of a ``reader-annotations/1`` document, and what one entry may hold. No Textual
here.

The fields of an entry are those of `reader.model` marked ``exported``, in that order.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timezone
from typing import Any

from reader.corpus.articles import MAX_BYTES
from reader.exchange.quoting import shown, unknown_fields
from reader.model import ENTRY_FIELDS, FLAG_FIELDS, Annotation, context_of, has_surrogate

__all__ = [
    "ARTICLE_FIELDS",
    "ARTICLE_KEYS",
    "ENTRY_FIELDS",
    "FORMAT",
    "build_annotation",
    "entry_problems",
]

FORMAT = "reader-annotations/1"
ARTICLE_FIELDS = ("title", "outlet", "author", "date", "language")
ARTICLE_KEYS = ("id", "file", *ARTICLE_FIELDS, "sha256", "annotations")
#: The true-or-false fields of an entry: written only when true.
EXPORTED_FLAGS = tuple(name for name in ENTRY_FIELDS if name in FLAG_FIELDS)

#: What one entry may hold. Real values are far shorter; the limits keep a hostile file from
#: filling the database (or a message) and from offsets SQLite cannot store (64 bits):
#: offsets and quotes up to the longest body reader opens (an article file is read up to
#: MAX_BYTES, so its body holds at most that many code points); a note up to 1 MB of text
#: (some 150,000 words: what a reader types, not a pasted book); an id up to 200 characters
#: (reader's own are 36; room for ids of other tools, which messages and the screen show).
MAX_OFFSET = MAX_BYTES
MAX_QUOTE = MAX_BYTES
MAX_NOTE = 1 << 20
MAX_ID = 200
#: Article ids are file names without their extension: no longer than a file name can be.
MAX_ARTICLE_ID = 255
SHA256 = re.compile("[0-9a-fA-F]{64}")


def entry_problems(e: dict[str, Any], tags: list[str]) -> list[str]:
    """What is wrong with the fields of one entry, each as a phrase (none: it can be placed)."""
    problems = []
    unknown = [key for key in e if key not in ENTRY_FIELDS]
    if unknown:
        problems.append(unknown_fields(unknown))
    ident = e.get("id")
    if "id" in e and not (isinstance(ident, str) and ident.strip()):
        problems.append("'id' must be non-empty text")
    elif isinstance(ident, str) and len(ident) > MAX_ID:
        problems.append(f"'id' is {len(ident):,} characters long (at most {MAX_ID})")
    for key in ("tag", "start", "end", "quote"):
        if key not in e:
            problems.append(f"missing {key!r}")
    tag = e.get("tag")
    if "tag" in e and tag not in tags:
        problems.append(f"unknown tag {shown(tag)} (known: {', '.join(tags)})")
    offsets = []
    for key in ("start", "end"):
        value = e.get(key)
        if key not in e:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"'{key}' must be a whole number, not {shown(value)}")
        elif not 0 <= value <= MAX_OFFSET:
            problems.append(
                f"'{key}' {shown(value)} is out of range (offsets are 0 to {MAX_OFFSET:,}: "
                f"articles are read up to {MAX_BYTES // 2**20} MB)"
            )
        else:
            offsets.append(value)
    if len(offsets) == 2 and not offsets[0] < offsets[1]:
        start, end = offsets
        problems.append(f"need 0 <= start < end, got start {start}, end {end}")
    quote = e.get("quote")
    if "quote" in e and not (isinstance(quote, str) and quote):
        problems.append("'quote' must be non-empty text")
    elif isinstance(quote, str) and len(quote) > MAX_QUOTE:
        problems.append(f"'quote' is {len(quote):,} characters long (at most {MAX_QUOTE:,})")
    note = e.get("note")
    if note is not None and not isinstance(note, str):
        problems.append("'note' must be text or null")
    elif isinstance(note, str) and len(note) > MAX_NOTE:
        problems.append(f"'note' is {len(note):,} characters long (at most {MAX_NOTE:,})")
    for key in ("quote", "note", "id"):
        value = e.get(key)
        if isinstance(value, str) and has_surrogate(value):
            problems.append(f"'{key}' holds a lone surrogate (not valid Unicode)")
    for key in ("created", "updated"):
        if key in e and timestamp(e[key]) is None:
            problems.append(
                f"'{key}' must be an ISO 8601 timestamp (in UTC, years 1 to 9999), "
                f"not {shown(e[key])}"
            )
    for key in EXPORTED_FLAGS:
        if key in e and not isinstance(e[key], bool):
            problems.append(f"'{key}' must be true or false")
    return problems


_UTC_SECONDS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def timestamp(value: object) -> str | None:
    """ISO 8601 UTC in whole seconds, or None when ``value`` is not a timestamp (or not one
    that UTC can hold: "0001-01-01T00:00:00+14:00" is in the year 0 there)."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        if _UTC_SECONDS.fullmatch(value):
            return value  # already in that form (as reader writes it)
        value = parsed
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    try:
        return value.astimezone(timezone.utc).replace(microsecond=0).isoformat()
    except (OverflowError, ValueError):
        return None


Place = tuple[str, str, int, int]  # article id, tag, start, end


def article_id_problem(article_id: str) -> str | None:
    """Why ``article_id`` cannot be the id of any article file, or None."""
    if len(article_id) > MAX_ARTICLE_ID:
        return (
            f"the article id is {len(article_id):,} characters long, longer than a file name "
            f"can be (at most {MAX_ARTICLE_ID})"
        )
    if "/" in article_id or "\x00" in article_id:
        return "the article id holds '/' or NUL: no file name does"
    if has_surrogate(article_id):
        return "the article id holds a lone surrogate (not valid Unicode)"
    return None


def build_annotation(
    e: dict[str, Any],
    old: Annotation | None,
    ident: str,
    article_id: str,
    body: str | None,
    sha256: str,
    start: int,
    end: int,
    status: str,
    now: str,
) -> Annotation:
    """The annotation an entry makes, placed at start..end of ``body`` (None: unchecked) as
    ``status`` says; ``old``: the stored one it replaces, if any; ``now``: the import's time."""
    orphaned = status == "orphaned"
    review = bool(e.get("review", False)) or status == "fuzzy"
    if body is None:
        # unchecked: as the entry says; what the store knows of the same place is kept
        quote, orphaned = e["quote"], bool(e.get("orphaned", False))
        prefix, suffix, sha256 = "", "", ""
        if old is not None and (old.article_id, old.start, old.end, old.quote) == (
            article_id, start, end, quote,
        ):  # fmt: skip
            prefix, suffix, sha256 = old.prefix, old.suffix, old.article_sha256
    elif orphaned:
        quote = e["quote"]
        prefix, suffix = (old.prefix, old.suffix) if old else ("", "")
    else:
        quote = body[start:end]
        prefix, suffix = context_of(body, start, end)
    new = Annotation(
        id=ident,
        article_id=article_id,
        tag=e["tag"],
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        note=e.get("note", old.note if old else None),
        created=timestamp(e.get("created")) or (old.created if old else now),
        updated="",
        article_sha256=sha256,
        orphaned=orphaned,
        review=review,
    )
    if "updated" in e:
        new.updated = timestamp(e["updated"]) or now
    elif old is not None and dataclasses.replace(new, updated=old.updated) == old:
        new.updated = old.updated
    else:
        new.updated = now
    return new

"""An article's metadata fields: from `metadata.yaml` and from Markdown front matter.

No Textual here. Metadata is untrusted YAML (read with the safe loader); only text values are
kept, cut to a length one line of the article list can show, with a warning for the rest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.corpus import files
from reader.corpus.listing_cache import Shared

if TYPE_CHECKING:
    from reader.corpus.article import Article

FIELDS = ("title", "outlet", "author", "date", "language")
METADATA_FILE = "metadata.yaml"
#: Front matter longer than this is not parsed (metadata is a few lines; a YAML bomb is not).
MAX_FRONT_MATTER = 64 * 1024
#: Metadata values longer than this (in characters) are cut, with a warning: they are shown in
#: one line of the article list and kept in the listing cache, and a 1 MB title would be held
#: (and drawn, and written) for every start. Headlines run to ~100-300 characters, so a title
#: keeps up to 500; outlets, authors (a list of names), dates and languages are shorter still,
#: and keep up to 200, as much as the first line of a text shown in a title's place.
MAX_TITLE = 500
MAX_FIELD = 200


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str | None]:
    """Split YAML front matter off a Markdown text: (metadata, body, warning or None)."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip("\r") != "---":
        return {}, text, None
    pos = first_end + 1 if first_end >= 0 else len(text)
    while pos <= len(text):
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if line.rstrip("\r") in ("---", "..."):
            raw = text[first_end + 1 : pos]
            body = "" if nl < 0 else text[nl + 1 :]
            if len(raw) > MAX_FRONT_MATTER:
                return {}, body, "front matter is too long to be metadata; using fallbacks"
            meta, problem = load_yaml(raw)
            if problem:
                return {}, body, f"front matter is not valid YAML ({problem}); using fallbacks"
            if meta is None:
                return {}, body, None
            if not isinstance(meta, dict):
                return {}, body, "front matter is not a mapping of fields; using fallbacks"
            return meta, body, None
        if nl < 0:
            break
        pos = nl + 1
    return {}, text, "front matter has no closing '---' line; shown as text"


def load_yaml(data: str | bytes) -> tuple[Any, str | None]:
    """Untrusted YAML through the safe loader: (data, None), or (None, a one-line problem).
    PyYAML is imported on first use: a start with a warm listing cache parses no YAML."""
    from reader.safe_yaml import load_yaml as load

    return load(data)


def read_metadata_file(path: Path, warnings: list[str]) -> tuple[dict[str, Any], bool]:
    """The entries of `metadata.yaml` by file name (problems added to ``warnings``), and
    whether the file could be read (or is not there)."""
    if not path.is_file():
        return {}, True
    try:
        data, problem = load_yaml(files.read_regular(path))
    except OSError as exc:
        warnings.append(f"{path}: cannot read: {files.os_reason(exc)}")
        return {}, False
    if problem:
        warnings.append(f"{path}: not valid YAML ({problem}); metadata ignored")
        return {}, True
    if data is None:
        return {}, True
    if not isinstance(data, dict):
        warnings.append(f"{path}: expected a mapping of file names to fields; metadata ignored")
        return {}, True
    return {str(key): value for key, value in data.items()}, True


def meta_fields(meta: Any, file: str, source: str) -> Shared:
    """What a metadata entry (of `metadata.yaml` or front matter) gives an article: (its
    fields that are text, warnings about the others)."""
    fields: dict[str, str] = {}
    notes: list[str] = []
    if meta is None:
        return fields, notes
    if not isinstance(meta, dict):
        notes.append(f"{source}: entry for {file} is not a mapping; ignored")
        return fields, notes
    for name in FIELDS:
        text, problem = _meta_text(meta.get(name))
        if problem:
            # shown after the article's file name: "a.md: front matter: 'title' is a list..."
            notes.append(f"{source}: '{name}' is {problem}, not text; ignored")
        elif text:
            limit = MAX_TITLE if name == "title" else MAX_FIELD
            if len(text) > limit:
                notes.append(
                    f"{source}: '{name}' is {len(text):,} characters long; "
                    f"cut to its first {limit - 1}"
                )
                text = text[: limit - 1] + "…"
            fields[name] = text
    return fields, notes


def apply_fields(article: Article, meta: Shared) -> None:
    fields, notes = meta
    for name, text in fields.items():
        setattr(article, name, text)
    article.warnings.extend(notes)


def _meta_text(value: Any) -> tuple[str | None, str | None]:
    """A metadata value as text: (text or None, None), or (None, what it is instead).

    Strings are stripped; numbers and booleans arrive as written (`_as_written`); dates become
    ISO 8601 text; null is an unknown field. Binary data and collections are not text."""
    if value is None or isinstance(value, str):
        return (value.strip() or None) if value else None, None
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat(), None
    if isinstance(value, (int, float)):  # bool included: values not loaded by our loader
        return str(value).lower() if isinstance(value, bool) else str(value), None
    if isinstance(value, (bytes, bytearray)):
        return None, "binary data (!!binary)"
    if isinstance(value, dict):
        return None, "a mapping"
    if isinstance(value, (list, tuple)):
        return None, "a list"
    if isinstance(value, (set, frozenset)):
        return None, "a set"
    return None, f"a {type(value).__name__}"

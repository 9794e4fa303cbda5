"""The tags a new database starts with, and tag colours. No Textual here.

`Tag` itself is in `reader.model` (imported here too, for the callers that know it from here).
"""

from __future__ import annotations

import re

from reader.model import Tag

__all__ = ["CUSTOM_COLOUR", "DEFAULT_TAGS", "Tag", "checked_colour", "colour_of", "tag_for_key"]

#: The tags every new database starts with (CONTRACT: 1, 2, 3).
DEFAULT_TAGS: tuple[Tag, ...] = (
    Tag("legal argument", "1", "#3b82f6"),
    Tag("casualty figure", "2", "#ef4444"),
    Tag("demand", "3", "#22c55e"),
)

#: Colour used for tags that are not in DEFAULT_TAGS (custom tags).
CUSTOM_COLOUR = "#a855f7"


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def checked_colour(value: object) -> str:
    """``value`` when it is a colour as reader writes them ('#RRGGBB'), else CUSTOM_COLOUR.

    A colour read from the database is data too: it becomes part of a style, and a style
    string such as "red link https://..." would make the text a terminal hyperlink."""
    return value if isinstance(value, str) and _COLOUR.fullmatch(value) else CUSTOM_COLOUR


def tag_for_key(key: str, tags: tuple[Tag, ...] | list[Tag] = DEFAULT_TAGS) -> Tag | None:
    """The tag bound to ``key`` ("1", "2", ...), or None."""
    for tag in tags:
        if tag.key == key:
            return tag
    return None


def colour_of(name: str, tags: tuple[Tag, ...] | list[Tag] = DEFAULT_TAGS) -> str:
    """The colour of the tag called ``name`` (custom tags share one colour)."""
    for tag in tags:
        if tag.name == name:
            return tag.colour
    return CUSTOM_COLOUR

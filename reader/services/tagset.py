"""TagSet: the tags of a database as the screen uses them. No Textual here.

Tags are data: the store holds them (name, key, colour) and every place that names a key or a
tag reads this set: the pane's tag keys `1`-`9`, the legend, the key bar, the help screen and
the prompts ("press 1, 2 or 3"). A tag added to the store with key `4` works as soon as the set
is read again (`Annotations.poll` does, when the database changed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from reader.model import Tag
from reader.tags import CUSTOM_COLOUR

#: The keys a tag can be bound to, in the order they are shown.
TAG_KEYS = tuple("123456789")


class TagSet:
    """An ordered, immutable set of tags, with the key each is bound to (if any)."""

    __slots__ = ("_by_key", "_by_name", "_tags")

    def __init__(self, tags: Iterable[Tag]) -> None:
        self._tags: tuple[Tag, ...] = tuple(tags)
        self._by_name = {t.name: t for t in self._tags}
        self._by_key: dict[str, Tag] = {}
        for tag in self._tags:  # a key held by two tags goes to the first (the store's order)
            if tag.key in TAG_KEYS and tag.key not in self._by_key:
                self._by_key[tag.key] = tag

    def __iter__(self) -> Iterator[Tag]:
        return iter(self._tags)

    def __len__(self) -> int:
        return len(self._tags)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TagSet) and other._tags == self._tags

    def __hash__(self) -> int:
        return hash(self._tags)

    def __repr__(self) -> str:
        return f"TagSet({', '.join(f'{t.key}={t.name}' for t in self._tags)})"

    @property
    def names(self) -> list[str]:
        return [t.name for t in self._tags]

    @property
    def keys(self) -> list[str]:
        """The keys bound to a tag, in key order."""
        return [key for key in TAG_KEYS if key in self._by_key]

    def for_key(self, key: str | None) -> Tag | None:
        """The tag bound to ``key`` ("1" ... "9"), or None."""
        return self._by_key.get(key or "")

    def get(self, name: str) -> Tag | None:
        return self._by_name.get(name)

    def colour_of(self, name: str) -> str:
        """The colour of the tag called ``name`` (an unknown name gets the custom colour)."""
        tag = self._by_name.get(name)
        return tag.colour if tag is not None else CUSTOM_COLOUR

    def keys_phrase(self) -> str:
        """The tag keys as a prompt says them: "1", "1 or 2", "1, 2 or 3"."""
        keys = self.keys
        if not keys:
            return "a tag key (no tag has one)"
        if len(keys) == 1:
            return keys[0]
        return ", ".join(keys[:-1]) + " or " + keys[-1]

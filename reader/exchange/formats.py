"""The export formats: one entry per format, the one place a format is looked up. No Textual
here.

The CLI's ``reader export`` and the app's ``e`` both go through `choose` (the format named,
else the one the output file's suffix says, else YAML) and the entry's ``render``. Today there
is YAML only; a new format is one `register` call (its name, the suffixes that mean it, and a
function making the text from the store and the corpus).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.store.errors import DatabaseReplaced, StoreBusy

if TYPE_CHECKING:
    from reader.corpus.articles import Corpus
    from reader.store import AnnotationStore

#: Makes the export text; ``save``: write the re-anchoring it does back to the store.
Writer = Callable[["AnnotationStore", "Corpus", bool], str]


@dataclass(frozen=True)
class Format:
    """One export format."""

    name: str  # as ``--format`` takes it
    suffixes: tuple[str, ...]  # of an output file, lower case with the dot: (".yaml", ".yml")
    writer: Writer
    description: str = ""

    def render(self, store: AnnotationStore, corpus: Corpus) -> str:
        """The export in this format. Where the re-anchoring it does cannot be saved (the
        database locked by another program, or replaced while the app ran) the export is
        made all the same: it is the same either way, and exporting what the app still holds
        is the way to keep it."""
        try:
            return self.writer(store, corpus, True)
        except (StoreBusy, DatabaseReplaced):
            return self.writer(store, corpus, False)


class UnknownFormat(ValueError):
    """No format of that name; str() says which there are."""


FORMATS: dict[str, Format] = {}
#: The format when neither a name nor a known suffix says one.
DEFAULT = "yaml"


def register(entry: Format) -> Format:
    """Add a format (its name and suffixes not taken by another)."""
    taken = {s for f in FORMATS.values() for s in f.suffixes} & set(entry.suffixes)
    if entry.name in FORMATS or taken:
        raise ValueError(f"format {entry.name!r} or suffix {sorted(taken)} registered twice")
    FORMATS[entry.name] = entry
    return entry


def names() -> list[str]:
    """The formats' names, in the order registered (for ``--format``'s choices)."""
    return list(FORMATS)


def get(name: str) -> Format:
    """The format called ``name`` (any case); UnknownFormat otherwise."""
    found = FORMATS.get(name.lower())
    if found is None:
        raise UnknownFormat(f"unknown format {name!r} (known: {', '.join(FORMATS)})")
    return found


def for_path(path: str | Path) -> Format | None:
    """The format a file's suffix says (``.yml``: YAML), or None."""
    suffix = Path(path).suffix.lower()
    for entry in FORMATS.values():
        if suffix in entry.suffixes:
            return entry
    return None


def choose(name: str | None = None, path: str | Path | None = None) -> Format:
    """The format named, else the one ``path``'s suffix says, else `DEFAULT`."""
    if name is not None:
        return get(name)
    found = for_path(path) if path is not None else None
    return found or FORMATS[DEFAULT]


def _yaml(store: AnnotationStore, corpus: Corpus, save: bool) -> str:
    from reader.exchange.export import export_yaml

    return export_yaml(store, corpus, save=save)


register(Format("yaml", (".yaml", ".yml"), _yaml, "reader-annotations/1, as `reader import` reads"))

"""Writing an export, for the CLI (`reader export`, with or without -o) and the app (`e`)
alike, in the format `formats.choose` picks (the one named, else the file's suffix, else YAML).
No Textual here.

The file is written atomically (`atomic_write`) and never onto what reader keeps: the
database (with its -wal and -shm files), an article or the folder's metadata.yaml (`reader
export -o annotations.db` replaced the database with YAML). An export still works when the
re-anchoring it does cannot be saved (the database locked by another program, or replaced
while the app ran: exporting what the app still holds is the way to keep it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reader.exchange import formats
from reader.exchange.atomic import check_not_among, destination, write_atomic

if TYPE_CHECKING:
    from reader.corpus.articles import Corpus
    from reader.store import AnnotationStore


def protected_files(store: AnnotationStore, corpus: Corpus) -> list[Path]:
    """The files an export must never replace."""
    from reader.corpus.articles import METADATA_FILE

    kept = [corpus.folder / METADATA_FILE, *(article.path for article in corpus)]
    if store.path is not None:
        kept += [store.path, *(Path(f"{store.path}{x}") for x in ("-wal", "-shm"))]
    return kept


def export_text(store: AnnotationStore, corpus: Corpus, format: str | None = None) -> str:
    """The export as text, in ``format`` (a name of `formats`; None: YAML). Raises StoreError,
    or formats.UnknownFormat."""
    return formats.choose(format).render(store, corpus)


def export_to_file(
    path: str | Path, store: AnnotationStore, corpus: Corpus, format: str | None = None
) -> int:
    """Write the export to ``path``, in ``format`` (None: the one its suffix says, else YAML);
    return how many annotations it holds. Raises OSError (nothing written: the previous file
    is intact), StoreError, or formats.UnknownFormat."""
    chosen = formats.choose(format, path)
    target = destination(path)
    check_not_among(
        target,
        protected_files(store, corpus),
        "is reader's database or one of its articles; choose another file for the export",
    )
    write_atomic(target, chosen.render(store, corpus))
    return len(store.annotations())

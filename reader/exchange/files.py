"""Writing the YAML export to a file, for the CLI (`reader export -o`) and the app (`e`) alike.
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

from reader.exchange.atomic import check_not_among, destination, write_atomic
from reader.store import DatabaseReplaced, StoreBusy

if TYPE_CHECKING:
    from reader.corpus.articles import Corpus
    from reader.store import Store


def protected_files(store: Store, corpus: Corpus) -> list[Path]:
    """The files an export must never replace."""
    from reader.corpus.articles import METADATA_FILE

    kept = [corpus.folder / METADATA_FILE, *(article.path for article in corpus)]
    if store.path is not None:
        kept += [store.path, *(Path(f"{store.path}{x}") for x in ("-wal", "-shm"))]
    return kept


def export_to_file(path: str | Path, store: Store, corpus: Corpus) -> int:
    """Write the YAML export to ``path``; return how many annotations it holds. Raises
    OSError (nothing written: the previous file is intact) or StoreError."""
    from reader.exchange import export_yaml

    target = destination(path)
    check_not_among(
        target,
        protected_files(store, corpus),
        "is reader's database or one of its articles; choose another file for the export",
    )
    try:
        text = export_yaml(store, corpus)
    except (StoreBusy, DatabaseReplaced):  # re-anchoring not saved: the export is the same
        text = export_yaml(store, corpus, save=False)
    write_atomic(target, text)
    return len(store.annotations())

"""The annotation store. No Textual here.

``reader.store`` is its public face: the SQLite store (`sqlite.Store`), its errors and the
annotation record.
"""

from reader.store.sqlite import (
    CONTEXT_CHARS,
    FIELDS,
    Annotation,
    AnnotationNotFound,
    Conflict,
    CorruptDatabase,
    DamagedRow,
    DatabaseReplaced,
    InvalidAnnotation,
    Store,
    StoreBusy,
    StoreError,
    context_of,
    has_surrogate,
    utc_now,
)

__all__ = [
    "CONTEXT_CHARS",
    "FIELDS",
    "Annotation",
    "AnnotationNotFound",
    "Conflict",
    "CorruptDatabase",
    "DamagedRow",
    "DatabaseReplaced",
    "InvalidAnnotation",
    "Store",
    "StoreBusy",
    "StoreError",
    "context_of",
    "has_surrogate",
    "utc_now",
]

"""The annotation store. No Textual here.

``reader.store`` is its public face: the SQLite store (`sqlite.Store`), what callers may rely on
of any store (`base.AnnotationStore`, with its opaque `ChangeToken`), its errors, and, for the
callers that know them from here, the annotation record and its helpers (`reader.model`).
"""

from reader.model import (
    CONTEXT_CHARS,
    FIELDS,
    Annotation,
    context_of,
    has_surrogate,
    utc_now,
)
from reader.store.base import AnnotationStore, ChangeToken
from reader.store.errors import (
    AnnotationNotFound,
    Conflict,
    CorruptDatabase,
    DamagedRow,
    DatabaseReplaced,
    InvalidAnnotation,
    StoreBusy,
    StoreError,
)
from reader.store.sqlite import Store

__all__ = [
    "CONTEXT_CHARS",
    "FIELDS",
    "Annotation",
    "AnnotationNotFound",
    "AnnotationStore",
    "ChangeToken",
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

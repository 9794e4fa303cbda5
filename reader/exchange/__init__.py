"""Annotations in and out of reader: the YAML export and import, atomic files. No Textual here.

``reader.exchange`` is its public face; the parts live in its modules.
"""

from reader.exchange.document import (
    FORMAT,
    ImportRejected,
    ImportResult,
    PureDumper,
    apply_import,
    dump_yaml,
    export_document,
    export_yaml,
    plan_import,
)

__all__ = [
    "FORMAT",
    "ImportRejected",
    "ImportResult",
    "PureDumper",
    "apply_import",
    "dump_yaml",
    "export_document",
    "export_yaml",
    "plan_import",
]

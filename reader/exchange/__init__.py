"""Annotations in and out of reader: the export and import, their formats, atomic files. No
Textual here.

``reader.exchange`` is its public face; the parts live in its modules: `formats` (the registry:
one entry per format, for the CLI and the app alike), `export` (the document), `plan` (the
format-free import: plan, then apply), `yaml_io` (YAML in and out), `files` (writing an export).
"""

from reader.exchange.entries import FORMAT
from reader.exchange.export import export_document, export_yaml
from reader.exchange.plan import (
    ImportPlan,
    ImportRejected,
    ImportResult,
    apply_import,
    plan_document,
    plan_import,
)
from reader.exchange.yaml_io import Dumper, Loader, PureDumper, dump_yaml, load_yaml

__all__ = [
    "FORMAT",
    "Dumper",
    "ImportPlan",
    "ImportRejected",
    "ImportResult",
    "Loader",
    "PureDumper",
    "apply_import",
    "dump_yaml",
    "export_document",
    "export_yaml",
    "load_yaml",
    "plan_document",
    "plan_import",
]

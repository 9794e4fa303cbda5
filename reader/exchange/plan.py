"""The import of a ``reader-annotations/1`` document: a plan, then its writing. No Textual
here, and nothing of YAML but `yaml_io.load_yaml` (the planning works on the parsed document,
so that another format read into the same shape imports the same way).


Import is all or nothing: `plan_import` validates the whole document and lists every bad entry;
`apply_import` writes the plan in one transaction. It writes exactly what the file says:

* An article whose ``sha256`` is the current body's has not changed since the file was
  written: each entry must be exact (quote == body[start:end]) and is refused otherwise, never
  moved to another occurrence of its quote. Entries are re-anchored to their quotes only where
  the article changed (another ``sha256``) or where the document does not say which text they
  were made against (no ``sha256``, or null: a hand-written file, or one whose article was
  missing at export time). ``orphaned: true`` entries are kept as orphans where their quote is
  not placed.
* Entries of an article that has no file here (or one that cannot be opened) cannot be checked
  against a body: they are kept as they are (``unchecked``; placed by `reconcile` when the file
  is back) when the document says the file may be gone, that is when the article has a
  ``file`` (every export writes it, null for a file that was missing then) or the entry is
  ``orphaned: true``; otherwise the id is taken for a typo and the entries are refused.
* An entry with an ``id`` is that annotation; an id of another article's annotation is refused
  (an import never moves an annotation to another article). An entry without ``id`` is the
  annotation at its (article, tag, start, end): a later entry at the same place is the same
  annotation, skipped when it repeats the first exactly (``duplicates``) and refused when it
  says something else; of several stored annotations at that place, the one the entry leaves
  unchanged is matched, else the oldest (created, then id). So importing a file twice changes
  nothing.
* Values outside what an annotation can hold (offsets beyond any article, timestamps UTC cannot
  hold, ids, notes or quotes too long: `MAX_OFFSET` and the rest) are refused per entry, with
  the others of the entry, never raising.

The plan was made from what the store held then; when another process wrote in between,
`apply_import` plans again inside its write transaction, so two imports of one file at once
cannot both add the same entries.

"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.exchange.yaml_io import load_yaml
from reader.gc_pause import paused
from reader.model import Annotation
from reader.text.wording import count

if TYPE_CHECKING:
    from reader.corpus.articles import Corpus
    from reader.store import AnnotationStore, ChangeToken


class ImportRejected(Exception):
    """apply_import was given a plan with errors."""


@dataclass
class ImportPlan:
    source: str
    errors: list[str] = field(default_factory=list)
    writes: list[Annotation] = field(default_factory=list)  # new or changed annotations
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    # of the written entries: moved to where their quote is now / kept as orphans (quote not
    # found) / kept unchecked, their article having no readable file (whose ids)
    reanchored: int = 0
    orphaned: int = 0
    unchecked: int = 0
    unchecked_articles: list[str] = field(default_factory=list)
    document: Any = field(default=None, repr=False)  # the parsed YAML, for planning again
    corpus: Corpus | None = field(default=None, repr=False)
    token: ChangeToken | None = None  # Store.change_token() when planned
    #: entries without id repeating an earlier one exactly (same place, same content): skipped
    duplicates: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    reanchored: int = 0
    orphaned: int = 0
    unchecked: int = 0
    unchecked_articles: tuple[str, ...] = ()
    duplicates: int = 0  # repeated entries skipped (see ImportPlan.duplicates)


def apply_import(plan: ImportPlan, store: AnnotationStore) -> ImportResult:
    """Write a valid plan in one transaction (all or nothing)."""
    if plan.errors:
        raise ImportRejected(
            f"{plan.source}: nothing imported; {count(len(plan.errors), 'problem')}"
        )
    with store.transaction():
        if plan.token is not None and store.change_token() != plan.token:
            # Another writer committed since planning: match the entries again against what
            # the store holds now, under the write lock, so nothing is added twice.
            assert plan.corpus is not None
            plan = plan_document(ImportPlan(plan.source), plan.document, store, plan.corpus)
            if plan.errors:
                raise ImportRejected(
                    f"{plan.source}: nothing imported; the annotations changed while importing: "
                    + "; ".join(plan.errors[:3])
                )
        store.put_many(plan.writes)
    return ImportResult(
        plan.added,
        plan.updated,
        plan.unchanged,
        plan.reanchored,
        plan.orphaned,
        plan.unchecked,
        tuple(plan.unchecked_articles),
        plan.duplicates,
    )


def plan_import(source: str | Path, store: AnnotationStore, corpus: Corpus) -> ImportPlan:
    """Validate a document (a Path to a file, or YAML text as str) against the corpus and the
    store; return what importing it would write, or every problem found."""
    if isinstance(source, Path):
        plan = ImportPlan(str(source))
        try:
            text = source.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            plan.errors.append(f"{source}: cannot read: {exc.strerror or exc}")
            return plan
        except UnicodeDecodeError as exc:
            plan.errors.append(f"{source}: not UTF-8 text (byte {exc.start})")
            return plan
    else:
        plan, text = ImportPlan("<text>"), source
    doc, problem = load_yaml(text, plan.source)
    if problem is not None:
        plan.errors.append(problem)
        return plan
    return plan_document(plan, doc, store, corpus)


def plan_document(plan: ImportPlan, doc: Any, store: AnnotationStore, corpus: Corpus) -> ImportPlan:
    """Fill ``plan`` from a parsed document (any format read into the shape of
    ``reader-annotations/1``): what importing it would write, or every problem found."""
    from reader.exchange.planner import Planner

    plan.token = store.change_token()
    with paused():
        Planner(plan, store, corpus).run(doc)
    if plan.errors:
        plan.writes, plan.added, plan.updated, plan.unchanged = [], 0, 0, 0
        plan.reanchored, plan.orphaned, plan.unchecked, plan.unchecked_articles = 0, 0, 0, []
        plan.duplicates = 0
    else:
        plan.document, plan.corpus = doc, corpus
    return plan

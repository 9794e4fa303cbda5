"""YAML export and import of annotations, schema ``reader-annotations/1``. No Textual here.

Export re-anchors first (`anchoring.reconcile`), so offsets are those of the current article
files; annotations that cannot be found again are exported with ``orphaned: true``, fuzzy
re-anchored ones needing a look with ``review: true``. Annotations of an article whose file is
missing are exported too, under ``file: null``.

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

YAML goes through our own SafeDumper subclass (the C one when libyaml is there), never through
PyYAML's global state; loading uses safe loaders only, so ``!!python/...`` tags are refused, and
aliases and collections nested too deep are refused before a document is built
(`safe_yaml.refusal`: a few KB of aliases stand for millions of entries).
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import reprlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from reader.anchoring import anchor, reconcile
from reader.corpus.articles import MAX_BYTES
from reader.gc_pause import paused
from reader.safe_yaml import lenient, refusal
from reader.store import Annotation, context_of, has_surrogate, utc_now
from reader.text import untrusted

if TYPE_CHECKING:
    from reader.corpus.articles import Article, Corpus
    from reader.store import ChangeToken, Store

FORMAT = "reader-annotations/1"
ARTICLE_FIELDS = ("title", "outlet", "author", "date", "language")
ENTRY_FIELDS = (
    "id", "tag", "start", "end", "quote", "note", "created", "updated", "orphaned", "review",
)  # fmt: skip
#: Strings longer than this (or with line breaks) are written as literal blocks when lossless:
#: long quotes read best as blocks, while titles and short quotes stay on their key's line.
BLOCK_AFTER = 160


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's when available) for import files. A typed scalar that does
    not convert (an impossible date, an int of more digits than Python reads, ``!!bool x``)
    stays text: the entry holding it is then refused with a reason, instead of the whole file
    failing with a ValueError. A key given twice in one mapping is an error (PyYAML keeps the
    last: the file would say two things, and the import do one), and so is a merge key
    ("<<", which copies fields from another mapping). A subclass: PyYAML's own loaders are
    left as they are."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, str]] = set()
        for key, _ in node.value:
            if key.tag == "tag:yaml.org,2002:merge":  # "<<": fields from elsewhere
                raise yaml.constructor.ConstructorError(
                    None, None, "YAML merge keys (<<) are not accepted (reader never writes "
                    "them: write each field out in full)", key.start_mark
                )  # fmt: skip
            if isinstance(key, yaml.ScalarNode):
                if (key.tag, key.value) in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"found the key {_shown(key.value)} twice", key.start_mark
                    )
                seen.add((key.tag, key.value))
        return super().construct_mapping(node, deep=deep)


for _kind in ("timestamp", "int", "float", "bool"):
    Loader.add_constructor(f"tag:yaml.org,2002:{_kind}", lenient(f"construct_yaml_{_kind}"))


class ImportRejected(Exception):
    """apply_import was given a plan with errors."""


# --- YAML writing ----------------------------------------------------------------------------

#: Characters PyYAML's pure emitter treats as line breaks or a BOM in plain, single-quoted and
#: block styles (with allow_unicode it writes NEL raw and it reads back as a line break):
#: strings holding them are always double-quoted, where they are escaped.
_ESCAPE_ALWAYS = frozenset("\x85\u2028\u2029\ufeff")
#: Plain strings a YAML 1.2 reader would take for a number, boolean or null (PyYAML, which
#: follows YAML 1.1, writes "1e3" unquoted): quoted so that every reader sees a string.
_YAML12_SPECIAL = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
    r"|0o[0-7]+|0x[0-9a-fA-F]+|true|True|TRUE|false|False|FALSE|null|Null|NULL|~"
)


_ESCAPE_RE = re.compile("[" + "".join(sorted(_ESCAPE_ALWAYS)) + "]")
#: What a literal block cannot hold exactly: control characters but the newline (tabs too),
#: characters that are always escaped, surrogates, U+FFFE/U+FFFF, a space ending a line.
_NOT_LITERAL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]| \n| \\Z"
)


def _literal_ok(text: str) -> bool:
    """Text a literal block holds exactly: printable, no tabs, no trailing spaces on a line."""
    return _NOT_LITERAL.search(text) is None


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if _ESCAPE_RE.search(value) or (not value.isascii() and untrusted.UNSAFE.search(value)):
        style = '"'  # escaped there (see `_escape_unsafe` for what YAML would write raw)
    elif ("\n" in value or len(value) > BLOCK_AFTER) and _literal_ok(value):
        style = "|"  # the emitter still falls back to quotes where a block cannot hold it
    elif _YAML12_SPECIAL.fullmatch(value):
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class PureDumper(yaml.SafeDumper):
    """PyYAML's pure-Python safe dumper with our string styles, never writing an alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


PureDumper.add_representer(str, _represent_str)

if hasattr(yaml, "CSafeDumper"):

    class CDumper(yaml.CSafeDumper):  # type: ignore[name-defined,misc]
        """libyaml's safe dumper with our string styles, never writing an alias."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    CDumper.add_representer(str, _represent_str)
    Dumper: type = CDumper
else:  # pragma: no cover - libyaml missing
    Dumper = PureDumper


_OPTIONS: dict[str, Any] = {
    "sort_keys": False,
    "allow_unicode": True,
    "default_flow_style": False,
    "width": 1 << 30,  # never fold lines: long strings are blocks or stay on one line
}


def dump_yaml(doc: Any, *, dumper: type | None = None) -> str:
    """``doc`` as YAML text (keys in the given order, Unicode as is, any string exact, no
    aliases), through our dumper (libyaml's emitter when available)."""
    with paused():
        return _escape_unsafe(yaml.dump(doc, Dumper=dumper or Dumper, **_OPTIONS))


def _escape_unsafe(text: str) -> str:
    """YAML text with the characters a terminal must not receive as they are (bidi controls,
    invisible format characters: `untrusted.UNSAFE`) written as escapes: YAML counts them as
    printable and writes them raw, even in double quotes. `_represent_str` puts every string
    holding one in double quotes, where ``\u202e`` reads back as the character itself, so the
    text `cat` or a pager shows cannot be reordered or hidden by it."""
    if text.isascii():
        return text
    return untrusted.UNSAFE.sub(_escape_char, text)


def _escape_char(match: Any) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# --- export ------------------------------------------------------------------------------------


def _entry(a: Annotation) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": a.id,
        "tag": a.tag,
        "start": a.start,
        "end": a.end,
        "quote": a.quote,
        "note": a.note,
        "created": a.created,
        "updated": a.updated,
    }
    if a.orphaned:
        entry["orphaned"] = True
    if a.review:
        entry["review"] = True
    return entry


def _article_header(article_id: str, article: Article | None) -> dict[str, Any]:
    from reader.corpus.articles import ArticleError

    head: dict[str, Any] = {"id": article_id, "file": article.file if article else None}
    meta = article.metadata() if article else {}
    for name in ARTICLE_FIELDS:
        head[name] = meta.get(name)
    sha256 = None
    if article is not None and not article.error:
        with contextlib.suppress(ArticleError):
            sha256 = article.sha256
    head["sha256"] = sha256
    return head


def export_document(
    store: Store, corpus: Corpus, now: str | datetime | None = None, *, save: bool = True
) -> dict[str, Any]:
    """All annotations as a reader-annotations/1 document (a dict ready for `dump_yaml`).

    Re-anchors changed articles first, writing the result back unless the store is read-only
    or ``save`` is False (the document is the same either way).
    Articles come in id order, each with its annotations in body order.
    """
    results = reconcile(store, corpus, write=save and not store.read_only)
    current = {r.annotation.id: r.annotation for r in results}
    by_article: dict[str, list[Annotation]] = {}
    for stored in store.annotations():
        a = current.get(stored.id, stored)
        by_article.setdefault(a.article_id, []).append(a)
    articles = []
    for article_id in sorted(by_article):
        group = sorted(by_article[article_id], key=lambda a: (a.start, a.end, a.created, a.id))
        head = _article_header(article_id, corpus.get(article_id))
        head["annotations"] = [_entry(a) for a in group]
        articles.append(head)
    if isinstance(now, datetime):
        now = now.astimezone(timezone.utc).replace(microsecond=0).isoformat()
    return {"format": FORMAT, "exported": now or utc_now(), "articles": articles}


def export_yaml(
    store: Store, corpus: Corpus, now: str | datetime | None = None, *, save: bool = True
) -> str:
    return dump_yaml(export_document(store, corpus, now, save=save))


# --- import ------------------------------------------------------------------------------------

#: What one entry may hold. Real values are far shorter; the limits keep a hostile file from
#: filling the database (or a message) and from offsets SQLite cannot store (64 bits):
#: offsets and quotes up to the longest body reader opens (an article file is read up to
#: MAX_BYTES, so its body holds at most that many code points); a note up to 1 MB of text
#: (some 150,000 words: what a reader types, not a pasted book); an id up to 200 characters
#: (reader's own are 36; room for ids of other tools, which messages and the screen show).
MAX_OFFSET = MAX_BYTES
MAX_QUOTE = MAX_BYTES
MAX_NOTE = 1 << 20
MAX_ID = 200
#: Article ids are file names without their extension: no longer than a file name can be.
MAX_ARTICLE_ID = 255
#: Characters of an untrusted value quoted in a message.
SHOWN = 60
ARTICLE_KEYS = ("id", "file", *ARTICLE_FIELDS, "sha256", "annotations")
_SHA256 = re.compile("[0-9a-fA-F]{64}")
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxtuple = 2, 4, 4, 4
_REPR.maxset = _REPR.maxfrozenset = 4
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = SHOWN


def _shown(value: object) -> str:
    """An untrusted value as quoted in a message: its repr, cut to about SHOWN characters."""
    if isinstance(value, str):
        return repr(value) if len(value) <= SHOWN else repr(value[:SHOWN]) + "…"
    try:
        text = _REPR.repr(value)
    except Exception:  # noqa: BLE001 - an int too long for repr, say
        text = f"a {type(value).__name__}"
    return text if len(text) <= 2 * SHOWN else text[: 2 * SHOWN] + "…"


def _label(value: object) -> str:
    """An id as it names a place in a message: as it is, cut to about SHOWN characters."""
    if isinstance(value, str):
        return value if len(value) <= SHOWN else value[:SHOWN] + "…"
    return _shown(value)


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


def apply_import(plan: ImportPlan, store: Store) -> ImportResult:
    """Write a valid plan in one transaction (all or nothing)."""
    if plan.errors:
        raise ImportRejected(f"{plan.source}: nothing imported; {len(plan.errors)} problem(s)")
    with store.transaction():
        if plan.token is not None and store.change_token() != plan.token:
            # Another writer committed since planning: match the entries again against what
            # the store holds now, under the write lock, so nothing is added twice.
            assert plan.corpus is not None
            plan = _plan_document(ImportPlan(plan.source), plan.document, store, plan.corpus)
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


def plan_import(source: str | Path, store: Store, corpus: Corpus) -> ImportPlan:
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
    try:
        refused = refusal(text)
        if refused:
            plan.errors.append(f"{plan.source}: {refused}")
            return plan
        with paused():
            doc = yaml.load(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        plan.errors.append(f"{plan.source}: {where}not valid YAML: {exc.problem or exc.context}")
        return plan
    except yaml.YAMLError as exc:
        plan.errors.append(f"{plan.source}: not valid YAML: {_label(str(exc))}")
        return plan
    except RecursionError:
        plan.errors.append(f"{plan.source}: not valid YAML: nested too deeply")
        return plan
    except UnicodeEncodeError as exc:  # text given as str, with a lone surrogate
        plan.errors.append(f"{plan.source}: not valid Unicode (a lone surrogate at {exc.start})")
        return plan
    return _plan_document(plan, doc, store, corpus)


def _plan_document(plan: ImportPlan, doc: Any, store: Store, corpus: Corpus) -> ImportPlan:
    plan.token = store.change_token()
    with paused():
        _Planner(plan, store, corpus).run(doc)
    if plan.errors:
        plan.writes, plan.added, plan.updated, plan.unchanged = [], 0, 0, 0
        plan.reanchored, plan.orphaned, plan.unchecked, plan.unchecked_articles = 0, 0, 0, []
        plan.duplicates = 0
    else:
        plan.document, plan.corpus = doc, corpus
    return plan


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_UTC_SECONDS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def _timestamp(value: object) -> str | None:
    """ISO 8601 UTC in whole seconds, or None when ``value`` is not a timestamp (or not one
    that UTC can hold: "0001-01-01T00:00:00+14:00" is in the year 0 there)."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        if _UTC_SECONDS.fullmatch(value):
            return value  # already in that form (as reader writes it)
        value = parsed
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    try:
        return value.astimezone(timezone.utc).replace(microsecond=0).isoformat()
    except (OverflowError, ValueError):
        return None


Place = tuple[str, str, int, int]  # article id, tag, start, end


class _Planner:
    """Plans the entries of one document. How an entry is placed depends on its article:

    * its ``sha256`` is the body's: the file is the one the entries were made against, so an
      entry is taken exactly as it is (quote == body[start:end]), or refused;
    * its ``sha256`` is another: the article changed, and entries are re-anchored to their
      quotes (`anchoring.anchor`);
    * no ``sha256`` (or null): the document does not say which text the entries were made
      against (a hand-written file, or a file missing at export time): re-anchored as well;
    * no readable file here: kept unchecked, as the entry says.

    ``orphaned: true`` entries are kept as orphans where their quote is not found.
    """

    def __init__(self, plan: ImportPlan, store: Store, corpus: Corpus) -> None:
        self.plan = plan
        self.store = store
        self.corpus = corpus
        self.tags = [t.name for t in store.tags()]
        self.existing = {a.id: a for a in store.annotations()}
        self.by_position: dict[Place, list[Annotation]] = {}
        for a in self.existing.values():
            self.by_position.setdefault((a.article_id, a.tag, a.start, a.end), []).append(a)
        for group in self.by_position.values():
            if len(group) > 1:
                group.sort(key=lambda a: (a.created, a.id))
        self.seen: dict[str, str] = {}  # annotation id -> where it appeared
        #: entries without id by their place: (where, the stored one matched, as planned)
        self.placed: dict[Place, tuple[str, Annotation | None, Annotation]] = {}
        self.file_ids: set[str] = set()  # ids the document gives its entries
        self.now = utc_now()

    def error(self, message: str) -> None:
        self.plan.errors.append(message)

    def run(self, doc: Any) -> None:
        name = self.plan.source
        if not isinstance(doc, dict):
            self.error(f"{name}: expected a {FORMAT} document (a mapping with format, articles)")
            return
        if "format" not in doc:
            self.error(f"{name}: missing 'format' (expected {FORMAT})")
            return
        if doc["format"] != FORMAT:
            self.error(f"{name}: format is {_shown(doc['format'])}, expected {FORMAT}")
            return
        articles = doc.get("articles")
        if articles is None:
            articles = []
            if "articles" not in doc:
                self.error(f"{name}: missing 'articles'")
        if not isinstance(articles, list):
            self.error(f"{name}: 'articles' must be a list")
            return
        for entry in articles:  # ids first: an entry without one never takes one of these
            if isinstance(entry, dict) and isinstance(entry.get("annotations"), list):
                for e in entry["annotations"]:
                    if isinstance(e, dict) and isinstance(e.get("id"), str):
                        self.file_ids.add(e["id"])
        for i, entry in enumerate(articles):
            self.article(i, entry)

    def article(self, i: int, entry: Any) -> None:
        from reader.corpus.articles import ArticleError

        where = f"articles[{i}]"
        if not isinstance(entry, dict):
            self.error(f"{where}: must be a mapping with id and annotations")
            return
        article_id = entry.get("id")
        if not isinstance(article_id, str) or not article_id:
            self.error(f"{where}: 'id' must be the article id (text)")
            return
        where = f"{where} (article {_label(article_id)})"
        problem = _article_id_problem(article_id)
        if problem:
            self.error(f"{where}: {problem}")
            return
        unknown = [key for key in entry if key not in ARTICLE_KEYS]
        if unknown:
            self.error(f"{where}: {_unknown_fields(unknown)} (known: {', '.join(ARTICLE_KEYS)})")
            return
        annotations = entry.get("annotations")
        if annotations is None:
            annotations = []
        if not isinstance(annotations, list):
            self.error(f"{where}: 'annotations' must be a list")
            return
        file = entry.get("file")
        if file is not None and not (isinstance(file, str) and Path(file).stem == article_id):
            self.error(
                f"{where}: 'file' {_shown(file)} is not the file of article "
                f"{_shown(article_id)} (an id is its file name without the extension)"
                if isinstance(file, str)
                else f"{where}: 'file' must be the article's file name or null"
            )
            return
        made_against = entry.get("sha256")
        if made_against is not None and not (
            isinstance(made_against, str) and _SHA256.fullmatch(made_against)
        ):
            self.error(
                f"{where}: 'sha256' must be the SHA-256 of the body the entries were made "
                f"against (64 hexadecimal digits) or null, not {_shown(made_against)}"
            )
            return
        body: str | None = None
        sha256 = ""
        article = self.corpus.get(article_id)
        if article is None:
            problem = f"unknown article (no such file in {self.corpus.folder})"
        else:
            try:
                if article.error:
                    raise ArticleError(f"{article.path}: {article.error}")
                body, sha256 = article.body, article.sha256
            except ArticleError as exc:
                problem = f"the article cannot be opened: {exc}"
        if body is None and "file" not in entry:
            # not written by an export: unless an entry says it is an orphan, the id may be
            # a typo, and entries filed under it would be lost to their article
            unmarked = [e for e in annotations if not (isinstance(e, dict) and e.get("orphaned"))]
            if unmarked or not annotations:
                self.error(
                    f"{where}: {problem}; to keep its annotations unchecked all the same, "
                    "give the article its 'file' (reader export writes 'file: null' for a "
                    "deleted one) or mark them 'orphaned: true'"
                )
                return
        unchanged = made_against is not None and made_against.lower() == sha256
        for j, item in enumerate(annotations):
            where = f"articles[{i}].annotations[{j}]"
            self.annotation(where, item, article_id, body, sha256, unchanged)

    def annotation(
        self,
        where: str,
        e: Any,
        article_id: str,
        body: str | None,
        sha256: str,
        unchanged: bool,
    ) -> None:
        if not isinstance(e, dict):
            self.error(f"{where}: must be a mapping (id, tag, start, end, quote, ...)")
            return
        ident = e.get("id")
        if ident is not None:
            where = f"{where} (id {_label(ident)})"
        problems = self.check_fields(e)
        if problems:
            self.error(f"{where}: {'; '.join(problems)}")
            return
        old = self.existing.get(ident) if ident else None
        if old is not None and old.article_id != article_id:
            self.error(
                f"{where}: this id is an annotation of article {_shown(old.article_id)}, not of "
                f"article {_shown(article_id)}; an import does not move annotations between "
                "articles (drop the 'id' to add the entry as a new annotation)"
            )
            return
        placed = self.place(where, e, body, unchanged, old)
        if placed is None:
            return
        start, end, status = placed
        if ident:
            if ident in self.seen:
                self.error(f"{where}: duplicate of {self.seen[ident]}")
                return
            self.seen[ident] = where
            new = self.build(e, old, ident, article_id, body, sha256, start, end, status)
        else:
            new_or_none = self.match(where, e, article_id, body, sha256, start, end, status)
            if new_or_none is None:
                return
            new, old = new_or_none
        self.count(new, old, status)

    def place(
        self, where: str, e: dict[str, Any], body: str | None, unchanged: bool,
        old: Annotation | None,
    ) -> tuple[int, int, str] | None:  # fmt: skip
        """Where the entry goes in ``body`` and how it was found (exact, moved, fuzzy,
        orphaned, unchecked), or None (an error is listed)."""
        start, end, quote = e["start"], e["end"], e["quote"]
        orphaned = bool(e.get("orphaned"))
        if body is None:
            if not orphaned and len(quote) != end - start:
                self.error(
                    f"{where}: the quote is {len(quote):,} characters long, but "
                    f"start..end ({start}..{end}) spans {end - start:,}"
                )
                return None
            return start, end, "unchecked"
        if unchanged:
            # the body is the one the entries were made against: exactly as the file says
            if orphaned:
                return start, end, "orphaned"
            if end <= len(body) and body[start:end] == quote:
                return start, end, "exact"
            what = (
                f"offsets {start}..{end} are outside the body ({len(body)} characters)"
                if end > len(body)
                else f"quote does not match body[{start}:{end}]"
            )
            self.error(
                f"{where}: {what}, and the article has not changed since the file was written "
                "(its sha256 is the body's): an entry is taken exactly as it is, never looked "
                "for elsewhere"
            )
            return None
        if not orphaned and body[start:end] == quote:
            return start, end, "exact"
        prefix, suffix = (old.prefix, old.suffix) if old else ("", "")
        found = anchor(body, quote, prefix, suffix, start, end)
        if found.start is not None and found.end is not None:
            return found.start, found.end, found.status
        if orphaned:
            return start, end, "orphaned"
        if end > len(body):
            self.error(
                f"{where}: offsets {start}..{end} are outside the body "
                f"({len(body)} characters) and the quote is not found in it"
            )
        else:
            self.error(
                f"{where}: quote does not match body[{start}:{end}] "
                "and is not found elsewhere in the article"
            )
        return None

    def match(
        self,
        where: str,
        e: dict[str, Any],
        article_id: str,
        body: str | None,
        sha256: str,
        start: int,
        end: int,
        status: str,
    ) -> tuple[Annotation, Annotation | None] | None:
        """An entry without id: the annotation at its place (article, tag, start, end), as
        planned, and the stored one it is (None: a new one); None for an exact repeat of an
        earlier entry (counted) or an error.

        In the store, of several annotations at one place (not taken by an id in the
        document), the one the entry leaves as it is, else the oldest (created, then id):
        importing the same file again finds the same one."""
        place = (article_id, e["tag"], start, end)
        earlier = self.placed.get(place)
        if earlier is not None:
            first, stored, planned = earlier
            again = self.build(e, stored, planned.id, article_id, body, sha256, start, end, status)
            if again == planned:
                self.plan.duplicates += 1
                return None
            differ = [
                name for name in ("quote", "note", "created", "updated", "orphaned", "review")
                if getattr(again, name) != getattr(planned, name)
            ]  # fmt: skip
            self.error(
                f"{where}: repeats {first} (same article, tag, start and end, and no id "
                f"either: the same annotation) with another {', '.join(differ) or 'content'}; "
                "keep one, or give each its own id"
            )
            return None
        candidates = [a for a in self.by_position.get(place, ()) if a.id not in self.file_ids]
        old = candidates[0] if candidates else None
        new = None
        for candidate in candidates:
            built = self.build(e, candidate, candidate.id, article_id, body, sha256, start, end,
                               status)  # fmt: skip
            if built == candidate:
                old, new = candidate, built
                break
        if new is None:
            ident = old.id if old else str(uuid.uuid4())
            new = self.build(e, old, ident, article_id, body, sha256, start, end, status)
        self.placed[place] = (where, old, new)
        return new, old

    def check_fields(self, e: dict[str, Any]) -> list[str]:
        problems = []
        unknown = [key for key in e if key not in ENTRY_FIELDS]
        if unknown:
            problems.append(_unknown_fields(unknown))
        ident = e.get("id")
        if "id" in e and not (isinstance(ident, str) and ident.strip()):
            problems.append("'id' must be non-empty text")
        elif isinstance(ident, str) and len(ident) > MAX_ID:
            problems.append(f"'id' is {len(ident):,} characters long (at most {MAX_ID})")
        for key in ("tag", "start", "end", "quote"):
            if key not in e:
                problems.append(f"missing {key!r}")
        tag = e.get("tag")
        if "tag" in e and tag not in self.tags:
            problems.append(f"unknown tag {_shown(tag)} (known: {', '.join(self.tags)})")
        offsets = []
        for key in ("start", "end"):
            value = e.get(key)
            if key not in e:
                continue
            if not isinstance(value, int) or isinstance(value, bool):
                problems.append(f"'{key}' must be a whole number, not {_shown(value)}")
            elif not 0 <= value <= MAX_OFFSET:
                problems.append(
                    f"'{key}' {_shown(value)} is out of range (offsets are 0 to {MAX_OFFSET:,}: "
                    f"articles are read up to {MAX_BYTES // 2**20} MB)"
                )
            else:
                offsets.append(value)
        if len(offsets) == 2 and not offsets[0] < offsets[1]:
            start, end = offsets
            problems.append(f"need 0 <= start < end, got start {start}, end {end}")
        quote = e.get("quote")
        if "quote" in e and not (isinstance(quote, str) and quote):
            problems.append("'quote' must be non-empty text")
        elif isinstance(quote, str) and len(quote) > MAX_QUOTE:
            problems.append(f"'quote' is {len(quote):,} characters long (at most {MAX_QUOTE:,})")
        note = e.get("note")
        if note is not None and not isinstance(note, str):
            problems.append("'note' must be text or null")
        elif isinstance(note, str) and len(note) > MAX_NOTE:
            problems.append(f"'note' is {len(note):,} characters long (at most {MAX_NOTE:,})")
        for key in ("quote", "note", "id"):
            value = e.get(key)
            if isinstance(value, str) and has_surrogate(value):
                problems.append(f"'{key}' holds a lone surrogate (not valid Unicode)")
        for key in ("created", "updated"):
            if key in e and _timestamp(e[key]) is None:
                problems.append(
                    f"'{key}' must be an ISO 8601 timestamp (in UTC, years 1 to 9999), "
                    f"not {_shown(e[key])}"
                )
        for key in ("orphaned", "review"):
            if key in e and not isinstance(e[key], bool):
                problems.append(f"'{key}' must be true or false")
        return problems

    def build(
        self,
        e: dict[str, Any],
        old: Annotation | None,
        ident: str,
        article_id: str,
        body: str | None,
        sha256: str,
        start: int,
        end: int,
        status: str,
    ) -> Annotation:
        """The annotation the entry makes (``old``: the stored one it replaces, if any)."""
        orphaned = status == "orphaned"
        review = bool(e.get("review", False)) or status == "fuzzy"
        if body is None:
            # unchecked: as the entry says; what the store knows of the same place is kept
            quote, orphaned = e["quote"], bool(e.get("orphaned", False))
            prefix, suffix, sha256 = "", "", ""
            if old is not None and (old.article_id, old.start, old.end, old.quote) == (
                article_id, start, end, quote,
            ):  # fmt: skip
                prefix, suffix, sha256 = old.prefix, old.suffix, old.article_sha256
        elif orphaned:
            quote = e["quote"]
            prefix, suffix = (old.prefix, old.suffix) if old else ("", "")
        else:
            quote = body[start:end]
            prefix, suffix = context_of(body, start, end)
        new = Annotation(
            id=ident,
            article_id=article_id,
            tag=e["tag"],
            start=start,
            end=end,
            quote=quote,
            prefix=prefix,
            suffix=suffix,
            note=e.get("note", old.note if old else None),
            created=_timestamp(e.get("created")) or (old.created if old else self.now),
            updated="",
            article_sha256=sha256,
            orphaned=orphaned,
            review=review,
        )
        if "updated" in e:
            new.updated = _timestamp(e["updated"]) or self.now
        elif old is not None and dataclasses.replace(new, updated=old.updated) == old:
            new.updated = old.updated
        else:
            new.updated = self.now
        return new

    def count(self, new: Annotation, old: Annotation | None, status: str) -> None:
        if old is None:
            self.plan.added += 1
        elif new == old:
            self.plan.unchanged += 1
            return
        else:
            self.plan.updated += 1
        self.plan.writes.append(new)
        if status in ("moved", "fuzzy"):
            self.plan.reanchored += 1
        elif status == "orphaned":
            self.plan.orphaned += 1
        elif status == "unchecked":
            self.plan.unchecked += 1
            if new.article_id not in self.plan.unchecked_articles:
                self.plan.unchecked_articles.append(new.article_id)


def _article_id_problem(article_id: str) -> str | None:
    """Why ``article_id`` cannot be the id of any article file, or None."""
    if len(article_id) > MAX_ARTICLE_ID:
        return (
            f"the article id is {len(article_id):,} characters long, longer than a file name "
            f"can be (at most {MAX_ARTICLE_ID})"
        )
    if "/" in article_id or "\x00" in article_id:
        return "the article id holds '/' or NUL: no file name does"
    if has_surrogate(article_id):
        return "the article id holds a lone surrogate (not valid Unicode)"
    return None


def _unknown_fields(keys: list[Any]) -> str:
    shown = ", ".join(_shown(key) for key in keys[:5])
    more = f" and {len(keys) - 5:,} more" if len(keys) > 5 else ""
    return f"unknown field{'s' if len(keys) > 1 else ''} {shown}{more}"

"""Discover and load a folder of articles: files, metadata, front matter, ids, hashes.

No Textual here. Listing is cheap: it reads `metadata.yaml`, stats each file and reads only
its first few KB (for front matter, a fallback title and a binary sniff); given a cache folder,
a later listing reads again only what changed (`reader.corpus.listing_cache`). Bodies are decoded
on first use and can be dropped again with `Article.unload()`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.corpus.listing_cache import Key, ListingCache, Shared, metadata_key, stat_key

if TYPE_CHECKING:  # decoding is imported when a body or a head is read, not to list a folder
    from reader.corpus.decoding import Decoded

SUFFIXES = (".txt", ".md")
FIELDS = ("title", "outlet", "author", "date", "language")
METADATA_FILE = "metadata.yaml"
HEAD_BYTES = 16384
#: Code points hashed at a time (see `Article.sha256`).
HASH_SLICE = 1 << 19
#: Larger files are listed, not read: a body is decoded whole (a 20 MB article is fine; a
#: stray multi-GB log would take all the memory).
MAX_BYTES = 256 * 2**20
#: Front matter longer than this is not parsed (metadata is a few lines; a YAML bomb is not).
MAX_FRONT_MATTER = 64 * 1024
#: Metadata values longer than this (in characters) are cut, with a warning: they are shown in
#: one line of the article list and kept in the listing cache, and a 1 MB title would be held
#: (and drawn, and written) for every start. Headlines run to ~100-300 characters, so a title
#: keeps up to 500; outlets, authors (a list of names), dates and languages are shorter still,
#: and keep up to 200, as much as the first line of a text shown in a title's place.
MAX_TITLE = 500
MAX_FIELD = 200
_UTF16_32_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # the UTF-32 ones start alike


class ArticleError(Exception):
    """An article that cannot be opened; str() names the file and the problem."""


def bundled_articles_dir() -> Path:
    """The sample corpus that ships inside the package."""
    return Path(__file__).resolve().parent.parent / "sample"


@dataclass
class Article:
    id: str
    file: str
    #: The file's path as text (`path` makes a Path of it when first asked: ~5 µs each, which
    #: a folder of thousands of articles would pay at every start).
    where: str
    size: int = 0
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    first_line: str | None = None
    _decoded: Decoded | None = field(default=None, repr=False)
    _body: str | None = field(default=None, repr=False)
    _sha256: str | None = field(default=None, repr=False)
    #: The listing read the whole file: `warnings` and `error` are complete without `check`.
    _checked: bool = field(default=False, repr=False)
    _path: Path | None = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self.where)
        return self._path

    @property
    def display_title(self) -> str:
        return self.title or self.first_line or self.file

    @property
    def ok(self) -> bool:
        return self.error is None

    def metadata(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in FIELDS}

    @property
    def encoding(self) -> str | None:
        return self._decoded.encoding if self._decoded else None

    @property
    def body(self) -> str:
        if self._body is None:
            self._load()
        assert self._body is not None
        return self._body

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of the body as UTF-8. Encoded a slice at a time: the app hashes a
        new article in a thread, and one `encode` of 20 MB would hold the interpreter's lock
        (so the screen) for ~50 ms; UTF-8 encodes each code point alone, so the slices give
        the same bytes."""
        if self._sha256 is None:
            body, digest = self.body, hashlib.sha256()
            for at in range(0, len(body), HASH_SLICE):
                digest.update(body[at : at + HASH_SLICE].encode("utf-8", "surrogatepass"))
            self._sha256 = digest.hexdigest()
        return self._sha256

    def check(self) -> None:
        """Make `warnings` and `error` complete. Listing reads only the first HEAD_BYTES of a
        file; what decoding finds further on (the encoding, damaged bytes, data that is not
        text) is known once the whole file is read: so it is read here, unless the listing
        saw all of it, and the body forgotten again (unless it was loaded before)."""
        if self.error or self._checked or self._body is not None:
            return
        try:
            self._load()
        except ArticleError:
            return  # self.error says why
        self.unload()
        self._checked = True

    def unload(self) -> None:
        """Forget the decoded body (it is read again on next use)."""
        self._decoded = None
        self._body = None

    def _load(self) -> None:
        if self.error:
            raise ArticleError(f"{self.path}: {self.error}")
        from reader.corpus.decoding import NotText, decode  # not needed to list a folder

        try:
            data = _read_regular(self.path)
            decoded = decode(data)
        except (OSError, NotText) as exc:
            reason = _os_reason(exc) if isinstance(exc, OSError) else str(exc)
            self.error = reason
            raise ArticleError(f"{self.path}: {reason}") from None
        text = decoded.text
        body = text
        if self.path.suffix.lower() == ".md":
            meta, body, warning = split_front_matter(text)
            if warning and warning not in self.warnings:
                self.warnings.append(warning)
        for note in _decoding_warnings(decoded):
            if note not in self.warnings:
                self.warnings.append(note)
        self._decoded = decoded
        self._body = body
        self._sha256 = None


@dataclass
class Corpus:
    folder: Path
    articles: list[Article]
    warnings: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    def get(self, article_id: str) -> Article | None:
        for article in self.articles:
            if article.id == article_id:
                return article
        return None


def _decoding_warnings(decoded: Decoded) -> list[str]:
    notes = []
    if decoded.encoding != "utf-8" or decoded.had_bom:
        bom = " (byte-order mark removed)" if decoded.had_bom else ""
        notes.append(f"decoded as {decoded.encoding}{bom}")
    if decoded.replaced:
        notes.append(f"{decoded.replaced} invalid UTF-8 byte sequence(s) shown as \ufffd")
    return notes


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str | None]:
    """Split YAML front matter off a Markdown text: (metadata, body, warning or None)."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip("\r") != "---":
        return {}, text, None
    pos = first_end + 1 if first_end >= 0 else len(text)
    while pos <= len(text):
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if line.rstrip("\r") in ("---", "..."):
            raw = text[first_end + 1 : pos]
            body = "" if nl < 0 else text[nl + 1 :]
            if len(raw) > MAX_FRONT_MATTER:
                return {}, body, "front matter is too long to be metadata; using fallbacks"
            meta, problem = load_yaml(raw)
            if problem:
                return {}, body, f"front matter is not valid YAML ({problem}); using fallbacks"
            if meta is None:
                return {}, body, None
            if not isinstance(meta, dict):
                return {}, body, "front matter is not a mapping of fields; using fallbacks"
            return meta, body, None
        if nl < 0:
            break
        pos = nl + 1
    return {}, text, "front matter has no closing '---' line; shown as text"


def load_yaml(data: str | bytes) -> tuple[Any, str | None]:
    """Untrusted YAML through the safe loader: (data, None), or (None, a one-line problem).
    PyYAML is imported on first use: a start with a warm listing cache parses no YAML."""
    from reader.safe_yaml import load_yaml as load

    return load(data)


def load_corpus(folder: Path | str, cache_dir: Path | str | None = None) -> Corpus:
    """List the articles of ``folder`` (sorted by file name) without decoding their bodies.

    With ``cache_dir`` (`reader.corpus.listing_cache`), what was found is kept there, and the next
    load reads again only the files (and the `metadata.yaml`) that changed."""
    folder = Path(folder)
    if not folder.exists():
        raise ArticleError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise ArticleError(f"{folder}: not a folder")
    root = folder.resolve()
    corpus = Corpus(folder=folder, articles=[])
    meta_path = folder / METADATA_FILE
    meta_key = metadata_key(meta_path) if cache_dir is not None else None
    cache = ListingCache.open(cache_dir, root, meta_key)
    shared = _SharedMetadata(meta_path, corpus.warnings, cache)
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise ArticleError(f"{folder}: cannot list the folder: {_os_reason(exc)}") from None
    seen: dict[str, str] = {}
    base = os.path.join(str(folder), "")  # the folder as text, ending with a separator
    for name in names:
        stem, dot, suffix = name.rpartition(".")  # as os.path.splitext for names not hidden
        if (
            not dot
            or f".{suffix.lower()}" not in SUFFIXES
            or name.startswith(".")
            or stem.upper() == "README"
        ):
            continue
        article = _describe(base + name, name, stem, root, shared, cache)
        if article.id in seen:
            article.error = f"duplicate id '{article.id}' (also {seen[article.id]}); rename one"
        else:
            seen[article.id] = name
        corpus.articles.append(article)
    cache.save()
    return corpus


class _SharedMetadata:
    """The entries of `metadata.yaml` as each article applies them: from the cache where it
    stands for this `metadata.yaml`, else from the file, parsed once (on first need)."""

    def __init__(self, path: Path, warnings: list[str], cache: ListingCache) -> None:
        self._path = path
        self._cache = cache
        self._data: dict[str, Any] | None = None
        if cache.metadata_warnings is not None:
            warnings.extend(cache.metadata_warnings)
            return
        start = len(warnings)
        self._data, readable = _read_metadata_file(path, warnings)
        if readable:
            cache.set_metadata_warnings(warnings[start:])
        else:
            cache.disable()

    def entry(self, name: str, file: str) -> Shared:
        found = self._cache.shared(name)
        if found is not None:
            return found
        if self._data is None:  # a file the cache does not know: the warnings are known
            self._data, readable = _read_metadata_file(self._path, [])
            if not readable:
                self._cache.disable()
        return _meta_fields(self._data.get(name), file, METADATA_FILE)


def _describe(
    where: str, name: str, stem: str, root: Path, shared: _SharedMetadata, cache: ListingCache
) -> Article:
    file = _text_name(name)
    article_id = stem if file == name else os.path.splitext(file)[0]  # = Path(file).stem
    problem, key, size = _check_file(where, root)
    if key is not None:
        found = cache.lookup(name, key)
        if found is not None:  # in the order of `listing_cache.DESCRIBED`, then the rest
            title, outlet, author, date, language, error, first_line, warnings, checked = found
            return Article(
                id=article_id,
                file=file,
                where=where,
                size=size,
                title=title,
                outlet=outlet,
                author=author,
                date=date,
                language=language,
                error=error,
                warnings=list(warnings),
                first_line=first_line,
                _checked=checked,
            )
    article = Article(id=article_id, file=file, where=where, size=size)
    path = Path(where)
    if file != name:
        article.warnings.append("the file name is not valid UTF-8: shown (and its id) with \ufffd")
    meta = shared.entry(name, file)
    _apply_fields(article, meta)
    if problem:
        article.error = problem
        cache.record(name, None, article, meta)
        return article
    head = b""
    try:
        head = _read_regular(path, HEAD_BYTES)
    except OSError as exc:
        article.error = _os_reason(exc)
        key = None  # maybe not for long (and not for every user): read again next time
    if not article.error:
        from reader.corpus.decoding import sniff_binary

        article.error = sniff_binary(head)
    if not article.error:
        complete = len(head) >= article.size
        text, decoded = _decode_head(head, complete)
        if decoded is not None:  # the whole file: the body will decode just so
            article.warnings.extend(_decoding_warnings(decoded))
            article._checked = True
        if path.suffix.lower() == ".md":
            front, rest, warning = split_front_matter(text)
            if warning and len(head) < article.size and "no closing" in warning:
                warning = None  # the closing line may lie beyond the head; decided on load
                rest = ""  # and the head is front matter: no fallback title in it
            if warning:
                article.warnings.append(warning)
            _apply_fields(article, _meta_fields(front, file, "front matter"))
            text = rest
        if not article.title:  # else the title is shown, never the first line
            article.first_line = _first_line(text)
    cache.record(name, key, article, meta)
    return article


def _text_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (os.listdir gives them as lone
    surrogates, which SQLite, YAML and the terminal all refuse) become U+FFFD."""
    if name.isascii() or not any("\udc80" <= ch <= "\udcff" for ch in name):
        return name
    return os.fsencode(name).decode("utf-8", "replace")


def _check_file(where: str, root: Path) -> tuple[str | None, Key | None, int]:
    """(None, the file's stat key, its size) for the file at ``where`` (a path as text) that
    may be read, else (the reason, None, 0)."""
    try:
        info = os.lstat(where)
    except OSError as exc:
        return _os_reason(exc), None, 0
    key = stat_key(info)
    if stat.S_ISLNK(info.st_mode):
        try:
            target = Path(where).resolve(strict=True)
        except FileNotFoundError:
            return "broken link (its target does not exist)", None, 0
        except (OSError, RuntimeError):
            return "broken link (it leads in a loop or cannot be followed)", None, 0
        if not target.is_relative_to(root):
            return f"link leads outside the folder (to {target}); not opened", None, 0
        try:
            info = os.stat(where)
        except OSError as exc:
            return _os_reason(exc), None, 0
        key += stat_key(info)  # the link's and its target's
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file", None, 0
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a FIFO, socket or device); not opened", None, 0
    if info.st_size > MAX_BYTES:
        mb = info.st_size / 2**20
        return (
            f"too large to open ({mb:,.0f} MB; articles up to {MAX_BYTES // 2**20} MB are read)",
            None,
            0,
        )
    return None, key, info.st_size


def _read_regular(path: Path, limit: int = -1) -> bytes:
    """Read a file, refusing anything that is not a regular file (never blocks on a FIFO)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(21, "not a regular file")
        if limit < 0 and info.st_size > MAX_BYTES:  # it grew since it was listed
            raise OSError(errno.EFBIG, f"too large to open (over {MAX_BYTES // 2**20} MB)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit) if limit >= 0 else handle.read()
    finally:
        os.close(fd)


def _read_metadata_file(path: Path, warnings: list[str]) -> tuple[dict[str, Any], bool]:
    """The entries of `metadata.yaml` by file name (problems added to ``warnings``), and
    whether the file could be read (or is not there)."""
    if not path.is_file():
        return {}, True
    try:
        data, problem = load_yaml(_read_regular(path))
    except OSError as exc:
        warnings.append(f"{path}: cannot read: {_os_reason(exc)}")
        return {}, False
    if problem:
        warnings.append(f"{path}: not valid YAML ({problem}); metadata ignored")
        return {}, True
    if data is None:
        return {}, True
    if not isinstance(data, dict):
        warnings.append(f"{path}: expected a mapping of file names to fields; metadata ignored")
        return {}, True
    return {str(key): value for key, value in data.items()}, True


def _meta_fields(meta: Any, file: str, source: str) -> Shared:
    """What a metadata entry (of `metadata.yaml` or front matter) gives an article: (its
    fields that are text, warnings about the others)."""
    fields: dict[str, str] = {}
    notes: list[str] = []
    if meta is None:
        return fields, notes
    if not isinstance(meta, dict):
        notes.append(f"{source}: entry for {file} is not a mapping; ignored")
        return fields, notes
    for name in FIELDS:
        text, problem = _meta_text(meta.get(name))
        if problem:
            # shown after the article's file name: "a.md: front matter: 'title' is a list..."
            notes.append(f"{source}: '{name}' is {problem}, not text; ignored")
        elif text:
            limit = MAX_TITLE if name == "title" else MAX_FIELD
            if len(text) > limit:
                notes.append(
                    f"{source}: '{name}' is {len(text):,} characters long; "
                    f"cut to its first {limit - 1}"
                )
                text = text[: limit - 1] + "…"
            fields[name] = text
    return fields, notes


def _apply_fields(article: Article, meta: Shared) -> None:
    fields, notes = meta
    for name, text in fields.items():
        setattr(article, name, text)
    article.warnings.extend(notes)


def _meta_text(value: Any) -> tuple[str | None, str | None]:
    """A metadata value as text: (text or None, None), or (None, what it is instead).

    Strings are stripped; numbers and booleans arrive as written (`_as_written`); dates become
    ISO 8601 text; null is an unknown field. Binary data and collections are not text."""
    if value is None or isinstance(value, str):
        return (value.strip() or None) if value else None, None
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat(), None
    if isinstance(value, (int, float)):  # bool included: values not loaded by our loader
        return str(value).lower() if isinstance(value, bool) else str(value), None
    if isinstance(value, (bytes, bytearray)):
        return None, "binary data (!!binary)"
    if isinstance(value, dict):
        return None, "a mapping"
    if isinstance(value, (list, tuple)):
        return None, "a list"
    if isinstance(value, (set, frozenset)):
        return None, "a set"
    return None, f"a {type(value).__name__}"


def _decode_head(head: bytes, complete: bool) -> tuple[str, Decoded | None]:
    """The first few KB of a file as text, for a fallback title: decided as the whole body is
    (`decode`), with care for a head that cuts a character in two. Never raises. Where the
    head is the whole file and decodes, also how (else None)."""
    from reader.corpus.decoding import decode

    if complete:
        try:
            decoded = decode(head)
            return decoded.text, decoded
        except Exception:  # noqa: BLE001 - binary data: the body says why when it is read
            return head.decode("utf-8", "replace"), None
    if b"\x00" not in head and not head.startswith(_UTF16_32_BOMS):
        try:  # UTF-8 (the usual case): decode what is complete
            return codecs.getincrementaldecoder("utf-8")().decode(head, final=False), None
        except UnicodeDecodeError:
            pass
    whole = len(head) - len(head) % 4
    for part in (head[: whole - cut] for cut in (0, 2, 4)):
        try:
            return decode(part).text, None
        except Exception:  # noqa: BLE001 - a cut surrogate pair, binary data: never fatal
            continue
    return head.decode("utf-8", "replace"), None


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()[:400]  # a title is cut at 200: do not clean a whole paragraph
        if line.isprintable():
            clean = line
        else:
            clean = "".join(ch if ch.isprintable() else " " for ch in line).strip()
        if clean:
            return clean[:200]
    return None


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied (cannot read the file)"
    if isinstance(exc, FileNotFoundError):
        return "file not found (deleted?)"
    if isinstance(exc, IsADirectoryError):
        return "not a regular file"
    return exc.strerror or str(exc)

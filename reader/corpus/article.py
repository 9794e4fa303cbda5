"""An article and a corpus of them: metadata, body decoded on first use, hash.

No Textual here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.corpus import fields, files
from reader.corpus.fields import FIELDS
from reader.text.wording import count

if TYPE_CHECKING:  # decoding is imported when a body or a head is read, not to list a folder
    from reader.corpus.decoding import Decoded

#: Code points hashed at a time (see `Article.sha256`).
HASH_SLICE = 1 << 19


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
    def loaded(self) -> bool:
        """Whether the body is in memory (asking for `body` otherwise reads the file)."""
        return self._body is not None

    @property
    def hashed(self) -> bool:
        """Whether `sha256` is known (asking for it otherwise reads and hashes the body)."""
        return self._sha256 is not None

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
            data = files.read_regular(self.path)
            decoded = decode(data)
        except (OSError, NotText) as exc:
            reason = files.os_reason(exc) if isinstance(exc, OSError) else str(exc)
            self.error = reason
            raise ArticleError(f"{self.path}: {reason}") from None
        text = decoded.text
        body = text
        if self.path.suffix.lower() == ".md":
            meta, body, warning = fields.split_front_matter(text)
            if warning and warning not in self.warnings:
                self.warnings.append(warning)
        for note in decoding_warnings(decoded):
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

    def matching(self, given: str) -> list[Article]:
        """The article whose id is ``given``, else those whose id starts with it (a user may
        give a unique prefix: ``000`` for ``000_ae0beaf4b9f7a712``), in id order."""
        exact = self.get(given)
        if exact is not None:
            return [exact]
        if not given:
            return []
        return sorted((a for a in self.articles if a.id.startswith(given)), key=lambda a: a.id)


def decoding_warnings(decoded: Decoded) -> list[str]:
    notes = []
    if decoded.encoding != "utf-8" or decoded.had_bom:
        bom = " (byte-order mark removed)" if decoded.had_bom else ""
        notes.append(f"decoded as {decoded.encoding}{bom}")
    if decoded.replaced:
        invalid = count(decoded.replaced, "invalid UTF-8 byte sequence")
        notes.append(f"{invalid} shown as \ufffd")
    return notes

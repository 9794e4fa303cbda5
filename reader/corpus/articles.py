"""Discover and load a folder of articles: files, metadata, front matter, ids, hashes.

No Textual here. Listing is cheap: it reads `metadata.yaml`, stats each file and reads only
its first few KB (for front matter, a fallback title and a binary sniff); given a cache folder,
a later listing reads again only what changed (`reader.corpus.listing_cache`). Bodies are decoded
on first use and can be dropped again with `Article.unload()`.

The parts live beside it: `article` (Article, Corpus), `files` (what may be read and how),
`fields` (metadata.yaml and front matter); their public names are importable from here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reader.corpus import fields, files
from reader.corpus.article import (
    HASH_SLICE,
    Article,
    ArticleError,
    Corpus,
    bundled_articles_dir,
    decoding_warnings,
)
from reader.corpus.fields import (
    FIELDS,
    MAX_FIELD,
    MAX_FRONT_MATTER,
    MAX_TITLE,
    METADATA_FILE,
    load_yaml,
    split_front_matter,
)
from reader.corpus.files import HEAD_BYTES, MAX_BYTES
from reader.corpus.listing_cache import ListingCache, Shared, metadata_key

__all__ = [
    "FIELDS",
    "HASH_SLICE",
    "HEAD_BYTES",
    "MAX_BYTES",
    "MAX_FIELD",
    "MAX_FRONT_MATTER",
    "MAX_TITLE",
    "METADATA_FILE",
    "SUFFIXES",
    "Article",
    "ArticleError",
    "Corpus",
    "bundled_articles_dir",
    "load_corpus",
    "load_yaml",
    "split_front_matter",
]

SUFFIXES = (".txt", ".md")


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
        raise ArticleError(f"{folder}: cannot list the folder: {files.os_reason(exc)}") from None
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
        self._data, readable = fields.read_metadata_file(path, warnings)
        if readable:
            cache.set_metadata_warnings(warnings[start:])
        else:
            cache.disable()

    def entry(self, name: str, file: str) -> Shared:
        found = self._cache.shared(name)
        if found is not None:
            return found
        if self._data is None:  # a file the cache does not know: the warnings are known
            self._data, readable = fields.read_metadata_file(self._path, [])
            if not readable:
                self._cache.disable()
        return fields.meta_fields(self._data.get(name), file, METADATA_FILE)


def _describe(
    where: str, name: str, stem: str, root: Path, shared: _SharedMetadata, cache: ListingCache
) -> Article:
    file = files.text_name(name)
    article_id = stem if file == name else os.path.splitext(file)[0]  # = Path(file).stem
    problem, key, size = files.check_file(where, root)
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
    fields.apply_fields(article, meta)
    if problem:
        article.error = problem
        cache.record(name, None, article, meta)
        return article
    head = b""
    try:
        head = files.read_regular(path, HEAD_BYTES)
    except OSError as exc:
        article.error = files.os_reason(exc)
        key = None  # maybe not for long (and not for every user): read again next time
    if not article.error:
        from reader.corpus.decoding import sniff_binary

        article.error = sniff_binary(head)
    if not article.error:
        complete = len(head) >= article.size
        text, decoded = files.decode_head(head, complete)
        if decoded is not None:  # the whole file: the body will decode just so
            article.warnings.extend(decoding_warnings(decoded))
            article._checked = True
        if path.suffix.lower() == ".md":
            front, rest, warning = fields.split_front_matter(text)
            if warning and len(head) < article.size and "no closing" in warning:
                warning = None  # the closing line may lie beyond the head; decided on load
                rest = ""  # and the head is front matter: no fallback title in it
            if warning:
                article.warnings.append(warning)
            fields.apply_fields(article, fields.meta_fields(front, file, "front matter"))
            text = rest
        if not article.title:  # else the title is shown, never the first line
            article.first_line = files.first_line(text)
    cache.record(name, key, article, meta)
    return article

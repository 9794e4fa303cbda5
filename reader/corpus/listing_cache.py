"""A cache of what listing a folder of articles found, so that the next start reads no heads
and parses no `metadata.yaml` where nothing changed. No Textual here.

One JSON file per articles folder, in the user's cache folder (`default_cache_dir`), named by
a hash of the folder's resolved path. It holds, per file name, what `load_corpus` found (the
metadata, the first line, warnings, errors found in the head: never a body), keyed by the
file's stat (mode, size, mtime, ctime, inode, device; for a link, its own and its target's),
and what the file's `metadata.yaml` entry gave it. The whole cache stands only for one stat of
`metadata.yaml` and one build of the code that describes articles (`_stamp`).

A file whose timestamps are within `RACY_NS` of the listing is not kept: a change in the same
clock tick (or within a coarse file system's granularity) would leave its stat as it was.

Reading and writing never raise: a missing, unreadable, corrupt or foreign cache is ignored
(and rebuilt); a cache that cannot be written (read-only or full disk) is simply not there.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from reader import __version__

#: Bump when what is stored changes shape or meaning.
FORMAT = 1
#: Where the cache lives: a folder, or empty / "off" for no cache.
ENV = "READER_CACHE_DIR"
#: Files changed less than this long before the listing are not kept (see the module doc).
RACY_NS = 2 * 10**9
#: What a cached article holds, in this order (id, file and path come from the name; size
#: and the link checks from the stat made on every load).
DESCRIBED = ("title", "outlet", "author", "date", "language", "error", "first_line")
_METADATA = DESCRIBED[:5]
_FIELDS = frozenset(_METADATA)
#: The code whose output is cached: a change to any of these drops every cache.
_CODE = (
    "reader.corpus.articles",
    "reader.corpus.decoding",
    "reader.safe_yaml",
    "reader.corpus.listing_cache",
    "charset_normalizer",
    "yaml",  # PyYAML's version, by its files (importing it just for that costs ~10 ms)
)

Key = list[int]
#: A `metadata.yaml` entry as applied: (fields that are text, warnings).
Shared = tuple[dict[str, str], list[str]]


def default_cache_dir() -> Path | None:
    """``$READER_CACHE_DIR`` (empty or ``off``: no cache), else the user's cache folder."""
    value = os.environ.get(ENV)
    if value is not None:
        value = value.strip()
        return None if value.lower() in ("", "off") else Path(value).expanduser()
    import platformdirs  # imported late: only where no folder is given

    return Path(platformdirs.user_cache_dir("reader", appauthor=False))


def stat_key(info: os.stat_result) -> Key:
    return [
        info.st_mode,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
        info.st_ino,
        info.st_dev,
    ]


def metadata_key(path: Path) -> Key | str | None:
    """The stat key of `metadata.yaml`, ``"absent"``, or None when it cannot be told."""
    try:
        return stat_key(os.stat(path))
    except FileNotFoundError:
        return "absent"
    except (OSError, ValueError):
        return None


class ListingCache:
    """The cache of one folder for one load: `lookup` and `shared` read the cache found,
    a hit of `lookup` and each `record` build the next one, `save` writes it if it changed."""

    def __init__(self, path: Path | None, folder: str, meta_key: Key | str | None) -> None:
        self.path = path
        self._folder = folder
        self._meta_key = meta_key
        self._now = time.time_ns()  # before any file is looked at
        self._old: dict[str, Any] = {}
        self._new: dict[str, list[Any]] = {}
        #: The warnings `metadata.yaml` gave, when the cache found stands for it.
        self.metadata_warnings: list[str] | None = None
        self._new_warnings: list[str] | None = None
        self._changed = True

    @classmethod
    def open(cls, cache_dir: Path | str | None, root: Path, meta_key: Key | str | None):
        if cache_dir is None or meta_key is None:
            return cls(None, "", None)
        folder = str(root)
        digest = hashlib.sha256(os.fsencode(folder)).hexdigest()[:32]
        cache = cls(Path(cache_dir) / f"{digest}.json", folder, meta_key)
        cache._read()
        return cache

    def _read(self) -> None:
        assert self.path is not None
        try:
            with open(self.path, "rb") as handle:
                doc = json.loads(handle.read())
        except (OSError, ValueError, RecursionError):
            return
        if not (
            isinstance(doc, dict)
            and doc.get("stamp") == _stamp()
            and doc.get("folder") == self._folder
            and doc.get("metadata") == self._meta_key
            and isinstance(doc.get("files"), dict)
            and _strings(doc.get("warnings"))
        ):
            return
        self._old = doc["files"]
        self.metadata_warnings = doc["warnings"]
        self._changed = False

    def lookup(self, name: str, key: Key) -> list[Any] | None:
        """What was found for file ``name`` when its stat was ``key`` (then kept for the next
        cache), or None."""
        entry = self._old.get(name)
        if not (
            type(entry) is list and len(entry) == 3 and entry[0] == key and _description(entry[1])
        ):
            return None
        self._new[name] = entry
        return entry[1]

    def shared(self, name: str) -> Shared | None:
        """What the `metadata.yaml` entry for ``name`` gave, where known, or None."""
        entry = self._old.get(name)
        if type(entry) is not list or len(entry) != 3:
            return None
        shared = entry[2]
        if type(shared) is int:
            if shared == 0:  # no entry
                return {}, []
            if shared == 1 and _description(entry[1]):  # the article's own fields
                return _own_fields(entry[1]), []
            return None
        if (
            type(shared) is list
            and len(shared) == 2
            and type(shared[0]) is dict
            and _FIELDS.issuperset(shared[0])
            and all(type(value) is str for value in shared[0].values())
            and _strings(shared[1])
        ):
            return shared[0], shared[1]
        return None

    def set_metadata_warnings(self, warnings: list[str]) -> None:
        self._new_warnings = list(warnings)

    def record(self, name: str, key: Key | None, article: Any, shared: Shared) -> None:
        """Keep what was found for ``name``: the article as described (when ``key`` says
        which file it was, not changed just now) and its `metadata.yaml` entry as applied."""
        if self.path is None:
            return
        fields, notes = shared
        kept: Any = [fields, list(notes)] if fields or notes else 0
        description = None
        if key is not None and not self._racy(key):
            description = [getattr(article, field) for field in DESCRIBED]
            description += [list(article.warnings), article._checked]
            if not notes and fields and fields == _own_fields(description):
                kept = 1  # as is usual (no front matter): written once
        else:
            key = None
        entry = [key, description, kept]
        if not self._changed and self._old.get(name) != entry:
            self._changed = True
        self._new[name] = entry

    def disable(self) -> None:
        """Neither keep nor write anything more (what was found cannot be vouched for)."""
        self.path = None

    def _racy(self, key: Key) -> bool:
        limit = self._now - RACY_NS
        return any(max(key[i + 2], key[i + 3]) > limit for i in range(0, len(key), 6))

    def save(self) -> None:
        """Write the cache if it differs from the one found. Never raises."""
        if self.path is None or isinstance(self._meta_key, list) and self._racy(self._meta_key):
            return
        if self._new_warnings is None:
            self._new_warnings = self.metadata_warnings or []
        if not self._changed and len(self._new) == len(self._old):
            return
        doc = {
            "stamp": _stamp(),
            "folder": self._folder,
            "metadata": self._meta_key,
            "warnings": self._new_warnings,
            "files": self._new,
        }
        with contextlib.suppress(Exception):  # no cache is fine; failing to list is not
            _write(self.path, json.dumps(doc, separators=(",", ":")).encode("ascii"))


def _write(path: Path, data: bytes) -> None:
    """Atomically, readable by the user only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _own_fields(description: list[Any]) -> dict[str, str]:
    values = zip(_METADATA, description[: len(_METADATA)], strict=True)
    return {field: value for field, value in values if value is not None}


_TEXT = {str}
_TEXT_OR_NULL = {str, type(None)}


def _strings(value: Any) -> bool:
    return type(value) is list and set(map(type, value)) <= _TEXT


def _description(value: Any) -> bool:
    """Of the shape `ListingCache.record` writes: texts or nulls, warnings, checked."""
    return (
        type(value) is list
        and len(value) == len(DESCRIBED) + 2
        and set(map(type, value[:-2])) <= _TEXT_OR_NULL
        and _strings(value[-2])
        and type(value[-1]) is bool
    )


_stamp_cache: list[Any] = []


def _stamp() -> list[Any]:
    """This build: the cache format, reader's version, Python's (its Unicode tables), and the
    stat of the modules that describe articles and of PyYAML (editing or upgrading one changes
    it)."""
    if not _stamp_cache:
        stamp: list[Any] = [FORMAT, __version__, sys.version]
        for module in _CODE:
            try:
                loaded = sys.modules.get(module)
                origin = getattr(loaded, "__file__", None) if loaded else None
                if origin is None:
                    spec = importlib.util.find_spec(module)
                    origin = spec.origin if spec else None
                stamp.append(stat_key(os.stat(origin))[1:4] if origin else None)
            except (OSError, ValueError, ImportError):
                stamp.append(None)
        _stamp_cache.append(stamp)
    return _stamp_cache[0]

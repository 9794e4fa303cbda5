"""Reading an article's file safely: what may be opened, how, and why not.

No Textual here. A file is read only if it is a regular file (never a FIFO, a device or a folder)
inside the corpus folder (a link may not lead out) and not larger than ``MAX_BYTES``; listing
reads only its head (``HEAD_BYTES``), decoded with care for a character cut in two.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from reader.corpus.listing_cache import Key, stat_key

if TYPE_CHECKING:  # decoding is imported when a body or a head is read, not to list a folder
    from reader.corpus.decoding import Decoded

HEAD_BYTES = 16384
#: Larger files are listed, not read: a body is decoded whole (a 20 MB article is fine; a
#: stray multi-GB log would take all the memory).
MAX_BYTES = 256 * 2**20
_UTF16_32_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # the UTF-32 ones start alike


def text_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (os.listdir gives them as lone
    surrogates, which SQLite, YAML and the terminal all refuse) become U+FFFD."""
    if name.isascii() or not any("\udc80" <= ch <= "\udcff" for ch in name):
        return name
    return os.fsencode(name).decode("utf-8", "replace")


def check_file(where: str, root: Path) -> tuple[str | None, Key | None, int]:
    """(None, the file's stat key, its size) for the file at ``where`` (a path as text) that
    may be read, else (the reason, None, 0)."""
    try:
        info = os.lstat(where)
    except OSError as exc:
        return os_reason(exc), None, 0
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
            return os_reason(exc), None, 0
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


def read_regular(path: Path, limit: int = -1) -> bytes:
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


def decode_head(head: bytes, complete: bool) -> tuple[str, Decoded | None]:
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


def first_line(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()[:400]  # a title is cut at 200: do not clean a whole paragraph
        if line.isprintable():
            clean = line
        else:
            clean = "".join(ch if ch.isprintable() else " " for ch in line).strip()
        if clean:
            return clean[:200]
    return None


def os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied (cannot read the file)"
    if isinstance(exc, FileNotFoundError):
        return "file not found (deleted?)"
    if isinstance(exc, IsADirectoryError):
        return "not a regular file"
    return exc.strerror or str(exc)

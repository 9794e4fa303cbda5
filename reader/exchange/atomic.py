"""Write a file so that it is either the old or the new one, never half of either. No Textual.

Where the path is a symbolic link, its target is written (atomically, in the target's folder):
the link stays a link. A path that is, or leads to, anything but a regular file (a FIFO, a
device such as /dev/full, a socket, a folder) is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path


class NotARegularFile(OSError):
    """The destination exists and is not a regular file: nothing was written."""


def destination(path: str | Path) -> Path:
    """The file that writing ``path`` replaces: the final target of a symbolic link (which
    may not exist yet), else ``path``. Raises NotARegularFile for what must not be replaced."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO, device or socket"
        raise NotARegularFile(
            errno.EINVAL, f"is {kind}, not a regular file; reader writes only regular files"
        )
    if not os.access(target, os.W_OK):  # as a shell's `>` would refuse it
        raise PermissionError(errno.EACCES, "is read-only; reader leaves it as it is")
    return target


def check_not_among(target: Path, protected: list[Path], why: str) -> None:
    """Raise NotARegularFile-like OSError when ``target`` is one of the ``protected`` files
    (the same file, whatever the path: links and ``..`` included)."""
    for other in protected:
        try:
            if os.path.samefile(target, other):
                raise WouldOverwrite(errno.EEXIST, why)
        except FileNotFoundError:
            continue


class WouldOverwrite(OSError):
    """The destination is a file that must not be replaced (the database, an article)."""


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that it is either the old or the new file.

    A temporary file in the same folder is written and fsync'ed, then renamed over the
    destination (see `destination`: a symbolic link's target). Raises OSError (a full disk,
    an I/O error, a read-only folder, NotARegularFile); the previous file is then intact and
    the temporary file removed.
    """
    target = destination(path)
    data = text.encode("utf-8")
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # a new file keeps the default mode
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

"""Grapheme clusters and line breaks of a body, and ``LazyPattern``.

No Textual here. Offsets are code point offsets (Python ``str`` indices).

Line breaks: LF, CR LF and a lone CR each end a paragraph (``paragraph_end``, ``break_end``);
a CR LF is one break and one grapheme cluster. The body itself is never changed. What a
character looks like is in ``reader.text.display``, how many cells it takes in
``reader.text.cells``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import regex


class LazyPattern:
    """A ``regex`` pattern compiled when first used: importing ``regex`` and compiling the
    Unicode-property patterns below costs ~30 ms, which reader's first screen (the article
    list) does without."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled: regex.Pattern[str] | None = None

    def compiled(self) -> regex.Pattern[str]:
        if self._compiled is None:
            import regex

            self._compiled = regex.compile(self.pattern, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:  # match, search, finditer, sub, ...
        return getattr(self.compiled(), name)


_JOIN = (
    r"\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
    r"\p{GCB=RI}\p{GCB=L}\p{GCB=V}\p{GCB=T}"
)
# Characters that can join a neighbour into one grapheme cluster.
JOIN_RE = LazyPattern(rf"[{_JOIN}]")
GRAPHEME_RE = LazyPattern(r"\X")
# Two characters with a boundary between them (neither joins, and not CR LF), or a line break
_SAFE_REV = LazyPattern(rf"(?V1)(?r)[^{_JOIN}\r][^{_JOIN}]|[\r\n]")


# --------------------------------------------------------------------------- line breaks


def paragraph_end(body: str, offset: int) -> int:
    """Where the line break ending the paragraph at ``offset`` starts (``len(body)`` if none).

    A break is LF, CR LF or a lone CR; an offset inside a CR LF belongs to the paragraph before.
    """
    n = len(body)
    e = body.find("\n", offset)
    if e < 0:
        e = n
    r = body.find("\r", offset, e)
    if r >= 0:
        return r
    if e == offset and offset > 0 and body[offset - 1] == "\r" and offset < n:
        return offset - 1  # the LF of a CR LF
    return e


def break_end(body: str, at: int) -> int:
    """The offset after the line break starting at ``at`` (``at`` at the end of the body)."""
    if at >= len(body):
        return at
    if body[at] == "\r" and body.startswith("\n", at + 1):
        return at + 2
    return at + 1


def paragraph_start(body: str, offset: int) -> int:
    """The start of the paragraph holding ``offset``: just after the last line break that ends
    at or before it (an offset inside a CR LF belongs to the paragraph before)."""
    while True:
        j = body.rfind("\n", 0, offset)
        k = body.rfind("\r", j + 1, offset)
        if k < 0:
            return j + 1
        if k + 1 == offset and body.startswith("\n", offset):
            offset = k  # ``offset`` is the LF of a CR LF
            continue
        return k + 1


def text_end(body: str, start: int, end: int) -> int:
    """End of the text of the line ``body[start:end]``: before the line break it ends with."""
    if end > start:
        last = body[end - 1]
        if last == "\n":
            return end - 2 if end - 2 >= start and body[end - 2] == "\r" else end - 1
        if last == "\r":
            return end - 1
    return end


# --------------------------------------------------------------------------- graphemes


def _may_join(body: str, i: int) -> bool:
    """False when there is certainly a grapheme boundary between ``body[i - 1]`` and ``body[i]``."""
    a, b = body[i - 1], body[i]
    if a < "\x80" and b < "\x80":
        return a == "\r" and b == "\n"
    if a == "\n" or b == "\n" or a == "\r" or b == "\r":
        return False
    return JOIN_RE.search(body, i - 1, i + 1) is not None


def is_boundary(body: str, offset: int) -> bool:
    """True when ``offset`` is a grapheme cluster boundary (around a line break it is one,
    except between the CR and the LF of a CR LF)."""
    if offset <= 0 or offset >= len(body) or not _may_join(body, offset):
        return True
    return next_boundary(body, prev_boundary(body, offset)) == offset


def next_boundary(body: str, offset: int) -> int:
    """The first grapheme boundary after ``offset`` (``len(body)`` at the end)."""
    n = len(body)
    if offset >= n:
        return n
    offset = max(offset, 0)
    if body[offset] == "\r":
        return offset + 2 if body.startswith("\n", offset + 1) else offset + 1
    if offset + 1 == n or not _may_join(body, offset + 1):
        return offset + 1
    end = min(n, offset + 32)
    while True:
        m = GRAPHEME_RE.match(body, offset, end)
        stop = m.end() if m else offset + 1
        if stop < end or end == n:
            return stop
        end = min(n, offset + 2 * (end - offset))


def prev_boundary(body: str, offset: int) -> int:
    """The last grapheme boundary before ``offset`` (0 at the start)."""
    offset = min(offset, len(body))
    if offset <= 1:
        return 0
    last = body[offset - 1]
    if last == "\n" and body[offset - 2] == "\r":
        return offset - 2
    if last == "\r" or not _may_join(body, offset - 1):
        return offset - 1
    span = 64
    while True:
        lo = max(0, offset - span)
        m = _SAFE_REV.search(body, lo, offset)
        if m is not None:
            lo = m.start() + 1
            break
        if lo == 0:
            break
        span *= 4
    last_start = lo
    for g in GRAPHEME_RE.finditer(body, lo, offset):
        last_start = g.start()
    return last_start


def snap(body: str, offset: int) -> int:
    """``offset`` clamped to the body and moved back onto a grapheme boundary."""
    offset = max(0, min(offset, len(body)))
    return offset if is_boundary(body, offset) else prev_boundary(body, offset)

"""The one door for untrusted text on its way to a screen or a terminal stream. No Textual here.

Untrusted is everything reader did not write itself: article bodies, titles, outlets, file
names, metadata values, notes, tag names and colours, quotes, ids, search queries, anything
read from an import file or the database, and the text of exceptions that quote them. Such text
reaches the user only through this module, under one set of rules:

* Characters that a terminal may act on or that hide what follows are shown as visible
  placeholders, never passed on: C0 controls (ESC as '␛', BEL as '␇', ... so CSI, OSC and DCS
  sequences are inert and visible), DEL '␡', C1 controls '⍰' (U+009B is a CSI on its own), bidi
  embeddings, overrides, isolates and marks '⇄' (U+202A-U+202E, U+2066-U+2069, U+200E/F,
  U+061C), other invisible format characters and line/paragraph separators '◌', lone
  surrogates '�'. The table is `display.display_char`, which the reading pane draws article
  text with; every code point of it is tested.
* On one line (`line`, `stream`), a tab, newline, CR or CR LF is one space.
* Markup is never interpreted: screen text leaves here as plain ``str`` or Rich ``Text``
  (`line`, `text`), which Textual does not parse; where a Textual API accepts
  only markup (the command palette's help line), `markup` escapes it.
* On the screen, emoji sequences whose width terminals dispute are drawn apart (as the pane
  draws them, see `display`); on a terminal stream (`stream`) they are left as they are,
  since reader lays nothing out there.

`for_editing` / `edited` let an editor (the note editor) show placeholders while it edits and
still give back the exact original text where the user changed nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.text import display
from reader.text.graphemes import LazyPattern

if TYPE_CHECKING:
    from rich.style import StyleType
    from rich.text import Text

ELLIPSIS = "…"

__all__ = [
    "UNSAFE",
    "edited",
    "for_editing",
    "line",
    "markup",
    "placeholder",
    "stream",
    "stream_lines",
    "text",
]


#: The characters that never reach a screen or a terminal stream as they are (tab and newline
#: aside): the ones `placeholder` stands in for. For searching text in bulk.
UNSAFE = LazyPattern(r"(?V1)[[\p{GCB=Control}\p{Cs}\r]--[\t\n\u00ad]]")


def _clip(shown: str, limit: int | None) -> str:
    if limit is None or len(shown) <= limit:
        return shown
    return shown[: max(0, limit - 1)] + ELLIPSIS


def placeholder(ch: str) -> str | None:
    """What stands for ``ch`` (one code point) wherever untrusted text is shown, when ``ch``
    may not be shown as it is; None when it may. Tab and newline are left to the caller."""
    if ch in "\t\n":
        return None
    drawn = display.display_char(ch)
    return drawn if drawn != ch and drawn in display.PLACEHOLDERS else None


def line(value: object, limit: int | None = None) -> str:
    """Untrusted text for one line on the screen: placeholders, line breaks and tabs as one
    space, emoji in a form of undisputed width; at most ``limit`` characters (… at the end)."""
    return _clip(display.one_line_form(value if isinstance(value, str) else str(value)), limit)


def text(value: object, style: StyleType = "", limit: int | None = None) -> Text:
    """`line` as a Rich ``Text`` (never parsed as markup)."""
    from rich.text import Text

    return Text(line(value, limit), style=style)


def markup(value: object, limit: int | None = None) -> str:
    """`line`, escaped for a Textual API that takes only markup: it reads back as the text,
    unstyled. Every '[' is escaped (Textual's own ``escape`` leaves '[ @click=...]' alone,
    which its parser still reads as a tag)."""
    return line(value, limit).replace("[", "\\[")


class _StreamTable(dict):
    """A lazy ``str.translate`` table for terminal streams: placeholders, one-line spacing."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        value = " " if ch in "\t\n\r" else placeholder(ch) or ch
        self[code] = value
        return value


_STREAM = _StreamTable()


def stream(value: object, limit: int | None = None) -> str:
    """Untrusted text for one line on stdout or stderr (a CLI report, an error): the same
    placeholders as on the screen, a line break or tab one space, emoji as they are."""
    raw = value if isinstance(value, str) else str(value)
    if raw.isascii() and raw.isprintable():
        return _clip(raw, limit)
    return _clip(raw.replace("\r\n", " ").translate(_STREAM), limit)


def stream_lines(value: object) -> list[str]:
    """Untrusted text of several lines for stdout or stderr: each line as `stream` makes it."""
    raw = value if isinstance(value, str) else str(value)
    return [stream(part) for part in raw.replace("\r\n", "\n").split("\n")]


class _EditTable(dict):
    """Placeholders for an editor: one code point for one, so offsets stay the same."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        value = "\u240d" if ch == "\r" else placeholder(ch) or ch
        if len(value) != 1:  # dropped or widened characters are shown as a format mark
            value = display.FORMAT_PLACEHOLDER
        self[code] = value
        return value


_EDIT = _EditTable()


def for_editing(original: str) -> str:
    """``original`` as an editor may show it: every character that must not reach the
    terminal replaced by its placeholder (CR by '␍'), one code point for one; newlines and
    tabs kept. `edited` maps the editor's text back."""
    return original.translate(_EDIT)


def edited(original: str, shown: str) -> str:
    """The text the user meant, from the editor's text ``shown`` that began as
    ``for_editing(original)``: where the user changed nothing, ``original``'s own characters
    (an ESC stays an ESC); what they typed or pasted, as they typed it."""
    before = for_editing(original)
    if shown == before:
        return original
    from diff_match_patch import diff_match_patch

    differ = diff_match_patch()
    differ.Diff_Timeout = 1.0  # past it the diff is still right, only not the smallest
    out: list[str] = []
    at = 0  # offset in ``before`` (and ``original``: the same length)
    for op, part in differ.diff_main(before, shown, False):
        if op == differ.DIFF_EQUAL:
            out.append(original[at : at + len(part)])
        elif op == differ.DIFF_INSERT:
            out.append(part)
        if op != differ.DIFF_INSERT:
            at += len(part)
    return "".join(out)

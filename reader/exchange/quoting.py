"""Untrusted values as messages quote them: cut short, never as markup. No Textual here."""

from __future__ import annotations

import reprlib
from typing import Any

#: Characters of an untrusted value quoted in a message.
SHOWN = 60
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxtuple = 2, 4, 4, 4
_REPR.maxset = _REPR.maxfrozenset = 4
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = SHOWN


def shown(value: object) -> str:
    """An untrusted value as quoted in a message: its repr, cut to about SHOWN characters."""
    if isinstance(value, str):
        return repr(value) if len(value) <= SHOWN else repr(value[:SHOWN]) + "…"
    try:
        text = _REPR.repr(value)
    except Exception:  # noqa: BLE001 - an int too long for repr, say
        text = f"a {type(value).__name__}"
    return text if len(text) <= 2 * SHOWN else text[: 2 * SHOWN] + "…"


def label(value: object) -> str:
    """An id as it names a place in a message: as it is, cut to about SHOWN characters."""
    if isinstance(value, str):
        return value if len(value) <= SHOWN else value[:SHOWN] + "…"
    return shown(value)


def unknown_fields(keys: list[Any]) -> str:
    """ "unknown field(s) 'a', 'b' and 3 more"."""
    listed = ", ".join(shown(key) for key in keys[:5])
    more = f" and {len(keys) - 5:,} more" if len(keys) > 5 else ""
    return f"unknown field{'s' if len(keys) > 1 else ''} {listed}{more}"

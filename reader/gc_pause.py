"""The one place reader steers Python's cyclic garbage collector. No Textual here.

Start-up and big documents allocate a great many long-lived, acyclic objects (Textual's
modules, styles and widgets; the nodes of a 5,000-annotation YAML document), and collections
triggered by those allocations walk them all again and again for nothing:

* `paused` pauses collection around a piece of work (YAML parsing and planning an import);
* `pause_for_start_up` turns it off before the app starts, and `resume_after_start_up`, called
  once the first screen is drawn, freezes what start-up made (never walked again) and turns
  collection back on.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pause_for_start_up() -> None:
    gc.disable()


def paused_for_start_up() -> bool:
    """True between `pause_for_start_up` and `resume_after_start_up` (or any other pause)."""
    return not gc.isenabled()


def resume_after_start_up() -> None:
    gc.freeze()
    gc.enable()

"""Reopen: the articles a session had open, and the cursor in each, kept for the next start.

A researcher reads the same comparison every morning: reader quits with the panes it had, in
the order they were focused, and starts with them again. The state is kept in the database
(`Store.save_session`), so it travels with the annotations. What is read back is untrusted (a
file edited by hand, a newer reader): anything that is not as written here is ignored, never
an error. No Textual here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

#: Panes kept at most (more than a screen shows: the rest wait in the strip).
MAX_KEPT = 16
VERSION = 1


@dataclass(frozen=True)
class Reopen:
    """Open articles, the least recently focused first, with their cursors; ``focused`` is
    the article that had the focus (None: the article list had it)."""

    panes: tuple[tuple[str, int], ...] = ()
    focused: str | None = None

    def dump(self) -> str:
        panes = [{"article": a, "cursor": c} for a, c in self.panes[-MAX_KEPT:]]
        return json.dumps({"version": VERSION, "panes": panes, "focused": self.focused})

    @classmethod
    def load(cls, text: str | None) -> Reopen:
        """What ``text`` says, or nothing to reopen when it is missing or not ours."""
        try:
            data = json.loads(text) if text else None
        except ValueError:
            return cls()
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return cls()
        panes: list[tuple[str, int]] = []
        for item in data.get("panes") or []:
            if not isinstance(item, dict):
                continue
            article, cursor = item.get("article"), item.get("cursor")
            if not isinstance(article, str) or type(cursor) is not int or cursor < 0:
                continue
            if article not in {a for a, _ in panes}:
                panes.append((article, int(cursor)))
        focused = data.get("focused")
        if not isinstance(focused, str) or focused not in {a for a, _ in panes}:
            focused = None
        return cls(tuple(panes[-MAX_KEPT:]), focused)

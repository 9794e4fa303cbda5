"""The app-wide key bindings, as data: the footer, the help screen and keymaps read them."""

from __future__ import annotations

from textual.binding import Binding, BindingType

#: Actions that only apply in compare mode (hidden from the footer otherwise).
COMPARE_ACTIONS = frozenset({"next_pair", "previous_pair", "copy_to_partner"})


def _b(key: str, action: str, description: str, tooltip: str = "", **kwargs) -> Binding:
    return Binding(key, action, description, tooltip=tooltip, id=f"app.{action}", **kwargs)


APP_BINDINGS: list[BindingType] = [
    _b("q", "quit", "Quit", "Quit reader (everything is already saved)"),
    _b("question_mark", "help", "Help", "List every key", key_display="?"),
    _b("u", "undo", "Undo", "Undo the last tag, retag, delete or note"),
    _b("ctrl+r", "redo", "Redo", "Redo what was undone", show=False),
    _b("e", "export", "Export", "Write the YAML export beside the database"),
    _b(
        "slash",
        "find",
        "Find",
        "Find in this article (case and accents ignored); n/N step",
        key_display="/",
    ),
    _b(
        "n",
        "next_hit",
        "Next match",
        "While a find is active: next match (enter edits a note then)",
        priority=True,
    ),
    _b(
        "N",
        "previous_hit",
        "Previous match",
        "While a find is active: previous match",
        priority=True,
        show=False,
    ),
    _b("escape", "close_find", "Close find", "In the find bar: clear the find", show=False),
    _b("c", "compare", "Compare", "Line up the same statements in two open panes (again: off)"),
    _b(
        "greater_than_sign",
        "next_pair",
        "Next pair",
        "Compare mode: next aligned passage in both panes",
        key_display=">",
    ),
    _b(
        "less_than_sign",
        "previous_pair",
        "Prev pair",
        "Compare mode: previous aligned passage in both panes",
        key_display="<",
    ),
    _b(
        "y",
        "copy_to_partner",
        "Copy tag",
        "Compare mode: copy the tag and note under the cursor to the aligned passage",
    ),
    _b("T", "tag_view", "By tag", "Every passage with a tag, across articles", show=False),
    _b(
        "ctrl+f",
        "search_all",
        "Search all",
        "Search every article (case and accents ignored)",
        show=False,
    ),
    _b(
        "O",
        "orphans",
        "Orphans",
        "Annotations whose text changed away: re-attach or delete",
        show=False,
    ),
    _b("ctrl+w", "close_pane", "Close pane", "Close the focused reading pane", show=False),
    _b(
        "alt+right,ctrl+pagedown",
        "switch_pane(1)",
        "Next pane",
        "Focus the next open pane, left to right; one out of view is brought back",
        key_display="alt+→, ctrl+pgdn",
        show=False,
    ),
    _b(
        "alt+left,ctrl+pageup",
        "switch_pane(-1)",
        "Previous pane",
        "Focus the previous open pane; one out of view is brought back",
        key_display="alt+←, ctrl+pgup",
        show=False,
    ),
    _b("L", "toggle_list", "List", "Show or hide the article list", show=False),
    _b("A", "toggle_annotations", "Notes panel", "Show or hide the annotations panel", show=False),
]

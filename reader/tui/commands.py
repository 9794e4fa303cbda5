"""What the command palette and the help screen list: the app's commands, as data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding, BindingType

from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from reader.services.tagset import TagSet
    from reader.tui.app import ReaderApp


def system_commands(app: ReaderApp) -> Iterable[SystemCommand]:
    yield SystemCommand(
        "Export annotations", "Write the YAML export beside the database", app.action_export
    )
    yield SystemCommand("Keys", "List every key of every region (also ?)", app.action_help)
    yield SystemCommand(
        "Compare", "Line up the two most recent panes' passages (also c)", app.action_compare
    )
    articles = app.query_one(ArticleList)
    yield SystemCommand(
        "Sort articles",
        "By file name, date or title (also o in the list)",
        articles.action_cycle_sort,
    )
    yield SystemCommand(
        "Filter articles by tag",
        "Only the articles having a tag, one tag after another (also t in the list)",
        articles.action_cycle_filter,
    )
    yield SystemCommand(
        "Filter annotations by tag",
        "The annotations panel shows one tag, then the next (also f in the panel)",
        app.query_one(AnnotationPanel).action_cycle_filter,
    )
    yield SystemCommand(
        "Passages by tag", "Every passage with a tag across all articles", app.action_tag_view
    )
    yield SystemCommand(
        "Search all articles", "Case- and accent-insensitive search", app.action_search_all
    )
    yield SystemCommand(
        "Orphaned annotations",
        "Re-attach or delete annotations whose text changed away",
        app.action_orphans,
    )
    yield SystemCommand("Undo", "Undo the last annotation change", app.action_undo)
    yield SystemCommand("Redo", "Redo what was undone", app.action_redo)
    yield SystemCommand("Close pane", "Close the focused reading pane", app.action_close_pane)
    yield SystemCommand(
        "Toggle article list", "Show or hide the article list", app.action_toggle_list
    )
    yield SystemCommand(
        "Toggle annotations panel",
        "Show or hide the annotations panel",
        app.action_toggle_annotations,
    )


def pane_bindings(tags: TagSet) -> list[BindingType]:
    """The reading pane's keys with the tag keys as this tag set binds them."""
    shown: list[BindingType] = []
    for binding in ReadingPane.BINDINGS:
        if isinstance(binding, Binding) and binding.action.startswith("tag("):
            tag = tags.for_key(binding.key)
            if tag is None:
                continue
            binding = Binding(binding.key, binding.action, tag.name.capitalize())
        shown.append(binding)
    return shown


def help_sections(app: ReaderApp) -> list[tuple[str, list[BindingType]]]:
    return [
        ("Article list", list(ArticleList.BINDINGS)),
        ("Reading pane", pane_bindings(app.annotations.tags)),
        ("Annotations panel", list(AnnotationPanel.BINDINGS)),
        (
            "Anywhere",
            [
                *app.BINDINGS,
                Binding("tab", "focus_next", "Next region"),
                Binding("shift+tab", "focus_previous", "Previous region"),
                Binding("ctrl+p", "command_palette", "Command palette"),
            ],
        ),
    ]

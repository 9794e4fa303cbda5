"""The status line: the last confirmation, the legend, where the cursor is, the find and
compare state. One fixed line, made from what the app holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from reader.text import untrusted
from reader.tui.widgets.annotation_panel import AnnotationPanel

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


def status_line(app: ReaderApp) -> Text:
    text = Text()
    if app.message is not None:
        text.append("» " + untrusted.line(app.message, 300) + "  ", style="bold")
    text.append_text(app.shown.legend())
    pane = app.active_pane
    if pane is not None and pane.is_attached:
        text.append(
            f"   {untrusted.line(pane.article_id, 60)}  {pane.cursor}/{len(pane.body)}",
            style="dim",
        )
        selection = pane.selection
        if selection:
            text.append(f"  selected {selection[1] - selection[0]}", style="bold")
        count = app.query_one(AnnotationPanel).count_text
        text.append(f"  {count} annotation{'' if count == '1' else 's'}", style="dim")
        under = pane.current_highlights()
        if under:
            tags = ", ".join(untrusted.line(h.tag, 40) for h in under)
            text.append("  on: " + tags, style="italic")
    finding = app.comparing.finding
    if finding is not None:
        text.append(
            f"   find “{untrusted.line(finding.query, 30)}”: {len(finding.hits)} (n/N)",
            style="bold",
        )
    comparison = app.comparing.comparison
    if comparison is not None:
        text.append(f"   compare: {len(comparison.pairs)} pairs", style="bold")
        if comparison.current is not None:
            pair = comparison.pairs[comparison.current]
            text.append(f", this one {pair.score:.2f}")
            if comparison.current in comparison.differing:
                text.append("  TAGS DIFFER", style="bold red")
        if comparison.differing:
            text.append(f", {len(comparison.differing)} coded differently", style="red")
    return text

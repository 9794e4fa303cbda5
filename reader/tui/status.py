"""The status line: the last confirmation, the legend, where the cursor is, the find and
compare state. One fixed line, made from what the app holds, drawn at most once a frame.

Confirmations ("Tagged ...", "Undid ...") are said here rather than as toasts: a toast mounts
a widget and lays the screen out again on every tag. They stay until their time is up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from reader.text import untrusted
from reader.text.wording import count
from reader.tui.widgets.annotation_panel import AnnotationPanel

if TYPE_CHECKING:
    from textual.timer import Timer

    from reader.corpus.articles import Corpus
    from reader.tui.app import ReaderApp


class Status:
    """The line under the panes and the confirmation it shows."""

    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        self.message: str | None = None  # the confirmation shown
        self._timer: Timer | None = None
        self._pending = False

    def say(self, message: str, seconds: float) -> None:
        self.message = message
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.set_timer(seconds, self.expire)
        if self.app.is_running:
            self.show()

    def expire(self) -> None:
        self.message, self._timer = None, None
        self.show()

    def show(self) -> None:
        """Draw the line again once what is being done now is done (a tag asks 4 times: the
        cursor moved, the article refreshed, the confirmation, the selection cleared), still
        before the screen is updated."""
        if not self._pending:
            self._pending = True
            # deferred twice: after the callbacks that the key's own callbacks queue (a tag
            # moves the cursor, whose signal comes back through call_next)
            self.app.call_next(self.app.call_next, self._draw)

    def _draw(self) -> None:
        self._pending = False
        # one fixed line: no relayout of the screen on every keystroke
        self.app.query_one("#status", Static).update(status_line(self.app), layout=False)


#: Characters a confirmation keeps on the status line, however narrow the screen.
MESSAGE_MIN = 40


def status_line(app: ReaderApp) -> Text:
    text = Text()
    if app.status.message is not None:  # a third of the line: the rest still shows where one is
        room = max(MESSAGE_MIN, app.size.width // 3)
        text.append("» " + untrusted.line(app.status.message, room) + "  ", style="bold")
    aligning = app.comparing.aligning
    if aligning is not None:  # first: the user waits for it
        text.append(aligning.text() + "   ", style="bold")
    if app.pending_reattach is not None:  # until tagged or cancelled
        keys = untrusted.line(app.annotations.tags.keys_phrase(), 60)
        text.append(f"Re-attaching: select, then {keys} · escape cancels   ", style="bold")
    pane = app.active_pane
    if pane is not None and pane.is_attached and pane.selecting:
        # what a selection is: said first, where the narrowest screen still shows it
        selection = pane.selection
        if selection is None:  # just after v
            keys = app.annotations.tags.keys_phrase()
            text.append(f"selecting: move to extend, {keys} to tag, escape cancels ", style="bold")
        else:
            size = count(selection[1] - selection[0], "character")
            text.append(f"selected {size}  ", style="bold")
    if pane is not None and pane.is_attached:
        text.append(
            f"{untrusted.line(pane.article_id, 60)}  "
            f"character {pane.cursor:,} of {len(pane.body):,}",
            style="dim",
        )
        shown = app.query_one(AnnotationPanel).count_text
        text.append(f"  {shown} annotation{'' if shown == '1' else 's'}", style="dim")
        under = pane.current_highlights()
        if under:
            tags = ", ".join(untrusted.line(h.tag, 40) for h in under)
            text.append("  on: " + tags, style="italic")
    finding = app.comparing.finding
    if finding is not None:
        found_in = app.comparing.pane_of(finding.article_id)
        where = finding.where(found_in.cursor if found_in is not None else -1)
        text.append(
            f"   find “{untrusted.line(finding.query, 30)}”: {where} (n/N)",
            style="bold",
        )
    comparison = app.comparing.comparison
    if comparison is not None:
        text.append(f"   compare: {count(len(comparison.pairs), 'pair')}", style="bold")
        if comparison.current is not None:
            pair = comparison.pairs[comparison.current]
            text.append(f", this one {pair.score:.2f}")
            if comparison.current in comparison.differing:
                text.append("  TAGS DIFFER", style="bold red")
        if comparison.differing:
            text.append(f", {len(comparison.differing)} coded differently", style="red")
    # the tags' keys last: the help screen and the panel's colours say them too
    text.append("   ")
    text.append_text(app.shown.legend())
    return text


def start_hint(corpus: Corpus) -> Text:
    """What the empty pane area says: how to begin, or that the folder holds no article (and
    which folder: the user may have started reader in the wrong place)."""
    if len(corpus) == 0:
        folder = untrusted.line(str(corpus.folder.absolute()), 200)
        return Text(
            f"No articles in {folder}\n\n"
            "Put one .txt or .md file per article there\n"
            "and start reader again, or start it with\n"
            "--articles DIR to read another folder.",
            justify="center",
        )
    return Text(
        "Pick an article on the left\nand press enter to read it.\n\n"
        "Open more to read them side by side.\n? lists every key.",
        justify="center",
    )

"""Tagging, retagging, deleting, notes, undo and redo: the screen's side of them.

The app routes a pane's `Tagged` (through the pane's `tagged_signal`, in the same screen
update) and `AnnotationAction` here; the change itself is made by the annotations service,
which announces it to be drawn. This says to the user what was done, or why not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.model import Annotation
from reader.services.annotations import Gone, Refused
from reader.store import Conflict, StoreBusy, StoreError
from reader.text import untrusted
from reader.text.layout import prev_boundary
from reader.text.wording import count, quoted

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp
    from reader.tui.widgets.reading_pane import ReadingPane


class Annotating:
    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        self.annotations = app.annotations
        #: the orphan whose new place the next tag key gives (O, then "re-attach")
        self.pending_reattach: str | None = None

    def tagged(self, event: ReadingPane.Tagged) -> None:
        app = self.app
        article = app.corpus.get(event.article_id)
        if article is None or self.annotations.tags.for_key(event.key) is None:
            return
        if self.pending_reattach is not None:
            self._reattach(self.pending_reattach, event)
            return
        try:
            added = self.annotations.tag(article, event.key, event.start, event.end)
        except Refused as why:  # only whitespace selected
            app.notify(str(why), severity="warning", timeout=4)
            return
        except StoreError as exc:
            # nothing was saved: the selection is given back, for the same key to try again
            event.pane.select(event.start, event.end)
            app.notify(
                f"Not saved: {exc}. The selection is kept: press {event.key} to try again"
                if isinstance(exc, StoreBusy)
                else f"Not saved: {exc}",
                severity="error",
                timeout=10,
            )
            return
        # the cursor onto the new annotation's last character: a tag key, x, n act on it at once
        event.pane.move_to(prev_boundary(article.body, added.end))
        app.notify(
            f"Tagged {count(added.end - added.start, 'character')} as {added.tag} · u undoes",
            timeout=3,
        )

    def action(self, event: ReadingPane.AnnotationAction) -> None:
        """Retag, delete or edit the note of the annotation under a pane's cursor."""
        app = self.app
        try:
            if event.action == "retag":
                before, after = self.annotations.retag(event.annotation_id, event.key or "")
                app.notify(f"Retagged {before.tag} → {after.tag} · u undoes", timeout=3)
            elif event.action in ("delete", "note"):
                shown = self.annotations.get(event.annotation_id)
                if shown is None:
                    raise Gone("That annotation is gone (deleted elsewhere?)")
                if event.action == "note":
                    self.edit_note(shown)
                    return
                before = self.annotations.delete(shown.id)
                app.notify(f"Deleted the {before.tag} annotation · u undoes", timeout=3)
        except Gone as why:
            app.notify(str(why), severity="warning")
            app.guarded(self.annotations.refresh, event.article_id)
        except Refused as why:
            app.notify(str(why), timeout=2)
        except StoreError as exc:
            app.notify(f"Not saved: {exc}", severity="error", timeout=8)
            app.guarded(self.annotations.refresh, event.article_id)

    def edit_note(self, shown: Annotation) -> None:
        app = self.app
        quote = quoted(untrusted.line(shown.quote, 60))
        heading = f"Note on {untrusted.line(shown.tag, 40)}: {quote}"

        def save(result: str) -> str | None:
            """Save the editor's text; None when done, else why not (the editor stays open,
            the text in it)."""
            try:
                done = self.annotations.set_note(shown, result)
            except Conflict:
                return (
                    "Not saved: the note was changed elsewhere since you opened it (another "
                    "reader?). Your text is still here: copy what you need, escape, and open "
                    "the note again"
                )
            except StoreError as exc:
                again = " ctrl+s tries again." if isinstance(exc, StoreBusy) else ""
                return f"Not saved: {exc}. Your text is still here.{again}"
            app.notify(f"Note {done}" if done else "Note unchanged", timeout=2)
            return None

        def closed(saved: bool | None) -> None:
            if not saved:
                app.notify("Note unchanged", timeout=2)

        from reader.tui.screens.note_editor import NoteEditor  # TextArea: imported when first used

        app.push_screen(NoteEditor(shown.note, heading, save), closed)

    def travel(self, *, undo: bool) -> None:
        """Undo or redo one change, show where it happened and say what was done."""
        app = self.app
        verb = "undo" if undo else "redo"
        try:
            change = self.annotations.undo() if undo else self.annotations.redo()
        except StoreError as exc:
            app.notify(f"Cannot {verb}: {exc}", severity="error", timeout=8)
            return
        if change is None:
            app.notify(f"Nothing to {verb}", timeout=2)
            return
        shown = (change.before or change.after) if undo else (change.after or change.before)
        if shown is not None:
            for pane in app.panes:
                if pane.article_id == shown.article_id:
                    pane.move_to(shown.start)
        app.notify(f"{'Undid' if undo else 'Redid'} {change.label}", timeout=3)

    def _reattach(self, orphan_id: str, event: ReadingPane.Tagged) -> None:
        """Give an orphaned annotation the new selection (its text could not be found)."""
        app = self.app
        self.pending_reattach = None
        article = app.corpus.get(event.article_id)
        try:
            if article is None:
                raise Gone("The orphan is gone (deleted elsewhere?)")
            tag = self.annotations.reattach(orphan_id, article, event.start, event.end, event.key)
        except Refused as why:
            app.notify(str(why), severity="warning")
            return
        except StoreError as exc:
            app.notify(f"Not saved: {exc}", severity="error", timeout=8)
            return
        app.notify(f"Re-attached the orphan as {tag} · u undoes", timeout=4)

    def start_reattach(self, orphan: Annotation) -> None:
        self.pending_reattach = orphan.id
        self.app.notify(
            f"Select the new place of {quoted(untrusted.line(orphan.quote, 60))} and press "
            f"{self.annotations.tags.keys_phrase()} to re-attach it (escape cancels)",
            timeout=10,
        )

    def cancel_reattach(self) -> bool:
        if self.pending_reattach is None:
            return False
        self.pending_reattach = None
        self.app.notify("Re-attach cancelled", timeout=2)
        return True

    def delete(self, annotation_id: str) -> None:
        try:
            before = self.annotations.delete(annotation_id)
        except StoreError as exc:
            self.app.notify(f"Not deleted: {exc}", severity="error", timeout=8)
            return
        self.app.notify(f"Deleted the {before.tag} annotation · u undoes", timeout=3)

    def export(self) -> None:
        """Write every annotation to the export file beside the database, and say where."""
        app = self.app
        path = self.annotations.export_path()
        try:
            written, articles = self.annotations.export(path)
        except OSError as exc:
            app.notify(f"{path}: cannot write: {exc.strerror or exc}", severity="error")
            return
        except StoreError as exc:
            app.store_failed(exc)
            return
        app.notify(
            f"Exported {count(written, 'annotation')} of {count(articles, 'article')} to {path}",
            timeout=6,
        )

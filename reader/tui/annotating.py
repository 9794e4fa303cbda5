"""Tagging, retagging, deleting, notes, undo and redo: the app's side of a pane's messages.

A mixin of ReaderApp (handlers are found by name, `on_reading_pane_annotation_action`...; a
tag comes through the pane's `tagged_signal`, in the same screen update). Every change
goes to the store at once, is recorded in the history and is told to the user.
"""

from __future__ import annotations

from reader.services.history import Change
from reader.store import Annotation, Conflict, StoreBusy, StoreError, context_of
from reader.tags import tag_for_key
from reader.text import untrusted
from reader.text.layout import prev_boundary
from reader.tui.app_state import AppState
from reader.tui.widgets.reading_pane import ReadingPane


class AnnotatingMixin(AppState):
    def tag_from_pane(self, event: ReadingPane.Tagged) -> None:
        tag = tag_for_key(event.key, self.tags)
        article = self.corpus.get(event.article_id)
        if tag is None or article is None:
            return
        if self.pending_reattach is not None:
            self._reattach(self.pending_reattach, event, tag.name)
            return
        try:
            added = self.store.add(
                event.article_id, tag.name, event.start, event.end, article.body, article.sha256
            )
        except StoreError as exc:
            # nothing was saved: the selection is given back, for the same key to try again
            event.pane.select(event.start, event.end)
            self.notify(
                f"Not saved: {exc}. The selection is kept: press {event.key} to try again"
                if isinstance(exc, StoreBusy)
                else f"Not saved: {exc}",
                severity="error",
                timeout=10,
            )
            return
        self._record(Change(f"tag as {tag.name}", None, added))
        # the cursor onto the new annotation's last character: 1/2/3, x, n act on it at once
        event.pane.move_to(prev_boundary(article.body, added.end))
        self.notify(
            f"Tagged {added.end - added.start} characters as {tag.name} · u undoes", timeout=3
        )

    def on_reading_pane_annotation_action(self, event: ReadingPane.AnnotationAction) -> None:
        try:
            self._annotation_action(event)
        except StoreError as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=8)
            self.refresh_article(event.article_id)

    def _annotation_action(self, event: ReadingPane.AnnotationAction) -> None:
        before = self.store.get(event.annotation_id)
        if before is None:
            self.notify("That annotation is gone (deleted elsewhere?)", severity="warning")
            self.refresh_article(event.article_id)
            return
        if event.action == "retag":
            tag = tag_for_key(event.key or "", self.tags)
            if tag is None:
                return
            if tag.name == before.tag:
                self.notify(f"Already tagged {tag.name}", timeout=2)
                return
            before, after = self.store.edit(before.id, {"tag": before.tag}, tag=tag.name)
            self._record(Change(f"retag as {tag.name}", before, after))
            self.notify(f"Retagged {before.tag} → {tag.name} · u undoes", timeout=3)
        elif event.action == "delete":
            self.store.delete(before.id)
            self._record(Change(f"delete {before.tag}", before, None))
            self.notify(f"Deleted the {before.tag} annotation · u undoes", timeout=3)
        elif event.action == "note":
            self.edit_note(before)

    def edit_note(self, shown: Annotation) -> None:
        heading = f"Note on {untrusted.line(shown.tag, 40)}: “{untrusted.line(shown.quote, 60)}”"

        def save(result: str) -> str | None:
            """Save the editor's text; None when done, else why not (the editor stays open,
            the text in it)."""
            note = result if result.strip() else None
            if note == shown.note:
                self.notify("Note unchanged", timeout=2)
                return None
            try:  # only over the note the user saw: another reader may have changed it
                before, after = self.store.edit(shown.id, {"note": shown.note}, note=note)
            except Conflict:
                return (
                    "Not saved: the note was changed elsewhere since you opened it (another "
                    "reader?). Your text is still here: copy what you need, escape, and open "
                    "the note again"
                )
            except StoreError as exc:
                again = " ctrl+s tries again." if isinstance(exc, StoreBusy) else ""
                return f"Not saved: {exc}. Your text is still here.{again}"
            self._record(Change("note", before, after))
            self.notify("Note saved" if note else "Note removed", timeout=2)
            return None

        def closed(saved: bool | None) -> None:
            if not saved:
                self.notify("Note unchanged", timeout=2)

        from reader.tui.screens.note_editor import NoteEditor  # TextArea: imported when first used

        self.push_screen(NoteEditor(shown.note, heading, save), closed)

    def _record(self, change: Change) -> None:
        self.history.record(change)
        self.refresh_article(change.article_id, changed=[_id_of(change)])

    def action_undo(self) -> None:
        self._travel(undo=True)

    def action_redo(self) -> None:
        self._travel(undo=False)

    def _travel(self, *, undo: bool) -> None:
        """Undo or redo one change, show where it happened and say what was done."""
        verb = "undo" if undo else "redo"
        try:
            change = self.history.undo() if undo else self.history.redo()
        except StoreError as exc:
            self.notify(f"Cannot {verb}: {exc}", severity="error", timeout=8)
            return
        if change is None:
            self.notify(f"Nothing to {verb}", timeout=2)
            return
        self.refresh_article(change.article_id, changed=[_id_of(change)])
        shown = (change.before or change.after) if undo else (change.after or change.before)
        self._reveal(shown)
        self.notify(f"{'Undid' if undo else 'Redid'} {change.label}", timeout=3)

    def _reveal(self, item: Annotation | None) -> None:
        if item is None:
            return
        for pane in self.panes:
            if pane.article_id == item.article_id:
                pane.move_to(item.start)

    def _reattach(self, orphan_id: str, event: ReadingPane.Tagged, tag: str) -> None:
        """Give an orphaned annotation the new selection (its text could not be found)."""
        self.pending_reattach = None
        before = self.store.get(orphan_id)
        article = self.corpus.get(event.article_id)
        if before is None or article is None:
            self.notify("The orphan is gone (deleted elsewhere?)", severity="warning")
            return
        if before.article_id != event.article_id:
            self.notify(
                "Re-attach cancelled: the selection is in another article", severity="warning"
            )
            return
        body = article.body
        prefix, suffix = context_of(body, event.start, event.end)
        try:
            after = self.store.update(
                orphan_id,
                tag=tag,
                start=event.start,
                end=event.end,
                quote=body[event.start : event.end],
                prefix=prefix,
                suffix=suffix,
                article_sha256=article.sha256,
                orphaned=False,
                review=False,
            )
        except StoreError as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=8)
            return
        self._record(Change("re-attach", before, after))
        self.notify(f"Re-attached the orphan as {tag} · u undoes", timeout=4)

    def start_reattach(self, orphan: Annotation) -> None:
        self.pending_reattach = orphan.id
        self.notify(
            f"Select the new place of “{untrusted.line(orphan.quote, 60)}” and press 1, 2 or 3 "
            "to re-attach it (escape in the list cancels)",
            timeout=10,
        )

    def delete_annotation(self, item: Annotation) -> None:
        try:
            self.store.delete(item.id)
        except StoreError as exc:
            self.notify(f"Not deleted: {exc}", severity="error", timeout=8)
            return
        self._record(Change(f"delete {item.tag}", item, None))
        self.notify(f"Deleted the {item.tag} annotation · u undoes", timeout=3)


def _id_of(change: Change) -> str:
    item = change.after or change.before
    assert item is not None
    return item.id

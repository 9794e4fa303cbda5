"""Watching: what changed under reader while it runs, told to the user.

Another reader instance (or any program) writing the same database, an open article's file
changed or deleted on disk, a database file replaced, annotations whose text changed since they
were made (re-anchored at start). The app polls `check_external_changes` every few seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.store import DatabaseReplaced, StoreError
from reader.text import untrusted
from reader.text.wording import count

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


class Watching:
    def __init__(self, app: ReaderApp) -> None:
        self.app = app

    def changed_files(self) -> None:
        """Tell the user when the file of an open article changed or vanished on disk: the pane
        keeps the text it was opened with (its annotations stay where they are) until the
        article is closed and opened again, which re-anchors them to the new text."""
        app = self.app
        articles = [app.corpus.get(pane.article_id) for pane in app.panes]
        open_files = {a.id: a for a in articles if a is not None}
        for article_id, gone in app.files.changed({i: a.path for i, a in open_files.items()}):
            name = open_files[article_id].file
            if gone:
                app.notify(
                    f"{name} was deleted or moved from the folder; the pane shows the text as it "
                    "was and its annotations are kept",
                    severity="warning",
                    timeout=10,
                )
            else:
                app.notify(
                    f"{name} changed on disk; the pane shows the text as it was. Close it "
                    "(ctrl+w) and open it again to read the new text: its annotations are "
                    "re-anchored then",
                    severity="warning",
                    timeout=10,
                )

    def external_changes(self) -> None:
        """Show what another program wrote to the same database (and notice article files
        changed on disk, and a database file deleted or replaced under reader)."""
        app = self.app
        self.changed_files()
        if app.store_trouble is not None:
            return
        if app.guarded(app.annotations.poll):
            app.shown.everything()
            app.comparing.refresh()
            app.show_status()

    def reconcile(self) -> None:
        """At start: re-anchor the annotations of every article whose text changed, and say how
        many could not be found (kept, for the orphans list)."""
        app = self.app
        try:
            orphans = app.annotations.reconcile_all()
        except StoreError as exc:  # the database itself (DatabaseReplaced is one: say so)
            app.store_failed(exc)
            return
        except Exception as exc:  # noqa: BLE001 - never stop the app over re-anchoring
            app.notify(f"Re-anchoring failed: {exc}", severity="error")
            orphans = 0
        if orphans:
            app.notify(
                f"{count(orphans, 'annotation')} could not be found in the changed "
                "article text; they are kept: O lists them to re-attach or delete",
                severity="warning",
                timeout=8,
            )

    def store_failed(self, exc: StoreError) -> None:
        """The database cannot be used as it is: say why. A file replaced under reader leaves
        the app running (reading, and exporting what it still holds, work; every write is
        refused with the reason); anything else ends the app with the message (exit 1), the
        file as it was."""
        app = self.app
        if app.store_trouble is not None:
            return
        app.store_trouble = str(exc)
        if isinstance(exc, DatabaseReplaced):
            app.notify(str(exc), severity="error", timeout=3600)
            return
        app.exit(return_code=1, message=untrusted.text(f"reader: {exc}"))

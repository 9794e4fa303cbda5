"""Every surface that shows untrusted text gets the same hostile strings, and none of them acts.

A surface is a place where text reaches the user: a screen region, a toast, the command
palette, an editor, a line on stdout or stderr. `SURFACES` lists them, each with a driver that
brings the hostile world onto it (a title, outlet, date, file name, tag name, tag colour, note,
quote and search query made of `HOSTILE`), and what must then be seen there, so that a driver
that shows nothing cannot pass. What the screen draws is read from Textual's own screenshot
(it renders what the terminal would get, raw control characters included); what the CLI
prints, from its streams.

A new surface cannot slip past: `test_every_module_that_shows_text_is_covered` walks reader's
source for the calls that put text on a screen or a stream, and each function making them must
be in `SHOWN_BY` with the surface (a key of `SURFACES`) that covers it.
"""

from __future__ import annotations

import ast
import dataclasses
import html
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile import MARKER
from textual import events

from reader import cli
from reader.corpus.articles import load_corpus
from reader.store import Store
from reader.tags import Tag
from reader.text import untrusted
from reader.tui.app import ReaderApp
from reader.tui.widgets.reading_pane import ReadingPane

HOSTILE = {
    "markup": '[@click=app.screenshot("annotations.db",".")]Amnesty statement[/] [b]b[/b] $x',
    "link": f"[link=file:///etc/passwd]{MARKER}-LINK[/link]",
    "osc title": f"\x1b]0;{MARKER}-TITLE\x07 \x1b]2;{MARKER}-TITLE2\x1b\\",
    "osc 52": "\x1b]52;c;UFdORUQtQ0xJUEJPQVJE\x07",
    "osc 8": f"\x1b]8;;http://evil.example/\x1b\\{MARKER}-HREF\x1b]8;;\x1b\\",
    "csi": f"\x1b[2J\x1b[H\x1b[31m{MARKER}-RED\x1b[0m\x1bc",
    "c1": f"\x9b2J {MARKER}-C1 \x85 \x90q\x9c",
    "bidi": f"\u202e{MARKER}-RLO\u202c \u2066iso\u2069 \u202aLRE\u202c \u200f",
    "controls": f"NUL\x00 BEL\x07 BS\x08 DEL\x7f VT\x0b FF\x0c CR\rX {MARKER}-CTRL",
}
HOSTILE_ALL = " | ".join(HOSTILE.values())
#: For values that must stay short (an article id is a file name: 255 characters at most).
SHORT_HOSTILE = "[@click=app.quit]x[b] " + HOSTILE["osc title"] + HOSTILE["bidi"] + "\x9b2J\x07"
#: What the screen shows when markup was left as text (Textual would have eaten the brackets).
MARKUP_SHOWN = "[@click=app.screenshot"
HOSTILE_FILE = f"1-name\x1b]0;{MARKER}-FILE\x07\u202e.txt"
SIZE = (200, 50)


def assert_inert(shown: str, where: str) -> None:
    """Nothing in ``shown`` may act on a terminal or hide what follows it."""
    found = untrusted.UNSAFE.search(shown)
    assert found is None, f"{where}: {found.group()!r} reached the output: {shown!r}"[:2000]


# --- the hostile world ----------------------------------------------------------------------


@dataclass
class World:
    folder: Path
    db: Path
    article: str  # the id of the article whose every field is hostile
    body: str

    def cli_args(self) -> list[str]:
        return ["--articles", str(self.folder), "--db", str(self.db)]


def _yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (every character escaped as \\uXXXX)."""
    return '"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else c for c in text) + '"'


@pytest.fixture
def world(tmp_path: Path) -> World:
    folder = tmp_path / "articles"
    folder.mkdir()
    body = "Intro.\n" + "".join(f"{kind}: {text}\n" for kind, text in HOSTILE.items())
    body += "The end of a hostile article.\n"
    front = "".join(
        f"{field}: {_yaml_quoted(HOSTILE_ALL)}\n"
        for field in ("title", "outlet", "author", "date", "language")
    )
    (folder / "0-hostile.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    (folder / HOSTILE_FILE).write_text("A file with a hostile name.\n", encoding="utf-8")
    (folder / "2-plain.txt").write_text("A plain article. Amnesty said PWNED.\n")
    # markup that Textual's own escape() leaves alone (a space after the bracket)
    (folder / '5-[ @click=app.screenshot("annotations.db",".")]x.txt').write_text("Amnesty.\n")
    # a warning that names the file: 'title' is a list
    (folder / f"4-warn{HOSTILE['bidi']}.md").write_text("---\ntitle: [a]\n---\nBody.\n")
    (folder / f"3-binary{HOSTILE['osc title']}.txt").write_bytes(b"\x00\x01\x02" * 50)
    db = tmp_path / "annotations.db"
    with Store(db) as store:
        store.add_tag(Tag(HOSTILE_ALL, "4", "red link https://evil.example/"))
        corpus = load_corpus(folder)
        article = corpus.get("0-hostile")
        assert article is not None and article.body == body
        start = body.index("markup")
        store.add(article.id, HOSTILE_ALL, start, len(body) - 30, body, article.sha256, HOSTILE_ALL)
        store.add(article.id, "demand", 0, 6, body, article.sha256, note=HOSTILE["osc 52"])
        gone = store.add(article.id, "demand", 7, 20, body, article.sha256)
        store.restore(
            dataclasses.replace(gone, article_id="9-gone", quote=HOSTILE_ALL, orphaned=True)
        )
    return World(folder, db, "0-hostile", body)


# --- screens ----------------------------------------------------------------------------------


def screen_text(app: ReaderApp) -> str:
    """What the screen draws now, as the terminal would get it (from Textual's screenshot)."""
    svg = app.export_screenshot()
    rows = re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    return "".join(html.unescape(row) for row in rows).replace("\xa0", " ")


Driver = Callable[[ReaderApp, object, World], Awaitable[None]]


async def open_hostile(app: ReaderApp, pilot, world: World) -> ReadingPane:
    await pilot.press("enter")
    await pilot.pause()
    pane = app.panes[0]
    assert pane.article_id == world.article
    return pane


async def on_the_annotation(app: ReaderApp, pilot, world: World) -> ReadingPane:
    pane = await open_hostile(app, pilot, world)
    pane.move_to(world.body.index("markup") + 3)
    await pilot.pause()
    return pane


async def drive_list(app, pilot, world):
    await pilot.press("down", "down", "down")  # to the file that cannot be opened
    await pilot.pause()


async def drive_pane(app, pilot, world):
    await on_the_annotation(app, pilot, world)


async def drive_status(app, pilot, world):
    await on_the_annotation(app, pilot, world)
    app.clear_notifications()  # toasts cover the end of the status line
    await pilot.pause()


async def drive_status_message(app, pilot, world):
    await on_the_annotation(app, pilot, world)
    app.notify(f"Tagged {HOSTILE_ALL}")  # a confirmation quoting article text
    await pilot.pause()


async def drive_find(app, pilot, world):
    await open_hostile(app, pilot, world)
    await pilot.press("slash")
    bar = app.find_bar()
    assert bar is not None
    bar.value = HOSTILE_ALL  # pasted from the article
    app.clear_notifications()
    await pilot.pause()


async def drive_toast(app, pilot, world):
    await pilot.press("down", "enter")  # the article with the hostile file name
    await pilot.pause()
    article = app.corpus.get(HOSTILE_FILE[:-4])
    assert article is not None
    article.path.write_text("Changed on disk.\n")
    app.check_changed_files()  # "<file> changed on disk ..."
    app.notify(HOSTILE_ALL, severity="error", title=HOSTILE_ALL)
    await pilot.pause()


async def drive_palette(app, pilot, world):
    await pilot.press("ctrl+p")
    await pilot.pause()
    for key in "Open":
        await pilot.press(key)
    await pilot.pause(0.3)


async def drive_palette_paste(app, pilot, world):
    await pilot.press("ctrl+p")
    await pilot.pause()
    app.post_message(events.Paste(f"PA\u202eB\x9bCD \x1b]0;{MARKER}-PASTE\x07"))
    await pilot.pause(0.3)


async def drive_note_editor(app, pilot, world):
    await on_the_annotation(app, pilot, world)
    await pilot.press("n")
    await pilot.pause()


async def drive_help(app, pilot, world):
    await pilot.press("question_mark")
    await pilot.pause()


async def drive_tag_view(app, pilot, world):
    await on_the_annotation(app, pilot, world)
    await pilot.press("T")
    await pilot.pause()


async def drive_orphans(app, pilot, world):
    await pilot.press("O")
    await pilot.pause()


async def drive_search(app, pilot, world):
    await pilot.press("ctrl+f")
    await pilot.pause()
    for key in MARKER:
        await pilot.press(key)
    await pilot.pause(0.5)


async def drive_pane_strip(app, pilot, world):
    await pilot.resize_terminal(105, 30)  # two panes side by side (the clicks still land)
    await open_hostile(app, pilot, world)
    for key in ("escape", "down", "enter", "escape", "down", "enter"):
        await pilot.press(key)  # a third pane: the first goes to the strip
    app.clear_notifications()
    await pilot.pause()


@dataclass(frozen=True)
class Screen:
    drive: Driver
    shows: tuple[str, ...]  # what must be on the screen then (the hostile text arrived)
    #: over an empty folder with a hostile name, instead of the hostile corpus
    empty_folder: bool = False


async def drive_nothing(app, pilot, world):
    await pilot.pause()


SCREENS: dict[str, Screen] = {
    "article list": Screen(drive_list, (MARKUP_SHOWN, "cannot open")),
    "reading pane": Screen(drive_pane, (f"{MARKER}-RLO", f"{MARKER}-CTRL", MARKUP_SHOWN)),
    "annotations panel": Screen(drive_pane, ("note: ", "[link=file")),
    "status line and legend": Screen(drive_status, ("on: [@click", " 4 [@click", "0-hostile")),
    "status message": Screen(drive_status_message, ("» Tagged [@click",)),
    "find bar": Screen(drive_find, ("find “[@click",)),
    "toasts": Screen(drive_toast, ("changed on disk", f"{MARKER}-FILE")),
    "command palette": Screen(drive_palette, ("Open: [@click", "Open 1-name", "Open 5-[ @click")),
    "command palette paste": Screen(drive_palette_paste, ("PA⇄B⍰CD ␛]0;",)),
    "note editor": Screen(drive_note_editor, ("Note on [@click", f"{MARKER}-TITLE")),
    "help screen": Screen(drive_help, ("4 [@click", "Quit")),
    "key bar": Screen(drive_list, ("Quit",)),
    "tag view": Screen(drive_tag_view, ("[@click=app.screenshot", "passage")),
    "orphans": Screen(drive_orphans, ("Orphaned annotations", f"{MARKER}-RED")),
    "corpus search": Screen(drive_search, ("matches in", MARKER)),
    "empty folder hint": Screen(drive_nothing, ("No articles in", f"{MARKER}-DIR"), True),
    "pane strip": Screen(drive_pane_strip, ("◌ 1 [@click",)),
}


@pytest.mark.parametrize("name", SCREENS)
async def test_screen_surface_shows_hostile_text_inert(world: World, name: str):
    surface = SCREENS[name]
    db_before = world.db.read_bytes()
    folder = world.folder
    if surface.empty_folder:
        folder = world.folder.parent / f"{MARKER}-DIR{HOSTILE['osc title']}[@click=app.quit]x"
        folder.mkdir()
    with Store(world.db) as store:
        app = ReaderApp(store=store, corpus=load_corpus(folder), poll_seconds=0)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await surface.drive(app, pilot, world)
            shown = screen_text(app)
            for clicked in range(2):  # a click on any part of it runs nothing
                await pilot.click(offset=(60 + clicked * 40, 20))
    assert_inert(shown, name)
    for expected in surface.shows:
        assert expected in shown, f"{name}: {expected!r} not on the screen:\n{shown}"
    assert world.db.read_bytes()[:16] == db_before[:16] == b"SQLite format 3\x00"
    assert not list(world.folder.parent.glob("*.svg"))  # no screenshot was written anywhere


async def test_the_note_editor_keeps_the_exact_note_and_saves_edits_around_it(world: World):
    with Store(world.db) as store:
        app = ReaderApp(store=store, corpus=load_corpus(world.folder), poll_seconds=0)
        async with app.run_test(size=SIZE) as pilot:
            await on_the_annotation(app, pilot, world)
            [item] = [a for a in store.annotations() if a.tag == HOSTILE_ALL]
            await pilot.press("n")
            await pilot.pause()
            await pilot.press("ctrl+s")  # saved unchanged
            await pilot.pause()
            assert store.get(item.id).note == HOSTILE_ALL  # type: ignore[union-attr]
            await pilot.press("n")
            await pilot.pause()
            area = app.screen.query_one("TextArea")
            area.move_cursor((0, 0))  # type: ignore[attr-defined]
            await pilot.press("!")
            area.move_cursor(area.document.end)  # type: ignore[attr-defined]
            await pilot.press("?", "ctrl+s")
            await pilot.pause()
            assert store.get(item.id).note == "!" + HOSTILE_ALL + "?"  # type: ignore[union-attr]
            await pilot.press("n")
            await pilot.pause()
            app.post_message(events.Paste(f"\x1b]0;{MARKER}-PASTED\x07\u202e"))  # a paste
            await pilot.pause()
            shown = screen_text(app)
            assert_inert(shown, "note editor after a paste")
            assert f"␛]0;{MARKER}-PASTED␇⇄" in shown
            await pilot.press("ctrl+s")
            await pilot.pause()
            note = store.get(item.id).note  # type: ignore[union-attr]
            assert note is not None and f"␛]0;{MARKER}-PASTED␇" in note
            assert note.count("\x1b") == HOSTILE_ALL.count("\x1b")  # the old ones kept as they were


# --- the command line -------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def cli_list(world, tmp_path, capsys):
    return run(capsys, "list", *world.cli_args())


def cli_export(world, tmp_path, capsys):
    return run(capsys, "export", *world.cli_args())


def cli_export_error(world, tmp_path, capsys):
    return run(capsys, "export", *world.cli_args(), "-o", str(tmp_path / HOSTILE_FILE / "x.yaml"))


def cli_import_errors(world, tmp_path, capsys):
    doc = tmp_path / "import.yaml"
    doc.write_text(
        "format: reader-annotations/1\narticles:\n"
        f"- id: {_yaml_quoted(HOSTILE_ALL)}\n  file: {_yaml_quoted(HOSTILE_ALL)}\n"
        "  annotations: []\n"
        f"- id: 0-hostile\n  sha256: {_yaml_quoted(HOSTILE_ALL)}\n  annotations:\n"
        f"  - id: {_yaml_quoted(HOSTILE_ALL)}\n    tag: {_yaml_quoted(HOSTILE_ALL + 'x')}\n"
        f"    start: 0\n    end: 5\n    quote: {_yaml_quoted(HOSTILE_ALL)}\n"
        f"    created: {_yaml_quoted(HOSTILE_ALL)}\n"
        f"    {_yaml_quoted(HOSTILE['osc title'] + HOSTILE['bidi'])}: 1\n",
        encoding="utf-8",
    )
    return run(capsys, "import", *world.cli_args(), str(doc))


def cli_import_summary(world, tmp_path, capsys):
    doc = tmp_path / "import.yaml"
    doc.write_text(
        "format: reader-annotations/1\narticles:\n"
        f"- id: {_yaml_quoted(SHORT_HOSTILE)}\n  file: null\n  annotations:\n"
        f"  - {{tag: demand, start: 0, end: 5, quote: {_yaml_quoted(SHORT_HOSTILE[:5])}}}\n",
        encoding="utf-8",
    )
    return run(capsys, "import", *world.cli_args(), str(doc))


def cli_align(world, tmp_path, capsys):
    return run(capsys, "align", *world.cli_args(), "0-hostile", "2-plain", "--min-score", "0")


def cli_unknown_id(world, tmp_path, capsys):
    return run(capsys, "align", *world.cli_args(), HOSTILE_ALL, "2-plain")


def cli_bad_option(world, tmp_path, capsys):
    try:
        return run(capsys, "align", "a", "b", "--min-score", HOSTILE_ALL)
    except SystemExit as exc:
        out = capsys.readouterr()
        return int(exc.code or 0), out.out + out.err


def cli_unexpected(world, tmp_path, capsys, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError(HOSTILE_ALL)

    monkeypatch.setattr(cli.run, "cmd_list", explode)  # the name `reader.cli.run.main` calls
    return run(capsys, "list", *world.cli_args())


CLI_SURFACES: dict[str, tuple[Callable, tuple[str, ...]]] = {
    "reader list": (
        cli_list,
        ("0-hostile\t[@click", "cannot open 3-binary", f"{MARKER}-CTRL=1", "warning: 4-warn⇄"),
    ),
    "reader export": (cli_export, ("\\u202e", "[@click=app.screenshot(")),
    "reader export -o error": (cli_export_error, ("cannot write", "1-name␛]0;")),
    "reader import errors": (cli_import_errors, ("nothing imported", "[@click")),
    "reader import summary": (cli_import_summary, ("kept unchecked", "[@click")),
    "reader align": (cli_align, ("pairs:",)),
    "reader errors quoting ids": (cli_unknown_id, ("no article with id", "[@click")),
    "argparse errors": (cli_bad_option, ("not a number", "[@click")),
    "unexpected errors": (cli_unexpected, ("unexpected error: RuntimeError", MARKER)),
}


@pytest.mark.parametrize("name", CLI_SURFACES)
def test_cli_surface_prints_hostile_text_inert(world, tmp_path, capsys, monkeypatch, name):
    drive, shows = CLI_SURFACES[name]
    args = (world, tmp_path, capsys, monkeypatch) if name == "unexpected errors" else (
        world, tmp_path, capsys
    )  # fmt: skip
    code, printed = drive(*args)
    assert_inert(printed, name)
    for expected in shows:
        assert expected in printed, f"{name}: {expected!r} not printed:\n{printed}"


SURFACES = {**{name: "screen" for name in SCREENS}, **{name: "cli" for name in CLI_SURFACES}}


# --- no surface without a test ----------------------------------------------------------------

#: Calls that put text on a screen or a stream (constructors of what Textual or Rich draw,
#: notifications, the CLI's output functions), and attributes whose value is drawn.
SHOWING_CALLS = frozenset(
    {
        *("Text", "Content", "Label", "Static", "Option", "Segment", "Strip", "Table"),
        *("Hit", "DiscoveryHit", "SystemCommand", "TextArea", "Input", "Binding", "_b"),
        *("notify", "say", "warn", "fail", "print", "add_row", "set_options", "assemble"),
    }
)
SHOWING_ATTRIBUTES = frozenset({"border_title", "border_subtitle", "placeholder", "tooltip"})

#: Every function of reader that makes such a call, and the surface that feeds it hostile
#: strings. A function showing text that is not here fails the test below: give its surface a
#: driver in SCREENS or CLI_SURFACES, then name it here. Besides surfaces: "trusted" (shows
#: only reader's own words: bindings, fixed labels), "the door" (reader.text.untrusted itself),
#: "not shown" (a namesake: search.Hit is data).
SHOWN_BY: dict[str, str] = {
    "reader/tui/annotating.py:Annotating._reattach": "toasts",
    "reader/tui/annotating.py:Annotating.action": "toasts",
    "reader/tui/annotating.py:Annotating.cancel_reattach": "trusted",
    "reader/tui/annotating.py:Annotating.delete": "toasts",
    "reader/tui/annotating.py:Annotating.edit_note": "note editor",
    "reader/tui/annotating.py:Annotating.edit_note.closed": "toasts",
    "reader/tui/annotating.py:Annotating.edit_note.save": "toasts",
    "reader/tui/annotating.py:Annotating.start_reattach": "toasts",
    "reader/tui/annotating.py:Annotating.tagged": "status message",
    "reader/tui/annotating.py:Annotating.travel": "toasts",
    "reader/tui/commands.py:help_sections": "help screen",
    "reader/tui/commands.py:pane_bindings": "help screen",
    "reader/tui/commands.py:system_commands": "trusted",
    "reader/tui/comparing.py:Comparing._failed": "toasts",
    "reader/tui/comparing.py:Comparing.cancel_alignment": "trusted",
    "reader/tui/comparing.py:Comparing.copy_to_partner": "toasts",
    "reader/tui/comparing.py:Comparing.escape_find": "toasts",
    "reader/tui/comparing.py:Comparing.find": "find bar",
    "reader/tui/comparing.py:Comparing.open_find": "find bar",
    "reader/tui/comparing.py:Comparing.start": "toasts",
    "reader/tui/comparing.py:Comparing.step_hit": "toasts",
    "reader/tui/comparing.py:Comparing.step_pair": "toasts",
    "reader/tui/comparing.py:Comparing.toggle": "toasts",
    "reader/tui/shown.py:Shown.legend": "status line and legend",
    "reader/tui/status.py:status_line": "status line and legend",
    "reader/tui/app.py:ReaderApp.on_event": "note editor",
    "reader/cli/output.py:say": "reader list",
    "reader/tui/widgets/annotation_panel.py:AnnotationPanel._quote": "annotations panel",
    "reader/tui/widgets/annotation_panel.py:AnnotationPanel._note": "annotations panel",
    "reader/tui/widgets/article_commands.py:_help": "command palette",
    "reader/tui/widgets/article_commands.py:_title": "command palette",
    "reader/tui/widgets/article_list.py:ArticleList._counts": "article list",
    "reader/tui/widgets/article_list.py:ArticleList._subtitle": "article list",
    "reader/tui/widgets/article_list.py:_printable_and_cells": "article list",
    "reader/tui/widgets/safe_input.py:SafeInput.validate_value": "find bar",
    "reader/tui/app.py:ReaderApp._hint": "toasts",
    "reader/tui/panes.py:Panes._reanchor": "toasts",
    "reader/tui/watching.py:Watching.reconcile": "toasts",
    "reader/tui/panes.py:Panes.close_focused": "toasts",
    "reader/tui/annotating.py:Annotating.export": "toasts",
    "reader/tui/watching.py:Watching.changed_files": "toasts",
    "reader/tui/app.py:ReaderApp.compose": "trusted",
    "reader/tui/panes.py:Panes.fit": "toasts",
    "reader/tui/panes.py:Panes._stop_comparing": "trusted",
    "reader/tui/panes.py:Panes._give_way": "trusted",
    "reader/tui/panes.py:Panes.switch": "trusted",
    "reader/tui/widgets/pane_strip.py:PaneStrip._line": "pane strip",
    "reader/tui/app.py:ReaderApp.notify": "toasts",
    "reader/tui/app.py:ReaderApp.on_mount": "toasts",
    "reader/tui/panes.py:Panes.open": "reading pane",
    "reader/tui/watching.py:Watching.store_failed": "toasts",
    "reader/tui/restoring.py:Restoring.restore": "toasts",
    "reader/cli/parser.py:_Parser.error": "argparse errors",
    "reader/cli/output.py:fail": "unexpected errors",
    "reader/cli/output.py:output_failed": "trusted",
    "reader/cli/run.py:_run": "unexpected errors",
    "reader/cli/commands.py:cmd_export": "reader export -o error",
    "reader/cli/commands.py:cmd_import": "reader import errors",
    "reader/cli/commands.py:cmd_list": "reader list",
    "reader/cli/output.py:warn": "reader list",
    "reader/tui/keys.py:<module>": "key bar",
    "reader/tui/keys.py:_b": "key bar",
    "reader/tui/screens/help.py:HelpScreen": "trusted",
    "reader/tui/screens/help.py:HelpScreen.compose": "help screen",
    "reader/tui/screens/help.py:bindings_table": "help screen",
    "reader/tui/screens/note_editor.py:NoteEditor": "trusted",
    "reader/tui/screens/note_editor.py:NoteEditor.action_cancel": "trusted",
    "reader/tui/status.py:start_hint": "empty folder hint",
    "reader/tui/screens/note_editor.py:NoteEditor.compose": "note editor",
    "reader/tui/screens/note_editor.py:NoteEditor.action_save": "note editor",
    "reader/tui/screens/passages.py:CorpusSearch": "trusted",
    "reader/tui/screens/passages.py:CorpusSearch.show_hits": "corpus search",
    "reader/tui/screens/passages.py:OrphanList": "trusted",
    "reader/tui/screens/passages.py:OrphanList.on_mount": "orphans",
    "reader/tui/screens/passages.py:OrphanList.on_option_list_option_selected": "toasts",
    "reader/tui/screens/passages.py:TagView": "trusted",
    "reader/tui/screens/passages.py:TagView.rebuild": "tag view",
    "reader/tui/screens/passages.py:_PassageScreen": "trusted",
    "reader/tui/screens/passages.py:_PassageScreen.compose": "tag view",
    "reader/search.py:hits_in": "not shown",
    "reader/text/untrusted.py:text": "the door",
    "reader/tui/widgets/annotation_panel.py:AnnotationPanel": "trusted",
    "reader/tui/widgets/annotation_panel.py:AnnotationPanel.__init__": "trusted",
    "reader/tui/widgets/annotation_panel.py:AnnotationPanel._count": "annotations panel",
    "reader/tui/widgets/annotation_panel.py:AnnotationPanel.item_lines": "annotations panel",
    "reader/tui/widgets/annotation_panel.py:AnnotationPanel.rebuild": "annotations panel",
    "reader/tui/widgets/article_commands.py:ArticleCommands.search": "command palette",
    "reader/tui/widgets/article_list.py:ArticleList": "trusted",
    "reader/tui/widgets/article_list.py:ArticleList.__init__": "trusted",
    "reader/tui/widgets/article_list.py:ArticleList.action_cycle_filter": "toasts",
    "reader/tui/widgets/article_list.py:ArticleList.action_cycle_sort": "toasts",
    "reader/tui/widgets/article_list.py:ArticleList.item_lines": "article list",
    "reader/tui/widgets/article_list.py:ArticleList.rebuild": "article list",
    "reader/tui/widgets/entry_list.py:EntryList": "trusted",
    "reader/tui/widgets/entry_list.py:EntryList.__init__": "trusted",
    "reader/tui/widgets/entry_drawing.py:EntryDrawing._render_entry": "article list",
    "reader/tui/widgets/entry_drawing.py:EntryDrawing._wrap_line": "article list",
    "reader/tui/widgets/entry_drawing.py:EntryDrawing.render_line": "article list",
    "reader/tui/widgets/key_bar.py:KeyBar.render": "key bar",
    "reader/tui/widgets/reading_pane.py:ReadingPane.__init__": "reading pane",
    "reader/tui/widgets/pane_lines.py:render_text_line": "reading pane",
    "reader/tui/widgets/pane_view.py:PaneView._with_bar": "reading pane",
    "reader/tui/widgets/reading_pane.py:_binding": "trusted",
    "reader/tui/widgets/scrolling.py:Scrollbar.cell": "trusted",
}


def showing_functions() -> set[str]:
    """``module:function`` of every function in reader/ that shows text."""
    root = Path(__file__).resolve().parent.parent / "reader"
    found: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        module = path.relative_to(root.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope, node in _walk(tree, ""):
            name = None
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                door = isinstance(func, ast.Attribute) and getattr(func.value, "id", "") in (
                    "untrusted",
                )  # a call to the door is text on its way to the user too
                if name not in SHOWING_CALLS and not door:
                    name = None
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(getattr(t, "attr", None) in SHOWING_ATTRIBUTES for t in targets):
                    name = "attribute"
            if name is not None:
                found.add(f"{module}:{scope or '<module>'}")
    return found


def _walk(node: ast.AST, scope: str):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield from _walk(child, f"{scope}.{child.name}" if scope else child.name)
        else:
            yield scope, child
            yield from _walk(child, scope)


def test_every_module_that_shows_text_is_covered():
    found = showing_functions()
    missing = sorted(found - set(SHOWN_BY))
    assert not missing, (
        "These functions put text on the screen or a terminal stream, and no surface test "
        "feeds them hostile strings. Make sure untrusted text reaches the user there only "
        "through reader.text.untrusted, add a driver to SCREENS or CLI_SURFACES that shows it, and "
        "name the surface in SHOWN_BY:\n" + "\n".join(f'    "{m}": "",' for m in missing)
    )
    stale = sorted(set(SHOWN_BY) - found)
    assert not stale, f"SHOWN_BY names functions that no longer show text: {stale}"
    others = ("trusted", "the door", "not shown")
    unknown = {f: s for f, s in SHOWN_BY.items() if s not in SURFACES and s not in others}
    assert not unknown, f"SHOWN_BY names surfaces that have no test: {unknown}"


def test_no_raw_writes_to_a_terminal_stream():
    """Only the CLI's `_write` writes to stdout/stderr: everything else goes through `say`."""
    root = Path(__file__).resolve().parent.parent / "reader"
    offenders = []
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for number, line in enumerate(source.splitlines(), 1):
            if re.search(r"\bprint\(|sys\.(stdout|stderr)\.write", line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []

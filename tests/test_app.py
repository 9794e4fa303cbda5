"""Pilot tests of the reading and tagging screen: every key path a user takes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reader.corpus.articles import load_corpus
from reader.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.note_editor import NoteEditor
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.reading_pane import ReadingPane

A = "000_ae0beaf4b9f7a712"
B = "001_382389f1be5a250a"
SIZE = (200, 50)


def pane_of(app: ReaderApp, article_id: str) -> ReadingPane:
    return next(p for p in app.panes if p.article_id == article_id)


async def test_article_list_is_focused_at_start_in_file_order(app):
    async with app.run_test(size=SIZE):
        article_list = app.query_one(ArticleList)
        assert app.focused is article_list
        assert [a.id for a in article_list.visible_articles()][:2] == [A, B]
        assert article_list.item_count == 5


async def test_enter_opens_pane_with_focus_and_cursor_at_zero(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        pane = pane_of(app, A)
        assert app.focused is pane
        assert pane.cursor == 0
        assert "What Amnesty International" in str(pane.border_title)


async def test_two_articles_side_by_side(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "escape", "down", "enter")
        assert [p.article_id for p in app.panes] == [A, B]
        first, second = app.panes
        assert first.region.x < second.region.x
        assert first.region.y == second.region.y
        assert app.focused is second


async def test_reopening_an_open_article_focuses_its_pane(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "escape", "enter")
        assert len(app.panes) == 1


async def test_pane_maximum_then_replace_least_recent_in_view_kept_open(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        for _ in range(4):
            await pilot.press("escape", "down", "enter")
        shown = app.pane_row.shown
        assert len(shown) == app.max_panes() >= 3
        assert A not in [p.article_id for p in shown]
        assert len(app.panes) == 5  # the replaced ones are kept, named in the strip


async def test_narrow_terminal_still_opens_a_pane(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "escape", "down", "enter")
        assert 1 <= len(app.panes) <= 2
        assert all(p.size.width >= 20 for p in app.panes)


async def test_tag_selection_is_saved_with_exact_quote(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", *["right"] * 4, "2")
        (item,) = store.annotations()
        body = app.corpus.get(A).body
        assert (item.tag, item.start, item.end) == ("casualty figure", 0, 4)
        assert item.quote == body[0:4] == "What"
        assert pane_of(app, A).selection is None


async def test_sentence_then_key_tags_a_sentence_in_two_keys(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "down", "down", "s", "1")
        (item,) = store.annotations()
        assert item.tag == "legal argument"
        assert item.quote.startswith("Columns of smoke")
        assert item.quote.endswith(".")


async def test_shift_arrows_select(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "shift+right", "shift+right", "shift+right", "3")
        (item,) = store.annotations()
        assert (item.tag, item.start, item.end) == ("demand", 0, 3)


async def test_retag_delete_undo_redo(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", *["right"] * 4, "1", "left")
        await pilot.press("3")
        assert store.annotations()[0].tag == "demand"
        await pilot.press("x")
        assert store.annotations() == []
        await pilot.press("u")
        assert store.annotations()[0].tag == "demand"
        await pilot.press("u")
        assert store.annotations()[0].tag == "legal argument"
        await pilot.press("ctrl+r", "ctrl+r")
        assert store.annotations() == []
        await pilot.press("u", "u", "u")
        assert store.annotations() == []
        await pilot.press("ctrl+r")
        assert store.annotations()[0].tag == "legal argument"


async def test_note_editor_adds_and_undo_removes_note(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", *["right"] * 4, "2", "left", "n")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"q is typed", "ctrl+s")
        assert not isinstance(app.screen, NoteEditor)
        assert store.annotations()[0].note == "q is typed"
        await pilot.press("u")
        assert store.annotations()[0].note is None


async def test_note_editor_escape_cancels(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "right", "right", "2", "left", "n", "escape")
        assert not isinstance(app.screen, NoteEditor)  # nothing typed: one escape closes it
        await pilot.press("n", "a", "escape")
        assert isinstance(app.screen, NoteEditor)  # typed text is not thrown away at once
        assert "escape again discards" in str(app.screen.query_one("#note-help").render())
        await pilot.press("b", "escape")  # typed more: asked again
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")
        assert not isinstance(app.screen, NoteEditor)
        assert store.annotations()[0].note is None
        assert app.is_running


async def test_undo_survives_switching_panes(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "right", "right", "1")
        await pilot.press("escape", "down", "enter")
        assert app.focused.article_id == B
        await pilot.press("u")
        assert store.annotations() == []


async def test_tag_key_without_selection_explains(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "1")
        await pilot.pause()
        assert store.annotations() == []
        assert any("elect" in n for n in app.notices)


async def test_escape_cancels_selection_then_returns_to_list_never_quits(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "right", "escape")
        pane = pane_of(app, A)
        assert pane.selection is None and app.focused is pane
        await pilot.press("escape")
        assert isinstance(app.focused, ArticleList)
        await pilot.press("escape", "escape")
        assert app.is_running


async def test_q_quits(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        assert not app.is_running


async def test_export_key_writes_yaml_beside_database(app, store, db_path):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", *["right"] * 7, "2", "e")
        path = db_path.with_suffix(".yaml")
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        (article,) = doc["articles"]
        (entry,) = article["annotations"]
        body = app.corpus.get(A).body
        assert body[entry["start"] : entry["end"]] == entry["quote"]
        assert any(str(path) in n for n in app.notices)


async def test_help_screen_lists_keys_and_closes(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        assert app.is_running


async def test_ctrl_w_closes_pane(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "ctrl+w")
        assert app.panes == []
        assert isinstance(app.focused, ArticleList)


async def test_annotation_panel_lists_and_jumps(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "G", "v", "left", "left", "left", "2", "g")
        panel = app.query_one(AnnotationPanel)
        assert panel.article_id == A and len(panel.annotations) == 1
        panel.focus()
        await pilot.press("enter")
        pane = pane_of(app, A)
        assert app.focused is pane
        assert pane.cursor == store.annotations()[0].start


async def test_annotation_panel_filter(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "right", "1", "right", "v", "right", "2")
        panel = app.query_one(AnnotationPanel)
        panel.focus()
        await pilot.press("f")
        assert [a.tag for a in panel.shown_annotations()] == ["legal argument"]
        await pilot.press("f")
        assert [a.tag for a in panel.shown_annotations()] == ["casualty figure"]


async def test_article_list_counts_and_sort(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "right", "2", "escape")
        article_list = app.query_one(ArticleList)
        assert article_list.counts[A] == {"casualty figure": 1}
        await pilot.press("o")
        assert article_list.sort_key == "date"
        assert article_list.visible_articles()[0].id == "003_5ff04c2fd37e7449"
        await pilot.press("o")
        assert article_list.sort_key == "title"


async def test_article_list_filter_by_tag(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "right", "2", "escape", "t")
        assert app.query_one(ArticleList).visible_articles() == []
        await pilot.press("t")
        article_list = app.query_one(ArticleList)
        assert [a.id for a in article_list.visible_articles()] == [A]


async def test_other_instance_changes_are_shown(app, store, db_path):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        other = Store(db_path)
        article = app.corpus.get(A)
        other.add(A, "demand", 0, 4, article.body, article.sha256)
        other.close()
        app.check_external_changes()
        await pilot.pause()
        assert app.query_one(ArticleList).counts[A] == {"demand": 1}
        assert len(app.query_one(AnnotationPanel).annotations) == 1


async def test_markup_and_escape_sequences_render_literally(tmp_path, store):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "h.txt").write_text(
        "[bold]x[/bold] [@click=app.quit]go[/] \x1b[2J\x1b]0;t\x07 end", encoding="utf-8"
    )
    app = ReaderApp(store=store, corpus=load_corpus(folder), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        line = pane_of(app, "h").render_line(0).text
        assert "[bold]x[/bold] [@click=app.quit]go[/]" in line
        assert "\x1b" not in line and "\x07" not in line
        assert app.is_running


async def test_command_palette_offers_export(app):
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Export annotations" in titles
        for title in ("Compare", "Sort articles", "Filter articles by tag", "Keys"):
            assert title in titles, title
        assert titles.count("Keys") == 1  # reader's help screen, not Textual's panel over the panes
        (keys,) = [c for c in app.get_system_commands(app.screen) if c.title == "Keys"]
        keys.callback()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_unopenable_article_shows_error_not_crash(tmp_path, store):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.txt").write_text("fine")
    Path(folder / "a.txt").unlink()
    (folder / "b.txt").write_text("later removed")
    corpus = load_corpus(folder)
    (folder / "b.txt").unlink()
    app = ReaderApp(store=store, corpus=corpus, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.panes == []
        assert any("b.txt" in n for n in app.notices)


async def test_narrow_layout_hides_annotations_until_asked(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "escape", "down", "enter")
        panel = app.query_one(AnnotationPanel)
        assert not panel.display or panel.size.width == 0
        assert len(app.panes) == 2
        await pilot.press("A")
        assert panel.size.width > 0


async def test_list_can_be_hidden_and_escape_brings_it_back(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "L")
        assert app.query_one(ArticleList).size.width == 0
        await pilot.press("escape")
        assert isinstance(app.focused, ArticleList) and app.query_one(ArticleList).size.width > 0


async def test_retag_right_after_tagging(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "down", "down", "s", "1", "2")
        (item,) = store.annotations()
        assert item.tag == "casualty figure"


async def test_narrow_showing_the_panel_never_hides_the_focused_pane(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "escape", "down", "enter", "A")
        await pilot.pause()
        await pilot.pause()
        screen_width = app.size.width
        for pane in app.pane_row.shown:
            assert pane.region.width > 0 and pane.region.right <= screen_width
        assert app.focused in app.pane_row.shown
        assert len(app.panes) == 2


async def test_help_shows_keys_as_people_write_them(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        text = " ".join(str(s.render()) for s in app.screen.query(".help-section"))
        assert "question_mark" not in text and "greater_than_sign" not in text


async def test_highlights_follow_every_change_made_in_place(app, store):
    """Tag, tag, retag, delete, undo, redo: after each, the pane draws exactly the store's
    annotations, the panel lists them in the store's order and the article list counts them
    (the app changes all three in place, not by reading and redrawing all)."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        pane = pane_of(app, A)
        panel = app.query_one(AnnotationPanel)

        def drawn() -> set[tuple[str, str, int, int]]:
            listed = [(a.id, a.tag, a.start, a.end, a.note) for a in panel.items]
            in_store = [(a.id, a.tag, a.start, a.end, a.note) for a in store.annotations(A)]
            assert listed == in_store
            assert panel.count_text == str(len(in_store))
            counts: dict[str, int] = {}
            for a in store.annotations(A):
                counts[a.tag] = counts.get(a.tag, 0) + 1
            assert app.query_one(ArticleList).counts.get(A, {}) == counts
            return {(h.annotation_id, h.tag, h.start, h.end) for h in pane._highlights.items}

        def stored() -> set[tuple[str, str, int, int]]:
            return {(a.id, a.tag, a.start, a.end) for a in store.annotations(A) if not a.orphaned}

        pane.select(0, 10)
        await pilot.press("1")
        pane.select(20, 30)
        await pilot.press("2")
        assert drawn() == stored() and len(drawn()) == 2
        pane.move_to(22)
        await pilot.press("3")  # retag the one under the cursor
        assert drawn() == stored() and {t for _, t, _, _ in drawn()} == {
            "legal argument",
            "demand",
        }
        await pilot.press("x")
        assert drawn() == stored() and len(drawn()) == 1
        for key in ("u", "u", "ctrl+r", "ctrl+r", "u"):
            await pilot.press(key)
            assert drawn() == stored()
        for start, key in ((5, "2"), (40, "1"), (2, "3"), (0, "2")):  # before, between, after
            pane.select(start, start + 3)
            await pilot.press(key)
            assert drawn() == stored()
        panel.action_cycle_filter()  # the panel shows legal arguments only
        for start, key in ((50, "1"), (60, "2"), (1, "1")):
            pane.select(start, start + 3)
            await pilot.press(key)
            drawn_now = {(h.annotation_id, h.tag, h.start, h.end) for h in pane._highlights.items}
            assert drawn_now == stored()
            legal = [a.id for a in store.annotations(A) if a.tag == "legal argument"]
            assert [a.id for a in panel.items] == legal
            assert panel.count_text == f"{len(legal)}/{len(store.annotations(A))}"


@pytest.mark.parametrize("size", [SIZE, (100, 30), (160, 45)])
async def test_every_entry_is_as_tall_as_it_is_drawn_from_the_first_screen_on(app, size):
    """Entries are measured while Textual lays the screen out; each must take exactly the rows
    it draws (a stale width there left a blank row between entries), and after a resize too."""
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for _ in range(2):
            widget = app.query_one(ArticleList)
            width = widget._width()
            assert width == widget.size.width - 1  # the scrollbar's column
            for index in range(widget.item_count):
                if index != widget.highlighted:
                    drawn = widget._render_entry(index, width, unfold=False)
                    assert len(drawn) == widget._rows[index], (size, index)
            await pilot.resize_terminal(size[0] + 7, size[1])
            await pilot.pause()


async def test_the_list_drawn_after_a_resize_is_the_list_as_it_is(app):
    """Narrow to wide (the list's width changes, its entries are measured again): what the
    list holds for each row is that row drawn afresh. (The blank row a real terminal showed
    after its first resize did not show here; it was checked in tmux before and after.)"""
    from textual.geometry import Region

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("L")  # narrow: the list is shown at its narrow width
        await pilot.pause()
        await pilot.resize_terminal(170, 45)
        await pilot.pause()
        widget = app.query_one(ArticleList)
        held = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
        fresh = [widget.render_line(y) for y in range(widget.size.height)]
        assert [h.text for h in held] == [f.text for f in fresh]


async def test_a_resize_to_the_size_laid_out_lays_nothing_out_again_a_real_one_does(app):
    from textual.events import Resize

    from reader.tui.screens.main_screen import MainScreen

    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.pause()
        layouts: list[object] = []
        real = screen._refresh_layout

        def counting(*args, **kwargs):
            layouts.append(args)
            return real(*args, **kwargs)

        screen._refresh_layout = counting  # type: ignore[method-assign]
        screen.post_message(Resize(app.size, app.size))
        await pilot.pause()
        assert layouts == []
        await pilot.resize_terminal(110, 40)
        await pilot.pause(0.1)
        assert layouts and app.query_one(ArticleList).region.height == 38
        assert screen.has_class("-narrow") and screen.size.width == 110


async def test_a_tag_added_with_key_4_by_another_program_works_at_once(app, store, db_path):
    from reader.model import Tag
    from reader.tui.commands import help_sections
    from reader.tui.widgets.key_bar import KeyBar

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "right", "right", "4")
        assert store.annotations() == []  # no tag has key 4 yet: the key does nothing
        assert "Witness" not in app.query_one(KeyBar).render().plain
        assert "Tag 4" not in app.query_one(KeyBar).render().plain
        other = Store(db_path)
        other.add_tag(Tag("witness statement", "4", "#0ea5e9"))
        other.close()
        app.check_external_changes()
        await pilot.pause()
        bar = app.query_one(KeyBar).render().plain
        assert "Witness statement" in bar and "Tag 4" not in bar
        assert "witness statement" in app.shown.legend().plain
        await pilot.press("4")
        (item,) = store.annotations()
        assert (item.tag, item.start, item.end) == ("witness statement", 0, 2)
        help_keys = {(b.key, b.description) for _, keys in help_sections(app) for b in keys}
        assert ("4", "Witness statement") in help_keys


async def test_the_start_hint_fits_at_80_columns(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = app.export_screenshot()
        for phrase in (
            "Pick an article on the left",
            "and press enter to read it.",
            "Open more to read them side by side.",
            "? lists every key.",
        ):
            assert phrase.replace(" ", "&#160;") in text or phrase in text, phrase


async def test_an_empty_folder_says_so_and_where_reader_looked(tmp_path, store):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    app = ReaderApp(store=store, corpus=load_corpus(empty), poll_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        hint = str(app.query_one("#empty-hint").render())
        assert "No articles in" in hint and str(empty) in hint
        assert "Pick an article" not in hint


async def test_help_sections_line_up_and_say_each_thing_once(app):
    import io

    from rich.console import Console

    from reader.tui.commands import help_sections
    from reader.tui.screens.help import bindings_table

    async with app.run_test(size=SIZE):
        console = Console(width=100, file=io.StringIO(), record=True)
        for title, bindings in help_sections(app):
            console.print(bindings_table(title, bindings))
        lines = console.export_text().splitlines()
    text = "\n".join(lines)
    assert "Open  Open the highlighted" not in text and "Open the highlighted article" in text
    starts = set()
    for label, does in (("enter ", "Open the highlighted"), ("left ", "Left"), ("q ", "Quit")):
        line = next(x for x in lines if x.strip().startswith(label) and does in x)
        starts.add(line.index(does))
    assert len(starts) == 1, starts  # one column for what a key does, in every section


async def test_the_annotations_panel_follows_the_cursor(app, store):
    async with app.run_test(size=SIZE) as pilot:
        # three annotations: paragraph 1, a word further on, the last three characters
        await pilot.press("enter", "v", *["right"] * 6, "1", "w", "w", "v", "right", "right", "2")
        await pilot.press("G", "v", "left", "left", "left", "3", "g")
        panel = app.query_one(AnnotationPanel)
        by_tag = {a.tag: a for a in store.annotations()}
        assert panel.highlighted_id == by_tag["legal argument"].id  # g: in the first one
        await pilot.press("]")
        assert panel.highlighted_id == by_tag["casualty figure"].id
        await pilot.press("]")
        assert panel.highlighted_id == by_tag["demand"].id
        await pilot.press("[")
        assert panel.highlighted_id == by_tag["casualty figure"].id
        await pilot.press("g")
        assert panel.highlighted_id == by_tag["legal argument"].id
        assert isinstance(app.focused, ReadingPane)  # the focus stays in the pane


async def test_the_panel_hint_and_notes_are_not_cut(app, store):
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        panel = app.query_one(AnnotationPanel)
        shown = " ".join(strip.text.strip() for strip in panel.placeholder_rows())
        assert "press 1, 2 or 3" in shown  # wrapped in the panel's width, not cut
        assert len(panel.placeholder_rows()) > 1
        note = "the figure differs from the ministry's: check the Reuters copy " * 2
        await pilot.press("v", "right", "right", "2", "g")
        store.update(store.annotations()[0].id, note=note)
        app.refresh_article(A)
        await pilot.press("v", "right", "right", "right", "right", "1", "G")
        await pilot.pause()
        item = next(a for a in panel.items if a.note)
        assert panel.highlighted_id != item.id  # folded, as a glance at the list shows it
        rows = [s.text for s in panel._entry(panel.index_of(item.id))]
        note_rows = [r for r in rows if any(w in r for w in ("note:", "ministry", "Reuters"))]
        assert len(note_rows) == 2 and note_rows[-1].rstrip().endswith("…")  # two rows, then …


async def test_a_long_confirmation_leaves_the_place_on_the_status_line(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        app.notify("Tagged " + "a very long confirmation " * 20)
        await pilot.pause()
        from reader.tui.status import status_line

        line = status_line(app).plain
        assert line.index("character 0 of") < 100  # still on the screen's one line
        assert "…" in line[:100]

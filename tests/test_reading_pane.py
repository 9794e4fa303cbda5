"""ReadingPane pilot tests: keys, selection, messages, mouse, rendering of untrusted text."""

from __future__ import annotations

from textual import events, on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Footer

from reader.text.layout import is_boundary
from reader.tui.widgets.reading_pane import BAR_COLUMNS, Highlight, ReadingPane

SIZE = (44, 12)  # pane text: 44 - 2 (border) - 1 (padding) - 2 (blank column, scrollbar) = 39
TEXT = (
    "Mr. Smith went to the U.S. on Monday. He paid 3.5 dollars!\n"
    "\n"
    "Second paragraph starts here. It has two sentences.\n"
    "Third one."
)


class PaneApp(App[None]):
    def __init__(self, body: str = TEXT, highlights: list[Highlight] | None = None) -> None:
        super().__init__()
        self.body = body
        self.highlights = highlights or []
        self.messages: list[Message] = []
        self.selected: list[ReadingPane.Tagged] = []
        self.moved: list[ReadingPane.CursorMoved] = []

    def compose(self) -> ComposeResult:
        yield ReadingPane("art", self.body, title="Title", subtitle="Outlet · 2026", id="pane")
        yield Footer()

    def on_mount(self) -> None:
        pane = self.query_one(ReadingPane)
        pane.set_highlights(self.highlights)
        pane.focus()

    def on_reading_pane_tagged(self, message: ReadingPane.Tagged) -> None:
        self.messages.append(message)

    def on_reading_pane_annotation_action(self, message: ReadingPane.AnnotationAction) -> None:
        self.messages.append(message)

    def on_reading_pane_hint(self, message: ReadingPane.Hint) -> None:
        self.messages.append(message)

    def on_reading_pane_dismissed(self, message: ReadingPane.Dismissed) -> None:
        self.messages.append(message)

    def on_reading_pane_cursor_moved(self, message: ReadingPane.CursorMoved) -> None:
        self.moved.append(message)

    @on(ReadingPane.Tagged, "#pane")
    def by_selector(self, message: ReadingPane.Tagged) -> None:
        self.selected.append(message)

    def of(self, kind: type[Message]) -> list:
        return [m for m in self.messages if isinstance(m, kind)]


def visible_text(pane: ReadingPane) -> list[str]:
    return [pane.render_line(y).text for y in range(pane.scrollable_content_region.height)]


async def test_title_and_first_lines():
    app = PaneApp()
    async with app.run_test(size=SIZE):
        pane = app.query_one(ReadingPane)
        assert pane.border_title == "Title" and pane.border_subtitle == "Outlet · 2026"
        assert pane.cursor == 0 and pane.selection is None
        assert visible_text(pane)[0].startswith("Mr. Smith went to the U.S. on")


async def test_arrows_and_vertical_column():
    body = "abcdef\nxy\nlonger line"
    app = PaneApp(body)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.press("right", "right", "right", "right")
        assert pane.cursor == 4
        await pilot.press("left")
        assert pane.cursor == 3
        await pilot.press("down")  # "xy" is short: end of that line
        assert pane.cursor == 9
        await pilot.press("down")  # the column is remembered
        assert pane.cursor == 10 + 3
        await pilot.press("up", "up")
        assert pane.cursor == 3
        await pilot.press("up")
        assert pane.cursor == 0


async def test_word_sentence_paragraph_keys():
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.press("w")
        assert TEXT[pane.cursor :].startswith("Smith")
        await pilot.press("b")
        assert pane.cursor == 0
        await pilot.press("right_parenthesis")
        assert TEXT[pane.cursor :].startswith("He paid")
        await pilot.press("right_parenthesis")
        assert TEXT[pane.cursor :].startswith("Second")
        await pilot.press("left_parenthesis")
        assert TEXT[pane.cursor :].startswith("He paid")
        await pilot.press("right_curly_bracket")
        assert TEXT[pane.cursor :].startswith("Second")
        await pilot.press("right_curly_bracket")
        assert TEXT[pane.cursor :].startswith("Third")
        await pilot.press("left_curly_bracket")
        assert TEXT[pane.cursor :].startswith("Second")
        await pilot.press("left_curly_bracket")
        assert pane.cursor == 0


async def test_start_end_and_pages_on_a_long_body():
    body = "".join(f"Line {i} of the long article.\n" for i in range(500)) + "THE END"
    app = PaneApp(body)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.press("G")
        await pilot.pause()
        assert pane.cursor == len(body)
        assert any(line.startswith("THE END") for line in visible_text(pane))
        await pilot.press("g")
        await pilot.pause()
        assert pane.cursor == 0 and pane.scroll_y == 0
        await pilot.press("ctrl+end")
        assert pane.cursor == len(body)
        await pilot.press("ctrl+home", "pagedown")
        await pilot.pause()
        height = pane.scrollable_content_region.height
        assert body[pane.cursor :].startswith(f"Line {height - 1} ")
        assert pane.scroll_y > 0
        await pilot.press("pageup")
        assert pane.cursor == 0


async def test_shift_arrows_select_and_escape():
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert pane.selection == (0, 3)
        await pilot.press("right")  # any movement extends an existing selection
        assert pane.selection == (0, 4)
        await pilot.press("shift+down")
        assert pane.selection[0] == 0 and pane.selection[1] > 30
        await pilot.press("escape")
        assert pane.selection is None and not app.of(ReadingPane.Dismissed)
        await pilot.press("escape")
        assert len(app.of(ReadingPane.Dismissed)) == 1


async def test_v_selects_and_tags():
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.press("w", "v", *["right"] * 5)
        assert pane.selection == (4, 9)
        await pilot.press("2")
        await pilot.pause()
        (tagged,) = app.of(ReadingPane.Tagged)
        assert (tagged.article_id, tagged.start, tagged.end, tagged.key) == ("art", 4, 9, "2")
        assert tagged.control is pane and app.selected == [tagged]
        assert pane.selection is None and pane.selection_anchor is None
        await pilot.press("v", "v")
        assert pane.selection_anchor is None


async def test_sentence_and_paragraph_selection():
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.press("w", "s")
        assert TEXT[slice(*pane.selection)] == "Mr. Smith went to the U.S. on Monday."
        await pilot.press("1")
        await pilot.press("right_curly_bracket", "p", "3")
        await pilot.pause()
        first, second = app.of(ReadingPane.Tagged)
        assert (first.start, first.end, first.key) == (0, 37, "1")
        assert (
            TEXT[second.start : second.end] == "Second paragraph starts here. It has two sentences."
        )
        assert second.key == "3"


async def test_tag_keys_without_selection():
    hl = [
        Highlight(4, 40, "legal argument", "#3b82f6", "outer"),
        Highlight(10, 20, "demand", "#22c55e", "inner"),
    ]
    app = PaneApp(highlights=hl)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.press("1", "x", "n")  # nothing under the cursor
        await pilot.pause()
        assert [m.text for m in app.of(ReadingPane.Hint)][0].startswith("Select text first")
        assert len(app.of(ReadingPane.Hint)) == 3 and not app.of(ReadingPane.AnnotationAction)
        pane.move_to(12)
        assert [h.annotation_id for h in pane.current_highlights()] == ["inner", "outer"]
        await pilot.press("2", "x", "delete", "n")
        await pilot.pause()
        actions = [(m.annotation_id, m.action, m.key) for m in app.of(ReadingPane.AnnotationAction)]
        assert actions == [
            ("inner", "retag", "2"),
            ("inner", "delete", None),
            ("inner", "delete", None),
            ("inner", "note", None),
        ]
        await pilot.press("v", "1")  # an empty selection is not tagged
        await pilot.pause()
        assert "empty" in app.of(ReadingPane.Hint)[-1].text and not app.of(ReadingPane.Tagged)


async def test_bracket_jumps_between_highlights():
    hl = [Highlight(40, 45, "demand", "#22c55e", "b"), Highlight(10, 20, "demand", "#22c55e", "a")]
    app = PaneApp(highlights=hl)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.press("right_square_bracket")
        assert pane.cursor == 10
        await pilot.press("right_square_bracket")
        assert pane.cursor == 40
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert pane.cursor == 40 and "after" in app.of(ReadingPane.Hint)[-1].text
        await pilot.press("left_square_bracket")
        assert pane.cursor == 10


async def test_highlights_are_tinted_and_overlaps_differ():
    hl = [
        Highlight(0, 9, "legal argument", "#3b82f6", "a"),
        Highlight(4, 14, "casualty figure", "#ef4444", "b"),
    ]
    app = PaneApp(highlights=hl)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.press("G")
        segments = list(pane.render_line(0))
        plain = segments[-1].style
        by_text = {s.text: s.style for s in segments}
        single, both, other = by_text["Mr. "], by_text["Smith"], by_text[" went"]
        assert single.bgcolor != plain.bgcolor and other.bgcolor != plain.bgcolor
        assert both.underline and not single.underline
        assert len({single.bgcolor, both.bgcolor, other.bgcolor}) == 3


async def test_markup_and_controls_are_shown_literally():
    body = "[bold]x[/bold] [@click=app.quit]q[/] esc\x1b[31m nul\x00 c1\x85 rlo\u202e end\n"
    app = PaneApp(body)
    async with app.run_test(size=(100, 8)):
        pane = app.query_one(ReadingPane)
        text = visible_text(pane)[0]
        assert "[bold]x[/bold] [@click=app.quit]q[/]" in text
        assert "esc␛[31m nul␀ c1⍰ rlo⇄ end" in text
        assert not any(c in text for c in "\x1b\x00\x85\u202e")
        styles = {s.text: s.style for s in pane.render_line(0)}
        assert styles["␛"] != styles["[31m nul"]


async def test_cursor_never_splits_clusters():
    body = "a👨\u200d👩\u200d👧b你e\u0301🇺🇸z"
    app = PaneApp(body)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        seen = []
        for _ in range(7):
            await pilot.press("right")
            seen.append(pane.cursor)
        assert seen == [1, 6, 7, 8, 10, 12, 13]
        await pilot.press("left", "left")
        assert pane.cursor == 10
        cursor_segments = [s.text for s in pane.render_line(0) if s.style and s.style.reverse]
        assert cursor_segments == ["ＵＳ"]  # a flag is drawn as its letters, the cluster whole


async def test_mouse_click_and_drag():
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        pane.select(0, 3)
        await pilot.click(pane, offset=(2 + 4, 1))  # content starts after border + padding
        assert pane.cursor == 4 and pane.selection is None
        await pilot.mouse_down(pane, offset=(2 + 4, 1))
        await pilot.hover(pane, offset=(2 + 9, 1))
        await pilot.mouse_up(pane, offset=(2 + 9, 1))
        await pilot.pause()
        assert pane.selection == (4, 9)
        await pilot.click(pane, offset=(2 + 1, 4))  # fourth visual line
        assert pane.selection is None
        assert TEXT[pane.cursor :].startswith("econd paragraph")


def wheel_down(pane: ReadingPane) -> None:
    pane.post_message(events.MouseScrollDown(pane, 5, 5, 0, 1, 0, False, False, False))


def thumb_rows(pane: ReadingPane) -> list[int]:
    """Rows whose last cell (the pane's own scrollbar) is drawn in the thumb's colour."""
    thumb = pane.styles.scrollbar_color
    colour = (pane.background_colors[1] + thumb).rich_color
    rows = []
    for y in range(pane.scrollable_content_region.height):
        last = list(pane.render_line(y))[-1]
        if last.style is not None and last.style.bgcolor == colour:
            rows.append(y)
    return rows


async def test_scrollbar_follows_the_text_and_takes_clicks_drags_and_the_wheel():
    body = "".join(f"Line {i} of the long article.\n" for i in range(500)) + "THE END"
    app = PaneApp(body)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.pause()
        height = pane.scrollable_content_region.height
        assert thumb_rows(pane) == [0]  # 9 of 501 lines shown: a one-row thumb at the top
        await pilot.press("G")
        await pilot.pause()
        assert thumb_rows(pane) == [height - 1]
        bar_x = pane.region.width - 2  # the border is the last column
        await pilot.click(pane, offset=(bar_x, 1))  # the bar's top row: back to the start
        await pilot.pause()
        assert pane.scroll_y == 0 and thumb_rows(pane) == [0]
        assert pane.cursor == len(body)  # the bar scrolls; it does not move the cursor
        await pilot.click(pane, offset=(bar_x, 1 + height // 2))
        await pilot.pause()
        middle = pane.scroll_y
        assert 0.3 * pane.max_scroll_y < middle < 0.7 * pane.max_scroll_y
        await pilot.mouse_down(pane, offset=(bar_x, 1))
        await pilot.hover(pane, offset=(bar_x, height))
        await pilot.mouse_up(pane, offset=(bar_x, height))
        await pilot.pause()
        assert pane.scroll_y == pane.max_scroll_y  # dragged to the bottom
        await pilot.press("g")
        await pilot.pause()
        wheel_down(pane)  # the wheel scrolls the pane (no Textual scrollbar)
        await pilot.pause()
        assert pane.scroll_y > 0 and thumb_rows(pane) == [0]


async def test_no_scrollbar_thumb_when_the_text_fits():
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.pause()
        assert thumb_rows(pane) == []
        wheel_down(pane)
        await pilot.pause()
        assert pane.scroll_y == 0


async def test_cursor_moved_and_public_methods():
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        pane.select(4, 9)
        await pilot.pause()
        assert pane.selection == (4, 9) and pane.cursor == 9
        pane.move_to(100)
        await pilot.pause()
        assert pane.cursor == 100 and pane.selection is None
        assert [(m.cursor, m.selection) for m in app.moved][-2:] == [(9, (4, 9)), (100, None)]
        assert all(m.control is pane for m in app.moved)


async def test_resize_rewraps_and_keeps_cursor_visible():
    body = ("word " * 2000 + "\n") * 3
    app = PaneApp(body)
    async with app.run_test(size=(60, 12)) as pilot:
        pane = app.query_one(ReadingPane)
        before = pane.virtual_size.height
        pane.move_to(len(body) // 2)
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert pane.virtual_size.height > before
        index = pane._ensure_index()
        top = round(pane.scroll_y)
        assert top <= index.line_of(pane.cursor) < top + pane.scrollable_content_region.height


async def test_megabyte_body_with_a_long_line():
    long_line = ("x" * 99 + " ") * 1000  # 100,000 characters, one paragraph
    body = "FIRST LINE\n" + long_line + "\n" + ("filler text here. " * 60 + "\n") * 1000 + "LAST"
    assert len(body) > 1_000_000
    app = PaneApp(body)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        assert visible_text(pane)[0].startswith("FIRST LINE")
        await pilot.press("down", "right", "down")
        await pilot.press("G")
        await pilot.pause()
        assert any(line.startswith("LAST") for line in visible_text(pane))


async def test_big_non_ascii_body_opens_before_it_is_fully_wrapped():
    paragraph = "naïve café, 你好世界 👍🏽 e\u0301 tab\there. " * 40 + "\n"
    body = "開始 first\n" + paragraph * 1500 + "終わり"
    app = PaneApp(body)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ReadingPane)
        assert visible_text(pane)[0].startswith("開始 first")
        assert pane.virtual_size.height > 20_000  # estimated while the rest is wrapped
        await pilot.press("G")
        await pilot.pause()
        assert any(line.startswith("終わり") for line in visible_text(pane))
        await pilot.press("up", "right")
        assert pane.cursor < len(body) - 3 and is_boundary(body, pane.cursor)


async def test_a_highlight_added_or_removed_is_drawn_on_its_lines_only():
    """set_highlights with one change redraws the lines it covers (cached lines elsewhere are
    kept), and what is drawn is right both ways."""
    app = PaneApp(body="first line\n" * 30)
    async with app.run_test(size=(60, 20)) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.pause()

        base = pane.rich_style.bgcolor

        def tinted(y: int) -> bool:
            text = pane.render_line(y).crop(0, pane.size.width - BAR_COLUMNS)  # not the bar
            return any(seg.style and seg.style.bgcolor != base for seg in text)

        before = [tinted(y) for y in range(10)]
        assert not any(before)
        rendered: list[int] = []
        render = pane._render_text_line

        def counting(start, *args):
            rendered.append(start)
            return render(start, *args)

        pane._render_text_line = counting  # type: ignore[method-assign]
        one = Highlight(22, 32, "demand", "#884400", "a")
        pane.set_highlights([one])
        assert [tinted(y) for y in range(10)] == [y == 2 for y in range(10)]
        assert rendered == [22]  # line 2 alone was drawn again
        pane.set_highlights([one, Highlight(44, 54, "demand", "#884400", "b")])
        assert [tinted(y) for y in range(10)] == [y in (2, 4) for y in range(10)]
        pane.set_highlights([Highlight(44, 54, "demand", "#884400", "b")])
        assert [tinted(y) for y in range(10)] == [y == 4 for y in range(10)]


def test_highlight_index_updated_in_place_answers_as_one_built_afresh():
    """Adds and removes (a tag, a delete) against a rebuilt index: same overlaps everywhere."""
    import random

    from reader.tui.widgets.reading_pane import HighlightIndex

    rng = random.Random(7)
    live: list[Highlight] = []
    index = HighlightIndex([])
    for step in range(400):
        if live and rng.random() < 0.35:
            h = live.pop(rng.randrange(len(live)))
            assert index.remove(h)
        else:
            start = rng.randrange(0, 3000)
            length = rng.choice([1, 5, 40, 300, 5000])  # some longer than the long threshold
            h = Highlight(start, start + length, "demand", "#884400", f"a{step}")
            live.append(h)
            index.add(h)
        fresh = HighlightIndex(list(live))
        for a in range(0, 8000, 97):
            got = {id(index.items[i]) for i in index.overlapping(a, a + 50)}
            want = {id(fresh.items[i]) for i in fresh.overlapping(a, a + 50)}
            assert got == want
            assert [id(h) for h in index.at(a)] == [id(h) for h in fresh.at(a)]


async def test_home_and_end_go_to_the_edges_of_the_visual_line():
    words = " ".join(f"word{i:02d}" for i in range(60))  # one paragraph, wrapped
    body = words + "\nsecond paragraph"
    app = PaneApp(body)
    async with app.run_test(size=(40, 12)) as pilot:
        pane = app.query_one(ReadingPane)
        await pilot.press("down", "right", "right")
        index = pane._ensure_index()
        y = index.line_of(pane.cursor)
        start, _ = index.line_span(y)
        assert 0 < start < pane.cursor  # the second visual line of a wrapped paragraph
        await pilot.press("end")
        assert pane.cursor == index.last_offset(y) and index.line_of(pane.cursor) == y
        assert pane.cursor < len(words)  # the visual line's end, not the paragraph's
        await pilot.press("home")
        assert pane.cursor == start
        await pilot.press("shift+end")
        assert pane.selection == (start, index.last_offset(y))
        await pilot.press("escape", "G", "home")
        assert body[pane.cursor :] == "second paragraph"

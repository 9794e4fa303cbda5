"""The virtual list under the article list and the annotations panel (EntryList)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region

from reader.tui.widgets.entry_list import EntryList

SIZE = (40, 20)


class Words(EntryList):
    RULE = True

    def item_id(self, item: str) -> str:
        return item

    def item_height(self, item: str, width: int) -> int:
        return 1 + self.folded_rows(item * 4, 2, width)

    def item_lines(self, item: str):
        return [Text(item, style="bold"), (Text(item * 4), 2)]


class ListApp(App[None]):
    def __init__(self, items: list[str]) -> None:
        super().__init__()
        self.items = items
        self.selected: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield Words(id="list")

    def on_mount(self) -> None:
        widget = self.query_one(Words)
        widget.set_items(self.items)
        widget.focus()

    def on_entry_list_selected(self, event: EntryList.Selected) -> None:
        self.selected.append(event.item_id)


def rows(app: App) -> list[str]:
    widget = app.query_one(Words)
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_many_entries_are_listed_without_drawing_them_all():
    items = [f"entry {i:05d} " for i in range(20_000)]
    app = ListApp(items)
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(Words)
        assert widget.item_count == 20_000 and widget.highlighted == 0
        # a title line, a quote cut to two rows, a rule: 4 rows per entry; the first unfolded
        assert widget.virtual_size.height >= 4 * 20_000 - 1
        assert len(widget._cache) < 50  # only what was on screen was rendered
        await pilot.press("end")
        assert widget.highlighted_id == items[-1]
        assert any("entry 19999" in row for row in rows(app))
        await pilot.press("home", "down", "down")
        assert widget.highlighted == 2
        await pilot.press("pagedown")
        assert widget.highlighted > 4
        await pilot.press("enter")
        assert app.selected == [widget.highlighted_id]


async def test_the_highlighted_entry_unfolds_the_others_are_cut_with_an_ellipsis():
    long = "a long title that needs more than two rows of the list " * 2
    app = ListApp(["short ", long, "third "])
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(Words)
        shown = rows(app)
        assert shown[0].strip() == "short"
        assert any(row.rstrip().endswith("…") for row in shown)  # the long one, compact
        compact = widget.entry_rows(1)[1]
        await pilot.press("down")
        unfolded = widget.entry_rows(1)[1]
        assert unfolded > compact
        text = "".join(row.strip() for row in rows(app))
        assert (long * 4).replace(" ", "") in text.replace(" ", "")  # nothing hidden
        assert widget.entry_at(widget.entry_rows(2)[0]) == (2, 0)


async def test_a_click_highlights_and_selects_the_entry_under_it():
    app = ListApp(["one ", "two ", "three "])
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(Words)
        start, _ = widget.entry_rows(2)
        await pilot.click(Words, offset=(2, start))
        assert widget.highlighted == 2 and app.selected == ["three "]


async def test_setting_items_keeps_the_highlighted_entry_and_shows_a_placeholder_when_empty():
    app = ListApp(["one ", "two ", "three "])
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(Words)
        await pilot.press("down", "down")
        widget.set_items(["zero ", "one ", "two ", "three "], keep=widget.highlighted_id)
        assert widget.highlighted_id == "three "
        widget.placeholder = Text("nothing here")
        widget.set_items([])
        await pilot.pause()
        assert widget.highlighted is None and rows(app)[0].strip() == "nothing here"
        await pilot.press("down", "enter")
        assert app.selected == []


async def test_a_narrower_list_measures_its_entries_again():
    app = ListApp(["x" * 30 + " ", "y "])
    async with app.run_test(size=(80, 20)) as pilot:
        widget = app.query_one(Words)
        widget.highlighted = 1
        wide = widget.entry_rows(0)[1]
        await pilot.resize_terminal(30, 20)
        await pilot.pause()
        assert widget.entry_rows(0)[1] >= wide
        assert all(len(row) <= 30 for row in rows(app))


async def test_splice_leaves_the_list_as_set_items_would():
    """Random inserts and removals (at the start, middle and end; the highlighted entry among
    them): rows, heights, highlight and what is drawn equal those of the list set afresh."""
    import random

    rng = random.Random(7)
    words = [f"w{i} " * rng.randrange(1, 12) for i in range(200)]
    app = ListApp(words[:20])
    fresh_app = ListApp(words[:20])
    async with app.run_test(size=SIZE) as pilot, fresh_app.run_test(size=SIZE) as fresh_pilot:
        widget, fresh = app.query_one(Words), fresh_app.query_one(Words)
        pool = words[20:]
        for step in range(80):
            items = widget.items
            index = rng.randrange(len(items) + 1)
            remove = rng.randrange(0, min(2, len(items) - index) + 1) if items else 0
            insert = [pool.pop() for _ in range(rng.randrange(0, 2))] if pool else []
            if step % 9 == 0 and items:  # move the highlight around too
                widget.highlighted = rng.randrange(len(items))
            keep = widget.highlighted_id
            widget.splice(index, remove, insert)
            fresh.set_items(list(widget.items), keep=keep)
            await pilot.pause()
            await fresh_pilot.pause()
            assert list(widget._starts) == list(fresh._starts), step
            assert widget.highlighted == fresh.highlighted, step
            assert widget.virtual_size == fresh.virtual_size, step
            if widget.highlighted is not None:  # it is in view
                start, count = widget.entry_rows(widget.highlighted)
                top = widget.scroll_y
                assert top <= start and start + count <= top + widget.size.height, step
            fresh.scroll_to(y=widget.scroll_y, animate=False, immediate=True)
            assert rows(app) == rows(fresh_app), step
            if not widget.items:  # start again with two
                widget.splice(0, 0, [pool.pop(), pool.pop()])
                fresh.set_items(list(widget.items))


async def test_splice_measures_and_draws_only_what_changed():
    items = [f"entry {i:05d} " for i in range(5_000)]
    app = ListApp(items)
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(Words)
        await pilot.pause()
        measured: list[str] = []
        measure = widget.item_height

        def counting(item: str, width: int) -> int:
            measured.append(item)
            return measure(item, width)

        widget.item_height = counting  # type: ignore[method-assign]
        widget.splice(2_500, 1, ["new entry "])
        assert measured == ["new entry "]
        assert widget.items[2_500] == "new entry " and widget.item_count == 5_000
        widget.splice(0, 0, ["first "])
        await pilot.pause()
        assert widget.highlighted_id == "entry 00000 "  # the highlight stays on its entry
        assert [r.strip() for r in rows(app)[:2]] == ["first", "first first first first"]
        await pilot.press("home")
        assert widget.highlighted_id == "first "


def thumb_rows(widget: EntryList) -> list[int]:
    """Rows whose last cell (the list's own scrollbar) is drawn in the thumb's colour."""
    colour = (widget.background_colors[1] + widget.styles.scrollbar_color).rich_color
    return [
        y
        for y in range(widget.size.height)
        if (last := list(widget.render_line(y))[-1]).style is not None
        and last.style.bgcolor == colour
    ]


async def test_the_list_draws_its_scrollbar_and_takes_clicks_drags_and_the_wheel():
    from textual import events

    items = [f"entry {i:05d} " for i in range(200)]
    app = ListApp(items)
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(Words)
        await pilot.pause()
        height = widget.size.height
        assert thumb_rows(widget) == [0]  # 20 of ~800 rows shown: a one-row thumb at the top
        assert all(len(widget.render_line(y).text) == widget.size.width for y in range(height))
        await pilot.press("end")
        await pilot.pause()
        assert thumb_rows(widget) == [height - 1]
        bar_x = widget.size.width - 1
        await pilot.click(widget, offset=(bar_x, 0))  # the bar's top: scrolled to the start
        await pilot.pause()
        assert widget.scroll_y == 0 and thumb_rows(widget) == [0]
        assert app.selected == [] and widget.highlighted == 199  # nothing picked by the click
        await pilot.mouse_down(widget, offset=(bar_x, 0))
        await pilot.hover(widget, offset=(bar_x, height // 2))
        await pilot.mouse_up(widget, offset=(bar_x, height // 2))
        await pilot.pause()
        assert 0.3 * widget.max_scroll_y < widget.scroll_y < 0.7 * widget.max_scroll_y
        scrolled = widget.scroll_y
        widget.post_message(events.MouseScrollDown(widget, 5, 5, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert widget.scroll_y > scrolled


async def test_the_thumb_moves_when_entries_are_added_without_a_scroll():
    app = ListApp([f"entry {i:05d} " for i in range(10)])
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(Words)
        await pilot.pause()
        before = thumb_rows(widget)
        widget.splice(10, 0, [f"more {i} " for i in range(200)])  # below the view: no scroll
        await pilot.pause()
        assert widget.scroll_y == 0
        after = thumb_rows(widget)
        assert len(after) < len(before)  # a longer list, a shorter thumb
        # what the screen holds (Textual's cache of drawn rows) shows the thumb as it is now:
        # the rows whose cell changed were repainted though nothing scrolled
        held = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
        fresh = [widget.render_line(y) for y in range(widget.size.height)]
        assert [list(h)[-1].style for h in held] == [list(f)[-1].style for f in fresh]


async def test_redraw_repaints_only_the_rows_that_changed():
    """A count changing in an entry (the article list after a tag) repaints that row, not the
    entry's others; what is drawn is the new text."""
    suffix = {"b ": ""}

    class Counted(Words):
        def item_lines(self, item: str):
            return [Text(item, style="bold"), Text(f"count{suffix.get(item, '')}")]

        def item_height(self, item: str, width: int) -> int:
            return 2

    class CountedApp(ListApp):
        def compose(self) -> ComposeResult:
            yield Counted(id="list")

    app = CountedApp(["a ", "b ", "c "])
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(Counted)
        await pilot.pause()
        for highlighted in (0, 1):  # b compact, then b unfolded (highlighted)
            widget.highlighted = highlighted
            await pilot.pause()
            drawn: list[int] = []
            row_of = widget._row

            def counting(y: int, row_of=row_of, drawn=drawn) -> object:
                drawn.append(y)
                return row_of(y)

            widget._row = counting  # type: ignore[method-assign]
            suffix["b "] += "!"
            widget.redraw(["b "])
            await pilot.pause()
            widget._row = row_of  # type: ignore[method-assign]
            start, _ = widget.entry_rows(1)
            assert drawn == [start + 1]  # the count row of b only
            assert rows(app)[start + 1].strip() == f"count{suffix['b ']}"

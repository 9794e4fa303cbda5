"""Pilot tests: compare mode between two panes, and find in the focused article."""

from __future__ import annotations

A = "000_ae0beaf4b9f7a712"
B = "001_382389f1be5a250a"
SIZE = (200, 50)
CALLAMARD_A = "It is an act of aggression that endangers the civilian population"


async def open_both(app, pilot):
    await pilot.press("enter", "escape", "down", "enter")
    await pilot.pause()


async def compare(app, pilot):
    await pilot.press("c")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.comparison is not None


def pane(app, article_id):
    return next(p for p in app.panes if p.article_id == article_id)


async def test_compare_marks_partner_of_the_callamard_quote(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_both(app, pilot)
        await compare(app, pilot)
        left = pane(app, A)
        offset = left.body.index(CALLAMARD_A)
        left.focus()
        left.move_to(offset + 5)
        await pilot.pause()
        comparison = app.comparison
        assert comparison.current is not None
        b_start, b_end = comparison.span(comparison.current, "b")
        right = pane(app, B)
        assert "act of aggression" in right.body[b_start:b_end]
        assert right.marks("partner") == [(b_start, b_end)]


async def test_step_pairs_moves_both_panes(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_both(app, pilot)
        await compare(app, pilot)
        left, right = pane(app, A), pane(app, B)
        left.focus()
        await pilot.press("greater_than_sign")
        first = app.comparison.current
        assert first is not None
        assert left.cursor == app.comparison.span(first, "a")[0]
        assert right.cursor == app.comparison.span(first, "b")[0]
        await pilot.press("greater_than_sign")
        second = app.comparison.current
        assert app.comparison.span(second, "a")[0] > app.comparison.span(first, "a")[0]
        await pilot.press("less_than_sign")
        assert app.comparison.current == first


async def test_copy_tag_to_partner_and_differences_are_marked(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await open_both(app, pilot)
        await compare(app, pilot)
        left = pane(app, A)
        left.focus()
        await pilot.press("greater_than_sign", "s", "1")
        await pilot.pause()
        index = app.comparison.pair_at(left.article_id, left.cursor - 1) or app.comparison.current
        assert index in app.comparison.differing
        left.move_to(store.annotations(A)[0].start)
        await pilot.pause()
        await pilot.press("y")
        (copied,) = store.annotations(B)
        b_start, b_end = app.comparison.span(app.comparison.current, "b")
        assert (copied.tag, copied.start, copied.end) == ("legal argument", b_start, b_end)
        assert app.comparison.current not in app.comparison.differing
        await pilot.press("u")
        assert store.annotations(B) == []


async def test_compare_needs_two_panes_and_toggles_off(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "c")
        assert app.comparison is None
        await pilot.press("escape", "down", "enter")
        await compare(app, pilot)
        await pilot.press("c")
        assert app.comparison is None
        assert pane(app, A).marks("aligned") == []


async def test_closing_a_compared_pane_ends_compare_mode(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_both(app, pilot)
        await compare(app, pilot)
        await pilot.press("ctrl+w")
        assert app.comparison is None


async def test_find_marks_hits_and_n_steps(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "slash", *"venezuela")
        left = pane(app, A)
        hits = left.marks("find")
        assert len(hits) > 3
        assert all(left.body[s:e].lower() == "venezuela" for s, e in hits)
        assert left.cursor == hits[0][0]
        await pilot.press("enter")
        assert app.focused is left
        await pilot.press("n")
        assert left.cursor == hits[1][0]
        await pilot.press("N", "N")
        assert left.cursor == hits[-1][0]


async def test_find_is_accent_insensitive_and_escape_clears(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "slash", *"nicolas maduro")
        left = pane(app, A)
        assert [left.body[s:e] for s, e in left.marks("find")][:2] == [
            "Nicolas Maduro",
            "Nicolás Maduro",
        ]
        await pilot.press("escape")
        assert app.finding is None and left.marks("find") == []
        assert app.focused is left


async def test_n_without_search_still_edits_note_and_types_in_editor(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "right", "right", "1", "left", "n")
        await pilot.press(*"nN n", "ctrl+s")
        assert store.annotations()[0].note == "nN n"


async def test_find_hits_are_drawn_in_the_find_style(app):
    from reader.tui.widgets.reading_pane import MARK_STYLES

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "slash", *"venezuela", "enter")
        left = pane(app, A)
        rows = [left.render_line(y) for y in range(left.size.height)]
        styled = [
            seg.text
            for row in rows
            for seg in row
            if seg.style and seg.style.bgcolor == MARK_STYLES["find"].bgcolor
        ]
        assert any("enezuela" in text for text in styled)


async def test_escape_in_pane_clears_find_first_then_goes_to_list(app):
    from reader.tui.widgets.article_list import ArticleList

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "slash", *"venezuela", "enter")
        left = pane(app, A)
        assert app.focused is left and app.finding is not None
        await pilot.press("escape")
        assert app.finding is None and app.focused is left
        await pilot.press("escape")
        assert isinstance(app.focused, ArticleList)


async def test_copy_to_partner_does_not_duplicate(app, store):
    async with app.run_test(size=SIZE) as pilot:
        await open_both(app, pilot)
        await compare(app, pilot)
        left = pane(app, A)
        left.focus()
        await pilot.press("greater_than_sign", "s", "1", "y", "y")
        assert len(store.annotations(B)) == 1


async def test_current_pair_mark_keeps_the_tag_colour_beneath_it(app):
    """The current pair is marked over a tagged passage without hiding its tint."""
    from reader.tui.widgets.reading_pane import MARK_STYLES

    async with app.run_test(size=SIZE) as pilot:
        await open_both(app, pilot)
        left, right = pane(app, A), pane(app, B)
        await compare(app, pilot)
        left.focus()
        left.move_to(left.body.index(CALLAMARD_A) + 5)
        await pilot.pause()
        b_start, b_end = right.marks("partner")[0]
        start = right.body.index("act of aggression", b_start)
        right.focus()
        right.move_to(start)
        await pilot.press("v", *["right"] * 8, "2")
        left.focus()
        left.move_to(left.body.index(CALLAMARD_A) + 5)
        await pilot.pause()
        assert right.marks("partner") == [(b_start, b_end)]
        colour = right._highlights.items[0].colour  # noqa: SLF001
        tint = right._tints.style((colour,)).bgcolor  # noqa: SLF001
        purple = MARK_STYLES["partner"].bgcolor
        tagged, plain = [], []
        for y in range(right.size.height):
            for seg in right.render_line(y):
                if seg.style is None or not seg.text.strip():
                    continue
                if seg.style.bgcolor == tint:
                    tagged.append(seg)
                elif seg.style.bgcolor == purple:
                    plain.append(seg)
        text = right._tints.style((colour,)).color  # noqa: SLF001 (readable on the tint)
        assert any("act of" in seg.text and seg.style.bold for seg in tagged)
        assert all(seg.style.color == text for seg in tagged)
        assert plain  # the rest of the pair keeps the pair's own colour

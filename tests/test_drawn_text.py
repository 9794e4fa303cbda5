"""What reader hands the terminal has the width reader assumes, in every common terminal.

Emoji sequences whose width terminals dispute (tmux and Rich's ``cell_len`` of the parts count
per code point, others draw one glyph) are drawn apart; labels (titles, quotes) are made safe
the way the pane draws text; CR LF and a lone CR break lines like LF, the body unchanged.
"""

from __future__ import annotations

import unicodedata

import pytest
from hostile import CONTROLS, EMOJI, INVISIBLE, make_huge_article
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from test_reading_pane import PaneApp, visible_text

from reader.text import cells, display, layout, untrusted
from reader.text.layout import WrapIndex, display_text
from reader.tui.widgets.reading_pane import ReadingPane

#: Code points whose width terminals disagree about: none of them may be drawn.
DISPUTED = (
    {"\u200d", "\ufe0e", "\ufe0f"}
    | {chr(c) for c in range(0x1F1E6, 0x1F200)}  # regional indicators
    | {chr(c) for c in range(0x1F3FB, 0x1F400)}  # skin-tone modifiers
    | {chr(c) for c in range(0xE0020, 0xE0080)}  # tag characters
)


def terminal_cells(text: str) -> int:
    """Cells as a terminal counts them, one code point at a time (wcwidth): East Asian wide and
    fullwidth two; combining marks, format characters and Hangul medial/final jamo none; the
    rest, the soft hyphen too, one."""
    total = 0
    for ch in text:
        o = ord(ch)
        zero = unicodedata.category(ch) in ("Mn", "Me", "Cf") and ch != "\xad"
        if zero or 0x1160 <= o <= 0x11FF or 0xD7B0 <= o <= 0xD7FF:
            continue
        total += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return total


def assert_undisputed(drawn: str) -> None:
    assert not DISPUTED & set(drawn), drawn
    per_char = sum(cell_len(ch) for ch in drawn)
    assert cell_len(drawn) == per_char == terminal_cells(drawn), drawn


# --------------------------------------------------------------------------- display forms

EMOJI_DRAWN = (
    "Family 👨👩👧👦, rainbow flag 🏳🌈, flags ＵＡＰＳＩＬＶＥ, skin tone 👍◍, keycap 1⃣, "
    "woman scientist 👩◍🔬, text vs emoji ☺ ☺, a lone regional indicator Ａ and a ZWJalone."
)


def test_emoji_sequences_are_drawn_apart():
    line = EMOJI.rstrip("\n")
    assert display_text(line) == EMOJI_DRAWN
    assert_undisputed(EMOJI_DRAWN)
    assert layout.text_cells(line) == cell_len(EMOJI_DRAWN)
    # the whole family is one cluster (the cursor moves over it at once): 4 emoji, 8 cells
    family = EMOJI.index("👨")
    assert layout.next_boundary(EMOJI, family) == family + 7
    assert layout.text_cells(EMOJI[family : family + 7]) == 8


def test_tag_sequence_flag_and_presentation_selectors():
    scotland = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    assert display_text(scotland) == "🏴"
    assert display_text("❤\ufe0f ❤\ufe0e") == "❤ ❤"
    assert layout.text_cells("❤\ufe0f") == 1 and layout.text_cells("👍🏿") == 3


PIECES = [
    *("a", "word ", " ", "\t", "é", "e\u0301", "你好", "한", "\u1100\u1161\u11a8", "ｶﾀｶﾅ"),
    *("\x1b", "\x00", "\x7f", "\x85", "\u202e", "\u200b", "\ufeff", "\u2028", "\xa0", "\xad"),
    *("👍", "👍🏽", "🏽", "👨\u200d👩\u200d👧\u200d👦", "👩🏾\u200d🔬", "🏳\ufe0f\u200d🌈"),
    *("❤\ufe0f", "🏴\U000e0067\U000e0062\U000e007f"),
    *("☺\ufe0e", "1\ufe0f\u20e3", "🇺🇦", "🇦", "\u200d", "\ufe0f", "\U000e0067", "\u200c"),
    *("Z\u0351\u0360\u0315", "\u0301", "\U0001fae0"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_reader_measures_what_it_draws_as_terminals_do(text):
    drawn = display_text(text)
    assert_undisputed(drawn)
    assert layout.text_cells(text) == cell_len(drawn)


def test_width_codes_of_astral_substitutes():
    for code in [*range(0x1F1E6, 0x1F200), *range(0x1F3FB, 0x1F400), 0xE0020, 0xE007F]:
        ch = chr(code)
        assert layout.char_cells(ch) == cell_len(display_text(ch)), hex(code)
        assert cells.width_codes(ch, 0, 1)[0] & (cells.JOINS - 1) == layout.char_cells(ch)


# --------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("esc\x1b]0;x\x07 bell", "esc␛]0;x␇ bell"),
        ("del\x7f c1\x85 rlo\u202e zwsp\u200b", "del␡ c1⍰ rlo⇄ zwsp◌"),
        ("l'été\xa0: au\xadjour\xadd'hui", "l'été\xa0: au\xadjour\xadd'hui"),  # kept as they are
        ("one\r\ntwo\rthree\nfour\tfive", "one two three four five"),
        ("flag 🇺🇦 family 👨\u200d👩\u200d👧 ok 👍🏽 ☺\ufe0f", "flag ＵＡ family 👨👩👧 ok 👍◍ ☺"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    ],
)
def test_one_line_on_the_screen(text, shown):
    assert untrusted.line(text) == shown
    assert_undisputed(shown)


def test_one_line_keeps_printable_plain_text_as_it_is_and_measures_it_by_length():
    """untrusted.line's and the article list's fast paths: a character shown_as_is is drawn as
    it is, one cell wide (every code point checked)."""
    from reader.text.display import shown_as_is
    from reader.tui.widgets.article_list import _printable_and_cells

    for code in range(0x110000):
        ch = chr(code)
        if shown_as_is(ch):
            assert ch.translate(display._LABEL) == ch, hex(code)
            assert cell_len(ch) == 1, hex(code)
    title = "“Quoted” — café, 3 €"
    assert _printable_and_cells(title) == (title, cell_len(title))
    assert _printable_and_cells("wide 国际 and\tcontrol\x1b") == ("wide 国际 and control␛", 22)


def test_pane_titles_are_labels():
    pane = ReadingPane("a", "body", title="[bold]x\x1b]0;t\x07 🇺🇦", subtitle="out\tlet\r\n")
    assert pane.border_title == "\\[bold]x␛]0;t␇ ＵＡ"  # as markup: the bracket escaped
    assert pane.border_subtitle == "out let "


def test_one_line_of_every_hostile_line():
    for text in (EMOJI, CONTROLS, INVISIBLE):
        shown = untrusted.line(text)
        categories = {unicodedata.category(ch) for ch in shown.replace("\xad", "")}
        assert not categories & {"Cc", "Cf", "Cs", "Zl", "Zp"}, shown
        assert_undisputed(shown)


# --------------------------------------------------------------------------- the pane


def assert_pane_draws_undisputed(pane: ReadingPane) -> None:
    index = pane._ensure_index()
    width = pane.scrollable_content_region.width
    top = round(pane.scroll_y)
    for y in range(pane.scrollable_content_region.height):
        strip = pane.render_line(y)
        assert strip.cell_length == width
        for segment in strip:
            assert_undisputed(segment.text)
        try:
            start, end = index.line_span(top + y)
        except IndexError:
            continue
        drawn = display_text(pane.body[start : index.text_end(top + y)])
        assert strip.text.startswith(drawn)
        assert cell_len(drawn) == index.line_cells(top + y) - index.has_terminator(top + y)


async def test_pane_draws_the_hostile_emoji_text():
    app = PaneApp(EMOJI)
    async with app.run_test(size=(100, 10)) as pilot:
        pane = app.query_one(ReadingPane)
        text = "".join(visible_text(pane))
        assert "Family 👨👩👧👦," in text and "ＵＡＰＳＩＬＶＥ" in text
        assert_pane_draws_undisputed(pane)
        await pilot.press(*["right"] * 7)
        assert pane.cursor == EMOJI.index("👨")
        await pilot.press("right")  # over the whole family
        assert pane.cursor == EMOJI.index("👨") + 7
        cursor = [s.text for s in pane.render_line(0) if s.style and s.style.reverse]
        assert cursor == [","]


async def test_pane_draws_the_huge_article_with_emoji(tmp_path):
    article_id, length = make_huge_article(tmp_path)
    body = (tmp_path / f"{article_id}.txt").read_text(encoding="utf-8")
    app = PaneApp(body)
    async with app.run_test(size=(90, 20)) as pilot:
        pane = app.query_one(ReadingPane)
        assert_pane_draws_undisputed(pane)
        assert any("👨👩👧 emoji" in line for line in visible_text(pane))
        await pilot.press("G", "pageup", "up")
        await pilot.pause()
        assert_pane_draws_undisputed(pane)


# --------------------------------------------------------------------------- line breaks

CRLF = "First line\r\nSecond line\r\n\r\nThird\r\n"
CR_ONLY = "First line\rSecond line\r\rThird\r"
MIXED = "unix\nwindows\r\nmac\rnel\x85ls\u2028end\n"


def lines(body: str, width: int) -> list[str]:
    idx = WrapIndex(body, width)
    return [body[slice(*idx.line_span(y))] for y in range(len(idx))]


def drawn_lines(body: str, width: int) -> list[str]:
    idx = WrapIndex(body, width)
    return [display_text(body[idx.line_span(y)[0] : idx.text_end(y)]) for y in range(len(idx))]


def test_crlf_and_lone_cr_break_lines_like_lf():
    assert lines(CRLF, 20) == ["First line\r\n", "Second line\r\n", "\r\n", "Third\r\n", ""]
    assert lines(CR_ONLY, 20) == ["First line\r", "Second line\r", "\r", "Third\r", ""]
    expected = ["First line", "Second line", "", "Third", ""]
    assert drawn_lines(CRLF, 20) == drawn_lines(CR_ONLY, 20) == expected
    assert drawn_lines(MIXED, 20) == ["unix", "windows", "mac", "nel⍰ls◌end", ""]
    # a bare CR inside LF text breaks the line too (what a terminal would do with it)
    assert "bare CR" in drawn_lines(CONTROLS, 200)[0].split("␈")[-1]
    assert drawn_lines(CONTROLS, 200)[1] == "over-written."
    # the break takes one cell, CR LF or not
    assert lines("abcd\r\nx", 4) == ["abcd", "\r\n", "x"]
    assert WrapIndex(CRLF, 20).line_cells(0) == len("First line") + 1


def test_cr_lf_is_one_step_for_the_cursor():
    cr = CRLF.index("\r")
    assert layout.next_boundary(CRLF, cr) == cr + 2
    assert layout.prev_boundary(CRLF, cr + 2) == cr
    assert not layout.is_boundary(CRLF, cr + 1) and layout.snap(CRLF, cr + 1) == cr
    idx = WrapIndex(CRLF, 20)
    assert idx.line_of(cr + 1) == 0 and idx.last_offset(0) == cr
    assert idx.offset_at(0, 99) == cr and idx.x_of(cr) == 10


def test_paragraphs_and_sentences_leave_the_line_break_out():
    for body in (CRLF, CR_ONLY):
        third = body.index("Third")
        assert body[slice(*layout.paragraph_at(body, third + 2))] == "Third"
        assert body[slice(*layout.paragraph_at(body, 3))] == "First line"
        assert body[slice(*layout.sentence_at(body, 3))] == "First line"
        assert layout.next_paragraph_start(body, 0) == body.index("Second")
        assert layout.next_paragraph_start(body, body.index("Second")) == third
        assert layout.prev_paragraph_start(body, third) == body.index("Second")
    text = "One. Two\r\nThree four.\r\rFive"
    assert text[slice(*layout.sentence_at(text, text.index("Two")))] == "Two"
    assert layout.next_sentence_start(text, 0) == text.index("Two")


def test_paragraph_helpers():
    body = "ab\r\ncd\ref\ngh"
    assert [layout.paragraph_start(body, o) for o in range(len(body) + 1)] == [
        *(0, 0, 0, 0),  # a b CR LF: the LF belongs to the paragraph before
        *(4, 4, 4),
        *(7, 7, 7),
        *(10, 10, 10),
    ]
    assert [layout.paragraph_end(body, o) for o in (0, 2, 3, 4, 7, 10)] == [2, 2, 2, 6, 9, 12]
    assert [layout.break_end(body, o) for o in (2, 6, 9, 12)] == [4, 7, 10, 12]
    assert layout.text_end(body, 0, 4) == 2 and layout.text_end(body, 4, 7) == 6


BREAK_PIECES = ["ab", "word ", " ", "\r\n", "\r", "\n", "\r\r", "\n\r", "你好", "e\u0301", "x" * 9]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(BREAK_PIECES), max_size=40).map("".join),
    st.integers(min_value=1, max_value=16),
)
def test_any_line_break_wraps_like_lf(body, width):
    def normal(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n")

    assert [normal(line) for line in lines(body, width)] == lines(normal(body), width)
    lazy = WrapIndex(body, width, lazy=True)
    assert lazy.line_of(len(body)) == WrapIndex(body, width).line_of(len(body))


async def test_pane_shows_crlf_and_cr_files_without_cr_marks():
    for body in (CRLF, CR_ONLY):
        app = PaneApp(body)
        async with app.run_test(size=(44, 12)) as pilot:
            pane = app.query_one(ReadingPane)
            shown = [line.rstrip() for line in visible_text(pane)[:5]]
            assert shown == ["First line", "Second line", "", "Third", ""]
            assert "␍" not in "".join(visible_text(pane))
            await pilot.press(*["right"] * 10)
            assert pane.cursor == 10
            await pilot.press("right")  # over the whole line break
            assert body[pane.cursor :].startswith("Second")
            await pilot.press("left")
            assert pane.cursor == 10
            await pilot.press("down", "down", "down", "p")
            assert body[slice(*pane.selection)] == "Third"
            await pilot.press("escape", "G")
            await pilot.pause()
            assert pane.cursor == len(body)
            await pilot.press("up", "s")
            assert body[slice(*pane.selection)] == "Third"

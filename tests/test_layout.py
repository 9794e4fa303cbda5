"""reader.text.layout: display characters, wrap index, grapheme and text boundaries (no Textual)."""

from __future__ import annotations

import sys

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.text import layout
from reader.text.layout import CellMap, WrapIndex, display_char, display_text

PIECES = [
    "a",
    "b",
    "word",
    "Mr.",
    "3.5",
    " ",
    " ",
    "  ",
    ".",
    "!",
    "?",
    "\n",
    "\n\n",
    "\t",
    "\r\n",
    "\r",
    "\x1b",
    "\x00",
    "\x7f",
    "\x85",
    "\u202e",
    "\u200b",
    "é",
    "e\u0301",
    "你",
    "好",
    "한",
    "\u1100\u1161",
    "👍",
    "👍🏽",
    "👨\u200d👩\u200d👧",
    "❤\ufe0f",
    "🇺🇸",
    "🇬",
    "\u200d",
    "\ufe0f",
    "न\u094dि",
    "ा",
    "\u0301",
    "A" * 12,
    "xyzzy" * 3,
]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.text(max_size=60),
)


def reference_boundaries(body: str) -> list[int]:
    """Grapheme boundaries by ``\\X`` (a line break is a cluster of its own, CR LF one)."""
    out, pos = [0], 0
    for g in regex.findall(r"\X", body):
        pos += len(g)
        out.append(pos)
    return out


# --------------------------------------------------------------------------- display


@pytest.mark.parametrize(
    ("ch", "shown"),
    [
        ("\x1b", "␛"),
        ("\x00", "␀"),
        ("\x07", "␇"),
        ("\x7f", "␡"),
        ("\x85", "⍰"),
        ("\u202e", "⇄"),
        ("\u2066", "⇄"),
        ("\u200e", "⇄"),
        ("\u061c", "⇄"),
        ("\u200b", "◌"),
        ("\ud800", "\ufffd"),
        ("a", "a"),
        ("é", "é"),
        ("\n", "\n"),
        ("\t", " "),
        ("\u00ad", "\u00ad"),
        ("你", "你"),
    ],
)
def test_display_char(ch, shown):
    assert display_char(ch) == shown


def test_display_text_never_contains_controls():
    text = "".join(map(chr, range(0x00, 0xA0))).replace("\n", "") + "\u202a\u2069\u200f"
    shown = display_text(text)
    assert "    " in shown  # the tab
    assert not any(c < " " or "\x7f" <= c <= "\x9f" or c in layout.BIDI_CONTROLS for c in shown)


# --------------------------------------------------------------------------- wrap index


def lines(body: str, width: int) -> list[str]:
    idx = WrapIndex(body, width)
    return [body[slice(*idx.line_span(y))] for y in range(len(idx))]


def test_wraps_at_spaces_and_keeps_newline_with_its_line():
    assert lines("aaa bbb ccc\nd", 8) == ["aaa bbb ", "ccc\n", "d"]


def test_empty_body_and_trailing_newline():
    assert lines("", 10) == [""]
    assert lines("ab\n", 10) == ["ab\n", ""]


def test_long_word_is_hard_broken():
    assert lines("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_newline_takes_a_cell():
    # a paragraph of exactly `width` characters leaves its newline to the next visual line
    assert lines("abcd\nx", 4) == ["abcd", "\n", "x"]


def test_wide_characters_take_two_cells():
    idx = WrapIndex("你好世界你好", 7)
    assert [idx.line_span(y) for y in range(len(idx))] == [(0, 3), (3, 6)]
    assert idx.x_of(4) == 2
    assert idx.offset_at(1, 3) == 4  # right half of 好 is still 好


def test_tab_and_controls():
    idx = WrapIndex("a\tb\x1bc", 20)
    assert idx.x_of(2) == 5 and idx.x_of(4) == 7


def test_emoji_zwj_sequence_is_one_unit():
    body = "ab 👨\u200d👩\u200d👧 cd"
    idx = WrapIndex(body, 4)
    assert all(layout.is_boundary(body, s) for s in idx.starts)
    # drawn as three emoji side by side (six cells), never split; wider than the line: alone
    assert lines(body, 4) == ["ab ", "👨\u200d👩\u200d👧", " cd"]
    assert lines(body, 10) == ["ab 👨\u200d👩\u200d👧 ", "cd"]
    assert WrapIndex(body, 20).x_of(body.index(" cd")) == 3 + 6


def test_twenty_thousand_lines_of_plain_text_are_fast():
    body = ("lorem ipsum dolor sit amet " * 40 + "\n") * 2000
    idx = WrapIndex(body, 80)
    assert len(idx) == 2000 * 15 + 1
    assert idx.line_of(len(body)) == len(idx) - 1


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(min_value=4, max_value=30))
def test_lines_cover_body_and_fit(body, width):
    idx = WrapIndex(body, width)
    starts = list(idx.starts)
    assert starts[0] == 0
    assert all(a < b for a, b in zip(starts, starts[1:], strict=False))
    boundaries = set(reference_boundaries(body))
    assert set(starts) <= boundaries
    for y in range(len(idx)):
        s, e = idx.line_span(y)
        assert "\n" not in body[s : idx.text_end(y)] and "\r" not in body[s : idx.text_end(y)]
        fits = idx.line_cells(y) <= width
        assert fits or layout.next_boundary(body, s) >= idx.text_end(y), (y, body[s:e])
    assert idx.line_span(len(idx) - 1)[1] == len(body)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_grapheme_helpers_match_reference(body):
    ref = reference_boundaries(body)
    walked, i = [0], 0
    while i < len(body):
        i = layout.next_boundary(body, i)
        walked.append(i)
    assert walked == ref
    assert [layout.prev_boundary(body, b) for b in ref[1:]] == ref[:-1]
    assert [o for o in range(len(body) + 1) if layout.is_boundary(body, o)] == ref


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=4, max_value=30))
def test_offset_at_inverts_x_of(body, width):
    idx = WrapIndex(body, width)
    for o in reference_boundaries(body):
        y = idx.line_of(o)
        back = idx.offset_at(y, idx.x_of(o))
        assert idx.line_of(back) == y and idx.x_of(back) == idx.x_of(o)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ab .\n", max_size=200), st.integers(min_value=1, max_value=20))
def test_plain_and_general_paths_agree(body, width):
    cm = CellMap(body)
    paragraphs, pos = [], 0
    for para in body.split("\n"):
        paragraphs.append((pos, pos + len(para), False))
        pos += len(para) + 1
    cm.paragraphs = paragraphs  # force the general path for every paragraph
    assert WrapIndex(body, width, cm).starts == WrapIndex(body, width).starts


@settings(max_examples=100, deadline=None)
@given(texts, st.integers(min_value=1, max_value=12), st.lists(st.integers(0, 80), max_size=5))
def test_lazy_index_builds_the_same_lines(body, width, stops):
    lazy = WrapIndex(body, width, lazy=True)
    for stop in stops:
        lazy.build(offset=stop)
        assert lazy.line_of(stop) == WrapIndex(body, width).line_of(stop)
    lazy.build()
    assert lazy.complete and lazy.starts == WrapIndex(body, width).starts


def test_lazy_index_wraps_only_what_is_asked():
    paragraph = "naïve café, 你好 " * 30 + "\n"
    body = paragraph * 4_000
    idx = WrapIndex(body, 60, lazy=True)
    assert idx.line_of(1000) == WrapIndex(paragraph * 3, 60).line_of(1000)
    assert not idx.complete
    assert idx.line_span(10)[0] > 0 and len(idx) < 10_000
    assert idx.estimated_lines() > 30_000
    assert idx.cellmap.scanned < len(body)
    idx.build()
    assert idx.estimated_lines() == len(idx)


def test_rewrap_reuses_cellmap():
    body = "你好 world\n" * 10
    first = WrapIndex(body, 20)
    second = WrapIndex(body, 6, first.cellmap)
    assert second.cellmap is first.cellmap and len(second) > len(first)


# --------------------------------------------------------------------------- words, sentences

TEXT = (
    "Mr. Smith went to the U.S. on Monday. He paid 3.5 dollars, e.g. for tea! "
    "Was it “enough?” She said no.\n\n  Second paragraph here. Dr. Who agrees\n"
)


def test_sentence_at():
    def sentence(at: str) -> str:
        return TEXT[slice(*layout.sentence_at(TEXT, TEXT.index(at)))]

    assert sentence("Smith") == "Mr. Smith went to the U.S. on Monday."
    assert sentence("paid") == "He paid 3.5 dollars, e.g. for tea!"
    assert sentence("Was") == "Was it “enough?”"
    assert sentence("Dr.") == "Dr. Who agrees"


def test_sentence_starts_move_forward_and_back():
    starts, o = [], 0
    while (o := layout.next_sentence_start(TEXT, o)) < len(TEXT):
        starts.append(TEXT[o : o + 4])
    assert starts == ["He p", "Was ", "She ", "Seco", "Dr. "]
    back, o = [], len(TEXT)
    while (o := layout.prev_sentence_start(TEXT, o)) > 0:
        back.append(TEXT[o : o + 4])
    assert back == ["Dr. ", "Seco", "She ", "Was ", "He p"]


def test_paragraphs():
    i = TEXT.index("Second")
    assert TEXT[slice(*layout.paragraph_at(TEXT, i + 3))] == "Second paragraph here. Dr. Who agrees"
    assert layout.next_paragraph_start(TEXT, 5) == i
    assert layout.prev_paragraph_start(TEXT, i + 3) == i
    assert layout.prev_paragraph_start(TEXT, i) == 0
    assert layout.next_paragraph_start(TEXT, i) == len(TEXT)


def test_words():
    body = "one, two  three\nfour"
    assert layout.next_word_start(body, 0) == 5
    assert layout.next_word_start(body, 5) == 10
    assert layout.next_word_start(body, 10) == 16
    assert layout.prev_word_start(body, 16) == 10
    assert layout.prev_word_start(body, 3) == 0


def test_layout_does_not_import_textual():
    assert "reader.text.layout" in sys.modules
    import subprocess

    code = "import sys, reader.text.layout; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_display_char_shortcut_by_category_agrees_with_the_regex_rules():
    """display_char answers letters, marks, digits, punctuation, symbols and spaces without
    the ``regex`` patterns (not imported for reader's first screen); for every code point it
    answers as the patterns alone would."""
    from reader.text import display

    placeholder = regex.compile(display.PLACEHOLDER_RE.pattern)
    dropped = regex.compile(display.DROPPED_RE.pattern)
    for code in [*range(0xA0, 0x30000), *range(0xE0000, 0xE0200)]:
        ch = chr(code)
        if ch in display.BIDI_CONTROLS or 0xD800 <= code <= 0xDFFF:
            continue
        if 0x1F1E6 <= code <= 0x1F1FF or 0x1F3FB <= code <= 0x1F3FF:
            continue
        expected = (
            "" if dropped.match(ch) else display.FORMAT_PLACEHOLDER if placeholder.match(ch) else ch
        )
        assert display.display_char(ch) == expected, hex(code)

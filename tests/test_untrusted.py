"""reader.text.untrusted, the one door for untrusted text: its rules hold for every input."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.content import Content

from reader.text import untrusted

#: Text made mostly of what an attacker would use: brackets, backslashes, sigils, controls.
_TRICKY = st.text(
    st.one_of(
        st.sampled_from(list("[]\\@/$=_ #:.\t\n\r\x1b\x07\x9b\u202e\u2066\u200b\ufeffab")),
        st.characters(),
    ),
    max_size=60,
)
#: The planes that hold controls and format characters (the others are letters, ideographs,
#: private use or unassigned: none of them is a control).
PLANES = [*range(0x0, 0x20000), *range(0xE0000, 0xE1000)]


def test_the_placeholder_table_and_the_pattern_agree_on_every_code_point():
    for code in PLANES:
        ch = chr(code)
        shown = untrusted.placeholder(ch)
        assert (shown is not None) == (untrusted.UNSAFE.match(ch) is not None), hex(code)
        if shown is not None:
            assert len(shown) == 1 and untrusted.UNSAFE.match(shown) is None, hex(code)


def test_every_control_and_format_character_has_a_placeholder():
    for code in PLANES:
        ch = chr(code)
        category = unicodedata.category(ch)
        if category in ("Cc", "Zl", "Zp") and ch not in "\t\n":
            assert untrusted.placeholder(ch) is not None, hex(code)
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
        assert untrusted.placeholder(ch) == "⇄"


@settings(max_examples=400)
@given(_TRICKY)
def test_markup_reads_back_as_the_text_unstyled(text):
    content = Content.from_markup(untrusted.markup(text))
    assert content.plain == untrusted.line(text)
    assert not content.spans


def test_markup_escapes_what_textual_escape_does_not():
    for text in ("[ @click=app.quit]x", "[\t@click=app.quit]x", "[$accent]x", "[_]x", "a\\"):
        assert Content.from_markup(untrusted.markup(text)).plain == untrusted.line(text)


@settings(max_examples=300)
@given(_TRICKY)
def test_one_line_forms_hold_nothing_unsafe(text):
    for shown in (untrusted.line(text), untrusted.stream(text), *untrusted.stream_lines(text)):
        assert untrusted.UNSAFE.search(shown) is None
        assert "\n" not in shown and "\r" not in shown


def test_stream_keeps_emoji_and_text_as_they_are():
    text = "Flag 🇺🇦, family 👨\u200d👩\u200d👧, Президент, قالت, 中文"
    assert untrusted.stream(text) == text
    assert untrusted.stream("tab\there\r\nand\x1b]0;x\x07") == "tab here and␛]0;x␇"


@settings(max_examples=300)
@given(_TRICKY, st.data())
def test_an_edit_keeps_every_character_the_user_did_not_touch(original, data):
    shown = untrusted.for_editing(original)
    assert len(shown) == len(original) and untrusted.UNSAFE.search(shown) is None
    assert untrusted.edited(original, shown) == original  # nothing changed: the exact text
    at = data.draw(st.integers(0, len(shown)))
    typed = data.draw(st.text(st.sampled_from("xyz!"), min_size=1, max_size=3))
    result = untrusted.edited(original, shown[:at] + typed + shown[at:])
    assert result == original[:at] + typed + original[at:]


def test_limits_cut_with_an_ellipsis():
    assert untrusted.line("abcdef", 4) == "abc…"
    assert untrusted.stream("abcdef", 6) == "abcdef"
    assert str(untrusted.text("x\x1by", limit=2)) == "x…"

"""One sentence splitter: the reading pane's sentence at an offset and compare mode's passages
come from the same rules (reader.text.segments), so they agree at every offset."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.text import layout, segments
from reader.text.sentences import segment

EXAMPLE = "The U.N. In a statement, Pres. Biden said 3 people died."

TRICKY = {
    "initialism then opener": EXAMPLE,
    "quotes": "He left. “Why?” she asked. Was it “enough?” She said no. 'Stop.' Then quiet.",
    "numbers": "Prices rose 3.5 million times in 2019. Then they fell to 2.5. No. 5 was spared.",
    "ellipsis": "Wait... What? He paused... then went on… And on. “Well…” he said.",
    "line breaks": "A headline\nBy A. Writer\r\n\r\nFirst line. Second\rThird one.\u2028Fourth. \n",
    "arabic": "هل أنت بخير؟ نعم، أنا بخير. شكرا لك! وأنت؟",
    "cjk": "你好。我很好！「你好。」他说。真的？是的｡ End.",
    "devanagari": "यह एक वाक्य है। यह दूसरा है॥ तीसरा?",
    "abbreviations": "Dr. A. Smith met Gov. Hochul and J. K. Rowling at 5 p.m. The talks, e.g. on "
    "tax, went on. Apple Inc. Chief Executive Tim Cook came. Apple Inc. The firm, etc. Then "
    "Martin Luther King Jr. He spoke on Jan. 5 in the U.S. Senate.",
    "titles and names": "Mr. Smith went to the U.S. on Monday. He paid 3.5 dollars, e.g. for "
    "tea! Was it “enough?” She said no.\n\n  Second paragraph here. Dr. Who agrees\n",
    "brackets": "(He left.) Then [they stayed.] «Non.» Oui. See p. 5 (fig. 2).",
    "blank and space": "   \n\t\n  One.   Two!  \n",
    "no punctuation": "just words without an end",
}


def text(s: str, span: tuple[int, int]) -> str:
    return s[span[0] : span[1]]


def pane_agrees_with_compare_mode(body: str) -> None:
    spans = segments.sentences(body)
    passages = [(p.start, p.end) for p in segment(body)]
    assert passages == spans  # no sentence here is long enough to be cut into clauses
    for offset in range(len(body) + 1):
        got = layout.sentence_at(body, offset)
        if body[offset - 1 : offset + 1] == "\r\n":
            continue  # not a cursor position (inside a CR LF)
        ps, pe = layout.paragraph_start(body, offset), layout.paragraph_end(body, offset)
        in_paragraph = [s for s in spans if ps <= s[0] and s[1] <= pe]
        under = [s for s in in_paragraph if s[0] <= offset < s[1]]
        after = [s for s in in_paragraph if s[0] > offset]
        if under:
            want = under[0]
        elif after:
            want = after[0]
        elif in_paragraph:
            want = in_paragraph[-1]
        else:
            want = (offset, offset)
        assert got == want, (offset, text(body, got), text(body, want))
    starts, o = [], 0
    while (o := layout.next_sentence_start(body, o)) < len(body):
        starts.append(o)
    assert starts == [s for s, _ in spans if s > 0]
    back, o = [], len(body)
    while (o := layout.prev_sentence_start(body, o)) > 0:
        back.append(o)
    assert back == [s for s, _ in reversed(spans) if s > 0]


@pytest.mark.parametrize("name", TRICKY)
def test_pane_and_compare_mode_agree(name):
    pane_agrees_with_compare_mode(TRICKY[name])


def test_the_un_example():
    assert [text(EXAMPLE, s) for s in segments.sentences(EXAMPLE)] == [
        "The U.N.",
        "In a statement, Pres. Biden said 3 people died.",
    ]
    assert [EXAMPLE[p.start : p.end] for p in segment(EXAMPLE)] == [
        "The U.N.",
        "In a statement, Pres. Biden said 3 people died.",
    ]
    at = EXAMPLE.index("Biden")
    assert text(EXAMPLE, layout.sentence_at(EXAMPLE, at)) == (
        "In a statement, Pres. Biden said 3 people died."
    )
    assert text(EXAMPLE, layout.sentence_at(EXAMPLE, 2)) == "The U.N."


SPLITS = {
    "abbreviations": [
        "Dr. A. Smith met Gov. Hochul and J. K. Rowling at 5 p.m.",
        "The talks, e.g. on tax, went on.",
        "Apple Inc. Chief Executive Tim Cook came.",
        "Apple Inc.",
        "The firm, etc.",
        "Then Martin Luther King Jr.",
        "He spoke on Jan. 5 in the U.S. Senate.",
    ],
    "quotes": ["He left.", "“Why?” she asked.", "Was it “enough?”", "She said no.", "'Stop.'"]
    + ["Then quiet."],
    "ellipsis": ["Wait...", "What?", "He paused... then went on…", "And on.", "“Well…” he said."],
    "line breaks": ["A headline", "By A. Writer", "First line.", "Second", "Third one."]
    + ["Fourth."],
    "arabic": ["هل أنت بخير؟", "نعم، أنا بخير.", "شكرا لك!", "وأنت؟"],
    "cjk": ["你好。", "我很好！", "「你好。」", "他说。", "真的？", "是的｡", "End."],
    "devanagari": ["यह एक वाक्य है।", "यह दूसरा है॥", "तीसरा?"],
}


@pytest.mark.parametrize("name", list(SPLITS))
def test_sentences_of_tricky_texts(name):
    body = TRICKY[name]
    assert [text(body, s) for s in segments.sentences(body)] == SPLITS[name]


def test_numbers_and_a_numbered_item():
    body = TRICKY["numbers"]
    assert [text(body, s) for s in segments.sentences(body)] == [
        "Prices rose 3.5 million times in 2019.",
        "Then they fell to 2.5.",
        "No. 5 was spared.",
    ]


def test_words_are_the_same_for_the_pane_and_compare_mode():
    body = "don't stop, naïve café: 3.5 million ‘quotes’ x''y 中文 l'État\u0301 _ok"
    starts, o = [0], 0
    while (o := layout.next_word_start(body, o)) < len(body):
        starts.append(o)
    found = segments.words(body)
    assert len(starts) == len(found)
    assert all(body.startswith(word, at) for at, word in zip(starts, found, strict=True))
    assert segments.word_count(body) == len(starts)
    assert "don't" in segments.words(body)


def test_a_long_line_is_looked_at_locally():
    body = ("Word " * 400 + "end. ") * 2000 + "Last one."  # 4 MB, one line
    at = len(body) - 5
    s, e = layout.sentence_at(body, at)
    assert body[s:e] == "Last one."
    s, e = layout.sentence_at(body, len(body) // 2)
    assert body[e - 4 : e] == "end." and e - s < 2100


alphabet = st.sampled_from(
    [
        *"ab. !?…\n\r“”\"'()。؟",
        " U.N. ",
        " In ",
        " the ",
        " Dr. ",
        " A. ",
        " 3.5 ",
        "\u2028",
        "e.g.",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(alphabet, max_size=40).map("".join))
def test_agreement_for_any_text(body):
    pane_agrees_with_compare_mode(body)

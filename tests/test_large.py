"""Huge articles behave like small ones (issue 5): behaviour only, timings are in benchmarks/.

A 20 MB article and a 100,000-character line open on their first line, show their last line
after G, and a tag on their last paragraph is exported with the right offsets; wide and
combining text is drawn in the right number of cells; the wrap index built from anywhere (the
end first, jumps, scrolling up) gives the lines of the index built from the start.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.corpus.articles import load_corpus
from reader.exchange import export_yaml
from reader.store import Store
from reader.text import cells, display, graphemes, wrap, wrap_paragraphs
from reader.text.wrap import WrapIndex
from reader.tui.app import ReaderApp
from reader.tui.widgets.reading_pane import ReadingPane

SIZE = (120, 40)
PARAGRAPH = (
    "Amnesty International said on Tuesday that the “unlawful use of force” had killed "
    "{n} people, and demanded an independent investigation — the third such call this year."
)


def news(size: int) -> str:
    parts, total, n = ["FIRST LINE of the report"], 0, 0
    while total < size:
        n += 1
        parts.append(PARAGRAPH.format(n=n))
        total += len(parts[-1]) + 2
    parts.append("The last paragraph says: THE END.")
    return "\n\n".join(parts)


def long_line(chars: int = 100_000) -> str:
    words = ("Callamard", "said", "the", "operation", "“constitutes", "a", "clear", "violation")
    out, i = [], 0
    while sum(map(len, out)) + len(out) < chars:
        out.append(words[i % len(words)])
        i += 1
    head, tail = "START ", " LAST WORDS"
    return head + " ".join(out)[: chars - len(head) - len(tail)] + tail


def wide(size: int) -> str:
    chinese = "国际特赦组织表示，美国的袭击构成非法使用武力。"
    vietnamese = (
        "To\u0302\u0309 chu\u031b\u0301c A\u0301n xa\u0323 " + "Quo\u0302\u0301c te\u0302\u0301 "
    )
    parts, total = ["開始 first"], 0
    while total < size:
        parts.append(chinese * 6 + " " + vietnamese * 4)
        total += len(parts[-1].encode("utf-8")) + 1
    parts.append("終わり the end")
    return "\n".join(parts)


def make_app(tmp_path: Path, body: str) -> ReaderApp:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "big.txt").write_text(body, encoding="utf-8")
    return ReaderApp(store=Store(tmp_path / "a.db"), corpus=load_corpus(folder), poll_seconds=0)


def shown(pane: ReadingPane) -> list[str]:
    return [pane.render_line(y).text for y in range(pane.scrollable_content_region.height)]


async def open_tag_last_paragraph_and_export(tmp_path: Path, body: str, first: str, last: str):
    app = make_app(tmp_path, body)
    async with app.run_test(size=SIZE) as pilot:
        pane = await app.open_article("big")
        await pilot.pause()
        assert pane.body == body
        assert shown(pane)[0].startswith(first)
        await pilot.press("G")
        await pilot.pause()
        assert pane.cursor == len(body)
        assert any(last in line for line in shown(pane))
        await pilot.press("p", "1")  # select the last paragraph, tag it
        await pilot.pause()
        text = export_yaml(app.store, app.corpus)
    (entry,) = yaml.safe_load(text)["articles"][0]["annotations"]
    start = body.rfind("\n") + 1
    assert (entry["start"], entry["end"]) == (start, len(body))
    assert body[entry["start"] : entry["end"]] == entry["quote"]
    assert entry["quote"].endswith(last)


async def test_twenty_megabytes_open_at_the_top_end_at_the_bottom_and_export(tmp_path):
    body = news(20_000_000)
    assert len(body.encode("utf-8")) >= 20_000_000
    await open_tag_last_paragraph_and_export(tmp_path, body, "FIRST LINE", "THE END.")


async def test_a_single_100000_character_line(tmp_path):
    body = long_line()
    assert len(body) == 100_000 and "\n" not in body
    app = make_app(tmp_path, body)
    async with app.run_test(size=SIZE) as pilot:
        pane = await app.open_article("big")
        await pilot.pause()
        assert shown(pane)[0].startswith("START Callamard")
        await pilot.press("G")
        await pilot.pause()
        assert " ".join(" ".join(shown(pane)).split()).endswith("LAST WORDS")
        await pilot.press("p", "1")
        await pilot.pause()
        text = export_yaml(app.store, app.corpus)
    (entry,) = yaml.safe_load(text)["articles"][0]["annotations"]
    assert (entry["start"], entry["end"]) == (0, len(body)) and entry["quote"] == body


async def test_wide_and_combining_text_takes_the_right_cells(tmp_path):
    body = wide(2_000_000)
    app = make_app(tmp_path, body)
    async with app.run_test(size=SIZE) as pilot:
        pane = await app.open_article("big")
        await pilot.pause()
        width = pane.scrollable_content_region.width
        for at_end in (False, True):
            if at_end:
                await pilot.press("G")
                await pilot.pause()
            index = pane._ensure_index()
            top = round(pane.scroll_y)
            for y in range(pane.scrollable_content_region.height):
                strip = pane.render_line(y)
                assert strip.cell_length == width
                try:
                    start, end = index.line_span(top + y)
                except IndexError:
                    continue
                text = body[start:end].rstrip("\n")
                drawn = display.display_text(text)
                assert strip.text.startswith(drawn)  # the drawn text, then padding
                assert cell_len(drawn) <= width
        assert any("終わり the end" in line for line in shown(pane))
        cjk = body.index("国")
        pane.move_to(cjk)
        await pilot.pause()
        assert index.x_of(cjk + 1) - index.x_of(cjk) == 2  # a wide character: two cells
        mark = body.index("o\u0302\u0309")
        assert index.x_of(mark + 3) - index.x_of(mark) == 1  # o + two combining marks: one
        await pilot.press("right")
        assert pane.cursor == cjk + 1


# --------------------------------------------------------------------------- the wrap index

PIECES = ["word ", "Mr. ", "\n", "\n\n", "你好世界", "e\u0301 ", "\t", "x" * 13]
PIECES += ["👨\u200d👩\u200d👧", "🇺🇸"]
bodies = st.lists(st.sampled_from(PIECES), max_size=150).map("".join)
operations = st.lists(
    st.tuples(st.sampled_from(["line_of", "line", "build", "offset_at"]), st.integers(0, 500)),
    max_size=20,
)


@settings(max_examples=250, deadline=None)
@given(bodies, st.integers(min_value=2, max_value=24), operations)
def test_index_built_from_anywhere_has_the_lines_built_from_the_start(body, width, ops):
    near = wrap.NEAR_CHARS, wrap.NEAR_LINES, wrap_paragraphs.BATCH
    wrap.NEAR_CHARS, wrap.NEAR_LINES, wrap_paragraphs.BATCH = (
        8,
        3,
        2,
    )  # jumps open separate segments
    try:
        reference = WrapIndex(body, width)
        starts = list(reference.starts)
        index = WrapIndex(body, width, lazy=True)
        for op, value in ops:
            if op == "line_of":
                offset = graphemes.snap(body, value % (len(body) + 1))
                start, end = index.line_span(index.line_of(offset))
                assert start <= offset and (offset < end or end == len(body))
                assert index.x_of(offset) == reference.x_of(offset)
            elif op == "build":
                index.build(lines=value)
            else:
                y = value % (index.estimated_lines() + 1)
                try:
                    start, end = index.line_span(y)
                except IndexError:
                    continue
                i = starts.index(start)
                assert end == (starts[i + 1] if i + 1 < len(starts) else len(body))
                if op == "offset_at":
                    assert index.offset_at(y, value % 7) == reference.offset_at(i, value % 7)
        index.build()
        assert index.complete and list(index.starts) == starts
        assert index.estimated_lines() == len(starts)
    finally:
        wrap.NEAR_CHARS, wrap.NEAR_LINES, wrap_paragraphs.BATCH = near


def test_jumping_to_the_end_wraps_only_the_end():
    body = news(2_000_000)
    index = WrapIndex(body, 80, lazy=True)
    last = index.line_of(len(body))
    assert body[slice(*index.line_span(last))] == "The last paragraph says: THE END."
    assert len(index) < 10 and not index.complete  # nothing wrapped from the start
    assert abs(last - WrapIndex(body, 80).line_of(len(body))) < last // 20  # a fair estimate


def test_cheap_plainness_filters_agree_with_the_width_table():
    table = cells.width_table()
    for byte in range(256):
        try:
            ch = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        if ch not in "\t\n":
            assert ord(table[ord(ch)]) == 1, repr(ch)  # one cell, joins nothing


def test_width_table_matches_char_cells():
    table = cells.width_table()
    for code in range(0, 0x10000, 7):
        ch = chr(code)
        if ch != "\n":
            assert ord(table[code]) & (cells.JOINS - 1) == cells.char_cells(ch), hex(code)
            assert bool(ord(table[code]) & cells.JOINS) == bool(graphemes.JOIN_RE.match(ch))


@pytest.mark.parametrize("code", ["open", "tag"])
def test_startup_and_tagging_do_not_import_sqlite_utils(tmp_path, code):
    script = (
        "import sys; from reader.store import Store; s = Store(sys.argv[1]); s.annotations();"
        "s.counts(); s.tags()"
        + ("; s.add('a', 'demand', 0, 2, 'abc', 'x')" if code == "tag" else "")
        + "; print('sqlite_utils' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "a.db")],
        capture_output=True,
        text=True,
        check=True,
    )
    # the first run creates the schema through sqlite-utils; a second opening does not need it
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "a.db")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"

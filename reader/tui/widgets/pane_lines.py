"""How the reading pane draws one wrapped line of the body: cut at every boundary of an
annotation, a mark, the selection, the cursor and a run of placeholders, each piece styled
and shown through `layout.display_text` (untrusted text never acts). No widget here: the pane
gives the body, the line's span, what is drawn over it and its styles, and caches the Strip.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from reader.text import layout
from reader.tui.widgets import tints
from reader.tui.widgets.highlights import MARK_OVER_TINT, HighlightIndex, MarkLayers

# runs of characters drawn as something else (control pictures, flags as letters, ...)
_PLACEHOLDER_RUN = layout.LazyPattern(layout.SHOWN_AS_OTHER_RE.pattern + "+")

_IN_SELECTION = Style(underline=True, bold=True)

#: Base, cursor, selection and control styles.
LineStyles = tuple[Style, Style, Style, Style]


class Tints:
    """The style of text under annotations of one or more colours: the colours mixed, then
    blended into the pane's background so they are seen and the text stays readable in
    truecolor and 256 colours (`tints.highlight`). ``colours`` gives the pane's background
    and text colours (asked only when a new mix of colours is drawn)."""

    def __init__(self, colours: Callable[[], tuple[Color, Color]]) -> None:
        self._colours = colours
        self._styles: dict[tuple[str, ...], Style] = {}

    def clear(self) -> None:
        self._styles.clear()

    def style(self, colours: tuple[str, ...]) -> Style:
        style = self._styles.get(colours)
        if style is None:
            background, text = self._colours()
            mix = tints.parse(colours[0])
            for other in colours[1:]:
                mix = tints.blend(mix, tints.parse(other), 0.5)
            back, fore = tints.highlight(tints.hex_of(mix), background.hex, text.hex)
            style = Style(bgcolor=back, color=fore, underline=len(colours) > 1)
            self._styles[colours] = style
        return style


def render_text_line(
    body: str,
    start: int,
    end: int,
    last: bool,
    cursor: int,
    sel: tuple[int, int] | None,
    highlights: HighlightIndex,
    marks: MarkLayers,
    styles: LineStyles,
    tint: Callable[[tuple[str, ...]], Style],
) -> Strip:
    """``body[start:end]`` (one wrapped line; ``last``: the body's last) as a Strip, with the
    cursor at ``cursor`` (-1: not on this line) and ``sel`` the selection within the line."""
    text_end = layout.text_end(body, start, end)
    hl = highlights
    found = [hl.items[i] for i in hl.overlapping(start, text_end)]
    cuts = {start, text_end}
    for h in found:
        cuts.update((h.start, h.end))
    marked = marks.between(start, text_end) if marks.layers else []
    for _, m_start, m_end in marked:
        cuts.update((m_start, m_end))
    if sel is not None:
        cuts.update(sel)
    if start <= cursor < text_end:
        cuts.update((cursor, layout.next_boundary(body, cursor)))
    controls: set[int] = set()
    for m in _PLACEHOLDER_RUN.finditer(body, start, text_end):
        cuts.update(m.span())
        controls.update(range(*m.span()))
    points = sorted(layout.snap(body, c) for c in cuts if start <= c <= text_end)
    base, cursor_style, sel_style, control_style = styles
    segments = []
    for a, b in zip(points, points[1:], strict=False):
        if a >= b:
            continue
        style = base
        colours = tuple(h.colour for h in found if h.start <= a < h.end)
        if colours:
            style += tint(colours)
        for mark_style, m_start, m_end in marked:
            if m_start <= a < m_end:
                style += MARK_OVER_TINT.get(mark_style, mark_style) if colours else mark_style
        selected = sel is not None and sel[0] <= a < sel[1]
        if selected:
            style += sel_style
        if a in controls:
            style += control_style
        if a == cursor:
            # in the selection (just after v, or selecting backwards): the selection's colour
            # stays visible, the cursor underlined
            style += _IN_SELECTION if selected else cursor_style
        segments.append(Segment(layout.display_text(body[a:b]), style))
    if last or text_end < end:  # the line break / end-of-body cell
        if cursor == text_end:
            segments.append(Segment(" ", base + cursor_style))
        elif sel is not None and sel[0] <= text_end < sel[1]:
            segments.append(Segment(" ", base + sel_style))
    return Strip(segments)

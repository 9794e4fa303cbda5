"""EntryList: a keyboard list of many entries (articles, annotations) drawn a row at a time.

Textual's OptionList renders and measures every option when its options are set, which costs
about a millisecond per entry: 1.5 s for 2,000 articles, and again for every annotation panel
refresh of an article holding 5,000 annotations. This list is built on the Line API instead and
never looks at an entry that is not on screen:

- Each entry has a compact form of a few rows, one per logical line (title, details, counts;
  tag, quote, note), each cut to the width with "…"; a line may be allowed a second row
  (a long title or quote). Its height follows from the item and the width alone
  (`item_height`, one cell-length measure at most), so the row where every entry starts is a
  running sum, kept in an array, and the entry under a row is found by bisection.
- The highlighted entry unfolds: its lines are wrapped in full, so nothing is hidden from the
  user; only that one entry is wrapped.
- Rows are rendered when drawn and cached per entry, width and state; the cache is bounded.

Its parts: entry_drawing (rows rendered, wrapped, cached; styles) and entry_keys (keys and
mouse), mixins of EntryList only.

Subclasses give `item_id`, `item_lines` (the logical lines as Rich Text, or (Text, rows) for a
line allowed more than one row) and `item_height` (the rows of the compact form at a width;
`folded_rows` helps), and set items with `set_items`.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.tui.widgets.entry_drawing import EntryDrawing
from reader.tui.widgets.entry_keys import EntryKeys
from reader.tui.widgets.scrolling import Scrollbar, content_size, set_virtual_size


class EntryList(EntryKeys, EntryDrawing, ScrollView, can_focus=True):
    """A vertical list of entries; up/down/page/home/end move, enter or a click selects."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entry-list--highlight",
        "entry-list--highlight-blurred",
        "entry-list--rule",
    }
    DEFAULT_CSS = """
    EntryList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: hidden;  /* the list draws its own scrollbar (scrolling.Scrollbar) */
    }
    EntryList > .entry-list--highlight {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    EntryList > .entry-list--highlight-blurred {
        background: $block-cursor-blurred-background;
    }
    EntryList > .entry-list--rule {
        color: $foreground 15%;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    #: A rule row between entries.
    RULE: ClassVar[bool] = False
    #: Blank cells at each side of every row (inside the highlight).
    GUTTER: ClassVar[int] = 1

    @dataclass
    class Selected(Message):
        """Enter was pressed on, or the mouse clicked, the entry ``index``."""

        entry_list: EntryList
        index: int
        item_id: str | None

        @property
        def control(self) -> EntryList:
            return self.entry_list

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items: list[Any] = []
        self.placeholder: Text = Text("")
        self._starts = array("q", [0])  # row of each entry in compact form, then the total
        self._rows: list[int] = []  # rows of each entry in compact form (its rule included)
        self._highlighted: int | None = None
        #: the highlighted entry unfolded: (item, width, generation, is last, rows)
        self._unfolded: tuple[Any, int, int, bool, list[Strip]] | None = None
        #: item id -> (item, width, generation, is last, rows): valid while all four hold
        self._cache: dict[Any, tuple[Any, int, int, bool, list[Strip]]] = {}
        self._generation = 0
        self._width_cache: tuple[tuple, Size] | None = None
        self._measured_width = 0
        self._heights: dict[int, tuple[Any, int]] = {}  # id(item) -> (item, compact rows)
        self._scrollbar = Scrollbar()
        self._index_map: dict[Any, int] | None = None  # item id -> index, for index_of
        self._init_drawing()
        self._bar_drag = False  # the scrollbar's thumb is being dragged

    # -- what subclasses give ---------------------------------------------------------------
    def item_id(self, item: Any) -> str | None:
        raise NotImplementedError

    def item_lines(self, item: Any) -> list[Text | tuple[Text, int]]:
        """The entry's logical lines (no newlines in them); (text, n): up to n rows compact."""
        raise NotImplementedError

    def item_height(self, item: Any, width: int) -> int:
        """The rows of the compact form at ``width`` cells, found without building the lines
        (see `folded_rows`)."""
        raise NotImplementedError

    @staticmethod
    def folded_rows(plain: str | int, rows: int, width: int) -> int:
        """Rows a line (its text, or its width in cells) allowed up to ``rows`` rows takes when
        wrapped to ``width`` cells (exact for rows <= 2: a line that fits is not wrapped)."""
        if rows <= 1:
            return 1
        cells = plain if isinstance(plain, int) else cell_len(plain)
        if cells <= width:
            return 1
        return 2 if rows == 2 else min(rows, -(-cells // width))

    # -- content ----------------------------------------------------------------------------
    def set_items(self, items: Sequence[Any], keep: str | None = None) -> None:
        """Show ``items``; the entry with id ``keep`` (else the first) is highlighted."""
        old, old_highlight = self.items, self._highlighted
        self._index_map = None
        old_rows = self.virtual_size.height
        self.items = new = list(items)
        same = 0  # entries before this one are unchanged (the same objects): not redrawn
        for same, (was, now) in enumerate(zip(old, new, strict=False)):  # noqa: B007
            if was is not now:
                break
        else:
            same = min(len(old), len(new))
        self._measure()
        index = self.index_of(keep) if keep is not None else None
        if index is None and self.items:
            index = 0
        self._highlighted = index
        # rendered entries stay cached by id, used again while the item object is the same
        self._sync_size()
        was = old[old_highlight] if old_highlight is not None else None
        now = new[index] if index is not None else None
        if was is not now or not new or same == 0:
            self.refresh()
        elif same < len(new) or len(old) != len(new):
            start = self.entry_rows(min(same, len(new) - 1))[0]
            self._refresh_from(start, old_rows)
        self._scroll_to_highlight()

    def _measure(self) -> None:
        """The compact rows of every entry at the current width, as running sums."""
        inner = self._inner_width()
        if inner != self._measured_width or len(self._heights) > 2 * len(self.items) + 1000:
            self._heights = {}
        known, measure = self._heights, self.item_height
        heights = []
        if self.outer_size.width <= 0:  # not laid out yet: measured when it gets its size
            heights, inner = [1] * len(self.items), 0
        else:
            for item in self.items:  # an item seen before (the same object) keeps its height
                found = known.get(id(item))
                if found is None or found[0] is not item:
                    found = known[id(item)] = (item, measure(item, inner))
                heights.append(found[1])
        if self.RULE:
            heights = [h + 1 for h in heights[:-1]] + heights[-1:]
        self._rows = heights
        self._starts = array("q", accumulate(heights, initial=0))
        self._measured_width = inner

    def splice(self, index: int, remove: int, insert: Sequence[Any]) -> None:
        """Replace ``items[index:index + remove]`` with ``insert``, as set_items would with the
        whole list but measuring only the new entries and redrawing only from ``index`` down
        (a tag in an article of 5,000 annotations: one entry measured, not 5,000)."""
        items, rows = self.items, self._rows
        if len(rows) != len(items) or self._inner_width() != self._measured_width:
            self.set_items([*items[:index], *insert, *items[index + remove :]], self.highlighted_id)
            return
        highlighted, old_rows = self._highlighted, self.virtual_size.height
        self._index_map = None
        kept = None if highlighted is None else items[highlighted]
        for item in items[index : index + remove]:
            self._cache.pop(self.item_id(item), None)
        items[index : index + remove] = insert
        rule = 1 if self.RULE else 0
        rows[index : index + remove] = [self._compact(item) + rule for item in insert]
        first = index
        if rule and rows:  # only the last entry has no rule below it
            for i in range(max(0, len(rows) - 2), len(rows)):
                rows[i] = self._compact(items[i]) + (1 if i < len(rows) - 1 else 0)
            first = min(first, max(0, len(rows) - 2))
        self._starts = self._starts[:first] + array(
            "q", accumulate(rows[first:], initial=self._starts[first])
        )
        if highlighted is None or not items:
            index_now = 0 if items else None
        elif highlighted < index:
            index_now = highlighted
        elif highlighted >= index + remove:
            index_now = highlighted + len(insert) - remove
        else:
            index_now = 0  # the highlighted entry went: the first, as set_items does
        self._highlighted = index_now
        if index_now is None or items[index_now] is not kept:
            self._unfolded = None
            self._sync_size()
            self.refresh()
        else:
            self._sync_size()
            start = self.entry_rows(min(first, len(items) - 1))[0] if items else 0
            self._refresh_from(start, old_rows)
        self._scroll_to_highlight()

    def _compact(self, item: Any) -> int:
        """The entry's compact rows at the measured width (measured once per item object)."""
        found = self._heights.get(id(item))
        if found is None or found[0] is not item:
            found = self._heights[id(item)] = (item, self.item_height(item, self._measured_width))
        return found[1]

    def _inner_width(self) -> int:
        return max(1, self._width() - 2 * self.GUTTER)

    @property
    def item_count(self) -> int:
        return len(self.items)

    def index_of(self, item_id: str | None) -> int | None:
        """The index of the entry ``item_id`` (a map built when first asked after a change)."""
        if self._index_map is None:
            item_of = self.item_id
            self._index_map = {item_of(item): i for i, item in enumerate(self.items)}
        return self._index_map.get(item_id) if item_id is not None else None

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self.items) - 1)) if self.items else None
        if index == self._highlighted:
            return
        self._highlighted = index
        self._unfolded = None
        self._sync_size()
        self._scroll_to_highlight()
        self.refresh()

    @property
    def highlighted_id(self) -> str | None:
        if self._highlighted is None:
            return None
        return self.item_id(self.items[self._highlighted])

    @property
    def highlighted_item(self) -> Any | None:
        return None if self._highlighted is None else self.items[self._highlighted]

    # -- geometry ---------------------------------------------------------------------------
    @property
    def allow_vertical_scroll(self) -> bool:
        """The mouse wheel scrolls (Textual allows it only with its own scrollbar shown)."""
        return self.max_scroll_y > 0 and not self.disabled

    def _width(self) -> int:
        """The width of an entry's rows: the content's, but for the scrollbar's column."""
        return max(0, self._inner_size().width - 1)

    def _inner_size(self) -> Size:
        """The content's size: the outer size less border and padding. (``size`` would find
        the widget's region on screen, ~10 µs a row, and during a layout it may still give the
        old region: an entry measured then would keep a wrong height.)"""
        key = (self.outer_size, self._generation)
        if self._width_cache is None or self._width_cache[0] != key:
            self._width_cache = (key, content_size(self))
        return self._width_cache[1]

    def _compact_rows(self, index: int) -> int:
        return self._starts[index + 1] - self._starts[index]

    def _extra_rows(self) -> int:
        """How many rows the unfolded entry adds to its compact form."""
        if self._highlighted is None or self._width() <= 0:
            return 0
        return len(self._unfolded_rows()) - self._compact_rows(self._highlighted)

    def entry_rows(self, index: int) -> tuple[int, int]:
        """(first row, number of rows) of the entry ``index`` as shown now."""
        start = self._starts[index]
        h = self._highlighted
        if h is not None and index > h:
            start += self._extra_rows()
        rows = self._compact_rows(index)
        if index == h:
            rows += self._extra_rows()
        return start, rows

    def entry_at(self, row: int) -> tuple[int, int] | None:
        """(entry index, row within it) shown at ``row``, or None below the last."""
        if not self.items or row < 0:
            return None
        h = self._highlighted
        if h is not None:
            start, rows = self.entry_rows(h)
            if start <= row < start + rows:
                return h, row - start
            if row >= start + rows:
                row -= self._extra_rows()
        if row >= self._starts[-1]:
            return None
        index = bisect_right(self._starts, row) - 1
        return index, row - self._starts[index]

    def _total_rows(self) -> int:
        return self._starts[-1] + self._extra_rows() if self.items else 0

    def _sync_size(self) -> None:
        rows = self._total_rows() if self.items else len(self.placeholder_rows())
        size = Size(self._width(), rows)
        set_virtual_size(self, size)
        self._scrollbar.repaint_changed(self, self._inner_size().height, size.height)

    def _refresh_from(self, row: int, old_rows: int) -> None:
        """Repaint the rows from ``row`` down that are in view and held an entry before the
        change (``old_rows`` of them) or hold one now: rows shifted below a change."""
        top = round(self.scroll_y)
        first = max(row, top)
        end = min(top + self._inner_size().height, max(old_rows, self.virtual_size.height))
        if first < end:
            self.refresh_lines(first, end - first)

    def _scroll_to_highlight(self) -> None:
        if self._highlighted is None or not self._inner_size().height:
            return
        start, rows = self.entry_rows(self._highlighted)
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if start < top or rows > height:
            target = start
        elif start + rows > top + height:
            target = start + rows - height
        else:
            return
        self.scroll_to(y=target, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        # cached rows are kept: they are looked up by width
        if self._inner_width() != self._measured_width:
            self._measure()
            self._unfolded = None
            self.refresh()  # entries start on other rows now: every row is drawn again
        self._sync_size()
        self._scroll_to_highlight()

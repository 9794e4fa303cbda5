"""Untrusted YAML (front matter, metadata.yaml, import files) through PyYAML's safe loader.

Kept apart from articles.py so that PyYAML (~10 ms to import) is loaded only when some YAML
has to be parsed: a start on a folder whose listing is cached parses none.

Before a document is built, `refusal` reads the parser's events for what must never be built:

* **aliases** (``*name``): a few KB of anchors referring to anchors stand for millions of
  entries (an import of a million rows, a listing cache of hundreds of MB). reader never
  writes them, and metadata has no use for them;
* collections nested more than `MAX_YAML_DEPTH` deep: building them recurses (libyaml
  overflows the C stack: a crash) in time growing with the square of the depth.

Reading the events costs about a third of loading the document, so it is skipped for texts
that can hold neither (a few ms for a MB): an alias needs a ``*`` where a node may start
(`_may_alias`), and deep nesting needs many ``[``/``{`` or lines that start far to the right
(`_may_nest_deeper`).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

#: YAML collections nested deeper than this are refused before a document is built from them.
MAX_YAML_DEPTH = 64
#: Characters of an anchor's name quoted in a message.
NAME_CHARS = 60
_OPEN_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def lenient(construct: str) -> Any:
    """A constructor calling the loader's ``construct`` method, that keeps the scalar's text
    where that raises (an impossible date "2024-02-30", an int of more digits than Python
    converts, ``!!bool maybe``): ValueError and KeyError are not YAMLErrors, and would fail
    the whole document without saying where."""

    def build(loader: Any, node: yaml.Node) -> Any:
        try:
            return getattr(loader, construct)(node)
        except (ValueError, KeyError, OverflowError):
            return loader.construct_scalar(node)

    return build


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, except that an impossible date ("2024-02-30") stays a string instead
    of raising ValueError. A subclass: PyYAML's own loaders are left as they are."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lenient("construct_yaml_timestamp"))


def _as_written(construct: str) -> Any:
    """A constructor that checks a scalar as YAML would (``!!int abc`` still fails) and keeps
    the text as written: metadata is text, and ``language: no`` is Norwegian, not False,
    ``title: 3.10`` not 3.1, ``outlet: 0x1F`` not 31."""

    def text(loader: Any, node: yaml.ScalarNode) -> str:
        getattr(loader, construct)(node)
        return loader.construct_scalar(node)

    return text


for _kind in ("bool", "int", "float"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_kind}", _as_written(f"construct_yaml_{_kind}"))


def load_yaml(data: str | bytes) -> tuple[Any, str | None]:
    """Untrusted YAML through the safe loader: (data, None), or (None, a one-line problem).

    Never raises: besides syntax errors, PyYAML's constructors raise ValueError or KeyError
    for values such as ``!!int abc`` or ``!!bool maybe``; aliases and deep nesting are refused
    first (`refusal`)."""
    try:
        refused = _refusal(data, MAX_YAML_DEPTH)
        if refused:
            mark, problem, _ = refused  # put in parentheses: "not valid YAML (problem)"
            return None, f"{problem} at line {mark.line + 1}, column {mark.column + 1}"
        return yaml.load(data, Loader=_Loader), None
    except yaml.YAMLError as exc:
        return None, _yaml_problem(exc)
    except RecursionError:
        return None, "nested too deeply"
    except Exception as exc:  # noqa: BLE001 - constructors raise ValueError, KeyError, ...
        return None, f"bad value: {str(exc)[:120]}"  # shown through reader.text.untrusted


def refusal(data: str | bytes, limit: int = MAX_YAML_DEPTH) -> str | None:
    """Why a document must not be built from ``data`` (an alias, nesting deeper than
    ``limit``: see the module doc) as "line L, column C: the problem", or None.

    Raises yaml.YAMLError for text that is not YAML (where its events show it)."""
    refused = _refusal(data, limit)
    if refused is None:
        return None
    mark, problem, hint = refused
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}{hint}"


def _refusal(data: str | bytes, limit: int) -> tuple[yaml.Mark, str, str] | None:
    """(where, what, what to do) for the first alias or collection nested deeper than
    ``limit``, or None.

    Read from the parser's events, stopping there: libyaml parses iteratively, while composing
    a document recurses in C (a crash, not an exception, for "- " * 100000)."""
    if isinstance(data, str) and not _may_alias(data) and not _may_nest_deeper(data, limit):
        return None
    depth = 0
    for event in yaml.parse(data, Loader=_SafeLoader):
        if isinstance(event, _OPEN_EVENTS):
            depth += 1
            if depth > limit:
                return event.start_mark, f"nested more than {limit} levels deep", ""
        elif isinstance(event, _CLOSE_EVENTS):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            name = str(event.anchor)
            if len(name) > NAME_CHARS:
                name = name[: NAME_CHARS - 1] + "…"
            hint = " (reader never writes them: write each value out in full)"
            return event.start_mark, f"YAML aliases (*{name}) are not accepted", hint
    return None


#: What libyaml takes for line breaks: columns count again from 0 after them.
_BREAKS = "\r\n\x85\u2028\u2029"
#: Characters that may stand before a block collection's first token on its line (indentation,
#: the indicators of compact nesting "- ", "? ", ": ", a byte-order mark libyaml skips).
_LEAD = " \t\\-?:\ufeff"
#: What may stand before an alias that a document can hold: a line break or the start, a
#: byte-order mark, an indicator ("- *a", "key: *a", "? *a", "[*a", "{*a", ", *a", "--- *a",
#: "... *a"), then blanks. After anything else a "*" is inside a scalar, a comment, or a
#: syntax error (an alias right after another node or after properties).
_ALIAS_AFTER = re.compile(f"[{_BREAKS}\ufeff.,:?\\-\\[{{][ \t]*\\*")
_ALIAS_FIRST = re.compile("[ \t]*\\*")


def _may_alias(text: str) -> bool:
    """False only where ``text`` holds no alias (a cheap filter before reading events)."""
    return "*" in text and bool(_ALIAS_FIRST.match(text) or _ALIAS_AFTER.search(text))


def _may_nest_deeper(text: str, limit: int) -> bool:
    """False only where ``text`` cannot hold collections nested deeper than ``limit``.

    A block collection nested in another starts further right than it (libyaml's indentation
    stack), except a sequence that is a mapping's value, which may start in the mapping's
    column: so block collections starting in columns 0..C nest at most 2 * (C + 1) deep. One
    starts where its line's leading run of `_LEAD` characters ends, which is at most W, the
    longest such run in the text. Flow collections nest inside block ones, each opened by a
    "[" or "{": at most F of them, F counting those characters. Hence depth <= 2 * (W + 1) + F.
    """
    flow = text.count("[") + text.count("{")
    run = (limit - flow) // 2  # depth <= limit while W < run
    if run <= 0:
        return True
    lead = f"[{_LEAD}]{{{run}}}"  # compiled once per length: re caches patterns
    return bool(re.match(lead, text) or re.search(f"[{_BREAKS}]{lead}", text))


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "syntax error"
    if mark is not None:
        return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"
    return str(problem)

"""Untrusted YAML (front matter, metadata.yaml) through PyYAML's safe loader, never raising.

Kept apart from articles.py so that PyYAML (~10 ms to import) is loaded only when some YAML
has to be parsed: a start on a folder whose listing is cached parses none.
"""

from __future__ import annotations

from typing import Any

import yaml

#: YAML collections nested deeper than this are refused before a document is built from them:
#: building one recurses (libyaml overflows the C stack: a crash) in time growing with the
#: square of the depth.
MAX_YAML_DEPTH = 64
_OPEN_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, except that an impossible date ("2024-02-30") stays a string instead
    of raising ValueError. A subclass: PyYAML's own loaders are left as they are."""


def _lenient_timestamp(loader: Any, node: yaml.Node) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)


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
    for values such as ``!!int abc`` or ``!!bool maybe``, and deep nesting is refused first."""
    try:
        if _nesting_exceeds(data, MAX_YAML_DEPTH):
            return None, f"nested more than {MAX_YAML_DEPTH} levels deep"
        return yaml.load(data, Loader=_Loader), None
    except yaml.YAMLError as exc:
        return None, _yaml_problem(exc)
    except RecursionError:
        return None, "nested too deeply"
    except Exception as exc:  # noqa: BLE001 - constructors raise ValueError, KeyError, ...
        return None, f"bad value: {_one_line(str(exc))[:120]}"


def _nesting_exceeds(data: str | bytes, limit: int) -> bool:
    """True if collections nest deeper than ``limit`` (flow "[[[..." or block "- - - ...").

    Read from the parser's events, stopping at the first one too deep: libyaml parses
    iteratively, while composing a document recurses in C (a crash, not an exception, for
    "- " * 100000) and takes time growing with the square of the depth."""
    depth = 0
    for event in yaml.parse(data, Loader=_SafeLoader):
        if isinstance(event, _OPEN_EVENTS):
            depth += 1
            if depth > limit:
                return True
        elif isinstance(event, _CLOSE_EVENTS):
            depth -= 1
    return False


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "syntax error"
    if mark is not None:
        return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"
    return str(problem)


def _one_line(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in text)

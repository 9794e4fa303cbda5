"""YAML in and out of reader: our dumpers and loader, never PyYAML's global state. No Textual
here.

Writing goes through our own SafeDumper subclass (the C one when libyaml is there): keys in the
order given, Unicode as it is, any string exact (the styles of `_represent_str`), no aliases,
and what a terminal must not receive escaped (`_escape_unsafe`). Reading uses safe loaders
only, so ``!!python/...`` tags are refused, and aliases and collections nested too deep are
refused before a document is built (`safe_yaml.refusal`: a few KB of aliases stand for
millions of entries).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from reader.exchange.quoting import label, shown
from reader.gc_pause import paused
from reader.safe_yaml import lenient, refusal
from reader.text import untrusted

#: Strings longer than this (or with line breaks) are written as literal blocks when lossless:
#: long quotes read best as blocks, while titles and short quotes stay on their key's line.
BLOCK_AFTER = 160


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's when available) for import files. A typed scalar that does
    not convert (an impossible date, an int of more digits than Python reads, ``!!bool x``)
    stays text: the entry holding it is then refused with a reason, instead of the whole file
    failing with a ValueError. A key given twice in one mapping is an error (PyYAML keeps the
    last: the file would say two things, and the import do one), and so is a merge key
    ("<<", which copies fields from another mapping). A subclass: PyYAML's own loaders are
    left as they are."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, str]] = set()
        for key, _ in node.value:
            if key.tag == "tag:yaml.org,2002:merge":  # "<<": fields from elsewhere
                raise yaml.constructor.ConstructorError(
                    None, None, "YAML merge keys (<<) are not accepted (reader never writes "
                    "them: write each field out in full)", key.start_mark
                )  # fmt: skip
            if isinstance(key, yaml.ScalarNode):
                if (key.tag, key.value) in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"found the key {shown(key.value)} twice", key.start_mark
                    )
                seen.add((key.tag, key.value))
        return super().construct_mapping(node, deep=deep)


for _kind in ("timestamp", "int", "float", "bool"):
    Loader.add_constructor(f"tag:yaml.org,2002:{_kind}", lenient(f"construct_yaml_{_kind}"))


# --- YAML writing ----------------------------------------------------------------------------

#: Characters PyYAML's pure emitter treats as line breaks or a BOM in plain, single-quoted and
#: block styles (with allow_unicode it writes NEL raw and it reads back as a line break):
#: strings holding them are always double-quoted, where they are escaped.
_ESCAPE_ALWAYS = frozenset("\x85\u2028\u2029\ufeff")
#: Plain strings a YAML 1.2 reader would take for a number, boolean or null (PyYAML, which
#: follows YAML 1.1, writes "1e3" unquoted): quoted so that every reader sees a string.
_YAML12_SPECIAL = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
    r"|0o[0-7]+|0x[0-9a-fA-F]+|true|True|TRUE|false|False|FALSE|null|Null|NULL|~"
)


_ESCAPE_RE = re.compile("[" + "".join(sorted(_ESCAPE_ALWAYS)) + "]")
#: What a literal block cannot hold exactly: control characters but the newline (tabs too),
#: characters that are always escaped, surrogates, U+FFFE/U+FFFF, a space ending a line.
_NOT_LITERAL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]| \n| \\Z"
)


def _literal_ok(text: str) -> bool:
    """Text a literal block holds exactly: printable, no tabs, no trailing spaces on a line."""
    return _NOT_LITERAL.search(text) is None


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if _ESCAPE_RE.search(value) or (not value.isascii() and untrusted.UNSAFE.search(value)):
        style = '"'  # escaped there (see `_escape_unsafe` for what YAML would write raw)
    elif ("\n" in value or len(value) > BLOCK_AFTER) and _literal_ok(value):
        style = "|"  # the emitter still falls back to quotes where a block cannot hold it
    elif _YAML12_SPECIAL.fullmatch(value):
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class PureDumper(yaml.SafeDumper):
    """PyYAML's pure-Python safe dumper with our string styles, never writing an alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


PureDumper.add_representer(str, _represent_str)

if hasattr(yaml, "CSafeDumper"):

    class CDumper(yaml.CSafeDumper):  # type: ignore[name-defined,misc]
        """libyaml's safe dumper with our string styles, never writing an alias."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    CDumper.add_representer(str, _represent_str)
    Dumper: type = CDumper
else:  # pragma: no cover - libyaml missing
    Dumper = PureDumper


OPTIONS: dict[str, Any] = {
    "sort_keys": False,
    "allow_unicode": True,
    "default_flow_style": False,
    "width": 1 << 30,  # never fold lines: long strings are blocks or stay on one line
}


def dump_yaml(doc: Any, *, dumper: type | None = None) -> str:
    """``doc`` as YAML text (keys in the given order, Unicode as is, any string exact, no
    aliases), through our dumper (libyaml's emitter when available)."""
    with paused():
        return _escape_unsafe(yaml.dump(doc, Dumper=dumper or Dumper, **OPTIONS))


def _escape_unsafe(text: str) -> str:
    """YAML text with the characters a terminal must not receive as they are (bidi controls,
    invisible format characters: `untrusted.UNSAFE`) written as escapes: YAML counts them as
    printable and writes them raw, even in double quotes. `_represent_str` puts every string
    holding one in double quotes, where ``\u202e`` reads back as the character itself, so the
    text `cat` or a pager shows cannot be reordered or hidden by it."""
    if text.isascii():
        return text
    return untrusted.UNSAFE.sub(_escape_char, text)


def _escape_char(match: Any) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def load_yaml(text: str, source: str) -> tuple[Any, str | None]:
    """(the document, None), or (None, why ``text`` is not a YAML document reader reads: a
    line naming ``source`` and the place)."""
    try:
        refused = refusal(text)
        if refused:
            return None, f"{source}: {refused}"
        with paused():
            return yaml.load(text, Loader=Loader), None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        return None, f"{source}: {where}not valid YAML: {exc.problem or exc.context}"
    except yaml.YAMLError as exc:
        return None, f"{source}: not valid YAML: {label(str(exc))}"
    except RecursionError:
        return None, f"{source}: not valid YAML: nested too deeply"
    except UnicodeEncodeError as exc:  # text given as str, with a lone surrogate
        return None, f"{source}: not valid Unicode (a lone surrogate at {exc.start})"

"""A generator of hostile article folders (issue 6): every kind of file users bring in.

`make_hostile_corpus(folder)` writes one file per kind into ``folder`` (created if needed) and
returns ``{article id: Expectation}``: whether reader opens the file (and its exact body, or a
property of it) or lists it with a one-line reason holding certain words. Nothing large is
committed: the 20 MB case has its own function, `make_huge_article`.

Planted markers (``PWNED-...``) sit inside the terminal control sequences, so that a test can
tell the sequences that came from article text apart from the terminal's own.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: The words in planted control sequences; none of them may reach a terminal as control.
MARKER = "PWNED"

#: The body of the "changed while shown" article after it was changed on disk.
CHANGED_BODY = "A line added above.\nThe changed article: its quote survives the edit.\n"


@dataclass(frozen=True)
class Expectation:
    kind: str  # what the file is, in words
    file: str  # its name in the folder
    opens: bool
    body: str | None = None  # the exact body, where it is known
    check: Callable[[str], bool] | None = None  # else a property of the body
    reason: tuple[str, ...] = ()  # words the one-line reason holds (listed, not opened)
    warning: tuple[str, ...] = ()  # words one of the article's warnings holds
    span: tuple[int, int] | None = None  # a passage worth tagging (holds the hostile text)
    title: str | None = None  # the expected metadata title, where there is one
    encoding: str | None = None
    unreadable: bool = False  # chmod 000: root reads it anyway, so tests deny it by patching
    while_shown: str | None = None  # "delete" / "change": done to the file while it is shown

    def body_ok(self, body: str) -> bool:
        if self.body is not None and body != self.body:
            return False
        return self.check is None or self.check(body)

    def tag_span(self, body: str) -> tuple[int, int] | None:
        """The span to tag in ``body``: the planted passage, else the first 60 characters."""
        if self.span is not None:
            return self.span
        if not body:
            return None
        return (0, min(len(body), 60))


# --- the texts ------------------------------------------------------------------------------

MARKUP = (
    "Markup that must stay text: [bold red]x[/] and [link=file:///etc/passwd]a link[/link], "
    "[@click=app.quit]click to quit[/], a stray [/] closing tag, an escaped \\[bold] one, "
    "[reverse on red]reversed[/reverse on red] and [blink]blink[/blink].\n"
    "Second paragraph: [b]not bold[/b] {braces} $variable ${dollar} <b>html</b> &amp;.\n"
)

CSI = (
    "Clear: \x1b[2J" + MARKER + "-CLEAR and home \x1b[H" + MARKER + "-HOME, "
    "colour \x1b[31;1m" + MARKER + "-RED\x1b[0m, cursor \x1b[10;10H" + MARKER + "-MOVE, "
    "alternate screen \x1b[?1049l" + MARKER + "-ALT, erase \x1b[K, reset \x1bc" + MARKER + "-RIS.\n"
    "Plain text after the sequences.\n"
)

OSC_TITLE = (
    "Window title with BEL: \x1b]0;"
    + MARKER
    + "-TITLE-0\x07 and with ST: \x1b]2;"
    + MARKER
    + "-TITLE-2\x1b\\ and a hyperlink \x1b]8;;http://evil.example/"
    + MARKER
    + "-LINK\x1b\\text\x1b]8;;\x1b\\ end.\n"
)

#: OSC 52 sets the clipboard; the payload is base64 of "PWNED-CLIPBOARD rm -rf ~".
OSC52 = (
    "Clipboard: \x1b]52;c;UFdORUQtQ0xJUEJPQVJEIHJtIC1yZiB+\x07 and again with ST "
    "\x1b]52;p;UFdORUQtQ0xJUEJPQVJEIHJtIC1yZiB+\x1b\\ done.\n"
)

CONTROLS = (
    "Bell " + MARKER + "-BEL\x07, backspace " + MARKER + "-BS\x08\x08\x08, "
    "NUL " + MARKER + "-NUL\x00, C1 CSI " + MARKER + "-C1\x9b2J, NEL\x85, "
    "DEL " + MARKER + "-DEL\x7f, vertical tab\x0b, form feed\x0c, a lone ESC \x1b, "
    "shift out\x0e shift in\x0f, bare CR\rover-written.\n"
    "Second line after the controls, long enough that a stray NUL or two stays text.\n" * 2
)

ACCENTED = (
    "Le président a déclaré « nous exigeons » : 12 morts à Caracas, naïveté, où, élève, "
    "garçon, Müller, Ångström, ñandú, façade.\n"
)
CP1252 = "„Anführungszeichen“ — 12 € für ‚Oliven‘ … Œuvre, Šárka, ™ ‰ •\n" + ACCENTED
UNICODE_SAMPLE = "Unicode: é, 中文, Ελληνικά, кириллица and 🙂 in mostly Latin text, as news is.\n"
CYRILLIC = "Президент заявил, что 12 человек погибли в Каракасе. Требования оппозиции.\n" * 4

CJK = (
    "中文：联合国人权事务高级专员办事处表示，至少有十二人死亡。\n"
    "日本語：国連は「深刻な懸念」を表明した。ｶﾀｶﾅ　全角スペース。\n"
    "한국어: 유엔은 12명이 사망했다고 밝혔다.\n"
)

EMOJI = (
    "Family 👨‍👩‍👧‍👦, rainbow flag 🏳️‍🌈, flags 🇺🇦🇵🇸🇮🇱🇻🇪, skin tone 👍🏽, keycap 1️⃣, "
    "woman scientist 👩🏾‍🔬, text vs emoji ☺︎ ☺️, a lone regional indicator 🇦 and a ZWJ‍alone.\n"
)

BIDI = (
    "Arabic: قالت منظمة العفو الدولية إن 12 شخصا قتلوا. "
    "Hebrew: הארגון דרש חקירה עצמאית.\n"
    "Trojan source: access\u202e \u2066// check if admin\u2069 \u2066level\u202c and "
    "\u2067isolate\u2069 \u2068first strong\u2069 \u200emark\u200f \u061calm \u202aLRE\u202c "
    "\u202bRLE\u202c \u202dLRO\u202c.\n"
)

ZALGO = (
    "Combining: e\u0301 vs é, n\u0303, a\u030a, Hangul jamo \u1100\u1161\u11a8.\n"
    "Zalgo: Z\u0351\u0360\u0315\u0314a\u0344\u0350\u0342\u0300l\u0350\u0346\u0314\u0352g"
    + "\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309" * 8
    + "o\u0489\u0489\u0489 done.\n"
)

INVISIBLE = (
    "Zero\u200bwidth space, soft\u00adhyphen, no\u00a0break space, narrow\u202fno-break, "
    "word\u2060joiner, zero\ufeffwidth no-break, line\u2028separator, para\u2029separator, "
    "ideographic\u3000space, en\u2002em\u2003space.\n"
)

LONG_LINE = "Start of a very long line \x1b]0;" + MARKER + "-LONG\x07 " + "word " * 19_990
LONG_LINE = LONG_LINE + "x" * (100_000 - len(LONG_LINE) - 4) + " end"

BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16


# --- the generator ------------------------------------------------------------------------


def _at(body: str, needle: str, length: int | None = None) -> tuple[int, int]:
    start = body.index(needle)
    return start, start + (len(needle) if length is None else length)


def make_hostile_corpus(folder: Path | str) -> dict[str, Expectation]:
    """Write every hostile kind into ``folder``; return {article id: Expectation}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Expectation] = {}

    def text(name: str, kind: str, body: str, *, data: bytes | None = None, **kw) -> None:
        (folder / name).write_bytes(body.encode("utf-8") if data is None else data)
        out[Path(name).stem] = Expectation(kind, name, True, body=body, **kw)

    def refused(name: str, kind: str, reason: tuple[str, ...], data: bytes | None = None) -> None:
        if data is not None:
            (folder / name).write_bytes(data)
        out[Path(name).stem] = Expectation(kind, name, False, reason=reason)

    # markup and terminal control
    text("markup.txt", "Rich/Textual markup", MARKUP, span=_at(MARKUP, "[bold red]x[/]"))
    text("ansi-csi.txt", "ANSI CSI sequences", CSI, span=_at(CSI, "\x1b[2J", 40))
    text(
        "osc-title.txt",
        "OSC 0/2 window title, OSC 8",
        OSC_TITLE,
        span=_at(OSC_TITLE, "\x1b]0;", 30),
    )
    text("osc52-clipboard.txt", "OSC 52 clipboard", OSC52, span=_at(OSC52, "\x1b]52;", 40))
    text(
        "c0-c1-controls.txt",
        "BEL, BS, NUL, C1, DEL, VT, FF, lone ESC, CR",
        CONTROLS,
        span=_at(CONTROLS, "Bell", 60),
    )

    # encodings
    latin = ACCENTED * 4
    text("latin-1.txt", "latin-1", latin, data=latin.encode("latin-1"), warning=("decoded as",))
    text(
        "cp1252.txt",
        "cp1252",
        CP1252 * 3,
        data=(CP1252 * 3).encode("cp1252"),
        warning=("decoded as",),
        span=(0, 20),
    )
    sample = UNICODE_SAMPLE * 3
    for name, codec, bom in (
        ("utf-8-bom", "utf-8", codecs.BOM_UTF8),
        ("utf-16-le-bom", "utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be-bom", "utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le-bom", "utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be-bom", "utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-16-le", "utf-16-le", b""),
        ("utf-16-be", "utf-16-be", b""),
        ("utf-32-le", "utf-32-le", b""),
        ("utf-32-be", "utf-32-be", b""),
    ):
        text(
            f"{name}.txt",
            f"{codec} {'with' if bom else 'without'} BOM",
            sample,
            data=bom + sample.encode(codec),
            encoding=codec,
            span=_at(sample, "é, 中文", 12),
        )
    text(
        "utf-16-le-cyrillic.txt",
        "utf-16-le without BOM, not Latin",
        CYRILLIC,
        data=CYRILLIC.encode("utf-16-le"),
        encoding="utf-16-le",
    )
    good = (ACCENTED * 3).encode("utf-8")
    damaged = good[:30] + b"\xff" + good[30:90] + b"\xc3" + good[90:150] + b"\x80\x80" + good[150:]
    text(
        "invalid-utf-8.txt",
        "invalid UTF-8 bytes in UTF-8 text",
        damaged.decode("utf-8", "replace"),
        data=damaged,
        warning=("invalid", "UTF-8"),
        span=(20, 60),
    )

    # newlines and tabs
    text("crlf.txt", "CRLF newlines", "First line\r\nSecond line\r\n\r\nThird\r\n")
    text("cr-only.txt", "CR-only newlines", "First line\rSecond line\r\rThird\r")
    text("mixed-newlines.txt", "mixed newlines", "unix\nwindows\r\nmac\rnel\x85ls\u2028end\n")
    text("tabs.txt", "tabs", "\tIndented\tcolumns\t\there\n\t\t\tdeep\ttabs\tend\t\n")

    # scripts
    text("cjk.txt", "CJK (double width)", CJK, span=(3, 20))
    text("emoji.txt", "emoji ZWJ sequences, flags", EMOJI, span=_at(EMOJI, "👨‍👩‍👧‍👦", 7))
    text("bidi.txt", "Arabic/Hebrew with bidi controls", BIDI, span=_at(BIDI, "access\u202e", 30))
    text("combining-zalgo.txt", "combining marks, zalgo", ZALGO, span=_at(ZALGO, "Zalgo", 40))
    text("invisible.txt", "ZWSP, soft hyphen, NBSP, separators", INVISIBLE, span=(0, 50))

    # shapes
    text(
        "long-line.txt",
        "a 100,000-character line",
        LONG_LINE,
        check=lambda b: len(b) == 100_000 and "\n" not in b,
        span=(99_900, 100_000),
    )
    text("empty.txt", "an empty file", "")
    text("whitespace-only.txt", "whitespace only", " \t \n\n   \r\n\u00a0\n")
    refused("binary.txt", "binary data", ("binary",), BINARY)
    refused("zeros.txt", "NUL bytes only", ("binary",), b"\x00" * 4096)

    # front matter
    text(
        "broken-front-matter.md",
        "broken YAML front matter",
        "Body after broken front matter.\n",
        data=b"---\ntitle: [unclosed\nauthor: {\n---\nBody after broken front matter.\n",
        warning=("not valid YAML",),
    )
    text(
        "front-matter-only.md",
        "front matter only",
        "",
        data=b"---\ntitle: Only front matter\noutlet: Nowhere\n---\n",
        title="Only front matter",
    )
    marker = folder.parent / f"{folder.name}-python-tag-ran"
    text(
        "python-tag.md",
        "a !!python/object/apply tag",
        "The body of the python tag file.\n",
        data=(
            f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n"
            "The body of the python tag file.\n"
        ).encode(),
        check=lambda _b, m=marker: not m.exists(),
    )
    text(
        "front-matter-controls.md",
        "front matter title with escape sequences",
        "Body of an article whose title holds control sequences.\n",
        data=(
            b'---\ntitle: "\\e]0;' + MARKER.encode() + b'-FM-TITLE\\a [bold]Title[/]"\n'
            b'outlet: "\\e[2J\\e[31m[@click=app.quit]x[/]"\n---\n'
            b"Body of an article whose title holds control sequences.\n"
        ),
        title=f"\x1b]0;{MARKER}-FM-TITLE\x07 [bold]Title[/]",
    )
    text(
        "impossible-date.md",
        "front matter with an impossible date",
        "Body.\n",
        data=b"---\ntitle: Impossible date\ndate: 2024-02-30\n---\nBody.\n",
        title="Impossible date",
        check=lambda _b: True,
    )
    text(
        "bad-scalar-tag.md",
        "front matter with !!int abc and !!bool maybe",
        "Body.\n\n",
        data=b"---\ntitle: !!int abc\nauthor: !!bool maybe\n---\nBody.\n\n",
        warning=("not valid YAML",),
    )
    text(
        "front-matter-not-text.md",
        "front matter values that are not text (binary, list, numbers, 'no')",
        "Body after odd metadata.\n",
        data=(
            b"---\ntitle: !!binary aGVsbG8=\noutlet: [a, list]\nauthor: !!set {x}\n"
            b"date: 2026\nlanguage: no\n---\nBody after odd metadata.\n"
        ),
        warning=("'title' is binary data", "'outlet' is a list", "'author' is a set"),
    )
    deep = "title: " + "[" * 30_000 + "]" * 30_000 + "\n"
    text(
        "deeply-nested-front-matter.md",
        "front matter nested 30,000 deep (a YAML bomb)",
        "Body after a YAML bomb.\n",
        data=f"---\n{deep}---\nBody after a YAML bomb.\n".encode(),
        warning=("front matter",),
    )
    (folder / "metadata.yaml").write_text(
        "tabs.txt:\n"
        '  title: "\\e]2;' + MARKER + '-META-TITLE\\a[link=file:///etc/passwd]Meta[/link]"\n'
        '  outlet: "\\e[2J\\x9b1;1H[@click=app.quit]Outlet[/]"\n'
        "  date: 2024-02-30T99:99\n"
        "cr-only.txt:\n"
        "  date: 2023-02-29\n"
        "crlf.txt:\n"
        "  title: [a, list, not, a, title]\n"
        "  author: !!binary aGVsbG8=\n",
        encoding="utf-8",
    )

    # names
    text("name with spaces.txt", "a name with spaces", "Spaces in the file name.\n")
    text("ünïcødé 名前 🙂.txt", "a unicode name", "Unicode in the file name.\n")
    text(
        "brackets [bold]x[@click=app.quit] (y) {z}.txt",
        "a name with brackets and markup",
        "Brackets in the file name.\n",
    )

    # the file system
    (folder / "x.txt").mkdir()
    refused("x.txt", "a directory named x.txt", ("folder",))
    os.symlink(folder / "nowhere.txt", folder / "broken-link.txt")
    refused("broken-link.txt", "a broken symlink", ("broken link",))
    outside = folder.parent / f"{folder.name}-outside-secret.txt"
    outside.write_text("secret outside the folder\n")
    os.symlink(outside, folder / "outside-link.txt")
    refused("outside-link.txt", "a symlink leading outside the folder", ("outside the folder",))
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")
    for name in ("loop-a.txt", "loop-b.txt"):
        refused(name, "symlinks leading to each other", ("broken link", "loop"))
    with open(folder / "too-large.txt", "wb") as handle:
        handle.truncate(300 * 2**20)  # sparse: takes no room on disk
    refused("too-large.txt", "a 300 MB file", ("too large", "300 MB"))
    os.mkfifo(folder / "fifo.txt")
    refused("fifo.txt", "a FIFO", ("not a regular file",))
    (folder / "unreadable.txt").write_text("You may not read this.\n")
    os.chmod(folder / "unreadable.txt", 0)
    out["unreadable"] = Expectation(
        "a file without read permission",
        "unreadable.txt",
        False,
        reason=("permission denied",),
        unreadable=True,
    )
    text(
        "zz-deleted-while-shown.txt",
        "a file deleted while shown",
        "This file is deleted while reader shows it.\n",
        while_shown="delete",
    )
    text(
        "zz-changed-while-shown.txt",
        "a file changed while shown",
        "The changed article: its quote survives the edit.\n",
        while_shown="change",
        span=(4, 20),
    )
    return out


def make_huge_article(folder: Path | str, megabytes: int = 20) -> tuple[str, int]:
    """Write ``huge.txt`` of about ``megabytes`` MB of paragraphs with hostile bits in them;
    return (its id, the body length)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paragraph = (
        "Paragraph with [bold]markup[/], \x1b[2J escapes, 中文 wide text, 👨‍👩‍👧 emoji, "
        "e\u0301 combining and \u202ebidi\u202c controls. " * 4 + "\n\n"
    )
    repeat = megabytes * 1024 * 1024 // len(paragraph.encode("utf-8")) + 1
    # a plain first line: it becomes the title (markup in titles is its own case)
    body = "A twenty megabyte article\n\n" + paragraph * repeat
    (folder / "huge.txt").write_bytes(body.encode("utf-8"))
    return "huge", len(body)


def make_control_names(folder: Path | str) -> dict[str, str]:
    """Files whose names hold control characters or bytes that are not UTF-8:
    {name as listed: what it is}. Kept apart from the main corpus (see test_hostile)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names = {
        f"esc\x1b]0;{MARKER}-NAME\x07.txt": "an escape sequence in the name",
        "new\nline.txt": "a newline in the name",
        "tab\tname.txt": "a tab in the name",
    }
    for name in names:
        (folder / name).write_text("A body.\n")
    raw = os.fsencode(folder) + b"/caf\xe9 latin-1 name.txt"
    with open(raw, "wb") as handle:
        handle.write(b"Latin-1 file name.\n")
    names[os.fsdecode(b"caf\xe9 latin-1 name.txt")] = "a name that is not UTF-8"
    return names


def make_yaml_bombs(folder: Path | str) -> dict[str, str]:
    """YAML that crashed libyaml (C stack overflow, a segfault) or took minutes: a metadata.yaml
    and front matter nested 100,000 and 30,000 levels deep in block style, and 10,000 in flow
    style (within the 64 KB that front matter may take).
    Returns {article id: its body}. Load these in a subprocess: a regression kills it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "metadata.yaml").write_text("- " * 100_000 + "x\n", encoding="utf-8")
    (folder / "block-bomb.md").write_text(
        "---\ntitle:\n" + "- " * 30_000 + "x\n---\nBody after a block bomb.\n", encoding="utf-8"
    )
    (folder / "flow-bomb.md").write_text(
        "---\ntitle: " + "{a: " * 10_000 + "}" * 10_000 + "\n---\nBody after a flow bomb.\n",
        encoding="utf-8",
    )
    return {"block-bomb": "Body after a block bomb.\n", "flow-bomb": "Body after a flow bomb.\n"}


def deny_reads(monkeypatch, expectations: dict[str, Expectation]) -> None:
    """Make ``os.open`` refuse the unreadable files (tests run as root, who may read them)."""
    names = {e.file for e in expectations.values() if e.unreadable}
    real_open = os.open

    def guarded(path, *args, **kwargs):
        if os.path.basename(os.fsdecode(path)) in names:
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)


#: Code that a subprocess runs first, so that it too cannot read the unreadable files.
DENY_PRELUDE = """
import os, sys
_names = set(os.environ.get("READER_TEST_DENY", "").split("/")) - {""}
_real_open = os.open
def _guarded(path, *args, **kwargs):
    if os.path.basename(os.fsdecode(path)) in _names:
        raise PermissionError(13, "Permission denied", os.fsdecode(path))
    return _real_open(path, *args, **kwargs)
os.open = _guarded
"""

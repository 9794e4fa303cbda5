"""Turn the bytes of an article file into text, or say why they are not text. No Textual here.

Order of decisions (issue 3): a byte-order mark decides; else strict UTF-8; else UTF-16/32
without a BOM when the NUL pattern says so; else charset-normalizer limited to plausible
single-byte and CJK encodings; else the file is refused as binary.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

#: Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: What charset-normalizer may choose from: encodings news texts are really found in.
PLAUSIBLE = [
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "mac_roman",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "euc_kr",
]


class NotText(ValueError):
    """The bytes are not text in any encoding we accept; str() is the reason."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    had_bom: bool


def sniff_binary(head: bytes) -> str | None:
    """A reason why ``head`` (the first few KB of a file) is binary, or None if it may be text."""
    if not head:
        return None
    for bom, _ in _BOMS:
        if head.startswith(bom):
            return None
    if _utf16_32_without_bom(head):
        return None
    if b"\x00" in head and not _few_nuls_in_utf8(head, final=False):
        return "binary data (NUL bytes), not text"
    return None


def decode(data: bytes) -> Decoded:
    """Decode article bytes; raise NotText with a one-line reason."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(name), name, True)
            except UnicodeDecodeError as exc:
                reason = f"{exc.reason} at byte {exc.start + len(bom)}"
                raise NotText(
                    f"has a {name} byte-order mark but is not valid {name}: {reason}"
                ) from None
    if b"\x00" in data:
        guess = _utf16_32_without_bom(data)
        if guess:
            try:
                return Decoded(data.decode(guess), guess, False)
            except UnicodeDecodeError:
                pass
        if _few_nuls_in_utf8(data, final=True):
            return Decoded(data.decode("utf-8"), "utf-8", False)
        raise NotText("binary data (NUL bytes), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    return _detect(data)


def _few_nuls_in_utf8(data: bytes, *, final: bool) -> bool:
    """Valid UTF-8 text with a stray NUL or two (shown as a placeholder), not binary data."""
    if data.count(0) > max(1, len(data) // 100):
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _detect(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes  # imported late: it costs ~50 ms

    best = from_bytes(data, cp_isolation=PLAUSIBLE).best()
    if best is None or best.encoding is None:
        raise NotText("not valid UTF-8 and no plausible text encoding fits: binary data?")
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise NotText("binary data (mostly control characters), not text")
    return Decoded(text, best.encoding, False)


def _utf16_32_without_bom(data: bytes) -> str | None:
    """Guess UTF-16/32 without a BOM from where the NUL bytes fall (mostly-Latin text)."""
    sample = data[:4096]
    n = len(sample) - len(sample) % 4
    if n < 8:
        return None
    sample = sample[:n]
    zeros = [sample[i::4].count(0) for i in range(4)]
    quarter = n // 4
    if zeros[1] == zeros[2] == zeros[3] == quarter and zeros[0] < quarter * 0.5:
        return "utf-32-le"
    if zeros[0] == zeros[1] == zeros[2] == quarter and zeros[3] < quarter * 0.5:
        return "utf-32-be"
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = n // 2
    if odd > half * 0.7 and even < half * 0.1:
        return "utf-16-le"
    if even > half * 0.7 and odd < half * 0.1:
        return "utf-16-be"
    return None


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:8192]
    bad = sum(
        1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0x7F <= ord(ch) < 0xA0
    )
    return bad / len(sample)

"""Turn the bytes of an article file into text, or say why they are not text. No Textual here.

Order of decisions (issue 3): a byte-order mark decides; else strict UTF-8; else UTF-16/32
without a BOM when the NUL pattern says so (and the text decodes and reads like text); else
UTF-8 with a few damaged bytes (shown as U+FFFD, counted in `Decoded.replaced`) when valid
multi-byte sequences outnumber them; else charset-normalizer limited to plausible single-byte
and CJK encodings, ties going to the encoding listed first in `PLAUSIBLE`; else the file is
refused as binary.
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
    #: Invalid byte sequences replaced by U+FFFD (damaged UTF-8); 0 for a clean decode.
    replaced: int = 0


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
    return _damaged_utf8(data) or _detect(data)


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 text with a few invalid bytes (a bad copy, a cut download): decoded with U+FFFD
    in their place, when its valid multi-byte characters outnumber the damage. Text in a
    single-byte encoding has many invalid sequences (every accented letter) and few valid ones."""
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    valid = non_ascii - replaced - data.count(b"\xef\xbf\xbd")
    if replaced <= 0 or valid < max(2, 2 * replaced) or _control_ratio(text) > 0.05:
        return None
    return Decoded(text, "utf-8", False, replaced)


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

    results = from_bytes(data, cp_isolation=PLAUSIBLE)
    best = results.best()
    if best is None or best.encoding is None:
        raise NotText("not valid UTF-8 and no plausible text encoding fits: binary data?")
    # charset-normalizer breaks ties by its own order (cp1250 before cp1252, so "naïve" came
    # out as "naďve"): among equally good matches take the one listed first in PLAUSIBLE.
    ties = [
        m
        for m in results
        if m.encoding in PLAUSIBLE
        and m.chaos <= best.chaos + 0.01
        and m.coherence >= best.coherence - 0.01
    ]
    if ties:
        best = min(ties, key=lambda m: PLAUSIBLE.index(m.encoding))
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise NotText("binary data (mostly control characters), not text")
    return Decoded(text, best.encoding, False)


def _utf16_32_without_bom(data: bytes) -> str | None:
    """Guess UTF-16/32 without a BOM from where the NUL bytes fall.

    Mostly-Latin text has a NUL in every other (UTF-16) or three of four (UTF-32) bytes. Other
    scripts leave NULs only where ASCII spaces, digits and punctuation are: then the guess must
    also decode strictly and read like text (spaces, no control characters)."""
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
    guess = None
    if zeros[3] == quarter and zeros[2] >= quarter * 0.9 and zeros[0] < quarter * 0.5:
        guess = "utf-32-le"
    elif zeros[0] == quarter and zeros[1] >= quarter * 0.9 and zeros[3] < quarter * 0.5:
        guess = "utf-32-be"
    elif odd >= half * 0.05 and even <= half * 0.01:
        guess = "utf-16-le"
    elif even >= half * 0.05 and odd <= half * 0.01:
        guess = "utf-16-be"
    return guess if guess and _reads_like_text(sample, guess) else None


def _reads_like_text(sample: bytes, encoding: str) -> bool:
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    if not text or _control_ratio(text) > 0.01:
        return False
    spaces = sum(text.count(ch) for ch in " \n\u3000")
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    return spaces >= len(text) * 0.03 and printable >= len(text) * 0.98


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:8192]
    bad = sum(
        1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0x7F <= ord(ch) < 0xA0
    )
    return bad / len(sample)

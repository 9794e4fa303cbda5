"""The colours of a highlight: a tag's colour blended into the pane's background just far
enough to be seen, and text that stays readable on it, in truecolor and once downgraded to
256 colours (Rich's `Color.downgrade`: pale tints there become greys, often the very grey of
the background). Plain colour arithmetic on RGB triplets; no widget here.
"""

from __future__ import annotations

import math
from functools import lru_cache

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.color_triplet import ColorTriplet

RGB = tuple[int, int, int]

#: Text on a highlight: at least this WCAG contrast ratio (4.5 is AA for body text).
TEXT_CONTRAST = 4.5
#: A highlight differs from the plain background by at least this much (CIE76 delta E).
BACKGROUND_DELTA_E = 22.0
#: In 256 colours a highlight keeps its tag's hue within this many degrees (Lab hue angle).
HUE_DEGREES = 30.0
#: How far the tag colour is blended in: tried from the faintest up.
ALPHAS = tuple(a / 100 for a in range(25, 91, 5))

_BLACK: RGB = (0, 0, 0)
_WHITE: RGB = (255, 255, 255)


def parse(colour: str) -> RGB:
    triplet = RichColor.parse(colour).get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def hex_of(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def blend(a: RGB, b: RGB, alpha: float) -> RGB:
    """``a`` with ``alpha`` of ``b`` mixed in."""
    return (
        round(a[0] + (b[0] - a[0]) * alpha),
        round(a[1] + (b[1] - a[1]) * alpha),
        round(a[2] + (b[2] - a[2]) * alpha),
    )


def eight_bit(rgb: RGB) -> RGB:
    """What a 256-colour terminal shows for ``rgb`` (Rich's downgrade, then the palette)."""
    colour = RichColor.from_triplet(ColorTriplet(*rgb)).downgrade(ColorSystem.EIGHT_BIT)
    t = colour.get_truecolor()
    return (t.red, t.green, t.blue)


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance."""

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _lab(rgb: RGB) -> tuple[float, float, float]:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e(a: RGB, b: RGB) -> float:
    """CIE76 colour difference (about 2.3: just noticeable; over 20: clearly another colour)."""
    la, lb = _lab(a), _lab(b)
    return sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5


def _hue_kept(tint: RGB, target: RGB) -> bool:
    """Whether ``tint`` in 256 colours keeps the hue of ``target`` (within HUE_DEGREES): the
    6x6x6 cube is coarse near black, where blue and green tints both become teal. A target
    with little colour of its own (a grey custom tag) has no hue to keep."""
    _, ta, tb = _lab(target)
    if math.hypot(ta, tb) < 15:
        return True
    _, la, lb = _lab(eight_bit(tint))
    if math.hypot(la, lb) < 8:
        return False
    turn = abs(math.degrees(math.atan2(lb, la) - math.atan2(tb, ta))) % 360
    return min(turn, 360 - turn) <= HUE_DEGREES


def _text_on(tint: RGB, foreground: RGB) -> RGB | None:
    """The text colour for ``tint``: the theme's own if readable, else black or white;
    None when none is readable in truecolor and in 256 colours both."""
    low = eight_bit(tint)
    for text in (foreground, _BLACK, _WHITE):
        if min(contrast(text, tint), contrast(eight_bit(text), low)) >= TEXT_CONTRAST:
            return text
    return None


def text_for(background: RGB, preferred: RGB) -> RGB:
    """``preferred`` if readable on ``background`` (truecolor and 256 colours), else black
    or white, whichever reads better in the worse of the two."""
    found = _text_on(background, preferred)
    if found is not None:
        return found
    low = eight_bit(background)
    return max(
        (_BLACK, _WHITE),
        key=lambda t: min(contrast(t, background), contrast(eight_bit(t), low)),
    )


@lru_cache(maxsize=512)
def highlight(colour: str, background: str, foreground: str) -> tuple[str, str]:
    """(background, text) colours for text under a tag of ``colour`` in a pane of
    ``background`` and ``foreground``: the faintest blend that is seen (in truecolor and
    256 colours) and keeps the text readable. A tag colour too close to the background
    (a custom tag of any hex) is pushed towards the text colour first."""
    back, fore = parse(background), parse(foreground)
    own = parse(colour)
    targets = [blend(own, fore, 0.6), blend(own, fore, 0.85)]
    if delta_e(own, back) >= 2 * BACKGROUND_DELTA_E:
        targets.insert(0, own)
    low_back = eight_bit(back)
    best: tuple[float, RGB, RGB] | None = None
    for target in targets:
        for alpha in ALPHAS:
            tint = blend(back, target, alpha)
            seen = min(delta_e(tint, back), delta_e(eight_bit(tint), low_back))
            text = _text_on(tint, fore)
            if text is not None and seen >= BACKGROUND_DELTA_E and _hue_kept(tint, target):
                return hex_of(tint), hex_of(text)
            score = seen * min(contrast(fore, tint), TEXT_CONTRAST)
            if best is None or score > best[0]:
                black_or_white = max((_BLACK, _WHITE), key=lambda t: contrast(t, tint))
                best = (score, tint, text or black_or_white)
    assert best is not None
    return hex_of(best[1]), hex_of(best[2])

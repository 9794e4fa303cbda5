"""How counts and quotations are worded on the screen and on the command line: "1 match",
"2 matches"; a quotation in “curly marks” without doubling the marks the quote already has."""

from __future__ import annotations

#: marks that close (or open) a quotation already, where a quote starts or ends with one
CLOSING = '”"’»›'
OPENING = '“"‘«‹„'


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun that agrees with it: "1 character", "3 characters", "0 matches"."""
    if n == 1:
        return f"1 {singular}"
    if plural is None:
        plural = singular + ("es" if singular.endswith(("s", "sh", "ch", "x", "z")) else "s")
    return f"{n} {plural}"


def quoted(text: str) -> str:
    """``text`` in “ and ”, leaving out a mark where ``text`` already has one at that end
    (``authorities.”`` is shown “…authorities.”, not “…authorities.””)."""
    opening = "" if text and text[0] in OPENING else "“"
    closing = "" if len(text) > 1 and text[-1] in CLOSING else "”"
    return f"{opening}{text}{closing}"

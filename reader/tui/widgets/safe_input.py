"""An input line whose text never holds what a terminal must not receive.

Textual's ``Input`` draws its value as it is, and a value can come from a paste (an article's
text, with its control characters). Here such characters become the door's placeholders as
they arrive (`untrusted.for_editing`: one character for one, so the cursor stays where it was),
and what is searched for is what is shown.
"""

from __future__ import annotations

from textual.widgets import Input

from reader.text import untrusted


class SafeInput(Input):
    def validate_value(self, value: str) -> str:
        return untrusted.for_editing(value)

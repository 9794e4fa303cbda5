"""Text as reader handles it: the door for untrusted text, graphemes and cell widths, wrapping,
word, sentence and paragraph boundaries. No Textual here."""

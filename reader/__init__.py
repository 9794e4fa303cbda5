"""reader: a keyboard-first terminal app for close reading and tagging of news texts."""

__version__ = "0.1.0"

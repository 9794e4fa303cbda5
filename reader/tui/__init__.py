"""The terminal app: everything that imports Textual lives here."""

"""The articles of a folder: listing, decoding, front matter, metadata, listing cache. No
Textual here."""

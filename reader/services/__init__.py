"""What the app does with the store and the corpus, without a screen: history, ... No Textual
here."""

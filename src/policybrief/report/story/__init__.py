"""What the outputs say: every number, phrase, flag, ranking and table a reader sees.

Computed from the engine's ``Results`` and nothing else (no python-pptx, matplotlib or
XlsxWriter here), so the deck, the brief and the charts cannot disagree: they lay out what
this package words.
"""

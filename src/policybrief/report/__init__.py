"""Output side: ``Results`` -> the deck, the brief, the results workbook, charts and the manifest.

- ``story/``: what the outputs say, worded once per build (``Story``); no renderer imports.
- ``charts/``: every chart in one list (its words and where its drawings live).
- ``deck/``, ``brief/``, ``workbook/``: the renderers, each reading the story.
- ``outputs.py``: the output registry ``build.py`` iterates; ``offload.py`` draws the brief's
  charts and the results workbook in a worker process; ``assets.py`` finds templates;
  ``manifest.py``, ``reproducible.py``, ``palette.py`` and ``xlsx.py`` serve every output.
"""

from __future__ import annotations

__all__: list[str] = []

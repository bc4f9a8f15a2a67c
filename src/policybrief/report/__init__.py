"""Output side: the deck, the brief, the results workbook, charts and the manifest."""

from __future__ import annotations

__all__: list[str] = []

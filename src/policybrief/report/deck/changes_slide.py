"""Main story 10 of the deck: what changed since the last brief (only with a previous build).

A table of the changed inputs, one row per group (its first cell with old -> new, and its
effect on the headline), continued on further slides when long; below it the headline's move,
every target's chance and the fit to history before and after (``Story.changed``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pptx.util import Inches

if TYPE_CHECKING:
    from policybrief.report.deck.canvas import Canvas
    from policybrief.report.story.story import Story

__all__ = ["changes_slides"]

#: Room kept under the table's last part for the headline's move and the chances.
_BELOW = Inches(1.5)


def changes_slides(deck: Canvas, story: Story) -> None:
    """Add the slide(s), or nothing when there is no previous build or nothing changed."""
    changed = story.changed
    if changed is None:
        return
    below = [changed.headline, *changed.chances]
    if not changed.table.rows:
        slide = deck.slide("Title Only", changed.title, below)
        deck.text(slide, deck.content_box(), below, size=16)
        return
    placed = deck.table_slides(changed.title, changed.table, below, font=11, reserve=int(_BELOW))
    slide, bottom = placed[-1]
    left, top, width, height = deck.content_box()
    box = (left, bottom + int(Inches(0.1)), width, max(int(Inches(0.5)), top + height - bottom))
    deck.text(slide, box, below, size=13)

"""Main story 10 of the deck: what changed since the last brief (only with a previous build).

A table of the changed inputs, one row per group (its first cell with old -> new, and its
Shapley share of the headline's move), continued on further slides when long; under it, the
headline's move and each target's chance before and after. The words are
``report.story.changes``'s, the same as the brief's section and ``policybrief diff``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pptx.util import Inches

from policybrief.report.story import changes as words
from policybrief.report.story.tables import Table

if TYPE_CHECKING:
    from policybrief.changes import Changes
    from policybrief.model.results import Results
    from policybrief.report.deck.canvas import Canvas

__all__ = ["changes_slides", "changes_table"]

#: Room kept under the table's last part for the headline's move and the chances.
_BELOW = Inches(1.5)


def changes_table(results: Results, changes: Changes) -> Table:
    """The changed inputs as a deck table (``report.story.changes.group_rows``)."""
    s = results.inputs.settings
    rows = words.group_rows(changes, results.inputs)
    header = ("Changed input", "Cell: old → new", f"Effect on {s.year_label(s.final_year)} exports")
    return Table(header, tuple(rows), (3.0, 4.2, 1.8), left_aligned=(0, 1))


def changes_slides(deck: Canvas, results: Results, changes: Changes | None) -> None:
    """Add the slide(s), or nothing when there is no previous build or nothing changed."""
    if changes is None or not changes.any:
        return
    s = results.inputs.settings
    title = words.slide_title(changes, s)
    below = [
        words.headline_move(changes, s),
        *words.chance_lines(changes),
        *words.fit_lines(changes, s),
    ]
    table = changes_table(results, changes)
    if not table.rows:
        slide = deck.slide("Title Only", title, below)
        deck.text(slide, deck.content_box(), below, size=16)
        return
    placed = deck.table_slides(title, table, below, font=11, reserve=int(_BELOW))
    slide, bottom = placed[-1]
    left, top, width, height = deck.content_box()
    box = (left, bottom + int(Inches(0.1)), width, max(int(Inches(0.5)), top + height - bottom))
    deck.text(slide, box, below, size=13)

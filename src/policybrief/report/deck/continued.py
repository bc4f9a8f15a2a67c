"""Tables that do not fit on one slide continue on the next: "Levers (2 of 3)".

Nothing is dropped. Rows go onto as many slides as their estimated heights need (the header
repeats on each); a table with more columns than are legible side by side (a lever's intensity
in each of 12 scenarios) is split into groups of columns, each repeating the leading ones (the
lever's name and channel). Heights come from ``textfit`` (the wrapped lines of every cell).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from pptx.util import Inches, Pt

from policybrief.report.deck import textfit

if TYPE_CHECKING:
    from policybrief.report.story.tables import Table

__all__ = [
    "CELL_MARGIN_X",
    "CELL_MARGIN_Y",
    "column_groups",
    "fit_widths",
    "pages",
    "row_heights",
]

#: Inner margins of a table cell (``table.add_table`` writes the same), in points.
CELL_MARGIN_X = 4.0
CELL_MARGIN_Y = 2.0
#: Narrowest a repeated column group's value column may be before columns split.
MIN_COLUMN = int(Inches(1.1))
#: Average glyph advance in a cell, in em: table text is short words and figures, narrower
#: than prose (``textfit.CHAR_WIDTH``).
CELL_CHAR_WIDTH = 0.47


def column_widths(table: Table, width: int) -> list[int]:
    """Each column's width (EMU) when ``table`` spans ``width``."""
    total = sum(table.widths)
    widths = [int(width * w / total) for w in table.widths]
    widths[-1] = width - sum(widths[:-1])
    return widths


def fit_widths(table: Table, width: int, font: float) -> Table:
    """``table`` with each column at least as wide as its longest word (bold, for the header),
    taken from the columns that have room to spare, so no word breaks across lines
    ("Confidenc/e" in a narrow 4:3 column). Unchanged when the words cannot all fit."""
    widths = column_widths(table, width)
    needed = [
        int(Pt(max(len(word) for text in column for word in (text.split() or [""]))
               * 0.6 * font + 2 * CELL_MARGIN_X + 1))
        for column in zip(table.header, *table.rows, strict=True)
    ]  # fmt: skip
    short = {c: n - w for c, (n, w) in enumerate(zip(needed, widths, strict=True)) if n > w}
    if not short:
        return table
    spare = {c: w - n for c, (n, w) in enumerate(zip(needed, widths, strict=True)) if w > n}
    missing, room = sum(short.values()), sum(spare.values())
    if missing > room:
        return table
    new = [
        needed[c] if c in short else w - spare.get(c, 0) * missing / room
        for c, w in enumerate(widths)
    ]
    return replace(table, widths=tuple(w / width for w in new))


def row_heights(table: Table, width: int, font: float, *, minimum: int = 0) -> list[int]:
    """Estimated height (EMU) of the header and of each row, at least ``minimum``."""
    widths = column_widths(table, width)
    heights = []
    for row in (table.header, *table.rows):
        lines = max(
            textfit.line_count(
                text, textfit.points(w) - 2 * CELL_MARGIN_X, font, char_width=CELL_CHAR_WIDTH
            )
            for text, w in zip(row, widths, strict=True)
        )
        needed = int(Pt(lines * textfit.LINE_HEIGHT * font + 2 * CELL_MARGIN_Y + 1))
        heights.append(max(needed, minimum))
    return heights


def pages(
    table: Table, width: int, height: int, font: float, *, minimum: int = 0, reserve: int = 0
) -> list[Table]:
    """``table`` cut into tables that each fit ``height`` (EMU), every one with the header.

    The last one also leaves ``reserve`` free under it (for text about the table). The note
    goes with the last page; flagged rows keep their flags. A single row taller than the page
    still gets a page of its own.
    """
    heights = row_heights(table, width, font, minimum=minimum)
    header, rows = heights[0], heights[1:]
    chunks: list[list[int]] = [[]]
    used = header
    for i, h in enumerate(rows):
        if chunks[-1] and used + h > height:
            chunks.append([])
            used = header
        chunks[-1].append(i)
        used += h
    if reserve and used + reserve > height and len(chunks[-1]) > 1:
        # the last page must leave the reserve free: its later half (or as much as fits
        # above the reserve) moves to a page of its own
        tail = chunks[-1]
        cut = len(tail) // 2
        while cut < len(tail) - 1 and header + sum(rows[i] for i in tail[cut:]) > height - reserve:
            cut += 1
        chunks[-1:] = [tail[:cut], tail[cut:]]
    return [_page(table, chunk, n == len(chunks) - 1) for n, chunk in enumerate(chunks)]


def _page(table: Table, chunk: list[int], last: bool) -> Table:
    """The rows ``chunk`` of ``table`` (consecutive indexes), with the note if ``last``."""
    first = chunk[0] if chunk else 0
    return replace(
        table,
        rows=tuple(table.rows[i] for i in chunk),
        note=table.note if last else "",
        flagged=tuple(i - first for i in table.flagged if i in chunk),
    )


def column_groups(table: Table, keep: int, width: int) -> list[Table]:
    """``table`` split so each part's value columns (after the first ``keep``, repeated in
    every part) are at least ``MIN_COLUMN`` wide across ``width``."""
    lead = sum(table.widths[:keep])
    each = table.widths[keep] if len(table.widths) > keep else 1.0
    values = len(table.header) - keep
    if values <= 1:
        return [table]
    # value columns that fit: lead + n * each spread over width, each at least MIN_COLUMN
    n = values
    while n > 1 and width * each / (lead + n * each) < MIN_COLUMN:
        n -= 1
    if n >= values:
        return [table]
    n = -(-values // -(-values // n))  # as many groups as needed, of even size
    groups = []
    for start in range(keep, len(table.header), n):
        cols = [*range(keep), *range(start, min(start + n, len(table.header)))]
        groups.append(
            replace(
                table,
                header=tuple(table.header[c] for c in cols),
                rows=tuple(tuple(row[c] for c in cols) for row in table.rows),
                widths=tuple(table.widths[c] for c in cols),
                left_aligned=tuple(i for i, c in enumerate(cols) if c in table.left_aligned),
            )
        )
    return groups

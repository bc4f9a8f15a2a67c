"""How much room text takes on a slide, estimated before it is laid out.

PowerPoint and LibreOffice lay text out themselves; python-pptx cannot measure it. The deck
needs an estimate to choose a font size that fits a box and to decide how many table rows fit
on a slide (the rest continue on the next one). The estimate is deliberately pessimistic: an
average glyph of ``CHAR_WIDTH`` em (Calibri and its LibreOffice stand-in, Liberation Sans /
Carlito, average about 0.47 em on English text) and lines of ``LINE_HEIGHT`` em.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

from pptx.util import Emu, Inches, Pt

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["CHAR_WIDTH", "LINE_HEIGHT", "fit_size", "line_count", "text_height"]

#: Average advance of a character, in em (pessimistic for proportional sans fonts).
CHAR_WIDTH = 0.52
#: Height of one line of text, in em.
LINE_HEIGHT = 1.2
#: A text box's inner margins (python-pptx's defaults: 0.1 in left/right, 0.05 in top/bottom).
BOX_MARGIN_X = int(Inches(0.1))
BOX_MARGIN_Y = int(Inches(0.05))


def line_count(text: str, width_pt: float, size: float, *, char_width: float = CHAR_WIDTH) -> int:
    """Lines ``text`` wraps to in a column ``width_pt`` points wide at ``size`` points."""
    per_line = max(1, math.floor(width_pt / (char_width * size)))
    return sum(
        max(1, len(textwrap.wrap(part, per_line, break_long_words=True)))
        for part in text.replace("\v", "\n").split("\n")
    )


def text_height(
    items: Sequence[str],
    width_pt: float,
    size: float,
    spacing: float = 0.6,
    *,
    char_width: float = CHAR_WIDTH,
) -> float:
    """Points ``items`` take as paragraphs ``size`` points high with ``spacing`` em after each."""
    lines = sum(line_count(item, width_pt, size, char_width=char_width) for item in items)
    return lines * LINE_HEIGHT * size + len(items) * spacing * size


def fit_size(
    items: Sequence[str],
    box: tuple[int, int, int, int],
    largest: float,
    smallest: float,
    *,
    extra_lines: int = 0,
    spacing: float = 0.6,
    char_width: float = CHAR_WIDTH,
) -> float | None:
    """The largest font size (in half points, from ``largest`` down to ``smallest``) at which
    ``items`` fit in ``box`` (EMU), or None when they do not fit even at ``smallest``.

    ``extra_lines`` reserves room for a heading line; ``spacing`` is the space after each
    paragraph (em); ``char_width`` the average glyph (wider for bold).
    """
    _, _, width, height = box
    width_pt = Emu(width - 2 * BOX_MARGIN_X).pt
    height_pt = Emu(height - 2 * BOX_MARGIN_Y).pt
    size = largest
    while size >= smallest:
        needed = text_height(items, width_pt, size, spacing, char_width=char_width)
        needed += extra_lines * LINE_HEIGHT * (size + 2)
        if needed <= height_pt:
            return size
        size -= 0.5
    return None


def points(emu: int) -> float:
    """EMU as points."""
    return float(Emu(emu).pt)


def emu(pt: float) -> int:
    """Points as EMU."""
    return int(Pt(pt))

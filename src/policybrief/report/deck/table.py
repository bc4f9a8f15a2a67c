"""A native PowerPoint table shape for a ``story.tables.Table``: set column widths, small
fonts, a filled header, striped rows and flagged rows highlighted."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.util import Emu, Pt

from policybrief.report import palette
from policybrief.report.deck.chartkit import emu_box
from policybrief.report.deck.continued import fit_widths

if TYPE_CHECKING:
    from policybrief.report.story.tables import Table

__all__ = ["add_table"]

HEADER_FILL = palette.HEADING
STRIPE_FILL = palette.STRIPE
FLAG_FILL = palette.FLAG


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
_LINE_BREAK = re.compile("\n|\v")


def _escape(text: str) -> str:
    """XML-escape ``text``; control characters become ``_xHHHH_`` as python-pptx writes them."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _cell_xml(text: str, align: str, font: str, fill: str, margins: str) -> str:
    """One ``<a:tc>``: what python-pptx writes for ``paragraph.text``, alignment, font and fill.

    Lines (``\n`` or ``\v``) become runs separated by ``<a:br/>``, each run formatted; a cell
    without text carries the font as the paragraph's default run properties.
    """
    runs = "<a:br/>".join(
        f"<a:r>{font.format(tag='rPr')}<a:t>{_escape(line)}</a:t></a:r>" if line else ""
        for line in _LINE_BREAK.split(text)
    )
    if "<a:r>" in runs:
        ppr = f'<a:pPr algn="{align}"/>'
    else:
        ppr = f'<a:pPr algn="{align}">{font.format(tag="defRPr")}</a:pPr>'
    return (
        f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/><a:p>{ppr}{runs}</a:p>'
        f'</a:txBody><a:tcPr {margins}><a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>'
        "</a:tcPr></a:tc>"
    )


def add_table(
    slide: Any,
    box: tuple[int, int, int, int],
    table: Table,
    *,
    font_size: float = 11,
    row_height: int | None = None,
) -> Any:
    """Add ``table`` to ``slide`` inside ``box`` with set column widths and small fonts.

    The cells are written as XML in one go: setting margins, text, font and fill through
    python-pptx's properties cost ~1 ms a cell (~0.25 s for the deck's four tables).
    """
    left, top, width, height = box
    table = fit_widths(table, width, font_size)  # no word breaks across lines
    n_rows = len(table.rows) + 1
    row_h = row_height or min(height // n_rows, Emu(Pt(font_size * 2.4)))
    frame = slide.shapes.add_table(
        n_rows, len(table.header), *emu_box((left, top, width, row_h * n_rows))
    )
    shape: Any = frame.table
    total = sum(table.widths)
    widths = [int(width * w / total) for w in table.widths]
    widths[-1] = width - sum(widths[:-1])
    for column, w in zip(shape.columns, widths, strict=True):
        column.width = Emu(w)
    size = Pt(font_size).centipoints
    fonts = [
        f'<a:{{tag}} sz="{size}" b="{int(bold)}"><a:solidFill><a:srgbClr val="{colour}"/>'
        "</a:solidFill></a:{tag}>"
        for bold, colour in ((False, palette.TEXT), (True, palette.WHITE))
    ]
    side, edge = Emu(Pt(4)), Emu(Pt(2))
    margins = f'marL="{side}" marR="{side}" marT="{edge}" marB="{edge}"'
    aligns = ["l" if c in table.left_aligned else "r" for c in range(len(table.header))]
    rows = []
    for r, values in enumerate((table.header, *table.rows)):
        if r == 0:
            fill = HEADER_FILL
        else:
            fill = (
                FLAG_FILL if r - 1 in table.flagged else (STRIPE_FILL if r % 2 else palette.WHITE)
            )
        cells = "".join(
            _cell_xml(text, align, fonts[r == 0], fill, margins)
            for text, align in zip(values, aligns, strict=True)
        )
        rows.append(f'<a:tr h="{Emu(row_h)}">{cells}</a:tr>')
    tbl = shape._tbl  # python-pptx has no public handle on the rows' XML
    for tr in tbl.tr_lst:
        tbl.remove(tr)
    tbl.extend(parse_xml(f"<a:tbl {nsdecls('a')}>{''.join(rows)}</a:tbl>").tr_lst)
    return frame

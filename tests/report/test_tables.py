"""Deck tables: the cell XML written in one go reads back like python-pptx's own."""

from __future__ import annotations

from pptx import Presentation
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from policybrief.report.deck.table import FLAG_FILL, HEADER_FILL, add_table
from policybrief.report.story.tables import Table

TABLE = Table(
    header=("Lever & cost", "<Central>"),
    rows=(("R&D <credit>", "a\x07b"), ("two\nlines", ""), ("third", "x")),
    widths=(2.0, 1.0),
    flagged=(1,),
)


def _cells():
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    frame = add_table(slide, (Inches(1), Inches(1), Inches(6), Inches(3)), TABLE, font_size=10)
    table = frame.table
    return [[table.cell(r, c) for c in range(2)] for r in range(len(TABLE.rows) + 1)]


def test_table_cells_read_back_with_their_text_escaped_as_python_pptx_does() -> None:
    cells = _cells()
    assert [[c.text for c in row] for row in cells] == [
        ["Lever & cost", "<Central>"],
        # python-pptx writes (and reads back) a control character as its _xHHHH_ escape.
        ["R&D <credit>", "a_x0007_b"],
        ["two\vlines", ""],
        ["third", "x"],
    ]


def test_every_line_of_a_cell_gets_the_table_font_and_rows_their_fill() -> None:
    cells = _cells()
    header_runs = [run for c in cells[0] for run in c.text_frame.paragraphs[0].runs]
    assert all(run.font.bold and run.font.size == Pt(10) for run in header_runs)
    two_lines = cells[2][0].text_frame.paragraphs[0].runs
    assert len(two_lines) == 2
    assert all(run.font.size == Pt(10) and run.font.bold is False for run in two_lines)
    assert str(cells[0][0].fill.fore_color.rgb) == HEADER_FILL
    assert str(cells[2][1].fill.fore_color.rgb) == FLAG_FILL
    assert cells[2][1].text_frame.paragraphs[0].font.size == Pt(10)
    assert cells[1][0].text_frame.paragraphs[0].alignment == PP_ALIGN.LEFT
    assert cells[1][1].text_frame.paragraphs[0].alignment == PP_ALIGN.RIGHT

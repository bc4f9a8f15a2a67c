"""Slide primitives for the deck: geometry, titled slides with notes and footer, text, tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Inches, Pt

from policybrief.report.deck import continued as deck_tables
from policybrief.report.deck import textfit
from policybrief.report.deck.chartkit import emu_box, rgb
from policybrief.report.deck.table import add_table
from policybrief.report.palette import HEADING, MUTED, TEXT
from policybrief.report.story import tables

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT

    from policybrief.report.story.story import Story

__all__ = ["Canvas"]

#: Smallest font a text box shrinks to before points move to the speaker notes only.
MIN_TEXT = 10


class Canvas:
    """A presentation being filled: slide geometry, titled slides with notes and footer, text
    boxes and fitted tables. Sizes follow the template's slide size (16:9 or 4:3)."""

    def __init__(
        self,
        prs: PresentationT,
        layouts: dict[str, Any],
        story: Story,
    ) -> None:
        self.prs = prs
        self.layouts = layouts
        self.story = story
        self.r = results = story.results
        self.info = story.info
        self.s = results.inputs.settings
        self.label = self.s.currency_label
        width = prs.slide_width or Inches(13.333)
        height = prs.slide_height or Inches(7.5)
        self.width, self.height = int(width), int(height)
        self.margin = int(Inches(0.5))
        self.top = int(height * 0.19)
        self.bottom = int(height - Inches(0.6))

    # -- geometry -----------------------------------------------------------------------
    def content_box(self, share: float = 1.0, *, right: bool = False) -> tuple[int, int, int, int]:
        """A box under the title: the left ``share`` of the width (or the right rest)."""
        usable = self.width - 2 * self.margin
        gap = int(Inches(0.3))
        left_w = int(usable * share) if share < 1 else usable
        if right:
            return (
                self.margin + left_w + gap,
                self.top,
                usable - left_w - gap,
                self.bottom - self.top,
            )
        return self.margin, self.top, left_w, self.bottom - self.top

    # -- slide primitives ---------------------------------------------------------------
    def slide(self, layout: str, title: str, notes: list[str]) -> Any:
        slide = self.prs.slides.add_slide(self.layouts[layout])
        if slide.shapes.title is not None:
            shape = slide.shapes.title
            shape.text = title
            self._inside(shape)
            largest = 40 if layout == "Title Slide" else 26
            box = (shape.left, shape.top, shape.width, shape.height)
            size = textfit.fit_size([title], box, largest, 14, spacing=0, char_width=0.58) or 14
            for p in slide.shapes.title.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(size)
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
        self.footer(slide)
        return slide

    def _inside(self, shape: Any) -> None:
        """Narrow a placeholder that a template made wider than its slide (a 16:9 layout in a
        deck set to 4:3) so its text wraps on the slide instead of running off it."""
        left, top, width, height = shape.left, shape.top, shape.width, shape.height
        if None in (left, top, width, height) or left + width <= self.width:
            return
        # all four at once: setting one on an inheriting placeholder zeroes the others
        shape.left, shape.top, shape.height = left, top, height
        shape.width = max(int(Inches(1)), self.width - left - self.margin)

    def footer(self, slide: Any) -> None:
        layout_footer = next(
            (
                ph
                for ph in slide.slide_layout.placeholders
                if ph.placeholder_format.type == PP_PLACEHOLDER.FOOTER
            ),
            None,
        )
        if layout_footer is not None:
            slide.shapes.clone_placeholder(layout_footer)
            shape = slide.placeholders[layout_footer.placeholder_format.idx]
            self._inside(shape)
        else:
            shape = slide.shapes.add_textbox(
                *emu_box(
                    (
                        self.margin,
                        self.height - int(Inches(0.45)),
                        self.width - 2 * self.margin,
                        int(Inches(0.3)),
                    )
                )
            )
            shape.name = "Footer"
        shape.text_frame.text = self.info.footer
        for run in shape.text_frame.paragraphs[0].runs:
            run.font.size = Pt(10)
            run.font.color.rgb = rgb(MUTED)

    def text(
        self,
        slide: Any,
        box: tuple[int, int, int, int],
        items: list[str],
        *,
        size: float = 14,
        heading: str = "",
        bullets: bool = True,
        smallest: float = MIN_TEXT,
    ) -> None:
        """A text box of ``items`` (paragraphs) at ``size`` points, or smaller down to
        ``smallest`` so that all fit in ``box`` (see ``_fitted``)."""
        items, size = _fitted(box, items, size, heading=heading, bullets=bullets, smallest=smallest)
        shape = slide.shapes.add_textbox(*emu_box(box))
        frame = shape.text_frame
        frame.word_wrap = True
        first = True
        if heading:
            p = frame.paragraphs[0]
            p.text = heading
            p.runs[0].font.bold = True
            p.runs[0].font.size = Pt(size + 2)
            p.runs[0].font.color.rgb = rgb(HEADING)
            first = False
        for item in items:
            p = frame.paragraphs[0] if first else frame.add_paragraph()
            first = False
            p.text = f"•  {item}" if bullets else item
            p.space_after = Pt(size * 0.6)
            for run in p.runs:
                run.font.size = Pt(size)
                run.font.color.rgb = rgb(TEXT)

    def table_pages(
        self, table: tables.Table, *, font: float = 11, keep: int = 0, reserve: int = 0
    ) -> list[tables.Table]:
        """``table`` cut into the parts that fit one slide each: rows continue on further
        slides, and with ``keep`` the columns after the first ``keep`` are split into groups
        that each repeat those (``deck_tables``); the last part leaves ``reserve`` (EMU) free
        under it, and the note for under it."""
        _, _, width, height = self.content_box()
        note_h = int(Inches(0.35)) if table.note else 0
        parts = deck_tables.column_groups(table, keep, width) if keep else [table]
        return [
            page
            for n, part in enumerate(parts, 1)
            for page in deck_tables.pages(
                deck_tables.fit_widths(part, width, font),
                width,
                height - note_h,
                font,
                minimum=int(Pt(font * 2.2)),
                reserve=reserve if n == len(parts) else 0,
            )
        ]

    def table_slides(
        self,
        title: str,
        table: tables.Table,
        notes: list[str],
        *,
        font: float = 11,
        keep: int = 0,
        reserve: int = 0,
        lead: int = 0,
    ) -> list[tuple[Any, int]]:
        """``table`` on as many slides as ``table_pages`` makes, titled "``title`` (2 of 3)"
        when more than one (``lead`` slides of the same title come before them). Returns each
        slide with the bottom of its table (EMU), for text below."""
        left, top, width, _ = self.content_box()
        minimum = int(Pt(font * 2.2))
        pages = self.table_pages(table, font=font, keep=keep, reserve=reserve)
        total = len(pages) + lead
        out = []
        for n, page in enumerate(pages, lead + 1):
            name = title if total == 1 else f"{title} ({n} of {total})"
            rows = [" | ".join(row) for row in tables.table_rows(page)]
            slide = self.slide("Title Only", name, [*rows, *notes])
            used = sum(deck_tables.row_heights(page, width, font, minimum=minimum))
            add_table(slide, (left, top, width, used), page, font_size=font,
                             row_height=minimum)  # fmt: skip
            bottom = top + used
            if page.note:
                box = (left, bottom + int(Inches(0.05)), width, int(Inches(0.35)))
                self.text(slide, box, [page.note + "."], size=10, bullets=False)
                bottom += int(Inches(0.35))
            out.append((slide, bottom))
        return out


def _fitted(
    box: tuple[int, int, int, int],
    items: list[str],
    size: float,
    *,
    heading: str,
    bullets: bool,
    smallest: float = MIN_TEXT,
) -> tuple[list[str], float]:
    """The items that fit in ``box`` and their font size: from ``size`` down to ``smallest``
    first; trailing items that still do not fit are left to the speaker notes, which carry
    every point of the slide."""
    shown = [f"•  {item}" if bullets else item for item in items]
    smallest = min(size, smallest)
    while len(shown) > 1:
        fit = textfit.fit_size(shown, box, size, smallest, extra_lines=1 if heading else 0)
        if fit is not None:
            return items[: len(shown)], fit
        shown.pop()
    fit = textfit.fit_size(shown, box, size, 7, extra_lines=1 if heading else 0)
    return items[: len(shown)], fit or 7

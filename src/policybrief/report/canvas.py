"""Slide primitives for the deck: geometry, titled slides with notes and footer, text, tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Inches, Pt

from policybrief.report import tables
from policybrief.report.chartkit import emu_box, rgb
from policybrief.report.palette import HEADING, MUTED, TEXT

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT

    from policybrief.model.results import Results
    from policybrief.report.context import BuildInfo

__all__ = ["Canvas"]


class Canvas:
    """A presentation being filled: slide geometry, titled slides with notes and footer, text
    boxes and fitted tables. Sizes follow the template's slide size (16:9 or 4:3)."""

    def __init__(
        self,
        prs: PresentationT,
        layouts: dict[str, Any],
        results: Results,
        info: BuildInfo,
    ) -> None:
        self.prs = prs
        self.layouts = layouts
        self.r = results
        self.info = info
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
            slide.shapes.title.text = title
            size = 26 if len(title) <= 60 else 22 if len(title) <= 80 else 18
            if layout == "Title Slide":
                size = 40 if len(title) <= 50 else 32
            for p in slide.shapes.title.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(size)
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
        self.footer(slide)
        return slide

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
    ) -> None:
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

    def table(self, slide: Any, table: tables.Table, *, font: float = 11) -> None:
        left, top, width, height = self.content_box()
        note_h = int(Inches(0.35)) if table.note else 0
        tables.add_table(slide, (left, top, width, height - note_h), table, font_size=font)
        if table.note:
            self.text(
                slide,
                (left, top + height - note_h, width, note_h),
                [table.note + "."],
                size=10,
                bullets=False,
            )

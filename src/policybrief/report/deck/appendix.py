"""The deck's appendix slides: what matters most (tornado), the talent pipeline, what it would
take, the levers, the assumptions log, and the method and caveats (PRODUCT.md, "Deck").

``deck._Deck`` adds the main story; the levers and assumptions tables continue on further
slides when they do not fit (``Canvas.table_slides``).
"""

from __future__ import annotations

from pptx.util import Inches

from policybrief.report import charts as registry
from policybrief.report.deck import charts
from policybrief.report.deck.canvas import Canvas
from policybrief.report.deck.chartkit import set_alt_text

__all__ = ["Appendix"]


class Appendix(Canvas):
    """The appendix slides, each a method that adds its slide(s)."""

    def tornado(self) -> None:
        lines = self.story.tornado_lines
        slide = self.slide(
            "Title Only", self.story.tornado_title, lines or ["No uncertain inputs."]
        )
        if charts.tornado_chart(slide, self.content_box(0.72), self.r) is None:
            self.text(slide, self.content_box(), ["Every input is fixed: nothing to rank."])
            return
        self.text(slide, self.content_box(0.72, right=True), self.story.tornado_side, size=13)

    def talent(self) -> None:
        note = self.story.emigration_note
        said = [self.story.talent, *([note] if note else [])]
        slide = self.slide("Title Only", "Talent pipeline", [*said, *self.story.talent_lines])
        left = self.content_box(0.58)
        x, y, w, h = self.content_box(0.58, right=True)
        text_h = int(Inches(1.2))
        frames = charts.talent_charts(slide, left, (x, y, w, h - text_h), self.r)
        if len(frames) > 1:
            self.text(slide, (x, y + h - text_h, w, text_h), said, size=12, bullets=False,
                      smallest=9)  # fmt: skip
        else:  # no emigration effect anywhere: the sentence takes the chart's place
            self.text(slide, (x, y, w, h), said, size=14, bullets=False)

    def more_charts(self) -> None:
        """A slide for each chart registered with a native drawing (``report.charts``): its
        title, the chart, and its alt text beside it and in the notes."""
        drawers = {c.name: c.native for c in registry.more_charts()}
        for spec in self.story.more_charts:
            slide = self.slide("Title Only", spec.title, [spec.alt])
            frame = registry.drawing(drawers[spec.name] or "")(
                slide, self.content_box(0.68), self.r
            )
            if frame is not None:
                set_alt_text(frame, spec.alt)
            self.text(slide, self.content_box(0.68, right=True), [spec.alt], size=13)

    def goal_seek(self) -> None:
        table = self.story.goal_seek_table
        notes = self.story.goal_seek
        if not table.rows:
            slide = self.slide(
                "Title Only", "What it would take", ["The workbook sets no targets."]
            )
            self.text(slide, self.content_box(), ["The workbook sets no targets."])
            return
        explain = [self.story.goal_seek_note, *notes]
        pages = self.table_slides(
            "What it would take", table, explain, font=12, reserve=int(Inches(1.6))
        )
        slide, bottom = pages[-1]
        left, _, width, _ = self.content_box()
        gap = int(Inches(0.3))
        self.text(slide, (left, bottom + gap, width, self.bottom - bottom - gap), explain, size=13)

    def levers(self) -> None:
        table = self.story.levers_table
        font = 10 if len(table.rows) > 13 else 11
        title = "Levers: intensity by scenario (annual cost at full ramp)"
        self.table_slides(title, table, [], font=font, keep=2)

    def assumptions(self) -> None:
        table = self.story.assumptions_table
        flagged = [table.rows[i][0] for i in table.flagged]
        notes = ["High-impact, low-confidence: " + ", ".join(flagged) + "."] if flagged else []
        self.table_slides("Assumptions log", table, notes, font=10)

    def glossary(self) -> None:
        """Appendix: the terms the deck uses, in plain words (``report.story.glossary``)."""
        pairs = self.story.terms
        table = self.story.terms_table
        self.table_slides("Terms used", table, [f"{t}: {m}." for t, m in pairs], font=10)

    def assurance(self) -> None:
        """Appendix: the Aqua Book's QA items with their status (``report.story.assurance``)."""
        items = self.story.assurance
        table = self.story.assurance_table
        provenance = self.story.provenance
        notes = [f"{i.item}: {i.status}. {i.evidence}." for i in items]
        placed = self.table_slides("Assurance", table, [*notes, provenance], font=10,
                                   reserve=int(Inches(0.6)))  # fmt: skip
        slide, bottom = placed[-1]
        left, _, width, _ = self.content_box()
        box = (left, bottom + int(Inches(0.1)), width, int(Inches(0.5)))
        self.text(slide, box, [provenance], size=10, bullets=False)

    def method(self) -> None:
        method = self.story.method
        caveats = self.story.caveats
        slide = self.slide("Title Only", "Method and caveats", [*method, *caveats])
        # every point of the method and the caveats stays on the slide: smaller type if need be
        self.text(slide, self.content_box(0.5), method, size=12, heading="Method", smallest=8)
        self.text(slide, self.content_box(0.5, right=True), caveats, size=12, heading="Caveats",
                  smallest=8)  # fmt: skip

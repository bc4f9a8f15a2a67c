"""The PowerPoint deck: seventeen slides of native charts, tables and generated text, one more
("What changed since the last brief") once a previous build exists, and more when a table
continues ("Levers (2 of 3)", ``Canvas.table_slides``).

Layouts are looked up by name ("Title Slide", "Title and Content", "Title Only") so an
organisation's branded template can be dropped in; ``report.deck.template`` opens the template
safely, finds the layouts and removes the sample slides it carries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pptx.util import Inches, Pt

from policybrief.report import assets
from policybrief.report.deck import analysis_charts, charts
from policybrief.report.deck.appendix import Appendix
from policybrief.report.deck.changes_slide import changes_slides
from policybrief.report.deck.table import add_table
from policybrief.report.deck.template import LAYOUTS, open_template
from policybrief.report.deck.waterfall import WATERFALL_COLUMNS, WATERFALL_LABEL, waterfall_chart
from policybrief.report.story import tables
from policybrief.report.story.story import Story
from policybrief.report.story.titles import headline_attribution

if TYPE_CHECKING:
    from pathlib import Path

    from pptx.presentation import Presentation as PresentationT

    from policybrief.model.results import Results
    from policybrief.report.context import BuildInfo

__all__ = ["LAYOUTS", "write_deck"]

#: Targets whose chances fit beside the other columns of the scenario comparison.
COMPARISON_TARGETS = 3


def write_deck(
    results: Results,
    info: BuildInfo,
    path: Path,
    *,
    template: bytes | None = None,
    template_name: str = "deck template",
    story: Story | None = None,
) -> None:
    """Write the deck for ``results`` to ``path``: seventeen slides, more when tables continue
    or a previous build exists.

    Parameters
    ----------
    results
        What the engine computed.
    info
        Build provenance: footer text and build date.
    path
        Where to write the ``.pptx``.
    template
        Bytes of a ``.pptx`` template (``report.assets.find_template`` finds the one to use);
        defaults to the copy shipped in the package.
    template_name
        How messages name the template file.
    story
        The build's story (``report.story.story``), shared with the brief; made from
        ``results`` and ``info`` when not given.

    Raises
    ------
    TemplateError
        When the template is not a safe, readable presentation, lacks a layout the deck
        needs, or links to outside files (``report.deck.template``); nothing is written.
    """
    data = assets.shipped_template(assets.DECK) if template is None else template
    prs, layouts = open_template(data, template_name)
    deck = _Deck(prs, layouts, Story(results, info) if story is None else story)
    deck.build()
    _set_properties(prs, results, info)
    prs.save(str(path))


def _set_properties(prs: PresentationT, results: Results, info: BuildInfo) -> None:
    s = results.inputs.settings
    props = prs.core_properties
    when = info.build_time.replace(tzinfo=None)  # python-pptx writes naive times as UTC ("Z")
    props.title = s.title
    props.subject = s.subtitle
    props.author = s.author or s.organisation
    props.last_modified_by = "policybrief"
    props.comments = info.footer
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = when


class _Deck(Appendix):
    """The seventeen slides (some continued), in order: the main story, then the appendix."""

    # -- the seventeen slides ------------------------------------------------------------
    def build(self) -> None:
        for make in (
            self.title_slide,
            self.key_messages,
            self.outlook,
            self.uncertainty,
            self.comparison,
            self.waterfall,
            self.cheapest,
            self.depends,
            self.backtest,
            self.what_changed,
            self.tornado,
            self.talent,
            self.more_charts,
            self.goal_seek,
            self.levers,
            self.assumptions,
            self.method,
            self.glossary,
            self.assurance,
        ):
            make()

    def title_slide(self) -> None:
        s = self.s
        date = self.info.build_time.strftime("%d %B %Y").lstrip("0")
        slide = self.slide(
            "Title Slide",
            s.title,
            [
                f"{s.title}. {s.subtitle}".strip(),
                f"Prepared by {s.organisation} on {date}.",
                f"Built from {self.info.footer}.",
            ],
        )
        lines = [x for x in (s.subtitle, s.organisation, s.author, date) if x]
        body = next(
            (ph for ph in slide.placeholders if ph.placeholder_format.idx == 1),
            None,
        )
        if body is not None:
            body.text_frame.text = lines[0]
            for line in lines[1:]:
                body.text_frame.add_paragraph().text = line
        else:
            self.text(slide, self.content_box(), lines, bullets=False, size=18)

    def key_messages(self) -> None:
        items = self.story.key_messages
        caveat = self.story.caveat
        slide = self.slide("Title Only", "Key messages", [*items, *([caveat] if caveat else [])])
        chars = sum(len(i) for i in items) + (len(caveat) if caveat else 0)
        size = 20 if chars < 800 else 18 if chars < 1000 else 16 if chars < 1200 else 14
        # every key message stays on the slide: smaller type if need be
        if caveat is None:
            self.text(slide, self.content_box(), items, size=size, smallest=9)
            return
        left, top, width, height = self.content_box()
        note_h = int(height * 0.2)
        self.text(slide, (left, top, width, height - note_h), items, size=size, smallest=9)
        self.text(slide, (left, top + height - note_h, width, note_h), [caveat], size=12,
                  bullets=False, smallest=8)  # fmt: skip

    def outlook(self) -> None:
        points = [self.story.outlook, self.story.growth, *self.story.target_lines]
        slide = self.slide("Title Only", self.story.outlook_title, points)
        versus = self.story.headline_versus
        side = [self.story.growth, *([versus] if versus else []), *self.story.target_lines_short]
        if not charts.crowded_legend(self.r):
            charts.outlook_chart(slide, self.content_box(0.68), self.r)
            self.text(slide, self.content_box(0.68, right=True), side, size=13)
            return
        # Many or long scenario names: a full-width chart (legend at its right), text below.
        left, top, width, height = self.content_box()
        text_h = int(Inches(1.3))
        charts.outlook_chart(slide, (left, top, width, height - text_h), self.r)
        self.text(slide, (left, top + height - text_h, width, text_h), side, size=12)

    def uncertainty(self) -> None:
        target = self.story.target
        side = [self.story.band_line, *([target] if target else [])]
        slide = self.slide(
            "Title Only", self.story.uncertainty_title, [*side, *self.story.method[2:4]]
        )
        charts.fan_chart(slide, self.content_box(0.68), self.r)
        self.text(slide, self.content_box(0.68, right=True), side, size=13)

    def comparison(self) -> None:
        table = self.story.comparison_table
        cost = [self.story.cost(sc) for sc in self.r.scenarios]
        below = [self.story.comparison_note, *cost[:4]]
        reserve = int(Inches(1.5))
        # many targets: the columns continue on a further slide, the scenario names repeated
        keep = 1 if len(self.r.targets) > COMPARISON_TARGETS else 0
        pages = self.table_slides(
            "Scenario comparison", table, [*below, *cost], reserve=reserve, keep=keep
        )
        slide, bottom = pages[-1]
        gap = int(Inches(0.2))
        left, _, width, _ = self.content_box()
        self.text(slide, (left, bottom + gap, width, self.bottom - bottom - gap), below, size=13)

    def waterfall(self) -> None:
        att = headline_attribution(self.r)
        title = self.story.waterfall_title
        if att is None:
            said = [self.story.no_gain]
            slide = self.slide("Title Only", title, said)
            self.text(slide, self.content_box(), said)
            return
        slide = self.slide(
            "Title Only",
            title,
            [*self.story.waterfall_lines, f"Method: Shapley attribution ({att.method})."],
        )
        ranked = sorted(att.contributions, key=lambda c: -abs(c[1]))[:3]
        side = [self.story.contribution(lever, v) for lever, v in ranked]
        side.append(f"Shapley attribution ({att.method}): the bars sum to the total change.")
        across = len(att.contributions) > WATERFALL_COLUMNS
        if across and max(len(att.scenario), len(self.s.baseline_scenario)) > WATERFALL_LABEL:
            side.insert(0, f"From {self.s.baseline_scenario} (top bar) to {att.scenario} (bottom).")
        # Many levers run down the slide (horizontal bars): the chart gets more of the width.
        share = 0.72 if len(att.contributions) <= WATERFALL_COLUMNS else 0.66
        waterfall_chart(slide, self.content_box(share), self.r)
        self.text(slide, self.content_box(share, right=True), side, size=13)

    def cheapest(self) -> None:
        """Main story 7: the cost–exports frontier and the cheapest package per target."""
        said = self.story.cheapest
        table = self.story.cheapest_table
        rows = [" | ".join(r) for r in tables.table_rows(table)] if table else []
        title = "Cheapest way to the targets"
        left, top, width, height = self.content_box()
        # The table shares the slide unless the chart's legend needs the room: then it follows.
        apart = table is not None and (charts.crowded_legend(self.r) or len(table.rows) > 3)
        parts = len(self.table_pages(table, font=10)) + 1 if table is not None and apart else 1
        slide = self.slide(
            "Title Only", title + (f" (1 of {parts})" if apart else ""), [*said, *rows]
        )
        chart_h = int(height * (0.6 if table and not apart else 1.0))
        frame = analysis_charts.frontier_chart(
            slide, (left, top, int(width * 0.58), chart_h), self.r
        )
        side_box = (left + int(width * 0.6), top, int(width * 0.4), chart_h)
        self.text(slide, side_box if frame is not None else (left, top, width, chart_h), said,
                  size=12)  # fmt: skip
        if table is None:
            return
        if apart:
            self.table_slides(title, table, said, font=10, lead=1)
            return
        rows_h = int(Pt(11 * 2.2)) * (len(table.rows) + 1)
        box = (left, top + chart_h + int(Inches(0.1)), width, rows_h)
        add_table(slide, box, table, font_size=10)

    def depends(self) -> None:
        """Main story 8: what the decision depends on (Sobol) and must be true (PRIM)."""
        said = [x for x in (self.story.depends,) if x]
        boxes = self.story.discovery
        note = (
            "Sobol indices sample every input independently (the workbook's correlations are "
            "not applied here)."
            if self.r.correlations
            else ""
        )
        slide = self.slide(
            "Title Only",
            "What the decision depends on",
            [*said, *boxes, *([note] if note else []), *self.story.sobol_lines],
        )
        frame = analysis_charts.sobol_chart(slide, self.content_box(0.55), self.r)
        side = [*said, *boxes] or ["No input is uncertain: nothing to rank."]
        if note:
            side.append(note)
        box = self.content_box(0.55, right=True) if frame is not None else self.content_box()
        self.text(slide, box, side, size=12)

    def what_changed(self) -> None:
        """Main story 10, only when a previous build exists (``report.deck.changes_slide``)."""
        changes_slides(self, self.story)

    def backtest(self) -> None:
        """Main story 9: does the model reproduce history? Chart, fit table and verdict."""
        said = self.story.validation
        caveat = self.story.caveat_here
        verdict = [caveat] if caveat else []
        slide = self.slide(
            "Title Only", "Does the model reproduce history?", [*verdict, *said] or ["Not run."]
        )
        table = self.story.backtest_table
        if table is None:
            self.text(slide, self.content_box(), said, size=16)
            return
        left, top, width, height = self.content_box()
        chart_h = int(height * 0.56)
        chart_box = (left, top, int(width * 0.6), chart_h)
        analysis_charts.backtest_chart(slide, chart_box, self.r)
        side = verdict or said[:1]
        side_box = (left + int(width * 0.62), top, int(width * 0.38), chart_h)
        self.text(slide, side_box, [*side, *said[3:4]], size=12)
        rows_h = int(Pt(11 * 2.2)) * (len(table.rows) + 1)
        add_table(
            slide, (left, top + chart_h + int(Inches(0.15)), width, rows_h), table, font_size=11
        )

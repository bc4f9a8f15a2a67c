"""Every chart of a build in one list: its words, its PNG for the brief, its native deck chart.

``CHARTS`` says which charts exist and in which order the brief shows them. Each ``Chart``
names its words (a title and an alt text that states its key number, so the deck and the brief
read correctly without images) and where its drawings live, as ``"module:function"`` so this
list imports neither matplotlib nor python-pptx (the brief's charts are drawn in a worker
process, ``report.offload``).

**Adding a chart to the deck and the brief** is one module and one line:

1. ``report/charts/<name>.py`` (importing ``Column`` and ``Figures``, if it needs them, from
   ``report.charts.chart``, not from this package, which imports the module) with four
   functions: ``title(results) -> str``,
   ``alt(results) -> str``, ``png(results, ax)`` (draws on a matplotlib ``Axes``; the figure,
   fonts, title and PNG are the brief's) and ``native(slide, box, results)`` (adds an editable
   python-pptx chart inside ``box`` and returns its graphic frame). Import python-pptx,
   matplotlib and their kits inside the drawing functions (``report.deck.chartkit``:
   ``chart_data`` keeps text in the chart's embedded workbook inert, ``add_chart`` sets the
   deck's fonts and legend; ``report.brief.figures.kit``: axes formats); take words from
   ``report.story`` and colours from ``report.palette``.
2. One ``Chart`` in ``CHARTS`` below, with ``native`` set.

A chart that shows figures the results workbook does not hold yet (every number the deck and
the brief state must trace to it) also gets a ``figures(results) -> Figures`` function, named
in its ``Chart``: its rows go to a sheet of their own, ``Chart <name>``, after the others.

It is then drawn as ``charts/<name>.png``, gets a slide of its own in the deck's appendix (its
title, the chart, its alt text beside it and in the notes) and a section of the brief's
"More charts" (the shipped template lists them; a template you write yourself does so with
``{% for c in more_charts %}``). A title that does not depend on the results takes
``_results``. Then check the house rules the tests hold every chart to: each number the alt
text states must be a figure the results workbook holds (``tests/numbertrace.py``), and the
chart must stay legible with 12 scenarios and 60-character names (``tests/report/
test_layout.py`` and ``test_figure_labels.py``; wrap long labels with
``report.brief.figures.kit.wrap``, and let ``native`` drop data labels when crowded). The
main story's charts have no ``native`` here: their slides lay them out with their sentences
and tables (``report.deck.slides``, ``report.deck.appendix``), and the template places them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from policybrief.report.charts.chart import KIND_FORMAT, Chart, Column, Figures
from policybrief.report.story import chart_words as words
from policybrief.report.story.chart_words import ChartSpec

if TYPE_CHECKING:
    from collections.abc import Callable

    from policybrief.model.results import Results

__all__ = [
    "CHARTS",
    "KIND_FORMAT",
    "Chart",
    "Column",
    "Figures",
    "chart_specs",
    "drawing",
    "figure_sheets",
    "more_charts",
    "sheet_name",
]

_FIGURES = "policybrief.report.brief.figures"


def _fixed(title: str) -> Callable[[Results], str]:
    return lambda _results: title


#: Every chart, in the order the brief shows them.
CHARTS: tuple[Chart, ...] = (
    Chart("outlook", _fixed("Export outlook"), words.outlook_alt, f"{_FIGURES}.paths:outlook"),
    Chart(
        "fan",
        lambda results: f"Uncertainty: {results.headline.name}",
        words.fan_alt,
        f"{_FIGURES}.paths:fan",
    ),
    Chart(
        "waterfall",
        _fixed("Where the gain comes from"),
        words.waterfall_alt,
        f"{_FIGURES}.bars:waterfall",
    ),
    Chart(
        "frontier",
        _fixed("Cheapest way to the targets"),
        words.frontier_alt,
        f"{_FIGURES}.frontier:frontier",
    ),
    Chart(
        "sobol", _fixed("What the decision depends on"), words.sobol_alt, f"{_FIGURES}.bars:sobol"
    ),
    Chart(
        "backtest",
        _fixed("Does the model reproduce history?"),
        words.backtest_alt,
        f"{_FIGURES}.paths:backtest",
    ),
    Chart("tornado", _fixed("What matters most"), words.tornado_alt, f"{_FIGURES}.bars:tornado"),
    Chart(
        "workforce", _fixed("Talent pipeline"), words.workforce_alt, f"{_FIGURES}.paths:workforce"
    ),
)


def chart_specs(results: Results) -> tuple[ChartSpec, ...]:
    """Every chart's name, title and alt text for ``results``, in ``CHARTS`` order."""
    return tuple(ChartSpec(c.name, c.title(results), c.alt(results)) for c in CHARTS)


def more_charts() -> tuple[Chart, ...]:
    """The charts with a slide of their own and a section in "More charts"."""
    return tuple(c for c in CHARTS if c.native is not None)


def drawing(where: str) -> Any:
    """The function ``"package.module:function"`` names (imported on first use)."""
    module, _, name = where.partition(":")
    return getattr(importlib.import_module(module), name)


def sheet_name(chart: Chart) -> str:
    """The results workbook's sheet of a chart's figures: ``Chart <name>`` (31 characters at
    most, as Excel allows)."""
    return f"Chart {chart.name}"[:31]


def figure_sheets(results: Results) -> list[tuple[str, Figures]]:
    """Every registered chart's own figures, with the sheet they go to, in ``CHARTS`` order."""
    return [(sheet_name(c), drawing(c.figures)(results)) for c in CHARTS if c.figures is not None]

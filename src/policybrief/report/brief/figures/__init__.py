"""PNG charts for the Markdown brief (the deck draws native, editable charts instead).

Where things are:

- ``registry.py`` draws every chart of ``report.charts.CHARTS`` (which charts exist, their
  order, titles, alt texts and drawing functions) to PNG (``render_charts``, ``write_charts``,
  ``draw_figure``);
- ``paths.py`` draws the charts over the years (outlook, fan, workforce, backtest);
- ``bars.py`` draws the bar charts (waterfall, tornado, Sobol indices);
- ``frontier.py`` draws the cost–exports frontier;
- ``kit.py`` holds the shared figure setup: size, fonts, margins, axes, label wrapping and
  the reproducible PNG encoder. Colours come from ``report/palette.py``, as the deck's do.

matplotlib is imported inside the drawing functions, not at module level: the brief needs the
charts' titles and alt texts (``report.charts.chart_specs``) without paying for matplotlib, and the build draws the
charts in a worker process (``report/offload.py``; ``warm_up`` loads matplotlib there while
the engine runs).
"""

from __future__ import annotations

from policybrief.report.brief.figures.kit import RC
from policybrief.report.brief.figures.registry import (
    CHART_NAMES,
    draw_figure,
    render_charts,
    save_charts,
    warm_up,
    write_charts,
)
from policybrief.report.charts import chart_specs
from policybrief.report.story.chart_words import ChartSpec

__all__ = [
    "CHART_NAMES",
    "RC",
    "ChartSpec",
    "chart_specs",
    "draw_figure",
    "render_charts",
    "save_charts",
    "warm_up",
    "write_charts",
]

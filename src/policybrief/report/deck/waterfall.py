"""The waterfall chart of the deck: from the baseline to the headline, one bar per lever.

A native stacked chart (python-pptx): an invisible base series carries each bar to the level
where the previous one ended; increases, decreases and the two totals are coloured series with
value labels. Up to ``WATERFALL_COLUMNS`` levers it stands in columns; beyond, it runs down
the slide so that each lever's short name has a line of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Pt

from policybrief.report.deck.chartkit import (
    AXIS_FORMAT,
    add_chart,
    category_axis,
    chart_data,
    hide_legend_entries,
    nice_floor,
    rgb,
    set_alt_text,
    value_axis,
)
from policybrief.report.palette import GAIN, INK, LOSS, TOTAL, WHITE
from policybrief.report.story.formatting import money, signed_money
from policybrief.report.story.labels import change_label, scenario_ref
from policybrief.report.story.titles import headline_attribution

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policybrief.model.results import Attribution, Results

    Box = tuple[int, int, int, int]
    Values = Sequence[float | None]

__all__ = ["WATERFALL_COLUMNS", "WATERFALL_LABEL", "waterfall_chart"]


#: With more levers than this the waterfall runs down the slide (horizontal bars), so each
#: label has a line of its own instead of a column too narrow for it.
WATERFALL_COLUMNS = 6
#: Longest scenario name on a waterfall bar label (a derived short name is at most 28).
WATERFALL_LABEL = 30


def waterfall_chart(slide: Any, box: Box, results: Results) -> Any:
    """Waterfall from the baseline to the headline: invisible base, rises, falls, totals.

    Columns for up to ``WATERFALL_COLUMNS`` levers; beyond, horizontal bars read from the
    baseline at the top to the headline at the bottom. Levers are named by their short names
    (``labels.change_label``), never cut. Returns None when the headline is the baseline.
    """
    s = results.inputs.settings
    attribution = headline_attribution(results)
    if attribution is None:
        return None
    across = len(attribution.contributions) > WATERFALL_COLUMNS
    cats = [_end_label(s.baseline_scenario, "Baseline") if across else s.baseline_scenario]
    base: list[float | None] = [None]
    rise: list[float | None] = [None]
    fall: list[float | None] = [None]
    total: list[float | None] = [attribution.baseline_value]
    level = attribution.baseline_value
    for lever_id, value in attribution.contributions:
        cats.append(change_label(results, s.headline_scenario, lever_id, short=True))
        after = level + value
        base.append(min(level, after))
        rise.append(value if value >= 0 else None)
        fall.append(-value if value < 0 else None)
        total.append(None)
        level = after
    cats.append(_end_label(s.headline_scenario, "Headline") if across else s.headline_scenario)
    for column in (base, rise, fall):
        column.append(None)
    total.append(attribution.scenario_value)
    columns = (base, rise, fall, total)
    if across:  # bar charts draw the first category at the bottom: baseline on top
        cats.reverse()
        for column in columns:
            column.reverse()
    data = chart_data(AXIS_FORMAT)
    data.categories = cats
    for name, column in zip(("Base", "Increase", "Decrease", "Total"), columns, strict=True):
        data.add_series(name, column)
    kind = XL_CHART_TYPE.BAR_STACKED if across else XL_CHART_TYPE.COLUMN_STACKED
    frame, chart = add_chart(slide, kind, box, data)
    _style_waterfall(chart, results, attribution, base)
    if across:  # colours and signed value labels say it; LibreOffice mislabels this legend
        chart.has_legend = False
    gain = attribution.scenario_value - attribution.baseline_value
    year = s.year_label(s.final_year)
    set_alt_text(
        frame,
        f"Waterfall chart: {year} exports go from {money(attribution.baseline_value, s.currency_label)} "
        f"under {s.baseline_scenario} to {money(attribution.scenario_value, s.currency_label)} under "
        f"{scenario_ref(s.headline_scenario)} ({signed_money(gain, s.currency_label)}), one bar "
        "per lever.",
    )
    return frame


def _end_label(name: str, role: str) -> str:
    """The baseline's or headline's bar label down a waterfall: one line, as every label there
    must be (LibreOffice hides every other label when one is taller than a row), so a long
    name gives way to its role (the slide's title and text name the scenario)."""
    return name if len(name) <= WATERFALL_LABEL else f"{role} scenario"


def _style_waterfall(chart: Any, results: Results, attribution: Attribution, base: Values) -> None:
    """Axes, colours and value labels of the waterfall; the base series is invisible."""
    s = results.inputs.settings
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.overlap = 100
    value_axis(chart, f"{s.year_label(s.final_year)} exports ({s.currency_label})")
    category_axis(chart)
    # LibreOffice hides every other label rather than let them touch: small enough for all
    chart.category_axis.tick_labels.font.size = Pt(9 if len(base) <= 14 else 8)
    lows = [v for v in (*base, attribution.baseline_value, attribution.scenario_value) if v]
    floor = min(lows) if lows else 0.0
    if floor > 0.3 * max(attribution.baseline_value, attribution.scenario_value):
        # Start the axis near the smallest level so lever bars are visible, not slivers.
        chart.value_axis.minimum_scale = nice_floor(0.9 * floor)
    series = list(plot.series)
    series[0].format.fill.background()
    series[0].format.line.fill.background()
    for ser, colour, fmt, ink in (
        (series[1], GAIN, "+#,##0", INK),
        (series[2], LOSS, "-#,##0", INK),
        (series[3], TOTAL, "#,##0", WHITE),
    ):
        ser.format.fill.solid()
        ser.format.fill.fore_color.rgb = rgb(colour)
        labels = ser.data_labels
        labels.show_value = True
        labels.number_format = fmt
        labels.number_format_is_linked = False
        labels.font.size = Pt(10 if len(base) <= 14 else 8)
        labels.font.bold = True
        labels.font.color.rgb = rgb(ink)
    hide_legend_entries(chart, [0])

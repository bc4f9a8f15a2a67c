"""Native deck charts of the v2 analyses: the test against history, the Sobol indices and the
cost–exports frontier (``charts.py`` holds the outlook, fan, waterfall, tornado and talent
charts). Each builder adds one chart inside a box and returns its graphic frame with alt text,
or None when there is nothing to draw (the slide then says why in words).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from pptx.util import Pt

from policybrief.report.deck.chartkit import (
    AXIS_FORMAT,
    TARGET_MARKERS,
    add_chart,
    category_axis,
    chart_data,
    crowded_years,
    hide_legend_entries,
    line_style,
    markers_only,
    rgb,
    set_alt_text,
    value_axis,
    xy_chart_data,
)
from policybrief.report.deck.charts import crowded_legend, legend_name
from policybrief.report.palette import (
    BAND,
    FRONTIER,
    HEADLINE,
    HISTORY,
    hindcast_colour,
    results_colours,
)
from policybrief.report.story.formatting import money
from policybrief.report.story.labels import axis_label, quantity_label, wrap_label

if TYPE_CHECKING:
    from policybrief.model.results import Results

    Box = tuple[int, int, int, int]

__all__ = ["backtest_chart", "frontier_chart", "sobol_chart"]


def backtest_chart(slide: Any, box: Box, results: Results) -> Any | None:
    """Recorded exports against each hindcast's central path and P10–P90 band (thin, dashed).

    Returns None when the validation did not run (the slide then says why in words).
    """
    v = results.validation
    if v is None or v.skipped or not v.hindcasts:
        return None
    s = results.inputs.settings
    recorded = {h.year: h.exports for h in results.inputs.history}
    recorded[s.base_year] = results.inputs.parameter("exports_base").central
    first = min(h.start_year for h in v.hindcasts)
    years = list(range(first, s.base_year + 1))
    data = chart_data(AXIS_FORMAT)
    data.categories = [s.year_label(y) for y in years]
    data.add_series("Recorded", [recorded.get(y) for y in years])
    for h in v.hindcasts:
        pad = [None] * (h.start_year - first)
        data.add_series(f"Model from {s.year_label(h.start_year)}", [*pad, *h.central])
        data.add_series(f"P10 from {s.year_label(h.start_year)}", [*pad, *h.p10])
        data.add_series(f"P90 from {s.year_label(h.start_year)}", [*pad, *h.p90])
    frame, chart = add_chart(slide, XL_CHART_TYPE.LINE_MARKERS, box, data)
    value_axis(chart, f"IT exports ({s.currency_label})")
    category_axis(chart)
    crowded_years(chart, len(years))
    series = list(chart.plots[0].series)
    markers_only(series[0], HISTORY, TARGET_MARKERS[0])
    for i in range(len(v.hindcasts)):
        colour = hindcast_colour(i)
        line_style(series[1 + 3 * i], colour, 2.5)
        line_style(series[2 + 3 * i], colour, 1.0, dash=True)
        line_style(series[3 + 3 * i], colour, 1.0, dash=True)
    hide_legend_entries(chart, [j for i in range(len(v.hindcasts)) for j in (2 + 3 * i, 3 + 3 * i)])
    chart._chartSpace.chart.find(qn("c:dispBlanksAs")).set("val", "gap")
    head = v.hindcasts[0]
    set_alt_text(
        frame,
        f"Line chart of recorded exports {s.year_label(first)}–{s.year_label(s.base_year)} against the "
        f"model run from {', '.join(s.year_label(h.start_year) for h in v.hindcasts)} with "
        f"P10–P90 bands (dashed); from {s.year_label(head.start_year)} the model reaches "
        f"{money(head.central[-1], s.currency_label)} against "
        f"{money(recorded[s.base_year], s.currency_label)} recorded.",
    )
    return frame


def sobol_chart(slide: Any, box: Box, results: Results, top: int = 10) -> Any | None:
    """Horizontal bars: total and first-order Sobol indices of the headline's gain (or exports
    when the gain cannot vary), the ``top`` inputs, largest on top."""
    gain = [r for r in results.sobol if r.output == "gain"]
    rows = (
        gain
        if any(r.total > 0 for r in gain)
        else [r for r in results.sobol if r.output == "exports"]
    )
    rows = sorted(rows, key=lambda r: -r.total)[:top]
    if not rows or rows[0].total <= 0:
        return None
    output = rows[0].output
    rows.reverse()  # bar charts draw the first category at the bottom
    data = chart_data("0%")
    data.categories = [wrap_label(axis_label(results, r.parameter), 30) for r in rows]
    data.add_series("Total index", [r.total for r in rows])
    data.add_series("First-order index", [r.first_order for r in rows])
    frame, chart = add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, box, data)
    plot = chart.plots[0]
    plot.gap_width = 60
    year = results.inputs.settings.year_label(results.inputs.settings.final_year)
    what = f"{year} gain over {results.baseline.name}" if output == "gain" else f"{year} exports"
    value_axis(chart, f"Share of the variance of the {what}", "0%")
    category_axis(chart)
    for ser, colour in zip(plot.series, (HEADLINE, BAND), strict=True):
        ser.format.fill.solid()
        ser.format.fill.fore_color.rgb = rgb(colour)
    best = rows[-1]
    set_alt_text(
        frame,
        f"Bar chart of total Sobol indices of the {what}: "
        f"{quantity_label(results, best.parameter, width=200)} has the largest, {best.total:.0%}.",
    )
    return frame


def frontier_chart(slide: Any, box: Box, results: Results) -> Any | None:
    """The cost–exports frontier as a line, every scenario as a labelled point (XY scatter)."""
    fr = results.frontier
    if fr is None or not fr.points:
        return None
    s = results.inputs.settings
    data = xy_chart_data()
    line = data.add_series("Best package for each budget", number_format=AXIS_FORMAT)
    for p in fr.points:
        line.add_data_point(p.pv_cost, p.exports)
    colours = results_colours(results)
    for sc in results.scenarios:
        series = data.add_series(legend_name(results, sc.name), number_format=AXIS_FORMAT)
        series.add_data_point(sc.pv_cost, float(sc.central["exports"][-1]))
    frame, chart = add_chart(slide, XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS, box, data)
    if crowded_legend(results):
        chart.legend.font.size = Pt(8)
    value_axis(chart, f"{s.year_label(s.final_year)} exports, central ({s.currency_label})")
    axis = chart.category_axis
    axis.has_title = True
    axis.axis_title.text_frame.text = f"Fiscal cost, present value ({s.currency_label})"
    axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
    axis.tick_labels.number_format = AXIS_FORMAT
    axis.tick_labels.number_format_is_linked = False
    axis.tick_labels.font.size = Pt(10)
    plot_series = list(chart.plots[0].series)
    line_style(plot_series[0], FRONTIER, 2.25)
    for series, sc in zip(plot_series[1:], results.scenarios, strict=True):
        markers_only(series, colours[sc.name], TARGET_MARKERS[0])
        series.format.line.fill.background()
    head = results.headline
    set_alt_text(
        frame,
        f"Scatter of {s.year_label(s.final_year)} exports against fiscal cost (present value): the "
        f"best package for each of {len(fr.points)} budgets as a line, and each scenario as a "
        f"point; {head.name} costs {money(head.pv_cost, s.currency_label)} for "
        f"{money(float(head.central['exports'][-1]), s.currency_label)}.",
    )
    return frame

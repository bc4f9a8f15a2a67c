"""Native, editable PowerPoint charts for the deck (python-pptx; never pictures of charts).

Each builder adds one chart to a slide inside a box and returns the graphic frame with alt text
set. Values stay in the workbook's currency unit (the axis title names it) so the chart's data
sheet shows the same numbers as the results workbook.

The fan chart is a combination chart: a stacked area (invisible P10 base + P10–P90 band) with
the P50, central and target series moved into a line plot on the same axes
(``chartkit.to_line_plot``). Hidden helper series (the fan's base, the waterfall's base) have
their legend entries deleted (``chartkit.hide_legend_entries``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_TICK_LABEL_POSITION,
)
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
    to_line_plot,
    value_axis,
)
from policybrief.report.palette import (
    BAND,
    HEADLINE,
    HISTORY,
    INPUT_HIGH,
    INPUT_LOW,
    TARGET,
    results_colours,
)
from policybrief.report.story.formatting import money, number
from policybrief.report.story.labels import (
    axis_label,
    band_label,
    percentile_path,
    scenario_ref,
    target_name,
    wrap_label,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policybrief.model.results import Results, ScenarioResult

    Box = tuple[int, int, int, int]
    Values = Sequence[float | None]

__all__ = [
    "fan_chart",
    "outlook_chart",
    "set_alt_text",
    "talent_charts",
    "tornado_chart",
]


def _target_values(results: Results, categories: Sequence[int]) -> list[tuple[str, Values]]:
    """One markers-only series per target: its value in its year, blank elsewhere."""
    out: list[tuple[str, Values]] = []
    for t in results.targets:
        values = [t.value if year == t.year else None for year in categories]
        out.append((legend_name(results, target_name(results, t.label)), values))
    return out


#: More scenarios than this, or names longer than ``LONG_NAME``, crowd a legend under a chart.
CROWDED_SCENARIOS = 6
LONG_NAME = 30


def crowded_legend(results: Results) -> bool:
    """True when a legend of every scenario would squeeze a chart's plot if put under it."""
    names = [sc.name for sc in results.scenarios]
    return len(names) > CROWDED_SCENARIOS or max(len(n) for n in names) > LONG_NAME


def legend_name(results: Results, name: str) -> str:
    """A series name for a legend: wrapped onto short lines when the legend is crowded, so
    its entries sit side by side in columns instead of one long column over the plot."""
    return wrap_label(name, 30) if crowded_legend(results) else name


def _small_legend(chart: Any) -> None:
    """Small type for a crowded legend."""
    chart.legend.font.size = Pt(8)


def outlook_chart(slide: Any, box: Box, results: Results) -> Any:
    """Line chart: history, central path of every scenario, targets as markers."""
    s = results.inputs.settings
    history = {h.year: h.exports for h in results.inputs.history}
    first = min([*history, s.base_year])
    years = list(range(first, s.final_year + 1))
    data = chart_data(AXIS_FORMAT)
    data.categories = [s.year_label(y) for y in years]
    data.add_series("History", [history.get(y) if y <= s.base_year else None for y in years])
    offset = s.base_year - first
    for sc in results.scenarios:
        path = [float(v) for v in sc.central["exports"]]
        data.add_series(legend_name(results, sc.name), [None] * offset + path)
    targets = _target_values(results, years)
    for name, values in targets:
        data.add_series(name, values)
    frame, chart = add_chart(slide, XL_CHART_TYPE.LINE_MARKERS, box, data)
    if crowded_legend(results):
        _small_legend(chart)
    value_axis(chart, f"IT exports ({s.currency_label})")
    category_axis(chart)
    crowded_years(chart, len(years))
    plot_series = list(chart.plots[0].series)
    line_style(plot_series[0], HISTORY, 2.25)
    colours = results_colours(results)
    for series, sc in zip(plot_series[1:], results.scenarios, strict=False):
        is_base = sc.name == s.baseline_scenario
        line_style(
            series, colours[sc.name], 3.0 if sc.name == s.headline_scenario else 2.0, dash=is_base
        )
    for i, series in enumerate(plot_series[1 + len(results.scenarios) :]):
        markers_only(series, TARGET, TARGET_MARKERS[i % len(TARGET_MARKERS)])
    head = results.headline
    set_alt_text(
        frame,
        f"Line chart of IT exports: history to {s.year_label(s.base_year)} and central paths of "
        f"{len(results.scenarios)} scenarios to {s.year_label(s.final_year)}; {scenario_ref(head.name)} "
        f"reaches {money(float(head.central['exports'][-1]), s.currency_label)} against "
        f"{money(float(results.baseline.central['exports'][-1]), s.currency_label)} under "
        f"{s.baseline_scenario}.",
    )
    return frame


def fan_chart(slide: Any, box: Box, results: Results) -> Any:
    """Fan chart of the headline scenario: P-low..P-high band, P50 and central lines, targets."""
    s = results.inputs.settings
    head = results.headline
    low, high = s.band
    years = list(results.years)
    lo = [float(v) for v in percentile_path(head, low)]
    hi = [float(v) for v in percentile_path(head, high)]
    med = [float(v) for v in percentile_path(head, 50)]
    band = band_label(results)
    data = chart_data(AXIS_FORMAT)
    data.categories = [s.year_label(y) for y in years]
    data.add_series(f"P{low} (base)", lo)
    data.add_series(f"{band} range", [h - v for h, v in zip(hi, lo, strict=True)])
    data.add_series("Median (P50)" if 50 in head.percentiles else "Central", med)
    data.add_series("Central path", [float(v) for v in head.central["exports"]])
    for name, values in _target_values(results, years):
        data.add_series(name, values)
    frame, chart = add_chart(slide, XL_CHART_TYPE.AREA_STACKED, box, data)
    value_axis(chart, f"IT exports ({s.currency_label})")
    category_axis(chart)
    crowded_years(chart, len(years))
    area_series = list(chart.plots[0].series)
    area_series[0].format.fill.background()
    area_series[0].format.line.fill.background()
    area_series[1].format.fill.solid()
    area_series[1].format.fill.fore_color.rgb = rgb(BAND)
    area_series[1].format.line.fill.background()
    for series in area_series[2:]:
        series.format.line.color.rgb = rgb(HEADLINE)
    to_line_plot(chart, 2)
    lines = list(chart.plots[1].series)
    line_style(lines[0], HEADLINE, 3.0)
    line_style(lines[1], HEADLINE, 1.5, dash=True)
    for i, series in enumerate(lines[2:]):
        markers_only(series, TARGET, TARGET_MARKERS[i % len(TARGET_MARKERS)])
    hide_legend_entries(chart, [0])
    # Target series are blank except in their year; "zero" (the area default) would draw
    # a marker at 0 in every other year.
    chart._chartSpace.chart.find(qn("c:dispBlanksAs")).set("val", "gap")
    set_alt_text(
        frame,
        f"Fan chart of {head.name} exports: in {s.year_label(s.final_year)} the {band} range is "
        f"{money(lo[-1], s.currency_label)} to {money(hi[-1], s.currency_label)}, "
        f"median {money(med[-1], s.currency_label)}.",
    )
    return frame


def tornado_chart(slide: Any, box: Box, results: Results, top: int = 10) -> Any:
    """Tornado: final-year exports with each input at Low / High, as change from central."""
    s = results.inputs.settings
    rows = list(results.sensitivity[:top])
    if not rows:
        return None
    central = float(results.headline.central["exports"][-1])
    rows.reverse()  # bar charts draw the first category at the bottom: biggest swing on top
    data = chart_data(AXIS_FORMAT)
    data.categories = [wrap_label(axis_label(results, r.parameter), 30) for r in rows]
    data.add_series("Input at Low", [r.exports_at_low - central for r in rows])
    data.add_series("Input at High", [r.exports_at_high - central for r in rows])
    frame, chart = add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, box, data)
    plot = chart.plots[0]
    plot.overlap = 100
    plot.gap_width = 40
    year = s.year_label(s.final_year)
    value_axis(
        chart,
        f"Change in {year} exports from central {money(central, s.currency_label)} "
        f"({s.currency_label})",
        "#,##0;#,##0",
    )
    category_axis(chart)
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    for ser, colour in zip(plot.series, (INPUT_LOW, INPUT_HIGH), strict=True):
        ser.format.fill.solid()
        ser.format.fill.fore_color.rgb = rgb(colour)
        ser.invert_if_negative = False
    biggest = results.sensitivity[0]
    set_alt_text(
        frame,
        f"Tornado chart of the {len(rows)} most influential inputs: {biggest.parameter} moves "
        f"{year} exports by {money(biggest.swing, s.currency_label)} between its Low and High "
        "values.",
    )
    return frame


def talent_charts(slide: Any, left: Box, right: Box, results: Results) -> list[Any]:
    """Workforce by scenario (line) and emigrants averted by scenario (column)."""
    s = results.inputs.settings
    data = chart_data("#,##0")
    data.categories = [s.year_label(y) for y in results.years]
    for sc in results.scenarios:
        data.add_series(legend_name(results, sc.name), [float(v) for v in sc.central["workforce"]])
    frame, chart = add_chart(slide, XL_CHART_TYPE.LINE, left, data)
    if crowded_legend(results):
        _small_legend(chart)
    value_axis(chart, "IT workforce (persons)")
    category_axis(chart)
    crowded_years(chart, len(results.years))
    colours = results_colours(results)
    for ser, sc in zip(chart.plots[0].series, results.scenarios, strict=True):
        line_style(ser, colours[sc.name], 2.5, dash=sc.name == s.baseline_scenario)
    head = results.headline
    set_alt_text(
        frame,
        f"Line chart of the IT workforce by scenario: {scenario_ref(head.name)} reaches "
        f"{number(float(head.central['workforce'][-1]))} in {s.year_label(s.final_year)} against "
        f"{number(float(results.baseline.central['workforce'][-1]))} under {s.baseline_scenario}.",
    )
    frames = [frame]
    others = [sc for sc in results.scenarios if sc.name != s.baseline_scenario]
    # An all-zero bar chart says nothing (and draws a meaningless 0-1 axis): skip it.
    if any(abs(sc.emigrants_averted) >= 0.5 for sc in others):
        frame2 = _averted_chart(slide, right, results, others)
        frames.append(frame2)
    return frames


def _averted_chart(slide: Any, box: Box, results: Results, others: list[ScenarioResult]) -> Any:
    """Emigrants averted by each scenario but the baseline: columns, or bars down the slide
    (names wrapped, first on top) when there are many scenarios or long names. Bars carry
    their value at their end, so the axis leaves room for it and shows no tick labels."""
    s = results.inputs.settings
    across = crowded_legend(results)
    if across:  # bar charts draw the first category at the bottom: first on top
        others = others[::-1]
    values = [sc.emigrants_averted for sc in others]
    bars = chart_data("#,##0")
    bars.categories = [wrap_label(sc.name, 30) if across else sc.name for sc in others]
    bars.add_series("Emigrants averted", values)
    kind = XL_CHART_TYPE.BAR_CLUSTERED if across else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame, chart = add_chart(slide, kind, box, bars)
    chart.has_legend = False
    chart.has_title = True
    chart.chart_title.text_frame.text = (
        f"Emigrants averted vs {s.baseline_scenario}, "
        f"{s.year_label(s.base_year + 1)}–{s.year_label(s.final_year)}"
    )
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    value_axis(chart, "Persons")
    category_axis(chart)
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    if across:
        chart.category_axis.tick_labels.font.size = Pt(8)
        axis = chart.value_axis
        axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
        reach = max(abs(v) for v in values) or 1.0
        axis.maximum_scale = 1.4 * max(*values, 0.0) or 0.1 * reach
        axis.minimum_scale = 1.4 * min(*values, 0.0) or -0.1 * reach
    ser = chart.plots[0].series[0]
    ser.invert_if_negative = False
    colours = results_colours(results)
    for point_index, sc in enumerate(others):
        ser.points[point_index].format.fill.solid()
        ser.points[point_index].format.fill.fore_color.rgb = rgb(colours[sc.name])
    labels = ser.data_labels
    labels.show_value = True
    labels.number_format = "#,##0"
    labels.number_format_is_linked = False
    labels.font.size = Pt(10 if not across else 8)
    head = results.headline
    set_alt_text(
        frame,
        f"{'Bar' if across else 'Column'} chart of emigrants averted over the horizon: "
        f"{head.name} {number(head.emigrants_averted)}.",
    )
    return frame

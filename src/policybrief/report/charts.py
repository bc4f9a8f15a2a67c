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

from policybrief.report.chartkit import (
    AXIS_FORMAT,
    TARGET_MARKERS,
    add_chart,
    category_axis,
    chart_data,
    crowded_years,
    hide_legend_entries,
    line_style,
    markers_only,
    nice_floor,
    rgb,
    scenario_colours,
    set_alt_text,
    to_line_plot,
    value_axis,
)
from policybrief.report.formatting import fy_label, money, number
from policybrief.report.labels import (
    band_label,
    change_label,
    percentile_path,
    quantity_label,
    scenario_ref,
    target_name,
)
from policybrief.report.palette import (
    BAND,
    GAIN,
    HEADLINE,
    HISTORY,
    INK,
    INPUT_HIGH,
    INPUT_LOW,
    LOSS,
    TARGET,
    TOTAL,
    WHITE,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from policybrief.model.results import Results

    Box = tuple[int, int, int, int]
    Values = Sequence[float | None]

__all__ = [
    "fan_chart",
    "outlook_chart",
    "set_alt_text",
    "talent_charts",
    "tornado_chart",
    "waterfall_chart",
]


def _target_values(results: Results, categories: Sequence[int]) -> list[tuple[str, Values]]:
    """One markers-only series per target: its value in its year, blank elsewhere."""
    out: list[tuple[str, Values]] = []
    for t in results.targets:
        values = [t.value if year == t.year else None for year in categories]
        out.append((target_name(results, t.label), values))
    return out


def outlook_chart(slide: Any, box: Box, results: Results) -> Any:
    """Line chart: history, central path of every scenario, targets as markers."""
    s = results.inputs.settings
    history = {h.year: h.exports for h in results.inputs.history}
    first = min([*history, s.base_year])
    years = list(range(first, s.final_year + 1))
    data = chart_data(AXIS_FORMAT)
    data.categories = [fy_label(y) for y in years]
    data.add_series("History", [history.get(y) if y <= s.base_year else None for y in years])
    offset = s.base_year - first
    for sc in results.scenarios:
        path = [float(v) for v in sc.central["exports"]]
        data.add_series(sc.name, [None] * offset + path)
    targets = _target_values(results, years)
    for name, values in targets:
        data.add_series(name, values)
    frame, chart = add_chart(slide, XL_CHART_TYPE.LINE_MARKERS, box, data)
    value_axis(chart, f"IT exports ({s.currency_label})")
    category_axis(chart)
    crowded_years(chart, len(years))
    plot_series = list(chart.plots[0].series)
    line_style(plot_series[0], HISTORY, 2.25)
    colours = scenario_colours(results)
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
        f"Line chart of IT exports: history to {fy_label(s.base_year)} and central paths of "
        f"{len(results.scenarios)} scenarios to {fy_label(s.final_year)}; {scenario_ref(head.name)} "
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
    data.categories = [fy_label(y) for y in years]
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
        f"Fan chart of {head.name} exports: in {fy_label(s.final_year)} the {band} range is "
        f"{money(lo[-1], s.currency_label)} to {money(hi[-1], s.currency_label)}, "
        f"median {money(med[-1], s.currency_label)}.",
    )
    return frame


def waterfall_chart(slide: Any, box: Box, results: Results) -> Any:
    """Waterfall from current policy to the headline: invisible base, rises, falls, totals.

    Returns None when the headline is the baseline (nothing to attribute).
    """
    s = results.inputs.settings
    attribution = next((a for a in results.attribution if a.scenario == s.headline_scenario), None)
    if attribution is None:
        return None
    names = {
        lv.id: change_label(results, s.headline_scenario, lv.id) for lv in results.inputs.levers
    }
    cats = [s.baseline_scenario]
    base: list[float | None] = [None]
    rise: list[float | None] = [None]
    fall: list[float | None] = [None]
    total: list[float | None] = [attribution.baseline_value]
    level = attribution.baseline_value
    for lever_id, value in attribution.contributions:
        cats.append(_short(names.get(lever_id, lever_id), 26))
        after = level + value
        base.append(min(level, after))
        rise.append(value if value >= 0 else None)
        fall.append(-value if value < 0 else None)
        total.append(None)
        level = after
    cats.append(s.headline_scenario)
    for column in (base, rise, fall):
        column.append(None)
    total.append(attribution.scenario_value)
    data = chart_data(AXIS_FORMAT)
    data.categories = cats
    data.add_series("Base", base)
    data.add_series("Increase", rise)
    data.add_series("Decrease", fall)
    data.add_series("Total", total)
    frame, chart = add_chart(slide, XL_CHART_TYPE.COLUMN_STACKED, box, data)
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.overlap = 100
    year = fy_label(s.final_year)
    value_axis(chart, f"{year} exports ({s.currency_label})")
    category_axis(chart)
    chart.category_axis.tick_labels.font.size = Pt(9)
    lows = [v for v in (*base[1:-1], attribution.baseline_value, attribution.scenario_value) if v]
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
        labels.font.size = Pt(10)
        labels.font.bold = True
        labels.font.color.rgb = rgb(ink)
    hide_legend_entries(chart, [0])
    gain = attribution.scenario_value - attribution.baseline_value
    set_alt_text(
        frame,
        f"Waterfall chart: {year} exports go from {money(attribution.baseline_value, s.currency_label)} "
        f"under {s.baseline_scenario} to {money(attribution.scenario_value, s.currency_label)} under "
        f"{scenario_ref(s.headline_scenario)} ({'+' if gain >= 0 else '-'}"
        f"{money(abs(gain), s.currency_label)}), one bar per lever.",
    )
    return frame


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tornado_chart(slide: Any, box: Box, results: Results, top: int = 10) -> Any:
    """Tornado: final-year exports with each input at Low / High, as change from central."""
    s = results.inputs.settings
    rows = list(results.sensitivity[:top])
    if not rows:
        return None
    central = float(results.headline.central["exports"][-1])
    rows.reverse()  # bar charts draw the first category at the bottom: biggest swing on top
    data = chart_data(AXIS_FORMAT)
    data.categories = [quantity_label(results, r.parameter, width=44) for r in rows]
    data.add_series("Input at Low", [r.exports_at_low - central for r in rows])
    data.add_series("Input at High", [r.exports_at_high - central for r in rows])
    frame, chart = add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, box, data)
    plot = chart.plots[0]
    plot.overlap = 100
    plot.gap_width = 40
    year = fy_label(s.final_year)
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
    data.categories = [fy_label(y) for y in results.years]
    for sc in results.scenarios:
        data.add_series(sc.name, [float(v) for v in sc.central["workforce"]])
    frame, chart = add_chart(slide, XL_CHART_TYPE.LINE, left, data)
    value_axis(chart, "IT workforce (persons)")
    category_axis(chart)
    crowded_years(chart, len(results.years))
    colours = scenario_colours(results)
    for ser, sc in zip(chart.plots[0].series, results.scenarios, strict=True):
        line_style(ser, colours[sc.name], 2.5, dash=sc.name == s.baseline_scenario)
    head = results.headline
    set_alt_text(
        frame,
        f"Line chart of the IT workforce by scenario: {scenario_ref(head.name)} reaches "
        f"{number(float(head.central['workforce'][-1]))} in {fy_label(s.final_year)} against "
        f"{number(float(results.baseline.central['workforce'][-1]))} under {s.baseline_scenario}.",
    )
    frames = [frame]
    others = [sc for sc in results.scenarios if sc.name != s.baseline_scenario]
    # An all-zero bar chart says nothing (and draws a meaningless 0-1 axis): skip it.
    if any(abs(sc.emigrants_averted) >= 0.5 for sc in others):
        bars = chart_data("#,##0")
        bars.categories = [sc.name for sc in others]
        bars.add_series("Emigrants averted", [sc.emigrants_averted for sc in others])
        frame2, chart2 = add_chart(slide, XL_CHART_TYPE.COLUMN_CLUSTERED, right, bars)
        chart2.has_legend = False
        chart2.has_title = True
        chart2.chart_title.text_frame.text = (
            f"Emigrants averted vs {s.baseline_scenario}, "
            f"{fy_label(s.base_year + 1)}–{fy_label(s.final_year)}"
        )
        chart2.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
        value_axis(chart2, "Persons")
        category_axis(chart2)
        chart2.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        ser = chart2.plots[0].series[0]
        ser.format.fill.solid()
        ser.format.fill.fore_color.rgb = rgb(GAIN)
        ser.invert_if_negative = False
        for point_index, sc in enumerate(others):
            ser.points[point_index].format.fill.solid()
            ser.points[point_index].format.fill.fore_color.rgb = rgb(colours[sc.name])
        labels = ser.data_labels
        labels.show_value = True
        labels.number_format = "#,##0"
        labels.number_format_is_linked = False
        labels.font.size = Pt(10)
        set_alt_text(
            frame2,
            f"Column chart of emigrants averted over the horizon: {head.name} "
            f"{number(head.emigrants_averted)}.",
        )
        frames.append(frame2)
    return frames

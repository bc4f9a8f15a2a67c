"""The results workbook's ``Summary`` sheet: one row per scenario, for people, with charts.

The table carries the per-scenario figures the deck and the brief show, as numbers with
readable formats and every target and scenario, grouped: final-year exports (central and the
band's percentiles, ``labels.final_exports``), CAGR, and the final-year gain over the baseline
(and as a share of the baseline's exports); each target's chance and the year it is reached in
half the draws; the fiscal cost (present value, and a year at full ramp), the extra cost and the
gain over the baseline in present value and their ratios (exports and export earnings per extra
fiscal dollar); the gain's make-up (new earnings, existing earnings now recorded, the share from
levers that cost nothing); emigrants over the projection and those averted. Below it
are two native Excel charts drawn like the deck's (``charts.outlook_chart``, ``fan_chart``):
history with the central path of every scenario, and the headline's fan. Their data sit in a
block under the charts (a chart plots cells), labelled as such.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, NamedTuple

from policybrief.report.palette import BAND, GRID, HEADLINE, HISTORY, INK, results_colours
from policybrief.report.story.labels import band_label, final_exports, percentile_path
from policybrief.report.xlsx import write_cell

if TYPE_CHECKING:
    from collections.abc import Sequence

    from xlsxwriter import Workbook
    from xlsxwriter.worksheet import Worksheet

    from policybrief.model.results import Results, ScenarioResult
    from policybrief.report.xlsx import Formats

__all__ = [
    "OUT_OF_REACH",
    "SUMMARY",
    "Column",
    "add_summary_sheet",
    "summary_columns",
    "summary_rows",
]

SUMMARY = "Summary"
_MONEY = "#,##0.0"
#: A chance as the deck words it: never a bare 0% or 100% (``labels.chance``).
_CHANCE = '[<0.005]"<1%";[>0.995]">99%";0%'
_RATIO = '0.0"×"'
_COUNT = "#,##0"
#: A target that even the most favourable corner of the ranges misses (``labels.outcome_chance``).
OUT_OF_REACH = "out of reach"
_CHART_WIDTH = 620  #: pixels
_ROW_PIXELS = 20  #: XlsxWriter's default row height

Row = tuple[Any, ...]


class Column(NamedTuple):
    """One column of the table: its header, number format, width and what it holds (``kind``:
    text, money in the workbook's currency unit, share, count, year or ratio)."""

    header: str
    fmt: str | None
    width: float
    kind: str


def summary_columns(results: Results) -> list[Column]:
    """The table's columns, grouped: exports and growth, the gain over the baseline, each
    target, fiscal cost and the return, the gain's make-up, emigration."""
    s = results.inputs.settings
    low, high = s.band
    year, unit = s.year_label(s.final_year), s.currency_label
    pv = "present value" if s.discount_rate > 0 else "cumulative"
    base = s.baseline_scenario
    span = f"{s.year_label(s.base_year + 1)}–{year}"
    name_width = min(40, max(14, *(len(sc.name) + 2 for sc in results.scenarios)))
    columns = [
        Column("Scenario", None, name_width, "text"),
        Column("Role", None, 12, "text"),
        Column(f"{year} exports, central ({unit})", _MONEY, 16, "money"),
        Column(f"{year} exports, P{low} ({unit})", _MONEY, 16, "money"),
        Column(f"{year} exports, P{high} ({unit})", _MONEY, 16, "money"),
        Column(f"Growth a year (CAGR), {s.year_label(s.base_year)}–{year}", "0.0%", 16, "share"),
        Column(f"{year} gain over {base} ({unit})", _MONEY, 16, "money"),
        Column(f"{year} gain over {base}, share of its exports", "0.0%", 16, "share"),
    ]
    for t in results.targets:
        columns.append(Column(f"Chance: {t.label}", _CHANCE, 18, "share"))
        columns.append(Column(f"Year reached in half the draws: {t.label}", "0", 18, "year"))
    return [*columns, *_cost_columns(results, pv, unit, span)]


def _cost_columns(results: Results, pv: str, unit: str, span: str) -> list[Column]:
    """Fiscal cost and the return, the gain's make-up, emigration."""
    s = results.inputs.settings
    base, year = s.baseline_scenario, s.year_label(s.final_year)
    return [
        Column(f"Fiscal cost, {pv} ({unit})", _MONEY, 16, "money"),
        Column(
            f"Fixed fiscal cost a year at full ramp ({unit}; costs as a share of exports on top)",
            _MONEY,
            16,
            "money",
        ),
        Column(f"Extra fiscal cost over {base}, {pv} ({unit})", _MONEY, 16, "money"),
        Column(f"Gain over {base}, {pv} ({unit})", _MONEY, 16, "money"),
        Column("Exports per extra fiscal dollar", _RATIO, 16, "ratio"),
        Column("Export earnings per extra fiscal dollar", _RATIO, 16, "ratio"),
        Column(f"Gain from new earnings, {pv} ({unit})", _MONEY, 18, "money"),
        Column(f"Gain from existing earnings now recorded, {pv} ({unit})", _MONEY, 18, "money"),
        Column(f"Share of the {year} gain from levers that cost nothing", "0.0%", 18, "share"),
        Column(f"Emigrants, {span}", _COUNT, 14, "count"),
        Column(f"Emigrants averted against {base}, {span}", _COUNT, 16, "count"),
    ]


def _role(results: Results, name: str, dominated: set[str]) -> str:
    """``headline``, ``baseline`` (both when one scenario is both), ``dominated``."""
    s = results.inputs.settings
    pairs = (("headline", s.headline_scenario), ("baseline", s.baseline_scenario))
    found = [role for role, who in pairs if who == name]
    if name in dominated:
        found.append("dominated")
    return ", ".join(found)


def summary_rows(results: Results) -> list[Row]:
    """One row per scenario, in ``summary_columns`` order (None: an empty cell).

    A chance is the share of draws (a number), or ``out of reach`` as the deck says when even
    the most favourable corner of the ranges misses the target; the year reached is ``not by
    FY35`` when half the draws do not reach the target within the horizon. What is measured
    against the baseline (gains, extra cost, returns, emigrants averted) is blank on the
    baseline's own row; a return is blank too when a scenario costs no more than the baseline.
    """
    dominated = {d.scenario for d in results.dominance if d.dominated}
    never = f"not by {results.inputs.settings.year_label(results.inputs.settings.final_year)}"
    base_final = float(results.baseline.central["exports"][-1])
    rows: list[Row] = []
    for sc in results.scenarios:
        central, lo, hi = final_exports(results, sc)
        gain = float(sc.central["exports"][-1]) - base_final
        per_target: list[object] = []
        for t in results.targets:
            o = sc.outcomes[t.label]
            chance = o.probability if o.feasible else OUT_OF_REACH
            per_target += [chance, never if o.year_p50 is None else o.year_p50]
        gains = (gain, gain / base_final if base_final else None)
        rows.append(
            (
                sc.name,
                _role(results, sc.name, dominated),
                central,
                lo,
                hi,
                sc.cagr,
                *_against_baseline(results, sc, gains),
                *per_target,
                sc.pv_cost,
                results.inputs.annual_cost(sc.name)[0],
                *_against_baseline(
                    results,
                    sc,
                    (
                        sc.pv_extra_cost,
                        sc.pv_gain,
                        sc.gain_per_fiscal_dollar,
                        sc.return_on_earnings,
                        sc.gain_new_earnings,
                        sc.gain_reclassification,
                        sc.costless_share,
                    ),
                ),
                float(sc.central["emigrants"][1:].sum()),
                *_against_baseline(results, sc, (sc.emigrants_averted,)),
            )
        )
    return rows


def _against_baseline(
    results: Results, sc: ScenarioResult, values: Sequence[float | None]
) -> Sequence[float | None]:
    """``values`` measured against the baseline: blank on the baseline's own row."""
    if sc.name == results.inputs.settings.baseline_scenario:
        return [None] * len(values)
    return values


def chart_block(results: Results) -> tuple[list[str], list[Row], int]:
    """The charts' data: (header, one row per fiscal year, index of the base year's row).

    Columns: fiscal year, recorded history (up to the base year), the central path of every
    scenario, then the headline's band low, the band's width (what the fan stacks on the
    low), median and band high, from the base year on.
    """
    s = results.inputs.settings
    head = results.headline
    low, high = s.band
    history = {h.year: h.exports for h in results.inputs.history}
    first = min([*history, s.base_year])
    offset = s.base_year - first
    lo, hi = percentile_path(head, low), percentile_path(head, high)
    med = percentile_path(head, 50)
    header = [
        "Fiscal year",
        "History",
        *(sc.name for sc in results.scenarios),
        f"P{low}",
        f"Width, P{high} − P{low}",
        "Median (P50)" if 50 in head.percentiles else "Central",
        f"P{high}",
    ]
    rows: list[Row] = []
    for i, year in enumerate(range(first, s.final_year + 1)):
        t = i - offset
        recorded = history.get(year) if year <= s.base_year else None
        if t < 0:
            rows.append((s.year_label(year), recorded, *([None] * (len(header) - 2))))
            continue
        paths = [float(sc.central["exports"][t]) for sc in results.scenarios]
        band = (float(lo[t]), float(hi[t] - lo[t]), float(med[t]), float(hi[t]))
        rows.append((s.year_label(year), recorded, *paths, *band))
    return header, rows, offset


def add_summary_sheet(workbook: Workbook, formats: Formats, results: Results) -> Worksheet:
    """Add the ``Summary`` sheet (table, charts, chart data) to ``workbook``."""
    ws = workbook.add_worksheet(SUMMARY)
    columns = summary_columns(results)
    header, rows, offset = chart_block(results)
    widths = [c.width for c in columns]
    widths += [16.0] * (len(header) - len(widths))
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    _header_row(ws, 0, [c.header for c in columns], widths, formats)
    right = formats.aligned("right")
    for r, row in enumerate(summary_rows(results), start=1):
        for c, (value, column) in enumerate(zip(row, columns, strict=True)):
            text_among_numbers = isinstance(value, str) and c > 1
            write_cell(ws, r, c, value, right if text_among_numbers else formats.number(column.fmt))
    ws.freeze_panes(1, 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    chart_row = len(results.scenarios) + 2
    size = _chart_size(results)
    top = chart_row + math.ceil(size["height"] / _ROW_PIXELS) + 2
    unit = results.inputs.settings.currency_label
    ws.write_string(top, 0, f"Chart data: IT exports by fiscal year ({unit})", formats.bold)
    # The fan's title, over its columns: a cell the chart refers to, as workbook text in a
    # chart title could read as a reference (XlsxWriter takes "x!A1" for one).
    fan_first = 2 + len(results.scenarios)
    fan_title = f"{results.headline.name}: {band_label(results)} range and median"
    ws.write_string(top, fan_first, fan_title, formats.bold)
    _header_row(ws, top + 1, header, widths, formats)
    for r, row in enumerate(rows, start=top + 2):
        for c, value in enumerate(row):
            write_cell(ws, r, c, value, formats.number(_MONEY))
    span = (top + 2, top + 1 + len(rows))
    outlook = _outlook(workbook, results, top + 1, span)
    fan = _fan(workbook, results, top + 1, (span[0] + offset, span[1]), fan_first)
    for i, chart in enumerate((outlook, fan)):
        chart.set_size(size)
        ws.insert_chart(chart_row, 0, chart, {"x_offset": i * (_CHART_WIDTH + 20)})
    return ws


def _chart_size(results: Results) -> dict[str, int]:
    """Taller with more scenarios: the outlook's legend has an entry for each."""
    return {"width": _CHART_WIDTH, "height": 360 + 24 * max(0, len(results.scenarios) - 4)}


def _header_row(
    ws: Worksheet, row: int, names: Sequence[str], widths: Sequence[float], formats: Formats
) -> None:
    """A wrapped header row, tall enough for its longest name (Excel does not fit it)."""
    # ``widths`` covers the table and the chart data, whichever is wider: zip stops at ``names``.
    sized = zip(names, widths, strict=False)
    lines = max(math.ceil(len(name) / max(1.0, width - 2)) for name, width in sized)
    ws.set_row(row, 15 * lines + 4)
    for c, name in enumerate(names):
        ws.write_string(row, c, name, formats.header)


def _style(chart: Any, title: str | list[Any], unit: str, years: int) -> None:
    """Title and value axis as the deck's charts; crowded year labels thinned out."""
    chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
    chart.set_y_axis(
        {
            "name": f"IT exports ({unit})",
            "num_format": "#,##0",
            "major_gridlines": {"visible": True, "line": {"color": f"#{GRID}"}},
        }
    )
    step = 1 if years <= 12 else (2 if years <= 24 else 5)
    chart.set_x_axis({"num_font": {"rotation": -45}, "interval_unit": step})


def _line(colour: str, width: float, *, dash: bool = False) -> dict[str, Any]:
    line: dict[str, Any] = {"color": f"#{colour}", "width": width}
    if dash:
        line["dash_type"] = "dash"
    return line


def _outlook(workbook: Workbook, results: Results, head_row: int, span: tuple[int, int]) -> Any:
    """History and the central path of every scenario (as ``charts.outlook_chart``)."""
    s = results.inputs.settings
    chart = workbook.add_chart({"type": "line"})
    colours = results_colours(results)
    styles = [_line(HISTORY, 2.25)] + [
        _line(
            colours[sc.name],
            3.0 if sc.name == s.headline_scenario else 2.0,
            dash=sc.name == s.baseline_scenario,
        )
        for sc in results.scenarios
    ]
    for c, line in enumerate(styles, start=1):
        chart.add_series(_series(head_row, span, c, line=line))
    title = "IT exports: history and central path of each scenario"
    _style(chart, title, s.currency_label, span[1] - span[0] + 1)
    chart.set_legend({"position": "bottom", "font": {"size": 9}})
    return chart


def _fan(
    workbook: Workbook, results: Results, head_row: int, span: tuple[int, int], first: int
) -> Any:
    """The headline's band (a stacked area on an invisible low), median and central path."""
    s = results.inputs.settings
    head = results.headline
    area = workbook.add_chart({"type": "area", "subtype": "stacked"})
    area.add_series(_series(head_row, span, first, fill={"none": True}, line={"none": True}))
    band = _series(head_row, span, first + 1, fill={"color": f"#{BAND}"}, line={"none": True})
    area.add_series({**band, "name": f"{band_label(results)} range"})
    lines = workbook.add_chart({"type": "line"})
    lines.add_series(_series(head_row, span, first + 2, line=_line(HEADLINE, 3.0)))
    central = 2 + [sc.name for sc in results.scenarios].index(head.name)
    path = _series(head_row, span, central, line=_line(INK, 1.5, dash=True))
    lines.add_series({**path, "name": "Central path"})
    area.combine(lines)
    _style(area, [SUMMARY, head_row - 1, first], s.currency_label, span[1] - span[0] + 1)
    area.set_legend({"position": "bottom", "delete_series": [0], "font": {"size": 9}})
    return area


def _series(head_row: int, span: tuple[int, int], column: int, **style: Any) -> dict[str, Any]:
    """A series of column ``column`` over rows ``span``, named by its header cell (a cell
    reference, so a name such as ``=x`` stays text)."""
    first, last = span
    return {
        "name": [SUMMARY, head_row, column],
        "categories": [SUMMARY, first, 0, last, 0],
        "values": [SUMMARY, first, column, last, column],
        "marker": {"type": "none"},
        **style,
    }
